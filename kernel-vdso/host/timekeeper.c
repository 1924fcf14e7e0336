/* SPDX-License-Identifier: MIT */
/* The kernel side of the vDSO data page for user-space hosts; see timekeeper.h. */
#define _GNU_SOURCE
#include "timekeeper.h"
#include "clocksource.h"
#include "qemu_counter.h"
#include "steering.h"
#include "timekeeping.h"
#include "vdso/writer.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define NSEC		CS_NSEC
#define MAX_PAGES	8
#define WARMUP		256		/* updates before error statistics start */

struct tk {
	pthread_mutex_t mu;		/* update vs init/stats; kept across re-init */
	struct vdso_time_data *page;
	int clock_mode, cpu_mode;
	int64_t user_rt, user_mono;	/* namespace-like offsets from the options */
	uint32_t shift;
	uint64_t max_cycles, hz;
	struct tk_clock mono, raw;
	int64_t off_real, off_boot, off_tai;	/* kernel clock - CLOCK_MONOTONIC, exact ns */
	unsigned rr;
	int64_t last_update_ns;
	struct vdso_tk_stats st;
	pthread_t thread;
	int running, stop;
	unsigned period_us;
	uint32_t qemu_p;		/* qemu-user's counter: ns per count, else 0 */
};

static struct tk *reg[MAX_PAGES];
static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;

static struct tk *find(struct vdso_time_data *page)
{
	struct tk *t = NULL;
	pthread_mutex_lock(&reg_mu);
	for (int i = 0; i < MAX_PAGES; i++)
		if (reg[i] && reg[i]->page == page)
			t = reg[i];
	pthread_mutex_unlock(&reg_mu);
	return t;
}

/* ---- the kernel's clock offsets (counter and clock reads: clocksource.c) ---- */

static void set_offsets(struct tk *t, int64_t off_real, int64_t off_boot)
{
	int64_t r = cs_kernel_ns(CLOCK_REALTIME), tai = cs_kernel_ns(CLOCK_TAI);
	t->off_real = off_real;
	t->off_boot = off_boot;
	/* TAI - REALTIME is the kernel's tai_offset: whole seconds. */
	t->off_tai = t->off_real + (tai - r + NSEC / 2) / NSEC * NSEC;
}

static void measure_offsets(struct tk *t, int n)
{
	int64_t w, off_real = cs_measure_offset(CLOCK_REALTIME, n, &w);
	set_offsets(t, off_real, cs_measure_offset(CLOCK_BOOTTIME, n, &w));
}

/* ---- publishing (the seqlock writer: vdso/writer.h) ---- */

/* A value in ns << shift (plain ns for shift 0) as a normalised timestamp. */
static void put_ts(struct vdso_timestamp *ts, s128 v_sh, uint32_t shift)
{
	s128 unit = (s128)NSEC << shift;
	v_sh = v_sh < 0 ? 0 : v_sh;	/* never below zero (checked at init) */
	vdso_write_ts(ts, (uint64_t)(v_sh / unit), (uint64_t)(v_sh % unit));
}

/* Publish one block; base = its clock at cycle_last (ns << sh). */
static void put_clock(struct tk *t, int mode, struct vdso_clock *vc, struct tk_clock *c, uint32_t sh)
{
	vdso_write_counter(vc, mode, c->cycle_last, t->max_cycles, ~(uint64_t)0, c->mult, sh);
}

