// SPDX-License-Identifier: MIT
/*
 * The RISC-V vDSO entry points that are system calls: getcpu() and
 * flush_icache() (as in Linux on SMP kernels, where an icache flush must
 * reach the other harts), and the sigreturn trampoline.
 */
#include <vdso/helpers.h>

struct getcpu_cache;

long __vdso_getcpu(unsigned int *cpu, unsigned int *node, struct getcpu_cache *unused);
long __vdso_flush_icache(void *start, void *end, unsigned long flags);
void __vdso_rt_sigreturn(void);

long __vdso_getcpu(unsigned int *cpu, unsigned int *node, struct getcpu_cache *unused)
{
	return vdso_syscall3(__NR_getcpu, (long)cpu, (long)node, (long)unused);
}

long __vdso_flush_icache(void *start, void *end, unsigned long flags)
{
	return vdso_syscall3(__NR_riscv_flush_icache, (long)start, (long)end, (long)flags);
}

/*
 * The kernel points every signal frame's return address (RA) here: RISC-V
 * has no SA_RESTORER.  The handler's RET lands here with SP at the frame,
 * and rt_sigreturn(2) restores the interrupted context.  Exactly Linux's
 * sequence (li a7, 139; ecall), which unwinders and debuggers recognise,
 * and Linux's CFI: the default CFA (sp + 0) marked as a signal frame, so
 * unwinders use the return address as it is instead of subtracting one.
 * A naked C function, so the debug image has a DW_TAG_subprogram for it.
 */
#define STR_(x)	#x
#define STR(x)	STR_(x)
__attribute__((naked)) void __vdso_rt_sigreturn(void)
{
	__asm__ volatile(
		".cfi_signal_frame\n"
		"	li	a7, " STR(__NR_rt_sigreturn) "\n"
		"	ecall\n");
}
