# shellcheck shell=bash
# Shared helpers for tools/ and ci/.  Sourced, never run.

DMA_PHYS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export DMA_PHYS_ROOT

die() {
	printf 'error: %s\n' "$*" >&2
	exit 1
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
