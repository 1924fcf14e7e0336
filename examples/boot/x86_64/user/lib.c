/* What /init needs of a libc: memory functions (the compiler calls them too) and line output. */
#include "sys.h"
#include "out.h"

void *memcpy(void *d, const void *s, size_t n)
{
	u8 *dp = d;
	const u8 *sp = s;

	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memset(void *d, int c, size_t n)
{
	u8 *dp = d;

	while (n--)
		*dp++ = (u8)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p < *q ? -1 : 1;
	return 0;
}

int streq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* One line at a time, one write(2) per line, so kernel messages never split a line. */
static char line[256];
static size_t used;

void out_str(const char *s)
{
	while (*s && used < sizeof(line) - 1)
		line[used++] = *s++;
}

void out_dec(s64 v)
{
	char b[21];
	int i = 21;
	u64 u = v < 0 ? -(u64)v : (u64)v;

	do
		b[--i] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		b[--i] = '-';
	for (; i < 21 && used < sizeof(line) - 1; i++)
		line[used++] = b[i];
}

void tohex(char buf[19], u64 v)
{
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	buf[18] = 0;
}

void out_hex(u64 v)
{
	char b[19];

	tohex(b, v);
	out_str(b);
}

void out_line(void)
{
	line[used++] = '\n';
	sys3(SYS_write, 1, line, used);
	used = 0;
}
