/* SPDX-License-Identifier: MIT */
/*
 * The C library the harness does without: memcpy and friends (also used
 * by elf_lookup.c), buffered output, and the ok/not ok report.
 * Part of the freestanding vDSO harness: #included by harness.c (one
 * translation unit, no C library), after the architecture header.
 */

/* ---- freestanding helpers ---- */

void *memcpy(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}
void *memset(void *dst, int c, size_t n)
{
	volatile unsigned char *d = dst;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
void *memchr(const void *s, int c, size_t n)
{
	for (const unsigned char *p = s; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}
int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}
size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

/* Shift-and-subtract division: the 32-bit targets' compiler helpers call it. */
uint64_t harness_udivmod64(uint64_t n, uint64_t d, uint64_t *rem);
uint64_t harness_udivmod64(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, r = 0;
	if (d == 0)
		d = 1;
	for (int i = 63; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= (uint64_t)1 << i;
		}
	}
	if (rem)
		*rem = r;
	return q;
}

static char obuf[4096];
static int olen;
static void flush(void)
{
	for (int off = 0; off < olen;) {
		long r = sys(NR_write, 1, (long)(obuf + off), olen - off);
		if (r <= 0)
			break;
		off += (int)r;
	}
	olen = 0;
}
static void outc(char c)
{
	if (olen == (int)sizeof obuf)
		flush();
	obuf[olen++] = c;
	if (c == '\n')
		flush();
}
static void outs(const char *s) { while (*s) outc(*s++); }
static void outd(int64_t v)
{
	char b[24];
	int n = 0;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	if (v < 0)
		outc('-');
	do {
		b[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (n)
		outc(b[--n]);
}
/* A description or detail line, built piecewise. */
static char sbuf[2][256];
static int slen[2];
static void sb_reset(int k) { slen[k] = 0; sbuf[k][0] = 0; }
static void sb_s(int k, const char *s)
{
	while (*s && slen[k] < 255)
		sbuf[k][slen[k]++] = *s++;
	sbuf[k][slen[k]] = 0;
}
static void sb_d(int k, int64_t v)
{
	char b[24];
	int n = 0;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	if (v < 0)
		sb_s(k, "-");
	do {
		b[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	char r[24];
	int m = 0;
	while (n)
		r[m++] = b[--n];
	r[m] = 0;
	sb_s(k, r);
}
#define D 0	/* description */
#define W 1	/* why it failed */

static int passed, failed;
static void report(int ok)
{
	outs(ok ? "ok " : "not ok ");
	outd(passed + failed + 1);
	outs(" - ");
	outs(sbuf[D]);
	if (!ok && slen[W]) {
		outs(": ");
		outs(sbuf[W]);
	}
	outc('\n');
	if (ok)
		passed++;
	else
		failed++;
	sb_reset(D);
	sb_reset(W);
}
static void say(const char *desc, int ok) { sb_reset(D); sb_s(D, desc); report(ok); }

static __attribute__((noreturn)) void finish(void)
{
	outd(passed);
	outs(" passed, ");
	outd(failed);
	outs(" failed\n");
	flush();
	for (;;)
		sys(NR_exit_group, failed ? 1 : 0, 0, 0);
}
