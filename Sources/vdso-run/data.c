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
 * The writer is not a thread of the program: a grandchild of the loader
 * (double fork, so the program never sees it as a child and a `wait` in a
 * shell does not hang on it), in its own session (terminal signals do not
 * reach it), with every fd closed (a `$(...)` returns when the program
 * exits).  It holds the only writable mapping (the memfd is sealed against
 * new writable mappings before the program's read-only one is made), updates
 * the time page every millisecond, bumps the getrandom generation every 60 s
 * (Linux's reseed interval: every vDSO getrandom key is then replaced), and
 * exits when the loader's process (= the program) is gone, which it learns
 * from a pidfd.
 */
#include "vdso_run.h"
#include "rng.h"
#include "timekeeper.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA		0x53564d41
#define PR_SET_VMA_ANON_NAME	0
#endif

#define WRITER_PERIOD_MS	1
/*
 * Linux's getrandom page, counted from its time page: the generic vDSO
 * datastore (6.13+, include/vdso/datapage.h) orders time, time namespace,
 * rng, arch pages on every architecture.
 */
#define LINUX_RNG_PAGE_FROM_TIME	2

/* Copy vdsogen's clock blocks into Linux's layout, under Linux's seqlock. */
static void linux_mirror(const struct vdso_time_data *src, unsigned char *dst_page)
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

/* The pages the writer keeps current; NULL where a page is not there. */
struct writer_pages {
	struct vdso_time_data *time;
	unsigned char *linux_time;
	struct vdso_rng_data *rng, *linux_rng;
};

static _Noreturn void writer_loop(int pidfd, pid_t loader, const struct writer_pages *wp)
{
	uint64_t last_reseed = 0;
	if (wp->rng)
		vdso_rng_reseed_due(wp->rng, &last_reseed);
	for (;;) {
		if (pidfd >= 0) {
			struct pollfd p = { .fd = pidfd, .events = POLLIN };
			int r = poll(&p, 1, WRITER_PERIOD_MS);
			if (r > 0 || (r < 0 && errno != EINTR))
				_exit(0);
		} else {
			struct timespec d = { 0, WRITER_PERIOD_MS * 1000000L };
			nanosleep(&d, NULL);
			if (kill(loader, 0) != 0 && errno == ESRCH)
				_exit(0);
		}
		vdso_tk_update(wp->time);
		if (wp->linux_time)
			linux_mirror(wp->time, wp->linux_time);
		if (wp->rng && vdso_rng_reseed_due(wp->rng, &last_reseed) && wp->linux_rng)
			vdso_rng_mirror(wp->rng, wp->linux_rng);
	}
}

/* Fork the writer as a grandchild; returns its pid (as seen by the loader). */
static pid_t start_writer(const struct writer_pages *wp)
{
	pid_t loader = getpid();
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) != 0)
		die("pipe: %s", strerror(errno));
	fflush(NULL);
	pid_t a = fork();
	if (a < 0)
		die("fork: %s", strerror(errno));
	if (a == 0) {
		/* A: opens the pidfd while the loader surely lives (it waits for A). */
		int pidfd = (int)syscall(SYS_pidfd_open, loader, 0);
		pid_t b = fork();
		if (b != 0) {
			if (b > 0)
				(void)!write(pfd[1], &b, sizeof b);
			_exit(b > 0 ? 0 : 1);
		}
		/* B: the writer. */
		setsid();
		prctl(PR_SET_NAME, "vdso-run writer");
		if (chdir("/") != 0) {
			/* harmless */
		}
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		/* Keep only the pidfd: move it to 3, close everything above. */
		if (pidfd >= 0 && pidfd != 3) {
			dup2(pidfd, 3);
			pidfd = 3;
		}
		int first = pidfd >= 0 ? 4 : 3;
		if (syscall(SYS_close_range, first, ~0U, 0) != 0)
			for (int fd = first; fd < 1024; fd++)
				close(fd);
		sigset_t all;
		sigfillset(&all);
		sigprocmask(SIG_UNBLOCK, &all, NULL);
		writer_loop(pidfd, loader, wp);
	}
	close(pfd[1]);
	pid_t b = -1;
	if (read(pfd[0], &b, sizeof b) != sizeof b)
		b = -1;
	close(pfd[0]);
	int st;
	while (waitpid(a, &st, 0) < 0 && errno == EINTR)
		;
	if (b <= 0)
		die("cannot start the data-page writer process");
	return b;
}

