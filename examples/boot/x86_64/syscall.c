/*
 * System calls, with Linux x86-64 numbers and semantics (as far as a
 * one-process test kernel needs): what /init calls, and what the vDSO falls
 * back to.  The kernel also notes which calls come from inside the vDSO
 * image: with the time page in COUNTER mode, a clock the page serves must
 * never reach the kernel from there, so exit_group fails the run if one did.
 */
#include "kernel.h"
#include "vdso.h"

/* entry.S's frame, lowest address first. */
struct syscall_frame {
	u64 rax, r9, r8, r10, rdx, rsi, rdi, r11, rcx, rsp;
};

struct kts { s64 sec, nsec; };
struct ktv { s64 sec, usec; };

#define MAP_PRIVATE	0x02
#define MAP_DROPPABLE	0x08
#define MAP_TYPE	0x0f
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define PROT_READ	1
#define PROT_WRITE	2
#define GRND_NONBLOCK	1
#define GRND_RANDOM	2
#define GRND_INSECURE	4
#define MAX_RW_COUNT	0x7ffff000UL

static u64 from_vdso, vdso_getrandom_calls, bad_fallbacks;

static int page_clock(long id)
{
	return id == VDSO_CLOCK_REALTIME || id == VDSO_CLOCK_MONOTONIC || id == VDSO_CLOCK_MONOTONIC_RAW ||
	       id == VDSO_CLOCK_REALTIME_COARSE || id == VDSO_CLOCK_MONOTONIC_COARSE ||
	       id == VDSO_CLOCK_BOOTTIME || id == VDSO_CLOCK_TAI;
}

static long sys_write(long fd, u64 buf, u64 len)
{
	if (fd != 1 && fd != 2)
		return -EBADF;
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (!user_range_ok(buf, len, 0))
		return -EFAULT;
	kwrite((const char *)buf, len);
	return (long)len;
}

static long sys_clock_gettime(long id, u64 ts)
{
	struct kts t;
	u64 sec;
	u32 nsec;

	if (kernel_clock_gettime((int)id, &sec, &nsec) != 0)
		return -EINVAL;
	if (!user_range_ok(ts, sizeof(t), 1))
		return -EFAULT;
	t.sec = (s64)sec;
	t.nsec = nsec;
	memcpy((void *)ts, &t, sizeof(t));
	return 0;
}

static long sys_clock_getres(long id, u64 res)
{
	struct kts t = { 0, 0 };
	u32 ns;

	if (kernel_clock_getres((int)id, &ns) != 0)
		return -EINVAL;
	if (!res)
		return 0;
	if (!user_range_ok(res, sizeof(t), 1))
		return -EFAULT;
	t.nsec = ns;
	memcpy((void *)res, &t, sizeof(t));
	return 0;
}

static long sys_gettimeofday(u64 tv, u64 tz)
{
	struct ktv v;
	u64 sec;
	u32 nsec;

	if (tv) {
		if (!user_range_ok(tv, sizeof(v), 1))
			return -EFAULT;
		kernel_clock_gettime(VDSO_CLOCK_REALTIME, &sec, &nsec);
		v.sec = (s64)sec;
		v.usec = nsec / 1000;
		memcpy((void *)tv, &v, sizeof(v));
	}
	if (tz) {
		if (!user_range_ok(tz, 8, 1))
			return -EFAULT;
		memset((void *)tz, 0, 8);	/* UTC; settimeofday does not exist here */
	}
	return 0;
}

static long sys_time(u64 tloc)
{
	u64 sec;
	u32 nsec;

	kernel_clock_gettime(VDSO_CLOCK_REALTIME_COARSE, &sec, &nsec);
	if (tloc) {
		if (!user_range_ok(tloc, 8, 1))
			return -EFAULT;
		memcpy((void *)tloc, &sec, 8);
	}
	return (long)sec;
}

