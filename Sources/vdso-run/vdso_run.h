/* SPDX-License-Identifier: MIT */
/*
 * vdso-run: start an unmodified program with a given vDSO image in place of
 * the kernel's.  See main.c for the overall sequence.
 *
 * Files:
 *   main.c          command line, PATH lookup, #! scripts, the sequence
 *   elf_load.c      mapping ELF executables and interpreters, the image
 *   data.c          the data pages (memfd): made, filled, mapped
 *   writer.c        the writer process that keeps them current
 *   stack.c         the initial stack: argc, argv, envp, auxv
 *   follow_exec.c   the tracer that starts every exec of the tree under us
 *   exec_rewrite.c  turning one exec into an exec of the loader
 *   exec_event.c    --follow-exec=event: the vDSO replaced at PTRACE_EVENT_EXEC (inject.h)
 *   exec_image.c    its images as sealed memfds; exec_reexec.c: re-executions of the loader
 *   session.c       the options every followed exec's loader reads
 *   tracees.c       the set of live tracees
 *   coarse_tick.c   following the kernel tick for the coarse clocks
 *   message.c       die() and the --verbose lines
 *   class32.c       ELF32 i386 programs: the hand-over to vdso-run32
 *   foreign.c       aarch64 and riscv64 programs: the hand-over to qemu-user
 *   kernel_side.c   a data area and writer of the user's own (--kernel-side)
 *   map.c           mapping the data pages and the image (both loaders)
 *   arch_x86_64.c   everything that depends on the architecture
 *   arch_x86_64_inject.c  the stubs exec_event.c writes into a tracee
 *   compat32/       vdso-run32, the 32-bit loader (built with -m32)
 *   guest/          vdso-run-ARCH, the loader qemu-user runs for a foreign program
 */
#ifndef VDSO_RUN_H
#define VDSO_RUN_H

#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vdso/datapage.h"

#define RUN_PAGE	4096UL
/* The ELF class this loader runs: ELFCLASS64 for vdso-run, ELFCLASS32 for vdso-run32. */
#define ELFCLASS_NATIVE	(sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32)
#define PAGE_DOWN(x)	((uintptr_t)(x) & ~(RUN_PAGE - 1))
#define PAGE_UP(x)	(((uintptr_t)(x) + RUN_PAGE - 1) & ~(RUN_PAGE - 1))

struct run_options {
	const char *image;		/* the x86-64 image, or a foreign program's (--image), or NULL */
	const char *image32;		/* the i386 image (--image), or NULL */
	int64_t realtime_offset_ns;
	int64_t monotonic_offset_ns;
	int clock_mode;			/* VDSO_CLOCKMODE_* or VDSO_TK_AUTO */
	unsigned data_pages;		/* our page sits this many pages below the image */
	bool verbose, no_aslr, no_vdso;
	bool follow_exec;		/* default; --no-follow-exec clears it */
	bool follow_event;		/* default; --follow-exec=seccomp clears it (exec_event.c) */
	const char *shared_data;	/* --shared-data PATH: a followed exec maps the tracer's pages */
	pid_t writer_pid;		/* --writer-pid (for --verbose) */
	const char *kernel_side;	/* --kernel-side WRITER: start it in place of our writer */
	bool kernel_side_area;		/* the area is the kernel side's: --data-pages pages, nothing of ours */
	const char *exec_path;		/* --exec PATH: run this file, argv[0] as given */
	char **argv;			/* PROGRAM [ARGS...], NULL-terminated */
	int argc;
	/* A foreign program's loader: the counter is qemu-user's (ns per count, else 0),
	 * and the host's REALTIME/BOOTTIME - MONOTONIC that foreign.c measured. */
	unsigned qemu_period_ns;
	bool offsets_given;
	int64_t off_real_ns, off_boot_ns;
};

extern bool run_verbose;

/* ---- message.c ---- */
/* One clear line on stderr ("vdso-run: ..."), exit 2. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A --verbose line on stderr. */
void vlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- elf_load.c ---- */

