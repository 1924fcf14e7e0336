/* SPDX-License-Identifier: MIT */
/*
 * x86-64 hooks for the generic vDSO code (include/vdso/helpers.h,
 * lib/gettimeofday.c): the counter read, barriers, the 128-bit multiply,
 * the CPU number read for getcpu, and the raw system calls the generic code
 * falls back to.
 *
 * Freestanding: no libc header, no kernel header.  Everything here is
 * static inline and ends up inside the exported vDSO functions.
 */
#ifndef VDSOGEN_ASM_VDSO_H
#define VDSOGEN_ASM_VDSO_H

/*
 * vdso_chacha20_blocks is vgetrandom-chacha.S (SSE2), not lib/getrandom.c's
 * portable C (unless built with -DVDSO_CHACHA20_PORTABLE).
 */
#define VDSO_ARCH_CHACHA20	1

#ifndef __ASSEMBLER__

#ifndef VDSOGEN_VDSO_HELPERS_H
#error "include <vdso/helpers.h>, which provides __always_inline and friends"
#endif

#include <vdso/datapage.h>

/*
 * Barriers.  x86 is TSO: loads are not reordered with older loads, and
 * stores are not reordered with older stores, so the seqlock's read side
 * needs no fence instruction -- only a compiler barrier, to stop the
 * compiler from moving the data loads across the loads of ->seq.  (The
 * writer's smp_wmb() is likewise a compiler barrier on x86.)
 */
#define barrier()	__asm__ __volatile__("" : : : "memory")
#define smp_rmb()	barrier()

/* Spin-wait hint while a writer holds the sequence count odd. */
static __always_inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

/*
 * Read the TSC in program order.
 *
 * RDTSC is not ordered against earlier loads: the CPU may execute it
 * speculatively before the load of ->seq (or of ->cycle_last) has
 * completed.  The reader would then pair a counter value taken *before* a
 * concurrent update with the cycle_last/basetime written *by* that update:
 * a negative delta, i.e. time going backwards, which the seqlock cannot see
 * because ->seq itself read consistently.  A barrier in front of RDTSC makes
 * it behave like a load of a continuously updated memory location.
 *
 * Linux's rdtsc_ordered() patches itself at boot: RDTSCP where the CPU has
 * it, else LFENCE;RDTSC (X86_FEATURE_LFENCE_RDTSC), else plain RDTSC.  This
 * image is not patched by whoever maps it, so it cannot choose at run time,
 * and a hard-coded RDTSCP raises #UD on CPUs and virtual CPU models that
 * lack it (QEMU's qemu64/kvm64 models hide it).  LFENCE;RDTSC runs on
 * every x86-64 CPU.  LFENCE is dispatch-serialising on Intel, and on AMD
 * once the kernel has set the LFENCE-serialising bit in DE_CFG, as Linux
 * does at boot (X86_FEATURE_LFENCE_RDTSC).  It also leaves ECX alone, which
 * RDTSCP overwrites with TSC_AUX.
 */
static __always_inline vdso_u64 rdtsc_ordered(void)
{
	vdso_u32 lo, hi;

	/*
	 * No "memory" clobber.  The compiler keeps this after the ->seq
	 * load because the smp_rmb() between them is a volatile asm too, and
	 * volatile asm statements keep their order.  Loads of the other
	 * fields may move across it either way: the seqlock's retry catches
	 * any of them that an update overtook.
	 */
	__asm__ __volatile__("lfence\n\trdtsc" : "=a" (lo), "=d" (hi));
	return ((vdso_u64)hi << 32) | lo;
}

/*
 * The counter behind VDSO_CLOCKMODE_COUNTER is the TSC.  The generic code
 * only calls this after checking clock_mode, inside the seqlock.
 */
static __always_inline vdso_u64 __arch_get_hw_counter(vdso_s32 clock_mode,
						      const struct vdso_time_data *vd)
{
	vdso_u32 lo, hi, aux;

	(void)clock_mode;
	/*
	 * The kernel side tells us RDTSCP exists: it only selects the RDTSCP
	 * or RDPID cpu_mode on a CPU that has RDTSCP.  RDTSCP waits for every
	 * earlier instruction, loads included, so it is as ordered as
	 * LFENCE;RDTSC and a cycle or two cheaper -- what Linux's
	 * rdtsc_ordered() patches itself to.  The branch reads the same cache
	 * line as ->seq and is perfectly predicted.
	 */
	if (likely(READ_ONCE(vd->cpu_mode) != VDSO_CPUMODE_SYSCALL)) {
		__asm__ __volatile__("rdtscp" : "=a" (lo), "=d" (hi), "=c" (aux));
		return ((vdso_u64)hi << 32) | lo;
	}
	return rdtsc_ordered();
}

