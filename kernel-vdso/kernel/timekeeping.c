// SPDX-License-Identifier: MIT
/*
 * A kernel's timekeeper for the vDSO data page (timekeeping.h).
 *
 * The clock is Linux's timekeeping core without NTP: at each tick the cycles
 * since cycle_last are converted with mult and shift and added to a base kept
 * as (seconds, nanoseconds << shift).  Keeping the shifted remainder, rather
 * than whole nanoseconds, is what makes the conversion exact over any number
 * of ticks: no tick rounds, so the clock the kernel reads and the clock the
 * vDSO computes from the published base are the same function of the counter.
 */
#include "timekeeping.h"
#include "vdso/writer.h"

#define NSEC		1000000000ULL
#define EINVAL		22
/* Seconds of cycles that delta * mult must hold: ten ticks of even a 1 Hz timer. */
#define MAXSEC		10

void vdso_kt_calc_mult_shift(vdso_u32 *mult, vdso_u32 *shift, vdso_u64 from, vdso_u64 to,
			     vdso_u32 maxsec)
{
	/* The product bits that maxsec seconds of cycles take: mult may use the rest. */
	vdso_u64 tmp = ((vdso_u64)maxsec * from) >> 32;
	vdso_u32 sft, sftacc = 32;

	for (; tmp; tmp >>= 1)
		sftacc--;
	/* The largest shift whose mult still fits in sftacc bits: the most precision. */
	for (sft = 32; sft > 0; sft--) {
		tmp = ((to << sft) + from / 2) / from;
		if ((tmp >> sftacc) == 0)
			break;
	}
	*mult = (vdso_u32)tmp;
	*shift = sft;
}

/*
 * (a * mul + b) >> shift without a 128-bit type, exact: the same product the
 * vDSO takes when the counter moved more than max_cycles (vdso/helpers.h).
 */
static vdso_u64 mul_add_shr(vdso_u64 a, vdso_u32 mul, vdso_u64 b, vdso_u32 shift)
{
	vdso_u64 p0 = (vdso_u64)(vdso_u32)a * mul, p1 = (a >> 32) * mul, lo, hi;
	vdso_u32 c0 = __builtin_add_overflow(p0, p1 << 32, &lo);
	vdso_u32 c1 = __builtin_add_overflow(lo, b, &lo);

	hi = (p1 >> 32) + c0 + c1;
	return shift ? (lo >> shift) | (hi << (64 - shift)) : lo;
}

/* Add a shifted nanosecond count below 2^64 to t, keeping t->nsec < NSEC << shift. */
static void add_shifted(struct vdso_kt_time *t, vdso_u64 nsec, vdso_u32 shift)
{
	vdso_u64 unit = NSEC << shift;

	/* t->nsec < unit, and unit * 2 < 2^64 for any shift mult_shift picks. */
	while (nsec >= unit) {
		nsec -= unit;
		t->sec++;
	}
	t->nsec += nsec;
	if (t->nsec >= unit) {
		t->nsec -= unit;
		t->sec++;
	}
}

/* CLOCK_REALTIME at cycle_last: the monotonic base plus the wall offset. */
static struct vdso_kt_time realtime_base(const struct vdso_kt *kt)
{
	struct vdso_kt_time t = kt->mono;

	add_shifted(&t, kt->wall.nsec, kt->shift);
	t.sec += kt->wall.sec;
	return t;
}

int vdso_kt_init(struct vdso_kt *kt, vdso_u64 counter_hz, vdso_u64 mask, vdso_u64 counter_now,
		 vdso_u64 realtime_ns)
{
	if (!counter_hz || !mask || (mask & (mask + 1)))
		return -EINVAL;
	kt->counter_hz = counter_hz;
	kt->mask = mask;
	vdso_kt_calc_mult_shift(&kt->mult, &kt->shift, counter_hz, NSEC, MAXSEC);
	if (!kt->mult)
		return -EINVAL;
	/* delta * mult + basetime.nsec (< NSEC << shift) must fit: the vDSO's fast path. */
	kt->max_cycles = (~0ULL - (NSEC << kt->shift)) / kt->mult;
	if (kt->max_cycles > mask >> 1)
		kt->max_cycles = mask >> 1;	/* above that a delta reads as "backwards" */
	kt->cycle_last = counter_now & mask;
	kt->mono.sec = 0;
	kt->mono.nsec = 0;
	kt->wall.sec = realtime_ns / NSEC;
	kt->wall.nsec = (realtime_ns % NSEC) << kt->shift;
	return 0;
}

/*
 * Cycles since cycle_last, or 0 if the counter is behind it: the masked
 * difference then has its top bit set, as vdso_calc_ns_slow tests.
 */
static vdso_u64 delta_since(const struct vdso_kt *kt, vdso_u64 counter_now)
{
	vdso_u64 delta = (counter_now - kt->cycle_last) & kt->mask;

	return delta & ~(kt->mask >> 1) ? 0 : delta;
}

