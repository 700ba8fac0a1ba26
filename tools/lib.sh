# shellcheck shell=bash
# Shared helpers for tools/ and ci/.  Sourced, never run.

DMA_PHYS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DMA_PHYS_ROOT

die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
}

# die_harness MSG: like die, but the harness, a tool or the machine is at
# fault, not the patches (exit 2, the "error" outcome of ci/run).
die_harness() {
	printf 'error: %s\n' "$*" >&2
	exit 2
}

# need_tools WHO TOOL...: every TOOL is on PATH, or die_harness.
need_tools() {
	local who=$1 t
	shift
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 ||
			die_harness "$who: $t missing (not on PATH; tools/install-deps installs it)"
	done
}

# base_field KEY: a value from base.conf (or $DMA_PHYS_BASE_CONF).
base_field() {
	local conf=${DMA_PHYS_BASE_CONF:-$DMA_PHYS_ROOT/base.conf} v
	v=$(awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$conf")
	[ -n "$v" ] || die "config: no '$1' in $conf"
	printf '%s\n' "$v"
}

cache_dir() {
	printf '%s\n' "${DMA_PHYS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dma-phys}"
}

# apt_mirror: the first Debian archive URI apt is configured with (not
# the security archive), from deb822 .sources or one-line .list files.
apt_mirror() {
	_apt_uris | grep -v -e security -e '^$' | grep '/debian/*$' |
		head -n 1 | sed 's:/*$::' | grep .
}

_apt_uris() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f"
	done
}

# series_patches SERIES: the patch names in a quilt series file, in order.
series_patches() {
	sed -e 's/#.*//' -e 's/[[:space:]].*//' "$1" | grep -v '^$' || true
}

# Elapsed-time helpers for "stage ... (Ns)" lines.
now() { date +%s; }

# check_series SERIES PATCHDIR: every entry has a file, every file an entry.
check_series() {
	local series=$1 dir=$2 n=0 line p f bad=0
	[ -f "$series" ] || die "series: $series does not exist"
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		p=${line%%#*}
		p=${p%%[[:space:]]*}
		[ -n "$p" ] || continue
		[ -f "$dir/$p" ] || {
			printf 'error: series: line %d names %s, but %s/%s does not exist\n' "$n" "$p" "$dir" "$p" >&2
			bad=1
		}
	done <"$series"
	for f in "$dir"/*.patch; do
		[ -e "$f" ] || continue
		series_patches "$series" | grep -qxF "${f##*/}" || {
			printf 'error: series: %s is not listed in %s\n' "$f" "$series" >&2
			bad=1
		}
	done
	[ "$bad" = 0 ] || exit 1
	[ -n "$(series_patches "$series")" ] || die "series: $series lists no patches"
}

# patch_label N NAME: how failure lines name a patch ("3/9 foo.patch").
patch_label() {
	printf '%s/%s %s\n' "$1" "$(series_patches "$DMA_PHYS_SERIES" | wc -l)" "$2"
}