/*
 * ((a * mul) + b) >> shift with a 128-bit intermediate, for counter deltas
 * beyond max_cycles.  MUL gives the 128-bit product in RDX:RAX; the compiler
 * expands the add and the shift inline (ADD/ADC, SHRD), no libgcc call.
 */
static __always_inline vdso_u64 __arch_mul_u64_u32_add_u64_shr(vdso_u64 a, vdso_u32 mul,
								vdso_u64 b, vdso_u32 shift)
{
	unsigned __int128 t = (unsigned __int128)a * mul + b;

	return (vdso_u64)(t >> shift);
}
#define __arch_mul_u64_u32_add_u64_shr __arch_mul_u64_u32_add_u64_shr

/*
 * IA32_TSC_AUX, which the kernel loads on every CPU with
 * (node << 12) | cpu.  RDPID reads only that; RDTSCP reads it into ECX along
 * with the TSC in EDX:EAX.  Neither needs ordering: the result is stale the
 * moment the thread migrates anyway, which getcpu() callers accept.
 */
static __always_inline vdso_u32 __arch_rdpid(void)
{
	unsigned long aux;

	__asm__ __volatile__("rdpid %0" : "=r" (aux));
	return (vdso_u32)aux;
}

static __always_inline vdso_u32 __arch_rdtscp_aux(void)
{
	vdso_u32 lo, hi, aux;

	__asm__ __volatile__("rdtscp" : "=a" (lo), "=d" (hi), "=c" (aux));
	(void)lo;
	(void)hi;
	return aux;
}

#define VDSO_TSC_AUX_CPU_MASK	0xfffu
#define VDSO_TSC_AUX_NODE_SHIFT	12

/*
 * Raw system calls, the fallback for everything the data page does not
 * serve, so results and errors are exactly the kernel's.
 *
 * x86-64 convention: RAX = number, arguments in RDI, RSI, RDX (then R10,
 * R8, R9), result (or -errno) in RAX.  SYSCALL itself overwrites RCX (the
 * return RIP) and R11 (the saved RFLAGS), so both are clobbered; "memory"
 * because the kernel writes the caller's structures, which the compiler
 * must not keep cached in registers across the call.  SYSCALL does not
 * touch the user stack, so the red zone is safe.
 */
#define __NR_gettimeofday	96
#define __NR_time		201
#define __NR_clock_gettime	228
#define __NR_clock_getres	229
#define __NR_getcpu		309
#define __NR_getrandom		318

static __always_inline long vdso_syscall1(long nr, long a0)
{
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a" (ret)
			     : "0" (nr), "D" (a0)
			     : "rcx", "r11", "memory");
	return ret;
}

static __always_inline long vdso_syscall2(long nr, long a0, long a1)
{
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a" (ret)
			     : "0" (nr), "D" (a0), "S" (a1)
			     : "rcx", "r11", "memory");
	return ret;
}

static __always_inline long vdso_syscall3(long nr, long a0, long a1, long a2)
{
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a" (ret)
			     : "0" (nr), "D" (a0), "S" (a1), "d" (a2)
			     : "rcx", "r11", "memory");
	return ret;
}

/*
 * The fallbacks take untyped pointers: the kernel fills the caller's
 * structure in the x86-64 layout, which the entry points (vclock_gettime.c)
 * define; the generic code never looks inside it.
 */
static __always_inline long clock_gettime_fallback(vdso_s32 clock, void *ts)
{
	return vdso_syscall2(__NR_clock_gettime, clock, (long)ts);
}

static __always_inline long clock_getres_fallback(vdso_s32 clock, void *res)
{
	return vdso_syscall2(__NR_clock_getres, clock, (long)res);
}

static __always_inline long gettimeofday_fallback(void *tv, void *tz)
{
	return vdso_syscall2(__NR_gettimeofday, (long)tv, (long)tz);
}

static __always_inline long time_fallback(void *t)
{
	return vdso_syscall1(__NR_time, (long)t);
}

static __always_inline long getcpu_fallback(unsigned int *cpu, unsigned int *node, void *unused)
{
	return vdso_syscall3(__NR_getcpu, (long)cpu, (long)node, (long)unused);
}

/* getrandom(buf, len, flags): the re-key and every fallback of lib/getrandom.c. */
static __always_inline long getrandom_syscall(void *buf, unsigned long len, unsigned int flags)
{
	return vdso_syscall3(__NR_getrandom, (long)buf, (long)len, (long)flags);
}

#endif /* !__ASSEMBLER__ */

#endif /* VDSOGEN_ASM_VDSO_H */
