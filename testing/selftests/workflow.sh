#!/usr/bin/env bash
# The GitHub Actions workflow (.github/workflows/ci.yml) that fans the
# job out, one runner per shard, and merges: it cannot run here, so what
# can be checked is: its matrix is the job's shards (ci/run
# --list-shards), the merge job runs after every shard even when one
# failed and uploads report.md, results.json and kcidb.json, every shard's
# cache key follows its config and compiler (ci/cache-key), and its shell
# steps are shellcheck-clean.
#
#   testing/selftests/workflow.sh     (prints "N passed, N failed" last)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/workflow.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=testing/selftests/lib.sh
. "$root/testing/selftests/lib.sh"
wf=$root/.github/workflows/ci.yml
# The default job, as the workflow runs it.
unset DMA_PHYS_ARCHES DMA_PHYS_STAGES DMA_PHYS_ARCH_DIR DMA_PHYS_CONFIG_DIR
export DMA_PHYS_ROTATE=no

# The workflow as data (python3-yaml, from tools/install-deps): the
# matrix, one per line, then facts "KEY=VALUE".  Debian's python3-yaml is
# for Debian's python3; a python3 earlier on PATH (pyenv) may lack it.
py=python3
python3 -c 'import yaml' 2>/dev/null || ! [ -x /usr/bin/python3 ] || py=/usr/bin/python3
if ! "$py" - "$wf" "$tmp" >"$tmp/facts" 2>"$tmp/err" <<'PY'
import re, sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
jobs = d["jobs"]
for s in jobs["shard"]["strategy"]["matrix"]["shard"]:
    print("shard=%s" % s)
m = jobs["merge"]
print("needs=%s" % m.get("needs"))
print("if=%s" % m.get("if"))
print("fail-fast=%s" % jobs["shard"]["strategy"].get("fail-fast"))
print("rotate=%s" % repr(d.get("env", {}).get("DMA_PHYS_ROTATE")))
for st in m["steps"]:
    w = st.get("with") or {}
    if w.get("name") == "report":
        print("report=%s" % " ".join(w["path"].split()))
        print("report-if=%s" % st.get("if"))
n = 0
for j in jobs.values():
    for st in j["steps"]:
        if "run" in st:
            n += 1
            with open("%s/run-%d.sh" % (sys.argv[2], n), "w") as f:
                f.write("#!/bin/bash\nset -eo pipefail\n" + re.sub(r"\$\{\{[^}]*\}\}", "${GH_EXPR}", st["run"]))
PY
then
	st_fail workflow-parses "$(head -n3 "$tmp/err")"
else
	st_ok workflow-parses
fi
fact() { sed -n "s/^$1=//p" "$tmp/facts"; }

# 1. The matrix is the job's shards.
st_result matrix-is-the-jobs-shards "$(fact shard | xargs)" "$("$root/ci/run" --list-shards | xargs)"
# 2. The merge job: after the shards, whatever they did; the artifact.
st_result merge-needs-every-shard "$(fact needs)/$(fact if)/$(fact fail-fast)" "shard/always()/False"
st_result merge-uploads-the-report "$(fact report)/$(fact report-if)" "out/report.md out/results.json out/kcidb.json/always()"
st_result no-rotation-in-the-fan-out "$(fact rotate)" "'no'"

# 3. Cache keys: one per shard, different per entry, changed by a change
# of a config fragment or of the compiler.
keys="" why=""
for s in $(fact shard); do
	k=$("$root/ci/cache-key" "$s" 2>"$tmp/err") || { why="$why $s: $(cat "$tmp/err")"; continue; }
	[[ $k == "dma-phys-$s-"* ]] || why="$why $s: key $k"
	keys="$keys ${k##*-}"
done
[ -z "$why" ] || st_fail cache-key-per-shard "$why"
[ -n "$why" ] || st_ok cache-key-per-shard
cp -a "$root/ci/arch" "$tmp/arch"
cp -a "$root/testing/configs" "$tmp/configs"
a=$(DMA_PHYS_ARCH_DIR=$tmp/arch DMA_PHYS_CONFIG_DIR=$tmp/configs "$root/ci/cache-key" x86_64)
frag=$(sed -n 's/^FRAGMENTS="\{0,1\}\([^ "]*\).*/\1/p' "$tmp/arch/x86_64.conf")
echo "# a change" >>"$tmp/configs/$frag.config"
b=$(DMA_PHYS_ARCH_DIR=$tmp/arch DMA_PHYS_CONFIG_DIR=$tmp/configs "$root/ci/cache-key" x86_64)
mkdir -p "$tmp/bin"
printf '#!/bin/sh\necho "gcc (Other) 99.0"\n' >"$tmp/bin/other-gcc"
chmod +x "$tmp/bin/other-gcc"
echo "CC_CMD=$tmp/bin/other-gcc" >>"$tmp/arch/x86_64.conf"
c=$(DMA_PHYS_ARCH_DIR=$tmp/arch DMA_PHYS_CONFIG_DIR=$tmp/configs "$root/ci/cache-key" x86_64)
if [ -n "$frag" ] && [ "$a" != "$b" ] && [ "$b" != "$c" ] && [ "$a" = "$("$root/ci/cache-key" x86_64)" ]; then
	st_ok cache-key-follows-fragments-and-compiler
else
	st_fail cache-key-follows-fragments-and-compiler "fragment '$frag': keys $a, $b, $c"
fi

# 4. The steps' shell (bash -eo pipefail, the workflow's default), with
# ${{ ... }} as variables.
if ! command -v shellcheck >/dev/null 2>&1; then
	st_fail steps-shellcheck-clean "shellcheck missing (tools/install-deps installs it)"
elif ! ls "$tmp"/run-*.sh >/dev/null 2>&1; then
	st_fail steps-shellcheck-clean "no run: step found"
elif shellcheck -s bash -e SC2154 "$tmp"/run-*.sh >"$tmp/sc" 2>&1; then
	st_ok steps-shellcheck-clean
else
	st_fail steps-shellcheck-clean "$(head -n 8 "$tmp/sc")"
fi

st_done
