/* SPDX-License-Identifier: MIT */
/*
 * The driver of a kernel side of the user's own (kernel-vdso/include/vdso/
 * kernel_side.h): `vdsogen run --kernel-side FILE.c` links FILE.c with this
 * into a writer program, which vdso-run starts in place of its own writer
 * (Sources/vdso-run/kernel_side.c).  Not part of vdso-run itself: vdso-run is
 * static, and a static program cannot dlopen the user's code.
 *
 *   WRITER --describe
 *       prints the ABI, the area's pages and the period, one a line, after
 *       checking them (exit 2 with one line if one is out of range);
 *   WRITER --serve RT_OFFSET_NS MONO_OFFSET_NS CLOCK_MODE WATCH_PID
 *       fd 3: the data area's memfd (read-write, not yet sealed), fd 4: a
 *       pidfd of WATCH_PID (or not open), fd 5: the ready pipe.  Maps the
 *       area, calls init, writes its result (an int32, 0 or -errno) to fd 5,
 *       then calls update every period until WATCH_PID is gone.
 *
 * The times in the info come from vdso-run's own timekeeper
 * (kernel-vdso/host/timekeeper.c) on a private page: steered to the kernel's
 * clocks, offsets applied as a time namespace does.
 */
#define _GNU_SOURCE
#include "vdso/kernel_side.h"
#include "timekeeper.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FD_AREA		3
#define FD_WATCH	4
#define FD_READY	5

extern const unsigned vdso_kernel_side_period_us __attribute__((weak));

static struct vdso_time_data clock_page;

static _Noreturn void fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "vdso-run: kernel side: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

static unsigned period_us(void)
{
	return &vdso_kernel_side_period_us ? vdso_kernel_side_period_us : 1000;
}

/* The declarations, or one line and exit 2. */
static void check_declarations(void)
{
	size_t n = strnlen(vdso_kernel_side_abi, 65);
	if (n == 0 || n > 64)
		fail("vdso_kernel_side_abi must be 1 to 64 characters%s", "");
	for (size_t i = 0; i < n; i++)
		if (vdso_kernel_side_abi[i] <= 0x20 || vdso_kernel_side_abi[i] >= 0x7f)
			fail("vdso_kernel_side_abi \"%s\" must be printable ASCII without spaces", vdso_kernel_side_abi);
	if (vdso_kernel_side_pages < 1 || vdso_kernel_side_pages > 64)
		fail("vdso_kernel_side_pages must be 1 to 64%s", "");
	if (period_us() < 100 || period_us() > 1000000)
		fail("vdso_kernel_side_period_us must be 100 to 1000000%s", "");
}

static int64_t base_ns(const struct vdso_clock *c, int id, int shifted)
{
	uint64_t nsec = shifted ? c->basetime[id].nsec >> c->shift : c->basetime[id].nsec;
	return (int64_t)(c->basetime[id].sec * 1000000000ULL + nsec);
}

/* The private page's state, as the info the kernel side sees. */
static void info_fill(struct vdso_kernel_side_info *in, uint64_t update)
{
	const struct vdso_clock *c = &clock_page.clock_data[VDSO_CS_HRES_COARSE];
	const struct vdso_clock *raw = &clock_page.clock_data[VDSO_CS_RAW];
	in->size = sizeof *in;
	in->period_us = period_us();
	in->update = update;
	in->clock_mode = c->clock_mode;
	in->mult = c->mult;
	in->shift = c->shift;
	in->counter_hz = c->clock_mode == VDSO_CLOCKMODE_COUNTER ? clock_page.counter_hz : 0;
	in->cycle_last = c->cycle_last;
	in->realtime_ns = base_ns(c, VDSO_CLOCK_REALTIME, 1);
	in->monotonic_ns = base_ns(c, VDSO_CLOCK_MONOTONIC, 1);
	in->monotonic_raw_ns = base_ns(raw, VDSO_CLOCK_MONOTONIC_RAW, 1);
	in->boottime_ns = base_ns(c, VDSO_CLOCK_BOOTTIME, 1);
	in->realtime_coarse_ns = base_ns(c, VDSO_CLOCK_REALTIME_COARSE, 0);
	in->monotonic_coarse_ns = base_ns(c, VDSO_CLOCK_MONOTONIC_COARSE, 0);
}

