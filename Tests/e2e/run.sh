#!/bin/sh
# Build and run the end-to-end vDSO harness against an emitted image.
#
#   Tests/e2e/run.sh OUT_DIR [--quick]
#
# OUT_DIR holds vdso-image.c and vdso-image.h from `vdsogen emit`; the harness
# binary is written to OUT_DIR/e2e-harness.  Until the tool exists, set
# VDSO_E2E_IMAGE_C=/path/to/vdso-image.c (its vdso-image.h next to it) to test
# any hand-made image; it is used when OUT_DIR has no vdso-image.c.
# Env: CC (default /opt/swift/usr/bin/clang, else clang), E2E_COUNT (calls per
# monotonicity check; --quick = 20000, default 1000000).
set -eu

usage() { echo "usage: $0 OUT_DIR [--quick]" >&2; exit 2; }
[ $# -ge 1 ] || usage
out=$1
shift
count=${E2E_COUNT:-1000000}
for a in "$@"; do
	case $a in
	--quick) count=${E2E_COUNT:-20000} ;;
	*) usage ;;
	esac
done

root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
img_c=$out/vdso-image.c
if [ ! -f "$img_c" ]; then
	img_c=${VDSO_E2E_IMAGE_C:-}
	[ -n "$img_c" ] && [ -f "$img_c" ] || {
		echo "$0: no $out/vdso-image.c (and VDSO_E2E_IMAGE_C not set)" >&2
		exit 2
	}
fi
img_dir=$(cd "$(dirname "$img_c")" && pwd)
[ -f "$img_dir/vdso-image.h" ] || { echo "$0: no vdso-image.h next to $img_c" >&2; exit 2; }

if [ -z "${CC:-}" ]; then
	if [ -x /opt/swift/usr/bin/clang ]; then CC=/opt/swift/usr/bin/clang; else CC=clang; fi
fi

host=$root/kernel-vdso/host
"$CC" -std=gnu11 -O2 -Wall -Wextra -Werror -pthread \
	-I"$img_dir" -I"$root/kernel-vdso/include" -I"$host" -I"$root/kernel-vdso/kernel" \
	"$root/Tests/e2e/harness.c" "$img_c" "$host/timekeeper.c" "$host/steering.c" "$host/qemu_counter.c" "$host/clocksource.c" "$root/kernel-vdso/kernel/timekeeping.c" "$host/elf_lookup.c" \
	-lm -o "$out/e2e-harness"
exec "$out/e2e-harness" "$count"
