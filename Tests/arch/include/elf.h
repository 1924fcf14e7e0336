/* SPDX-License-Identifier: MIT */
/*
 * The subset of <elf.h> that kernel-vdso/host/elf_lookup.c uses, so that it
 * compiles into the freestanding per-architecture harness, where no C
 * library headers exist.  Values and layouts are the ELF gABI's.
 */
#ifndef ARCH_HARNESS_ELF_H
#define ARCH_HARNESS_ELF_H
#include <stdint.h>

#define EI_NIDENT	16
#define EI_CLASS	4
#define EI_DATA		5
#define ELFMAG		"\177ELF"
#define SELFMAG		4
#define ELFCLASS32	1
#define ELFCLASS64	2
#define ELFDATA2LSB	1
#define ELFDATA2MSB	2
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define DT_NULL		0
#define DT_HASH		4
#define DT_STRTAB	5
#define DT_SYMTAB	6
#define DT_STRSZ	10
#define DT_GNU_HASH	0x6ffffef5
#define DT_VERSYM	0x6ffffff0
#define DT_VERDEF	0x6ffffffc
#define STT_FUNC	2
#define STB_GLOBAL	1
#define STB_WEAK	2
#define SHN_UNDEF	0
#define STN_UNDEF	0
#define VER_FLG_BASE	1
#define ELF64_ST_BIND(i)	((i) >> 4)
#define ELF64_ST_TYPE(i)	((i) & 0xf)

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf64_Ehdr;
typedef struct {
	unsigned char e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version, e_entry, e_phoff, e_shoff, e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
} Elf32_Ehdr;
typedef struct {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
} Elf64_Phdr;
typedef struct {
	uint32_t p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_flags, p_align;
} Elf32_Phdr;
typedef struct { int64_t d_tag; union { uint64_t d_val, d_ptr; } d_un; } Elf64_Dyn;
typedef struct { int32_t d_tag; union { uint32_t d_val, d_ptr; } d_un; } Elf32_Dyn;
typedef struct {
	uint32_t st_name;
	unsigned char st_info, st_other;
	uint16_t st_shndx;
	uint64_t st_value, st_size;
} Elf64_Sym;
typedef struct {
	uint32_t st_name, st_value, st_size;
	unsigned char st_info, st_other;
	uint16_t st_shndx;
} Elf32_Sym;
typedef struct {
	uint16_t vd_version, vd_flags, vd_ndx, vd_cnt;
	uint32_t vd_hash, vd_aux, vd_next;
} Elf64_Verdef;
typedef struct { uint32_t vda_name, vda_next; } Elf64_Verdaux;

#endif