static int64_t mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Sleep until `until` (CLOCK_MONOTONIC ns); exit once the watched process is gone. */
static void wait_until(int64_t until, pid_t watch, int pidfd)
{
	int64_t d = until - mono_now();
	struct timespec ts = { d > 0 ? d / 1000000000LL : 0, d > 0 ? d % 1000000000LL : 0 };
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int r = ppoll(&p, pidfd >= 0 ? 1 : 0, &ts, NULL);
	if (pidfd >= 0 && (r > 0 || (r < 0 && errno != EINTR)))
		_exit(0);
	if (pidfd < 0 && kill(watch, 0) != 0 && errno == ESRCH)
		_exit(0);
}

static void report(int status)
{
	int32_t s = status;
	if (write(FD_READY, &s, sizeof s) != sizeof s)
		_exit(1);
	close(FD_READY);
}

static _Noreturn void serve(char **argv)
{
	struct vdso_tk_options tko = {
		.realtime_offset_ns = strtoll(argv[0], NULL, 10),
		.monotonic_offset_ns = strtoll(argv[1], NULL, 10),
		.clock_mode = atoi(argv[2]),
		.cpu_mode = VDSO_TK_AUTO,
	};
	pid_t watch = (pid_t)atoi(argv[3]);
	int pidfd = fcntl(FD_WATCH, F_GETFD) >= 0 ? FD_WATCH : -1;
	size_t len = (size_t)vdso_kernel_side_pages * 4096;
	struct stat st;
	if (fstat(FD_AREA, &st) != 0 || st.st_size != (off_t)len) {
		fprintf(stderr, "vdso-run: kernel side: the data area is not the %zu bytes it declares\n", len);
		report(-EINVAL);
		_exit(2);
	}
	void *area = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, FD_AREA, 0);
	int rc = area == MAP_FAILED ? -errno : vdso_tk_init(&clock_page, &tko);
	close(FD_AREA);
	if (rc) {
		fprintf(stderr, "vdso-run: kernel side: the clocks cannot be set up: %s\n", strerror(-rc));
		report(rc);
		_exit(2);
	}
	struct vdso_kernel_side_info info;
	info_fill(&info, 0);
	info.realtime_offset_ns = tko.realtime_offset_ns;
	info.monotonic_offset_ns = tko.monotonic_offset_ns;
	rc = vdso_kernel_side_init(area, len, &info);
	fflush(NULL);
	report(rc > 0 ? -rc : rc);
	if (rc)
		_exit(2);
	/* From now on, as vdso-run's own writer: no terminal, no fd a `$(...)` would wait for. */
	setsid();
	int null = open("/dev/null", O_RDWR);
	for (int fd = 0; fd < 3 && null >= 0; fd++)
		dup2(null, fd);
	if (null > 2)
		close(null);
	int64_t period = (int64_t)period_us() * 1000;
	int64_t next = mono_now() + period;
	for (uint64_t n = 1;; n++) {
		wait_until(next, watch, pidfd);
		int64_t now = mono_now();
		if (now < next) {
			n--;	/* woken early (a signal) */
			continue;
		}
		next = now + period;
		vdso_tk_update(&clock_page);
		info_fill(&info, n);
		vdso_kernel_side_update(area, len, &info);
	}
}

int main(int argc, char **argv)
{
	check_declarations();
	if (argc == 2 && strcmp(argv[1], "--describe") == 0) {
		printf("%s\n%u\n%u\n", vdso_kernel_side_abi, vdso_kernel_side_pages, period_us());
		return 0;
	}
	if (argc == 6 && strcmp(argv[1], "--serve") == 0)
		serve(argv + 2);
	fprintf(stderr, "usage: %s --describe | --serve RT_NS MONO_NS CLOCK_MODE WATCH_PID (started by vdso-run)\n",
		argv[0]);
	return 2;
}
