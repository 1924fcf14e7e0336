// SPDX-License-Identifier: MIT
/*
 * i386 vDSO getcpu() (Linux's vdso32 exports __vdso_getcpu in LINUX_2.6,
 * with no alias): the generic code (lib/getcpu.c), as on x86-64, with the
 * data page reached without the GOT (<asm/vdso.h>).
 */
#include "../../lib/getcpu.c"

long __vdso_getcpu(unsigned int *cpu, unsigned int *node, struct getcpu_cache *unused);

long __vdso_getcpu(unsigned int *cpu, unsigned int *node, struct getcpu_cache *unused)
{
	return __cvdso_getcpu(cpu, node, unused);
}
