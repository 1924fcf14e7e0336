#!/bin/sh
# Tests/linux-x86/check-struct.sh VERSION [SOURCE] — the shim's struct vdso_image
# (Tests/linux-x86/shim-VERSION/asm/vdso.h) field by field against the one
# arch/x86/include/asm/vdso.h declares in Linux's source: SOURCE is a source tarball (default
# /usr/src/linux-source-VERSION.tar.xz, Debian's linux-source-VERSION) or that vdso.h itself (as
# Tests/realworld/fetch.sh keeps it).
set -eu
VERSION=${1:?usage: $0 VERSION [TARBALL]}
TARBALL=${2:-/usr/src/linux-source-$VERSION.tar.xz}
case $TARBALL in
*.tar.xz) top=$(basename "$TARBALL" .tar.xz); header() { tar -xJOf "$TARBALL" "$top/arch/x86/include/asm/vdso.h"; } ;;
*) top="Linux $VERSION ($TARBALL)"; header() { cat "$TARBALL"; } ;;
esac
fields() { sed -n '/^struct vdso_image {/,/^};/p' | sed -e 's|/\*.*\*/||' -e 's/[[:space:]]\{1,\}/ /g' -e 's/^ //' -e 's/ $//' | grep -v '^$'; }
real=$(header | fields)
shim=$(fields < "$(dirname "$0")/shim-$VERSION/asm/vdso.h")
if [ "$real" = "$shim" ]; then
	echo "ok - the shim's struct vdso_image is $top's, field by field"
else
	echo "not ok - the shim's struct vdso_image differs from $top's:"
	printf '%s\n' "$real" > /tmp/vdso-struct-real.$$
	printf '%s\n' "$shim" | diff /tmp/vdso-struct-real.$$ - || true
	rm -f /tmp/vdso-struct-real.$$
	exit 1
fi
