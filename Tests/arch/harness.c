// SPDX-License-Identifier: MIT
/*
 * Freestanding end-to-end test of a non-x86-64 vDSO image (aarch64, riscv64,
 * i386, arm), for qemu-<arch>-static or native execution.  No C library:
 * raw system calls, its own tiny string and output helpers, and the host
 * symbol lookup (kernel-vdso/host/elf_lookup.c, compiled against
 * Tests/arch/include/{elf,string}.h).
 *
 * It maps the emitted image the way a kernel does (a data page, then the
 * image, read-only and executable, through a memfd so that instruction
 * caches are coherent), fills the data page from the kernel's clocks (a
 * one-shot calibration of the architecture's counter against
 * CLOCK_MONOTONIC, then re-anchored from the system calls every few calls),
 * resolves every export by name and version through both hash tables,
 * compares each entry point with the system call, checks the trampolines'
 * instructions and returns from real signals through them.
 *
 * Tolerance.  The page is filled by this single-threaded program, not by a
 * kernel: each clock's base is a system call bracketed by two counter reads,
 * so it is known to within the bracket (a few microseconds natively, tens of
 * microseconds under QEMU's emulation, where a system call is a trip through
 * the emulator and the guest counter is derived from the host clock).  A
 * served high-resolution clock must therefore lie within
 *     syscall_before - TOL_NS  <=  vdso  <=  syscall_after + TOL_NS
 * with TOL_NS = 1 ms (margins are printed; they are normally far smaller).
 * Coarse clocks and time() may additionally lag by one tick (coarse_res), as
 * the page holds the coarse value read at the last fill.  Clocks the page
 * does not serve, invalid ids, clock_mode NONE and an unfilled page must give
 * exactly the system call's results (tolerance 0), and clock_getres must be
 * equal to the system call's.
 *
 * Built by Tests/arch/run.sh: -DARCH_HEADER='"<arch>.h"', with the emitted
 * vdso-image.c/.h.  Output: "ok N - ...", "not ok N - ...: detail", "# ..."
 * notes, and a last line "N passed, M failed"; exit status 0 iff none failed.
 */
#include <stddef.h>
#include <stdint.h>

#include "vdso-image.h"
#include "vdso/datapage.h"
#include "elf_lookup.h"
#include "string.h"

#define NS		1000000000LL
#define TOL_NS		1000000LL	/* see above */
#define ROUNDS		300		/* calls per ordering check */
#define REFILL_EVERY	16		/* re-anchor the page every this many rounds */
#define MONO_CALLS	20000		/* calls per monotonicity check */

enum kind { K_CGT, K_CGT64, K_GETRES, K_GETRES64, K_GTOD, K_TIME, K_GETCPU, K_FLUSH,
	    K_SIGRET, K_RTSIGRET, K_VSYSCALL };
struct export { const char *name, *version; int kind; long off; };
struct tramp { const char *name; long off; const char *bytes; int len; const char *before; int blen; };

#include ARCH_HEADER

#ifndef NTRAMPS
#define NTRAMPS (int)(sizeof tramps / sizeof tramps[0])
#endif
#define NEXP (int)(sizeof exports / sizeof exports[0])

/* The header must give the data page as a signed offset and its size; the
 * harness maps one page right below the image either way, and checks. */
#ifdef VDSO_DATA_SIZE
#define HDR_DATA_SIZE VDSO_DATA_SIZE
#else
#define HDR_DATA_SIZE 0
#endif
#define DATA_SIZE VDSO_PAGE_SIZE
_Static_assert(VDSO_ELF_CLASS == 8 * sizeof(void *), "the image's ELF class is the harness's");

static long sys(long n, long a, long b, long c) { return sys6(n, a, b, c, 0, 0, 0); }

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

/* ---- user ABI types ---- */

struct tsn { long tv_sec, tv_nsec; };		/* timespec of the native time_t */
struct ts64 { int64_t tv_sec, tv_nsec; };	/* struct __kernel_timespec */
struct tvn { long tv_sec, tv_usec; };
struct tzn { int tz_minuteswest, tz_dsttime; };

typedef int (*cgt_fn)(int, struct tsn *);
typedef int (*cgt64_fn)(int, struct ts64 *);
typedef int (*gtod_fn)(struct tvn *, struct tzn *);
typedef long (*time_fn)(long *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);
typedef long (*flush_fn)(void *, void *, unsigned long);

static cgt_fn v_cgt, v_getres;
static cgt64_fn v_cgt64, v_getres64;
static gtod_fn v_gtod;
static time_fn v_time;
static getcpu_fn v_getcpu;
static flush_fn v_flush;

/* The system calls, in both time layouts: 64-bit time is the native one on 64-bit targets. */
static long s_cgt(int id, struct tsn *t) { return sys(NR_clock_gettime, id, (long)t, 0); }
static long s_getres(int id, struct tsn *t) { return sys(NR_clock_getres, id, (long)t, 0); }
#if ARCH_TIME64
static long s_cgt64(int id, struct ts64 *t) { return sys(NR_clock_gettime64, id, (long)t, 0); }
static long s_getres64(int id, struct ts64 *t) { return sys(NR_clock_getres_time64, id, (long)t, 0); }
#else
static long s_cgt64(int id, struct ts64 *t) { return sys(NR_clock_gettime, id, (long)t, 0); }
#endif
static int64_t ns64(struct ts64 t) { return t.tv_sec * NS + t.tv_nsec; }
static int64_t nsn(struct tsn t) { return (int64_t)t.tv_sec * NS + t.tv_nsec; }

/* ---- mapping ---- */

