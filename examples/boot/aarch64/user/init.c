// SPDX-License-Identifier: MIT
/*
 * /init: the one process.  It finds the vDSO through AT_SYSINFO_EHDR,
 * looks its routines up by name and version as a C library does, calls
 * each of them against the kernel's own system calls, and prints one TAP
 * line per check, then "N passed, M failed"; the exit status is 0 only
 * if everything passed.
 */
#include "user.h"

#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_ENTRY	9
#define AT_RANDOM	25
#define AT_SYSINFO_EHDR	33

#define VERSION		"LINUX_2.6.39"	/* arm64's vDSO version node */

u64 time_syscalls;
struct vdso_fns vdso;
static int number, passed, failed;

extern const u8 __ehdr_start[];	/* the linker's: this program's ELF header, in memory */
void _start(void);
long user_main(u64 *sp);

/* Start a TAP line; the caller adds the description and ends it with put_end(). */
int tap(int ok)
{
	put_str(ok ? "ok " : "not ok ");
	put_dec(++number);
	put_str(" - ");
	if (ok)
		passed++;
	else
		failed++;
	return ok;
}

int check(int ok, const char *what)
{
	tap(ok);
	put_str(what);
	put_end();
	return ok;
}

static u64 auxv_get(const u64 *auxv, u64 key)
{
	for (; auxv[0] != AT_NULL; auxv += 2)
		if (auxv[0] == key)
			return auxv[1];
	return 0;
}

static void auxv_checks(const u64 *auxv)
{
	const u8 *rnd = (const u8 *)auxv_get(auxv, AT_RANDOM);
	u64 phdr = auxv_get(auxv, AT_PHDR), phoff = *(const u64 *)(__ehdr_start + 32);
	int nonzero = 0;

	check(auxv_get(auxv, AT_PAGESZ) == 4096, "AT_PAGESZ is 4096, the image's VDSO_PAGE_SIZE");
	for (int i = 0; rnd && i < 16; i++)
		nonzero |= rnd[i];
	check(rnd && nonzero, "AT_RANDOM points at 16 random bytes");
	check(phdr == (u64)__ehdr_start + phoff && auxv_get(auxv, AT_PHENT) == 56 &&
	      auxv_get(auxv, AT_PHNUM) == *(const u16 *)(__ehdr_start + 56),
	      "AT_PHDR, AT_PHENT and AT_PHNUM describe this program's program headers");
	check(auxv_get(auxv, AT_ENTRY) == (u64)_start, "AT_ENTRY is _start");
}

/*
 * The data area the kernel mapped below the image, as the header lays it
 * out: the time page right below (filled: VDSO_DATA_MAGIC first), the
 * getrandom page below that (generation 1, ready).  Readable by the
 * process; neither it nor the image is writable through a system call.
 */
static void data_area_checks(u64 base)
{
	const u32 *time_page = (const u32 *)(base - 4096);
	const u64 *rng_page = (const u64 *)(base - 8192);

	check(time_page[0] == 0x4f534456 && time_page[1] == 1,
	      "the time page below the image is filled (VDSO_DATA_MAGIC, ABI version 1)");
	check(rng_page[0] == 1 && ((const u8 *)rng_page)[8] == 1,
	      "the getrandom page below it says generation 1, ready");
	check(sys_clock_gettime(CLOCK_REALTIME, base + 64) == -EFAULT,
	      "clock_gettime cannot write through a pointer into the image (-EFAULT)");
}

/* Each routine by DT_GNU_HASH and by DT_HASH: the same address, inside the image. */
static void *lookup(const struct vdso_info *vi, const char *name)
{
	void *g = vdso_sym_gnu(vi, VERSION, name), *s = vdso_sym_sysv(vi, VERSION, name);
	int ok = tap(g && g == s);

	put_str(name);
	put_str("@" VERSION " by DT_GNU_HASH and DT_HASH: image + ");
	put_hex((u64)g - vi->base);
	put_end();
	return ok ? g : 0;
}

long user_main(u64 *sp)
{
	u64 argc = sp[0];
	const u64 *envp = sp + 2 + argc, *auxv;
	struct vdso_info vi;

	while (*envp)
		envp++;
	auxv = envp + 1;
	u64 base = auxv_get(auxv, AT_SYSINFO_EHDR);

	put_str("TAP version 13");
	put_end();
	put_str("# vdso image at ");
	put_hex(base);
	put_end();
	if (!check(base && !(base & 4095), "AT_SYSINFO_EHDR is a page-aligned address")) {
		put_str("Bail out! no vDSO");
		put_end();
		return 1;
	}
	auxv_checks(auxv);
	data_area_checks(base);
	if (!check(vdso_open(&vi, base) == 0, "the vDSO's ELF header, PT_DYNAMIC, hash and version tables")) {
		put_str("Bail out! no usable vDSO");
		put_end();
		return 1;
	}
	vdso.clock_gettime = lookup(&vi, "__kernel_clock_gettime");
	vdso.gettimeofday = lookup(&vi, "__kernel_gettimeofday");
	vdso.clock_getres = lookup(&vi, "__kernel_clock_getres");
	vdso.getrandom = lookup(&vi, "__kernel_getrandom");
	void *sigreturn = lookup(&vi, "__kernel_rt_sigreturn");	/* where signal handlers return */
	check(!vdso_sym_gnu(&vi, "LINUX_2.6", "__kernel_clock_gettime") &&
	      !vdso_sym_sysv(&vi, "LINUX_2.6", "__kernel_clock_gettime"),
	      "no __kernel_clock_gettime@LINUX_2.6: the version is part of the name");
	check(!vdso_sym_gnu(&vi, VERSION, "__vdso_clock_gettime") && !vdso_sym_sysv(&vi, VERSION, "__vdso_clock_gettime"),
	      "no __vdso_clock_gettime (x86's name) in the arm64 image");
	if (!vdso.clock_gettime || !vdso.gettimeofday || !vdso.clock_getres || !vdso.getrandom || !sigreturn) {
		put_str("Bail out! a vDSO routine is missing");
		put_end();
		return 1;
	}

	clock_checks(base);
	random_checks();
	signal_checks(sigreturn);
	fault_checks(base);
	tick_checks();

	put_str("# time system calls expected: ");
	put_dec((s64)time_syscalls);
	put_end();
	put_str("1..");
	put_dec(number);
	put_end();
	put_dec(passed);
	put_str(" passed, ");
	put_dec(failed);
	put_str(" failed");
	put_end();
	return failed ? 1 : 0;
}
