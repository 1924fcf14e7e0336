#!/usr/bin/env bash
# Downloads real vDSO images that vdsogen did not build into a cache outside the repository:
#
#   - Linux's own images, from Debian's kernel debug packages (linux-image-<version>-<flavour>-dbg),
#     for every Debian architecture whose kernel has a vDSO, for bookworm's Linux 6.1 and for the
#     newest kernel Debian ships;
#   - User-mode Linux's image (Debian's user-mode-linux package, carved out of the linux binary);
#   - gVisor's image (Debian's runsc package, carved out of the runsc binary);
#   - the running kernel's image, read from this process's own address space;
#   - the newest Linux source package's x86 <asm/vdso.h>, for emit --linux-x86's struct check.
#
# Each Linux image is kept twice: NAME.dbg as Debian ships it (unstripped, with DWARF), and NAME,
# made from it the way the kernel's build makes the mapped image (objcopy -S; x86 also drops
# __ex_table). The carved and dumped images have no debug twin.
#
# Usage: Tests/realworld/fetch.sh [--list FILE] [--only linux|uml|gvisor|running|sources]...
#   --list FILE   also append the path of every image as it arrives to FILE (one a line)
#   --only WHAT   fetch only that producer (may be repeated)
# Environment: VDSOGEN_REALWORLD_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/vdsogen/realworld),
# REALWORLD_KERNELS (default "6.1 newest"), REALWORLD_ARCHES (default: every one below).
#
# Idempotent: a package already downloaded is not downloaded again, an image already extracted is
# not extracted again. apt runs with a private configuration and state under the cache, so the
# system's sources, architectures and package state are never changed and root is not needed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${VDSOGEN_REALWORLD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vdsogen/realworld}
KERNELS=${REALWORLD_KERNELS:-6.1 newest}
LIST=""
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --list) LIST=$2; shift 2 ;;
    --only) ONLY="$ONLY $2"; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "fetch.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
wanted() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

# Debian architecture -> kernel flavour whose -dbg package carries the vDSO.
declare -A FLAVOUR=(
  [amd64]=amd64 [i386]=686-pae [arm64]=arm64 [armhf]=armmp [ppc64el]=powerpc64le
  [s390x]=s390x [mips64el]=mips64r2el [riscv64]=riscv64 [loong64]=loong64
)
ARCHES=${REALWORLD_ARCHES:-amd64 i386 arm64 armhf ppc64el s390x mips64el riscv64 loong64}

mkdir -p "$CACHE"/{apt/lists/partial,apt/cache/archives/partial,apt/etc/preferences.d,apt/etc/sources.list.d,debs,images}
touch "$CACHE/apt/status"
cat > "$CACHE/apt/etc/sources.list" <<'EOF'
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian sid main
EOF
APT_OPTS=(
  -o "Dir::Etc::SourceList=$CACHE/apt/etc/sources.list"
  -o "Dir::Etc::SourceParts=$CACHE/apt/etc/sources.list.d"
  -o "Dir::Etc::Preferences=$CACHE/apt/etc/preferences"
  -o "Dir::Etc::PreferencesParts=$CACHE/apt/etc/preferences.d"
  -o "Dir::State::Lists=$CACHE/apt/lists"
  -o "Dir::Cache=$CACHE/apt/cache"
  -o "Dir::Cache::pkgcache=$CACHE/apt/cache/pkgcache.bin"
  -o "Dir::Cache::srcpkgcache=$CACHE/apt/cache/srcpkgcache.bin"
  -o "Dir::State::status=$CACHE/apt/status"
  -o "APT::Architectures=$(echo "$ARCHES" | tr ' ' ',')"
  -o "Acquire::Languages=none"
  -o "Debug::NoLocking=1"
)
apt_() { "$1" "${APT_OPTS[@]}" "${@:2}"; }
# apt-get download into the current directory; apt's note that it cannot hand a directory under
# $HOME to its sandbox user is expected and not shown.
apt_download() {
  apt_ apt-get -qq download "$@" 2>&1 | grep -v 'Download is performed unsandboxed' >&2 || true
  [ -n "$(ls ./*.deb 2>/dev/null)" ]
}

