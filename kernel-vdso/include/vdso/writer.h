/* SPDX-License-Identifier: MIT */
/*
 * The writer's half of the data page's sequence lock (datapage.h): what every
 * kernel side uses to update a struct vdso_clock while vDSO readers run on
 * other CPUs.  Linux keeps the same pair in include/vdso/helpers.h
 * (vdso_write_begin/vdso_write_end); these work on one block at a time.
 *
 * Single writer per block.  Every field store is a relaxed atomic store: a
 * reader may load any field at any moment, and the sequence count, not the
 * stores, tells it whether what it loaded is consistent.  Freestanding, like
 * datapage.h: a kernel, vdsogen run's writer and the test harnesses include it.
 */
#ifndef VDSOGEN_VDSO_WRITER_H
#define VDSOGEN_VDSO_WRITER_H

#include "vdso/datapage.h"

#define VDSO_WRITE_ONCE(field, v) __atomic_store_n(&(field), (v), __ATOMIC_RELAXED)

/*
 * Make the block's seq odd and return it.  Readers that see an odd seq spin;
 * readers that saw the old even seq retry when they re-read it.
 *
 * The fence is smp_wmb() and more: the odd seq must be visible before any
 * field changes (ordering it before the later stores), and before the writer
 * reads the counter for the new cycle_last (a full fence: a reader that still
 * saw the old even seq read its counter before ours, so both agree on time
 * at the new cycle_last and neither sees time go back).  On x86 the stores
 * stay in order anyway and the fence is an MFENCE; on arm64 it is a DMB ISH.
 */
static inline vdso_u32 vdso_write_begin(struct vdso_clock *vc)
{
	vdso_u32 seq = __atomic_load_n(&vc->seq, __ATOMIC_RELAXED) | 1;

	VDSO_WRITE_ONCE(vc->seq, seq);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return seq;
}

/*
 * End the update begun by vdso_write_begin: smp_wmb(); seq++ -- the release
 * store orders every field store before the even seq readers wait for.
 */
static inline void vdso_write_end(struct vdso_clock *vc, vdso_u32 seq)
{
	__atomic_store_n(&vc->seq, seq + 1, __ATOMIC_RELEASE);
}

/* The counter parameters of a block (between begin and end). */
static inline void vdso_write_counter(struct vdso_clock *vc, vdso_s32 clock_mode, vdso_u64 cycle_last,
				      vdso_u64 max_cycles, vdso_u64 mask, vdso_u32 mult, vdso_u32 shift)
{
	VDSO_WRITE_ONCE(vc->clock_mode, clock_mode);
	VDSO_WRITE_ONCE(vc->cycle_last, cycle_last);
	VDSO_WRITE_ONCE(vc->max_cycles, max_cycles);
	VDSO_WRITE_ONCE(vc->mask, mask);
	VDSO_WRITE_ONCE(vc->mult, mult);
	VDSO_WRITE_ONCE(vc->shift, shift);
}

/*
 * One base time (between begin and end): seconds and the nanoseconds within
 * that second -- shifted left by the block's shift for the hres clocks, plain
 * for the coarse ones (datapage.h).
 */
static inline void vdso_write_ts(struct vdso_timestamp *ts, vdso_u64 sec, vdso_u64 nsec)
{
	VDSO_WRITE_ONCE(ts->sec, sec);
	VDSO_WRITE_ONCE(ts->nsec, nsec);
}

/*
 * Declare a filled page: the ABI version, then the magic with release
 * semantics, so that a reader which sees the magic sees every field stored
 * before it.  Called once, after the first complete update.
 */
static inline void vdso_write_ready(struct vdso_time_data *p)
{
	VDSO_WRITE_ONCE(p->abi_version, VDSO_DATA_ABI_VERSION);
	__atomic_store_n(&p->magic, VDSO_DATA_MAGIC, __ATOMIC_RELEASE);
}

#endif /* VDSOGEN_VDSO_WRITER_H */
