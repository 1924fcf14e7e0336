/* SPDX-License-Identifier: MIT */
/*
 * ChaCha20 keystream with AVX2, six blocks at a time, for the x86-64 vDSO
 * getrandom.  Not called directly: vdso_chacha20_blocks (the SSE2 code,
 * vgetrandom-chacha.S) jumps here, same arguments, when the rng page's
 * cpu_features has VDSO_RNG_CPU_AVX2 -- the image is not patched where it
 * is mapped, so the kernel says there what the CPU and its own YMM saving
 * support.
 *
 *	%rdi	dst: nblocks * 64 bytes of keystream
 *	%rsi	key: words 4-11 of the ChaCha20 input
 *	%rdx	words 12-15: 64-bit block counter (advanced by nblocks), nonce
 *	%rcx	nblocks, not 0
 *
 * The same row layout as the SSE2 code, with each ymm register holding one
 * row of two blocks (block 2k in the low 128 bits, 2k + 1 in the high):
 *
 *	%ymm0-3    blocks 0, 1 (rows a, b, c, d)	%ymm12-13  key rows, in both halves
 *	%ymm4-7    blocks 2, 3				%ymm14     rows d of blocks 0, 1
 *	%ymm8-11   blocks 4, 5				%ymm15     scratch for rotations
 *
 * pshufd, pshufb and the shifts work on each 128-bit half by itself, so the
 * two blocks of a register never mix.  Rotations by 16 and 8 are byte
 * shuffles (vpshufb).
 *
 * Every ymm register holds key, keystream or state words by the end, and the
 * caller's process can read them after the return; vzeroall clears all
 * sixteen (and leaves the upper halves clean, as SSE code after us expects).
 */
#ifndef VDSO_CHACHA20_PORTABLE

	.section .rodata, "a"
	.balign 32
.Lsigma2:
	.ascii	"expand 32-byte k"
	.ascii	"expand 32-byte k"
	/* Added once to rows d broadcast from the input: blocks 0 and 1 of a pair. */
.Lctr01:
	.quad	0, 0, 1, 0
	/* From one pair of rows d to the next. */
.Lctr22:
	.quad	2, 0, 2, 0
	/* vpshufb masks: rotl32 by 16 and by 8 in every word. */
.Lrot16:
	.byte	2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13
	.byte	2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13
.Lrot8:
	.byte	3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14
	.byte	3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14

	.text

/* rotl32 of every word of \r by \n, through %ymm15. */
.macro vrotl n, r
	vpsrld	$(32 - \n), \r, %ymm15
	vpslld	$\n, \r, \r
	vpor	%ymm15, \r, \r
.endm

/* RFC 8439's quarter-round on the four rows of two blocks. */
.macro vquarterround a, b, c, d
	vpaddd	\b, \a, \a
	vpxor	\a, \d, \d
	vpshufb	.Lrot16(%rip), \d, \d
	vpaddd	\d, \c, \c
	vpxor	\c, \b, \b
	vrotl	12, \b
	vpaddd	\b, \a, \a
	vpxor	\a, \d, \d
	vpshufb	.Lrot8(%rip), \d, \d
	vpaddd	\d, \c, \c
	vpxor	\c, \b, \b
	vrotl	7, \b
.endm

/* Rotate rows b, c, d left by lanes, within each half (pshufd immediates as in the SSE2 code). */
.macro vshuffle b, c, d, sb, sc, sd
	vpshufd	$\sb, \b, \b
	vpshufd	$\sc, \c, \c
	vpshufd	$\sd, \d, \d
.endm

.macro vdoubleround sb1, sc1, sd1, sb2, sc2, sd2
	vquarterround %ymm0, %ymm1, %ymm2, %ymm3
	vquarterround %ymm4, %ymm5, %ymm6, %ymm7
	vquarterround %ymm8, %ymm9, %ymm10, %ymm11
	vshuffle %ymm1, %ymm2, %ymm3, \sb1, \sc1, \sd1
	vshuffle %ymm5, %ymm6, %ymm7, \sb1, \sc1, \sd1
	vshuffle %ymm9, %ymm10, %ymm11, \sb1, \sc1, \sd1
	vquarterround %ymm0, %ymm1, %ymm2, %ymm3
	vquarterround %ymm4, %ymm5, %ymm6, %ymm7
	vquarterround %ymm8, %ymm9, %ymm10, %ymm11
	vshuffle %ymm1, %ymm2, %ymm3, \sb2, \sc2, \sd2
	vshuffle %ymm5, %ymm6, %ymm7, \sb2, \sc2, \sd2
	vshuffle %ymm9, %ymm10, %ymm11, \sb2, \sc2, \sd2
.endm

/* Store the low halves of rows \a-\d (one block) at \off(%rdi). */
.macro vstore_low a, b, c, d, off
	vmovdqu	%xmm\a, \off + 0(%rdi)
	vmovdqu	%xmm\b, \off + 16(%rdi)
	vmovdqu	%xmm\c, \off + 32(%rdi)
	vmovdqu	%xmm\d, \off + 48(%rdi)
