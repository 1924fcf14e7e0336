/* Shim (not Linux's header): struct vdso_image with the fields, types and order that
 * arch/x86/include/asm/vdso.h declares in Linux 7.2 (checked against linux-source-7.2 by
 * Tests/linux-x86/check-struct.sh), and init_vdso_image(). */
struct vdso_image {
	void *data;
	unsigned long size;

	unsigned long alt, alt_len;
	unsigned long extable_base, extable_len;
	const void *extable;

	long sym___kernel_sigreturn;
	long sym___kernel_rt_sigreturn;
	long sym___kernel_vsyscall;
	long sym_int80_landing_pad;
	long sym_vdso32_sigreturn_landing_pad;
	long sym_vdso32_rt_sigreturn_landing_pad;
	long sym___futex_list64_try_unlock_cs_start;
	long sym___futex_list64_try_unlock_cs_end;
	long sym___futex_list32_try_unlock_cs_start;
	long sym___futex_list32_try_unlock_cs_end;
};

int init_vdso_image(const struct vdso_image *image);
