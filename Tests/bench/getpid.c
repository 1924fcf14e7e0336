/* SPDX-License-Identifier: MIT */
/* getpid [N]: N (default 10^6) getpid system calls, through syscall() so that no libc caches one. */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	return 0;
}
