/* SPDX-License-Identifier: MIT */
/*
 * vdso-run --image IMG [options] -- PROGRAM [ARGS...]
 *
 * Starts PROGRAM, unmodified, with IMG as its vDSO in place of the kernel's,
 * in this very process (so PROGRAM keeps our PID, and its exit status and
 * signals are ours):
 *
 *   1. find PROGRAM on PATH (execvp rules), follow #! lines;
 *   2. map its PT_LOAD segments (ET_EXEC at its fixed address, ET_DYN at a
 *      kernel-chosen random one) and its PT_INTERP interpreter;
 *   3. fill the data pages (kernel-vdso/host/timekeeper.c), map them
 *      read-only with the image above them, and fork the writer process
 *      that keeps them current (data.c);
 *   4. build a fresh stack with argv, envp and auxv (AT_SYSINFO_EHDR = IMG);
 *   5. unmap the kernel's [vdso]/[vvar] (nothing can reach them any more),
 *      unregister the loader's rseq area, and jump to the entry point.
 *
 * Unless --no-follow-exec, step 3's pages and writer belong to a tracer
 * forked first (follow_exec.c): PROGRAM runs in its child, and every exec
 * in the tree comes back here as "vdso-run --follow=TRACER:FD FILE ARGV...",
 * which maps the tracer's data pages instead of making new ones.
 *
 * The loader's own memory (it is a glibc program) stays mapped underneath;
 * everything the program gets is placed where nothing of ours is.
 */
#include "vdso_run.h"
#include "timekeeper.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static _Noreturn void usage(void)
{
	fputs("usage: vdso-run --image IMG [--image IMG32] [--realtime-offset DUR] [--monotonic-offset DUR]\n"
	      "                [--clock-mode counter|none|auto] [--data-pages N] [--verbose]\n"
	      "                [--no-aslr] [--no-vdso] [--no-follow-exec | --follow-exec=seccomp|event]\n"
	      "                [--kernel-side WRITER] -- PROGRAM [ARGS...]\n"
	      "DUR: integer with optional sign and unit s (default), m, h, d, ms, us, ns\n",
	      stderr);
	exit(2);
}

/* "365d", "-2h", "86400", "+1500ms" -> nanoseconds. */
static int64_t parse_duration(const char *opt, const char *s)
{
	const char *p = s;
	int neg = 0;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (*p < '0' || *p > '9')
		die("%s: bad duration '%s' (expected e.g. 86400, 365d, -2h, 1500ms)", opt, s);
	errno = 0;
	char *end;
	unsigned long long v = strtoull(p, &end, 10);
	static const struct { const char *u; int64_t ns; } units[] = {
		{ "", 1000000000LL }, { "s", 1000000000LL }, { "m", 60000000000LL }, { "h", 3600000000000LL },
		{ "d", 86400000000000LL }, { "ms", 1000000LL }, { "us", 1000LL }, { "ns", 1LL },
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].u) != 0)
			continue;
		if (errno || v > (unsigned long long)INT64_MAX / (unsigned long long)units[i].ns)
			die("%s: duration '%s' out of range", opt, s);
		int64_t ns = (int64_t)v * units[i].ns;
		return neg ? -ns : ns;
	}
	die("%s: bad unit in '%s' (use s, m, h, d, ms, us or ns)", opt, s);
}

