#!/bin/sh
# Stand-in for the kernel's merge_config.sh: -m -O DIR BASE FRAGMENT...
set -eu
[ "$1" = -m ] && shift
[ "$1" = -O ] && { dir=$2; shift 2; }
base=$1
shift
cat "$@" >>"$base"
[ "$base" = "$dir/.config" ] || cp "$base" "$dir/.config"