log() { echo "fetch: $*" >&2; }

# Records an image (and its debug twin, if any) in the cache's index and in --list.
record() {
  local image=$1
  grep -qxF "$image" "$CACHE/images.txt" 2>/dev/null || echo "$image" >> "$CACHE/images.txt"
  if [ -n "$LIST" ]; then
    grep -qxF "$image" "$LIST" 2>/dev/null || echo "$image" >> "$LIST"
  fi
}

# Linux's build strips with the target's GNU objcopy: use it where it is installed (Debian's
# binutils-<triplet> packages), llvm-objcopy where it is not.
objcopy_for() {
  local c
  case "$1" in
    3e00|0300) c=objcopy ;;
    b700) c=aarch64-linux-gnu-objcopy ;;
    2800) c=arm-linux-gnueabihf-objcopy ;;
    0015|1500) c=powerpc64le-linux-gnu-objcopy ;;
    0016) c=s390x-linux-gnu-objcopy ;;
    0800) c=mips64el-linux-gnuabi64-objcopy ;;
    f300) c=riscv64-linux-gnu-objcopy ;;
    *) c=loongarch64-linux-gnu-objcopy ;;
  esac
  command -v "$c" >/dev/null && { echo "$c"; return; }
  command -v llvm-objcopy >/dev/null && { echo llvm-objcopy; return; }
  echo objcopy
}

# Makes the mapped image from the debug image as Linux's build does: objcopy -S, and on x86
# also --remove-section __ex_table (arch/x86/entry/vdso/Makefile).
STRIP_RECIPE=stripped-gnu-objcopy   # changes when the recipe does, so old images are remade
strip_like_kbuild() {
  local dbg=$1 out=$2 machine
  machine=$(od -An -tx1 -j18 -N2 "$dbg" | tr -d ' ')
  local extra=()
  case "$machine" in 3e00|0300) extra=(--remove-section=__ex_table) ;; esac
  "$(objcopy_for "$machine")" -S "${extra[@]}" "$dbg" "$out.tmp" && mv "$out.tmp" "$out"
}

apt_updated=0
apt_update() {
  [ $apt_updated = 1 ] && return 0
  # The lists are refreshed once a day at most.
  if [ -z "$(find "$CACHE/apt/lists" -maxdepth 1 -name '*_Packages*' -mtime -1 2>/dev/null | head -1)" ]; then
    log "apt-get update (private state under $CACHE/apt)"
    apt_ apt-get -qq update >&2
  fi
  apt_updated=1
}

# Every kernel debug package of every architecture, one "name version arch" a line: one apt
# query for all of them (a query per package costs seconds each).
dbg_index() {
  local index=$CACHE/apt/dbg-index.txt
  if [ ! -s "$index" ] || [ -n "$(find "$CACHE/apt/lists" -maxdepth 1 -newer "$index" -name '*_Packages*' | head -1)" ]; then
    # shellcheck disable=SC2046
    apt_ apt-cache madison $(apt_ apt-cache pkgnames linux-image- | grep -E -- '-dbg$' | grep -v -- '-rt-') \
      | awk -F'|' '{ gsub(/ /, "", $1); gsub(/ /, "", $2); sub(/:.*/, "", $1);
                     n = split($3, w, " "); print $1, $2, w[n - 1] }' | sort -u > "$index.tmp"
    mv "$index.tmp" "$index"
  fi
  echo "$index"
}

# Prints the newest package name matching an extended regex that exists for ARCH, or nothing.
resolve() {
  local arch=$1 regex=$2
  awk -v a="$arch" '$3 == a { print $1 }' "$(dbg_index)" | grep -E "$regex" | sort -rV | head -1 || true
}

