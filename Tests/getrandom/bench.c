// SPDX-License-Identifier: MIT
/*
 * Throughput of our vDSO getrandom vs the getrandom system call (and the
 * running kernel's own vDSO getrandom, where it has one), for 16-, 256-,
 * 4096- and 65536-byte requests, from one thread pinned to one CPU.  Ours
 * runs once per ChaCha20 its rng page can select on this CPU (cpu_features
 * 0: SSE2; VDSO_RNG_CPU_AVX2: AVX2), set in the page before each sample.
 *
 * Our image is mapped as Tests/getrandom/test.c maps it ([rng page][time
 * page] below the image, the rng page filled by kernel-vdso/host/rng.c); the
 * kernel's __vdso_getrandom is resolved by name and version from
 * AT_SYSINFO_EHDR with the same lookup.  Every case is an indirect call on a
 * per-thread state allocated as the parameter query says.  Samples of all
 * cases are interleaved round-robin (each sample: as many calls as fill
 * SAMPLE_BYTES, at least MIN_CALLS); reported: median bytes/s, the 10th-90th
 * percentile spread, and ratios.
 *
 * Usage: getrandom-bench [ROUNDS]   (default 41)
 * Built by Tests/bench/bench.py (section 5) with the emitted vdso-image.c/.h.
 */
#define _GNU_SOURCE
#include "vdso-image.h"
#include "elf_lookup.h"
#include "rng.h"
#include "vdso/getrandom.h"

#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SAMPLE_BYTES	(1 << 20)
#define MIN_CALLS	256

typedef long (*vgetrandom_fn)(void *, size_t, unsigned, void *, size_t);

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct vdso_rng_data *rng_w;	/* writable view of our rng page */