struct loaded_elf {
	const char *path;
	int type;			/* ET_EXEC or ET_DYN */
	uintptr_t bias;			/* load address - link address */
	uintptr_t lo, hi;		/* mapped range */
	uintptr_t entry;
	uintptr_t phdr;			/* program headers in memory */
	unsigned phnum, phent;
	bool exec_stack;		/* PT_GNU_STACK with PF_X */
	char *interp;			/* PT_INTERP, or NULL */
};

/* Check that `path` is an ELF executable this loader can run (exit 2 if not);
 * returns an open fd.  `hdr` receives the ELF header. */
int elf_open(const char *path, ElfW(Ehdr) *hdr, bool want_interp);
/* "i386", "aarch64", ... for an e_machine, or NULL. */
const char *elf_machine_name(int machine);
/* Map it (fd from elf_open, closed here). */
void elf_map(int fd, const ElfW(Ehdr) *hdr, const char *path, struct loaded_elf *out);

struct vdso_image {
	unsigned char *bytes;
	size_t size;			/* file size */
	size_t map_len;			/* pages the image occupies */
};
/* Read and minimally validate a vDSO image (exit 2 if unusable). */
void image_read(const char *path, struct vdso_image *img);

/* ---- class32.c ---- */

enum { ELF_KIND_OTHER, ELF_KIND_X86_64, ELF_KIND_I386 };
/* What the file at `path` is (exit 2 if it cannot be opened). */
int elf_kind_of(const char *path);
/* --image PATH: the x86-64 or the i386 image, by its header (exit 2 for a second of a class). */
void image_assign(struct run_options *o, const char *path);
/* Exit 2, saying which image is needed, unless an image fits `program`. */
void image_require(const struct run_options *o, const char *program, bool is_i386);
/* vdso-run32: next to this executable. */
void loader32_path(char *buf, size_t n);
/* Hand an i386 program over to vdso-run32 (data_fd: the data pages, or -1 to make them). */
_Noreturn void run32_exec(struct run_options *opt, const char *path, const char *execfn, char **pargv,
			  int data_fd);

/* ---- foreign.c ---- */

/* An architecture whose programs run under qemu-user with vdso-run-NAME. */
struct guest_arch {
	int machine, class;		/* e_machine, EI_CLASS */
	const char *name;		/* "aarch64": vdso-run-aarch64, kernel-vdso/arch/aarch64 */
	const char *qemu;		/* "qemu-aarch64": NAME-static or NAME on PATH */
	const char *sysroot;		/* qemu's -L unless $QEMU_LD_PREFIX */
};
/* The guest architecture of the ELF file at `path`, or NULL (this machine's, or unknown). */
const struct guest_arch *guest_arch_of(const char *path);
/* Exec qemu-user with the guest loader for `path` (exit 2, one line, if that cannot be). */
_Noreturn void foreign_exec(const struct run_options *opt, const struct guest_arch *g, const char *path,
			    const char *execfn, char **pargv);

/* ---- data.c ---- */

struct vdso_mapping {
	uintptr_t data_base;		/* lowest data page */
	unsigned data_pages_total;	/* pages mapped below the image */
	uintptr_t ours;			/* struct vdso_time_data (vdsogen's) */
	uintptr_t rng;			/* struct vdso_rng_data (vdsogen's), the page below */
	uintptr_t linux_time;		/* Linux's vdso_u_time_data mirror, or 0 */
	uintptr_t image_base;
	size_t image_len;
	pid_t writer;
	int clock_mode;
	uint64_t counter_hz;
	uint32_t mult, shift;
};

/* The data pages in a sealed memfd, filled, with the writer's writable mapping. */
struct vdso_data {
	int memfd;
	size_t len;
	unsigned char *w;
	struct vdso_time_data *time;
	unsigned char *linux_time;	/* Linux-layout mirror, or NULL */
	struct vdso_rng_data *rng, *linux_rng;
	const struct run_options *kside;	/* a kernel side's area (kernel_side.c), else NULL */
};

