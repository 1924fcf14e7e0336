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

/* A coarse clock: between two coarse system calls, and at most a tick (plus one of slack) behind its fine clock. */
static void coarse_bracket(int id, int fine, const char *name)
{
	struct timespec a, b, c, f;
	/* One statement each: the calls must happen in this order. */
	int r = sys_clock_gettime(id, &a);
	r |= vdso.clock_gettime(id, &b);
	r |= sys_clock_gettime(id, &c);
	r |= vdso.clock_gettime(fine, &f);

	tap(!r && normalised(&b) && ns(&a) <= ns(&b) && ns(&b) <= ns(&c) && ns(&b) <= ns(&f) &&
	    ns(&f) - ns(&b) <= 2 * TICK_NS);
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
 * A hundred ticks: read CLOCK_MONOTONIC and CLOCK_MONOTONIC_COARSE from
 * the vDSO until the coarse clock has changed a hundred times -- each
 * change is the timer interrupt's publish -- and check that neither ever
 * went backwards, that a hundred ticks took about a second, and that
 * MONOTONIC_RAW and REALTIME kept pace with MONOTONIC (no frequency or
 * offset adjustment in this kernel).
 */
void tick_checks(void)
{
	struct timespec c0, c, prev, m, m0, m1, raw0, raw1, rt0, rt1;
	long reads = 0, backwards = 0, changes = 0;

	vdso.clock_gettime(CLOCK_MONOTONIC_COARSE, &c0);
	vdso.clock_gettime(CLOCK_MONOTONIC, &m0);
	vdso.clock_gettime(CLOCK_MONOTONIC_RAW, &raw0);
	vdso.clock_gettime(CLOCK_REALTIME, &rt0);
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
	vdso.clock_gettime(CLOCK_MONOTONIC_RAW, &raw1);
	vdso.clock_gettime(CLOCK_REALTIME, &rt1);

	s64 coarse = ns(&c) - ns(&c0), mono = ns(&m1) - ns(&m0), raw = ns(&raw1) - ns(&raw0);
	s64 drift = (ns(&rt1) - ns(&m1)) - (ns(&rt0) - ns(&m0));
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
	/* c0 <= m0 and c <= m1, and c0 is at most a tick (and the interrupt's latency) behind m0. */
	check(coarse >= 99 * TICK_NS && mono >= 99 * TICK_NS && coarse <= mono + 2 * TICK_NS,
	      "100 ticks took about a second of CLOCK_MONOTONIC (at least 990 ms)");
	check(raw - mono < 1000000 && mono - raw < 1000000, "CLOCK_MONOTONIC_RAW kept pace with CLOCK_MONOTONIC (within 1 ms)");
	check(drift < 1000000 && drift > -1000000, "CLOCK_REALTIME - CLOCK_MONOTONIC stayed constant (within 1 ms)");
}
