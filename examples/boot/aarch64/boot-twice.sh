#!/bin/sh
# boot-twice.sh KERNEL DIR: boot twice (boot-check.sh each time); fail unless both boots pass and
# the vDSO image was mapped at different addresses (the kernel randomises it at every boot).
set -u
kernel=$1 dir=$2
here=$(dirname "$0")
"$here/boot-check.sh" "$kernel" "$dir/boot1.log" >/dev/null || { cat "$dir/boot1.log"; exit 1; }
"$here/boot-check.sh" "$kernel" "$dir/boot2.log" >/dev/null || { cat "$dir/boot2.log"; exit 1; }
a=$(sed -n 's/^# vdso image at //p' "$dir/boot1.log")
b=$(sed -n 's/^# vdso image at //p' "$dir/boot2.log")
echo "boot-twice: vDSO image at $a, then at $b"
[ -n "$a" ] && [ -n "$b" ] || { echo "boot-twice: FAIL: no vDSO address in a log" >&2; exit 1; }
[ "$a" != "$b" ] || { echo "boot-twice: FAIL: the same address twice" >&2; exit 1; }
echo "boot-twice: ok"
