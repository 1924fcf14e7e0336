#!/bin/sh
# boot-check.sh KERNEL LOG: boot KERNEL once under QEMU (-M virt -cpu max, TCG, 30 s at most),
# print the serial log (kept in LOG), and succeed only if
#   - the program's last line is "N passed, 0 failed" with N > 0 and no TAP line says "not ok";
#   - QEMU's exit status (the program's, through semihosting) is 0;
#   - the kernel served exactly the time system calls the program made or asked the vDSO to make,
#     so every other clock_gettime, gettimeofday and clock_getres was answered by the vDSO;
#   - the symbol offsets in vdsogen's header (the kernel prints them) are the ones the program
#     found through the image's own hash and version tables.
set -u
kernel=$1 log=$2
qemu=${QEMU:-qemu-system-aarch64}
command -v "$qemu" >/dev/null || { echo "boot-check: $qemu not found (apt-get install qemu-system-arm)" >&2; exit 2; }

start=$(date +%s.%N)
timeout 30 "$qemu" -M virt -cpu max -m 128M -nographic -semihosting -no-reboot \
	-kernel "$kernel" </dev/null >"$log.raw" 2>&1
status=$?
end=$(date +%s.%N)
tr -d '\r' <"$log.raw" >"$log" && rm -f "$log.raw"
cat "$log"
echo "boot-check: QEMU exited with status $status after $(echo "$end - $start" | bc 2>/dev/null || echo '?') s"

fail() { echo "boot-check: FAIL: $*" >&2; exit 1; }
[ "$status" -eq 124 ] && fail "timed out after 30 s"
last=$(grep -v '^kernel:' "$log" | grep -v '^$' | tail -n 1)
echo "$last" | grep -Eq '^[1-9][0-9]* passed, 0 failed$' || fail "the program's last line is '$last', not 'N passed, 0 failed'"
grep -q '^not ok' "$log" && fail "a check failed"
[ "$status" -eq 0 ] || fail "exit status $status"
expected=$(sed -n 's/^# time system calls expected: //p' "$log")
served=$(sed -n 's/^kernel: time system calls served: //p' "$log")
[ -n "$expected" ] && [ "$expected" = "$served" ] ||
	fail "the program expected $expected time system calls, the kernel served $served: the vDSO fell back"
header=$(sed -n 's/^kernel: VDSO64_SYM_\(__kernel_[a-z_]*\) = image + \(0x[0-9a-f]*\)$/\1 \2/p' "$log" | sort | tr '\n' ' ')
lookups=$(sed -n 's/^ok [0-9]* - \(__kernel_[a-z_]*\)@LINUX_2.6.39 by DT_GNU_HASH and DT_HASH: image + \(0x[0-9a-f]*\)$/\1 \2/p' "$log" | sort | tr '\n' ' ')
[ -n "$header" ] && [ "$header" = "$lookups" ] ||
	fail "the header's symbol offsets ($header) are not the ones the program looked up ($lookups)"
echo "boot-check: ok"
