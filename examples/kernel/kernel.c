/* A "kernel" that embeds two vDSO images and reports what it would map. */
#include <stdio.h>
#include "vdso64-image.h"
#include "vdso32-image.h"

static void show(const char *name, const unsigned char *image, unsigned long size, long area_offset,
		 long time_offset, const unsigned char *build_id, unsigned id_size)
{
	unsigned i;

	/* Every data page, from image + area_offset up to the image, is mapped read-only. */
	printf("%s: %lu bytes at %p (ELF%s), data pages at image %+ld (%ld), time data at image %+ld, build-id ",
	       name, size, (const void *)image, image[4] == 2 ? "64" : "32", area_offset, -area_offset / 4096,
	       time_offset);
	for (i = 0; i < id_size; i++)
		printf("%02x", build_id[i]);
	printf("\n");
}

int main(void)
{
	show("vdso64", vdso64_image, VDSO64_IMAGE_SIZE, VDSO64_DATA_AREA_OFFSET, VDSO64_DATA_OFFSET, vdso64_build_id, VDSO64_BUILD_ID_SIZE);
	printf("  __vdso_clock_gettime  %#x\n", VDSO64_SYM___vdso_clock_gettime);
	printf("  __vdso_getcpu         %#x\n", VDSO64_SYM___vdso_getcpu);
	printf("  __vdso_getrandom      %#x  (its rng page at image %+ld)\n", VDSO64_SYM___vdso_getrandom,
	       (long)VDSO64_SYM_vdso_rng_data);
	show("vdso32", vdso32_image, VDSO32_IMAGE_SIZE, VDSO32_DATA_AREA_OFFSET, VDSO32_DATA_OFFSET, vdso32_build_id, VDSO32_BUILD_ID_SIZE);
	printf("  __kernel_vsyscall     %#x\n", VDSO32_SYM___kernel_vsyscall);
	printf("  __kernel_sigreturn    %#x  (where the kernel points 32-bit signal frames)\n", VDSO32_SYM___kernel_sigreturn);
	printf("  __kernel_rt_sigreturn %#x\n", VDSO32_SYM___kernel_rt_sigreturn);
	return 0;
}
