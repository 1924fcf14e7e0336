#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Tests/ci/fresh-machine.sh LOADER IMAGE
#
# What a user meets running the README's `make` then `make test` on a new machine, and in CI:
#  1. every package a test's skip message asks for is one `make deps` installs;
#  2. `make deps` on a machine with none of them installs the consumer runtimes (musl, Go, ...);
#  3. a consumer test that would be skipped fails the run under CI=true, and only skips without.
# Prints "ok N - ..." / "not ok N - ...", then "P passed, F failed"; exit 0 only if none failed.
set -u
if [ $# -ne 2 ]; then echo "usage: $0 LOADER IMAGE" >&2; exit 2; fi
root=$(cd "$(dirname "$0")/../.." && pwd)
LOADER=$1
IMAGE=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/vdso-fresh.XXXXXX")
trap 'rm -rf "$work"' EXIT
n=0 passed=0 failed=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() { local d=$1 out; shift; if out=$("$@" 2>&1); then ok "$d"; else notok "$d"; sed 's/^/# /' <<<"$out"; fi; }

packages=$(make -s -C "$root" --no-print-directory print-apt-packages)

t_skip_packages_installed() {
	local wanted p bad=0
	wanted=$(grep -rhoE 'apt-get install( -y)?( [a-z0-9][a-z0-9.+-]*)+' "$root"/Tests/*/*.sh | sed -E 's/apt-get install( -y)?//' | tr ' ' '\n' | sed '/^$/d' | sort -u)
	[ -n "$wanted" ] || { echo "no skip message names a package: the grep is wrong"; return 1; }
	for p in $wanted; do
		grep -qx -- "$p" <<<"$packages" || { echo "a test asks for apt-get install $p; Makefile APT_PACKAGES lacks it"; bad=1; }
	done
	return $bad
}
check "every package a test's message asks for is in Makefile APT_PACKAGES" t_skip_packages_installed

# A fresh Debian machine, as root: dpkg knows no package and PATH has none of the runtimes.
t_make_deps_installs() {
	local shim=$work/shim c
	mkdir -p "$shim"
	for c in bash sh grep sed id cat dirname realpath git date; do
		ln -sf "$(command -v $c)" "$shim/$c" 2>/dev/null
	done
	printf '#!/bin/sh\nexit 1\n' >"$shim/dpkg-query"
	printf '#!/bin/sh\necho "$@" >>"%s/apt.log"\n' "$work" >"$shim/apt-get"
	printf '#!/bin/sh\necho 0\n' >"$shim/id"
	chmod +x "$shim"/dpkg-query "$shim"/apt-get "$shim"/id
	# deps goes on to look for swift, which this PATH lacks: only what it asked apt for counts.
	PATH=$shim "$(command -v make)" -s -C "$root" --no-print-directory deps >/dev/null 2>&1
	[ -f "$work/apt.log" ] || { echo "make deps ran no apt-get"; return 1; }
	for c in musl-tools golang-go rustc python3 libc6-dev mandoc libelf-dev qemu-user-static binutils-s390x-linux-gnu; do
		grep -q "install.* $c\b" "$work/apt.log" || { echo "make deps did not install $c: $(cat "$work/apt.log")"; return 1; }
	done
}
check "make deps on a fresh machine installs musl-tools, golang-go, rustc, python3, ..." t_make_deps_installs

# The consumer tests with musl, Go and Rust missing, as on a machine that never ran make deps.
consumers_missing() { MUSL_CC=no-such-musl-gcc GO=no-such-go RUSTC=no-such-rustc "$root/Tests/run/run-tests.sh" "$LOADER" "$IMAGE"; }
t_ci_fails() {
	local out rc
	out=$(CI=true consumers_missing 2>&1); rc=$?
	[ $rc -ne 0 ] || { echo "exit 0 under CI=true with musl, Go and Rust missing"; return 1; }
	for c in musl-gcc go rustc; do
		grep -q "^not ok .*skipped under CI=true: $c not found" <<<"$out" || { echo "no failure for $c:"; grep -i "$c" <<<"$out"; return 1; }
	done
}
check "under CI=true a consumer test that would be skipped (musl, Go, Rust) fails the run" t_ci_fails
t_local_skips() {
	local out rc
	out=$(CI= consumers_missing 2>&1); rc=$?
	[ $rc -eq 0 ] || { echo "exit $rc without CI:"; grep '^not ok' <<<"$out"; return 1; }
	grep -q "^ok .* # SKIP musl-gcc not found" <<<"$out" || { echo "no SKIP line for musl"; return 1; }
}
check "without CI the same run skips them and passes" t_local_skips

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
