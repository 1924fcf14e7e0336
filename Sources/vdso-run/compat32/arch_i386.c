/* SPDX-License-Identifier: MIT */
/*
 * The i386 parts of vdso-run32, the 32-bit loader (main32.c): the same
 * symbols as arch_x86_64.c supplies for the 64-bit loader, less the exec
 * tracer's (the tracer is always the 64-bit loader).
 */
#include "vdso_run.h"

#if defined(__i386__)

#include <sys/rseq.h>
#include <sys/syscall.h>
#include <unistd.h>

const int arch_elf_machine = EM_386;
/* What a 64-bit Linux kernel gives a 32-bit process as AT_PLATFORM. */
const char arch_platform[] = "i686";
const char arch_name[] = "i386";

/*
 * The data pages are the 64-bit loader's memfd, laid out for x86-64 (a
 * Linux-layout mirror 6 pages below the image): the 32-bit loader must
 * compute the same layout to map it, so these equal arch_x86_64.c's.
 */
const unsigned arch_linux_vvar_pages = 6;
const unsigned arch_linux_time_page = 0;
const size_t arch_linux_tz_offset = 0x910;
const size_t arch_linux_hrtimer_res_offset = 0x918;

void arch_rseq_unregister(void)
{
	if (__rseq_size == 0)
		return;
	char *tp;
	__asm__("movl %%gs:0, %0" : "=r"(tp));
	void *area = tp + __rseq_offset;
	unsigned len = __rseq_size < 32 ? 32 : __rseq_size;
	if (syscall(SYS_rseq, area, len, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) != 0)
		syscall(SYS_rseq, area, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
}

/* Not through libc: its system calls go through the kernel's __kernel_vsyscall, being unmapped. */
int arch_munmap(uintptr_t addr, size_t len)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "0"(__NR_munmap), "b"(addr), "c"(len) : "memory");
	return r < 0 && r > -4096 ? (int)-r : 0;
}

/*
 * As the kernel starts a 32-bit process: esp -> argc, every other register
 * zero (edx = 0 means "no rtld_fini" to a static program's _start), DF clear.
 */
_Noreturn void arch_enter(uintptr_t sp, uintptr_t entry)
{
	__asm__ __volatile__(
		"movl %0, %%esp\n\t"
		"pushl %1\n\t"
		"xorl %%eax, %%eax\n\t"
		"xorl %%ebx, %%ebx\n\t"
		"xorl %%ecx, %%ecx\n\t"
		"xorl %%edx, %%edx\n\t"
		"xorl %%esi, %%esi\n\t"
		"xorl %%edi, %%edi\n\t"
		"xorl %%ebp, %%ebp\n\t"
		"cld\n\t"
		/* The entry off the stack, which then points at argc again. */
		"ret\n\t"
		:
		: "r"(sp), "r"(entry)
		: "memory");
	__builtin_unreachable();
}

#else
#error "compat32/arch_i386.c is for the 32-bit loader (clang -m32)"
#endif
