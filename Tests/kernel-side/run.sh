#!/bin/sh
# Build and run the kernel-side timekeeper's tests against an emitted image.
#
#   Tests/kernel-side/run.sh OUT_DIR
#
# OUT_DIR holds vdso-image.c and vdso-image.h from `vdsogen emit` (the default x86-64 image).
set -eu
[ $# -eq 1 ] || { echo "usage: $0 OUT_DIR" >&2; exit 2; }
out=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$out/vdso-image.c" ] || { echo "$0: no $out/vdso-image.c: run make first" >&2; exit 2; }
if [ -z "${CC:-}" ]; then
	if [ -x /opt/swift/usr/bin/clang ]; then CC=/opt/swift/usr/bin/clang; else CC=clang; fi
fi
"$CC" -std=gnu11 -O2 -Wall -Wextra -Werror \
	-I"$out" -I"$root/kernel-vdso/include" -I"$root/kernel-vdso/kernel" -I"$root/kernel-vdso/host" \
	-I"$root/Tests/common" \
	"$root/Tests/kernel-side/timekeeping-test.c" "$root/kernel-vdso/kernel/timekeeping.c" \
	"$root/kernel-vdso/host/elf_lookup.c" "$out/vdso-image.c" -o "$out/kernel-side-test"
exec "$out/kernel-side-test"