void vdso_setup(const struct run_options *opt, const struct vdso_image *img, struct vdso_mapping *out)
{
	memset(out, 0, sizeof *out);
	/* Page indices from the lowest mapped page; the image follows page `total`. */
	unsigned total = opt->data_pages + 1 > arch_linux_vvar_pages ? opt->data_pages + 1 : arch_linux_vvar_pages;
	unsigned ours_idx = total - opt->data_pages;
	unsigned rng_idx = ours_idx - 1;
	unsigned linux_idx = total - arch_linux_vvar_pages;
	unsigned linux_time_idx = linux_idx + arch_linux_time_page;
	unsigned linux_rng_idx = linux_time_idx + LINUX_RNG_PAGE_FROM_TIME;
	bool mirror = linux_time_idx != ours_idx && linux_time_idx != rng_idx;
	bool rng_mirror = linux_rng_idx != ours_idx && linux_rng_idx != rng_idx && linux_rng_idx != linux_time_idx;
	size_t data_len = (size_t)total * RUN_PAGE;

	int mfd = memfd_create("vdso-data", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		die("memfd_create: %s", strerror(errno));
	if (ftruncate(mfd, (off_t)data_len) != 0)
		die("ftruncate memfd: %s", strerror(errno));
	unsigned char *w = mmap(NULL, data_len, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (w == MAP_FAILED)
		die("mmap data pages: %s", strerror(errno));
	struct vdso_time_data *page = (struct vdso_time_data *)(w + (size_t)ours_idx * RUN_PAGE);
	unsigned char *linux_page = mirror ? w + (size_t)linux_time_idx * RUN_PAGE : NULL;
	struct vdso_rng_data *rng = (struct vdso_rng_data *)(w + (size_t)rng_idx * RUN_PAGE);
	struct vdso_rng_data *linux_rng = rng_mirror ? (struct vdso_rng_data *)(w + (size_t)linux_rng_idx * RUN_PAGE) : NULL;

	/* The getrandom page: ready once the kernel's RNG is, generation 1. */
	if (vdso_rng_init(rng) != 0)
		vdso_rng_set_ready(rng, 0);
	if (linux_rng)
		vdso_rng_mirror(rng, linux_rng);

	struct vdso_tk_options tko = {
		.realtime_offset_ns = opt->realtime_offset_ns,
		.monotonic_offset_ns = opt->monotonic_offset_ns,
		.clock_mode = opt->clock_mode,
		.cpu_mode = VDSO_TK_AUTO,
		.calibrate_ms = 0,
	};
	int rc = vdso_tk_init(page, &tko);
	if (rc == -EINVAL)
		die("the time data cannot be set up: an offset makes a clock negative, or a bad clock mode");
	if (rc)
		die("the time data cannot be set up: %s", strerror(-rc));
	if (linux_page)
		linux_mirror(page, linux_page);
	out->clock_mode = page->clock_data[VDSO_CS_HRES_COARSE].clock_mode;
	out->counter_hz = page->counter_hz;
	out->mult = page->clock_data[VDSO_CS_HRES_COARSE].mult;
	out->shift = page->clock_data[VDSO_CS_HRES_COARSE].shift;

	/* No writable mapping can be made from now on; the writer keeps `w`. */
	fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_FUTURE_WRITE);

	size_t total_len = data_len + img->map_len;
	void *r = mmap(NULL, total_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		die("cannot reserve %zu bytes for the vDSO: %s", total_len, strerror(errno));
	uintptr_t base = (uintptr_t)r;
	if (mmap(r, data_len, PROT_READ, MAP_SHARED | MAP_FIXED, mfd, 0) == MAP_FAILED)
		die("mmap data pages read-only: %s", strerror(errno));
	close(mfd);
	uintptr_t ib = base + data_len;
	if (mmap((void *)ib, img->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
	    MAP_FAILED)
		die("mmap vDSO image: %s", strerror(errno));
	memcpy((void *)ib, img->bytes, img->size < img->map_len ? img->size : img->map_len);
	if (mprotect((void *)ib, img->map_len, PROT_READ | PROT_EXEC) != 0)
		die("mprotect vDSO image: %s", strerror(errno));
	/* Best effort (CONFIG_ANON_VMA_NAME): shows as [anon:vdso-image] in /proc/PID/maps. */
	prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ib, img->map_len, "vdso-image");

	struct writer_pages wp = { page, linux_page, rng, linux_rng };
	out->writer = start_writer(&wp);
	munmap(w, data_len);

	out->data_base = base;
	out->data_pages_total = total;
	out->ours = base + (size_t)ours_idx * RUN_PAGE;
	out->rng = base + (size_t)rng_idx * RUN_PAGE;
	out->linux_time = mirror ? base + (size_t)linux_time_idx * RUN_PAGE : 0;
	out->image_base = ib;
	out->image_len = img->map_len;
}
