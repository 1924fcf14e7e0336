/* SPDX-License-Identifier: MIT */
/*
 * vdso-run32: the 32-bit half of vdso-run, for ELF32 i386 programs on an
 * x86-64 kernel.  Only vdso-run starts it (class32.c), once it has done
 * everything that stays 64-bit: the options, the PATH search and #! lines,
 * the data pages and their writer (kernel-vdso/host/timekeeper.c needs
 * __int128), the exec tracer.  This process, started by the kernel as a
 * 32-bit process, then does what main.c does for a 64-bit program, below
 * 4 GiB:
 *
 *   1. map the program's PT_LOAD segments and its interpreter
 *      (/lib/ld-linux.so.2) -- elf_load.c, built for ELF32;
 *   2. map the writer's data pages (the memfd it inherits) read-only and the
 *      i386 image above them -- map.c, the layout of the 64-bit loader;
 *   3. build the 32-bit stack: AT_SYSINFO (the image's __kernel_vsyscall)
 *      and AT_SYSINFO_EHDR (the image) among the auxv -- stack.c;
 *   4. unregister our rseq area, unmap the kernel's [vdso]/[vvar], jump.
 *
 * Its command line is vdso-run's, not the user's:
 *   vdso-run32 [--verbose] (--image IMG (--data-fd N | --data PATH) --data-pages N
 *              --writer-pid P | --no-vdso) --exec FILE --execfn NAME -- ARGV...
 */
#include "vdso_run.h"
#include "elf_lookup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

struct run32_args {
	struct run_options opt;
	int data_fd;
	const char *execfn;
};

static unsigned long number(const char *opt, const char *s, unsigned long max)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || !*s || *end || v > max)
		die("vdso-run32: %s '%s' is not a number up to %lu (vdso-run32 is started by vdso-run only)", opt,
		    s, max);
	return v;
}

