// SPDX-License-Identifier: MIT
/*
 * 32-bit arm vDSO entry points, under the names Linux's arm vDSO exports in
 * version LINUX_2.6 (arch/arm/vdso/vdso.lds.S): __vdso_ names only.
 * time_t is 32 bits: clock_gettime, clock_getres and gettimeofday use it;
 * clock_gettime64 takes struct __kernel_timespec (64-bit seconds).  Linux's
 * arm vDSO has no time(), no clock_getres_time64 and no sigreturn
 * trampoline (the kernel's sigpage holds those).
 */

#include <vdso/time_types.h>	/* the user ABI types, ILP32 or LP64 */
#include "../../lib/gettimeofday.c"

int __vdso_clock_gettime(vdso_clockid_t clock, struct vdso_timespec *ts);
int __vdso_clock_gettime64(vdso_clockid_t clock, struct vdso_timespec64 *ts);
int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz);
int __vdso_clock_getres(vdso_clockid_t clock, struct vdso_timespec *res);

int __vdso_clock_gettime(vdso_clockid_t clock, struct vdso_timespec *ts)
{
	return __cvdso_clock_gettime(clock, ts);
}

int __vdso_clock_gettime64(vdso_clockid_t clock, struct vdso_timespec64 *ts)
{
	return __cvdso_clock_gettime64(clock, ts);
}

int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	return __cvdso_gettimeofday(tv, tz);
}

int __vdso_clock_getres(vdso_clockid_t clock, struct vdso_timespec *res)
{
	return __cvdso_clock_getres(clock, res);
}
