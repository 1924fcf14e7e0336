// SPDX-License-Identifier: MIT
/*
 * The kernel's random numbers: for the vDSO's address, AT_RANDOM and the
 * getrandom system call (which keys the vDSO's ChaCha20).
 *
 * FEAT_RNG's RNDR (ID_AA64ISAR0_EL1.RNDR, bits 63:60, nonzero; QEMU's
 * -cpu max has it) when the CPU has it: a value from the CPU's
 * entropy-seeded generator each read.  Otherwise a SplitMix64 sequence
 * seeded from the counter at boot -- enough for two boots to differ, but
 * not a cryptographic generator: a real kernel without RNDR gathers
 * entropy and runs a CSPRNG (Linux's ChaCha20 crng).
 */
#include "kernel.h"

static int have_rndr;
static u64 splitmix_state;

int cpu_has_rndr(void)
{
	return have_rndr;
}

void random_init(void)
{
	have_rndr = ((read_sysreg(id_aa64isar0_el1) >> 60) & 0xf) != 0;
	splitmix_state = read_counter() ^ 0x9e3779b97f4a7c15UL;
}

/* RNDR is s3_3_c2_c4_0; it sets PSTATE.Z when it could not produce a number (retry). */
static int rndr(u64 *v)
{
	u64 ok;

	__asm__ __volatile__("mrs %0, s3_3_c2_c4_0\n\tcset %1, ne" : "=r"(*v), "=r"(ok) : : "cc");
	return (int)ok;
}

u64 random_u64(void)
{
	u64 v;

	if (have_rndr) {
		for (int i = 0; i < 16; i++)
			if (rndr(&v))
				return v;
	}
	v = (splitmix_state += 0x9e3779b97f4a7c15UL);
	v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9UL;
	v = (v ^ (v >> 27)) * 0x94d049bb133111ebUL;
	return v ^ (v >> 31);
}

void random_fill(void *buf, size_t n)
{
	u8 *p = buf;

	while (n) {
		u64 v = random_u64();
		size_t k = n < 8 ? n : 8;

		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}
