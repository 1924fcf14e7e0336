/* SPDX-License-Identifier: MIT */
/*
 * --follow-exec=event: following exec with no seccomp filter, so that no
 * system call of the tree pays for one.  Every tracee carries
 * PTRACE_O_TRACEEXEC; at its PTRACE_EVENT_EXEC stop the kernel has loaded
 * the new program, with the kernel's vDSO, and not one instruction of it has
 * run.  There the tracer replaces the vDSO in place:
 *
 *   1. reads the new stack (rsp points at argc: argv, envp, then auxv) and
 *      finds AT_SYSINFO_EHDR (and, for an i386 program, AT_SYSINFO);
 *   2. writes a parameter block below the stack pointer and the stub
 *      (arch_*_inject.c) over the start of the page the program would start
 *      in, keeping the bytes it covers, and points the registers at them;
 *   3. the stub maps the session's data pages (MAP_SHARED, read-only) and
 *      the image above them, both through /proc/TRACER/fd/N, and traps;
 *   4. at the trap the tracer points AT_SYSINFO_EHDR (and AT_SYSINFO, at the
 *      image's __kernel_vsyscall) at the image, puts the code bytes and the
 *      registers back as the exec left them, and continues: the program
 *      starts as the kernel started it, with our image in its auxv.
 *
 * No second exec, no loader.  An x86-64 program (not under --verbose) takes
 * a shorter way (place_stub): the stub goes into the kernel's [vdso], which
 * nothing uses once the auxv names our image, and at step 3 writes
 * AT_SYSINFO_EHDR itself and restarts the program with the registers the
 * exec left: one ptrace stop per exec, the exec event.  Otherwise two (the
 * exec event and the trap).  The kernel's own [vdso] and [vvar] stay mapped
 * where the kernel put them, unnamed by the auxv: the kernel still finds an
 * i386 program's signal return trampoline there (a sigaction without
 * SA_RESTORER), which is why an i386 program's stub goes elsewhere.  The
 * page the stub was written to is the process's private copy from then on.
 *
 * An exec is left as the kernel loaded it, with a --verbose note, when no
 * image fits it (another class, another machine), when it is a set-id
 * program (it runs as the kernel would, as in the seccomp mode), when the
 * stub cannot open the tracer's files (the program's credentials differ
 * from the tracer's), or when its stack holds no AT_SYSINFO_EHDR.
 * vdso-run32, which maps its i386 program itself, is left alone too.
 */
#include "inject.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STUB_MAX	512
#define STACK_READ_MAX	(8u << 20)	/* argv, envp and auxv: ARG_MAX is a quarter of the stack limit */

struct injection {
	pid_t pid;
	int mem;
	bool is_i386;
	struct inject_saved saved;
	unsigned long ip, stub_at;
	size_t code_len;
	unsigned char code[STUB_MAX];
	unsigned long ehdr_slot, sysinfo_slot;	/* auxv value addresses; 0: none */
};

static struct injection **live;
static size_t nlive, caplive;

/* ---- the injections under way ---- */

static struct injection *find(pid_t pid, size_t *at)
{
	for (size_t i = 0; i < nlive; i++)
		if (live[i]->pid == pid) {
			if (at)
				*at = i;
			return live[i];
		}
	return NULL;
}

static void forget(size_t i)
{
	if (live[i]->mem >= 0)
		close(live[i]->mem);
	free(live[i]);
	live[i] = live[--nlive];
}

void exec_event_gone(pid_t pid)
{
	size_t i;
	if (find(pid, &i))
		forget(i);
}

/* What the tracee runs, for a note. */
static const char *exe_of(pid_t pid, char *buf, size_t n)
{
	char link[32];
	snprintf(link, sizeof link, "/proc/%d/exe", (int)pid);
	ssize_t l = readlink(link, buf, n - 1);
	if (l <= 0)
		return "?";
	buf[l] = 0;
	return buf;
}

static void note(pid_t pid, const char *why)
{
	char exe[PATH_MAX];
	if (ev.verbose)
		vlog("exec in pid %d: %s: %s; the kernel runs it with its own vDSO", (int)pid, exe_of(pid, exe, sizeof exe),
		     why);
}

/*
 * The auxv's AT_SYSINFO_EHDR and AT_SYSINFO value addresses (0: absent),
 * from the stack at `sp`: argc, argv[argc], NULL, envp..., NULL, auxv pairs
 * up to AT_NULL, each a word of `w` bytes.  -1 if the stack is not that.
 */
