/* SPDX-License-Identifier: MIT */
/*
 * vdsogen's data-page ABI note alone: note.S includes it for vdsogen's own
 * images ("vdsogen-1"); an image of another data-page ABI defines
 * VDSOGEN_DATA_ABI (a string) and includes it (examples/custom-abi/note.S).
 */
/*
 * The data-page ABI note: owner "vdsogen", type 1, descriptor the name of the
 * data-page layout the image's routines read, NUL-terminated.  "vdsogen-1" is
 * kernel-vdso/include/vdso/datapage.h; `vdsogen run` maps the image only
 * when it fills that ABI, or a kernel side of the user's own serves it
 * (--kernel-side), and refuses one that declares none (Docs/run.md).
 */
#define VDSOGEN_NOTE_DATA_ABI	1
#ifndef VDSOGEN_DATA_ABI
#define VDSOGEN_DATA_ABI	"vdsogen-1"
#endif

	.section .note.vdsogen, "a", %note
	.balign 4
	.long	6f - 5f			/* n_namesz, with the NUL */
	.long	8f - 7f			/* n_descsz, with the NUL */
	.long	VDSOGEN_NOTE_DATA_ABI	/* n_type */
5:	.asciz	"vdsogen"
6:	.balign 4
7:	.asciz	VDSOGEN_DATA_ABI
8:	.balign 4

	/* No executable stack requested by this object. */
	.section .note.GNU-stack, "", %progbits