static unsigned char *base;
static struct vdso_time_data *page;

#if defined(__aarch64__) || defined(__riscv)
#define NR_memfd_create 279
#elif defined(__arm__)
#define NR_memfd_create 385
#else
#define NR_memfd_create 356
#endif

static void map_image(void)
{
	const unsigned char *im = vdso_image;
	uint16_t mach;
	memcpy(&mach, im + 18, 2);
	say("ELF magic, class and machine match the header",
	    memcmp(im, "\177ELF", 4) == 0 && im[4] == (VDSO_ELF_CLASS == 64 ? 2 : 1) && mach == VDSO_ELF_MACHINE);
	sb_s(D, "header: VDSO_DATA_OFFSET == -VDSO_DATA_SIZE == -4096 (signed, one page below the image)");
	sb_s(W, "offset ");
	sb_d(W, (int64_t)(VDSO_DATA_OFFSET));
	sb_s(W, " size ");
	sb_d(W, HDR_DATA_SIZE);
	report((int64_t)(VDSO_DATA_OFFSET) == -4096 && HDR_DATA_SIZE == 4096);
	/* Reserve data page + image, then put the image there from a memfd
	 * (file pages: the kernel keeps the I-cache coherent for them). */
	long r = sys6(NR_mmap, 0, DATA_SIZE + VDSO_IMAGE_SIZE, 3 /* RW */, 0x22 /* PRIVATE|ANON */, -1, 0);
	int ok = (unsigned long)r < -4096UL;
	long fd = sys(NR_memfd_create, (long)"vdso", 0, 0);
	ok = ok && fd >= 0 && sys(NR_write, fd, (long)vdso_image, VDSO_IMAGE_SIZE) == VDSO_IMAGE_SIZE;
	base = (unsigned char *)r + DATA_SIZE;
	page = (struct vdso_time_data *)(void *)((unsigned char *)r);
	long m = ok ? sys6(NR_mmap, (long)base, VDSO_IMAGE_SIZE, 5 /* R|X */, 0x11 /* SHARED|FIXED */, fd, 0) : -1;
	ok = ok && m == (long)base;
	sb_s(D, "map the data page (RW here, read by the vDSO) and the image (R+X) above it");
	sb_s(W, "mmap/memfd failed: ");
	sb_d(W, m);
	report(ok);
	if (!ok)
		finish();
}

static void resolve(void)
{
	struct vdso_elf e;
	int ok = vdso_elf_open(&e, base, VDSO_IMAGE_FILE_SIZE) == 0;
	say("image parses: DT_HASH, DT_GNU_HASH, DT_VERSYM, DT_VERDEF",
	    ok && e.hash && e.gnu_hash && e.versym && e.verdef);
	if (!ok)
		finish();
	for (int i = 0; i < NEXP; i++) {
		const unsigned char *h = vdso_elf_sym_hash(&e, exports[i].name, exports[i].version);
		const unsigned char *g = vdso_elf_sym_gnu_hash(&e, exports[i].name, exports[i].version);
		sb_s(D, exports[i].name);
		sb_s(D, "@");
		sb_s(D, exports[i].version);
		sb_s(D, " via DT_HASH and DT_GNU_HASH == header offset");
		sb_s(W, "hash ");
		sb_d(W, h ? h - base : -1);
		sb_s(W, " gnu ");
		sb_d(W, g ? g - base : -1);
		sb_s(W, " header ");
		sb_d(W, exports[i].off);
		report(h && g == h && h - base == exports[i].off);
		/* Not under another version, nor the base one. */
		const char *wrong = strcmp(exports[i].version, "LINUX_2.5") ? "LINUX_2.5" : "LINUX_2.6.39";
		sb_s(D, exports[i].name);
		sb_s(D, " not found under another version or the base version");
		report(!vdso_elf_sym(&e, exports[i].name, wrong) && !vdso_elf_sym(&e, exports[i].name, "linux-vdso.so.1") &&
		       !vdso_elf_sym(&e, exports[i].name, "linux-gate.so.1"));
		void *p = (void *)h;
		switch (exports[i].kind) {
		case K_CGT: v_cgt = (cgt_fn)p; break;
		case K_CGT64: v_cgt64 = (cgt64_fn)p; break;
		case K_GETRES: v_getres = (cgt_fn)p; break;
		case K_GETRES64: v_getres64 = (cgt64_fn)p; break;
		case K_GTOD: v_gtod = (gtod_fn)p; break;
		case K_TIME: v_time = (time_fn)p; break;
		case K_GETCPU: v_getcpu = (getcpu_fn)p; break;
		case K_FLUSH: v_flush = (flush_fn)p; break;
		default: break;
		}
	}
	if (!v_cgt || !v_gtod || !v_getres || (ARCH_TIME64 && !v_cgt64)) {
		say("clock entry points resolved", 0);
		finish();
	}
}

/* ---- the data page ---- */

static uint32_t mult, shift;
static int have_counter;
static uint64_t counter(void) { return have_counter ? read_counter() : 0; }
static uint64_t max_cycles_normal;

#define WMB() __atomic_thread_fence(__ATOMIC_RELEASE)

/* One clock's base: the system call's time at the counter value `at`. */
static void anchor(struct vdso_timestamp *b, int id, uint64_t at)
{
	struct ts64 t;
	uint64_t k0 = counter();
	s_cgt64(id, &t);
	uint64_t k1 = counter();
	uint64_t mid = k0 + (k1 - k0) / 2;
	int64_t ns = ns64(t) - (int64_t)(((mid - at) * mult) >> shift);
	b->sec = (uint64_t)ns / NS;		/* all clocks are positive: unsigned division */
	b->nsec = ((uint64_t)ns % NS) << shift;
}

