// SPDX-License-Identifier: MIT
/*
 * x86-64 vDSO getcpu(), exported in LINUX_2.6 as __vdso_getcpu with the
 * weak alias getcpu.  The generic code (lib/getcpu.c) reads IA32_TSC_AUX
 * with RDPID or RDTSCP as the data page allows.
 */
#include "../../lib/getcpu.c"

long __vdso_getcpu(unsigned int *cpu, unsigned int *node, struct getcpu_cache *unused);

long __vdso_getcpu(unsigned int *cpu, unsigned int *node, struct getcpu_cache *unused)
{
	return __cvdso_getcpu(cpu, node, unused);
}

long getcpu(unsigned int *, unsigned int *, struct getcpu_cache *)
	__attribute__((weak, alias("__vdso_getcpu")));
