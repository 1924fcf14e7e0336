#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Tests/run/run-tests.sh LOADER IMAGE
#
# Runs unmodified programs under LOADER (vdso-run) with IMAGE as their vDSO.
# Prints "ok N - ..." / "not ok N - ..." (TAP-like; skipped checks print
# "ok N - # SKIP reason"), then exactly "P passed, F failed".  Exit 0 only if
# nothing failed.  Needs clang; musl-gcc, go and rustc are used when present,
# and their absence fails the run under CI=true.
# CC, MUSL_CC, GO, RUSTC may be overridden.

set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 LOADER IMAGE" >&2
	exit 2
fi
LOADER=$(realpath "$1")
IMAGE=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vdso-run-tests.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
CC=${CC:-clang}
# FOLLOW_EXEC=seccomp (or event, the default): every run follows exec that way (--follow-exec=MODE).
FOLLOW=${FOLLOW_EXEC:+--follow-exec=$FOLLOW_EXEC}
MUSL_CC=${MUSL_CC:-musl-gcc}
GO=${GO:-go}
RUSTC=${RUSTC:-rustc}

n=0
passed=0
failed=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
# skip REASON: a check that cannot run for want of a tool or package. Under CI=true (GitHub
# Actions, GitLab and most CI set it) that is a failure: `make deps` installs everything named.
skip() {
	if [ "${CI:-}" = true ]; then
		notok "skipped under CI=true: $* (make deps installs what the tests need)"
	else
		n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - # SKIP $*"
	fi
}
# unavailable REASON: a check this host's kernel or CPU cannot run; no package changes that.
unavailable() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - # SKIP $*"; }
diag() { sed 's/^/# /' <<<"$*"; }

# check DESCRIPTION FUNCTION [ARGS]: the function returns 0 for ok; what it
# prints is shown (as # lines) only on failure.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		notok "$desc"
		[ -n "$out" ] && diag "$out"
	fi
}

run() { "$LOADER" $FOLLOW --image "$IMAGE" "$@"; }
# |a - b| <= tol
near() { local d=$(($1 - $2)); [ "${d#-}" -le "$3" ]; }
now() { date +%s; }

# cc OUT SOURCE FLAGS...: clang with the default linker, else with lld.
cc() {
	local out=$1 src=$2
	shift 2
	"$CC" -O2 -g "$@" -o "$out" "$src" 2>"$WORK/cc.log" ||
		"$CC" -O2 -g -fuse-ld=lld "$@" -o "$out" "$src" 2>>"$WORK/cc.log"
}

# The real interpreter, not a pyenv-style shim script (a shim execs python,
# and an exec'd program gets the kernel's vDSO again).
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null || true)
DATE=$(command -v date)
DAY=86400

# ---- build the test programs ----
cc "$WORK/clocks" "$HERE/clocks.c" || { echo "cannot build clocks.c"; cat "$WORK/cc.log"; }
cc "$WORK/clocks-static" "$HERE/clocks.c" -static || rm -f "$WORK/clocks-static"
cc "$WORK/clocks-static-pie" "$HERE/clocks.c" -static-pie || rm -f "$WORK/clocks-static-pie"
cc "$WORK/phdr" "$HERE/phdr.c"
cc "$WORK/unwind" "$HERE/unwind.c" -rdynamic
cc "$WORK/drift" "$HERE/drift.c"
cc "$WORK/dump-vdso" "$HERE/dump-vdso.c"

# clocks prints "EHDR CLOCK_GETTIME GETTIMEOFDAY TIME"; all three within tol of want.
clocks_near() { # OUTPUT WANT TOL
	local ehdr a b c
	read -r ehdr a b c <<<"$1"
	[ -n "${c:-}" ] && near "$a" "$2" "$3" && near "$b" "$2" "$3" && near "$c" "$2" "$3" || {
		echo "got '$1', want seconds $2 +- $3"
		return 1
	}
}

# ---- 1. glibc, dynamic ----
t_date_offset() {
	local base got
	base=$(now)
	got=$(run --realtime-offset $DAY -- date +%s) || return 1
	near "$got" $((base + DAY)) 2 || { echo "date +%s: $got, kernel $base"; return 1; }
}
check "glibc dynamic: date +%s with --realtime-offset 86400 is one day ahead" t_date_offset

t_date_year() {
	local want got
	want=$(date -d @$(($(now) + 365 * DAY)) +%Y)
	got=$(run --realtime-offset 365d -- date +%Y) || return 1
	[ "$got" = "$want" ] || { echo "date +%Y: $got, want $want"; return 1; }
}
check "glibc dynamic: --realtime-offset 365d -- date +%Y prints next year" t_date_year

