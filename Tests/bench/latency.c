// SPDX-License-Identifier: MIT
/*
 * Call latency of our vDSO vs the running kernel's vDSO vs the system call vs a bare counter
 * read, from one process in one run, pinned to one CPU.
 *
 * Our image is mapped as the e2e harness maps it (data page below, kept current by the host
 * timekeeper on another thread); the kernel's routines are resolved by name and version from
 * AT_SYSINFO_EHDR with the same lookup, so both are called the same way (an indirect call).
 * Each case runs BATCH calls per sample; samples of all cases are interleaved round-robin so
 * that frequency changes and noise hit every case alike. Reported: median ns/call and the
 * 10th-90th percentile spread.
 *
 * Usage: latency [ROUNDS]   (default 201)
 */
#define _GNU_SOURCE
#include "vdso-image.h"
#include "elf_lookup.h"
#include "timekeeper.h"

#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define BATCH 2000

typedef int (*cgt_t)(long, struct timespec *);
typedef int (*gtod_t)(struct timeval *, void *);
typedef long (*time_fn_t)(long *);
typedef int (*getcpu_t)(unsigned *, unsigned *, void *);

static cgt_t our_cgt, k_cgt;
static gtod_t our_gtod, k_gtod;
static time_fn_t our_time, k_time;
static getcpu_t our_getcpu, k_getcpu;
static const struct vdso_time_data *page;
static volatile uint64_t sink;

static inline uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* One case: a name and a loop body run BATCH times. */
struct bench {
	const char *name;
	void (*run)(long arg);
	long arg;
	double *samples;
	double median, p10, p90;
};

static void run_our_cgt(long clk) { struct timespec ts; for (int i = 0; i < BATCH; i++) { our_cgt(clk, &ts); sink += (uint64_t)ts.tv_nsec; } }
static void run_k_cgt(long clk) { struct timespec ts; for (int i = 0; i < BATCH; i++) { k_cgt(clk, &ts); sink += (uint64_t)ts.tv_nsec; } }
static void run_libc_cgt(long clk) { struct timespec ts; for (int i = 0; i < BATCH; i++) { clock_gettime((clockid_t)clk, &ts); sink += (uint64_t)ts.tv_nsec; } }
static void run_sys_cgt(long clk) { struct timespec ts; for (int i = 0; i < BATCH; i++) { syscall(SYS_clock_gettime, clk, &ts); sink += (uint64_t)ts.tv_nsec; } }
static void run_our_gtod(long a) { (void)a; struct timeval tv; for (int i = 0; i < BATCH; i++) { our_gtod(&tv, 0); sink += (uint64_t)tv.tv_usec; } }
static void run_k_gtod(long a) { (void)a; struct timeval tv; for (int i = 0; i < BATCH; i++) { k_gtod(&tv, 0); sink += (uint64_t)tv.tv_usec; } }
static void run_sys_gtod(long a) { (void)a; struct timeval tv; for (int i = 0; i < BATCH; i++) { syscall(SYS_gettimeofday, &tv, 0); sink += (uint64_t)tv.tv_usec; } }
static void run_our_time(long a) { (void)a; for (int i = 0; i < BATCH; i++) sink += (uint64_t)our_time(0); }
static void run_k_time(long a) { (void)a; for (int i = 0; i < BATCH; i++) sink += (uint64_t)k_time(0); }
static void run_sys_time(long a) { (void)a; for (int i = 0; i < BATCH; i++) sink += (uint64_t)syscall(SYS_time, 0); }
static void run_our_getcpu(long a) { (void)a; unsigned c; for (int i = 0; i < BATCH; i++) { our_getcpu(&c, 0, 0); sink += c; } }
static void run_k_getcpu(long a) { (void)a; unsigned c; for (int i = 0; i < BATCH; i++) { k_getcpu(&c, 0, 0); sink += c; } }
static void run_sys_getcpu(long a) { (void)a; unsigned c; for (int i = 0; i < BATCH; i++) { syscall(SYS_getcpu, &c, 0, 0); sink += c; } }

/* The counter reads the hres clocks are built on: the floor for clock_gettime. */
static void run_rdtscp(long a)
{
	(void)a;
	for (int i = 0; i < BATCH; i++) {
		uint32_t lo, hi, aux;
		__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(aux));
		sink += lo;
	}
}

static void run_lfence_rdtsc(long a)
{
	(void)a;
	for (int i = 0; i < BATCH; i++) {
		uint32_t lo, hi;
		__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
		sink += lo;
	}
}

