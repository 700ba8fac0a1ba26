#!/bin/bash
# The full form's parts that need no kernel (tools/bench): ci/perf/results
# parse (the short form's parser, which ci/perf/boot-arch uses too) on
# fake consoles of testing/dma-bench's module, and ci/perf/report on a
# fake out/perf tree (icount runs per patch, a reused kernel, timed A/P/B
# rounds, bloat totals): the ratios, the A/A column, the per-patch and
# text-size tables, results.json and, where gnuplot is installed, the
# chart.
#
#   testing/selftests/perf-full.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=testing/selftests/lib.sh
. "$root/testing/selftests/lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/perf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# console FILE PATH NS_PAGE NS_PHYS [ERRORS] [BATCHES]: a fake console;
# NS_PHYS - for a kernel without dma_map_phys() (the base).
console() {
	local phys=$4 n=3
	[ "$phys" != - ] || n=2
	{
		echo "[    1.000000] nvme nvme0: 1/0/0 default/read/poll queues"
		echo "[    1.100000] dmabench: api=page size=4096 offset=0 calls=16384 ns=$3 errors=${5:-0}"
		[ "$phys" = - ] ||
			echo "[    1.200000] dmabench: api=phys size=4096 offset=0 calls=16384 ns=$phys errors=0"
		echo "[    1.300000] dmabench: api=resource size=4096 offset=0 calls=16384 ns=1638400 errors=0"
		echo "[    1.400000] dmabench: done path=$2 batches=${6:-$n}"
		echo "benchinit: finit_module=-11 args=dev=0000:00:04.0"
	} >"$1"
}

# parse LOG KERNEL PATH MODE RUN: the boot's JSON on stdout.
parse() {
	rm -f "$tmp/parse.json"
	"$root/ci/perf/results" parse "$@" "$tmp/parse.json" && cat "$tmp/parse.json"
}

console "$tmp/good.log" direct 3276800 3112960
if out=$(parse "$tmp/good.log" 5 direct icount 1) &&
	[ "$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["kernel"], d["path"], d["run"], len(d["batches"]), d["batches"][0]["per_call"])')" = "5 direct 1 3 200.0" ]; then
	st_ok "parse: three batches, per call 200 instructions"
else
	st_fail "parse: good console" "${out:-no output}"
fi
rc=0; parse "$tmp/good.log" 5 iommu-strict icount 1 >/dev/null 2>"$tmp/err" || rc=$?
st_result "parse: another path than asked is refused" "$rc $(grep -c 'the module saw path direct, iommu-strict was asked for' "$tmp/err")" "1 1"
console "$tmp/err.log" direct 3276800 3112960 2
rc=0; parse "$tmp/err.log" 5 direct icount 1 >"$tmp/err.json" 2>"$tmp/err" || rc=$?
st_result "parse: a batch with errors is kept, with its errors" \
	"$rc $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["batches"][0]["errors"])' "$tmp/err.json")" "0 2"
console "$tmp/short.log" direct 3276800 3112960 0 4
rc=0; parse "$tmp/short.log" 5 direct icount 1 >/dev/null 2>"$tmp/err" || rc=$?
st_result "parse: fewer batches printed than done says is refused" "$rc $(grep -c 'the module reported 4 batches, the log holds 3' "$tmp/err")" "1 1"
grep -v 'done path' "$tmp/good.log" >"$tmp/nodone.log"
rc=0; parse "$tmp/nodone.log" 5 direct icount 1 >/dev/null 2>"$tmp/err" || rc=$?
st_result "parse: no done line (a crash mid-run) is refused" "$rc $(grep -c "no 'dmabench: done' line" "$tmp/err")" "1 1"

# A fake out/perf: kernel 0 (base), 1 reuses 0, 2 (top); two icount runs
# each, the second run of the top 0.05 % off; timed rounds.
o=$tmp/out a=$tmp/out/x86_64
mkdir -p "$a/icount" "$a/timed"
printf '0\tbase\tmeasured\tv6.17.8\n1\tpatch\treuses:0\tdocs only\n2\tpatch\tmeasured\tdma: convert\n' >"$a/patches.tsv"
for p in direct iommu-strict; do
	console "$tmp/c.log" "$p" 3276800 -
	parse "$tmp/c.log" 0 "$p" icount 1 >"$a/icount/0-$p-1.json"
	parse "$tmp/c.log" 0 "$p" icount 2 >"$a/icount/0-$p-2.json"
	console "$tmp/c.log" "$p" 3440640 3112960
	parse "$tmp/c.log" 2 "$p" icount 1 >"$a/icount/2-$p-1.json"
	console "$tmp/c.log" "$p" 3442360 3112960
	parse "$tmp/c.log" 2 "$p" icount 2 >"$a/icount/2-$p-2.json"
	for r in 1 2 3; do
		console "$tmp/c.log" "$p" $((3276800 + r * 1000)) -
		parse "$tmp/c.log" base "$p" time "$r" >"$a/timed/$r-A-$p.json"
		console "$tmp/c.log" "$p" $((3276800 * 2 + r * 1000)) -
		parse "$tmp/c.log" base "$p" time "$r" >"$a/timed/$r-B-$p.json"
		console "$tmp/c.log" "$p" $((3276800 * 3 + r * 1000)) 3112960
		parse "$tmp/c.log" patched "$p" time "$r" >"$a/timed/$r-P-$p.json"
	done
done
console "$tmp/c.log" swiotlb 3276800 -
parse "$tmp/c.log" 0 swiotlb icount 1 >"$a/icount/0-swiotlb-1.json"
sed 's/api=resource size=4096 offset=0 calls=16384 ns=1638400 errors=0/api=resource size=4096 offset=0 calls=16384 ns=16384 errors=16384/' "$tmp/c.log" >"$tmp/c2.log"
parse "$tmp/c2.log" 2 swiotlb icount 1 >"$a/icount/2-swiotlb-1.json" 2>/dev/null
printf '2\tkernel/dma/mapping.o\t1000\t1100\tprev\n2\tkernel/dma/mapping.o\t1000\t1100\tbase\n2\tarch/powerpc/kernel/iommu.o\t500\t480\tbase\n' >"$a/bloat.tsv"
printf 'base\t%s\t%s\ntop\t%s\t%s\tdma: convert\nharness\t%s\nstarted\t2026-11-24T12:00:00Z\n' \
	aaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbb cccccccccccccccc dddddddddddddddd eeeeeeeeeeeeeeee >"$o/bench.info"
# The goals of this fake: a miss explained within its ceiling (direct
# page), one not explained (iommu-strict page), one met (direct phys),
# a refusal by design (swiotlb resource).
cat >"$tmp/goals" <<'GOALS'
goal page * 1.00
goal phys direct 0.98
goal resource * 1.00
explain page direct 1.06 the wrapper
explain resource swiotlb refused MMIO is not bounced
explain text * 1.2 the new MMIO case
GOALS
export PERF_GOALS=$tmp/goals
if ! python3 "$root/ci/perf/report" "$o" >"$tmp/rep.out" 2>&1; then
	st_fail "report: runs on a fake out/perf" "$(cat "$tmp/rep.out")"
else
	st_ok "report: runs on a fake out/perf"
	md=$o/report.md
	st_result "report: page ratio top/base on dma-direct, mean of two runs" \
		"$(grep -c '^| direct | page | 4096 | 0 | 200.0 | 210.1 | 1.050 | base page | 2.999 | 1.999 |' "$md")" 1
	st_result "report: says what it measured (bench.info)" \
		"$(grep -c '^Measured: the top cccccccccccc (tree dddddddddddd, "dma: convert") against the base aaaaaaaaaaaa (tree bbbbbbbbbbbb); harness eeeeeeeeeeee; started 2026-11-24T12:00:00Z\.' "$md")" 1
	st_result "report: phys against base page" \
		"$(grep -c '^| direct | phys | 4096 | 0 | 200.0 | 190.0 | 0.950 | base page |' "$md")" 1
	st_result "report: the runs' difference is named" \
		"$(grep -c 'largest difference is 0.0500 %' "$md")" 1
	st_result "report: a reused kernel gives the earlier kernel's numbers and says so" \
		"$(grep -c "^| 1 | docs only (no compiled file: kernel 0's numbers) | 200.0 / - / 100.0 | 200.0 / - / 100.0 | 200.0 / - / 100.0 |" "$md")" 1
	st_result "report: per patch, page / phys / resource, a failed mapping named" \
		"$(grep -c '^| 2 | dma: convert | 210.1 / 190.0 / 100.0 | 210.1 / 190.0 / 100.0 | 200.0 / - / fails |' "$md")" 1
	st_result "report: what each patch moved, instructions and text" \
		"$(grep -c '^- 2 (dma: convert, against 0): direct page +10, direct phys new (190), iommu-strict page +10, iommu-strict phys new (190), swiotlb resource gone, core text +100$' "$md")" 1
	st_result "report: goal missed within its explained ceiling" \
		"$(grep -c '^| direct | dma_map_page() | 1.050 | <= 1.00 | missed, explained (ci/perf/goals; the gate'"'"'s ceiling 1.060): the wrapper |' "$md")" 1
	st_result "report: goal met" "$(grep -c '^| direct | dma_map_phys() | 0.950 | <= 0.98 | met |' "$md")" 1
	st_result "report: goal missed, not explained" \
		"$(grep -c '^| iommu-strict | dma_map_page() | 1.050 | <= 1.00 | missed, not explained |' "$md")" 1
	st_result "report: refused by design" \
		"$(grep -c '^| swiotlb | dma_map_resource() | - | <= 1.00 | refused by design: MMIO is not bounced |' "$md")" 1
	st_result "report: the text goal" \
		"$(grep -c '^| - | .text of the DMA core, 1000 -> 1100 bytes | 1.100 | <= 1.00 | missed by 100 bytes, explained (ci/perf/goals): the new MMIO case |' "$md")" 1
	st_result "report: text size against base, core and others apart" \
		"$(grep -c '^| 2 | 1000 -> 1100 (+100) | 1000 -> 1100 (+100) | 500 -> 480 (-20) |' "$md")" 1
	st_result "report: a batch whose mappings failed has no ratio" \
		"$(grep -c '^| swiotlb | resource | 4096 | 0 | 100.0 | mapping fails | - |' "$md")" 1
	st_result "report: results.json holds the ratios and the failed mappings" \
		"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["arches"]["x86_64"]; print(len(d["ratios"]), d["mapping_errors"][0]["patched_failed"])' "$o/results.json")" "8 True"
	# gnuplot is installed by tools/install-deps: missing, it fails.
	st_result "report: gnuplot drew the chart, three plots" \
		"$(grep -c '<svg' "$o/chart.svg" 2>/dev/null || echo 0) $(grep -c '^set multiplot layout 1,3 ' "$o/chart.gp")" "1 1"
	st_result "report: the chart's data, a refused resource as NaN" \
		"$(grep -c '^"x86_64:swiotlb" 1.0000 NaN NaN$' "$o/chart.dat") $(grep -c '^x86_64 2 1.0503 0.9500$' "$o/chart-patches.dat")" "1 1"
	py=$(python3 -c 'import sys; print(sys.executable)')
	rc=0; PATH=$tmp/empty GNUPLOT='' "$py" "$root/ci/perf/report" "$o" >/dev/null 2>&1 || rc=$?
	st_result "report: without gnuplot the report says there is no chart" "$rc $(grep -c '^No chart: gnuplot is not installed' "$md")" "0 1"
fi
# Timed rounds of another top (a scratch kernel 3 measured later with
# --keep --no-timed keeps kernel 2's rounds) are not shown against it.
for f in "$a"/timed/*-P-*.json; do
	sed -i 's/"kernel": *"[^"]*"/"kernel": "2"/' "$f"
done
cp "$a/icount/2-direct-1.json" "$a/icount/3-direct-1.json"
python3 "$root/ci/perf/report" "$o" >/dev/null 2>&1 || true
st_result "report: timed rounds of another kernel than the top are not shown" \
	"$(grep -c '^The timed rounds in this folder booted kernel 2, not the top (3): not shown\.$' "$o/report.md") $(grep -c '^| direct | page | 4096 | 0 | 200.0 | 210.0 | 1.050 | base page | - | - |' "$o/report.md")" "1 1"
rm -rf "$o"
mkdir -p "$o"
rc=0; python3 "$root/ci/perf/report" "$o" >/dev/null 2>"$tmp/err" || rc=$?
st_result "report: nothing measured is an error" "$rc" 2

# The full form's entries as data (ci/perf/entries): a field of each,
# an entry or field it does not have refused (tools/bench and
# ci/perf/short read them through ci/perf/entry).
st_result "entries: x86_64's paths, arm64's fragments" \
	"$("$root/ci/perf/entry" x86_64 paths)|$("$root/ci/perf/entry" arm64 fragments)" \
	"direct swiotlb iommu-strict iommu-lazy|bench arm64"
rc=0; "$root/ci/perf/entry" riscv64 paths >/dev/null 2>&1 || rc=$?
rc2=0; "$root/ci/perf/entry" x86_64 config >/dev/null 2>&1 || rc2=$?
st_result "entries: an unknown entry or field is refused" "$rc $rc2" "2 2"
st_done
