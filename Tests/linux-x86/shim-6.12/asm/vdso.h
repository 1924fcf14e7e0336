/* Shim (not Linux's header): struct vdso_image with the fields, types and order that
 * arch/x86/include/asm/vdso.h declares in Linux 6.12 (checked against linux-source-6.12 by
 * Tests/linux-x86/check-struct.sh), and init_vdso_image(). */
struct vdso_image {
	void *data;
	unsigned long size;

	unsigned long alt, alt_len;
	unsigned long extable_base, extable_len;
	const void *extable;

	long sym_vvar_start;

	long sym_vvar_page;
	long sym_pvclock_page;
	long sym_hvclock_page;
	long sym_timens_page;
	long sym_VDSO32_NOTE_MASK;
	long sym___kernel_sigreturn;
	long sym___kernel_rt_sigreturn;
	long sym___kernel_vsyscall;
	long sym_int80_landing_pad;
	long sym_vdso32_sigreturn_landing_pad;
	long sym_vdso32_rt_sigreturn_landing_pad;
};

int init_vdso_image(const struct vdso_image *image);
#define VDSO_SHIM_VVAR 1	/* the struct has sym_vvar_start */