static void parse_args(int argc, char **argv, struct run_options *o)
{
	memset(o, 0, sizeof *o);
	o->clock_mode = VDSO_TK_AUTO;
	o->data_pages = VDSO_DATA_PAGES;
	o->follow_exec = true;
	o->follow_event = true;		/* no seccomp filter: no system call pays (exec_event.c) */
	int i;
	for (i = 1; i < argc; i++) {
		char *a = argv[i], *val = NULL;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-')
			break;	/* PROGRAM without "--" */
		char *eq = strchr(a, '=');
		size_t len = eq ? (size_t)(eq - a) : strlen(a);
#define IS(name) (len == strlen(name) && strncmp(a, name, len) == 0)
#define VALUE() (val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : (die("%.*s needs a value", (int)len, a), NULL)))
		if (IS("--image")) {
			image_assign(o, VALUE());
		} else if (IS("--realtime-offset")) {
			o->realtime_offset_ns = parse_duration("--realtime-offset", VALUE());
		} else if (IS("--monotonic-offset")) {
			o->monotonic_offset_ns = parse_duration("--monotonic-offset", VALUE());
		} else if (IS("--clock-mode")) {
			VALUE();
			if (strcmp(val, "counter") == 0)
				o->clock_mode = VDSO_CLOCKMODE_COUNTER;
			else if (strcmp(val, "none") == 0)
				o->clock_mode = VDSO_CLOCKMODE_NONE;
			else if (strcmp(val, "auto") == 0)
				o->clock_mode = VDSO_TK_AUTO;
			else
				die("--clock-mode: '%s' is not counter, none or auto", val);
		} else if (IS("--data-pages")) {
			VALUE();
			char *end;
			unsigned long n = strtoul(val, &end, 10);
			if (*end || n < 1 || n > 64)
				die("--data-pages: '%s' is not a number of pages from 1 to 64", val);
			o->data_pages = (unsigned)n;
		} else if (IS("--verbose") || IS("-v")) {
			o->verbose = true;
		} else if (IS("--no-aslr")) {
			o->no_aslr = true;
		} else if (IS("--no-vdso")) {
			o->no_vdso = true;
		} else if (IS("--no-follow-exec")) {
			o->follow_exec = false;
		} else if (IS("--follow-exec")) {
			VALUE();
			if (strcmp(val, "event") != 0 && strcmp(val, "seccomp") != 0)
				die("--follow-exec: '%s' is not seccomp or event", val);
			o->follow_event = strcmp(val, "event") == 0;
		} else if (IS("--shared-data")) {	/* the rest: from the tracer's session */
			o->shared_data = VALUE();
		} else if (IS("--writer-pid")) {
			o->writer_pid = (pid_t)atoi(VALUE());
		} else if (IS("--kernel-side")) {	/* a writer built by vdsogen run (kernel_side.c) */
			o->kernel_side = VALUE();
			o->kernel_side_area = true;
		} else if (IS("--kernel-side-area")) {	/* from the session: the area is a kernel side's */
			o->kernel_side_area = true;
		} else if (IS("--exec")) {
			o->exec_path = VALUE();
		} else if (IS("--help") || IS("-h")) {
			usage();
		} else {
			fprintf(stderr, "vdso-run: unknown option '%s'\n", a);
			usage();
		}
#undef IS
#undef VALUE
	}
	if (i >= argc) {
		fprintf(stderr, "vdso-run: no PROGRAM given\n");
		usage();
	}
	if (!o->image && !o->image32 && !o->no_vdso) {
		fprintf(stderr, "vdso-run: --image IMG is required (or --no-vdso)\n");
		usage();
	}
	o->argv = argv + i;
	o->argc = argc - i;
	run_verbose = o->verbose;
}

/* execvp's search: a name with a slash is a path; otherwise each PATH entry. */
static char *find_program(const char *name)
{
	if (!*name)
		die("'': No such file or directory");
	if (strchr(name, '/')) {
		if (access(name, X_OK) != 0)
			die("%s: %s", name, strerror(errno));
		return strdup(name);
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin";
	int saw_eacces = 0;
	for (const char *p = path;; ) {
		const char *c = strchr(p, ':');
		size_t dl = c ? (size_t)(c - p) : strlen(p);
		char *cand;
		if (asprintf(&cand, "%.*s%s%s", (int)dl, dl ? p : ".", "/", name) < 0)
			die("out of memory");
		struct stat st;
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
			if (access(cand, X_OK) == 0)
				return cand;
			saw_eacces = 1;
		}
		free(cand);
		if (!c)
			break;
		p = c + 1;
	}
	if (saw_eacces)
		die("%s: Permission denied", name);
	die("%s: command not found", name);
}

