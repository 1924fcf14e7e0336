/* SPDX-License-Identifier: MIT */
/*
 * Symbol lookup in an in-memory vDSO image, the way the Linux reference parser
 * (tools/testing/selftests/vDSO/parse_vdso.c) and libcs do it: first PT_LOAD
 * gives the load offset, PT_DYNAMIC the tables (DT_STRTAB, DT_SYMTAB, DT_HASH,
 * DT_GNU_HASH, DT_VERSYM, DT_VERDEF).  A symbol matches when it is STT_FUNC,
 * GLOBAL or WEAK, defined, has the name, and its version is the Verdef (never
 * the BASE one) with vd_hash == elf_hash(version) whose first Verdaux names the
 * version.  ELF32 and ELF64, little- or big-endian as the host.
 *
 * Every read is bounds-checked against the image size: a malformed image makes
 * vdso_elf_open fail or a lookup return NULL, never a crash.
 */
#ifndef VDSOGEN_HOST_ELF_LOOKUP_H
#define VDSOGEN_HOST_ELF_LOOKUP_H

#include <stddef.h>
#include <stdint.h>

struct vdso_elf {
	const unsigned char *image;
	size_t size;
	int elf_class;			/* 32 or 64 */
	int64_t load_offset;		/* image offset = vaddr + load_offset */
	/* Image offsets of the tables (0 = absent). */
	uint64_t strtab, strsz, symtab, hash, gnu_hash, versym, verdef;
	uint64_t nsyms;			/* from DT_HASH's nchain, else 0 (unknown) */
};

/* Parse the headers; returns 0, or -1 if the image is not usable. */
int vdso_elf_open(struct vdso_elf *e, const void *image, size_t size);

/* Name lookup through DT_HASH / DT_GNU_HASH only; NULL if absent or not found.
 * version may be NULL: then versions are not checked. */
const void *vdso_elf_sym_hash(const struct vdso_elf *e, const char *name, const char *version);
const void *vdso_elf_sym_gnu_hash(const struct vdso_elf *e, const char *name, const char *version);
/* DT_GNU_HASH if present, else DT_HASH (like parse_vdso.c). */
const void *vdso_elf_sym(const struct vdso_elf *e, const char *name, const char *version);

/* The SysV ELF hash and the GNU hash. */
uint32_t vdso_elf_hash(const char *name);
uint32_t vdso_gnu_hash(const char *name);

#endif /* VDSOGEN_HOST_ELF_LOOKUP_H */
