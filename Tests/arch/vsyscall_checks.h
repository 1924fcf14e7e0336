/* SPDX-License-Identifier: MIT */
/*
 * i386 only: __kernel_vsyscall in every entry mode the kernel side may
 * choose (ARCH_VSYSCALL_MODES).
 * Part of the freestanding vDSO harness: #included by harness.c (one
 * translation unit, no C library), after the architecture header.
 */

#ifdef ARCH_VSYSCALL_MODES
/*
 * __kernel_vsyscall in every entry mode the kernel side may choose
 * (kernel-vdso/host/ia32_entry.h).  INT $0x80 returns to our own landing pad.
 * For SYSENTER and SYSCALL the running kernel returns to the landing pad of
 * the vDSO *it* mapped into this process (it knows no other), so those modes
 * are only exercised where that pad is Linux's (popl ebp, edx, ecx; ret right
 * after an INT $0x80), which is ours byte for byte, and where this kernel
 * and CPU take the instruction at all: each mode is first probed in a child.
 */
#include "ia32_entry.h"

#define SIGALRM		14
#define SA_RESTART	0x10000000
static long *auxv;
static const char *const mode_names[] = { "int $0x80", "sysenter", "syscall" };

static long vsys(long nr, long a, long b, long c)
{
	struct vsys_regs r = { nr, a, b, c, 0, 0, 0 };
	vsys_call(base + VDSO_SYM___kernel_vsyscall, &r);
	return r.eax;
}

/* The kernel's own vDSO: its __kernel_vsyscall holds Linux's int80 + landing pad. */
static int kernel_pad_is_linux(void)
{
	const unsigned char *k = 0;
	for (long *a = auxv; a && a[0]; a += 2)
		if (a[0] == 33 /* AT_SYSINFO_EHDR */)
			k = (const unsigned char *)a[1];
	struct vdso_elf e;
	if (!k || vdso_elf_open(&e, k, 8192) != 0)
		return 0;
	const unsigned char *f = vdso_elf_sym(&e, "__kernel_vsyscall", "LINUX_2.5");
	for (int i = 0; f && i < 64; i++)
		if (memcmp(f + i, "\xcd\x80\x5d\x5a\x59\xc3", 6) == 0)
			return 1;
	return 0;
}

/* getpid through __kernel_vsyscall in mode m, in a child: 1 if it returned the pid. */
static int probe_mode(uint32_t m)
{
	page->syscall_mode = m;
	flush();
	long pid = sys(NR_fork, 0, 0, 0);
	if (pid == 0) {
		long r = vsys(NR_getpid, 0, 0, 0);
		sys(NR_exit_group, r == sys(NR_getpid, 0, 0, 0) ? 0 : 1, 0, 0);
	}
	int status = -1;
	long w = pid > 0 ? sys6(NR_wait4, pid, (long)&status, 0, 0, 0, 0) : -1;
	page->syscall_mode = VDSO_SYSCALL_INT80;
	return w == pid && status == 0;
}

static volatile long restart_fd = -1;
static void on_alarm_write(int sig)
{
	char c = 'R';
	(void)sig;
	sys(NR_write, restart_fd, (long)&c, 1);
}

static void mode_desc(uint32_t m, const char *what)
{
	sb_s(D, "__kernel_vsyscall via ");
	sb_s(D, mode_names[m]);
	sb_s(D, ": ");
	sb_s(D, what);
}

