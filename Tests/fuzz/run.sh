#!/bin/bash
# Tests/fuzz/run.sh SECONDS — build the libFuzzer target and fuzz VDSOKit for SECONDS (make fuzz).
#
# Builds vdsogen-fuzz with AddressSanitizer and libFuzzer (Swift's -sanitize=fuzzer,address) into
# .build-fuzz, then fuzzes from the committed corpus (Tests/fuzz/corpus) and every regression
# (Tests/fuzz/regressions) with the ELF dictionary (Tests/fuzz/elf.dict), on one core.
# New inputs go to a scratch corpus in .build-fuzz/corpus, never into Tests/; findings
# (crash-*, timeout-*, leak-*, oom-*) to .build-fuzz/artifacts/. Exit status: 0 nothing found,
# 1 a finding (its path is printed, with the command that replays it), 2 build or usage error.
#
# Env: FUZZ_STRUCTURE=1 (make fuzz-structure) adds the structure-aware mutator (VDSOFieldMutator:
#      ELF fields set to boundary values, rebases; three mutations in four, libFuzzer's own the
#      fourth) and seeds the run with the default images and their debug twins from out/ (make
#      builds them), with -max_len raised to hold the twins,
#      FUZZ_CONFIG=release|debug (default release: ~4x the executions per second of debug),
#      FUZZ_MERGE=1 merges what the session found back into Tests/fuzz/corpus (-merge=1 keeps
#      only inputs that add coverage; keep the corpus under ~2 MB), FUZZ_ARGS extra libFuzzer flags.
set -u
SECONDS_TO_RUN=${1:?usage: Tests/fuzz/run.sh SECONDS}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
CONFIG=${FUZZ_CONFIG:-release}
SCRATCH=.build-fuzz

mkdir -p "$SCRATCH"
echo "  SWIFT   vdsogen-fuzz ($CONFIG, -sanitize=fuzzer,address)"
nice -n 10 swift build --scratch-path "$SCRATCH" -c "$CONFIG" --product vdsogen-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DVDSOGEN_LIBFUZZER >"$SCRATCH/build.log" 2>&1 \
    || { cat "$SCRATCH/build.log" >&2; echo "fuzz: the build failed" >&2; exit 2; }
BIN=$(swift build --scratch-path "$SCRATCH" -c "$CONFIG" --show-bin-path)/vdsogen-fuzz

mkdir -p "$SCRATCH/corpus" "$SCRATCH/artifacts"
MAX_LEN=20000
SEEDS=()
if [ "${FUZZ_STRUCTURE:-0}" = 1 ]; then
    export VDSOGEN_FUZZ_STRUCTURE=1
    MAX_LEN=40000
    mkdir -p "$SCRATCH/seeds"
    for f in out/vdso.so out/*/vdso.so out/vdso.so.dbg out/*/vdso.so.dbg; do
        [ -f "$f" ] && cp "$f" "$SCRATCH/seeds/$(echo "$f" | tr / _)"
    done
    [ -n "$(ls "$SCRATCH/seeds")" ] || { echo "fuzz: FUZZ_STRUCTURE=1 wants the default images in out/ (run make)" >&2; exit 2; }
    SEEDS=("$SCRATCH/seeds")
    echo "  SEEDS   $(ls "$SCRATCH/seeds" | wc -l) default images and twins (structure-aware mutator on)"
fi
# The Swift runtime's own crash backtracer would run under ASan and report itself; libFuzzer prints
# the stack. A small malloc context keeps ASan's bookkeeping cheap.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0:detect_leaks=1}
echo "  FUZZ    ${SECONDS_TO_RUN}s on Tests/fuzz/corpus + Tests/fuzz/regressions"
nice -n 10 "$BIN" -dict=Tests/fuzz/elf.dict -timeout=5 -rss_limit_mb=2048 -max_len="$MAX_LEN" \
    -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1 -artifact_prefix="$SCRATCH/artifacts/" \
    ${FUZZ_ARGS:-} "$SCRATCH/corpus" Tests/fuzz/corpus Tests/fuzz/regressions ${SEEDS[@]+"${SEEDS[@]}"} 2>"$SCRATCH/fuzz.log"
status=$?
grep -E '^(#[0-9]+ +DONE|stat::)|ERROR|SUMMARY|Test unit written' "$SCRATCH/fuzz.log"
if [ "$status" != 0 ]; then
    art=$(grep -o "Test unit written to [^ ]*" "$SCRATCH/fuzz.log" | tail -1 | cut -d' ' -f5)
    echo "fuzz: FINDING ${art:-(see $SCRATCH/fuzz.log)}; replay: $BIN ${art:-FILE}; then add it to Tests/fuzz/regressions" >&2
    exit 1
fi
if [ "${FUZZ_MERGE:-0}" = 1 ]; then
    echo "  MERGE   into Tests/fuzz/corpus"
    nice -n 10 "$BIN" -merge=1 -max_len=20000 -timeout=5 Tests/fuzz/corpus "$SCRATCH/corpus" 2>>"$SCRATCH/fuzz.log" | tail -1
    du -sh Tests/fuzz/corpus
fi
echo "fuzz: no finding in ${SECONDS_TO_RUN}s"