static uint32_t cur_syscall_mode;	/* i386: the entry __kernel_vsyscall takes (VDSO_SYSCALL_*) */

static void fill(int clock_mode, uint64_t max_cycles)
{
	struct ts64 t;
	struct tsn r;
	struct tvn tv;
	struct tzn tz = { 0, 0 };
	volatile uint32_t *seq0 = &page->clock_data[0].seq, *seq1 = &page->clock_data[1].seq;

	*seq0 += 1, *seq1 += 1;
	WMB();
	for (int cs = 0; cs < VDSO_CS_BASES; cs++) {
		struct vdso_clock *vc = &page->clock_data[cs];
		uint64_t now = counter();
		vc->clock_mode = clock_mode;
		vc->cycle_last = now;
		vc->mask = ~(uint64_t)0;
		vc->mult = mult;
		vc->shift = shift;
		vc->max_cycles = max_cycles;
		if (cs == VDSO_CS_RAW) {
			anchor(&vc->basetime[VDSO_CLOCK_MONOTONIC_RAW], VDSO_CLOCK_MONOTONIC_RAW, now);
			continue;
		}
		anchor(&vc->basetime[VDSO_CLOCK_REALTIME], VDSO_CLOCK_REALTIME, now);
		anchor(&vc->basetime[VDSO_CLOCK_MONOTONIC], VDSO_CLOCK_MONOTONIC, now);
		anchor(&vc->basetime[VDSO_CLOCK_BOOTTIME], VDSO_CLOCK_BOOTTIME, now);
		anchor(&vc->basetime[VDSO_CLOCK_TAI], VDSO_CLOCK_TAI, now);
		s_cgt64(VDSO_CLOCK_REALTIME_COARSE, &t);
		vc->basetime[VDSO_CLOCK_REALTIME_COARSE].sec = (uint64_t)t.tv_sec;
		vc->basetime[VDSO_CLOCK_REALTIME_COARSE].nsec = (uint64_t)t.tv_nsec;
		s_cgt64(VDSO_CLOCK_MONOTONIC_COARSE, &t);
		vc->basetime[VDSO_CLOCK_MONOTONIC_COARSE].sec = (uint64_t)t.tv_sec;
		vc->basetime[VDSO_CLOCK_MONOTONIC_COARSE].nsec = (uint64_t)t.tv_nsec;
	}
	s_getres(VDSO_CLOCK_MONOTONIC, &r);
	page->hrtimer_res = (uint32_t)r.tv_nsec;
	s_getres(VDSO_CLOCK_REALTIME_COARSE, &r);
	page->coarse_res = (uint32_t)r.tv_nsec;
	sys(NR_gettimeofday, (long)&tv, (long)&tz, 0);
	page->tz_minuteswest = tz.tz_minuteswest;
	page->tz_dsttime = tz.tz_dsttime;
	page->cpu_mode = VDSO_CPUMODE_SYSCALL;
	page->syscall_mode = cur_syscall_mode;
	page->abi_version = VDSO_DATA_ABI_VERSION;
	page->magic = VDSO_DATA_MAGIC;
	WMB();
	*seq0 += 1, *seq1 += 1;
}

static int cur_mode;		/* what refill() re-creates */
static uint64_t cur_max_cycles;
static void refill(void)
{
	if (page->magic == VDSO_DATA_MAGIC)
		fill(cur_mode, cur_max_cycles);
}

#define SIGILL		4
#define SA_SIGINFO	4
#define SA_RESTORER	0x04000000

/* Whether the counter can be read here (see ARCH_PROBE_COUNTER). */
static int counter_readable(void)
{
#ifdef ARCH_PROBE_COUNTER
	struct ksigaction act, old;
	memset(&act, 0, sizeof act);
	act.handler = (void (*)(int))(void *)probe_sigill;
	act.flags = SA_SIGINFO;
	counter_trapped = 0;
	sys6(NR_rt_sigaction, SIGILL, (long)&act, (long)&old, 8, 0, 0);
	(void)read_counter();
	sys6(NR_rt_sigaction, SIGILL, (long)&old, 0, 8, 0, 0);
	return !counter_trapped;
#else
	return 1;
#endif
}

/* Counter against CLOCK_MONOTONIC over ~200 ms: ns = ticks * mult >> shift. */
static void calibrate(void)
{
	struct ts64 a, b;
	uint64_t k0 = read_counter();
	s_cgt64(VDSO_CLOCK_MONOTONIC, &a);
	uint64_t k1 = read_counter();
	uint64_t c0 = k0 + (k1 - k0) / 2, c1;
	do {
		k0 = read_counter();
		s_cgt64(VDSO_CLOCK_MONOTONIC, &b);
		k1 = read_counter();
	} while (ns64(b) - ns64(a) < 200000000LL);
	c1 = k0 + (k1 - k0) / 2;
	uint64_t ticks = c1 - c0, ns = (uint64_t)(ns64(b) - ns64(a));
	shift = 32;
	do
		mult = 0, shift--;
	while (ticks == 0 || (ns << shift) / ticks >= ((uint64_t)1 << 32));
	mult = (uint32_t)((ns << shift) / ticks);
	max_cycles_normal = ((uint64_t)1 << 63) / (mult ? mult : 1);
	sb_s(D, ARCH_COUNTER " runs and is calibrated against CLOCK_MONOTONIC");
	sb_s(W, "no ticks");
	report(ticks > 0 && mult > 0);
	outs("# counter: ");
	outd((int64_t)ticks);
	outs(" ticks in ");
	outd((int64_t)ns);
	outs(" ns (~");
	outd((int64_t)(ticks * 1000 / (ns / 1000000 ? ns / 1000000 : 1)));
	outs(" Hz); mult ");
	outd(mult);
	outs(" shift ");
	outd(shift);
	outc('\n');
}

