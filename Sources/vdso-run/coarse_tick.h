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
	int misses;		/* changes seen off the expected instant since the last on it */
	int64_t delay;		/* least recent delay from a nominal tick to its change seen */
};

/* Learns the tick period, publishes the coarse clocks; sets the calling process's timer slack to 1 ns. */
void coarse_tick_init(struct coarse_tick *ct, struct vdso_time_data *page);
/* CLOCK_MONOTONIC at which to call coarse_tick_follow() (INT64_MAX: never). */
int64_t coarse_tick_wake(const struct coarse_tick *ct);
/*
 * Holds `page` (and the seq at `mirror_seq`, if not NULL) odd, polls until the
 * coarse clocks move, publishes them to `page`; 1 if they moved.  `page` is
 * released on return; the caller releases the mirror by rewriting it.
 */
int coarse_tick_follow(struct coarse_tick *ct, struct vdso_time_data *page, uint32_t *mirror_seq);
/* After an ordinary update: a coarse change coarse_tick_follow() missed is published, the phase reset. */
void coarse_tick_check(struct coarse_tick *ct, struct vdso_time_data *page);

#endif
