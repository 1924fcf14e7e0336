/* SPDX-License-Identifier: MIT */
/*
 * The vDSO data page: the ABI between the "kernel" (whatever maps the image:
 * a kernel, a unikernel, an emulator, `vdsogen run`, a test harness) and the
 * vDSO routines.
 *
 * The kernel side writes these pages; the vDSO only ever reads them.  They are
 * mapped read-only into every process at fixed offsets below the vDSO image
 * (see VDSO_TIME_PAGE_OFFSET, VDSO_RNG_PAGE_OFFSET and the linker scripts), and
 * the vDSO reaches them PC-relatively through the hidden symbols
 * `vdso_time_data` and `vdso_rng_data`, so the image needs no relocation
 * wherever it is mapped.
 *
 * The layout is modelled on Linux's `struct vdso_time_data`/`struct vdso_clock`
 * (include/vdso/datapage.h) but is vdsogen's own: do not assume it matches any
 * particular Linux version.  It is identical for 32- and 64-bit code (64-bit
 * fields are explicitly 8-byte aligned), so a 64-bit kernel can serve a 32-bit
 * compat vDSO from the same page.
 *
 * Protocol (a sequence lock per struct vdso_clock):
 *   writer:  seq++ (now odd); smp_wmb(); update fields; smp_wmb(); seq++ (even)
 *   reader:  do { s = seq; while (s & 1) spin; smp_rmb(); read fields;
 *                 smp_rmb(); } while (seq != s);
 * A reader never blocks the writer; it retries if it raced with an update.
 *
 * This header is freestanding: it includes nothing and may be used by C code
 * built with -ffreestanding -nostdlib, by a kernel, and by ordinary programs.
 * Assembly (__ASSEMBLER__) gets the constants only.
 */
#ifndef VDSOGEN_VDSO_DATAPAGE_H
#define VDSOGEN_VDSO_DATAPAGE_H

#ifndef __ASSEMBLER__
typedef __UINT8_TYPE__ vdso_u8;
typedef __UINT32_TYPE__ vdso_u32;
typedef __INT32_TYPE__ vdso_s32;
/* 8-byte aligned on every architecture, so i386 lays the page out as x86-64 does. */
typedef __UINT64_TYPE__ vdso_u64 __attribute__((aligned(8)));
typedef __INT64_TYPE__ vdso_s64 __attribute__((aligned(8)));
#endif

/*
 * 4 KiB pages: the data pages' layout, the rng page's padding and
 * getrandom's "a state may not straddle a page" test all assume them.  A
 * kernel with 16 or 64 KiB pages (arm64 can have either) needs its own
 * value here and in the linker script.
 */
#define VDSO_PAGE_SIZE		4096
/*
 * The data pages below the image, counted in pages down from its first byte:
 *
 *	image - 2 pages		struct vdso_rng_data	(images that export getrandom: x86-64, arm64)
 *	image - 1 page		struct vdso_time_data	(every image)
 *	image			the vDSO image
 *
 * The time page stays right below the image on every architecture, so images
 * without getrandom (and every harness written for them) keep one data page.
 * VDSO_DATA_PAGES is the time page's distance, what `vdsogen run --data-pages`
 * defaults to; VDSO_DATA_PAGES_MAX is how many pages the largest layout
 * needs below the image.
 */
#define VDSO_TIME_PAGE_OFFSET	1
#define VDSO_RNG_PAGE_OFFSET	2
#define VDSO_DATA_PAGES		VDSO_TIME_PAGE_OFFSET
#define VDSO_DATA_PAGES_MAX	VDSO_RNG_PAGE_OFFSET

/* "VDSO" in little-endian: lets a vDSO or a debugger recognise a filled page. */
#define VDSO_DATA_MAGIC		0x4f534456u
#define VDSO_DATA_ABI_VERSION	1

