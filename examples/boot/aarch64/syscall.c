// SPDX-License-Identifier: MIT
/*
 * Synchronous exceptions: SVC #0 from EL0 is a system call (Linux arm64
 * ABI: number in x8, arguments in x0-x5, result or -errno in x0); an
 * abort from EL0 is SIGSEGV if the process catches it; any other
 * exception from EL0 ends the run, as does any exception the kernel did
 * not expect.
 */
#include "kernel.h"

#include <vdso/datapage.h>

#define NR_write		64
#define NR_exit_group		94
#define NR_clock_gettime	113
#define NR_clock_getres		114
#define NR_kill			129
#define NR_rt_sigaction		134
#define NR_rt_sigreturn		139
#define NR_getcpu		168
#define NR_gettimeofday		169
#define NR_getpid		172
#define NR_munmap		215
#define NR_mmap			222
#define NR_getrandom		278

#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_TYPE	0x0f
#define MAP_DROPPABLE	0x08	/* Linux 6.11: what the vDSO's getrandom asks for its states */
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20

#define GRND_NONBLOCK	0x1
#define GRND_RANDOM	0x2
#define GRND_INSECURE	0x4

#define ESR_EC(esr)	((esr) >> 26)
#define EC_SVC64	0x15
#define EC_IABT_LOW	0x20
#define EC_DABT_LOW	0x24
#define FSC_PERMISSION	0x0c	/* ESR's fault status code, level bits masked: a permission fault */
#define SIGSEGV		11
#define SEGV_MAPERR	1
#define SEGV_ACCERR	2

struct k_timespec { s64 tv_sec, tv_nsec; };
struct k_timeval { s64 tv_sec, tv_usec; };

/* Bounce buffer for write and getrandom: the kernel touches user memory only in copy_*_user. */
static u8 bounce[256];

static long sys_write(u64 fd, u64 buf, u64 len)
{
	if (fd != 1 && fd != 2)
		return -EBADF;
	if (!user_access_ok(buf, len, 0))
		return -EFAULT;
	for (u64 done = 0; done < len;) {
		u64 n = len - done < sizeof bounce ? len - done : sizeof bounce;

		if (copy_from_user(bounce, buf + done, n))
			return done ? (long)done : -EFAULT;
		console_write((const char *)bounce, n);
		done += n;
	}
	return (long)len;
}

static long put_timespec(u64 uts, u64 sec, u64 nsec)
{
	struct k_timespec ts = { (s64)sec, (s64)nsec };

	return copy_to_user(uts, &ts, sizeof ts);
}

static long sys_clock_gettime(u64 clock, u64 uts)
{
	u64 sec;
	u32 nsec;
	int r = kernel_clock_gettime((int)clock, &sec, &nsec);

	return r ? r : put_timespec(uts, sec, nsec);
}

static long sys_clock_getres(u64 clock, u64 uts)
{
	u64 sec;
	u32 nsec;
	int r = kernel_clock_getres((int)clock, &sec, &nsec);

	return r || !uts ? r : put_timespec(uts, sec, nsec);
}

static long sys_gettimeofday(u64 utv, u64 utz)
{
	u64 sec;
	u32 nsec;

	kernel_clock_gettime(VDSO_CLOCK_REALTIME, &sec, &nsec);
	struct k_timeval tv = { (s64)sec, nsec / 1000 };
	s32 tz[2] = { 0, 0 };	/* tz_minuteswest, tz_dsttime: UTC */
	if ((utv && copy_to_user(utv, &tv, sizeof tv)) || (utz && copy_to_user(utz, tz, sizeof tz)))
		return -EFAULT;
	return 0;
}

static long sys_getcpu(u64 ucpu, u64 unode)
{
	u32 zero = 0;	/* one CPU, one node */

	if ((ucpu && copy_to_user(ucpu, &zero, 4)) || (unode && copy_to_user(unode, &zero, 4)))
		return -EFAULT;
	return 0;
}

