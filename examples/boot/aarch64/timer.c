// SPDX-License-Identifier: MIT
/*
 * Time: the generic timer's virtual counter as the clock source, the
 * shared timekeeper (kernel-vdso/kernel/timekeeping.c) keeping the vDSO's
 * time page, and a 100 Hz tick from the virtual timer's interrupt through
 * -M virt's GIC (gic.c).
 */
#include "kernel.h"

#include <vdso/datapage.h>
#include "timekeeping.h"

#define TICK_HZ		100
#define HRTIMER_RES_NS	1			/* clock_getres() of the hres and raw clocks */
#define COARSE_RES_NS	(1000000000 / TICK_HZ)	/* and of the coarse ones: a tick */
/*
 * The architecture guarantees a counter of at least 56 bits (64 from
 * Armv8.6); Linux's arch_timer clocksource uses this mask too.
 */
#define COUNTER_MASK	((1UL << 56) - 1)

#define TIMER_PPI	27	/* the EL1 virtual timer's interrupt (INTID 27) on every GIC */

#define RTC_DR		0x000	/* PL031: seconds since the epoch, from the host's clock */

static struct vdso_kt kt;
static struct vdso_time_data *time_page;
static u64 tick_interval, next_deadline;
static u64 ticks;

/*
 * No calibration on arm64: CNTFRQ_EL0 is the counter's frequency, which
 * firmware (here QEMU) set, and the counter runs at it in every power
 * state -- unlike an x86 TSC, whose rate the kernel must measure.
 */
void time_init(struct vdso_time_data *page)
{
	u64 hz = read_sysreg(cntfrq_el0);
	u64 now = read_counter();
	u64 realtime_ns = (u64)mmio_read32(RTC_BASE + RTC_DR) * 1000000000UL;

	if (hz < TICK_HZ || vdso_kt_init(&kt, hz, COUNTER_MASK, now, realtime_ns))
		panic("the counter's frequency (CNTFRQ_EL0) is unusable");
	time_page = page;
	vdso_kt_page_init(&kt, page, VDSO_CLOCKMODE_COUNTER, HRTIMER_RES_NS, COARSE_RES_NS,
			  VDSO_CPUMODE_SYSCALL, 0);
	kprintf("kernel: counter %lu Hz, realtime %lu s from the PL031\n", hz, realtime_ns / 1000000000UL);
	tick_interval = hz / TICK_HZ;
}

/*
 * The first deadline.  CNTV_CTL_EL0 = ENABLE, IMASK clear: the timer
 * asserts its (level) interrupt while CNTVCT >= CNTV_CVAL.  Interrupts
 * reach the CPU once the process runs with PSTATE.I clear.
 */
void timer_init(void)
{
	gic_init(TIMER_PPI);
	next_deadline = read_counter() + tick_interval;
	write_sysreg(cntv_cval_el0, next_deadline);
	write_sysreg(cntv_ctl_el0, 1);
	isb();	/* the timer's new state applies from here, not some instructions later */
}

/*
 * One tick: the next deadline (absolute, so ticks do not drift with the
 * handler's latency; restarted from now if we fell behind, as under a
 * loaded TCG host), then the timekeeper and the time page.
 *
 * vdso_kt_publish() writes the page under the seqlock: sequence odd, DMB
 * ISH, the new bases, DMB ISH, sequence even (kernel-vdso/include/vdso/
 * writer.h).  Those barriers pair with the DMB ISHLDs in the vDSO's read
 * loop and are what another CPU reading the page needs.  With one CPU the
 * reader is the process this interrupt preempted, perhaps in the middle of
 * its read: it then sees a changed sequence when it resumes and retries.
 */
static void tick(void)
{
	u64 now = read_counter();

	next_deadline += tick_interval;
	if ((s64)(next_deadline - now) <= 0)
		next_deadline = now + tick_interval;
	/* The condition CNTVCT >= CVAL is now false: the level interrupt drops before the EOI below. */
	write_sysreg(cntv_cval_el0, next_deadline);
	isb();
	vdso_kt_tick(&kt, now);
	vdso_kt_publish(&kt, time_page);
	ticks++;
}

void irq_handler(struct trap_frame *f)
{
	u32 id = gic_ack();

	(void)f;
	if (id >= 1020)		/* spurious: nothing to acknowledge */
		return;
	if (id == TIMER_PPI)
		tick();
	else
		kprintf("kernel: unexpected interrupt %u\n", id);
	gic_eoi(id);
}

u64 ticks_so_far(void)
{
	return ticks;
}

/* clock_gettime() in the kernel: the timekeeper's read, the very arithmetic the vDSO does. */
int kernel_clock_gettime(int clock, u64 *sec, u32 *nsec)
{
	return vdso_kt_read(&kt, clock, read_counter(), sec, nsec);
}

/* clock_getres(): what vdso_kt_page_init() wrote into the page for the vDSO to answer. */
int kernel_clock_getres(int clock, u64 *sec, u32 *nsec)
{
	*sec = 0;
	switch (clock) {
	case VDSO_CLOCK_REALTIME:
	case VDSO_CLOCK_MONOTONIC:
	case VDSO_CLOCK_MONOTONIC_RAW:
	case VDSO_CLOCK_BOOTTIME:
	case VDSO_CLOCK_TAI:
		*nsec = HRTIMER_RES_NS;
		return 0;
	case VDSO_CLOCK_REALTIME_COARSE:
	case VDSO_CLOCK_MONOTONIC_COARSE:
		*nsec = COARSE_RES_NS;
		return 0;
	default:
		return -EINVAL;
	}
}
