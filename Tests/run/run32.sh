# SPDX-License-Identifier: MIT
#
# Sourced by run-tests.sh (its ok/notok/check/skip, $LOADER, $IMAGE, $WORK, $HERE): ELF32 i386
# programs under vdso-run with the i386 image next to the x86-64 one ($IMAGE32, default
# DIR/i386/vdso.so for IMAGE = DIR/vdso.so), handed to vdso-run32. Built here with clang -m32
# against Debian's i386 glibc (libc6-dev-i386, lib32gcc-12-dev): one dynamic, one static.
# musl has no i386 package in Debian: no musl i386 program is tested.

IMAGE32=${IMAGE32:-$(dirname "$IMAGE")/i386/vdso.so}
run32() { "$LOADER" $FOLLOW --image "$IMAGE32" "$@"; }

if [ ! -f "$IMAGE32" ]; then
	skip "no i386 image at $IMAGE32 (make arches builds out/i386/vdso.so)"
elif ! "$CC" -m32 -O2 -o "$WORK/clock32" "$HERE/clock32.c" 2>"$WORK/cc32.log" ||
	! "$CC" -m32 -O2 -static -o "$WORK/clock32s" "$HERE/clock32.c" 2>>"$WORK/cc32.log"; then
	skip "cannot build i386 programs (apt-get install libc6-dev-i386 lib32gcc-12-dev): $(head -1 "$WORK/cc32.log")"
