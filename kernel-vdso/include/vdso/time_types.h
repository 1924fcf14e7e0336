/* SPDX-License-Identifier: MIT */
/*
 * The user ABI time types the generic code (lib/gettimeofday.c) fills, as
 * Linux's uapi defines them for every architecture vdsogen builds:
 *
 *	vdso_timespec, vdso_timeval	struct __kernel_old_timespec and
 *					__kernel_old_timeval: `long` fields,
 *					32 bits on ILP32 (i386, arm), 64 on LP64
 *	vdso_timezone			struct timezone: two ints
 *	vdso_timespec64			struct __kernel_timespec: 64-bit fields
 *					on every ABI; only 32-bit ABIs need it
 *					(VDSO_HAS_TIME64), for clock_gettime64
 *
 * An architecture entry file includes this, then lib/gettimeofday.c.  One
 * whose ABI differs (x32's 64-bit time_t with 32-bit long, say) defines its
 * own types instead.
 */
#ifndef VDSOGEN_VDSO_TIME_TYPES_H
#define VDSOGEN_VDSO_TIME_TYPES_H

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

#if __SIZEOF_LONG__ == 4
#define VDSO_HAS_TIME64 1
struct vdso_timespec64 {
	long long tv_sec;
	long long tv_nsec;
};
#endif

#endif /* VDSOGEN_VDSO_TIME_TYPES_H */
