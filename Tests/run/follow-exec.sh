#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Tests/run/follow-exec.sh VDSOGEN IMAGE
#
# `vdsogen run` follows exec: every program the tree starts sees the image
# (here: the offset), by every way of exec'ing; what the image does not fit
# runs as the kernel would; --no-follow-exec is the old behaviour; the tracer
# reaps its writer and the tree.  Same output as run-tests.sh ("ok N - ...",
# then "P passed, F failed"); exit 0 only if nothing failed.

set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 VDSOGEN IMAGE" >&2
	exit 2
fi
VDSOGEN=$(realpath "$1")
IMAGE=$(realpath "$2")
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vdso-follow-tests.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
CC=${CC:-clang}
# FOLLOW_EXEC=seccomp (or event, the default): every run follows exec that way (--follow-exec=MODE).
FOLLOW=${FOLLOW_EXEC:+--follow-exec=$FOLLOW_EXEC}
DAY=86400

n=0 passed=0 failed=0
ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$desc"; else notok "$desc"; [ -n "$out" ] && sed 's/^/# /' <<<"$out"; fi
}
run() { timeout 60 "$VDSOGEN" run $FOLLOW --image "$IMAGE" "$@"; }
near() { local d=$(($1 - $2)); [ "${d#-}" -le "$3" ]; }

# every_line_near OUTPUT COUNT WANT: exactly COUNT lines, each an integer within 2 s of WANT.
every_line_near() {
	local lines
	lines=$(grep -c . <<<"$1")
	[ "$lines" -eq "$2" ] || { echo "want $2 lines, got $lines: $1"; return 1; }
	while read -r t; do
		[[ "$t" =~ ^[0-9]+$ ]] && near "$t" "$3" 2 || { echo "'$t' is not $3 +- 2 in: $1"; return 1; }
	done <<<"$1"
}

"$CC" -O2 -pthread -o "$WORK/exec-ways" "$HERE/exec-ways.c" || echo "cannot build exec-ways.c"
"$CC" -O2 -o "$WORK/drift" "$HERE/drift.c" || echo "cannot build drift.c"

# ---- the shell's children, subshells and exec ----
t_shell() {
	local base got
	base=$(date +%s)
	got=$(run --realtime-offset 1d -- sh -c 'date +%s; (date +%s); exec date +%s') || return 1
	every_line_near "$got" 3 $((base + DAY))
}
check "sh -c 'date; (date); exec date': all three see the offset" t_shell

t_scripts() {
	local base got
	printf '#!/bin/sh\ndate +%%s\n' >"$WORK/script" && chmod +x "$WORK/script"
	printf '#!/usr/bin/env sh\nexec date +%%s\n' >"$WORK/shim" && chmod +x "$WORK/shim"
	base=$(date +%s)
	got=$(run --realtime-offset 1d -- sh -c "'$WORK/script'; '$WORK/shim'; /usr/bin/env date +%s") || return 1
	every_line_near "$got" 3 $((base + DAY))
}
check "a #!/bin/sh script, a #!/usr/bin/env shim and env date see the offset" t_scripts

t_ways() {
	local base got
	for m in thread vfork spawn spawnp fexecve execveat self; do
		base=$(date +%s)
		got=$(run --realtime-offset 1d -- "$WORK/exec-ways" $m) || { echo "$m: status $?"; return 1; }
		every_line_near "$got" 1 $((base + DAY)) || { echo "(exec by $m)"; return 1; }
	done
}
check "exec from a thread, vfork, posix_spawn(p), fexecve, execveat, of /proc/self/exe: the offset" t_ways

t_make() {
	local base got
	mkdir -p "$WORK/make"
	printf 'all: $(addprefix t,$(shell seq 50))\nt%%:\n\t@date +%%s > $@.out\n' >"$WORK/make/Makefile"
	base=$(date +%s)
	(cd "$WORK/make" && run --realtime-offset 1d -- make -s -j8) || return 1
	got=$(cat "$WORK"/make/t*.out)
	every_line_near "$got" 50 $((base + DAY))
}
check "make -j8 of 50 targets (about 100 processes): every date sees the offset" t_make

t_drift() {
	run --realtime-offset 1d -- sh -c "'$WORK/drift' $DAY"
}
check "the writer keeps the page current for an exec'd program (within 1 ms for 2 s)" t_drift

