/* libdw: DWARF reading (compile units, subprograms, line tables). */
#include <elfutils/libdw.h>
#include <dwarf.h>
