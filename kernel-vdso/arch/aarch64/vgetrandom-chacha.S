/* SPDX-License-Identifier: MIT */
/*
 * ChaCha20 keystream for the arm64 vDSO getrandom, NEON (every arm64 CPU
 * Linux runs user space on has Advanced SIMD), four blocks at a time,
 * without touching the stack.
 *
 *   void vdso_chacha20_blocks(u8 *dst, const u32 key[8], u32 words[4],
 *                             size_t nblocks);
 *
 *	x0	dst: nblocks * 64 bytes of keystream
 *	x1	key: words 4-11 of the ChaCha20 input
 *	x2	words 12-15 of the input: a 64-bit block counter (12-13), which
 *		is advanced by nblocks, and a 64-bit nonce (14-15)
 *	x3	nblocks (0: nothing happens)
 *
 * The key and the counter are read into registers before anything is
 * written, so dst may overlap the key: the getrandom state's refill
 * overwrites the key it is generated with.
 *
 * Layout: each block is four registers, one per row of the 4x4 matrix
 * (a = constants, b and c = key, d = counter and nonce), so a column round
 * is four lane-wise quarter-rounds and a diagonal round the same after
 * rotating rows b, c, d by one, two and three lanes (ext).  One block alone
 * is a chain of dependent instructions; four independent blocks, the same
 * row of each in consecutive registers and every step issued for all four,
 * keep in-order and out-of-order cores busy alike.
 *
 *	v0-v3	 row a of blocks 0-3	v24-v27	scratch (rotations; input rows d)
 *	v4-v7	 row b			v28	the constants
 *	v16-v19	 row c			v29-30	the key (rows b, c)
 *	v20-v23	 row d			v31	row d: nonce (counter lanes unused)
 *	x4	 counter of block 0 of the pass
 *
 * v8-v15 are not used: AAPCS64 makes their low halves (d8-d15)
 * callee-saved, and saving them would need the stack.  The last pass
 * computes four blocks even when fewer are wanted (the getrandom refill
 * wants two); the extra ones are never stored.
 *
 * The other vector registers are the caller's to clobber and nothing is
 * saved.  By the end every one of them holds key, keystream or state words;
 * the vDSO runs in the caller's process, and whatever code runs next (a
 * signal handler, a library that spills vector registers to memory) could
 * read them, so all 24 are zeroed before returning.  The general registers
 * hold only pointers and counts.
 */
#ifndef VDSO_CHACHA20_PORTABLE

#ifdef __AARCH64EB__
#error "vgetrandom-chacha.S stores little-endian lanes; build big-endian arm64 with -DVDSO_CHACHA20_PORTABLE"
#endif

/* The image is built with -mgeneral-regs-only (for its C); this file is the one that uses NEON. */
	.arch_extension simd

/* BTI, where the image is built with -mbranch-protection: a landing pad on entry. */
#if defined(__ARM_FEATURE_BTI_DEFAULT) && __ARM_FEATURE_BTI_DEFAULT
#define BTI_C	bti	c
#else
#define BTI_C
#endif

/* Each row of the four blocks: the arguments of the macros below. */
#define ROW_A	v0, v1, v2, v3
#define ROW_B	v4, v5, v6, v7
#define ROW_C	v16, v17, v18, v19
#define ROW_D	v20, v21, v22, v23
#define SCRATCH	v24, v25, v26, v27

	.section .rodata, "a"
	.balign 16
.Lsigma:
	.ascii	"expand 32-byte k"

	.text

/* x += y, lane-wise, for four register pairs. */
.macro add4 x0, x1, x2, x3, y0, y1, y2, y3
	add	\x0\().4s, \x0\().4s, \y0\().4s
	add	\x1\().4s, \x1\().4s, \y1\().4s
	add	\x2\().4s, \x2\().4s, \y2\().4s
	add	\x3\().4s, \x3\().4s, \y3\().4s
.endm

