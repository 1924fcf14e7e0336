#!/bin/sh
# Linux's own vDSO selftests (tools/testing/selftests/vDSO), built unmodified from the sources of
# Debian's linux-source package and run under `vdsogen run` with our image in place of the kernel's.
#
#   Tests/selftests/run.sh VDSOGEN IMAGE_X86_64 [IMAGE_I386 [IMAGE_AARCH64]]
#
# The aarch64 suite is cross-built with aarch64-linux-gnu-gcc and runs under qemu-user (vdsogen run
# hands a foreign program to qemu-aarch64-static and vdso-run-aarch64).
#
# Environment: VDSOGEN_SELFTESTS_CACHE (where the sources are extracted and the tests built;
# default ~/.cache/vdsogen/selftests), LINUX_SOURCE (the tarball; default the newest
# /usr/src/linux-source-*.tar.xz), CC (default gcc).
# Prints one line per test (ok / FAIL / not run, with why) and "N passed, M failed, K not run";
# exits 1 if any test failed or could not be built.
set -u
VDSOGEN=${1:?usage: run.sh VDSOGEN IMAGE_X86_64 [IMAGE_I386]}
IMAGE64=${2:?usage: run.sh VDSOGEN IMAGE_X86_64 [IMAGE_I386]}
IMAGE32=${3:-}
IMAGEA64=${4:-}
CC=${CC:-gcc}
CACHE=${VDSOGEN_SELFTESTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vdsogen/selftests}

TARBALL=${LINUX_SOURCE:-$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -1)}
[ -f "$TARBALL" ] || { echo "${TARBALL:-/usr/src/linux-source-*.tar.xz}: no such file; run make deps-selftests (as root), which installs the Debian package linux-source-6.12" >&2; exit 2; }
NAME=$(basename "$TARBALL" .tar.xz)
SRC=$CACHE/$NAME

# Only the vDSO selftests and the headers they include: tools/include (getrandom, chacha), the
# kernel's include/ and arch/x86/include (the chacha assembly and its linkage macros). The flags
# are those of vDSO/Makefile and lib.mk (-std=gnu99 -O2 -D_GNU_SOURCE=), with the package headers
# in /usr/include standing for the kernel's `make headers_install` (KHDR_INCLUDES).
if [ ! -f "$SRC/.extracted" ]; then
	echo "  TAR     $NAME (vDSO selftests and their headers) into $CACHE"
	mkdir -p "$CACHE" && rm -rf "$SRC" || exit 2
	tar -xJf "$TARBALL" -C "$CACHE" \
		"$NAME/tools/testing/selftests/vDSO" "$NAME/tools/testing/selftests/kselftest.h" \
		"$NAME/tools/include" "$NAME/include" "$NAME/arch/x86/include" \
		"$NAME/arch/x86/entry/vdso/vgetrandom-chacha.S" || exit 2
	touch "$SRC/.extracted"
fi
# The aarch64 build's own headers and ChaCha20 (vgetrandom-chacha.S includes arm64's), added once.
if [ -n "$IMAGEA64" ] && [ ! -f "$SRC/.extracted-arm64" ]; then
	tar -xJf "$TARBALL" -C "$CACHE" "$NAME/arch/arm64/include" \
		"$NAME/arch/arm64/kernel/vdso/vgetrandom-chacha.S" && touch "$SRC/.extracted-arm64" || exit 2
fi
T=$SRC/tools/testing/selftests/vDSO

passed=0 failed=0 notrun=0
log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT

# build ARCH TEST -> 0 if $BIN/TEST was built; the flags are those of the selftests' Makefile.
build() {
	arch=$1 t=$2 m=-m64 extra= cc=$CC srcarch=x86
	[ "$arch" = aarch64 ] && m= cc=aarch64-linux-gnu-gcc srcarch=arm64
	# i386 (CONFIG_X86_32's -lgcc_s): the uapi <asm/*.h> are the x86-64 package's, which serve
	# both (#ifdef __i386__); after every other directory so that glibc's i386 headers win.
	[ "$arch" = i386 ] && m=-m32 && extra="-lgcc_s -idirafter /usr/include/x86_64-linux-gnu"
	srcs="$T/$t.c"
	case $t in
	vdso_test_gettimeofday|vdso_test_getcpu|vdso_test_abi) srcs="$srcs $T/parse_vdso.c" ;;
	vdso_standalone_test_x86)
		srcs="$srcs $T/parse_vdso.c"
		extra="$extra -nostdlib -fno-asynchronous-unwind-tables -fno-stack-protector" ;;
	vdso_test_correctness) extra="$extra -ldl" ;;
	vdso_test_getrandom)
		srcs="$srcs $T/parse_vdso.c"
		extra="$extra -isystem $SRC/tools/include -isystem $SRC/include/uapi" ;;
	vdso_test_chacha)
		srcs="$srcs $T/vgetrandom-chacha.S"
		extra="$extra -idirafter $SRC/tools/include -idirafter $SRC/tools/include/generated"
		extra="$extra -idirafter $SRC/arch/$srcarch/include -idirafter $SRC/include -Wa,--noexecstack" ;;
	esac
	# shellcheck disable=SC2086 # word splitting of the flag lists is meant
	$cc -std=gnu99 -O2 -D_GNU_SOURCE= $m $srcs $extra -o "$BIN/$t" >"$log" 2>&1
}

