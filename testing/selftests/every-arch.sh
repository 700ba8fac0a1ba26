#!/usr/bin/env bash
# Every patch on every arch entry it touches: ci/run on the fake tree with
# two entries, "fake" (the whole image at every patch, the bisect
# reference, with checkpatch, kernel-doc and symbols) and "fake2" (object
# by object; its config compiles src/dma.c only, with CONFIG_FAKE_ARM's
# code).  A small stack is made with git for each case:
#   1. document map_one()                 src/dma.c
#   2. add a user outside the built tree  arch/other/user.c
#   3. note the mapping                   src/main.c
# and each case changes one step.
#
# Usage: testing/selftests/every-arch.sh     (prints "N passed, N failed" last)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/dma-phys-every-arch.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
passed=0 failed=0

export DMA_PHYS_CACHE=$work/cache
export CCACHE_DIR=$work/ccache
export DMA_PHYS_CONFIG_DIR=$here/fake/configs
export DMA_PHYS_ARCHES="fake fake2" DMA_PHYS_STAGES=coverage LC_ALL=C
export GIT_AUTHOR_NAME=selftest GIT_AUTHOR_EMAIL=selftest@dma-phys.invalid
export GIT_COMMITTER_NAME=selftest GIT_COMMITTER_EMAIL=selftest@dma-phys.invalid
export GIT_AUTHOR_DATE='2025-11-13 00:00:00 +0000' GIT_COMMITTER_DATE='2025-11-13 00:00:00 +0000'

# The entries: fake2 as it is; fake with the arch-independent checks.
mkdir -p "$work/arch"
cp "$here/fake/arch/fake2.conf" "$work/arch/"
{
	cat "$here/fake/arch/fake.conf"
	echo 'STEP_BUILD=image'
	echo 'CHECKS="checkpatch build kdoc symbols"'
} >"$work/arch/fake.conf"
export DMA_PHYS_ARCH_DIR=$work/arch

# The pinned "base" and the stack (fake-base.inc).
# shellcheck source=testing/selftests/fake-base.inc
. "$here/fake-base.inc"
fake_base

# expect NAME WANT_RC CMD...: run CMD, check its exit status and that its
# output holds every string in EXPECT and none in REFUSE.
expect() {
	local name=$1 want=$2 rc=0 s ok=1 why=""
	shift 2
	"$@" >"$work/$name.out" 2>&1 || rc=$?
	if [ "$want" = 0 ] && [ "$rc" != 0 ]; then ok=0 why="exit $rc, wanted 0"; fi
	if [ "$want" != 0 ] && [ "$rc" = 0 ]; then ok=0 why="exit 0, wanted a failure"; fi
	for s in "${EXPECT[@]}"; do
		grep -qF -- "$s" "$work/$name.out" || { ok=0 why="${why:+$why; }no '$s' in the output"; }
	done
	for s in "${REFUSE[@]}"; do
		! grep -qF -- "$s" "$work/$name.out" || { ok=0 why="${why:+$why; }'$s' in the output"; }
	done
	if [ "$ok" = 1 ]; then
		passed=$((passed + 1))
		echo "ok - $name"
	else
		failed=$((failed + 1))
		echo "not ok - $name: $why"
		sed 's/^/    | /' "$work/$name.out" | tail -n 25
	fi
}

ci() { "$root/ci/run" --series "$1/series" --patches "$1/patches" --out "$1/out"; }

p1="1/3 fake-document-map_one.patch"
p2="2/3 fake-map-from-an-arch-no-entry-builds.patch"
p3="3/3 fake-note-the-mapping.patch"

# 1. The good stack: every patch on both entries; a patch that touches no
# file an entry compiles is a skip there, never a pass.
d=$(mkstack good)
EXPECT=("build base v-fake [fake2]: pass (src/dma.o"
	"build $p1 [fake]: pass" "build $p1 [fake2]: pass (1 touched objects, no new warning"
	"build $p2 [fake]: skip" "build $p2 [fake2]: skip (the patch touches no file this config compiles)"
	"build $p3 [fake]: pass" "build $p3 [fake2]: skip (built src/dma.o, but the patch touches no file this config compiles)"
	"kdoc $p1 [fake]: pass" "symbols $p2 [fake]: skip"
	"coverage [stack]: pass (0 of 3 touched C files checked"
	"in an arch no entry builds: arch/other/user.c")
