/* SPDX-License-Identifier: MIT */
/* The kernel side of the vDSO getrandom page for user-space hosts; see rng.h. */
#define _GNU_SOURCE
#include "rng.h"

#include <errno.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef GRND_NONBLOCK
#define GRND_NONBLOCK	0x0001
#endif

static int kernel_rng_ready(void)
{
	/*
	 * A one-byte non-blocking request: 1 once the CRNG is ready, -EAGAIN
	 * before.  (Linux answers a zero-length request too, but qemu-user
	 * checks the NULL buffer first and returns -EFAULT.)
	 */
	unsigned char byte;
	long r = syscall(SYS_getrandom, &byte, 1, GRND_NONBLOCK);
	if (r == 1)
		return 1;
	return errno == EAGAIN ? 0 : -errno;
}

uint8_t vdso_rng_cpu_features(void)
{
#if defined(__x86_64__)
	unsigned a, b, c, d;
	uint32_t xcr0_lo, xcr0_hi;

	/* OSXSAVE (the kernel enabled XSAVE) and AVX, then XCR0: SSE and AVX state saved. */
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE) || !(c & bit_AVX))
		return 0;
	__asm__("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
	if ((xcr0_lo & 6) != 6)
		return 0;
	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d) || !(b & bit_AVX2))
		return 0;
	return VDSO_RNG_CPU_AVX2;
#else
	return 0;
#endif
}

int vdso_rng_init(struct vdso_rng_data *page)
{
	int ready = kernel_rng_ready();
	if (ready < 0)
		return ready;
	__atomic_store_n(&page->is_ready, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&page->cpu_features, vdso_rng_cpu_features(), __ATOMIC_RELAXED);
	__atomic_store_n(&page->generation, 1, __ATOMIC_RELEASE);
	vdso_rng_set_ready(page, ready);
	return 0;
}

uint64_t vdso_rng_bump(struct vdso_rng_data *page)
{
	uint64_t g = __atomic_load_n(&page->generation, __ATOMIC_RELAXED) + 1;
	if (g == 0)
		g = 1;
	__atomic_store_n(&page->generation, g, __ATOMIC_RELEASE);
	return g;
}

void vdso_rng_set_ready(struct vdso_rng_data *page, int ready)
{
	__atomic_store_n(&page->is_ready, ready ? 1 : 0, __ATOMIC_RELEASE);
}

int vdso_rng_reseed_due(struct vdso_rng_data *page, uint64_t *last_ns)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t now = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	if (*last_ns == 0) {
		*last_ns = now;
		return 0;
	}
	if (now - *last_ns < VDSO_RNG_RESEED_INTERVAL_NS)
		return 0;
	*last_ns = now;
	vdso_rng_bump(page);
	return 1;
}

void vdso_rng_mirror(const struct vdso_rng_data *src, struct vdso_rng_data *dst)
{
	__atomic_store_n(&dst->is_ready, __atomic_load_n(&src->is_ready, __ATOMIC_RELAXED), __ATOMIC_RELAXED);
	__atomic_store_n(&dst->generation, __atomic_load_n(&src->generation, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
}