t_one_writer() {
	local got pids
	got=$(run --verbose -- sh -c 'sleep 0.3; for c in $(cat /proc/$PPID/task/*/children); do cat /proc/$c/comm; done' 2>"$WORK/err") || return 1
	grep -qx "vdso-run writer" <<<"$got" || { echo "no live writer among the tracer's children: $got"; return 1; }
	pids=$(sed -n 's/.*writer pid \([0-9]*\).*/\1/p' "$WORK/err" | sort | uniq -c)
	[ "$(wc -l <<<"$pids")" -eq 1 ] && [ "$(awk '{print $1}' <<<"$pids")" -ge 3 ] ||
		{ echo "want one writer pid in every program's --verbose lines, got: $pids"; return 1; }
}
check "one writer, alive, a child of the tracer, serves every exec'd program" t_one_writer

# ---- what the kernel runs ----
t_setid() {
	local base got err
	cp "$(command -v date)" "$WORK/date-setuid" && chmod u+s "$WORK/date-setuid" || return 1
	base=$(date +%s)
	got=$(run --verbose --realtime-offset 1d -- sh -c "'$WORK/date-setuid' +%s" 2>"$WORK/err") || return 1
	every_line_near "$got" 1 "$base" || return 1
	err=$(grep -c "date-setuid: a set-id program; the kernel runs it" "$WORK/err")
	[ "$err" -eq 1 ] || { echo "no one-line --verbose note:"; cat "$WORK/err"; return 1; }
}
check "a set-id program runs as the kernel would (its time), with a --verbose note" t_setid

t_i386() {
	local got rc
	echo 'void _start(void) { __asm__ volatile("movl $1, %eax; movl $42, %ebx; int $0x80"); }' >"$WORK/i386.c"
	"$CC" --target=i386-linux-gnu -nostdlib -static -fuse-ld=lld -o "$WORK/i386" "$WORK/i386.c" 2>/dev/null ||
		{ echo "# SKIP cannot build an i386 program"; return 0; }
	got=$(run --verbose -- sh -c "'$WORK/i386'; echo \$?" 2>"$WORK/err")
	[ "$got" = 42 ] || { echo "i386 program: '$got', want exit 42"; cat "$WORK/err"; return 1; }
	grep -q "i386: an ELF32 i386 program, for which no i386 image was given; the kernel runs it" "$WORK/err" || { echo "no note:"; cat "$WORK/err"; return 1; }
}
check "an i386 program under an x86-64 image runs as the kernel would, with a note" t_i386

t_not_found() {
	local got
	got=$(run -- sh -c 'no-such-cmd-vdso 2>/dev/null; echo $?; ./no-such 2>/dev/null; echo $?') || return 1
	[ "$got" = $'127\n127' ] || { echo "got '$got', want 127 twice (ENOENT from the kernel)"; return 1; }
}
check "a missing program fails as the kernel says (ENOENT, 127 from sh)" t_not_found

t_nested() {
	local base got
	base=$(date +%s)
	got=$(run --realtime-offset 1d -- "$VDSOGEN" run $FOLLOW --image "$IMAGE" --realtime-offset 2d -- sh -c 'exec date +%s') || return 1
	every_line_near "$got" 1 $((base + DAY))
}
check "run inside run: what the inner program execs follows the outer run" t_nested

t_unprivileged() {
	local base got copy=$WORK/unpriv
	command -v setpriv >/dev/null && [ "$(id -u)" = 0 ] || { echo "# SKIP needs root and setpriv"; return 0; }
	# The loader and the image where user nobody can read them.
	mkdir -p "$copy" && cp "$(dirname "$VDSOGEN")/vdso-run" "$IMAGE" "$copy/" && chmod -R a+rX "$WORK" || return 1
	base=$(date +%s)
	got=$(timeout 60 setpriv --reuid=65534 --regid=65534 --clear-groups "$copy/vdso-run" $FOLLOW --image "$copy/$(basename "$IMAGE")" \
		--realtime-offset 1d -- sh -c 'date +%s; exec date +%s') || return 1
	every_line_near "$got" 2 $((base + DAY))
}
check "as an unprivileged user (the filter under no_new_privs): exec is followed" t_unprivileged

