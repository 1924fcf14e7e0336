/* SPDX-License-Identifier: MIT */
/*
 * The data pages below the image, and the process that keeps them current.
 *
 * Layout (N = max(--data-pages + 1, Linux's 6) pages, one memfd, mapped
 * read-only and MAP_SHARED directly below the image):
 *
 *   image - data_pages pages   vdsogen's struct vdso_time_data (datapage.h):
 *                              what a vdsogen image reads.  Its distance to
 *                              the image is VDSO_DATA_PAGES (datapage.h, the
 *                              linker script's `vdso_time_data`); a stripped
 *                              image does not say, hence --data-pages.
 *   the page below that        vdsogen's struct vdso_rng_data (getrandom:
 *                              generation, is_ready), `vdso_rng_data` in the
 *                              x86-64 linker script (image - 2 pages).
 *   image - 6 pages            a mirror in Linux's own layout (Linux 6.13+
 *                              x86-64 vdso_u_time_data), so a Linux vDSO image
 *                              copied out of a running kernel reads valid time
 *                              data too; its getrandom page (image - 4 pages)
 *                              mirrors ours, the layouts being the same.  The
 *                              other Linux pages stay zero: time namespace
 *                              (unused unless clock_mode says so), arch data,
 *                              pvclock/hvclock (unused unless clock_mode says
 *                              so; vdsogen's rng and time pages sit in their
 *                              slots).  A page of ours always wins a slot.
 *
 * The writer is not a thread of the program (which its libc would not
 * expect and fork would lose).  Following exec, it is a child of the tracer
 * (follow_exec.c), which reaps it; with --no-follow-exec, a grandchild of
 * the loader (double fork, so the program never sees it as a child and a
 * `wait` in a shell does not hang on it).  Either way it is in its own
 * session (terminal signals do not reach it), with every fd closed (a
 * `$(...)` returns when the program exits).  It holds the only writable
 * mapping (the memfd is sealed against new writable mappings before the
 * program's read-only one is made), updates the time page every millisecond
 * and the coarse clocks right after each kernel tick (coarse_tick.c),
 * bumps the getrandom generation every 60 s (Linux's reseed interval: every
 * vDSO getrandom key is then replaced), and exits when the process it
 * watches (the tracer, or the program) is gone, which it learns from a pidfd.
 */
#include "vdso_run.h"
#include "rng.h"
#include "timekeeper.h"
#include "coarse_tick.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA		0x53564d41
#define PR_SET_VMA_ANON_NAME	0
#endif


