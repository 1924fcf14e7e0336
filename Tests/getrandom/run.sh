#!/bin/sh
# Build and run the vDSO getrandom test against an emitted x86-64 image.
#
#   Tests/getrandom/run.sh OUT_DIR [LOADER]
#
# OUT_DIR holds vdso-image.c/.h and vdso.so (vdsogen build -o OUT_DIR).  With
# LOADER (vdso-run, or `vdsogen run`'s loader), the test also runs under it
# (--auxv): the loader's own rng page and mapping serve getrandom.  The binary
# is OUT_DIR/getrandom-test.  Env: CC (default /opt/swift/usr/bin/clang, else
# clang).  Output: TAP-like lines, then "N passed, M failed"; exit 0 iff none
# failed.
set -eu

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 OUT_DIR [LOADER]" >&2; exit 2; }
out=$1
loader=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
for f in vdso-image.c vdso-image.h; do
	[ -f "$out/$f" ] || { echo "$0: no $out/$f (vdsogen build -o $out)" >&2; exit 2; }
done
grep -q VDSO_SYM___vdso_getrandom "$out/vdso-image.h" || {
	echo "$0: $out/vdso-image.h has no __vdso_getrandom (an x86-64 image built from kernel-vdso/arch/x86_64/vdso.toml?)" >&2
	exit 2
}
if [ -z "${CC:-}" ]; then
	if [ -x /opt/swift/usr/bin/clang ]; then CC=/opt/swift/usr/bin/clang; else CC=clang; fi
fi
host=$root/kernel-vdso/host
"$CC" -std=gnu11 -O2 -g -Wall -Wextra -Werror -pthread \
	-I"$out" -I"$root/kernel-vdso/include" -I"$host" \
	"$root/Tests/getrandom/test.c" "$out/vdso-image.c" "$host/elf_lookup.c" "$host/rng.c" \
	-o "$out/getrandom-test"

if [ -z "$loader" ]; then
	exec "$out/getrandom-test"
fi
# Both runs, one summary.
log=$(mktemp "${TMPDIR:-/tmp}/getrandom-test.XXXXXX")
trap 'rm -f "$log"' EXIT
rc=0
"$out/getrandom-test" >"$log" 2>&1 || rc=1
"$loader" --image "$out/vdso.so" -- "$out/getrandom-test" --auxv >>"$log" 2>&1 || rc=1
awk '
	/^(ok|not ok) [0-9]+ - / { n++; ok = ($1 == "ok"); sub(/^(ok|not ok) [0-9]+ /, ""); print (ok ? "ok " : "not ok ") n " " $0; if (ok) p++; else f++; next }
	/^[0-9]+ passed, [0-9]+ failed$/ { next }
	{ print }
	END { printf "%d passed, %d failed\n", p, f }' "$log"
exit $rc
