/* /init's entry: the kernel left RSP at argc, 16-byte aligned; main never returns. */
	.text
	.globl _start
_start:
	xorl %ebp, %ebp			/* the outermost frame */
	movq %rsp, %rdi
	call main
	ud2
