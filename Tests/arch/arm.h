/* SPDX-License-Identifier: MIT */
/* 32-bit arm (EABI) part of the freestanding vDSO harness (harness.c). */
#define ARCH_NAME	"arm"
#define ARCH_TIME64	1		/* time_t is 32-bit; clock_gettime64 takes 64-bit time */
#define ARCH_COUNTER	"cntvct"

#define NR_gettimeofday		78
#define NR_clock_gettime	263	/* 32-bit time */
#define NR_clock_getres		264
#define NR_clock_gettime64	403
#define NR_clock_getres_time64	406
#define NR_getpid		20
#define NR_kill			37
#define NR_rt_sigaction		174
#define NR_write		4
#define NR_exit_group		248
#define NR_mmap			192	/* mmap2: offset in pages */
#define NR_mprotect		125
#define NR_munmap		91

static inline long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r7 __asm__("r7") = n;
	register long r0 __asm__("r0") = a;
	register long r1 __asm__("r1") = b;
	register long r2 __asm__("r2") = c;
	register long r3 __asm__("r3") = d;
	register long r4 __asm__("r4") = e;
	register long r5 __asm__("r5") = f;
	__asm__ __volatile__("svc #0" : "+r"(r0) : "r"(r7), "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5) : "memory");
	return r0;
}

