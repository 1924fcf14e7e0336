/* SPDX-License-Identifier: MIT */
/*
 * A kernel's timekeeper for the vDSO data page: the clock a kernel keeps
 * from its own counter (the TSC, arm64's cntvct_el0, RISC-V's time CSR) and
 * publishes, at every timer tick, in the form the vDSO reads (datapage.h).
 *
 * This is the code a kernel that embeds a vdsogen image runs on its side of
 * the page -- the boot examples under examples/boot/ use it as is.  It keeps
 * no NTP state: CLOCK_MONOTONIC runs at the calibrated counter rate, so
 * MONOTONIC_RAW equals it, BOOTTIME equals it (no suspend), and TAI equals
 * REALTIME (no leap-second table).  A kernel with frequency adjustment or
 * suspend keeps its own timekeeper and uses vdso/writer.h directly.
 *
 * Freestanding: no libc, 64-bit arithmetic only (on a 32-bit kernel the one
 * division, in vdso_kt_init, needs the compiler's 64-bit division helper).
 * Single writer: vdso_kt_tick and vdso_kt_publish run in one place (the
 * timer interrupt of one CPU) or under the kernel's timekeeping lock.
 */
#ifndef VDSOGEN_KERNEL_TIMEKEEPING_H
#define VDSOGEN_KERNEL_TIMEKEEPING_H

#include "vdso/datapage.h"

/* A point in time: seconds, and nanoseconds within that second << shift. */
struct vdso_kt_time {
	vdso_u64 sec;
	vdso_u64 nsec;
};

struct vdso_kt {
	vdso_u64 counter_hz;		/* the counter's rate, as the kernel measured it */
	vdso_u64 mask;			/* the counter's width: ~0 for 64 bits */
	vdso_u64 max_cycles;		/* the largest delta whose delta * mult + nsec fits 64 bits */
	vdso_u64 cycle_last;		/* counter value at the last tick */
	vdso_u32 mult;			/* ns << shift per counter cycle */
	vdso_u32 shift;
	struct vdso_kt_time mono;	/* CLOCK_MONOTONIC at cycle_last */
	struct vdso_kt_time wall;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
};

/*
 * Linux's clocks_calc_mult_shift(): the mult and the largest shift that
 * convert `from` Hz to `to` Hz with maxsec seconds of cycles times mult
 * still within 64 bits.
 */
void vdso_kt_calc_mult_shift(vdso_u32 *mult, vdso_u32 *shift, vdso_u64 from, vdso_u64 to,
			     vdso_u32 maxsec);

/*
 * Start the clock: CLOCK_MONOTONIC is 0 at counter value `counter_now`,
 * CLOCK_REALTIME is realtime_ns (from an RTC, or 0).  counter_hz and mask
 * must be nonzero and mask of the form 2^n - 1.  Returns 0 or -22 (EINVAL).
 */
int vdso_kt_init(struct vdso_kt *kt, vdso_u64 counter_hz, vdso_u64 mask, vdso_u64 counter_now,
		 vdso_u64 realtime_ns);

/*
 * A timer tick: fold the cycles since the last tick into the clock.  Any
 * interval is exact; a counter that went backwards (another CPU's, behind)
 * moves nothing.
 */
void vdso_kt_tick(struct vdso_kt *kt, vdso_u64 counter_now);

/*
 * The kernel's own clock_gettime(): the value the vDSO computes from the
 * page for the same counter value, to the nanosecond, so a program that
 * brackets a vDSO call with system calls sees them in order.  clock_id is a
 * VDSO_CLOCK_* id.  Returns 0 or -22 (EINVAL: a clock this timekeeper does
 * not keep, such as the CPU-time clocks).
 */
int vdso_kt_read(const struct vdso_kt *kt, int clock_id, vdso_u64 counter_now, vdso_u64 *sec,
		 vdso_u32 *nsec);

/*
 * Fill a page that no reader has seen yet (a new process's, or the boot
 * page): every block from kt, then the header fields, then the magic, so a
 * reader that sees the magic sees a complete page.  clock_mode is
 * VDSO_CLOCKMODE_COUNTER when user space may read the counter itself (else
 * every hres call is the system call); resolutions are clock_getres()'s.
 */
void vdso_kt_page_init(const struct vdso_kt *kt, struct vdso_time_data *p, vdso_s32 clock_mode,
		       vdso_u32 hrtimer_res, vdso_u32 coarse_res, vdso_s32 cpu_mode,
		       vdso_u32 syscall_mode);

/* After each vdso_kt_tick: both clock blocks of the page, each under its seqlock. */
void vdso_kt_publish(const struct vdso_kt *kt, struct vdso_time_data *p);

#endif /* VDSOGEN_KERNEL_TIMEKEEPING_H */
