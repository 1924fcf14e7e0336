/*
 * vDSO symbol lookup, freestanding, the way glibc and musl do it: from
 * AT_SYSINFO_EHDR to the program headers, PT_DYNAMIC, then the symbol table
 * through DT_GNU_HASH or DT_HASH, and each candidate's version through
 * DT_VERSYM/DT_VERDEF, so that "__vdso_clock_gettime" only resolves in the
 * LINUX_2.6 node.  The image is memory the kernel mapped: every table and
 * index is checked against its extent before it is read.
 */
#include "vdso_sym.h"

struct ehdr {
	u8 ident[16];
	unsigned short type, machine;
	u32 version;
	u64 entry, phoff, shoff;
	u32 flags;
	unsigned short ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct phdr { u32 type, flags; u64 offset, vaddr, paddr, filesz, memsz, align; };
struct dyn { s64 tag; u64 val; };
struct sym { u32 name; u8 info, other; unsigned short shndx; u64 value, size; };
struct verdef { unsigned short version, flags, ndx, cnt; u32 hash, aux, next; };
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
#define STT_NOTYPE	0
#define STT_FUNC	2
#define STB_GLOBAL	1
#define STB_WEAK	2
#define VER_FLG_BASE	1

/* [p, p + n) inside the image? */
static int inside(const struct vdso *v, const void *p, u64 n)
{
	u64 a = (u64)p;

	return a >= v->base && a - v->base <= v->size && n <= v->size - (a - v->base);
}

static const void *at_vaddr(const struct vdso *v, u64 vaddr, u64 n)
{
	const void *p = (const void *)(v->bias + (s64)vaddr);

	return inside(v, p, n) ? p : 0;
}

/* The NUL-terminated string at strtab + idx, or 0 if it runs past DT_STRSZ (checked inside the image). */
static const char *string(const struct vdso *v, u64 idx)
{
	const char *t = v->strtab;
	u64 k;

	for (k = idx; k < v->strsz; k++)
		if (t[k] == 0)
			return t + idx;
	return 0;
}

int vdso_open(struct vdso *v, u64 base)
{
	const struct ehdr *eh = (const void *)base;
	const struct phdr *ph, *load = 0, *dynp = 0;
	const struct dyn *d;
	u64 i, n;

	memset(v, 0, sizeof(*v));
	if (!base || memcmp(eh->ident, "\177ELF\2\1", 6) != 0 || eh->phentsize != sizeof(struct phdr))
		return -1;
	v->base = base;
	v->size = 4096;		/* enough for the headers until the PT_LOAD says more */
	if (eh->phoff > v->size || eh->phnum > (v->size - eh->phoff) / sizeof(struct phdr))
		return -1;
	ph = (const void *)(base + eh->phoff);
	for (i = 0; i < eh->phnum; i++) {
		if (ph[i].type == PT_LOAD && !load)
			load = &ph[i];
		else if (ph[i].type == PT_DYNAMIC)
			dynp = &ph[i];
	}
	if (!load || !dynp || load->offset != 0 || load->filesz < sizeof(*eh))
		return -1;
	v->size = load->filesz;
	v->bias = (s64)base - (s64)load->vaddr;
	d = at_vaddr(v, dynp->vaddr, dynp->filesz);
	if (!d)
		return -1;
	for (n = dynp->filesz / sizeof(*d), i = 0; i < n && d[i].tag != DT_NULL; i++) {
		const void *p = at_vaddr(v, d[i].val, 1);

		switch (d[i].tag) {
		case DT_HASH: v->hash = p; break;
		case DT_GNU_HASH: v->gnu_hash = p; break;
		case DT_STRTAB: v->strtab = p; break;
		case DT_SYMTAB: v->symtab = p; break;
		case DT_VERSYM: v->versym = p; break;
		case DT_VERDEF: v->verdef = p; break;
		case DT_STRSZ: v->strsz = d[i].val; break;
		}
	}
	if (!v->strtab || !v->symtab || (!v->hash && !v->gnu_hash) || !inside(v, v->strtab, v->strsz))
		return -1;
	return 0;
}

static u32 elf_hash(const char *s)
{
	u32 h = 0, g;

	for (; *s; s++) {
		h = (h << 4) + (u8)*s;
		g = h & 0xf0000000;
		if (g)
			h ^= g >> 24;
		h &= ~g;
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

/* Whether symbol i's version (DT_VERSYM's index into DT_VERDEF) is the named node. */
static int version_is(const struct vdso *v, u64 i, const char *version)
{
	const unsigned short *vs = (const unsigned short *)v->versym + i;
	const struct verdef *vd = v->verdef;
	unsigned ndx;

	if (!v->versym || !v->verdef)
		return 0;	/* an unversioned image: a libc that requires a version refuses it */
	if (!inside(v, vs, 2))
		return 0;
	ndx = *vs & 0x7fff;	/* bit 15 is "hidden", not part of the index */
	while (vd && inside(v, vd, sizeof(*vd))) {
		if (!(vd->flags & VER_FLG_BASE) && vd->ndx == ndx) {
			const struct verdaux *aux = (const void *)((const u8 *)vd + vd->aux);
			const char *name;

			if (vd->hash != elf_hash(version) || !inside(v, aux, sizeof(*aux)))
				return 0;
			name = string(v, aux->name);
			return name && streq(name, version);
		}
		vd = vd->next ? (const void *)((const u8 *)vd + vd->next) : 0;
	}
	return 0;
}

/* Symbol i if it is a defined global function (or untyped) called name, in version. */
static void *match(const struct vdso *v, u64 i, const char *name, const char *version)
{
	const struct sym *s = (const struct sym *)v->symtab + i;
	const char *sname;
	u8 type, bind;

	if (!inside(v, s, sizeof(*s)))
		return 0;
	type = s->info & 15, bind = s->info >> 4;
	if ((type != STT_FUNC && type != STT_NOTYPE) || (bind != STB_GLOBAL && bind != STB_WEAK) || !s->shndx)
		return 0;
	sname = string(v, s->name);
	if (!sname || !streq(sname, name) || !version_is(v, i, version))
		return 0;
	return (void *)at_vaddr(v, s->value, 1);
}

static void *lookup_sysv(const struct vdso *v, const char *name, const char *version)
{
	const u32 *h = v->hash, *bucket, *chain;
	u32 nbucket, nchain, i, steps;

	if (!inside(v, h, 8))
		return 0;
	nbucket = h[0], nchain = h[1];
	bucket = h + 2, chain = bucket + nbucket;
	if (!nbucket || !inside(v, bucket, (u64)nbucket * 4) || !inside(v, chain, (u64)nchain * 4))
		return 0;
	/* At most nchain steps: a corrupt chain that loops ends anyway. */
	for (i = bucket[elf_hash(name) % nbucket], steps = 0; i && i < nchain && steps < nchain; i = chain[i], steps++) {
		void *p = match(v, i, name, version);
		if (p)
			return p;
	}
	return 0;
}

static void *lookup_gnu(const struct vdso *v, const char *name, const char *version)
{
	const u32 *g = v->gnu_hash, *buckets, *chain;
	const u64 *bloom;
	u32 nbuckets, symoffset, bloom_size, shift, h = gnu_hash(name), i;
	u64 word, mask;

	if (!inside(v, g, 16))
		return 0;
	nbuckets = g[0], symoffset = g[1], bloom_size = g[2], shift = g[3];
	bloom = (const u64 *)(g + 4);
	buckets = (const u32 *)(bloom + bloom_size);
	chain = buckets + nbuckets;
	if (!nbuckets || !bloom_size || !inside(v, bloom, (u64)bloom_size * 8) || !inside(v, buckets, (u64)nbuckets * 4))
		return 0;
	/* The Bloom filter: two bits per name; a clear one means "not here". */
	word = bloom[(h / 64) % bloom_size];
	mask = 1UL << (h % 64) | 1UL << ((h >> (shift & 63)) % 64);
	if ((word & mask) != mask)
		return 0;
	i = buckets[h % nbuckets];
	if (i < symoffset)
		return 0;
	/* A chain of hashes, one per symbol from symoffset on; the low bit ends the bucket's run. */
	for (;; i++) {
		const u32 *c = chain + (i - symoffset);
		void *p;

		if (!inside(v, c, 4))
			return 0;
		if ((*c | 1) == (h | 1) && (p = match(v, i, name, version)))
			return p;
		if (*c & 1)
			return 0;
	}
}

void *vdso_sym(const struct vdso *v, const char *name, const char *version, int use_gnu)
{
	if (use_gnu)
		return v->gnu_hash ? lookup_gnu(v, name, version) : 0;
	return v->hash ? lookup_sysv(v, name, version) : 0;
}