/* ---- clock checks ---- */

static int ids[24], nids;
static int is_hres(int id) { return id == 0 || id == 1 || id == 4 || id == 7 || id == 11; }
static int is_coarse(int id) { return id == 5 || id == 6; }
static int served(int id) { return is_hres(id) || is_coarse(id); }

static void id_desc(const char *mode, const char *fn, int id, const char *what)
{
	sb_s(D, mode);
	sb_s(D, ": ");
	sb_s(D, fn);
	sb_s(D, "(");
	sb_d(D, id);
	sb_s(D, "): ");
	sb_s(D, what);
}

/*
 * clock_gettime (native or 64-bit time) for one id: same return value as
 * the system call; for served clocks in a counter mode, the ordering above.
 */
static void check_gettime(int id, int wide, const char *mode, int64_t tol, int64_t lag)
{
	struct tsn an = { 0, 0 }, vn = { 0, 0 }, cn = { 0, 0 };
	struct ts64 a = { 0, 0 }, v = { 0, 0 }, c = { 0, 0 };
	long rs, rv;
	if (wide)
		rs = s_cgt64(id, &a), rv = v_cgt64(id, &v);
	else
		rs = s_cgt(id, &an), rv = v_cgt(id, &vn);
	id_desc(mode, wide ? "clock_gettime64" : "clock_gettime", id, "returns what the syscall returns");
	sb_s(W, "syscall ");
	sb_d(W, rs);
	sb_s(W, " vdso ");
	sb_d(W, rv);
	report(rs == rv);
	if (rs || rv || !served(id))
		return;
	int64_t lo = INT64_MAX, hi = INT64_MAX, bad = 0, fa = 0, fv = 0, fc = 0;
	int64_t low = tol + (is_coarse(id) ? lag : 0);
	for (int i = 0; i < ROUNDS; i++) {
		if (i % REFILL_EVERY == 0)
			refill();
		int64_t x, y, z, vnsec;
		if (wide) {
			s_cgt64(id, &a), v_cgt64(id, &v), s_cgt64(id, &c);
			x = ns64(a), y = ns64(v), z = ns64(c), vnsec = v.tv_nsec;
		} else {
			s_cgt(id, &an), v_cgt(id, &vn), s_cgt(id, &cn);
			x = nsn(an), y = nsn(vn), z = nsn(cn), vnsec = vn.tv_nsec;
		}
		if (y - x < lo)
			lo = y - x;
		if (z - y < hi)
			hi = z - y;
		if (y + low < x || y > z + tol || vnsec < 0 || vnsec >= NS)
			if (!bad++)
				fa = x, fv = y, fc = z;
	}
	id_desc(mode, wide ? "clock_gettime64" : "clock_gettime", id, "syscall <= vdso <= syscall");
	sb_s(D, ", min margins ");
	sb_d(D, lo);
	sb_s(D, " / ");
	sb_d(D, hi);
	sb_s(D, " ns");
	sb_d(W, bad);
	sb_s(W, " bad, first ");
	sb_d(W, fa);
	sb_s(W, " ");
	sb_d(W, fv);
	sb_s(W, " ");
	sb_d(W, fc);
	report(!bad);
}

/* Within one fill the vDSO's clock is a pure function of the counter: never backwards. */
static void check_monotonic(int id, int wide, const char *mode)
{
	int64_t prev = 0, back = 0;
	refill();
	for (int i = 0; i < MONO_CALLS; i++) {
		int64_t x;
		if (wide) {
			struct ts64 t;
			v_cgt64(id, &t);
			x = ns64(t);
		} else {
			struct tsn t;
			v_cgt(id, &t);
			x = nsn(t);
		}
		if (x < prev)
			back++;
		prev = x;
	}
	id_desc(mode, wide ? "clock_gettime64" : "clock_gettime", id, "monotonic within one fill");
	sb_s(W, "steps back: ");
	sb_d(W, back);
	report(!back);
}

static void check_getres(const char *mode)
{
	int bad = 0;
	for (int i = 0; i < nids; i++) {
		struct tsn a = { -1, -1 }, v = { -1, -1 };
		long rs = s_getres(ids[i], &a), rv = v_getres(ids[i], &v);
		long rs0 = s_getres(ids[i], NULL), rv0 = v_getres(ids[i], NULL);
		int ok = rs == rv && rs0 == rv0 && a.tv_sec == v.tv_sec && a.tv_nsec == v.tv_nsec;
#if ARCH_TIME64
		struct ts64 a6 = { -1, -1 }, v6 = { -1, -1 };
		if (v_getres64) {
			rs = s_getres64(ids[i], &a6), rv = v_getres64(ids[i], &v6);
			rs0 = s_getres64(ids[i], NULL), rv0 = v_getres64(ids[i], NULL);
			ok = ok && rs == rv && rs0 == rv0 && a6.tv_sec == v6.tv_sec && a6.tv_nsec == v6.tv_nsec;
		}
#endif
		if (!ok && !bad++) {
			sb_s(W, "first clock ");
			sb_d(W, ids[i]);
		}
	}
	sb_s(D, mode);
	sb_s(D, v_getres64 ? ": clock_getres and clock_getres_time64 equal the syscalls for every id, NULL res too"
			   : ": clock_getres equals the syscall for every id, NULL res too");
	report(!bad);
}

