// SPDX-License-Identifier: MIT
/*
 * A signal handler returning through the vDSO: installed without
 * SA_RESTORER, it returns to __kernel_rt_sigreturn, whose rt_sigreturn
 * system call resumes the interrupted code with every register as it was
 * (Linux's arm64 system calls preserve all registers but x0).
 */
#include "user.h"

#define SIGUSR1		10
#define NR_kill		129
#define NR_rt_sigaction	134
#define NR_getpid	172

struct k_sigaction { u64 handler, flags, restorer, mask; };

static volatile int caught;
static volatile u64 handler_lr;

static void on_usr1(int sig)
{
	caught = sig;
	handler_lr = (u64)__builtin_return_address(0);
	/* As any handler may: the caller-saved registers are its own. rt_sigreturn must put them back. */
	__asm__ __volatile__("mov x9, #1\n\tmov x10, #2\n\tmov x11, #3\n\tmov x12, #4\n\tmov x13, #5\n\t"
			     "movi v0.16b, #1\n\tmovi v16.16b, #2\n\tmsr fpcr, xzr"
			     : : : "x9", "x10", "x11", "x12", "x13", "v0", "v16");
}

/*
 * kill(pid, sig) with x9-x13, v0, v16 and FPCR's rounding mode set around
 * it: returns kill's result, *changed the bits that differ after.
 */
static long kill_keeping_registers(long pid, long sig, u64 *changed)
{
	register long x0 __asm__("x0") = pid;
	register long x1 __asm__("x1") = sig;
	register long x8 __asm__("x8") = NR_kill;
	u64 diff;

	__asm__ __volatile__("mov x9, #0x99\n\tmov x10, #0xaa\n\tmov x11, #0xbb\n\tmov x12, #0xcc\n\tmov x13, #0xdd\n\t"
			     "movi v0.16b, #0x5a\n\tmovi v16.16b, #0xa5\n\t"
			     "mrs x14, fpcr\n\tmov x15, #(3 << 22)\n\tmsr fpcr, x15\n\t"	/* RMode: towards zero */
			     "svc #0\n\t"
			     "mrs x15, fpcr\n\tmsr fpcr, x14\n\tsub x15, x15, #(3 << 22)\n\t"
			     "sub x9, x9, #0x99\n\tsub x10, x10, #0xaa\n\tsub x11, x11, #0xbb\n\t"
			     "sub x12, x12, #0xcc\n\tsub x13, x13, #0xdd\n\t"
			     "orr %1, x9, x10\n\torr %1, %1, x11\n\torr %1, %1, x12\n\torr %1, %1, x13\n\t"
			     "orr %1, %1, x15\n\t"
			     "movi v1.16b, #0x5a\n\teor v1.16b, v1.16b, v0.16b\n\t"
			     "movi v2.16b, #0xa5\n\teor v2.16b, v2.16b, v16.16b\n\t"
			     "orr v1.16b, v1.16b, v2.16b\n\tumaxv b1, v1.16b\n\tfmov w15, s1\n\torr %1, %1, x15"
			     : "+r"(x0), "=&r"(diff) : "r"(x1), "r"(x8)
			     : "x9", "x10", "x11", "x12", "x13", "x14", "x15", "v0", "v1", "v2", "v16", "memory");
	*changed = diff;
	return x0;
}

void signal_checks(void *rt_sigreturn)
{
	struct k_sigaction sa = { (u64)on_usr1, 0, 0, 0 };
	u64 changed = ~0UL;

	check(syscall6(NR_rt_sigaction, SIGUSR1, (long)&sa, 0, 8, 0, 0) == 0,
	      "rt_sigaction installs a SIGUSR1 handler without SA_RESTORER");
	long r = kill_keeping_registers(syscall6(NR_getpid, 0, 0, 0, 0, 0, 0), SIGUSR1, &changed);
	check(caught == SIGUSR1 && handler_lr == (u64)rt_sigreturn,
	      "kill(getpid(), SIGUSR1) ran the handler with its return address at __kernel_rt_sigreturn");
	check(r == 0 && changed == 0,
	      "the handler returned through __kernel_rt_sigreturn: kill returned 0 with x9-x13, v0, v16 and FPCR intact");
}
