/* Shim (not Linux's header): what a generated vdso-image-*.c needs of <linux/linkage.h> and the
 * headers it pulls in: __ro_after_init (Linux's <linux/cache.h>, reached through it), a no-op for
 * a hosted build. */
#ifndef __ro_after_init
#define __ro_after_init
#endif
