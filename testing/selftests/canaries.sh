#!/bin/bash
# ci/boot/canaries on canned verdicts: a copy of it next to a fake
# ci/boot/run that prints, for each canary, the verdict line a scenario
# gives.  No QEMU, no kernel.
#
#   testing/selftests/canaries.sh
#
# Prints one line per case and "N passed, N failed"; exits non-zero if
# any case got the wrong outcome.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/canaries.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# The harness copy: the real canaries script, table and arch.sh, a fake run.
h=$tmp/h
mkdir -p "$h/ci/boot" "$h/ci/lib" "$h/ci/arch" "$h/testing/canary" "$tmp/build"
cp "$root/ci/boot/canaries" "$h/ci/boot/"
cp "$root/ci/lib/arch.sh" "$h/ci/lib/"
cp "$root/testing/canary/canaries" "$h/testing/canary/"
printf 'ARCH=x86_64\nVARIANTS="direct hotplug"\n' >"$h/ci/arch/x86_64.conf"
touch "$tmp/bzImage" "$tmp/initramfs.cpio.gz"
echo '# CONFIG_MODULES is not set' >"$tmp/build/.config"
# The fake run: the line and exit status of "canary-NAME" in $SCENARIO
# (NAME<tab>RC<tab>REASON; RC 0 prints a pass), and what it was given.
cat >"$h/ci/boot/run" <<'EOF'
#!/bin/bash
set -euo pipefail
label=$5 log=$6
name=${label#canary-}
echo "$name $4 ${HOTPLUG_SKIP_ADD:-} $BOOT_APPEND" >>"$SCENARIO.calls"
IFS=$'\t' read -r _ rc reason < <(grep -P "^$name\t" "$SCENARIO")
# A kernel that panics before init never starts the guest.
case $reason in
"kernel panic"*) echo "Kernel panic - not syncing: ..." >"$log" ;;
*) echo "dmaload: start secs=20" >"$log" ;;
esac
if [ "$rc" = 0 ]; then
	echo "boot x86_64 $label $4: pass (1 bytes verified, 0 DMA-API reports, 1s)"
elif [ "$rc" = 1 ]; then
	echo "boot x86_64 $label $4: FAIL: $reason (log: $log)"
fi
exit "$rc"
EOF
chmod +x "$h/ci/boot/run"

# scenario NAME: every canary fails as it must, but for the lines given
# on stdin (NAME<tab>RC<tab>REASON), which replace theirs.
scenario() {
	local f=$tmp/$1.scn
	{
		printf 'flip\t1\tdmaload nvme0n1 result=fail (mismatches=1 errors=0 bytes=1)\n'
		printf 'stale\t1\tdmaload vda result=fail (mismatches=9 errors=0 bytes=1)\n'
		printf 'frame\t1\tdmaload eth0-eth1 result=fail (mismatches=1 errors=1 bytes=1)\n'
		printf 'guard\t1\tdmaload nvme0n1 guard_bad=1\n'
		printf 'unplug\t1\thotplug: guest saw 1 removals and 0 re-adds of 3\n'
		printf 'module\t1\tDMA-API report: DMA-API: platform dma_canary: ...\n'
	} >"$f"
	while IFS=$'\t' read -r n rc reason; do
		sed -i "/^$n\t/d" "$f"
		printf '%s\t%s\t%s\n' "$n" "$rc" "$reason" >>"$f"
	done
	echo "$f"
}

# verdict NAME OK WHY: count and print one case.
verdict() {
	if [ "$2" = 1 ]; then
		echo "ok - $1"
		passed=$((passed + 1))
	else
		echo "not ok - $1: $3"
		failed=$((failed + 1))
	fi
}

# check NAME WANT_RC REGEX SCENARIO [CANARIES]: run, compare.
check() {
	local name=$1 want=$2 re=$3 scn=$4 rc=0 out
	out=$(SCENARIO=$scn CANARIES=${5:-} "$h/ci/boot/canaries" \
		"$h/ci/arch/x86_64.conf" "$tmp" "$tmp/build" "$tmp/bzImage" \
		"$tmp/initramfs.cpio.gz" "$tmp/out-$name" 2>&1) || rc=$?
	local ok=0
	[ "$rc" = "$want" ] && grep -qE -- "$re" <<<"$out" && ok=1
	verdict "$name" "$ok" "exit $rc (want $want), output: ${out//$'\n'/ | }"
}

no_module="flip stale frame guard unplug"
good=$(scenario good </dev/null)
check all-fail-as-they-must 0 '^canary unplug \[x86_64\]: pass \(failed as it must: hotplug: ' \
	"$good" "$no_module"
ok=0
[ "$(grep -c $'\tpass\t' "$tmp/out-all-fail-as-they-must/canaries.tsv")" = 5 ] && ok=1
verdict "canaries.tsv: five pass records" "$ok" "$(cat "$tmp/out-all-fail-as-they-must/canaries.tsv")"
ok=0
grep -q '^unplug hotplug 1 dmaload.secs=20 .* dmaload.secs=30$' "$good.calls" && ok=1
verdict "unplug: hotplug variant, HOTPLUG_SKIP_ADD=1, its args last" "$ok" \
	"got $(grep unplug "$good.calls")"

s=$(printf 'flip\t0\t\n' | scenario flip-passes)
check a-canary-that-passes-is-an-error 2 \
	'^canary flip \[x86_64\]: ERROR: the verdict passed a guest that must fail .*cannot be trusted' \
	"$s" "$no_module"

s=$(printf 'guard\t1\tdmaload nvme0n1 result=fail (mismatches=0 errors=0 bytes=1)\n' |
	scenario guard-other)
check another-reason-is-an-error 2 \
	'^canary guard \[x86_64\]: ERROR: failed, but not for /guard_bad=\[1-9\]/ .*got "dmaload nvme0n1 result=fail' \
	"$s" guard

s=$(printf 'frame\t1\tdmaload nvme0n1 result=fail (mismatches=1 errors=0 bytes=1)\n' |
	scenario frame-blk)
check frame-needs-a-network-device 2 '^canary frame \[x86_64\]: ERROR: failed, but not' \
	"$s" frame

s=$(printf 'stale\t2\t\n' | scenario stale-error)
check a-boot-that-did-not-run-is-an-error 2 \
	'^canary stale \[x86_64\]: ERROR: the boot did not run \(ci/boot/run exit 2' "$s" stale

s=$(printf 'stale\t1\tkernel panic: Kernel panic - not syncing: timer\n' | scenario stale-panic)
check a-panic-before-init-is-an-error 2 \
	'^canary stale \[x86_64\]: ERROR: failed, but not for .*got "kernel panic' "$s" stale
ok=0
[ "$(grep -c '^stale ' "$s.calls")" = 2 ] && ok=1
verdict "a boot that never started the guest is tried once more" "$ok" \
	"$(grep -c '^stale ' "$s.calls") boots"
ok=0
[ "$(grep -c '^flip ' "$good.calls")" = 1 ] && ok=1
verdict "a boot that judged the guest is not retried" "$ok" \
	"$(grep -c '^flip ' "$good.calls") boots"

check module-without-modules-is-an-error 2 \
	'^canary module \[x86_64\]: ERROR: .*has no CONFIG_MODULES=y' "$good" module

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
