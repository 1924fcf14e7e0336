/*
 * An i386 program for run32.sh (built there, dynamic against glibc and static):
 *   clock32 time          clock_gettime(REALTIME), gettimeofday and time(), three numbers
 *   clock32 vsyscall      getpid through AT_SYSINFO (eax = __NR_getpid), and getpid()
 *   clock32 image OUT     the AT_SYSINFO_EHDR image's first SIZE bytes (SIZE = argv[3]) to OUT;
 *                         exit 1 if AT_SYSINFO lies outside them
 *   clock32 exec PROG...  fork and exec PROG (the i386 execve), wait, then exec it itself
 *   clock32 reexec        exec /proc/self/exe time
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int vsyscall(void)
{
	unsigned long gate = getauxval(AT_SYSINFO);
	long r = 20;	/* __NR_getpid on i386 */
	if (!gate)
		return -1;
	__asm__ volatile("call *%1" : "+a"(r) : "r"(gate) : "memory", "cc");
	return (int)r;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "time") == 0) {
		struct timespec ts;
		struct timeval tv;
		clock_gettime(CLOCK_REALTIME, &ts);
		gettimeofday(&tv, NULL);
		printf("%lld %lld %lld\n", (long long)ts.tv_sec, (long long)tv.tv_sec, (long long)time(NULL));
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "vsyscall") == 0) {
		printf("%d %d\n", vsyscall(), (int)getpid());
		return 0;
	}
	if (argc >= 4 && strcmp(argv[1], "image") == 0) {
		const void *ehdr = (const void *)getauxval(AT_SYSINFO_EHDR);
		FILE *o = fopen(argv[2], "wb");
		size_t n = (size_t)strtoul(argv[3], NULL, 10);
		if (!ehdr || !o || fwrite(ehdr, 1, n, o) != n || fclose(o))
			return 1;
		/* AT_SYSINFO, where there is one, is the image's __kernel_vsyscall, not the kernel's. */
		unsigned long gate = getauxval(AT_SYSINFO), base = (unsigned long)ehdr;
		if (gate && (gate < base || gate - base >= n)) {
			fprintf(stderr, "AT_SYSINFO 0x%lx lies outside the image at 0x%lx\n", gate, base);
			return 1;
		}
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "exec") == 0) {
		pid_t p = fork();
		if (p == 0) {
			execv(argv[2], argv + 2);
			_exit(127);
		}
		int st;
		waitpid(p, &st, 0);
		fflush(stdout);
		execv(argv[2], argv + 2);
		return 127;
	}
	if (argc >= 2 && strcmp(argv[1], "reexec") == 0) {
		/* Once more as /proc/self/exe (which names the loader): the program must run again. */
		char *av[] = { argv[0], "time", NULL };
		execv("/proc/self/exe", av);
		return 127;
	}
	fprintf(stderr, "usage: clock32 time | vsyscall | image OUT SIZE | exec PROG [ARGS...] | reexec\n");
	return 2;
}
