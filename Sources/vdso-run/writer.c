/* SPDX-License-Identifier: MIT */
/*
 * The data-page writer: the process that keeps the time pages current (a
 * kernel's timer tick, in user space) and the Linux-layout mirror with them,
 * and what ends an update it left open if it dies.  The pages themselves are
 * made and mapped by data.c.
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

#define WRITER_PERIOD_MS	1
/*
 * Between updates, a glance at the kernel's coarse clocks this often: they
 * also move off the tick's phase (a CPU leaving NO_HZ idle catches up the
 * ticks it skipped, at whatever moment it wakes), and a glance publishes such
 * a change within this long.  It also keeps the writer's CPU from stopping
 * its tick, which keeps the phase regular.
 */
#define COARSE_GLANCE_NS	100000LL

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
		vdso_linux_mirror(wp->time, wp->linux_time);
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
static _Noreturn void writer_main(const struct vdso_data *d, int pidfd, pid_t watch, int ready)
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
pid_t writer_fork_owned(const struct vdso_data *d, writer_body *body, int *ready_rd)
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
		body(d, (int)syscall(SYS_pidfd_open, parent, 0), parent, rfd[1]);
		_exit(127);	/* a body never returns */
	}
	close(rfd[1]);
	*ready_rd = rfd[0];
	return w;
}

pid_t vdso_writer_start_owned(const struct vdso_data *d)
{
	if (d->kside)
		return kside_start_owned(d);
	int ready;
	pid_t w = writer_fork_owned(d, writer_main, &ready);
	wait_writer_ready(ready);
	close(ready);
	return w;
}

/*
 * --no-follow-exec: the loader becomes the program, which does not expect a
 * child, so the writer is a grandchild (double fork) that watches the
 * program; its parent is then whoever reaps orphans.  Returns its pid.
 */
pid_t writer_fork_orphan(const struct vdso_data *d, writer_body *body, int *ready_rd, const char *what)
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
		setsid();
		body(d, pidfd, loader, rfd[1]);
		_exit(127);	/* a body never returns */
	}
	close(pfd[1]);
	close(rfd[1]);
	pid_t b = -1;
	if (read(pfd[0], &b, sizeof b) != sizeof b)
		b = -1;
	close(pfd[0]);
	while (waitpid(a, NULL, 0) < 0 && errno == EINTR)
		;
	if (b <= 0)
		die("cannot start %s", what);
	*ready_rd = rfd[0];
	return b;
}

pid_t vdso_writer_start_orphan(const struct vdso_data *d)
{
	int ready;
	pid_t b = writer_fork_orphan(d, writer_main, &ready, "the data-page writer process");
	wait_writer_ready(ready);
	close(ready);
	return b;
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