static void check_gtod(const char *mode, int64_t tol)
{
	struct tvn a, v, c;
	struct tzn tza = { 1, 1 }, tzv = { 2, 2 };
	long rs = sys(NR_gettimeofday, (long)&a, (long)&tza, 0), rv = v_gtod(&v, &tzv);
	sb_s(D, mode);
	sb_s(D, ": gettimeofday(tv, tz): same result and time zone");
	report(rs == rv && tza.tz_minuteswest == tzv.tz_minuteswest && tza.tz_dsttime == tzv.tz_dsttime);
	tza = (struct tzn){ 1, 1 }, tzv = (struct tzn){ 2, 2 };
	rs = sys(NR_gettimeofday, 0, (long)&tza, 0), rv = v_gtod(NULL, &tzv);
	long rs0 = sys(NR_gettimeofday, 0, 0, 0), rv0 = v_gtod(NULL, NULL);
	sb_s(D, mode);
	sb_s(D, ": gettimeofday(NULL, tz) and (NULL, NULL)");
	report(rs == rv && rs0 == rv0 && tza.tz_minuteswest == tzv.tz_minuteswest && tza.tz_dsttime == tzv.tz_dsttime);
	int bad = 0;
	int64_t t = tol / 1000;
	for (int i = 0; i < ROUNDS; i++) {
		if (i % REFILL_EVERY == 0)
			refill();
		sys(NR_gettimeofday, (long)&a, 0, 0);
		v_gtod(&v, NULL);
		sys(NR_gettimeofday, (long)&c, 0, 0);
		int64_t x = (int64_t)a.tv_sec * 1000000 + a.tv_usec, y = (int64_t)v.tv_sec * 1000000 + v.tv_usec,
			z = (int64_t)c.tv_sec * 1000000 + c.tv_usec;
		if (y + t < x || y > z + t || v.tv_usec < 0 || v.tv_usec >= 1000000)
			if (!bad++) {
				sb_d(W, x), sb_s(W, " "), sb_d(W, y), sb_s(W, " "), sb_d(W, z);
			}
	}
	sb_s(D, mode);
	sb_s(D, ": syscall <= gettimeofday(tv, NULL) <= syscall (us)");
	report(!bad);
}

#ifdef NR_time
static void check_time(const char *mode, int64_t lag)
{
	int bad = 0;
	for (int i = 0; i < ROUNDS; i++) {
		if (i % REFILL_EVERY == 0)
			refill();
		struct ts64 k;
		s_cgt64(VDSO_CLOCK_REALTIME_COARSE, &k);
		long st = -1, y = v_time(&st), z = sys(NR_time, 0, 0, 0);
		int64_t lo = (int64_t)((uint64_t)(ns64(k) - lag) / NS);
		if (y != st || y > z || y < lo)
			if (!bad++) {
				sb_d(W, lo), sb_s(W, " "), sb_d(W, y), sb_s(W, " "), sb_d(W, z);
			}
	}
	sb_s(D, mode);
	sb_s(D, ": time(): coarse - lag <= vdso <= syscall, *tloc == result");
	report(!bad);
}
#endif

static void run_clock_checks(const char *mode, int64_t tol, int64_t lag, int rounds_too)
{
	for (int i = 0; i < nids; i++) {
		check_gettime(ids[i], 0, mode, tol, lag);
		if (ARCH_TIME64)
			check_gettime(ids[i], 1, mode, tol, lag);
	}
	if (rounds_too)
		for (int id = 0; id <= 11; id++)
			if (served(id)) {
				check_monotonic(id, 0, mode);
				if (ARCH_TIME64)
					check_monotonic(id, 1, mode);
			}
	check_getres(mode);
	check_gtod(mode, tol);
#ifdef NR_time
	if (v_time)
		check_time(mode, lag);
#endif
}

/* ---- the other entry points ---- */

static void check_others(void)
{
#ifdef NR_getcpu
	if (v_getcpu) {
		unsigned sc = ~0u, sn = ~0u, vc = ~1u, vn = ~1u;
		long rs = sys(NR_getcpu, (long)&sc, (long)&sn, 0), rv = v_getcpu(&vc, &vn, NULL);
		long r1 = v_getcpu(NULL, NULL, NULL);
		sb_s(D, "getcpu equals the syscall (cpu ");
		sb_d(D, sc);
		sb_s(D, ", node ");
		sb_d(D, sn);
		sb_s(D, "), NULL args too");
		report(rs == rv && sc == vc && sn == vn && r1 == 0);
	}
#endif
#ifdef NR_riscv_flush_icache
	if (v_flush) {
		long a = sys(NR_riscv_flush_icache, 0, 0, 0), b = v_flush(0, 0, 0);
		long c = sys(NR_riscv_flush_icache, (long)base, (long)base + 64, 1), d = v_flush(base, base + 64, 1);
		long e = sys(NR_riscv_flush_icache, 0, 0, 0x80), f = v_flush(0, 0, 0x80);
		sb_s(D, "flush_icache returns what riscv_flush_icache returns (all, local range, bad flags)");
		sb_s(W, "");
		sb_d(W, a), sb_s(W, "/"), sb_d(W, b), sb_s(W, " "), sb_d(W, c), sb_s(W, "/"), sb_d(W, d);
		sb_s(W, " "), sb_d(W, e), sb_s(W, "/"), sb_d(W, f);
		report(a == b && c == d && e == f);
	}
#endif
}

