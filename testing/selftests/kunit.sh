#!/bin/bash
# The KUnit part of ci/boot/verdict, on canned KTAP console output: a
# passing suite, a failed case (and a failed parameter of one), a suite
# that never ran or stopped mid-way, the config symbol off or =m, the
# base kernel without the symbol ("kunit: not applicable").
#
#   testing/selftests/kunit.sh
#
# Prints "ok - NAME" or "not ok - NAME: WHY" per case and "N passed, N
# failed" last; exits non-zero if any case got the wrong verdict.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
verdict=$root/ci/boot/verdict
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kunit-selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Cases run at the ends of pipelines (subshells): tally in a file.
tally=$tmp/tally
: >"$tally"

# result ok|fail LINE
result() {
	echo "$1" >>"$tally"
	echo "$2"
}

# Kernel configs as ci/run saves them next to the image.
printf 'CONFIG_KUNIT=y\nCONFIG_DMA_MAP_KUNIT_TEST=y\n' >"$tmp/patched.config"
printf 'CONFIG_KUNIT=y\n# CONFIG_KUNIT_TEST is not set\n' >"$tmp/base.config"
printf 'CONFIG_KUNIT=y\n# CONFIG_DMA_MAP_KUNIT_TEST is not set\n' >"$tmp/off.config"
printf 'CONFIG_KUNIT=y\nCONFIG_DMA_MAP_KUNIT_TEST=m\n' >"$tmp/module.config"

# The suite's KTAP lines as KUnit prints them at boot (6.17), shortened:
# one parameterised case, one plain, one skipped.
ktap() {
	cat <<'END_OF_KTAP'
KTAP version 1
1..1
    KTAP version 1
    # Subtest: dma-map
    1..3
        KTAP version 1
        # Subtest: round_trip_default
        ok 1 off0_size1
        ok 2 off512_cross1
        ok 3 off4095_cross4
    # round_trip_default: pass:3 fail:0 skip:0 total:3
    ok 1 round_trip_default
    ok 2 mmio_map_resource
    ok 3 highmem_above_4g # SKIP no free page above 4 GiB
# dma-map: pass:2 fail:0 skip:1 total:3
# Totals: pass:4 fail:0 skip:1 total:5
ok 1 dma-map
END_OF_KTAP
}

# log [SED-SCRIPT]: the good boot log with the KTAP lines after the
# command line, edited by SED-SCRIPT, with printk timestamps.
log() {
	{
		sed -n '1,3p' "$root/testing/selftests/boot-good.log"
		ktap | sed -e "${1:-}"
		sed '1,3d' "$root/testing/selftests/boot-good.log"
	} | awk '{ printf "[    1.%06d] %s\n", NR, $0 }'
}

# check NAME CONFIG WANT_RC WANT_TEXT < LOG: CONFIG is a file of $tmp or
# "-" for no KUNIT_CONFIG.
check() {
	local name=$1 cfg=$2 want=$3 text=$4 out rc=0

	cat >"$tmp/$name.log"
	if [ "$cfg" = - ]; then
		out=$(env -u KUNIT_CONFIG "$verdict" x86_64 patched iommu \
			"$tmp/$name.log" 0 42) || rc=$?
	else
		out=$(KUNIT_CONFIG=$tmp/$cfg "$verdict" x86_64 patched iommu \
			"$tmp/$name.log" 0 42) || rc=$?
	fi
	if [ "$rc" = "$want" ] && [[ $out == *"$text"* ]] &&
		[ "$(printf '%s\n' "$out" | wc -l)" = 1 ]; then
		result ok "ok - $name"
	else
		result fail "not ok - $name: rc=$rc (want $want), got: $out"
	fi
}

log | check pass patched.config 0 \
	"42s, kunit: dma-map 2 passed, 1 skipped)"
log | check pass-without-config - 0 "42s, kunit: dma-map 2 passed, 1 skipped)"
log | sed 's/^\[[^]]*\] //' | check no-timestamps patched.config 0 \
	"kunit: dma-map 2 passed, 1 skipped)"

