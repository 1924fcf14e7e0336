/* SPDX-License-Identifier: MIT */
/*
 * A kernel side of the user's own (--kernel-side WRITER): the data area is
 * the writer's, not vdsogen's.  `vdsogen run --kernel-side FILE.c` builds
 * WRITER from FILE.c and the driver (kernel-side-driver/driver.c, protocol
 * there) and passes the pages it declares as --data-pages.
 *
 * The area is --data-pages pages, ending where the image begins, in one
 * memfd; nothing of vdsogen's is in it (no time page, no Linux mirror, no
 * getrandom page).  The writer is started as vdso-run's own is (a child of
 * the tracer, or an orphan with --no-follow-exec) but by exec, with the memfd
 * still unsealed: it maps the area writable, runs its init, and says so on a
 * pipe.  Only then is the memfd sealed against any new writable mapping and
 * mapped, read-only, below the image: the program never sees an area its
 * kernel side has not filled, nor one it could make writable.
 *
 * Followed execs map the same memfd (--shared-data, --kernel-side-area in the
 * session); the writer serves them all.
 */
#include "vdso_run.h"

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
#include <unistd.h>

/* How long the kernel side's init may take before the run is given up. */
#define KSIDE_INIT_TIMEOUT_MS	10000

void kside_data_create(const struct run_options *opt, struct vdso_data *d)
{
	memset(d, 0, sizeof *d);
	d->kside = opt;
	d->len = (size_t)opt->data_pages * RUN_PAGE;
	d->memfd = memfd_create("vdso-kernel-side", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (d->memfd < 0)
		die("memfd_create: %s", strerror(errno));
	if (ftruncate(d->memfd, (off_t)d->len) != 0)
		die("ftruncate memfd: %s", strerror(errno));
}

/* In the writer's process: fds 3 (area), 4 (pidfd of `watch`), 5 (ready), then the exec. */
static _Noreturn void kside_exec(const struct vdso_data *d, int pidfd, pid_t watch, int ready)
{
	int area = fcntl(d->memfd, F_DUPFD, 10);
	int pf = pidfd >= 0 ? fcntl(pidfd, F_DUPFD, 10) : -1;
	int rd = fcntl(ready, F_DUPFD, 10);
	if (area < 0 || rd < 0 || dup2(area, 3) != 3 || dup2(rd, 5) != 5 || (pf >= 0 && dup2(pf, 4) != 4))
		_exit(127);
	if (pf < 0)
		close(4);
	syscall(SYS_close_range, 6, ~0U, 0);
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	prctl(PR_SET_NAME, "vdso-run writer");
	const struct run_options *o = d->kside;
	char rt[24], mono[24], mode[12], w[12];
	snprintf(rt, sizeof rt, "%lld", (long long)o->realtime_offset_ns);
	snprintf(mono, sizeof mono, "%lld", (long long)o->monotonic_offset_ns);
	snprintf(mode, sizeof mode, "%d", o->clock_mode);
	snprintf(w, sizeof w, "%d", (int)watch);
	char *argv[] = { (char *)o->kernel_side, "--serve", rt, mono, mode, w, NULL };
	execv(o->kernel_side, argv);
	fprintf(stderr, "vdso-run: cannot start the kernel side %s: %s\n", o->kernel_side, strerror(errno));
	_exit(127);
}

/* The writer's init result on `fd`, then the seals; exit 2 with one line if it failed. */
static void kside_ready(const struct vdso_data *d, int fd, pid_t writer)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int32_t status;
	int r = poll(&p, 1, KSIDE_INIT_TIMEOUT_MS);
	if (r == 0) {
		kill(writer, SIGKILL);
		die("the kernel side's vdso_kernel_side_init did not return within %d s; the program was not started",
		    KSIDE_INIT_TIMEOUT_MS / 1000);
	}
	if (read(fd, &status, sizeof status) != sizeof status)
		die("the kernel side's writer (%s) exited before its init returned; the program was not started",
		    d->kside->kernel_side);
	close(fd);
	if (status != 0)
		die("the kernel side's vdso_kernel_side_init returned %d (%s); the program was not started", (int)status,
		    strerror(-status));
	if (fcntl(d->memfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_FUTURE_WRITE) != 0)
		die("cannot seal the kernel side's data area: %s", strerror(errno));
}

pid_t kside_start_owned(const struct vdso_data *d)
{
	int ready;
	pid_t w = writer_fork_owned(d, kside_exec, &ready);
	kside_ready(d, ready, w);
	return w;
}

/* --no-follow-exec: a grandchild (double fork) that watches the loader, which becomes the program. */
static pid_t kside_start_orphan(const struct vdso_data *d)
{
	int ready;
	pid_t b = writer_fork_orphan(d, kside_exec, &ready, "the kernel side's writer process");
	kside_ready(d, ready, b);
	return b;
}

void kside_setup(const struct run_options *opt, const struct vdso_image *img, struct vdso_mapping *out)
{
	struct vdso_data d;
	memset(out, 0, sizeof *out);
	kside_data_create(opt, &d);
	pid_t w = kside_start_orphan(&d);
	vdso_map(opt, img, d.memfd, out);
	close(d.memfd);
	out->writer = w;
}