t_stop() {
	local pid sh state
	"$VDSOGEN" run $FOLLOW --image "$IMAGE" -- sh -c 'sleep 1; echo done' >"$WORK/stop" &
	pid=$!
	sleep 0.3
	sh=$(cat /proc/$pid/task/*/children | tr ' ' '\n' | while read -r c; do
		[ -n "$c" ] && [ "$(cat /proc/$c/comm 2>/dev/null)" = sh ] && echo "$c"; done)
	[ -n "$sh" ] || { echo "no sh under the tracer $pid"; kill $pid; return 1; }
	kill -STOP "$sh"
	sleep 1.2
	state=$(sed -n 's/^State:\t\(.\).*/\1/p' /proc/$sh/status)
	[ "$state" = t ] || [ "$state" = T ] || { echo "sh $sh is '$state' after SIGSTOP, want stopped"; kill -CONT "$sh"; return 1; }
	[ ! -s "$WORK/stop" ] || { echo "the stopped program went on: $(cat "$WORK/stop")"; return 1; }
	kill -CONT "$sh"
	wait $pid || return 1
	[ "$(cat "$WORK/stop")" = done ] || { echo "after SIGCONT: '$(cat "$WORK/stop")'"; return 1; }
}
check "SIGSTOP stops the program until SIGCONT (group-stop, PTRACE_LISTEN)" t_stop

# ---- how exec is followed ----
t_filter() {
	local got want=2
	[ "${FOLLOW_EXEC:-event}" = event ] && want=0
	got=$(run -- sh -c 'sed -n "s/^Seccomp:\t//p" /proc/self/status; exec sed -n "s/^Seccomp:\t//p" /proc/self/status') || return 1
	[ "$got" = "$want"$'\n'"$want" ] || { echo "Seccomp: '$got' in a tracee and an exec'd one, want $want (${FOLLOW_EXEC:-event} mode)"; return 1; }
}
check "a tracee's seccomp mode is ${FOLLOW_EXEC:-event}'s (0: no filter under --follow-exec=event)" t_filter

t_ehdr_bytes() {
	local size
	cat >"$WORK/ehdr.c" <<-'C'
		#include <stdio.h>
		#include <stdlib.h>
		#include <sys/auxv.h>
		/* ehdr OUT SIZE: the first SIZE bytes at AT_SYSINFO_EHDR into OUT. */
		int main(int argc, char **argv)
		{
			const void *e = (const void *)getauxval(AT_SYSINFO_EHDR);
			FILE *f = argc == 3 && e ? fopen(argv[1], "wb") : NULL;
			size_t n = argc == 3 ? strtoul(argv[2], NULL, 10) : 0;
			return f && fwrite(e, 1, n, f) == n && fclose(f) == 0 ? 0 : 1;
		}
	C
	"$CC" -O2 -o "$WORK/ehdr" "$WORK/ehdr.c" || return 1
	size=$(stat -c %s "$IMAGE")
	run -- sh -c "'$WORK/ehdr' '$WORK/seen1.so' $size; exec '$WORK/ehdr' '$WORK/seen2.so' $size" || return 1
	cmp "$IMAGE" "$WORK/seen1.so" && cmp "$IMAGE" "$WORK/seen2.so" ||
		{ echo "a followed program's AT_SYSINFO_EHDR is not $IMAGE"; return 1; }
}
check "a followed child's (and an exec'd one's) AT_SYSINFO_EHDR is the image, byte for byte" t_ehdr_bytes

# ---- --no-follow-exec ----
t_no_follow() {
	local base got
	base=$(date +%s)
	got=$(run --no-follow-exec --realtime-offset 1d -- sh -c 'date +%s; exec date +%s') || return 1
	every_line_near "$got" 2 "$base"
}
check "--no-follow-exec: what the program execs gets the kernel's vDSO again" t_no_follow

# ---- the tracer owns the tree ----
t_no_zombie() {
	local got rc
	got=$("$HERE/no-reap.py" "$VDSOGEN" run $FOLLOW --image "$IMAGE" -- sh -c 'sleep 0.2 & kill -KILL $$')
	rc=$?
	[ $rc -eq 137 ] || { echo "status $rc, want 137 (SIGKILL)"; return 1; }
	[ -z "$got" ] || { echo "left behind under a PID 1 that does not reap:"; echo "$got"; return 1; }
}
check "a program killed by a signal: status 137, no zombie writer or child left" t_no_zombie

t_status() {
	run -- sh -c 'sleep 0.2 & exit 3'
	local rc=$?
	[ $rc -eq 3 ] || { echo "status $rc, want 3"; return 1; }
}
check "the exit status is the top program's, not its last child's" t_status

t_forward() {
	local pid rc got
	# Not under timeout(1), which signals its whole process group.
	"$VDSOGEN" run $FOLLOW --image "$IMAGE" -- sh -c 'trap "kill \$!; echo got TERM; exit 5" TERM; sleep 10 & wait' >"$WORK/fwd" &
	pid=$!
	sleep 0.5
	kill -TERM $pid
	wait $pid
	rc=$?
	got=$(cat "$WORK/fwd")
	[ $rc -eq 5 ] && [ "$got" = "got TERM" ] || { echo "status $rc, output '$got'; want 5, 'got TERM'"; return 1; }
}
check "kill -TERM of run reaches the program" t_forward

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
