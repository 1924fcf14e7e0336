/* Finding a vDSO symbol by name and version, as a libc does. */
#ifndef BOOT_INIT_VDSO_SYM_H
#define BOOT_INIT_VDSO_SYM_H

#include "sys.h"

struct vdso {
	u64 base, size;		/* the mapped image: AT_SYSINFO_EHDR, its PT_LOAD's extent */
	s64 bias;		/* address = bias + vaddr */
	const void *symtab, *strtab, *hash, *gnu_hash, *versym, *verdef;
	u64 strsz, nsyms;
};

/* 0, or -1 if base is no usable ELF64 vDSO; every table checked to lie inside the image. */
int vdso_open(struct vdso *v, u64 base);
/* The symbol's address, looked up through DT_GNU_HASH (use_gnu) or DT_HASH; 0 if absent. */
void *vdso_sym(const struct vdso *v, const char *name, const char *version, int use_gnu);

#endif
