// SPDX-License-Identifier: MIT
/*
 * The page protections, tried for real: each probe makes one access the
 * kernel's page tables must refuse, a SIGSEGV handler records the fault
 * and steps over it, and the check is that the fault came, at the right
 * address, with the right si_code.  The data area and the image are
 * read-only, the data area and the stack are never executable (UXN), the
 * kernel is privileged-only, and an unmapped page is unmapped.
 */
#include "user.h"

#define SIGSEGV		11
#define SA_SIGINFO	0x4
#define SEGV_MAPERR	1
#define SEGV_ACCERR	2
#define NR_rt_sigaction	134

struct k_sigaction { u64 handler, flags, restorer, mask; };
/* struct sigcontext's head, at ucontext + 176 (Linux arm64's layout). */
struct sigcontext_head { u64 fault_address, regs[31], sp, pc, pstate; };

static volatile int faults, fault_code;
static volatile u64 fault_addr;

/*
 * A data abort resumes at the next instruction; an instruction abort --
 * the probe called into a page it may not execute -- returns to the
 * caller, whose return address is still in x30.
 */
static void on_segv(int sig, void *info, void *uc)
{
	struct sigcontext_head *sc = (struct sigcontext_head *)((u8 *)uc + 176);

	(void)sig;
	faults++;
	fault_code = *(const s32 *)((const u8 *)info + 8);
	fault_addr = *(const u64 *)((const u8 *)info + 16);
	sc->pc = sc->pc == fault_addr ? sc->regs[30] : sc->pc + 4;
}

static void probe_store(u64 addr)
{
	__asm__ __volatile__("str wzr, [%0]" : : "r"(addr) : "memory");
}

static void probe_load(u64 addr)
{
	u32 v;

	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
}

static void probe_call(u64 addr)
{
	__asm__ __volatile__("blr %0" : : "r"(addr) : "x30", "memory");
}

/* One probe: exactly one fault, at addr, with code. */
static void expect_fault(void (*probe)(u64), u64 addr, int code, const char *what)
{
	int before = faults;

	probe(addr);
	tap(faults == before + 1 && fault_addr == addr && fault_code == code);
	put_str(what);
	put_str(code == SEGV_ACCERR ? " (SIGSEGV, SEGV_ACCERR at " : " (SIGSEGV, SEGV_MAPERR at ");
	put_hex(addr);
	put_str(")");
	put_end();
}

void fault_checks(u64 vdso_base)
{
	struct k_sigaction sa = { (u64)on_segv, SA_SIGINFO, 0, 0 };
	u32 ret_insn[2] = { 0xd65f03c0, 0 };	/* ret: code on the stack, which must never run */

	check(syscall6(NR_rt_sigaction, SIGSEGV, (long)&sa, 0, 8, 0, 0) == 0, "rt_sigaction installs a SIGSEGV handler");
	expect_fault(probe_store, vdso_base - 4096, SEGV_ACCERR, "a store to the time page faults: read-only");
	expect_fault(probe_store, vdso_base - 8192, SEGV_ACCERR, "a store to the getrandom page faults: read-only");
	expect_fault(probe_store, vdso_base, SEGV_ACCERR, "a store to the image faults: read-only");
	expect_fault(probe_call, vdso_base - 4096, SEGV_ACCERR, "a call into the time page faults: never executable (UXN)");
	expect_fault(probe_call, (u64)ret_insn, SEGV_ACCERR, "a call onto the stack faults: never executable (UXN)");
	expect_fault(probe_load, 0x40200000, SEGV_ACCERR, "a load from the kernel faults: privileged-only");
	expect_fault(probe_load, 0x1000, SEGV_MAPERR, "a load from an unmapped page faults");
	u32 magic = *(volatile const u32 *)(vdso_base - 4096);
	check(magic == 0x4f534456 && faults == 7, "the time page is still readable, and nothing else faulted");
}
