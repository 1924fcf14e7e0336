// SPDX-License-Identifier: MIT
/*
 * The i386 entry points of version LINUX_2.5: __kernel_vsyscall and the two
 * sigreturn trampolines the kernel points signal frames at (when the
 * handler has no SA_RESTORER of its own).  Naked C functions around the
 * exact instruction sequences Linux uses -- gdb, libgcc and libunwind
 * recognise them by their bytes -- so that the debug image describes them
 * with DW_TAG_subprograms (LLVM's assembler emits none for assembly).
 *
 * The landing pads (the address after each INT $0x80) are local symbols
 * the emitted header carries (extra-symbols): a kernel needs them to tell
 * a system call made from here, and to return from SYSENTER/SYSCALL to
 * int80_landing_pad, as Linux's vdso2c exports them.
 */
#define STR_(x)	#x
#define STR(x)	STR_(x)

#include <vdso/datapage.h>

/*
 * The system call gate: EAX = number, arguments in EBX, ECX, EDX, ESI, EDI,
 * EBP, result in EAX, every other register preserved -- as for INT $0x80
 * itself, which is what a caller could always use instead.
 *
 * It enters the kernel the fastest way the kernel side allows
 * (vdso_time_data.syscall_mode, chosen from CPUID and the kernel's support;
 * see kernel-vdso/host/ia32_entry.h).  Linux patches one of these sequences
 * in at boot (alternatives); this image is mapped unpatched, so it reads the
 * choice from the data page on each call: a CALL/POP for the page's address,
 * one load, two compares.  EBP is free for that: its value is already saved
 * on the stack, where both fast entries' kernels read the sixth argument.
 *
 *   pushl ecx, edx, ebp         every mode: what the fast entries clobber,
 *                               and the sixth argument at (%esp)
 *   INT80     movl (%esp), %ebp; int $0x80
 *   SYSENTER  movl %esp, %ebp; sysenter     (SYSENTER saves no ESP: the
 *                                            kernel takes it from EBP)
 *   SYSCALL   movl %ecx, %ebp; syscall      (SYSCALL overwrites ECX with
 *                                            the return address: the kernel
 *                                            takes argument 2 from EBP)
 *   int80_landing_pad: popl ebp, edx, ecx; ret
 *
 * The kernel returns from both fast entries to int80_landing_pad (the header
 * carries its offset, extra-symbols), right after the INT $0x80: a system
 * call the kernel restarts re-executes that instruction (ip - 2) with the
 * registers of the original call, EBP included.  A kernel that instead
 * resumed after SYSENTER/SYSCALL would find a jump to the landing pad there.
 * An unfilled page (syscall_mode 0) or a mode this image does not know is
 * INT $0x80.
 *
 * The CFI follows the pushes (unwinders and debuggers step through here on
 * every system call a 32-bit program makes).
 */
#define SYSCALL_MODE_OFFSET	492
_Static_assert(__builtin_offsetof(struct vdso_time_data, syscall_mode) == SYSCALL_MODE_OFFSET,
	       "SYSCALL_MODE_OFFSET is vdso_time_data.syscall_mode");
_Static_assert(VDSO_SYSCALL_INT80 == 0 && VDSO_SYSCALL_SYSENTER == 1 && VDSO_SYSCALL_SYSCALL == 2,
	       "the modes __kernel_vsyscall compares with");

__attribute__((naked)) void __kernel_vsyscall(void)
{
	__asm__ volatile(
		"	pushl	%%ecx\n"
		"	.cfi_adjust_cfa_offset 4\n"
		"	.cfi_rel_offset %%ecx, 0\n"
		"	pushl	%%edx\n"
		"	.cfi_adjust_cfa_offset 4\n"
		"	.cfi_rel_offset %%edx, 0\n"
		"	pushl	%%ebp\n"
		"	.cfi_adjust_cfa_offset 4\n"
		"	.cfi_rel_offset %%ebp, 0\n"
		"	call	1f\n"
		"1:	.cfi_adjust_cfa_offset 4\n"
		"	popl	%%ebp\n"
		"	.cfi_adjust_cfa_offset -4\n"
		"	movl	vdso_time_data + " STR(SYSCALL_MODE_OFFSET) " - 1b(%%ebp), %%ebp\n"
		"	cmpl	$2, %%ebp\n"
		"	je	3f\n"
		"	cmpl	$1, %%ebp\n"
		"	je	2f\n"
		"	movl	(%%esp), %%ebp\n"
		"	int	$0x80\n"
		"int80_landing_pad:\n"
		"	.cfi_remember_state\n"
		"	popl	%%ebp\n"
		"	.cfi_adjust_cfa_offset -4\n"
		"	.cfi_restore %%ebp\n"
		"	popl	%%edx\n"
		"	.cfi_adjust_cfa_offset -4\n"
		"	.cfi_restore %%edx\n"
		"	popl	%%ecx\n"
		"	.cfi_adjust_cfa_offset -4\n"
		"	.cfi_restore %%ecx\n"
		"	ret\n"
		"	.cfi_restore_state\n"
		"2:	movl	%%esp, %%ebp\n"
		"	sysenter\n"
		"	jmp	int80_landing_pad\n"
		"3:	movl	%%ecx, %%ebp\n"
		"	syscall\n"
		"	jmp	int80_landing_pad\n" ::);
}

