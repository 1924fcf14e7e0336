/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 parts of vdso-run-aarch64, the loader qemu-user runs for an
 * aarch64 program (main_guest.c): the symbols arch_x86_64.c supplies for
 * the native loader, less the exec tracer's (qemu-user cannot trace).
 */
#include "vdso_run.h"

#if defined(__aarch64__)

#include <errno.h>
#include <sys/mman.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <unistd.h>

const int arch_elf_machine = EM_AARCH64;
const char arch_platform[] = "aarch64";
const char arch_name[] = "aarch64";

/*
 * No Linux-layout mirror: Linux's arm64 struct vdso_clock has no
 * max_cycles (arm64 does not select GENERIC_VDSO_OVERFLOW_PROTECT), so
 * vdso_linux_mirror's copy of vdsogen's blocks would not be its layout.
 * 0 pages: map.c lays out vdsogen's pages alone.
 */
const unsigned arch_linux_vvar_pages = 0;
const unsigned arch_linux_time_page = 0;
const size_t arch_linux_tz_offset = 0;
const size_t arch_linux_hrtimer_res_offset = 0;

void arch_rseq_unregister(void)
{
	if (__rseq_size == 0)
		return;
	void *area = (char *)__builtin_thread_pointer() + __rseq_offset;
	unsigned len = __rseq_size < 32 ? 32 : __rseq_size;
	if (syscall(SYS_rseq, area, len, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) != 0)
		syscall(SYS_rseq, area, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
}

/*
 * qemu-user's CNTVCT_EL0 counts the host's CLOCK_REALTIME microseconds in
 * units of 10^9 / CNTFRQ ns (kernel-vdso/host/qemu_counter.c); this loader
 * runs only under qemu-user (foreign.c starts it), so that is the counter.
 * 0 when CNTFRQ does not divide 10^9 (the unit would not be whole ns).
 */
unsigned arch_qemu_counter_period_ns(void)
{
	uint64_t f;
	__asm__ __volatile__("mrs %0, cntfrq_el0" : "=r"(f));
	return f && 1000000000u % f == 0 && 1000000000u / f < 1000 ? (unsigned)(1000000000u / f) : 0;
}

int arch_munmap(uintptr_t addr, size_t len)
{
	return munmap((void *)addr, len) == 0 ? 0 : errno;
}

/*
 * As Linux's start_thread() leaves an arm64 process: sp -> argc, every
 * general register zero (x0 = 0 means "no rtld_fini" to a static program's
 * _start), x17 aside, which carries the entry.
 */
_Noreturn void arch_enter(uintptr_t sp, uintptr_t entry)
{
	__asm__ __volatile__(
		"mov sp, %0\n\t"
		"mov x17, %1\n\t"
		"mov x0, xzr\n\tmov x1, xzr\n\tmov x2, xzr\n\tmov x3, xzr\n\t"
		"mov x4, xzr\n\tmov x5, xzr\n\tmov x6, xzr\n\tmov x7, xzr\n\t"
		"mov x8, xzr\n\tmov x9, xzr\n\tmov x10, xzr\n\tmov x11, xzr\n\t"
		"mov x12, xzr\n\tmov x13, xzr\n\tmov x14, xzr\n\tmov x15, xzr\n\t"
		"mov x16, xzr\n\tmov x18, xzr\n\tmov x19, xzr\n\tmov x20, xzr\n\t"
		"mov x21, xzr\n\tmov x22, xzr\n\tmov x23, xzr\n\tmov x24, xzr\n\t"
		"mov x25, xzr\n\tmov x26, xzr\n\tmov x27, xzr\n\tmov x28, xzr\n\t"
		"mov x29, xzr\n\tmov x30, xzr\n\t"
		"br x17\n\t"
		:
		: "r"(sp), "r"(entry)
		: "memory");
	__builtin_unreachable();
}

#else
#error "guest/arch_aarch64.c is for vdso-run-aarch64 (aarch64-linux-gnu-gcc)"
#endif
