// SPDX-License-Identifier: MIT
/*
 * arm64 vDSO getrandom(), exported in LINUX_2.6.39 as __kernel_getrandom,
 * the name and node arm64 Linux (6.14+) gives it and the Go runtime and C
 * libraries look up there.  No unversioned alias: arm64 exports none for
 * any routine.  The generic code (lib/getrandom.c) does everything; see
 * include/vdso/getrandom.h for the ABI a C library follows.
 *
 * What is arm64-specific lives in <asm/vdso.h>: the system call (SVC #0,
 * number in X8) and smp_rmb() as DMB ISHLD, which keeps the read of the rng
 * page's generation before the re-key's system call (x86, which does not
 * reorder loads, needs only a compiler barrier there).
 */
#include "../../lib/getrandom.c"

long __kernel_getrandom(void *buffer, unsigned long len, unsigned int flags, void *opaque_state,
			unsigned long opaque_len);

long __kernel_getrandom(void *buffer, unsigned long len, unsigned int flags, void *opaque_state,
			unsigned long opaque_len)
{
	return __cvdso_getrandom(buffer, len, flags, opaque_state, opaque_len);
}
