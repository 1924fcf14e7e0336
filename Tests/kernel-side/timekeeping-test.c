/* SPDX-License-Identifier: MIT */
/*
 * Tests of the kernel-side timekeeper (kernel-vdso/kernel/timekeeping.c):
 * its arithmetic on a simulated counter, and -- on x86-64 -- the default
 * image reading a page it keeps from the real TSC, bracketed by its own
 * clock reads: what a kernel's clock_gettime system call and its vDSO must
 * agree on.  Prints TAP lines and "N passed, M failed".
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vdso-image.h"
#include "vdso/datapage.h"
#include "timekeeping.h"
#include "elf_lookup.h"
#include "map_image.h"
#include "tap.h"

#define NSEC 1000000000ULL

static uint64_t ns_of(const struct vdso_kt *kt, int id, uint64_t counter)
{
	uint64_t sec;
	uint32_t nsec;
	return vdso_kt_read(kt, id, counter, &sec, &nsec) ? ~0ULL : sec * NSEC + nsec;
}

/* A tick never moves the clock at the counter value it folds in. */
static void test_continuity(uint64_t hz, uint64_t mask)
{
	struct vdso_kt kt;
	uint64_t c = mask - 5 * hz / 1000, bad = 0, back = 0, last = 0;	/* wraps soon for 32-bit masks */
	report(vdso_kt_init(&kt, hz, mask, c, 1700000000ULL * NSEC) == 0, "init", "failed");
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		c = (c + x % (hz / 50 + 1)) & mask;
		uint64_t before = ns_of(&kt, VDSO_CLOCK_MONOTONIC, c);
		vdso_kt_tick(&kt, c);
		uint64_t after = ns_of(&kt, VDSO_CLOCK_MONOTONIC, c);
		bad += before != after;
		back += after < last;
		last = after;
	}
	char desc[96];
	snprintf(desc, sizeof desc, "%llu Hz, mask %#llx: 200000 ticks keep time continuous and monotonic",
		 (unsigned long long)hz, (unsigned long long)mask);
	report(!bad && !back, desc, "%llu discontinuities, %llu steps back", (unsigned long long)bad,
	       (unsigned long long)back);
}

/* The clock runs at counter_hz: 1000 s of cycles read 1000 s, however they are ticked. */
static void test_rate(uint64_t hz)
{
	struct vdso_kt a, b;
	vdso_kt_init(&a, hz, ~0ULL, 0, 0);
	vdso_kt_init(&b, hz, ~0ULL, 0, 0);
	for (uint64_t i = 1; i <= 100000; i++)
		vdso_kt_tick(&a, i * (hz / 100));	/* 1000 s in 100 Hz ticks */
	vdso_kt_tick(&b, 100000 * (hz / 100));	/* the same in one stall, past max_cycles */
	uint64_t na = ns_of(&a, VDSO_CLOCK_MONOTONIC, 100000 * (hz / 100));
	uint64_t nb = ns_of(&b, VDSO_CLOCK_MONOTONIC, 100000 * (hz / 100));
	uint64_t want = 1000 * NSEC;
	int64_t err = (int64_t)(na - want);
	char desc[96];
	snprintf(desc, sizeof desc, "%llu Hz: 1000 s of cycles read 1000 s (ticked or one stall)",
		 (unsigned long long)hz);
	/* mult is rounded to the nearest ns << shift per cycle: well under 1 ppm. */
	report(na == nb && err < 1000 && err > -1000 && b.max_cycles >= 10 * hz, desc,
	       "ticked %llu, stall %llu, want %llu, max_cycles %llu", (unsigned long long)na,
	       (unsigned long long)nb, (unsigned long long)want, (unsigned long long)b.max_cycles);
}

