/* SPDX-License-Identifier: MIT */
/*
 * The process's FP/SIMD state, for signal frames: the only place the
 * kernel touches the vector registers (the C is -mgeneral-regs-only, so
 * between an exception's entry and here they still hold the process's
 * values).  The layout is Linux's struct fpsimd_context after its 8-byte
 * header: fpsr, fpcr (32 bits each), then v0-v31.
 */
	.arch	armv8-a+fp+simd
	.text

/* fpsimd_save(void *state) */
	.globl	fpsimd_save
fpsimd_save:
	mrs	x1, fpsr
	mrs	x2, fpcr
	stp	w1, w2, [x0], #8
	stp	q0, q1, [x0], #32
	stp	q2, q3, [x0], #32
	stp	q4, q5, [x0], #32
	stp	q6, q7, [x0], #32
	stp	q8, q9, [x0], #32
	stp	q10, q11, [x0], #32
	stp	q12, q13, [x0], #32
	stp	q14, q15, [x0], #32
	stp	q16, q17, [x0], #32
	stp	q18, q19, [x0], #32
	stp	q20, q21, [x0], #32
	stp	q22, q23, [x0], #32
	stp	q24, q25, [x0], #32
	stp	q26, q27, [x0], #32
	stp	q28, q29, [x0], #32
	stp	q30, q31, [x0], #32
	ret

/* fpsimd_restore(const void *state) */
	.globl	fpsimd_restore
fpsimd_restore:
	ldp	w1, w2, [x0], #8
	msr	fpsr, x1
	msr	fpcr, x2
	ldp	q0, q1, [x0], #32
	ldp	q2, q3, [x0], #32
	ldp	q4, q5, [x0], #32
	ldp	q6, q7, [x0], #32
	ldp	q8, q9, [x0], #32
	ldp	q10, q11, [x0], #32
	ldp	q12, q13, [x0], #32
	ldp	q14, q15, [x0], #32
	ldp	q16, q17, [x0], #32
	ldp	q18, q19, [x0], #32
	ldp	q20, q21, [x0], #32
	ldp	q22, q23, [x0], #32
	ldp	q24, q25, [x0], #32
	ldp	q26, q27, [x0], #32
	ldp	q28, q29, [x0], #32
	ldp	q30, q31, [x0], #32
	ret