/* CNTVCT through CP15 (ARMv7 generic timer), after an ISB as in the vDSO. */
static inline uint64_t read_counter(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

__asm__(".text\n.globl _start\n.type _start,%function\n_start:\n"
	"\tmov fp, #0\n\tmov lr, #0\n\tmov r0, sp\n\tbl harness_start\n\tudf #0\n");

/* The run-time helpers clang calls for divisions on ARMv7-A (no libgcc here). */
uint64_t harness_udivmod64(uint64_t n, uint64_t d, uint64_t *rem);
unsigned __aeabi_uidiv(unsigned n, unsigned d);
unsigned __aeabi_uidiv(unsigned n, unsigned d) { return (unsigned)harness_udivmod64(n, d, 0); }
uint64_t __aeabi_uidivmod(unsigned n, unsigned d);
uint64_t __aeabi_uidivmod(unsigned n, unsigned d)	/* quotient in r0, remainder in r1 */
{
	uint64_t r, q = harness_udivmod64(n, d, &r);
	return (r << 32) | (uint32_t)q;
}
int __aeabi_idiv(int n, int d);
int __aeabi_idiv(int n, int d)
{
	unsigned un = n < 0 ? -(unsigned)n : (unsigned)n, ud = d < 0 ? -(unsigned)d : (unsigned)d;
	unsigned q = __aeabi_uidiv(un, ud);
	return (n < 0) != (d < 0) ? -(int)q : (int)q;
}
/* __aeabi_uldivmod: n in r0:r1, d in r2:r3 -> quotient r0:r1, remainder r2:r3. */
__asm__(".text\n.globl __aeabi_uldivmod\n.type __aeabi_uldivmod,%function\n__aeabi_uldivmod:\n"
	"\tpush {r4, lr}\n\tsub sp, sp, #16\n\tadd r4, sp, #8\n\tstr r4, [sp]\n"
	"\tbl harness_udivmod64\n\tldr r2, [sp, #8]\n\tldr r3, [sp, #12]\n"
	"\tadd sp, sp, #16\n\tpop {r4, pc}\n");

struct ksigaction { void (*handler)(int); unsigned long flags; void (*restorer)(void); uint64_t mask; };
#define ARCH_HAS_SA_RESTORER	1

/*
 * CNTVCT is optional on ARMv7 (generic timer extension, and user access
 * enabled by the kernel); QEMU's linux-user arm does not allow it.  Probe
 * with a SIGILL handler that skips the instruction (ucontext: the
 * sigcontext is 20 bytes in; trap_no, error_code, oldmask, then r0..r15 as
 * words 3..18 and cpsr as word 19).
 */
#define ARCH_PROBE_COUNTER	1
static volatile int counter_trapped;
#define UC_WORD(uc, n)	(((uint32_t *)((char *)(uc) + 20))[n])
static void probe_sigill(int sig, void *info, void *uc)
{
	(void)sig, (void)info;
	counter_trapped = 1;
	UC_WORD(uc, 18) += 4;
}

/*
 * Where the read traps, the harness then does what a kernel does with a
 * trapped counter read (Linux emulates CNTVCT reads it has to trap for CPU
 * errata): the SIGILL handler decodes the MRRC, writes a 62.5 MHz count
 * derived from CLOCK_MONOTONIC_RAW into Rt and Rt2 and steps over it.  The
 * vDSO's own counter path -- its ISB; MRRC, the mult/shift conversion, the
 * seqlock -- then runs for real under QEMU; each read is merely slow.
 *
 * MRRC p15, 1, Rt, Rt2, c14 is cond:1100 0101:Rt2:Rt:1111:0001:1110 in ARM
 * state (cond 1111 would be MRRC2).  The vDSO and this harness are built
 * with -marm and read the counter unconditionally (inline asm, no IT block),
 * so only that form is emulated; anything else fails the run loudly.
 */
#define ARCH_EMULATE_COUNTER	1
#define CNTVCT_MASK		0x0ff00fffu
#define CNTVCT_MRRC		0x0c500f1eu
#define EMULATED_HZ		62500000u	/* 16 ns a tick */
static void emulate_counter(int sig, void *info, void *uc)
{
	(void)sig, (void)info;
	uint32_t pc = UC_WORD(uc, 18);
	int thumb = (UC_WORD(uc, 19) >> 5) & 1;
	uint32_t insn = thumb ? 0 : *(const uint32_t *)pc;
	unsigned rt = (insn >> 12) & 15, rt2 = (insn >> 16) & 15;
	if ((insn & CNTVCT_MASK) != CNTVCT_MRRC || insn >> 28 == 15 || rt == 13 || rt == 15 || rt2 == 13 ||
	    rt2 == 15) {
		/* Not a counter read: a real illegal instruction; die of it. */
		static const char msg[] = "not ok - SIGILL on an instruction that is not MRRC CNTVCT: ";
		char hex[10];
		for (int i = 0; i < 8; i++)
			hex[i] = "0123456789abcdef"[(insn >> (28 - 4 * i)) & 15];
		hex[8] = '\n';
		sys6(NR_write, 1, (long)msg, sizeof msg - 1, 0, 0, 0);
		sys6(NR_write, 1, (long)hex, 9, 0, 0, 0);
		sys6(NR_exit_group, 1, 0, 0, 0, 0, 0);
	}
	struct { int64_t sec; int64_t nsec; } t;
	if (sys6(NR_clock_gettime64, 4 /* CLOCK_MONOTONIC_RAW */, (long)&t, 0, 0, 0, 0) != 0)
		t.sec = t.nsec = 0;	/* a stuck counter: the checks against the syscall fail */
	uint64_t ticks = ((uint64_t)t.sec * 1000000000u + (uint64_t)t.nsec) / (1000000000u / EMULATED_HZ);
	UC_WORD(uc, 3 + rt) = (uint32_t)ticks;
	UC_WORD(uc, 3 + rt2) = (uint32_t)(ticks >> 32);
	UC_WORD(uc, 18) = pc + 4;
}

#define V "LINUX_2.6"
static const struct export exports[] = {
	{ "__vdso_clock_gettime", V, K_CGT, VDSO_SYM___vdso_clock_gettime },
	{ "__vdso_clock_gettime64", V, K_CGT64, VDSO_SYM___vdso_clock_gettime64 },
	{ "__vdso_gettimeofday", V, K_GTOD, VDSO_SYM___vdso_gettimeofday },
	{ "__vdso_clock_getres", V, K_GETRES, VDSO_SYM___vdso_clock_getres },
};
#undef V
/* Linux's arm vDSO has no sigreturn trampoline (the kernel's sigpage has it). */
static const struct tramp tramps[1] = { { 0, 0, 0, 0, 0, 0 } };
#define NTRAMPS 0
