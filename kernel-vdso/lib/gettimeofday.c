// SPDX-License-Identifier: MIT
/*
 * Generic vDSO time functions: clock_gettime, gettimeofday, time and
 * clock_getres, served from the data page where it can, from the system
 * call everywhere else.
 *
 * Not a translation unit of its own: an architecture's entry file includes
 * it after the user ABI types of that architecture (<vdso/time_types.h>
 * gives them for ILP32 and LP64),
 *
 *	vdso_clockid_t			clockid_t
 *	vdso_time_t			time_t of time() and of tv_sec
 *	struct vdso_timespec		{ tv_sec; tv_nsec; }
 *	struct vdso_timeval		{ tv_sec; tv_usec; }
 *	struct vdso_timezone		{ tz_minuteswest; tz_dsttime; }
 *
 * and wraps the __cvdso_*() functions below in its exported symbols.
 *
 * A 32-bit architecture whose time_t is 32 bits also has VDSO_HAS_TIME64
 * and struct vdso_timespec64 { 64-bit tv_sec; tv_nsec; } (the kernel's
 * struct __kernel_timespec), and its <asm/vdso.h> provides
 * clock_gettime64_fallback() and clock_getres_time64_fallback(): it then
 * gets __cvdso_clock_gettime64() and __cvdso_clock_getres_time64() too,
 * the y2038-safe entry points (clock_gettime64, clock_getres_time64).
 * Everything here is static and inlined into those: on a 64-bit target
 * each entry point is a single function that calls nothing.
 *
 * The rule for everything the page does not serve -- CPU-time and alarm
 * clocks, ids that are not clocks, dynamic POSIX clocks, an unfilled page,
 * a page whose clock source is unusable -- is: ask the kernel.  The caller
 * then gets exactly the kernel's result and error (-EINVAL for a bad id,
 * -EFAULT for a bad pointer, ...).
 */
#include <vdso/helpers.h>

/*
 * The clocks the page serves, by the way they are computed, as masks of
 * clock ids; VDSO_IN(mask, id) tests one id with a single bit test.
 */
#define VDSO_BIT(id)		(1U << (id))
#define VDSO_IN(mask, id)	(((mask) >> (id)) & 1)
#define VDSO_HRES	(VDSO_BIT(VDSO_CLOCK_REALTIME) | VDSO_BIT(VDSO_CLOCK_MONOTONIC) | \
			 VDSO_BIT(VDSO_CLOCK_BOOTTIME) | VDSO_BIT(VDSO_CLOCK_TAI))
#define VDSO_COARSE	(VDSO_BIT(VDSO_CLOCK_REALTIME_COARSE) | \
			 VDSO_BIT(VDSO_CLOCK_MONOTONIC_COARSE))
#define VDSO_RAW	VDSO_BIT(VDSO_CLOCK_MONOTONIC_RAW)

/* What the generic code computes; the entry points store it field by field. */
struct vdso_ts {
	vdso_u64 sec;
	vdso_u64 nsec;
};

/*
 * Ids at or above VDSO_BASES have no basetime[] slot; negative ids
 * (CPU-time clocks of other processes and threads, dynamic POSIX clocks)
 * become huge as unsigned.  Checking this first also keeps the shifts
 * by the id below defined.
 */
static __always_inline vdso_bool vdso_clockid_valid(vdso_clockid_t clock)
{
	return (vdso_u32)clock < VDSO_BASES;
}

#ifndef __arch_counter_mode
/* The clock modes this architecture's __arch_get_hw_counter() reads. */
#define __arch_counter_mode(mode)	((mode) == VDSO_CLOCKMODE_COUNTER)
#endif

/*
 * A high-resolution clock: basetime[clk] plus the counter's progress since
 * cycle_last, all read under the clock source's seqlock.
 */