static void parse(int argc, char **argv, struct run32_args *a)
{
	memset(a, 0, sizeof *a);
	a->data_fd = -1;
	a->opt.data_pages = VDSO_DATA_PAGES;
	int i;
	for (i = 1; i < argc; i++) {
		const char *o = argv[i];
		if (strcmp(o, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(o, "--verbose") == 0) {
			a->opt.verbose = true;
			continue;
		}
		if (strcmp(o, "--no-vdso") == 0) {
			a->opt.no_vdso = true;
			continue;
		}
		if (i + 1 >= argc)
			die("vdso-run32: '%s' needs a value (vdso-run32 is started by vdso-run only)", o);
		const char *v = argv[++i];
		if (strcmp(o, "--image") == 0)
			a->opt.image = v;
		else if (strcmp(o, "--data-fd") == 0)
			a->data_fd = (int)number(o, v, 1u << 20);
		else if (strcmp(o, "--data") == 0 && (a->data_fd = open(v, O_RDONLY | O_CLOEXEC)) < 0)
			die("vdso-run32: %s: the tracer's data pages: %s", v, strerror(errno));
		else if (strcmp(o, "--data") == 0)
			;
		else if (strcmp(o, "--data-pages") == 0)
			a->opt.data_pages = (unsigned)number(o, v, 64);
		else if (strcmp(o, "--writer-pid") == 0)
			a->opt.writer_pid = (pid_t)number(o, v, 1u << 22);
		else if (strcmp(o, "--exec") == 0)
			a->opt.exec_path = v;
		else if (strcmp(o, "--execfn") == 0)
			a->execfn = v;
		else
			die("vdso-run32: unknown option '%s' (vdso-run32 is started by vdso-run only)", o);
	}
	if (i >= argc || !a->opt.exec_path || !a->execfn || a->opt.data_pages < 1)
		die("vdso-run32: incomplete command line (vdso-run32 is started by vdso-run only)");
	if (!a->opt.no_vdso && (!a->opt.image || a->data_fd < 0))
		die("vdso-run32: --image and --data-fd are needed (or --no-vdso)");
	a->opt.argv = argv + i;
	a->opt.argc = argc - i;
	run_verbose = a->opt.verbose;
}

/* The image's __kernel_vsyscall (LINUX_2.5) as mapped at `base`, or 0 if it has none. */
static uintptr_t vsyscall_of(const struct vdso_image *img, uintptr_t base)
{
	struct vdso_elf e;
	if (vdso_elf_open(&e, img->bytes, img->size) != 0)
		return 0;
	const unsigned char *sym = vdso_elf_sym(&e, "__kernel_vsyscall", "LINUX_2.5");
	if (!sym || sym < img->bytes || (size_t)(sym - img->bytes) >= img->map_len)
		return 0;
	/* The image's one PT_LOAD starts at offset 0, address 0 (image_read): offset = address. */
	return base + (uintptr_t)(sym - img->bytes);
}

static void map_program(const char *path, struct loaded_elf *prog, struct loaded_elf *interp, bool *has_interp)
{
	ElfW(Ehdr) eh;
	int fd = elf_open(path, &eh, false);
	elf_map(fd, &eh, path, prog);
	*has_interp = prog->interp != NULL;
	if (!prog->interp)
		return;
	ElfW(Ehdr) ih;
	int ifd = elf_open(prog->interp, &ih, true);
	elf_map(ifd, &ih, prog->interp, interp);
	if (interp->interp)
		die("%s: the interpreter itself has a PT_INTERP", prog->interp);
}

static void report(const struct run32_args *a, const struct loaded_elf *prog, const struct loaded_elf *ip,
		   const struct vdso_mapping *vm, uintptr_t sysinfo, const struct stack_info *st)
{
	vlog("program     0x%08" PRIxPTR "-0x%08" PRIxPTR " %s %s, entry 0x%" PRIxPTR " (ELF32 i386, vdso-run32)",
	     prog->lo, prog->hi, prog->type == ET_EXEC ? "ET_EXEC" : "ET_DYN", a->opt.exec_path, prog->entry);
	if (ip)
		vlog("interpreter 0x%08" PRIxPTR "-0x%08" PRIxPTR " %s, entry 0x%" PRIxPTR " (AT_BASE)", ip->lo, ip->hi,
		     prog->interp, ip->entry);
	if (a->opt.no_vdso) {
		vlog("vdso        none (--no-vdso: no AT_SYSINFO_EHDR, no AT_SYSINFO)");
	} else {
		vlog("data pages  0x%08" PRIxPTR "-0x%08" PRIxPTR " r-- %u pages: vdsogen time data at 0x%" PRIxPTR
		     " (image - %u pages)", vm->data_base, vm->image_base, vm->data_pages_total, vm->ours,
		     a->opt.data_pages);
		vlog("image       0x%08" PRIxPTR "-0x%08" PRIxPTR " r-x %s (AT_SYSINFO_EHDR)", vm->image_base,
		     vm->image_base + vm->image_len, a->opt.image);
		if (sysinfo)
			vlog("vsyscall    0x%08" PRIxPTR " __kernel_vsyscall (AT_SYSINFO), entry by int $0x80", sysinfo);
		else
			vlog("vsyscall    none: the image has no __kernel_vsyscall (no AT_SYSINFO)");
	}
	vlog("stack       0x%08" PRIxPTR "-0x%08" PRIxPTR " rw%c %lu KiB, sp 0x%" PRIxPTR, st->base, st->top,
	     prog->exec_stack ? 'x' : '-', (unsigned long)((st->top - st->base) >> 10), st->sp);
}

int main(int argc, char **argv)
{
	struct run32_args a;
	parse(argc, argv, &a);

	struct vdso_image img = { 0 };
	if (!a.opt.no_vdso)
		image_read(a.opt.image, &img);

	struct loaded_elf prog, interp;
	bool has_interp;
	map_program(a.opt.exec_path, &prog, &interp, &has_interp);

	struct vdso_mapping vm = { 0 };
	uintptr_t sysinfo = 0;
	if (!a.opt.no_vdso) {
		vdso_map(&a.opt, &img, a.data_fd, &vm);
		sysinfo = vsyscall_of(&img, vm.image_base);
	}
	if (a.data_fd >= 0)
		close(a.data_fd);

	struct stack_info st;
	stack_build(&a.opt, a.opt.argv, a.execfn, &prog, has_interp ? &interp : NULL,
		    a.opt.no_vdso ? 0 : vm.image_base, sysinfo, &st);
	if (run_verbose)
		report(&a, &prog, has_interp ? &interp : NULL, &vm, sysinfo, &st);
	fflush(NULL);

	const char *base = strrchr(a.execfn, '/');
	prctl(PR_SET_NAME, base ? base + 1 : a.execfn);
	/* rseq first: after the kernel's [vdso] is gone, libc can make no system call. */
	arch_rseq_unregister();
	vdso_unmap_kernel();
	arch_enter(st.sp, has_interp ? interp.entry : prog.entry);
}
