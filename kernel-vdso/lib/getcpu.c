// SPDX-License-Identifier: MIT
/*
 * Generic x86 vDSO getcpu(): the CPU and NUMA node from IA32_TSC_AUX.
 *
 * The kernel loads IA32_TSC_AUX on each CPU with (node << 12) | cpu and
 * says in the data page which instruction may read it: RDPID (cheapest),
 * RDTSCP (which also reads the TSC), or neither, in which case the system
 * call answers.  Linux itself reads the same value with RDPID or, lacking
 * it, with LSL from a per-CPU GDT segment limit.
 *
 * Not a translation unit of its own: the x86-64 and i386 entry files
 * include it and wrap __cvdso_getcpu() in their exported __vdso_getcpu.
 * Their <asm/vdso.h> provides __arch_rdpid(), __arch_rdtscp_aux() and
 * getcpu_fallback(), and i386's reaches the data page without the GOT
 * (__arch_get_vdso_data).
 */
#include <vdso/helpers.h>

struct getcpu_cache;

static __always_inline long __cvdso_getcpu(unsigned int *cpu, unsigned int *node, struct getcpu_cache *unused)
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
		/* VDSO_CPUMODE_SYSCALL, and any mode this image does not know. */
		return getcpu_fallback(cpu, node, unused);
	}

	if (cpu)
		*cpu = aux & VDSO_TSC_AUX_CPU_MASK;
	if (node)
		*node = aux >> VDSO_TSC_AUX_NODE_SHIFT;
	return 0;
}
