// SPDX-License-Identifier: MIT
/*
 * Finding the vDSO's routines as a C library does: from AT_SYSINFO_EHDR
 * to the program headers, PT_DYNAMIC's tables, a hash table (GNU's or
 * the SysV one), and the symbol's version through DT_VERSYM and
 * DT_VERDEF -- arm64's node is LINUX_2.6.39.  Every table and index is
 * checked against the mapped image, so a broken image makes a lookup
 * fail instead of faulting.
 */
#include "user.h"

struct ehdr {
	u8 ident[16];
	u16 type, machine;
	u32 version;
	u64 entry, phoff, shoff;
	u32 flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct phdr { u32 type, flags; u64 offset, vaddr, paddr, filesz, memsz, align; };
struct dyn { s64 tag; u64 val; };
struct sym { u32 name; u8 info, other; u16 shndx; u64 value, size; };
struct verdef { u16 version, flags, ndx, cnt; u32 hash, aux, next; };
struct verdaux { u32 name, next; };

#define PT_LOAD		1
#define PT_DYNAMIC	2
#define DT_NULL		0
#define DT_HASH		4
#define DT_STRTAB	5
#define DT_SYMTAB	6
#define DT_STRSZ	10
#define DT_GNU_HASH	0x6ffffef5
#define DT_VERSYM	0x6ffffff0
#define DT_VERDEF	0x6ffffffc
#define STT_FUNC	2
#define STB_GLOBAL	1
#define STB_WEAK	2
#define VER_FLG_BASE	1

/* The mapped address of [vaddr, vaddr + n) in the image, or NULL if it is not all inside. */
static const void *at(const struct vdso_info *v, u64 vaddr, u64 n)
{
	u64 a;

	if (__builtin_add_overflow(vaddr, v->bias, &a) || a < v->base || a > v->limit || n > v->limit - a)
		return 0;
	return (const void *)a;
}

int vdso_open(struct vdso_info *v, u64 base)
{
	const struct ehdr *h = (const void *)base;
	const struct dyn *dyn = 0;
	u64 dyn_n = 0, strtab = 0, symtab = 0, hash = 0, gnu = 0, versym = 0, verdef = 0;
	int have_load = 0;

	*v = (struct vdso_info){ .base = base, .bias = base, .limit = base + 4096 };	/* one page until PT_LOAD says more */
	if (!base || base & 4095 || !at(v, 0, sizeof *h) || h->ident[0] != 0x7f || h->ident[1] != 'E' ||
	    h->ident[4] != 2 || h->machine != 183 || h->phentsize != sizeof(struct phdr) ||
	    !at(v, h->phoff, (u64)h->phnum * sizeof(struct phdr)))
		return -1;
	const struct phdr *ph = (const void *)(base + h->phoff);
	for (unsigned i = 0; i < h->phnum; i++) {
		if (ph[i].type == PT_LOAD && !have_load) {
			have_load = 1;	/* the first PT_LOAD places the image, as glibc's dl_vdso does */
			v->bias = base - ph[i].vaddr;
			/* At file offset 0, so the headers just read lie inside it. */
			if (ph[i].offset || ph[i].memsz < h->phoff + (u64)h->phnum * sizeof *ph || ph[i].memsz > (1UL << 30))
				return -1;
			v->limit = base + ph[i].memsz;
		} else if (ph[i].type == PT_DYNAMIC) {
			dyn = (const void *)ph[i].vaddr;	/* a vaddr until the bias is known */
			dyn_n = ph[i].memsz / sizeof(struct dyn);
		}
	}
	if (!have_load || !dyn || !(dyn = at(v, (u64)dyn, dyn_n * sizeof *dyn)))
		return -1;
	for (u64 i = 0; i < dyn_n && dyn[i].tag != DT_NULL; i++) {
		switch (dyn[i].tag) {
		case DT_STRTAB: strtab = dyn[i].val; break;
		case DT_STRSZ: v->strsz = dyn[i].val; break;
		case DT_SYMTAB: symtab = dyn[i].val; break;
		case DT_HASH: hash = dyn[i].val; break;
		case DT_GNU_HASH: gnu = dyn[i].val; break;
		case DT_VERSYM: versym = dyn[i].val; break;
		case DT_VERDEF: verdef = dyn[i].val; break;
		}
	}
	v->strtab = at(v, strtab, v->strsz);
	v->symtab = at(v, symtab, sizeof(struct sym));
	v->hash = hash ? at(v, hash, 8) : 0;
	v->gnu_hash = gnu ? at(v, gnu, 16) : 0;
	v->versym = versym ? at(v, versym, 2) : 0;
	v->verdef = verdef ? at(v, verdef, sizeof(struct verdef)) : 0;
	if (!strtab || !v->strtab || !v->symtab || (!v->hash && !v->gnu_hash) || (versym && !v->versym) ||
	    (verdef && !v->verdef))
		return -1;
	v->nsyms = v->hash ? v->hash[1] : 0;	/* DT_HASH's nchain is the symbol count */
	return 0;
}

static u32 elf_hash(const char *s)
{
	u32 h = 0;

	for (; *s; s++) {
		h = (h << 4) + (u8)*s;
		h ^= (h >> 24) & 0xf0;
		h &= 0x0fffffff;
	}
	return h;
}

static u32 gnu_hash(const char *s)
{
	u32 h = 5381;

	for (; *s; s++)
		h = h * 33 + (u8)*s;
	return h;
}

/* Is the string at strtab + off equal to s, without reading past DT_STRSZ? */
static int str_at(const struct vdso_info *v, u64 off, const char *s)
{
	for (; off < v->strsz; off++, s++) {
		if (v->strtab[off] != *s)
			return 0;
		if (!*s)
			return 1;
	}
	return 0;
}

/* Symbol i's version is `version` (a non-base Verdef whose index versym[i] names). */
static int version_ok(const struct vdso_info *v, u32 i, const char *version)
{
	const u16 *vs;

	if (!v->versym || !v->verdef)
		return 0;	/* an image without versions cannot satisfy a versioned lookup */
	if (!(vs = at(v, (u64)v->versym - v->bias + 2 * (u64)i, 2)))
		return 0;
	u64 off = (u64)v->verdef - v->bias;
	for (int guard = 0; guard < 64; guard++) {
		const struct verdef *d = at(v, off, sizeof *d);

		if (!d)
			return 0;
		if (!(d->flags & VER_FLG_BASE) && (d->ndx & 0x7fff) == (*vs & 0x7fff)) {
			const struct verdaux *a = at(v, off + d->aux, sizeof *a);

			return a && d->hash == elf_hash(version) && str_at(v, a->name, version);
		}
		if (!d->next)
			return 0;
		off += d->next;
	}
	return 0;
}

/* Symbol i if it is the defined function name@version: its address, else NULL. */
static void *match(const struct vdso_info *v, u32 i, const char *version, const char *name)
{
	u64 symtab = (u64)v->symtab - v->bias;
	const struct sym *s = at(v, symtab + (u64)i * sizeof *s, sizeof *s);

	if (!s || (s->info & 0xf) != STT_FUNC || ((s->info >> 4) != STB_GLOBAL && (s->info >> 4) != STB_WEAK) ||
	    !s->shndx || !str_at(v, s->name, name) || !version_ok(v, i, version))
		return 0;
	return (void *)at(v, s->value, 4);
}

/* By DT_GNU_HASH: the Bloom filter, the bucket, then the chain until its end bit. */
void *vdso_sym_gnu(const struct vdso_info *v, const char *version, const char *name)
{
	if (!v->gnu_hash)
		return 0;
	const u32 *g = v->gnu_hash;
	u32 nbuckets = g[0], symoffset = g[1], bloom_size = g[2], shift = g[3], h = gnu_hash(name);
	u64 table = (u64)g - v->bias;
	const u64 *bloom = at(v, table + 16, (u64)bloom_size * 8);
	const u32 *buckets = at(v, table + 16 + (u64)bloom_size * 8, (u64)nbuckets * 4);

	if (!nbuckets || !bloom_size || !bloom || !buckets)
		return 0;
	u64 word = bloom[(h / 64) % bloom_size];
	if (!((word >> (h % 64)) & (word >> ((h >> (shift & 31)) % 64)) & 1))
		return 0;	/* the filter proves the name absent */
	u64 chains = table + 16 + (u64)bloom_size * 8 + (u64)nbuckets * 4;
	for (u32 i = buckets[h % nbuckets]; i >= symoffset && i - symoffset < 4096; i++) {
		const u32 *c = at(v, chains + (u64)(i - symoffset) * 4, 4);

		if (!c)
			return 0;
		if ((*c | 1) == (h | 1)) {
			void *p = match(v, i, version, name);

			if (p)
				return p;
		}
		if (*c & 1)
			return 0;
	}
	return 0;
}

/* By DT_HASH: the bucket, then the chain, at most nchain steps. */
void *vdso_sym_sysv(const struct vdso_info *v, const char *version, const char *name)
{
	if (!v->hash)
		return 0;
	u32 nbucket = v->hash[0], nchain = v->hash[1];
	u64 table = (u64)v->hash - v->bias;
	const u32 *buckets = at(v, table + 8, (u64)nbucket * 4);
	const u32 *chains = at(v, table + 8 + (u64)nbucket * 4, (u64)nchain * 4);

	if (!nbucket || !buckets || !chains)
		return 0;
	u32 i = buckets[elf_hash(name) % nbucket];
	for (u32 steps = 0; i && i < nchain && steps < nchain; steps++, i = chains[i]) {
		void *p = match(v, i, version, name);

		if (p)
			return p;
	}
	return 0;
}