REFUSE=("[fake2]: pass (the patch touches" "FAIL")
expect every-patch-every-entry 0 ci "$d"

# 2. A warning that only one entry's config compiles: fail there only,
# naming the file and the warning.
arm_warning() {
	[ "$1" = 1 ] || return 0
	sed -i 's#^unsigned long long map_one#\#ifdef CONFIG_FAKE_ARM\nstatic int arm_only;\n\#endif\n\nunsigned long long map_one#' "$2/src/dma.c"
}
d=$(mkstack arm-warning arm_warning)
EXPECT=("build $p1 [fake2]: FAIL: 1 new compiler warnings: src/dma.c: warning: 'arm_only' defined but not used"
	"log: $d/out/logs/fake2/01-build.log" "build $p1 [fake]: pass")
REFUSE=()
expect warning-on-one-entry-only 1 ci "$d"

# 3. A kernel-doc comment that no longer matches its function.
kdoc_break() {
	[ "$1" = 3 ] || return 0
	sed -i 's/ \* @phys: the physical address/ * @addr: the physical address/' "$2/src/dma.c"
}
d=$(mkstack kdoc kdoc_break)
EXPECT=("kdoc $p3 [fake]: FAIL: 2 new kernel-doc warnings: src/dma.c: warning: Excess function parameter 'addr' description in 'map_one'"
	"log: $d/out/logs/fake/03-kdoc.log")
expect kdoc-comment-broken 1 ci "$d"

# 4. A renamed function whose caller lives where no entry builds: every
# build passes, the symbols check names the caller.
rename() {
	[ "$1" = 3 ] || return 0
	sed -i 's/\bmap_one\b/map_phys/g' "$2/src/dma.c" "$2/src/dma.h" "$2/src/main.c"
}
d=$(mkstack rename rename)
EXPECT=("symbols $p3 [fake]: FAIL: 1 removed or renamed names still used: map_one (arch/other/user.c:6)"
	"build $p3 [fake]: pass" "log: $d/out/logs/fake/03-symbols.log")
REFUSE=("build $p3 [fake]: FAIL")
expect renamed-caller-left 1 ci "$d"

# 4b. A removed struct member still used where no entry builds, in the
# same patch as a removed function whose locals are "i" and "s": the
# member is named; the locals are not definitions (an indented removed
# line outside a struct or union hunk is a statement), so the word "i"
# in the user's comment is no use of anything.
member() {
	case $1 in
	1)
		printf '%s\n' '' 'struct fake_ops {' '	unsigned long long (*map)(unsigned long long phys);' \
			'	int id;' '};' '' 'int fake_sum(int n);' >>"$2/src/dma.h"
		printf '%s\n' '' 'int fake_sum(int n)' '{' '	int i, s = 0;' '' '	for (i = 0; i < n; i++)' \
			'		s += i;' '	return s;' '}' >>"$2/src/dma.c"
		;;
	2)
		printf '%s\n' '' '/* i is not a name here */' 'int other_id(struct fake_ops *ops)' '{' \
			'	return ops->id;' '}' >>"$2/arch/other/user.c"
		;;
	3)
		sed -i -e '/^\tint id;$/d' -e '/^int fake_sum(int n);$/d' "$2/src/dma.h"
		sed -i '/^int fake_sum(int n)$/,/^}$/d' "$2/src/dma.c"
		;;
	esac
}
d=$(mkstack member member)
EXPECT=("symbols $p3 [fake]: FAIL: 1 removed or renamed names still used: id (arch/other/user.c:"
	"build $p3 [fake]: pass")
REFUSE=(" i (arch/" " s (arch/")
expect removed-member-named-locals-not 1 ci "$d"

# 5. The disk fills while fake2 compiles patch 1: an error of the
# machine, not a failure of the patch.  A compiler wrapper says what gcc
# says then.
mkdir -p "$work/bin" "$work/arch-full"
cat >"$work/bin/full-gcc" <<'EOF'
#!/bin/sh
# gcc, until the source holds patch 1's comment: then the disk is full.
for a; do src=$a; done
if grep -qs '@phys' "$src"; then
	echo "cc1: fatal error: error writing to /tmp/ccq9Xb1.s: No space left on device" >&2
	echo "compilation terminated." >&2
	exit 1
