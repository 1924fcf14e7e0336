/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 parts of vdso-run.  An aarch64 port supplies the same symbols
 * (see vdso_run.h): EM_AARCH64, "aarch64", its Linux vvar layout, rseq
 * signature 0xd428bc00 and an entry sequence setting sp and branching.
 */
#include "vdso_run.h"

#if defined(__x86_64__)

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <errno.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <unistd.h>

const int arch_elf_machine = EM_X86_64;
const char arch_platform[] = "x86_64";
const char arch_name[] = "x86-64";

/*
 * Linux 6.13+ (generic vDSO datastore, include/vdso/datapage.h and
 * arch/x86/entry/vdso/vdso-layout.lds.S) maps 6 pages below its x86-64
 * image: time data, time-namespace data, getrandom state, arch data, pvclock,
 * hvclock.  struct vdso_time_data starts with clock_data[2] (struct
 * vdso_clock, laid out exactly as vdsogen's, max_cycles included since x86
 * selects GENERIC_VDSO_OVERFLOW_PROTECT), then aux_clock_data[8] (6.17+),
 * then tz_minuteswest/tz_dsttime at 0x910 and hrtimer_res at 0x918: verified
 * by disassembling Linux 6.18's __vdso_time/gettimeofday/clock_getres.
 */
const unsigned arch_linux_vvar_pages = 6;
const unsigned arch_linux_time_page = 0;
const size_t arch_linux_tz_offset = 0x910;
const size_t arch_linux_hrtimer_res_offset = 0x918;

void arch_rseq_unregister(void)
{
	if (__rseq_size == 0)
		return;
	void *area = (char *)__builtin_thread_pointer() + __rseq_offset;
	/* glibc registers max(__rseq_size, 32) bytes; the kernel wants the same length back. */
	unsigned len = __rseq_size < 32 ? 32 : __rseq_size;
	if (syscall(SYS_rseq, area, len, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) != 0)
		syscall(SYS_rseq, area, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
}

int arch_munmap(uintptr_t addr, size_t len)
{
	return munmap((void *)addr, len) == 0 ? 0 : errno;
}

/*
 * As the kernel starts a process: rsp -> argc, every other register zero
 * (rdx = 0 means "no rtld_fini" to a static program's _start), DF clear.
 */
_Noreturn void arch_enter(uintptr_t sp, uintptr_t entry)
{
	__asm__ __volatile__(
		"mov %0, %%rsp\n\t"
		"mov %1, %%r11\n\t"
		"xor %%eax, %%eax\n\t"
		"xor %%ebx, %%ebx\n\t"
		"xor %%ecx, %%ecx\n\t"
		"xor %%edx, %%edx\n\t"
		"xor %%esi, %%esi\n\t"
		"xor %%edi, %%edi\n\t"
		"xor %%ebp, %%ebp\n\t"
		"xor %%r8d, %%r8d\n\t"
		"xor %%r9d, %%r9d\n\t"
		"xor %%r10d, %%r10d\n\t"
		"xor %%r12d, %%r12d\n\t"
		"xor %%r13d, %%r13d\n\t"
		"xor %%r14d, %%r14d\n\t"
		"xor %%r15d, %%r15d\n\t"
		"cld\n\t"
		"jmp *%%r11\n\t"
		:
		: "r"(sp), "r"(entry)
		: "memory");
	__builtin_unreachable();
}

/*
 * The exec filter (follow_exec.c): SECCOMP_RET_TRACE for the exec calls of
 * every ABI a 64-bit process can use, SECCOMP_RET_ALLOW for everything else.
 * It looks at nothing but the architecture and the number, so the kernel's
 * seccomp action cache (5.11+) resolves every other call from a bitmap
 * without running it.  The low 16 bits of a TRACE say which exec it was.
 */
#define X32(nr)	(__X32_SYSCALL_BIT | (nr))

static const struct sock_filter exec_filter[] = {
	/*  0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	/*  1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 2, 0),	/* -> 4 */
	/*  2 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 7, 0),	/* -> 10 */
	/*  3 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	/*  4 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	/*  5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execve, 8, 0),	/* -> 14 */
	/*  6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_execveat, 8, 0),	/* -> 15 */
	/*  7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, X32(520), 8, 0),		/* -> 16: x32 execve */
	/*  8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, X32(545), 7, 0),		/* -> 16: x32 execveat */
	/*  9 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	/* 10 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	/* 11 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 11, 5, 0),		/* -> 17: i386 execve */
	/* 12 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 358, 5, 0),		/* -> 18: i386 execveat */
	/* 13 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	/* 14 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | EXEC_EXECVE),
	/* 15 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | EXEC_EXECVEAT),
	/* 16 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | EXEC_OTHER_ABI),
	/* 17 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | EXEC_I386_EXECVE),
	/* 18 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | EXEC_I386_EXECVEAT),
};

const struct sock_fprog arch_exec_filter = {
	.len = sizeof exec_filter / sizeof exec_filter[0],
	.filter = (struct sock_filter *)exec_filter,
};

const long arch_nr_execve = __NR_execve;
const long arch_nr_execve_i386 = 11;

/*
 * At PTRACE_EVENT_SECCOMP the tracee is stopped at syscall entry: orig_rax
 * holds the number (rax is -ENOSYS), the arguments are in rdi, rsi, rdx,
 * r10, r8, r9, and what we write back is what the kernel executes.
 */
int arch_exec_regs_get(pid_t tid, struct exec_regs *r)
{
	struct user_regs_struct u;
	if (ptrace(PTRACE_GETREGS, tid, 0, &u) != 0)
		return -1;
	r->nr = (long)u.orig_rax;
	if (r->is_i386) {
		/* int $0x80: ebx, ecx, edx, esi, edi; every value 32 bits. */
		r->arg[0] = (uint32_t)u.rbx;
		r->arg[1] = (uint32_t)u.rcx;
		r->arg[2] = (uint32_t)u.rdx;
		r->arg[3] = (uint32_t)u.rsi;
		r->arg[4] = (uint32_t)u.rdi;
		r->sp = (uint32_t)u.rsp;
		return 0;
	}
	r->arg[0] = u.rdi;
	r->arg[1] = u.rsi;
	r->arg[2] = u.rdx;
	r->arg[3] = u.r10;
	r->arg[4] = u.r8;
	r->sp = u.rsp;
	return 0;
}

int arch_exec_regs_set(pid_t tid, const struct exec_regs *r)
{
	struct user_regs_struct u;
	if (ptrace(PTRACE_GETREGS, tid, 0, &u) != 0)
		return -1;
	u.orig_rax = (unsigned long long)r->nr;
	if (r->is_i386) {
		u.rbx = r->arg[0];
		u.rcx = r->arg[1];
		u.rdx = r->arg[2];
		u.rsi = r->arg[3];
		u.rdi = r->arg[4];
		return ptrace(PTRACE_SETREGS, tid, 0, &u) == 0 ? 0 : -1;
	}
	u.rdi = r->arg[0];
	u.rsi = r->arg[1];
	u.rdx = r->arg[2];
	u.r10 = r->arg[3];
	u.r8 = r->arg[4];
	return ptrace(PTRACE_SETREGS, tid, 0, &u) == 0 ? 0 : -1;
}

#else
#error "vdso-run: no arch file for this architecture yet (see arch_x86_64.c)"
#endif
