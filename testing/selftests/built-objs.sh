#!/bin/bash
# Which objects do the sparse and W=1 checks compile for a patch?
# built_objs (ci/lib/common.sh) on a small git tree and a fake O= dir
# whose kbuild .cmd files say which .c includes which header.
#
#   testing/selftests/built-objs.sh
#
# Prints one line per case and "N passed, N failed"; exits non-zero if
# any case got the wrong list.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=testing/selftests/lib.sh
. "$root/testing/selftests/lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/built-objs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

tree=$tmp/tree build=$tmp/build
mkdir -p "$tree/inc" "$tree/sub" "$tree/scripts" "$build/sub" "$build/scripts"
git -C "$tree" init -q
for f in a b c e g; do echo "int $f;" >"$tree/$f.c"; done
echo "int b;" >"$tree/sub/b.c"
echo "int x;" >"$tree/scripts/x.c"
echo "int n;" >"$tree/notbuilt.c"
echo "#define H 1" >"$tree/inc/h.h"
echo "#define U 1" >"$tree/inc/unused.h"
echo "#define S 1" >"$tree/sub/s.h"
git -C "$tree" add -A
git -C "$tree" -c user.name=t -c user.email=t@t commit -q -m base

# cmdfile OBJ DEP...: an object built by this config and its .cmd file.
cmdfile() {
	local o=$1 d
	shift
	: >"$build/$o"
	{
		echo "deps_$o := \\"
		echo "  $tree/${o%.o}.c \\"
		for d in "$@"; do echo "  $tree/$d \\"; done
		echo
	} >"$build/$(dirname "$o")/.$(basename "$o").cmd"
}
cmdfile a.o
cmdfile c.o inc/h.h sub/s.h
cmdfile e.o inc/h.h sub/s.h
cmdfile g.o inc/h.h sub/s.h
cmdfile sub/b.o inc/h.h sub/s.h
cmdfile scripts/x.o inc/h.h		# host tool: never picked
cmdfile gen.o inc/h.h			# generated .c, not in the tree

# check NAME "FILE..." "EXPECTED OBJS...": commit a change to FILEs, list.
check() {
	local name=$1 files=$2 want=$3 got f
	for f in $files; do echo "/* $name */" >>"$tree/$f"; done
	git -C "$tree" -c user.name=t -c user.email=t@t commit -q -a -m "$name"
	got=$(TREE=$tree PATCH=x LABEL=x ARCH_CONF=$root/ci/arch/x86_64.conf \
		BUILD=$build LOG=$tmp/$name.log bash -c \
		'. "$1/ci/lib/common.sh"; built_objs' _ "$root" | tr '\n' ' ')
	if [ "${got% }" = "$want" ]; then
		st_ok "$name (${want:-none})"
	else
		st_fail "$name" "got '${got% }', want '$want' (log: $tmp/$name.log)"
	fi
}

check c-only "a.c notbuilt.c" "a.o"
# Three includers at most, those in the patch's directories first.
check header-only "inc/h.h" "c.o e.o g.o"
check header-near-users "sub/s.h" "sub/b.o c.o e.o"
check header-and-c "a.c inc/h.h" "a.o c.o e.o g.o"
check header-and-includer "c.c inc/h.h" "c.o e.o g.o"
check header-no-user "inc/unused.h" ""
check nothing-built "notbuilt.c" ""

st_done
