/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 parts of vdso-run.  An aarch64 port supplies the same symbols
 * (see vdso_run.h): EM_AARCH64, "aarch64", its Linux vvar layout, rseq
 * signature 0xd428bc00 and an entry sequence setting sp and branching.
 */
#include "vdso_run.h"

#if defined(__x86_64__)

#include <sys/rseq.h>
#include <sys/syscall.h>
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

#else
#error "vdso-run: no arch file for this architecture yet (see arch_x86_64.c)"
#endif