/* Linux clock ids the page serves (uapi/linux/time.h). */
#define VDSO_CLOCK_REALTIME		0
#define VDSO_CLOCK_MONOTONIC		1
#define VDSO_CLOCK_PROCESS_CPUTIME_ID	2
#define VDSO_CLOCK_THREAD_CPUTIME_ID	3
#define VDSO_CLOCK_MONOTONIC_RAW	4
#define VDSO_CLOCK_REALTIME_COARSE	5
#define VDSO_CLOCK_MONOTONIC_COARSE	6
#define VDSO_CLOCK_BOOTTIME		7
#define VDSO_CLOCK_REALTIME_ALARM	8
#define VDSO_CLOCK_BOOTTIME_ALARM	9
#define VDSO_CLOCK_TAI			11
/* basetime[] is indexed by clock id, up to and including CLOCK_TAI. */
#define VDSO_BASES			(VDSO_CLOCK_TAI + 1)

/* Which counter the hres clocks interpolate with; NONE sends every call to the system call. */
#define VDSO_CLOCKMODE_NONE	0
#define VDSO_CLOCKMODE_COUNTER	1	/* the architecture's counter: TSC, cntvct_el0, rdtime, ... */
/*
 * The same counter, read at its next edge: for a counter that steps
 * coarsely, such as qemu-user's CNTVCT_EL0 (the host's REALTIME in whole
 * microseconds, kernel-vdso/host/qemu_counter.c).  Only images whose
 * __arch_counter_mode() accepts it (aarch64) read it; any other takes the
 * system call, as for a mode it does not know.
 */
#define VDSO_CLOCKMODE_COUNTER_EDGE	2

/* How getcpu finds the current CPU; SYSCALL sends it to the system call. */
#define VDSO_CPUMODE_SYSCALL	0
#define VDSO_CPUMODE_RDTSCP	1	/* x86: IA32_TSC_AUX = (node << 12) | cpu, read by RDTSCP */
#define VDSO_CPUMODE_RDPID	2	/* x86: the same value, read by RDPID */

/*
 * How the i386 (compat) image's __kernel_vsyscall enters the kernel.  The
 * kernel side chooses from what the CPU offers and what the kernel supports:
 * a 64-bit Linux kernel accepts SYSENTER from 32-bit code on Intel (and
 * Centaur/Zhaoxin), SYSCALL on AMD (and Hygon); a 32-bit kernel SYSENTER
 * where CPUID says SEP.  INT80 (0: an unfilled page) works everywhere.  Both
 * fast entries return to the image's int80_landing_pad.
 */
#define VDSO_SYSCALL_INT80	0
#define VDSO_SYSCALL_SYSENTER	1
#define VDSO_SYSCALL_SYSCALL	2

/* Index into vdso_time_data.clock_data[]. */
#define VDSO_CS_HRES_COARSE	0	/* REALTIME, MONOTONIC, BOOTTIME, TAI and the coarse clocks */
#define VDSO_CS_RAW		1	/* MONOTONIC_RAW */
#define VDSO_CS_BASES		2

/*
 * struct vdso_rng_data's cpu_features (its offset, for assembly): what the
 * CPU and the kernel's register saving support, so that the vDSO, which is
 * not patched where it is mapped, can choose its ChaCha20 at run time.
 */
#define VDSO_RNG_CPU_FEATURES	9
#define VDSO_RNG_CPU_AVX2	0x01	/* x86-64: AVX2, and the kernel saves YMM state (XCR0) */

#ifndef __ASSEMBLER__
struct vdso_timestamp {
	vdso_u64 sec;
	/* hres clocks: nanoseconds << shift; coarse clocks: plain nanoseconds. */
	vdso_u64 nsec;
};

/*
 * One clock source: hres time is
 *   ns = (((counter - cycle_last) & mask) * mult + basetime[id].nsec) >> shift
 *   sec = basetime[id].sec  (then normalised)
 * A counter delta above max_cycles would overflow 64 bits in the product and
 * must be computed with a wider multiply.
 */
struct vdso_clock {
	vdso_u32 seq;
	vdso_s32 clock_mode;
	vdso_u64 cycle_last;
	vdso_u64 max_cycles;
	vdso_u64 mask;
	vdso_u32 mult;
	vdso_u32 shift;
	struct vdso_timestamp basetime[VDSO_BASES];
};