# Downloads one package (NAME, ARCH, optional VERSION) into debs/ unless it is there; prints the
# .deb's path. Downloaded aside and moved in whole, so an interrupted download is never taken for
# a package.
download() {
  local name=$1 arch=$2 ver=${3:-} deb spec part
  local pattern="${name}_${ver:-*}_${arch}.deb"
  # shellcheck disable=SC2086  # the pattern is meant to glob
  deb=$(ls "$CACHE"/debs/$pattern 2>/dev/null | head -1 || true)
  if [ -z "$deb" ]; then
    spec="$name:$arch${ver:+=$ver}"
    log "apt-get download $spec"
    part=$CACHE/debs/partial.$$
    rm -rf "$part"; mkdir -p "$part"
    (cd "$part" && apt_download "$spec")
    deb="$CACHE/debs/$(basename "$(ls "$part"/*.deb | head -1)")"
    mv "$part"/*.deb "$CACHE/debs/" && rmdir "$part"
  fi
  echo "$deb"
}

fetch_linux() {
  local kernel arch flav regex pkg deb kver dir tmp f name
  apt_update
  for kernel in $KERNELS; do
    for arch in $ARCHES; do
      flav=${FLAVOUR[$arch]}
      case "$kernel" in
        6.1) regex="^linux-image-6\.1\.0-[0-9]+-$flav-dbg\$" ;;
        newest) regex="^linux-image-[0-9]+\.[0-9.]+(\+deb[0-9]+)?-$flav-dbg\$|^linux-image-[0-9]+\.[0-9]+\.0-[0-9]+-$flav-dbg\$" ;;
        *) regex="^linux-image-${kernel//./\\.}[.0-9+deb-]*-$flav-dbg\$" ;;
      esac
      pkg=$(resolve "$arch" "$regex")
      if [ -z "$pkg" ]; then log "no Linux $kernel debug package for $arch ($flav)"; continue; fi
      kver=${pkg#linux-image-}; kver=${kver%-dbg}
      dir="$CACHE/images/linux/$kver"
      if [ -e "$dir/.done" ] && [ -z "$(ls "$dir"/*.so 2>/dev/null)" ]; then
        rm -f "$dir/.done"   # marked done by an older fetch that found nothing: try again
      fi
      if [ -e "$dir/.done" ]; then
        for f in "$dir"/*.so.dbg; do
          [ -e "$f" ] || continue
          [ -e "$dir/.$STRIP_RECIPE" ] || strip_like_kbuild "$f" "${f%.dbg}"
        done
        for f in "$dir"/*.so; do [ -e "$f" ] && record "$f"; done
        touch "$dir/.$STRIP_RECIPE"
        continue
      fi
      deb=$(download "$pkg" "$arch")
      tmp=$(mktemp -d "$CACHE/extract.XXXXXX")
      # Most architectures' packages carry the vdso/ folder (make vdso_install); the others'
      # images are carved out of vmlinux, where the kernel embeds the mapped image.
      # vmlinux is boot/vmlinux-* up to Linux 6.x's packages, lib/modules/*/vmlinux (with
      # boot/vmlinux-* a symbolic link to it) from 7.x's.
      dpkg-deb --fsys-tarfile "$deb" \
        | tar -x -C "$tmp" --wildcards '*/vdso/*' '*/boot/vmlinux-*' '*/modules/*/vmlinux' 2>/dev/null || true
      mkdir -p "$dir"
      echo "$arch" > "$dir/.arch"
      echo "$pkg" > "$dir/.package"
      dpkg-deb -f "$deb" Version > "$dir/.version"
      while IFS= read -r -d '' f; do
        name=$(basename "$f")
        name=${name%.dbg}
        cp "$f" "$dir/$name.dbg"
        strip_like_kbuild "$dir/$name.dbg" "$dir/$name"
        record "$dir/$name"
        log "linux $kver $arch: $dir/$name"
      done < <(find "$tmp" -path '*/vdso/*' -type f -name '*.so*' ! -path '*/.build-id/*' -print0)
      if [ -z "$(ls "$dir"/*.so 2>/dev/null)" ]; then
        find "$tmp" \( -path '*/boot/vmlinux-*' -o -path '*/modules/*/vmlinux' \) -type f -print0 \
          | xargs -0 -r -n1 python3 "$here/carve.py" --out "$dir" --prefix vdso-from-vmlinux >&2
        for f in "$dir"/*.so; do
          [ -e "$f" ] && { record "$f"; log "linux $kver $arch (from vmlinux): $f"; }
        done
      fi
      rm -rf "$tmp"
      if [ -z "$(ls "$dir"/*.so 2>/dev/null)" ]; then
        # Not marked done: a later fetch (with a fixed extraction) tries the package again.
        log "error: no vDSO image found in $pkg ($arch): neither a vdso/ folder nor one in vmlinux"
        fetch_failed=1
        continue
      fi
      touch "$dir/.done" "$dir/.$STRIP_RECIPE"
      rm -f "$deb"   # the image is kept; the package (hundreds of MB) is not needed again
    done
  done
}

# Carves every embedded ELF shared object whose soname contains "vdso" out of a binary.
carve() {
  python3 "$here/carve.py" "$@"
}

# fetch_carved PRODUCER PACKAGE FILE-GLOB: every version of PACKAGE (amd64) in any suite; the
# vDSO images embedded in its executables named FILE-GLOB are carved out into
# images/PRODUCER/VERSION/.
fetch_carved() {
  local producer=$1 package=$2 glob=$3 ver deb tmp dir f
  apt_update
  for ver in $(apt_ apt-cache madison "$package" | awk -F'|' '$3 ~ /amd64/ {gsub(/ /,"",$2); print $2}' | sort -u); do
    dir="$CACHE/images/$producer/$ver"
    if [ ! -e "$dir/.done" ]; then
      # apt names the file without the epoch's colon.
      deb=$(download "$package" amd64 "${ver#*:}")
      tmp=$(mktemp -d "$CACHE/extract.XXXXXX")
      dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp"
      mkdir -p "$dir"
      find "$tmp" -type f -name "$glob" -print0 \
        | xargs -0 -r -n1 python3 "$here/carve.py" --out "$dir" --prefix vdso >&2
      echo "$ver" > "$dir/.version"
      rm -rf "$tmp"; touch "$dir/.done"; rm -f "$deb"
    fi
    for f in "$dir"/*.so; do [ -e "$f" ] && { record "$f"; log "$producer $ver: $f"; }; done
  done
}

fetch_running() {
  local rel dir
  rel=$(uname -r)
  dir="$CACHE/images/running/$rel"
  mkdir -p "$dir"
  if [ ! -s "$dir/vdso.so" ]; then
    python3 "$here/dump-running.py" "$dir/vdso.so"
  fi
  record "$dir/vdso.so"
  log "running $rel: $dir/vdso.so"
}

# The newest Linux source package's arch/x86/include/asm/vdso.h, for Tests/linux-x86/check-struct.sh
# (emit --linux-x86's shim of that kernel's struct vdso_image): sources/VERSION/vdso.h.
fetch_sources() {
  local pkg ver dir deb tmp
  apt_update
  pkg=$(apt_ apt-cache pkgnames linux-source- | grep -E '^linux-source-[0-9]+\.[0-9]+$' | sort -V | tail -1)
  [ -n "$pkg" ] || { log "no linux-source package"; return; }
  ver=${pkg#linux-source-}
  dir="$CACHE/sources/$ver"
  if [ ! -s "$dir/vdso.h" ]; then
    deb=$(download "$pkg" all)
    tmp=$(mktemp -d "$CACHE/extract.XXXXXX")
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards '*.tar.xz'
    mkdir -p "$dir"
    tar -xJOf "$tmp/usr/src/$pkg.tar.xz" "$pkg/arch/x86/include/asm/vdso.h" > "$dir/vdso.h.tmp" && mv "$dir/vdso.h.tmp" "$dir/vdso.h"
    rm -rf "$tmp" "$deb"
  fi
  log "linux $ver source: $dir/vdso.h"
}

fetch_failed=0
wanted sources && fetch_sources
wanted running && fetch_running
wanted linux && fetch_linux
wanted uml && fetch_carved uml user-mode-linux 'linux*'
wanted gvisor && fetch_carved gvisor runsc 'runsc*'
log "images listed in $CACHE/images.txt"
[ $fetch_failed = 0 ] || { log "some packages gave no image (see the errors above)"; exit 1; }