/*
 * #! scripts as the kernel runs them: "#!interp [one arg]" becomes
 * interp [arg] SCRIPT ARGS...; up to 4 levels.  Returns the ELF path;
 * *argvp may be replaced.
 */
static char *follow_shebang(char *path, char ***argvp)
{
	for (int depth = 0;; depth++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("%s: %s", path, strerror(errno));
		char buf[256];
		ssize_t n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n < 2 || buf[0] != '#' || buf[1] != '!')
			return path;
		if (depth >= 4)
			die("%s: too many levels of #! interpreters", path);
		buf[n] = 0;
		char *s, *arg;
		if (shebang_split(buf, &s, &arg) != 0)
			die("%s: empty #! line", path);
		char **old = *argvp;
		int oc = 0;
		while (old[oc])
			oc++;
		char **nv = calloc((size_t)oc + 3, sizeof *nv);
		if (!nv)
			die("out of memory");
		int k = 0;
		nv[k++] = strdup(s);
		if (*arg)
			nv[k++] = strdup(arg);
		nv[k++] = path;
		for (int j = 1; j < oc; j++)
			nv[k++] = old[j];
		*argvp = nv;
		path = strdup(s);
		if (access(path, X_OK) != 0)
			die("%s: interpreter %s: %s", nv[k > 2 && *arg ? 2 : 1], path, strerror(errno));
	}
}

static const char *type_name(int t)
{
	return t == ET_EXEC ? "ET_EXEC" : "ET_DYN";
}