static void do_update(struct tk *t, int first)
{
	struct vdso_time_data *p = t->page;
	struct vdso_clock *hv = &p->clock_data[VDSO_CS_HRES_COARSE], *rv = &p->clock_data[VDSO_CS_RAW];
	int counter = t->clock_mode == VDSO_CLOCKMODE_COUNTER;
	int64_t now = cs_kernel_ns(CLOCK_MONOTONIC);
	if (!first && t->st.updates > 2 && (uint64_t)(now - t->last_update_ns) > t->st.max_gap_ns)
		t->st.max_gap_ns = (uint64_t)(now - t->last_update_ns);
	t->last_update_ns = now;
	t->st.updates++;

	/* Offsets: check one per update; change them only when the kernel's
	 * changed, i.e. a sample's hard bounds exclude the current value. */
	if (!first) {
		int which = t->rr++ % 3;
		int64_t w, *cur = which == 0 ? &t->off_real : which == 1 ? &t->off_boot : &t->off_tai;
		clockid_t id = which == 0 ? CLOCK_REALTIME : which == 1 ? CLOCK_BOOTTIME : CLOCK_TAI;
		if (llabs(cs_measure_offset(id, 1, &w) - *cur) > w + 64 &&
		    llabs(cs_measure_offset(id, 16, &w) - *cur) > w + 64) {
			measure_offsets(t, 16);
			t->st.offset_steps++;
		}
	}

	if (counter && !first) {
		uint64_t xm, xr, wm, wr;
		int64_t refm, refr;
		wm = cs_sample(CLOCK_MONOTONIC, 3, &xm, &refm);
		wr = cs_sample(CLOCK_MONOTONIC_RAW, 3, &xr, &refr);
		double wns = (double)(wm < wr ? wm : wr) * 1e9 / (double)t->hz;
		if (t->st.bracket_min_ns == 0 || wns < t->st.bracket_min_ns)
			t->st.bracket_min_ns = wns;
		/* A wide bracket (preempted, interrupted) says little: keep mult. */
		double lim = (4 * t->st.bracket_min_ns + 100) * (double)t->hz / 1e9;
		if (t->qemu_p)
			;	/* MONOTONIC is exact (qemu_counter.c): nothing to steer */
		else if (wm <= lim)
			tk_clock_steer(&t->mono, t->shift, xm, refm, t->st.updates > WARMUP), t->st.samples++;
		else
			t->st.rejected++;
		if (wr <= lim)
			tk_clock_steer(&t->raw, t->shift, xr, refr, t->st.updates > WARMUP);
	}
	/* Coarse clocks: the kernel's own readings, so never ahead of it. */
	int64_t rtc = cs_kernel_ns(CLOCK_REALTIME_COARSE), mnc = cs_kernel_ns(CLOCK_MONOTONIC_COARSE);
	int64_t raw = counter ? 0 : cs_kernel_ns(CLOCK_MONOTONIC_RAW);
	struct timeval tv;
	struct timezone tz;
	if ((first || t->st.updates % 128 == 0) && syscall(SYS_gettimeofday, &tv, &tz) == 0) {
		VDSO_WRITE_ONCE(p->tz_minuteswest, tz.tz_minuteswest);	/* not under the seqlock, as in Linux */
		VDSO_WRITE_ONCE(p->tz_dsttime, tz.tz_dsttime);
	}

	/* Without a counter the hres bases hold tick-time values, like Linux. */
	uint32_t sh = counter ? t->shift : 0;
	s128 one = (s128)1 << sh, base;	/* offsets may be negative: multiply, do not shift */
	uint32_t s = vdso_write_begin(hv);
	if (counter && t->qemu_p)
		qc_accumulate(&t->mono, t->shift, t->qemu_p, cs_read_counter(), t->off_real);
	else if (counter)
		tk_clock_accumulate(&t->mono, cs_read_counter());	/* TSC read after seq went odd */
	base = counter ? (s128)t->mono.base_sh : mnc;
	/* qemu-user's counter steps once a microsecond: the image reads it at its edge. */
	put_clock(t, t->qemu_p ? VDSO_CLOCKMODE_COUNTER_EDGE : t->clock_mode, hv, &t->mono, sh);
	put_ts(&hv->basetime[VDSO_CLOCK_MONOTONIC], base + t->user_mono * one, sh);
	put_ts(&hv->basetime[VDSO_CLOCK_BOOTTIME], base + (t->user_mono + t->off_boot) * one, sh);
	put_ts(&hv->basetime[VDSO_CLOCK_REALTIME], base + (t->user_rt + t->off_real) * one, sh);
	put_ts(&hv->basetime[VDSO_CLOCK_TAI], base + (t->user_rt + t->off_tai) * one, sh);
	put_ts(&hv->basetime[VDSO_CLOCK_REALTIME_COARSE], (s128)rtc + t->user_rt, 0);
	put_ts(&hv->basetime[VDSO_CLOCK_MONOTONIC_COARSE], (s128)mnc + t->user_mono, 0);
	vdso_write_end(hv, s);

	/* MONOTONIC_RAW: its own block, basetime indexed by its clock id like Linux. */
	s = vdso_write_begin(rv);
	if (counter)
		tk_clock_accumulate(&t->raw, cs_read_counter());
	base = counter ? (s128)t->raw.base_sh : raw;
	/* qemu-user: MONOTONIC_RAW by the system call (qemu_counter.c says why). */
	put_clock(t, t->qemu_p ? VDSO_CLOCKMODE_NONE : t->clock_mode, rv, &t->raw, sh);
	put_ts(&rv->basetime[VDSO_CLOCK_MONOTONIC_RAW], base + t->user_mono * one, sh);
	vdso_write_end(rv, s);
}

