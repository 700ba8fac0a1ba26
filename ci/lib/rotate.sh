# shellcheck shell=bash
# The rotation: with DMA_PHYS_ROTATE=auto, the default job
# (DMA_PHYS_ARCHES unset) runs, besides its default entries, ONE of the
# opt-in entries marked ROTATE=yes (riscv64 and the dma_map_ops providers:
# 5-15 minutes each on 2 cores, too much to run in the 75-minute job,
# which is why the project's own CI runs without it, DMA_PHYS_ROTATE=no,
# the default).  Which one is a pure function of a counter, so that
# successive runs build every such entry in turn.
#
# The counter is the number of commits of the harness checkout
# (git rev-list --count HEAD), else the UTC day number when it is not a
# git checkout.  Why the commit count:
#   - the same submission always picks the same entry (CI's verdict is a
#     function of what was submitted, not of the day it ran; a failure
#     found by the rotation reproduces on a re-run);
#   - every landing adds commits, so the pick moves on at every landing
#     (round robin when a landing adds one commit; with k commits it
#     steps by k, which still visits every entry unless k shares a
#     factor with the number of entries);
#   - the day number picks the same entry for every run of a day, and
#     this project runs CI several times a day; a hash of the patch set
#     picks the same entry for every landing that changes the harness
#     only, and at random otherwise (no entry is guaranteed a turn).
# DMA_PHYS_ROTATE: "no" (the default: no rotation), "auto" (the pick),
# or an entry name (run that one: e.g. to repeat a past run's pick).

# rotate_entries ARCHDIR: the rotation, sorted by name, one per line:
# every entry with ROTATE=yes, OPT_IN=yes and CHECKS.
rotate_entries() {
	local f
	for f in "$1"/*.conf; do
		[ -f "$f" ] || continue
		if grep -qx 'ROTATE=yes' "$f" && grep -qx 'OPT_IN=yes' "$f" &&
			grep -q '^CHECKS=' "$f"; then
			basename "$f" .conf
		fi
	done | LC_ALL=C sort
}

# rotate_index COUNTER N: the 0-based position the counter picks.
rotate_index() {
	echo $(($1 % $2))
}

# rotate_counter ROOT: "COUNT WHAT", the counter and where it came from.
rotate_counter() {
	local n
	if n=$(git -C "$1" rev-list --count HEAD 2>/dev/null) && [ -n "$n" ]; then
		echo "$n commits"
	else
		echo "$(($(date -u +%s) / 86400)) days"
	fi
}

# rotate_pick ARCHDIR ROOT: "NAME POS N WHY" (POS 1-based), nothing when
# there is no rotation (no entry, DMA_PHYS_ROTATE=no); 1 when
# DMA_PHYS_ROTATE names an entry that is not in the rotation.
rotate_pick() {
	local archdir=$1 root=$2 want=${DMA_PHYS_ROTATE:-no} c what i
	local -a all
	mapfile -t all < <(rotate_entries "$archdir")
	[ "${#all[@]}" -gt 0 ] && [ "$want" != no ] || return 0
	if [ "$want" != auto ]; then
		for i in "${!all[@]}"; do
			[ "${all[i]}" != "$want" ] || { echo "$want $((i + 1)) ${#all[@]} DMA_PHYS_ROTATE"; return 0; }
		done
		return 1
	fi
	read -r c what < <(rotate_counter "$root")
	i=$(rotate_index "$c" "${#all[@]}")
	echo "${all[i]} $((i + 1)) ${#all[@]} $c $what"
}