static long sys_getrandom(u64 buf, u64 len, u64 flags)
{
	if (flags & ~(u64)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
	    (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if (len > 0x7ffff000)	/* MAX_RW_COUNT */
		len = 0x7ffff000;
	if (!user_access_ok(buf, len, 1))
		return -EFAULT;
	/* Ready from boot: never blocks. */
	for (u64 done = 0; done < len;) {
		u64 n = len - done < sizeof bounce ? len - done : sizeof bounce;

		random_fill(bounce, n);
		if (copy_to_user(buf + done, bounce, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	memset(bounce, 0, sizeof bounce);	/* no random bytes left behind in the kernel */
	return (long)len;
}

/* Anonymous memory only, at the kernel's choice of address (no MAP_FIXED), zeroed. */
static u64 mmap_next = USER_MMAP_BASE;

static long sys_munmap(u64 addr, u64 len)
{
	if (addr & (PAGE_SIZE - 1) || !len || addr < USER_MMAP_BASE || addr >= USER_MMAP_END ||
	    len > USER_MMAP_END - addr)
		return -EINVAL;
	for (u64 va = addr; va < addr + PAGE_ALIGN(len); va += PAGE_SIZE) {
		u64 pa = unmap_user_page(va);

		if (pa)
			page_free((void *)pa);
	}
	return 0;
}

static long sys_mmap(u64 addr, u64 len, u64 prot, u64 flags, u64 fd, u64 off)
{
	u64 type = flags & MAP_TYPE;

	(void)addr;
	if (!(flags & MAP_ANONYMOUS) || (s64)fd != -1 || off)
		return -EINVAL;	/* no files in this kernel */
	if (flags & MAP_FIXED || (type != MAP_PRIVATE && type != MAP_SHARED && type != MAP_DROPPABLE))
		return -EINVAL;
	if (!len)
		return -EINVAL;
	if (len > USER_MMAP_END - mmap_next || prot & ~(u64)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -ENOMEM;
	len = PAGE_ALIGN(len);
	if (len > USER_MMAP_END - mmap_next)
		return -ENOMEM;
	/* PROT_NONE and write-only pages are mapped readable: AArch64 has no write-only EL0 pages either. */
	unsigned uprot = UPROT_R | (prot & PROT_WRITE ? UPROT_W : 0) | (prot & PROT_EXEC ? UPROT_X : 0);
	u64 base = mmap_next;
	for (u64 va = base; va < base + len; va += PAGE_SIZE) {
		void *page = page_alloc();

		if (!page || map_user_page(va, (u64)page, uprot)) {
			if (page)
				page_free(page);
			sys_munmap(base, va - base);
			return page ? -EINVAL : -ENOMEM;
		}
	}
	mmap_next = base + len + PAGE_SIZE;	/* a guard page between mappings */
	return (long)base;
}

/* clock_gettime, clock_getres and gettimeofday served: the program checks the vDSO made none itself. */
static u64 time_syscalls;

static long do_syscall(struct trap_frame *f)
{
	u64 *a = f->x;

	if (f->x[8] == NR_clock_gettime || f->x[8] == NR_clock_getres || f->x[8] == NR_gettimeofday)
		time_syscalls++;
	switch (f->x[8]) {
	case NR_write:		return sys_write(a[0], a[1], a[2]);
	case NR_clock_gettime:	return sys_clock_gettime(a[0], a[1]);
	case NR_clock_getres:	return sys_clock_getres(a[0], a[1]);
	case NR_gettimeofday:	return sys_gettimeofday(a[0], a[1]);
	case NR_getcpu:		return sys_getcpu(a[0], a[1]);
	case NR_getrandom:	return sys_getrandom(a[0], a[1], a[2]);
	case NR_mmap:		return sys_mmap(a[0], a[1], a[2], a[3], a[4], a[5]);
	case NR_munmap:		return sys_munmap(a[0], a[1]);
	case NR_getpid:		return 1;
	case NR_rt_sigaction:	return sys_rt_sigaction(a[0], a[1], a[2], a[3]);
	case NR_kill:		return sys_kill(f, (s64)a[0], a[1]);
	case NR_rt_sigreturn:	return sys_rt_sigreturn(f);
	case NR_exit_group:
		kprintf("kernel: time system calls served: %lu\n", time_syscalls);
		kprintf("kernel: exit_group(%d) after %lu ticks\n", (int)a[0], ticks_so_far());
		kernel_exit((int)a[0]);
	default:
		kprintf("kernel: unknown system call %lu\n", f->x[8]);
		return -ENOSYS;
	}
}

static const char *ec_name(u64 ec)
{
	switch (ec) {
	case 0x00: return "undefined instruction";
	case 0x07: return "FP/SIMD access trap";
	case 0x0d: return "branch target exception (BTI)";
	case 0x18: return "trapped system register access";
	case 0x20: case 0x21: return "instruction abort";
	case 0x22: return "PC alignment fault";
	case 0x24: case 0x25: return "data abort";
	case 0x26: return "SP alignment fault";
	case 0x3c: return "BRK";
	default: return "exception";
	}
}

void el0_sync_handler(struct trap_frame *f)
{
	u64 esr = read_sysreg(esr_el1);

	if (ESR_EC(esr) == EC_SVC64) {
		f->x[0] = (u64)do_syscall(f);
		return;
	}
	/*
	 * An instruction or data abort from EL0 (a permission the page tables
	 * refuse, or no mapping at all): SIGSEGV, SEGV_ACCERR for a permission
	 * fault, SEGV_MAPERR otherwise, if the process catches it.
	 */
	if (ESR_EC(esr) == EC_IABT_LOW || ESR_EC(esr) == EC_DABT_LOW) {
		s32 code = (esr & 0x3c) == FSC_PERMISSION ? SEGV_ACCERR : SEGV_MAPERR;

		if (!signal_fault(f, SIGSEGV, code, read_sysreg(far_el1)))
			return;
	}
	kprintf("kernel: user %s: ESR 0x%lx FAR 0x%lx at PC 0x%lx\n", ec_name(ESR_EC(esr)), esr,
		read_sysreg(far_el1), f->elr);
	kernel_exit(128 + 11);	/* as a shell reports SIGSEGV */
}

void bad_exception(struct trap_frame *f, u64 kind)
{
	static const char *const where[] = { "EL1t", "EL1h", "EL0 AArch64", "EL0 AArch32" };
	static const char *const what[] = { "synchronous", "IRQ", "FIQ", "SError" };
	u64 esr = read_sysreg(esr_el1);

	if (kernel_exiting() && kind == 4 && ESR_EC(esr) == 0)
		kernel_exit(0);	/* HLT #0xF000 without -semihosting: power off with the status already set */
	kprintf("kernel: unexpected %s exception from %s: %s, ESR 0x%lx FAR 0x%lx ELR 0x%lx\n",
		what[kind % 4], where[kind / 4], ec_name(ESR_EC(esr)), esr, read_sysreg(far_el1), f->elr);
	kernel_exit(126);
}
