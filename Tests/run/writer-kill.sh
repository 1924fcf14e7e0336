#!/bin/bash
# Tests/run/writer-kill.sh VDSOGEN IMAGE [TRIALS] — kill -9 the data-page writer of `vdsogen run`
# at a random moment, TRIALS times (default 60), while the program reads the coarse clocks in a
# loop for 1.5 s: the program must finish every time (within 8 s). The writer holds the coarse
# clocks' seq odd for ~150 us around each tick; killed then, it used to leave readers spinning
# for ever (3 hangs in 60 before the tracer ended the update the writer left open).
set -u
VDSOGEN=$1 IMAGE=$2 TRIALS=${3:-60}
# FOLLOW_EXEC=seccomp (or event, the default): every run follows exec that way (--follow-exec=MODE).
FOLLOW=${FOLLOW_EXEC:+--follow-exec=$FOLLOW_EXEC}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/loop.c" <<'C'
#include <stdio.h>
#include <time.h>
int main(void)
{
	struct timespec a, b, c;
	long n = 0;
	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		clock_gettime(CLOCK_REALTIME_COARSE, &c);
		clock_gettime(CLOCK_MONOTONIC, &b);
		n++;
	} while ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) < 1500000000L);
	printf("done %ld\n", n);
	return 0;
}
C
cc -O2 -o "$work/loop" "$work/loop.c" || exit 2
hung=0
for t in $(seq "$TRIALS"); do
	timeout 8 "$VDSOGEN" run $FOLLOW --verbose --image "$IMAGE" -- "$work/loop" >"$work/out" 2>"$work/err" &
	pid=$!
	w=
	for _ in $(seq 100); do
		w=$(grep -o 'writer pid [0-9]*' "$work/err" | awk '{print $3}')
		[ -n "$w" ] && break
		sleep 0.02
	done
	sleep "0.$((RANDOM % 9 + 1))"
	[ -n "$w" ] && kill -9 "$w" 2>/dev/null
	wait "$pid"
	rc=$?
	if [ "$rc" != 0 ] || ! grep -q '^done' "$work/out"; then
		hung=$((hung + 1))
		echo "not ok - trial $t: exit $rc"
	fi
done
echo "writer killed at random: $((TRIALS - hung)) of $TRIALS programs finished, $hung hung or failed"
[ "$hung" = 0 ]
