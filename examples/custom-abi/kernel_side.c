/* SPDX-License-Identifier: MIT */
/*
 * MyOS's kernel side, for `vdsogen run --kernel-side kernel_side.c`: fills
 * the "myos-1" page (myos_data.h) and keeps it current, as MyOS's kernel
 * would from its timer tick.
 */
#include <vdso/kernel_side.h>
#include "myos_data.h"

const char vdso_kernel_side_abi[] = MYOS_DATA_ABI;
const unsigned vdso_kernel_side_pages = MYOS_DATA_PAGES;
const unsigned vdso_kernel_side_period_us = 2000;	/* a 500 Hz tick */

static void publish(struct myos_data *d, uint64_t ticks, const struct vdso_kernel_side_info *info)
{
	uint32_t s = vdso_ks_write_begin(&d->seq);
	VDSO_KS_WRITE_ONCE(d->ticks, ticks);
	VDSO_KS_WRITE_ONCE(d->time_ns, info->realtime_ns);
	vdso_ks_write_end(&d->seq, s);
}

int vdso_kernel_side_init(void *area, size_t len, const struct vdso_kernel_side_info *info)
{
	if (len < sizeof(struct myos_data))
		return -22;	/* EINVAL */
	struct myos_data *d = area;
	d->tick_us = info->period_us;
	publish(d, 0, info);
	__atomic_store_n(&d->magic, MYOS_DATA_MAGIC, __ATOMIC_RELEASE);
	return 0;
}

void vdso_kernel_side_update(void *area, size_t len, const struct vdso_kernel_side_info *info)
{
	(void)len;
	publish(area, info->update, info);
}