static int auxv_slots(int mem, unsigned long sp, size_t w, unsigned long *ehdr, unsigned long *sysinfo)
{
	size_t cap = 16384;
	for (;;) {
		unsigned char *b = malloc(cap);
		if (!b)
			die("out of memory");
		ssize_t got = pread(mem, b, cap, (off_t)sp);
		size_t n = got > 0 ? (size_t)got / w : 0, i = 1;
#define WORD(k) (w == 4 ? (uint64_t)((const uint32_t *)b)[k] : ((const uint64_t *)b)[k])
		int r = -1;
		if (n >= 1 && WORD(0) < n) {
			i = 1 + WORD(0);	/* argv's NULL */
			if (i < n && WORD(i) == 0) {
				for (i++; i < n && WORD(i) != 0; i++)
					;	/* envp */
				*ehdr = *sysinfo = 0;
				for (i++; i + 1 < n; i += 2) {
					if (WORD(i) == AT_NULL) {
						r = 0;
						break;
					}
					if (WORD(i) == AT_SYSINFO_EHDR)
						*ehdr = sp + (i + 1) * w;
					else if (WORD(i) == AT_SYSINFO)
						*sysinfo = sp + (i + 1) * w;
				}
			}
		}
#undef WORD
		free(b);
		if (r == 0)
			return 0;
		/* Not all of it in what we read: read more, if there was more to read. */
		if (got < (ssize_t)cap || cap >= STACK_READ_MAX)
			return -1;
		cap *= 2;
	}
}

static bool mem_put(int mem, unsigned long at, uint64_t v, size_t w)
{
	uint32_t v32 = (uint32_t)v;
	return pwrite(mem, w == 4 ? (const void *)&v32 : (const void *)&v, w, (off_t)at) == (ssize_t)w;
}

/* --no-vdso: the auxv's vDSO entries become AT_IGNORE; the kernel's stays mapped, unnamed. */
static void hide_vdso(int mem, size_t w, unsigned long ehdr, unsigned long sysinfo)
{
	if (ehdr)
		mem_put(mem, ehdr - w, AT_IGNORE, w);
	if (sysinfo)
		mem_put(mem, sysinfo - w, AT_IGNORE, w);
}

