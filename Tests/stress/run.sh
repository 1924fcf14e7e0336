#!/bin/sh
# Seqlock under fire: build Tests/stress/stress.c against an emitted image and run it.
#
#   Tests/stress/run.sh OUT_DIR [--short] [--calls N] [--writer-us U]
#
# OUT_DIR holds vdso-image.c and vdso-image.h (what `vdsogen build` / `emit` write); the binary is
# written to OUT_DIR/stress. Default 10^8 calls in total (make stress); --short is 10^6 (make test).
# Prints ok/not ok lines and "N passed, M failed"; exit status 0 iff nothing failed.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 OUT_DIR [--short] [--calls N] [--writer-us U]" >&2; exit 2; }
out=$1
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$out/vdso-image.c" ] && [ -f "$out/vdso-image.h" ] || { echo "$0: no vdso-image.c/.h in $out" >&2; exit 2; }
if [ -z "${CC:-}" ]; then
	if [ -x /opt/swift/usr/bin/clang ]; then CC=/opt/swift/usr/bin/clang; else CC=clang; fi
fi
img_dir=$(cd "$out" && pwd)
host=$root/kernel-vdso/host
"$CC" -std=gnu11 -O2 -Wall -Wextra -Werror -pthread \
	-I"$img_dir" -I"$root/kernel-vdso/include" -I"$host" -I"$root/kernel-vdso/kernel" \
	"$root/Tests/stress/stress.c" "$img_dir/vdso-image.c" "$host/timekeeper.c" "$host/steering.c" "$host/qemu_counter.c" "$host/clocksource.c" "$root/kernel-vdso/kernel/timekeeping.c" "$host/elf_lookup.c" \
	-lm -o "$out/stress"
start=$(date +%s.%N)
status=0
"$out/stress" "$@" || status=$?
end=$(date +%s.%N)
echo "# wall time $(echo "$end - $start" | bc 2>/dev/null || echo "?") s: $out/stress $*"
exit $status