#ifdef ARCH_VSYSCALL_MODES
/*
 * __kernel_vsyscall in every entry mode the kernel side may choose
 * (kernel-vdso/host/ia32_entry.h).  INT $0x80 returns to our own landing pad.
 * For SYSENTER and SYSCALL the running kernel returns to the landing pad of
 * the vDSO *it* mapped into this process (it knows no other), so those modes
 * are only exercised where that pad is Linux's (popl ebp, edx, ecx; ret right
 * after an INT $0x80), which is ours byte for byte, and where this kernel
 * and CPU take the instruction at all: each mode is first probed in a child.
 */
#include "ia32_entry.h"

#define SIGALRM		14
#define SA_RESTART	0x10000000
static long *auxv;
static const char *const mode_names[] = { "int $0x80", "sysenter", "syscall" };

static long vsys(long nr, long a, long b, long c)
{
	struct vsys_regs r = { nr, a, b, c, 0, 0, 0 };
	vsys_call(base + VDSO_SYM___kernel_vsyscall, &r);
	return r.eax;
}

/* The kernel's own vDSO: its __kernel_vsyscall holds Linux's int80 + landing pad. */
static int kernel_pad_is_linux(void)
{
	const unsigned char *k = 0;
	for (long *a = auxv; a && a[0]; a += 2)
		if (a[0] == 33 /* AT_SYSINFO_EHDR */)
			k = (const unsigned char *)a[1];
	struct vdso_elf e;
	if (!k || vdso_elf_open(&e, k, 8192) != 0)
		return 0;
	const unsigned char *f = vdso_elf_sym(&e, "__kernel_vsyscall", "LINUX_2.5");
	for (int i = 0; f && i < 64; i++)
		if (memcmp(f + i, "\xcd\x80\x5d\x5a\x59\xc3", 6) == 0)
			return 1;
	return 0;
}

/* getpid through __kernel_vsyscall in mode m, in a child: 1 if it returned the pid. */
static int probe_mode(uint32_t m)
{
	page->syscall_mode = m;
	flush();
	long pid = sys(NR_fork, 0, 0, 0);
	if (pid == 0) {
		long r = vsys(NR_getpid, 0, 0, 0);
		sys(NR_exit_group, r == sys(NR_getpid, 0, 0, 0) ? 0 : 1, 0, 0);
	}
	int status = -1;
	long w = pid > 0 ? sys6(NR_wait4, pid, (long)&status, 0, 0, 0, 0) : -1;
	page->syscall_mode = VDSO_SYSCALL_INT80;
	return w == pid && status == 0;
}

static volatile long restart_fd = -1;
static void on_alarm_write(int sig)
{
	char c = 'R';
	(void)sig;
	sys(NR_write, restart_fd, (long)&c, 1);
}

static void mode_desc(uint32_t m, const char *what)
{
	sb_s(D, "__kernel_vsyscall via ");
	sb_s(D, mode_names[m]);
	sb_s(D, ": ");
	sb_s(D, what);
}

