/* SPDX-License-Identifier: MIT */
/*
 * A kernel side of your own for `vdsogen run --kernel-side FILE.c`: the code
 * that fills and keeps current the data area of a vDSO whose data-page ABI is
 * not vdsogen's (Docs/run.md, "Your own data-page ABI").
 *
 * FILE.c defines what the kernel would (the vvar area's owner):
 *
 *   const char vdso_kernel_side_abi[] = "myos-1";   the ABI its image's note names
 *   const unsigned vdso_kernel_side_pages = 1;      the area: this many pages,
 *                                                   ending where the image begins
 *   int vdso_kernel_side_init(void *area, size_t len, const struct vdso_kernel_side_info *info);
 *   void vdso_kernel_side_update(void *area, size_t len, const struct vdso_kernel_side_info *info);
 *
 * and may define `const unsigned vdso_kernel_side_period_us` (100 to 1000000,
 * default 1000).  `run` compiles it with vdso-run's driver into a writer
 * program: init is called once, on the zeroed area, before the program
 * starts (a nonzero return is a negative errno, and refuses the run); update
 * every period after that, from one thread, while the program's vDSO reads
 * the area on other CPUs: publish under the area's own sequence lock (the
 * helpers below are one).  init may print to stderr; update's output is
 * discarded.  Neither may keep `info` past the call.
 *
 * Freestanding, like datapage.h: no libc needed.
 */
#ifndef VDSOGEN_VDSO_KERNEL_SIDE_H
#define VDSOGEN_VDSO_KERNEL_SIDE_H

#include <stddef.h>
#include <stdint.h>

/*
 * What a kernel's timekeeper hands its vDSO update (Linux: update_vsyscall),
 * taken at one instant: the counter then, how to turn counter ticks into
 * nanoseconds, and every clock at that instant with run's offsets applied
 * (--realtime-offset shifts realtime and the realtime coarse clock,
 * --monotonic-offset monotonic, raw, boottime and the monotonic coarse one).
 */
struct vdso_kernel_side_info {
	uint32_t size;			/* sizeof(struct vdso_kernel_side_info): fields are only added */
	uint32_t period_us;		/* update is called this often */
	uint64_t update;		/* 0 for init, then 1, 2, ... */
	int32_t clock_mode;		/* 1: the counter (the TSC) may be read; 0: it may not */
	uint32_t mult, shift;		/* ns = ((counter - cycle_last) * mult) >> shift */
	uint64_t counter_hz;		/* the counter's calibrated frequency (0 under mode 0) */
	uint64_t cycle_last;		/* the counter at this instant */
	int64_t realtime_ns;		/* CLOCK_REALTIME at cycle_last */
	int64_t monotonic_ns;		/* CLOCK_MONOTONIC */
	int64_t monotonic_raw_ns;	/* CLOCK_MONOTONIC_RAW */
	int64_t boottime_ns;		/* CLOCK_BOOTTIME */
	int64_t realtime_coarse_ns;	/* CLOCK_REALTIME_COARSE: the kernel's last tick */
	int64_t monotonic_coarse_ns;	/* CLOCK_MONOTONIC_COARSE */
	int64_t realtime_offset_ns;	/* run's options, as given */
	int64_t monotonic_offset_ns;
};

extern const char vdso_kernel_side_abi[];
extern const unsigned vdso_kernel_side_pages;
int vdso_kernel_side_init(void *area, size_t len, const struct vdso_kernel_side_info *info);
void vdso_kernel_side_update(void *area, size_t len, const struct vdso_kernel_side_info *info);

/* A sequence lock's writer half, for an area that uses one (datapage.h's protocol). */
#define VDSO_KS_WRITE_ONCE(field, v) __atomic_store_n(&(field), (v), __ATOMIC_RELAXED)

/* Make *seq odd (readers retry) and return it; the fence orders it before the stores that follow. */
static inline uint32_t vdso_ks_write_begin(uint32_t *seq)
{
	uint32_t s = __atomic_load_n(seq, __ATOMIC_RELAXED) | 1;

	__atomic_store_n(seq, s, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return s;
}

/* End the update: every store before it is visible to a reader that sees the even count. */
static inline void vdso_ks_write_end(uint32_t *seq, uint32_t s)
{
	__atomic_store_n(seq, s + 1, __ATOMIC_RELEASE);
}

#endif /* VDSOGEN_VDSO_KERNEL_SIDE_H */
