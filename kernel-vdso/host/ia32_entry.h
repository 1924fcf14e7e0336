/* SPDX-License-Identifier: MIT */
/*
 * The "kernel side" choice of the i386 vDSO's system-call entry
 * (vdso_time_data.syscall_mode, datapage.h): what Linux decides at boot with
 * X86_FEATURE_SYSENTER32 / X86_FEATURE_SYSCALL32 (64-bit kernels) or
 * X86_FEATURE_SEP (32-bit kernels) and patches into its __kernel_vsyscall
 * with alternatives.  This image is not patched, so the kernel side writes
 * the choice into the data page and __kernel_vsyscall reads it on each call.
 *
 *   64-bit kernel, 32-bit process:
 *     Intel, Centaur, Zhaoxin   SYSENTER  (AMD CPUs raise #UD for SYSENTER
 *                                          in compatibility mode)
 *     AMD, Hygon                SYSCALL   (Intel CPUs raise #UD for SYSCALL
 *                                          outside 64-bit mode)
 *   32-bit kernel:              SYSENTER where CPUID.1:EDX.SEP[bit 11] (a
 *                               32-bit Linux never enables SYSCALL)
 *   anything else:              INT $0x80
 *
 * A kernel that does not implement the fast entries' convention (below)
 * must leave INT80.  The convention, as Linux's entry_SYSENTER_compat /
 * entry_SYSCALL_compat and do_fast_syscall_32 implement it: the vDSO has
 * pushed ECX, EDX and EBP (in that order); for SYSENTER, EBP = the user ESP,
 * for SYSCALL, EBP = the caller's ECX (argument 2; SYSCALL overwrites ECX);
 * the sixth argument is read from the user stack at ESP; and the kernel
 * always returns to the image's int80_landing_pad (the header's
 * VDSO_SYM_int80_landing_pad), right after an INT $0x80 that a restarted
 * system call re-executes (ip - 2) with every argument register restored.
 *
 * Header-only and freestanding (a C kernel, a host program or a harness).
 */
#ifndef VDSOGEN_HOST_IA32_ENTRY_H
#define VDSOGEN_HOST_IA32_ENTRY_H

#include "vdso/datapage.h"

/*
 * vendor: the 12 bytes of CPUID leaf 0 (EBX, EDX, ECX); kernel_64bit: the
 * kernel runs in long mode (IA-32 emulation); sep: CPUID.1:EDX bit 11.
 */
static inline vdso_u32 vdso_ia32_syscall_mode(const char vendor[12], int kernel_64bit, int sep)
{
	static const char *const sysenter32[] = { "GenuineIntel", "CentaurHauls", "  Shanghai  " };
	static const char *const syscall32[] = { "AuthenticAMD", "HygonGenuine" };
	unsigned i, j;

	if (!kernel_64bit)
		return sep ? VDSO_SYSCALL_SYSENTER : VDSO_SYSCALL_INT80;
	for (i = 0; i < sizeof syscall32 / sizeof syscall32[0]; i++) {
		for (j = 0; j < 12 && vendor[j] == syscall32[i][j]; j++)
			;
		if (j == 12)
			return VDSO_SYSCALL_SYSCALL;
	}
	for (i = 0; i < sizeof sysenter32 / sizeof sysenter32[0]; i++) {
		for (j = 0; j < 12 && vendor[j] == sysenter32[i][j]; j++)
			;
		if (j == 12)
			return VDSO_SYSCALL_SYSENTER;
	}
	return VDSO_SYSCALL_INT80;
}

#endif /* VDSOGEN_HOST_IA32_ENTRY_H */
