/* SPDX-License-Identifier: MIT */
/*
 * The host's counter and clocks, as the timekeeper (timekeeper.c) reads them
 * to calibrate the data page: the TSC, the kernel's clocks, brackets of one
 * inside the other, and the clocksource choices the kernel itself makes.
 * Internal to kernel-vdso/host; link clocksource.c with timekeeper.c.
 */
#ifndef VDSOGEN_HOST_CLOCKSOURCE_H
#define VDSOGEN_HOST_CLOCKSOURCE_H

#include <stdint.h>
#include <time.h>

#define CS_NSEC		1000000000LL

/* 1 where cs_read_counter() reads the counter the architecture's image reads. */
#if defined(__x86_64__) || defined(__aarch64__) || (defined(__riscv) && __riscv_xlen == 64)
#define CS_HAVE_COUNTER	1
#else
#define CS_HAVE_COUNTER	0
#endif

/*
 * The counter the image reads: x86-64 the TSC, ordered by LFENCE; aarch64
 * CNTVCT_EL0 after an ISB (as the image's __arch_get_hw_counter); riscv64
 * the time CSR.  0 elsewhere.
 */
static inline uint64_t cs_read_counter(void)
{
#if defined(__x86_64__)
	uint32_t lo, hi;
	/* LFENCE: the TSC is read only after earlier loads and stores completed locally. */
	__asm__ __volatile__("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
#elif defined(__aarch64__)
	uint64_t c;
	__asm__ __volatile__("isb\n\tmrs %0, cntvct_el0" : "=r"(c) :: "memory");
	return c;
#elif CS_HAVE_COUNTER
	uint64_t c;
	__asm__ __volatile__("rdtime %0" : "=r"(c) :: "memory");
	return c;
#else
	return 0;
#endif
}

/*
 * A kernel clock through libc, i.e. through the kernel's own vDSO when it has
 * one: exactly the values the system call returns for the same instant, but
 * ~20 ns instead of ~250 ns, so counter brackets around it are much tighter.
 */
static inline int64_t cs_kernel_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * CS_NSEC + ts.tv_nsec;
}

/* Best of n brackets: kernel clock `id` read *ns at counter ~*x; returns the bracket width. */
uint64_t cs_sample(clockid_t id, int n, uint64_t *x, int64_t *ns);

/* Kernel clock `id` minus CLOCK_MONOTONIC, exact when the brackets agree; *width = uncertainty (ns). */
int64_t cs_measure_offset(clockid_t id, int n, int64_t *width);

/* VDSO_CLOCKMODE_COUNTER only where the kernel itself trusts the TSC as its clocksource. */
int cs_detect_clock_mode(void);

#endif /* VDSOGEN_HOST_CLOCKSOURCE_H */
