/* SPDX-License-Identifier: MIT */
/*
 * ChaCha20 keystream for the x86-64 vDSO getrandom, SSE2 (every x86-64 CPU
 * has it), three blocks at a time, without touching the stack; where the rng
 * page's cpu_features allows AVX2, vgetrandom-chacha-avx2.S instead.
 *
 *   void vdso_chacha20_blocks(u8 *dst, const u32 key[8], u32 words[4],
 *                             size_t nblocks);
 *
 *	%rdi	dst: nblocks * 64 bytes of keystream
 *	%rsi	key: words 4-11 of the ChaCha20 input
 *	%rdx	words 12-15 of the input: a 64-bit block counter (12-13), which
 *		is advanced by nblocks, and a 64-bit nonce (14-15)
 *	%rcx	nblocks (0: nothing happens)
 *
 * The key and the counter are read into registers before anything is
 * written, so dst may overlap the key: the getrandom state's refill
 * overwrites the key it is generated with.
 *
 * Layout: each block is four registers, one per row of the 4x4 matrix
 * (a = constants, b and c = key, d = counter and nonce), so a column round
 * is four lane-wise quarter-rounds and a diagonal round the same after
 * rotating rows b, c, d by one, two and three lanes (pshufd).  One block
 * alone is a chain of dependent instructions; three independent blocks in
 * %xmm0-11 fill the vector units, which is where the speed comes from.
 *
 *	%xmm0-3    block 0 (rows a, b, c, d)	%xmm12-13  key rows b, c
 *	%xmm4-7    block 1			%xmm14     row d of block 0
 *	%xmm8-11   block 2			%xmm15     scratch for rotations
 *
 * The last pass computes three blocks even when one or two are wanted (the
 * getrandom refill wants two): the extra block runs alongside the others
 * and costs little, and is never stored.
 *
 * Vector registers are the caller's to clobber (all of %xmm0-15 are
 * call-clobbered in the SysV ABI) and nothing is saved.  Every one of them
 * holds key, keystream or state words by the end; the vDSO runs in the
 * caller's process, and whatever code runs next (a signal handler, a library
 * that spills vector registers to memory) could read them, so all sixteen
 * are zeroed before returning.  The general registers hold only pointers and
 * counts.
 */
#ifndef VDSO_CHACHA20_PORTABLE

#include <vdso/datapage.h>

/* Intel IBT, where the image is built with -fcf-protection=branch: a landing pad on entry. */
#if defined(__CET__) && (__CET__ & 1)
#define ENDBR	endbr64
#else
#define ENDBR
#endif

	.section .rodata, "a"
	.balign 16
.Lsigma:
	.ascii	"expand 32-byte k"
	/* Added to a row d with paddq: the next block's 64-bit counter, the nonce unchanged. */
.Lone:
	.quad	1, 0

	.text

/* rotl32 of every lane of \r by 16: swap the 16-bit halves of each word. */
.macro rotl16 r
	pshuflw	$0xb1, \r, \r
	pshufhw	$0xb1, \r, \r
.endm

/* rotl32 of every lane of \r by \n, through %xmm15 (SSE2 has no vector rotate). */
.macro rotl n, r
	movdqa	\r, %xmm15
	pslld	$\n, \r
	psrld	$(32 - \n), %xmm15
	por	%xmm15, \r
.endm

/*
 * One RFC 8439 quarter-round on the four rows of one block, in every lane
 * at once.  Three consecutive invocations on independent blocks overlap in
 * an out-of-order core; the shared %xmm15 is renamed.
 */
.macro quarterround a, b, c, d
	paddd	\b, \a
	pxor	\a, \d
	rotl16	\d
	paddd	\d, \c
	pxor	\c, \b
	rotl	12, \b
	paddd	\b, \a
	pxor	\a, \d
	rotl	8, \d
	paddd	\d, \c
	pxor	\c, \b
	rotl	7, \b
.endm

/*
 * Rotate rows b, c, d left by \sb, \sc, \sd lanes (pshufd immediates): the
 * diagonals become columns (0x39, 0x4e, 0x93) and back (0x93, 0x4e, 0x39).
 */
.macro shuffle b, c, d, sb, sc, sd
	pshufd	$\sb, \b, \b
	pshufd	$\sc, \c, \c
	pshufd	$\sd, \d, \d
.endm

.macro doubleround sb1, sc1, sd1, sb2, sc2, sd2
	quarterround %xmm0, %xmm1, %xmm2, %xmm3
	quarterround %xmm4, %xmm5, %xmm6, %xmm7
	quarterround %xmm8, %xmm9, %xmm10, %xmm11
	shuffle	%xmm1, %xmm2, %xmm3, \sb1, \sc1, \sd1
	shuffle	%xmm5, %xmm6, %xmm7, \sb1, \sc1, \sd1
	shuffle	%xmm9, %xmm10, %xmm11, \sb1, \sc1, \sd1
	quarterround %xmm0, %xmm1, %xmm2, %xmm3
	quarterround %xmm4, %xmm5, %xmm6, %xmm7
	quarterround %xmm8, %xmm9, %xmm10, %xmm11
	shuffle	%xmm1, %xmm2, %xmm3, \sb2, \sc2, \sd2
	shuffle	%xmm5, %xmm6, %xmm7, \sb2, \sc2, \sd2
	shuffle	%xmm9, %xmm10, %xmm11, \sb2, \sc2, \sd2
