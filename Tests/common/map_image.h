/* SPDX-License-Identifier: MIT */
/*
 * Maps the emitted image the way a kernel does, for the hosted C tests (e2e
 * harness, stress test): the data area from a memfd, read-only at
 * base + VDSO_DATA_AREA_OFFSET and writable elsewhere for the test's timekeeper,
 * and the image copied in and made read-only and executable.  Needs
 * vdso-image.h, <vdso/datapage.h>, <sys/mman.h>, <string.h> and <unistd.h>.
 */
#ifndef VDSOGEN_TESTS_MAP_IMAGE_H
#define VDSOGEN_TESTS_MAP_IMAGE_H

/* Returns 1 with *base (image, R+X) and *wpage (writable view of the time data page) set, else 0. */
static int map_vdso_image(unsigned char **base, struct vdso_time_data **wpage)
{
	/* The whole data area (every data page, down to the lowest) sits right below the image. */
	long lo = VDSO_DATA_AREA_OFFSET;
	unsigned char *r = mmap(NULL, VDSO_DATA_AREA_SIZE + VDSO_IMAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd = memfd_create("vdso-data", 0);
	int ok = r != MAP_FAILED && fd >= 0 && ftruncate(fd, VDSO_DATA_AREA_SIZE) == 0;
	unsigned char *b = r - lo;
	/* Data: shared pages seen read-only by the vDSO, writable by the timekeeper. */
	ok = ok && mmap(b + lo, VDSO_DATA_AREA_SIZE, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0) != MAP_FAILED;
	unsigned char *w = ok ? mmap(NULL, VDSO_DATA_AREA_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
	ok = ok && w != MAP_FAILED;
	ok = ok && mmap(b, VDSO_IMAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED;
	if (ok)
		memcpy(b, vdso_image, VDSO_IMAGE_SIZE);
	ok = ok && mprotect(b, VDSO_IMAGE_SIZE, PROT_READ | PROT_EXEC) == 0;
	*base = b;
	*wpage = ok ? (struct vdso_time_data *)(w + (VDSO_DATA_OFFSET - lo)) : NULL;
	return ok;
}

#endif /* VDSOGEN_TESTS_MAP_IMAGE_H */
