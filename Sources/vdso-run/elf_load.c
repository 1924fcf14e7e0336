/* SPDX-License-Identifier: MIT */
/* Mapping ELF executables, their interpreters and the vDSO image. */
#include "vdso_run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

const char *elf_machine_name(int m)
{
	switch (m) {
	case EM_386: return "i386";
	case EM_X86_64: return "x86-64";
	case EM_AARCH64: return "aarch64";
	case EM_ARM: return "arm";
	case EM_RISCV: return "riscv";
	case EM_PPC64: return "ppc64";
	case EM_S390: return "s390";
	default: return NULL;
	}
}

static void check_ident(const char *path, const unsigned char *id, size_t n, int machine, const char *what)
{
	if (n < EI_NIDENT || memcmp(id, ELFMAG, SELFMAG) != 0)
		die("%s: not an ELF file%s", path, what);
	if (id[EI_CLASS] != ELFCLASS_NATIVE)
		die("%s: ELF%s %s, but this loader runs ELF%s %s programs", path,
		    id[EI_CLASS] == ELFCLASS32 ? "32" : "64",
		    elf_machine_name(machine) ? elf_machine_name(machine) : "file",
		    ELFCLASS_NATIVE == ELFCLASS32 ? "32" : "64", arch_name);
	if (id[EI_DATA] != ELFDATA2LSB)
		die("%s: big-endian ELF, but this loader is little-endian", path);
	if (machine != arch_elf_machine) {
		const char *m = elf_machine_name(machine);
		if (m)
			die("%s: ELF for %s, but this loader runs %s programs", path, m, arch_name);
		die("%s: ELF for machine %d, but this loader runs %s programs", path, machine, arch_name);
	}
}

