#!/bin/sh
# Build the freestanding per-architecture vDSO harness against an emitted
# image and run it (qemu-<arch>-static, or natively where the CPU runs it).
#
#   Tests/arch/run.sh ARCH OUT_DIR
#
# ARCH: aarch64, riscv64, i386 or arm.  OUT_DIR holds vdso-image.c and
# vdso-image.h (vdsogen build -o OUT_DIR).  The binary is OUT_DIR/arch-harness.
# Env: CC (default /opt/swift/usr/bin/clang, else clang), QEMU (override the
# emulator; "none" runs the binary directly).
set -eu

usage() { echo "usage: $0 aarch64|riscv64|i386|arm OUT_DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
arch=$1
out=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
here=$root/Tests/arch

case $arch in
aarch64) target=aarch64-linux-gnu; flags=""; qemu=qemu-aarch64-static ;;
riscv64) target=riscv64-linux-gnu; flags="-march=rv64gc -mno-relax"; qemu=qemu-riscv64-static ;;
arm)     target=armv7a-linux-gnueabi; flags="-marm -march=armv7-a -mfloat-abi=soft"; qemu=qemu-arm-static ;;
i386)    target=i386-linux-gnu; flags="-march=i686 -msse2"; qemu=qemu-i386-static ;;
*) usage ;;
esac

for f in vdso-image.c vdso-image.h; do
	[ -f "$out/$f" ] || { echo "$0: no $out/$f (build the image with vdsogen build -o $out)" >&2; exit 2; }
done
if [ -z "${CC:-}" ]; then
	if [ -x /opt/swift/usr/bin/clang ]; then CC=/opt/swift/usr/bin/clang; else CC=clang; fi
fi

# shellcheck disable=SC2086
"$CC" --target=$target $flags -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fno-builtin -nostdlib -static -fno-pie -fuse-ld=lld -fno-stack-protector \
	-DARCH_HEADER="\"$arch.h\"" -I"$here" -I"$here/include" -I"$out" \
	-I"$root/kernel-vdso/include" -I"$root/kernel-vdso/host" \
	"$here/harness.c" "$root/kernel-vdso/host/elf_lookup.c" "$out/vdso-image.c" \
	-o "$out/arch-harness"

# i386 runs natively when the kernel has IA32 emulation; the others (and
# i386 without it) under Debian's qemu-user-static.
if [ -n "${QEMU:-}" ]; then
	qemu=$QEMU
elif [ "$arch" = i386 ] && [ "$(uname -m)" = x86_64 ] && "$out/arch-harness" --probe >/dev/null 2>&1; then
	qemu=none
fi
if [ "$qemu" = none ]; then
	exec "$out/arch-harness"
fi
command -v "$qemu" >/dev/null 2>&1 || {
	echo "$0: $qemu not found: apt-get install qemu-user-static" >&2
	exit 2
}
exec "$qemu" "$out/arch-harness"
