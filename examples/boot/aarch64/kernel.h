/* SPDX-License-Identifier: MIT */
/*
 * The tiny arm64 kernel's internal interfaces: one process, one CPU, EL1,
 * 4 KiB pages, a 39-bit address space.  Freestanding: nothing but this file
 * and the vDSO's own headers.
 */
#ifndef BOOT_AARCH64_KERNEL_H
#define BOOT_AARCH64_KERNEL_H

typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT32_TYPE__ s32;
typedef __INT64_TYPE__ s64;
typedef __SIZE_TYPE__ size_t;

#define PAGE_SIZE	4096UL
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)

/* Linux errno values the system calls return, negated. */
#define EFAULT	14
#define ENOMEM	12
#define EINVAL	22
#define ENOSYS	38
#define EBADF	9

/* -M virt's devices (hw/arm/virt.c's memory map). */
#define GICD_BASE	0x08000000UL
#define GICC_BASE	0x08010000UL
#define UART_BASE	0x09000000UL
#define RTC_BASE	0x09010000UL
#define DEVICE_BASE	0x08000000UL	/* the device window the kernel maps: GIC up to the RTC */
#define DEVICE_END	0x09200000UL

/*
 * The user address space, all of it below 1 << 39 (TTBR0, T0SZ = 25):
 * the program where it was linked, the vDSO somewhere random, anonymous
 * mmap()s in their own window and the stack at the top.
 */
#define USER_PROG_MIN	0x00200000UL
#define USER_PROG_MAX	0x08000000UL	/* below the device window */
#define USER_MMAP_BASE	0x1000000000UL
#define USER_MMAP_END	0x2000000000UL
#define USER_VDSO_MIN	0x2000000000UL	/* the vDSO's data area starts at a random page in here */
#define USER_VDSO_MAX	0x4000000000UL
#define USER_STACK_TOP	0x7f00000000UL
#define USER_STACK_PAGES 16

/* What an exception entry (boot.S) saves: the whole user register state. */
struct trap_frame {
	u64 x[31];
	u64 sp_el0;
	u64 elr;
	u64 spsr;
};
_Static_assert(sizeof(struct trap_frame) == 272, "boot.S's frame layout");

/* System registers by name; the "memory" clobber keeps them ordered with C accesses. */
#define read_sysreg(r) ({ u64 __v; __asm__ __volatile__("mrs %0, " #r : "=r"(__v) : : "memory"); __v; })
#define write_sysreg(r, v) __asm__ __volatile__("msr " #r ", %0" : : "r"((u64)(v)) : "memory")
#define isb()		__asm__ __volatile__("isb" : : : "memory")
#define dsb(opt)	__asm__ __volatile__("dsb " #opt : : : "memory")

static inline u32 mmio_read32(u64 addr)
{
	return *(volatile u32 *)addr;
}

static inline void mmio_write32(u64 addr, u32 v)
{
	*(volatile u32 *)addr = v;
}

/*
 * The virtual count, as the vDSO reads it: ISB first, so the read is not
 * hoisted above the instructions before it (the counter is not a memory
 * access; nothing else orders it).
 */
static inline u64 read_counter(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

/* console.c */
void console_init(void);
void console_write(const char *s, size_t n);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kernel_exit(int status) __attribute__((noreturn));
int kernel_exiting(void);
void panic(const char *msg) __attribute__((noreturn));
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* mmu.c */
#define UPROT_R		1
#define UPROT_W		2
#define UPROT_X		4
#define UPROT_GP	8	/* BTI guarded page: indirect branches must land on BTI */
void *page_alloc(void);
void page_free(void *p);
void mmu_init(void);
int map_user_page(u64 va, u64 pa, unsigned prot);
u64 unmap_user_page(u64 va);
void sync_icache(const void *p, size_t n);

/* uaccess.c */
void uaccess_init(void);
int cpu_has_pan(void);
int user_access_ok(u64 va, u64 len, int write);
int copy_to_user(u64 dst, const void *src, size_t n);	/* 0 or -EFAULT */
int copy_from_user(void *dst, u64 src, size_t n);

/* random.c */
void random_init(void);
u64 random_u64(void);
void random_fill(void *buf, size_t n);
int cpu_has_rndr(void);

/* gic.c */
void gic_init(unsigned ppi);
u32 gic_ack(void);
void gic_eoi(u32 id);

/* timer.c */
struct vdso_time_data;
void time_init(struct vdso_time_data *page);
void timer_init(void);
void irq_handler(struct trap_frame *f);
int kernel_clock_gettime(int clock, u64 *sec, u32 *nsec);
int kernel_clock_getres(int clock, u64 *sec, u32 *nsec);
u64 ticks_so_far(void);

/* vdso.c */
void vdso_data_init(void);
u64 vdso_map(void);

/* loader.c */
int load_user_program(u64 vdso_base, u64 *entry, u64 *sp);

/* signal.c */
void signal_init(u64 trampoline);
long sys_rt_sigaction(u64 sig, u64 act, u64 oact, u64 setsize);
long sys_kill(struct trap_frame *f, s64 pid, u64 sig);
long sys_rt_sigreturn(struct trap_frame *f);
int signal_fault(struct trap_frame *f, u64 sig, s32 code, u64 addr);

/* syscall.c */
void el0_sync_handler(struct trap_frame *f);
void bad_exception(struct trap_frame *f, u64 kind) __attribute__((noreturn));

/* boot.S */
void enter_user(u64 entry, u64 sp) __attribute__((noreturn));
extern u64 boot_el;

#endif /* BOOT_AARCH64_KERNEL_H */
