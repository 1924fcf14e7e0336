/* SPDX-License-Identifier: MIT */
/* One kernel clock tracked with the TSC; see steering.h. */
#include "steering.h"

#include <math.h>

#define RING_STEP_NS	64000000LL
#define MAX_SLEW	500e-6		/* |mult correction| <= 500 ppm, like NTP's MAXFREQ */
#define STEP_NS		20000.0		/* behind by more (writer stalled): step forward */

void tk_clock_setup(struct tk_clock *c, uint32_t shift, uint64_t x0, int64_t n0, uint64_t x1, int64_t n1)
{
	c->freq = (double)(n1 - n0) / (double)(x1 - x0) * (double)((uint64_t)1 << shift);
	c->mult = c->next_mult = (uint32_t)llround(c->freq);
	c->mult_min = (uint32_t)(c->freq * (1 - 2e-3));
	c->mult_max = (uint32_t)(c->freq * (1 + 2e-3));
	c->cycle_last = c->ring[0].x = x1;
	c->base_sh = (u128)n1 << shift;
	c->ring[0].ns = n1;
	c->ring_n = c->ring_head = 1;
}


double tk_clock_err(const struct tk_clock *c, uint32_t shift, uint64_t x, int64_t ref)
{
	s128 ours = (s128)c->base_sh + (s128)(int64_t)(x - c->cycle_last) * c->mult;
	return (double)((s128)ref * ((s128)1 << shift) - ours) / (double)((uint64_t)1 << shift);
}

void tk_clock_steer(struct tk_clock *c, uint32_t shift, uint64_t x, int64_t ref, int record)
{
	double err = tk_clock_err(c, shift, x, ref), one = (double)((uint64_t)1 << shift);

	/* Frequency: the kernel clock's slope over the last ~2 s of samples. */
	if (ref - c->ring[(c->ring_head + RING - 1) % RING].ns >= RING_STEP_NS) {
		c->ring[c->ring_head].x = x;
		c->ring[c->ring_head].ns = ref;
		c->ring_head = (c->ring_head + 1) % RING;
		c->ring_n += c->ring_n < RING;
	}
	unsigned old = (c->ring_head + RING - c->ring_n) % RING;
	if (ref - c->ring[old].ns >= 4 * RING_STEP_NS)
		c->freq = (double)(ref - c->ring[old].ns) / (double)(x - c->ring[old].x) * one;

	/*
	 * Phase: correct the error by a bounded slew of mult, never a backward
	 * step.  Small errors (bracket noise, ~10 ns) over 64 ms, so the slew
	 * stays ~0.1 ppm and a stalled writer drifts little; real disturbances
	 * (> 100 ns, e.g. after a stall) over 10 ms.  Far behind: step forward.
	 */
	if (err > STEP_NS) {
		c->base_sh += (u128)(err * one);
		err = 0;
	}
	double slew = fmax(-MAX_SLEW, fmin(MAX_SLEW, err / (fabs(err) > 100 ? 10e6 : 64e6)));
	double m = fmax(c->mult_min, fmin(c->mult_max, c->freq * (1.0 + slew)));
	c->next_mult = (uint32_t)llround(m);

	if (record) {
		c->err_sumabs += fabs(err);
		c->err_n++;
		c->err_maxabs = fmax(c->err_maxabs, fabs(err));
	}
	c->err_last = err;
}

/*
 * Base moves to TSC x with the mult readers used so far (exact), and only then
 * does the steered mult take over: time is continuous at x, so a reader that
 * used the old page and one that uses the new agree there and never see time
 * go back.  (Applying the new mult to the elapsed interval would jump by
 * interval * mult change: microseconds after a long writer stall.)
 */
void tk_clock_accumulate(struct tk_clock *c, uint64_t x)
{
	c->base_sh += (u128)(x - c->cycle_last) * c->mult;
	c->cycle_last = x;
	c->mult = c->next_mult;
}
