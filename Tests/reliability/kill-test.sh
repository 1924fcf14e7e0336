#!/bin/bash
# Tests/reliability/kill-test.sh VDSOGEN [ROUNDS]
#
# All-or-nothing outputs (issue 7): runs `vdsogen build --force` (into an output directory that
# already holds good outputs) and `vdsogen emit`, kill -9s each at a random moment, ROUNDS times in
# total (default 100, half build, half emit), and after every kill checks that each output file is
# either absent, the previous complete version, or the new complete version (byte for byte).
# Temporary files (.NAME.tmp.PID.XXXXXX) a kill leaves behind are tolerated after the kill, but the
# next complete run must remove them (AtomicFile clears those of dead writers); obj/ is the build's
# own scratch area and is not checked. Prints `ok N - ...` / `not ok N - ...` and `N passed, M failed`.
set -u
VDSOGEN=${1:?usage: kill-test.sh VDSOGEN [ROUNDS]}
ROUNDS=${2:-100}
VDSOGEN=$(cd "$(dirname "$VDSOGEN")" && pwd)/$(basename "$VDSOGEN")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MANIFEST=$ROOT/kernel-vdso/arch/x86_64/vdso.toml
WORK=$(mktemp -d /tmp/vdsogen-kill.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"

pass=0 fail=0 n=0
ok()     { n=$((n+1)); pass=$((pass+1)); echo "ok $n - $*"; }
not_ok() { n=$((n+1)); fail=$((fail+1)); echo "not ok $n - $*"; }

BUILD_FILES="vdso.so vdso.so.dbg vdso-image.h vdso-image.c vdso.bin vdso-blob.S"
EMIT_FILES="e.h e.c e.bin e.S"

# Known-good versions. "old": built with another symbol prefix (different header, C source and
# blob wrapper); "new": the default prefix, what the runs under test write.
"$VDSOGEN" build "$MANIFEST" -o "$WORK/old" --blob --prefix kt_old -q >/dev/null || { echo "not ok - the reference build failed"; exit 1; }
"$VDSOGEN" build "$MANIFEST" -o "$WORK/new" --blob -q >/dev/null || { echo "not ok - the reference build failed"; exit 1; }
emit() { # emit DIR PREFIX
    "$VDSOGEN" emit "$WORK/new/vdso.so" --debug "$WORK/new/vdso.so.dbg" --header "$1/e.h" --source "$1/e.c" \
        --blob "$1/e.bin" --asm "$1/e.S" --prefix "$2"
}
mkdir -p "$WORK/emit-old" "$WORK/emit-new"
emit "$WORK/emit-old" kt_old && emit "$WORK/emit-new" vdso || { echo "not ok - the reference emit failed"; exit 1; }
for f in vdso-image.h vdso-image.c; do
    cmp -s "$WORK/old/$f" "$WORK/new/$f" && { echo "not ok - old and new $f are identical: the test could not tell them apart"; exit 1; }
done

# The directory under test starts with the old complete outputs.
reset_dir() { rm -rf "$1"; mkdir -p "$1"; cp -a "$2/." "$1/"; }
reset_dir "$WORK/out" "$WORK/old"
reset_dir "$WORK/emit" "$WORK/emit-old"

# check DIR OLD NEW FILES... : every file absent, old or new; only temporaries of our own naming besides.
check() {
    local dir=$1 old=$2 new=$3; shift 3
    local bad="" f
    for f in "$@"; do
        if [ ! -e "$dir/$f" ]; then continue; fi
        cmp -s "$dir/$f" "$old/$f" || cmp -s "$dir/$f" "$new/$f" || bad="$bad $f(mixed/truncated: $(stat -c %s "$dir/$f") bytes)"
    done
    local extra
    extra=$(cd "$dir" && find . -path ./obj -prune -o -type f -print | sed 's|^\./||' | while read -r f; do
        case " $* " in *" $f "*) continue;; esac
        case "$f" in .*.tmp.*) continue;; esac
        echo "$f"
    done)
    [ -n "$extra" ] && bad="$bad unexpected:$(echo $extra)"
    echo "$bad"
}
temps() { (cd "$1" && find . -path ./obj -prune -o -name '.*.tmp.*' -type f -print | wc -l); }

# Durations, to spread the kills over a whole run.
t0=$(date +%s%N); "$VDSOGEN" build "$MANIFEST" -o "$WORK/timing" --blob --force -q >/dev/null; t1=$(date +%s%N)
emit "$WORK/timing"  vdso >/dev/null; t2=$(date +%s%N)
BUILD_US=$(( (t1 - t0) / 1000 )); EMIT_US=$(( (t2 - t1) / 1000 ))
echo "# build takes ${BUILD_US} us, emit ${EMIT_US} us; killing at random moments within 110% of that"

left=0 completed=0
for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then
        kind=build; dir=$WORK/out; old=$WORK/old; new=$WORK/new; files=$BUILD_FILES; span=$BUILD_US
        "$VDSOGEN" build "$MANIFEST" -o "$dir" --blob --force -q >/dev/null 2>&1 &
    else
        kind=emit; dir=$WORK/emit; old=$WORK/emit-old; new=$WORK/emit-new; files=$EMIT_FILES; span=$EMIT_US
        emit "$dir" vdso >/dev/null 2>&1 &
    fi
    pid=$!
    delay=$(( (RANDOM * 32768 + RANDOM) % (span * 11 / 10 + 1) ))
    sleep "$(printf '%d.%06d' $((delay / 1000000)) $((delay % 1000000)))"
    # kill -9 the whole process group's worth: vdsogen and the compilers it runs.
    pkill -9 -P "$pid" 2>/dev/null; kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null; status=$?
    [ "$status" = 0 ] && completed=$((completed+1))
    bad=$(check "$dir" "$old" "$new" $files)
    t=$(temps "$dir"); left=$((left + t))
    if [ -z "$bad" ]; then ok "$kind killed after ${delay} us (exit $status): every output absent, old or new; $t temporary file(s)"
    else not_ok "$kind killed after ${delay} us (exit $status):$bad"; fi
    # Every few rounds, go back to the old outputs so that both old and new stay in play.
    [ $((round % 10)) = 0 ] && { reset_dir "$WORK/out" "$WORK/old"; reset_dir "$WORK/emit" "$WORK/emit-old"; }
done
echo "# $completed of $ROUNDS runs finished before the kill; $left temporary file(s) seen after kills in total"

# A complete run afterwards: new outputs everywhere and no temporary file left.
"$VDSOGEN" build "$MANIFEST" -o "$WORK/out" --blob --force -q >/dev/null 2>&1 && emit "$WORK/emit" vdso >/dev/null 2>&1
bad="$(check "$WORK/out" "$WORK/new" "$WORK/new" $BUILD_FILES)$(check "$WORK/emit" "$WORK/emit-new" "$WORK/emit-new" $EMIT_FILES)"
t=$(( $(temps "$WORK/out") + $(temps "$WORK/emit") ))
if [ -z "$bad" ] && [ "$t" = 0 ]; then ok "a complete run after the kills: new outputs, no temporary file left"
else not_ok "a complete run after the kills:$bad; $t temporary file(s) left"; fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