/*
 * Sigreturn trampolines.  The handler's RET pops the frame's return
 * address (pretcode) and lands on the symbol with ESP at the frame's next
 * field.  There is no call frame: the CFI says where the interrupted
 * context is -- the CFA is the stack pointer saved in the sigcontext, and
 * every register is at its slot there (DW_CFA_def_cfa_expression and
 * DW_CFA_expression, as Linux's hand-written FDEs do), and the frame is a
 * signal frame (augmentation "S": unwinders do not subtract one from the
 * return address).  The NOP in front of each symbol is inside the FDE, for
 * unwinders that subtract one anyway; the NOP after keeps the landing pad
 * inside the function.
 *
 * Offsets, from the ia32 signal frames (arch/x86/include/asm/sigframe.h):
 * struct sigcontext_32 has di, si, bp, sp, bx, dx, cx, ax at 16..44 and ip
 * at 56.  In the non-rt frame ESP points at `sig`, the sigcontext starts
 * 4 bytes above (8 after POPL EAX drops `sig`); in the rt frame
 * (pretcode, sig, pinfo, puc, 128-byte siginfo, ucontext whose mcontext is
 * 20 bytes in) ESP points 160 bytes below the sigcontext.
 *
 * DWARF i386 register numbers: eax 0, ecx 1, edx 2, ebx 3, ebp 5, esi 6,
 * edi 7, eip 8; DW_OP_breg4 (esp) = 0x74.  Every offset below is one
 * SLEB128 byte except the rt frame's, which take two.
 */
#define SC_CFA(o)	".cfi_escape 0x0f, 3, 0x74, " #o ", 0x06\n"	/* CFA = *(esp + o) */
#define SC_REG(r, o)	".cfi_escape 0x10, " #r ", 2, 0x74, " #o "\n"	/* r at esp + o */
/* All of them, for a sigcontext at esp + b (b < 8). */
#define SC_ALL(b) \
	SC_CFA(28 + b) SC_REG(0, 44 + b) SC_REG(1, 40 + b) SC_REG(2, 36 + b) SC_REG(3, 32 + b) \
	SC_REG(5, 24 + b) SC_REG(6, 20 + b) SC_REG(7, 16 + b) SC_REG(8, 56 + b)
/* The rt frame: sigcontext at esp + 160; offsets 160 + 16..56 in two SLEB128 bytes (lo | 0x80, 1). */
#define RT_CFA		".cfi_escape 0x0f, 4, 0x74, 0xbc, 0x01, 0x06\n"		/* esp + 188 */
#define RT_REG(r, lo)	".cfi_escape 0x10, " #r ", 3, 0x74, " #lo ", 0x01\n"	/* esp + 128 + (lo & 0x7f) */
#define RT_ALL \
	RT_CFA RT_REG(0, 0xcc) RT_REG(1, 0xc8) RT_REG(2, 0xc4) RT_REG(3, 0xc0) \
	RT_REG(5, 0xb8) RT_REG(6, 0xb4) RT_REG(7, 0xb0) RT_REG(8, 0xd8)

__attribute__((naked, used)) static void vdso32_sigreturn_tramp(void)
{
	__asm__ volatile(
		".cfi_signal_frame\n"
		SC_ALL(4)
		"	nop\n"
		"	.globl	__kernel_sigreturn\n"
		"	.type	__kernel_sigreturn, @function\n"
		"__kernel_sigreturn:\n"
		"	popl	%%eax\n"
		SC_ALL(0)
		"	movl	$" STR(119) ", %%eax\n"
		"	int	$0x80\n"
		"vdso32_sigreturn_landing_pad:\n"
		"	nop\n"
		"	.size	__kernel_sigreturn, . - __kernel_sigreturn\n" ::);
}

__attribute__((naked, used)) static void vdso32_rt_sigreturn_tramp(void)
{
	__asm__ volatile(
		".cfi_signal_frame\n"
		RT_ALL
		"	nop\n"
		"	.globl	__kernel_rt_sigreturn\n"
		"	.type	__kernel_rt_sigreturn, @function\n"
		"__kernel_rt_sigreturn:\n"
		"	movl	$" STR(173) ", %%eax\n"
		"	int	$0x80\n"
		"vdso32_rt_sigreturn_landing_pad:\n"
		"	nop\n"
		"	.size	__kernel_rt_sigreturn, . - __kernel_rt_sigreturn\n" ::);
}
