// SPDX-License-Identifier: MIT
/*
 * Seqlock under fire (issue 7): the emitted vDSO image mapped like Tests/e2e/harness.c does
 * (data page below the image, read-only to the image, writable to the timekeeper), a writer
 * updating the data page far faster than 1 kHz, and one reader thread pinned to every CPU calling
 * every routine until N calls have been made in total. Checks:
 *
 *   torn      every value well formed (0 <= nsec < 1e9, 0 <= usec < 1e6) and inside a sane window
 *             of the kernel's own clock read just before and just after the call (brackets taken
 *             every BRACKET_EVERY calls by raw system calls; coarse clocks may lag by a tick plus
 *             a writer period); getcpu returns the CPU the reader is pinned to; clock_getres
 *             returns what the system call returns.
 *   per-thread monotonic: no clock ever reads lower than the same thread's previous reading.
 *   cross-thread monotonic: for each clock a global high-water mark. A reader loads the mark,
 *             then calls the vDSO, then publishes its reading (atomic max). The mark it loaded was
 *             published by a call that had *completed* before this call began, so the kernel's
 *             guarantee (and ours) is reading >= mark.
 *   stuck     a watchdog: a reader whose call count stops moving for WATCHDOG_S seconds (a
 *             seqlock retry loop that never ends) fails the run.
 *
 * Usage: stress [--short] [--calls N] [--writer-us U]   (default 10^8 calls; --short 10^6)
 * Output: "ok N - ..." / "not ok N - ...", "# ..." notes, and "N passed, M failed".
 * The mapping code is copied (minimal) from Tests/e2e/harness.c, which stays untouched.
 */
#define _GNU_SOURCE
#include "vdso-image.h"
#include "elf_lookup.h"
#include "timekeeper.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include "../common/tap.h"
#include "../common/map_image.h"

#define NS 1000000000LL
#define BRACKET_EVERY 64	/* one call in this many is bracketed by system calls */
#define SANE_WINDOW_NS 1000000LL	/* hres clocks: within 1 ms of the kernel's bracket */
#define WATCHDOG_S 10
#define CHUNK 1024		/* calls a reader claims at a time */


static void on_crash(int sig)
{
	printf("not ok %d - killed by signal %d\n", passed + failed + 1, sig);
	printf("%d passed, %d failed\n", passed, failed + 1);
	fflush(stdout);
	_exit(1);
}

typedef int (*cgt_fn)(clockid_t, struct timespec *);
typedef int (*gtod_fn)(struct timeval *, struct timezone *);
typedef long (*time_fn)(long *);
typedef long (*getcpu_fn)(unsigned *, unsigned *, void *);
static cgt_fn v_cgt, v_getres;
static gtod_fn v_gtod;
static time_fn v_time;
static getcpu_fn v_getcpu;

static int64_t tsns(struct timespec t) { return (int64_t)t.tv_sec * NS + t.tv_nsec; }
static int64_t sys_ns(clockid_t id)
{
	struct timespec t;
	syscall(SYS_clock_gettime, id, &t);
	return tsns(t);
}

/* ---- mapping (Tests/common/map_image.h) ---- */

static unsigned char *base;
static struct vdso_time_data *wpage;

static int map_image(void)
{
	return map_vdso_image(&base, &wpage);
}

static int resolve(void)
{
	struct vdso_elf e;
	if (vdso_elf_open(&e, base, VDSO_IMAGE_FILE_SIZE) != 0)
		return 0;
	v_cgt = (cgt_fn)(void *)vdso_elf_sym(&e, "__vdso_clock_gettime", "LINUX_2.6");
	v_gtod = (gtod_fn)(void *)vdso_elf_sym(&e, "__vdso_gettimeofday", "LINUX_2.6");
	v_time = (time_fn)(void *)vdso_elf_sym(&e, "__vdso_time", "LINUX_2.6");
	v_getres = (cgt_fn)(void *)vdso_elf_sym(&e, "__vdso_clock_getres", "LINUX_2.6");
	v_getcpu = (getcpu_fn)(void *)vdso_elf_sym(&e, "__vdso_getcpu", "LINUX_2.6");
	return v_cgt && v_gtod && v_time && v_getres && v_getcpu;
}

