// SPDX-License-Identifier: MIT
/*
 * x86-64 vDSO getrandom(), exported in LINUX_2.6 as __vdso_getrandom with
 * the weak alias getrandom, as Linux 6.11+ exports it.  The generic code
 * (lib/getrandom.c) does everything; see include/vdso/getrandom.h for the
 * ABI a C library follows.
 */
#include "../../lib/getrandom.c"

long __vdso_getrandom(void *buffer, unsigned long len, unsigned int flags, void *opaque_state,
		      unsigned long opaque_len);

long __vdso_getrandom(void *buffer, unsigned long len, unsigned int flags, void *opaque_state,
		      unsigned long opaque_len)
{
	return __cvdso_getrandom(buffer, len, flags, opaque_state, opaque_len);
}

long getrandom(void *, unsigned long, unsigned int, void *, unsigned long)
	__attribute__((weak, alias("__vdso_getrandom")));
