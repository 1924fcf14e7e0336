// SPDX-License-Identifier: MIT
/*
 * x86-64 vDSO time entry points.
 *
 * Exported under the names Linux's x86-64 vDSO uses, in version LINUX_2.6:
 * the __vdso_ names, and the bare names as weak aliases of them (some
 * libcs and language runtimes look up one, some the other).
 */

#include <vdso/time_types.h>	/* the user ABI types, ILP32 or LP64 */
#include "../../lib/gettimeofday.c"

int __vdso_clock_gettime(vdso_clockid_t clock, struct vdso_timespec *ts);
int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz);
vdso_time_t __vdso_time(vdso_time_t *t);
int __vdso_clock_getres(vdso_clockid_t clock, struct vdso_timespec *res);

int __vdso_clock_gettime(vdso_clockid_t clock, struct vdso_timespec *ts)
{
	return __cvdso_clock_gettime(clock, ts);
}

int clock_gettime(vdso_clockid_t, struct vdso_timespec *)
	__attribute__((weak, alias("__vdso_clock_gettime")));

int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	return __cvdso_gettimeofday(tv, tz);
}

int gettimeofday(struct vdso_timeval *, struct vdso_timezone *)
	__attribute__((weak, alias("__vdso_gettimeofday")));

vdso_time_t __vdso_time(vdso_time_t *t)
{
	return __cvdso_time(t);
}

vdso_time_t time(vdso_time_t *)
	__attribute__((weak, alias("__vdso_time")));

int __vdso_clock_getres(vdso_clockid_t clock, struct vdso_timespec *res)
{
	return __cvdso_clock_getres(clock, res);
}

int clock_getres(vdso_clockid_t, struct vdso_timespec *)
	__attribute__((weak, alias("__vdso_clock_getres")));