/* Copy vdsogen's clock blocks into Linux's layout, under Linux's seqlock. */
void vdso_linux_mirror(const struct vdso_time_data *src, unsigned char *dst_page)
{
	struct vdso_clock *dst = (struct vdso_clock *)dst_page;
	for (int i = 0; i < VDSO_CS_BASES; i++) {
		uint32_t s = __atomic_load_n(&dst[i].seq, __ATOMIC_RELAXED) | 1;
		__atomic_store_n(&dst[i].seq, s, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		/* Word by word with relaxed atomics: readers may be reading. */
		const uint64_t *from = (const uint64_t *)&src->clock_data[i].cycle_last;
		uint64_t *to = (uint64_t *)&dst[i].cycle_last;
		size_t words = (sizeof dst[i] - offsetof(struct vdso_clock, cycle_last)) / 8;
		__atomic_store_n(&dst[i].clock_mode, src->clock_data[i].clock_mode, __ATOMIC_RELAXED);
		for (size_t w = 0; w < words; w++)
			__atomic_store_n(&to[w], from[w], __ATOMIC_RELAXED);
		__atomic_store_n(&dst[i].seq, s + 1, __ATOMIC_RELEASE);
	}
	int32_t *tz = (int32_t *)(dst_page + arch_linux_tz_offset);
	__atomic_store_n(&tz[0], src->tz_minuteswest, __ATOMIC_RELAXED);
	__atomic_store_n(&tz[1], src->tz_dsttime, __ATOMIC_RELAXED);
	__atomic_store_n((uint32_t *)(dst_page + arch_linux_hrtimer_res_offset), src->hrtimer_res, __ATOMIC_RELAXED);
}


void vdso_data_create(const struct run_options *opt, struct vdso_data *d)
{
	if (opt->kernel_side) {
		kside_data_create(opt, d);
		return;
	}
	struct data_layout l;
	data_layout(opt, &l);
	memset(d, 0, sizeof *d);
	d->len = (size_t)l.total * RUN_PAGE;
	d->memfd = memfd_create("vdso-data", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (d->memfd < 0)
		die("memfd_create: %s", strerror(errno));
	if (ftruncate(d->memfd, (off_t)d->len) != 0)
		die("ftruncate memfd: %s", strerror(errno));
	d->w = mmap(NULL, d->len, PROT_READ | PROT_WRITE, MAP_SHARED, d->memfd, 0);
	if (d->w == MAP_FAILED)
		die("mmap data pages: %s", strerror(errno));
	d->time = (struct vdso_time_data *)(d->w + (size_t)l.ours * RUN_PAGE);
	d->linux_time = l.mirror ? d->w + (size_t)l.linux_time * RUN_PAGE : NULL;
	d->rng = (struct vdso_rng_data *)(d->w + (size_t)l.rng * RUN_PAGE);
	d->linux_rng = l.rng_mirror ? (struct vdso_rng_data *)(d->w + (size_t)l.linux_rng * RUN_PAGE) : NULL;

	/* The getrandom page: ready once the kernel's RNG is, generation 1. */
	if (vdso_rng_init(d->rng) != 0)
		vdso_rng_set_ready(d->rng, 0);
	if (d->linux_rng)
		vdso_rng_mirror(d->rng, d->linux_rng);

	struct vdso_tk_options tko = {
		.realtime_offset_ns = opt->realtime_offset_ns,
		.monotonic_offset_ns = opt->monotonic_offset_ns,
		.clock_mode = opt->clock_mode,
		.cpu_mode = VDSO_TK_AUTO,
		/*
		 * The counter's initial frequency, from brackets at both ends of
		 * the interval: on x86-64 a bracket is two vDSO reads (~40 ns),
		 * so 8 ms already gives it to ~1 ppm (10 ppm at worst) and the
		 * steering takes up the rest; every run starts 56 ms sooner than
		 * with the default 64 ms.  Under qemu-user (riscv64's rdtime) a
		 * bracket is two emulated system calls (~1 us): keep 64 ms.
		 */
#if defined(__x86_64__)
		.calibrate_ms = 8,
#else
		.calibrate_ms = 0,
#endif
		.qemu_period_ns = opt->qemu_period_ns,
		.offsets_given = opt->offsets_given,
		.off_real_ns = opt->off_real_ns,
		.off_boot_ns = opt->off_boot_ns,
	};
	int rc = vdso_tk_init(d->time, &tko);
	if (rc == -EINVAL)
		die("the time data cannot be set up: an offset makes a clock negative, or a bad clock mode");
	if (rc)
		die("the time data cannot be set up: %s", strerror(-rc));
	/*
	 * An i386 image's __kernel_vsyscall enters the kernel by INT $0x80: Linux
	 * returns from a compat SYSENTER or SYSCALL to the landing pad of its own
	 * vDSO (mm->context.vdso + vdso_image_32.sym_int80_landing_pad, in
	 * do_fast_syscall_32), which the loader has unmapped.
	 */
	d->time->syscall_mode = VDSO_SYSCALL_INT80;
	if (d->linux_time)
		vdso_linux_mirror(d->time, d->linux_time);

	/* No writable mapping can be made from now on; the writer keeps `w`. */
	fcntl(d->memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_FUTURE_WRITE);
}

void vdso_setup(const struct run_options *opt, const struct vdso_image *img, struct vdso_mapping *out)
{
	if (opt->kernel_side) {
		kside_setup(opt, img, out);
		return;
	}
	struct vdso_data d;
	memset(out, 0, sizeof *out);
	vdso_data_create(opt, &d);
	vdso_map(opt, img, d.memfd, out);
	close(d.memfd);
	out->writer = vdso_writer_start_orphan(&d);
	munmap(d.w, d.len);
}
