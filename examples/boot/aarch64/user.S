/* SPDX-License-Identifier: MIT */
/*
 * The process's program, a static arm64 ELF (user/, built first), inside
 * the kernel's .rodata; loader.c reads its headers and copies its
 * segments out.  Assembled with the build directory on -I.
 */
	.section .rodata
	.balign	16
	.globl	user_elf, user_elf_end
user_elf:
	.incbin	"init.elf"
user_elf_end:
