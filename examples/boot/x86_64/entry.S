/*
 * Ways into the kernel: interrupt and exception stubs (IDT), the SYSCALL
 * entry, and the first way out to ring 3.
 */
#define USER_DS	(0x20 | 3)
#define USER_CS	(0x28 | 3)

	.text

/*
 * Exceptions 0-31 and the timer (32).  The CPU pushes SS, RSP, RFLAGS, CS,
 * RIP (switching to TSS.RSP0 first when it comes from ring 3) and, for some
 * exceptions, an error code; the stubs push a 0 for the others so that
 * every frame is a struct trap_frame.
 */
.macro ISR n, has_error
isr\n:
	.if \has_error == 0
	pushq $0
	.endif
	pushq $\n
	jmp trap_common
.endm

ISR 0,0;  ISR 1,0;  ISR 2,0;  ISR 3,0;  ISR 4,0;  ISR 5,0;  ISR 6,0;  ISR 7,0
ISR 8,1;  ISR 9,0;  ISR 10,1; ISR 11,1; ISR 12,1; ISR 13,1; ISR 14,1; ISR 15,0
ISR 16,0; ISR 17,1; ISR 18,0; ISR 19,0; ISR 20,0; ISR 21,1; ISR 22,0; ISR 23,0
ISR 24,0; ISR 25,0; ISR 26,0; ISR 27,0; ISR 28,0; ISR 29,1; ISR 30,1; ISR 31,0
ISR 32,0

/* 5 + 2 + 15 words: RSP is 16-byte aligned at the call, as the C ABI wants. */
trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi
	call trap_handler
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp			/* vector, error code */
	iretq

	.section .rodata
	.balign 8
	.globl isr_table
isr_table:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32
	.quad isr\n
	.endr

	.text
/*
 * SYSCALL: RCX = user RIP, R11 = user RFLAGS, CS/SS from STAR, RFLAGS
 * masked by FMASK (IF off), and RSP still the user's -- SYSCALL switches no
 * stack.  One CPU and interrupts off until SYSRET, so a global scratch slot
 * is enough to park the user RSP (an SMP kernel SWAPGSes to a per-CPU area).
 * Linux's ABI keeps every register but RAX, RCX and R11, so the argument
 * registers the C code may clobber are saved too.  The frame is struct
 * syscall_frame (syscall.c).
 */
	.globl syscall_entry
syscall_entry:
	movq %rsp, syscall_user_rsp(%rip)
	movq syscall_kernel_rsp(%rip), %rsp
	pushq syscall_user_rsp(%rip)
	pushq %rcx
	pushq %r11
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %r10
	pushq %r8
	pushq %r9
	pushq %rax
	movq %rsp, %rdi
	call syscall_dispatch		/* 10 words pushed: aligned; the result in RAX */
	/*
	 * SYSRET to a non-canonical RIP faults with #GP in ring 0 but after
	 * RSP is already the user's (Intel): the handler would run on a stack
	 * the user chose.  A SYSCALL as the very last instruction of the user
	 * half returns to 0x800000000000, so check; such a process is killed.
	 */
	movq 64(%rsp), %rcx
	shrq $47, %rcx
	jnz syscall_bad_rip
	addq $8, %rsp
	popq %r9
	popq %r8
	popq %r10
	popq %rdx
	popq %rsi
	popq %rdi
	popq %r11
	popq %rcx
	popq %rsp
	sysretq

syscall_bad_rip:
	movq syscall_kernel_rsp(%rip), %rsp
	call syscall_kill

/*
 * The first entry to ring 3: IRETQ pops RIP, CS, RFLAGS, RSP, SS, switching
 * privilege level and stack at once.  RFLAGS has IF set, so the timer runs
 * as soon as the program does.  No kernel value is left in a register.
 */
	.globl enter_user
enter_user:
	pushq $USER_DS
	pushq %rsi
	pushq $0x202
	pushq $USER_CS
	pushq %rdi
	xorl %eax, %eax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %esi, %esi
	xorl %edi, %edi
	xorl %ebp, %ebp
	xorl %r8d, %r8d
	xorl %r9d, %r9d
	xorl %r10d, %r10d
	xorl %r11d, %r11d
	xorl %r12d, %r12d
	xorl %r13d, %r13d
	xorl %r14d, %r14d
	xorl %r15d, %r15d
	iretq

	.data
	.balign 8
	.globl syscall_kernel_rsp
syscall_kernel_rsp:
	.quad 0
syscall_user_rsp:
	.quad 0
