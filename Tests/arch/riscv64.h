/* SPDX-License-Identifier: MIT */
/* RV64 part of the freestanding vDSO harness (harness.c). */
#define ARCH_NAME	"riscv64"
#define ARCH_TIME64	0
#define ARCH_COUNTER	"rdtime"

#include "asm-generic.h"
#define NR_riscv_flush_icache	259	/* arch-specific (__NR_arch_specific_syscall + 15) */

static inline long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long a7 __asm__("a7") = n;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;
	register long a5 __asm__("a5") = f;
	__asm__ __volatile__("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5) : "memory");
	return a0;
}

static inline uint64_t read_counter(void)
{
	uint64_t c;
	__asm__ __volatile__("rdtime %0" : "=r"(c) : : "memory");
	return c;
}

__asm__(".text\n.globl _start\n.type _start,%function\n_start:\n"
	"\tli ra, 0\n\tmv a0, sp\n\tcall harness_start\n\tunimp\n");

/* riscv has no SA_RESTORER: the kernel always returns through the vDSO's
 * __vdso_rt_sigreturn.  The harness's handler ends by jumping to ours. */
struct ksigaction { void (*handler)(int); unsigned long flags; uint64_t mask; };
#define ARCH_HAS_SA_RESTORER	0
/* A handler that counts, then tail-jumps (sp untouched = the signal frame) to the trampoline. */
#define ARCH_SIGTRAMP_HANDLER \
	__asm__(".text\n.globl tramp_handler\n.type tramp_handler,%function\ntramp_handler:\n" \
		"\tlla t0, sig_count\n\tlw t1, 0(t0)\n\taddi t1, t1, 1\n\tsw t1, 0(t0)\n" \
		"\tlla t0, sig_tramp\n\tld t0, 0(t0)\n\tjr t0\n")

#define V "LINUX_4.15"
static const struct export exports[] = {
	{ "__vdso_clock_gettime", V, K_CGT, VDSO_SYM___vdso_clock_gettime },
	{ "__vdso_gettimeofday", V, K_GTOD, VDSO_SYM___vdso_gettimeofday },
	{ "__vdso_clock_getres", V, K_GETRES, VDSO_SYM___vdso_clock_getres },
	{ "__vdso_getcpu", V, K_GETCPU, VDSO_SYM___vdso_getcpu },
	{ "__vdso_flush_icache", V, K_FLUSH, VDSO_SYM___vdso_flush_icache },
	{ "__vdso_rt_sigreturn", V, K_RTSIGRET, VDSO_SYM___vdso_rt_sigreturn },
};
#undef V
/* li a7, 139 (addi a7, zero, 139); ecall */
static const struct tramp tramps[] = {
	{ "__vdso_rt_sigreturn", VDSO_SYM___vdso_rt_sigreturn, "\x93\x08\xb0\x08\x73\x00\x00\x00", 8, "", 0 },
};
