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
 * What a counter value read at random cannot say is where in that
 * microsecond the read was, so the image (asm/vdso.h) reads the counter
 * until it moves: the first value of a new microsecond, read within one
 * loop (~50 ns) after its start.  The image reports x * P + P/2 +
 * QC_PHASE_NS, i.e. that start to within P/2 ns: the boundary the loop
 * saw lies after the first read, so after every system call that returned
 * before the vDSO call (a system call under qemu takes well over P/2 ns),
 * and before the last read, so before every one made after it.
 * Measured: without the loop, any phase fails the ordering of
 * vdso_test_correctness about as often as the two system calls around
 * the vDSO call are less than 1 us apart (Docs/selftests.md).
 *
 * MONOTONIC = REALTIME - (REALTIME - MONOTONIC): the offset is the kernel's
 * (its wall_to_monotonic), constant until the clock is set, and is measured
 * by the caller (vdso-run on the host, where it reads both clocks in ~20 ns;
 * the guest's brackets are ~400 ns wide, its estimates ~10 ns off).
 *
 * MONOTONIC_RAW has no exact relation to this counter (REALTIME runs at
 * NTP's corrected rate, RAW does not), and the guest's system calls
 * bracket it only to a few hundred ns: under qemu-user its block says
 * VDSO_CLOCKMODE_NONE, and the image serves it by the system call, as
 * Linux does a clock whose clocksource the vDSO cannot read.
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
