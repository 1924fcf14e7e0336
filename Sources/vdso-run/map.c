/* SPDX-License-Identifier: MIT */
/*
 * Mapping the data pages and the image into the program's address space,
 * and the kernel's own vDSO out of it.  Shared by the 64-bit loader and the
 * 32-bit one (compat32/), which map the same memfd the same way: the page
 * layout is identical for both classes (datapage.h).
 */
#include "vdso_run.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PR_SET_VMA
#define PR_SET_VMA		0x53564d41
#define PR_SET_VMA_ANON_NAME	0
#endif

/*
 * Linux's getrandom page, counted from its time page: the generic vDSO
 * datastore (6.13+, include/vdso/datapage.h) orders time, time namespace,
 * rng, arch pages on every architecture.
 */
#define LINUX_RNG_PAGE_FROM_TIME	2

void data_layout(const struct run_options *opt, struct data_layout *l)
{
	if (opt->kernel_side_area) {	/* the kernel side's pages alone (kernel_side.c) */
		*l = (struct data_layout){ .total = opt->data_pages };
		return;
	}
	l->total = opt->data_pages + 1 > arch_linux_vvar_pages ? opt->data_pages + 1 : arch_linux_vvar_pages;
	l->ours = l->total - opt->data_pages;
	l->rng = l->ours - 1;
	l->linux_time = l->total - arch_linux_vvar_pages + arch_linux_time_page;
	l->linux_rng = l->linux_time + LINUX_RNG_PAGE_FROM_TIME;
	/* arch_linux_vvar_pages 0: no Linux-layout mirror on this architecture. */
	l->mirror = arch_linux_vvar_pages > 0 && l->linux_time != l->ours && l->linux_time != l->rng;
	l->rng_mirror = arch_linux_vvar_pages > 0 && l->linux_rng != l->ours && l->linux_rng != l->rng &&
			l->linux_rng != l->linux_time;
}

void vdso_map(const struct run_options *opt, const struct vdso_image *img, int memfd, struct vdso_mapping *out)
{
	struct data_layout l;
	data_layout(opt, &l);
	size_t data_len = (size_t)l.total * RUN_PAGE;
	struct stat st;
	if (fstat(memfd, &st) != 0 || st.st_size < 0 || (size_t)st.st_size != data_len)
		die("the shared data pages are %lld bytes, not the %zu that --data-pages %u needs",
		    (long long)st.st_size, data_len, opt->data_pages);

	size_t total_len = data_len + img->map_len;
	void *r = mmap(NULL, total_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		die("cannot reserve %zu bytes for the vDSO: %s", total_len, strerror(errno));
	uintptr_t base = (uintptr_t)r;
	if (mmap(r, data_len, PROT_READ, MAP_SHARED | MAP_FIXED, memfd, 0) == MAP_FAILED)
		die("mmap data pages read-only: %s", strerror(errno));
	uintptr_t ib = base + data_len;
	if (mmap((void *)ib, img->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
	    MAP_FAILED)
		die("mmap vDSO image: %s", strerror(errno));
	memcpy((void *)ib, img->bytes, img->size < img->map_len ? img->size : img->map_len);
	if (mprotect((void *)ib, img->map_len, PROT_READ | PROT_EXEC) != 0)
		die("mprotect vDSO image: %s", strerror(errno));
	/* Best effort (CONFIG_ANON_VMA_NAME): shows as [anon:vdso-image] in /proc/PID/maps. */
	prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ib, img->map_len, "vdso-image");

	const struct vdso_time_data *page = (const struct vdso_time_data *)(base + (size_t)l.ours * RUN_PAGE);
	if (!opt->kernel_side_area) {	/* ours: the calibration, for --verbose */
		out->clock_mode = page->clock_data[VDSO_CS_HRES_COARSE].clock_mode;
		out->counter_hz = page->counter_hz;
		out->mult = page->clock_data[VDSO_CS_HRES_COARSE].mult;
		out->shift = page->clock_data[VDSO_CS_HRES_COARSE].shift;
	}
	out->data_base = base;
	out->data_pages_total = l.total;
	out->ours = base + (size_t)l.ours * RUN_PAGE;
	out->rng = base + (size_t)l.rng * RUN_PAGE;
	out->linux_time = l.mirror ? base + (size_t)l.linux_time * RUN_PAGE : 0;
	out->image_base = ib;
	out->image_len = img->map_len;
}

/* The kernel's [vdso] and its data pages, to unmap before the program runs. */
void vdso_unmap_kernel(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	if (!f)
		return;
	char line[512];
	uintptr_t r[8][2];
	int n = 0;
	while (fgets(line, sizeof line, f) && n < 8) {
		if (!strstr(line, "[vdso]") && !strstr(line, "[vvar]") && !strstr(line, "[vvar_vclock]"))
			continue;
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2) {
			r[n][0] = lo;
			r[n][1] = hi;
			n++;
		}
	}
	fclose(f);
	/* From here on this process must not call libc's clock functions (nor, in the
	 * 32-bit loader, make any system call through libc: see arch_munmap). */
	int err = 0;
	uintptr_t at = 0;
	for (int i = 0; i < n; i++) {
		int e = arch_munmap(r[i][0], r[i][1] - r[i][0]);
		if (e && !err) {
			err = e;
			at = r[i][0];
		}
	}
	if (err && ELFCLASS_NATIVE == ELFCLASS64)
		vlog("warning: cannot unmap the kernel's vDSO at 0x%lx: %s", (unsigned long)at, strerror(err));
}

