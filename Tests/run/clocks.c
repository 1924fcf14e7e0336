/* Prints: AT_SYSINFO_EHDR, then the seconds of clock_gettime(CLOCK_REALTIME),
 * gettimeofday and time, one line.  Built dynamic, static and static-pie. */
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/time.h>
#include <time.h>

int main(void)
{
	struct timespec ts;
	struct timeval tv;
	clock_gettime(CLOCK_REALTIME, &ts);
	gettimeofday(&tv, NULL);
	time_t t = time(NULL);
	printf("0x%lx %lld %lld %lld\n", getauxval(AT_SYSINFO_EHDR), (long long)ts.tv_sec, (long long)tv.tv_sec,
	       (long long)t);
	return 0;
}