static void read_exact(int fd, void *buf, size_t n, off_t off, const char *path)
{
	size_t done = 0;
	while (done < n) {
		ssize_t r = pread(fd, (char *)buf + done, n - done, off + (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("%s: read: %s", path, strerror(errno));
		if (r == 0)
			die("%s: truncated ELF file", path);
		done += (size_t)r;
	}
}

int elf_open(const char *path, ElfW(Ehdr) *hdr, bool is_interp)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		die("%s: not a regular file", path);
	memset(hdr, 0, sizeof *hdr);
	ssize_t n = pread(fd, hdr, sizeof *hdr, 0);
	if (n < 0)
		die("%s: read: %s", path, strerror(errno));
	int machine = n >= (ssize_t)offsetof(ElfW(Ehdr), e_version) ? hdr->e_machine : -1;
	/* An ELF32 header has e_machine at the same offset. */
	check_ident(path, hdr->e_ident, (size_t)n, machine, "");
	if ((size_t)n < sizeof *hdr)
		die("%s: truncated ELF header", path);
	switch (hdr->e_type) {
	case ET_EXEC:
		if (is_interp)
			die("%s: interpreter is ET_EXEC, expected a shared object", path);
		break;
	case ET_DYN:
		break;
	case ET_REL:
		die("%s: ELF relocatable object (ET_REL), not an executable", path);
	case ET_CORE:
		die("%s: ELF core file, not an executable", path);
	default:
		die("%s: ELF type %u is not an executable", path, hdr->e_type);
	}
	if (hdr->e_phentsize != sizeof(ElfW(Phdr)) || hdr->e_phnum == 0 || hdr->e_phnum > 4096)
		die("%s: bad program header table (phentsize %u, phnum %u)", path, hdr->e_phentsize,
		    hdr->e_phnum);
	return fd;
}

static int prot_of(uint32_t f)
{
	return (f & PF_R ? PROT_READ : 0) | (f & PF_W ? PROT_WRITE : 0) | (f & PF_X ? PROT_EXEC : 0);
}

void elf_map(int fd, const ElfW(Ehdr) *hdr, const char *path, struct loaded_elf *out)
{
	size_t phsz = (size_t)hdr->e_phnum * sizeof(ElfW(Phdr));
	ElfW(Phdr) *ph = malloc(phsz);
	if (!ph)
		die("out of memory");
	read_exact(fd, ph, phsz, (off_t)hdr->e_phoff, path);

	memset(out, 0, sizeof *out);
	out->path = path;
	out->type = hdr->e_type;
	uintptr_t lo = UINTPTR_MAX, hi = 0, align = RUN_PAGE;
	int nload = 0;
	for (unsigned i = 0; i < hdr->e_phnum; i++) {
		const ElfW(Phdr) *p = &ph[i];
		if (p->p_type == PT_INTERP) {
			if (p->p_filesz < 2 || p->p_filesz > 4096)
				die("%s: bad PT_INTERP", path);
			out->interp = malloc(p->p_filesz + 1);
			if (!out->interp)
				die("out of memory");
			read_exact(fd, out->interp, p->p_filesz, (off_t)p->p_offset, path);
			out->interp[p->p_filesz] = 0;
		} else if (p->p_type == PT_GNU_STACK) {
			out->exec_stack = (p->p_flags & PF_X) != 0;
		} else if (p->p_type == PT_LOAD && p->p_memsz) {
			nload++;
			if (p->p_filesz > p->p_memsz)
				die("%s: PT_LOAD with p_filesz > p_memsz", path);
			/* In the address space (32 bits wide for vdso-run32), with a page to spare. */
			if (p->p_vaddr > UINTPTR_MAX - RUN_PAGE || p->p_memsz > UINTPTR_MAX - RUN_PAGE - p->p_vaddr ||
			    p->p_offset > (uint64_t)INT64_MAX - p->p_filesz)
				die("%s: PT_LOAD at 0x%llx, 0x%llx bytes: does not fit the address space", path,
				    (unsigned long long)p->p_vaddr, (unsigned long long)p->p_memsz);
			if ((p->p_vaddr - p->p_offset) % RUN_PAGE)
				die("%s: PT_LOAD offset and address are not congruent modulo the page size", path);
			if (p->p_align > align && !(p->p_align & (p->p_align - 1)))
				align = p->p_align;
			if (PAGE_DOWN(p->p_vaddr) < lo)
				lo = PAGE_DOWN(p->p_vaddr);
			if (PAGE_UP(p->p_vaddr + p->p_memsz) > hi)
				hi = PAGE_UP(p->p_vaddr + p->p_memsz);
		}
	}
	if (!nload)
		die("%s: no PT_LOAD segments", path);
	if (align > (1UL << 30))
		die("%s: p_align 0x%lx is too large", path, (unsigned long)align);

	/* Reserve the whole span first, so segments land where the file says. */
	uintptr_t bias;
	if (hdr->e_type == ET_EXEC) {
		void *r = mmap((void *)lo, hi - lo, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (r == MAP_FAILED || (uintptr_t)r != lo) {
			if (r != MAP_FAILED)
				munmap(r, hi - lo);
			die("%s: cannot map this non-PIE executable at its fixed address 0x%lx-0x%lx: %s", path,
			    (unsigned long)lo, (unsigned long)hi,
			    r == MAP_FAILED && errno == EEXIST ? "range in use by the loader"
							       : strerror(errno));
		}
		bias = 0;
	} else {
		if (hi - lo > SIZE_MAX - align)
			die("%s: %zu bytes of segments do not fit the address space", path, (size_t)(hi - lo));
		size_t len = hi - lo + align;
		void *r = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (r == MAP_FAILED)
			die("%s: cannot reserve %zu bytes: %s", path, len, strerror(errno));
		uintptr_t a = ((uintptr_t)r + align - 1) & ~(align - 1);
		if (a > (uintptr_t)r)
			munmap(r, a - (uintptr_t)r);
		uintptr_t end = (uintptr_t)r + len;
		if (end > a + (hi - lo))
			munmap((void *)(a + (hi - lo)), end - (a + (hi - lo)));
		bias = a - lo;
	}

	for (unsigned i = 0; i < hdr->e_phnum; i++) {
		const ElfW(Phdr) *p = &ph[i];
		if (p->p_type != PT_LOAD || !p->p_memsz)
			continue;
		int prot = prot_of(p->p_flags);
		uintptr_t start = bias + p->p_vaddr;
		uintptr_t file_end = start + p->p_filesz, mem_end = start + p->p_memsz;
		uintptr_t map_start = PAGE_DOWN(start);
		if (p->p_filesz) {
			/* Writable while we zero the bss tail of the last file page. */
			int tmp = prot | (p->p_memsz > p->p_filesz ? PROT_WRITE : 0);
			void *m = mmap((void *)map_start, PAGE_UP(file_end) - map_start, tmp, MAP_PRIVATE | MAP_FIXED, fd,
				       (off_t)PAGE_DOWN(p->p_offset));
			if (m == MAP_FAILED)
				die("%s: mmap segment at 0x%lx: %s", path, (unsigned long)map_start, strerror(errno));
			/* Like the kernel's padzero(): up to the end of the page, not just
			 * to p_memsz (ld.so's minimal malloc uses that tail and expects zeros). */
			if (p->p_memsz > p->p_filesz && PAGE_UP(file_end) > file_end)
				memset((void *)file_end, 0, PAGE_UP(file_end) - file_end);
			if (tmp != prot)
				mprotect((void *)map_start, PAGE_UP(file_end) - map_start, prot);
		}
		uintptr_t anon = p->p_filesz ? PAGE_UP(file_end) : map_start;
		if (PAGE_UP(mem_end) > anon) {
			void *m = mmap((void *)anon, PAGE_UP(mem_end) - anon, prot,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
			if (m == MAP_FAILED)
				die("%s: mmap bss at 0x%lx: %s", path, (unsigned long)anon, strerror(errno));
		}
	}

	/* Where the program headers are in memory (AT_PHDR). */
	for (unsigned i = 0; i < hdr->e_phnum && !out->phdr; i++)
		if (ph[i].p_type == PT_PHDR)
			out->phdr = bias + ph[i].p_vaddr;
	for (unsigned i = 0; i < hdr->e_phnum && !out->phdr; i++) {
		const ElfW(Phdr) *p = &ph[i];
		if (p->p_type == PT_LOAD && hdr->e_phoff >= p->p_offset && phsz <= p->p_filesz &&
		    hdr->e_phoff - p->p_offset <= p->p_filesz - phsz)
			out->phdr = bias + p->p_vaddr + (hdr->e_phoff - p->p_offset);
	}
	if (!out->phdr)
		die("%s: program headers are not inside a loaded segment (unsupported)", path);
	out->phnum = hdr->e_phnum;
	out->phent = hdr->e_phentsize;
	out->bias = bias;
	out->lo = lo + bias;
	out->hi = hi + bias;
	out->entry = bias + hdr->e_entry;
	free(ph);
	close(fd);
}

void image_read(const char *path, struct vdso_image *img)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		die("%s: not a regular file", path);
	if (st.st_size < (off_t)sizeof(ElfW(Ehdr)) || st.st_size > (64 << 20))
		die("%s: vDSO image of %lld bytes: not a plausible image", path, (long long)st.st_size);
	img->size = (size_t)st.st_size;
	img->bytes = malloc(img->size);
	if (!img->bytes)
		die("out of memory");
	read_exact(fd, img->bytes, img->size, 0, path);
	close(fd);

	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)img->bytes;
	check_ident(path, eh->e_ident, img->size, eh->e_machine, " (expected a vDSO image)");
	if (eh->e_type != ET_DYN)
		die("%s: vDSO image is not a shared object (ET_DYN)", path);
	if (eh->e_phentsize != sizeof(ElfW(Phdr)) || eh->e_phoff > img->size ||
	    eh->e_phnum > (img->size - eh->e_phoff) / sizeof(ElfW(Phdr)))
		die("%s: vDSO image has a bad program header table", path);
	const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(img->bytes + eh->e_phoff);
	int nload = 0;
	uintptr_t end = img->size;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		nload++;
		if (ph[i].p_vaddr != 0 || ph[i].p_offset != 0)
			die("%s: vDSO image's PT_LOAD must start at offset 0, address 0", path);
		if (ph[i].p_memsz > (64u << 20))
			die("%s: vDSO image's PT_LOAD of 0x%llx bytes: not a plausible image", path,
			    (unsigned long long)ph[i].p_memsz);
		if (ph[i].p_vaddr + ph[i].p_memsz > end)
			end = ph[i].p_vaddr + ph[i].p_memsz;
	}
	if (nload != 1)
		die("%s: vDSO image has %d PT_LOAD segments, expected exactly 1", path, nload);
	img->map_len = PAGE_UP(end);
}
