// SPDX-License-Identifier: MIT
/*
 * kmain: the kernel's steps, in order, from boot.S (at EL1, MMU off, on
 * the boot stack, .bss zeroed) to the process at EL0.
 */
#include "kernel.h"

#define CPACR_FPEN_ALL		(3UL << 20)	/* FP/SIMD not trapped at EL0 or EL1 */
#define CNTKCTL_EL0VCTEN	(1UL << 1)	/* EL0 may read CNTVCT_EL0 */

/*
 * What the process may use directly.  FP/SIMD: the vDSO's getrandom runs
 * its ChaCha20 on NEON (and any compiled C may use the FP registers);
 * without CPACR_EL1.FPEN its first vector instruction traps.  The
 * virtual counter: the vDSO's clock_gettime reads CNTVCT_EL0 at EL0;
 * without CNTKCTL_EL1.EL0VCTEN that read traps (EC 0x18) and every clock
 * would have to be a system call -- exactly what a vDSO exists to avoid.
 * EL0 gets no access to the physical counter or to either timer.
 */
static void cpu_init(void)
{
	write_sysreg(cpacr_el1, CPACR_FPEN_ALL);
	write_sysreg(cntkctl_el1, CNTKCTL_EL0VCTEN);
	isb();	/* system register writes take effect at the next context synchronisation */
}

void kmain(u64 dtb);

void kmain(u64 dtb)
{
	u64 vdso, entry, sp;

	console_init();
	kprintf("\nkernel: vdsogen arm64 boot example, entered at EL%lu, DTB at 0x%lx\n", boot_el, dtb);
	mmu_init();			/* identity map, MMU and caches on */
	cpu_init();			/* FP/SIMD and the virtual counter for EL0 */
	uaccess_init();			/* PAN: user pages only through copy_{to,from}_user */
	random_init();			/* RNDR or a counter-seeded sequence */
	kprintf("kernel: MMU on (4 KiB pages, 39-bit VA), PAN %s, random numbers from %s\n",
		cpu_has_pan() ? "on" : "absent", cpu_has_rndr() ? "RNDR" : "the counter (no FEAT_RNG)");
	vdso_data_init();		/* the timekeeper fills the time page; the getrandom page */
	timer_init();			/* GICv2 and the 100 Hz virtual timer tick */
	vdso = vdso_map();		/* data area and image at a random address */
	if (load_user_program(vdso, &entry, &sp))
		panic("cannot start /init");
	kprintf("kernel: entering EL0\n");
	enter_user(entry, sp);
}