int main(int argc, char **argv)
{
	struct run_options opt;
	if (argc > 1 && strncmp(argv[1], "--follow=", 9) == 0)
		argv = follow_session_argv(&argc, argv);
	parse_args(argc, argv, &opt);

	/* --no-aslr: like setarch -R, for the loader (so every mmap(NULL) it makes is
	 * deterministic) and for the program and its children. */
	if (opt.no_aslr) {
		int pers = personality(0xffffffff);
		if (pers != -1 && !(pers & ADDR_NO_RANDOMIZE)) {
			if (personality((unsigned long)pers | ADDR_NO_RANDOMIZE) != -1) {
				execv("/proc/self/exe", argv);
				die("--no-aslr: cannot re-execute /proc/self/exe: %s", strerror(errno));
			}
		}
	}

	char **pargv = opt.argv;
	/* A followed exec names the file as execve did: no PATH search. */
	char *path = opt.exec_path ? strdup(opt.exec_path) : find_program(opt.argv[0]);
	char *execfn = path;
	path = follow_shebang(path, &pargv);
	const struct guest_arch *guest = opt.shared_data ? NULL : guest_arch_of(path);
	if (guest)
		foreign_exec(&opt, guest, path, execfn, pargv);
	bool is_i386 = elf_kind_of(path) == ELF_KIND_I386;
	if (is_i386 && opt.kernel_side_area)
		die("%s: a kernel side of your own (--kernel-side) serves x86-64 programs only", path);
	image_require(&opt, path, is_i386);

	struct vdso_image img = { 0 };
	if (!opt.no_vdso && !is_i386)
		image_read(opt.image, &img);

	int data_fd = -1;
	if (opt.shared_data && !opt.no_vdso) {
		data_fd = open(opt.shared_data, O_RDONLY | O_CLOEXEC);
		if (data_fd < 0)
			die("%s: the tracer's data pages: %s", opt.shared_data, strerror(errno));
	} else if (!opt.shared_data && opt.follow_exec) {
		follow_exec_start(&opt, path, &data_fd);
	}

	if (is_i386)
		run32_exec(&opt, path, execfn, pargv, data_fd);

	ElfW(Ehdr) eh;
	int fd = elf_open(path, &eh, false);
	struct loaded_elf prog, interp;
	elf_map(fd, &eh, path, &prog);
	struct loaded_elf *ip = NULL;
	if (prog.interp) {
		ElfW(Ehdr) ih;
		int ifd = elf_open(prog.interp, &ih, true);
		elf_map(ifd, &ih, prog.interp, &interp);
		if (interp.interp)
			die("%s: the interpreter itself has a PT_INTERP", prog.interp);
		ip = &interp;
	}

	struct vdso_mapping vm = { 0 };
	if (!opt.no_vdso && data_fd >= 0) {
		vdso_map(&opt, &img, data_fd, &vm);
		close(data_fd);
		vm.writer = opt.writer_pid;
	} else if (!opt.no_vdso) {
		vdso_setup(&opt, &img, &vm);
	}

	struct stack_info st;
	stack_build(&opt, pargv, execfn, &prog, ip, opt.no_vdso ? 0 : vm.image_base, 0, &st);

	if (run_verbose) {
		vlog("program     0x%012" PRIxPTR "-0x%012" PRIxPTR " %s %s, entry 0x%" PRIxPTR "%s", prog.lo,
		     prog.hi, type_name(prog.type), path, prog.entry,
		     prog.type == ET_DYN && !ip ? " (static-pie)" : prog.type == ET_EXEC && !ip ? " (static)" : "");
		if (ip)
			vlog("interpreter 0x%012" PRIxPTR "-0x%012" PRIxPTR " %s, entry 0x%" PRIxPTR " (AT_BASE)",
			     interp.lo, interp.hi, prog.interp, interp.entry);
		if (opt.no_vdso) {
			vlog("vdso        none (--no-vdso: no AT_SYSINFO_EHDR)");
		} else if (opt.kernel_side_area) {
			vlog("data area   0x%012" PRIxPTR "-0x%012" PRIxPTR " r-- %u pages: the kernel side's, writer pid %d",
			     vm.data_base, vm.image_base, vm.data_pages_total, (int)vm.writer);
			vlog("image       0x%012" PRIxPTR "-0x%012" PRIxPTR " r-x %s (AT_SYSINFO_EHDR)", vm.image_base,
			     vm.image_base + vm.image_len, opt.image);
		} else {
			vlog("data pages  0x%012" PRIxPTR "-0x%012" PRIxPTR " r-- %u pages: vdsogen time data at "
			     "0x%" PRIxPTR " (image - %u pages)%s",
			     vm.data_base, vm.image_base, vm.data_pages_total, vm.ours, opt.data_pages,
			     vm.linux_time ? ", Linux-layout mirror at image - 6 pages" : "");
			vlog("image       0x%012" PRIxPTR "-0x%012" PRIxPTR " r-x %s (AT_SYSINFO_EHDR)", vm.image_base,
			     vm.image_base + vm.image_len, opt.image);
		}
		vlog("stack       0x%012" PRIxPTR "-0x%012" PRIxPTR " rw%c %lu KiB, sp 0x%" PRIxPTR, st.base, st.top,
		     prog.exec_stack ? 'x' : '-', (unsigned long)((st.top - st.base) >> 10), st.sp);
		if (!opt.no_vdso && !opt.kernel_side_area) {
			if (vm.clock_mode == VDSO_CLOCKMODE_COUNTER)
				vlog("clock       mode counter, %.6f MHz (%" PRIu64 " Hz), mult %u, shift %u", vm.counter_hz / 1e6,
				     vm.counter_hz, vm.mult, vm.shift);
			else
				vlog("clock       mode none (every hres call is a system call)");
			vlog("offsets     realtime %+" PRId64 " ns, monotonic %+" PRId64 " ns; writer pid %d, period 1 ms",
			     opt.realtime_offset_ns, opt.monotonic_offset_ns, (int)vm.writer);
		}
	}
	fflush(NULL);

	/* The name the kernel gives a process at exec (ps, pgrep, killall). */
	const char *base = strrchr(execfn, '/');
	prctl(PR_SET_NAME, base ? base + 1 : execfn);
	vdso_unmap_kernel();
	arch_rseq_unregister();
	arch_enter(st.sp, ip ? interp.entry : prog.entry);
}
