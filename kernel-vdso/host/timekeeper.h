/* SPDX-License-Identifier: MIT */
/*
 * The "kernel side" of the vDSO data page for a user-space host (vdsogen run,
 * test harnesses): fills struct vdso_time_data from the running Linux kernel
 * and keeps it current, so a vDSO image mapped above the page returns what the
 * kernel's own clocks return.
 *
 * Host code (gnu11, libc, pthreads, 64-bit host with __int128).  The counter
 * is the x86 TSC; on other hosts only VDSO_CLOCKMODE_NONE is available.
 *
 * How it tracks the kernel (see timekeeper.c for the details):
 *  - hres clocks are accumulated like a kernel timekeeper: at each update
 *    base += (tsc_now - cycle_last) * mult (exact, in ns << shift), so a clock
 *    never steps backwards across an update; `mult` is steered (bounded slew)
 *    toward the kernel's CLOCK_MONOTONIC (block VDSO_CS_HRES_COARSE) and
 *    CLOCK_MONOTONIC_RAW (block VDSO_CS_RAW).
 *  - REALTIME/BOOTTIME/TAI = the monotonic base + the kernel's offset, an
 *    exact integer it measures and only changes when the kernel's changed.
 *  - Coarse clocks are the kernel's own coarse readings taken at the update:
 *    never ahead of the kernel, behind by at most one writer period.
 */
#ifndef VDSOGEN_HOST_TIMEKEEPER_H
#define VDSOGEN_HOST_TIMEKEEPER_H

#include <stdint.h>
#include "vdso/datapage.h"

#define VDSO_TK_AUTO	(-1)	/* clock_mode / cpu_mode: detect */

struct vdso_tk_options {
	/*
	 * Like a Linux time namespace: monotonic_offset_ns shifts MONOTONIC,
	 * MONOTONIC_COARSE, MONOTONIC_RAW and BOOTTIME; realtime_offset_ns
	 * shifts REALTIME, REALTIME_COARSE, TAI (and so gettimeofday/time).
	 * No clock may end up negative (vdso_tk_init returns -EINVAL).
	 */
	int64_t realtime_offset_ns;
	int64_t monotonic_offset_ns;
	/* VDSO_CLOCKMODE_NONE, VDSO_CLOCKMODE_COUNTER or VDSO_TK_AUTO (COUNTER
	 * when the kernel's clocksource is "tsc" and the TSC is invariant). */
	int clock_mode;
	/* VDSO_CPUMODE_* or VDSO_TK_AUTO (RDPID, else RDTSCP, else SYSCALL). */
	int cpu_mode;
	unsigned calibrate_ms;	/* TSC calibration time; 0 = 64 ms */
	/* Nonzero: the counter is qemu-user's, the host's REALTIME in
	 * microseconds counted in steps of this many ns (qemu_counter.c);
	 * MONOTONIC and the clocks on it then follow it exactly. */
	unsigned qemu_period_ns;
	/* Nonzero: the kernel's REALTIME - MONOTONIC and BOOTTIME - MONOTONIC,
	 * measured by the caller (more exactly than this process can). */
	int offsets_given;
	int64_t off_real_ns, off_boot_ns;
};

/* Error statistics of the hres clocks against the kernel, in ns. */
struct vdso_tk_stats {
	uint64_t updates;	/* vdso_tk_update calls */
	uint64_t samples;	/* reference samples used for steering */
	uint64_t rejected;	/* samples too noisy (wide bracket) to use */
	uint64_t offset_steps;	/* times a REALTIME/BOOTTIME/TAI offset changed */
	uint64_t max_gap_ns;	/* longest interval between two updates */
	double bracket_min_ns;	/* narrowest syscall bracket seen */
	/* kernel - ours at each sample, after the first second: */
	double mono_err_last, mono_err_maxabs, mono_err_meanabs;
	double raw_err_last, raw_err_maxabs, raw_err_meanabs;
	double mono_ppm;	/* current steering of mult, vs the frequency estimate */
	uint64_t counter_hz;
};

/*
 * Fill `page` (writable mapping) from the kernel and remember it; returns 0 or
 * -errno.  `opt` may be NULL (all defaults).  A page may be re-initialised
 * (e.g. with another clock mode) after vdso_tk_stop_thread.
 */
int vdso_tk_init(struct vdso_time_data *page, const struct vdso_tk_options *opt);
/* One writer step (seqlock protected).  Single writer per page. Returns 0 or -errno. */
int vdso_tk_update(struct vdso_time_data *page);
/* CLOCK_REALTIME_COARSE and CLOCK_MONOTONIC_COARSE only, read from the kernel now. */
int vdso_tk_update_coarse(struct vdso_time_data *page);
/* Marks the hres/coarse block as being written (odd seq) until the next update ends it. */
void vdso_tk_hold(struct vdso_time_data *page);
/* A thread calling vdso_tk_update every period_us (0 = 500 us). */
int vdso_tk_start_thread(struct vdso_time_data *page, unsigned period_us);
int vdso_tk_stop_thread(struct vdso_time_data *page);
/* Stop the thread (if any) and forget the page. */
void vdso_tk_fini(struct vdso_time_data *page);
int vdso_tk_get_stats(struct vdso_time_data *page, struct vdso_tk_stats *out);
/* CPUID-based getcpu mode: VDSO_CPUMODE_RDPID / _RDTSCP / _SYSCALL. */
int vdso_tk_detect_cpu_mode(void);

#endif /* VDSOGEN_HOST_TIMEKEEPER_H */
