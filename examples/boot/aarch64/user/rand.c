// SPDX-License-Identifier: MIT
/*
 * The vDSO's getrandom as a C library uses it (kernel-vdso/include/vdso/
 * getrandom.h): ask for the state's parameters, mmap a state as told
 * (MAP_DROPPABLE | MAP_ANONYMOUS), then call with it.
 */
#include "user.h"

#define PARAMS_QUERY	(~0UL)
#define PROT_RW		0x3
#define MAP_ANON_DROPPABLE	(0x20 | 0x08)
#define STATE_GENERATION	128	/* struct vdso_getrandom_state's generation */

struct getrandom_params {
	u32 size_of_opaque_state, mmap_prot, mmap_flags, reserved[13];
};

static int all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

void random_checks(void)
{
	struct getrandom_params p = { 0 };
	u8 a[32], b[32], c[32], big[1000];

	check(vdso.getrandom(0, 0, 0, &p, PARAMS_QUERY) == 0 && p.size_of_opaque_state == 144 &&
	      p.mmap_prot == PROT_RW && p.mmap_flags == MAP_ANON_DROPPABLE,
	      "getrandom's parameter query: a 144-byte state in PROT_READ|PROT_WRITE, MAP_DROPPABLE|MAP_ANONYMOUS memory");
	long m = sys_mmap(0, 4096, p.mmap_prot, p.mmap_flags);
	if (!check(m > 0 && !(m & 4095), "mmap of an anonymous, droppable page for the state")) {
		put_str("Bail out! no getrandom state");
		put_end();
		return;
	}
	u8 *state = (u8 *)m;
	long r1 = vdso.getrandom(a, sizeof a, 0, state, p.size_of_opaque_state);
	long r2 = vdso.getrandom(b, sizeof b, 0, state, p.size_of_opaque_state);
	check(r1 == 32 && r2 == 32 && !all_zero(a, 32) && !mem_eq(a, b, 32),
	      "two getrandom calls through the vDSO give 32 fresh bytes each");
	check(*(const u64 *)(state + STATE_GENERATION) == 1,
	      "the state was keyed at the getrandom page's generation 1: the vDSO served the calls");
	check(vdso.getrandom(big, sizeof big, 0, state, p.size_of_opaque_state) == (long)sizeof big &&
	      !all_zero(big + sizeof big - 32, 32), "a 1000-byte getrandom through the vDSO is served whole");
	check(vdso.getrandom(c, sizeof c, 0x1000, state, p.size_of_opaque_state) == -EINVAL,
	      "an unknown flag is -EINVAL (the vDSO hands it to the kernel)");
	check(sys_getrandom(c, sizeof c, 0) == 32 && !mem_eq(a, c, 32) && !mem_eq(b, c, 32),
	      "the getrandom system call gives other bytes");
	check(sys_munmap(state, 4096) == 0, "munmap of the state");
}