void vdso_kt_tick(struct vdso_kt *kt, vdso_u64 counter_now)
{
	vdso_u64 delta = delta_since(kt, counter_now);

	kt->cycle_last = (kt->cycle_last + delta) & kt->mask;
	/* A long stall (a debugger, a paused VM) in chunks that fit 64 bits. */
	while (delta > kt->max_cycles) {
		add_shifted(&kt->mono, kt->max_cycles * kt->mult, kt->shift);
		delta -= kt->max_cycles;
	}
	add_shifted(&kt->mono, delta * kt->mult, kt->shift);
}

int vdso_kt_read(const struct vdso_kt *kt, int clock_id, vdso_u64 counter_now, vdso_u64 *sec,
		 vdso_u32 *nsec)
{
	struct vdso_kt_time t = kt->mono;
	vdso_u64 ns;

	switch (clock_id) {
	case VDSO_CLOCK_REALTIME:
	case VDSO_CLOCK_TAI:
	case VDSO_CLOCK_REALTIME_COARSE:
		t = realtime_base(kt);
		break;
	case VDSO_CLOCK_MONOTONIC:
	case VDSO_CLOCK_MONOTONIC_RAW:
	case VDSO_CLOCK_MONOTONIC_COARSE:
	case VDSO_CLOCK_BOOTTIME:
		break;
	default:
		return -EINVAL;
	}
	if (clock_id == VDSO_CLOCK_REALTIME_COARSE || clock_id == VDSO_CLOCK_MONOTONIC_COARSE) {
		/* The time at the last tick, truncated to whole nanoseconds, as published. */
		*sec = t.sec;
		*nsec = (vdso_u32)(t.nsec >> kt->shift);
		return 0;
	}
	/* What the vDSO computes: (delta * mult + base) >> shift, then split. */
	ns = mul_add_shr(delta_since(kt, counter_now), kt->mult, t.nsec, kt->shift);
	*sec = t.sec + ns / NSEC;
	*nsec = (vdso_u32)(ns % NSEC);
	return 0;
}

void vdso_kt_publish(const struct vdso_kt *kt, struct vdso_time_data *p)
{
	struct vdso_clock *hv = &p->clock_data[VDSO_CS_HRES_COARSE];
	struct vdso_clock *rv = &p->clock_data[VDSO_CS_RAW];
	struct vdso_kt_time real = realtime_base(kt);
	vdso_u32 seq;

	/* The kernel is the only writer: reading back its own clock_mode is safe. */
	seq = vdso_write_begin(hv);
	vdso_write_counter(hv, hv->clock_mode, kt->cycle_last, kt->max_cycles, kt->mask, kt->mult, kt->shift);
	vdso_write_ts(&hv->basetime[VDSO_CLOCK_MONOTONIC], kt->mono.sec, kt->mono.nsec);
	vdso_write_ts(&hv->basetime[VDSO_CLOCK_BOOTTIME], kt->mono.sec, kt->mono.nsec);
	vdso_write_ts(&hv->basetime[VDSO_CLOCK_REALTIME], real.sec, real.nsec);
	vdso_write_ts(&hv->basetime[VDSO_CLOCK_TAI], real.sec, real.nsec);
	/* Coarse clocks: the same instant in plain nanoseconds, the vDSO adds nothing. */
	vdso_write_ts(&hv->basetime[VDSO_CLOCK_MONOTONIC_COARSE], kt->mono.sec, kt->mono.nsec >> kt->shift);
	vdso_write_ts(&hv->basetime[VDSO_CLOCK_REALTIME_COARSE], real.sec, real.nsec >> kt->shift);
	vdso_write_end(hv, seq);

	/* MONOTONIC_RAW has its own block, its base indexed by its own clock id, as in Linux. */
	seq = vdso_write_begin(rv);
	vdso_write_counter(rv, rv->clock_mode, kt->cycle_last, kt->max_cycles, kt->mask, kt->mult, kt->shift);
	vdso_write_ts(&rv->basetime[VDSO_CLOCK_MONOTONIC_RAW], kt->mono.sec, kt->mono.nsec);
	vdso_write_end(rv, seq);
}

void vdso_kt_page_init(const struct vdso_kt *kt, struct vdso_time_data *p, vdso_s32 clock_mode,
		       vdso_u32 hrtimer_res, vdso_u32 coarse_res, vdso_s32 cpu_mode,
		       vdso_u32 syscall_mode)
{
	for (int i = 0; i < VDSO_CS_BASES; i++)
		VDSO_WRITE_ONCE(p->clock_data[i].clock_mode, clock_mode);
	vdso_kt_publish(kt, p);
	VDSO_WRITE_ONCE(p->hrtimer_res, hrtimer_res);
	VDSO_WRITE_ONCE(p->coarse_res, coarse_res);
	VDSO_WRITE_ONCE(p->cpu_mode, cpu_mode);
	VDSO_WRITE_ONCE(p->syscall_mode, syscall_mode);
	VDSO_WRITE_ONCE(p->counter_hz, kt->counter_hz);
	vdso_write_ready(p);
}
