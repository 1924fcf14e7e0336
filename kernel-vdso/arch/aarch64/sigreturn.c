// SPDX-License-Identifier: MIT
/*
 * arm64 sigreturn trampoline.  When a handler is installed without
 * SA_RESTORER, the kernel sets the handler's return address (X30) to
 * __kernel_rt_sigreturn (Linux: VDSO_sigtramp, which the emitted header
 * gives as VDSO_SYM___kernel_rt_sigreturn); the handler's RET lands there
 * and rt_sigreturn(2) restores the interrupted context.
 *
 * As in Linux (arch/arm64/kernel/vdso/sigreturn.S since 5.10) there is
 * deliberately no CFI: the partial CFI Linux used to have (CFA = x29, with
 * .cfi_signal_frame) made libgcc crash while unwinding out of a SIGCANCEL
 * handler during thread cancellation.  Without an FDE, libgcc, libunwind
 * and gdb recognise the exact sequence (mov x8, #139; svc #0 = d2801168
 * d4000001) and restore every register from the sigcontext.  Those two
 * instructions must stay exactly as they are, with no BTI landing pad in
 * front: the trampoline is only ever reached by a RET.
 *
 * The NOP in front of the symbol: unwinders that subtract one from the
 * return address to find the "call site" (libc++'s, for one) must still
 * land in the trampoline, not in whatever precedes it.
 *
 * Written as a naked C function rather than a .S file so that the debug
 * image describes it with a DW_TAG_subprogram (LLVM's assembler emits
 * none for assembly); nouwtable keeps the compiler's FDE away from it.
 * The C function covers the NOP and the trampoline; the exported symbol
 * is the label after the NOP.
 */
#define __NR_rt_sigreturn	139
#define STR_(x)			#x
#define STR(x)			STR_(x)

__attribute__((naked, used, nouwtable, aligned(8)))
static void vdso_rt_sigreturn_tramp(void)
{
	__asm__ volatile(
		"nop\n"
		"	.globl	__kernel_rt_sigreturn\n"
		"	.type	__kernel_rt_sigreturn, %function\n"
		"__kernel_rt_sigreturn:\n"
		"	mov	x8, #" STR(__NR_rt_sigreturn) "\n"
		"	svc	#0\n"
		"	.size	__kernel_rt_sigreturn, . - __kernel_rt_sigreturn\n");
}
