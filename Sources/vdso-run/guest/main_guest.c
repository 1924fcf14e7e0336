/* SPDX-License-Identifier: MIT */
/*
 * vdso-run-ARCH: the loader qemu-user runs for a program of another
 * architecture (aarch64, riscv64).  Only vdso-run starts it
 * (foreign.c), once it has done what needs this machine's view: the
 * options, the PATH search and #! lines, the choice of image.  This
 * process runs as a guest of qemu-user, built for the program's
 * architecture, and does what main.c does for a native program:
 *
 *   1. map the program's PT_LOAD segments and its interpreter -- elf_load.c;
 *      qemu's -L (or $QEMU_LD_PREFIX) makes the interpreter's absolute
 *      path (/lib/ld-linux-aarch64.so.1) find the cross sysroot's;
 *   2. fill the data pages, map them read-only with the image above them and
 *      start the writer -- data.c, writer.c, map.c, as --no-follow-exec does.
 *      The writer is a guest too: it reads the guest's counter (under qemu
 *      the emulated CNTVCT_EL0 or rdtime), as the image does, and calibrates
 *      it against the clock_gettime system call (kernel-vdso/host);
 *   3. build the stack, AT_SYSINFO_EHDR = the image -- stack.c;
 *   4. unmap qemu's own vDSO if it gave one, unregister rseq, jump.
 *
 * Its command line is vdso-run's, not the user's:
 *   vdso-run-ARCH [--verbose] (--image IMG | --no-vdso) --realtime-offset-ns N
 *                 --monotonic-offset-ns N --clock-mode M --data-pages N
 *                 [--realtime-minus-monotonic-ns N --boottime-minus-monotonic-ns N]
 *                 --exec FILE --execfn NAME -- ARGV...
 */
#include "vdso_run.h"
#include "timekeeper.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

struct guest_args {
	struct run_options opt;
	const char *execfn;
};

static int64_t number(const char *opt, const char *s, int64_t min, int64_t max)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || !*s || *end || v < min || v > max)
		die("%s: %s '%s' is not a number from %" PRId64 " to %" PRId64 " (it is started by vdso-run only)",
		    arch_name, opt, s, min, max);
	return v;
}

static void parse(int argc, char **argv, struct guest_args *a)
{
	memset(a, 0, sizeof *a);
	a->opt.data_pages = VDSO_DATA_PAGES;
	a->opt.clock_mode = VDSO_TK_AUTO;
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
			die("%s loader: '%s' needs a value (it is started by vdso-run only)", arch_name, o);
		const char *v = argv[++i];
		if (strcmp(o, "--image") == 0)
			a->opt.image = v;
		else if (strcmp(o, "--realtime-offset-ns") == 0)
			a->opt.realtime_offset_ns = number(o, v, INT64_MIN, INT64_MAX);
		else if (strcmp(o, "--monotonic-offset-ns") == 0)
			a->opt.monotonic_offset_ns = number(o, v, INT64_MIN, INT64_MAX);
		else if (strcmp(o, "--realtime-minus-monotonic-ns") == 0)
			a->opt.off_real_ns = number(o, v, INT64_MIN, INT64_MAX), a->opt.offsets_given = true;
		else if (strcmp(o, "--boottime-minus-monotonic-ns") == 0)
			a->opt.off_boot_ns = number(o, v, INT64_MIN, INT64_MAX), a->opt.offsets_given = true;
		else if (strcmp(o, "--clock-mode") == 0)
			a->opt.clock_mode = (int)number(o, v, VDSO_TK_AUTO, VDSO_CLOCKMODE_COUNTER);
		else if (strcmp(o, "--data-pages") == 0)
			a->opt.data_pages = (unsigned)number(o, v, 1, 64);
		else if (strcmp(o, "--exec") == 0)
			a->opt.exec_path = v;
		else if (strcmp(o, "--execfn") == 0)
			a->execfn = v;
		else
			die("%s loader: unknown option '%s' (it is started by vdso-run only)", arch_name, o);
	}
	if (i >= argc || !a->opt.exec_path || !a->execfn)
		die("%s loader: incomplete command line (it is started by vdso-run only)", arch_name);
	if (!a->opt.no_vdso && !a->opt.image)
		die("%s loader: --image is needed (or --no-vdso)", arch_name);
	a->opt.qemu_period_ns = arch_qemu_counter_period_ns();
	a->opt.argv = argv + i;
	a->opt.argc = argc - i;
	run_verbose = a->opt.verbose;
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

