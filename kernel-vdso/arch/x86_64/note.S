/* SPDX-License-Identifier: MIT */
/*
 * x86-64's notes are every architecture's (kernel-vdso/lib/note.S: the "Linux"
 * version note and vdsogen's data-page ABI note); this file keeps the path the
 * manifest, the SwiftPM plugin's example and the docs name.
 */
#include "../../lib/note.S"
