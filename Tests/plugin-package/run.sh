#!/bin/sh
# Builds the plugin consumer package against this checkout and runs it: proof that a Swift
# package gets a checked vDSO compiled into a target with no script of its own.
#   Tests/plugin-package/run.sh [WORKDIR]
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
# The consumer names its dependency by path `../vdsogen`: lay it out that way.
rm -rf "$work/consumer" "$work/vdsogen"
ln -s "$root" "$work/vdsogen"
mkdir -p "$work/consumer"
cp -R "$root/Tests/plugin-package/Package.swift" "$root/Tests/plugin-package/Sources" "$work/consumer/"
cd "$work/consumer"
swift build --quiet 2>&1 | grep -v "warning:" || true
out=$(swift run --quiet Hypervisor)
echo "$out"
case $out in
ok*) echo "1 passed, 0 failed" ;;
*) echo "0 passed, 1 failed"; exit 1 ;;
esac
