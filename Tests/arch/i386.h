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
#define NR_read			3
#define NR_close		6
#define NR_pipe			42
#define NR_pipe2		331
#define NR_fork			2
#define NR_wait4		114
#define NR_uname		122
#define NR_setitimer		104

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
	/* pushl %ecx; pushl %edx; pushl %ebp (Linux's prologue: the fast entries' convention) */
	{ "__kernel_vsyscall", VDSO_SYM___kernel_vsyscall, "\x51\x52\x55", 3, "", 0 },
	/* int $0x80 | int80_landing_pad: popl %ebp; popl %edx; popl %ecx; ret */
	{ "int80_landing_pad", VDSO_SYM_int80_landing_pad, "\x5d\x5a\x59\xc3", 4, "\xcd\x80", 2 },
};

/*
 * The i386 __kernel_vsyscall checks (harness.c, check_vsyscall): every
 * entry mode the kernel side may choose (datapage.h VDSO_SYSCALL_*).
 */
#define ARCH_VSYSCALL_MODES	1

/* CPUID leaf 0's vendor string and leaf 1's SEP bit (non-PIC: EBX is free). */
static inline void cpu_vendor(char v[12], int *sep)
{
	uint32_t a = 0, b, c, d;
	__asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	memcpy(v, &b, 4), memcpy(v + 4, &d, 4), memcpy(v + 8, &c, 4);
	a = 1;
	__asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "=c"(c), "=d"(d));
	*sep = (d >> 11) & 1;
}

/*
 * Call `entry` (__kernel_vsyscall) with EAX, EBX, ECX, EDX, ESI, EDI, EBP
 * from r[0..6]; store what they hold on return back into r[0..6].  EBP
 * cannot be an asm operand (frame pointer), hence a function of its own.
 */
struct vsys_regs { long eax, ebx, ecx, edx, esi, edi, ebp; };
void vsys_call(void *entry, struct vsys_regs *r);
__asm__(".text\n.globl vsys_call\n.type vsys_call,@function\nvsys_call:\n"
	"\tpushl %ebp\n\tpushl %ebx\n\tpushl %esi\n\tpushl %edi\n"
	"\tmovl 20(%esp), %eax\n\tmovl 24(%esp), %ecx\n"
	"\tpushl %ecx\n\tpushl %eax\n"
	"\tmovl 4(%ecx), %ebx\n\tmovl 12(%ecx), %edx\n\tmovl 16(%ecx), %esi\n"
	"\tmovl 20(%ecx), %edi\n\tmovl 24(%ecx), %ebp\n\tmovl 0(%ecx), %eax\n\tmovl 8(%ecx), %ecx\n"
	"\tcall *(%esp)\n"
	"\taddl $4, %esp\n"
	"\txchgl %ecx, (%esp)\n"
	"\tmovl %eax, 0(%ecx)\n\tmovl %ebx, 4(%ecx)\n\tmovl %edx, 12(%ecx)\n\tmovl %esi, 16(%ecx)\n"
	"\tmovl %edi, 20(%ecx)\n\tmovl %ebp, 24(%ecx)\n"
	"\tpopl %eax\n\tmovl %eax, 8(%ecx)\n"
	"\tpopl %edi\n\tpopl %esi\n\tpopl %ebx\n\tpopl %ebp\n\tret\n"
	".size vsys_call, .-vsys_call\n");
