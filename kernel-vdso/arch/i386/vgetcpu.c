// SPDX-License-Identifier: MIT
/*
 * i386 vDSO getcpu() (Linux's vdso32 exports __vdso_getcpu in LINUX_2.6):
 * IA32_TSC_AUX through RDPID or RDTSCP as the data page says, else the
 * system call -- as on x86-64 (arch/x86_64/vgetcpu.c), with the data page
 * reached without the GOT.
 */
#include <vdso/helpers.h>

struct getcpu_cache;

long __vdso_getcpu(unsigned int *cpu, unsigned int *node, struct getcpu_cache *unused);

long __vdso_getcpu(unsigned int *cpu, unsigned int *node, struct getcpu_cache *unused)
{
	const struct vdso_time_data *vd = __arch_get_vdso_data();
	vdso_u32 aux;

	if (unlikely(!vdso_page_filled(vd)))
		return getcpu_fallback(cpu, node, unused);

	switch (READ_ONCE(vd->cpu_mode)) {
	case VDSO_CPUMODE_RDPID:
		aux = __arch_rdpid();
		break;
	case VDSO_CPUMODE_RDTSCP:
		aux = __arch_rdtscp_aux();
		break;
	default:
		return getcpu_fallback(cpu, node, unused);
	}

	if (cpu)
		*cpu = aux & VDSO_TSC_AUX_CPU_MASK;
	if (node)
		*node = aux >> VDSO_TSC_AUX_NODE_SHIFT;
	return 0;
}
