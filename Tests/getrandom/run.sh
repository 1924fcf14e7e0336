#!/bin/sh
# Build and run the vDSO getrandom test against an emitted x86-64 or arm64 image.
#
#   Tests/getrandom/run.sh OUT_DIR [LOADER]
#
# OUT_DIR holds vdso-image.c/.h and vdso.so (vdsogen build -o OUT_DIR).  An
# arm64 image (the header's VDSO_ELF_MACHINE is 183) is tested by a static
# arm64 build of the same test (clang --target=aarch64-linux-gnu against
# Debian's libc6-dev-arm64-cross) run under qemu-aarch64-static.  With LOADER
# (vdso-run, or `vdsogen run`'s loader; x86-64 only), the test also runs under
# it (--auxv): the loader's own rng page and mapping serve getrandom.  The
# binary is OUT_DIR/getrandom-test.  Env: CC (default /opt/swift/usr/bin/clang,
# else clang).  Output: TAP-like lines, then "N passed, M failed"; exit 0 iff
# none failed.
set -eu

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 OUT_DIR [LOADER]" >&2; exit 2; }
out=$1
loader=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
for f in vdso-image.c vdso-image.h; do
	[ -f "$out/$f" ] || { echo "$0: no $out/$f (vdsogen build -o $out)" >&2; exit 2; }
done
grep -Eq 'VDSO_SYM___(vdso|kernel)_getrandom' "$out/vdso-image.h" || {
	echo "$0: $out/vdso-image.h has no getrandom (an image built from kernel-vdso/arch/{x86_64,aarch64}/vdso.toml?)" >&2
	exit 2
}
if [ -z "${CC:-}" ]; then
	if [ -x /opt/swift/usr/bin/clang ]; then CC=/opt/swift/usr/bin/clang; else CC=clang; fi
fi
target=""
run=""
if grep -q '^#define VDSO_ELF_MACHINE 183$' "$out/vdso-image.h"; then
	[ -f /usr/aarch64-linux-gnu/lib/libc.a ] && [ -d /usr/lib/gcc-cross/aarch64-linux-gnu ] || {
		echo "$0: no arm64 C library to build the test with: apt-get install libc6-dev-arm64-cross libgcc-12-dev-arm64-cross" >&2
		exit 2
	}
	command -v qemu-aarch64-static >/dev/null || { echo "$0: no qemu-aarch64-static: apt-get install qemu-user-static" >&2; exit 2; }
	target="--target=aarch64-linux-gnu -fuse-ld=lld -static"
	run=qemu-aarch64-static
	[ -z "$loader" ] || { echo "$0: the loader runs x86-64 programs only; testing the arm64 image without it" >&2; loader=""; }
fi
host=$root/kernel-vdso/host
# shellcheck disable=SC2086 # $target is a list of flags
"$CC" $target -std=gnu11 -O2 -g -Wall -Wextra -Werror -pthread \
	-I"$out" -I"$root/kernel-vdso/include" -I"$host" \
	"$root/Tests/getrandom/test.c" "$out/vdso-image.c" "$host/elf_lookup.c" "$host/rng.c" \
	-o "$out/getrandom-test"

if [ -z "$loader" ]; then
	exec $run "$out/getrandom-test"
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
