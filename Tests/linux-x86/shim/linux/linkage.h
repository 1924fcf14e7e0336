/* Shim (not Linux's header): what a generated vdso-image-*.c needs of <linux/linkage.h>: nothing. */
