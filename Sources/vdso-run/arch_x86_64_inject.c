/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 half of --follow-exec=event (exec_event.c): the stubs the
 * tracer writes into a tracee stopped at PTRACE_EVENT_EXEC, and the
 * registers around them.
 *
 * A stub is position-independent and reads everything from a parameter
 * block at its stack pointer (the tracer writes the block below the stack
 * pointer the kernel left, where nothing lives yet):
 *
 *   base = mmap(NULL, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
 *   fd = open(DATA, O_RDONLY | O_CLOEXEC)
 *   mmap(base, data_len, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0); close(fd)
 *   fd = open(IMAGE, O_RDONLY | O_CLOEXEC)
 *   mmap(base + data_len, image_len, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, 0); close(fd)
 *   int3                 result register = base, step register = 0
 *
 * On a failed step it closes what it opened, unmaps the reservation and
 * stops at a second int3 with -errno and the step (1-5).  The x86-64 stub
 * makes `syscall`s (rax, rdi, rsi, rdx, r10, r8, r9) and keeps base, fd and
 * step in r12, r13, r14; the i386 one makes int $0x80 calls (mmap2 takes
 * all six argument registers) and keeps them in its parameter block.
 * Neither reads a register the exec left: the kernel writes execve's
 * return value into rax after the stop, over anything the tracer puts there.
 */
#include "inject.h"

#if defined(__x86_64__)

#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

_Static_assert(sizeof(struct user_regs_struct) <= sizeof(struct inject_saved), "struct inject_saved too small");

/* The i386 user code segment: a 32-bit program after exec. */
#define USER32_CS	0x23
#define PATH_FIELD	48

/* In .rodata: copied into tracees, never run here. */
__asm__(
	".pushsection .rodata.vdso_inject,\"a\"\n"
	".globl vdso_inject64_start, vdso_inject64_ok, vdso_inject64_end\n"
	".globl vdso_inject32_start, vdso_inject32_ok, vdso_inject32_end\n"
	/* x86-64; block: 0 total, 8 data_len, 16 image_len, 24 DATA, 72 IMAGE, 120 the auxv slot,
	 * 128 the resume stack pointer, 136 resume (0: trap at the end instead) */
	"vdso_inject64_start:\n"
	"	mov %rsp, %r15\n"
	"	mov $-1, %r12\n"
	"	mov $-1, %r13\n"
	"	mov $1, %r14d\n"
	"	mov $9, %eax\n"
	"	xor %edi, %edi\n"
	"	mov (%r15), %rsi\n"
	"	xor %edx, %edx\n"
	"	mov $0x22, %r10d\n"
	"	mov $-1, %r8\n"
	"	xor %r9d, %r9d\n"
	"	syscall\n"
	"	cmp $-4095, %rax\n"
	"	jae 69f\n"
	"	mov %rax, %r12\n"
	"	mov $2, %r14d\n"
	"	mov $2, %eax\n"
	"	lea 24(%r15), %rdi\n"
	"	mov $0x80000, %esi\n"
	"	syscall\n"
	"	cmp $-4095, %rax\n"
	"	jae 69f\n"
	"	mov %rax, %r13\n"
	"	mov $3, %r14d\n"
	"	mov $9, %eax\n"
	"	mov %r12, %rdi\n"
	"	mov 8(%r15), %rsi\n"
	"	mov $1, %edx\n"
	"	mov $0x11, %r10d\n"
	"	mov %r13, %r8\n"
	"	xor %r9d, %r9d\n"
	"	syscall\n"
	"	cmp $-4095, %rax\n"
	"	jae 69f\n"
	"	mov $3, %eax\n"
	"	mov %r13, %rdi\n"
	"	syscall\n"
	"	mov $-1, %r13\n"
	"	mov $4, %r14d\n"
	"	mov $2, %eax\n"
	"	lea 72(%r15), %rdi\n"
	"	mov $0x80000, %esi\n"
	"	syscall\n"
	"	cmp $-4095, %rax\n"
	"	jae 69f\n"
	"	mov %rax, %r13\n"
	"	mov $5, %r14d\n"
	"	mov $9, %eax\n"
	"	mov %r12, %rdi\n"
	"	add 8(%r15), %rdi\n"
	"	mov 16(%r15), %rsi\n"
	"	mov $5, %edx\n"
	"	mov $0x12, %r10d\n"
	"	mov %r13, %r8\n"
	"	xor %r9d, %r9d\n"
	"	syscall\n"
	"	cmp $-4095, %rax\n"
	"	jae 69f\n"
	"	mov $3, %eax\n"
	"	mov %r13, %rdi\n"
	"	syscall\n"
	"	xor %r14d, %r14d\n"
	"	cmpq $0, 136(%r15)\n"
	"	je 63f\n"
	/* Resume by itself: AT_SYSINFO_EHDR, then the registers as the exec left them (all zero
	 * but rsp, rip and rflags, which the tracer put at the resume stack pointer). */
	"	mov %r12, %rax\n"
	"	add 8(%r15), %rax\n"
	"	mov 120(%r15), %rdi\n"
	"	mov %rax, (%rdi)\n"
	"	mov 128(%r15), %rsp\n"
	"	xor %eax, %eax\n"
	"	xor %ebx, %ebx\n"
	"	xor %ecx, %ecx\n"
	"	xor %edx, %edx\n"
	"	xor %esi, %esi\n"
	"	xor %edi, %edi\n"
	"	xor %ebp, %ebp\n"
	"	xor %r8d, %r8d\n"
	"	xor %r9d, %r9d\n"
	"	xor %r10d, %r10d\n"
	"	xor %r11d, %r11d\n"
	"	xor %r12d, %r12d\n"
	"	xor %r13d, %r13d\n"
	"	xor %r14d, %r14d\n"
	"	xor %r15d, %r15d\n"
	"	popfq\n"
	"	ret\n"
	"63:	mov %r12, %rax\n"
	"	int3\n"
	"vdso_inject64_ok:\n"
	"69:	mov %rax, %rbx\n"
	"	test %r13, %r13\n"
	"	js 61f\n"
	"	mov $3, %eax\n"
	"	mov %r13, %rdi\n"
	"	syscall\n"
	"61:	cmp $-1, %r12\n"
	"	je 62f\n"
	"	mov $11, %eax\n"
	"	mov %r12, %rdi\n"
	"	mov (%r15), %rsi\n"
	"	syscall\n"
	"62:	mov %rbx, %rax\n"
	"	int3\n"
	"vdso_inject64_end:\n"
	/* i386; block: 0 total, 4 data_len, 8 image_len, 12 base, 16 fd, 20 step, 24 DATA, 72 IMAGE */
	".code32\n"
	"vdso_inject32_start:\n"
	"	movl $-1, 12(%esp)\n"
	"	movl $-1, 16(%esp)\n"
	"	movl $1, 20(%esp)\n"
	"	mov $192, %eax\n"
	"	xor %ebx, %ebx\n"
	"	mov 0(%esp), %ecx\n"
	"	xor %edx, %edx\n"
	"	mov $0x22, %esi\n"
	"	mov $-1, %edi\n"
	"	xor %ebp, %ebp\n"
	"	int $0x80\n"
	"	cmp $-4095, %eax\n"
	"	jae 39f\n"
	"	mov %eax, 12(%esp)\n"
	"	movl $2, 20(%esp)\n"
	"	mov $5, %eax\n"
	"	lea 24(%esp), %ebx\n"
	"	mov $0x80000, %ecx\n"
	"	int $0x80\n"
	"	cmp $-4095, %eax\n"
	"	jae 39f\n"
	"	mov %eax, 16(%esp)\n"
	"	movl $3, 20(%esp)\n"
	"	mov $192, %eax\n"
	"	mov 12(%esp), %ebx\n"
	"	mov 4(%esp), %ecx\n"
	"	mov $1, %edx\n"
	"	mov $0x11, %esi\n"
	"	mov 16(%esp), %edi\n"
	"	xor %ebp, %ebp\n"
	"	int $0x80\n"
	"	cmp $-4095, %eax\n"
	"	jae 39f\n"
	"	mov $6, %eax\n"
	"	mov 16(%esp), %ebx\n"
	"	int $0x80\n"
	"	movl $-1, 16(%esp)\n"
	"	movl $4, 20(%esp)\n"
	"	mov $5, %eax\n"
	"	lea 72(%esp), %ebx\n"
	"	mov $0x80000, %ecx\n"
	"	int $0x80\n"
	"	cmp $-4095, %eax\n"
	"	jae 39f\n"
	"	mov %eax, 16(%esp)\n"
	"	movl $5, 20(%esp)\n"
	"	mov $192, %eax\n"
	"	mov 12(%esp), %ebx\n"
	"	add 4(%esp), %ebx\n"
	"	mov 8(%esp), %ecx\n"
	"	mov $5, %edx\n"
	"	mov $0x12, %esi\n"
	"	mov 16(%esp), %edi\n"
	"	xor %ebp, %ebp\n"
	"	int $0x80\n"
	"	cmp $-4095, %eax\n"
	"	jae 39f\n"
	"	mov $6, %eax\n"
	"	mov 16(%esp), %ebx\n"
	"	int $0x80\n"
	"	mov 12(%esp), %eax\n"
	"	xor %edi, %edi\n"
	"	int3\n"
	"vdso_inject32_ok:\n"
	"39:	mov %eax, %ebp\n"
	"	mov 16(%esp), %ebx\n"
	"	test %ebx, %ebx\n"
	"	js 31f\n"
	"	mov $6, %eax\n"
	"	int $0x80\n"
	"31:	mov 12(%esp), %ebx\n"
	"	cmp $-1, %ebx\n"
	"	je 32f\n"
	"	mov $91, %eax\n"
	"	mov 0(%esp), %ecx\n"
	"	int $0x80\n"
	"32:	mov %ebp, %eax\n"
	"	mov 20(%esp), %edi\n"
	"	int3\n"
	"vdso_inject32_end:\n"
	".code64\n"
	".popsection\n");

extern const unsigned char vdso_inject64_start[], vdso_inject64_ok[], vdso_inject64_end[];
extern const unsigned char vdso_inject32_start[], vdso_inject32_ok[], vdso_inject32_end[];

int arch_inject_save(pid_t pid, struct inject_saved *s, bool *is_i386, unsigned long *ip, unsigned long *sp)
{
	struct user_regs_struct u;
	if (ptrace(PTRACE_GETREGS, pid, 0, &u) != 0)
		return -1;
	memcpy(s->r, &u, sizeof u);
	*is_i386 = u.cs == USER32_CS;
	*ip = *is_i386 ? (uint32_t)u.rip : u.rip;
	*sp = *is_i386 ? (uint32_t)u.rsp : u.rsp;
	return 0;
}

void arch_inject_stub(bool is_i386, const unsigned char **code, size_t *len)
{
	*code = is_i386 ? vdso_inject32_start : vdso_inject64_start;
	*len = (size_t)(is_i386 ? vdso_inject32_end - vdso_inject32_start : vdso_inject64_end - vdso_inject64_start);
}

static void put(unsigned char *at, uint64_t v, bool is_i386)
{
	if (is_i386) {
		uint32_t w = (uint32_t)v;
		memcpy(at, &w, 4);
	} else {
		memcpy(at, &v, 8);
	}
}

size_t arch_inject_params(bool is_i386, unsigned char *buf, size_t cap, uint64_t total, uint64_t data_len,
			  uint64_t image_len, const char *data_path, const char *image_path)
{
	const size_t size = 24 + 2 * PATH_FIELD + (is_i386 ? 0 : 24);
	if (cap < size || strlen(data_path) >= PATH_FIELD || strlen(image_path) >= PATH_FIELD)
		return 0;
	if (is_i386 && (total > UINT32_MAX || data_len > UINT32_MAX || image_len > UINT32_MAX))
		return 0;
	memset(buf, 0, size);
	size_t w = is_i386 ? 4 : 8;
	put(buf, total, is_i386);
	put(buf + w, data_len, is_i386);
	put(buf + 2 * w, image_len, is_i386);
	memcpy(buf + 24, data_path, strlen(data_path) + 1);
	memcpy(buf + 24 + PATH_FIELD, image_path, strlen(image_path) + 1);
	return size;
}

bool arch_inject_resume_ready(const struct inject_saved *s, bool is_i386)
{
	struct user_regs_struct u;
	memcpy(&u, s->r, sizeof u);
	/* The stub zeroes every general register as it resumes: they must be zero already, but
	 * rax, which holds -ENOSYS at the stop and gets execve's return value, 0, after it. */
	return !is_i386 && !(u.rbx | u.rcx | u.rdx | u.rsi | u.rdi | u.rbp | u.r8 | u.r9 | u.r10 | u.r11 |
			     u.r12 | u.r13 | u.r14 | u.r15);
}

size_t arch_inject_resume(const struct inject_saved *s, unsigned char *params, unsigned long ehdr_slot,
			  unsigned char *frame)
{
	struct user_regs_struct u;
	memcpy(&u, s->r, sizeof u);
	/* rflags then rip, just below the stack pointer: the stub's popfq; ret. */
	uint64_t resume_sp = u.rsp - 16, one = 1, f[2] = { u.eflags, u.rip };
	memcpy(params + 120, &ehdr_slot, 8);
	memcpy(params + 128, &resume_sp, 8);
	memcpy(params + 136, &one, 8);
	memcpy(frame, f, sizeof f);
	return sizeof f;
}

int arch_inject_enter(pid_t pid, const struct inject_saved *s, unsigned long stub_at, unsigned long params_at)
{
	struct user_regs_struct u;
	memcpy(&u, s->r, sizeof u);
	u.rip = stub_at;
	u.rsp = params_at;
	u.orig_rax = (unsigned long long)-1;
	return ptrace(PTRACE_SETREGS, pid, 0, &u) == 0 ? 0 : -1;
}

int arch_inject_result(pid_t pid, bool is_i386, unsigned long stub_at, long *result, int *step)
{
	struct user_regs_struct u;
	if (ptrace(PTRACE_GETREGS, pid, 0, &u) != 0)
		return -1;
	const unsigned char *start = is_i386 ? vdso_inject32_start : vdso_inject64_start;
	const unsigned char *ok = is_i386 ? vdso_inject32_ok : vdso_inject64_ok;
	const unsigned char *end = is_i386 ? vdso_inject32_end : vdso_inject64_end;
	unsigned long at = u.rip - stub_at;
	if (at != (unsigned long)(ok - start) && at != (unsigned long)(end - start))
		return 0;
	if (is_i386) {
		/* A 32-bit base may lie above 2 GiB: only -4095..-1 are errors. */
		uint32_t v = (uint32_t)u.rax;
		*result = v >= (uint32_t)-4095 ? (long)(int32_t)v : (long)v;
		*step = (int)(uint32_t)u.rdi;
	} else {
		*result = (long)u.rax;
		*step = (int)u.r14;
	}
	return 1;
}

int arch_inject_leave(pid_t pid, const struct inject_saved *s)
{
	struct user_regs_struct u;
	memcpy(&u, s->r, sizeof u);
	u.rax = 0;
	u.orig_rax = (unsigned long long)-1;
	return ptrace(PTRACE_SETREGS, pid, 0, &u) == 0 ? 0 : -1;
}

#endif
