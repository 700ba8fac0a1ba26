#!/usr/bin/env bash
# Self-tests of what a run hands to people and bots: report.md (its
# sections in order, relative log links, the last line), results.json
# and kcidb.json against their schemas (ci/validate: a missing validator
# fails the case), and ci/b4-check (b4's per-patch CI protocol), on a
# fake-tree run (good and with a build break) and on real-out/, records
# and logs kept from a real run of the whole job (x86_64, one kernel-doc
# failure, one harness error, boots, canaries, stack stages).
#
# Usage: testing/selftests/results.sh   (prints "N passed, N failed" last)
set -euo pipefail
# shellcheck source=testing/selftests/fake-stack.inc
. "$(dirname "${BASH_SOURCE[0]}")/fake-stack.inc"
# shellcheck source=testing/selftests/lib.sh
. "$here/lib.sh"

# valid NAME OUT: results.json and kcidb.json of OUT pass their schemas.
valid() {
	local k o
	for k in results kcidb; do
		if o=$("$root/ci/validate" "$k" "$2/$k.json" 2>&1); then
			st_ok "$1-$k-valid"
		else
			st_fail "$1-$k-valid" "$o"
		fi
	done
}

# sections NAME OUT: report.md's sections in the order people read them,
# no absolute log path, and the counts last.
sections() {
	local got want
	got=$(grep -oE '^## (Failures|First patch|Patch x arch|Boots|KUnit|Canaries|Run and stack)' "$2/report.md" |
		sed 's/^## //' | tr '\n' ',')
	want=$3
	st_result "$1-sections" "$got" "$want"
	if grep -qE '\]\(/' "$2/report.md"; then
		st_fail "$1-relative-links" "$(grep -m1 -oE '\]\(/[^)]*\)' "$2/report.md")"
	else
		st_ok "$1-relative-links"
	fi
	if tail -n1 "$2/report.md" | grep -qE '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$'; then
		st_ok "$1-last-line"
	else
		st_fail "$1-last-line" "$(tail -n1 "$2/report.md")"
	fi
}

# b4 NAME OUT PATCH WANT: ci/b4-check on PATCH says WANT (pass|warn|fail).
b4() {
	local o
	o=$("$root/ci/b4-check" --out "$2" <"$3" | python3 -c '
import json, sys
a = json.load(sys.stdin)
assert isinstance(a, list) and len(a) == 1, a
v = a[0]
assert set(v) == {"tool", "status", "summary", "url", "details"}, v
assert v["status"] in ("pass", "warn", "fail"), v
print(v["status"])' 2>&1) || true
	st_result "$1" "$o" "$4"
}

# 1. A good fake run.
d=$(scenario good)
ci "$d" >"$work/good.out" 2>&1 || true
valid good "$d/out"
sections good "$d/out" "Failures,First patch,Patch x arch,Run and stack,"
if grep -q '^base_commit	' "$d/out/run.info" && grep -q '^finished	' "$d/out/run.info"; then
	st_ok good-run-info
else
	st_fail good-run-info "$(cut -f1 "$d/out/run.info" | tr '\n' ' ')"
fi
b4 good-b4-pass "$d/out" "$d/patches/fake-drop-the-offset-for-one-direction.patch" pass
printf 'Subject: [PATCH 0/3] the cover\n\nno diff\n' >"$work/cover.mbox"
st_result good-b4-cover "$("$root/ci/b4-check" --out "$d/out" <"$work/cover.mbox")" "[]"
sed 's/^Subject: .*/Subject: [PATCH] something else/; s/^+\(.*\)$/+\1 \/\* other \*\//' \
	"$d/patches/fake-note-the-mapping.patch" >"$work/other.patch"
b4 good-b4-unknown-warns "$d/out" "$work/other.patch" warn

# 2. A build break: the report names it first, b4 fails that patch only.
d=$(scenario build-break)
sed -i 's/^+\treturn dir ? page : page + offset;$/+\treturn dir ? page : page + offset_missing;/' \
	"$d/patches/fake-drop-the-offset-for-one-direction.patch"
ci "$d" >"$work/break.out" 2>&1 || true
valid break "$d/out"
if grep -A6 '^## Failures' "$d/out/report.md" | grep -q 'FAIL.*build.*2 fake-drop-the-offset.*offset_missing.*\[log\](logs/fake/02-build.log)'; then
	st_ok break-failure-first
else
	st_fail break-failure-first "$(grep -A3 '^## Failures' "$d/out/report.md" | tail -n2)"
fi
if grep -q '^| fake | 2 fake-drop-the-offset-for-one-direction.patch | build' "$d/out/report.md"; then
	st_ok break-first-patch
else
	st_fail break-first-patch "$(grep -A4 '^## First patch' "$d/out/report.md" | tail -n1)"
fi
b4 break-b4-fail "$d/out" "$d/patches/fake-drop-the-offset-for-one-direction.patch" fail
b4 break-b4-pass "$d/out" "$d/patches/fake-pass-a-direction-to-map_one.patch" pass

# 3. Records and logs of a real run.
r=$work/real
cp -a "$here/real-out" "$r"
"$root/ci/report" "$r" >"$work/real.out" 2>&1 || true
valid real "$r"
sections real "$r" "Failures,First patch,Patch x arch,Boots,KUnit,Canaries,Run and stack,"
st_result real-counts "$(tail -n1 "$r/report.md")" "29 passed, 2 failed, 3 skipped"
if grep -q 'kdoc.*21 ARM-dma-mapping.*\[log\](logs/x86_64/21-kdoc.log)' "$r/report.md" &&
	grep -q "^  arch/arm/mm/dma-mapping.c: warning: No description found for return value of 'arm_iommu_map_phys'" "$r/report.md"; then
	st_ok real-failure-reason
else
	st_fail real-failure-reason "$(grep -m1 kdoc "$r/report.md")"
fi

# 4. A validator that is missing is an error, never a pass.
mkdir -p "$work/nojs"
printf 'raise ImportError("hidden by the self-test")\n' >"$work/nojs/jsonschema.py"
if o=$(PYTHONPATH=$work/nojs "$root/ci/validate" results "$r/results.json"); then
	st_fail no-validator-is-error "passed: $o"
else
	case $o in *"ERROR: python3-jsonschema missing"*) st_ok no-validator-is-error ;;
	*) st_fail no-validator-is-error "$o" ;; esac
fi
echo '{"schema_version": "1.0.0"}' >"$work/broken.json"
if o=$("$root/ci/validate" results "$work/broken.json"); then
	st_fail broken-json-fails "passed: $o"
else
	st_ok broken-json-fails
fi

st_done
