#!/bin/bash
# Host unit tests of the dmaload guest's checking functions: compile
# testing/guest/check.c with its test main, testing/guest/test-check.c,
# with the host's C compiler against the C library (with the address and
# undefined-behaviour sanitizers where the compiler has them), and run it,
# the way the kernel's nolibc selftests run.
#
#   testing/selftests/guest-units.sh
#
# Prints one line per case ("ok - NAME" / "not ok - NAME: WHY") and
# "N passed, N failed"; exits non-zero if a case failed or the tests did
# not build or run.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
src=$root/testing/guest
tmp=$(mktemp -d "${TMPDIR:-/tmp}/guest-units.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cc=${HOSTCC:-cc}

broken() {
	echo "not ok - $1"
	echo "0 passed, 1 failed"
	exit 1
}

command -v "$cc" >/dev/null || broken "host compiler: no $cc"
flags=(-O1 -g -Wall -Wextra -Werror -std=gnu11)
san=(-fsanitize=address -fsanitize=undefined -fno-sanitize-recover=all)
echo 'int main(void) { return 0; }' >"$tmp/probe.c"
if "$cc" "${san[@]}" -o "$tmp/probe" "$tmp/probe.c" 2>/dev/null &&
	"$tmp/probe" 2>/dev/null; then
	flags+=("${san[@]}")
fi
"$cc" "${flags[@]}" -I "$src" -o "$tmp/test-check" \
	"$src/test-check.c" "$src/check.c" 2>"$tmp/cc.log" ||
	broken "build test-check.c and check.c: $(head -n3 "$tmp/cc.log" | tr '\n' ' ')"
rc=0
"$tmp/test-check" || rc=$?
# The test prints its own summary; a crash prints none.
[ "$rc" -le 1 ] || broken "test-check exited with status $rc"
exit "$rc"
