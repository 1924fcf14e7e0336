/*
 * Embedding the vDSO: the image bytes and layout come from the files
 * vdsogen.mk made (vdso64-image.h, vdso64-image.c); the kernel owns the data
 * pages below the image and maps both into user space at a random address.
 */
#include "kernel.h"
#include "vdso.h"
#include "vdso64-image.h"

/* The data pages the vDSO reads, as the kernel sees them (writable, kernel half). */
struct vdso_time_data vdso_time_page;
static struct vdso_rng_data vdso_rng_page;

/*
 * The header's layout, checked at compile time: an image built with other
 * data-page offsets, or larger than this kernel expects, fails the build here
 * instead of reading the wrong page at run time.
 */
_Static_assert(VDSO64_DATA_OFFSET == -VDSO_TIME_PAGE_OFFSET * VDSO_PAGE_SIZE, "time page right below the image");
_Static_assert(VDSO64_SYM_vdso_rng_data == -VDSO_RNG_PAGE_OFFSET * VDSO_PAGE_SIZE, "rng page two below");
_Static_assert(VDSO64_DATA_AREA_OFFSET % VDSO_PAGE_SIZE == 0 && VDSO64_DATA_AREA_OFFSET < 0, "data area");
_Static_assert(VDSO64_IMAGE_SIZE % VDSO_PAGE_SIZE == 0, "the image is whole pages");

/*
 * Where user space may find the vDSO: 2^27 page-aligned slots in the 512 GiB
 * from 0x7f0000000000, clear of the stack at the top of the user half.
 */
#define VDSO_REGION	0x7f0000000000UL
#define VDSO_SLOTS	(1UL << 27)

static u64 image_va;

/*
 * The getrandom page: the kernel's RNG (RDRAND or xorshift, cpu.c) is ready
 * from boot, and this kernel never reseeds or forks, so generation stays 1
 * (never 0: a zeroed user state must always look stale).  cpu_features 0:
 * the SSE2 ChaCha20, since this kernel does not enable AVX state in XCR0.
 * is_ready is stored last: the vDSO reads the page only once it is set.
 */
void vdso_init(void)
{
	vdso_rng_page.generation = 1;
	vdso_rng_page.cpu_features = 0;
	__atomic_store_n(&vdso_rng_page.is_ready, 1, __ATOMIC_RELEASE);
}

/* The kernel page behind data-area offset off (negative), by what the header says lives there. */
static u64 data_page_at(long off)
{
	if (off == VDSO64_DATA_OFFSET)
		return PHYS(&vdso_time_page);
	if (off == VDSO64_SYM_vdso_rng_data)
		return PHYS(&vdso_rng_page);
	return page_alloc();	/* a page this kernel does not fill: zero */
}

/*
 * The header's mapping rule: the data area first, from image +
 * VDSO64_DATA_AREA_OFFSET up to the image, read-only and not executable --
 * user space must not forge the time or the RNG generation, and the kernel
 * (the only writer) changes them through its own mapping; then the image,
 * read and execute, never writable (it is one copy shared by every process).
 * The image's own bytes are copied into fresh pages, as Linux maps its
 * vdso_image pages.
 */
u64 vdso_map(void)
{
	u64 base = VDSO_REGION + (random_u64() % VDSO_SLOTS) * PAGE_SIZE + (u64)-VDSO64_DATA_AREA_OFFSET;
	long off;

	for (off = VDSO64_DATA_AREA_OFFSET; off < 0; off += PAGE_SIZE)
		map_page(base + (u64)off, data_page_at(off), PTE_NX);
	for (off = 0; off < VDSO64_IMAGE_SIZE; off += PAGE_SIZE) {
		u64 pa = page_alloc();

		memcpy(VIRT(pa), vdso64_image + off, PAGE_SIZE);
		map_page(base + (u64)off, pa, 0);
	}
	image_va = base;
	return base;
}

/* Whether a system call came from inside the image: one of the vDSO's fallbacks. */
int vdso_contains(u64 va)
{
	return va - image_va < VDSO64_IMAGE_SIZE;
}