/* Create and fill the data pages (calibrates the counter). */
void vdso_data_create(const struct run_options *opt, struct vdso_data *d);
/* ---- writer.c ---- */
/* Copy vdsogen's clock blocks into Linux's layout, under Linux's seqlock. */
void vdso_linux_mirror(const struct vdso_time_data *src, unsigned char *dst_page);
/* Start the writer as an orphan that exits with the loader (--no-follow-exec). */
pid_t vdso_writer_start_orphan(const struct vdso_data *d);
/* After the writer died: end any update it left open (an odd seq), here and in the mirror. */
void vdso_data_release(struct vdso_data *d);
/* Start the writer as a child of the caller, which must reap it. */
pid_t vdso_writer_start_owned(const struct vdso_data *d);
/* A writer process's body: keeps `d` current, watching `watch` (through `pidfd`), and reports
 * on `ready` once it runs; never returns (vdsogen's writer in writer.c, a kernel side's in kernel_side.c). */
typedef void writer_body(const struct vdso_data *d, int pidfd, pid_t watch, int ready);
/* Fork `body` as a child that dies with the caller; *ready_rd: the read end of its `ready`. */
pid_t writer_fork_owned(const struct vdso_data *d, writer_body *body, int *ready_rd);
/* The same as a grandchild in a session of its own (double fork), for --no-follow-exec, where
 * the caller becomes the program; exit 2 naming `what` if it cannot be started. */
pid_t writer_fork_orphan(const struct vdso_data *d, writer_body *body, int *ready_rd, const char *what);
/* ---- map.c ---- */
/* Page indices from the lowest mapped page; the image follows page `total`. */
struct data_layout {
	unsigned total, ours, rng, linux_time, linux_rng;
	bool mirror, rng_mirror;
};

void data_layout(const struct run_options *opt, struct data_layout *l);
/* Map the data pages from `memfd` read-only, the image above them. */
void vdso_map(const struct run_options *opt, const struct vdso_image *img, int memfd, struct vdso_mapping *out);
/* Unmap the kernel's [vdso] and its data pages (nothing may call libc's clock functions after). */
void vdso_unmap_kernel(void);
/* --no-follow-exec: create, map, and start the writer as an orphan. */
void vdso_setup(const struct run_options *opt, const struct vdso_image *img, struct vdso_mapping *out);

/* ---- kernel_side.c ---- */
/* The kernel side's area: an unsealed memfd of --data-pages pages (vdso_data_create calls it). */
void kside_data_create(const struct run_options *opt, struct vdso_data *d);
/* Start its writer as a child of the caller; returns once its init succeeded and the memfd is sealed. */
pid_t kside_start_owned(const struct vdso_data *d);
/* --no-follow-exec: create, start the writer as an orphan, seal, map (vdso_setup calls it). */
void kside_setup(const struct run_options *opt, const struct vdso_image *img, struct vdso_mapping *out);

/* ---- follow_exec.c ---- */

/*
 * Fork.  The parent becomes the tracer and never returns: it exits with the
 * top program's status once every tracee is gone.  The child returns traced,
 * under the exec filter, with *data_fd the data pages (or -1 for --no-vdso).
 * Already traced (run inside run), it returns at once, clearing follow_exec.
 * `program` is the file the top program runs (its /proc/self/exe).
 */
void follow_exec_start(struct run_options *opt, const char *program, int *data_fd);

/* ---- session.c ---- */

/* The session memfd (sealed) for the tracer `self` with these fds and writer. */
int session_create(const struct run_options *opt, pid_t self, int image, int image32, int data, pid_t writer);
/* A followed exec (argv[1] is --follow=TRACER:FD): the loader's command line
 * rebuilt from the tracer's session; *argcp updated. */
char **follow_session_argv(int *argcp, char **argv);

/* ---- exec_rewrite.c ---- */

/* What the exec filter's SECCOMP_RET_DATA says. */
enum { EXEC_EXECVE = 1, EXEC_EXECVEAT = 2, EXEC_OTHER_ABI = 3, EXEC_I386_EXECVE = 4, EXEC_I386_EXECVEAT = 5 };