static void vsyscall_checks(uint32_t m)
{
	void *entry = base + VDSO_SYM___kernel_vsyscall;
	page->syscall_mode = m;

	long pid = sys(NR_getpid, 0, 0, 0), r = vsys(NR_getpid, 0, 0, 0);
	mode_desc(m, "getpid returns the pid");
	sb_d(W, r), sb_s(W, " vs "), sb_d(W, pid);
	report(r == pid);

	/* Three arguments, and three more registers that must come back unchanged (non-blocking: a failed write must not hang the read). */
	int fds[2] = { -1, -1 };
	sys(NR_pipe2, (long)fds, 04000 /* O_NONBLOCK */, 0);
	static const char msg[] = "vsyscall-test";
	struct vsys_regs regs = { NR_write, fds[1], (long)msg, 13, 0x5e5e5e5e, 0x7d7d7d7d, 0x3b3b3b3b };
	struct vsys_regs want = regs;
	want.eax = 13;
	vsys_call(entry, &regs);
	char got[16];
	long n = sys(NR_read, fds[0], (long)got, sizeof got);
	mode_desc(m, "write(pipe, buf, 13): 13, the pipe holds the bytes, EBX ECX EDX ESI EDI EBP preserved");
	sb_s(W, "eax "), sb_d(W, regs.eax), sb_s(W, " read "), sb_d(W, n);
	sb_s(W, " ebx/ecx/edx/esi/edi/ebp ok: ");
	sb_d(W, regs.ebx == want.ebx), sb_d(W, regs.ecx == want.ecx), sb_d(W, regs.edx == want.edx);
	sb_d(W, regs.esi == want.esi), sb_d(W, regs.edi == want.edi), sb_d(W, regs.ebp == want.ebp);
	report(memcmp(&regs, &want, sizeof regs) == 0 && n == 13 && memcmp(got, msg, 13) == 0);

	/* Six arguments: mmap2's page offset travels in EBP (the fast entries: on the stack). */
	static char pages[8192];
	memset(pages, 'A', 4096), memset(pages + 4096, 'B', 4096);
	long fd = sys(NR_memfd_create, (long)"vsys6", 0, 0);
	int wrote = fd >= 0 && sys(NR_write, fd, (long)pages, 8192) == 8192;
	struct vsys_regs six = { NR_mmap, 0, 4096, 1 /* PROT_READ */, 1 /* MAP_SHARED */, fd, 1 /* pgoff */ };
	struct vsys_regs six_want = six;
	vsys_call(entry, &six);
	int mapped = (unsigned long)six.eax < -4096UL;
	mode_desc(m, "mmap2 with six arguments (page offset 1 in EBP) maps the file's second page");
	sb_s(W, "result "), sb_d(W, six.eax);
	six_want.eax = six.eax;
	report(wrote && mapped && *(const char *)six.eax == 'B' && memcmp(&six, &six_want, sizeof six) == 0);
	if (mapped)
		sys(NR_munmap, six.eax, 4096, 0);
	sys(NR_close, fd, 0, 0);

	/* Results and errors are the kernel's. */
	struct tsn a, v = { 0, 0 }, c;
	s_cgt(VDSO_CLOCK_MONOTONIC, &a);
	long rv = vsys(NR_clock_gettime, VDSO_CLOCK_MONOTONIC, (long)&v, 0);
	s_cgt(VDSO_CLOCK_MONOTONIC, &c);
	long e1 = vsys(NR_clock_gettime, -1, (long)&v, 0), s1 = s_cgt(-1, &a);
	long e2 = vsys(NR_write, -1, (long)msg, 1), s2 = sys(NR_write, -1, (long)msg, 1);
	mode_desc(m, "clock_gettime lies between two system calls; EINVAL and EBADF as the kernel returns them");
	sb_d(W, rv), sb_s(W, " "), sb_d(W, e1), sb_s(W, "/"), sb_d(W, s1), sb_s(W, " "), sb_d(W, e2), sb_s(W, "/"), sb_d(W, s2);
	report(rv == 0 && nsn(a) <= nsn(v) && nsn(v) <= nsn(c) && e1 == s1 && s1 == -22 && e2 == s2 && s2 == -9);

	/* A blocking read interrupted by a signal (SA_RESTART): the kernel restarts it at the INT $0x80 before the landing pad. */
	struct ksigaction act;
	memset(&act, 0, sizeof act);
	act.handler = on_alarm_write;
	act.flags = SA_SIGINFO | SA_RESTORER | SA_RESTART;
	act.restorer = (void (*)(void))(void *)(base + VDSO_SYM___kernel_rt_sigreturn);
	sys(NR_close, fds[0], 0, 0), sys(NR_close, fds[1], 0, 0);
	sys(NR_pipe, (long)fds, 0, 0);
	restart_fd = fds[1];
	long sa = sys6(NR_rt_sigaction, SIGALRM, (long)&act, 0, 8, 0, 0);
	long it[4] = { 0, 20000, 0, 20000 };	/* every 20 ms, should a byte get lost */
	long st = sys(NR_setitimer, 0 /* ITIMER_REAL */, (long)it, 0);
	char rc = 0;
	struct vsys_regs rd = { NR_read, fds[0], (long)&rc, 1, 0x11111111, 0x22222222, 0x33333333 };
	struct vsys_regs rd_want = rd;
	rd_want.eax = 1;
	vsys_call(entry, &rd);
	long it_off[4] = { 0, 0, 0, 0 };
	sys(NR_setitimer, 0, (long)it_off, 0);
	act.handler = (void (*)(int))0;	/* SIG_DFL */
	act.flags = 0;
	sys6(NR_rt_sigaction, SIGALRM, (long)&act, 0, 8, 0, 0);
	mode_desc(m, "a blocking read interrupted by a signal is restarted and returns the handler's byte");
	sb_s(W, "sigaction/setitimer "), sb_d(W, sa), sb_s(W, "/"), sb_d(W, st), sb_s(W, " read "), sb_d(W, rd.eax);
	report(sa == 0 && st == 0 && memcmp(&rd, &rd_want, sizeof rd) == 0 && rc == 'R');
	sys(NR_close, fds[0], 0, 0), sys(NR_close, fds[1], 0, 0);
	page->syscall_mode = VDSO_SYSCALL_INT80;
}