t_python_offset() {
	local base got
	base=$(now)
	got=$(run --realtime-offset $DAY -- "$PY" -c 'import time; print(int(time.time()))') || return 1
	near "$got" $((base + DAY)) 2 || { echo "python time.time(): $got, kernel $base"; return 1; }
}
if [ -n "$PY" ]; then
	check "glibc dynamic: python3 time.time() with --realtime-offset 86400 is one day ahead" t_python_offset
else
	skip "python3 not found (apt-get install python3)"
fi

t_clocks() { # PROGRAM [loader options]
	local prog=$1 base got
	shift
	base=$(now)
	got=$(run "$@" -- "$prog") || return 1
	clocks_near "$got" $((base + DAY)) 2
}
check "glibc dynamic: clock_gettime, gettimeofday and time see the offset" t_clocks "$WORK/clocks" --realtime-offset 1d

t_drift() {
	run --realtime-offset 1d -- "$WORK/drift" $DAY
}
check "the writer keeps the page current: vDSO within 1 ms of the kernel for 2 s" t_drift

# ---- 2. glibc, static ----
if [ -x "$WORK/clocks-static" ]; then
	check "glibc static: clock_gettime, gettimeofday and time see the offset" t_clocks "$WORK/clocks-static" --realtime-offset 1d
else
	skip "cannot link a static glibc program here (apt-get install libc6-dev)"
fi
if [ -x "$WORK/clocks-static-pie" ]; then
	check "glibc static-pie: clock_gettime, gettimeofday and time see the offset" t_clocks "$WORK/clocks-static-pie" --realtime-offset 1d
else
	skip "cannot link a static-pie glibc program here (apt-get install libc6-dev)"
fi

# ---- 3. dl_iterate_phdr ----
t_phdr() { run -- "$WORK/phdr"; }
check "dl_iterate_phdr lists linux-vdso.so.1 at AT_SYSINFO_EHDR; the kernel's [vdso] is gone" t_phdr

# ---- 4. unwinding out of the vDSO ----
t_unwind() { timeout 20 "$LOADER" $FOLLOW --image "$IMAGE" -- "$WORK/unwind"; }
check "a backtrace from a SIGPROF handler unwinds from the vDSO into its caller" t_unwind

# ---- 5. --clock-mode none ----
t_none() {
	local base got
	base=$(now)
	got=$(run --clock-mode none -- date +%s) || return 1
	near "$got" "$base" 1 || { echo "date +%s: $got, kernel $base"; return 1; }
	base=$(now)
	got=$(run --clock-mode none -- "$WORK/clocks") || return 1
	clocks_near "$got" "$base" 1
}
check "--clock-mode none: results equal the kernel's" t_none

t_none_offset() {
	# Every hres call is a system call, so the offset does not apply to
	# clock_gettime/gettimeofday.  (time() and the coarse clocks read the
	# page in Linux's own vDSO whatever the clock mode, so it is not checked.)
	local base got ehdr a b c
	base=$(now)
	got=$(run --clock-mode none --realtime-offset 1d -- "$WORK/clocks") || return 1
	read -r ehdr a b c <<<"$got"
	near "${a:-0}" "$base" 1 && near "${b:-0}" "$base" 1 || { echo "got '$got', want $base"; return 1; }
}
check "--clock-mode none: an offset does not apply (system calls only)" t_none_offset

# ---- 6. exit status and signals ----
t_exit() {
	run -- sh -c 'exit 7'
	local rc=$?
	[ $rc -eq 7 ] || { echo "exit status $rc, want 7"; return 1; }
}
check "exit status passes through (sh -c 'exit 7' -> 7)" t_exit

t_signal() {
	run -- sh -c 'kill -TERM $$'
	local rc=$?
	[ $rc -eq 143 ] || { echo "status $rc, want 143 (SIGTERM)"; return 1; }
}
check "signals pass through (sh -c 'kill -TERM \$\$' -> 143)" t_signal

t_subst() {
	local got
	got=$(timeout 10 "$LOADER" $FOLLOW --image "$IMAGE" -- echo hello) || return 1
	[ "$got" = hello ] || { echo "got '$got'"; return 1; }
}
check "\$(vdso-run ... echo hello) returns when the program exits" t_subst

t_wait() {
	timeout 10 "$LOADER" $FOLLOW --image "$IMAGE" -- sh -c 'sleep 0.1 & wait' || { echo "status $?"; return 1; }
}
check "the writer is not the program's child (sh -c 'sleep 0.1 & wait' returns)" t_wait

