// SPDX-License-Identifier: MIT
/*
 * arm64 vDSO time entry points, under the names Linux's arm64 vDSO exports
 * in version LINUX_2.6.39 (arch/arm64/kernel/vdso/vdso.lds.S): the
 * __kernel_ names only -- arm64 has no __vdso_ or bare names, no time()
 * and no getcpu().
 */

#include <vdso/time_types.h>	/* the user ABI types, ILP32 or LP64 */
#include "../../lib/gettimeofday.c"

int __kernel_clock_gettime(vdso_clockid_t clock, struct vdso_timespec *ts);
int __kernel_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz);
int __kernel_clock_getres(vdso_clockid_t clock, struct vdso_timespec *res);

int __kernel_clock_gettime(vdso_clockid_t clock, struct vdso_timespec *ts)
{
	return __cvdso_clock_gettime(clock, ts);
}

int __kernel_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	return __cvdso_gettimeofday(tv, tz);
}

int __kernel_clock_getres(vdso_clockid_t clock, struct vdso_timespec *res)
{
	return __cvdso_clock_getres(clock, res);
}
