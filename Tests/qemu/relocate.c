/*
 * Tests/qemu/relocate.c: applies an emitted vdso.c.inc the way QEMU's linux-user loader does
 * (load_elf_vdso in linux-user/elfload.c: add the load bias to the address-sized word, in the
 * image's byte order, at each offset of .relocs) to a copy of .image, then reads the original and
 * the copy with its own ELF reader: every address field must have moved by the bias, no other
 * byte may have changed, and each *_ofs must be the offset of the symbol it names.
 *
 * usage: relocate BIAS SIGRETURN RT_SIGRETURN    (each name, or - for none)
 *
 * The .c.inc (vdso.c.inc, found on the include path) is included where QEMU's elfload.c
 * includes its VDSO_HEADER: inside get_vdso_image_info's body.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "loader.h"

const VdsoImageInfo *get_vdso_image_info(uint32_t elf_flags)
{
    (void)elf_flags;
#include "vdso.c.inc"
    return &vdso_image_info;
}

static const uint8_t *orig;
static uint8_t *copy, *accounted;
static uint64_t size, bias, mask;
static int is64, little, width, failures;

static int inside(uint64_t off, uint64_t n) { return off <= size && n <= size - off; }

static uint64_t rd(const uint8_t *b, uint64_t off, int n)
{
    uint64_t v = 0;
    if (!inside(off, n)) {
        printf("not ok - a read of %d bytes at 0x%llx leaves the image\n", n, (unsigned long long)off);
        failures++;
        return 0;
    }
    for (int i = 0; i < n; i++)
        v |= (uint64_t)b[off + (little ? i : n - 1 - i)] << (8 * i);
    return v;
}

static void wr(uint8_t *b, uint64_t off, int n, uint64_t v)
{
    for (int i = 0; i < n; i++)
        b[off + (little ? i : n - 1 - i)] = (uint8_t)(v >> (8 * i));
}

/* The address field at OFF must hold its original value plus the bias. */
static void moved(uint64_t off, const char *what, unsigned index)
{
    uint64_t before = rd(orig, off, width), after = rd(copy, off, width);
    if (after != ((before + bias) & mask)) {
        printf("not ok - %s[%u] at 0x%llx: 0x%llx after relocation, not 0x%llx + bias\n", what, index,
               (unsigned long long)off, (unsigned long long)after, (unsigned long long)before);
        failures++;
    }
    if (inside(off, width))
        memset(accounted + off, 1, width);
}

/* d_ptr tags a loader follows (ELF gABI and the GNU extensions a vDSO carries). */
static int address_tag(uint64_t tag)
{
    switch (tag) {
    case 3: case 4: case 5: case 6:              /* DT_PLTGOT, DT_HASH, DT_STRTAB, DT_SYMTAB */
    case 0x6ffffff0: case 0x6ffffffc:            /* DT_VERSYM, DT_VERDEF */
        return 1;
    default:
        return tag >= 0x6ffffe00 && tag <= 0x6ffffeff; /* DT_ADDRRNG: DT_GNU_HASH */
    }
}

struct table { uint64_t offset, size, link; };
static struct table dynsym, symtab;
static struct table section(unsigned i, uint64_t shoff);

/* The value of symbol NAME in TABLE (names from its sh_link string table), or -1. */
static long long lookup(struct table t, uint64_t shoff, const char *name, uint64_t *entry)
{
    uint64_t symsz = is64 ? 24 : 16;
    struct table strings = section((unsigned)t.link, shoff);
    for (uint64_t i = 0; t.size && i < t.size / symsz; i++) {
        uint64_t at = t.offset + i * symsz, name_at = strings.offset + rd(orig, at, 4);
        if (inside(name_at, strlen(name) + 1) && memcmp(orig + name_at, name, strlen(name) + 1) == 0) {
            *entry = at;
            return (long long)rd(orig, at + (is64 ? 8 : 4), width);
        }
    }
    return -1;
}

static struct table section(unsigned i, uint64_t shoff)
{
    uint64_t at = shoff + i * (is64 ? 64 : 40);
    struct table t = { rd(orig, at + (is64 ? 24 : 16), width), rd(orig, at + (is64 ? 32 : 20), width),
                       rd(orig, at + (is64 ? 40 : 24), 4) };
    return t;
}

/* *_ofs must be NAME's offset (0 for "-"), and the relocated .dynsym entry its load address. */
static void signal_symbol(const char *field, unsigned ofs, const char *name, uint64_t shoff)
{
    uint64_t entry = 0;
    long long value = -1;
    if (strcmp(name, "-") != 0) {
        value = lookup(dynsym, shoff, name, &entry);
        if (value < 0 && symtab.size)
            value = lookup(symtab, shoff, name, &entry);
    }
    if (strcmp(name, "-") == 0 ? ofs != 0 : value != (long long)ofs || value <= 0) {
        printf("not ok - .%s is 0x%x, %s is at 0x%llx\n", field, ofs, name, value);
        failures++;
    } else if (strcmp(name, "-") != 0 && entry >= dynsym.offset && entry < dynsym.offset + dynsym.size &&
               rd(copy, entry + (is64 ? 8 : 4), width) != ((bias + ofs) & mask)) {
        printf("not ok - %s's relocated st_value is not the load address plus .%s\n", name, field);
        failures++;
    } else {
        printf("ok - .%s = 0x%x: %s\n", field, ofs, name);
    }
}

static void walk_dynamic(uint64_t off, uint64_t filesz)
{
    for (uint64_t at = off; at + 2 * width <= off + filesz; at += 2 * width) {
        uint64_t tag = rd(orig, at, width);
        if (address_tag(tag))
            moved(at + width, "d_ptr", (unsigned)((at - off) / (2 * width)));
        if (tag == 0)
            break;
    }
}

int main(int argc, char **argv)
{
    const VdsoImageInfo *info = get_vdso_image_info(0);
    if (argc != 4)
        return 2;
    orig = info->image;
    size = info->image_size;
    bias = strtoull(argv[1], NULL, 0);
    if (size < 64 || memcmp(orig, "\177ELF", 4) != 0)
        return 2;
    is64 = orig[4] == 2;
    little = orig[5] == 1;
    width = is64 ? 8 : 4;
    mask = is64 ? ~0ULL : 0xffffffffULL;
    copy = malloc(size);
    accounted = calloc(size, 1);
    if (!copy || !accounted)
        return 2;
    memcpy(copy, orig, size);

    /* QEMU's loop, load_elf_vdso: *addr = tswapal(tswapal(*addr) + load_bias). */
    for (unsigned i = 0; i < info->reloc_count; i++) {
        if (!inside(info->relocs[i], width)) {
            printf("not ok - relocation %u at 0x%x leaves the image\n", i, info->relocs[i]);
            return 1;
        }
        wr(copy, info->relocs[i], width, rd(copy, info->relocs[i], width) + bias);
    }

    uint64_t phoff = rd(orig, is64 ? 32 : 28, width), shoff = rd(orig, is64 ? 40 : 32, width);
    unsigned phnum = (unsigned)rd(orig, is64 ? 56 : 44, 2), shnum = (unsigned)rd(orig, is64 ? 60 : 48, 2);
    for (unsigned i = 0; i < phnum; i++) {
        uint64_t at = phoff + i * (is64 ? 56 : 32);
        moved(at + (is64 ? 16 : 8), "p_vaddr", i);
        moved(at + (is64 ? 24 : 12), "p_paddr", i);
        if (rd(orig, at, 4) == 2) /* PT_DYNAMIC */
            walk_dynamic(rd(orig, at + (is64 ? 8 : 4), width), rd(orig, at + (is64 ? 32 : 16), width));
    }
    for (unsigned i = 0; i < shnum; i++) {
        uint64_t at = shoff + i * (is64 ? 64 : 40);
        uint32_t type = (uint32_t)rd(orig, at + 4, 4);
        moved(at + (is64 ? 16 : 12), "sh_addr", i);
        if (type == 11) /* SHT_DYNSYM */
            dynsym = section(i, shoff);
        if (type == 2) /* SHT_SYMTAB */
            symtab = section(i, shoff);
    }
    uint64_t symsz = is64 ? 24 : 16;
    for (uint64_t i = 0; dynsym.size && i < dynsym.size / symsz; i++)
        moved(dynsym.offset + i * symsz + (is64 ? 8 : 4), "st_value", (unsigned)i);
    /* e_entry is not in the list: QEMU's loader adds the bias to it itself (image_info.entry). */
    for (uint64_t i = 0; i < size; i++) {
        if (!accounted[i] && copy[i] != orig[i]) {
            printf("not ok - byte 0x%llx changed, in no address field\n", (unsigned long long)i);
            failures++;
        }
    }
    printf("%s - %u relocations: every p_vaddr, p_paddr, sh_addr, d_ptr and .dynsym st_value moved by 0x%llx, no other byte\n",
           failures ? "not ok" : "ok", info->reloc_count, (unsigned long long)bias);
    signal_symbol("sigreturn_ofs", info->sigreturn_ofs, argv[2], shoff);
    signal_symbol("rt_sigreturn_ofs", info->rt_sigreturn_ofs, argv[3], shoff);
    if (info->image_size != size || info->reloc_count == 0) {
        printf("not ok - image_size %u, reloc_count %u\n", info->image_size, info->reloc_count);
        failures++;
    }
    return failures ? 1 : 0;
}
