/*
 * A stand-in for arch/x86/entry/vdso/vma.c: links a generated vdso-image-*.c, runs its initcall
 * and prints what the kernel would read of struct vdso_image, one `field value` per line, then
 * `bytes` and whether raw_data holds IMAGE's bytes, zero-padded to .size.
 */
#include <stdio.h>
#include <string.h>
#include <asm/vdso.h>

static const struct vdso_image *seen;
int init_vdso_image(const struct vdso_image *image) { seen = image; return 0; }
extern int (*const vdso_test_initcall)(void);

int main(int argc, char **argv)
{
	if (argc != 2 || vdso_test_initcall() != 0 || !seen)
		return 2;
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 2;
	static unsigned char file[1 << 20];
	size_t n = fread(file, 1, sizeof file, f);
	fclose(f);
	const unsigned char *data = seen->data;
	int same = n <= seen->size && memcmp(data, file, n) == 0;
	for (size_t i = n; same && i < seen->size; i++)
		same = data[i] == 0;
	printf("size %lu\nalt %lu %lu\nextable %lu %lu %s\n", seen->size, seen->alt, seen->alt_len,
	       seen->extable_base, seen->extable_len, seen->extable ? "set" : "null");
	printf("vvar_start %ld\nsigreturn %ld\nrt_sigreturn %ld\nvsyscall %ld\nint80 %ld\n", seen->sym_vvar_start,
	       seen->sym___kernel_sigreturn, seen->sym___kernel_rt_sigreturn, seen->sym___kernel_vsyscall,
	       seen->sym_int80_landing_pad);
	printf("bytes %s\n", same ? "same" : "DIFFER");
	return same && seen->size % 4096 == 0 ? 0 : 1;
}
