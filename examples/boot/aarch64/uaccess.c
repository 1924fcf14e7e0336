// SPDX-License-Identifier: MIT
/*
 * The kernel's access to the process's memory.  Two guards:
 *
 * - Whether the process itself may read or write the bytes: the MMU
 *   answers (AT S1E0R/W), so a system call gets exactly the permissions
 *   the process has -- it cannot make the kernel write the read-only data
 *   page or the image for it.
 * - PAN (FEAT_PAN, Privileged Access Never; -cpu max has it): while
 *   PSTATE.PAN is set, any EL1 access to an EL0-accessible page faults.
 *   SCTLR_EL1.SPAN = 0 sets it on every exception entry, and only
 *   copy_to_user/copy_from_user clear it, for their copy.  A kernel bug
 *   that dereferences a user pointer anywhere else faults at once instead
 *   of quietly reading what the process put there.
 */
#include "kernel.h"

#define SCTLR_SPAN	(1UL << 23)

static int have_pan;

/* MSR PAN, #imm (Armv8.1), encoded by hand: the assembler's baseline is Armv8.0. */
static inline void pan_enable(void)
{
	if (have_pan)
		__asm__ __volatile__(".inst 0xd500419f" : : : "memory");	/* msr pan, #1 */
}

static inline void pan_disable(void)
{
	if (have_pan)
		__asm__ __volatile__(".inst 0xd500409f" : : : "memory");	/* msr pan, #0 */
}

int cpu_has_pan(void)
{
	return have_pan;
}

void uaccess_init(void)
{
	have_pan = ((read_sysreg(id_aa64mmfr1_el1) >> 20) & 0xf) != 0;	/* ID_AA64MMFR1_EL1.PAN */
	if (!have_pan)
		return;
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~SCTLR_SPAN);
	isb();
	pan_enable();
}

/*
 * May EL0 read (or write) [va, va + len)?  The MMU answers: AT S1E0R/W
 * translates each page as an EL0 access would, and PAR_EL1.F says whether
 * it would fault.  So system calls see exactly the permissions the
 * process has -- the vDSO's data pages, for one, are not writable through
 * clock_gettime's pointer.
 */
int user_access_ok(u64 va, u64 len, int write)
{
	if (len == 0)
		return 1;
	if (va > (1UL << 39) || len > (1UL << 39) - va)
		return 0;
	for (u64 p = va & PAGE_MASK; p < va + len; p += PAGE_SIZE) {
		if (write)
			__asm__ __volatile__("at s1e0w, %0" : : "r"(p) : "memory");
		else
			__asm__ __volatile__("at s1e0r, %0" : : "r"(p) : "memory");
		isb();	/* PAR_EL1 holds the answer only after a context synchronisation */
		if (read_sysreg(par_el1) & 1)
			return 0;
	}
	return 1;
}

int copy_to_user(u64 dst, const void *src, size_t n)
{
	if (!user_access_ok(dst, n, 1))
		return -EFAULT;
	pan_disable();
	memcpy((void *)dst, src, n);
	pan_enable();
	return 0;
}

int copy_from_user(void *dst, u64 src, size_t n)
{
	if (!user_access_ok(src, n, 0))
		return -EFAULT;
	pan_disable();
	memcpy(dst, (const void *)src, n);
	pan_enable();
	return 0;
}
