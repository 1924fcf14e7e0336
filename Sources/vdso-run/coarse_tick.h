/* SPDX-License-Identifier: MIT */
/* Following the kernel's tick for the coarse clocks (coarse_tick.c). */
#ifndef VDSO_RUN_COARSE_TICK_H
#define VDSO_RUN_COARSE_TICK_H

#include <stdint.h>

struct vdso_time_data;

struct coarse_tick {
	int64_t period;		/* ns between ticks; 0: not followed */
	int64_t next;		/* CLOCK_MONOTONIC the next change is expected; 0: unknown */
	int64_t coarse;		/* the last CLOCK_MONOTONIC_COARSE seen */
};

/* Learns the tick period; sets the calling process's timer slack to 1 ns. */
void coarse_tick_init(struct coarse_tick *ct);
/* CLOCK_MONOTONIC at which to call coarse_tick_follow() (INT64_MAX: never). */
int64_t coarse_tick_wake(const struct coarse_tick *ct);
/* Polls until the coarse clocks move, publishes them to `page`; 1 if it did. */
int coarse_tick_follow(struct coarse_tick *ct, struct vdso_time_data *page);
/* After an ordinary update: a coarse change coarse_tick_follow() missed resets the phase. */
void coarse_tick_check(struct coarse_tick *ct);

#endif
