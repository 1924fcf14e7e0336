/* SPDX-License-Identifier: MIT */
/*
 * How the host timekeeper (timekeeper.c) tracks one kernel clock with the
 * TSC: a base in ns << shift at cycle_last, advanced exactly at each update,
 * and a mult steered -- by a bounded slew, never a backward step -- toward
 * the kernel clock's rate and phase, measured from bracketed samples.
 *
 * Host code (gnu11, libm, 64-bit host with __int128).
 */
#ifndef VDSOGEN_HOST_STEERING_H
#define VDSOGEN_HOST_STEERING_H

#include <stdint.h>

#define RING		32		/* frequency samples, one per RING_STEP_NS: ~2 s */

typedef unsigned __int128 u128;
typedef __int128 s128;

/* Tracking state of one struct vdso_clock block against one kernel clock. */
struct tk_clock {
	uint64_t cycle_last;		/* TSC at which base_sh holds */
	u128 base_sh;			/* kernel clock estimate at cycle_last, ns << shift */
	uint32_t mult, next_mult;	/* next_mult: steered, in force from the next cycle_last */
	uint32_t mult_min, mult_max;
	double freq;			/* estimated kernel rate, (ns << shift) per cycle */
	struct { uint64_t x; int64_t ns; } ring[RING];
	unsigned ring_n, ring_head;
	double err_last, err_maxabs, err_sumabs;
	uint64_t err_n;
};


/* Calibrated from two samples (x0, n0), (x1, n1) of the kernel clock. */
void tk_clock_setup(struct tk_clock *c, uint32_t shift, uint64_t x0, int64_t n0, uint64_t x1, int64_t n1);
/* kernel - ours at TSC x, in ns (x may precede cycle_last slightly). */
double tk_clock_err(const struct tk_clock *c, uint32_t shift, uint64_t x, int64_t ref);
/* Steer next_mult from a sample: the kernel clock read ref at TSC x; record: count it in the error statistics. */
void tk_clock_steer(struct tk_clock *c, uint32_t shift, uint64_t x, int64_t ref, int record);
/* Move the base to TSC x with the mult in force, then let the steered mult take over. */
void tk_clock_accumulate(struct tk_clock *c, uint64_t x);

#endif /* VDSOGEN_HOST_STEERING_H */
