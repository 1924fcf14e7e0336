/* /init's system calls (Linux x86-64 numbers) and the little it needs of a libc. */
#ifndef BOOT_INIT_SYS_H
#define BOOT_INIT_SYS_H

typedef __UINT8_TYPE__ u8;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT64_TYPE__ s64;
typedef __SIZE_TYPE__ size_t;

struct ts { s64 sec, nsec; };
struct tv { s64 sec, usec; };

static inline long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ __volatile__("syscall" : "=a"(r) : "0"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			     : "rcx", "r11", "memory");
	return r;
}
#define sys3(nr, a, b, c)	sys6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)

#define SYS_write		1
#define SYS_mmap		9
#define SYS_gettimeofday	96
#define SYS_time		201
#define SYS_clock_gettime	228
#define SYS_clock_getres	229
#define SYS_exit_group		231
#define SYS_getcpu		309
#define SYS_getrandom		318

void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int streq(const char *a, const char *b);

#endif