static struct tk *get_or_add(struct vdso_time_data *page)
{
	struct tk *t = find(page);
	if (t)
		return t;
	pthread_mutex_lock(&reg_mu);
	for (int i = 0; i < MAX_PAGES && !t; i++)
		if (!reg[i] && (t = reg[i] = calloc(1, sizeof *t))) {
			pthread_mutex_init(&t->mu, NULL);
			t->page = page;
		}
	pthread_mutex_unlock(&reg_mu);
	return t;
}

int vdso_tk_init(struct vdso_time_data *page, const struct vdso_tk_options *opt)
{
	static const struct vdso_tk_options defaults = { 0, 0, VDSO_TK_AUTO, VDSO_TK_AUTO, 0, 0, 0, 0, 0 };
	opt = opt ? opt : &defaults;
	struct tk *t = page ? get_or_add(page) : NULL;
	if (!t)
		return page ? -ENOSPC : -EINVAL;
	if (t->running)
		return -EBUSY;
	pthread_mutex_lock(&t->mu);
	memset((char *)t + sizeof t->mu, 0, sizeof *t - sizeof t->mu);
	t->page = page;
	t->user_rt = opt->realtime_offset_ns;
	t->user_mono = opt->monotonic_offset_ns;
	t->clock_mode = opt->clock_mode == VDSO_TK_AUTO ? cs_detect_clock_mode() : opt->clock_mode;
	t->cpu_mode = opt->cpu_mode == VDSO_TK_AUTO ? vdso_tk_detect_cpu_mode() : opt->cpu_mode;
	int rc = 0;
	if ((t->clock_mode != VDSO_CLOCKMODE_NONE && t->clock_mode != VDSO_CLOCKMODE_COUNTER) ||
	    t->cpu_mode < VDSO_CPUMODE_SYSCALL || t->cpu_mode > VDSO_CPUMODE_RDPID ||
	    cs_kernel_ns(CLOCK_MONOTONIC) + t->user_mono < 0 || cs_kernel_ns(CLOCK_REALTIME) + t->user_rt < 0)
		rc = -EINVAL;
#if !defined(__x86_64__)
	if ((t->clock_mode == VDSO_CLOCKMODE_COUNTER && !CS_HAVE_COUNTER) || t->cpu_mode != VDSO_CPUMODE_SYSCALL)
		rc = -ENOTSUP;
#endif
	if (rc) {
		pthread_mutex_unlock(&t->mu);
		return rc;
	}
	if (opt->offsets_given)
		set_offsets(t, opt->off_real_ns, opt->off_boot_ns);
	else
		measure_offsets(t, 32);
	t->qemu_p = t->clock_mode == VDSO_CLOCKMODE_COUNTER ? opt->qemu_period_ns : 0;
	if (t->clock_mode == VDSO_CLOCKMODE_COUNTER) {
		/* Calibrate: tight brackets at both ends of calibrate_ms. */
		uint64_t xm0, xr0, xm1, xr1;
		int64_t m0, r0, m1, r1;
		cs_sample(CLOCK_MONOTONIC, 16, &xm0, &m0);
		cs_sample(CLOCK_MONOTONIC_RAW, 16, &xr0, &r0);
		struct timespec d = { 0, (long)(opt->calibrate_ms ? opt->calibrate_ms : 64) * 1000000L };
		while (d.tv_nsec >= NSEC)
			d.tv_sec++, d.tv_nsec -= NSEC;
		nanosleep(&d, NULL);
		cs_sample(CLOCK_MONOTONIC, 16, &xm1, &m1);
		cs_sample(CLOCK_MONOTONIC_RAW, 16, &xr1, &r1);
		t->hz = (uint64_t)llround((double)(xr1 - xr0) * 1e9 / (double)(r1 - r0));
		uint32_t mult;
		/* maxsec 8: mult resolution ~1e-9, products fit for seconds. */
		vdso_kt_calc_mult_shift(&mult, &t->shift, t->hz, NSEC, 8);
		/* qemu-user's mult is period << shift exactly: keep it in 32 bits. */
		while (t->qemu_p && t->shift > 0 && ((uint64_t)t->qemu_p << t->shift) > UINT32_MAX)
			t->shift--;
		tk_clock_setup(&t->mono, t->shift, xm0, m0, xm1, m1);
		tk_clock_setup(&t->raw, t->shift, xr0, r0, xr1, r1);
		if (t->qemu_p && qc_setup(&t->mono, t->shift, t->qemu_p) != 0)
			t->qemu_p = 0;	/* not representable: calibrate as any counter */
		/* delta * mult + basetime.nsec (< NSEC << shift) fits 64 bits for any mult. */
		uint32_t mmax = t->mono.mult_max > t->raw.mult_max ? t->mono.mult_max : t->raw.mult_max;
		t->max_cycles = (UINT64_MAX - ((uint64_t)NSEC << t->shift)) / mmax;
	}

	/* Clear the blocks under their seqlocks, so a reader of a re-initialised
	 * page retries instead of seeing it half-cleared. */
	struct vdso_time_data *p = page;
	for (int i = 0; i < VDSO_CS_BASES; i++) {
		struct vdso_clock *vc = &p->clock_data[i];
		uint32_t s = vdso_write_begin(vc);
		memset((char *)vc + sizeof vc->seq, 0, sizeof *vc - sizeof vc->seq);
		vdso_write_end(vc, s);
	}
	struct timespec res;
	VDSO_WRITE_ONCE(p->hrtimer_res, clock_getres(CLOCK_MONOTONIC, &res) ? 1u : (uint32_t)res.tv_nsec);
	VDSO_WRITE_ONCE(p->coarse_res, clock_getres(CLOCK_MONOTONIC_COARSE, &res) ? 0u : (uint32_t)res.tv_nsec);
	VDSO_WRITE_ONCE(p->cpu_mode, t->cpu_mode);
	VDSO_WRITE_ONCE(p->counter_hz, t->hz);
	t->st.counter_hz = t->hz;
	do_update(t, 1);
	vdso_write_ready(p);	/* magic last: a reader that sees it sees a filled page */
	pthread_mutex_unlock(&t->mu);
	return 0;
}

