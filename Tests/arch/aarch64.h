/* SPDX-License-Identifier: MIT */
/* arm64 part of the freestanding vDSO harness (harness.c): see x86 notes there. */
#define ARCH_NAME	"aarch64"
#define ARCH_TIME64	0		/* time_t is 64-bit: no *_time64 entry points */
#define ARCH_COUNTER	"cntvct_el0"

#include "asm-generic.h"

static inline long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;
	__asm__ __volatile__("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
	return x0;
}

static inline uint64_t read_counter(void)
{
	uint64_t c;
	__asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r"(c) : : "memory");
	return c;
}

__asm__(".text\n.globl _start\n.type _start,%function\n_start:\n"
	"\tmov x29, #0\n\tmov x30, #0\n\tmov x0, sp\n\tbl harness_start\n\tbrk #0\n");

/* struct sigaction as rt_sigaction(2) takes it on arm64 (has SA_RESTORER). */
struct ksigaction { void (*handler)(int); unsigned long flags; void (*restorer)(void); uint64_t mask; };
#define ARCH_HAS_SA_RESTORER	1

/* Exports (LINUX_2.6.39, Linux's arm64 names) and trampolines. */
#define V "LINUX_2.6.39"
static const struct export exports[] = {
	{ "__kernel_clock_gettime", V, K_CGT, VDSO_SYM___kernel_clock_gettime },
	{ "__kernel_gettimeofday", V, K_GTOD, VDSO_SYM___kernel_gettimeofday },
	{ "__kernel_clock_getres", V, K_GETRES, VDSO_SYM___kernel_clock_getres },
	{ "__kernel_rt_sigreturn", V, K_RTSIGRET, VDSO_SYM___kernel_rt_sigreturn },
};
#undef V
/* mov x8, #139; svc #0 -- preceded by a NOP (see sigreturn.c). */
static const struct tramp tramps[] = {
	{ "__kernel_rt_sigreturn", VDSO_SYM___kernel_rt_sigreturn,
	  "\x68\x11\x80\xd2\x01\x00\x00\xd4", 8, "\x1f\x20\x03\xd5", 4 },
};
