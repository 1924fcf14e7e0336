/* SPDX-License-Identifier: MIT */
/*
 * The "Linux" ELF note, type 0, carrying LINUX_VERSION_CODE, and vdsogen's
 * data-page ABI note (abi_note.S), for every architecture (arch/x86_64/note.S includes
 * this file).  Older glibc reads the first from the vDSO to learn the
 * running kernel's version; the linker scripts collect both into .note and
 * PT_NOTE.
 *
 * The section types are spelled %note and %progbits, not @note: on 32-bit
 * arm '@' starts a comment.  GNU as and LLVM accept '%' on every target.
 * SHT_NOTE matters: binutils finds notes by section type, and elfutils
 * ignores PT_NOTE when the image has a section table.
 */

/* KERNEL_VERSION(6, 18, 0) = (6 << 16) + (18 << 8) + 0 */
#define LINUX_VERSION_CODE	0x061200

	.section .note.Linux, "a", %note
	.balign 4
	.long	2f - 1f			/* n_namesz, with the NUL */
	.long	4f - 3f			/* n_descsz */
	.long	0			/* n_type */
1:	.asciz	"Linux"
2:	.balign 4
3:	.long	LINUX_VERSION_CODE
4:	.balign 4

/* vdsogen's data-page ABI note, "vdsogen-1" (abi_note.S). */
#include "abi_note.S"

	/* No executable stack requested by this object. */
	.section .note.GNU-stack, "", %progbits
