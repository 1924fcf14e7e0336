/* The writer keeps the page current: for ~2 s, clock_gettime through the
 * vDSO stays within 1 ms of the system call (MONOTONIC), and REALTIME stays
 * the kernel's plus argv[1] seconds.  Exit 0 if so. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(int argc, char **argv)
{
	long long off = argc > 1 ? atoll(argv[1]) * 1000000000LL : 0, worst_m = 0, worst_r = 0;
	for (int i = 0; i < 40; i++) {
		struct timespec a, b, c, ra, rb, rc;
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a);
		clock_gettime(CLOCK_MONOTONIC, &b);
		syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &c);
		syscall(SYS_clock_gettime, CLOCK_REALTIME, &ra);
		clock_gettime(CLOCK_REALTIME, &rb);
		syscall(SYS_clock_gettime, CLOCK_REALTIME, &rc);
		long long em = ns(&b) < ns(&a) ? ns(&a) - ns(&b) : ns(&b) > ns(&c) ? ns(&b) - ns(&c) : 0;
		long long r = ns(&rb) - off;
		long long er = r < ns(&ra) ? ns(&ra) - r : r > ns(&rc) ? r - ns(&rc) : 0;
		if (em > worst_m)
			worst_m = em;
		if (er > worst_r)
			worst_r = er;
		usleep(50000);
	}
	printf("worst error over 2 s: monotonic %lld ns, realtime %lld ns\n", worst_m, worst_r);
	return worst_m < 1000000 && worst_r < 1000000 ? 0 : 1;
}
