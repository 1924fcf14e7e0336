/* SPDX-License-Identifier: MIT */
/*
 * The riscv64 parts of vdso-run-riscv64, the loader qemu-user runs for an
 * RV64 program (main_guest.c): the symbols arch_x86_64.c supplies for the
 * native loader, less the exec tracer's (qemu-user cannot trace).
 */
#include "vdso_run.h"

#if defined(__riscv) && __riscv_xlen == 64

#include <errno.h>
#include <sys/mman.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <unistd.h>

const int arch_elf_machine = EM_RISCV;
const char arch_platform[] = "riscv64";
const char arch_name[] = "riscv64";

/* No Linux-layout mirror: Linux's riscv64 struct vdso_clock has no max_cycles (x86 alone
 * selects GENERIC_VDSO_OVERFLOW_PROTECT).  0 pages: map.c lays out vdsogen's pages alone. */
const unsigned arch_linux_vvar_pages = 0;
const unsigned arch_linux_time_page = 0;
const size_t arch_linux_tz_offset = 0;
const size_t arch_linux_hrtimer_res_offset = 0;

/* A glibc without a riscv RSEQ_SIG (2.36) never registers an rseq area: nothing to undo. */
void arch_rseq_unregister(void)
{
#ifdef RSEQ_SIG
	if (__rseq_size == 0)
		return;
	void *area = (char *)__builtin_thread_pointer() + __rseq_offset;
	unsigned len = __rseq_size < 32 ? 32 : __rseq_size;
	if (syscall(SYS_rseq, area, len, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) != 0)
		syscall(SYS_rseq, area, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
#endif
}

/* Not mapped exactly: the time CSR is calibrated as any counter. */
unsigned arch_qemu_counter_period_ns(void)
{
	return 0;
}

int arch_munmap(uintptr_t addr, size_t len)
{
	return munmap((void *)addr, len) == 0 ? 0 : errno;
}

/*
 * As Linux's start_thread() leaves a RISC-V process: sp -> argc, the other
 * integer registers zero (a0 = 0 means "no rtld_fini" to a static
 * program's _start; its _start loads gp itself), t1 aside, which carries
 * the entry.
 */
_Noreturn void arch_enter(uintptr_t sp, uintptr_t entry)
{
	__asm__ __volatile__(
		"mv sp, %0\n\t"
		"mv t1, %1\n\t"
		"li ra, 0\n\tli gp, 0\n\tli t0, 0\n\tli t2, 0\n\t"
		"li s0, 0\n\tli s1, 0\n\tli a0, 0\n\tli a1, 0\n\t"
		"li a2, 0\n\tli a3, 0\n\tli a4, 0\n\tli a5, 0\n\t"
		"li a6, 0\n\tli a7, 0\n\tli s2, 0\n\tli s3, 0\n\t"
		"li s4, 0\n\tli s5, 0\n\tli s6, 0\n\tli s7, 0\n\t"
		"li s8, 0\n\tli s9, 0\n\tli s10, 0\n\tli s11, 0\n\t"
		"li t3, 0\n\tli t4, 0\n\tli t5, 0\n\tli t6, 0\n\t"
		"jr t1\n\t"
		:
		: "r"(sp), "r"(entry)
		: "memory");
	__builtin_unreachable();
}

#else
#error "guest/arch_riscv64.c is for vdso-run-riscv64 (riscv64-linux-gnu-gcc)"
#endif
