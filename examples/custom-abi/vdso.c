/* SPDX-License-Identifier: MIT */
/*
 * MyOS's vDSO: myos_ticks() and myos_time() read the page the kernel side
 * writes (myos_data.h) under its sequence lock, exported in node MYOS_1.
 */
#include "myos_data.h"

/* Defined by myos.lds one page below the image; hidden, so PC-relative with no relocation. */
extern const struct myos_data myos_data __attribute__((visibility("hidden")));

uint64_t myos_ticks(void);
int myos_time(struct myos_time *t);

/* One consistent copy of the page's fields, as the seqlock protocol reads it. */
static void myos_read(uint64_t *ticks, int64_t *time_ns)
{
	uint32_t s;
	for (;;) {
		s = __atomic_load_n(&myos_data.seq, __ATOMIC_ACQUIRE);
		if (s & 1) {
			__builtin_ia32_pause();
			continue;
		}
		*ticks = __atomic_load_n(&myos_data.ticks, __ATOMIC_RELAXED);
		*time_ns = __atomic_load_n(&myos_data.time_ns, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&myos_data.seq, __ATOMIC_RELAXED) == s)
			return;
	}
}

uint64_t myos_ticks(void)
{
	uint64_t ticks;
	int64_t ns;
	myos_read(&ticks, &ns);
	return ticks;
}

/* 0, or -1 while the kernel side has not filled the page. */
int myos_time(struct myos_time *t)
{
	if (__atomic_load_n(&myos_data.magic, __ATOMIC_ACQUIRE) != MYOS_DATA_MAGIC)
		return -1;
	uint64_t ticks;
	int64_t ns;
	myos_read(&ticks, &ns);
	t->sec = ns / 1000000000;
	t->nsec = ns % 1000000000;
	return 0;
}
