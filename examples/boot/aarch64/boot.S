/* SPDX-License-Identifier: MIT */
/*
 * The first instructions: the arm64 Image header, the drop from EL2 to EL1,
 * the exception vectors, the trap frame and the way down to EL0.
 *
 * Why a raw Image and not an ELF: QEMU's -kernel treats a file with the
 * arm64 Image header as Linux (Documentation/arch/arm64/booting.rst) and
 * follows the boot protocol a real bootloader follows -- MMU and caches
 * off, x0 = the DTB's physical address, entered at EL2 or EL1 -- so this
 * kernel starts exactly as Linux does.  With text_offset 0 QEMU loads it
 * 2 MiB above the start of RAM (its own boot stub sits at the bottom), at
 * 0x40200000 on -M virt, which is where kernel.ld links it; the entry
 * checks that and stops with a message if a loader put it elsewhere.
 */

#define FRAME_SIZE	272	/* struct trap_frame */

	.section .text.head, "ax"
	.globl	_text
_text:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset from a 2 MiB aligned base */
	.quad	_kernel_size		/* image_size: the loader keeps the DTB above .bss and the pool */
	.quad	0x2			/* flags: little-endian, 4 KiB pages, base near the start of RAM */
	.quad	0, 0, 0
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* no PE header */

primary_entry:
	mov	x19, x0			/* the DTB, for the banner */
	mrs	x20, CurrentEL
	lsr	x20, x20, #2
	cmp	x20, #2
	b.ne	1f
	/*
	 * EL2 (QEMU with virtualization=on, most firmware): become an EL1
	 * kernel.  HCR_EL2.RW = 1: EL1 is AArch64; every trap bit 0, no
	 * stage 2.  CNTHCTL_EL2.EL1PCTEN|EL1PCEN: EL1 may use the physical
	 * counter and timer (with E2H = 0 the virtual ones are never trapped
	 * to EL2).  CNTVOFF_EL2 = 0: virtual count = physical count.
	 * CPTR_EL2: its RES1 bits only, so FP/SIMD is not trapped to EL2.
	 */
	mov	x1, #(1 << 31)
	msr	hcr_el2, x1
	mrs	x1, cnthctl_el2
	orr	x1, x1, #3
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mov	x1, #0x33ff
	msr	cptr_el2, x1
	msr	hstr_el2, xzr
	/*
	 * A GICv3 CPU interface (ID_AA64PFR0_EL1.GIC): ICC_SRE_EL2.SRE|Enable,
	 * or EL1's accesses to its ICC_* system registers may trap to EL2.
	 * QEMU's boot has set them already; firmware need not (Linux's
	 * init_el2_state sets them too).
	 */
	mrs	x1, id_aa64pfr0_el1
	ubfx	x1, x1, #24, #4
	cbz	x1, 5f
	mrs	x1, s3_4_c12_c9_5		/* ICC_SRE_EL2 */
	mov	x2, #0x9			/* SRE | Enable */
	orr	x1, x1, x2
	msr	s3_4_c12_c9_5, x1
	isb
	msr	s3_4_c12_c11_0, xzr		/* ICH_HCR_EL2: no virtual interrupts */
5:
	mov	x1, #0x0800		/* SCTLR_EL1: RES1 bits, MMU and caches off */
	movk	x1, #0x30d0, lsl #16
	msr	sctlr_el1, x1
	mov	x1, #0x3c5		/* SPSR_EL2: return to EL1h, D A I F masked */
	msr	spsr_el2, x1
	adr	x1, 1f
	msr	elr_el2, x1
	eret
1:
	adr	x1, _text		/* where we run ... */
	ldr	x2, =_text		/* ... and where we were linked */
	cmp	x1, x2
	b.ne	wrong_address

	ldr	x1, =kstack_top
	mov	sp, x1
	ldr	x1, =vectors
	msr	vbar_el1, x1
	isb				/* VBAR_EL1 takes effect for the next exception only after a context sync */

	ldr	x1, =__bss_start	/* .bss: aligned to 16, MMU off, so plain aligned stores */
	ldr	x2, =__bss_end
