#!/bin/bash
# ci/stages/bloat on fake objects: a fake scripts/bloat-o-meter that
# prints the Total line a scenario asks for, on a fake out/objs tree.
# No kernel, no compiler.
#
#   testing/selftests/bloat.sh
#
# Prints one line per case and "N passed, N failed"; exits non-zero if
# any case got the wrong outcome.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bloat.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# The fake tree's bloat-o-meter: "Total: Before=B, After=A" where B and A
# are the first number in each file (0 for /dev/null or a missing file).
mkdir -p "$tmp/tree/scripts"
cat >"$tmp/tree/scripts/bloat-o-meter" <<'PY'
import sys
def size(f):
    try:
        return int(open(f).read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
if "crash" in sys.argv[-1]:
    sys.exit(1)
b, a = size(sys.argv[-2]), size(sys.argv[-1])
print("Total: Before=%d, After=%d, chg +0.00%%" % (b, a))
PY

# objs SIDE FILE=SIZE...: the kept objects of one side of x86_64.
objs() {
	local side=$1 kv
	shift
	for kv in "$@"; do
		mkdir -p "$(dirname "$tmp/out/objs/x86_64/$side/${kv%%=*}")"
		echo "${kv#*=}" >"$tmp/out/objs/x86_64/$side/${kv%%=*}"
	done
}

# case NAME WANT_RC WANT_TEXT: run the stage on the current fake objects.
case_() {
	local name=$1 want=$2 text=$3 rc=0 outl
	outl=$(TREE=$tmp/tree OUT=$tmp/out LOG=$tmp/log PATH=$PATH \
		bash "$root/ci/stages/bloat/run" 2>&1) || rc=$?
	if [ "$rc" = "$want" ] && printf '%s\n' "$outl" | grep -qF -- "$text"; then
		echo "ok - $name"
		passed=$((passed + 1))
	else
		echo "not ok - $name: exit $rc (want $want): $outl"
		failed=$((failed + 1))
	fi
}

objs base kernel/dma/mapping.o=100 kernel/dma/direct.o=50 kernel/dma/debug.o=20 block/blk-mq-dma.o=30
objs top kernel/dma/mapping.o=90 kernel/dma/direct.o=55 kernel/dma/debug.o=25 block/blk-mq-dma.o=40
case_ "core shrinks, users grow: pass, dma-debug on its own" 0 "DMA core text 170 -> 170 (did not grow; dma-debug 20 -> 25), users 30 -> 40 (10), 4 objects"
rm "$tmp/out/objs/x86_64/"*/kernel/dma/debug.o

objs top kernel/dma/map_kunit.o=500
case_ "a KUnit suite counts in neither total" 0 "DMA core text 150 -> 145 (did not grow; dma-debug 0 -> 0), users 30 -> 40 (10), 4 objects"
rm "$tmp/out/objs/x86_64/top/kernel/dma/map_kunit.o"

echo 70 >"$tmp/out/objs/x86_64/top/kernel/dma/direct.o"
case_ "core grows: reported, not failed" 0 "DMA core text 150 -> 160 (grew by 10 bytes;"

rm "$tmp/out/objs/x86_64/top/kernel/dma/direct.o"
objs top kernel/dma/new.o=5
case_ "object removed and object added count as 0 on the other side" 0 "DMA core text 150 -> 95 (did not grow;"

objs top kernel/dma/crash.o=1
case_ "bloat-o-meter failing: error" 2 "bloat-o-meter failed on kernel/dma/crash.o"
rm "$tmp/out/objs/x86_64/top/kernel/dma/crash.o"

mv "$tmp/tree/scripts/bloat-o-meter" "$tmp/bom"
case_ "bloat-o-meter missing: error" 2 "bloat-o-meter missing"
mv "$tmp/bom" "$tmp/tree/scripts/bloat-o-meter"

rm -rf "$tmp/out/objs/x86_64/top"
case_ "no objects kept at the top: error" 2 "no objects of x86_64 kept"

# Run by ci/run (CACHE set), the stage builds the objects first: with no
# build of the entry to take the config from, that is an error.
mkdir -p "$tmp/arch" "$tmp/configs" "$tmp/cache"
echo 'ARCH=x86_64 FRAGMENTS=""' >"$tmp/arch/x86_64.conf"
outl=$(TREE=$tmp/tree OUT=$tmp/out LOG=$tmp/log CACHE=$tmp/cache ARCH_DIR=$tmp/arch \
	CONFIG_DIR=$tmp/configs BASE_REV=base TOP_REV=top \
	bash "$root/ci/stages/bloat/run" 2>&1) && rc=0 || rc=$?
if [ "$rc" = 2 ] && printf '%s\n' "$outl" | grep -qF "objects of x86_64: no build of x86_64 to take the config from"; then
	echo "ok - objects to build, no entry build: error"
	passed=$((passed + 1))
else
	echo "not ok - objects to build, no entry build: exit $rc: $outl"
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
