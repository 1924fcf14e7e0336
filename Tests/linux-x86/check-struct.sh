#!/bin/sh
# Tests/linux-x86/check-struct.sh [TARBALL] — the shim's struct vdso_image (Tests/linux-x86/shim/
# asm/vdso.h) field by field against the one arch/x86/include/asm/vdso.h declares in the Linux
# source tarball (default /usr/src/linux-source-6.12.tar.xz, Debian's linux-source-6.12).
set -eu
TARBALL=${1:-/usr/src/linux-source-6.12.tar.xz}
top=$(basename "$TARBALL" .tar.xz)
fields() { sed -n '/^struct vdso_image {/,/^};/p' | sed -e 's|/\*.*\*/||' -e 's/[[:space:]]\{1,\}/ /g' -e 's/^ //' -e 's/ $//' | grep -v '^$'; }
real=$(tar -xJOf "$TARBALL" "$top/arch/x86/include/asm/vdso.h" | fields)
shim=$(fields < "$(dirname "$0")/shim/asm/vdso.h")
if [ "$real" = "$shim" ]; then
	echo "ok - the shim's struct vdso_image is $top's, field by field"
else
	echo "not ok - the shim's struct vdso_image differs from $top's:"
	printf '%s\n' "$real" > /tmp/vdso-struct-real.$$
	printf '%s\n' "$shim" | diff /tmp/vdso-struct-real.$$ - || true
	rm -f /tmp/vdso-struct-real.$$
	exit 1
fi
