/* SPDX-License-Identifier: MIT */
/*
 * Following the kernel's tick, for the coarse clocks.
 *
 * CLOCK_REALTIME_COARSE and CLOCK_MONOTONIC_COARSE are the kernel's time at
 * its last tick: they move once a tick (CONFIG_HZ; clock_getres() of a coarse
 * clock says how often), all at once.  The image returns what the writer last
 * copied, so between the kernel's tick and the writer's next copy the image
 * is one tick behind the system call; a program that reads the system call
 * then the vDSO (Linux's vdso_test_correctness does) sees time go backwards.
 * A writer on its own 1 ms period is behind for up to 1 ms after each tick.
 *
 * So the writer learns the tick's phase (when, on CLOCK_MONOTONIC, a new
 * coarse value becomes visible) and is awake just before the next one:
 * from LEAD before the expected instant it polls CLOCK_MONOTONIC_COARSE and
 * publishes the coarse clocks the moment they change.  Then the image lags
 * the kernel only by one poll and one publish (a few microseconds), not by
 * up to a millisecond.
 *
 * Timing subtleties:
 *  - The instant is measured when the change is *seen*, which is what
 *    matters (readers see the kernel's value from then on), not the tick's
 *    nominal time, which the coarse value itself holds and which may be well
 *    before it becomes visible (in a VM, over a millisecond).
 *  - A tick can be late (an interrupt held off, a vCPU not scheduled) or not
 *    happen (NO_HZ: an idle machine skips ticks; the jiffies catch up at the
 *    next one).  A tick not seen by WINDOW after its expected instant is
 *    taken as skipped: the phase is kept and the next tick is awaited.
 *  - A change seen outside a window (the writer glances at the coarse clocks
 *    every COARSE_GLANCE_NS, data.c) is published at once: a catch-up after
 *    skipped ticks, which can come at any moment.  Several in a row say the
 *    phase is wrong: the next wait polls for a whole period, from where the
 *    phase is found again.
 *  - The writer sleeps with 1 ns timer slack; with the default 50 us the
 *    wake-up could land past the tick it was meant to precede.
 *  - The image never goes ahead of the kernel: it only ever copies a value
 *    the kernel has already returned.
 */
#include "vdso_run.h"
#include "timekeeper.h"
#include "coarse_tick.h"

#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <time.h>

/* Poll from this long before the expected tick... */
#define TICK_LEAD_NS	150000LL
/* ...to this long after it; later, the tick is taken as skipped. */
#define TICK_WINDOW_NS	200000LL
/* Changes seen off the expected instant, in a row, before the phase is learnt afresh. */
#define TICK_MISSES_RELEARN	4
/* How fast the least visibility delay ages, per tick (see learn()). */
#define DELAY_CREEP_NS	1000LL

/*
 * The system call, not the kernel's vDSO: it is what a program compares the
 * image with, and the two need not move at the same instant.
 */
static int64_t ns_of(clockid_t id)
{
	struct timespec ts;
	syscall(SYS_clock_gettime, id, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void coarse_tick_init(struct coarse_tick *ct, struct vdso_time_data *page)
{
	struct timespec res;
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	ct->period = clock_getres(CLOCK_MONOTONIC_COARSE, &res) == 0 ?
		     (int64_t)res.tv_sec * 1000000000LL + res.tv_nsec : 0;
	/* A period under 1 ms (HZ > 1000) or unknown: the 1 ms updates are all there is. */
	if (ct->period < 1000000LL || ct->period > 100000000LL)
		ct->period = 0;
	ct->coarse = ns_of(CLOCK_MONOTONIC_COARSE);
	ct->next = 0;		/* phase unknown: the first wait polls a whole period */
	ct->misses = 0;
	/* The page was filled before the writer started: a tick may have come since. */
	if (ct->period)
		vdso_tk_update_coarse(page);
}

int64_t coarse_tick_wake(const struct coarse_tick *ct)
{
	if (!ct->period)
		return INT64_MAX;
	return ct->next ? ct->next - TICK_LEAD_NS : 0;
}

/*
 * The tick's phase from one change, seen at `seen` with new value `c`: `c` is
 * the tick's nominal time (CLOCK_MONOTONIC when the tick was due), `seen - c`
 * how long it took to become visible.  That delay jitters (a late interrupt, a
 * late poll), and one late sighting must not make the next wait start late:
 * the next instant is the next nominal tick plus the least delay seen lately
 * (a minimum that creeps up by DELAY_CREEP a tick, so an old record ages out).
 */
static void learn(struct coarse_tick *ct, int64_t c, int64_t seen)
{
	int64_t d = seen - c;
	if (d < 0)
		d = 0;
	if (!ct->next || d < ct->delay + DELAY_CREEP_NS)
		ct->delay = d;
	else
		ct->delay += DELAY_CREEP_NS;
	ct->coarse = c;
	ct->next = c + ct->period + ct->delay;
}

/*
 * Called at or after coarse_tick_wake(): holds the page (phase known), polls
 * until the coarse clocks move or the window closes, publishes them (which
 * ends the hold), and learns the next expected instant.  Returns 1 if they
 * moved.
 */
int coarse_tick_follow(struct coarse_tick *ct, struct vdso_time_data *page, uint32_t *mirror_seq)
{
	int64_t now = ns_of(CLOCK_MONOTONIC);
	/* Phase known: hold readers off across the tick (see the top of the file). */
	if (ct->next) {
		vdso_tk_hold(page);
		if (mirror_seq) {
			__atomic_store_n(mirror_seq, __atomic_load_n(mirror_seq, __ATOMIC_RELAXED) | 1, __ATOMIC_RELAXED);
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
		}
	}
	/* Phase unknown: one period (and a window) holds a tick unless one is skipped. */
	int64_t until = ct->next ? ct->next + TICK_WINDOW_NS : now + ct->period + TICK_WINDOW_NS;
	for (;;) {
		int64_t c = ns_of(CLOCK_MONOTONIC_COARSE);
		if (c != ct->coarse) {
			vdso_tk_update_coarse(page);
			learn(ct, c, ns_of(CLOCK_MONOTONIC));
			ct->misses = 0;
			return 1;
		}
		now = ns_of(CLOCK_MONOTONIC);
		if (now > until)
			break;
	}
	/*
	 * Not within the window: a skipped tick if the phase was known, keep it;
	 * else (no tick for a whole period) guess, and let coarse_tick_check()
	 * reset the phase at the next change.  Either way the writer's ordinary
	 * updates run before the next poll.
	 */
	ct->next = ct->next ? ct->next + ct->period : now + ct->period;
	vdso_tk_update_coarse(page);	/* ends the hold */
	return 0;
}

/*
 * Between ticks (a glance) and after an ordinary update: if the coarse clocks
 * moved without coarse_tick_follow() seeing it, the page may hold the value
 * from before (a catch-up after skipped ticks; or an update read the kernel's
 * coarse clocks, then the tick came before it published them): publish them
 * now.  TICK_MISSES_RELEARN such changes in a row say the phase is lost.
 */
void coarse_tick_check(struct coarse_tick *ct, struct vdso_time_data *page)
{
	if (!ct->period)
		return;
	int64_t c = ns_of(CLOCK_MONOTONIC_COARSE);
	if (c != ct->coarse) {
		vdso_tk_update_coarse(page);
		ct->coarse = c;
		/* One off-phase change is a catch-up after skipped ticks; several, a lost phase. */
		if (++ct->misses >= TICK_MISSES_RELEARN)
			ct->next = 0;
	}
}