static long sys_getcpu(u64 cpup, u64 nodep)
{
	u32 zero = 0;

	if ((cpup && !user_range_ok(cpup, 4, 1)) || (nodep && !user_range_ok(nodep, 4, 1)))
		return -EFAULT;
	if (cpup)
		memcpy((void *)cpup, &zero, 4);
	if (nodep)
		memcpy((void *)nodep, &zero, 4);
	return 0;
}

/* getrandom(2) from random_u64() (RDRAND or xorshift: a test kernel's RNG, ready from boot). */
static long sys_getrandom(u64 buf, u64 len, u64 flags)
{
	u64 done, v;

	if (flags & ~(u64)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
	    (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (!user_range_ok(buf, len, 1))
		return -EFAULT;
	for (done = 0; done < len; done += 8) {
		v = random_u64();
		memcpy((u8 *)buf + done, &v, len - done < 8 ? len - done : 8);
	}
	return (long)len;
}

/*
 * Anonymous private memory only (what a libc's getrandom asks for its
 * states, MAP_DROPPABLE included: nothing is ever dropped here, as there is
 * no memory pressure and no fork).  No MAP_FIXED, no PROT_EXEC.
 */
static long sys_mmap(u64 len, u64 prot, u64 flags, long fd)
{
	u64 type = flags & MAP_TYPE, va;

	if (!(flags & MAP_ANONYMOUS) || (type != MAP_PRIVATE && type != MAP_DROPPABLE) ||
	    flags & MAP_FIXED || prot & ~(u64)(PROT_READ | PROT_WRITE) || fd != -1)
		return -EINVAL;
	va = user_mmap_anon(len);
	return va ? (long)va : -ENOMEM;
}

static _Noreturn void sys_exit_group(long status)
{
	u32 st = (u32)status & 0xff;

	if (bad_fallbacks) {
		kputs("kernel: FAIL: ");
		kputdec(bad_fallbacks);
		kputs(" vDSO calls fell back to the system call for what the data pages serve\n");
		st |= 0x40;
	}
	kputs("kernel: exit_group(");
	kputdec((u64)status & 0xff);
	kputs("); ");
	kputdec(timer_ticks());
	kputs(" timer ticks; system calls from the vDSO: ");
	kputdec(from_vdso);
	kputs(" (getrandom: ");
	kputdec(vdso_getrandom_calls);
	kputs(")\n");
	qemu_exit(st);
}

/* Which vDSO fallbacks must not happen: the page serves those clocks, and getcpu with RDTSCP. */
static void note_vdso_call(long nr, long a0)
{
	from_vdso++;
	switch (nr) {
	case 228: case 229:
		bad_fallbacks += (u64)page_clock(a0);
		break;
	case 96: case 201:
		bad_fallbacks++;
		break;
	case 309:
		bad_fallbacks += (u64)cpu.rdtscp;
		break;
	case 318:
		vdso_getrandom_calls++;
		break;
	}
}

long syscall_dispatch(struct syscall_frame *f)
{
	long nr = (long)f->rax, a0 = (long)f->rdi, a1 = (long)f->rsi, a2 = (long)f->rdx;

	if (vdso_contains(f->rcx))
		note_vdso_call(nr, a0);
	switch (nr) {
	case 1: return sys_write(a0, (u64)a1, (u64)a2);
	case 9: return sys_mmap((u64)a1, (u64)a2, f->r10, (long)f->r8);
	case 60: case 231: sys_exit_group(a0);
	case 96: return sys_gettimeofday((u64)a0, (u64)a1);
	case 201: return sys_time((u64)a0);
	case 228: return sys_clock_gettime(a0, (u64)a1);
	case 229: return sys_clock_getres(a0, (u64)a1);
	case 309: return sys_getcpu((u64)a0, (u64)a1);
	case 318: return sys_getrandom((u64)a0, (u64)a1, (u64)a2);
	}
	return -ENOSYS;
}

_Noreturn void syscall_kill(void)
{
	kputs("kernel: /init made a system call SYSRET cannot return from (non-canonical RIP)\n");
	qemu_exit(0x7d);
}
