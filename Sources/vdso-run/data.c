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

#define WRITER_PERIOD_MS	1
/*
 * Between updates, a glance at the kernel's coarse clocks this often: they
 * also move off the tick's phase (a CPU leaving NO_HZ idle catches up the
 * ticks it skipped, at whatever moment it wakes), and a glance publishes such
 * a change within this long.  It also keeps the writer's CPU from stopping
 * its tick, which keeps the phase regular.
 */
#define COARSE_GLANCE_NS	100000LL
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

/* The pages the writer keeps current (in its writable mapping); NULL where a page is not there. */
struct writer_pages {
	struct vdso_time_data *time;
	unsigned char *linux_time;
	struct vdso_rng_data *rng, *linux_rng;
};

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Sleeps until CLOCK_MONOTONIC `until` (or sooner); exits when the watched process is gone. */
static void writer_wait(int pidfd, pid_t loader, int64_t until)
{
	int64_t d = until - mono_ns();
	struct timespec ts = { d > 0 ? d / 1000000000LL : 0, d > 0 ? d % 1000000000LL : 0 };
	if (pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };
		int r = ppoll(&p, 1, &ts, NULL);
		if (r > 0 || (r < 0 && errno != EINTR))
			_exit(0);
	} else {
		nanosleep(&ts, NULL);
		if (kill(loader, 0) != 0 && errno == ESRCH)
			_exit(0);
	}
}

static void publish_mirror(const struct writer_pages *wp)
{
	if (wp->linux_time)
		linux_mirror(wp->time, wp->linux_time);
}

/*
 * Every WRITER_PERIOD_MS an ordinary update (hres steering, offsets, coarse
 * clocks); in between, just before each kernel tick, a coarse-only update
 * the moment the tick is seen (coarse_tick.c says why and how).
 */
static _Noreturn void writer_loop(int pidfd, pid_t loader, const struct writer_pages *wp, int ready)
{
	uint64_t last_reseed = 0;
	struct coarse_tick ct;
	if (wp->rng)
		vdso_rng_reseed_due(wp->rng, &last_reseed);
	coarse_tick_init(&ct, wp->time);
	int64_t next_update = mono_ns() + WRITER_PERIOD_MS * 1000000LL;
	for (;;) {
		int64_t tick = coarse_tick_wake(&ct);
		int64_t until = tick < next_update ? tick : next_update;
		int64_t glance = mono_ns() + COARSE_GLANCE_NS;
		writer_wait(pidfd, loader, until < glance ? until : glance);
		int64_t now = mono_ns();
		if (now < until) {
			coarse_tick_check(&ct, wp->time);	/* a change off the tick */
			publish_mirror(wp);
			continue;
		}
		if (now >= tick) {
			/* The mirror is rewritten either way: that ends its hold. */
			coarse_tick_follow(&ct, wp->time, wp->linux_time ? &((struct vdso_clock *)wp->linux_time)->seq : NULL);
			publish_mirror(wp);
			/* The tick's phase is known (or guessed): the program may start. */
			if (ready >= 0) {
				(void)!write(ready, "", 1);
				close(ready);
				ready = -1;
			}
			continue;
		}
		if (now < next_update)
			continue;	/* woken early (a signal) */
		next_update = now + WRITER_PERIOD_MS * 1000000LL;
		vdso_tk_update(wp->time);
		coarse_tick_check(&ct, wp->time);
		publish_mirror(wp);
		if (wp->rng && vdso_rng_reseed_due(wp->rng, &last_reseed) && wp->linux_rng)
			vdso_rng_mirror(wp->rng, wp->linux_rng);
	}
}

/*
 * The writer's own setup: alone in its session, no fds but the pidfd of
 * `watch` and `ready`, written once it follows the kernel's tick.
 */
