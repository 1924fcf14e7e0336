#!/bin/bash
# Tests/fuzz/campaign.sh WORKERS MINUTES [CHUNK_SECONDS] — a long fuzzing campaign, logged.
#
# Runs WORKERS independent libFuzzer processes of the ASan build (built by Tests/fuzz/run.sh; run
# `Tests/fuzz/run.sh 1` first) in chunks of CHUNK_SECONDS (default 900) until MINUTES have passed.
# The workers share the working corpus .build-fuzz/corpus (libFuzzer reloads it every second, so
# what one finds the others build on) and start from Tests/fuzz/corpus and Tests/fuzz/regressions.
# A chunk that ends in a finding leaves its reproducer in .build-fuzz/artifacts/ and the campaign
# goes on with the next chunk.
#
# Every chunk appends one line per worker to .build-fuzz/campaign.log:
#   UTC-TIME  worker=N  executions=E  seconds=S  exec/s=R  status=0|finding
# and the script ends by printing the totals of the whole log (`campaign.sh --total` prints them
# without fuzzing). Exit status: 0 nothing found, 1 a chunk ended in a finding, 2 usage or build.
# Stopping it (SIGINT/SIGTERM) stops the workers too; the chunk under way is not logged.
# FUZZ_STRUCTURE=1: the structure-aware mutator on (VDSOGEN_FUZZ_STRUCTURE=1, see
# Sources/vdsogen-fuzz/CustomMutator.swift), seeded with the default images and debug twins of
# out/ (run make), -max_len 40000, logged to .build-fuzz/campaign-structure.log instead.
# Docs/reliability.md records the figures this produced.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
SCRATCH=.build-fuzz
LOG=$SCRATCH/campaign.log
MAX_LEN=20000
SEEDS=()
if [ "${FUZZ_STRUCTURE:-0}" = 1 ]; then
    LOG=$SCRATCH/campaign-structure.log
    MAX_LEN=40000
fi

total() {
    [ -f "$LOG" ] || { echo "campaign: no log at $LOG" >&2; return 2; }
    awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
           execs += v["executions"]; secs += v["seconds"]; chunks++
           if (v["status"] != "0") findings++
           if (first == "") first = $1; last = $1 }
         END { printf "campaign: %d executions in %d worker-chunks, %.1f worker-hours, %d findings (%s .. %s)\n",
                      execs, chunks, secs / 3600, findings, first, last }' "$LOG"
}
if [ "${1:-}" = --total ]; then total; exit $?; fi

WORKERS=${1:?usage: Tests/fuzz/campaign.sh WORKERS MINUTES [CHUNK_SECONDS] | --total}
MINUTES=${2:?usage: Tests/fuzz/campaign.sh WORKERS MINUTES [CHUNK_SECONDS] | --total}
CHUNK=${3:-900}
BIN=$SCRATCH/release/vdsogen-fuzz
[ -x "$BIN" ] || { echo "campaign: $BIN is missing; build it with Tests/fuzz/run.sh 1" >&2; exit 2; }

mkdir -p "$SCRATCH/corpus" "$SCRATCH/artifacts"
if [ "${FUZZ_STRUCTURE:-0}" = 1 ]; then
    export VDSOGEN_FUZZ_STRUCTURE=1
    mkdir -p "$SCRATCH/seeds"
    for f in out/vdso.so out/*/vdso.so out/vdso.so.dbg out/*/vdso.so.dbg; do
        [ -f "$f" ] && cp "$f" "$SCRATCH/seeds/$(echo "$f" | tr / _)"
    done
    [ -n "$(ls "$SCRATCH/seeds")" ] || { echo "campaign: FUZZ_STRUCTURE=1 wants the default images in out/ (run make)" >&2; exit 2; }
    SEEDS=("$SCRATCH/seeds")
fi
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0:quarantine_size_mb=16:detect_leaks=1}
deadline=$(( $(date +%s) + MINUTES * 60 ))
found=0
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; exit 130' INT TERM
while [ "$(date +%s)" -lt "$deadline" ]; do
    left=$(( deadline - $(date +%s) ))
    len=$(( left < CHUNK ? left : CHUNK ))
    [ "$len" -ge 10 ] || break
    pids=()
    start=$(date +%s)
    for w in $(seq 1 "$WORKERS"); do
        nice -n 19 "$BIN" -dict=Tests/fuzz/elf.dict -timeout=5 -rss_limit_mb=2048 -max_len="$MAX_LEN" \
            -max_total_time="$len" -print_final_stats=1 -artifact_prefix="$SCRATCH/artifacts/" \
            "$SCRATCH/corpus" Tests/fuzz/corpus Tests/fuzz/regressions ${SEEDS[@]+"${SEEDS[@]}"} 2>"$SCRATCH/worker-$w.log" &
        pids+=($!)
    done
    for w in $(seq 1 "$WORKERS"); do
        wait "${pids[$((w - 1))]}"
        status=$?
        wlog=$SCRATCH/worker-$w.log
        execs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$wlog")
        # A worker that found something stops early and prints no stats: count what it reported last.
        [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$wlog" | tail -1 | tr -d '#')
        rate=$(awk '/stat::average_exec_per_sec/ { print $2 }' "$wlog")
        rate=${rate:-0}
        secs=$(( rate > 0 ? ${execs:-0} / rate : $(date +%s) - start ))
        [ "$status" = 0 ] && verdict=0 || verdict=finding
        echo "$(date -u +%FT%TZ) worker=$w executions=${execs:-0} seconds=$secs exec/s=$rate status=$verdict" >>"$LOG"
        if [ "$status" != 0 ]; then
            found=1
            cp "$wlog" "$SCRATCH/artifacts/worker-$w-$(date +%s).log"
            grep -E 'ERROR|SUMMARY|Test unit written' "$wlog" >&2
        fi
    done
    tail -n "$WORKERS" "$LOG"
done
total
exit $found
