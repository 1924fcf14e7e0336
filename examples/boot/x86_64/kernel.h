/* Declarations shared by the kernel's files: freestanding, no libc. */
#ifndef BOOT_X86_64_KERNEL_H
#define BOOT_X86_64_KERNEL_H

typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT64_TYPE__ s64;
typedef __INT32_TYPE__ s32;
typedef __SIZE_TYPE__ size_t;

#define KERNEL_BASE	0xffffffff80000000UL
#define PAGE_SIZE	4096UL
#define PHYS(v)		((u64)(v) - KERNEL_BASE)
#define VIRT(p)		((void *)((u64)(p) + KERNEL_BASE))

/* Selectors; the order is what SYSCALL/SYSRET demand (cpu.c, STAR). */
#define KERNEL_CS	0x08
#define KERNEL_DS	0x10
#define USER_DS		(0x20 | 3)
#define USER_CS		(0x28 | 3)
#define TSS_SEL		0x30

#define EINVAL	22
#define EFAULT	14
#define ENOSYS	38
#define EBADF	9
#define ENOMEM	12

/* The registers entry.S saves on an interrupt or exception, lowest address first. */
struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

/* Port I/O and MSRs. */
static inline void outb(u16 port, u8 v) { __asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(u16 port, u32 v) { __asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;
	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}
static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}
static inline void cpuid(u32 leaf, u32 sub, u32 r[4])
{
	__asm__ __volatile__("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
/* The TSC in program order (as the vDSO reads it without RDTSCP). */
static inline u64 rdtsc_ordered(void)
{
	u32 lo, hi;
	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (u64)hi << 32 | lo;
}

/* libc-free helpers (lib.c); the compiler may also emit calls to memcpy/memset. */
void *memcpy(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
void serial_init(void);
void kputs(const char *s);
void kwrite(const char *s, size_t n);
void kputhex(u64 v);
void kputhex2(u8 v);	/* two digits, no 0x */
void kputdec(u64 v);
_Noreturn void qemu_exit(u32 status);
_Noreturn void panic(const char *why);

/* cpu.c */
struct cpu_features { int rdtscp, rdrand, smep, invariant_tsc; };
extern struct cpu_features cpu;
void cpu_init(void);
void idt_set(int vector, void (*handler)(void), int dpl);
u64 random_u64(void);

/* mm.c: physical pages and the user half of the address space. */
#define PTE_P	(1UL << 0)
#define PTE_W	(1UL << 1)
#define PTE_U	(1UL << 2)
#define PTE_NX	(1UL << 63)
void mm_init(u64 start_info);	/* the PVH hvm_start_info's physical address */
u64 page_alloc(void);	/* zeroed, physical address */
void map_page(u64 va, u64 pa, u64 flags);
int user_range_ok(u64 va, u64 len, int write);
u64 user_mmap_anon(u64 len);

/* timer.c */
void timer_init(void);
void timer_tick(void);
int kernel_clock_gettime(int clock, u64 *sec, u32 *nsec);
int kernel_clock_getres(int clock, u32 *ns);
u64 timer_ticks(void);

/* exec.c */
_Noreturn void exec_init(void);

/* entry.S */
_Noreturn void enter_user(u64 rip, u64 rsp);
void syscall_entry(void);
extern void *isr_table[];
extern u64 syscall_kernel_rsp;

/* syscall.c */
struct syscall_frame;
long syscall_dispatch(struct syscall_frame *f);
_Noreturn void syscall_kill(void);

#endif