/* Is the file the tracee runs one to leave alone?  Its note, or NULL. */
static const char *leave_alone(const struct stat *stp, bool is_i386, bool *quiet)
{
	const struct stat st = *stp;
	*quiet = false;
	if (is_i386 && st.st_dev == ev.run32_dev && st.st_ino == ev.run32_ino) {
		*quiet = true;	/* vdso-run32 maps its program and the image itself */
		return "vdso-run32";
	}
	if ((st.st_mode & S_ISUID) || (st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
		return "a set-id program";
	if (!ev.no_vdso && !(is_i386 ? ev.k32.given : ev.k64.given))
		return is_i386 ? "an ELF32 i386 program, for which no i386 image was given" :
				 "an ELF64 x86-64 program, for which no x86-64 image was given";
	return NULL;
}

/*
 * Where the stub goes, and whether it resumes the program by itself.  An
 * x86-64 program whose registers are all zero at exec (as Linux leaves
 * them) gets the stub in the kernel's [vdso], which nothing uses once the
 * auxv names our image, and the stub restarts it: no trap, no restore, one
 * ptrace stop per exec.  Otherwise (i386: the kernel's [vdso] holds its
 * signal return; --verbose, which reports the addresses) it goes over the
 * start of the page the program starts in and traps for the tracer.  The
 * stub traps on failure either way: the tracer puts the bytes back.
 */
static bool place_stub(struct injection *j, unsigned long sp, unsigned char *params, unsigned char *frame,
		       size_t *frame_len)
{
	uint64_t kernel = 0;
	size_t w = j->is_i386 ? 4 : 8;
	*frame_len = 0;
	j->stub_at = PAGE_DOWN(j->ip);
	if (ev.verbose || !arch_inject_resume_ready(&j->saved, j->is_i386) ||
	    pread(j->mem, &kernel, w, (off_t)j->ehdr_slot) != (ssize_t)w || !kernel || kernel & (RUN_PAGE - 1) ||
	    j->code_len > RUN_PAGE)
		return false;
	j->stub_at = (unsigned long)kernel;
	*frame_len = arch_inject_resume(&j->saved, params, j->ehdr_slot, frame);
	return sp > *frame_len;
}

void exec_event_stop(pid_t pid)
{
	exec_event_gone(pid);	/* a record a resumed stub left at its last exec */
	struct injection *j = calloc(1, sizeof *j);
	if (!j)
		die("out of memory");
	j->pid = pid;
	j->mem = -1;
	unsigned long ip, sp;
	bool quiet;
	const char *why = NULL;
	if (arch_inject_save(pid, &j->saved, &j->is_i386, &ip, &sp) != 0)
		goto out;	/* gone (SIGKILL) */
	j->ip = ip;
	size_t w = j->is_i386 ? 4 : 8;
	char path[32];
	struct stat st;
	snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	if (stat(path, &st) != 0) {
		note(pid, "its program cannot be looked at");
		goto out;
	}
	const char *was = tracee_exe(pid);
	bool loader = j->is_i386 ? st.st_dev == ev.run32_dev && st.st_ino == ev.run32_ino :
				   st.st_dev == ev.loader_dev && st.st_ino == ev.loader_ino;
	if (loader && was && *was) {
		snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
		if ((j->mem = open(path, O_RDWR | O_CLOEXEC)) >= 0)
			exec_reexec_loader(pid, j->mem, j->is_i386, &j->saved, j->ip, sp, was);
		goto out;
	}
	/* Its /proc/self/exe names its program again: nothing to substitute at its next exec. */
	tracee_set_exe(pid, "");
	if ((why = leave_alone(&st, j->is_i386, &quiet)) != NULL) {
		if (!quiet)
			note(pid, why);
		goto out;
	}
	snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
	if ((j->mem = open(path, O_RDWR | O_CLOEXEC)) < 0 || auxv_slots(j->mem, sp, w, &j->ehdr_slot, &j->sysinfo_slot) != 0) {
		note(pid, "its stack cannot be read as argc, argv, envp, auxv");
		goto out;
	}
	if (ev.no_vdso) {
		hide_vdso(j->mem, w, j->ehdr_slot, j->sysinfo_slot);
		goto out;
	}
	if (!j->ehdr_slot) {
		note(pid, "its auxv has no AT_SYSINFO_EHDR to point at the image");
		goto out;
	}
	const struct event_image *k = j->is_i386 ? &ev.k32 : &ev.k64;
	unsigned char params[256];
	size_t plen = arch_inject_params(j->is_i386, params, sizeof params, ev.data_len + k->map_len, ev.data_len,
					 k->map_len, ev.data_path, k->path);
	const unsigned char *code;
	arch_inject_stub(j->is_i386, &code, &j->code_len);
	unsigned long params_at = (sp - PARAMS_GAP - plen) & ~15UL;
	unsigned char frame[32];
	size_t flen = 0;
	bool resumes = plen && place_stub(j, sp, params, frame, &flen);
	if (!plen || j->code_len > sizeof j->code || sp < PARAMS_GAP + plen + 16 ||
	    (flen && pwrite(j->mem, frame, flen, (off_t)(sp - flen)) != (ssize_t)flen) ||
	    pwrite(j->mem, params, plen, (off_t)params_at) != (ssize_t)plen ||
	    pread(j->mem, j->code, j->code_len, (off_t)j->stub_at) != (ssize_t)j->code_len) {
		note(pid, "no room for the stub that maps the image");
		goto out;
	}
	if (pwrite(j->mem, code, j->code_len, (off_t)j->stub_at) != (ssize_t)j->code_len ||
	    arch_inject_enter(pid, &j->saved, j->stub_at, params_at) != 0) {
		/* Back as it was, if it is still there. */
		pwrite(j->mem, j->code, j->code_len, (off_t)j->stub_at);
		arch_inject_leave(pid, &j->saved);
		note(pid, "the stub that maps the image cannot be written");
		goto out;
	}
	if (nlive == caplive) {
		caplive = caplive ? caplive * 2 : 16;
		live = realloc(live, caplive * sizeof *live);
		if (!live)
			die("out of memory");
	}
	live[nlive++] = j;
	if (resumes) {
		/* Kept for a failure's trap, which reopens it; a success brings no stop. */
		close(j->mem);
		j->mem = -1;
	}
	return;
out:
	if (j->mem >= 0)
		close(j->mem);
	free(j);
}

static const char *const steps[] = { "", "reserving its address range", "opening the data pages",
				     "mapping the data pages", "opening the image", "mapping the image" };

bool exec_event_trap(pid_t pid)
{
	size_t i;
	struct injection *j = find(pid, &i);
	if (!j)
		return false;
	long base;
	int step;
	int r = arch_inject_result(pid, j->is_i386, j->stub_at, &base, &step);
	if (r == 0)
		return false;	/* a SIGTRAP of its own: delivered */
	if (j->mem < 0) {
		char path[32];
		snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
		j->mem = open(path, O_RDWR | O_CLOEXEC);
	}
	size_t w = j->is_i386 ? 4 : 8;
	const struct event_image *k = j->is_i386 ? &ev.k32 : &ev.k64;
	bool put = pwrite(j->mem, j->code, j->code_len, (off_t)j->stub_at) == (ssize_t)j->code_len;
	if (r < 0 || !put) {
		forget(i);
		return true;	/* gone, or its code cannot be restored: nothing to save */
	}
	char why[160];
	uintptr_t image = (uintptr_t)base + ev.data_len;
	if (step != 0) {
		snprintf(why, sizeof why, "the stub failed %s (%s)", step > 0 && step <= 5 ? steps[step] : "",
			 strerror((int)-base));
		note(pid, why);
	} else if (!mem_put(j->mem, j->ehdr_slot, image, w) ||
		   (j->is_i386 && k->vsyscall && j->sysinfo_slot && !mem_put(j->mem, j->sysinfo_slot, image + k->vsyscall, w))) {
		note(pid, "its auxv cannot be written");
	} else if (ev.verbose) {
		char exe[PATH_MAX];
		vlog("exec in pid %d: %s: image 0x%lx-0x%lx r-x (AT_SYSINFO_EHDR%s), data pages 0x%lx r--; writer pid %d",
		     (int)pid, exe_of(pid, exe, sizeof exe), (unsigned long)image, (unsigned long)(image + k->map_len),
		     j->is_i386 && k->vsyscall && j->sysinfo_slot ? ", AT_SYSINFO" : "", (unsigned long)base,
		     (int)ev.writer);
	}
	arch_inject_leave(pid, &j->saved);
	forget(i);
	return true;
}
