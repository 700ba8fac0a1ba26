#!/bin/bash
# The benchmark's runner and the short form around it, with a fake QEMU
# (no kernel): ci/perf/boot-arch's one verdict line per boot (pass with
# its batches and mapping errors, FAIL naming kernel, path, run and log
# for a boot cut short or past its time limit, ERROR for a missing
# module), the kernel command line it builds (the entry's path,
# BENCH_KERNEL_ARGS, BENCH_ARGS) and the NVMe controller without a disk;
# ci/perf/short's boots through it, its last line on a pass, and its one
# ERROR line naming the boot that measured nothing.
#
#   testing/selftests/perf-boot.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=testing/selftests/lib.sh
. "$root/testing/selftests/lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/perf-boot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The fake QEMU: records its arguments, prints the console of one boot
# of the benchmark on the path the command line asks for.  FAKE_QEMU:
# ok (default), errors (one batch with mapping errors), nodone (the
# module never ends), hang; FAKE_FAIL=KERNEL:PATH makes only that
# kernel's boots on that path end without the done line.
mkdir -p "$tmp/bin" "$tmp/work" "$tmp/tree" "$tmp/base" "$tmp/patched"
cat >"$tmp/bin/qemu-system-x86_64" <<'FAKE'
#!/bin/bash
set -euo pipefail
printf '%s\n' "$@" >"$FAKE_ARGS"
append= kernel=
while [ $# -gt 0 ]; do
	case $1 in
	-append) append=$2; shift ;;
	-kernel) kernel=$2; shift ;;
	esac
	shift
done
k=$(basename "$(dirname "$kernel")")
case $append in
*"intel_iommu=off swiotlb=force"*) path=swiotlb ;;
*intel_iommu=off*) path=direct ;;
*iommu.strict=1*) path=iommu-strict ;;
*iommu.strict=0*) path=iommu-lazy ;;
esac
mode=${FAKE_QEMU:-ok}
[ "${FAKE_FAIL:-}" != "$k:$path" ] || mode=nodone
[ "$mode" != hang ] || exec sleep 30
page=300 res=200
[ "$k" = base ] || page=301
echo "Linux version 6.17.8 ($k)"
echo "Run /init as init process"
n=0
for s in 64 4096; do
	e=0
	[ "$mode" != errors ] || [ "$s" != 64 ] || e=3
	echo "dmabench: api=page size=$s offset=0 calls=10000 ns=$((page * 10000)) errors=$e"
	n=$((n + 1))
	if [ "$k" != base ]; then
		echo "dmabench: api=phys size=$s offset=0 calls=10000 ns=$(((page - 10) * 10000)) errors=0"
		n=$((n + 1))
	fi
	echo "dmabench: api=resource size=$s offset=0 calls=10000 ns=$((res * 10000)) errors=0"
	n=$((n + 1))
done
[ "$mode" = nodone ] || echo "dmabench: done path=$path batches=$n"
echo "benchinit: finit_module=-11 args=dev=0000:00:04.0"
FAKE
# What boot-arch builds once per BENCH_WORK, there already: the init
# (newer than its source) and a gen_init_cpio that writes its list.
printf '#!/bin/sh\nexit 0\n' >"$tmp/work/init-x86_64"
# shellcheck disable=SC2016 # $3 is the fake's own argument
printf '#!/bin/sh\ncat "$3"\n' >"$tmp/work/gen_init_cpio"
chmod +x "$tmp/bin/qemu-system-x86_64" "$tmp/work/init-x86_64" "$tmp/work/gen_init_cpio"
touch -d '+1 hour' "$tmp/work/init-x86_64"
for k in base patched; do
	: >"$tmp/$k/bzImage"
	: >"$tmp/$k/dma_bench.ko"
done
export PATH=$tmp/bin:$PATH TREE=$tmp/tree BENCH_WORK=$tmp/work FAKE_ARGS=$tmp/qemu-args
# The gate's goals for these counts: patched page 301/300, phys 291/300.
printf '%s\n' 'goal page * 1.01' 'goal phys direct 0.98' 'goal resource * 1.00' >"$tmp/goals"
export PERF_GOALS=$tmp/goals

# boot K PATH RUN [ENV...]: one boot-arch boot; sets out and rc.
boot() {
	local k=$1 p=$2 r=$3
	shift 3
	rc=0
	out=$(env "$@" "$root/ci/perf/boot-arch" x86_64 "$tmp/$k/bzImage" "$tmp/$k/dma_bench.ko" \
		"$p" icount "$k" "$r" "$tmp/out/$k-$p-$r.json" 2>"$tmp/err") || rc=$?
}

# 1. boot-arch.
boot base direct 1 BENCH_KERNEL_ARGS="dma_debug=off kunit.enable=0" BENCH_ARGS="calls=10000 sizes=64,4096"
st_result "boot-arch: a pass is one line with the batches, the time and the log" \
	"$rc $(sed -E 's/[0-9]+ s\)/S s)/' <<<"$out")" \
	"0 perf [x86_64] base direct run 1: pass (4 batches, S s) (log: $tmp/out/base-direct-1.log)"
