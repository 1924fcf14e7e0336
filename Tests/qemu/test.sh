#!/bin/sh
# Tests/qemu/test.sh [VDSOGEN] [OUT] [ARCH...]: for each default image in OUT (default out; only
# the ARCHes named, if any: x86_64 i386 aarch64 arm riscv64), writes the
# .c.inc QEMU's linux-user/gen-vdso would (vdsogen emit --qemu), compiles it with -Wall -Wextra
# -Werror against a shim of QEMU's linux-user/loader.h (Tests/qemu/shim), inside a function body
# as linux-user/elfload.c includes it and at file scope as linux-user/arm/elfload.c does, then
# runs relocate.c: QEMU's relocation loop over a copy of the image, checked field by field.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
VDSOGEN=${1:-out/bin/vdsogen}
OUT=${2:-out}
CC=${CC:-cc}
[ $# -gt 2 ] && shift 2 && only=" $* " || only=""
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vdsogen-qemu.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
status=0
# arch  image-dir  sigreturn  rt_sigreturn  bias: QEMU's build's names (linux-user/ARCH/meson.build);
# arm's sigreturn_codes is QEMU's own label, which vdsogen's arm image does not have.
while read -r arch dir sig rt bias; do
	case "$only" in ""|*" $arch "*) ;; *) continue ;; esac
	img=$OUT/$dir/vdso.so
	[ -f "$img" ] || { echo "not ok - $arch: no $img (run make)"; status=1; continue; }
	mkdir "$tmp/$arch"
	inc=$tmp/$arch/vdso.c.inc
	if ! "$VDSOGEN" emit "$img" --debug "$img.dbg" --header "$tmp/$arch.h" --source "$tmp/$arch.c" \
	    --qemu "$inc" --qemu-writable 2>"$tmp/$arch.err"; then
		echo "not ok - $arch: vdsogen emit --qemu failed: $(cat "$tmp/$arch.err")"; status=1; continue
	fi
	if ! $CC -std=gnu11 -Wall -Wextra -Werror -I"$here/shim" -I"$tmp/$arch" -o "$tmp/$arch.relocate" "$here/relocate.c" 2>"$tmp/$arch.cc" \
	    || ! $CC -std=gnu11 -Wall -Wextra -Werror -I"$here/shim" -I"$tmp/$arch" -c -o "$tmp/$arch.o" "$here/filescope.c" 2>>"$tmp/$arch.cc"; then
		echo "not ok - $arch: the .c.inc does not compile:"; cat "$tmp/$arch.cc"; status=1; continue
	fi
	if "$tmp/$arch.relocate" "$bias" "$sig" "$rt" >"$tmp/$arch.out"; then
		sed "s/^ok - /ok - $arch: /" "$tmp/$arch.out"
	else
		sed "s/^/$arch: /" "$tmp/$arch.out"; status=1
	fi
done <<LIST
x86_64 . - - 0x7f0000000000
i386 i386 __kernel_sigreturn __kernel_rt_sigreturn 0xf7f00000
aarch64 aarch64 - __kernel_rt_sigreturn 0x7f0000001000
arm arm - - 0xb6f00000
riscv64 riscv64 - __vdso_rt_sigreturn 0x3ff0000000
LIST
exit $status
