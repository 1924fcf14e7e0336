#!/bin/sh
# Boot the kernel under QEMU (TCG) and judge the run from its serial log:
#
#   run.sh KERNEL LOG           one boot: print the log; fail unless /init's last line is
#                               "N passed, 0 failed" and QEMU's exit code says exit_group(0)
#   run.sh --twice KERNEL LOG   two boots; fail also if the vDSO landed at the same address
#
# QEMU_CPU picks the CPU model (default max: RDTSCP, RDRAND); qemu64 has neither, which sends
# getcpu to the system call.  isa-debug-exit makes QEMU exit with (status << 1) | 1: 1 is exit_group(0).
set -u
twice=0
if [ "${1:-}" = --twice ]; then twice=1; shift; fi
kernel=$1 log=$2

boot() {
	rm -f "$1"
	timeout 30 "${QEMU:-qemu-system-x86_64}" -cpu "${QEMU_CPU:-max}" -m 128M -display none -monitor none -no-reboot \
		-serial "file:$1.raw" -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$kernel"
	rc=$?
	tr -d '\r' < "$1.raw" > "$1" && rm -f "$1.raw"
	cat "$1"
	last=$(grep -v '^kernel:' "$1" | tail -n 1)
	if [ "$rc" -ne 1 ]; then
		echo "run.sh: QEMU exited with $rc (1 is exit_group(0); 124 is the 30 s timeout)" >&2
		return 1
	fi
	if ! echo "$last" | grep -Eq '^[0-9]+ passed, 0 failed$'; then
		echo "run.sh: /init's last line is not \"N passed, 0 failed\": $last" >&2
		return 1
	fi
}

address() {
	sed -n 's/.*AT_SYSINFO_EHDR: page-aligned vDSO image at \(0x[0-9a-f]*\).*/\1/p' "$1"
}

boot "$log" || exit 1
[ "$twice" = 1 ] || exit 0
boot "$log.2" || exit 1
a=$(address "$log") b=$(address "$log.2")
if [ -z "$a" ] || [ "$a" = "$b" ]; then
	echo "run.sh: the vDSO image was at ${a:-?} in both boots: not randomised" >&2
	exit 1
fi
echo "vDSO image at $a, then at $b: randomised"
