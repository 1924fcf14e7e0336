#!/bin/bash
# Tests/fuzz/sweep.sh BIN IMAGE [DEBUG] — every boundary mutation of an image pair through
# `vdsogen-fuzz --sweep`, restarting after each crash, so that every crash site is listed.
#
# Prints one line per crash or slow case: the case number, the mutation and the innermost VDSOKit
# frame of the trap (from the Swift runtime's backtrace). Write a case's mutant to a file with
# `BIN --sweep-write IMAGE [DEBUG] N FILE`. Exit status: 0 nothing found, 1 a finding.
set -u
BIN=${1:?usage: Tests/fuzz/sweep.sh BIN IMAGE [DEBUG]}; shift
from=0; found=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
while true; do
    SWIFT_BACKTRACE=enable=yes,color=no,interactive=no,limit=24,top=12 "$BIN" --sweep "$@" --from "$from" >"$log" 2>&1
    status=$?
    grep -a '^SLOW' "$log" && found=1
    [ "$status" -le 1 ] && break
    last=$(grep -a '^CASE ' "$log" | tail -1)
    n=$(echo "$last" | cut -d' ' -f2)
    site=$(grep -a -E '^ *[0-9]+ .* in vdsogen-fuzz at /.*Sources/VDSOKit' "$log" | head -1 | sed -E 's/.*0x[0-9a-f]+ (.*) \+ [0-9]+ in vdsogen-fuzz at .*Sources\/VDSOKit\/(.*)/\2 \1/')
    echo "CRASH(status $status) ${last#CASE } :: ${site:-$(grep -a -m1 -E 'Fatal|failure|Signal' "$log")}"
    found=1
    [ -n "$n" ] || break
    from=$((n + 1))
done
exit $found
