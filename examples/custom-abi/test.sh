#!/bin/bash
# MyOS's vDSO under its own kernel side: test.sh VDSOGEN BUILD DEFAULT_IMAGE (after `make all`;
# DEFAULT_IMAGE: vdsogen's own x86-64 image, out/vdso.so).
# Every refusal is one line on stderr and exit 2 (a compile error: the compiler's lines first).
set -u
VDSOGEN=$(realpath "$1") BUILD=$(realpath "$2") DEFAULT_IMAGE=$(realpath "$3")
cd "$(dirname "$0")"
IMG=$BUILD/vdso.so
export XDG_CACHE_HOME=$BUILD/cache
fail=0
ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; fail=1; }

# Runs "$@", keeping stdout, stderr, the exit status and the wall time in ms.
timed() {
	local t0=$(date +%s%N)
	"$@" >"$BUILD/out" 2>"$BUILD/err"
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

# A refusal: exit 2, one line on stderr naming $2, and (if $3) within a second.
refused() {
	local what=$1 needle=$2 fast=${3:-}
	local lines=$(wc -l <"$BUILD/err")
	if [ "$rc" = 2 ] && [ "$lines" = 1 ] && grep -q -- "$needle" "$BUILD/err" && { [ -z "$fast" ] || [ "$ms" -lt 1000 ]; }; then
		ok "$what ($(cat "$BUILD/err" | cut -c1-110)..., ${ms} ms)"
	else
		bad "$what: exit $rc, $lines lines, ${ms} ms: $(cat "$BUILD/err")"
	fi
}

"$VDSOGEN" check --manifest vdso.toml --debug "$IMG.dbg" "$IMG" >/dev/null && ok "check --manifest accepts the myos-1 image" \
	|| bad "check --manifest rejects the image"
"$VDSOGEN" inspect "$IMG" | grep -q 'myos-1' && ok "inspect names its data-page ABI myos-1" || bad "inspect does not name myos-1"

for mode in "" --no-follow-exec; do
	timed "$VDSOGEN" run --image "$IMG" --kernel-side kernel_side.c --realtime-offset 1d $mode -- "$BUILD/ticks" 86400
	if [ "$rc" = 0 ] && [ "$(grep -c '^ok' "$BUILD/out")" = 3 ]; then
		ok "run --kernel-side ${mode:-(following exec)}: $(grep '^#' "$BUILD/out" | tr '\n' ' ')"
	else
		bad "run --kernel-side $mode: exit $rc: $(cat "$BUILD/out" "$BUILD/err")"
	fi
done
# A followed exec maps the same area: the shell's child sees the same writer's values.
for follow in seccomp event; do
	timed "$VDSOGEN" run --image "$IMG" --kernel-side kernel_side.c --follow-exec=$follow --monotonic-offset 1h \
		-- sh -c "$BUILD/ticks 0 && exec $BUILD/ticks 0"
	[ "$rc" = 0 ] && [ "$(grep -c '^ok' "$BUILD/out")" = 6 ] && ok "the programs a shell execs see the kernel side's area (--follow-exec=$follow)" \
		|| bad "followed exec ($follow): exit $rc: $(cat "$BUILD/out" "$BUILD/err")"
done

# The same image with no kernel side: its ABI is no one run knows.
timed "$VDSOGEN" run --image "$IMG" -- "$BUILD/ticks"
refused "without --kernel-side the myos-1 image is refused" '"myos-1", which run does not know' fast

# Kernel sides that do not serve it: another ABI, one that does not compile, one whose init fails.
mkdir -p "$BUILD/sides"
cp myos_data.h "$BUILD/sides/"
sed 's/^const char vdso_kernel_side_abi\[\] = .*/const char vdso_kernel_side_abi[] = "otheros-1";/' kernel_side.c >"$BUILD/sides/other.c"
timed "$VDSOGEN" run --image "$IMG" --kernel-side "$BUILD/sides/other.c" -- "$BUILD/ticks"
refused "a kernel side declaring another ABI is refused" 'declares data-page ABI "myos-1", but the kernel side .* serves "otheros-1"' fast
timed "$VDSOGEN" run --image "$DEFAULT_IMAGE" --kernel-side kernel_side.c -- "$BUILD/ticks"
refused "vdsogen's own image under the myos-1 kernel side is refused" 'declares data-page ABI "vdsogen-1", but' fast
sed 's/return 0;$/return 0 +;/' kernel_side.c >"$BUILD/sides/broken.c"
timed "$VDSOGEN" run --image "$IMG" --kernel-side "$BUILD/sides/broken.c" -- "$BUILD/ticks"
if [ "$rc" = 2 ] && grep -q 'broken.c:[0-9]*:[0-9]*: error: expected expression' "$BUILD/err" \
	&& tail -n1 "$BUILD/err" | grep -q '^vdsogen: .*broken.c: the kernel side does not compile' \
	&& [ "$(grep -c '^vdsogen' "$BUILD/err")" = 1 ] && [ "$ms" -lt 10000 ]; then	# a compiler run: no 1 s bound
	ok "a kernel side that does not compile: the compiler's message, then one line (${ms} ms)"
else
	bad "broken kernel side: exit $rc, ${ms} ms: $(cat "$BUILD/err")"
fi
sed 's/^\tif (len < sizeof(struct myos_data))$/\tif (len < 2 * 4096)/' kernel_side.c >"$BUILD/sides/small.c"
timed "$VDSOGEN" run --image "$IMG" --kernel-side "$BUILD/sides/small.c" -- "$BUILD/ticks"
refused "a kernel side whose init fails refuses the run" 'vdso_kernel_side_init returned -22 (Invalid argument)'

# The writer is built reproducibly: two caches, the same bytes.
for c in a b; do
	XDG_CACHE_HOME=$BUILD/repro-$c "$VDSOGEN" run --image "$IMG" --kernel-side kernel_side.c -- "$BUILD/ticks" >/dev/null 2>&1
done
wa=$(ls "$BUILD"/repro-a/vdsogen/kernel-side/*/writer) wb=$(ls "$BUILD"/repro-b/vdsogen/kernel-side/*/writer)
cmp -s "$wa" "$wb" && ok "the writer is the same bytes from two caches" || bad "the writers differ: $wa $wb"
rm -rf "$BUILD"/repro-a "$BUILD"/repro-b
exit $fail
