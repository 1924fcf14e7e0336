// SPDX-License-Identifier: MIT
/*
 * The vDSO's clocks against the kernel's: each reading taken between two
 * system calls must lie between them (the kernel's clock_gettime is the
 * same timekeeper's arithmetic, so there is no slack for the hres
 * clocks); the coarse clocks are the time at the last tick; and across a
 * hundred timer ticks nothing goes backwards.
 */
#include "user.h"

#define NSEC		1000000000LL
#define TICK_NS		(NSEC / 100)	/* the kernel's 100 Hz tick */

static s64 ns(const struct timespec *t)
{
	return t->tv_sec * NSEC + t->tv_nsec;
}

static int normalised(const struct timespec *t)
{
	return t->tv_nsec >= 0 && t->tv_nsec < NSEC;
}

static const struct { int id; const char *name; } hres[] = {
	{ CLOCK_REALTIME, "CLOCK_REALTIME" },
	{ CLOCK_MONOTONIC, "CLOCK_MONOTONIC" },
	{ CLOCK_MONOTONIC_RAW, "CLOCK_MONOTONIC_RAW" },
	{ CLOCK_BOOTTIME, "CLOCK_BOOTTIME" },
	{ CLOCK_TAI, "CLOCK_TAI" },
}, coarse[] = {
	{ CLOCK_REALTIME_COARSE, "CLOCK_REALTIME_COARSE" },
	{ CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE" },
};

static void bracket(int id, const char *name)
{
	struct timespec a, b, c;
	/* Separate declarators are sequenced: the three calls happen in this order. */
	int r0 = sys_clock_gettime(id, &a), r1 = vdso.clock_gettime(id, &b), r2 = sys_clock_gettime(id, &c);

	tap(!r0 && !r1 && !r2 && normalised(&b) && ns(&a) <= ns(&b) && ns(&b) <= ns(&c));
	put_str(name);
	put_str(" from the vDSO lies between two system calls: ");
	put_dec(ns(&b) - ns(&a));
	put_str(" ns after the first, ");
	put_dec(ns(&c) - ns(&b));
	put_str(" ns before the second");
	put_end();
}

/* Spin until coarse clock `id` changes -- a tick has just been published -- or 100 ms pass. */
static void wait_for_tick(int id)
{
	struct timespec a, b, m0, m;

	vdso.clock_gettime(id, &a);
	vdso.clock_gettime(CLOCK_MONOTONIC, &m0);
	do {
		vdso.clock_gettime(id, &b);
		vdso.clock_gettime(CLOCK_MONOTONIC, &m);
	} while (ns(&a) == ns(&b) && ns(&m) - ns(&m0) < 10 * TICK_NS);
}

/*
 * A coarse clock: between two coarse system calls (exact), and at most a
 * tick, plus one of slack for the interrupt's latency, behind its fine
 * clock.  That second part is timing, which a host that stalls QEMU can
 * spoil (TCG's counter is the host's clock, and a stalled tick is late):
 * measured right after a tick, best of ten.
 */
static void coarse_bracket(int id, int fine, const char *name)
{
	struct timespec a, b, c, f;
	int ok = 0;

	for (int tries = 0; tries < 10 && !ok; tries++) {
		wait_for_tick(id);
		/* One statement each: the calls must happen in this order. */
		int r = sys_clock_gettime(id, &a);
		r |= vdso.clock_gettime(id, &b);
		r |= sys_clock_gettime(id, &c);
		r |= vdso.clock_gettime(fine, &f);
		ok = !r && normalised(&b) && ns(&a) <= ns(&b) && ns(&b) <= ns(&c) && ns(&b) <= ns(&f) &&
		     ns(&f) - ns(&b) <= 2 * TICK_NS;
	}
	tap(ok);
	put_str(name);
	put_str(" from the vDSO lies between two system calls, ");
	put_dec(ns(&f) - ns(&b));
	put_str(" ns behind its fine clock (a tick is 10 ms)");
	put_end();
}

static void gettimeofday_checks(void)
{
	struct timespec a, c;
	struct timeval tv;
	struct timezone tz = { -1, -1 };
	int r = sys_clock_gettime(CLOCK_REALTIME, &a);
	r |= vdso.gettimeofday(&tv, &tz);
	r |= sys_clock_gettime(CLOCK_REALTIME, &c);
	s64 us = tv.tv_sec * 1000000 + tv.tv_usec;

	check(!r && tv.tv_usec >= 0 && tv.tv_usec < 1000000 && ns(&a) / 1000 <= us && us <= ns(&c) / 1000,
	      "gettimeofday from the vDSO lies between two CLOCK_REALTIME system calls");
	check(tz.tz_minuteswest == 0 && tz.tz_dsttime == 0, "gettimeofday's timezone is the kernel's (UTC)");
	check(vdso.gettimeofday(0, 0) == 0, "gettimeofday(NULL, NULL) succeeds");
	check(tv.tv_sec > 1577836800, "CLOCK_REALTIME is after 2020 (the kernel set it from the PL031 RTC)");
}

static void getres_checks(void)
{
	int same = 1;

	for (int id = 0; id <= CLOCK_TAI; id++) {
		struct timespec v = { -1, -1 }, k = { -2, -2 };
		int rv = vdso.clock_getres(id, &v), rk = sys_clock_getres(id, &k);

		if (rv != rk || (!rv && (v.tv_sec != k.tv_sec || v.tv_nsec != k.tv_nsec)))
			same = 0;
		if (rv)
			time_syscalls++;	/* an id the page does not serve: the vDSO asked the kernel */
	}
	check(same, "clock_getres from the vDSO equals the system call for clock ids 0-11");

	struct timespec h, c;
	check(!vdso.clock_getres(CLOCK_MONOTONIC, &h) && !vdso.clock_getres(CLOCK_MONOTONIC_COARSE, &c) &&
	      h.tv_sec == 0 && h.tv_nsec == 1 && c.tv_sec == 0 && c.tv_nsec == TICK_NS,
	      "clock_getres: 1 ns for CLOCK_MONOTONIC, a tick (10 ms) for CLOCK_MONOTONIC_COARSE");
	check(vdso.clock_getres(CLOCK_REALTIME, 0) == 0, "clock_getres(CLOCK_REALTIME, NULL) succeeds");
	time_syscalls++;	/* the next call falls back to the kernel */
	check(vdso.clock_getres(1234, &h) == -EINVAL, "clock_getres of an unknown clock is -EINVAL (the kernel's answer)");
}

void clock_checks(u64 vdso_base)
{
	struct timespec t;

	for (unsigned i = 0; i < sizeof hres / sizeof hres[0]; i++)
		bracket(hres[i].id, hres[i].name);
	coarse_bracket(CLOCK_REALTIME_COARSE, CLOCK_REALTIME, coarse[0].name);
	coarse_bracket(CLOCK_MONOTONIC_COARSE, CLOCK_MONOTONIC, coarse[1].name);
	time_syscalls++;	/* an unknown id: the vDSO falls back to the system call */
	check(vdso.clock_gettime(1234, &t) == -EINVAL, "clock_gettime of an unknown clock is -EINVAL (the kernel's answer)");
	gettimeofday_checks();
	getres_checks();
	/* The kernel checks user pointers with the MMU's own EL0 permissions. */
	check(sys_clock_gettime(CLOCK_REALTIME, vdso_base - 4096) == -EFAULT,
	      "clock_gettime cannot write through a pointer into the read-only data page (-EFAULT)");
	check(sys_write(1, 0x40200000, 8) == -EFAULT, "write from a kernel address is -EFAULT");
	u32 cpu = 7, node = 7;
	check(sys_getcpu(&cpu, &node) == 0 && cpu == 0 && node == 0, "getcpu: CPU 0, node 0");
}

/*
 * Where clock `id` stands against CLOCK_MONOTONIC: `id` read between two
 * MONOTONIC reads gives an interval that holds their true offset, however
 * long the host stalled QEMU in between (TCG's counter is the host's time).
 */
struct offset { s64 lo, hi; };

static struct offset offset_from_monotonic(int id)
{
	struct timespec a, t, b;

	vdso.clock_gettime(CLOCK_MONOTONIC, &a);
	vdso.clock_gettime(id, &t);
	vdso.clock_gettime(CLOCK_MONOTONIC, &b);
	return (struct offset){ ns(&t) - ns(&b), ns(&t) - ns(&a) };
}

/* Two intervals that both hold a constant offset overlap (1 us of slack for rounding). */
static int same_offset(struct offset x, struct offset y)
{
	return (x.lo > y.lo ? x.lo : y.lo) <= (x.hi < y.hi ? x.hi : y.hi) + 1000;
}

/*
 * A hundred ticks: read CLOCK_MONOTONIC and CLOCK_MONOTONIC_COARSE from
 * the vDSO until the coarse clock has changed a hundred times -- each
 * change is the timer interrupt's publish -- and check that neither ever
 * went backwards, that the ticks come at about 100 Hz, and that
 * MONOTONIC_RAW and REALTIME kept their offsets from MONOTONIC (no
 * frequency or offset adjustment in this kernel).
 */
void tick_checks(void)
{
	struct timespec c0, c, prev, m, m0, m1;
	long reads = 0, backwards = 0, changes = 0;
	struct offset raw0 = offset_from_monotonic(CLOCK_MONOTONIC_RAW);
	struct offset rt0 = offset_from_monotonic(CLOCK_REALTIME);

	vdso.clock_gettime(CLOCK_MONOTONIC_COARSE, &c0);
	vdso.clock_gettime(CLOCK_MONOTONIC, &m0);
	prev = c0;
	s64 last = ns(&m0);
	while (changes < 100) {
		vdso.clock_gettime(CLOCK_MONOTONIC, &m);
		vdso.clock_gettime(CLOCK_MONOTONIC_COARSE, &c);
		reads++;
		if (ns(&m) < last || ns(&c) < ns(&prev))
			backwards++;
		last = ns(&m);
		if (ns(&c) != ns(&prev))
			changes++;
		prev = c;
		if (ns(&m) - ns(&m0) > 10 * NSEC)
			break;	/* the ticks stopped: give up after 10 s */
	}
	vdso.clock_gettime(CLOCK_MONOTONIC, &m1);
	struct offset raw1 = offset_from_monotonic(CLOCK_MONOTONIC_RAW);
	struct offset rt1 = offset_from_monotonic(CLOCK_REALTIME);

	s64 coarse = ns(&c) - ns(&c0), mono = ns(&m1) - ns(&m0);
	tap(changes == 100);
	put_str("the coarse clock advanced at 100 timer ticks, by ");
	put_dec(coarse / 1000000);
	put_str(" ms");
	put_end();
	tap(backwards == 0);
	put_str("CLOCK_MONOTONIC and CLOCK_MONOTONIC_COARSE never went backwards in ");
	put_dec(reads);
	put_str(" reads across them");
	put_end();
	/*
	 * No faster than 100 Hz: a hundred ticks span at least 900 ms (a late
	 * first tick shortens the span; a 1 kHz tick would give 100 ms).  No
	 * upper bound: a loaded host makes QEMU miss ticks, and the kernel
	 * then re-arms from now.
	 */
	tap(coarse >= 90 * TICK_NS && mono >= 90 * TICK_NS);
	put_str("100 ticks took at least 900 ms: ");
	put_dec(mono / 1000000);
	put_str(" ms of CLOCK_MONOTONIC");
	put_end();
	check(same_offset(raw0, raw1), "CLOCK_MONOTONIC_RAW - CLOCK_MONOTONIC stayed constant across the ticks");
	check(same_offset(rt0, rt1), "CLOCK_REALTIME - CLOCK_MONOTONIC stayed constant across the ticks");
}
