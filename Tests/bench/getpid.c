/* SPDX-License-Identifier: MIT */
/*
 * getpid [N]          N (default 10^6) getpid system calls, through syscall()
 *                     so that no libc caches one.
 * getpid --ns        ns per getpid in this process (best of 7 batches).
 * getpid --filter-cost  ns per getpid in this process before and after it
 *                     installs a seccomp filter that allows everything (one
 *                     BPF instruction): the price of the kernel's seccomp
 *                     entry path, which any filter pays.
 */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double ns_per_call(long n)
{
	double best = 1e30;
	for (int k = 0; k < 7; k++) {
		struct timespec a, b;
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (long i = 0; i < n; i++)
			syscall(SYS_getpid);
		clock_gettime(CLOCK_MONOTONIC, &b);
		double t = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / (double)n;
		if (t < best)
			best = t;
	}
	return best;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--filter-cost") == 0) {
		struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
		struct sock_fprog prog = { 1, &allow };
		double before = ns_per_call(200000);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) {
			perror("seccomp");
			return 1;
		}
		double after = ns_per_call(200000);
		printf("  getpid, best of 7 batches of 200000: %.1f ns without a filter, %.1f ns under an allow-all "
		       "filter: ratio %.3f\n", before, after, after / before);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--ns") == 0) {
		printf("%.2f\n", ns_per_call(200000));
		return 0;
	}
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	return 0;
}