report() {	# report STATUS NAME [WHY]
	case $1 in
	ok) passed=$((passed + 1)); echo "ok       $2" ;;
	FAIL) failed=$((failed + 1)); echo "FAIL     $2${3:+: $3}" ;;
	*) notrun=$((notrun + 1)); echo "not run  $2${3:+: $3}" ;;
	esac
}

# The last line of a failing test's output that says why (kselftest's "not ok", "[FAIL]", ...).
why() { grep -E '\[FAIL\]|^not ok|Bail out|rror:' "$log" | head -1 | cut -c1-120; }

suite() {	# suite ARCH IMAGE
	arch=$1 image=$2
	BIN=$CACHE/bin/$arch
	mkdir -p "$BIN" || exit 2
	tests="vdso_test_gettimeofday vdso_test_getcpu vdso_test_abi vdso_test_clock_getres
	       vdso_standalone_test_x86 vdso_test_correctness vdso_test_getrandom vdso_test_chacha"
	for t in $tests; do
		n="$arch/$t"
		[ "$arch/$t" = aarch64/vdso_standalone_test_x86 ] && continue	# x86 only, as upstream
		if ! build "$arch" "$t"; then
			# getrandom/chacha have no i386 vDSO function in Linux: not built there, as upstream.
			case $arch/$t in
			i386/vdso_test_chacha) report skip "$n" "no i386 ChaCha20 in Linux's vDSO" ;;
			*) report FAIL "$n" "does not build: $(grep -m1 -E 'error' "$log" | cut -c1-100)" ;;
			esac
			continue
		fi
		if [ -z "$image" ]; then
			report skip "$n" "no $arch image given"
			continue
		fi
		# vdso_test_getrandom ptraces a child of its own (PTRACE_TRACEME), which a process that
		# `run` already traces to follow exec cannot do (one tracer a process); it execs nothing.
		own=
		[ "$t" = vdso_test_getrandom ] && own=--no-follow-exec
		# shellcheck disable=SC2086 # SELFTEST_RUN_ARGS: extra `run` options, e.g. --clock-mode none
		"$VDSOGEN" run --image "$image" $own ${SELFTEST_RUN_ARGS:-} -- "$BIN/$t" >"$log" 2>&1
		rc=$?
		if [ $rc = 0 ]; then
			report ok "$n${own:+ ($own)}"
		elif [ $rc = 4 ] && grep -q 'SKIP' "$log"; then	# kselftest's KSFT_SKIP
			report skip "$n" "the test skips: $(grep -m1 SKIP "$log" | cut -c1-100)"
		elif [ "$arch/$t/$rc" = aarch64/vdso_test_getcpu/4 ] && grep -q 'Could not find __kernel_getcpu' "$log"; then
			report skip "$n" "the test skips: no __kernel_getcpu (arm64's vDSO has none, as in Linux)"
		elif [ "$arch/$t" = aarch64/vdso_test_getrandom ] && grep -q 'Assertion failed: state' "$log"; then
			# Its states are mmap'd with vgetrandom's MAP_DROPPABLE, which qemu-user 7.2 rejects (EINVAL).
			report skip "$n" "qemu-user cannot mmap its states (MAP_DROPPABLE): $(why)"
		elif grep -q 'vdso-run:\|vdsogen:' "$log" && ! grep -q '^\[\|^ok\|^not ok\|^TAP' "$log"; then
			# `run` itself refused before the test started (e.g. a machine it does not run yet).
			report skip "$n" "vdsogen run cannot run it: $(grep -m1 'vdso-run:\|vdsogen:' "$log" | cut -c1-100)"
		else
			report FAIL "$n" "exit $rc: $(why)"
		fi
	done
}

suite x86_64 "$IMAGE64"
suite i386 "$IMAGE32"
[ -n "$IMAGEA64" ] && suite aarch64 "$IMAGEA64"
echo "$passed passed, $failed failed, $notrun not run"
[ "$failed" = 0 ]