static _Noreturn void writer_main(int pidfd, pid_t watch, const struct vdso_data *d, int ready)
{
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
	/* Keep only the pidfd and `ready`: move them to 3 and 4, close everything above. */
	if (ready >= 0)
		ready = fcntl(ready, F_DUPFD, 10);
	if (pidfd >= 0 && pidfd != 3) {
		dup2(pidfd, 3);
		pidfd = 3;
	}
	if (ready >= 0) {
		dup2(ready, 4);
		ready = 4;
	}
	int first = 5;
	if (syscall(SYS_close_range, first, ~0U, 0) != 0)
		for (int fd = first; fd < 1024; fd++)
			close(fd);
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	struct writer_pages wp = { d->time, d->linux_time, d->rng, d->linux_rng };
	writer_loop(pidfd, watch, &wp, ready);
}

/*
 * Waits for the writer's `ready` byte: until then it may not follow the tick
 * yet, and a program that read a coarse clock could find it a tick behind.
 * At most one tick and a bit (coarse_tick.c); EOF if the writer died.
 */
static void wait_writer_ready(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;
	if (poll(&p, 1, 100) > 0)
		(void)!read(fd, &c, 1);
}

/*
 * The writer as a child of the tracer (follow_exec.c), which reaps it: it
 * watches the tracer and, should the tracer be killed, dies with it
 * (PR_SET_PDEATHSIG; the getppid() check closes the race with a tracer that
 * died before the prctl).
 */
pid_t vdso_writer_start_owned(const struct vdso_data *d)
{
	pid_t parent = getpid();
	int rfd[2];
	if (pipe2(rfd, O_CLOEXEC) != 0)
		die("pipe: %s", strerror(errno));
	fflush(NULL);
	pid_t w = fork();
	if (w < 0)
		die("fork: %s", strerror(errno));
	if (w == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		close(rfd[0]);
		int pidfd = (int)syscall(SYS_pidfd_open, parent, 0);
		writer_main(pidfd, parent, d, rfd[1]);
	}
	close(rfd[1]);
	wait_writer_ready(rfd[0]);
	close(rfd[0]);
	return w;
}

/*
 * --no-follow-exec: the loader becomes the program, which does not expect a
 * child, so the writer is a grandchild (double fork) that watches the
 * program; its parent is then whoever reaps orphans.  Returns its pid.
 */
static pid_t start_writer_orphan(const struct vdso_data *d)
{
	pid_t loader = getpid();
	int pfd[2], rfd[2];
	if (pipe2(pfd, O_CLOEXEC) != 0 || pipe2(rfd, O_CLOEXEC) != 0)
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
		writer_main(pidfd, loader, d, rfd[1]);
	}
	close(pfd[1]);
	close(rfd[1]);
	pid_t b = -1;
	if (read(pfd[0], &b, sizeof b) != sizeof b)
		b = -1;
	close(pfd[0]);
	int st;
	while (waitpid(a, &st, 0) < 0 && errno == EINTR)
		;
	if (b <= 0)
		die("cannot start the data-page writer process");
	wait_writer_ready(rfd[0]);
	close(rfd[0]);
	return b;
}

/* Page indices from the lowest mapped page; the image follows page `total`. */
struct data_layout {
	unsigned total, ours, rng, linux_time, linux_rng;
	bool mirror, rng_mirror;
};

static void data_layout(const struct run_options *opt, struct data_layout *l)
{
	l->total = opt->data_pages + 1 > arch_linux_vvar_pages ? opt->data_pages + 1 : arch_linux_vvar_pages;
	l->ours = l->total - opt->data_pages;
	l->rng = l->ours - 1;
	l->linux_time = l->total - arch_linux_vvar_pages + arch_linux_time_page;
	l->linux_rng = l->linux_time + LINUX_RNG_PAGE_FROM_TIME;
	l->mirror = l->linux_time != l->ours && l->linux_time != l->rng;
	l->rng_mirror = l->linux_rng != l->ours && l->linux_rng != l->rng && l->linux_rng != l->linux_time;
}

void vdso_data_create(const struct run_options *opt, struct vdso_data *d)
{
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
		.calibrate_ms = 0,
	};
	int rc = vdso_tk_init(d->time, &tko);
	if (rc == -EINVAL)
		die("the time data cannot be set up: an offset makes a clock negative, or a bad clock mode");
	if (rc)
		die("the time data cannot be set up: %s", strerror(-rc));
	if (d->linux_time)
		linux_mirror(d->time, d->linux_time);

	/* No writable mapping can be made from now on; the writer keeps `w`. */
	fcntl(d->memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_FUTURE_WRITE);
}

