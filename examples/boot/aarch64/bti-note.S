/* SPDX-License-Identifier: MIT */
/*
 * kernel-vdso/lib/note.S for the BTI image (bti.toml), with the GNU
 * property note every object of a BTI image carries: the linker claims
 * BTI for the image only when all its inputs do, and note.S, which holds
 * no code, carries none.
 */
#include "../../../kernel-vdso/lib/note.S"

	.section .note.gnu.property, "a"
	.balign	8
	.long	4			/* n_namesz */
	.long	16			/* n_descsz */
	.long	5			/* NT_GNU_PROPERTY_TYPE_0 */
	.asciz	"GNU"
	.long	0xc0000000		/* GNU_PROPERTY_AARCH64_FEATURE_1_AND */
	.long	4
	.long	1			/* BTI */
	.balign	8
