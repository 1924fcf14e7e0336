// SPDX-License-Identifier: MIT
/*
 * RISC-V vDSO time entry points, under the names Linux's riscv vDSO exports
 * in version LINUX_4.15 (arch/riscv/kernel/vdso/vdso.lds.S): __vdso_ names
 * only, no bare names and no time().
 */

/* The RV64 user ABI types (LP64). */
typedef int vdso_clockid_t;
typedef long vdso_time_t;

struct vdso_timespec {
	long tv_sec;
	long tv_nsec;
};

struct vdso_timeval {
	long tv_sec;
	long tv_usec;
};

struct vdso_timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

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
