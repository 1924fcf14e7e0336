#!/usr/bin/env bash
# Checks every real vDSO image in the cache that fetch.sh fills, as CI would:
# `vdsogen check --profile linux` (with the image's debug twin as --debug when it has one, and
# `--skip dwarf` only for an image that has no DWARF at all), one line per image, then
# `N passed, M failed`. An image with a debug twin (NAME.dbg, as Debian's package ships it) is
# checked twice: as mapped, with --debug NAME.dbg, and the twin on its own. The strict profile is
# run too; its findings are informational.
#
# Usage: Tests/realworld/run.sh [--vdsogen PATH] [--table FILE] [--findings FILE] [--fetch]
#   --vdsogen PATH   the tool to run (default out/bin/vdsogen, built with `make tool` if missing)
#   --table FILE     also write the results as a Markdown table
#   --findings FILE  also write every error of every rejected image, grouped by rule
#   --fetch          run fetch.sh first
# Environment: VDSOGEN_REALWORLD_CACHE, as for fetch.sh.
# Exit status: 0 every image passed; 1 some image failed; 2 no image, or a usage error.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
CACHE=${VDSOGEN_REALWORLD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vdsogen/realworld}
VDSOGEN=""
TABLE=""
FINDINGS=""
FETCH=0
while [ $# -gt 0 ]; do
  case "$1" in
    --vdsogen) VDSOGEN=$2; shift 2 ;;
    --table) TABLE=$2; shift 2 ;;
    --findings) FINDINGS=$2; shift 2 ;;
    --fetch) FETCH=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [ -z "$VDSOGEN" ]; then
  VDSOGEN=$root/out/bin/vdsogen
  [ -x "$VDSOGEN" ] || make -C "$root" --no-print-directory tool >&2
fi
[ -x "$VDSOGEN" ] || { echo "run.sh: no vdsogen at $VDSOGEN" >&2; exit 2; }
[ $FETCH = 1 ] && "$here/fetch.sh"

if [ ! -s "$CACHE/images.txt" ]; then
  echo "run.sh: no images in $CACHE: run Tests/realworld/fetch.sh (or make test-realworld)" >&2
  exit 2
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
i=0
# check IMAGE FORM ARGS...: runs both profiles on one image and files the results as number $i.
check() {
  local image=$1 form=$2 profile
  shift 2
  i=$((i + 1))
  for profile in linux strict; do
    set +e
    "$VDSOGEN" check --profile "$profile" --format json "$@" "$image" \
      > "$results/$i.$profile.json" 2> "$results/$i.$profile.err"
    echo $? > "$results/$i.$profile.rc"
    set -e
  done
  printf '%s\t%s\t%s\n' "$image" "$form" "$*" > "$results/$i.image"
}
while IFS= read -r image; do
  [ -f "$image" ] || continue
  if [ -f "$image.dbg" ]; then
    # The image as the kernel maps it, with its debug twin; then the twin alone, as the
    # package ships it.
    check "$image" mapped+debug --debug "$image.dbg"
    check "$image.dbg" shipped
  elif python3 "$here/elfinfo.py" --has-dwarf "$image"; then
    check "$image" mapped
  else
    check "$image" mapped --skip dwarf
  fi
done < "$CACHE/images.txt"

report_args=(--cache "$CACHE" --results "$results" --count "$i")
[ -n "$TABLE" ] && report_args+=(--table "$TABLE")
[ -n "$FINDINGS" ] && report_args+=(--findings "$FINDINGS")
python3 "$here/report.py" "${report_args[@]}"
