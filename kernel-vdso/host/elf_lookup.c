/* SPDX-License-Identifier: MIT */
/* Bounds-checked vDSO symbol lookup, ELF32 and ELF64; see elf_lookup.h. */
#include "elf_lookup.h"

#include <elf.h>
#include <string.h>

/* Copy n bytes at image offset off into dst if they lie inside the image. */
static int rd(const struct vdso_elf *e, uint64_t off, void *dst, size_t n)
{
	if (off > e->size || n > e->size - off)
		return -1;
	memcpy(dst, e->image + off, n);
	return 0;
}

/* vaddr -> image offset, or UINT64_MAX if it falls outside the image. */
static uint64_t v2o(const struct vdso_elf *e, uint64_t vaddr)
{
	int64_t off = (int64_t)vaddr + e->load_offset;
	if (off < 0 || (uint64_t)off >= e->size)
		return UINT64_MAX;
	return (uint64_t)off;
}

/* A NUL-terminated string at strtab + idx, or NULL. */
static const char *str(const struct vdso_elf *e, uint64_t idx)
{
	if (!e->strtab || idx >= e->strsz)
		return NULL;
	uint64_t off = e->strtab + idx, end = e->strtab + e->strsz;
	if (end > e->size)
		end = e->size;
	if (off >= end || !memchr(e->image + off, 0, end - off))
		return NULL;
	return (const char *)e->image + off;
}

/* Symbol i, normalised to the 64-bit layout. */
static int get_sym(const struct vdso_elf *e, uint64_t i, Elf64_Sym *s)
{
	if (e->nsyms && i >= e->nsyms)
		return -1;
	if (e->elf_class == 64)
		return i > UINT64_MAX / sizeof *s ? -1 : rd(e, e->symtab + i * sizeof *s, s, sizeof *s);
	Elf32_Sym s32;
	if (i > UINT64_MAX / sizeof s32 || rd(e, e->symtab + i * sizeof s32, &s32, sizeof s32))
		return -1;
	s->st_name = s32.st_name;
	s->st_info = s32.st_info;
	s->st_other = s32.st_other;
	s->st_shndx = s32.st_shndx;
	s->st_value = s32.st_value;
	s->st_size = s32.st_size;
	return 0;
}

uint32_t vdso_elf_hash(const char *name)
{
	uint32_t h = 0, g;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		h = (h << 4) + *p;
		g = h & 0xf0000000;
		if (g)
			h ^= g >> 24;
		h &= ~g;
	}
	return h;
}

uint32_t vdso_gnu_hash(const char *name)
{
	uint32_t h = 5381;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = h * 33 + *p;
	return h;
}

