/* libelf and its class-independent gelf_* API: one code path for ELF32 and ELF64. */
#include <libelf.h>
#include <gelf.h>
#include <elf.h>
