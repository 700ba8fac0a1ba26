#!/usr/bin/env bash
# The rotation (ci/lib/rotate.sh): which ROTATE=yes entry the default job
# runs, as a pure function of the harness checkout's commit count; and
# the real ci/arch/ data it reads.  (ci/run's use of it, on the fake
# tree: every-arch.sh, case 7.)
#
#   testing/selftests/rotate.sh
#
# Prints "ok - NAME" or "not ok - NAME: WHY" per case and "N passed, N
# failed" last; exits non-zero if any case got the wrong answer.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rotate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=ci/lib/rotate.sh
. "$root/ci/lib/rotate.sh"
# The default is no rotation; these cases are about the pick.
export DMA_PHYS_ROTATE=auto

# shellcheck source=testing/selftests/lib.sh
. "$root/testing/selftests/lib.sh"

# An arch dir: three entries in the rotation, one opt-in entry outside
# it, one default entry, one ROTATE=yes entry that is not opt-in (a
# default entry: it runs every time, never by rotation), one without
# CHECKS.
a=$tmp/arch
mkdir -p "$a"
for e in zeta beta alpha; do printf 'ARCH=%s\nCHECKS="build"\nOPT_IN=yes\nROTATE=yes\n' "$e" >"$a/$e.conf"; done
printf 'ARCH=optin\nCHECKS="build"\nOPT_IN=yes\n' >"$a/optin.conf"
printf 'ARCH=dflt\nCHECKS="build"\n' >"$a/dflt.conf"
printf 'ARCH=always\nCHECKS="build"\nROTATE=yes\n' >"$a/always.conf"
printf 'ARCH=nochecks\nOPT_IN=yes\nROTATE=yes\n' >"$a/nochecks.conf"

st_result entries-sorted-and-filtered "$(rotate_entries "$a" | xargs)" "alpha beta zeta"

# Round robin: 2N successive counters pick every entry twice, in order.
got=""
for c in 0 1 2 3 4 5; do got="$got$(rotate_index "$c" 3)"; done
st_result index-round-robin "$got" "012012"

# A git checkout with k commits picks entry k mod N (1-based k mod N + 1).
g=$tmp/git
mkdir -p "$g"
git -C "$g" init -q
for k in 1 2 3 4; do
	git -C "$g" -c user.name=t -c user.email=t@t commit -q --allow-empty -m "c$k"
	read -r name pos n why <<<"$(rotate_pick "$a" "$g")"
	want=$(rotate_entries "$a" | sed -n "$((k % 3 + 1))p")
	st_result "pick-after-$k-commits" "$name $pos $n $why" "$want $((k % 3 + 1)) 3 $k commits"
done
# The same checkout picks the same entry every time (a re-run repeats it).
st_result same-commit-same-pick "$(rotate_pick "$a" "$g")" "$(rotate_pick "$a" "$g")"

# Not a git checkout: the UTC day number.
n=$(mktemp -d "/tmp/rotate-nogit.XXXXXX")
day=$(($(date -u +%s) / 86400))
got=$(rotate_pick "$a" "$n" | cut -d' ' -f4-)
rmdir "$n"
# (a run across midnight UTC may see the next day)
[ "$got" = "$((day + 1)) days" ] && got="$day days"
st_result no-git-day-number "$got" "$day days"

st_result rotate-no "$(DMA_PHYS_ROTATE=no rotate_pick "$a" "$g")" ""
st_result rotate-default-is-none "$(DMA_PHYS_ROTATE='' rotate_pick "$a" "$g")" ""
st_result rotate-named "$(DMA_PHYS_ROTATE=zeta rotate_pick "$a" "$g")" "zeta 3 3 DMA_PHYS_ROTATE"
rc=0
DMA_PHYS_ROTATE=optin rotate_pick "$a" "$g" >/dev/null || rc=$?
st_result rotate-named-not-in-rotation "$rc" 1
mkdir -p "$tmp/empty"
st_result no-rotation-entries "$(rotate_pick "$tmp/empty" "$g")" ""

# The real entries: the dma_map_ops providers, every one opt-in, and
# every counter value picks one of them.
real=$(rotate_entries "$root/ci/arch" | xargs)
st_result real-rotation "$real" "alpha alpha-clipper arm-iommu mips-jazz parisc parisc64 ppc64-ps3 riscv64 sparc32 sparc64 sparc64-sun4u x86_64-providers"
bad=""
for f in "$root"/ci/arch/*.conf; do
	! grep -qx 'ROTATE=yes' "$f" || grep -qx 'OPT_IN=yes' "$f" || bad="$bad $(basename "$f")"
done
st_result rotate-entries-are-opt-in "${bad# }" ""

st_done
