/* SPDX-License-Identifier: MIT */
/*
 * MyOS's data-page ABI "myos-1": one page directly below the image, written
 * by MyOS's kernel side (kernel_side.c), read by its vDSO (vdso.c).  Not
 * vdsogen's layout: its own sequence lock, a tick counter and a time value.
 */
#ifndef MYOS_DATA_H
#define MYOS_DATA_H

#include <stdint.h>

#define MYOS_DATA_ABI	"myos-1"	/* what note.S declares and kernel_side.c serves */
#define MYOS_DATA_PAGES	1		/* myos.lds: myos_data = . - 1 * 4096 */
#define MYOS_DATA_MAGIC	0x534f594du	/* "MYOS": set by init, once the page is filled */

struct myos_data {
	uint32_t seq;		/* odd while the kernel side writes */
	uint32_t magic;
	uint64_t ticks;		/* kernel-side updates since it started */
	int64_t time_ns;	/* CLOCK_REALTIME (with run's offsets) at the last update */
	uint32_t tick_us;	/* how often it updates */
};

/* The time a vDSO call returns. */
struct myos_time {
	int64_t sec;
	int64_t nsec;
};

#endif /* MYOS_DATA_H */