else
	# t32_time PROG: the three clocks, shifted by a day.
	t32_time() {
		local base got
		base=$(now)
		got=$(run32 --realtime-offset 1d -- "$1" time) || return 1
		for v in $got; do
			near "$v" $((base + DAY)) 2 || { echo "$1 time: $got, kernel $base"; return 1; }
		done
		[ "$(wc -w <<<"$got")" -eq 3 ] || { echo "$1 time: '$got'"; return 1; }
	}
	check "i386 glibc dynamic: clock_gettime, gettimeofday, time see --realtime-offset 1d" t32_time "$WORK/clock32"
	check "i386 glibc static: clock_gettime, gettimeofday, time see --realtime-offset 1d" t32_time "$WORK/clock32s"

	# t32_vsyscall PROG: getpid through AT_SYSINFO is the process's pid.
	t32_vsyscall() {
		local got
		got=$(run32 -- "$1" vsyscall) || return 1
		read -r a b <<<"$got"
		[ "$a" = "$b" ] && [ "$a" -gt 0 ] || { echo "__kernel_vsyscall getpid / getpid: $got"; return 1; }
	}
	check "i386 dynamic: __kernel_vsyscall through AT_SYSINFO makes a system call" t32_vsyscall "$WORK/clock32"
	check "i386 static: __kernel_vsyscall through AT_SYSINFO makes a system call" t32_vsyscall "$WORK/clock32s"

	# The image at AT_SYSINFO_EHDR is ours, byte for byte, and AT_SYSINFO lies inside it.
	t32_image() {
		local size
		size=$(stat -c %s "$IMAGE32")
		run32 -- "$WORK/clock32" image "$WORK/seen32.so" "$size" || return 1
		cmp "$IMAGE32" "$WORK/seen32.so" || { echo "AT_SYSINFO_EHDR is not $IMAGE32"; return 1; }
	}
	check "i386: AT_SYSINFO_EHDR is the i386 image, byte for byte" t32_image

	t32_verbose() {
		local out
		out=$(run32 --verbose -- "$WORK/clock32" vsyscall 2>&1 >/dev/null) || return 1
		grep -q 'vsyscall .*__kernel_vsyscall (AT_SYSINFO)' <<<"$out" &&
			grep -q 'interpreter .*ld-linux.so.2' <<<"$out" || { echo "$out"; return 1; }
	}
	check "i386 --verbose: the interpreter and AT_SYSINFO are reported" t32_verbose

	# A 64-bit image for an i386 program: one line, exit 2, naming the image needed.
	t32_refuse() {
		local out rc
		out=$("$LOADER" $FOLLOW --image "$IMAGE" -- "$WORK/clock32" time 2>&1)
		rc=$?
		[ "$rc" -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -q 'give an i386 image' <<<"$out" ||
			{ echo "rc $rc: $out"; return 1; }
	}
	check "i386 program with only an x86-64 image: refused in one line, exit 2" t32_refuse

	# A hostile ELF32 program: a PT_LOAD that would wrap the 32-bit address space.
	t32_hostile() {
		local out rc
		python3 - "$WORK/clock32s" "$WORK/wrap32" <<-'PY' || return 1
			import struct, sys
			b = bytearray(open(sys.argv[1], 'rb').read())
			phoff, = struct.unpack_from('<I', b, 28)
			phnum, = struct.unpack_from('<H', b, 44)
			for i in range(phnum):
			    o = phoff + 32 * i
			    if struct.unpack_from('<I', b, o)[0] == 1:	# PT_LOAD: p_memsz
			        struct.pack_into('<I', b, o + 20, 0xfffff000)
			        break
			open(sys.argv[2], 'wb').write(b)
		PY
		chmod +x "$WORK/wrap32"
		out=$(run32 -- "$WORK/wrap32" 2>&1)
		rc=$?
		[ "$rc" -eq 2 ] && [ "$(wc -l <<<"$out")" -eq 1 ] && grep -q 'does not fit the address space' <<<"$out" ||
			{ echo "rc $rc: $out"; return 1; }
	}
	check "i386 program whose PT_LOAD wraps 4 GiB: one line, exit 2" t32_hostile

	# Following exec across classes: a 64-bit shell starting i386 programs, with both images.
	t32_sh() {
		local base got
		base=$(now)
		got=$("$LOADER" $FOLLOW --image "$IMAGE" --image "$IMAGE32" --realtime-offset 1d -- \
			sh -c "'$WORK/clock32' time; '$WORK/clock32s' time; '$DATE' +%s") || return 1
		for v in $got; do
			near "$v" $((base + DAY)) 2 || { echo "sh -c: $got, kernel $base"; return 1; }
		done
		[ "$(wc -w <<<"$got")" -eq 7 ] || { echo "sh -c: '$got'"; return 1; }
	}
	check "sh -c (x86-64) starting i386 programs: each gets its image and the offset" t32_sh

	# The image an exec'd i386 program finds at AT_SYSINFO_EHDR is the i386 image, byte for byte,
	# with AT_SYSINFO inside it; getpid through AT_SYSINFO works.
	t32_followed_image() {
		local size got
		size=$(stat -c %s "$IMAGE32")
		got=$("$LOADER" $FOLLOW --image "$IMAGE" --image "$IMAGE32" -- \
			sh -c "'$WORK/clock32' image '$WORK/seen32f.so' $size && '$WORK/clock32s' vsyscall") || return 1
		cmp "$IMAGE32" "$WORK/seen32f.so" || { echo "an exec'd i386 program's AT_SYSINFO_EHDR is not $IMAGE32"; return 1; }
		read -r a b <<<"$got"
		[ "$a" = "$b" ] && [ "$a" -gt 0 ] || { echo "__kernel_vsyscall getpid / getpid: $got"; return 1; }
	}
	check "sh -c (x86-64) exec'ing i386 programs: AT_SYSINFO_EHDR is the i386 image, AT_SYSINFO in it" t32_followed_image

	# An i386 program's own execve (int \$0x80): of an i386 program, rewritten; of an x86-64 one
	# with no x86-64 image, run as the kernel would, with a --verbose note.
	t32_exec() {
		local base got
		base=$(now)
		got=$(run32 --realtime-offset 1d -- "$WORK/clock32" exec "$WORK/clock32s" time) || return 1
		for v in $got; do
			near "$v" $((base + DAY)) 2 || { echo "i386 exec: $got, kernel $base"; return 1; }
		done
		[ "$(wc -w <<<"$got")" -eq 6 ] || { echo "i386 exec: '$got'"; return 1; }
	}
	check "i386 execve of an i386 program (fork+exec, and exec in place): the image follows" t32_exec
	t32_reexec() {
		local base got
		base=$(now)
		got=$(run32 --realtime-offset 1d -- "$WORK/clock32" reexec) || return 1
		for v in $got; do
			near "$v" $((base + DAY)) 2 || { echo "i386 re-exec: $got, kernel $base"; return 1; }
		done
		[ "$(wc -w <<<"$got")" -eq 3 ] || { echo "i386 re-exec: '$got'"; return 1; }
	}
	check "i386 re-exec of /proc/self/exe (which names vdso-run32) runs the program again" t32_reexec
	t32_exec64() {
		local base out got
		base=$(now)
		out=$(run32 --verbose --realtime-offset 1d -- "$WORK/clock32" exec "$DATE" +%s 2>"$WORK/err32") || return 1
		got=$(tr '\n' ' ' <<<"$out")
		for v in $got; do
			near "$v" "$base" 2 || { echo "x86-64 date under an i386 image: $got, kernel $base"; return 1; }
		done
		grep -q 'an ELF64 x86-64 program, for which no x86-64 image was given' "$WORK/err32" ||
			{ cat "$WORK/err32"; return 1; }
	}
	check "i386 execve of an x86-64 program with only the i386 image: the kernel runs it, noted" t32_exec64
fi