/* d = x ^ y, for four register triples. */
.macro eor4 d0, d1, d2, d3, x0, x1, x2, x3, y0, y1, y2, y3
	eor	\d0\().16b, \x0\().16b, \y0\().16b
	eor	\d1\().16b, \x1\().16b, \y1\().16b
	eor	\d2\().16b, \x2\().16b, \y2\().16b
	eor	\d3\().16b, \x3\().16b, \y3\().16b
.endm

/* x = rotl32(x, 16) lane-wise: swap the 16-bit halves of each word. */
.macro rotl16_4 x0, x1, x2, x3
	rev32	\x0\().8h, \x0\().8h
	rev32	\x1\().8h, \x1\().8h
	rev32	\x2\().8h, \x2\().8h
	rev32	\x3\().8h, \x3\().8h
.endm

/* d = rotl32(s, n) lane-wise (shift left, then insert the bits shifted out). */
.macro rotl4 n, d0, d1, d2, d3, s0, s1, s2, s3
	shl	\d0\().4s, \s0\().4s, #\n
	shl	\d1\().4s, \s1\().4s, #\n
	shl	\d2\().4s, \s2\().4s, #\n
	shl	\d3\().4s, \s3\().4s, #\n
	sri	\d0\().4s, \s0\().4s, #(32 - \n)
	sri	\d1\().4s, \s1\().4s, #(32 - \n)
	sri	\d2\().4s, \s2\().4s, #(32 - \n)
	sri	\d3\().4s, \s3\().4s, #(32 - \n)
.endm

/* Rotate four registers left by \bytes / 4 lanes. */
.macro ext4 bytes, x0, x1, x2, x3
	ext	\x0\().16b, \x0\().16b, \x0\().16b, #\bytes
	ext	\x1\().16b, \x1\().16b, \x1\().16b, #\bytes
	ext	\x2\().16b, \x2\().16b, \x2\().16b, #\bytes
	ext	\x3\().16b, \x3\().16b, \x3\().16b, #\bytes
.endm

/* RFC 8439's quarter-round on every column of the four blocks. */
.macro quarterround
	add4	ROW_A, ROW_B
	eor4	ROW_D, ROW_D, ROW_A
	rotl16_4 ROW_D
	add4	ROW_C, ROW_D
	eor4	SCRATCH, ROW_B, ROW_C
	rotl4	12, ROW_B, SCRATCH
	add4	ROW_A, ROW_B
	eor4	SCRATCH, ROW_D, ROW_A
	rotl4	8, ROW_D, SCRATCH
	add4	ROW_C, ROW_D
	eor4	SCRATCH, ROW_B, ROW_C
	rotl4	7, ROW_B, SCRATCH
.endm

/* Rows d of blocks 0-3 of the pass: v31 (the nonce) with counters x4 .. x4 + 3. */
.macro counters r0, r1, r2, r3
	mov	\r0\().16b, v31.16b
	mov	\r1\().16b, v31.16b
	mov	\r2\().16b, v31.16b
	mov	\r3\().16b, v31.16b
	mov	\r0\().d[0], x4
	add	x5, x4, #1
	mov	\r1\().d[0], x5
	add	x5, x4, #2
	mov	\r2\().d[0], x5
	add	x5, x4, #3
	mov	\r3\().d[0], x5
.endm