static void report(const struct guest_args *a, const struct loaded_elf *prog, const struct loaded_elf *ip,
		   const struct vdso_mapping *vm, const struct stack_info *st)
{
	vlog("program     0x%012" PRIxPTR "-0x%012" PRIxPTR " %s %s, entry 0x%" PRIxPTR " (%s, under qemu-user)",
	     prog->lo, prog->hi, prog->type == ET_EXEC ? "ET_EXEC" : "ET_DYN", a->opt.exec_path, prog->entry,
	     arch_name);
	if (ip)
		vlog("interpreter 0x%012" PRIxPTR "-0x%012" PRIxPTR " %s, entry 0x%" PRIxPTR " (AT_BASE)", ip->lo, ip->hi,
		     prog->interp, ip->entry);
	if (a->opt.no_vdso) {
		vlog("vdso        none (--no-vdso: no AT_SYSINFO_EHDR)");
	} else {
		vlog("data pages  0x%012" PRIxPTR "-0x%012" PRIxPTR " r-- %u pages: vdsogen time data at 0x%" PRIxPTR
		     " (image - %u pages)", vm->data_base, vm->image_base, vm->data_pages_total, vm->ours,
		     a->opt.data_pages);
		vlog("image       0x%012" PRIxPTR "-0x%012" PRIxPTR " r-x %s (AT_SYSINFO_EHDR)", vm->image_base,
		     vm->image_base + vm->image_len, a->opt.image);
		if (vm->clock_mode == VDSO_CLOCKMODE_COUNTER)
			vlog("clock       mode counter (the guest's), %.6f MHz (%" PRIu64 " Hz), mult %u, shift %u",
			     vm->counter_hz / 1e6, vm->counter_hz, vm->mult, vm->shift);
		else
			vlog("clock       mode none (every hres call is a system call)");
		vlog("offsets     realtime %+" PRId64 " ns, monotonic %+" PRId64 " ns; writer pid %d, period 1 ms",
		     a->opt.realtime_offset_ns, a->opt.monotonic_offset_ns, (int)vm->writer);
	}
	vlog("stack       0x%012" PRIxPTR "-0x%012" PRIxPTR " rw%c %lu KiB, sp 0x%" PRIxPTR, st->base, st->top,
	     prog->exec_stack ? 'x' : '-', (unsigned long)((st->top - st->base) >> 10), st->sp);
}

int main(int argc, char **argv)
{
	struct guest_args a;
	parse(argc, argv, &a);

	struct vdso_image img = { 0 };
	if (!a.opt.no_vdso)
		image_read(a.opt.image, &img);

	struct loaded_elf prog, interp;
	bool has_interp;
	map_program(a.opt.exec_path, &prog, &interp, &has_interp);

	struct vdso_mapping vm = { 0 };
	if (!a.opt.no_vdso)
		vdso_setup(&a.opt, &img, &vm);

	struct stack_info st;
	stack_build(&a.opt, a.opt.argv, a.execfn, &prog, has_interp ? &interp : NULL,
		    a.opt.no_vdso ? 0 : vm.image_base, 0, &st);
	if (run_verbose)
		report(&a, &prog, has_interp ? &interp : NULL, &vm, &st);
	fflush(NULL);

	const char *base = strrchr(a.execfn, '/');
	prctl(PR_SET_NAME, base ? base + 1 : a.execfn);
	vdso_unmap_kernel();
	arch_rseq_unregister();
	arch_enter(st.sp, has_interp ? interp.entry : prog.entry);
}
