/*
 * Time: the TSC is the clock source, calibrated against the PIT; the PIT's
 * channel 0 interrupts HZ times a second, and each tick folds the TSC into
 * the timekeeper (kernel-vdso/kernel/timekeeping.c) and republishes the vDSO
 * time page.  The CMOS RTC gives the wall clock at boot.
 */
#include "kernel.h"
#include "vdso.h"
#include <vdso/datapage.h>
#include "timekeeping.h"

#define HZ		250
#define PIT_HZ		1193182UL	/* the PIT's input clock */
#define PIT_LATCH	((PIT_HZ + HZ / 2) / HZ)
#define CAL_MS		50
#define NSEC_PER_SEC	1000000000UL

static struct vdso_kt kt;
static volatile u64 ticks;

/*
 * How fast the TSC runs is nothing the CPU promises to tell (CPUID leaf 0x15
 * is often absent, and under QEMU's TCG the guest TSC is the host's, at the
 * host's rate, whatever the CPU model claims), so measure it against a clock
 * of known rate: PIT channel 2, gated by port 0x61 bit 0, counting down
 * CAL_MS worth of its 1.193182 MHz ticks in mode 0; its output (port 0x61
 * bit 5) goes high at zero.  This is Linux's pit_calibrate_tsc().
 */
static u64 calibrate_tsc(void)
{
	u32 latch = PIT_HZ * CAL_MS / 1000;
	u64 t0, t1;

	outb(0x61, (u8)((inb(0x61) & ~0x02) | 0x01));	/* gate on, speaker off */
	outb(0x43, 0xb0);				/* channel 2, lo/hi byte, mode 0 */
	outb(0x42, (u8)latch);
	outb(0x42, (u8)(latch >> 8));
	t0 = rdtsc_ordered();
	while (!(inb(0x61) & 0x20))
		;
	t1 = rdtsc_ordered();
	return (t1 - t0) * 1000 / CAL_MS;
}

static unsigned cmos(unsigned reg)
{
	outb(0x70, (u8)reg);
	return inb(0x71);
}

static unsigned bcd(unsigned v, int is_bcd)
{
	return is_bcd ? (v >> 4) * 10 + (v & 15) : v;
}

/* The RTC's date and time (UTC, as QEMU's default -rtc base=utc keeps it) in ns since 1970. */
static u64 rtc_now_ns(void)
{
	unsigned s, mi, h, d, mo, y, b;
	u64 days;
	int is_bcd;

	while (cmos(0x0a) & 0x80)	/* update in progress */
		;
	s = cmos(0), mi = cmos(2), h = cmos(4), d = cmos(7), mo = cmos(8), y = cmos(9), b = cmos(0x0b);
	is_bcd = !(b & 0x04);
	s = bcd(s, is_bcd), mi = bcd(mi, is_bcd), h = bcd(h & 0x7f, is_bcd);
	d = bcd(d, is_bcd), mo = bcd(mo, is_bcd), y = bcd(y, is_bcd) + 2000;
	/* Days from civil (H. Hinnant), valid for the Gregorian calendar. */
	{
		unsigned yy = y - (mo <= 2), era = yy / 400, yoe = yy - era * 400;
		unsigned doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
		unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		days = (u64)era * 146097 + doe - 719468;
	}
	return ((days * 24 + h) * 60 + mi) * 60 * NSEC_PER_SEC + (u64)s * NSEC_PER_SEC;
}

/* The 8259s: IRQ 0-15 to vectors 32-47 (0-31 are exceptions), everything masked but the PIT. */
static void pic_init(void)
{
	outb(0x20, 0x11), outb(0xa0, 0x11);	/* ICW1: init, ICW4 follows */
	outb(0x21, 32), outb(0xa1, 40);		/* ICW2: vector bases */
	outb(0x21, 4), outb(0xa1, 2);		/* ICW3: slave on IRQ 2 */
	outb(0x21, 1), outb(0xa1, 1);		/* ICW4: 8086 mode */
	outb(0x21, 0xfe), outb(0xa1, 0xff);
}

void timer_init(void)
{
	u64 hz = calibrate_tsc(), coarse_ns = PIT_LATCH * NSEC_PER_SEC / PIT_HZ;
	s32 cpu_mode = cpu.rdtscp ? VDSO_CPUMODE_RDTSCP : VDSO_CPUMODE_SYSCALL;

	if (vdso_kt_init(&kt, hz, ~0UL, rdtsc_ordered(), rtc_now_ns()) != 0)
		panic("vdso_kt_init refused the TSC");
	/*
	 * Fills the whole time page -- COUNTER mode (the TSC), 1 ns hres, one
	 * tick of coarse resolution, how getcpu reads the CPU -- and publishes
	 * it, magic last, so the vDSO serves nothing from a half-filled page.
	 * The i386 entry mode is unused: this kernel has no compat mode.
	 */
	vdso_kt_page_init(&kt, &vdso_time_page, VDSO_CLOCKMODE_COUNTER, 1, (u32)coarse_ns, cpu_mode,
			  VDSO_SYSCALL_INT80);
	kputs("kernel: TSC ");
	kputdec(hz / 1000);
	kputs(" kHz (PIT-calibrated), invariant ");
	kputdec((u64)cpu.invariant_tsc);
	kputs(", rdtscp ");
	kputdec((u64)cpu.rdtscp);
	kputs(", timer ");
	kputdec(HZ);
	kputs(" Hz\n");

	pic_init();
	outb(0x43, 0x34);			/* channel 0, lo/hi byte, mode 2 (rate generator) */
	outb(0x40, (u8)PIT_LATCH);
	outb(0x40, (u8)(PIT_LATCH >> 8));
}

/*
 * IRQ 0, with interrupts off (an interrupt gate): the only writer of the
 * time page, so the seqlock needs no writer lock.  vdso_kt_publish() makes
 * the sequence count odd, rewrites both clock blocks, and makes it even
 * again with release ordering; a vDSO reader that this tick interrupted
 * mid-read sees the count change and retries.
 */
void timer_tick(void)
{
	vdso_kt_tick(&kt, rdtsc_ordered());
	vdso_kt_publish(&kt, &vdso_time_page);
	ticks++;
	outb(0x20, 0x20);			/* EOI */
}

u64 timer_ticks(void)
{
	return ticks;
}

/*
 * The system call's clocks: the very computation the vDSO does, from the same
 * timekeeper, so user space can hold one against the other.  Called with
 * interrupts off: no tick changes kt underneath.
 */
int kernel_clock_gettime(int clock, u64 *sec, u32 *nsec)
{
	vdso_u64 s;

	if (vdso_kt_read(&kt, clock, rdtsc_ordered(), &s, nsec) != 0)
		return -EINVAL;
	*sec = s;
	return 0;
}

/* clock_getres(2), the values the time page holds. */
int kernel_clock_getres(int clock, u32 *ns)
{
	switch (clock) {
	case VDSO_CLOCK_REALTIME: case VDSO_CLOCK_MONOTONIC: case VDSO_CLOCK_MONOTONIC_RAW:
	case VDSO_CLOCK_BOOTTIME: case VDSO_CLOCK_TAI:
		*ns = vdso_time_page.hrtimer_res;
		return 0;
	case VDSO_CLOCK_REALTIME_COARSE: case VDSO_CLOCK_MONOTONIC_COARSE:
		*ns = vdso_time_page.coarse_res;
		return 0;
	}
	return -EINVAL;
}