static void vsyscall_checks(uint32_t m)
{
	void *entry = base + VDSO_SYM___kernel_vsyscall;
	page->syscall_mode = m;

	long pid = sys(NR_getpid, 0, 0, 0), r = vsys(NR_getpid, 0, 0, 0);
	mode_desc(m, "getpid returns the pid");
	sb_d(W, r), sb_s(W, " vs "), sb_d(W, pid);
	report(r == pid);

	/* Three arguments, and three more registers that must come back unchanged (non-blocking: a failed write must not hang the read). */
	int fds[2] = { -1, -1 };
	sys(NR_pipe2, (long)fds, 04000 /* O_NONBLOCK */, 0);
	static const char msg[] = "vsyscall-test";
	struct vsys_regs regs = { NR_write, fds[1], (long)msg, 13, 0x5e5e5e5e, 0x7d7d7d7d, 0x3b3b3b3b };
	struct vsys_regs want = regs;
	want.eax = 13;
	vsys_call(entry, &regs);
	char got[16];
	long n = sys(NR_read, fds[0], (long)got, sizeof got);
	mode_desc(m, "write(pipe, buf, 13): 13, the pipe holds the bytes, EBX ECX EDX ESI EDI EBP preserved");
	sb_s(W, "eax "), sb_d(W, regs.eax), sb_s(W, " read "), sb_d(W, n);
	sb_s(W, " ebx/ecx/edx/esi/edi/ebp ok: ");
	sb_d(W, regs.ebx == want.ebx), sb_d(W, regs.ecx == want.ecx), sb_d(W, regs.edx == want.edx);
	sb_d(W, regs.esi == want.esi), sb_d(W, regs.edi == want.edi), sb_d(W, regs.ebp == want.ebp);
	report(memcmp(&regs, &want, sizeof regs) == 0 && n == 13 && memcmp(got, msg, 13) == 0);

	/* Six arguments: mmap2's page offset travels in EBP (the fast entries: on the stack). */
	static char pages[8192];
	memset(pages, 'A', 4096), memset(pages + 4096, 'B', 4096);
	long fd = sys(NR_memfd_create, (long)"vsys6", 0, 0);
	int wrote = fd >= 0 && sys(NR_write, fd, (long)pages, 8192) == 8192;
	struct vsys_regs six = { NR_mmap, 0, 4096, 1 /* PROT_READ */, 1 /* MAP_SHARED */, fd, 1 /* pgoff */ };
	struct vsys_regs six_want = six;
	vsys_call(entry, &six);
	int mapped = (unsigned long)six.eax < -4096UL;
	mode_desc(m, "mmap2 with six arguments (page offset 1 in EBP) maps the file's second page");
	sb_s(W, "result "), sb_d(W, six.eax);
	six_want.eax = six.eax;
	report(wrote && mapped && *(const char *)six.eax == 'B' && memcmp(&six, &six_want, sizeof six) == 0);
	if (mapped)
		sys(NR_munmap, six.eax, 4096, 0);
	sys(NR_close, fd, 0, 0);

	/* Results and errors are the kernel's. */
	struct tsn a, v = { 0, 0 }, c;
	s_cgt(VDSO_CLOCK_MONOTONIC, &a);
	long rv = vsys(NR_clock_gettime, VDSO_CLOCK_MONOTONIC, (long)&v, 0);
	s_cgt(VDSO_CLOCK_MONOTONIC, &c);
	long e1 = vsys(NR_clock_gettime, -1, (long)&v, 0), s1 = s_cgt(-1, &a);
	long e2 = vsys(NR_write, -1, (long)msg, 1), s2 = sys(NR_write, -1, (long)msg, 1);
	mode_desc(m, "clock_gettime lies between two system calls; EINVAL and EBADF as the kernel returns them");
	sb_d(W, rv), sb_s(W, " "), sb_d(W, e1), sb_s(W, "/"), sb_d(W, s1), sb_s(W, " "), sb_d(W, e2), sb_s(W, "/"), sb_d(W, s2);
	report(rv == 0 && nsn(a) <= nsn(v) && nsn(v) <= nsn(c) && e1 == s1 && s1 == -22 && e2 == s2 && s2 == -9);

	/* A blocking read interrupted by a signal (SA_RESTART): the kernel restarts it at the INT $0x80 before the landing pad. */
	struct ksigaction act;
	memset(&act, 0, sizeof act);
	act.handler = on_alarm_write;
	act.flags = SA_SIGINFO | SA_RESTORER | SA_RESTART;
	act.restorer = (void (*)(void))(void *)(base + VDSO_SYM___kernel_rt_sigreturn);
	sys(NR_close, fds[0], 0, 0), sys(NR_close, fds[1], 0, 0);
	sys(NR_pipe, (long)fds, 0, 0);
	restart_fd = fds[1];
	long sa = sys6(NR_rt_sigaction, SIGALRM, (long)&act, 0, 8, 0, 0);
	long it[4] = { 0, 20000, 0, 20000 };	/* every 20 ms, should a byte get lost */
	long st = sys(NR_setitimer, 0 /* ITIMER_REAL */, (long)it, 0);
	char rc = 0;
	struct vsys_regs rd = { NR_read, fds[0], (long)&rc, 1, 0x11111111, 0x22222222, 0x33333333 };
	struct vsys_regs rd_want = rd;
	rd_want.eax = 1;
	vsys_call(entry, &rd);
	long it_off[4] = { 0, 0, 0, 0 };
	sys(NR_setitimer, 0, (long)it_off, 0);
	act.handler = (void (*)(int))0;	/* SIG_DFL */
	act.flags = 0;
	sys6(NR_rt_sigaction, SIGALRM, (long)&act, 0, 8, 0, 0);
	mode_desc(m, "a blocking read interrupted by a signal is restarted and returns the handler's byte");
	sb_s(W, "sigaction/setitimer "), sb_d(W, sa), sb_s(W, "/"), sb_d(W, st), sb_s(W, " read "), sb_d(W, rd.eax);
	report(sa == 0 && st == 0 && memcmp(&rd, &rd_want, sizeof rd) == 0 && rc == 'R');
	sys(NR_close, fds[0], 0, 0), sys(NR_close, fds[1], 0, 0);
	page->syscall_mode = VDSO_SYSCALL_INT80;
}

static void check_vsyscall(void)
{
	char vendor[13] = { 0 };
	int sep = 0;
	cpu_vendor(vendor, &sep);
	char uts[390];
	memset(uts, 0, sizeof uts);
	sys(NR_uname, (long)uts, 0, 0);
	int k64 = strcmp(uts + 4 * 65, "x86_64") == 0;
	uint32_t chosen = vdso_ia32_syscall_mode(vendor, k64, sep);
	int pad = kernel_pad_is_linux();
	outs("# CPU ");
	outs(vendor);
	outs(sep ? " (SEP)" : " (no SEP)");
	outs(", kernel machine ");
	outs(uts + 4 * 65);
	outs(": the kernel side chooses ");
	outs(mode_names[chosen]);
	outs(pad ? "; the kernel's vDSO has Linux's landing pad\n" : "; no Linux landing pad in the kernel's vDSO\n");

	int chosen_works = 0;
	for (uint32_t m = VDSO_SYSCALL_INT80; m <= VDSO_SYSCALL_SYSCALL; m++) {
		int works = (m == VDSO_SYSCALL_INT80 || pad) && probe_mode(m);
		if (m == chosen)
			chosen_works = works;
		if (m == chosen) {
			/* A native x86-64 kernel must take what it advertises; elsewhere the choice may not hold. */
			mode_desc(m, "the entry the kernel side chooses works here");
			if (!works && !k64) {
				outs("ok ");
				outd(++passed + failed);
				outs(" - # SKIP ");
				outs(sbuf[D]);
				outs(": not taken here (qemu-user, or a 32-bit kernel without SYSENTER)\n");
				sb_reset(D);
			} else {
				report(works);
			}
		}
		if (works) {
			vsyscall_checks(m);
		} else if (m != chosen) {
			outs("ok ");
			outd(++passed + failed);
			outs(" - # SKIP __kernel_vsyscall via ");
			outs(mode_names[m]);
			outs(": this CPU/kernel does not take it (probed in a child)\n");
		}
	}
	/* From now on, the page says what the kernel side chose (if it works). */
	cur_syscall_mode = chosen_works ? chosen : VDSO_SYSCALL_INT80;
	page->syscall_mode = cur_syscall_mode;
	long pid = sys(NR_getpid, 0, 0, 0);
	say("__kernel_vsyscall(getpid) with the chosen mode in a filled page", vsys(NR_getpid, 0, 0, 0) == pid);
}
#endif

