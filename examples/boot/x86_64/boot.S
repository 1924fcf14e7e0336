/*
 * PVH entry: QEMU (like Xen) enters here in 32-bit protected mode, paging
 * off, flat CS/DS, EBX = physical address of struct hvm_start_info, no
 * stack.  This code builds the boot page tables, turns on long mode and
 * jumps to the kernel half, then calls kmain().
 */
#define KERNEL_BASE	0xffffffff80000000
#define PHYS(x)		((x) - KERNEL_BASE)

#define XEN_ELFNOTE_PHYS32_ENTRY 18

#define CR0_PE		(1 << 0)
#define CR0_WP		(1 << 16)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define MSR_EFER	0xc0000080
#define EFER_SCE	(1 << 0)	/* SYSCALL/SYSRET */
#define EFER_LME	(1 << 8)	/* long mode */
#define EFER_NXE	(1 << 11)	/* the NX bit in page tables */

/*
 * The PVH note.  For an ELF64 kernel QEMU reads the descriptor as a 64-bit
 * value right after the 4-byte name, aligned to the PT_NOTE's alignment:
 * keep the section 4-aligned so that is offset 16.
 */
	.section .note.Xen, "a", @note
	.balign 4
	.long 4, 8, XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.quad pvh_entry

	.section .boot.text, "ax"
	.code32
	.globl pvh_entry
pvh_entry:
	cli
	cld
	movl %ebx, %esi			/* start_info, kmain's argument */
	movl $PHYS(boot_stack_top), %esp

	/*
	 * One page directory of 2 MiB pages maps physical 0-1 GiB twice:
	 * identity (PML4[0], needed while this code runs at its physical
	 * address) and at KERNEL_BASE (PML4[511], PDPT[510]).  kmain() drops
	 * the identity map, leaving the lower half to user space.
	 */
	movl $PHYS(boot_pd), %edi
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax			/* present, writable, 2 MiB page */
	movl %eax, (%edi,%ecx,8)
	movl $0, 4(%edi,%ecx,8)
	incl %ecx
	cmpl $512, %ecx
	jne 1b

	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE | EFER_SCE), %eax
	wrmsr
	movl %cr0, %eax
	orl $(CR0_PE | CR0_PG | CR0_WP), %eax
	movl %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $long_entry_low

	.code64
long_entry_low:
	movabsq $long_entry_high, %rax
	jmp *%rax

	.section .boot.data, "aw"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit kernel code */
	.quad 0x00cf92000000ffff	/* 0x10: kernel data */
boot_gdt_end:
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.text
long_entry_high:
	movabsq $boot_stack_top, %rsp
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movl %esi, %edi			/* zero-extends: start_info's physical address */
	call kmain
2:	hlt
	jmp 2b

	.data
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.quad PHYS(boot_pdpt_low) + 3
	.fill 510, 8, 0
	.quad PHYS(boot_pdpt_high) + 3
boot_pdpt_low:
	.quad PHYS(boot_pd) + 3
	.fill 511, 8, 0
boot_pdpt_high:
	.fill 510, 8, 0
	.quad PHYS(boot_pd) + 3
	.quad 0

	.bss
	.balign 4096
boot_pd:
	.skip 4096
	.globl boot_stack_top
boot_stack:
	.skip 16384
boot_stack_top:
