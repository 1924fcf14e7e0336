/* SPDX-License-Identifier: MIT */
/* The host's counter and clocks for the timekeeper; see clocksource.h. */
#define _GNU_SOURCE
#include "clocksource.h"
#include "timekeeper.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

/* Best of n brackets: the kernel clock read *ns at TSC ~*x (bracket midpoint). */
uint64_t cs_sample(clockid_t id, int n, uint64_t *x, int64_t *ns)
{
	uint64_t best = UINT64_MAX;
	for (int i = 0; i < n; i++) {
		uint64_t a = cs_read_counter();
		int64_t v = cs_kernel_ns(id);
		uint64_t b = cs_read_counter();
		if (b - a < best)
			best = b - a, *x = a + (b - a) / 2, *ns = v;
	}
	return best;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * Offset of kernel clock `id` from CLOCK_MONOTONIC, which the kernel keeps as
 * an exact integer (id = MONOTONIC + off for the same counter value).  Each
 * triple m1 <= c - off <= m2 bounds it: c - m2 <= off <= c - m1; intersect n
 * triples and take the middle.  If the bounds cross (the offset changed
 * meanwhile), the median estimate.  *width = uncertainty of the result (ns).
 */
int64_t cs_measure_offset(clockid_t id, int n, int64_t *width)
{
	int64_t lo = INT64_MIN, hi = INT64_MAX, est[32];
	n = n > 32 ? 32 : n;
	for (int i = 0; i < n; i++) {
		int64_t m1 = cs_kernel_ns(CLOCK_MONOTONIC), c = cs_kernel_ns(id), m2 = cs_kernel_ns(CLOCK_MONOTONIC);
		lo = c - m2 > lo ? c - m2 : lo;
		hi = c - m1 < hi ? c - m1 : hi;
		est[i] = c - m1 - (m2 - m1) / 2;
	}
	if (lo <= hi) {
		*width = hi - lo;
		return lo + (hi - lo) / 2;
	}
	qsort(est, n, sizeof est[0], cmp64);
	*width = lo - hi;
	return est[n / 2];
}

int vdso_tk_detect_cpu_mode(void)
{
#if defined(__x86_64__)
	unsigned a, b, c, d;
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & (1u << 22)))
		return VDSO_CPUMODE_RDPID;
	if (__get_cpuid(0x80000001, &a, &b, &c, &d) && (d & (1u << 27)))
		return VDSO_CPUMODE_RDTSCP;
#endif
	return VDSO_CPUMODE_SYSCALL;
}

/*
 * x86-64: COUNTER only if the kernel itself trusts the TSC as its
 * clocksource.  arm64 and riscv64: COUNTER, as Linux's vDSO reads the
 * architected counter there whatever the clocksource (and a guest of
 * qemu-user would read the host's clocksource name, not its own).
 */
int cs_detect_clock_mode(void)
{
#if defined(__x86_64__)
	char buf[32] = "";
	FILE *f = fopen("/sys/devices/system/clocksource/clocksource0/current_clocksource", "r");
	if (f) {
		if (!fgets(buf, sizeof buf, f))
			buf[0] = 0;
		fclose(f);
	}
	if (strcmp(buf, "tsc\n") == 0)
		return VDSO_CLOCKMODE_COUNTER;
#elif CS_HAVE_COUNTER
	return VDSO_CLOCKMODE_COUNTER;
#endif
	return VDSO_CLOCKMODE_NONE;
}
