/*
 * Memory: a bump allocator of physical pages above the kernel, and the user
 * half of the one address space (4-level paging, 4 KiB pages).  The kernel
 * half is boot.S's 2 MiB mapping of physical 0-1 GiB at KERNEL_BASE, without
 * PTE_U, so ring 3 can touch none of it; every physical page is reached
 * through it (VIRT).
 */
#include "kernel.h"

extern u64 boot_pml4[512];
extern char _end[];

#define DIRECT_MAP	(1UL << 30)		/* what boot.S maps at KERNEL_BASE */
#define USER_TOP	0x800000000000UL	/* the lower half: 47 bits */
#define MMAP_BASE	0x100000000000UL
#define MMAP_LIMIT	(MMAP_BASE + (16UL << 20))

static u64 next_free, phys_limit, mmap_next = MMAP_BASE;

/* struct hvm_start_info (Xen's arch-x86/hvm/start_info.h), version 1, and its memory map. */
struct hvm_start_info {
	u32 magic, version, flags, nr_modules;
	u64 modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	u32 memmap_entries, reserved;
};
struct hvm_memmap_entry {
	u64 addr, size;
	u32 type, reserved;
};
#define HVM_START_MAGIC		0x336ec578
#define HVM_MEMMAP_TYPE_RAM	1

/*
 * The RAM the allocator may hand out: the region of the PVH memory map
 * that holds the kernel, from the kernel's end, within the direct map.
 */
static u64 ram_limit(const struct hvm_start_info *si)
{
	const struct hvm_memmap_entry *m;
	u64 i, lo = PHYS(_end);

	if (si->magic != HVM_START_MAGIC || si->version < 1 || si->memmap_paddr >= DIRECT_MAP ||
	    si->memmap_entries > (DIRECT_MAP - si->memmap_paddr) / sizeof(*m))
		panic("no PVH memory map (hvm_start_info version 1)");
	m = VIRT(si->memmap_paddr);
	for (i = 0; i < si->memmap_entries; i++)
		if (m[i].type == HVM_MEMMAP_TYPE_RAM && m[i].addr <= lo && lo - m[i].addr < m[i].size)
			return m[i].addr + m[i].size < DIRECT_MAP ? m[i].addr + m[i].size : DIRECT_MAP;
	panic("the kernel is not in RAM, says the PVH memory map");
}

void mm_init(u64 start_info)
{
	if (start_info >= DIRECT_MAP)
		panic("hvm_start_info beyond the direct map");
	phys_limit = ram_limit(VIRT(start_info)) & ~(PAGE_SIZE - 1);
	next_free = PHYS(_end);
	kputs("kernel: ");
	kputdec((phys_limit - next_free) >> 20);
	kputs(" MiB free for page tables and user memory\n");
	/* The identity map only served boot.S's jump to the kernel half. */
	boot_pml4[0] = 0;
	__asm__ __volatile__("mov %%cr3, %%rax; mov %%rax, %%cr3" : : : "rax", "memory");
}

u64 page_alloc(void)
{
	u64 pa = next_free;

	if (pa + PAGE_SIZE > phys_limit)
		panic("out of physical memory");
	next_free += PAGE_SIZE;
	memset(VIRT(pa), 0, PAGE_SIZE);
	return pa;
}

/*
 * The next level's table for va, made if create.  Upper levels of user
 * mappings are always present, writable and user: the leaf entry decides
 * (the CPU ANDs the permissions of all four levels).
 */
static u64 *table_next(u64 *table, unsigned idx, int create)
{
	if (!(table[idx] & PTE_P)) {
		if (!create)
			return 0;
		table[idx] = page_alloc() | PTE_P | PTE_W | PTE_U;
	}
	return VIRT(table[idx] & 0x000ffffffffff000UL);
}

static u64 *pte_of(u64 va, int create)
{
	u64 *t = boot_pml4;
	int level;

	for (level = 39; level > 12 && t; level -= 9)
		t = table_next(t, (va >> level) & 511, create);
	return t ? &t[(va >> 12) & 511] : 0;
}

void map_page(u64 va, u64 pa, u64 flags)
{
	u64 *pte;

	if (va >= USER_TOP || (va | pa) & (PAGE_SIZE - 1))
		panic("map_page: bad address");
	pte = pte_of(va, 1);
	if (*pte & PTE_P)
		panic("map_page: already mapped");
	*pte = pa | flags | PTE_P | PTE_U;
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

/* Whether [va, va + len) is user memory, mapped, and writable if asked: -EFAULT otherwise. */
int user_range_ok(u64 va, u64 len, int write)
{
	u64 p, end;

	if (len == 0)
		return 1;
	if (va >= USER_TOP || len > USER_TOP - va)
		return 0;
	end = va + len;
	for (p = va & ~(PAGE_SIZE - 1); p < end; p += PAGE_SIZE) {
		u64 *pte = pte_of(p, 0);

		if (!pte || !(*pte & PTE_P) || !(*pte & PTE_U) || (write && !(*pte & PTE_W)))
			return 0;
	}
	return 1;
}

/* mmap(2) of anonymous memory: zeroed, read-write, never executable; a bump pointer, no munmap. */
u64 user_mmap_anon(u64 len)
{
	u64 va = mmap_next, off;

	if (len == 0 || len > MMAP_LIMIT - mmap_next)
		return 0;
	len = (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	for (off = 0; off < len; off += PAGE_SIZE)
		map_page(va + off, page_alloc(), PTE_W | PTE_NX);
	mmap_next += len;
	return va;
}
