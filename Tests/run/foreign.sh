#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Tests/run/foreign.sh VDSOGEN OUT [ARCH...]
#
# Programs of another architecture under `vdsogen run`: each ARCH's (default: aarch64 riscv64) glibc
# dynamic and static C programs (Tests/run/foreign-clock.c, Debian's cross gcc) and a Go program
# (Tests/run/go-clock.go, GOARCH=...), run through qemu-user with OUT/ARCH/vdso.so as their vDSO
# by vdso-run-ARCH. Each must see --realtime-offset 1d (against this machine's `date +%s`), find
# the image's bytes at AT_SYSINFO_EHDR, and read a CLOCK_MONOTONIC from the vDSO that never goes
# back and stays within 5 ms of the system call (offset or not). TAP-like lines, then exactly
# "P passed, F failed"; exit 0 only if nothing failed. A skip (no cross compiler, no qemu) fails
# under CI=true, as in run-tests.sh: `make deps` installs them.

set -u

if [ $# -lt 2 ]; then
	echo "usage: $0 VDSOGEN OUT [ARCH...]" >&2
	exit 2
fi
VDSOGEN=$(realpath "$1")
OUT=$(realpath "$2")
shift 2
ARCHES=${*:-aarch64 riscv64}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vdso-foreign.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
GO=${GO:-go}
DAY=86400

n=0
passed=0
failed=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
skip() {
	if [ "${CI:-}" = true ]; then
		notok "skipped under CI=true: $* (make deps installs what the tests need)"
	else
		n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - # SKIP $*"
	fi
}
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		notok "$desc"
		[ -n "$out" ] && sed 's/^/# /' <<<"$out"
	fi
}
near() { local d=$(($1 - $2)); [ "${d#-}" -le "$3" ]; }

# The cross compiler, qemu and Go's name for each architecture.
cross_cc() { case $1 in aarch64) echo aarch64-linux-gnu-gcc ;; riscv64) echo riscv64-linux-gnu-gcc ;; esac; }
qemu_of() { echo "qemu-$1-static"; }
cross_pkgs() { case $1 in aarch64) echo gcc-aarch64-linux-gnu libc6-dev-arm64-cross ;; riscv64) echo gcc-riscv64-linux-gnu libc6-dev-riscv64-cross ;; esac; }
goarch_of() { case $1 in aarch64) echo arm64 ;; riscv64) echo riscv64 ;; esac; }

# t_time IMAGE PROG: clock_gettime, gettimeofday and time all a day ahead of this machine's clock.
t_time() {
	local base got
	base=$(date +%s)
	got=$("$VDSOGEN" run --image "$1" --realtime-offset 1d -- "$2" time) || { echo "exit $?: $got"; return 1; }
	[ "$(wc -w <<<"$got")" -eq 3 ] || { echo "output: '$got'"; return 1; }
	for v in $got; do
		near "$v" $((base + DAY)) 3 || { echo "$2 time: $got; date +%s + 1d: $((base + DAY))"; return 1; }
	done
}

# t_image IMAGE PROG: the bytes at AT_SYSINFO_EHDR are the image file's.
t_image() {
	local got
	got=$("$VDSOGEN" run --image "$1" -- "$2" image "$1") || { echo "$got"; return 1; }
	[[ $got == "same $(stat -c %s "$1") bytes" ]] || { echo "$got"; return 1; }
}

# t_mono IMAGE PROG OFFSET_S: monotonic, near the system call shifted by OFFSET_S.
t_mono() {
	local got
	got=$("$VDSOGEN" run --image "$1" --monotonic-offset "$3" -- "$2" mono "$3") || { echo "$got"; return 1; }
	echo "$got"
}

# t_order IMAGE PROG RT_S MONO_S: syscall (+ offset) <= vDSO <= syscall (+ offset), 3000 times a clock.
t_order() {
	local got
	got=$("$VDSOGEN" run --image "$1" --realtime-offset "$3" --monotonic-offset "$4" -- "$2" order 3000 "$3" "$4") ||
		{ echo "$got"; return 1; }
	echo "$got"
}

# t_go IMAGE PROG: Go's time.Now (its own vDSO lookup, no libc) a day ahead.
t_go() {
	local base got
	base=$(date +%s)
	got=$("$VDSOGEN" run --image "$1" --realtime-offset 1d -- "$2") || { echo "exit $?: $got"; return 1; }
	near "$got" $((base + DAY)) 3 || { echo "Go time.Now().Unix(): $got; date +%s + 1d: $((base + DAY))"; return 1; }
}

# A Go without the fix for golang/go#62309 (Debian 12's 1.19) looks __kernel_clock_gettime up in
# DT_GNU_HASH with a wrong hash (0x6e43a318), so it finds it only through DT_HASH: its check then
# uses the image linked --hash-style=sysv.
go_wrong_arm64_hash() { grep -q 0x6e43a318 "$("$GO" env GOROOT)/src/runtime/vdso_linux_arm64.go" 2>/dev/null; }

