// SPDX-License-Identifier: MIT
/*
 * Just enough signals to return through the vDSO's __kernel_rt_sigreturn:
 * rt_sigaction to install a handler, kill to raise a signal at the
 * process itself, SIGSEGV for a fault, and rt_sigreturn.  A handler installed without
 * SA_RESTORER returns, as on Linux, to the vDSO's trampoline
 * (VDSO64_SYM___kernel_rt_sigreturn, from vdso_map): its RET lands on
 * "mov x8, #139; svc #0", and rt_sigreturn restores the interrupted
 * registers from the frame.
 *
 * The frame has Linux's arm64 layout (struct rt_sigframe: siginfo, then a
 * ucontext whose uc_mcontext is struct sigcontext), with one record in
 * sigcontext's reserved area, the FP/SIMD registers (struct
 * fpsimd_context), then the empty record that ends the list.  The handler
 * may use the vector registers freely: rt_sigreturn puts back those of the
 * interrupted code, which a fault can interrupt anywhere.
 */
#include "kernel.h"

#define NSIG		64
#define FPSIMD_MAGIC	0x46508001u
#define SA_SIGINFO	0x00000004UL
#define SA_RESTORER	0x04000000UL

struct k_sigaction {
	u64 handler, flags, restorer, mask;
};

struct sigcontext {
	u64 fault_address, regs[31], sp, pc, pstate;
	u8 reserved[4096] __attribute__((aligned(16)));	/* FP/SIMD and other records; a zero one ends them */
};

/* struct fpsimd_context: the first record in sigcontext's reserved area. */
struct fpsimd_record {
	u32 magic, size;
	u32 fpsr, fpcr;			/* fpsimd.S saves and restores from here ... */
	u8 vregs[32][16];		/* ... to here */
};
_Static_assert(sizeof(struct fpsimd_record) == 528, "Linux's struct fpsimd_context");

/* fpsimd.S */
void fpsimd_save(u32 *fpsr_fpcr_vregs);
void fpsimd_restore(const u32 *fpsr_fpcr_vregs);

struct rt_sigframe {
	u8 info[128];			/* siginfo_t: si_signo, si_errno, si_code, ... */
	struct {
		u64 uc_flags, uc_link, ss_sp;
		u32 ss_flags, pad;
		u64 ss_size, uc_sigmask;
		u8 unused[120];
		struct sigcontext uc_mcontext __attribute__((aligned(16)));
	} uc;
	u64 fp, lr;			/* struct frame_record: x29 points here, so unwinders walk out */
};
_Static_assert(__builtin_offsetof(struct rt_sigframe, uc.uc_mcontext) == 128 + 176, "Linux's rt_sigframe");

static struct k_sigaction actions[NSIG + 1];
static u64 blocked;	/* the signal mask: bit sig - 1 */
static u64 sigreturn_tramp;

void signal_init(u64 trampoline)
{
	sigreturn_tramp = trampoline;
}

long sys_rt_sigaction(u64 sig, u64 act, u64 oact, u64 setsize)
{
	if (sig < 1 || sig > NSIG || sig == 9 || sig == 19 || setsize != 8)	/* not SIGKILL, SIGSTOP */
		return -EINVAL;
	struct k_sigaction new, old = actions[sig];

	if (act && copy_from_user(&new, act, sizeof new))
		return -EFAULT;
	if (oact && copy_to_user(oact, &old, sizeof old))
		return -EFAULT;
	if (act)
		actions[sig] = new;
	return 0;
}

/*
 * Enter sa's handler for sig with the context in f saved in a frame below
 * the user SP; the signal is blocked until the handler's rt_sigreturn
 * restores the mask the frame saved (uc_sigmask), as Linux does without
 * SA_NODEFER.  code and addr are siginfo's si_code and si_addr.
 */