/* ---- trampolines ---- */

volatile int sig_count;
void *sig_tramp;
static void on_signal(int sig) { (void)sig; sig_count++; }
#ifdef ARCH_SIGTRAMP_HANDLER
ARCH_SIGTRAMP_HANDLER;
void tramp_handler(int);
#endif

#define SIGUSR1		10

static void signal_through(const char *name, long off, int rt)
{
	struct ksigaction act;
	memset(&act, 0, sizeof act);
	sig_tramp = base + off;
	act.handler = on_signal;
	act.flags = rt ? SA_SIGINFO : 0;
#if ARCH_HAS_SA_RESTORER
	act.flags |= SA_RESTORER;
	act.restorer = (void (*)(void))sig_tramp;
#else
	act.handler = tramp_handler;
#endif
	volatile long canary = 0x5a5a1234;
	int before = sig_count;
	long r = sys6(NR_rt_sigaction, SIGUSR1, (long)&act, 0, 8, 0, 0);
	long k = r ? r : sys(NR_kill, sys(NR_getpid, 0, 0, 0), SIGUSR1, 0);
	sb_s(D, "a signal handler returns through ");
	sb_s(D, name);
	sb_s(D, rt ? " (rt frame)" : " (non-rt frame)");
	sb_s(W, "sigaction/kill ");
	sb_d(W, r), sb_s(W, "/"), sb_d(W, k);
	report(r == 0 && k == 0 && sig_count == before + 1 && canary == 0x5a5a1234);
}

static void check_trampolines(void)
{
	for (int i = 0; i < NTRAMPS; i++) {
		const unsigned char *p = base + tramps[i].off;
		sb_s(D, tramps[i].name);
		sb_s(D, ": the expected instructions");
		if (tramps[i].blen)
			sb_s(D, ", after the expected padding");
		report(memcmp(p, tramps[i].bytes, tramps[i].len) == 0 &&
		       memcmp(p - tramps[i].blen, tramps[i].before, tramps[i].blen) == 0);
	}
	for (int i = 0; i < NEXP; i++)
		if (exports[i].kind == K_RTSIGRET || exports[i].kind == K_SIGRET)
			signal_through(exports[i].name, exports[i].off, exports[i].kind == K_RTSIGRET);
}

/* ---- main ---- */

void harness_start(long *sp);
void harness_start(long *sp)
{
	/* sp: argc, argv[]...; "--probe" only tells run.sh the binary runs here. */
	if (sp[0] > 1 && strcmp((const char *)sp[2], "--probe") == 0)
		finish();
#ifdef ARCH_VSYSCALL_MODES
	{
		long *envp = sp + 2 + sp[0];
		while (*envp)
			envp++;
		auxv = envp + 1;
	}
#endif
	outs("# vdso harness for " ARCH_NAME "\n");
	for (int i = 0; i <= 12; i++)
		ids[nids++] = i;
	static const int extra[] = { 16, -1, INT32_MIN, INT32_MAX, (int)((~0u << 3) | 2) /* CPU clock of pid 0 */ };
	for (unsigned i = 0; i < sizeof extra / sizeof extra[0]; i++)
		ids[nids++] = extra[i];

	map_image();
	resolve();
	check_trampolines();

	/* The page as the harness's counter mode leaves it, then the wide-multiply path. */
	have_counter = counter_readable();
	if (!have_counter) {
		outs("ok ");
		outd(++passed + failed);
		outs(" - # SKIP " ARCH_COUNTER " is not readable here (SIGILL): a kernel sets clock_mode NONE;"
		     " counter-mode checks skipped\n");
		goto none;
	}
	calibrate();
	cur_mode = VDSO_CLOCKMODE_COUNTER;
	cur_max_cycles = max_cycles_normal;
	fill(cur_mode, cur_max_cycles);
	outs("# hrtimer_res ");
	outd(page->hrtimer_res);
	outs(" coarse_res ");
	outd(page->coarse_res);
	outc('\n');
	int64_t lag = page->coarse_res + TOL_NS;
	run_clock_checks("counter", TOL_NS, lag, 1);

	/* max_cycles 0: every read takes vdso_calc_ns_slow's 64x32 multiply. */
	cur_max_cycles = 0;
	fill(cur_mode, cur_max_cycles);
	for (int id = 0; id <= 11; id++)
		if (is_hres(id)) {
			check_gettime(id, 0, "wide multiply", TOL_NS, lag);
			if (ARCH_TIME64)
				check_gettime(id, 1, "wide multiply", TOL_NS, lag);
		}

none:
	/* clock_mode NONE: every call is the system call's, exactly. */
	cur_mode = VDSO_CLOCKMODE_NONE;
	cur_max_cycles = max_cycles_normal;
	fill(cur_mode, cur_max_cycles);
	run_clock_checks("clock_mode NONE", 0, 0, 0);

	/* An unfilled page (no magic): the same. */
	memset(page, 0, sizeof *page);
	run_clock_checks("unfilled page", 0, 0, 0);

	check_others();
#ifdef ARCH_VSYSCALL_MODES
	check_vsyscall();
#endif
	finish();
}
