// SPDX-License-Identifier: MIT
/*
 * The vDSO: vdsogen's image (vdso64-image.c, page-aligned in .rodata) and
 * its data area, mapped into the process at a random page-aligned address
 * by the header's macros: the data area (VDSO64_DATA_AREA_SIZE bytes, the
 * getrandom page then the time page) read-only and never executable, the
 * image right above it read-only and executable -- the very pages of the
 * kernel's .rodata, no copy.
 */
#include "kernel.h"

#include <vdso/datapage.h>
/* The default image's header; make qemu-bti builds the kernel with the BTI variant's instead. */
#ifndef VDSO_IMAGE_HEADER
#define VDSO_IMAGE_HEADER "vdso64-image.h"
#endif
#include VDSO_IMAGE_HEADER

_Static_assert(VDSO64_PAGE_SIZE == PAGE_SIZE, "the image was linked for the kernel's 4 KiB pages");
_Static_assert(VDSO64_ELF_MACHINE == 183 && VDSO64_ELF_CLASS == 64, "an arm64 ELF64 image");
_Static_assert(VDSO64_DATA_AREA_OFFSET == -VDSO64_DATA_AREA_SIZE, "the data area lies right below the image");
_Static_assert(VDSO64_DATA_OFFSET - VDSO64_DATA_AREA_OFFSET + (long)sizeof(struct vdso_time_data) <= VDSO64_DATA_AREA_SIZE,
	       "the time page lies inside the data area");
_Static_assert(VDSO64_SYM_vdso_rng_data - VDSO64_DATA_AREA_OFFSET + (long)sizeof(struct vdso_rng_data) <= VDSO64_DATA_AREA_SIZE,
	       "the getrandom page lies inside the data area");

/* The data area: the kernel writes it through its identity map, the process reads it. */
static u8 data_area[VDSO64_DATA_AREA_SIZE] __attribute__((aligned(PAGE_SIZE)));

#define TIME_PAGE	((struct vdso_time_data *)(data_area + (VDSO64_DATA_OFFSET - VDSO64_DATA_AREA_OFFSET)))
#define RNG_PAGE	((struct vdso_rng_data *)(data_area + (VDSO64_SYM_vdso_rng_data - VDSO64_DATA_AREA_OFFSET)))

