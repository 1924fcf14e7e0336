/* kmain: bring the machine up in the order each part needs the previous one, then run /init. */
#include "kernel.h"

static const char *const exception_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow", "#BR bound",
	"#UD invalid opcode", "#NM no FPU", "#DF double fault", "coprocessor overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection", "#PF page fault", "15",
	"#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD error", "#VE virtualisation",
	"#CP control protection", "22", "23", "24", "25", "26", "27", "#HV", "#VC", "#SX security", "31",
};

/* Interrupts and exceptions (entry.S's trap_common).  Any exception ends the run with a failure. */
void trap_handler(struct trap_frame *f)
{
	u64 cr2;

	if (f->vector == 32) {
		timer_tick();
		return;
	}
	__asm__ __volatile__("mov %%cr2, %0" : "=r"(cr2));
	kputs("kernel: ");
	kputs(f->vector < 32 ? exception_names[f->vector] : "unexpected interrupt");
	kputs((f->cs & 3) ? " in /init" : " in the kernel");
	kputs(": error ");
	kputhex(f->error);
	kputs(" rip ");
	kputhex(f->rip);
	kputs(" rsp ");
	kputhex(f->rsp);
	kputs(" cr2 ");
	kputhex(cr2);
	kputs("\n");
	qemu_exit(0x7e);
}

void kmain(u64 start_info)
{
	serial_init();
	kputs("kernel: booted by PVH\n");
	cpu_init();	/* GDT, TSS, IDT, SYSCALL MSRs, TSC_AUX */
	mm_init(start_info);	/* drop the identity map; page allocator over the PVH memory map */
	timer_init();	/* TSC calibration, timekeeper, time page, PIT at HZ */
	exec_init();	/* vDSO mapping, /init's ELF, stack, ring 3 */
}