fi
exec gcc "$@"
EOF
chmod +x "$work/bin/full-gcc"
cp "$work/arch/fake.conf" "$work/arch-full/"
{
	cat "$work/arch/fake2.conf"
	echo "CC_CMD=$work/bin/full-gcc"
} >"$work/arch-full/fake2.conf"
d=$(mkstack disk-full)
EXPECT=("build $p1 [fake2]: ERROR: the build stopped on the machine: cc1: fatal error: error writing to /tmp/ccq9Xb1.s: No space left on device; the patch is not blamed"
	"build $p1 [fake]: pass")
REFUSE=("[fake2]: FAIL")
DMA_PHYS_ARCH_DIR=$work/arch-full expect disk-full-is-an-error 1 ci "$d"

# 6. No compiler at all: an error before any build (preflight), not a
# failure of the base or of a patch.
mkdir -p "$work/arch-nocc"
cp "$work/arch/fake.conf" "$work/arch-nocc/"
{
	cat "$work/arch/fake2.conf"
	echo "CC_CMD=$work/bin/no-such-gcc"
} >"$work/arch-nocc/fake2.conf"
d=$(mkstack no-compiler)
EXPECT=("ERROR: $work/bin/no-such-gcc missing (needed by build [fake2]" "the patch is not blamed")
REFUSE=("[fake2]: FAIL")
DMA_PHYS_ARCH_DIR=$work/arch-nocc expect missing-compiler-is-an-error 1 ci "$d"

# 7. The default job (DMA_PHYS_ARCHES unset): the default entries plus
# the one ROTATE=yes entry (fake3, a copy of fake2), named in the log;
# the coverage stage leaves arch/other/user.c to fake4, an opt-in entry
# not in this run whose BUILD_TARGET names it, instead of failing.
mkdir -p "$work/arch-rot"
cp "$work/arch/fake.conf" "$work/arch/fake2.conf" "$work/arch-rot/"
{
	sed 's/^ARCH=fake2$/ARCH=fake3/' "$work/arch/fake2.conf"
	printf '%s\n' OPT_IN=yes ROTATE=yes
} >"$work/arch-rot/fake3.conf"
{
	sed -e 's/^ARCH=fake2$/ARCH=fake4/' -e 's#^BUILD_TARGET=.*#BUILD_TARGET="arch/other/user.o"#' "$work/arch/fake2.conf"
	echo OPT_IN=yes
} >"$work/arch-rot/fake4.conf"
d=$(mkstack rotation)
EXPECT=('rotation: fake3 (1 of 1, by ' 'DMA_PHYS_ARCHES="fake3" runs all of them'
	"build $p1 [fake3]: pass (1 touched objects" "build $p1 [fake2]: pass"
	"left to entries not in this run: arch/other/user.c (fake4)")
REFUSE=("[fake4]" "FAIL")
DMA_PHYS_ROTATE=auto DMA_PHYS_ARCH_DIR=$work/arch-rot DMA_PHYS_ARCHES="" expect rotation-in-default-job 0 ci "$d"
# Without DMA_PHYS_ROTATE (the default): no rotation, fake3 not built.
d=$(mkstack no-rotation)
EXPECT=("build $p1 [fake2]: pass")
REFUSE=("rotation:" "[fake3]")
DMA_PHYS_ARCH_DIR=$work/arch-rot DMA_PHYS_ARCHES="" expect no-rotation-by-default 0 ci "$d"

# An entry not in this run that builds a whole directory (BUILD_TARGET
# "arch/other/", as x86_64-kmsan names mm/kmsan/) takes the files under
# it too: a run of some entries only must not fail coverage for them.
mkdir -p "$work/arch-dir"
cp "$work/arch/fake.conf" "$work/arch/fake2.conf" "$work/arch-dir/"
sed -e 's/^ARCH=fake2$/ARCH=fake5/' -e 's#^BUILD_TARGET=.*#BUILD_TARGET="arch/other/"#' "$work/arch/fake2.conf" >"$work/arch-dir/fake5.conf"
d=$(mkstack dir-target)
EXPECT=("left to entries not in this run: arch/other/user.c (fake5)")
REFUSE=("[fake5]" "FAIL")
DMA_PHYS_ARCH_DIR=$work/arch-dir DMA_PHYS_ARCHES="fake fake2" expect dir-target-left-to-entry 0 ci "$d"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