/* ELF structures, just what the note walk needs (the image is vdsogen's, but read it carefully anyway). */
struct ehdr {
	u8 ident[16];
	u16 type, machine;
	u32 version;
	u64 entry, phoff, shoff;
	u32 flags;
	u16 ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct phdr {
	u32 type, flags;
	u64 offset, vaddr, paddr, filesz, memsz, align;
};
#define PT_NOTE				4
#define NT_GNU_PROPERTY_TYPE_0		5
#define GNU_PROPERTY_AARCH64_FEATURE_1_AND 0xc0000000u
#define GNU_PROPERTY_AARCH64_FEATURE_1_BTI 1u

/* Does a "GNU" property note in [p, p + n) say FEATURE_1_AND has BTI? */
static int note_has_bti(const u8 *p, u64 n)
{
	while (n >= 12) {
		u32 namesz = *(const u32 *)p, descsz = *(const u32 *)(p + 4), type = *(const u32 *)(p + 8);
		u64 name_pad = ((u64)namesz + 3) & ~3UL, desc_pad = ((u64)descsz + 7) & ~7UL;

		if (name_pad > n - 12 || desc_pad > n - 12 - name_pad)
			return 0;
		const u8 *desc = p + 12 + name_pad;
		if (type == NT_GNU_PROPERTY_TYPE_0 && namesz == 4 && !memcmp(p + 12, "GNU", 4)) {
			for (u64 o = 0; o + 8 <= descsz;) {
				u32 pr_type = *(const u32 *)(desc + o), pr_size = *(const u32 *)(desc + o + 4);

				if (pr_size > descsz - o - 8)
					return 0;
				if (pr_type == GNU_PROPERTY_AARCH64_FEATURE_1_AND && pr_size >= 4)
					return (*(const u32 *)(desc + o + 8) & GNU_PROPERTY_AARCH64_FEATURE_1_BTI) != 0;
				o += 8 + (((u64)pr_size + 7) & ~7UL);
			}
		}
		n -= 12 + name_pad + desc_pad;
		p += 12 + name_pad + desc_pad;
	}
	return 0;
}

/*
 * Does the image promise BTI landing pads (a GNU property note with
 * FEATURE_1_AND's BTI bit, which the linker sets only when every object
 * had it)?  Only then may its pages be guarded: on a GP page every
 * indirect branch must land on a BTI (or PACIASP) instruction, and an
 * image built without them would fault on the first call.
 */
static int image_claims_bti(const u8 *img, u64 size)
{
	const struct ehdr *h = (const void *)img;

	if (size < sizeof *h || h->phentsize != sizeof(struct phdr) || h->phoff > size ||
	    (u64)h->phnum * sizeof(struct phdr) > size - h->phoff || h->phoff % 8)
		return 0;
	for (unsigned i = 0; i < h->phnum; i++) {
		const struct phdr *ph = (const void *)(img + h->phoff + i * sizeof(struct phdr));

		if (ph->type == PT_NOTE && ph->offset <= size && ph->filesz <= size - ph->offset &&
		    ph->offset % 4 == 0 && note_has_bti(img + ph->offset, ph->filesz))
			return 1;
	}
	return 0;
}

/*
 * The data area's first contents: the time page comes from the timekeeper
 * (time_init); the getrandom page says the kernel's RNG is ready, at
 * generation 1 (never 0: a zeroed per-thread state has generation 0 and
 * must always re-key).  This kernel never reseeds, so the generation
 * stays 1; a kernel that reseeds bumps it with release semantics.
 */
void vdso_data_init(void)
{
	time_init(TIME_PAGE);
	RNG_PAGE->generation = 1;
	RNG_PAGE->cpu_features = 0;
	__atomic_store_n(&RNG_PAGE->is_ready, 1, __ATOMIC_RELEASE);
}

/* Map the data area and the image at a random address; returns the image's (AT_SYSINFO_EHDR). */
u64 vdso_map(void)
{
	u64 pages = (USER_VDSO_MAX - USER_VDSO_MIN - VDSO64_DATA_AREA_SIZE - VDSO64_IMAGE_SIZE) / PAGE_SIZE;
	u64 data = USER_VDSO_MIN + (random_u64() % pages) * PAGE_SIZE;
	u64 image = data + VDSO64_DATA_AREA_SIZE;
	int bti = image_claims_bti(vdso64_image, VDSO64_IMAGE_FILE_SIZE);
	int cpu_bti = (read_sysreg(id_aa64pfr1_el1) & 0xf) != 0;	/* ID_AA64PFR1_EL1.BT */
	unsigned prot = UPROT_R | UPROT_X | (bti && cpu_bti ? UPROT_GP : 0);
#ifdef VDSO_FORCE_GP
	/* make qemu-gp-fault only: guard an image that has no landing pads, which must fault. */
	prot |= cpu_bti ? UPROT_GP : 0;
#endif

	for (u64 off = 0; off < VDSO64_DATA_AREA_SIZE; off += PAGE_SIZE)
		if (map_user_page(data + off, (u64)data_area + off, UPROT_R))
			panic("cannot map the vDSO's data area");
	for (u64 off = 0; off < VDSO64_IMAGE_SIZE; off += PAGE_SIZE)
		if (map_user_page(image + off, (u64)vdso64_image + off, prot))
			panic("cannot map the vDSO image");
	kprintf("kernel: vDSO image at 0x%lx, data area at 0x%lx (%u pages), build-id %02x%02x%02x%02x...\n",
		image, data, (unsigned)(VDSO64_DATA_AREA_SIZE / PAGE_SIZE), vdso64_build_id[0], vdso64_build_id[1],
		vdso64_build_id[2], vdso64_build_id[3]);
	kprintf("kernel: image %s BTI, CPU %s BTI: image pages %s\n", bti ? "claims" : "does not claim",
		cpu_bti ? "has" : "lacks", prot & UPROT_GP ? "guarded (GP)" : "not guarded");
	/* The header's offsets, which boot-check.sh compares with the program's symbol lookups. */
	kprintf("kernel: VDSO64_SYM___kernel_clock_gettime = image + 0x%x\n", VDSO64_SYM___kernel_clock_gettime);
	kprintf("kernel: VDSO64_SYM___kernel_gettimeofday = image + 0x%x\n", VDSO64_SYM___kernel_gettimeofday);
	kprintf("kernel: VDSO64_SYM___kernel_clock_getres = image + 0x%x\n", VDSO64_SYM___kernel_clock_getres);
	kprintf("kernel: VDSO64_SYM___kernel_getrandom = image + 0x%x\n", VDSO64_SYM___kernel_getrandom);
	kprintf("kernel: VDSO64_SYM___kernel_rt_sigreturn = image + 0x%x\n", VDSO64_SYM___kernel_rt_sigreturn);
	signal_init(image + VDSO64_SYM___kernel_rt_sigreturn);	/* where handlers return */
	return image;
}