int vdso_tk_update(struct vdso_time_data *page)
{
	struct tk *t = find(page);
	if (!t)
		return -ENOENT;
	pthread_mutex_lock(&t->mu);
	do_update(t, 0);
	pthread_mutex_unlock(&t->mu);
	return 0;
}

/*
 * The coarse clocks alone, as fast as can be: for a writer that has just seen
 * the kernel's tick move CLOCK_*_COARSE, so that the page is behind the kernel
 * for as short a time as possible.  The other fields are rewritten unchanged
 * (a reader in between retries, as for any update).  vdso_tk_hold() makes the
 * seq odd ahead of it, as vdso_write_begin() does: readers of the block then wait for
 * this update (which ends the odd seq whether it began here or there).
 */
void vdso_tk_hold(struct vdso_time_data *page)
{
	vdso_write_begin(&page->clock_data[VDSO_CS_HRES_COARSE]);
}

/* A kernel clock by the system call itself (what a program compares the image with). */
static int64_t sys_ns(clockid_t id)
{
	struct timespec ts;
	syscall(SYS_clock_gettime, id, &ts);
	return (int64_t)ts.tv_sec * NSEC + ts.tv_nsec;
}

int vdso_tk_update_coarse(struct vdso_time_data *page)
{
	struct tk *t = find(page);
	if (!t)
		return -ENOENT;
	pthread_mutex_lock(&t->mu);
	struct vdso_clock *hv = &page->clock_data[VDSO_CS_HRES_COARSE];
	int64_t rtc = sys_ns(CLOCK_REALTIME_COARSE), mnc = sys_ns(CLOCK_MONOTONIC_COARSE);
	uint32_t s = vdso_write_begin(hv);
	put_ts(&hv->basetime[VDSO_CLOCK_REALTIME_COARSE], (s128)rtc + t->user_rt, 0);
	put_ts(&hv->basetime[VDSO_CLOCK_MONOTONIC_COARSE], (s128)mnc + t->user_mono, 0);
	vdso_write_end(hv, s);
	pthread_mutex_unlock(&t->mu);
	return 0;
}

