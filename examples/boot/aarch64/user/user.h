/* SPDX-License-Identifier: MIT */
/*
 * The program's libc, such as it is: system calls, a line printer and the
 * vDSO symbol lookup (vdso_sym.c).  Freestanding.
 */
#ifndef BOOT_AARCH64_USER_H
#define BOOT_AARCH64_USER_H

typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT32_TYPE__ s32;
typedef __INT64_TYPE__ s64;
typedef __SIZE_TYPE__ size_t;

struct timespec { s64 tv_sec, tv_nsec; };
struct timeval { s64 tv_sec, tv_usec; };
struct timezone { s32 tz_minuteswest, tz_dsttime; };

#define CLOCK_REALTIME		0
#define CLOCK_MONOTONIC		1
#define CLOCK_MONOTONIC_RAW	4
#define CLOCK_REALTIME_COARSE	5
#define CLOCK_MONOTONIC_COARSE	6
#define CLOCK_BOOTTIME		7
#define CLOCK_TAI		11

#define EFAULT	14
#define EINVAL	22

/* Linux arm64 system calls: number in x8, arguments in x0-x5, SVC #0, result or -errno in x0. */
static inline long syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;

	__asm__ __volatile__("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			     : "memory");
	return x0;
}

/*
 * The time system calls this program makes itself, and those it makes the
 * vDSO make on purpose (an invalid clock id): at exit the kernel prints
 * how many it served, and `make qemu` checks the two agree -- every other
 * vDSO call was answered in user space.
 */
extern u64 time_syscalls;

static inline long time_syscall(long nr, long a, long b)
{
	time_syscalls++;
	return syscall6(nr, a, b, 0, 0, 0, 0);
}

#define sys_write(fd, buf, n)		syscall6(64, (fd), (long)(buf), (long)(n), 0, 0, 0)
#define sys_clock_gettime(c, ts)	time_syscall(113, (c), (long)(ts))
#define sys_clock_getres(c, ts)		time_syscall(114, (c), (long)(ts))
#define sys_getcpu(cpu, node)		syscall6(168, (long)(cpu), (long)(node), 0, 0, 0, 0)
#define sys_gettimeofday(tv, tz)	time_syscall(169, (long)(tv), (long)(tz))
#define sys_munmap(a, n)		syscall6(215, (long)(a), (long)(n), 0, 0, 0, 0)
#define sys_mmap(a, n, p, f)		syscall6(222, (long)(a), (long)(n), (p), (f), -1, 0)
#define sys_getrandom(b, n, f)		syscall6(278, (long)(b), (long)(n), (f), 0, 0, 0)

/* print.c: one line built up in a buffer, written by put_end(). */
void put_str(const char *s);
void put_dec(s64 v);
void put_hex(u64 v);
void put_end(void);
int str_eq(const char *a, const char *b);
int mem_eq(const void *a, const void *b, size_t n);

/* init.c: one TAP line per check; both return ok.  tap() leaves the line open for a description. */
int check(int ok, const char *what);
int tap(int ok);

/* The vDSO's routines, found by name and version. */
struct vdso_fns {
	int (*clock_gettime)(int clock, struct timespec *ts);
	int (*gettimeofday)(struct timeval *tv, struct timezone *tz);
	int (*clock_getres)(int clock, struct timespec *res);
	long (*getrandom)(void *buf, size_t len, unsigned flags, void *state, size_t state_len);
};
extern struct vdso_fns vdso;

/* clocks.c, rand.c, sig.c, fault.c */
void clock_checks(u64 vdso_base);
void tick_checks(void);
void random_checks(void);
void signal_checks(void *rt_sigreturn);
void fault_checks(u64 vdso_base);

/* vdso_sym.c */
struct vdso_info {
	u64 base;		/* where the image is mapped: AT_SYSINFO_EHDR */
	u64 bias;		/* base - the first PT_LOAD's p_vaddr */
	u64 limit;		/* one past the mapped bytes */
	const char *strtab;
	u64 strsz;
	const u8 *symtab;
	const u32 *hash, *gnu_hash;
	const u16 *versym;
	const u8 *verdef;
	u32 nsyms;
};
int vdso_open(struct vdso_info *v, u64 base);
void *vdso_sym_gnu(const struct vdso_info *v, const char *version, const char *name);
void *vdso_sym_sysv(const struct vdso_info *v, const char *version, const char *name);

#endif /* BOOT_AARCH64_USER_H */
