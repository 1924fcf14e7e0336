/* SPDX-License-Identifier: MIT */
/*
 * vdso-run: start an unmodified program with a given vDSO image in place of
 * the kernel's.  See main.c for the overall sequence.
 *
 * Files:
 *   main.c          command line, PATH lookup, #! scripts, the sequence
 *   elf_load.c      mapping ELF executables and interpreters, the image
 *   data.c          the data pages (memfd) and the writer process
 *   stack.c         the initial stack: argc, argv, envp, auxv
 *   arch_x86_64.c   everything that depends on the architecture
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
#define PAGE_DOWN(x)	((uintptr_t)(x) & ~(RUN_PAGE - 1))
#define PAGE_UP(x)	(((uintptr_t)(x) + RUN_PAGE - 1) & ~(RUN_PAGE - 1))

struct run_options {
	const char *image;
	int64_t realtime_offset_ns;
	int64_t monotonic_offset_ns;
	int clock_mode;			/* VDSO_CLOCKMODE_* or VDSO_TK_AUTO */
	unsigned data_pages;		/* our page sits this many pages below the image */
	bool verbose, no_aslr, no_vdso;
	char **argv;			/* PROGRAM [ARGS...], NULL-terminated */
	int argc;
};

extern bool run_verbose;

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
/* Map it (fd from elf_open, closed here). */
void elf_map(int fd, const ElfW(Ehdr) *hdr, const char *path, struct loaded_elf *out);

struct vdso_image {
	unsigned char *bytes;
	size_t size;			/* file size */
	size_t map_len;			/* pages the image occupies */
};
/* Read and minimally validate a vDSO image (exit 2 if unusable). */
void image_read(const char *path, struct vdso_image *img);

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

/* Fill the data pages, map data + image, start the writer process. */
void vdso_setup(const struct run_options *opt, const struct vdso_image *img, struct vdso_mapping *out);

/* ---- stack.c ---- */

struct stack_info {
	uintptr_t base, top, sp;
};
void stack_build(const struct run_options *opt, char **argv, const char *execfn,
		 const struct loaded_elf *prog, const struct loaded_elf *interp,
		 uintptr_t sysinfo_ehdr, struct stack_info *out);

/* ---- arch_*.c ---- */

extern const int arch_elf_machine;		/* EM_X86_64, ... */
extern const char arch_platform[];		/* AT_PLATFORM */
extern const char arch_name[];
/* Linux's own data-page layout below its vDSO (for foreign images). */
extern const unsigned arch_linux_vvar_pages;	/* pages Linux maps below its image */
extern const unsigned arch_linux_time_page;	/* index of vdso_u_time_data among them */
extern const size_t arch_linux_tz_offset;	/* tz_minuteswest in Linux's vdso_time_data */
extern const size_t arch_linux_hrtimer_res_offset;
/* Unregister the loader's rseq area so the program's libc can register its own. */
void arch_rseq_unregister(void);
/* Set the stack pointer and jump; registers as the kernel leaves them at exec. */
_Noreturn void arch_enter(uintptr_t sp, uintptr_t entry);

#endif /* VDSO_RUN_H */
