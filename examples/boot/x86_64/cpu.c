/*
 * The CPU's tables and entry MSRs: GDT with user segments, the TSS, the IDT,
 * and SYSCALL/SYSRET.  One CPU, set up once.
 */
#include "kernel.h"

#define MSR_EFER	0xc0000080
#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_FMASK	0xc0000084
#define MSR_TSC_AUX	0xc0000103
#define EFER_SCE	(1UL << 0)
#define EFER_NXE	(1UL << 11)
#define CR0_MP		(1UL << 1)
#define CR0_EM		(1UL << 2)
#define CR4_OSFXSR	(1UL << 9)
#define CR4_OSXMMEXCPT	(1UL << 10)
#define CR4_SMEP	(1UL << 20)

#define RFLAGS_TF	(1UL << 8)
#define RFLAGS_IF	(1UL << 9)
#define RFLAGS_DF	(1UL << 10)
#define RFLAGS_NT	(1UL << 14)
#define RFLAGS_AC	(1UL << 18)

struct cpu_features cpu;

/*
 * The 64-bit TSS holds no task state any more, only stacks: RSP0 is where the
 * CPU switches to when an interrupt or exception arrives in ring 3 (user
 * stacks cannot be trusted), IST1 a known-good stack for double faults.
 */
struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __attribute__((packed));

static struct tss tss;
static u8 kernel_stack[16384] __attribute__((aligned(16)));
static u8 df_stack[4096] __attribute__((aligned(16)));

/*
 * The order of the first six descriptors is fixed by SYSCALL and SYSRET
 * (see STAR below): kernel code, kernel data right after it; then a 32-bit
 * user code slot (SYSRET to compat mode; unused here), user data, 64-bit
 * user code.  The TSS descriptor is 16 bytes in long mode.
 */
static u64 gdt[8] = {
	0,
	0x00af9a000000ffff,	/* 0x08 kernel code, 64-bit, DPL 0 */
	0x00cf92000000ffff,	/* 0x10 kernel data */
	0x00cffa000000ffff,	/* 0x18 user code, 32-bit, DPL 3 (STAR's base) */
	0x00cff2000000ffff,	/* 0x20 user data, DPL 3 */
	0x00affa000000ffff,	/* 0x28 user code, 64-bit, DPL 3 */
	0, 0,			/* 0x30 TSS, filled in at run time */
};

struct gate {
	u16 off0, sel;
	u8 ist, type;
	u16 off1;
	u32 off2, zero;
};
static struct gate idt[256];

struct table_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));

void idt_set(int vector, void (*handler)(void), int dpl)
{
	u64 a = (u64)handler;
	struct gate *g = &idt[vector];

	g->off0 = (u16)a;
	g->sel = KERNEL_CS;
	g->ist = vector == 8 ? 1 : 0;	/* #DF on its own stack */
	g->type = (u8)(0x8e | dpl << 5);	/* present, 64-bit interrupt gate (IF cleared on entry) */
	g->off1 = (u16)(a >> 16);
	g->off2 = (u32)(a >> 32);
	g->zero = 0;
}

static void gdt_load(void)
{
	u64 base = (u64)&tss, limit = sizeof(tss) - 1;
	struct table_ptr p = { sizeof(gdt) - 1, (u64)gdt };

	gdt[6] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89UL << 40 | ((base >> 24) & 0xff) << 56;
	gdt[7] = base >> 32;
	__asm__ __volatile__("lgdt %0\n\t"
			     "pushq %1\n\t"
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"			/* reload CS from the new table */
			     "1:\tmovl %2, %%eax\n\t"
			     "movl %%eax, %%ds\n\tmovl %%eax, %%es\n\tmovl %%eax, %%ss\n\t"
			     "ltr %w3"
			     : : "m"(p), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"(TSS_SEL) : "rax", "memory");
}

static void features(void)
{
	u32 r[4];

	cpuid(1, 0, r);
	cpu.rdrand = (r[2] >> 30) & 1;
	cpuid(7, 0, r);
	cpu.smep = (r[1] >> 7) & 1;
	cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		cpu.rdtscp = (r[3] >> 27) & 1;
	}
	cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000007) {
		cpuid(0x80000007, 0, r);
		cpu.invariant_tsc = (r[3] >> 8) & 1;
	}
}

/*
 * SSE for ring 3 (CR4.OSFXSR; the x86-64 ABI and the vDSO's ChaCha20 use it).
 * The kernel is built -mgeneral-regs-only and never touches a vector
 * register, so with one process it need not save any: the timer interrupt
 * leaves user state as it found it.  SMEP: the kernel never executes a user
 * page, even by mistake.
 */
static void control_registers(void)
{
	u64 cr0, cr4;

	__asm__ __volatile__("mov %%cr0, %0" : "=r"(cr0));
	__asm__ __volatile__("mov %0, %%cr0" : : "r"((cr0 & ~CR0_EM) | CR0_MP));
	__asm__ __volatile__("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT | (cpu.smep ? CR4_SMEP : 0);
	__asm__ __volatile__("mov %0, %%cr4; fninit" : : "r"(cr4));
}

void cpu_init(void)
{
	struct table_ptr ip = { sizeof(idt) - 1, (u64)idt };
	int i;

	features();
	tss.rsp[0] = (u64)(kernel_stack + sizeof(kernel_stack));
	tss.ist[0] = (u64)(df_stack + sizeof(df_stack));
	tss.iomap_base = sizeof(tss);	/* no I/O bitmap: ring 3 gets no port access */
	gdt_load();

	for (i = 0; i < 33; i++)
		idt_set(i, (void (*)(void))isr_table[i], 0);
	__asm__ __volatile__("lidt %0" : : "m"(ip));

	/*
	 * STAR[47:32]: SYSCALL loads CS from it and SS from it + 8 (0x08, 0x10).
	 * STAR[63:48]: 64-bit SYSRET loads CS from it + 16 and SS from it + 8,
	 * both with RPL 3: 0x18 | 3 gives 0x2b and 0x23.  Hence the GDT order.
	 * LSTAR is the 64-bit entry point; FMASK the RFLAGS bits SYSCALL clears:
	 * IF (no interrupt before entry.S is on the kernel stack), TF, DF (the
	 * ABI's direction flag), AC, NT.
	 */
	wrmsr(MSR_STAR, (u64)(0x18 | 3) << 48 | (u64)KERNEL_CS << 32);
	wrmsr(MSR_LSTAR, (u64)syscall_entry);
	wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE | EFER_NXE);
	syscall_kernel_rsp = tss.rsp[0];

	/* getcpu's answer for the vDSO: IA32_TSC_AUX = (node << 12) | cpu, CPU 0 on node 0. */
	if (cpu.rdtscp)
		wrmsr(MSR_TSC_AUX, 0);
	control_registers();
}

/*
 * Random bits for the vDSO's address and AT_RANDOM and getrandom(2): RDRAND
 * where the CPU has it, else xorshift64* seeded from the TSC.  Good enough for
 * a test kernel, not for cryptography.
 */
u64 random_u64(void)
{
	static u64 x;
	u64 v;
	int i;

	if (cpu.rdrand)
		for (i = 0; i < 10; i++) {
			u8 ok;
			__asm__ __volatile__("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
			if (ok)
				return v;
		}
	if (!x)
		x = rdtsc_ordered() | 1;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	return x * 0x2545f4914f6cdd1dUL;
}
