#!/bin/sh
# The i386 (compat) and x86-64 vDSO headers in one C program, as an x86-64
# kernel embeds both: emit each image with its own prefix (vdso32, vdso64),
# compile a program that uses both headers and both arrays, link, run.
#
#   Tests/arch/both-x86.sh OUT64 OUT32 [WORK_DIR]
#
# OUT64 / OUT32: directories holding vdso.so and vdso.so.dbg of the x86-64
# and i386 images (vdsogen build -o). WORK_DIR (default OUT32/both-x86)
# receives the emitted files and the program.  Env: VDSOGEN (default
# out/bin/vdsogen, else .build/debug/vdsogen), CC (default
# /opt/swift/usr/bin/clang, else clang).
set -eu

[ $# -ge 2 ] || { echo "usage: $0 OUT64 OUT32 [WORK_DIR]" >&2; exit 2; }
out64=$1
out32=$2
work=${3:-$out32/both-x86}
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${VDSOGEN:-}" ]; then
	if [ -x "$root/out/bin/vdsogen" ]; then VDSOGEN=$root/out/bin/vdsogen; else VDSOGEN=$root/.build/debug/vdsogen; fi
fi
if [ -z "${CC:-}" ]; then
	if [ -x /opt/swift/usr/bin/clang ]; then CC=/opt/swift/usr/bin/clang; else CC=clang; fi
fi
mkdir -p "$work"

"$VDSOGEN" emit "$out64/vdso.so" --debug "$out64/vdso.so.dbg" --prefix vdso64 \
	--data-symbol vdso_time_data --header "$work/vdso64-image.h" --source "$work/vdso64-image.c"
"$VDSOGEN" emit "$out32/vdso.so" --debug "$out32/vdso.so.dbg" --prefix vdso32 \
	--data-symbol vdso_time_data --extra-symbol int80_landing_pad \
	--extra-symbol vdso32_sigreturn_landing_pad --extra-symbol vdso32_rt_sigreturn_landing_pad \
	--header "$work/vdso32-image.h" --source "$work/vdso32-image.c"

cat > "$work/both.c" <<'C'
/* What an x86-64 kernel does with its two vDSO images: one per ABI. */
#include "vdso64-image.h"
#include "vdso32-image.h"
#include <stdio.h>
#include <string.h>

struct image {
	const char *name;
	const unsigned char *data;
	unsigned long size;
	int elf_class, machine;
	long long data_offset;
	const unsigned char *build_id;
	unsigned build_id_size;
};

int main(void)
{
	static const unsigned char id64[] = VDSO64_BUILD_ID_INIT, id32[] = VDSO32_BUILD_ID_INIT;
	const struct image im[2] = {
		{ "vdso64", vdso64_image, VDSO64_IMAGE_SIZE, VDSO64_ELF_CLASS, VDSO64_ELF_MACHINE,
		  (long long)(VDSO64_DATA_OFFSET), vdso64_build_id, VDSO64_BUILD_ID_SIZE },
		{ "vdso32", vdso32_image, VDSO32_IMAGE_SIZE, VDSO32_ELF_CLASS, VDSO32_ELF_MACHINE,
		  (long long)(VDSO32_DATA_OFFSET), vdso32_build_id, VDSO32_BUILD_ID_SIZE },
	};
	int bad = 0;
	bad |= memcmp(id64, vdso64_build_id, sizeof id64) != 0 || memcmp(id32, vdso32_build_id, sizeof id32) != 0;
	bad |= im[0].elf_class != 64 || im[0].machine != 62 || im[1].elf_class != 32 || im[1].machine != 3;
	/* The offsets a kernel needs from each: entry points, the compat sigreturn landing pads. */
	unsigned long offs[] = { VDSO64_SYM___vdso_clock_gettime, VDSO32_SYM___vdso_clock_gettime,
				 VDSO32_SYM___kernel_vsyscall, VDSO32_SYM___kernel_sigreturn,
				 VDSO32_SYM___kernel_rt_sigreturn, VDSO32_SYM_int80_landing_pad,
				 VDSO32_SYM_vdso32_sigreturn_landing_pad, VDSO32_SYM_vdso32_rt_sigreturn_landing_pad };
	for (unsigned i = 0; i < sizeof offs / sizeof offs[0]; i++)
		bad |= offs[i] == 0 || offs[i] >= (i == 0 ? VDSO64_IMAGE_SIZE : VDSO32_IMAGE_SIZE);
#if !defined(VDSO64_DATA_SIZE) || !defined(VDSO32_DATA_SIZE)
	printf("not ok - a header lacks _DATA_SIZE\n");
	bad = 1;
#else
	bad |= VDSO64_DATA_SIZE != 4096 || VDSO32_DATA_SIZE != 4096;
	/* The whole data area: x86-64 also has the rng page below its time page; i386 has one page. */
	bad |= VDSO64_DATA_AREA_OFFSET != -8192 || VDSO64_DATA_AREA_SIZE != 8192;
	bad |= VDSO32_DATA_AREA_OFFSET != -4096 || VDSO32_DATA_AREA_SIZE != 4096;
#endif
	for (int i = 0; i < 2; i++) {
		int ok = memcmp(im[i].data, "\177ELF", 4) == 0 && im[i].data[4] == (im[i].elf_class == 64 ? 2 : 1) &&
			 ((unsigned long)im[i].data & 4095) == 0 && im[i].size % 4096 == 0 &&
			 im[i].data_offset == -4096 && im[i].build_id_size == 20;
		printf("%s %s: %lu bytes, ELF%d machine %d, data at %lld\n", ok ? "ok" : "not ok", im[i].name,
		       im[i].size, im[i].elf_class, im[i].machine, im[i].data_offset);
		bad |= !ok;
	}
	printf("%s\n", bad ? "FAILED: vdso32 and vdso64 in one program" : "vdso32 and vdso64 link into one program");
	return bad;
}
C
"$CC" -std=c99 -Wall -Wextra -Werror -pedantic -I"$work" \
	"$work/both.c" "$work/vdso64-image.c" "$work/vdso32-image.c" -o "$work/both"
exec "$work/both"