/* A plain load of the data page: the floor for the coarse clocks and time(). */
static void run_load(long a)
{
	(void)a;
	for (int i = 0; i < BATCH; i++)
		sink += *(volatile const uint64_t *)&page->clock_data[0].basetime[VDSO_CLOCK_REALTIME_COARSE].sec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static const void *need(const struct vdso_elf *e, const char *name, const char *what)
{
	const void *p = vdso_elf_sym(e, name, "LINUX_2.6");
	if (!p) {
		fprintf(stderr, "latency: %s has no %s@LINUX_2.6\n", what, name);
		exit(2);
	}
	return p;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 201;
	unsigned char *map = mmap(NULL, VDSO_DATA_SIZE + VDSO_IMAGE_SIZE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) { perror("mmap"); return 2; }
	struct vdso_time_data *data = (struct vdso_time_data *)map;
	unsigned char *image = map + VDSO_DATA_SIZE;
	memcpy(image, vdso_image, VDSO_IMAGE_SIZE);
	if (mprotect(image, VDSO_IMAGE_SIZE, PROT_READ | PROT_EXEC)) { perror("mprotect"); return 2; }
	struct vdso_tk_options opt = { .clock_mode = VDSO_TK_AUTO, .cpu_mode = VDSO_TK_AUTO };
	if (vdso_tk_init(data, &opt) || vdso_tk_start_thread(data, 1000)) { fprintf(stderr, "latency: timekeeper failed\n"); return 2; }
	page = data;

	struct vdso_elf ours, kernel;
	if (vdso_elf_open(&ours, image, VDSO_IMAGE_SIZE) ||
	    vdso_elf_open(&kernel, (const void *)getauxval(AT_SYSINFO_EHDR), 8192)) {
		fprintf(stderr, "latency: cannot parse the images\n");
		return 2;
	}
	our_cgt = (cgt_t)need(&ours, "__vdso_clock_gettime", "our image");
	our_gtod = (gtod_t)need(&ours, "__vdso_gettimeofday", "our image");
	our_time = (time_fn_t)need(&ours, "__vdso_time", "our image");
	our_getcpu = (getcpu_t)need(&ours, "__vdso_getcpu", "our image");
	k_cgt = (cgt_t)need(&kernel, "__vdso_clock_gettime", "the kernel's vDSO");
	k_gtod = (gtod_t)need(&kernel, "__vdso_gettimeofday", "the kernel's vDSO");
	k_time = (time_fn_t)need(&kernel, "__vdso_time", "the kernel's vDSO");
	k_getcpu = (getcpu_t)need(&kernel, "__vdso_getcpu", "the kernel's vDSO");

	/* The writer thread keeps the whole mask; the measuring thread runs on CPU 0 alone. */
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	if (sched_setaffinity(0, sizeof(one), &one)) perror("sched_setaffinity");

	struct bench b[] = {
		{ "clock_gettime(MONOTONIC) ours", run_our_cgt, CLOCK_MONOTONIC, 0, 0, 0, 0 },
		{ "clock_gettime(MONOTONIC) kernel vDSO", run_k_cgt, CLOCK_MONOTONIC, 0, 0, 0, 0 },
		{ "clock_gettime(MONOTONIC) libc (kernel vDSO)", run_libc_cgt, CLOCK_MONOTONIC, 0, 0, 0, 0 },
		{ "clock_gettime(MONOTONIC) syscall", run_sys_cgt, CLOCK_MONOTONIC, 0, 0, 0, 0 },
		{ "clock_gettime(REALTIME) ours", run_our_cgt, CLOCK_REALTIME, 0, 0, 0, 0 },
		{ "clock_gettime(REALTIME) kernel vDSO", run_k_cgt, CLOCK_REALTIME, 0, 0, 0, 0 },
		{ "clock_gettime(MONOTONIC_RAW) ours", run_our_cgt, CLOCK_MONOTONIC_RAW, 0, 0, 0, 0 },
		{ "clock_gettime(MONOTONIC_RAW) kernel vDSO", run_k_cgt, CLOCK_MONOTONIC_RAW, 0, 0, 0, 0 },
		{ "clock_gettime(BOOTTIME) ours", run_our_cgt, CLOCK_BOOTTIME, 0, 0, 0, 0 },
		{ "clock_gettime(BOOTTIME) kernel vDSO", run_k_cgt, CLOCK_BOOTTIME, 0, 0, 0, 0 },
		{ "clock_gettime(TAI) ours", run_our_cgt, CLOCK_TAI, 0, 0, 0, 0 },
		{ "clock_gettime(TAI) kernel vDSO", run_k_cgt, CLOCK_TAI, 0, 0, 0, 0 },
		{ "clock_gettime(REALTIME_COARSE) ours", run_our_cgt, CLOCK_REALTIME_COARSE, 0, 0, 0, 0 },
		{ "clock_gettime(REALTIME_COARSE) kernel vDSO", run_k_cgt, CLOCK_REALTIME_COARSE, 0, 0, 0, 0 },
		{ "clock_gettime(MONOTONIC_COARSE) ours", run_our_cgt, CLOCK_MONOTONIC_COARSE, 0, 0, 0, 0 },
		{ "clock_gettime(MONOTONIC_COARSE) kernel vDSO", run_k_cgt, CLOCK_MONOTONIC_COARSE, 0, 0, 0, 0 },
		{ "gettimeofday ours", run_our_gtod, 0, 0, 0, 0, 0 },
		{ "gettimeofday kernel vDSO", run_k_gtod, 0, 0, 0, 0, 0 },
		{ "gettimeofday syscall", run_sys_gtod, 0, 0, 0, 0, 0 },
		{ "time ours", run_our_time, 0, 0, 0, 0, 0 },
		{ "time kernel vDSO", run_k_time, 0, 0, 0, 0, 0 },
		{ "time syscall", run_sys_time, 0, 0, 0, 0, 0 },
		{ "getcpu ours", run_our_getcpu, 0, 0, 0, 0, 0 },
		{ "getcpu kernel vDSO", run_k_getcpu, 0, 0, 0, 0, 0 },
		{ "getcpu syscall", run_sys_getcpu, 0, 0, 0, 0, 0 },
		{ "rdtscp (bare counter)", run_rdtscp, 0, 0, 0, 0, 0 },
		{ "lfence; rdtsc (bare ordered counter)", run_lfence_rdtsc, 0, 0, 0, 0, 0 },
		{ "plain load of the data page", run_load, 0, 0, 0, 0, 0 },
	};
	enum { N = sizeof(b) / sizeof(b[0]) };
	for (int i = 0; i < N; i++) {
		b[i].samples = calloc((size_t)rounds, sizeof(double));
		b[i].run(b[i].arg); /* warm up */
	}
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < N; i++) {
			uint64_t t0 = now_ns();
			b[i].run(b[i].arg);
			b[i].samples[r] = (double)(now_ns() - t0) / BATCH;
		}
	}
	printf("%-46s %10s %10s %10s\n", "case", "median ns", "p10", "p90");
	for (int i = 0; i < N; i++) {
		qsort(b[i].samples, (size_t)rounds, sizeof(double), cmp);
		b[i].median = b[i].samples[rounds / 2];
		b[i].p10 = b[i].samples[rounds / 10];
		b[i].p90 = b[i].samples[rounds * 9 / 10];
		printf("%-46s %10.2f %10.2f %10.2f\n", b[i].name, b[i].median, b[i].p10, b[i].p90);
	}
	/* The ratios the targets are stated in (BENCHMARKS.md). */
	printf("\nratio clock_gettime(MONOTONIC) ours / kernel vDSO          %.3f  (target <= 1.0)\n", b[0].median / b[1].median);
	printf("ratio clock_gettime(MONOTONIC) ours / lfence;rdtsc         %.3f  (target <= 1.3)\n", b[0].median / b[26].median);
	printf("ratio clock_gettime(MONOTONIC) ours / rdtscp               %.3f\n", b[0].median / b[25].median);
	printf("ratio clock_gettime(MONOTONIC) ours / syscall              %.3f\n", b[0].median / b[3].median);
	printf("ratio clock_gettime(REALTIME_COARSE) ours / plain load     %.3f  (target <= 1.1)\n", b[12].median / b[27].median);
	printf("ratio clock_gettime(MONOTONIC_COARSE) ours / plain load    %.3f  (target <= 1.1)\n", b[14].median / b[27].median);
	printf("ratio time ours / plain load                               %.3f  (target <= 1.1)\n", b[19].median / b[27].median);
	printf("ratio gettimeofday ours / kernel vDSO                      %.3f\n", b[16].median / b[17].median);
	printf("ratio getcpu ours / kernel vDSO                            %.3f\n", b[22].median / b[23].median);
	vdso_tk_stop_thread(data);
	return 0;
}
