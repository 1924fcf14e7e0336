/* SPDX-License-Identifier: MIT */
/*
 * --follow-exec=event: the vDSO replaced in place at each PTRACE_EVENT_EXEC
 * (exec_event.c), by a stub the tracer writes into the stopped tracee
 * (arch_x86_64_inject.c).  See exec_event.c for the sequence.
 */
#ifndef VDSO_RUN_INJECT_H
#define VDSO_RUN_INJECT_H

#include "vdso_run.h"

/* Between the parameter block (or a rewritten stack) and the kernel's stack pointer. */
#define PARAMS_GAP	256

struct event_image {
	bool given;
	int memfd;			/* the image, padded to map_len, sealed */
	size_t map_len;
	uintptr_t vsyscall;		/* __kernel_vsyscall's offset in the image, or 0 */
	char path[48];			/* /proc/TRACER/fd/N */
	const char *name;		/* for notes */
};

/* The tracer's event-mode state, set by exec_event_init (exec_image.c). */
struct event_state {
	bool verbose, no_vdso;
	size_t data_len;
	char data_path[48];
	struct event_image k64, k32;
	dev_t run32_dev, loader_dev;
	ino_t run32_ino, loader_ino;
	pid_t writer;
	char follow_arg[48];		/* --follow=TRACER:SESSION, for re-executions of the loader */
	char data_pages_arg[16];	/* --data-pages N, for vdso-run32's */
};
extern struct event_state ev;

/* ---- exec_image.c, exec_event.c ---- */

/* In the tracer, before the first tracee runs: the images as sealed memfds. */
void exec_event_init(const struct run_options *opt, pid_t tracer, int data_fd, pid_t writer, const char *follow_arg);
/* At PTRACE_EVENT_EXEC of `pid`: start the stub, or leave the kernel's vDSO (with a --verbose note). */
void exec_event_stop(pid_t pid);
/* At a SIGTRAP signal-delivery-stop: true if it was the stub's int3 (the tracee's
 * registers are back as the kernel left them at exec; continue it with no signal). */
bool exec_event_trap(pid_t pid);
/* `pid` is gone: forget its injection, if any. */
void exec_event_gone(pid_t pid);

/* ---- exec_reexec.c ---- */

/* If the tracee, stopped at its exec of the loader (vdso-run, or vdso-run32 for an i386 one), was
 * a program the loader started re-executing itself through /proc/self/exe: its stack becomes the
 * loader's command line for `exe`, before it runs.  `mem`: its /proc/PID/mem. */
struct inject_saved;
void exec_reexec_loader(pid_t pid, int mem, bool is_i386, const struct inject_saved *saved, unsigned long ip,
			unsigned long sp, const char *exe);

/* ---- arch_*_inject.c ---- */

/* The registers as the exec left them (opaque to exec_event.c). */
struct inject_saved {
	unsigned long long r[32];
};

/* Save the registers; *is_i386: the new program runs in 32-bit mode; *ip, *sp: where it starts. */
int arch_inject_save(pid_t pid, struct inject_saved *s, bool *is_i386, unsigned long *ip, unsigned long *sp);
/* The stub's code for a class, position-independent, reading its parameter block at the stack pointer. */
void arch_inject_stub(bool is_i386, const unsigned char **code, size_t *len);
/* The parameter block (total, data and image lengths, the two paths) into buf; its size, or 0 if it does not fit. */
size_t arch_inject_params(bool is_i386, unsigned char *buf, size_t cap, uint64_t total, uint64_t data_len,
			  uint64_t image_len, const char *data_path, const char *image_path);
/* Can the stub resume the program by itself (x86-64, every general register zero at exec)? */
bool arch_inject_resume_ready(const struct inject_saved *s, bool is_i386);
/* Make the stub resume by itself: it writes AT_SYSINFO_EHDR at `ehdr_slot` and restarts the
 * program as the exec left it, from a frame the tracer writes just below the stack pointer
 * (into `frame`; its size is returned).  Then no trap follows a success. */
size_t arch_inject_resume(const struct inject_saved *s, unsigned char *params, unsigned long ehdr_slot,
			  unsigned char *frame);
/* Run the stub at `stub_at` with its parameter block at `params_at`. */
int arch_inject_enter(pid_t pid, const struct inject_saved *s, unsigned long stub_at, unsigned long params_at);
/* At a SIGTRAP: 1 if the tracee stopped at one of the stub's int3 (result: the mapped base, or
 * -errno with *step the step that failed, 1-5), else 0 (not ours); -1 if the registers cannot be read. */
int arch_inject_result(pid_t pid, bool is_i386, unsigned long stub_at, long *result, int *step);
/* Put back the registers as the exec left them (the execve's return value, 0, in place). */
int arch_inject_leave(pid_t pid, const struct inject_saved *s);

#endif /* VDSO_RUN_INJECT_H */
