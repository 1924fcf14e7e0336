/* SPDX-License-Identifier: MIT */
/*
 * The "Linux" ELF note, type 0, carrying LINUX_VERSION_CODE, and vdsogen's
 * data-page ABI note, for every architecture (arch/x86_64/note.S includes
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

/*
 * The data-page ABI note: owner "vdsogen", type 1, descriptor the name of the
 * data-page layout the image's routines read, NUL-terminated.  "vdsogen-1" is
 * kernel-vdso/include/vdso/datapage.h; `vdsogen run` fills the page only for
 * an ABI it knows and refuses an image that declares none (Docs/run.md).
 */
#define VDSOGEN_NOTE_DATA_ABI	1

	.section .note.vdsogen, "a", %note
	.balign 4
	.long	6f - 5f			/* n_namesz, with the NUL */
	.long	8f - 7f			/* n_descsz, with the NUL */
	.long	VDSOGEN_NOTE_DATA_ABI	/* n_type */
5:	.asciz	"vdsogen"
6:	.balign 4
7:	.asciz	"vdsogen-1"
8:	.balign 4

	/* No executable stack requested by this object. */
	.section .note.GNU-stack, "", %progbits
