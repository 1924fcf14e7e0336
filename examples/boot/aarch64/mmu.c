// SPDX-License-Identifier: MIT
/*
 * Pages and page tables: a 4 KiB granule (the vDSO's VDSO_PAGE_SIZE), a
 * 39-bit address space walked from level 1 (TCR_EL1.T0SZ = 25, so three
 * levels: L1 1 GiB, L2 2 MiB, L3 4 KiB entries).
 *
 * One translation table, TTBR0_EL1, holds both the kernel and the process:
 * the kernel is identity-mapped (where QEMU loaded it, so the MMU can be
 * switched on under the running code without a jump), privileged-only
 * (AP[1] = 0: EL0 gets a permission fault), and the process lives at
 * addresses the identity map does not use.  TTBR1 walks are disabled
 * (TCR_EL1.EPD1).  A higher-half kernel in TTBR1 would let several
 * processes swap TTBR0 under a fixed kernel; with one process that buys
 * nothing and would need a relocated kernel.
 */
#include "kernel.h"

/* Stage 1 descriptor bits (Arm ARM D8.3). */
#define PTE_VALID	(1UL << 0)
#define PTE_TABLE	(3UL << 0)	/* L1/L2: next-level table */
#define PTE_BLOCK	(1UL << 0)	/* L1/L2: a 1 GiB / 2 MiB block */
#define PTE_PAGE	(3UL << 0)	/* L3: a 4 KiB page */
#define PTE_ATTR(i)	((u64)(i) << 2)	/* MAIR_EL1 index */
#define PTE_USER	(1UL << 6)	/* AP[1]: EL0 may access */
#define PTE_RDONLY	(1UL << 7)	/* AP[2]: read-only (at EL1 too) */
#define PTE_SH_INNER	(3UL << 8)
#define PTE_AF		(1UL << 10)	/* access flag: set, or the first access faults */
#define PTE_NG		(1UL << 11)	/* not global: the process's mappings */
#define PTE_GP		(1UL << 50)	/* BTI guarded page */
#define PTE_PXN		(1UL << 53)	/* never executed at EL1 */
#define PTE_UXN		(1UL << 54)	/* never executed at EL0 */
#define PTE_ADDR	0x0000fffffffff000UL

#define ATTR_DEVICE	0	/* MAIR Attr0: Device-nGnRnE */
#define ATTR_NORMAL	1	/* MAIR Attr1: Normal, write-back cacheable */
#define MAIR_VALUE	((0x00UL << 0) | (0xffUL << 8))

#define TCR_T0SZ	25UL			/* 39-bit VA */
#define TCR_IRGN0_WB	(1UL << 8)		/* walks are cacheable, so table writes */
#define TCR_ORGN0_WB	(1UL << 10)		/* made with the MMU on need no cleaning */
#define TCR_SH0_INNER	(3UL << 12)
#define TCR_TG0_4K	(0UL << 14)
#define TCR_EPD1	(1UL << 23)		/* no TTBR1 walks */
#define TCR_TG1_4K	(2UL << 30)
#define TCR_IPS_SHIFT	32

#define SCTLR_RES1	0x30d00800UL	/* bits 11, 20, 22, 23 (SPAN: no PAN on entry), 28, 29 */
#define SCTLR_M		(1UL << 0)	/* MMU */
#define SCTLR_C		(1UL << 2)	/* data cache */
#define SCTLR_SA	(1UL << 3)	/* SP alignment checks, EL1 */
#define SCTLR_SA0	(1UL << 4)	/* and EL0 */
#define SCTLR_I		(1UL << 12)	/* instruction cache */
#define SCTLR_DZE	(1UL << 14)	/* EL0 may DC ZVA (a libc's memset does) */
#define SCTLR_UCT	(1UL << 15)	/* EL0 may read CTR_EL0 (cache line sizes) */
#define SCTLR_nTWI	(1UL << 16)	/* WFI at EL0 is not trapped */
#define SCTLR_nTWE	(1UL << 18)	/* WFE neither */
#define SCTLR_UCI	(1UL << 26)	/* EL0 may clean/invalidate caches by VA (JITs) */

#define POOL_PAGES	512		/* 2 MiB for page tables, the program, its stack and mmap() */

static u8 pool[POOL_PAGES][PAGE_SIZE] __attribute__((section(".pool"), aligned(PAGE_SIZE)));
static unsigned pool_used;
static void *free_list;
static u64 *root;	/* the L1 table */

/* A zeroed page, or NULL.  Freed pages are reused first. */
void *page_alloc(void)
{
	u64 *p;

	if (free_list) {
		p = free_list;
		free_list = *(void **)p;
	} else if (pool_used < POOL_PAGES) {
		p = (u64 *)pool[pool_used++];
	} else {
		return 0;
	}
	/* Aligned 64-bit stores: this also runs with the MMU off, where memory is Device and unaligned accesses fault. */
	for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
		p[i] = 0;
	return p;
}

void page_free(void *p)
{
	*(void **)p = free_list;
	free_list = p;
}

static unsigned dcache_line(void)
{
	return 4u << ((read_sysreg(ctr_el0) >> 16) & 0xf);	/* CTR_EL0.DminLine, log2 words */
}

/*
 * Make instructions the kernel wrote through the data cache visible to
 * instruction fetch: clean each line to the point of unification, then
 * invalidate the instruction cache over it (the architecture keeps the
 * two caches incoherent).  The final ISB discards anything fetched early.
 */