for arch in $ARCHES; do
	image=$OUT/$arch/vdso.so cc=$(cross_cc "$arch") qemu=$(qemu_of "$arch")
	if [ ! -f "$image" ]; then
		skip "$arch: no image at $image (make arches builds it)"
		continue
	fi
	if ! command -v "$qemu" >/dev/null; then
		skip "$arch: no $qemu (apt-get install qemu-user-static)"
		continue
	fi
	if ! "$cc" -O2 -o "$WORK/$arch-dyn" "$HERE/foreign-clock.c" 2>"$WORK/cc.log" ||
		! "$cc" -O2 -static -o "$WORK/$arch-static" "$HERE/foreign-clock.c" 2>>"$WORK/cc.log"; then
		skip "$arch: cannot build with $cc (apt-get install $(cross_pkgs "$arch")): $(head -1 "$WORK/cc.log")"
		continue
	fi
	for kind in dyn static; do
		prog=$WORK/$arch-$kind
		what="$arch glibc $([ $kind = dyn ] && echo dynamic || echo static)"
		check "$what: clock_gettime, gettimeofday, time see --realtime-offset 1d" t_time "$image" "$prog"
		check "$what: the bytes at AT_SYSINFO_EHDR are $arch/vdso.so's" t_image "$image" "$prog"
		check "$what: vDSO CLOCK_MONOTONIC monotonic, within 5 ms of the system call" t_mono "$image" "$prog" 0
		check "$what: vDSO CLOCK_MONOTONIC with --monotonic-offset 3600 is the system call's + 1 h" \
			t_mono "$image" "$prog" 3600
		# aarch64's counter is qemu's REALTIME in microseconds, mapped exactly (qemu_counter.c).
		[ "$arch" = aarch64 ] || continue
		check "$what: system call <= vDSO <= system call, REALTIME MONOTONIC BOOTTIME TAI" \
			t_order "$image" "$prog" 0 0
		check "$what: the same with --realtime-offset 86400 --monotonic-offset 3600" \
			t_order "$image" "$prog" 86400 3600
	done

	# The program's exit status is run's; --verbose says once that exec is not followed.
	"$VDSOGEN" run --image "$image" -- "$WORK/$arch-dyn" exit 7 >/dev/null 2>&1
	rc=$?
	[ $rc = 7 ] && ok "$arch: the program's exit status (7) is run's" || notok "$arch: exit status $rc, not 7"
	v=$("$VDSOGEN" run --verbose --image "$image" -- "$WORK/$arch-dyn" exit 0 2>&1 >/dev/null)
	[ "$(grep -c 'execs are not followed' <<<"$v")" = 1 ] && grep -q "AT_SYSINFO_EHDR" <<<"$v" &&
		ok "$arch: --verbose says once that the program's execs are not followed under qemu-user" ||
		{ notok "$arch: --verbose lines"; sed 's/^/# /' <<<"$v"; }

	# An image of another architecture is refused in one line, exit 2, before qemu starts.
	err=$("$VDSOGEN" run --image "$OUT/vdso.so" -- "$WORK/$arch-dyn" time 2>&1)
	rc=$?
	[ $rc = 2 ] && [ "$(wc -l <<<"$err")" = 1 ] && grep -q "$arch program, but the image .* is x86-64" <<<"$err" &&
		ok "$arch program with the x86-64 image: refused in one line, exit 2" ||
		{ notok "$arch program with the x86-64 image: exit $rc"; sed 's/^/# /' <<<"$err"; }

	# Two 64-bit images (the x86-64 one and this one): refused in one line, exit 2.
	err=$("$VDSOGEN" run --image "$OUT/vdso.so" --image "$image" -- "$WORK/$arch-dyn" time 2>&1)
	rc=$?
	[ $rc = 2 ] && [ "$(wc -l <<<"$err")" = 1 ] && grep -q "a second 64-bit image" <<<"$err" &&
		ok "$arch: the x86-64 image and the $arch one together: refused in one line, exit 2" ||
		{ notok "$arch: two 64-bit images: exit $rc"; sed 's/^/# /' <<<"$err"; }

	goarch=$(goarch_of "$arch")
	if ! command -v "$GO" >/dev/null; then
		skip "$arch: no go (apt-get install golang-go)"
	elif ! (cd "$WORK" && GOARCH=$goarch CGO_ENABLED=0 GOFLAGS= "$GO" build -o "$WORK/$arch-go" "$HERE/go-clock.go") \
		2>"$WORK/go.log"; then
		notok "$arch: GOARCH=$goarch go build: $(head -1 "$WORK/go.log")"
	else
		goimage=$image note=""
		if [ "$arch" = aarch64 ] && go_wrong_arm64_hash; then
			goimage=$WORK/sysv/vdso.so note=" (image linked --hash-style=sysv: this Go has golang/go#62309)"
			"$VDSOGEN" build "$HERE/../../kernel-vdso/arch/aarch64/vdso.toml" --ldflag --hash-style=sysv \
				--output-dir "$WORK/sysv" --quiet || notok "$arch: building the --hash-style=sysv image"
		fi
		check "$arch Go: time.Now sees --realtime-offset 1d$note" t_go "$goimage" "$WORK/$arch-go"
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
