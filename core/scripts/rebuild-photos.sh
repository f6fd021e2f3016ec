#!/usr/bin/env bash
# Rebuilds the training photo set described in core/data/SOURCES.md from the
# Debian packages it names, so training does not depend on a shared folder.
#
# Usage: core/scripts/rebuild-photos.sh OUT_DIR [SOURCES.md]
#
# Downloads each package with `apt-get download` (no installation, no root
# needed) into a temporary folder, unpacks it with `dpkg-deb -x`, and hands the
# originals to resize-photos.js (sharp: EXIF orientation, long side <= 1600 px,
# Lanczos 3, PNG). Needs apt-get, dpkg-deb, node and the repository's
# node_modules (sharp). Then: npx fluxir train --data OUT_DIR
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
prog=$(basename "$0")

die() { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$prog" "$*" >&2; }

[[ $# -ge 1 && $# -le 2 && -n $1 ]] || { echo "usage: $prog OUT_DIR [SOURCES.md]" >&2; exit 2; }
out_dir=$1
sources_md=${2:-$script_dir/../data/SOURCES.md}
[[ -f $sources_md ]] || die "no such file: $sources_md"
for tool in apt-get dpkg-deb node; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fluxir-photos.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Parse the source table: | file | size | source | ---------------------------
files=() sizes=() pkgs=() paths=()
declare -A pkg_version=()
source_re='^Debian package ([a-z0-9][a-z0-9.+-]*)( ([^ :]+))?: (/.+)$'
trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; s=${s%"${s##*[![:space:]]}"}; printf '%s' "$s"; }
while IFS= read -r line; do
  [[ $line == \|* ]] || continue
  IFS='|' read -r _ c_file c_size c_source _rest <<<"$line"
  c_file=$(trim "$c_file") c_size=$(trim "$c_size") c_source=$(trim "$c_source")
  [[ $c_file == file || $c_file == -* ]] && continue # header and separator rows
  [[ $c_file =~ ^[A-Za-z0-9._-]+\.png$ ]] || die "bad file name in $sources_md: '$c_file'"
  [[ $c_size =~ ^[0-9]+x[0-9]+$ ]] || die "bad size for $c_file in $sources_md: '$c_size'"
  [[ $c_source =~ $source_re ]] || die "unrecognised source for $c_file in $sources_md: '$c_source'"
  pkg=${BASH_REMATCH[1]} version=${BASH_REMATCH[3]} src_path=${BASH_REMATCH[4]}
  if [[ -n $version ]]; then
    [[ -z ${pkg_version[$pkg]:-} || ${pkg_version[$pkg]} == "$version" ]] \
      || die "$sources_md names two versions of $pkg: ${pkg_version[$pkg]} and $version"
    pkg_version[$pkg]=$version
  else
    pkg_version[$pkg]=${pkg_version[$pkg]:-}
  fi
  files+=("$c_file") sizes+=("$c_size") pkgs+=("$pkg") paths+=("$src_path")
done <"$sources_md"
((${#files[@]} > 0)) || die "no photos found in the table of $sources_md"
dups=$(printf '%s\n' "${files[@]}" | sort | uniq -d)
[[ -z $dups ]] || die "listed more than once in $sources_md: $dups"
mapfile -t packages < <(printf '%s\n' "${pkgs[@]}" | sort -u)
note "${#files[@]} photos from ${#packages[@]} packages: ${packages[*]}"

# --- Download -------------------------------------------------------------------
mkdir -p "$tmp/debs"
download() { (cd "$tmp/debs" && apt-get download "${packages[@]}") 2>"$tmp/apt.err"; }
if ! download; then
  cat "$tmp/apt.err" >&2
  # Missing or stale package lists: "Unable to locate package", "has no
  # installation candidate", or a 404 for a .deb the mirror has since replaced.
  if grep -qE 'Unable to locate package|no installation candidate|Can.t select|Failed to fetch|404' "$tmp/apt.err"; then
    if [[ $(id -u) -ne 0 ]]; then
      die "apt-get download failed, apparently for lack of (current) package lists; run 'sudo apt-get update' and try again"
    fi
    note "apt-get download failed, apparently for lack of (current) package lists: running 'apt-get update' and trying again"
    apt-get update >&2
    rm -f "$tmp/debs"/*.deb
    download || { cat "$tmp/apt.err" >&2; die "apt-get download failed again after apt-get update"; }
  else
    die "apt-get download failed"
  fi
fi
grep -v '^W: Download is performed unsandboxed' "$tmp/apt.err" >&2 || true

# --- Check versions and unpack --------------------------------------------------
for pkg in "${packages[@]}"; do
  debs=("$tmp/debs/${pkg}_"*.deb)
  [[ -f ${debs[0]} && ${#debs[@]} -eq 1 ]] || die "apt-get download did not leave exactly one .deb for $pkg"
  full=$(dpkg-deb -f "${debs[0]}" Version)
  upstream=${full#*:}     # drop the epoch
  upstream=${upstream%-*} # drop the Debian revision
  wanted=${pkg_version[$pkg]}
  if [[ -z $wanted ]]; then
    note "$pkg $full (SOURCES.md names no version)"
  elif [[ $upstream == "$wanted" || $upstream == "$wanted"[+~]* ]]; then
    note "$pkg $full (SOURCES.md: $wanted)"
  else
    note "WARNING: $pkg is $full but SOURCES.md names $wanted; the photos may differ"
  fi
  mkdir -p "$tmp/root/$pkg"
  dpkg-deb -x "${debs[0]}" "$tmp/root/$pkg"
done

# Resolves PATH inside the unpacked tree ROOT, following symbolic links
# (absolute ones relative to ROOT), so nothing outside the package is read.
resolve_in_root() {
  local root=$1 rest=${2#/} done_="" comp target hops=0
  while [[ -n $rest ]]; do
    comp=${rest%%/*}
    [[ $rest == */* ]] && rest=${rest#*/} || rest=""
    case $comp in
      "" | .) continue ;;
      ..) done_=${done_%/*}; continue ;;
    esac
    if [[ -L $root$done_/$comp ]]; then
      ((++hops <= 40)) || return 1
      target=$(readlink "$root$done_/$comp")
      [[ $target == /* ]] && done_=""
      rest=${target#/}${rest:+/$rest}
    else
      done_=$done_/$comp
    fi
  done
  printf '%s%s' "$root" "$done_"
}

json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }

{
  printf '['
  for i in "${!files[@]}"; do
    src=$(resolve_in_root "$tmp/root/${pkgs[$i]}" "${paths[$i]}") \
      || die "too many symbolic links resolving ${paths[$i]} in ${pkgs[$i]}"
    [[ -f $src ]] || die "${pkgs[$i]} has no ${paths[$i]} (needed for ${files[$i]})"
    ((i > 0)) && printf ','
    printf '\n{"file":%s,"source":%s}' "$(json_str "${files[$i]}")" "$(json_str "$src")"
  done
  printf '\n]\n'
} >"$tmp/list.json"

# --- Resize ---------------------------------------------------------------------
mkdir -p "$out_dir"
node "$script_dir/resize-photos.js" "$out_dir" "$tmp/list.json" | sed "s|$tmp/root/||" | tee "$tmp/resized.txt"
cp "$sources_md" "$out_dir/SOURCES.md"

# --- Check the sizes against the table -----------------------------------------
mismatch=0
for i in "${!files[@]}"; do
  got=$(awk -F'\t' -v f="${files[$i]}" '$1 == f { n = split($2, a, " -> "); print a[n] }' "$tmp/resized.txt")
  if [[ $got != "${sizes[$i]}" ]]; then
    note "WARNING: ${files[$i]} is ${got:-missing}, SOURCES.md says ${sizes[$i]}"
    mismatch=1
  fi
done
shopt -s nullglob nocaseglob
for f in "$out_dir"/*.{png,jpg,jpeg,webp,tif,tiff}; do
  name=$(basename "$f")
  printf '%s\n' "${files[@]}" | grep -qxF "$name" || note "WARNING: $out_dir also holds $name, which is not in SOURCES.md (training would use it)"
done
((mismatch == 0)) || die "some photos do not have the size SOURCES.md gives"
note "rebuilt ${#files[@]} photos in $out_dir"
