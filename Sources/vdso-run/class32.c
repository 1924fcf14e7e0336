/* SPDX-License-Identifier: MIT */
/*
 * ELF32 i386 programs: which image a program needs, and the hand-over to
 * vdso-run32 (compat32/main32.c), the loader's 32-bit half.
 *
 * Everything that is 64-bit stays here, in the 64-bit loader: the options,
 * the data pages and their writer (the host timekeeper needs __int128), the
 * exec tracer.  For an i386 program this process, once that is done, execs
 * vdso-run32 (which lies next to it) with the data memfd as an inherited fd;
 * the kernel starts it as a 32-bit process, and it maps the program, the
 * data pages and the i386 image below 4 GiB.  The process keeps its PID
 * across that exec, so the writer and the tracer see the same program.
 */
#include "vdso_run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int elf_kind_of(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	unsigned char h[20];
	ssize_t n = pread(fd, h, sizeof h, 0);
	close(fd);
	if (n != (ssize_t)sizeof h || memcmp(h, ELFMAG, SELFMAG) != 0 || h[EI_DATA] != ELFDATA2LSB)
		return ELF_KIND_OTHER;
	unsigned machine = h[18] | (unsigned)h[19] << 8;	/* e_machine: the same offset in both classes */
	if (h[EI_CLASS] == ELFCLASS64 && machine == EM_X86_64)
		return ELF_KIND_X86_64;
	if (h[EI_CLASS] == ELFCLASS32 && machine == EM_386)
		return ELF_KIND_I386;
	return ELF_KIND_OTHER;
}

void image_assign(struct run_options *o, const char *path)
{
	/* Another machine's image: --image for the 64-bit one, where image_read says why. */
	const char **slot = elf_kind_of(path) == ELF_KIND_I386 ? &o->image32 : &o->image;
	if (*slot && slot == &o->image32)
		die("--image %s: two i386 images (%s too); give one per class, x86-64 and i386", path, *slot);
	if (*slot)
		die("--image %s: a second 64-bit image (%s too); give an x86-64 and an i386 one, or one of "
		    "a foreign program's architecture alone", path, *slot);
	*slot = path;
}

void image_require(const struct run_options *o, const char *program, bool is_i386)
{
	if (o->no_vdso || (is_i386 ? o->image32 : o->image))
		return;
	if (is_i386)
		die("%s: ELF32 i386 program, but the image %s is x86-64: give an i386 image too "
		    "(--image, built from kernel-vdso/arch/i386/vdso.toml)", program, o->image);
	die("%s: ELF64 x86-64 program, but the image %s is i386: give an x86-64 image too "
	    "(--image, built from kernel-vdso/arch/x86_64/vdso.toml)", program, o->image32);
}

void loader32_path(char *buf, size_t n)
{
	char self[PATH_MAX];
	ssize_t l = readlink("/proc/self/exe", self, sizeof self - 1);
	if (l <= 0)
		die("/proc/self/exe: %s", strerror(errno));
	self[l] = 0;
	char *slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	if ((size_t)snprintf(buf, n, "%s/vdso-run32", slash ? self : ".") >= n)
		die("%s: path too long", self);
}

/* --no-follow-exec (or run inside run): the data pages and an orphan writer, made here. */
static int data_for_32(struct run_options *opt)
{
	struct vdso_data d;
	vdso_data_create(opt, &d);
	opt->writer_pid = vdso_writer_start_orphan(&d);
	munmap(d.w, d.len);
	return d.memfd;
}

void run32_exec(struct run_options *opt, const char *path, const char *execfn, char **pargv, int data_fd)
{
	char run32[PATH_MAX];
	loader32_path(run32, sizeof run32);
	if (access(run32, X_OK) != 0)
		die("%s: ELF32 i386 program, but the 32-bit loader %s is missing (%s): build it with `make loader`",
		    path, run32, strerror(errno));
	if (!opt->no_vdso && data_fd < 0)
		data_fd = data_for_32(opt);
	/* Inherited across the exec: vdso-run32 maps it and closes it. */
	int fd = data_fd >= 0 ? fcntl(data_fd, F_DUPFD, 3) : -1;
	if (data_fd >= 0 && fd < 0)
		die("dup data pages: %s", strerror(errno));
	int pc = 0;
	while (pargv[pc])
		pc++;
	char **av = calloc((size_t)pc + 20, sizeof *av);
	char fdbuf[16], pages[16], writer[16];
	if (!av)
		die("out of memory");
	snprintf(fdbuf, sizeof fdbuf, "%d", fd);
	snprintf(pages, sizeof pages, "%u", opt->data_pages);
	snprintf(writer, sizeof writer, "%d", (int)opt->writer_pid);
	int k = 0;
	av[k++] = run32;
	if (opt->verbose)
		av[k++] = "--verbose";
	if (opt->no_vdso) {
		av[k++] = "--no-vdso";
	} else {
		const char *v[] = { "--image", opt->image32, "--data-fd", fdbuf, "--data-pages", pages,
				    "--writer-pid", writer };
		for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
			av[k++] = (char *)v[i];
	}
	const char *tail[] = { "--exec", path, "--execfn", execfn, "--" };
	for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++)
		av[k++] = (char *)tail[i];
	for (int i = 0; i < pc; i++)
		av[k++] = pargv[i];
	vlog("class       ELF32 i386: %s maps it below 4 GiB", run32);
	if (!opt->no_vdso)
		vlog("offsets     realtime %+lld ns, monotonic %+lld ns; writer pid %d, period 1 ms",
		     (long long)opt->realtime_offset_ns, (long long)opt->monotonic_offset_ns, (int)opt->writer_pid);
	fflush(NULL);
	execv(run32, av);
	die("%s: cannot start the 32-bit loader %s: %s", path, run32, strerror(errno));
}
