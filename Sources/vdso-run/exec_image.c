/* SPDX-License-Identifier: MIT */
/*
 * --follow-exec=event (exec_event.c): the tracer's state, and the images as
 * the stub maps them: each copied into a sealed memfd padded to the pages it
 * occupies, so that a MAP_PRIVATE mapping of it never reaches past the end
 * of a file, and named to the stub as /proc/TRACER/fd/N.  The i386 image's
 * __kernel_vsyscall, for AT_SYSINFO, is looked up here once.
 */
#include "inject.h"
#include "elf_lookup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct event_state ev;

/* The pages an image occupies (its one PT_LOAD from offset 0, address 0), for either class. */
static size_t image_pages(const char *path, const unsigned char *b, size_t size, bool is_i386)
{
	size_t phoff, phent, phnum;
	if (is_i386) {
		const Elf32_Ehdr *h = (const Elf32_Ehdr *)b;
		if (size < sizeof *h || memcmp(h->e_ident, ELFMAG, SELFMAG) || h->e_ident[EI_CLASS] != ELFCLASS32 ||
		    h->e_machine != EM_386 || h->e_type != ET_DYN)
			die("%s: not an ELF32 i386 vDSO image (ET_DYN)", path);
		phoff = h->e_phoff, phent = h->e_phentsize, phnum = h->e_phnum;
	} else {
		const Elf64_Ehdr *h = (const Elf64_Ehdr *)b;
		if (size < sizeof *h)
			die("%s: not a vDSO image", path);
		phoff = h->e_phoff, phent = h->e_phentsize, phnum = h->e_phnum;
	}
	size_t want = is_i386 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
	if (phent != want || phoff > size || phnum > (size - phoff) / want)
		die("%s: vDSO image has a bad program header table", path);
	uint64_t end = size;
	int nload = 0;
	for (size_t i = 0; i < phnum; i++) {
		uint64_t type, off, vaddr, memsz;
		if (is_i386) {
			const Elf32_Phdr *p = (const Elf32_Phdr *)(b + phoff) + i;
			type = p->p_type, off = p->p_offset, vaddr = p->p_vaddr, memsz = p->p_memsz;
		} else {
			const Elf64_Phdr *p = (const Elf64_Phdr *)(b + phoff) + i;
			type = p->p_type, off = p->p_offset, vaddr = p->p_vaddr, memsz = p->p_memsz;
		}
		if (type != PT_LOAD)
			continue;
		nload++;
		if (off != 0 || vaddr != 0 || memsz > (64u << 20))
			die("%s: vDSO image's PT_LOAD must start at offset 0, address 0, and be under 64 MiB", path);
		if (memsz > end)
			end = memsz;
	}
	if (nload != 1)
		die("%s: vDSO image has %d PT_LOAD segments, expected exactly 1", path, nload);
	return PAGE_UP(end);
}

static void image_memfd(const char *file, bool is_i386, pid_t tracer, struct event_image *k)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0)
		die("%s: %s", file, strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_size < 64 || st.st_size > (64 << 20))
		die("%s: not a plausible vDSO image (a regular file of 64 bytes to 64 MiB)", file);
	size_t size = (size_t)st.st_size;
	unsigned char *b = malloc(size);
	if (!b)
		die("out of memory");
	if (pread(fd, b, size, 0) != (ssize_t)size)
		die("%s: short read", file);
	close(fd);
	k->map_len = image_pages(file, b, size, is_i386);
	if (is_i386) {
		struct vdso_elf e;
		const unsigned char *sym = vdso_elf_open(&e, b, size) == 0 ?
			vdso_elf_sym(&e, "__kernel_vsyscall", "LINUX_2.5") : NULL;
		/* Offset = address in an image whose PT_LOAD starts at 0, 0 (image_pages). */
		if (sym && sym >= b && (size_t)(sym - b) < k->map_len)
			k->vsyscall = (uintptr_t)(sym - b);
	}
	k->memfd = memfd_create("vdso-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (k->memfd < 0 || write(k->memfd, b, size) != (ssize_t)size || ftruncate(k->memfd, (off_t)k->map_len) != 0)
		die("cannot copy %s into a memfd: %s", file, strerror(errno));
	fcntl(k->memfd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	free(b);
	snprintf(k->path, sizeof k->path, "/proc/%d/fd/%d", (int)tracer, k->memfd);
	k->given = true;
}

void exec_event_init(const struct run_options *opt, pid_t tracer, int data_fd, pid_t writer, const char *follow_arg)
{
	snprintf(ev.follow_arg, sizeof ev.follow_arg, "%s", follow_arg);
	snprintf(ev.data_pages_arg, sizeof ev.data_pages_arg, "%u", opt->data_pages);
	ev.verbose = opt->verbose;
	ev.no_vdso = opt->no_vdso;
	ev.writer = writer;
	ev.k64.name = "x86-64";
	ev.k32.name = "i386";
	char run32[PATH_MAX];
	struct stat st;
	loader32_path(run32, sizeof run32);
	if (stat(run32, &st) == 0) {
		ev.run32_dev = st.st_dev;
		ev.run32_ino = st.st_ino;
	}
	if (stat("/proc/self/exe", &st) == 0) {
		ev.loader_dev = st.st_dev;
		ev.loader_ino = st.st_ino;
	}
	if (opt->no_vdso)
		return;
	struct data_layout l;
	data_layout(opt, &l);
	ev.data_len = (size_t)l.total * RUN_PAGE;
	snprintf(ev.data_path, sizeof ev.data_path, "/proc/%d/fd/%d", (int)tracer, data_fd);
	if (opt->image)
		image_memfd(opt->image, false, tracer, &ev.k64);
	if (opt->image32)
		image_memfd(opt->image32, true, tracer, &ev.k32);
}
