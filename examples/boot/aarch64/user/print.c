// SPDX-License-Identifier: MIT
/* Output a line at a time (one write(2) per line, so kernel messages never split one). */
#include "user.h"

static char line[256];
static size_t len;

void put_str(const char *s)
{
	while (*s && len < sizeof line - 1)
		line[len++] = *s++;
}

static void put_u(u64 v, unsigned base)
{
	char buf[20];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n && len < sizeof line - 1)
		line[len++] = buf[--n];
}

void put_dec(s64 v)
{
	if (v < 0)
		put_str("-");
	put_u(v < 0 ? -(u64)v : (u64)v, 10);
}

void put_hex(u64 v)
{
	put_str("0x");
	put_u(v, 16);
}

void put_end(void)
{
	line[len++] = '\n';
	sys_write(1, line, len);
	len = 0;
}

int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int mem_eq(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;

	while (n--)
		if (*p++ != *q++)
			return 0;
	return 1;
}

/* The compiler may call these (struct copies and zeroing). */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);

void *memset(void *d, int c, size_t n)
{
	u8 *p = d;

	while (n--)
		*p++ = (u8)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	u8 *p = d;
	const u8 *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}