/* ---- what is called ---- */

/* Served clocks, then the other routines. Marks: one per clock, then gettimeofday (us) and time (s). */
static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
				    CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, CLOCK_TAI };
#define NCLOCKS 7
enum { R_GTOD = NCLOCKS, R_TIME, R_GETCPU, R_GETRES, NROUTINES };
static const char *rname(int r)
{
	static const char *n[] = { "REALTIME", "MONOTONIC", "MONOTONIC_RAW", "REALTIME_COARSE", "MONOTONIC_COARSE",
				   "BOOTTIME", "TAI", "gettimeofday", "time", "getcpu", "clock_getres" };
	return n[r];
}
static int is_coarse(clockid_t id) { return id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE; }

static _Atomic int64_t mark[NROUTINES];	/* cross-thread high-water marks */
static _Atomic long long budget;		/* calls left to hand out */
static _Atomic int stop;
static int64_t coarse_res_ns;
static _Atomic int64_t last_update_begin;	/* MONOTONIC when the last completed update began */

/*
 * How far a coarse reading may trail the kernel's: the page holds the kernel's coarse time as of
 * an update that completed before the call (it began at `begin`, loaded before the call), so a
 * tick (coarse_res) plus the time from `begin` to after the bracket, plus 1 ms of slack. A writer
 * starved by the scheduler makes this grow; a torn value is off by far more.
 */
static int64_t coarse_lag(int64_t begin)
{
	return coarse_res_ns + (sys_ns(CLOCK_MONOTONIC) - begin) + 1000000;
}
static struct timespec getres_ref[NCLOCKS];

struct failure { long long count; char first[200]; };
struct reader {
	pthread_t th;
	int cpu;
	_Atomic long long calls;	/* progress, for the watchdog */
	long long per[NROUTINES];
	struct failure torn, mono, cross, cpu_bad, res_bad;
	int64_t prev[NROUTINES];
	int64_t max_below_kernel, max_above_kernel;	/* hres deviation seen in brackets, ns */
};

static void fail(struct failure *f, const char *fmt, ...)
{
	if (f->count++ == 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(f->first, sizeof f->first, fmt, ap);
		va_end(ap);
	}
}

static void publish(int r, int64_t v)
{
	int64_t m = atomic_load_explicit(&mark[r], memory_order_relaxed);
	while (v > m && !atomic_compare_exchange_weak_explicit(&mark[r], &m, v, memory_order_release, memory_order_relaxed))
		;
}