static __always_inline vdso_bool do_hres(const struct vdso_time_data *vd,
					 const struct vdso_clock *vc,
					 vdso_u32 clk, struct vdso_ts *ts)
{
	const struct vdso_timestamp *base = &vc->basetime[clk];
	vdso_u64 cycles, ns, sec;
	vdso_u32 seq;

	do {
		seq = vdso_read_begin(vc);
		/*
		 * Only a counter this image knows how to read: NONE and any
		 * mode a newer kernel might invent go to the system call.
		 */
		if (unlikely(!vdso_page_filled(vd) ||
			     !__arch_counter_mode(vc->clock_mode)))
			return 0;
		cycles = __arch_get_hw_counter(vc->clock_mode, vd);
		ns = vdso_calc_ns(vc, cycles, base->nsec);
		sec = base->sec;
	} while (unlikely(vdso_read_retry(vc, seq)));

	ts->sec = sec + vdso_split_ns(&ns);
	ts->nsec = ns;
	return 1;
}

/*
 * A coarse clock: basetime[clk] as the kernel last stored it (plain
 * nanoseconds, no shift).  Linux serves these even without a usable
 * counter; here clock_mode NONE means "the page is not maintained", so
 * they go to the system call too, and a kernel that cannot keep the page
 * current only has to set the mode.
 */
static __always_inline vdso_bool do_coarse(const struct vdso_time_data *vd,
					   const struct vdso_clock *vc,
					   vdso_u32 clk, struct vdso_ts *ts)
{
	const struct vdso_timestamp *base = &vc->basetime[clk];
	vdso_u64 sec, nsec;
	vdso_u32 seq;

	do {
		seq = vdso_read_begin(vc);
		if (unlikely(!vdso_page_filled(vd) ||
			     vc->clock_mode == VDSO_CLOCKMODE_NONE))
			return 0;
		sec = base->sec;
		nsec = base->nsec;
	} while (unlikely(vdso_read_retry(vc, seq)));

	ts->sec = sec;
	ts->nsec = nsec;
	return 1;
}

static __always_inline vdso_bool vdso_clock_gettime_common(vdso_clockid_t clock,
							   struct vdso_ts *ts)
{
	const struct vdso_time_data *vd = __arch_get_vdso_data();
	const struct vdso_clock *vc;

	if (unlikely(!vdso_clockid_valid(clock)))
		return 0;

	/*
	 * One copy of the hres code serves both clock sources.  No likely()
	 * on the first test: with it clang 21 outlines the coarse clocks into
	 * a ".cold" function and spills more on the hres path.
	 */
	if (VDSO_IN(VDSO_HRES, clock))
		vc = &vd->clock_data[VDSO_CS_HRES_COARSE];
	else if (VDSO_IN(VDSO_COARSE, clock))
		return do_coarse(vd, &vd->clock_data[VDSO_CS_HRES_COARSE], clock, ts);
	else if (VDSO_IN(VDSO_RAW, clock))
		vc = &vd->clock_data[VDSO_CS_RAW];
	else
		return 0;

	return do_hres(vd, vc, clock, ts);
}

static __always_inline int __cvdso_clock_gettime(vdso_clockid_t clock, struct vdso_timespec *ts)
{
	struct vdso_ts t;

	if (unlikely(!vdso_clock_gettime_common(clock, &t)))
		return (int)clock_gettime_fallback(clock, ts);

	ts->tv_sec = t.sec;
	ts->tv_nsec = t.nsec;
	return 0;
}

static __always_inline int __cvdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	const struct vdso_time_data *vd = __arch_get_vdso_data();

	if (likely(tv)) {
		struct vdso_ts t;

		if (unlikely(!do_hres(vd, &vd->clock_data[VDSO_CS_HRES_COARSE],
				      VDSO_CLOCK_REALTIME, &t)))
			return (int)gettimeofday_fallback(tv, tz);

		tv->tv_sec = t.sec;
		/* nsec < NSEC_PER_SEC: a 32-bit division by a constant, i.e. a multiply. */
		tv->tv_usec = (vdso_u32)t.nsec / NSEC_PER_USEC;
	} else if (unlikely(!vdso_page_filled(vd) ||
			    READ_ONCE(vd->clock_data[VDSO_CS_HRES_COARSE].clock_mode) ==
			    VDSO_CLOCKMODE_NONE)) {
		return (int)gettimeofday_fallback(tv, tz);
	}

	/*
	 * The time zone changes only through settimeofday() and is not
	 * covered by the seqlock (nor is it in Linux); each field is read
	 * once.
	 */
	if (unlikely(tz)) {
		tz->tz_minuteswest = READ_ONCE(vd->tz_minuteswest);
		tz->tz_dsttime = READ_ONCE(vd->tz_dsttime);
	}
	return 0;
}