st_result "boot-arch: the JSON is written" "$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["kernel"], r["path"], r["mode"], r["run"], len(r["batches"]))' "$tmp/out/base-direct-1.json")" \
	"base direct icount 1 4"
a=$(grep -A1 -x -- -append "$tmp/qemu-args" | tail -n1)
st_result "boot-arch: the path's, the entry's and BENCH_KERNEL_ARGS' kernel arguments, BENCH_ARGS after dev=" \
	"$(grep -c 'intel_iommu=off.*no_timer_check\|no_timer_check.*intel_iommu=off' <<<"$a") $(grep -c 'dma_debug=off kunit.enable=0 BENCH_ARGS="dev=0000:00:04.0 calls=10000 sizes=64,4096"$' <<<"$a")" "1 1"
st_result "boot-arch: an NVMe controller at 00:04.0 without a disk, one CPU, -icount" \
	"$(grep -cx 'nvme,serial=bench0,addr=4' "$tmp/qemu-args") $(grep -c -x -- -drive "$tmp/qemu-args" || true) $(grep -A1 -x -- -smp "$tmp/qemu-args" | tail -n1) $(grep -cx 'shift=0,sleep=off' "$tmp/qemu-args")" \
	"1 0 1 1"
boot patched swiotlb 2 FAKE_QEMU=errors
st_result "boot-arch: a batch with mapping errors is kept and counted" \
	"$rc $(sed -E 's/[0-9]+ s\)/S s)/' <<<"$out")" \
	"0 perf [x86_64] patched swiotlb run 2: pass (6 batches, 1 with mapping errors, S s) (log: $tmp/out/patched-swiotlb-2.log)"
boot patched iommu-lazy 1 FAKE_QEMU=nodone
if [ "$rc" = 1 ] && [ "$(wc -l <<<"$out")" = 1 ] && [ ! -e "$tmp/out/patched-iommu-lazy-1.json" ] &&
	[[ $out == "perf [x86_64] patched iommu-lazy run 1: FAIL: "*"no 'dmabench: done' line"*"(QEMU exit 0) (log: $tmp/out/patched-iommu-lazy-1.log)" ]]; then
	st_ok "boot-arch: a boot cut short fails in one line naming kernel, path, run and log"
else
	st_fail "boot-arch: a boot cut short fails in one line naming kernel, path, run and log" "exit $rc: $out"
fi
boot base iommu-strict 2 FAKE_QEMU=hang BENCH_TIMEOUT=1
st_result "boot-arch: a boot past its time limit says so" "$rc $out" \
	"1 perf [x86_64] base iommu-strict run 2: FAIL: the boot hit its time limit of 1 s (BENCH_TIMEOUT) (log: $tmp/out/base-iommu-strict-2.log)"
rc=0
out=$("$root/ci/perf/boot-arch" x86_64 "$tmp/base/bzImage" "$tmp/none.ko" direct icount base 1 "$tmp/out/x.json" 2>&1) || rc=$?
st_result "boot-arch: a missing module is an ERROR line, exit 2" "$rc $out" \
	"2 perf [x86_64] base direct run 1: ERROR: no module $tmp/none.ko (log: none)"

# 2. The short form through boot-arch.
short() {
	rc=0
	env "$@" PERF_PATHS="direct iommu-strict" PERF_GUEST_DIR="$tmp/work" \
		"$root/ci/perf/short" "$tmp/tree" "$tmp/base" "$tmp/patched" "$tmp/short" >"$tmp/short.out" 2>&1 || rc=$?
	last=$(tail -n1 "$tmp/short.out")
}
short
st_result "short: 8 boots through boot-arch, the gate, a pass" \
	"$rc $(grep -c '^perf \[x86_64\] \(base\|patched\) \(direct\|iommu-strict\) run [12]: pass' "$tmp/short.out") ${last%%(*}" \
	"0 8 perf [x86_64]: pass "
a=$(grep -A1 -x -- -append "$tmp/qemu-args" | tail -n1)
st_result "short: the CI kernels' arguments and its fewer batches" \
	"$(grep -c 'dma_debug=off kunit.enable=0 BENCH_ARGS="dev=0000:00:04.0 calls=10000 sizes=64,4096 offsets=0,256"$' <<<"$a")" "1"
short FAKE_FAIL=patched:iommu-strict
if [ "$rc" = 2 ] &&
	[[ $last == "perf [x86_64]: ERROR: a benchmark boot measured nothing usable: patched iommu-strict run 1: FAIL: "*"(log: $tmp/short/patched-iommu-strict-1.log) (and 1 more boots: "*"); the patch is not blamed" ]]; then
	st_ok "short: a boot that measured nothing is an ERROR naming it in the last line"
else
	st_fail "short: a boot that measured nothing is an ERROR naming it in the last line" "exit $rc: $last"
fi
short FAKE_QEMU=nodone PERF_BENCH_ARGS="calls=20000"
st_result "short: PERF_BENCH_ARGS replaces its batches" \
	"$rc $(grep -A1 -x -- -append "$tmp/qemu-args" | tail -n1 | grep -c 'BENCH_ARGS="dev=0000:00:04.0 calls=20000"$')" "2 1"
st_done
