// SPDX-License-Identifier: MIT
/*
 * The process: the static ELF program embedded in the kernel (user.S),
 * loaded into fresh pages where it was linked, and its initial stack as
 * Linux's binfmt_elf builds it -- argc, argv, envp, the auxiliary vector,
 * with AT_SYSINFO_EHDR pointing at the vDSO.
 */
#include "kernel.h"

extern const u8 user_elf[], user_elf_end[];

struct elf_ehdr {
	u8 ident[16];
	u16 type, machine;
	u32 version;
	u64 entry, phoff, shoff;
	u32 flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf_phdr {
	u32 type, flags;
	u64 offset, vaddr, paddr, filesz, memsz, align;
};
#define ET_EXEC		2
#define EM_AARCH64	183
#define PT_LOAD		1
#define PF_X		1
#define PF_W		2
#define PF_R		4

/* The auxiliary vector's keys (uapi/linux/auxvec.h). */
#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_ENTRY	9
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_RANDOM	25
#define AT_SYSINFO_EHDR	33
#define HWCAP_FP	(1UL << 0)
#define HWCAP_ASIMD	(1UL << 1)
#define HWCAP_EVTSTRM	(1UL << 2)

static int fail(const char *what)
{
	kprintf("kernel: user program rejected: %s\n", what);
	return -EINVAL;
}

/* One PT_LOAD: zeroed pages over [vaddr, vaddr + memsz), the file's bytes copied in, then mapped. */
static int load_segment(const u8 *elf, u64 size, const struct elf_phdr *ph)
{
	if (ph->offset > size || ph->filesz > size - ph->offset || ph->filesz > ph->memsz)
		return fail("a PT_LOAD's bytes lie outside the file");
	if (ph->vaddr < USER_PROG_MIN || ph->vaddr > USER_PROG_MAX || ph->memsz > USER_PROG_MAX - ph->vaddr)
		return fail("a PT_LOAD lies outside the program window 0x200000-0x8000000");
	if ((ph->flags & PF_W) && (ph->flags & PF_X))
		return fail("a PT_LOAD is writable and executable");

	unsigned prot = UPROT_R | (ph->flags & PF_W ? UPROT_W : 0) | (ph->flags & PF_X ? UPROT_X : 0);
	u64 start = ph->vaddr & PAGE_MASK, end = PAGE_ALIGN(ph->vaddr + ph->memsz);

	for (u64 va = start; va < end; va += PAGE_SIZE) {
		u8 *page = page_alloc();

		if (!page)
			return fail("out of memory");
		/* The part of [vaddr, vaddr + filesz) that falls on this page; the rest stays zero (.bss). */
		u64 lo = va > ph->vaddr ? va : ph->vaddr;
		u64 hi = va + PAGE_SIZE < ph->vaddr + ph->filesz ? va + PAGE_SIZE : ph->vaddr + ph->filesz;
		if (lo < hi)
			memcpy(page + (lo - va), elf + ph->offset + (lo - ph->vaddr), hi - lo);
		if (prot & UPROT_X)
			sync_icache(page, PAGE_SIZE);
		if (map_user_page(va, (u64)page, prot))
			return fail("PT_LOADs overlap");
	}
	return 0;
}

/* Push n bytes onto the user stack being built (through its user address: it is mapped RW). */
static u64 push(u64 sp, const void *p, u64 n)
{
	sp -= n;
	if (copy_to_user(sp, p, n))
		panic("the user stack is not writable");
	return sp;
}

/*
 * The stack at entry, from the top: AT_RANDOM's 16 bytes and argv[0]'s
 * string, then (16-byte aligned, as the AAPCS64 demands of SP) argc,
 * argv[] and NULL, envp[] (empty) and NULL, the auxv pairs up to AT_NULL.
 */
static u64 build_stack(u64 vdso, u64 phdr, u64 phnum, u64 entry)
{
	for (u64 i = 1; i <= USER_STACK_PAGES; i++) {
		void *page = page_alloc();

		if (!page || map_user_page(USER_STACK_TOP - i * PAGE_SIZE, (u64)page, UPROT_R | UPROT_W))
			panic("cannot map the user stack");
	}
	u8 random[16];
	random_fill(random, sizeof random);
	u64 sp = push(USER_STACK_TOP, random, sizeof random), at_random = sp;
	sp = push(sp, "init", 5);
	u64 argv0 = sp;

	u64 vec[] = {
		1, argv0, 0,		/* argc, argv[0], NULL */
		0,			/* envp: NULL */
		AT_SYSINFO_EHDR, vdso,
		AT_PHDR, phdr,
		AT_PHENT, sizeof(struct elf_phdr),
		AT_PHNUM, phnum,
		AT_PAGESZ, PAGE_SIZE,
		AT_ENTRY, entry,
		AT_RANDOM, at_random,
		AT_HWCAP, HWCAP_FP | HWCAP_ASIMD,
		AT_CLKTCK, 100,
		AT_NULL, 0,
	};
	sp = (sp - sizeof vec) & ~15UL;
	push(sp + sizeof vec, vec, sizeof vec);
	return sp;
}

/* Load the program and build its stack: the entry point and SP for enter_user(). */
int load_user_program(u64 vdso, u64 *entry, u64 *sp)
{
	const u8 *elf = user_elf;
	u64 size = (u64)(user_elf_end - user_elf), phdr = 0;
	const struct elf_ehdr *h = (const void *)elf;

	if (size < sizeof *h || memcmp(h->ident, "\177ELF\2\1", 6))
		return fail("not a little-endian ELF64 file");
	if (h->type != ET_EXEC || h->machine != EM_AARCH64)
		return fail("not a static arm64 executable (ET_EXEC, EM_AARCH64)");
	if (h->phentsize != sizeof(struct elf_phdr) || h->phoff > size ||
	    (u64)h->phnum * sizeof(struct elf_phdr) > size - h->phoff || h->phoff % 8)
		return fail("program headers outside the file");
	for (unsigned i = 0; i < h->phnum; i++) {
		const struct elf_phdr *ph = (const void *)(elf + h->phoff + i * sizeof(struct elf_phdr));

		if (ph->type != PT_LOAD)
			continue;
		if (load_segment(elf, size, ph))
			return -EINVAL;
		/* The program headers' address in memory, for AT_PHDR: in the PT_LOAD that holds them. */
		if (h->phoff >= ph->offset && h->phoff - ph->offset < ph->filesz)
			phdr = ph->vaddr + (h->phoff - ph->offset);
	}
	if (!phdr || !user_access_ok(h->entry, 4, 0))
		return fail("no loaded program headers, or an entry point outside the program");
	*entry = h->entry;
	*sp = build_stack(vdso, phdr, h->phnum, h->entry);
	kprintf("kernel: /init loaded, entry 0x%lx, %u program headers at 0x%lx, stack top 0x%lx\n",
		h->entry, h->phnum, phdr, USER_STACK_TOP);
	return 0;
}
