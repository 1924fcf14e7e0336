#!/bin/sh
# Tests/dist/test.sh OUT — `make dist`'s archive as a C-only repository meets it: made twice (the
# same bytes), unpacked into an empty directory, and run with a PATH that has no Swift; vdsogen
# links against nothing but the C library (a static executable), and checks, inspects, emits,
# builds (with the user's own clang and ld.lld) and runs a program under the image it built.
set -eu
OUT=$(cd "$1" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
pass=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
fail() { echo "not ok - $*"; exit 1; }

a=$(Tests/dist/make-dist.sh "$OUT")
sum1=$(sha256sum "$a" | cut -d' ' -f1)
b=$(Tests/dist/make-dist.sh "$OUT")
sum2=$(sha256sum "$b" | cut -d' ' -f1)
[ "$a" = "$b" ] && [ "$sum1" = "$sum2" ] && ok "make dist is reproducible ($(basename "$a"), sha256 $sum1)" || fail "two archives differ"

empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
tar -C "$empty" -xzf "$a"
dist=$(echo "$empty"/vdsogen-*)
bin=$dist/bin/vdsogen
# What a user without Swift has: the system's directories only.
nopath=/usr/local/bin:/usr/bin:/bin
env -i PATH=$nopath sh -c 'command -v swift swiftc' >/dev/null 2>&1 && fail "swift is on the system PATH: the test cannot show the archive does without it"
ldd_out=$(ldd "$bin" 2>&1 || true)
case $ldd_out in
*"not a dynamic executable"*|*"statically linked"*) ok "vdsogen is a static executable: $ldd_out" ;;
*)
	others=$(echo "$ldd_out" | grep -v -E 'linux-vdso|ld-linux|libc\.so|libm\.so|libpthread\.so|libdl\.so|librt\.so' || true)
	[ -z "$others" ] && ok "vdsogen needs only the C library" || fail "vdsogen needs more than the C library: $others"
	;;
esac
# A build-id, so that a build's key names this vdsogen without reading its bytes (ToolIdentity).
readelf -n "$bin" | grep -q 'Build ID' && ok "vdsogen carries a GNU build-id" || fail "vdsogen has no build-id: a no-op build would hash the whole executable"
work=$empty/work
mkdir "$work"
cd "$work"
run() { env -i PATH=$nopath HOME="$work" "$@"; }
run "$bin" --version >/dev/null && ok "vdsogen --version runs from the archive"
run "$bin" check --running --profile linux --skip dwarf --quiet && ok "check --running"
share=$dist/share/vdsogen
# The user's own LLVM (a C-only repository has one): named, not on PATH.
llvm=$(dirname "$(readlink -f "$(command -v clang)")")
run CLANG="$llvm/clang" LD_LLD="$llvm/ld.lld" OBJCOPY="$llvm/llvm-objcopy" \
	"$bin" build "$share/kernel-vdso/arch/x86_64/vdso.toml" -o out -q && ok "build of the shipped default sources"
run "$bin" check --debug out/vdso.so.dbg out/vdso.so --quiet && ok "check of the image it built"
run "$bin" inspect out/vdso.so >/dev/null && ok "inspect"
run "$bin" emit --debug out/vdso.so.dbg out/vdso.so --header h.h --source c.c && [ -s h.h ] && [ -s c.c ] && ok "emit"
shifted=$(run "$bin" run --image out/vdso.so --realtime-offset 365d -- /bin/date -u +%Y)
[ "$shifted" -gt "$(date -u +%Y)" ] && ok "run, with the archive's vdso-run: a year ahead ($shifted)"
# run --kernel-side finds the driver and the header in the archive's lib/vdso-run (a kernel side
# that serves vdsogen-1 and leaves the page zeroed, for a program that reads no clock).
printf '#include <vdso/kernel_side.h>\nconst char vdso_kernel_side_abi[] = "vdsogen-1";\nconst unsigned vdso_kernel_side_pages = 1;\nint vdso_kernel_side_init(void *a, size_t l, const struct vdso_kernel_side_info *i) { (void)a; (void)l; (void)i; return 0; }\nvoid vdso_kernel_side_update(void *a, size_t l, const struct vdso_kernel_side_info *i) { (void)a; (void)l; (void)i; }\n' > "$work/k.c"
run CLANG="$llvm/clang" "$bin" run --image out/vdso.so --kernel-side "$work/k.c" -- /bin/true \
	&& ok "run --kernel-side, with the archive's driver and header" || fail "run --kernel-side from the archive"
# An i386 program under an i386 image built from the archive's sources: vdso-run32 is shipped.
printf '#include <stdio.h>\n#include <time.h>\nint main(void) { printf("%%ld\\n", (long)time(0)); return 0; }\n' > "$work/t32.c"
gcc -m32 -static -O2 "$work/t32.c" -o "$work/t32"
run CLANG="$llvm/clang" LD_LLD="$llvm/ld.lld" OBJCOPY="$llvm/llvm-objcopy" \
	"$bin" build "$share/kernel-vdso/arch/i386/vdso.toml" -o out32 -q
t32=$(run "$bin" run --image out32/vdso.so --realtime-offset 1d -- "$work/t32")
[ $((t32 - $(date +%s))) -gt 86000 ] && ok "run of an i386 program with the archive's vdso-run32: a day ahead" || fail "i386 run: $t32"
# An aarch64 program under qemu-user with an aarch64 image from the archive's sources: vdso-run-aarch64 is shipped.
aarch64-linux-gnu-gcc -static -O2 "$work/t32.c" -o "$work/t64a"
run CLANG="$llvm/clang" LD_LLD="$llvm/ld.lld" OBJCOPY="$llvm/llvm-objcopy" \
	"$bin" build "$share/kernel-vdso/arch/aarch64/vdso.toml" -o outa -q
ta=$(run "$bin" run --image outa/vdso.so --realtime-offset 1d -- "$work/t64a")
[ $((ta - $(date +%s))) -gt 86000 ] && ok "run of an aarch64 program with the archive's vdso-run-aarch64: a day ahead" || fail "aarch64 run: $ta"
MANPATH=$dist/share/man man -w vdsogen-manifest >/dev/null 2>&1 || [ -f "$dist/share/man/man5/vdsogen-manifest.5" ] && ok "man pages in share/man"
echo "$pass passed, 0 failed"