static void check_vsyscall(void)
{
	char vendor[13] = { 0 };
	int sep = 0;
	cpu_vendor(vendor, &sep);
	char uts[390];
	memset(uts, 0, sizeof uts);
	sys(NR_uname, (long)uts, 0, 0);
	int k64 = strcmp(uts + 4 * 65, "x86_64") == 0;
	uint32_t chosen = vdso_ia32_syscall_mode(vendor, k64, sep);
	int pad = kernel_pad_is_linux();
	outs("# CPU ");
	outs(vendor);
	outs(sep ? " (SEP)" : " (no SEP)");
	outs(", kernel machine ");
	outs(uts + 4 * 65);
	outs(": the kernel side chooses ");
	outs(mode_names[chosen]);
	outs(pad ? "; the kernel's vDSO has Linux's landing pad\n" : "; no Linux landing pad in the kernel's vDSO\n");

	int chosen_works = 0;
	for (uint32_t m = VDSO_SYSCALL_INT80; m <= VDSO_SYSCALL_SYSCALL; m++) {
		int works = (m == VDSO_SYSCALL_INT80 || pad) && probe_mode(m);
		if (m == chosen)
			chosen_works = works;
		if (m == chosen) {
			/* A native x86-64 kernel must take what it advertises; elsewhere the choice may not hold. */
			mode_desc(m, "the entry the kernel side chooses works here");
			if (!works && !k64) {
				outs("ok ");
				outd(++passed + failed);
				outs(" - # SKIP ");
				outs(sbuf[D]);
				outs(": not taken here (qemu-user, or a 32-bit kernel without SYSENTER)\n");
				sb_reset(D);
			} else {
				report(works);
			}
		}
		if (works) {
			vsyscall_checks(m);
		} else if (m != chosen) {
			outs("ok ");
			outd(++passed + failed);
			outs(" - # SKIP __kernel_vsyscall via ");
			outs(mode_names[m]);
			outs(": this CPU/kernel does not take it (probed in a child)\n");
		}
	}
	/* From now on, the page says what the kernel side chose (if it works). */
	cur_syscall_mode = chosen_works ? chosen : VDSO_SYSCALL_INT80;
	page->syscall_mode = cur_syscall_mode;
	long pid = sys(NR_getpid, 0, 0, 0);
	say("__kernel_vsyscall(getpid) with the chosen mode in a filled page", vsys(NR_getpid, 0, 0, 0) == pid);
}
#endif
