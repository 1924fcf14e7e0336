#!/bin/sh
# How often a selftest fails: runs it N times under `vdsogen run` and prints "F of N failed"
# (and each distinct failure line with its count). For the coarse clocks' race (Docs/run.md):
#
#   Tests/selftests/repeat.sh VDSOGEN IMAGE 100 vdso_test_correctness [RUN OPTIONS...]
#
# The test binary is taken from the cache `make test-selftests` builds into (VDSOGEN_SELFTESTS_CACHE).
set -u
VDSOGEN=${1:?usage: repeat.sh VDSOGEN IMAGE N TEST [RUN OPTIONS...]}
IMAGE=${2:?}
N=${3:?}
TEST=${4:?}
shift 4
CACHE=${VDSOGEN_SELFTESTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vdsogen/selftests}
# SELFTEST_ARCH=aarch64 (or i386): that build of the test.
BIN=$CACHE/bin/${SELFTEST_ARCH:-x86_64}/$TEST
[ -x "$BIN" ] || { echo "$BIN: not built; run make test-selftests first" >&2; exit 2; }
fails=$(mktemp) || exit 2
trap 'rm -f "$fails"' EXIT
f=0 i=0
while [ $i -lt "$N" ]; do
	i=$((i + 1))
	if ! out=$("$VDSOGEN" run --image "$IMAGE" "$@" -- "$BIN" 2>&1); then
		f=$((f + 1))
		# The failing clock: the [RUN] line before the first [FAIL].
		printf "%s\n" "$out" | awk '/^\[RUN\]/ { r = $0 } /^\[FAIL\]/ { print r; exit }' >>"$fails"
	fi
done
echo "$f of $N failed${*:+ (run $*)}"
sort "$fails" | uniq -c | sed 's/^/  /'
