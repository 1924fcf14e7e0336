/* SPDX-License-Identifier: MIT */
/*
 * The counter of an aarch64 guest of qemu-user, which is no counter of its
 * own but the host's CLOCK_REALTIME in microseconds: the timekeeper
 * (timekeeper.c) maps it onto MONOTONIC exactly instead of calibrating it.
 * Internal to kernel-vdso/host; see qemu_counter.c.
 */
#ifndef VDSOGEN_HOST_QEMU_COUNTER_H
#define VDSOGEN_HOST_QEMU_COUNTER_H

#include "steering.h"

#include <stdint.h>

/* The position, in ns after the microsecond a counter value names, that the image reports. */
#define QC_PHASE_NS	0

/* Fix c's mult at exactly period_ns per count (ns << shift); 0, or -ERANGE if it does not fit. */
int qc_setup(struct tk_clock *c, uint32_t shift, uint32_t period_ns);

/* Move c's base to counter x: REALTIME of x's microsecond + QC_PHASE_NS, minus off_real. */
void qc_accumulate(struct tk_clock *c, uint32_t shift, uint32_t period_ns, uint64_t x, int64_t off_real);

#endif /* VDSOGEN_HOST_QEMU_COUNTER_H */