/* One call of routine r, checked. */
static void one(struct reader *rd, int r, int bracket)
{
	int64_t before = atomic_load_explicit(&mark[r], memory_order_acquire);
	int64_t v = 0;
	if (r < NCLOCKS) {
		clockid_t id = clocks[r];
		struct timespec t = { -1, -1 };
		int64_t begin = atomic_load(&last_update_begin);
		int64_t k1 = bracket ? sys_ns(id) : 0;
		int rc = v_cgt(id, &t);
		int64_t k2 = bracket ? sys_ns(id) : 0;
		int64_t lag = bracket && is_coarse(id) ? coarse_lag(begin) : 0;
		v = tsns(t);
		if (rc != 0 || t.tv_nsec < 0 || t.tv_nsec >= NS || t.tv_sec < 0)
			fail(&rd->torn, "%s: rc %d, %lld.%09ld", rname(r), rc, (long long)t.tv_sec, t.tv_nsec);
		if (bracket) {
			int64_t lo = k1 - (is_coarse(id) ? lag : SANE_WINDOW_NS), hi = k2 + (is_coarse(id) ? 0 : SANE_WINDOW_NS);
			if (v < lo || v > hi)
				fail(&rd->torn, "%s: %lld outside the kernel's [%lld, %lld] (allowed lag %lld)", rname(r), (long long)v,
				     (long long)k1, (long long)k2, (long long)(is_coarse(id) ? lag : SANE_WINDOW_NS));
			if (!is_coarse(id)) {
				if (k1 - v > rd->max_below_kernel)
					rd->max_below_kernel = k1 - v;
				if (v - k2 > rd->max_above_kernel)
					rd->max_above_kernel = v - k2;
			}
		}
	} else if (r == R_GTOD) {
		struct timeval tv = { -1, -1 };
		int64_t k1 = bracket ? sys_ns(CLOCK_REALTIME) / 1000 : 0;
		int rc = v_gtod(&tv, NULL);
		int64_t k2 = bracket ? sys_ns(CLOCK_REALTIME) / 1000 : 0;
		v = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
		if (rc != 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			fail(&rd->torn, "gettimeofday: rc %d, %lld.%06ld", rc, (long long)tv.tv_sec, (long)tv.tv_usec);
		if (bracket && (v < k1 - SANE_WINDOW_NS / 1000 || v > k2 + SANE_WINDOW_NS / 1000))
			fail(&rd->torn, "gettimeofday: %lld us outside [%lld, %lld]", (long long)v, (long long)k1, (long long)k2);
	} else if (r == R_TIME) {
		int64_t begin = atomic_load(&last_update_begin);
		int64_t k1 = bracket ? sys_ns(CLOCK_REALTIME_COARSE) : 0;
		long tl = -1;
		v = v_time(&tl);
		long k2 = bracket ? syscall(SYS_time, NULL) : 0;
		int64_t lag = bracket ? coarse_lag(begin) : 0;
		if (v != tl || v < 0)
			fail(&rd->torn, "time: returned %lld, *tloc %ld", (long long)v, tl);
		if (bracket && (v < (k1 - lag) / NS || v > k2))
			fail(&rd->torn, "time: %lld outside [%lld, %ld]", (long long)v, (long long)((k1 - lag) / NS), k2);
	} else if (r == R_GETCPU) {
		unsigned cpu = ~0u, node = ~0u;
		long rc = v_getcpu(&cpu, &node, NULL);
		if (rc != 0 || cpu != (unsigned)rd->cpu)
			fail(&rd->cpu_bad, "reader pinned to CPU %d: getcpu rc %ld cpu %u node %u", rd->cpu, rc, cpu, node);
		rd->per[r]++;
		return;
	} else {
		int k = (int)(rd->per[r] % NCLOCKS);
		struct timespec t = { -1, -1 };
		int rc = v_getres(clocks[k], &t);
		if (rc != 0 || t.tv_sec != getres_ref[k].tv_sec || t.tv_nsec != getres_ref[k].tv_nsec)
			fail(&rd->res_bad, "clock_getres(%s): rc %d %lld.%09ld", rname(k), rc, (long long)t.tv_sec, t.tv_nsec);
		rd->per[r]++;
		return;
	}
	rd->per[r]++;
	if (v < rd->prev[r])
		fail(&rd->mono, "%s went back by %lld (from %lld to %lld)", rname(r), (long long)(rd->prev[r] - v),
		     (long long)rd->prev[r], (long long)v);
	rd->prev[r] = v;
	if (v < before)
		fail(&rd->cross, "%s read %lld, below %lld published by another reader before this call began (by %lld)",
		     rname(r), (long long)v, (long long)before, (long long)(before - v));
	publish(r, v);
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	cpu_set_t one_cpu;
	CPU_ZERO(&one_cpu);
	CPU_SET(rd->cpu, &one_cpu);
	pthread_setaffinity_np(pthread_self(), sizeof one_cpu, &one_cpu);
	unsigned long long i = (unsigned)rd->cpu * 7919u;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		long long left = atomic_fetch_sub(&budget, CHUNK);
		if (left <= 0)
			break;
		long long n = left < CHUNK ? left : CHUNK;
		for (long long k = 0; k < n; k++, i++) {
			one(rd, (int)(i % NROUTINES), i % BRACKET_EVERY == 0);
			atomic_store_explicit(&rd->calls, atomic_load_explicit(&rd->calls, memory_order_relaxed) + 1,
					      memory_order_relaxed);
		}
	}
	return NULL;
}

