#!/bin/sh
# A git pre-commit hook: rebuild the vDSO if its inputs changed and refuse the commit when the
# image would be rejected. Install with:
#
#   ln -s ../../examples/ci/pre-commit-hook.sh .git/hooks/pre-commit
#
# VDSOGEN and MANIFEST may be set in the environment. The build is incremental (by content), so
# an unrelated commit costs a few milliseconds.
set -eu
VDSOGEN=${VDSOGEN:-out/bin/vdsogen}
MANIFEST=${MANIFEST:-kernel-vdso/arch/x86_64/vdso.toml}
OUT=${OUT:-out}

if [ ! -x "$VDSOGEN" ]; then
	echo "pre-commit: $VDSOGEN not built; run make first" >&2
	exit 1
fi
# --werror: a warning blocks the commit too.
"$VDSOGEN" build "$MANIFEST" --output-dir "$OUT" --quiet
exec "$VDSOGEN" check --quiet --werror --manifest "$MANIFEST" --debug "$OUT/vdso.so.dbg" "$OUT/vdso.so"