# The base kernel: no symbol, no suite, never "pass".
log '/KTAP version\|Subtest\|^ *ok \|^ *1\.\.\|^# /d' |
	check base-not-applicable base.config 0 "42s, kunit: not applicable)"
# No KUNIT_CONFIG and no KTAP: the verdict was not asked, says nothing.
log '/KTAP version\|Subtest\|^ *ok \|^ *1\.\.\|^# /d' |
	check no-config-no-ktap - 0 "DMA-API reports, 42s)"

# A failed case, named; with its failed parameters.
log 's/^    ok 2 mmio_map_resource$/    # mmio_map_resource: EXPECTATION FAILED at kernel\/dma\/map_kunit.c:502\
    not ok 2 mmio_map_resource/; s/^ok 1 dma-map/not ok 1 dma-map/' |
	check case-fails patched.config 1 \
	"FAIL: kunit dma-map: mmio_map_resource failed (log:"
log 's/^        ok 2 off512_cross1$/        not ok 2 off512_cross1/; s/^        ok 3 off4095_cross4$/        not ok 3 off4095_cross4/; s/^    ok 1 round_trip_default$/    not ok 1 round_trip_default/; s/^ok 1 dma-map/not ok 1 dma-map/' |
	check param-fails patched.config 1 \
	"FAIL: kunit dma-map: round_trip_default failed (off512_cross1, off4095_cross4)"
# A failed case is a failure without KUNIT_CONFIG too.
log 's/^    ok 2 mmio_map_resource$/    not ok 2 mmio_map_resource/; s/^ok 1 dma-map/not ok 1 dma-map/' |
	check case-fails-without-config - 1 \
	"FAIL: kunit dma-map: mmio_map_resource failed"
# A suite result "not ok" with every case ok is still a failure.
log 's/^ok 1 dma-map/not ok 1 dma-map/' |
	check suite-fails-unnamed patched.config 1 \
	"kunit dma-map: suite failed (no failed case named)"

# The suite missing, or stopped mid-suite (a crash, a hang).
log '/KTAP version\|Subtest\|^ *ok \|^ *1\.\.\|^# /d' |
	check suite-missing patched.config 1 \
	"FAIL: kunit: dma-map built in but never ran"
# shellcheck disable=SC2016 # a sed script
log '/^    ok 2 mmio_map_resource$/,$d' |
	check crash-mid-suite patched.config 1 \
	"kunit dma-map: no suite result (crash or hang after case round_trip_default)"
# shellcheck disable=SC2016 # a sed script
log '/^        ok 2 off512_cross1$/,$d' |
	check crash-in-param patched.config 1 \
	"kunit dma-map: no suite result (crash or hang in case round_trip_default, after parameter off0_size1)"
# shellcheck disable=SC2016 # a sed script
log '/^        KTAP version 1$/,$d' |
	check crash-before-first-case patched.config 1 \
	"kunit dma-map: no suite result (crash or hang before the first case)"

# The symbol exists but the suite is not built in.
log | check symbol-off off.config 1 \
	"kunit: CONFIG_DMA_MAP_KUNIT_TEST is not set, dma-map not built in"
log | check symbol-module module.config 1 \
	"kunit: CONFIG_DMA_MAP_KUNIT_TEST=m, dma-map does not run at boot"

# An unreadable config is the harness's error, not the patch's.
log | check config-unreadable missing.config 2 "ERROR: kunit: cannot read"

# The verdict's JSON names the cases.
log | check json patched.config 0 "kunit: dma-map"
if python3 -c '
import json, sys
k = json.load(open(sys.argv[1]))["kunit"]
c = k["suites"]["dma-map"]["cases"]
assert k["applicable"] is True and k["required"] == ["dma-map"], k
assert [x["status"] for x in c] == ["pass", "pass", "skip"], c
assert c[2]["why"] == "no free page above 4 GiB", c
' "$tmp/json.log.json"; then
	result ok "ok - json-content"
else
	result fail "not ok - json-content: $(cat "$tmp/json.log.json")"
fi

passed=$(grep -c '^ok$' "$tally" || true)
failed=$(grep -c '^fail$' "$tally" || true)
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