.endm

/* Store the block in rows \a-\d at \off(%rdi). */
.macro store a, b, c, d, off
	movdqu	\a, \off + 0(%rdi)
	movdqu	\b, \off + 16(%rdi)
	movdqu	\c, \off + 32(%rdi)
	movdqu	\d, \off + 48(%rdi)
.endm

	.globl	vdso_chacha20_blocks
	.hidden	vdso_chacha20_blocks
	.type	vdso_chacha20_blocks, @function
	.balign	16
vdso_chacha20_blocks:
	.cfi_startproc
	ENDBR
	test	%rcx, %rcx
	jz	.Lreturn
	/*
	 * The image is not patched where it is mapped: the kernel says in the
	 * rng page whether the CPU (and its own register saving) allows AVX2.
	 */
	testb	$VDSO_RNG_CPU_AVX2, vdso_rng_data + VDSO_RNG_CPU_FEATURES(%rip)
	jnz	vdso_chacha20_blocks_avx2
	movdqu	0(%rsi), %xmm12
	movdqu	16(%rsi), %xmm13
	movdqu	(%rdx), %xmm14
	/* The caller's counter, advanced past every block this call produces. */
	add	%rcx, (%rdx)

.Lthree_blocks:
	movdqa	.Lsigma(%rip), %xmm0
	movdqa	%xmm12, %xmm1
	movdqa	%xmm13, %xmm2
	movdqa	%xmm14, %xmm3
	movdqa	%xmm0, %xmm4
	movdqa	%xmm12, %xmm5
	movdqa	%xmm13, %xmm6
	movdqa	%xmm14, %xmm7
	paddq	.Lone(%rip), %xmm7
	movdqa	%xmm0, %xmm8
	movdqa	%xmm12, %xmm9
	movdqa	%xmm13, %xmm10
	movdqa	%xmm7, %xmm11
	paddq	.Lone(%rip), %xmm11

	mov	$10, %eax
.Ldoubleround:
	doubleround 0x39, 0x4e, 0x93, 0x93, 0x4e, 0x39
	dec	%eax
	jnz	.Ldoubleround

	/* Add the input; %xmm14 walks through the three counters and ends at the next pass's. */
	movdqa	.Lsigma(%rip), %xmm15
	paddd	%xmm15, %xmm0
	paddd	%xmm15, %xmm4
	paddd	%xmm15, %xmm8
	paddd	%xmm12, %xmm1
	paddd	%xmm12, %xmm5
	paddd	%xmm12, %xmm9
	paddd	%xmm13, %xmm2
	paddd	%xmm13, %xmm6
	paddd	%xmm13, %xmm10
	paddd	%xmm14, %xmm3
	paddq	.Lone(%rip), %xmm14
	paddd	%xmm14, %xmm7
	paddq	.Lone(%rip), %xmm14
	paddd	%xmm14, %xmm11
	paddq	.Lone(%rip), %xmm14

	store	%xmm0, %xmm1, %xmm2, %xmm3, 0
	cmp	$1, %rcx
	je	.Lwipe
	store	%xmm4, %xmm5, %xmm6, %xmm7, 64
	cmp	$2, %rcx
	je	.Lwipe
	store	%xmm8, %xmm9, %xmm10, %xmm11, 128
	add	$192, %rdi
	sub	$3, %rcx
	jnz	.Lthree_blocks

.Lwipe:
	/* Key, keystream and state words must not outlive the call (see the top of this file). */
	pxor	%xmm0, %xmm0
	pxor	%xmm1, %xmm1
	pxor	%xmm2, %xmm2
	pxor	%xmm3, %xmm3
	pxor	%xmm4, %xmm4
	pxor	%xmm5, %xmm5
	pxor	%xmm6, %xmm6
	pxor	%xmm7, %xmm7
	pxor	%xmm8, %xmm8
	pxor	%xmm9, %xmm9
	pxor	%xmm10, %xmm10
	pxor	%xmm11, %xmm11
	pxor	%xmm12, %xmm12
	pxor	%xmm13, %xmm13
	pxor	%xmm14, %xmm14
	pxor	%xmm15, %xmm15
.Lreturn:
	ret
	.cfi_endproc
	.size	vdso_chacha20_blocks, . - vdso_chacha20_blocks

/*
 * With IBT or shadow stacks on (-fcf-protection), this object says so in its
 * GNU property note as the compiler does for C; an object without one would
 * make the linker drop the claim for the whole image.
 */
#ifdef __CET__
	.section .note.gnu.property, "a"
	.balign	8
	.long	4			/* n_namesz */
	.long	16			/* n_descsz */
	.long	5			/* NT_GNU_PROPERTY_TYPE_0 */
	.asciz	"GNU"
	.long	0xc0000002		/* GNU_PROPERTY_X86_FEATURE_1_AND */
	.long	4
	.long	__CET__			/* bit 0 IBT, bit 1 SHSTK: plain ret is shadow-stack safe */
	.balign	8
#endif

#endif /* !VDSO_CHACHA20_PORTABLE */

/* No executable stack requested by this object. */
	.section .note.GNU-stack, "", @progbits
