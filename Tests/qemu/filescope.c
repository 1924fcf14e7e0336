/*
 * Tests/qemu/filescope.c: the emitted vdso.c.inc (found on the include path) included at file scope, as QEMU's
 * linux-user/arm/elfload.c includes vdso-le.c.inc, vdso-be8.c.inc and vdso-be32.c.inc.
 */
#include "loader.h"
#include "vdso.c.inc"

const VdsoImageInfo *file_scope_image_info(void);
const VdsoImageInfo *file_scope_image_info(void) { return &vdso_image_info; }
