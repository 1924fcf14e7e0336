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

#include "freestanding.h"

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
/*
 * What a coarse clock reads from the page: the value fill() stored, to the
 * nanosecond.  A coarse clock served from the page must return exactly this
 * (a kernel refreshes it every tick; this harness only at each refill, so
 * under load it may be several ticks old).
 */
static int64_t page_coarse_ns(int id)
{
	const struct vdso_timestamp *b = &page->clock_data[VDSO_CS_HRES_COARSE].basetime[id];
	return (int64_t)b->sec * NS + (int64_t)b->nsec;
}

static void refill(void)
{
	if (page->magic == VDSO_DATA_MAGIC)
		fill(cur_mode, cur_max_cycles);
}

#define SIGILL		4
#define SA_SIGINFO	4
#define SA_RESTORER	0x04000000

/* Whether the counter can be read here (see ARCH_PROBE_COUNTER), perhaps emulated. */
static int counter_emulated;
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
#ifdef ARCH_EMULATE_COUNTER
	if (counter_trapped) {
		/* Trap and emulate every read from now on, as a kernel would (see arch header). */
		act.handler = (void (*)(int))(void *)emulate_counter;
		sys6(NR_rt_sigaction, SIGILL, (long)&act, 0, 8, 0, 0);
		counter_emulated = 1;
		return 1;
	}
#endif
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

#include "clock_checks.h"

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

#include "vsyscall_checks.h"

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
	if (counter_emulated)
		outs("# " ARCH_COUNTER " traps here: every read, the vDSO's too, is emulated by the harness's"
		     " SIGILL handler, as a kernel emulates a trapped counter read\n");
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