/* ---- the writer ---- */

static unsigned writer_us = 100;
static _Atomic long long writes;
static _Atomic int writer_stop;
static int64_t writer_max_gap;

static void *writer_main(void *arg)
{
	(void)arg;
	int64_t last = sys_ns(CLOCK_MONOTONIC);
	while (!atomic_load(&writer_stop)) {
		int64_t begin = sys_ns(CLOCK_MONOTONIC);
		vdso_tk_update(wpage);
		atomic_store(&last_update_begin, begin);
		atomic_fetch_add(&writes, 1);
		int64_t now = sys_ns(CLOCK_MONOTONIC);
		if (now - last > writer_max_gap)
			writer_max_gap = now - last;
		last = now;
		if (writer_us) {
			struct timespec d = { 0, (long)writer_us * 1000 };
			clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long long total = 100000000LL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--short"))
			total = 1000000;
		else if (!strcmp(argv[i], "--calls") && i + 1 < argc)
			total = atoll(argv[++i]);
		else if (!strcmp(argv[i], "--writer-us") && i + 1 < argc)
			writer_us = (unsigned)atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: %s [--short] [--calls N] [--writer-us U]\n", argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGSEGV, on_crash), signal(SIGBUS, on_crash), signal(SIGILL, on_crash), signal(SIGFPE, on_crash);

	int mapped = map_image();
	report(mapped, "map data page (R) and image (R+X)", "%s", strerror(errno));
	if (!mapped || !resolve()) {
		report(0, "entry points resolved", "missing");
		printf("%d passed, %d failed\n", passed, failed);
		return 1;
	}
	struct vdso_tk_options o = { .clock_mode = VDSO_TK_AUTO, .cpu_mode = VDSO_TK_AUTO };
	int rc = vdso_tk_init(wpage, &o);
	report(rc == 0, "timekeeper fills the page", "rc %d", rc);
	if (rc)
		return 1;
	printf("# clock_mode %d cpu_mode %d hrtimer_res %u coarse_res %u\n", wpage->clock_data[0].clock_mode,
	       wpage->cpu_mode, wpage->hrtimer_res, wpage->coarse_res);
	coarse_res_ns = wpage->coarse_res;
	atomic_store(&last_update_begin, sys_ns(CLOCK_MONOTONIC));
	for (int k = 0; k < NCLOCKS; k++)
		syscall(SYS_clock_getres, clocks[k], &getres_ref[k]);
	for (int r = 0; r < NROUTINES; r++)
		atomic_store(&mark[r], INT64_MIN);

	pthread_t wth;
	pthread_create(&wth, NULL, writer_main, NULL);
	usleep(200000); /* let the steering settle */

	cpu_set_t all;
	sched_getaffinity(0, sizeof all, &all);
	int ncpu = CPU_COUNT(&all);
	struct reader *rds = calloc((size_t)ncpu, sizeof *rds);
	atomic_store(&budget, total);
	long long writes0 = atomic_load(&writes);
	int64_t t0 = sys_ns(CLOCK_MONOTONIC);
	int n = 0;
	for (int cpu = 0; cpu < CPU_SETSIZE && n < ncpu; cpu++) {
		if (!CPU_ISSET(cpu, &all))
			continue;
		rds[n].cpu = cpu;
		for (int r = 0; r < NROUTINES; r++)
			rds[n].prev[r] = INT64_MIN;
		pthread_create(&rds[n].th, NULL, reader_main, &rds[n]);
		n++;
	}

	/* Watchdog: every reader must make progress until the budget is spent. */
	long long *seen = calloc((size_t)n, sizeof *seen);
	int *still = calloc((size_t)n, sizeof *still);
	int stuck = -1;
	for (;;) {
		usleep(10000);
		long long done = 0;
		int active = 0;
		for (int k = 0; k < n; k++) {
			long long c = atomic_load(&rds[k].calls);
			done += c;
			if (c == seen[k] && atomic_load(&budget) > 0) {
				if (++still[k] >= WATCHDOG_S * 100)
					stuck = k;
			} else {
				still[k] = 0;
			}
			seen[k] = c;
			active += c < total;
		}
		if (stuck >= 0 || done >= total || atomic_load(&budget) <= 0)
			break;
		(void)active;
	}
	if (stuck >= 0) {
		report(0, "no reader stuck", "reader on CPU %d made no call for %d s (seqlock retry loop?)", rds[stuck].cpu, WATCHDOG_S);
		printf("%d passed, %d failed\n", passed, failed);
		fflush(stdout);
		_exit(1);
	}
	for (int k = 0; k < n; k++)
		pthread_join(rds[k].th, NULL);
	int64_t t1 = sys_ns(CLOCK_MONOTONIC);
	long long writes1 = atomic_load(&writes);
	atomic_store(&writer_stop, 1);
	pthread_join(wth, NULL);

	struct failure torn = { 0, "" }, mono = { 0, "" }, cross = { 0, "" }, cpub = { 0, "" }, resb = { 0, "" };
	long long calls = 0, per[NROUTINES] = { 0 };
	int64_t below = 0, above = 0;
	struct { struct failure *sum; size_t off; } agg[] = {
		{ &torn, offsetof(struct reader, torn) }, { &mono, offsetof(struct reader, mono) },
		{ &cross, offsetof(struct reader, cross) }, { &cpub, offsetof(struct reader, cpu_bad) },
		{ &resb, offsetof(struct reader, res_bad) },
	};
	for (int k = 0; k < n; k++) {
		calls += atomic_load(&rds[k].calls);
		for (int r = 0; r < NROUTINES; r++)
			per[r] += rds[k].per[r];
		for (unsigned a = 0; a < sizeof agg / sizeof agg[0]; a++) {
			struct failure *f = (struct failure *)((char *)&rds[k] + agg[a].off);
			if (f->count && !agg[a].sum->count)
				memcpy(agg[a].sum->first, f->first, sizeof f->first);
			agg[a].sum->count += f->count;
		}
		if (rds[k].max_below_kernel > below)
			below = rds[k].max_below_kernel;
		if (rds[k].max_above_kernel > above)
			above = rds[k].max_above_kernel;
	}
	double secs = (t1 - t0) / 1e9, hz = (writes1 - writes0) / secs;
	char d[200];
	snprintf(d, sizeof d, "%lld calls by %d readers (one per CPU) in %.2f s (%.0f calls/s)", calls, n, secs, calls / secs);
	report(calls >= total, d, "only %lld of %lld", calls, total);
	snprintf(d, sizeof d, "writer: %lld updates at %.0f Hz (>= 1 kHz), longest gap %.2f ms", writes1 - writes0, hz,
		 writer_max_gap / 1e6);
	report(hz >= 1000, d, "too slow");
	report(!torn.count, "no torn or out-of-window value (nsec < 1e9, usec < 1e6, within the kernel's bracket)",
	       "%lld bad, first: %s", torn.count, torn.first);
	report(!mono.count, "every clock monotonic per thread", "%lld steps back, first: %s", mono.count, mono.first);
	report(!cross.count, "every clock monotonic across threads (reading >= mark published before the call)",
	       "%lld violations, first: %s", cross.count, cross.first);
	report(!cpub.count, "getcpu returns the CPU the reader is pinned to", "%lld bad, first: %s", cpub.count, cpub.first);
	report(!resb.count, "clock_getres equals the system call", "%lld bad, first: %s", resb.count, resb.first);
	report(1, "no reader stuck (watchdog)", "");
	printf("# calls per routine:");
	for (int r = 0; r < NROUTINES; r++)
		printf(" %s %lld", rname(r), per[r]);
	printf("\n# hres deviation from the kernel's bracket: up to %lld ns below, %lld ns above\n", (long long)below,
	       (long long)above);
	printf("%d passed, %d failed\n", passed, failed);
	vdso_tk_fini(wpage);
	return failed ? 1 : 0;
}