void sync_icache(const void *p, size_t n)
{
	u64 line = dcache_line(), a, end = (u64)p + n;

	for (a = (u64)p & ~(line - 1); a < end; a += line)
		__asm__ __volatile__("dc cvau, %0" : : "r"(a) : "memory");
	dsb(ish);
	for (a = (u64)p & ~(line - 1); a < end; a += line)
		__asm__ __volatile__("ic ivau, %0" : : "r"(a) : "memory");
	dsb(ish);
	isb();
}

/* The entry for va at `level` (1..3), allocating the tables on the way; NULL if out of pages. */
static u64 *walk(u64 va, int level)
{
	u64 *table = root;

	for (int l = 1; l < level; l++) {
		u64 *e = &table[(va >> (39 - 9 * l)) & 511];

		if (!(*e & PTE_VALID)) {
			u64 *next = page_alloc();

			if (!next)
				return 0;
			*e = (u64)next | PTE_TABLE;
		} else if ((*e & PTE_TABLE) != PTE_TABLE) {
			return 0;	/* a block: the kernel's identity map, never split */
		}
		table = (u64 *)(*e & PTE_ADDR);
	}
	return &table[(va >> (39 - 9 * level)) & 511];
}

static void map_kernel_blocks(u64 start, u64 end, u64 attrs)
{
	for (u64 a = start & ~0x1fffffUL; a < end; a += 0x200000) {
		u64 *e = walk(a, 2);

		if (!e)
			panic("out of page-table pages");
		*e = a | attrs | PTE_BLOCK | PTE_AF;
	}
}

extern char _text[], _end[];

/*
 * The kernel's identity map and the switch to it.  Runs with the MMU and
 * the data cache off, so the tables go straight to memory; the table walk
 * will be cacheable (TCR_EL1.IRGN0/ORGN0), so any stale line over them is
 * invalidated first -- the order Linux's head.S follows.
 */
void mmu_init(void)
{
	root = page_alloc();
	/* The kernel: Normal memory, EL1 read/write/execute, EL0 nothing, never executable at EL0. */
	map_kernel_blocks((u64)_text, (u64)_end, PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_UXN);
	/* The GIC, the UART, the RTC: Device memory, never executable. */
	map_kernel_blocks(DEVICE_BASE, DEVICE_END, PTE_ATTR(ATTR_DEVICE) | PTE_UXN | PTE_PXN);

	u64 line = dcache_line();
	for (u64 a = (u64)pool; a < (u64)pool[pool_used]; a += line)
		__asm__ __volatile__("dc ivac, %0" : : "r"(a) : "memory");
	dsb(sy);

	u64 ips = read_sysreg(id_aa64mmfr0_el1) & 7;	/* PARange: as many PA bits as the CPU has */
	write_sysreg(mair_el1, MAIR_VALUE);
	write_sysreg(tcr_el1, TCR_T0SZ | TCR_IRGN0_WB | TCR_ORGN0_WB | TCR_SH0_INNER | TCR_TG0_4K |
			      TCR_EPD1 | TCR_TG1_4K | (ips << TCR_IPS_SHIFT));
	write_sysreg(ttbr0_el1, (u64)root);
	/*
	 * The writes to MAIR/TCR/TTBR0 are only guaranteed to be seen by the
	 * walker after a context synchronisation: ISB before the TLB flush
	 * and before SCTLR turns translation on.
	 */
	isb();
	__asm__ __volatile__("tlbi vmalle1\n\tic iallu" : : : "memory");
	dsb(nsh);
	isb();
	write_sysreg(sctlr_el1, SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | SCTLR_I |
				SCTLR_DZE | SCTLR_UCT | SCTLR_nTWI | SCTLR_nTWE | SCTLR_UCI);
	isb();	/* the instructions after this one are fetched through the new translation */
}

/*
 * Map one page of the process.  Always EL0-accessible, never executable
 * at EL1 (PXN: the kernel never runs user code), not global.  Read-only
 * unless UPROT_W; not executable at EL0 (UXN) unless UPROT_X; W and X
 * together are refused.
 */
int map_user_page(u64 va, u64 pa, unsigned prot)
{
	if ((va | pa) & (PAGE_SIZE - 1) || va >= (1UL << 39) || !(prot & UPROT_R) ||
	    ((prot & UPROT_W) && (prot & UPROT_X)))
		return -EINVAL;
	u64 *e = walk(va, 3);
	if (!e)
		return -ENOMEM;
	if (*e & PTE_VALID)
		return -EINVAL;
	u64 pte = pa | PTE_PAGE | PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_NG | PTE_USER | PTE_PXN;
	if (!(prot & UPROT_W))
		pte |= PTE_RDONLY;
	if (!(prot & UPROT_X))
		pte |= PTE_UXN;
	if (prot & UPROT_GP)
		pte |= PTE_GP;
	*e = pte;
	/* An invalid entry is never in the TLB: no invalidation, but the walker must see the store first. */
	dsb(ishst);
	isb();
	return 0;
}

/* Unmap one page of the process; returns its physical address, or 0 if none was mapped. */
u64 unmap_user_page(u64 va)
{
	u64 *e = walk(va, 3);

	if (!e || !(*e & PTE_VALID) || !(*e & PTE_USER))
		return 0;
	u64 pa = *e & PTE_ADDR;
	*e = 0;
	dsb(ishst);		/* the cleared entry reaches the walker before ... */
	__asm__ __volatile__("tlbi vale1is, %0" : : "r"(va >> 12) : "memory");
	dsb(ish);		/* ... the TLB forgets the old one, everywhere */
	isb();
	return pa;
}