static void deliver(struct trap_frame *f, u64 sig, s32 code, u64 addr)
{
	const struct k_sigaction *sa = &actions[sig];
	/* Built here, then copied out whole (one CPU, interrupts masked: one static frame will do). */
	static struct rt_sigframe kframe;
	struct rt_sigframe *frame = &kframe;
	u64 sp = ((f->sp_el0 - sizeof(struct rt_sigframe)) & ~15UL);
	struct rt_sigframe *uframe = (struct rt_sigframe *)sp;	/* its user address, never dereferenced */

	memset(frame, 0, sizeof *frame);
	*(s32 *)frame->info = (s32)sig;		/* si_signo */
	*(s32 *)(frame->info + 8) = code;	/* si_code */
	*(u64 *)(frame->info + 16) = addr;	/* si_addr */
	frame->uc.uc_sigmask = blocked;
	for (int i = 0; i < 31; i++)
		frame->uc.uc_mcontext.regs[i] = f->x[i];
	frame->uc.uc_mcontext.fault_address = addr;
	frame->uc.uc_mcontext.sp = f->sp_el0;
	frame->uc.uc_mcontext.pc = f->elr;
	frame->uc.uc_mcontext.pstate = f->spsr;
	struct fpsimd_record *fp = (struct fpsimd_record *)frame->uc.uc_mcontext.reserved;
	fp->magic = FPSIMD_MAGIC;
	fp->size = sizeof *fp;
	fpsimd_save(&fp->fpsr);		/* the next record, all zero: the end of the list */
	frame->fp = f->x[29];
	frame->lr = f->x[30];
	if (copy_to_user(sp, frame, sizeof *frame)) {
		kprintf("kernel: no room for a signal frame below SP 0x%lx\n", f->sp_el0);
		kernel_exit(128 + 11);
	}
	blocked |= 1UL << (sig - 1) | sa->mask;

	f->x[0] = sig;
	f->x[1] = (u64)uframe->info;
	f->x[2] = (u64)&uframe->uc;
	f->x[29] = (u64)&uframe->fp;
	f->x[30] = sa->flags & SA_RESTORER ? sa->restorer : sigreturn_tramp;
	f->sp_el0 = sp;
	f->elr = sa->handler;
	f->spsr &= 0xf0000000UL;		/* EL0t, NZCV kept, BTYPE 0: a fresh entry */
}

/* A handler to run: not SIG_DFL (every signal here terminates), not SIG_IGN, not blocked. */
static int catches(u64 sig)
{
	return actions[sig].handler > 1 && !(blocked & 1UL << (sig - 1));
}

/*
 * kill(pid, sig) at the process itself (pid 1 or 0): the signal is
 * delivered on the way out of this very system call, so the frame saves
 * kill's result, 0, in x0.  No pending signals: one that is blocked is
 * dropped.
 */
long sys_kill(struct trap_frame *f, s64 pid, u64 sig)
{
	if (pid != 1 && pid != 0)
		return -3;	/* ESRCH: there is no other process */
	if (sig > NSIG)
		return -EINVAL;
	if (sig == 0 || actions[sig].handler == 1 || (blocked & 1UL << (sig - 1)))
		return 0;
	if (!catches(sig)) {
		kprintf("kernel: killed by signal %lu\n", sig);
		kernel_exit(128 + (int)sig);
	}
	f->x[0] = 0;
	deliver(f, sig, 0 /* SI_USER */, 0);
	return (long)f->x[0];
}

/*
 * A fault from EL0 becomes SIGSEGV when the process catches it (its
 * handler may repair the context and return); returns 0 if delivered.
 * A fault while SIGSEGV is blocked -- in the handler itself -- is fatal.
 */
int signal_fault(struct trap_frame *f, u64 sig, s32 code, u64 addr)
{
	if (!catches(sig))
		return -1;
	deliver(f, sig, code, addr);
	return 0;
}

/*
 * rt_sigreturn: the frame at SP (the handler has popped its own).  The
 * saved PSTATE comes from user memory, so only its condition flags are
 * taken: anything else could return to EL1 or with interrupts masked.
 */
long sys_rt_sigreturn(struct trap_frame *f)
{
	u64 sp = f->sp_el0, mask;
	/* The registers and the FP/SIMD record, not the rest of the 4 KiB reserved area. */
	struct { u64 fault_address, regs[31], sp, pc, pstate; } sc;
	static struct fpsimd_record fp;
	u64 mc = sp + __builtin_offsetof(struct rt_sigframe, uc.uc_mcontext);

	if (sp & 15 || copy_from_user(&sc, mc, sizeof sc) ||
	    copy_from_user(&fp, mc + __builtin_offsetof(struct sigcontext, reserved), sizeof fp) ||
	    fp.magic != FPSIMD_MAGIC || fp.size != sizeof fp ||
	    copy_from_user(&mask, sp + __builtin_offsetof(struct rt_sigframe, uc.uc_sigmask), sizeof mask)) {
		kprintf("kernel: rt_sigreturn with a bad frame at SP 0x%lx\n", sp);
		kernel_exit(128 + 11);
	}
	for (int i = 0; i < 31; i++)
		f->x[i] = sc.regs[i];
	f->sp_el0 = sc.sp;
	f->elr = sc.pc;
	f->spsr = sc.pstate & 0xf0000000UL;
	fpsimd_restore(&fp.fpsr);	/* back in the registers until the eret to EL0 */
	blocked = mask & ~(1UL << (9 - 1) | 1UL << (19 - 1));	/* SIGKILL and SIGSTOP cannot be blocked */
	return (long)f->x[0];
}
