/* SPDX-License-Identifier: MIT */
/*
 * The data-page ABI note (owner "vdsogen", type 1) naming MyOS's layout:
 * `vdsogen run` maps this image only under a kernel side that serves
 * "myos-1" (--kernel-side kernel_side.c).
 */
#define VDSOGEN_DATA_ABI	"myos-1"
#include "../../kernel-vdso/lib/abi_note.S"