2:	cmp	x1, x2
	b.hs	3f
	stp	xzr, xzr, [x1], #16
	b	2b
3:
	ldr	x1, =boot_el
	str	x20, [x1]
	mov	x0, x19
	bl	kmain
	b	halt

wrong_address:				/* no stack, no MMU: the PL011 by hand */
	ldr	x1, =0x09000000
	adr	x2, wrong_msg
4:	ldrb	w3, [x2], #1
	cbz	w3, halt
	str	w3, [x1]
	b	4b
halt:	wfe
	b	halt
wrong_msg:
	.asciz	"kernel: not loaded at its link address 0x40200000, stopping\r\n"
	.balign	4

/*
 * enter_user(entry, sp): the first and only return to EL0.  SPSR_EL1 = 0:
 * EL0t with D A I F clear, so the timer interrupts the program.  The kernel
 * stack starts over from its top: nothing below enter_user returns.
 */
	.text
	.globl	enter_user
enter_user:
	msr	elr_el1, x0
	msr	sp_el0, x1
	msr	spsr_el1, xzr
	ldr	x2, =kstack_top
	mov	sp, x2
	.irp	r, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	mov	x\r, #0
	.endr
	eret

/* Save every user register in a struct trap_frame on the kernel stack. */
.macro	save_frame
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x21, sp_el0
	stp	x30, x21, [sp, #16 * 15]
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	x22, x23, [sp, #16 * 16]
.endm

/*
 * And back.  FP/SIMD registers are neither saved nor restored: the kernel
 * is built with -mgeneral-regs-only and never touches them, and there is
 * one process, so the program's (and the vDSO's NEON ChaCha20's) vector
 * state stays in the registers across every exception.  Only a signal
 * frame saves it (signal.c, fpsimd.S).
 */
.macro	restore_frame_eret
	ldp	x22, x23, [sp, #16 * 16]
	msr	elr_el1, x22
	msr	spsr_el1, x23
	ldp	x30, x21, [sp, #16 * 15]
	msr	sp_el0, x21
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	add	sp, sp, #FRAME_SIZE
	eret
.endm

/*
 * The vector table: 16 entries of 0x80 bytes, 2 KiB aligned (VBAR_EL1's
 * low 11 bits are RES0).  Groups of four (synchronous, IRQ, FIQ, SError):
 * from EL1 with SP_EL0, from EL1 with SP_EL1, from EL0 in AArch64, from
 * EL0 in AArch32.  What the kernel expects: SVCs and faults from EL0
 * (el0_sync), the timer's IRQ (in EL0, or in EL1 should the kernel ever
 * unmask it).  Everything else is reported and ends the run.
 */
	.balign	2048
vectors:
	.irp	n, 0,1,2,3,4
	.balign	0x80
	b	bad_\n
	.endr
	.balign	0x80
	b	el1_irq			/* 5: IRQ from EL1 */
	.irp	n, 6,7
	.balign	0x80
	b	bad_\n
	.endr
	.balign	0x80
	b	el0_sync		/* 8: synchronous from EL0: SVC or a fault */
	.balign	0x80
	b	el0_irq			/* 9: IRQ from EL0 */
	.irp	n, 10,11,12,13,14,15
	.balign	0x80
	b	bad_\n
	.endr

el0_sync:
	save_frame
	mov	x0, sp
	bl	el0_sync_handler
	restore_frame_eret

el0_irq:
el1_irq:
	save_frame
	mov	x0, sp
	bl	irq_handler
	restore_frame_eret

	.irp	n, 0,1,2,3,4,6,7,10,11,12,13,14,15
bad_\n:
	save_frame
	mov	x0, sp
	mov	x1, #\n
	bl	bad_exception
	.endr

	.bss
	.balign	16
	.globl	boot_el
boot_el:
	.quad	0
	.balign	16
kstack:
	.skip	16384
kstack_top:
