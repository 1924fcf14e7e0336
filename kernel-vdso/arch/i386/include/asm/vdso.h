/* SPDX-License-Identifier: MIT */
/*
 * i386 hooks for the generic vDSO code (include/vdso/helpers.h,
 * lib/gettimeofday.c): the data-page address, barriers, the counter read,
 * and the raw system calls the generic code falls back to.  Freestanding,
 * all static inline.  The same image runs on a 32-bit kernel and, as the
 * compat vDSO, on an x86-64 kernel.
 */
#ifndef VDSOGEN_ASM_VDSO_H
#define VDSOGEN_ASM_VDSO_H

#ifndef __ASSEMBLER__

#ifndef VDSOGEN_VDSO_HELPERS_H
#error "include <vdso/helpers.h>, which provides __always_inline and friends"
#endif

#include <vdso/datapage.h>

/* x86 is TSO: the seqlock read side needs compiler barriers only (see x86_64). */
#define barrier()	__asm__ __volatile__("" : : : "memory")
#define smp_rmb()	barrier()

static __always_inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

/*
 * The data page's address without the GOT.  i386 has no PC-relative data
 * addressing: -fPIC code would compute the GOT's address and use
 * vdso_time_data@GOTOFF, and naming _GLOBAL_OFFSET_TABLE_ makes ld.lld emit
 * a writable .got.plt, which a vDSO must not have.  Instead: the address of
 * a label (CALL/POP) plus the link-time constant vdso_time_data - label, an
 * R_386_PC32 the linker resolves.  Not volatile: the compiler computes it
 * once per function.  The CFI keeps unwinding exact across the push.
 */
static __always_inline const struct vdso_time_data *__arch_get_vdso_data(void)
{
	const struct vdso_time_data *p;

	__asm__("call 1f\n"
		"1:\t.cfi_adjust_cfa_offset 4\n\t"
		"popl %0\n\t"
		".cfi_adjust_cfa_offset -4\n\t"
		"addl $vdso_time_data - 1b, %0"
		: "=r" (p));
	return p;
}
#define __arch_get_vdso_data __arch_get_vdso_data

/*
 * No calls at all: clang's i386 -fPIC code loads EBX with the GOT's address
 * (naming _GLOBAL_OFFSET_TABLE_) before every call, even to a static
 * function.  The generic code's one out-of-line helper, the rare seconds
 * division, is inlined instead.
 */
#define VDSO_SLOWPATH_INLINE	__always_inline

/*
 * The TSC in program order: LFENCE;RDTSC, as on x86-64 (see there for why
 * not RDTSCP).  "=A" is EDX:EAX on i386.
 */
static __always_inline vdso_u64 __arch_get_hw_counter(vdso_s32 clock_mode,
						      const struct vdso_time_data *vd)
{
	vdso_u64 tsc;

	(void)clock_mode;
	(void)vd;
	__asm__ __volatile__("lfence\n\trdtsc" : "=A" (tsc));
	return tsc;
}

/* IA32_TSC_AUX = (node << 12) | cpu, for getcpu (see x86_64's header). */
static __always_inline vdso_u32 __arch_rdpid(void)
{
	vdso_u32 aux;

	__asm__ __volatile__("rdpid %0" : "=r" (aux));
	return aux;
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
 * Raw system calls through INT $0x80, which every x86 kernel (and an x86-64
 * kernel with IA32 emulation) accepts: EAX = number, arguments in EBX, ECX,
 * EDX, result (or -errno) in EAX; every other register is preserved.
 * (Linux's own fallbacks call __kernel_vsyscall, which picks SYSENTER or
 * SYSCALL; here __kernel_vsyscall is INT $0x80 too.)  Numbers are i386's
 * (arch/x86/entry/syscalls/syscall_32.tbl): clock_gettime and clock_getres
 * take the 32-bit struct old_timespec32, the *_time64 ones struct
 * __kernel_timespec.
 */
#define __NR_time			13
#define __NR_gettimeofday		78
#define __NR_sigreturn			119
#define __NR_rt_sigreturn		173
#define __NR_clock_gettime		265
#define __NR_clock_getres		266
#define __NR_getcpu			318
#define __NR_clock_gettime64		403
#define __NR_clock_getres_time64	406

static __always_inline long vdso_syscall3(long nr, long a0, long a1, long a2)
{
	long ret;

	__asm__ __volatile__("int $0x80"
			     : "=a" (ret)
			     : "0" (nr), "b" (a0), "c" (a1), "d" (a2)
			     : "memory");
	return ret;
}

static __always_inline long clock_gettime_fallback(vdso_s32 clock, void *ts)
{
	return vdso_syscall3(__NR_clock_gettime, clock, (long)ts, 0);
}

static __always_inline long clock_getres_fallback(vdso_s32 clock, void *res)
{
	return vdso_syscall3(__NR_clock_getres, clock, (long)res, 0);
}

static __always_inline long clock_gettime64_fallback(vdso_s32 clock, void *ts)
{
	return vdso_syscall3(__NR_clock_gettime64, clock, (long)ts, 0);
}

static __always_inline long clock_getres_time64_fallback(vdso_s32 clock, void *res)
{
	return vdso_syscall3(__NR_clock_getres_time64, clock, (long)res, 0);
}

static __always_inline long gettimeofday_fallback(void *tv, void *tz)
{
	return vdso_syscall3(__NR_gettimeofday, (long)tv, (long)tz, 0);
}

static __always_inline long time_fallback(void *t)
{
	return vdso_syscall3(__NR_time, (long)t, 0, 0);
}

static __always_inline long getcpu_fallback(unsigned int *cpu, unsigned int *node, void *unused)
{
	return vdso_syscall3(__NR_getcpu, (long)cpu, (long)node, (long)unused);
}

#endif /* !__ASSEMBLER__ */

#endif /* VDSOGEN_ASM_VDSO_H */
