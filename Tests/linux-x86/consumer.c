/*
 * A stand-in for arch/x86/entry/vdso/vma.c: links a generated vdso-image-*.c, takes its struct
 * vdso_image as the kernel does -- through the file's initcall where the kernel version has one
 * (6.12 on), by its name (-DIMAGE=vdso_image_64, _32, _x32) where vma.c calls init_vdso_image()
 * itself (6.1) -- and prints what the kernel would read of it, one `field value` per line, then
 * `bytes` and whether raw_data holds IMAGE's bytes, zero-padded to .size.  Built with
 * -I shim -I shim-VERSION.
 */
#include <stdio.h>
#include <string.h>
#include <asm/vdso.h>

static const struct vdso_image *seen;
int init_vdso_image(const struct vdso_image *image) { seen = image; return 0; }
#ifdef VDSO_TEST_INITCALL
extern int (*const vdso_test_initcall)(void);
#else
extern const struct vdso_image IMAGE;
#endif

int main(int argc, char **argv)
{
#ifdef VDSO_TEST_INITCALL
	if (vdso_test_initcall() != 0)
		return 2;
#else
	init_vdso_image(&IMAGE);
#endif
	if (argc != 2 || !seen)
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
#ifdef VDSO_SHIM_VVAR
	printf("vvar_start %ld\n", seen->sym_vvar_start);
#else
	printf("futex64 %ld %ld\n", seen->sym___futex_list64_try_unlock_cs_start, seen->sym___futex_list64_try_unlock_cs_end);
#endif
	printf("sigreturn %ld\nrt_sigreturn %ld\nvsyscall %ld\nint80 %ld\n",
	       seen->sym___kernel_sigreturn, seen->sym___kernel_rt_sigreturn, seen->sym___kernel_vsyscall,
	       seen->sym_int80_landing_pad);
	printf("bytes %s\n", same ? "same" : "DIFFER");
	return same && seen->size % 4096 == 0 ? 0 : 1;
}
