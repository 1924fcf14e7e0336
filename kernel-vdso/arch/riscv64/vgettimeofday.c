// SPDX-License-Identifier: MIT
/*
 * RISC-V vDSO time entry points, under the names Linux's riscv vDSO exports
 * in version LINUX_4.15 (arch/riscv/kernel/vdso/vdso.lds.S): __vdso_ names
 * only, no bare names and no time().
 */

#include <vdso/time_types.h>	/* the user ABI types, ILP32 or LP64 */
#include "../../lib/gettimeofday.c"

int __vdso_clock_gettime(vdso_clockid_t clock, struct vdso_timespec *ts);
int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz);
int __vdso_clock_getres(vdso_clockid_t clock, struct vdso_timespec *res);

int __vdso_clock_gettime(vdso_clockid_t clock, struct vdso_timespec *ts)
{
	return __cvdso_clock_gettime(clock, ts);
}

int __vdso_gettimeofday(struct vdso_timeval *tv, struct vdso_timezone *tz)
{
	return __cvdso_gettimeofday(tv, tz);
}

int __vdso_clock_getres(vdso_clockid_t clock, struct vdso_timespec *res)
{
	return __cvdso_clock_getres(clock, res);
}