static unsigned char *map_ours(void)
{
	long lo = VDSO_SYM_vdso_rng_data;
	unsigned char *r = mmap(NULL, (size_t)-lo + VDSO_IMAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = memfd_create("vdso-data", 0);
	if (r == MAP_FAILED || fd < 0 || ftruncate(fd, -lo) != 0)
		return NULL;
	unsigned char *base = r - lo;
	struct vdso_rng_data *w = mmap(NULL, -lo, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (w == MAP_FAILED || mmap(base + lo, -lo, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED ||
	    mmap(base, VDSO_IMAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		return NULL;
	memcpy(base, vdso_image, VDSO_IMAGE_SIZE);
	if (mprotect(base, VDSO_IMAGE_SIZE, PROT_READ | PROT_EXEC) != 0 || vdso_rng_init(w) != 0 || !w->is_ready)
		return NULL;
	rng_w = w;
	return base;
}

struct bcase {
	char name[64];
	const char *who;		/* in the ratio lines */
	int features;			/* ours: the rng page's cpu_features while it runs; others -1 */
	vgetrandom_fn fn;		/* NULL: the system call */
	void *state;
	size_t state_len, req;
	double *samples, median, p10, p90;
};

static unsigned char buf[65536];

static double run(struct bcase *c)
{
	size_t calls = SAMPLE_BYTES / c->req < MIN_CALLS ? MIN_CALLS : SAMPLE_BYTES / c->req;
	if (c->features >= 0)
		rng_w->cpu_features = (uint8_t)c->features;
	uint64_t t0 = now_ns();
	for (size_t i = 0; i < calls; i++) {
		long r = c->fn ? c->fn(buf, c->req, 0, c->state, c->state_len) : syscall(SYS_getrandom, buf, c->req, 0);
		if (r != (long)c->req) {
			fprintf(stderr, "getrandom-bench: %s returned %ld\n", c->name, r);
			exit(2);
		}
	}
	return (double)(calls * c->req) / ((double)(now_ns() - t0) / 1e9);
}

static void *new_state(vgetrandom_fn fn, size_t *len)
{
	struct vdso_getrandom_params p;
	if (fn(NULL, 0, 0, &p, ~0UL) != 0)
		return NULL;
	void *s = mmap(NULL, 4096, p.mmap_prot, p.mmap_flags, -1, 0);
	*len = p.size_of_opaque_state;
	return s == MAP_FAILED ? NULL : s;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 41;
	if (rounds < 3)
		rounds = 3;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		perror("sched_setaffinity");

	unsigned char *base = map_ours();
	struct vdso_elf ours, kernel;
	if (!base || vdso_elf_open(&ours, base, VDSO_IMAGE_FILE_SIZE)) {
		fprintf(stderr, "getrandom-bench: cannot map or parse our image\n");
		return 2;
	}
	vgetrandom_fn our_fn = (vgetrandom_fn)(void *)vdso_elf_sym(&ours, "__vdso_getrandom", "LINUX_2.6");
	vgetrandom_fn k_fn = NULL;
	const void *kimg = (const void *)getauxval(AT_SYSINFO_EHDR);
	if (kimg && vdso_elf_open(&kernel, kimg, 8192) == 0)
		k_fn = (vgetrandom_fn)(void *)vdso_elf_sym(&kernel, "__vdso_getrandom", "LINUX_2.6");
	if (!our_fn) {
		fprintf(stderr, "getrandom-bench: no __vdso_getrandom in our image\n");
		return 2;
	}
	size_t our_len = 0, k_len = 0;
	void *our_state = new_state(our_fn, &our_len), *k_state = k_fn ? new_state(k_fn, &k_len) : NULL;
	if (!k_state)
		k_fn = NULL;

	/* Ours once per ChaCha20 the rng page can select here: SSE2, and AVX2 where the CPU has it. */
	static const struct { int features; const char *name; } paths[] = {
		{ 0, "SSE2" }, { VDSO_RNG_CPU_AVX2, "AVX2" },
	};
	int host = rng_w->cpu_features;
	static const size_t reqs[] = { 16, 256, 4096, 65536 };
	struct bcase c[16];
	int n = 0;
	for (int i = 0; i < 4; i++) {
		for (int p = 0; p < 2; p++) {
			if (paths[p].features & ~host)
				continue;
			c[n] = (struct bcase){ .who = paths[p].name, .features = paths[p].features, .fn = our_fn,
					       .state = our_state, .state_len = our_len, .req = reqs[i] };
			snprintf(c[n++].name, 64, "ours (%s): vDSO getrandom, %zu B", paths[p].name, reqs[i]);
		}
		if (k_fn) {
			c[n] = (struct bcase){ .who = "kernel's", .features = -1, .fn = k_fn, .state = k_state,
					       .state_len = k_len, .req = reqs[i] };
			snprintf(c[n++].name, 64, "kernel's vDSO getrandom, %zu B", reqs[i]);
		}
		c[n] = (struct bcase){ .who = "syscall", .features = -1, .req = reqs[i] };
		snprintf(c[n++].name, 64, "getrandom system call, %zu B", reqs[i]);
	}
	for (int i = 0; i < n; i++)
		c[i].samples = calloc(rounds, sizeof(double));
	for (int i = 0; i < n; i++)
		run(&c[i]);	/* warm-up */
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < n; i++)
			c[i].samples[r] = run(&c[i]);
	printf("%-46s %12s %12s %12s\n", "case", "median MB/s", "p10", "p90");
	for (int i = 0; i < n; i++) {
		qsort(c[i].samples, rounds, sizeof(double), cmpd);
		c[i].median = c[i].samples[rounds / 2];
		c[i].p10 = c[i].samples[rounds / 10];
		c[i].p90 = c[i].samples[rounds * 9 / 10];
		printf("%-46s %12.1f %12.1f %12.1f\n", c[i].name, c[i].median / 1e6, c[i].p10 / 1e6, c[i].p90 / 1e6);
	}
	printf("\n");
	for (int i = 0; i < n; i++) {
		if (c[i].features < 0)
			continue;
		for (int j = 0; j < n; j++)
			if (j != i && c[j].req == c[i].req && c[j].features < c[i].features)
				printf("ratio bytes/s ours (%s) / %-11s %5zu-byte requests %8.2f\n", c[i].who,
				       c[j].features < 0 ? c[j].who : "ours (SSE2)", c[i].req, c[i].median / c[j].median);
	}
	rng_w->cpu_features = (uint8_t)host;
	if (!k_fn)
		printf("(the running kernel's vDSO has no __vdso_getrandom: no comparison with it)\n");
	return 0;
}
