/* SPDX-License-Identifier: MIT */
/*
 * Programs of another architecture (aarch64, riscv64): the hand-over
 * to qemu-user and the guest loader (guest/main_guest.c).
 *
 * qemu-user runs a foreign program on this machine, but gives it no vDSO
 * of the image's kind.  So this process, once it knows the program is
 * foreign (after the PATH search and #! lines), execs
 *
 *   qemu-ARCH-static [-L SYSROOT] vdso-run-ARCH --image IMG ... -- ARGV...
 *
 * and vdso-run-ARCH, a loader built for the guest architecture, does in
 * the guest everything vdso-run does here: it maps the program and its
 * interpreter, the data pages and the image, starts the writer (which
 * reads the guest's counter as the image does) and builds the stack whose
 * auxv points AT_SYSINFO_EHDR at the image.  SYSROOT is where qemu finds
 * the program's interpreter and libraries (/lib/ld-linux-aarch64.so.1):
 * $QEMU_LD_PREFIX, which qemu reads itself, or the Debian cross sysroot.
 *
 * qemu-user gives its guests neither ptrace nor seccomp, so the exec
 * tracer cannot follow a foreign program's execs: it runs as with
 * --no-follow-exec.  The process keeps its PID across both execs.
 */
#include "vdso_run.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clocksource.h"
#include "timekeeper.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

/* Not 32-bit arm: qemu-arm 7.2 gives its guests no access to the counter an arm image reads. */
static const struct guest_arch guests[] = {
	{ EM_AARCH64, ELFCLASS64, "aarch64", "qemu-aarch64", "/usr/aarch64-linux-gnu" },
	{ EM_RISCV, ELFCLASS64, "riscv64", "qemu-riscv64", "/usr/riscv64-linux-gnu" },
};

/* e_machine and class of the ELF file at `path`, or -1 (not a little-endian ELF). */
static int machine_of(const char *path, int *class)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	unsigned char h[20];
	ssize_t n = pread(fd, h, sizeof h, 0);
	close(fd);
	if (n != (ssize_t)sizeof h || memcmp(h, ELFMAG, SELFMAG) != 0 || h[EI_DATA] != ELFDATA2LSB)
		return -1;
	*class = h[EI_CLASS];
	return h[18] | h[19] << 8;	/* e_machine: the same offset in both classes */
}

const struct guest_arch *guest_arch_of(const char *path)
{
	int class = 0, machine = machine_of(path, &class);
	for (size_t i = 0; i < sizeof guests / sizeof guests[0]; i++)
		if (guests[i].machine == machine && guests[i].class == class)
			return &guests[i];
	return NULL;
}

/* NAME-static, else NAME, on PATH; exit 2 if neither. */
static char *find_qemu(const struct guest_arch *g, const char *program)
{
	char name[64];
	for (int pass = 0; pass < 2; pass++) {
		snprintf(name, sizeof name, "%s%s", g->qemu, pass == 0 ? "-static" : "");
		const char *path = getenv("PATH");
		for (const char *p = path ? path : "/usr/bin:/bin";;) {
			const char *c = strchr(p, ':');
			size_t dl = c ? (size_t)(c - p) : strlen(p);
			char *cand;
			if (asprintf(&cand, "%.*s/%s", (int)dl, dl ? p : ".", name) < 0)
				die("out of memory");
			if (access(cand, X_OK) == 0)
				return cand;
			free(cand);
			if (!c)
				break;
			p = c + 1;
		}
	}
	die("%s: %s program: %s-static (Debian's qemu-user-static) is needed to run it here, and is not on PATH",
	    program, g->name, g->qemu);
}

