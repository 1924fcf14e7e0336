#!/bin/sh
# Tests/dist/make-dist.sh OUT — the release archive `make dist` writes: OUT/dist/vdsogen-VERSION-
# MACHINE-linux.tar.gz, holding the static vdsogen, vdso-run, vdso-run32 and the guest loaders
# vdso-run-ARCH (qemu-user runs them for foreign programs), with the driver and header of
# `run --kernel-side` in lib/vdso-run, the man pages, vdsogen.mk, the
# linker scripts and the default vDSO sources, so that a repository with no Swift can vendor it.
# Reproducible: files sorted, owner 0, the mtime of the last commit (SOURCE_DATE_EPOCH when set),
# gzip without a name or time stamp. Prints the archive's path.
set -eu
OUT=$1
VDSOGEN=$OUT/bin/vdsogen
version=$("$VDSOGEN" --version)
machine=$(uname -m)
name=vdsogen-$version-$machine-linux
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
stage=$OUT/dist/stage
rm -rf "$stage"
mkdir -p "$stage/$name/bin" "$stage/$name/lib" "$stage/$name/share/man/man1" "$stage/$name/share/man/man5" "$stage/$name/share/vdsogen"
install -m 755 "$VDSOGEN" "$OUT/bin/vdso-run" "$OUT/bin/vdso-run32" "$OUT"/bin/vdso-run-* "$stage/$name/bin/"
cp -R "$OUT/lib/vdso-run" "$stage/$name/lib/"
install -m 644 "$OUT/share/man/man1/vdsogen.1" "$stage/$name/share/man/man1/"
install -m 644 "$OUT/share/man/man5/vdsogen-manifest.5" "$stage/$name/share/man/man5/"
install -m 644 vdsogen.mk README.md "$stage/$name/share/vdsogen/"
cp -R linker-scripts kernel-vdso "$stage/$name/share/vdsogen/"
find "$stage/$name/share/vdsogen" "$stage/$name/lib" -type d -exec chmod 755 {} + -o -type f -exec chmod 644 {} +
archive=$OUT/dist/$name.tar.gz
tar -C "$stage" --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner --format=gnu \
	-cf - "$name" | gzip -9 -n > "$archive.tmp"
mv "$archive.tmp" "$archive"
rm -rf "$stage"
echo "$archive"
