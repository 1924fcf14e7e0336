/* SPDX-License-Identifier: MIT */
/*
 * A program of another architecture (aarch64, riscv64), run by
 * Tests/run/foreign.sh under `vdsogen run` and qemu-user:
 *
 *   foreign-clock time          clock_gettime(REALTIME), gettimeofday and time (seconds)
 *   foreign-clock image FILE    the bytes at AT_SYSINFO_EHDR are FILE's, every one
 *   foreign-clock mono OFF_S    CLOCK_MONOTONIC through libc (the vDSO) never goes back and
 *                               stays within 5 ms of the system call plus OFF_S seconds, over
 *                               half a second (hundreds of the writer's updates)
 *   foreign-clock order N RT_S MONO_S
 *                               N times for each of REALTIME, MONOTONIC, BOOTTIME, TAI: the
 *                               system call, the vDSO, the system call again are in order (as
 *                               Linux's vdso_test_correctness checks once per clock), the
 *                               system call's plus RT_S (REALTIME, TAI) or MONO_S seconds
 *   foreign-clock exit N        exit with status N
 *
 * Exit 0 when the check holds, 1 (with one line why) when it does not.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define NS 1000000000LL

static int64_t ns_of(const struct timespec *t)
{
	return (int64_t)t->tv_sec * NS + t->tv_nsec;
}

static int cmd_time(void)
{
	struct timespec ts;
	struct timeval tv;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || gettimeofday(&tv, NULL) != 0)
		return perror("clock_gettime/gettimeofday"), 1;
	printf("%lld %lld %lld\n", (long long)ts.tv_sec, (long long)tv.tv_sec, (long long)time(NULL));
	return 0;
}

static int cmd_image(const char *file)
{
	const unsigned char *ehdr = (const unsigned char *)getauxval(AT_SYSINFO_EHDR);
	if (!ehdr)
		return puts("no AT_SYSINFO_EHDR"), 1;
	FILE *f = fopen(file, "rb");
	if (!f)
		return perror(file), 1;
	long n = 0;
	int c;
	while ((c = getc(f)) != EOF) {
		if (ehdr[n] != (unsigned char)c) {
			printf("AT_SYSINFO_EHDR %p differs from %s at offset %ld\n", (void *)ehdr, file, n);
			return 1;
		}
		n++;
	}
	fclose(f);
	if (n < 64)
		return printf("%s: only %ld bytes\n", file, n), 1;
	printf("same %ld bytes\n", n);
	return 0;
}

static int cmd_mono(const char *off_s)
{
	int64_t off = strtoll(off_s, NULL, 10) * NS, prev = INT64_MIN, worst = 0;
	for (int i = 0; i < 1000; i++) {
		if (i % 4 == 0)
			usleep(2000);
		struct timespec a, s, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &s);
		clock_gettime(CLOCK_MONOTONIC, &b);
		int64_t va = ns_of(&a), vb = ns_of(&b), vs = ns_of(&s) + off;
		if (va < prev || vb < va)
			return printf("went back at %d: %lld after %lld, then %lld\n", i, (long long)va,
				      (long long)prev, (long long)vb), 1;
		prev = vb;
		/* The system call lies between the two reads: outside them by the counter's error only. */
		int64_t dev = vs < va ? va - vs : vs > vb ? vs - vb : 0;
		worst = dev > worst ? dev : worst;
		if (dev > 5000000)
			return printf("at %d: vDSO %lld..%lld, system call + offset %lld: %lld ns apart\n", i,
				      (long long)va, (long long)vb, (long long)vs, (long long)dev), 1;
	}
	printf("monotonic, within %lld ns of the system call\n", (long long)worst);
	return 0;
}

static int cmd_order(const char *n_s, const char *rt_s, const char *mono_s)
{
	int64_t rt = strtoll(rt_s, NULL, 10) * NS, mono = strtoll(mono_s, NULL, 10) * NS;
	const int64_t off[] = { rt, mono, mono, rt };
	static const clockid_t ids[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_TAI };
	static const char *const names[] = { "REALTIME", "MONOTONIC", "BOOTTIME", "TAI" };
	long n = strtol(n_s, NULL, 10);
	for (long i = 0; i < n; i++) {
		for (int k = 0; k < 4; k++) {
			struct timespec a, v, b;
			syscall(SYS_clock_gettime, ids[k], &a);
			clock_gettime(ids[k], &v);
			syscall(SYS_clock_gettime, ids[k], &b);
			int64_t va = ns_of(&a) + off[k], vv = ns_of(&v), vb = ns_of(&b) + off[k];
			if (va > vv || vv > vb)
				return printf("%s out of order at %ld: %lld %lld %lld\n", names[k], i,
					      (long long)va, (long long)vv, (long long)vb), 1;
		}
	}
	printf("in order %ld times\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "time") == 0)
		return cmd_time();
	if (argc == 3 && strcmp(argv[1], "image") == 0)
		return cmd_image(argv[2]);
	if (argc == 3 && strcmp(argv[1], "mono") == 0)
		return cmd_mono(argv[2]);
	if (argc == 5 && strcmp(argv[1], "order") == 0)
		return cmd_order(argv[2], argv[3], argv[4]);
	if (argc == 3 && strcmp(argv[1], "exit") == 0)
		return atoi(argv[2]);
	fprintf(stderr, "usage: %s time | image FILE | mono OFFSET_S | order N RT_S MONO_S | exit N\n", argv[0]);
	return 2;
}