static void test_clocks(void)
{
	struct vdso_kt kt;
	vdso_kt_init(&kt, 1000000000ULL, ~0ULL, 500, 1000 * NSEC + 7);
	vdso_kt_tick(&kt, 500 + 2500000000ULL);	/* 2.5 s */
	uint64_t m = ns_of(&kt, VDSO_CLOCK_MONOTONIC, 500 + 2600000000ULL);
	uint64_t r = ns_of(&kt, VDSO_CLOCK_REALTIME, 500 + 2600000000ULL);
	uint64_t mc = ns_of(&kt, VDSO_CLOCK_MONOTONIC_COARSE, 500 + 2600000000ULL);
	report(m == 2600000000ULL && r == m + 1000 * NSEC + 7 && mc == 2500000000ULL &&
	       ns_of(&kt, VDSO_CLOCK_BOOTTIME, 500 + 2600000000ULL) == m &&
	       ns_of(&kt, VDSO_CLOCK_TAI, 500 + 2600000000ULL) == r &&
	       ns_of(&kt, VDSO_CLOCK_REALTIME_COARSE, 0) == 2500000000ULL + 1000 * NSEC + 7,
	       "each clock: MONOTONIC from 0, REALTIME offset, coarse at the last tick", "mono %llu real %llu coarse %llu",
	       (unsigned long long)m, (unsigned long long)r, (unsigned long long)mc);
	uint64_t back = ns_of(&kt, VDSO_CLOCK_MONOTONIC, 400);	/* behind cycle_last */
	vdso_kt_tick(&kt, 400);
	report(back == 2500000000ULL && ns_of(&kt, VDSO_CLOCK_MONOTONIC, 400) == back,
	       "a counter behind cycle_last reads and ticks as no time passed", "read %llu", (unsigned long long)back);
	uint64_t s;
	uint32_t n;
	report(vdso_kt_read(&kt, VDSO_CLOCK_PROCESS_CPUTIME_ID, 0, &s, &n) == -22 &&
	       vdso_kt_init(&kt, 0, ~0ULL, 0, 0) == -22 && vdso_kt_init(&kt, 1000, 0x1234, 0, 0) == -22,
	       "unknown clocks, a zero rate and a mask not 2^n-1 are EINVAL", "accepted");
}

#if defined(__x86_64__)
static uint64_t tsc(void)
{
	uint32_t lo, hi;
	/* LFENCE on both sides: the read is neither early nor late against the vDSO's own. */
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
}

static uint64_t raw_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * NSEC + (uint64_t)ts.tv_nsec;
}

/* The default image, on a page this timekeeper keeps from the TSC, agrees with vdso_kt_read. */
static void test_image(void)
{
	unsigned char *base;
	struct vdso_time_data *page;
	struct vdso_elf e;
	if (!map_vdso_image(&base, &page) || vdso_elf_open(&e, base, VDSO_IMAGE_SIZE)) {
		report(0, "map the default image", "failed");
		return;
	}
	int (*cg)(int, struct timespec *) =
		(int (*)(int, struct timespec *))vdso_elf_sym(&e, "__vdso_clock_gettime", "LINUX_2.6");
	uint64_t t0 = tsc(), n0 = raw_ns();
	usleep(20000);
	uint64_t t1 = tsc(), n1 = raw_ns();
	struct vdso_kt kt;
	vdso_kt_init(&kt, (t1 - t0) * NSEC / (n1 - n0), ~0ULL, tsc(), 1700000000ULL * NSEC);
	vdso_kt_page_init(&kt, page, VDSO_CLOCKMODE_COUNTER, 1, 4000000, VDSO_CPUMODE_SYSCALL, 0);
	static const int ids[] = { VDSO_CLOCK_REALTIME, VDSO_CLOCK_MONOTONIC, VDSO_CLOCK_MONOTONIC_RAW,
				   VDSO_CLOCK_BOOTTIME, VDSO_CLOCK_TAI, VDSO_CLOCK_REALTIME_COARSE,
				   VDSO_CLOCK_MONOTONIC_COARSE };
	unsigned long outside = 0, calls = 0;
	for (int i = 0; i < 20000 && cg; i++) {
		if (i % 16 == 0) {
			vdso_kt_tick(&kt, tsc());
			vdso_kt_publish(&kt, page);
		}
		for (unsigned k = 0; k < sizeof ids / sizeof ids[0]; k++) {
			struct timespec ts;
			uint64_t lo = ns_of(&kt, ids[k], tsc());
			int rc = cg(ids[k], &ts);
			uint64_t hi = ns_of(&kt, ids[k], tsc());
			uint64_t v = (uint64_t)ts.tv_sec * NSEC + (uint64_t)ts.tv_nsec;
			outside += rc != 0 || v < lo || v > hi;
			calls++;
		}
	}
	report(cg && calls && !outside, "the default image reads each clock within vdso_kt_read's bracket",
	       "%lu of %lu calls outside (symbol %s)", outside, calls, cg ? "found" : "missing");
}
#endif

int main(void)
{
	test_continuity(3000000000ULL, ~0ULL);
	test_continuity(62500000ULL, ~0ULL);
	test_continuity(19200000ULL, 0xffffffffULL);	/* a 32-bit counter that wraps */
	test_rate(1000000000ULL);
	test_rate(2400000000ULL);
	test_rate(24000000ULL);
	test_clocks();
#if defined(__x86_64__)
	test_image();
#endif
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