int vdso_elf_open(struct vdso_elf *e, const void *image, size_t size)
{
	memset(e, 0, sizeof *e);
	e->image = image;
	e->size = size;
	unsigned char ident[EI_NIDENT];
	if (!image || rd(e, 0, ident, sizeof ident) || memcmp(ident, ELFMAG, SELFMAG))
		return -1;
	uint16_t one = 1;
	int host_data = *(unsigned char *)&one ? ELFDATA2LSB : ELFDATA2MSB;
	if (ident[EI_DATA] != host_data)
		return -1;
	uint64_t phoff, phnum, phentsize;
	if (ident[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr h;
		if (rd(e, 0, &h, sizeof h))
			return -1;
		e->elf_class = 64;
		phoff = h.e_phoff, phnum = h.e_phnum, phentsize = h.e_phentsize;
		if (phentsize != sizeof(Elf64_Phdr))
			return -1;
	} else if (ident[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr h;
		if (rd(e, 0, &h, sizeof h))
			return -1;
		e->elf_class = 32;
		phoff = h.e_phoff, phnum = h.e_phnum, phentsize = h.e_phentsize;
		if (phentsize != sizeof(Elf32_Phdr))
			return -1;
	} else {
		return -1;
	}

	int have_load = 0;
	uint64_t dyn_off = 0, dyn_size = 0;
	for (uint64_t i = 0; i < phnum; i++) {
		Elf64_Phdr p;
		if (e->elf_class == 64) {
			if (rd(e, phoff + i * phentsize, &p, sizeof p))
				return -1;
		} else {
			Elf32_Phdr q;
			if (rd(e, phoff + i * phentsize, &q, sizeof q))
				return -1;
			p.p_type = q.p_type, p.p_offset = q.p_offset, p.p_vaddr = q.p_vaddr;
			p.p_filesz = q.p_filesz;
		}
		if (p.p_type == PT_LOAD && !have_load) {
			/* The first PT_LOAD, like parse_vdso.c (and glibc, Go, rustix). */
			have_load = 1;
			e->load_offset = (int64_t)(p.p_offset - p.p_vaddr);
		} else if (p.p_type == PT_DYNAMIC) {
			dyn_off = p.p_offset;
			dyn_size = p.p_filesz;
		}
	}
	if (!have_load || !dyn_size)
		return -1;

	uint64_t strtab = 0, symtab = 0, hash = 0, gnu = 0, versym = 0, verdef = 0, strsz = 0;
	size_t dsz = e->elf_class == 64 ? sizeof(Elf64_Dyn) : sizeof(Elf32_Dyn);
	int found_null = 0;
	for (uint64_t off = dyn_off; off + dsz <= dyn_off + dyn_size; off += dsz) {
		int64_t tag;
		uint64_t val;
		if (e->elf_class == 64) {
			Elf64_Dyn d;
			if (rd(e, off, &d, sizeof d))
				return -1;
			tag = d.d_tag, val = d.d_un.d_val;
		} else {
			Elf32_Dyn d;
			if (rd(e, off, &d, sizeof d))
				return -1;
			tag = d.d_tag, val = d.d_un.d_val;
		}
		if (tag == DT_NULL) {
			found_null = 1;
			break;
		}
		switch (tag) {
		case DT_STRTAB: strtab = val; break;
		case DT_STRSZ: strsz = val; break;
		case DT_SYMTAB: symtab = val; break;
		case DT_HASH: hash = val; break;
		case DT_GNU_HASH: gnu = val; break;
		case DT_VERSYM: versym = val; break;
		case DT_VERDEF: verdef = val; break;
		}
	}
	if (!found_null || !strtab || !symtab || (!hash && !gnu))
		return -1;
	/* Tables are addresses: convert to offsets, each must lie inside the image. */
	e->strtab = v2o(e, strtab);
	e->symtab = v2o(e, symtab);
	e->hash = hash ? v2o(e, hash) : 0;
	e->gnu_hash = gnu ? v2o(e, gnu) : 0;
	e->versym = versym ? v2o(e, versym) : 0;
	e->verdef = verdef ? v2o(e, verdef) : 0;
	if (e->strtab == UINT64_MAX || e->symtab == UINT64_MAX || e->hash == UINT64_MAX ||
	    e->gnu_hash == UINT64_MAX || e->versym == UINT64_MAX || e->verdef == UINT64_MAX)
		return -1;
	e->strsz = strsz ? strsz : e->size - e->strtab;
	if (!e->verdef)
		e->versym = 0;	/* versym is meaningless without verdef */
	if (e->hash) {
		uint32_t nb[2];
		if (rd(e, e->hash, nb, sizeof nb))
			return -1;
		e->nsyms = nb[1];	/* nchain == number of symbols */
	}
	return 0;
}

/* Does symbol i's version (versym -> Verdef) name `version`? */
static int version_ok(const struct vdso_elf *e, uint64_t i, const char *version)
{
	if (!version || !e->versym)
		return 1;
	uint16_t ver;
	if (i > (UINT64_MAX - e->versym) / 2 || rd(e, e->versym + 2 * i, &ver, sizeof ver))
		return 0;
	ver &= 0x7fff;
	uint64_t off = e->verdef;
	for (int guard = 0; guard < 4096; guard++) {
		Elf64_Verdef d;	/* Elf32_Verdef has the same layout */
		if (rd(e, off, &d, sizeof d))
			return 0;
		if (!(d.vd_flags & VER_FLG_BASE) && (d.vd_ndx & 0x7fff) == ver) {
			Elf64_Verdaux a;
			if (d.vd_hash != vdso_elf_hash(version) || rd(e, off + d.vd_aux, &a, sizeof a))
				return 0;
			const char *n = str(e, a.vda_name);
			return n && strcmp(n, version) == 0;
		}
		if (!d.vd_next)
			return 0;
		off += d.vd_next;
	}
	return 0;
}

/* Symbol i matches name/version: address in the image, else NULL. */
static const void *match(const struct vdso_elf *e, uint64_t i, const char *name, const char *version)
{
	Elf64_Sym s;
	if (get_sym(e, i, &s))
		return NULL;
	if (ELF64_ST_TYPE(s.st_info) != STT_FUNC)
		return NULL;
	int bind = ELF64_ST_BIND(s.st_info);
	if ((bind != STB_GLOBAL && bind != STB_WEAK) || s.st_shndx == SHN_UNDEF)
		return NULL;
	const char *n = str(e, s.st_name);
	if (!n || strcmp(n, name) || !version_ok(e, i, version))
		return NULL;
	uint64_t off = v2o(e, s.st_value);
	return off == UINT64_MAX ? NULL : e->image + off;
}

const void *vdso_elf_sym_hash(const struct vdso_elf *e, const char *name, const char *version)
{
	uint32_t nb[2];
	if (!e->hash || !name || rd(e, e->hash, nb, sizeof nb) || nb[0] == 0)
		return NULL;
	uint64_t buckets = e->hash + 8, chains = buckets + 4 * (uint64_t)nb[0];
	uint32_t i;
	if (rd(e, buckets + 4 * (uint64_t)(vdso_elf_hash(name) % nb[0]), &i, 4))
		return NULL;
	/* A chain visits each symbol at most once: no more steps than symbols
	 * can fit in the image, so a cyclic or forged chain ends quickly. */
	uint64_t max_steps = e->size / (e->elf_class == 64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym));
	for (uint64_t steps = 0; i != STN_UNDEF && steps <= max_steps; steps++) {
		if (i >= nb[1])
			return NULL;
		const void *p = match(e, i, name, version);
		if (p)
			return p;
		if (rd(e, chains + 4 * (uint64_t)i, &i, 4))
			return NULL;
	}
	return NULL;
}

const void *vdso_elf_sym_gnu_hash(const struct vdso_elf *e, const char *name, const char *version)
{
	uint32_t h[4];	/* nbuckets, symoffset, bloom_size, bloom_shift */
	if (!e->gnu_hash || !name || rd(e, e->gnu_hash, h, sizeof h) || h[0] == 0)
		return NULL;
	uint64_t word = e->elf_class / 8;
	uint64_t bloom = e->gnu_hash + 16, buckets = bloom + word * h[2];
	uint64_t chains = buckets + 4 * (uint64_t)h[0];
	uint32_t hash = vdso_gnu_hash(name), i;
	if (h[2]) {	/* Bloom filter: a clear bit proves absence. */
		uint64_t w, bits = word * 8, at = bloom + word * ((hash / bits) % h[2]);
		uint32_t w32;
		if (word == 8 ? rd(e, at, &w, 8) : rd(e, at, &w32, 4))
			return NULL;
		if (word == 4)
			w = w32;
		uint64_t m = ((uint64_t)1 << (hash % bits)) | ((uint64_t)1 << ((hash >> (h[3] & 31)) % bits));
		if ((w & m) != m)
			return NULL;
	}
	if (rd(e, buckets + 4 * (uint64_t)(hash % h[0]), &i, 4) || i == 0 || i < h[1])
		return NULL;
	for (uint64_t steps = 0; steps <= e->size / 4; steps++, i++) {	/* one chain word per step */
		uint32_t ch;
		if (i < h[1] || rd(e, chains + 4 * ((uint64_t)i - h[1]), &ch, 4))
			return NULL;
		if ((ch | 1) == (hash | 1)) {
			const void *p = match(e, i, name, version);
			if (p)
				return p;
		}
		if (ch & 1)	/* end of this bucket's chain */
			return NULL;
	}
	return NULL;
}

const void *vdso_elf_sym(const struct vdso_elf *e, const char *name, const char *version)
{
	return e->gnu_hash ? vdso_elf_sym_gnu_hash(e, name, version) : vdso_elf_sym_hash(e, name, version);
}