.endm

/* Store the high halves of rows \a-\d (the other block) at \off(%rdi). */
.macro vstore_high a, b, c, d, off
	vextracti128 $1, %ymm\a, \off + 0(%rdi)
	vextracti128 $1, %ymm\b, \off + 16(%rdi)
	vextracti128 $1, %ymm\c, \off + 32(%rdi)
	vextracti128 $1, %ymm\d, \off + 48(%rdi)
.endm

	.globl	vdso_chacha20_blocks_avx2
	.hidden	vdso_chacha20_blocks_avx2
	.type	vdso_chacha20_blocks_avx2, @function
	.balign	16
vdso_chacha20_blocks_avx2:
	.cfi_startproc
	vbroadcasti128 0(%rsi), %ymm12
	vbroadcasti128 16(%rsi), %ymm13
	vbroadcasti128 (%rdx), %ymm14
	vpaddq	.Lctr01(%rip), %ymm14, %ymm14
	/* The caller's counter, advanced past every block this call produces. */
	add	%rcx, (%rdx)

.Lsix_blocks:
	vmovdqa	.Lsigma2(%rip), %ymm0
	vmovdqa	%ymm12, %ymm1
	vmovdqa	%ymm13, %ymm2
	vmovdqa	%ymm14, %ymm3
	vmovdqa	%ymm0, %ymm4
	vmovdqa	%ymm12, %ymm5
	vmovdqa	%ymm13, %ymm6
	vpaddq	.Lctr22(%rip), %ymm14, %ymm7
	vmovdqa	%ymm0, %ymm8
	vmovdqa	%ymm12, %ymm9
	vmovdqa	%ymm13, %ymm10
	vpaddq	.Lctr22(%rip), %ymm7, %ymm11

	mov	$10, %eax
.Lvdoubleround:
	vdoubleround 0x39, 0x4e, 0x93, 0x93, 0x4e, 0x39
	dec	%eax
	jnz	.Lvdoubleround

	/* Add the input; %ymm14 walks through the three pairs of counters and ends at the next pass's. */
	vpaddd	.Lsigma2(%rip), %ymm0, %ymm0
	vpaddd	.Lsigma2(%rip), %ymm4, %ymm4
	vpaddd	.Lsigma2(%rip), %ymm8, %ymm8
	vpaddd	%ymm12, %ymm1, %ymm1
	vpaddd	%ymm12, %ymm5, %ymm5
	vpaddd	%ymm12, %ymm9, %ymm9
	vpaddd	%ymm13, %ymm2, %ymm2
	vpaddd	%ymm13, %ymm6, %ymm6
	vpaddd	%ymm13, %ymm10, %ymm10
	vpaddd	%ymm14, %ymm3, %ymm3
	vpaddq	.Lctr22(%rip), %ymm14, %ymm14
	vpaddd	%ymm14, %ymm7, %ymm7
	vpaddq	.Lctr22(%rip), %ymm14, %ymm14
	vpaddd	%ymm14, %ymm11, %ymm11
	vpaddq	.Lctr22(%rip), %ymm14, %ymm14

	vstore_low 0, 1, 2, 3, 0
	cmp	$1, %rcx
	je	.Lvwipe
	vstore_high 0, 1, 2, 3, 64
	cmp	$2, %rcx
	je	.Lvwipe
	vstore_low 4, 5, 6, 7, 128
	cmp	$3, %rcx
	je	.Lvwipe
	vstore_high 4, 5, 6, 7, 192
	cmp	$4, %rcx
	je	.Lvwipe
	vstore_low 8, 9, 10, 11, 256
	cmp	$5, %rcx
	je	.Lvwipe
	vstore_high 8, 9, 10, 11, 320
	add	$384, %rdi
	sub	$6, %rcx
	jnz	.Lsix_blocks

.Lvwipe:
	/* Key, keystream and state words must not outlive the call (see the top of this file). */
	vzeroall
	ret
	.cfi_endproc
	.size	vdso_chacha20_blocks_avx2, . - vdso_chacha20_blocks_avx2

/* With -fcf-protection, the GNU property note (see vgetrandom-chacha.S). */
#ifdef __CET__
	.section .note.gnu.property, "a"
	.balign	8
	.long	4			/* n_namesz */
	.long	16			/* n_descsz */
	.long	5			/* NT_GNU_PROPERTY_TYPE_0 */
	.asciz	"GNU"
	.long	0xc0000002		/* GNU_PROPERTY_X86_FEATURE_1_AND */
	.long	4
	.long	__CET__			/* only jumped to, never called indirectly: no endbr64 needed */
	.balign	8
#endif

#endif /* !VDSO_CHACHA20_PORTABLE */

/* No executable stack requested by this object. */
	.section .note.GNU-stack, "", @progbits