/* Store block \k (rows \a, \b, \c, \d) at x0 + 64 * k. */
.macro store k, a, b, c, d
	stp	q\a, q\b, [x0, #(64 * \k)]
	stp	q\c, q\d, [x0, #(64 * \k + 32)]
.endm

	.globl	vdso_chacha20_blocks
	.hidden	vdso_chacha20_blocks
	.type	vdso_chacha20_blocks, %function
	.balign	16
vdso_chacha20_blocks:
	.cfi_startproc
	BTI_C
	cbz	x3, .Lreturn
	adr	x6, .Lsigma
	ld1	{v28.4s}, [x6]
	ldp	q29, q30, [x1]
	ldr	q31, [x2]
	/* The caller's counter, advanced past every block this call produces. */
	ldr	x4, [x2]
	add	x5, x4, x3
	str	x5, [x2]

.Lfour_blocks:
	mov	v0.16b, v28.16b
	mov	v1.16b, v28.16b
	mov	v2.16b, v28.16b
	mov	v3.16b, v28.16b
	mov	v4.16b, v29.16b
	mov	v5.16b, v29.16b
	mov	v6.16b, v29.16b
	mov	v7.16b, v29.16b
	mov	v16.16b, v30.16b
	mov	v17.16b, v30.16b
	mov	v18.16b, v30.16b
	mov	v19.16b, v30.16b
	counters ROW_D

	mov	w6, #10
.Ldoubleround:
	quarterround
	/* The diagonals into columns ... */
	ext4	4, ROW_B
	ext4	8, ROW_C
	ext4	12, ROW_D
	quarterround
	/* ... and back. */
	ext4	12, ROW_B
	ext4	8, ROW_C
	ext4	4, ROW_D
	subs	w6, w6, #1
	b.ne	.Ldoubleround

	/* Add the input. */
	add4	ROW_A, v28, v28, v28, v28
	add4	ROW_B, v29, v29, v29, v29
	add4	ROW_C, v30, v30, v30, v30
	counters SCRATCH
	add4	ROW_D, SCRATCH

	store	0, 0, 4, 16, 20
	cmp	x3, #1
	b.eq	.Lwipe
	store	1, 1, 5, 17, 21
	cmp	x3, #2
	b.eq	.Lwipe
	store	2, 2, 6, 18, 22
	cmp	x3, #3
	b.eq	.Lwipe
	store	3, 3, 7, 19, 23
	add	x0, x0, #256
	add	x4, x4, #4
	subs	x3, x3, #4
	b.ne	.Lfour_blocks

.Lwipe:
	/* Key, keystream and state words must not outlive the call (see the top of this file). */
	movi	v0.16b, #0
	movi	v1.16b, #0
	movi	v2.16b, #0
	movi	v3.16b, #0
	movi	v4.16b, #0
	movi	v5.16b, #0
	movi	v6.16b, #0
	movi	v7.16b, #0
	movi	v16.16b, #0
	movi	v17.16b, #0
	movi	v18.16b, #0
	movi	v19.16b, #0
	movi	v20.16b, #0
	movi	v21.16b, #0
	movi	v22.16b, #0
	movi	v23.16b, #0
	movi	v24.16b, #0
	movi	v25.16b, #0
	movi	v26.16b, #0
	movi	v27.16b, #0
	movi	v28.16b, #0
	movi	v29.16b, #0
	movi	v30.16b, #0
	movi	v31.16b, #0
.Lreturn:
	ret
	.cfi_endproc
	.size	vdso_chacha20_blocks, . - vdso_chacha20_blocks

/*
 * With BTI or pointer authentication on (-mbranch-protection), this object
 * says so in its GNU property note as the compiler does for C; an object
 * without one would make the linker drop the claim for the whole image.
 * (A leaf that never signs its return address is PAC-compatible.)
 */
#if (defined(__ARM_FEATURE_BTI_DEFAULT) && __ARM_FEATURE_BTI_DEFAULT) || \
    (defined(__ARM_FEATURE_PAC_DEFAULT) && __ARM_FEATURE_PAC_DEFAULT)
	.section .note.gnu.property, "a"
	.balign	8
	.long	4			/* n_namesz */
	.long	16			/* n_descsz */
	.long	5			/* NT_GNU_PROPERTY_TYPE_0 */
	.asciz	"GNU"
	.long	0xc0000000		/* GNU_PROPERTY_AARCH64_FEATURE_1_AND */
	.long	4
#if defined(__ARM_FEATURE_BTI_DEFAULT) && __ARM_FEATURE_BTI_DEFAULT
	.long	3			/* BTI | PAC */
#else
	.long	2			/* PAC */
#endif
	.balign	8
#endif

#endif /* !VDSO_CHACHA20_PORTABLE */

/* No executable stack requested by this object. */
	.section .note.GNU-stack, "", %progbits
