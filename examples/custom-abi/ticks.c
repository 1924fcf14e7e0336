/* SPDX-License-Identifier: MIT */
/*
 * A MyOS program: finds myos_ticks and myos_time (MYOS_1) in the vDSO at
 * AT_SYSINFO_EHDR and checks what the kernel side publishes.
 *
 *   ticks OFFSET_S   myos_ticks() advances (by about one per update period
 *                    while it sleeps), and myos_time() is the kernel's
 *                    CLOCK_REALTIME plus OFFSET_S seconds, within 50 ms.
 */
#include "elf_lookup.h"
#include "myos_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void expect(int ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	failures += !ok;
}

int main(int argc, char **argv)
{
	long long offset_s = argc > 1 ? atoll(argv[1]) : 0;
	const unsigned char *image = (const unsigned char *)getauxval(AT_SYSINFO_EHDR);
	struct vdso_elf e;
	if (!image || vdso_elf_open(&e, image, 65536) != 0) {
		printf("not ok - no vDSO image at AT_SYSINFO_EHDR\n");
		return 1;
	}
	uint64_t (*ticks)(void) = (uint64_t (*)(void))vdso_elf_sym(&e, "myos_ticks", "MYOS_1");
	int (*mtime)(struct myos_time *) = (int (*)(struct myos_time *))vdso_elf_sym(&e, "myos_time", "MYOS_1");
	expect(ticks && mtime, "the vDSO exports myos_ticks and myos_time in MYOS_1");
	if (!ticks || !mtime)
		return 1;

	uint64_t t0 = ticks();
	struct timespec nap = { 0, 100 * 1000000L };
	nanosleep(&nap, NULL);
	uint64_t t1 = ticks();
	/* 100 ms at a 2 ms period: about 50 updates; at least 10 on a loaded machine. */
	printf("# myos_ticks %llu -> %llu over 100 ms\n", (unsigned long long)t0, (unsigned long long)t1);
	expect(t1 >= t0 + 10 && t1 <= t0 + 80, "myos_ticks advances with the kernel side's updates");

	struct myos_time mt;
	struct timespec k;
	int rc = mtime(&mt);
	syscall(SYS_clock_gettime, CLOCK_REALTIME, &k);
	long long diff_ms = ((mt.sec - (k.tv_sec + offset_s)) * 1000000000LL + (mt.nsec - k.tv_nsec)) / 1000000;
	printf("# myos_time - (kernel CLOCK_REALTIME + %llds) = %lld ms\n", offset_s, diff_ms);
	expect(rc == 0 && diff_ms > -50 && diff_ms <= 5, "myos_time is the kernel's time plus run's offset");
	return failures ? 1 : 0;
}
