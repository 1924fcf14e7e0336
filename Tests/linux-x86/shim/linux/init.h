/* Shim (not Linux's header): the annotations of <linux/init.h> a vdso-image-*.c uses, as no-ops
 * for a hosted build, and subsys_initcall() as a pointer the test program calls. */
#define __init
#ifndef __ro_after_init
#define __ro_after_init
#endif
#define subsys_initcall(fn) int (*const vdso_test_initcall)(void) = fn
