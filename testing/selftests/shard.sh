#!/usr/bin/env bash
# A job split into shards and merged gives the single run's results:
# ci/run --shard ENTRY for each of the fake tree's two entries, each with
# its own cache (as on two machines), then ci/merge; report.md,
# results.json and the "N passed, N failed" line must be the single
# run's, but for the times.  The coverage stage, which needs what both
# entries compiled, runs in the merge.  Then what a merge must not do:
# drop a missing shard silently, or join shards of different runs.
#
# Usage: testing/selftests/shard.sh     (prints "N passed, N failed" last)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/dma-phys-shard.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
passed=0 failed=0

export CCACHE_DIR=$work/ccache
export DMA_PHYS_CONFIG_DIR=$here/fake/configs DMA_PHYS_ARCH_DIR=$here/fake/arch
export DMA_PHYS_ARCHES="fake fake2" DMA_PHYS_STAGES=coverage LC_ALL=C
export GIT_AUTHOR_NAME=selftest GIT_AUTHOR_EMAIL=selftest@dma-phys.invalid
export GIT_COMMITTER_NAME=selftest GIT_COMMITTER_EMAIL=selftest@dma-phys.invalid
export GIT_AUTHOR_DATE='2025-11-13 00:00:00 +0000' GIT_COMMITTER_DATE='2025-11-13 00:00:00 +0000'

# The pinned "base" and every-arch.sh's three-patch stack: the second
# patch touches a file no entry builds (coverage lists it), the third a
# file fake compiles and fake2 does not (fake-base.inc).
# shellcheck source=testing/selftests/fake-base.inc
. "$here/fake-base.inc"
fake_base

# ok NAME / nok NAME WHY [FILE]: count one case.
ok() { passed=$((passed + 1)); echo "ok - $1"; }
nok() {
	failed=$((failed + 1))
	echo "not ok - $1: $2"
	[ -z "${3:-}" ] || sed 's/^/    | /' "$3" | tail -n 25
}

# run OUTFILE CMD...: CMD's output to OUTFILE, its exit status echoed.
run() {
	local o=$1 rc=0
	shift
	"$@" >"$o" 2>&1 || rc=$?
	echo "$rc"
}

# single DIR / shard DIR SHARD: a whole run, one shard (its own cache).
single() {
	DMA_PHYS_CACHE=$work/cache-all "$root/ci/run" --series "$1/series" --patches "$1/patches" --out "$1/single"
}
shard() {
	DMA_PHYS_CACHE=$work/cache-$2 "$root/ci/run" --series "$1/series" --patches "$1/patches" --out "$1/shard-$2" --shard "$2"
}
merge() {
	local d=$1
	shift
	"$root/ci/merge" --series "$d/series" --patches "$d/patches" "$@"
}

# same NAME A B: report.md, results.json and the last stdout line of the
# outputs A and B (A.out, B.out beside them) agree, but for times.
# The machine's own paths (a message naming a shard's cache, or a temporary
# folder) and times in summaries ("image built, 1s)") differ as they would
# between two single runs on two machines.
machine='s#/cache-[a-z0-9]+/#/cache-X/#g; s#/tmp/tmp\.[A-Za-z0-9]+#/tmp/tmp.X#g; s/\b[0-9]+s\)/Ns)/g'
norm_md() {
	sed -E -e '/^\| (date|wall time) \|/d' -e 's/\| [0-9]+s \|/| Ns |/g' -e "$machine" "$1"
}
norm_json() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("started", "finished", "wall_seconds"):
    d["run"][k] = None
for r in d["results"]:
    r["seconds"] = 0
print(json.dumps(d, indent=1, sort_keys=True))' "$1" | sed -E "$machine"
}
same() {
	local name=$1 a=$2 b=$3 why=""
	diff <(norm_md "$a/report.md") <(norm_md "$b/report.md") >"$work/$name.diff" ||
		why="report.md differs"
	diff <(norm_json "$a/results.json") <(norm_json "$b/results.json") >>"$work/$name.diff" ||
		why="${why:+$why; }results.json differs"
	[ "$(tail -n1 "$a.out")" = "$(tail -n1 "$b.out")" ] ||
		why="${why:+$why; }last lines: '$(tail -n1 "$a.out")' and '$(tail -n1 "$b.out")'"
	[ -s "$b/kcidb.json" ] || why="${why:+$why; }no kcidb.json"
	if [ -z "$why" ]; then ok "$name"; else nok "$name" "$why" "$work/$name.diff"; fi
}

# 1. The good stack: two shards merge to the single run.
d=$(mkstack good)
rc_all=$(run "$d/single.out" single "$d")
rc1=$(run "$d/shard-fake.out" shard "$d" fake)
rc2=$(run "$d/shard-fake2.out" shard "$d" fake2)
rcm=$(run "$d/merged.out" merge "$d" "$d/merged" "$d/shard-fake" "$d/shard-fake2")
if [ "$rc_all" = 0 ] && [ "$rc1" = 0 ] && [ "$rc2" = 0 ] && [ "$rcm" = 0 ]; then
	ok good-stack-all-pass
else
	nok good-stack-all-pass "exit $rc_all (single), $rc1 and $rc2 (shards), $rcm (merge)" "$d/merged.out"
fi
same good-stack-merge-equals-single "$d/single" "$d/merged"
# The shards alone: no coverage (it needs both), their own entry only.
if ! grep -q 'coverage' "$d/shard-fake/results.tsv" && ! grep -qF '[fake2]' "$d/shard-fake/results.tsv" &&
	grep -q 'coverage \[stack\]: pass (0 of 3 touched C files checked' "$d/merged/report.md"; then
	ok shards-leave-coverage-to-the-merge
else
	nok shards-leave-coverage-to-the-merge "coverage in a shard, fake2 in fake's shard, or no coverage pass merged" "$d/merged/report.md"
fi
# Logs relative to the merged output, inside it.
if python3 -c '
import json, os, sys
d = json.load(open(sys.argv[1] + "/results.json"))
logs = [r["log"] for r in d["results"] if r["log"]]
sys.exit(0 if logs and all(not l.startswith("/") and os.path.isfile(os.path.join(sys.argv[1], l)) for l in logs) else 1)' "$d/merged"; then
	ok merged-logs-relative-and-present
else
	nok merged-logs-relative-and-present "a log path absolute or missing" "$d/merged/results.json"
fi

# 1b. With a stack stage besides coverage: a third shard, "stack", runs
# it (tools-virtio, an error on the fake tree, which has no tools/:
# the same error in both).
d=$(mkstack stack-stage)
export DMA_PHYS_STAGES="coverage tools-virtio"
run "$d/single.out" single "$d" >/dev/null
for s in fake fake2 stack; do run "$d/shard-$s.out" shard "$d" "$s" >/dev/null; done
run "$d/merged.out" merge "$d" "$d/merged" "$d/shard-stack" "$d/shard-fake" "$d/shard-fake2" >/dev/null
export DMA_PHYS_STAGES=coverage
same stack-shard-merge-equals-single "$d/single" "$d/merged"
if grep -q 'tools-virtio' "$d/shard-stack/results.tsv" && ! grep -q 'coverage' "$d/shard-stack/results.tsv" &&
	! grep -q 'tools-virtio' "$d/shard-fake/results.tsv" && grep -q 'tools-virtio' "$d/merged/results.tsv"; then
	ok stack-stages-in-the-stack-shard
else
	nok stack-stages-in-the-stack-shard "tools-virtio not in the stack shard alone, or coverage there" "$d/merged/results.tsv"
fi

# 2. A warning only fake2 compiles: the merged failure is the single run's.
arm_warning() {
	[ "$1" = 1 ] || return 0
	sed -i 's#^unsigned long long map_one#\#ifdef CONFIG_FAKE_ARM\nstatic int arm_only;\n\#endif\n\nunsigned long long map_one#' "$2/src/dma.c"
}
d=$(mkstack arm-warning arm_warning)
run "$d/single.out" single "$d" >/dev/null
run "$d/shard-fake.out" shard "$d" fake >/dev/null
run "$d/shard-fake2.out" shard "$d" fake2 >/dev/null
# fake2's output moved before the merge (as an artifact download does):
# its paths are where run.info says it was written.
mkdir -p "$d/downloaded"
mv "$d/shard-fake2" "$d/downloaded/fake2"
rcm=$(run "$d/merged.out" merge "$d" "$d/merged" "$d/downloaded/fake2" "$d/shard-fake")
same failing-stack-merge-equals-single "$d/single" "$d/merged"
if [ "$rcm" = 1 ] && grep -qF "build 1/3 fake-document-map_one.patch [fake2]: FAIL: 1 new compiler warnings" "$d/merged.out" &&
	grep -qF "[log](logs/fake2/01-build.log)" "$d/merged/report.md"; then
	ok failing-stack-merged-names-patch-and-log
else
	nok failing-stack-merged-names-patch-and-log "exit $rcm, or no FAIL line with its relative log" "$d/merged.out"
fi

# 3. A shard missing (its job died before uploading): an error, named.
d=$work/good
rcm=$(run "$d/missing.out" merge "$d" "$d/missing" "$d/shard-fake" "$d/no-such-shard")
if [ "$rcm" = 1 ] && grep -qF "merge: ERROR: no output of shard fake2 (ci/run --shard fake2)" "$d/missing/report.md" &&
	grep -qF "merge: ERROR: $d/no-such-shard is not a ci/run output" "$d/missing/report.md" &&
	grep -qF "coverage [stack]: ERROR: not run: no output of shard(s) fake2," "$d/missing.out" &&
	[ "$(tail -n1 "$d/missing.out")" != "$(tail -n1 "$d/single.out")" ]; then
	ok missing-shard-is-an-error
else
	nok missing-shard-is-an-error "exit $rcm, or the missing shard not named" "$d/missing.out"
fi

# 4. Shards of different runs: refused, nothing merged.
cp -a "$d/shard-fake2" "$d/other-harness"
sed -i -E 's/^(harness\t)[0-9a-f]+/\1deadbeef/' "$d/other-harness/run.info"
rcm=$(run "$d/refused.out" merge "$d" "$d/refused" "$d/shard-fake" "$d/other-harness")
if [ "$rcm" = 1 ] && grep -qF "differ in harness" "$d/refused.out" && [ ! -e "$d/refused" ] &&
	[ "$(tail -n1 "$d/refused.out")" = "0 passed, 1 failed" ]; then
	ok different-harness-refused
else
	nok different-harness-refused "exit $rcm, or merged anyway" "$d/refused.out"
fi
rcm=$(run "$d/refused2.out" merge "$d" "$d/refused2" "$d/shard-fake" "$d/shard-fake")
if [ "$rcm" = 1 ] && grep -qF "shard fake given twice" "$d/refused2.out"; then
	ok same-shard-twice-refused
else
	nok same-shard-twice-refused "exit $rcm" "$d/refused2.out"
fi
rcm=$(run "$d/refused5.out" merge "$d" "$d/refused5" "$d/single")
if [ "$rcm" = 1 ] && grep -qF "is not a shard: it needs no merge" "$d/refused5.out"; then
	ok whole-run-is-not-a-shard
else
	nok whole-run-is-not-a-shard "exit $rcm" "$d/refused5.out"
fi
d2=$(mkstack arm-warning-again arm_warning)
rcm=$(run "$d/refused3.out" merge "$d" "$d/refused3" "$d/shard-fake" "$work/arm-warning/downloaded/fake2")
if [ "$rcm" = 1 ] && grep -qF "differ in patchset" "$d/refused3.out"; then
	ok different-patches-refused
else
	nok different-patches-refused "exit $rcm" "$d/refused3.out"
fi
rcm=$(run "$d/refused4.out" "$root/ci/merge" --series "$d2/series" --patches "$d2/patches" "$d/refused4" "$d/shard-fake" "$d/shard-fake2")
if [ "$rcm" = 1 ] && grep -qF "the shards ran patchset" "$d/refused4.out"; then
	ok other-series-here-refused
else
	nok other-series-here-refused "exit $rcm" "$d/refused4.out"
fi

# 5. A shard that is not in the job: an error, not an empty pass.
rcs=$(run "$d/badshard.out" shard "$d" fake3)
if [ "$rcs" != 0 ] && grep -qF -- "--shard fake3 is not a shard of this job" "$d/badshard.out"; then
	ok unknown-shard-refused
else
	nok unknown-shard-refused "exit $rcs" "$d/badshard.out"
fi

# 6. The shards of a job: its entries, and "stack" when a stage besides
# coverage runs.
l=$("$root/ci/run" --list-shards | xargs)
l2=$(DMA_PHYS_STAGES="coverage bloat" "$root/ci/run" --list-shards | xargs)
if [ "$l" = "fake fake2" ] && [ "$l2" = "fake fake2 stack" ]; then
	ok list-shards
else
	nok list-shards "got '$l' and '$l2'"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
