/* SPDX-License-Identifier: MIT */
/*
 * arm64 hooks for the generic vDSO code (include/vdso/helpers.h,
 * lib/gettimeofday.c): barriers, the counter read and the raw system calls
 * the generic code falls back to.  Freestanding, all static inline.
 */
#ifndef VDSOGEN_ASM_VDSO_H
#define VDSOGEN_ASM_VDSO_H

/*
 * vdso_chacha20_blocks is vgetrandom-chacha.S (NEON), not lib/getrandom.c's
 * portable C (unless built with -DVDSO_CHACHA20_PORTABLE).
 */
#define VDSO_ARCH_CHACHA20	1

#ifndef __ASSEMBLER__

#ifndef VDSOGEN_VDSO_HELPERS_H
#error "include <vdso/helpers.h>, which provides __always_inline and friends"
#endif

#include <vdso/datapage.h>

/*
 * Barriers.  arm64 is weakly ordered: the seqlock's read side needs real
 * load-load ordering.  DMB ISHLD orders every earlier load before every
 * later load and store (Linux's smp_rmb() on arm64), pairing with the
 * writer's smp_wmb().
 */
#define barrier()	__asm__ __volatile__("" : : : "memory")
#define smp_rmb()	__asm__ __volatile__("dmb ishld" : : : "memory")

static __always_inline void cpu_relax(void)
{
	__asm__ __volatile__("yield" : : : "memory");
}

/*
 * The generic timer's virtual count, CNTVCT_EL0 (EL0 access is enabled by
 * the kernel through CNTKCTL_EL1.EL0VCTEN; Linux keeps it on).
 *
 * ISB first: reads of CNTVCT_EL0 are not ordered with the instructions
 * before them and may be executed speculatively, early -- before the load
 * of ->seq or ->cycle_last has completed.  A counter value taken before a
 * concurrent update, combined with the cycle_last and basetime that update
 * wrote, is a negative delta: time going backwards, which the seqlock does
 * not catch because ->seq itself read consistently.  The ISB makes the
 * counter read wait until everything before it has completed (Linux's
 * __arch_get_hw_counter() has the same ISB).
 *
 * After the read, a fake address dependency on the value: a load from
 * [sp + (cnt ^ cnt)] cannot issue before the counter is read, and the DMB
 * ISHLD in the seqlock's retry check orders that load before the second
 * read of ->seq.  Without it the re-read of ->seq could complete before
 * the counter is sampled, and an update in between would go unnoticed
 * (Linux's arch_counter_enforce_ordering()).
 *
 * Under VDSO_CLOCKMODE_COUNTER_EDGE the value returned is the first one
 * after the counter has moved (on hardware that would cost up to a tick,
 * tens of ns at a 24 MHz CNTFRQ, so a kernel sets it only for a counter
 * that steps coarsely).  Under qemu-user, where the counter is the host's
 * REALTIME in whole microseconds (kernel-vdso/host/qemu_counter.c), a value read at
 * random only names its microsecond, and a system call made a few hundred
 * ns before or after the read may fall in the same one: no time the image
 * computes from it is ordered with both.  The first value of a new
 * microsecond was read within one loop (~50 ns) after that microsecond
 * began, so its start is the time of the read to within that loop: after
 * any system call that returned before the first read, before any made
 * after the last one.
 */
/* CNTVCT_EL0 read as it is, or at its next edge (datapage.h). */
#define __arch_counter_mode(mode)	\
	((mode) == VDSO_CLOCKMODE_COUNTER || (mode) == VDSO_CLOCKMODE_COUNTER_EDGE)

static __always_inline vdso_u64 __arch_get_hw_counter(vdso_s32 clock_mode,
						      const struct vdso_time_data *vd)
{
	vdso_u64 cnt, tmp;

	(void)vd;
	__asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r" (cnt) : : "memory");
	if (clock_mode == VDSO_CLOCKMODE_COUNTER_EDGE) {
		vdso_u64 first = cnt;

		do
			__asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r" (cnt) : : "memory");
		while (cnt == first);
	}
	__asm__ __volatile__("eor %0, %1, %1\n\t"
			     "add %0, sp, %0\n\t"
			     "ldr xzr, [%0]"
			     : "=r" (tmp) : "r" (cnt));
	return cnt;
}

/*
 * Raw system calls.  arm64 convention: X8 = number, arguments in X0-X5,
 * SVC #0, result (or -errno) in X0.  The kernel preserves every other
 * register; "memory" because it writes the caller's structures.
 * Numbers are asm-generic's (include/uapi/asm-generic/unistd.h).
 */
#define __NR_clock_gettime	113
#define __NR_clock_getres	114
#define __NR_gettimeofday	169
#define __NR_rt_sigreturn	139
#define __NR_getrandom		278

static __always_inline long vdso_syscall2(long nr, long a0, long a1)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;

	__asm__ __volatile__("svc #0" : "+r" (x0) : "r" (x8), "r" (x1) : "memory");
	return x0;
}

static __always_inline long vdso_syscall3(long nr, long a0, long a1, long a2)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;

	__asm__ __volatile__("svc #0" : "+r" (x0) : "r" (x8), "r" (x1), "r" (x2) : "memory");
	return x0;
}

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

/*
 * arm64 has no time() system call and its vDSO exports no time(); the
 * generic __cvdso_time() is never instantiated here.  Should it be, the
 * kernel's time() is the coarse realtime seconds.
 */
static __always_inline long time_fallback(long *t)
{
	struct { long sec, nsec; } ts;
	long r = vdso_syscall2(__NR_clock_gettime, VDSO_CLOCK_REALTIME_COARSE, (long)&ts);

	if (r)
		return r;
	if (t)
		*t = ts.sec;
	return ts.sec;
}

/* getrandom(buf, len, flags): the re-key and every fallback of lib/getrandom.c. */
static __always_inline long getrandom_syscall(void *buf, unsigned long len, unsigned int flags)
{
	return vdso_syscall3(__NR_getrandom, (long)buf, (long)len, (long)flags);
}

#endif /* !__ASSEMBLER__ */

#endif /* VDSOGEN_ASM_VDSO_H */
