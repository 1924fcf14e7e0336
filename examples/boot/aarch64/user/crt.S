/* SPDX-License-Identifier: MIT */
/*
 * The program's entry.  The kernel enters here at EL0 with SP at argc
 * (argv, envp and the auxiliary vector above it) and every other register
 * zero; user_main(sp) returns the exit status for exit_group.
 */
	.text
	.globl	_start
_start:
	mov	x29, #0			/* the end of the frame-pointer chain */
	mov	x30, #0
	mov	x0, sp
	bl	user_main
	mov	x8, #94			/* exit_group(status) */
	svc	#0
	brk	#0			/* exit_group does not return */
