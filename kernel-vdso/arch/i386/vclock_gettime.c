// SPDX-License-Identifier: MIT
/*
 * i386 vDSO time entry points, under the names Linux's 32-bit x86 vDSO
 * exports in version LINUX_2.6 (arch/x86/entry/vdso/vdso32/vdso32.lds.S):
 * __vdso_ names only.  time_t is 32 bits: clock_gettime, clock_getres,
 * gettimeofday and time use it (and overflow in 2038, as the system calls
 * they stand for do); clock_gettime64 and clock_getres_time64 take the
 * kernel's struct __kernel_timespec with 64-bit seconds.
 */

#include <vdso/time_types.h>	/* the user ABI types, ILP32 or LP64 */
#include "../../lib/gettimeofday.c"

int __vdso_clock_gettime(vdso_clockid_t clock, struct vdso_timespec *ts);
int __vdso_clock_gettime64(vdso_clockid_t clock, struct vdso_timespec64 *ts);
int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz);
vdso_time_t __vdso_time(vdso_time_t *t);
int __vdso_clock_getres(vdso_clockid_t clock, struct vdso_timespec *res);
int __vdso_clock_getres_time64(vdso_clockid_t clock, struct vdso_timespec64 *res);

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

vdso_time_t __vdso_time(vdso_time_t *t)
{
	return __cvdso_time(t);
}

int __vdso_clock_getres(vdso_clockid_t clock, struct vdso_timespec *res)
{
	return __cvdso_clock_getres(clock, res);
}

int __vdso_clock_getres_time64(vdso_clockid_t clock, struct vdso_timespec64 *res)
{
	return __cvdso_clock_getres_time64(clock, res);
}
