/* SPDX-License-Identifier: MIT */
/*
 * The session: what every followed exec's loader must know, in a sealed
 * memfd of the tracer.  A rewritten exec names it as --follow=TRACER:FD; the
 * loader reads /proc/TRACER/fd/FD (ptrace read access: same credentials) and
 * finds there the image and the data pages, as /proc/TRACER/fd paths too, the
 * writer's pid and the options that shape what it maps and prints.
 */
#include "vdso_run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SESSION_MAX	16384

/* The loader's options for every followed exec, NUL-separated, sealed. */
int session_create(const struct run_options *opt, pid_t self, int image, int image32, int data, pid_t writer)
{
	char buf[1024];
	size_t n = 0;
#define ADD(...)                                                                   \
	do {                                                                       \
		int w_ = snprintf(buf + n, sizeof buf - n, __VA_ARGS__);           \
		if (w_ < 0 || (size_t)w_ + 1 >= sizeof buf - n)                    \
			die("the session options do not fit in %zu bytes", sizeof buf); \
		n += (size_t)w_ + 1;                                               \
	} while (0)
	if (data >= 0) {
		if (image >= 0) {
			ADD("--image");
			ADD("/proc/%d/fd/%d", (int)self, image);
		}
		if (image32 >= 0) {
			ADD("--image");
			ADD("/proc/%d/fd/%d", (int)self, image32);
		}
		ADD("--shared-data");
		ADD("/proc/%d/fd/%d", (int)self, data);
		ADD("--writer-pid");
		ADD("%d", (int)writer);
		ADD("--data-pages");
		ADD("%u", opt->data_pages);
		if (opt->kernel_side_area)
			ADD("--kernel-side-area");
	} else {
		ADD("--no-vdso");
	}
	ADD("--realtime-offset");
	ADD("%lldns", (long long)opt->realtime_offset_ns);
	ADD("--monotonic-offset");
	ADD("%lldns", (long long)opt->monotonic_offset_ns);
	if (opt->verbose)
		ADD("--verbose");
	if (opt->no_aslr)
		ADD("--no-aslr");
#undef ADD
	int fd = memfd_create("vdso-run-session", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0 || write(fd, buf, n) != (ssize_t)n)
		die("cannot write the session memfd: %s", strerror(errno));
	fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	return fd;
}

char **follow_session_argv(int *argcp, char **argv)
{
	int argc = *argcp, tracer, fd;
	char end;
	if (argc < 3 || sscanf(argv[1], "--follow=%d:%d%c", &tracer, &fd, &end) != 2 || tracer <= 0 || fd < 0)
		die("%s: not a --follow=TRACER:FD that the tracer writes", argv[1]);
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/fd/%d", tracer, fd);
	int s = open(path, O_RDONLY | O_CLOEXEC);
	if (s < 0)
		die("cannot read the session of tracer %d (%s): %s", tracer, path, strerror(errno));
	char *blob = malloc(SESSION_MAX);
	if (!blob)
		die("out of memory");
	ssize_t n = pread(s, blob, SESSION_MAX, 0);
	close(s);
	if (n <= 0 || blob[n - 1] != 0)
		die("%s: not a session the tracer wrote", path);
	int m = 0;
	for (ssize_t i = 0; i < n; i++)
		m += blob[i] == 0;
	/* argv[0], the session, --exec FILE --, the program's argv (one "" if it
	 * had none, as the kernel gives it since 5.18), NULL. */
	char **nv = calloc((size_t)m + (size_t)argc + 5, sizeof *nv);
	if (!nv)
		die("out of memory");
	int k = 0;
	nv[k++] = argv[0];
	for (char *p = blob; p < blob + n; p += strlen(p) + 1)
		nv[k++] = p;
	nv[k++] = "--exec";
	nv[k++] = argv[2];
	nv[k++] = "--";
	for (int i = 3; i < argc; i++)
		nv[k++] = argv[i];
	if (argc == 3)
		nv[k++] = "";
	*argcp = k;
	return nv;
}
