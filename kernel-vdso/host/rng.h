/* SPDX-License-Identifier: MIT */
/*
 * The "kernel side" of the vDSO getrandom page (struct vdso_rng_data,
 * datapage.h) for a user-space host: vdsogen run, test harnesses.
 *
 * The page says two things: whether the kernel's RNG is ready (until then
 * every vDSO getrandom call is the system call), and a generation that
 * changes whenever the per-thread keys must be thrown away.  Linux bumps it
 * when its base CRNG reseeds (every 60 s once it is up) and when a virtual
 * machine is forked or restored (vmgenid); a host here bumps it on the same
 * schedule (vdso_rng_reseed_due) and whenever it knows of such an event.
 * Forks of the process itself need nothing: the states live in
 * MAP_DROPPABLE memory, which the kernel wipes in the child, and a wiped
 * state's generation (0) never matches the page's.
 *
 * Host code (gnu11, libc).  Single writer per page; the vDSO reads it
 * concurrently from any number of threads and processes.
 */
#ifndef VDSOGEN_HOST_RNG_H
#define VDSOGEN_HOST_RNG_H

#include <stdint.h>
#include "vdso/datapage.h"

/* Linux's CRNG_RESEED_INTERVAL once the RNG has been up a while. */
#define VDSO_RNG_RESEED_INTERVAL_NS	(60ULL * 1000000000ULL)

/*
 * Fill `page` (a writable mapping): generation 1, cpu_features as
 * vdso_rng_cpu_features() says, is_ready = 1 if the kernel's RNG is
 * initialised (getrandom(GRND_NONBLOCK) does not say EAGAIN), else 0.
 * Returns 0, or -errno if getrandom itself is missing.
 */
int vdso_rng_init(struct vdso_rng_data *page);
/*
 * The VDSO_RNG_CPU_* bits this CPU and kernel support (x86-64: AVX2 when
 * CPUID says AVX2 and XCR0 says the kernel saves YMM state), what a kernel
 * writes into the page's cpu_features.
 */
uint8_t vdso_rng_cpu_features(void);
/*
 * Invalidate every key taken so far: generation + 1 (never 0), a release
 * store, so a reader that sees the new generation and then calls getrandom
 * gets bytes from after this point.  Returns the new generation.
 */
uint64_t vdso_rng_bump(struct vdso_rng_data *page);
/* Mark the page ready (1) or not (0): not ready sends every call to the system call. */
void vdso_rng_set_ready(struct vdso_rng_data *page, int ready);
/*
 * For a periodic writer: bump the generation if VDSO_RNG_RESEED_INTERVAL_NS
 * passed since *last_ns (CLOCK_MONOTONIC; 0 = start counting now).  Returns 1
 * if it bumped.
 */
int vdso_rng_reseed_due(struct vdso_rng_data *page, uint64_t *last_ns);
/* Copy generation and readiness to another page (Linux's layout is the same). */
void vdso_rng_mirror(const struct vdso_rng_data *src, struct vdso_rng_data *dst);

#endif /* VDSOGEN_HOST_RNG_H */
