#!/bin/bash
# stale_options (ci/lib/arch.sh), which tells ci/run to make an entry's
# config again at the patch that adds an option the fragments ask for
# ("# if-defined:", such as the KUnit suite), and before_after
# (ci/lib/common.sh), which must not lose that option to the parent's
# Kconfig: on a fake git tree whose second commit adds the option to a
# Kconfig file.
#
#   testing/selftests/stale-options.sh
#
# Prints "ok - NAME" or "not ok - NAME: WHY" per case and "N passed, N
# failed" last; exits non-zero if any case got the wrong answer.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stale-options.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=ci/lib/arch.sh
. "$root/ci/lib/arch.sh"

tree=$tmp/tree build=$tmp/build cfg=$tmp/configs
mkdir -p "$tree/kernel" "$build" "$cfg"
git -C "$tree" init -q
printf 'config OLD\n\tbool "old"\n' >"$tree/kernel/Kconfig"
git -C "$tree" add -A
git -C "$tree" -c user.name=t -c user.email=t@t commit -q -m base
printf 'config OLD\n\tbool "old"\n\nconfig NEW_KUNIT_TEST\n\ttristate "new"\n' >"$tree/kernel/Kconfig"
git -C "$tree" -c user.name=t -c user.email=t@t commit -q -am "add NEW_KUNIT_TEST"
base=$(git -C "$tree" rev-parse HEAD~1) patch=$(git -C "$tree" rev-parse HEAD)
printf '# the suite\nCONFIG_OLD=y\nCONFIG_NEW_KUNIT_TEST=y\n# if-defined: CONFIG_NEW_KUNIT_TEST\n' >"$cfg/suite.config"
printf 'CONFIG_OTHER_KUNIT_TEST=y\n' >"$cfg/plain.config"

# shellcheck source=testing/selftests/lib.sh
. "$root/testing/selftests/lib.sh"

# case NAME REV CONFIG-LINES WANT: stale_options at REV with BUILD/.config.
case_() {
	git -C "$tree" checkout -q --detach "$2"
	printf '%b' "$3" >"$build/.config"
	st_result "$1" "$(stale_options "$tree" "$build" "$cfg" | tr '\n' ' ')" "$4"
}

FRAGMENTS="suite"
case_ "option not in the tree yet: nothing to make again" "$base" 'CONFIG_OLD=y\n' ""
case_ "the patch adds it, config lacks it: stale" "$patch" 'CONFIG_OLD=y\n' "CONFIG_NEW_KUNIT_TEST "
case_ "set as a module, not as asked: stale" "$patch" 'CONFIG_OLD=y\nCONFIG_NEW_KUNIT_TEST=m\n' "CONFIG_NEW_KUNIT_TEST "
case_ "config made again: current" "$patch" 'CONFIG_OLD=y\nCONFIG_NEW_KUNIT_TEST=y\n' ""
FRAGMENTS="plain"
case_ "an option without if-defined is never stale" "$patch" 'CONFIG_OLD=y\n' ""
FRAGMENTS=""
case_ "no fragments" "$patch" '' ""

# before_after (ci/lib/common.sh) runs a check at the parent's files,
# where kbuild's syncconfig drops the option from .config: the patch side
# must get the config back with it.
printf 'CONFIG_OLD=y\nCONFIG_NEW_KUNIT_TEST=y\n' >"$build/.config"
git -C "$tree" checkout -q --detach "$patch"
# shellcheck disable=SC2016 # expanded by the inner shell
got=$(TREE=$tree PATCH=x LABEL=x ARCH_CONF=$root/ci/arch/x86_64.conf \
	BUILD=$build LOG=$tmp/ba.log bash -c '
	. "$1/ci/lib/common.sh"
	sync_like_kbuild() {
		grep -q NEW_KUNIT_TEST "$TREE/kernel/Kconfig" ||
			sed -i "/NEW_KUNIT_TEST/d" "$BUILD/.config"
		grep -c NEW_KUNIT_TEST "$BUILD/.config" || true
	}
	before_after sync_like_kbuild >/dev/null
	cat "$BUILD/.config"' _ "$root" | tr '\n' ' ')
st_result "the patch side of a check keeps the option the parent lacks" \
	"$got" "CONFIG_OLD=y CONFIG_NEW_KUNIT_TEST=y "

st_done