/* The image must be the program's architecture's: one line, exit 2, if it is not. */
static void require_image(const struct run_options *o, const struct guest_arch *g, const char *program)
{
	if (o->no_vdso)
		return;
	const char *img = o->image ? o->image : o->image32;
	int class = 0, machine = machine_of(img, &class);
	if (machine == g->machine && class == g->class && !(o->image && o->image32))
		return;
	const char *m = machine >= 0 ? elf_machine_name(machine) : NULL;
	die("%s: %s program, but the image %s is %s: give an %s image (--image, built from "
	    "kernel-vdso/arch/%s/vdso.toml)", program, g->name, img, m ? m : "not an ELF file for it", g->name,
	    g->name);
}

/* vdso-run-ARCH, next to this executable. */
static char *guest_loader(const struct guest_arch *g, const char *program)
{
	char self[PATH_MAX], *out;
	ssize_t l = readlink("/proc/self/exe", self, sizeof self - 1);
	if (l <= 0)
		die("/proc/self/exe: %s", strerror(errno));
	self[l] = 0;
	char *slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	if (asprintf(&out, "%s/vdso-run-%s", slash ? self : ".", g->name) < 0)
		die("out of memory");
	if (access(out, X_OK) != 0)
		die("%s: %s program, but its loader %s is missing (%s): build it with `make loader`", program, g->name,
		    out, strerror(errno));
	return out;
}

void foreign_exec(const struct run_options *opt, const struct guest_arch *g, const char *path, const char *execfn,
		  char **pargv)
{
	require_image(opt, g, path);
	char *qemu = find_qemu(g, path), *loader = guest_loader(g, path);
	const char *prefix = getenv("QEMU_LD_PREFIX");
	bool own_prefix = !(prefix && *prefix);
	int pc = 0;
	while (pargv[pc])
		pc++;
	char **av = calloc((size_t)pc + 32, sizeof *av);
	char num[6][24];
	if (!av)
		die("out of memory");
	snprintf(num[0], sizeof num[0], "%" PRId64, opt->realtime_offset_ns);
	snprintf(num[1], sizeof num[1], "%" PRId64, opt->monotonic_offset_ns);
	snprintf(num[2], sizeof num[2], "%d", opt->clock_mode);
	snprintf(num[3], sizeof num[3], "%u", opt->data_pages);
	/*
	 * The kernel's REALTIME - MONOTONIC and BOOTTIME - MONOTONIC, read here
	 * through this host's vDSO (~20 ns a read) for the guest's writer, whose
	 * system calls under qemu are too slow to bracket them as closely.
	 */
	int64_t w;
	snprintf(num[4], sizeof num[4], "%" PRId64, cs_measure_offset(CLOCK_REALTIME, 64, &w));
	snprintf(num[5], sizeof num[5], "%" PRId64, cs_measure_offset(CLOCK_BOOTTIME, 64, &w));
	int k = 0;
	av[k++] = qemu;
	if (own_prefix) {
		av[k++] = "-L";
		av[k++] = (char *)g->sysroot;
	}
	av[k++] = loader;
	if (opt->verbose)
		av[k++] = "--verbose";
	if (opt->no_vdso) {
		av[k++] = "--no-vdso";
	} else {
		av[k++] = "--image";
		av[k++] = (char *)(opt->image ? opt->image : opt->image32);
	}
	const char *v[] = { "--realtime-offset-ns", num[0], "--monotonic-offset-ns", num[1], "--clock-mode", num[2],
			    "--data-pages", num[3], "--realtime-minus-monotonic-ns", num[4],
			    "--boottime-minus-monotonic-ns", num[5], "--exec", path, "--execfn", execfn, "--" };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		av[k++] = (char *)v[i];
	for (int i = 0; i < pc; i++)
		av[k++] = pargv[i];
	vlog("foreign     %s program: %s runs %s (interpreter and libraries from %s), which maps it", g->name, qemu,
	     loader, own_prefix ? g->sysroot : prefix);
	if (opt->follow_exec)
		vlog("foreign     qemu-user cannot trace its guests: the program's execs are not followed "
		     "(as --no-follow-exec)");
	fflush(NULL);
	execv(qemu, av);
	die("%s: cannot start %s: %s", path, qemu, strerror(errno));
}
