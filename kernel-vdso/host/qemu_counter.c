/* SPDX-License-Identifier: MIT */
/*
 * qemu-user (7.2, linux-user/aarch64) has no timer device: its CNTVCT_EL0
 * is gt_virt_cnt_read(), cpu_get_clock() / gt_cntfrq_period_ns(), where
 * cpu_get_clock() of a user-mode build is get_clock_realtime(), i.e.
 * gettimeofday() * 1000.  So a guest reading the counter reads
 *
 *	x = floor(us * 1000 / P),	us = floor(REALTIME / 1000)
 *
 * with P = 10^9 / CNTFRQ (62.5 MHz, P = 16 ns): steps of 62 or 63 counts,
 * one per microsecond of the host's CLOCK_REALTIME.  As a function of host
 * REALTIME it is exact: no drift, no rate to calibrate, NTP's slewing
 * included.  Conversely x names its microsecond exactly, because P < 1000:
 *
 *	x * P <= us * 1000 < x * P + P.
 *
 * What the counter cannot say is where in that microsecond the read was.
 * The image reports x * P + P/2 + QC_PHASE_NS, i.e. the microsecond's start
 * plus QC_PHASE_NS, within P/2 ns.  A system call made t_b ns before the
 * read returned a time at most t_b earlier, one made t_a after at most t_a
 * later, so the image is ordered with both whenever t_b >= 1000 - phase and
 * t_a >= phase: the midpoint needs ~500 ns either side, the most a value
 * that only knows its microsecond can promise.  Closer calls are ordered
 * with it only by the luck of where the microsecond boundary falls.
 *
 * MONOTONIC = REALTIME - (REALTIME - MONOTONIC): the offset is the kernel's
 * (its wall_to_monotonic), constant until the clock is set, and is measured
 * by the caller (vdso-run on the host, where it reads both clocks in ~20 ns).
 */
#include "qemu_counter.h"

#include <errno.h>

int qc_setup(struct tk_clock *c, uint32_t shift, uint32_t period_ns)
{
	uint64_t m = (uint64_t)period_ns << shift;
	if (period_ns == 0 || period_ns >= 1000 || m > UINT32_MAX)
		return -ERANGE;
	c->mult = c->next_mult = c->mult_min = c->mult_max = (uint32_t)m;
	c->freq = (double)m;
	return 0;
}

void qc_accumulate(struct tk_clock *c, uint32_t shift, uint32_t period_ns, uint64_t x, int64_t off_real)
{
	s128 rt = (s128)x * period_ns + period_ns / 2 + QC_PHASE_NS;
	c->cycle_last = x;
	c->base_sh = (u128)((rt - off_real) << shift);
}
