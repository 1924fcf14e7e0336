/* The vDSO: its data pages (kernel side) and where the image went in user space. */
#ifndef BOOT_X86_64_VDSO_H
#define BOOT_X86_64_VDSO_H

#include <vdso/datapage.h>

extern struct vdso_time_data vdso_time_page;
void vdso_init(void);
u64 vdso_map(void);	/* maps data area + image at a random address; returns the image's */
int vdso_contains(u64 va);

#endif