t_writer_exits() {
	local pid
	pid=$(run --verbose -- true 2>&1 | sed -n 's/.*writer pid \([0-9]*\).*/\1/p')
	[ -n "$pid" ] || { echo "no writer pid in --verbose output"; return 1; }
	for _ in $(seq 50); do
		# Gone, or a zombie waiting for init (its parent) to reap it.
		[ -d /proc/$pid ] || return 0
		grep -q '^State:.*Z' /proc/$pid/status 2>/dev/null && return 0
		sleep 0.1
	done
	echo "writer $pid still running 5 s after the program exited"
	return 1
}
check "the writer process exits with the program" t_writer_exits

t_verbose() {
	local out
	out=$(run --verbose -- date +%s 2>&1 >/dev/null) || return 1
	for w in program interpreter 'data pages' image stack 'clock  '; do
		grep -q "^vdso-run: $w" <<<"$out" || { echo "no '$w' line in:"; echo "$out"; return 1; }
	done
}
check "--verbose prints the mappings and the calibration" t_verbose

# ---- 7. the running kernel's own vDSO image ----
KVDSO=$WORK/kernel-vdso.so
if "$WORK/dump-vdso" "$KVDSO" 2>/dev/null; then
	t_kernel_image() {
		local base got
		base=$(now)
		got=$("$LOADER" $FOLLOW --image "$KVDSO" -- date +%s) || return 1
		near "$got" "$base" 1 || { echo "date +%s: $got, kernel $base"; return 1; }
		base=$(now)
		got=$("$LOADER" $FOLLOW --image "$KVDSO" -- "$WORK/clocks") || return 1
		clocks_near "$got" "$base" 1
	}
	check "the kernel's own vDSO image as --image: date and clocks are right" t_kernel_image
	# The Linux-layout mirror of the data page matches Linux 6.13+ on x86-64.
	kv=$(uname -r | sed 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/')
	if [ "$(uname -m)" = x86_64 ] && read -r kmaj kmin <<<"$kv" && { [ "$kmaj" -gt 6 ] || { [ "$kmaj" -eq 6 ] && [ "$kmin" -ge 13 ]; }; }; then
		t_kernel_image_offset() {
			local base got
			base=$(now)
			got=$("$LOADER" $FOLLOW --image "$KVDSO" --realtime-offset 1d -- "$WORK/clocks") || return 1
			clocks_near "$got" $((base + DAY)) 2
		}
		check "the kernel's own vDSO image sees --realtime-offset (Linux-layout data page)" t_kernel_image_offset
	else
		unavailable "Linux-layout data page is for x86-64 Linux >= 6.13 (running $(uname -r))"
	fi
else
	notok "cannot copy the kernel's vDSO out of /proc/self/maps"
fi

# ---- 8. programs the loader cannot run: one line, exit 2 ----
t_refuse() { # PROGRAM EXPECTED-MESSAGE-PART
	local err rc
	err=$(run -- "$1" 2>&1 >/dev/null)
	rc=$?
	[ $rc -eq 2 ] || { echo "status $rc, want 2; stderr: $err"; return 1; }
	[ "$(wc -l <<<"$err")" -eq 1 ] || { echo "want one line, got: $err"; return 1; }
	grep -q -- "$2" <<<"$err" || { echo "message '$err' lacks '$2'"; return 1; }
}
check "missing program: one line, exit 2" t_refuse no-such-program-vdso-run "not found"
check "missing path: one line, exit 2" t_refuse "$WORK/no/such/file" "No such file"
cp "$HERE/notelf.txt" "$WORK/notelf" && chmod +x "$WORK/notelf"
check "not an ELF file: one line, exit 2" t_refuse "$WORK/notelf" "not an ELF"
echo 'int f(void) { return 1; }' >"$WORK/f.c"
if "$CC" --target=aarch64-linux-gnu -c "$WORK/f.c" -o "$WORK/aarch64.o" 2>/dev/null; then
	chmod +x "$WORK/aarch64.o"
	check "ELF of another machine (aarch64): one line, exit 2" t_refuse "$WORK/aarch64.o" "aarch64"
else
	skip "clang cannot target aarch64"
fi
if "$CC" --target=i386-linux-gnu -c "$WORK/f.c" -o "$WORK/i386.o" 2>/dev/null; then
	chmod +x "$WORK/i386.o"
	check "ELF32: one line, exit 2" t_refuse "$WORK/i386.o" "ELF32"
else
	skip "clang cannot target i386"
fi
"$CC" -c "$WORK/f.c" -o "$WORK/rel.o" && chmod +x "$WORK/rel.o"
check "ET_REL object: one line, exit 2" t_refuse "$WORK/rel.o" "ET_REL"
t_bad_image() {
	local err rc
	err=$("$LOADER" $FOLLOW --image "$WORK/rel.o" -- true 2>&1)
	rc=$?
	[ $rc -eq 2 ] && [ "$(wc -l <<<"$err")" -eq 1 ] || { echo "status $rc: $err"; return 1; }
}
check "an --image that is not a vDSO image: one line, exit 2" t_bad_image

# ---- 9. --no-vdso ----
t_novdso() {
	local base got
	base=$(now)
	got=$("$LOADER" $FOLLOW --no-vdso -- date +%s) || return 1
	near "$got" "$base" 1 || { echo "date: $got, kernel $base"; return 1; }
	if [ -n "$PY" ]; then
		got=$("$LOADER" $FOLLOW --no-vdso -- "$PY" -c 'import time; print(int(time.time()))') || return 1
		near "$got" "$base" 2 || { echo "python: $got, kernel $base"; return 1; }
	fi
	for p in "$WORK/clocks" "$WORK/clocks-static"; do
		[ -x "$p" ] || continue
		got=$("$LOADER" $FOLLOW --no-vdso -- "$p") || return 1
		clocks_near "$got" "$base" 2 || return 1
		[ "${got%% *}" = 0x0 ] || { echo "$p: AT_SYSINFO_EHDR ${got%% *}, want 0"; return 1; }
	done
}
check "--no-vdso: date, python3 and static programs work; AT_SYSINFO_EHDR is 0" t_novdso

# ---- 10. ASLR ----
t_aslr() { # [--no-aslr]
	local base got addrs="" distinct
	for _ in $(seq 10); do
		base=$(now)
		got=$(run "$@" -- "$WORK/clocks") || return 1
		clocks_near "$got" "$base" 1 || return 1
		addrs="$addrs ${got%% *}"
	done
	distinct=$(tr ' ' '\n' <<<"$addrs" | sed '/^$/d' | sort -u | wc -l)
	if [ $# -eq 0 ]; then
		[ "$distinct" -ge 5 ] || { echo "only $distinct distinct addresses:$addrs"; return 1; }
	else
		[ "$distinct" -eq 1 ] || { echo "$distinct distinct addresses with --no-aslr:$addrs"; return 1; }
	fi
}
check "ASLR: 10 runs put the vDSO at >= 5 addresses, time right each run" t_aslr
check "--no-aslr: 10 runs put the vDSO at one address, time right each run" t_aslr --no-aslr

# ---- other runtimes ----
if command -v "$MUSL_CC" >/dev/null 2>&1 && "$MUSL_CC" -static -O2 -o "$WORK/clocks-musl" "$HERE/clocks.c" 2>/dev/null; then
	check "musl static: clock_gettime, gettimeofday and time see the offset" t_clocks "$WORK/clocks-musl" --realtime-offset 1d
else
	skip "musl-gcc not found (apt-get install musl-tools)"
fi

if command -v "$GO" >/dev/null 2>&1 &&
	(cd "$WORK" && GOCACHE="$WORK/gocache" GOPATH="$WORK/gopath" CGO_ENABLED=0 GOFLAGS= "$GO" build -o "$WORK/go-clock" "$HERE/go-clock.go") >/dev/null 2>&1; then
	t_go() {
		local base got
		base=$(now)
		got=$(run --realtime-offset 1d -- "$WORK/go-clock") || return 1
		near "$got" $((base + DAY)) 2 || { echo "go time.Now: $got, kernel $base"; return 1; }
	}
	check "Go (static, no libc): time.Now() sees the offset" t_go
else
	skip "go not found (apt-get install golang-go)"
fi

if command -v "$RUSTC" >/dev/null 2>&1 && "$RUSTC" -O -o "$WORK/rust-clock" "$HERE/rust-clock.rs" >/dev/null 2>&1; then
	t_rust() {
		local base got
		base=$(now)
		got=$(run --realtime-offset 1d -- "$WORK/rust-clock") || return 1
		near "$got" $((base + DAY)) 2 || { echo "rust SystemTime::now: $got, kernel $base"; return 1; }
	}
	check "Rust (std, glibc): SystemTime::now() sees the offset" t_rust
else
	skip "rustc not found (apt-get install rustc)"
fi

# ELF32 i386 programs (vdso-run32).
. "$HERE/run32.sh"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