void vdso_map(const struct run_options *opt, const struct vdso_image *img, int memfd, struct vdso_mapping *out)
{
	struct data_layout l;
	data_layout(opt, &l);
	size_t data_len = (size_t)l.total * RUN_PAGE;
	struct stat st;
	if (fstat(memfd, &st) != 0 || st.st_size < 0 || (size_t)st.st_size != data_len)
		die("the shared data pages are %lld bytes, not the %zu that --data-pages %u needs",
		    (long long)st.st_size, data_len, opt->data_pages);

	size_t total_len = data_len + img->map_len;
	void *r = mmap(NULL, total_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		die("cannot reserve %zu bytes for the vDSO: %s", total_len, strerror(errno));
	uintptr_t base = (uintptr_t)r;
	if (mmap(r, data_len, PROT_READ, MAP_SHARED | MAP_FIXED, memfd, 0) == MAP_FAILED)
		die("mmap data pages read-only: %s", strerror(errno));
	uintptr_t ib = base + data_len;
	if (mmap((void *)ib, img->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
	    MAP_FAILED)
		die("mmap vDSO image: %s", strerror(errno));
	memcpy((void *)ib, img->bytes, img->size < img->map_len ? img->size : img->map_len);
	if (mprotect((void *)ib, img->map_len, PROT_READ | PROT_EXEC) != 0)
		die("mprotect vDSO image: %s", strerror(errno));
	/* Best effort (CONFIG_ANON_VMA_NAME): shows as [anon:vdso-image] in /proc/PID/maps. */
	prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ib, img->map_len, "vdso-image");

	const struct vdso_time_data *page = (const struct vdso_time_data *)(base + (size_t)l.ours * RUN_PAGE);
	out->clock_mode = page->clock_data[VDSO_CS_HRES_COARSE].clock_mode;
	out->counter_hz = page->counter_hz;
	out->mult = page->clock_data[VDSO_CS_HRES_COARSE].mult;
	out->shift = page->clock_data[VDSO_CS_HRES_COARSE].shift;
	out->data_base = base;
	out->data_pages_total = l.total;
	out->ours = base + (size_t)l.ours * RUN_PAGE;
	out->rng = base + (size_t)l.rng * RUN_PAGE;
	out->linux_time = l.mirror ? base + (size_t)l.linux_time * RUN_PAGE : 0;
	out->image_base = ib;
	out->image_len = img->map_len;
}

void vdso_setup(const struct run_options *opt, const struct vdso_image *img, struct vdso_mapping *out)
{
	struct vdso_data d;
	memset(out, 0, sizeof *out);
	vdso_data_create(opt, &d);
	vdso_map(opt, img, d.memfd, out);
	close(d.memfd);
	out->writer = start_writer_orphan(&d);
	munmap(d.w, d.len);
}

/*
 * The writer died (killed, say, while it held the coarse clocks odd across a tick, or in the middle
 * of an update): end every update it left open, here and in the Linux mirror, so that readers see
 * the last values it published instead of spinning on an odd seq for ever.  The values stand
 * still from now on; the tracer says so.  Called by the tracer, which keeps its writable mapping
 * for this alone, once the writer has been reaped (so no store of its can follow ours).
 */
void vdso_data_release(struct vdso_data *d)
{
	if (!d->w)
		return;
	struct vdso_clock *blocks[2] = { d->time->clock_data, (struct vdso_clock *)d->linux_time };
	for (int b = 0; b < 2; b++) {
		if (!blocks[b])
			continue;
		for (int i = 0; i < VDSO_CS_BASES; i++) {
			uint32_t s = __atomic_load_n(&blocks[b][i].seq, __ATOMIC_RELAXED);
			if (s & 1)
				__atomic_store_n(&blocks[b][i].seq, s + 1, __ATOMIC_RELEASE);
		}
	}
}
