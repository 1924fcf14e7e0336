/* SPDX-License-Identifier: MIT */
/*
 * One exec of a tracee, turned into an exec of the loader.
 *
 * At the PTRACE_EVENT_SECCOMP stop the tracee sits at the entry of execve or
 * execveat with its arguments in registers, and nothing has been read yet:
 * whatever filename and argv we leave there is what the kernel executes.
 *
 *   execve(FILE, ARGV, ENVP)  becomes
 *   execve("/proc/TRACER/fd/L", { LOADER, "--follow=TRACER:K", FILE, ARGV[0], ... }, ENVP)
 *
 * and the loader, started as the kernel starts any program, maps FILE with
 * our image (main.c).  The new argv needs memory in the tracee: we write it
 * below the stack pointer, past the 128-byte red zone, as PRoot does.  Only
 * the pointer array and two short strings are written (FILE and the original
 * ARGV strings are reused where they are), so the scratch area stays small:
 * a vfork child, or a posix_spawn child on its small private stack, runs on
 * memory it shares with its suspended parent, and below its stack pointer
 * lies only what the parent no longer uses.  The kernel copies every string
 * out of the old image before it drops it, so scratch memory is enough.
 *
 * An exec we do not rewrite (nothing there to run, a set-id program, an ELF
 * file our image does not fit) runs as the kernel would: its errors are the
 * kernel's, as the program expects them (execvp's PATH search relies on ENOENT).
 */
#include "vdso_run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define RED_ZONE	128
#define MAX_ARGS	(1 << 20)

static bool mem_read(pid_t pid, unsigned long addr, void *buf, size_t n)
{
	struct iovec l = { buf, n }, r = { (void *)addr, n };
	return process_vm_readv(pid, &l, 1, &r, 1, 0) == (ssize_t)n;
}

static bool mem_write(pid_t pid, unsigned long addr, const void *buf, size_t n)
{
	struct iovec l = { (void *)buf, n }, r = { (void *)addr, n };
	return process_vm_writev(pid, &l, 1, &r, 1, 0) == (ssize_t)n;
}

/* A NUL-terminated string of the tracee, read a page at a time (a string may
 * end just before an unmapped page). */
static bool mem_read_str(pid_t pid, unsigned long addr, char *buf, size_t cap)
{
	size_t got = 0;
	while (got < cap) {
		size_t chunk = RUN_PAGE - ((addr + got) & (RUN_PAGE - 1));
		if (chunk > cap - got)
			chunk = cap - got;
		if (!mem_read(pid, addr + got, buf + got, chunk))
			return false;
		if (memchr(buf + got, 0, chunk))
			return true;
		got += chunk;
	}
	return false;
}

int shebang_split(char *buf, char **interp, char **arg)
{
	char *nl = strchr(buf, '\n');
	if (nl)
		*nl = 0;
	char *s = buf + 2;
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = 0;
	if (!*s)
		return -1;
	char *a = s + strcspn(s, " \t");
	if (*a) {
		*a++ = 0;
		while (*a == ' ' || *a == '\t')
			a++;
	}
	*interp = s;
	*arg = a;
	return 0;
}

/* How the tracer sees the tracee's PATH: /proc/TID/cwd/PATH for a relative
 * one, /proc/TID/... for /proc/self/... (the tracer's own would be wrong). */
static void view_of(pid_t tid, const char *path, char *out, size_t n)
{
	if (strncmp(path, "/proc/self/", 11) == 0 || strncmp(path, "/proc/thread-self/", 18) == 0)
		snprintf(out, n, "/proc/%d/%s", (int)tid, strchr(path + 6, '/') + 1);
	else if (path[0] == '/')
		snprintf(out, n, "%s", path);
	else
		snprintf(out, n, "/proc/%d/cwd/%s", (int)tid, path);
}

/*
 * Would the loader run `view` with our image?  1 yes (`elf` receives the
 * ELF file's view, a script's interpreter's); 0 no, with `why` set
 * when the kernel will run it fine but without our image (set-id, another
 * machine), empty when the kernel will refuse it anyway.
 */
