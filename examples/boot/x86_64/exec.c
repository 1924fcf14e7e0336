/*
 * Starting the first (and only) program: its static ELF, linked into the
 * kernel as a one-file "initramfs" (initramfs.S), is loaded into the user
 * half, given a stack with argv, envp and the auxiliary vector -- where
 * AT_SYSINFO_EHDR tells it where the vDSO is -- and entered in ring 3.
 * The ELF is treated as untrusted input: every offset and size is checked.
 */
#include "kernel.h"
#include "vdso.h"
#include "vdso64-image.h"

extern const u8 initramfs_init[], initramfs_init_end[];

#define USER_TOP	0x800000000000UL
#define STACK_TOP	0x7ffffffff000UL	/* the last user page stays unmapped */
#define STACK_PAGES	16

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_ENTRY	9
#define AT_RANDOM	25
#define AT_SYSINFO_EHDR	33

struct elf64_ehdr {
	u8 ident[16];
	u16 type, machine;
	u32 version;
	u64 entry, phoff, shoff;
	u32 flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	u32 type, flags;
	u64 offset, vaddr, paddr, filesz, memsz, align;
};

#define PT_LOAD	1
#define PF_X	1
#define PF_W	2

struct loaded {
	u64 entry, phdr, phnum;
};

/* One PT_LOAD: fresh pages, the file's bytes copied in through the kernel's mapping, the rest zero. */
static void load_segment(const u8 *file, const struct elf64_phdr *ph)
{
	u64 start = ph->vaddr & ~(PAGE_SIZE - 1), end, va;
	u64 flags = (ph->flags & PF_W ? PTE_W : 0) | (ph->flags & PF_X ? 0 : PTE_NX);

	if (ph->memsz > USER_TOP || ph->vaddr > USER_TOP - ph->memsz || ph->filesz > ph->memsz)
		panic("init: PT_LOAD outside the user half");
	end = (ph->vaddr + ph->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	for (va = start; va < end; va += PAGE_SIZE) {
		u64 pa = page_alloc();
		u64 lo = va > ph->vaddr ? va : ph->vaddr;			/* this page's part of the file */
		u64 hi = va + PAGE_SIZE < ph->vaddr + ph->filesz ? va + PAGE_SIZE : ph->vaddr + ph->filesz;

		if (lo < hi)
			memcpy((u8 *)VIRT(pa) + (lo - va), file + ph->offset + (lo - ph->vaddr), hi - lo);
		map_page(va, pa, flags);
	}
}

static struct loaded load_elf(const u8 *file, u64 size)
{
	const struct elf64_ehdr *eh = (const void *)file;
	struct loaded l = { 0, 0, 0 };
	u64 i;

	if (size < sizeof(*eh) || eh->ident[0] != 0x7f || eh->ident[1] != 'E' || eh->ident[2] != 'L' ||
	    eh->ident[3] != 'F' || eh->ident[4] != 2 || eh->ident[5] != 1 || eh->type != 2 || eh->machine != 62)
		panic("init: not a little-endian x86-64 ET_EXEC");
	if (eh->phentsize != sizeof(struct elf64_phdr) || eh->phoff > size ||
	    (u64)eh->phnum * sizeof(struct elf64_phdr) > size - eh->phoff)
		panic("init: program headers outside the file");
	for (i = 0; i < eh->phnum; i++) {
		const struct elf64_phdr *ph = (const void *)(file + eh->phoff + i * sizeof(*ph));

		if (ph->type != PT_LOAD)
			continue;
		if (ph->offset > size || ph->filesz > size - ph->offset)
			panic("init: PT_LOAD outside the file");
		load_segment(file, ph);
		/* AT_PHDR: where the loaded program headers are, if a segment maps them. */
		if (eh->phoff >= ph->offset && eh->phoff - ph->offset < ph->filesz)
			l.phdr = ph->vaddr + (eh->phoff - ph->offset);
	}
	if (!l.phdr)
		panic("init: program headers not loaded");
	if (eh->entry >= USER_TOP)
		panic("init: entry point outside the user half");
	l.entry = eh->entry;
	l.phnum = eh->phnum;
	return l;
}

/*
 * The initial stack, as Linux builds it: argc, argv[], NULL, envp[] (empty),
 * NULL, then auxv pairs ending in AT_NULL, RSP 16-byte aligned at argc; the
 * strings and AT_RANDOM's 16 bytes above.  Written through the user
 * addresses: the pages are mapped and writable, and the kernel may touch them.
 */
static u64 build_stack(const struct loaded *l, u64 vdso)
{
	u64 *sp, r0 = random_u64(), r1 = random_u64();
	u8 *top = (u8 *)STACK_TOP;
	char *name;
	u8 *rnd;
	u64 i;

	for (i = 1; i <= STACK_PAGES; i++)
		map_page(STACK_TOP - i * PAGE_SIZE, page_alloc(), PTE_W | PTE_NX);
	rnd = top - 16;
	memcpy(rnd, &r0, 8);
	memcpy(rnd + 8, &r1, 8);
	name = (char *)rnd - 16;
	memcpy(name, "/init", 6);
	sp = (u64 *)name;
	{
		u64 words[] = {
			1, (u64)name, 0,	/* argc, argv */
			0,			/* envp */
			AT_SYSINFO_EHDR, vdso,
			AT_PHDR, l->phdr, AT_PHENT, sizeof(struct elf64_phdr), AT_PHNUM, l->phnum,
			AT_PAGESZ, PAGE_SIZE,
			AT_ENTRY, l->entry,
			AT_RANDOM, (u64)rnd,
			AT_NULL, 0,
		};
		u64 n = sizeof(words) / sizeof(words[0]);

		sp -= n + (n & 1);	/* keep RSP 16-byte aligned */
		memcpy(sp, words, sizeof(words));
	}
	return (u64)sp;
}

_Noreturn void exec_init(void)
{
	struct loaded l;
	u64 vdso, sp;
	int i;

	vdso_init();
	vdso = vdso_map();
	l = load_elf(initramfs_init, (u64)(initramfs_init_end - initramfs_init));
	sp = build_stack(&l, vdso);
	kputs("kernel: vDSO image at ");
	kputhex(vdso);
	kputs(" (");
	kputdec(VDSO64_IMAGE_SIZE);
	kputs(" bytes, build-id ");
	for (i = 0; i < VDSO64_BUILD_ID_SIZE; i++)
		kputhex2(vdso64_build_id[i]);
	kputs(")\n");
	kputs("kernel: entering /init at ");
	kputhex(l.entry);
	kputs("\n");
	enter_user(l.entry, sp);
}