struct vdso_time_data {
	vdso_u32 magic;			/* VDSO_DATA_MAGIC once the page is filled */
	vdso_u32 abi_version;		/* VDSO_DATA_ABI_VERSION */
	struct vdso_clock clock_data[VDSO_CS_BASES];
	vdso_s32 tz_minuteswest;	/* struct timezone, as settimeofday() set it */
	vdso_s32 tz_dsttime;
	vdso_u32 hrtimer_res;		/* clock_getres() of the hres and raw clocks, ns */
	vdso_u32 coarse_res;		/* clock_getres() of the coarse clocks (a tick), ns */
	vdso_s32 cpu_mode;		/* VDSO_CPUMODE_* */
	vdso_u32 syscall_mode;		/* VDSO_SYSCALL_*: i386 __kernel_vsyscall's entry */
	vdso_u64 counter_hz;		/* informational: counter frequency the kernel calibrated */
} __attribute__((aligned(VDSO_PAGE_SIZE)));

/*
 * The getrandom page (Linux's struct vdso_rng_data, the same layout: a Linux
 * vDSO image reads this page too).
 *
 * generation: the kernel bumps it whenever every user-space getrandom key
 *	must be replaced -- when its own RNG reseeds, when a virtual machine is
 *	forked or restored.  Never 0 once the page is ready, so a per-thread
 *	state that was zeroed (a fork wiped it, memory pressure dropped it)
 *	always differs and re-keys.  Written with release semantics after
 *	the RNG is reseeded.
 * is_ready: nonzero once the kernel's RNG is initialised; while 0, every
 *	vDSO getrandom call is the system call (which may block or fail as
 *	its flags say).
 * cpu_features: VDSO_RNG_CPU_* bits, set before is_ready and never changed
 *	while it is 1; 0 means the baseline (SSE2 on x86-64).  Not in Linux's
 *	layout, whose vDSO never reads the byte.
 */
struct vdso_rng_data {
	vdso_u64 generation;
	vdso_u8 is_ready;
	vdso_u8 cpu_features;
} __attribute__((aligned(VDSO_PAGE_SIZE)));

/* The layout is ABI: these hold on every architecture and for both ELF classes. */
_Static_assert(sizeof(struct vdso_timestamp) == 16, "vdso_timestamp layout");
_Static_assert(__builtin_offsetof(struct vdso_clock, cycle_last) == 8, "vdso_clock layout");
_Static_assert(__builtin_offsetof(struct vdso_clock, basetime) == 40, "vdso_clock layout");
_Static_assert(sizeof(struct vdso_clock) == 40 + 16 * VDSO_BASES, "vdso_clock layout");
_Static_assert(__builtin_offsetof(struct vdso_time_data, clock_data) == 8, "vdso_time_data layout");
_Static_assert(__builtin_offsetof(struct vdso_time_data, counter_hz) == 8 + 2 * (40 + 16 * VDSO_BASES) + 24,
	       "vdso_time_data layout");
_Static_assert(__builtin_offsetof(struct vdso_time_data, syscall_mode) ==
	       __builtin_offsetof(struct vdso_time_data, counter_hz) - 4, "vdso_time_data layout");
_Static_assert(sizeof(struct vdso_time_data) == VDSO_PAGE_SIZE, "vdso_time_data fills one page");
_Static_assert(__builtin_offsetof(struct vdso_rng_data, is_ready) == 8, "vdso_rng_data layout");
_Static_assert(__builtin_offsetof(struct vdso_rng_data, cpu_features) == VDSO_RNG_CPU_FEATURES,
	       "vdso_rng_data layout");
_Static_assert(sizeof(struct vdso_rng_data) == VDSO_PAGE_SIZE, "vdso_rng_data fills one page");
#endif /* !__ASSEMBLER__ */

#endif /* VDSOGEN_VDSO_DATAPAGE_H */