static void *writer(void *arg)
{
	struct tk *t = arg;
	struct timespec next, now;
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!__atomic_load_n(&t->stop, __ATOMIC_ACQUIRE)) {
		vdso_tk_update(t->page);
		next.tv_nsec += (long)t->period_us * 1000;
		while (next.tv_nsec >= NSEC)
			next.tv_nsec -= NSEC, next.tv_sec++;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > next.tv_sec + 1)	/* far behind: no burst of catch-up updates */
			next = now;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	return NULL;
}

int vdso_tk_start_thread(struct vdso_time_data *page, unsigned period_us)
{
	struct tk *t = find(page);
	if (!t)
		return -ENOENT;
	if (t->running)
		return -EBUSY;
	t->period_us = period_us ? period_us : 500;
	t->stop = 0;
	int rc = pthread_create(&t->thread, NULL, writer, t);
	if (rc)
		return -rc;
	/* Best effort: a real-time writer (~10 us of work per period) is not
	 * starved by busy readers.  Needs CAP_SYS_NICE; ignored otherwise. */
	struct sched_param sp = { .sched_priority = 1 };
	pthread_setschedparam(t->thread, SCHED_FIFO, &sp);
	t->running = 1;
	return 0;
}

int vdso_tk_stop_thread(struct vdso_time_data *page)
{
	struct tk *t = find(page);
	if (!t)
		return -ENOENT;
	if (t->running) {
		__atomic_store_n(&t->stop, 1, __ATOMIC_RELEASE);
		pthread_join(t->thread, NULL);
		t->running = 0;
	}
	return 0;
}

void vdso_tk_fini(struct vdso_time_data *page)
{
	struct tk *t = find(page);
	if (!t)
		return;
	vdso_tk_stop_thread(page);
	pthread_mutex_lock(&reg_mu);
	for (int i = 0; i < MAX_PAGES; i++)
		reg[i] = reg[i] == t ? NULL : reg[i];
	pthread_mutex_unlock(&reg_mu);
	pthread_mutex_destroy(&t->mu);
	free(t);
}

int vdso_tk_get_stats(struct vdso_time_data *page, struct vdso_tk_stats *out)
{
	struct tk *t = find(page);
	if (!t)
		return -ENOENT;
	pthread_mutex_lock(&t->mu);
	*out = t->st;
	out->mono_err_last = t->mono.err_last;
	out->mono_err_maxabs = t->mono.err_maxabs;
	out->mono_err_meanabs = t->mono.err_sumabs / (double)(t->mono.err_n ? t->mono.err_n : 1);
	out->raw_err_last = t->raw.err_last;
	out->raw_err_maxabs = t->raw.err_maxabs;
	out->raw_err_meanabs = t->raw.err_sumabs / (double)(t->raw.err_n ? t->raw.err_n : 1);
	out->mono_ppm = t->mono.freq > 0 ? ((double)t->mono.mult / t->mono.freq - 1) * 1e6 : 0;
	pthread_mutex_unlock(&t->mu);
	return 0;
}
