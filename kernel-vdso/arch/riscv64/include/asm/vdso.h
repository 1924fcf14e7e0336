/* SPDX-License-Identifier: MIT */
/*
 * RISC-V (RV64) hooks for the generic vDSO code (include/vdso/helpers.h,
 * lib/gettimeofday.c): barriers, the counter read and the raw system calls
 * the generic code falls back to.  Freestanding, all static inline.
 */
#ifndef VDSOGEN_ASM_VDSO_H
#define VDSOGEN_ASM_VDSO_H

#ifndef __ASSEMBLER__

#ifndef VDSOGEN_VDSO_HELPERS_H
#error "include <vdso/helpers.h>, which provides __always_inline and friends"
#endif

#include <vdso/datapage.h>

/*
 * Barriers.  RVWMO is weakly ordered: FENCE R,R orders earlier loads before
 * later loads (Linux's smp_rmb() on RISC-V), pairing with the writer's
 * smp_wmb().
 */
#define barrier()	__asm__ __volatile__("" : : : "memory")
#define smp_rmb()	__asm__ __volatile__("fence r, r" : : : "memory")

/*
 * PAUSE (Zihintpause), spelled as its encoding (FENCE W,0) so that any
 * assembler takes it; a core without the extension executes it as a
 * harmless FENCE.
 */
static __always_inline void cpu_relax(void)
{
	__asm__ __volatile__(".4byte 0x0100000f" : : : "memory");
}

/*
 * The counter is the `time` CSR (RDTIME), a constant-rate, platform-wide
 * counter the kernel makes readable in user mode (scounteren.TM) at the
 * frequency the device tree gives as timebase-frequency.  Like Linux's
 * __arch_get_hw_counter() on RISC-V, no fence: the CSR read is not
 * speculated past the preceding seqlock load and FENCE R,R here.
 */
static __always_inline vdso_u64 __arch_get_hw_counter(vdso_s32 clock_mode,
						      const struct vdso_time_data *vd)
{
	vdso_u64 t;

	(void)clock_mode;
	(void)vd;
	__asm__ __volatile__("rdtime %0" : "=r" (t) : : "memory");
	return t;
}

/*
 * Raw system calls.  RISC-V convention: A7 = number, arguments in A0-A5,
 * ECALL, result (or -errno) in A0; every other register is preserved.
 * Numbers are asm-generic's; riscv_flush_icache is the first
 * architecture-specific one (__NR_arch_specific_syscall + 15).
 */
#define __NR_clock_gettime	113
#define __NR_clock_getres	114
#define __NR_rt_sigreturn	139
#define __NR_getcpu		168
#define __NR_gettimeofday	169
#define __NR_riscv_flush_icache	259

static __always_inline long vdso_syscall3(long nr, long a0, long a1, long a2)
{
	register long a7 __asm__("a7") = nr;
	register long r0 __asm__("a0") = a0;
	register long r1 __asm__("a1") = a1;
	register long r2 __asm__("a2") = a2;

	__asm__ __volatile__("ecall" : "+r" (r0) : "r" (a7), "r" (r1), "r" (r2) : "memory");
	return r0;
}

static __always_inline long clock_gettime_fallback(vdso_s32 clock, void *ts)
{
	return vdso_syscall3(__NR_clock_gettime, clock, (long)ts, 0);
}

static __always_inline long clock_getres_fallback(vdso_s32 clock, void *res)
{
	return vdso_syscall3(__NR_clock_getres, clock, (long)res, 0);
}

static __always_inline long gettimeofday_fallback(void *tv, void *tz)
{
	return vdso_syscall3(__NR_gettimeofday, (long)tv, (long)tz, 0);
}

/*
 * RISC-V has no time() system call and its vDSO exports no time(); the
 * generic __cvdso_time() is never instantiated here.  Should it be, the
 * kernel's time() is the coarse realtime seconds.
 */
static __always_inline long time_fallback(long *t)
{
	struct { long sec, nsec; } ts;
	long r = vdso_syscall3(__NR_clock_gettime, VDSO_CLOCK_REALTIME_COARSE, (long)&ts, 0);

	if (r)
		return r;
	if (t)
		*t = ts.sec;
	return ts.sec;
}

#endif /* !__ASSEMBLER__ */

#endif /* VDSOGEN_ASM_VDSO_H */
