/* SPDX-License-Identifier: MIT */
/*
 * 32-bit arm (ARMv7-A, EABI) hooks for the generic vDSO code
 * (include/vdso/helpers.h, lib/gettimeofday.c): barriers, the counter read
 * and the raw system calls the generic code falls back to.  Freestanding,
 * all static inline.
 */
#ifndef VDSOGEN_ASM_VDSO_H
#define VDSOGEN_ASM_VDSO_H

#ifndef __ASSEMBLER__

#ifndef VDSOGEN_VDSO_HELPERS_H
#error "include <vdso/helpers.h>, which provides __always_inline and friends"
#endif

#include <vdso/datapage.h>

/* ARMv7 is weakly ordered: DMB ISH is Linux's smp_rmb() on arm. */
#define barrier()	__asm__ __volatile__("" : : : "memory")
#define smp_rmb()	__asm__ __volatile__("dmb ish" : : : "memory")

static __always_inline void cpu_relax(void)
{
	barrier();
}

/*
 * The ARMv7 generic timer's virtual count, CNTVCT, read through CP15 with
 * MRRC (64 bits in two registers).  Only CPUs with the generic timer
 * extension have it, and only kernels that enable user access
 * (CNTKCTL.PL0VCTEN) let it be read: on any other, the kernel side must set
 * clock_mode VDSO_CLOCKMODE_NONE, and this instruction is never reached
 * (it would be undefined there).  The ISB keeps the read from being
 * executed early, before the seqlock loads (see the arm64 header; Linux's
 * arm vDSO has the same ISB).
 */
static __always_inline vdso_u64 __arch_get_hw_counter(vdso_s32 clock_mode,
						      const struct vdso_time_data *vd)
{
	vdso_u32 lo, hi;

	(void)clock_mode;
	(void)vd;
	__asm__ __volatile__("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r" (lo), "=r" (hi) : : "memory");
	return ((vdso_u64)hi << 32) | lo;
}

/*
 * Raw system calls, EABI convention: R7 = number, arguments in R0-R5,
 * SVC #0, result (or -errno) in R0; every other register is preserved.
 * Numbers are arm's (arch/arm/tools/syscall.tbl): clock_gettime and
 * clock_getres take the 32-bit struct old_timespec32, the *_time64 ones
 * struct __kernel_timespec.
 */
#define __NR_time			13	/* OABI only; not in EABI kernels */
#define __NR_gettimeofday		78
#define __NR_clock_gettime		263
#define __NR_clock_getres		264
#define __NR_clock_gettime64		403
#define __NR_clock_getres_time64	406

static __always_inline long vdso_syscall2(long nr, long a0, long a1)
{
	register long r7 __asm__("r7") = nr;
	register long r0 __asm__("r0") = a0;
	register long r1 __asm__("r1") = a1;

	__asm__ __volatile__("svc #0" : "+r" (r0) : "r" (r7), "r" (r1) : "memory");
	return r0;
}

static __always_inline long clock_gettime_fallback(vdso_s32 clock, void *ts)
{
	return vdso_syscall2(__NR_clock_gettime, clock, (long)ts);
}

static __always_inline long clock_getres_fallback(vdso_s32 clock, void *res)
{
	return vdso_syscall2(__NR_clock_getres, clock, (long)res);
}

static __always_inline long clock_gettime64_fallback(vdso_s32 clock, void *ts)
{
	return vdso_syscall2(__NR_clock_gettime64, clock, (long)ts);
}

static __always_inline long clock_getres_time64_fallback(vdso_s32 clock, void *res)
{
	return vdso_syscall2(__NR_clock_getres_time64, clock, (long)res);
}

static __always_inline long gettimeofday_fallback(void *tv, void *tz)
{
	return vdso_syscall2(__NR_gettimeofday, (long)tv, (long)tz);
}

/*
 * EABI kernels have no time() system call and arm's vDSO exports no
 * time(); the generic __cvdso_time() is never instantiated here.  Should it
 * be, the kernel's time() is the coarse realtime seconds.
 */
static __always_inline long time_fallback(long *t)
{
	struct { long long sec, nsec; } ts;
	long r = vdso_syscall2(__NR_clock_gettime64, VDSO_CLOCK_REALTIME_COARSE, (long)&ts);

	if (r)
		return r;
	if (t)
		*t = (long)ts.sec;
	return (long)ts.sec;
}

#endif /* !__ASSEMBLER__ */

#endif /* VDSOGEN_ASM_VDSO_H */