/*
 * time(): the kernel's time() returns the coarse realtime seconds, so one
 * load of that field, no seqlock: an aligned 64-bit load cannot tear on a
 * 64-bit target (a 32-bit time_t keeps only the low word, itself a single
 * load), and the seconds are consistent by themselves.
 */
static __always_inline vdso_time_t __cvdso_time(vdso_time_t *tloc)
{
	const struct vdso_time_data *vd = __arch_get_vdso_data();
	const struct vdso_clock *vc = &vd->clock_data[VDSO_CS_HRES_COARSE];
	vdso_time_t t;

	if (unlikely(!vdso_page_filled(vd) ||
		     READ_ONCE(vc->clock_mode) == VDSO_CLOCKMODE_NONE))
		return time_fallback(tloc);

	t = (vdso_time_t)READ_ONCE(vc->basetime[VDSO_CLOCK_REALTIME_COARSE].sec);
	if (tloc)
		*tloc = t;
	return t;
}

/*
 * clock_getres(): the hres and raw clocks tick at hrtimer_res, the coarse
 * ones at coarse_res (one tick).  These change only with the clock source,
 * are not covered by the seqlock (nor in Linux), and each is one aligned
 * load.  Returns 0 when the page does not serve the id: the caller asks the
 * kernel.
 */
static __always_inline vdso_bool vdso_clock_getres_common(vdso_clockid_t clock, vdso_u32 *ns)
{
	const struct vdso_time_data *vd = __arch_get_vdso_data();
	const struct vdso_clock *vc;
	vdso_u32 msk;

	if (unlikely(!vdso_clockid_valid(clock)))
		return 0;

	msk = VDSO_BIT(clock);
	if (msk & (VDSO_HRES | VDSO_COARSE))
		vc = &vd->clock_data[VDSO_CS_HRES_COARSE];
	else if (msk & VDSO_RAW)
		vc = &vd->clock_data[VDSO_CS_RAW];
	else
		return 0;

	if (unlikely(!vdso_page_filled(vd) ||
		     READ_ONCE(vc->clock_mode) == VDSO_CLOCKMODE_NONE))
		return 0;

	if (msk & VDSO_COARSE)
		*ns = READ_ONCE(vd->coarse_res);
	else
		*ns = READ_ONCE(vd->hrtimer_res);
	return 1;
}

static __always_inline int __cvdso_clock_getres(vdso_clockid_t clock, struct vdso_timespec *res)
{
	vdso_u32 ns;

	if (unlikely(!vdso_clock_getres_common(clock, &ns)))
		return (int)clock_getres_fallback(clock, res);

	if (likely(res)) {
		res->tv_sec = 0;
		res->tv_nsec = ns;
	}
	return 0;
}

#ifdef VDSO_HAS_TIME64
/*
 * The 64-bit-time entry points of a 32-bit architecture: the same clocks,
 * stored into the kernel's struct __kernel_timespec (64-bit tv_sec), with
 * the *_time64 system calls as the fallback.  The 32-bit ones above store
 * the seconds into a 32-bit time_t, truncated past 2038 as Linux's do.
 */
static __always_inline int __cvdso_clock_gettime64(vdso_clockid_t clock, struct vdso_timespec64 *ts)
{
	struct vdso_ts t;

	if (unlikely(!vdso_clock_gettime_common(clock, &t)))
		return (int)clock_gettime64_fallback(clock, ts);

	ts->tv_sec = t.sec;
	ts->tv_nsec = t.nsec;
	return 0;
}

static __always_inline int __cvdso_clock_getres_time64(vdso_clockid_t clock, struct vdso_timespec64 *res)
{
	vdso_u32 ns;

	if (unlikely(!vdso_clock_getres_common(clock, &ns)))
		return (int)clock_getres_time64_fallback(clock, res);

	if (likely(res)) {
		res->tv_sec = 0;
		res->tv_nsec = ns;
	}
	return 0;
}
#endif /* VDSO_HAS_TIME64 */
