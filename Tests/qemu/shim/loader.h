/*
 * A stand-in for QEMU's linux-user/loader.h: only what an emitted vdso.c.inc needs. The struct is
 * VdsoImageInfo as QEMU 10.2 declares it there (the two sigreturn_region fields came with
 * "linux-user: Create vdso_sigreturn_region_{start,end}", September 2025); ARRAY_SIZE is
 * include/qemu/osdep.h's, less its array-type check. Field for field, in order: a generated
 * file that sets a field this struct lacks, or names one wrongly, does not compile.
 */
#ifndef VDSOGEN_TEST_QEMU_LOADER_H
#define VDSOGEN_TEST_QEMU_LOADER_H

#include <stdint.h>

#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))

typedef struct {
    const uint8_t *image;
    const uint32_t *relocs;
    unsigned image_size;
    unsigned reloc_count;
    unsigned sigreturn_ofs;
    unsigned rt_sigreturn_ofs;
    unsigned sigreturn_region_start_ofs;
    unsigned sigreturn_region_end_ofs;
} VdsoImageInfo;

/* linux-user/loader.h: "Note that both Elf32_Word and Elf64_Word are uint32_t." */
const VdsoImageInfo *get_vdso_image_info(uint32_t elf_flags);

#endif
