#!/bin/sh
# The pre-commit framework's hook (.pre-commit-hooks.yaml): check the vDSO images of a commit.
#
#   pre-commit-check.sh [--manifest FILE] [--vdsogen PATH] IMAGE...
#
# Each NAME.so is checked with its debug twin NAME.so.dbg when one lies beside it (a stripped image
# alone cannot pass the rules that need DWARF), and a NAME.so.dbg on its own is checked alone; a
# pair named twice is checked once. The expectations come from --manifest, else from the manifest
# that built the image (DIR/obj/NAME/manifest.path, which vdsogen build writes), else from the
# nearest vdso.toml in the image's directory or above it; with none, check judges the image by its
# soname (Linux's expectations for a Linux soname, the generic rules for any other).
set -eu
VDSOGEN=${VDSOGEN:-vdsogen}
manifest=
while [ $# -gt 0 ]; do
	case $1 in
	--manifest) manifest=$2; shift 2 ;;
	--vdsogen) VDSOGEN=$2; shift 2 ;;
	--) shift; break ;;
	*) break ;;
	esac
done

# The manifest for image $1: the one given, the one recorded by the build, or the nearest vdso.toml.
find_manifest() {
	[ -n "$manifest" ] && { echo "$manifest"; return; }
	dir=$(dirname "$1")
	name=$(basename "$1" .so)
	if [ -f "$dir/obj/$name/manifest.path" ]; then
		recorded=$(cat "$dir/obj/$name/manifest.path")
		[ -f "$recorded" ] && { echo "$recorded"; return; }
	fi
	while :; do
		[ -f "$dir/vdso.toml" ] && { echo "$dir/vdso.toml"; return; }
		[ "$dir" = / ] || [ "$dir" = . ] && return
		dir=$(dirname "$dir")
	done
}

status=0
seen=" "
for file in "$@"; do
	case $file in
	*.so.dbg) image=${file%.dbg} ;;
	*) image=$file ;;
	esac
	case $seen in *" $image "*) continue ;; esac
	seen="$seen$image "
	set --
	if [ "$file" != "$image" ] && [ ! -f "$image" ]; then
		target=$file # a debug image on its own
	else
		target=$image
		[ -f "$image.dbg" ] && set -- --debug "$image.dbg"
	fi
	m=$(find_manifest "$image")
	[ -n "$m" ] && set -- "$@" --manifest "$m"
	"$VDSOGEN" check --quiet "$@" "$target" || status=$?
done
exit "$status"
