/* A one-file "initramfs": the user program's ELF, linked into the kernel's read-only data. */
	.section .rodata
	.balign 16
	.globl initramfs_init, initramfs_init_end
initramfs_init:
	.incbin INIT_ELF
initramfs_init_end:
