#!/usr/bin/env bash
# Self-tests of the four outcomes and of the harness's own state, on the
# fake tree (fake-stack.inc) with fake tools: a missing or crashing tool
# is an error that does not blame the patch, never a pass; nothing is
# cached from a tool that did not exit cleanly; two runs at once, an
# interrupted run, an --out that is not ours, a bad record and a control
# byte all end in a clear line and a report.
#
# Usage: testing/selftests/outcomes.sh   (prints "N passed, N failed" last)
# shellcheck disable=SC2016 # the stubs' bodies expand in the stubs
set -euo pipefail
# shellcheck source=testing/selftests/fake-stack.inc
. "$(dirname "${BASH_SOURCE[0]}")/fake-stack.inc"

# ok NAME / not_ok NAME WHY: one line per case.
ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $1: $2"; }

# ci_in CACHE DIR: ci/run on scenario DIR with its own cache.
ci_in() { DMA_PHYS_CACHE=$1 "$root/ci/run" --series "$2/series" --patches "$2/patches" --out "$2/out"; }

# without TOOL...: a bin folder with every command on PATH except TOOLs.
without() {
	local d=$work/bin-without-$1 p t
	local -a dirs
	IFS=: read -ra dirs <<<"$PATH"
	mkdir -p "$d"
	for ((p = ${#dirs[@]} - 1; p >= 0; p--)); do
		[ -d "${dirs[p]}" ] || continue
		find "${dirs[p]}" -maxdepth 1 -mindepth 1 \( -type f -o -type l \) -print0 |
			xargs -0 -r ln -sf -t "$d"
	done
	for t in "$@"; do rm -f "$d/$t"; done
	echo "$d"
}

# stub NAME KIND BODY: a fake tool NAME, put first on PATH by the
# caller ($work/stubs-NAME-KIND).
stub() {
	local d=$work/stubs-$1-$2
	mkdir -p "$d"
	printf '#!/bin/sh\n%s\n' "$3" >"$d/$1"
	chmod +x "$d/$1"
	echo "$d"
}

# A small tree for the sparse and cocci checks run on their own: two
# commits, the second changes src/dma.c, and a Makefile with kbuild's
# object targets, C=2 CHECK= and the "  CHECK  file" echo.
tt=$work/check-tree
mkdir -p "$tt/src"
cp -a "$here/fake-linux/src/." "$tt/src/"
cp -a "$here/fake-linux/scripts" "$tt/"
cat >"$tt/Makefile" <<'EOF'
O ?= .
.PHONY: FORCE
src/%.o: FORCE
	@mkdir -p $(O)/src
	$(if $(filter 2,$(C)),@echo '  CHECK   src/$*.c' && $(CHECK) src/$*.c)
	@echo '  CC      src/$*.o' && $(CC) -c -o $(O)/src/$*.o src/$*.c
EOF
git -C "$tt" init -q
git -C "$tt" add -A
git -C "$tt" commit -q -m base
sed -i 's/return page + offset;/return offset + page;/' "$tt/src/dma.c"
git -C "$tt" commit -q -a -m "fake: swap the sum"
make -s -C "$tt" O="$tt.build" src/dma.o >/dev/null

# check C: run ci/checks/C/run alone on the small tree.
check() {
	TREE=$tt PATCH=/dev/null LABEL="2/2 swap.patch" ARCH_CONF=$here/fake/arch/fake.conf \
		BUILD=$tt.build LOG=$work/check-$1.log "$root/ci/checks/$1/run"
}

# 1. sparse: a real run passes; missing or exiting 1 is an error.
if command -v sparse >/dev/null; then
	EXPECT=("sparse 2/2 swap.patch [fake]: pass (1 files)")
	expect sparse-runs 0 check sparse
fi
EXPECT=("sparse 2/2 swap.patch [fake]: ERROR: sparse missing" "the patch is not blamed")
PATH=$(without sparse) expect sparse-missing-is-error 2 check sparse
EXPECT=("sparse 2/2 swap.patch [fake]: ERROR: make C=2 CHECK=sparse exited" "the patch is not blamed")
PATH=$(stub sparse exit1 'exit 1'):$PATH expect sparse-exit-1-is-error 2 check sparse

# W=1: a real run passes; a compiler that crashes is an error.
EXPECT=("w1 2/2 swap.patch [fake]: pass (1 files)")
expect w1-runs 0 check w1
EXPECT=("w1 2/2 swap.patch [fake]: ERROR: make W=1 exited" "the patch is not blamed")
PATH=$(stub ccache crash 'exit 139'):$PATH expect w1-crash-is-error 2 check w1

# 2. cocci alone: spatch missing, killed by its time limit: errors, and
# nothing cached.
EXPECT=("cocci 2/2 swap.patch [fake]: ERROR: spatch missing" "the patch is not blamed")
PATH=$(without spatch) DMA_PHYS_CACHE=$work/cc-missing expect spatch-missing-is-error 2 check cocci
slow=$(stub spatch slow 'case $1 in --version) echo "spatch version stub"; exit 0 ;; esac; sleep 5; exit 0')
EXPECT=("cocci 2/2 swap.patch [fake]: ERROR: spatch killed by its 1s time limit" "nothing cached")
COCCI_TIMEOUT=1 PATH=$slow:$PATH DMA_PHYS_CACHE=$work/cc-slow expect spatch-timeout-is-error 2 check cocci
if [ -z "$(find "$work/cc-slow" -type f 2>/dev/null)" ]; then
	ok spatch-timeout-not-cached
else
	not_ok spatch-timeout-not-cached "$(find "$work/cc-slow" -type f | head -n3 | tr '\n' ' ')"
fi

# 3. The whole job with a spatch that exits 1: every patch's cocci is an
# error naming cocci, the run fails, no cocci result is cached.
d=$(scenario spatch-exit-1)
bad=$(stub spatch exit1 'case $1 in --version) echo "spatch version stub"; exit 0 ;; esac; echo "spatch: stub crash" >&2; exit 1')
EXPECT=("cocci 1/3 fake-pass-a-direction-to-map_one.patch [fake]: ERROR: spatch exited 1"
	"the patch is not blamed" "3 errors" "9 passed, 3 failed")
PATH=$bad:$PATH expect spatch-exit-1-is-error 1 ci_in "$work/cache-sx1" "$d"
if [ -z "$(find "$work/cache-sx1/cocci" -type f 2>/dev/null)" ]; then
	ok spatch-exit-1-not-cached
else
	not_ok spatch-exit-1-not-cached "$(find "$work/cache-sx1/cocci" -type f | head -n3 | tr '\n' ' ')"
fi

# 4. Preflight: a missing quilt, too little space: one ERROR line each,
# nothing built, the report still written.
d=$(scenario no-quilt)
EXPECT=("preflight: ERROR: quilt missing" "the patch is not blamed" "0 passed, 1 failed")
PATH=$(without quilt) expect quilt-missing-preflight 1 ci_in "$work/cache-nq" "$d"
if grep -q 'stops at' "$work/quilt-missing-preflight.out" || [ ! -f "$d/out/results.json" ]; then
	not_ok quilt-missing-report "no results.json, or a 'quilt push -a stops at' line"
else
	ok quilt-missing-report
fi
EXPECT=("apply: quilt missing")
PATH=$(without quilt) DMA_PHYS_CACHE=$work/cache-nq expect apply-quilt-missing 2 \
	"$root/tools/apply" --series "$d/series" --patches "$d/patches" --logs "$work/nq-logs"
d=$(scenario no-space)
EXPECT=("preflight: ERROR:" "GiB free for the cache" "DMA_PHYS_MIN_CACHE_GIB")
DMA_PHYS_MIN_CACHE_GIB=1000000 expect no-space-preflight 1 ci_in "$work/cache-ns" "$d"

# 5. A check past its time limit: an error naming the limit.
d=$(scenario timeout)
EXPECT=("cocci 1/3 fake-pass-a-direction-to-map_one.patch [fake]: ERROR: killed at its time limit of 2s" "the patch is not blamed")
PATH=$slow:$PATH DMA_PHYS_TIMEOUT_COCCI=2 expect check-time-limit 1 ci_in "$work/cache-to" "$d"

# 6. Two runs at once on one cache: the second refuses with
# DMA_PHYS_LOCK_WAIT=0, or waits and then passes.
cache=$work/cache-lock
a=$(scenario lock-a)
b=$(scenario lock-b)
c=$(scenario lock-c)
DMA_PHYS_CACHE=$cache "$root/ci/run" --series "$a/series" --patches "$a/patches" --out "$a/out" \
	>"$work/lock-a.out" 2>&1 &
apid=$!
for _ in $(seq 100); do
	[ "$(cat "$cache/lock.pid" 2>/dev/null)" = "$apid" ] && break
	sleep 0.2
done
EXPECT=("another run holds $cache/lock (pid $apid); not waiting (DMA_PHYS_LOCK_WAIT=0)" "0 passed, 1 failed")
DMA_PHYS_LOCK_WAIT=0 expect lock-refuses 1 ci_in "$cache" "$b"
EXPECT=("waiting for the run holding $cache/lock (pid $apid)" "12 passed, 0 failed")
expect lock-waits 0 ci_in "$cache" "$c"
arc=0
wait "$apid" || arc=$?
if [ "$arc" = 0 ] && [ "$(tail -n1 "$work/lock-a.out")" = "12 passed, 0 failed" ]; then
	ok lock-first-run-passes
else
	not_ok lock-first-run-passes "exit $arc: $(tail -n1 "$work/lock-a.out")"
fi

# 7. A run interrupted in the middle of a parent comparison (the clone's
# files at the parent's content): the run says so, puts the clone back
# and writes its report; a clone left dirty by a run killed outright is
# restored by the next run, which passes.
cache=$work/cache-int
d=$(scenario interrupted)
sed -i 's/^+\treturn dir ? page : page + offset;$/+\treturn dir ? page_to_phys(phys_to_page(page)) : page + offset;/' \
	"$d/patches/fake-drop-the-offset-for-one-direction.patch"
# The wrapper empties the cocci cache (finished entries only) so that the
# parent's side runs spatch too, and sleeps while the clone is dirty.
real=$(command -v spatch || echo spatch)
wrap=$(stub spatch wrap 'case $1 in --version) exec '"$real"' "$@" ;; esac
find "$DMA_PHYS_CACHE/cocci" -type f ! -name "*.tmp" ! -name "*.fails" -delete 2>/dev/null
[ -z "$(git --no-optional-locks status --porcelain --untracked-files=no)" ] || sleep 30
exec '"$real"' "$@"')
# make, while the clone is dirty, runs a long process in a session of
# its own, outside the check's process group (as the base image built to
# judge a failed boot runs outside any check): the interrupted run must
# end it too.
realmake=$(command -v make)
mkwrap=$(stub make wrap 'if [ -n "${TREE:-}" ] && [ -n "$(git --no-optional-locks -C "$TREE" status --porcelain --untracked-files=no 2>/dev/null)" ] &&
	! pgrep -f dma-phys-orphan-canary >/dev/null; then
	setsid bash -c "exec -a dma-phys-orphan-canary sleep 300" </dev/null >/dev/null 2>&1
fi
exec '"$realmake"' "$@"')
wrap=$wrap:$mkwrap
PATH=$wrap:$PATH DMA_PHYS_CACHE=$cache "$root/ci/run" --series "$d/series" --patches "$d/patches" --out "$d/out" \
	>"$work/interrupted.out" 2>&1 &
ipid=$!
dirty=0
for _ in $(seq 600); do
	if [ -d "$cache/work/linux/.git" ] &&
		[ -n "$(git --no-optional-locks -C "$cache/work/linux" status --porcelain --untracked-files=no 2>/dev/null)" ] &&
		pgrep -f dma-phys-orphan-canary >/dev/null; then
		dirty=1
		break
	fi
	kill -0 "$ipid" 2>/dev/null || break
	sleep 0.1
done
kill -TERM "$ipid" 2>/dev/null || true
irc=0
wait "$ipid" || irc=$?
sleep 1
orphans=$(pgrep -f dma-phys-orphan-canary || true)
if [ -n "$orphans" ]; then
	# shellcheck disable=SC2086 # a list of pids
	kill $orphans 2>/dev/null || true
	not_ok interrupted-run-leaves-no-process "still running: $orphans"
else
	ok interrupted-run-leaves-no-process
fi
if [ "$dirty" = 1 ] && [ "$irc" != 0 ] && grep -q 'ERROR: interrupted by SIGTERM' "$work/interrupted.out" &&
	[ -f "$d/out/results.json" ] &&
	[ -z "$(git --no-optional-locks -C "$cache/work/linux" status --porcelain --untracked-files=no)" ]; then
	ok interrupted-run-cleans-up
else
	not_ok interrupted-run-cleans-up "dirty seen $dirty, exit $irc, clone: $(git --no-optional-locks -C "$cache/work/linux" status --porcelain --untracked-files=no | head -n2 | tr '\n' ' ')"
	tail -n 5 "$work/interrupted.out" | sed 's/^/    | /'
fi
echo '/* left by a run killed with SIGKILL */' >>"$cache/work/linux/src/dma.c"
d=$(scenario after-interrupt)
EXPECT=("restored the harness's own clone $cache/work/linux" "12 passed, 0 failed")
expect next-run-passes 0 ci_in "$cache" "$d"

# 8. --out on a folder that is not an earlier output: refused, untouched.
d=$(scenario not-ours)
mkdir -p "$d/out"
echo precious >"$d/out/notes.txt"
EXPECT=("is not empty and not an earlier ci/run output" "0 passed, 1 failed")
expect out-not-ours-refused 1 ci_in "$work/cache-out" "$d"
if [ "$(cat "$d/out/notes.txt")" = precious ]; then ok out-not-ours-untouched; else not_ok out-not-ours-untouched "notes.txt changed"; fi

# 9. The report: a bad record and control bytes become error rows; the
# JSON stays valid; a boot's LOG.json with a control byte and one that is
# not JSON do not stop it.
r=$work/report-out
mkdir -p "$r/logs/fake/boot"
{
	printf 'base\tfake\tbuild\tpass\t3\t/l\tbuild base [fake]: pass\n'
	printf '1/1 x.patch\tfake\tbuild\tpass\tthree\t/l\tbuild: pass\n'
	printf 'short\trecord\n'
	printf '1/1 x.patch\tfake\tsparse\tpass\t1\t/l\tsparse: pass \033[31mred\033[0m\n'
	printf '1/1 x.patch\tfake\tw1\tpass\t1\t/l\tw1: pass\n'
} >"$r/results.tsv"
printf '{"arch": "fake", "variant": "direct", "label": "base", "result": "pass \\u001b[0m", "bytes_total": 1, "secs": 2}\n' \
	>"$r/logs/fake/boot/base-direct.log.json"
printf '{"arch": "fake", "variant": "direct", "label": "patched", "result": "\033' >"$r/logs/fake/boot/patched-direct.log.json"
EXPECT=("report: ERROR: bad record at" "3 errors" "2 passed, 3 failed")
expect report-bad-records 1 "$root/ci/report" "$r"
if python3 -c 'import json, sys; rows = json.load(open(sys.argv[1]))["results"]; assert sum(r["outcome"] == "error" for r in rows) == 3' \
	"$r/results.json" 2>"$work/json.err" && [ -s "$r/report.md" ] &&
	"$root/ci/validate" results "$r/results.json" >"$work/json.err" 2>&1 &&
	[ "$(tail -n1 "$r/report.md")" = "2 passed, 3 failed, 0 skipped" ]; then
	ok report-json-valid
else
	not_ok report-json-valid "$(tail -n1 "$work/json.err")"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