struct follow_ctx {
	pid_t tracer;
	uid_t uid;
	gid_t gid;
	char loader[40];		/* /proc/TRACER/fd/N: the loader executable */
	char follow_arg[48];		/* --follow=TRACER:FD of the session */
	dev_t loader_dev;		/* the loader file, to recognize an exec of it */
	ino_t loader_ino;
	dev_t loader32_dev;		/* vdso-run32: the loader's own exec of it runs as is */
	ino_t loader32_ino;
	bool fits64, fits32;		/* an image for x86-64, for i386 programs (or --no-vdso) */
};

/* At a seccomp stop of `tid` for an exec of `kind`: rewrite it into an exec
 * of the loader (returns 1), or leave it to the kernel (returns 0; `why`
 * says why when that deserves a --verbose note, else is empty). */
int exec_rewrite(pid_t tid, int kind, const struct follow_ctx *ctx, char *why, size_t why_len);
/* Split a #! line in `buf` (NUL-terminated) into interpreter and optional argument, in place. */
int shebang_split(char *buf, char **interp, char **arg);

/* ---- tracees.c ---- */

/* A tracee born, as a thread-group leader (fork, vfork) or maybe not (clone),
 * running what `parent` runs (0: unknown). */
void tracee_born(pid_t pid, bool leader, pid_t parent);
void tracee_gone(pid_t pid);
size_t tracees_live(void);
/* Known live and born a leader: its exec keeps its tid. */
bool tracee_is_leader(pid_t pid);
/* The program a tracee runs (an absolute path), or NULL. */
void tracee_set_exe(pid_t pid, const char *exe);
const char *tracee_exe(pid_t pid);

/* ---- stack.c ---- */

struct stack_info {
	uintptr_t base, top, sp;
};
void stack_build(const struct run_options *opt, char **argv, const char *execfn,
		 const struct loaded_elf *prog, const struct loaded_elf *interp,
		 uintptr_t sysinfo_ehdr, uintptr_t sysinfo, struct stack_info *out);

/* ---- arch_*.c ---- */

extern const int arch_elf_machine;		/* EM_X86_64, ... */
extern const char arch_platform[];		/* AT_PLATFORM */
extern const char arch_name[];
/* A guest loader's counter: ns per count when it is qemu-user's REALTIME-based one, else 0. */
unsigned arch_qemu_counter_period_ns(void);
/* Linux's own data-page layout below its vDSO (for foreign images). */
extern const unsigned arch_linux_vvar_pages;	/* pages Linux maps below its image */
extern const unsigned arch_linux_time_page;	/* index of vdso_u_time_data among them */
extern const size_t arch_linux_tz_offset;	/* tz_minuteswest in Linux's vdso_time_data */
extern const size_t arch_linux_hrtimer_res_offset;
/* Unregister the loader's rseq area so the program's libc can register its own. */
void arch_rseq_unregister(void);
/* The seccomp filter that traces exec calls (follow_exec.c). */
struct sock_fprog;
extern const struct sock_fprog arch_exec_filter;
extern const long arch_nr_execve;
extern const long arch_nr_execve_i386;	/* execve through int $0x80 */
/* An exec call's number, first five arguments and the stack pointer. */
struct exec_regs {
	bool is_i386;			/* set by the caller: an i386 system call (int $0x80) */
	long nr;
	unsigned long arg[5];
	unsigned long sp;
};
int arch_exec_regs_get(pid_t tid, struct exec_regs *r);
int arch_exec_regs_set(pid_t tid, const struct exec_regs *r);
/* munmap for vdso_unmap_kernel: 0 or an errno.  The i386 one is a raw int $0x80, as
 * the 32-bit libc enters the kernel through the kernel's __kernel_vsyscall. */
int arch_munmap(uintptr_t addr, size_t len);
/* Set the stack pointer and jump; registers as the kernel leaves them at exec. */
_Noreturn void arch_enter(uintptr_t sp, uintptr_t entry);

#endif /* VDSO_RUN_H */
