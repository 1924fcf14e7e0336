/* SPDX-License-Identifier: MIT */
/* i386 part of the freestanding vDSO harness (harness.c); runs natively on an
 * x86-64 kernel with IA32 emulation, else under qemu-i386-static. */
#define ARCH_NAME	"i386"
#define ARCH_TIME64	1
#define ARCH_COUNTER	"TSC"

#define NR_time			13
#define NR_getpid		20
#define NR_kill			37
#define NR_gettimeofday		78
#define NR_sigreturn		119
#define NR_rt_sigreturn		173
#define NR_rt_sigaction		174
#define NR_clock_gettime	265	/* 32-bit time */
#define NR_clock_getres		266
#define NR_getcpu		318
#define NR_clock_gettime64	403
#define NR_clock_getres_time64	406
#define NR_write		4
#define NR_exit_group		252
#define NR_mmap			192	/* mmap2 */
#define NR_mprotect		125
#define NR_munmap		91

/* int $0x80: EAX = number, EBX, ECX, EDX, ESI, EDI, EBP.  EBP cannot be an
 * asm operand while it may be the frame pointer: pass it through memory. */
static inline long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	long args[3] = { f, a, n };
	long ret;
	__asm__ __volatile__("pushl %%ebp\n\tpushl %%ebx\n\t"
			     "movl 0(%%eax), %%ebp\n\tmovl 4(%%eax), %%ebx\n\tmovl 8(%%eax), %%eax\n\t"
			     "int $0x80\n\tpopl %%ebx\n\tpopl %%ebp"
			     : "=a"(ret)
			     : "a"(args), "c"(b), "d"(c), "S"(d), "D"(e)
			     : "memory");
	return ret;
}

static inline uint64_t read_counter(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

__asm__(".text\n.globl _start\n.type _start,@function\n_start:\n"
	"\txorl %ebp, %ebp\n\tmovl %esp, %eax\n\tandl $-16, %esp\n\tsubl $12, %esp\n"
	"\tpushl %eax\n\tcall harness_start\n\thlt\n");

/* libgcc's 64-bit division helpers, which clang calls on i386. */
uint64_t harness_udivmod64(uint64_t n, uint64_t d, uint64_t *rem);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __udivdi3(uint64_t n, uint64_t d) { return harness_udivmod64(n, d, 0); }
uint64_t __umoddi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d) { uint64_t r; harness_udivmod64(n, d, &r); return r; }

struct ksigaction { void (*handler)(int); unsigned long flags; void (*restorer)(void); uint64_t mask; };
#define ARCH_HAS_SA_RESTORER	1

#define V "LINUX_2.6"
#define V5 "LINUX_2.5"
static const struct export exports[] = {
	{ "__vdso_clock_gettime", V, K_CGT, VDSO_SYM___vdso_clock_gettime },
	{ "__vdso_clock_gettime64", V, K_CGT64, VDSO_SYM___vdso_clock_gettime64 },
	{ "__vdso_gettimeofday", V, K_GTOD, VDSO_SYM___vdso_gettimeofday },
	{ "__vdso_time", V, K_TIME, VDSO_SYM___vdso_time },
	{ "__vdso_clock_getres", V, K_GETRES, VDSO_SYM___vdso_clock_getres },
	{ "__vdso_clock_getres_time64", V, K_GETRES64, VDSO_SYM___vdso_clock_getres_time64 },
	{ "__vdso_getcpu", V, K_GETCPU, VDSO_SYM___vdso_getcpu },
	{ "__kernel_vsyscall", V5, K_VSYSCALL, VDSO_SYM___kernel_vsyscall },
	{ "__kernel_sigreturn", V5, K_SIGRET, VDSO_SYM___kernel_sigreturn },
	{ "__kernel_rt_sigreturn", V5, K_RTSIGRET, VDSO_SYM___kernel_rt_sigreturn },
};
#undef V
#undef V5
static const struct tramp tramps[] = {
	/* popl %eax; movl $119, %eax; int $0x80 */
	{ "__kernel_sigreturn", VDSO_SYM___kernel_sigreturn, "\x58\xb8\x77\x00\x00\x00\xcd\x80", 8, "", 0 },
	/* movl $173, %eax; int $0x80 */
	{ "__kernel_rt_sigreturn", VDSO_SYM___kernel_rt_sigreturn, "\xb8\xad\x00\x00\x00\xcd\x80", 7, "", 0 },
	/* int $0x80; ret */
	{ "__kernel_vsyscall", VDSO_SYM___kernel_vsyscall, "\xcd\x80\xc3", 3, "", 0 },
};