static int fits(pid_t tid, const struct follow_ctx *ctx, const char *view, int depth, char elf[PATH_MAX], char *why,
		size_t n)
{
	why[0] = 0;
	int fd = open(view, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	char buf[256];
	ssize_t got = -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
		got = pread(fd, buf, sizeof buf - 1, 0);
	close(fd);
	if (got < 0)
		return 0;
	if ((st.st_mode & S_ISUID) || (st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) {
		snprintf(why, n, "a set-id program");
		return 0;
	}
	buf[got] = 0;
	if (got >= 2 && buf[0] == '#' && buf[1] == '!') {
		char *interp, *arg, iview[PATH_MAX];
		if (depth >= 4 || shebang_split(buf, &interp, &arg) != 0)
			return 0;
		view_of(tid, interp, iview, sizeof iview);
		return fits(tid, ctx, iview, depth + 1, elf, why, n);
	}
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)buf;
	if ((size_t)got < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return 0;	/* binfmt_misc, or ENOEXEC: the kernel's business */
	bool x64 = eh->e_ident[EI_CLASS] == ELFCLASS64 && eh->e_machine == EM_X86_64;
	bool is_i386 = eh->e_ident[EI_CLASS] == ELFCLASS32 && eh->e_machine == EM_386;
	if (is_i386 && st.st_dev == ctx->loader32_dev && st.st_ino == ctx->loader32_ino)
		return 0;	/* the loader handing an i386 program to vdso-run32 */
	if (eh->e_ident[EI_DATA] == ELFDATA2LSB && ((x64 && !ctx->fits64) || (is_i386 && !ctx->fits32))) {
		snprintf(why, n, "%s, for which no %s image was given", x64 ? "an ELF64 x86-64 program" :
			 "an ELF32 i386 program", x64 ? "x86-64" : "i386");
		return 0;
	}
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB || (!x64 && !is_i386)) {
		char num[24];
		const char *m = elf_machine_name(eh->e_machine);
		snprintf(num, sizeof num, "machine %u", eh->e_machine);
		snprintf(why, n, "%s ELF for %s, which an %s image does not fit",
			 eh->e_ident[EI_CLASS] == ELFCLASS32 ? "a 32-bit" : "an", m ? m : num, "x86-64 or i386");
		return 0;
	}
	snprintf(elf, PATH_MAX, "%s", view);
	return eh->e_type == ET_EXEC || eh->e_type == ET_DYN;
}

/* The loader reaches the tracer's fds through /proc/TRACER/fd, which needs
 * the tracee's credentials to match the tracer's (ptrace read access). */
static bool same_creds(pid_t tid, const struct follow_ctx *ctx)
{
	char p[32];
	struct stat st;
	snprintf(p, sizeof p, "/proc/%d", (int)tid);
	return stat(p, &st) == 0 && st.st_uid == ctx->uid && st.st_gid == ctx->gid;
}

/* The tracee's argv pointers, NULL included; *count excludes the NULL. */
static unsigned long *read_argv(pid_t tid, unsigned long addr, size_t psz, size_t *count)
{
	size_t cap = 64, n = 0;
	unsigned long *v = malloc(cap * sizeof *v);
	if (!v)
		die("out of memory");
	for (;;) {
		if (n == cap) {
			if (cap >= MAX_ARGS)
				goto fail;
			cap *= 2;
			unsigned long *nv = realloc(v, cap * sizeof *v);
			if (!nv)
				die("out of memory");
			v = nv;
		}
		/* Up to the end of the page, so that a fault means a bad pointer. */
		unsigned long a = addr + n * psz;
		size_t room = (RUN_PAGE - (a & (RUN_PAGE - 1))) / psz;
		if (room > cap - n)
			room = cap - n;
		if (!mem_read(tid, a, v + n, room * psz))
			goto fail;
		/* An i386 tracee's 4-byte pointers, widened in place (from the top down). */
		if (psz == 4)
			for (size_t i = room; i-- > 0;)
				v[n + i] = ((const uint32_t *)(v + n))[i];
		for (size_t i = 0; i < room; i++, n++)
			if (v[n] == 0) {
				*count = n;
				return v;
			}
	}
fail:
	free(v);
	return NULL;
}

/* For /proc/self/exe, /proc/thread-self/exe or /proc/PID/exe: the program that
 * process runs, as we recorded it; else NULL. */
static const char *proc_exe_of(pid_t tid, const char *path)
{
	int pid, end = 0;
	if (strcmp(path, "/proc/self/exe") == 0 || strcmp(path, "/proc/thread-self/exe") == 0)
		return tracee_exe(tid);
	if (sscanf(path, "/proc/%d/exe%n", &pid, &end) == 1 && end > 0 && !path[end] && pid > 0)
		return tracee_exe((pid_t)pid);
	return NULL;
}

/* Put the file's name in front of a reason to leave it to the kernel. */
static int refuse(char *why, size_t n, const char *path)
{
	char r[160];
	snprintf(r, sizeof r, "%s", why);
	if (r[0])
		snprintf(why, n, "%s: %s", path, r);
	return 0;
}

/*
 * The file to run, as the loader (in the tracee, after the exec) will name
 * it: PATH itself, or for execveat a path made from the directory fd (which
 * may be O_CLOEXEC, so the fd cannot be passed on).  0 when the kernel
 * should have the call, else 1 (`run` is PATH) or 2 (`run` is new).
 */
static int resolve(pid_t tid, int dirfd, int flags, const char *path, char *run, size_t n, char *why, size_t why_len)
{
	if (!path[0] && !(flags & AT_EMPTY_PATH))
		return 0;	/* ENOENT */
	if (dirfd == AT_FDCWD || path[0] == '/') {
		snprintf(run, n, "%s", path);
		return 1;
	}
	char link[64];
	snprintf(link, sizeof link, "/proc/%d/fd/%d", (int)tid, dirfd);
	ssize_t l = readlink(link, run, n - 1);
	if (l <= 0)
		return 0;	/* EBADF */
	run[l] = 0;
	if (run[0] != '/' || (l > 10 && strcmp(run + l - 10, " (deleted)") == 0)) {
		snprintf(why, why_len, "an exec of a file with no path (%s)", run);
		return 0;
	}
	if (path[0]) {
		size_t rl = (size_t)l;
		if (rl + 1 + strlen(path) + 1 > n)
			return 0;	/* ENAMETOOLONG */
		snprintf(run + rl, n - rl, "/%s", path);
	}
	return 2;
}

/*
 * Write { LOADER, --follow=..., FILE, ARGV..., NULL } and its two (or three)
 * strings below the tracee's stack pointer: from low to high, the pointer
 * array, then the strings.  `file` is the tracee's own string, or 0 when
 * `run` must be written too.  *argv_at and *loader_at receive the addresses.
 */
static bool write_args(pid_t tid, const struct follow_ctx *ctx, size_t psz, unsigned long sp, unsigned long file,
		       const char *run, const unsigned long *argv, size_t argc, unsigned long *argv_at,
		       unsigned long *loader_at)
{
	size_t l_len = strlen(ctx->loader) + 1, f_len = strlen(ctx->follow_arg) + 1;
	size_t r_len = file ? 0 : strlen(run) + 1;
	size_t ptrs = (argc + 4) * psz;
	size_t size = ptrs + l_len + f_len + r_len;
	if (sp < RED_ZONE + size + 16)
		return false;
	unsigned long base = (sp - RED_ZONE - size) & ~15UL, s = base + ptrs;
	char *buf = malloc(size);
	if (!buf)
		die("out of memory");
	unsigned long *nv = malloc((argc + 4) * sizeof *nv);
	if (!nv)
		die("out of memory");
	memcpy(buf + ptrs, ctx->loader, l_len);
	memcpy(buf + ptrs + l_len, ctx->follow_arg, f_len);
	if (!file)
		memcpy(buf + ptrs + l_len + f_len, run, r_len);
	nv[0] = s;
	nv[1] = s + l_len;
	nv[2] = file ? file : s + l_len + f_len;
	memcpy(&nv[3], argv, (argc + 1) * sizeof *argv);
	/* The pointer array in the tracee's width (an i386 tracee's are 4 bytes). */
	for (size_t i = 0; i < argc + 4; i++) {
		if (psz == 4) {
			uint32_t w = (uint32_t)nv[i];
			memcpy(buf + i * 4, &w, 4);
		} else {
			memcpy(buf + i * 8, &nv[i], 8);
		}
	}
	free(nv);
	bool ok = mem_write(tid, base, buf, size);
	free(buf);
	*argv_at = base;
	*loader_at = s;
	return ok;
}

/*
 * /proc/self/exe (or /proc/PID/exe) names the loader (vdso-run, or vdso-run32
 * for an i386 program): a program that re-executes itself that way means the
 * program, which replaces `run` and `view` (PATH_MAX each).  (A path readlink
 * gave for it is the loader's, indistinguishable from `vdsogen run` run inside
 * the tree: that one is not substituted.)
 */
static bool exe_is_program(pid_t tid, const struct follow_ctx *ctx, char *run, char *view)
{
	struct stat st;
	const char *exe = proc_exe_of(tid, run);
	if (!exe || stat(view, &st) != 0 ||
	    !((st.st_dev == ctx->loader_dev && st.st_ino == ctx->loader_ino) ||
	      (st.st_dev == ctx->loader32_dev && st.st_ino == ctx->loader32_ino)))
		return false;
	snprintf(run, PATH_MAX, "%s", exe);
	snprintf(view, PATH_MAX, "%s", exe);
	return true;
}

int exec_rewrite(pid_t tid, int kind, const struct follow_ctx *ctx, char *why, size_t why_len)
{
	struct exec_regs r;
	char path[PATH_MAX], view[PATH_MAX + 64], run[PATH_MAX];
	why[0] = 0;
	if (kind == EXEC_OTHER_ABI) {
		snprintf(why, why_len, "an exec through the x32 system call");
		return 0;
	}
	r.is_i386 = kind == EXEC_I386_EXECVE || kind == EXEC_I386_EXECVEAT;
	size_t psz = r.is_i386 ? 4 : sizeof(unsigned long);
	if (arch_exec_regs_get(tid, &r) != 0)
		return 0;
	bool at = kind == EXEC_EXECVEAT || kind == EXEC_I386_EXECVEAT;
	unsigned long path_p = r.arg[at], argv_p = r.arg[at + 1], envp_p = r.arg[at + 2];
	if (!mem_read_str(tid, path_p, path, sizeof path))
		return 0;	/* EFAULT or ENAMETOOLONG: the kernel says so */
	int how = resolve(tid, at ? (int)r.arg[0] : AT_FDCWD, at ? (int)r.arg[4] : 0, path, run, sizeof run, why,
			  why_len);
	if (!how)
		return 0;
	view_of(tid, run, view, sizeof view);
	if (exe_is_program(tid, ctx, run, view))
		how = 2;
	char elf[PATH_MAX];
	if (!fits(tid, ctx, view, 0, elf, why, why_len))
		return refuse(why, why_len, run);
	if (!same_creds(tid, ctx)) {
		snprintf(why, why_len, "its process changed its user or group ids");
		return refuse(why, why_len, run);
	}
	size_t argc;
	unsigned long *argv = read_argv(tid, argv_p, psz, &argc);
	if (!argv)
		return 0;	/* EFAULT: the kernel says so */
	unsigned long new_argv, loader;
	bool ok = write_args(tid, ctx, psz, r.sp, how == 1 ? path_p : 0, run, argv, argc, &new_argv, &loader);
	free(argv);
	if (!ok) {
		snprintf(why, why_len, "no room below its stack pointer for the loader's arguments");
		return refuse(why, why_len, run);
	}
	/* execveat becomes execve: the filter, run again, lets it through. */
	r.nr = r.is_i386 ? arch_nr_execve_i386 : arch_nr_execve;
	r.arg[0] = loader;
	r.arg[1] = new_argv;
	r.arg[2] = envp_p;
	if (arch_exec_regs_set(tid, &r) != 0)
		return 0;
	/* What /proc/self/exe would say: the ELF file, a script's interpreter. */
	char *abs = realpath(elf, NULL);
	if (abs)
		tracee_set_exe(tid, abs);
	free(abs);
	return 1;
}
