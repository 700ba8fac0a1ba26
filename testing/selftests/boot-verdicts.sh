#!/bin/bash
# Feed canned console logs to ci/boot/verdict and check each verdict.
#
#   testing/selftests/boot-verdicts.sh
#
# Prints one line per case and "N passed, N failed"; exits non-zero if
# any case got the wrong verdict.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
verdict=$root/ci/boot/verdict
tmp=$(mktemp -d "${TMPDIR:-/tmp}/boot-verdicts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Cases run at the ends of pipelines (subshells): tally in a file.
tally=$tmp/tally
: >"$tally"

record() {
	echo "$1" >>"$tally"
	echo "$1 $2"
}

# A clean log (boot-good.log, shared with console-patterns.sh); cases
# are made from it by adding or editing lines.
good() {
	cat "$root/testing/selftests/boot-good.log"
}

# check NAME WANT_RC WANT_PATTERN [QEMU_RC] < LOG
check() {
	local name=$1 want=$2 pattern=$3 qrc=${4:-0} out rc=0

	tr '\n' '\r' </dev/null >/dev/null
	cat >"$tmp/$name.log"
	out=$("$verdict" x86_64 base iommu "$tmp/$name.log" "$qrc" 42) || rc=$?
	if [ "$rc" = "$want" ] && [[ $out == *$pattern* ]] &&
		[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] &&
		[ -s "$tmp/$name.log.json" ]; then
		record ok "  $name: $out"
	else
		record FAIL "$name: rc=$rc (want $want), got: $out"
	fi
}

good | check clean 0 "pass (671088640 bytes verified, 0 DMA-API reports, 42s)"
good | sed 's/$/\r/' | check crlf 0 ": pass ("
# A known fault of the emulated machine (an arch conf's CONSOLE_KNOWN):
# named in the pass line, not failed; without it, the same log fails.
nobody='irq 27: nobody cared (try booting with the "irqpoll" option)'
good | sed "/dmaload: start/i\\
$nobody" | KNOWN_CONSOLE=irq-nobody-cared check known-console 0 "known: irq-nobody-cared x1)"
good | sed "/dmaload: start/i\\
$nobody" | check known-console-unknown 1 "FAIL: 1 console report: irq-nobody-cared x1"
good | sed 's/^/[    1.000000] /' | check timestamps 0 ": pass ("

good | sed '/dmaload: done/i\
DMA-API: nvme 0000:00:03.0: device driver tries to free DMA memory it has not allocated [device address=0x0000000012345000] [size=4096 bytes]' |
	check dma-api-report 1 "FAIL: 1 console report: dma-api-free-unallocated x1 (DMA-API: nvme"
good | sed 's/error_count=0/error_count=3/' |
	check dma-api-error-count 1 "FAIL: DMA-API error_count=3"
good | sed 's/disabled=N/disabled=Y/' |
	check dma-api-disabled 1 "FAIL: DMA-API debugging disabled"
good | sed '/dev=vda/s/mismatches=0/mismatches=7/; /dev=vda/s/result=pass/result=fail/' |
	check mismatch 1 "FAIL: dmaload vda result=fail (mismatches=7"
good | sed '/dev=vda/s/mismatches=0/mismatches=1/' |
	check mismatch-but-pass 1 "FAIL: dmaload vda mismatches=1"
good | sed '/dev=eth0-eth1/s/errors=0/errors=2/' |
	check net-lost 1 "FAIL: dmaload eth0-eth1 mismatches=0 errors=2"
good | sed '/dev=nvme0n1/s/result=pass/result=short/' |
	check short 1 "FAIL: dmaload nvme0n1 result=short"
good | sed '/dev=nvme0n1/d' | check missing-dev 1 "FAIL: no dmaload result for nvme0n1"
good | sed '/dmaload: done/d; /Power down/d' |
	check no-done 1 "FAIL: no dmaload done line"
good | sed 's/done devs=4 bytes=671088640 secs=41 result=pass/done devs=4 bytes=0 secs=41 result=fail/' |
	check done-fail 1 "FAIL: dmaload done result=fail"
good | sed '/dma-api disabled/d' | check no-dma-api 1 "FAIL: no dma-api status line"
good | sed '/dmaload: dev=vda/,$d' | check timeout 1 "FAIL: timeout" 124
# A device model that gave up says why; the QEMU line goes into the verdict.
{ good | sed '/dmaload: dev=vda/,$d'; echo "qemu-system-x86_64: virtio: bogus descriptor or out of resources"
	echo "qemu-system-x86_64: terminating on signal 15 from pid 42 (timeout)"; } |
	check timeout-qemu-error 1 "FAIL: 1 console report: qemu-virtio-error x1 (qemu-system-x86_64: virtio: bogus descriptor or out of resources); timeout, no power off (qemu-system-x86_64: virtio: bogus descriptor or out of resources);" 124
printf 'Linux version 6.17.8\n' | check no-init 1 "FAIL: dmaload never started"
good | sed '/dmaload: start/a\
Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b' |
	check panic 1 "FAIL: 1 console report: panic x1 (Kernel panic - not syncing"
good | sed '/dmaload: start/a\
Oops: general protection fault, probably for non-canonical address 0xdead: 0000 [#1] SMP' |
	check oops 1 "FAIL: 1 console report: gpf x1 (Oops: general protection fault"
good | sed '/dmaload: start/a\
WARNING: CPU: 1 PID: 1 at kernel/dma/debug.c:1234 check_unmap+0x1/0x2' |
	check warning 1 "FAIL: 1 console report: warning x1 (WARNING: CPU: 1"
good | sed '/dmaload: start/a\
BUG: unable to handle page fault for address: ffff888000000000' |
	check bug 1 "FAIL: 1 console report: page-fault x1 (BUG: unable to handle"
printf "qemu-system-x86_64: warning: hub 0 is not connected to host network\nqemu-system-x86_64: -device nvme: 'nvme' is not a valid device model name\n" |
	check qemu-error 1 "FAIL: qemu exited with status 1: qemu-system-x86_64: -device nvme" 1
check empty-log 1 "FAIL: dmaload never started" </dev/null
out=$("$verdict" x86_64 base iommu "$tmp/no-log.log") && rc=0 || rc=$?
if [ "$rc" = 1 ] && [[ $out == *"FAIL: no log"* ]]; then
	record ok "  missing-log: $out"
else
	record FAIL "missing-log: rc=$rc, got: $out"
fi

# The DMA paths a variant must have taken (PATHS_<variant>).
good | EXPECT_PATHS=iommu-dma check paths-iommu 0 ": pass ("
good | sed '/path dev=vda/s/DMA/none/' | EXPECT_PATHS=iommu-dma \
	check paths-iommu-missing 1 "FAIL: variant wants iommu-dma, vda has iommu_group=none"
good | EXPECT_PATHS=dma-direct \
	check paths-direct-translated 1 "FAIL: variant wants dma-direct, nvme0n1 has iommu_group=DMA"
good | sed 's/iommu_group=DMA/iommu_group=none/' | EXPECT_PATHS="dma-direct" \
	check paths-direct 0 ": pass ("
good | sed 's/iommu_group=DMA/iommu_group=none/' | EXPECT_PATHS="dma-direct swiotlb" \
	check paths-swiotlb-unused 1 "FAIL: variant wants swiotlb, used_hiwater=0"
good | sed 's/iommu_group=DMA/iommu_group=none/; s/used_hiwater=0/used_hiwater=2259/' |
	EXPECT_PATHS="dma-direct swiotlb" check paths-swiotlb 0 ": pass ("
good | sed '/dmaload: path/d' | EXPECT_PATHS=iommu-dma \
	check paths-missing 1 "FAIL: no dmaload path lines"
# noncoherent (arm64, arm): every device non-coherent by the DT.
nc() {
	good | sed 's/iommu_group=DMA/iommu_group=none/; /dmaload: path/s/$/ dt_coherent=no/'
}
nc | EXPECT_PATHS="dma-direct noncoherent" check paths-noncoherent 0 ": pass ("
nc | sed '/path dev=eth1/s/dt_coherent=no/dt_coherent=yes/' |
	EXPECT_PATHS="dma-direct noncoherent" \
	check paths-noncoherent-coherent 1 "FAIL: variant wants noncoherent, eth1 has dt_coherent=yes"
good | sed 's/iommu_group=DMA/iommu_group=none/' | EXPECT_PATHS="dma-direct noncoherent" \
	check paths-noncoherent-unknown 1 "FAIL: variant wants noncoherent, nvme0n1 has dt_coherent=(missing)"
# above-4g (32-bit arm with LPAE): every buffer page above 4 GiB.
high() {
	good | sed 's/iommu_group=DMA/iommu_group=none/' |
		sed '/buffers dev=/s/above_4g=0 phys_min=0x[0-9a-f]*/above_4g=1024 phys_min=0x1c0000000/'
}
high | EXPECT_PATHS="dma-direct above-4g" check paths-above-4g 0 ": pass ("
high | sed '/buffers dev=vda/s/above_4g=1024 phys_min=0x1c0000000/above_4g=1000 phys_min=0xbf000000/' |
	EXPECT_PATHS="dma-direct above-4g" check paths-above-4g-some-low 1 \
	"FAIL: variant wants buffers above 4 GiB, vda has 1000 of 1024 pages there (phys_min=0xbf000000)"
high | sed '/buffers dev=nvme0n1/s/pages=.*/pages=? above_4g=? phys_min=? phys_max=?/' |
	EXPECT_PATHS="dma-direct above-4g" check paths-above-4g-unknown 1 \
	"FAIL: variant wants buffers above 4 GiB, nvme0n1 has ? of ? pages there"
high | sed '/dmaload: buffers/d' | EXPECT_PATHS="dma-direct above-4g" \
	check paths-above-4g-missing 1 "FAIL: variant wants buffers above 4 GiB, no dmaload buffers lines"
good | EXPECT_PATHS="iommu-dma above-4g" check paths-above-4g-low 1 \
	"FAIL: variant wants buffers above 4 GiB, nvme0n1 has 0 of 1024 pages there"

# powerpc pseries (ci/arch/ppc64le-pseries.conf): ppc-tce, ppc-ddw and
# vio-tce, from the guest's dma-addr lines.  tce_log: the PCI devices'
# DMA addresses are TCEs in the 32-bit window, the ibmvscsi disk (sda,
# bus=vio) too; ddw_log: the PCI devices mapped at phys + the 64-bit
# window's base, sda still through TCEs.
# ppc_check PATHS NAME WANT_RC WANT_PATTERN < LOG: check with sda expected.
ppc_check() {
	local paths=$1
	shift
	EXPECT_DEVS="nvme0n1 vda sda eth0-eth1 eth1-eth0" EXPECT_PATHS=$paths \
		check "$@"
}
tce_log() {
	good | sed 's/iommu_group=DMA/iommu_group=none/' | sed '/dmaload: path dev=vda/a\
dmaload: path dev=sda iommu_group=none
/dmaload: dev=vda/a\
dmaload: dev=sda bytes=268435456 mismatches=0 errors=0 secs=40 min_bytes=268435456 guard_bad=0 result=pass
/dmaload: sg dev=vda/a\
dmaload: blkstat dev=sda rd_bytes=268435456 wr_bytes=268435456\
dmaload: sg dev=sda ios=900 multi_seg_ios=300 max_segs=16
/dma-entries dev=eth1/a\
dmaload: dma-entries dev=sda streaming=4 coherent=2 samples=40 seen=30\
dmaload: dma-addr dev=nvme0n1 bus=pci entries=3000 dma_min=0x1000 dma_max=0x3fff3000 offset=mixed\
dmaload: dma-addr dev=vda bus=pci entries=2000 dma_min=0x2000 dma_max=0x3ffd1000 offset=mixed\
dmaload: dma-addr dev=sda bus=vio entries=900 dma_min=0x3000 dma_max=0xffa000 offset=mixed\
dmaload: dma-addr dev=eth0 bus=pci entries=400 dma_min=0x8000 dma_max=0x3fe00000 offset=mixed\
dmaload: dma-addr dev=eth1 bus=pci entries=380 dma_min=0x9000 dma_max=0x3fe10000 offset=mixed'
}
ddw_log() {
	tce_log | sed '/dma-addr dev=[nve]/s/dma_min=.*/dma_min=0x800000002b00000 dma_max=0x80000007ffe0000 offset=0x800000000000000/'
}
tce_log | ppc_check "ppc-tce vio-tce" \
	paths-ppc-tce 0 "pass (939524096 bytes verified"
ddw_log | ppc_check "ppc-ddw vio-tce" \
	paths-ppc-ddw 0 ": pass ("
# A DDW boot is not a TCE one, nor the other way round; 1:1 (dma-direct)
# is neither.
ddw_log | ppc_check "ppc-tce vio-tce" \
	paths-ppc-tce-got-ddw 1 "FAIL: variant wants ppc-tce, nvme0n1 is not mapped through the TCE table (DMA addresses below 4 GiB, not 1:1) (entries=3000 dma_min=0x800000002b00000"
tce_log | ppc_check "ppc-ddw vio-tce" \
	paths-ppc-ddw-got-tce 1 "FAIL: variant wants ppc-ddw, nvme0n1 is not mapped at phys + one window offset >= 4 GiB (entries=3000 dma_min=0x1000 dma_max=0x3fff3000 offset=mixed)"
tce_log | sed '/dma-addr dev=vda/s/offset=mixed/offset=0x0/' |
	ppc_check "ppc-tce vio-tce" \
	paths-ppc-tce-direct 1 "FAIL: variant wants ppc-tce, vda is not mapped through the TCE table"
ddw_log | sed '/dma-addr dev=sda/s/dma_max=0xffa000/dma_max=0x800000000ffa000/' |
	ppc_check "ppc-ddw vio-tce" \
	paths-vio-tce-high 1 "FAIL: variant wants vio-tce, sda is not mapped through the TCE table (DMA addresses below 4 GiB, not 1:1) (entries=900 dma_min=0x3000 dma_max=0x800000000ffa000 offset=mixed) (log:"
# No entry seen, no line, or a device on a bus the variant names no path
# for: never a pass.
tce_log | sed '/dma-addr dev=eth1/s/entries=.*/entries=0 dma_min=? dma_max=? offset=?/' |
	ppc_check "ppc-tce vio-tce" \
	paths-ppc-tce-no-entries 1 "FAIL: variant wants ppc-tce, eth1: no DMA address of a streaming entry (entries=0"
tce_log | sed '/dma-addr dev=vda/d' | ppc_check "ppc-tce vio-tce" \
	paths-ppc-tce-no-line 1 "FAIL: variant wants ppc-tce vio-tce, vda has no dmaload dma-addr line"
ddw_log | ppc_check "ppc-ddw" \
	paths-ppc-ddw-vio-unnamed 1 "FAIL: sda is on bus vio, the variant names no path for it (ppc-ddw)"
tce_log | sed '/dma-addr dev=sda/s/bus=vio/bus=pci/' |
	ppc_check "ppc-tce vio-tce" \
	paths-vio-tce-no-vio 1 "FAIL: variant wants vio-tce, no device on bus vio"

# sparc64 sun4u (ci/arch/sparc64-sun4u.conf): sparc-iommu, from the
# dma-addr lines (the sabre's DVMA space, 0xc0000000 up, as a real boot
# showed), and the IOTTE check (IOTTE_FILE, ci/boot/iotte's summary of
# QEMU's sun4u_iommu_translate trace; fake traces here).
sun4u_log() {
	good | sed 's/iommu_group=DMA/iommu_group=none/' | sed '/dma-entries dev=eth1/a\
dmaload: dma-addr dev=nvme0n1 bus=pci entries=1626 dma_min=0xc0a52200 dma_max=0xdef5c000 offset=mixed\
dmaload: dma-addr dev=vda bus=pci entries=10137 dma_min=0xc0c82670 dma_max=0xdf71d3e0 offset=mixed\
dmaload: dma-addr dev=eth0 bus=pci entries=70667 dma_min=0xc0048010 dma_max=0xddb36010 offset=mixed\
dmaload: dma-addr dev=eth1 bus=pci entries=60087 dma_min=0xc00e6010 dma_max=0xdf55a006 offset=mixed'
}
# iotte_trace GOOD BAD: GOOD translations with clean IOTTEs (a consistent
# one, a streaming writable one), then BAD with an offset left in.
iotte_trace() {
	local i
	for ((i = 0; i < $1; i++)); do
		echo "4242@1700000000.000001:sun4u_iommu_translate xlate 0xc0002000 => pa 0x3f000000 tte: 0x800000003f000010"
		echo "sun4u_iommu_translate xlate 0xc0106000 => pa 0x1e4000 tte: 0x90000000001e4012"
	done
	for ((i = 0; i < $2; i++)); do
		echo "sun4u_iommu_translate xlate 0xc0048010 => pa 0x3b16010 tte: 0x8000000003b16016"
	done
}
# sun4u_check NAME WANT_RC WANT_PATTERN < LOG: with IOTTE_FILE=$tmp/iotte.
sun4u_check() {
	IOTTE_FILE=$tmp/iotte EXPECT_PATHS=sparc-iommu check "$@"
}
iotte_trace 3 0 | "$root/ci/boot/iotte" >"$tmp/iotte"
sun4u_log | sun4u_check sun4u-pass 0 ": pass ("
sun4u_log | sed '/dma-addr dev=vda/s/dma_min=.*/dma_min=0x2000 dma_max=0x3fe68000 offset=0x0/' |
	sun4u_check sun4u-direct 1 "FAIL: variant wants sparc-iommu, vda is not mapped through the sun4u IOMMU (DMA addresses below 4 GiB, not 1:1) (entries=10137 dma_min=0x2000"
sun4u_log | sed '/dma-addr dev=eth0/d' |
	sun4u_check sun4u-no-line 1 "FAIL: variant wants sparc-iommu, eth0 has no dmaload dma-addr line"
# The offset bits of an unaligned phys in IOTTEs (the scratch bug):
# counted, the first one named.
iotte_trace 3 2 | "$root/ci/boot/iotte" >"$tmp/iotte"
sun4u_log | sun4u_check iotte-offset 1 "FAIL: iotte: 2 of 8 IOTTEs have bits that are neither an IOPTE flag nor the page number (first: xlate 0xc0048010 => pa 0x3b16010 tte: 0x8000000003b16016)"
# Bit 62, undefined: as bad as the offset.
echo "sun4u_iommu_translate xlate 0xc0002000 => pa 0x3f000000 tte: 0xc00000003f000000" |
	"$root/ci/boot/iotte" >"$tmp/iotte"
sun4u_log | sun4u_check iotte-bit62 1 "FAIL: iotte: 1 of 1 IOTTEs have bits"
# A check that did not do its work: no translation traced, a summary
# cut short (the filter died), none at all.
iotte_trace 0 0 | "$root/ci/boot/iotte" >"$tmp/iotte"
sun4u_log | sun4u_check iotte-none-traced 1 "FAIL: iotte: QEMU traced no sun4u IOMMU translation"
iotte_trace 3 0 | "$root/ci/boot/iotte" | head -n 1 >"$tmp/iotte"
sun4u_log | sun4u_check iotte-cut-short 1 "FAIL: iotte: no complete trace summary"
rm "$tmp/iotte"
sun4u_log | sun4u_check iotte-missing 1 "FAIL: iotte: no complete trace summary"

# alpha's clipper (ci/arch/alpha-clipper.conf): sg-arena, from the
# dma-addr line of each ARENA_DEVS device.  arena_log: sda (the IDE
# disk, 32-bit mask) mapped in typhoon's window 1 (0x40000000 up), the
# 64-bit devices by DAC at 1 TiB.
# arena_check NAME WANT_RC WANT_PATTERN < LOG: sg-arena for sda.
arena_check() {
	ARENA_WINDOW=0x40000000-0x7fffffff ARENA_DEVS=sda \
		ppc_check sg-arena "$@"
}
arena_log() {
	tce_log | sed -e '/dma-addr dev=sda/s/bus=vio.*/bus=pci entries=52 dma_min=0x40002200 dma_max=0x4011e000 offset=mixed/' \
		-e '/dma-addr dev=[nve]/s/dma_min=.*/dma_min=0x10080010000 dma_max=0x100fffe0000 offset=0x10000000000/'
}
arena_log | arena_check paths-sg-arena 0 "pass (939524096 bytes verified"
# The direct window (2 GiB up: the buffers were below 2 GiB), some
# entries below the window (the ISA arena), DAC, none seen, no line:
# never a pass.
arena_log | sed '/dma-addr dev=sda/s/dma_min=[^ ]* dma_max=[^ ]* offset=mixed/dma_min=0x80024000 dma_max=0xfff7e000 offset=0x80000000/' |
	arena_check paths-sg-arena-direct 1 "FAIL: variant wants sg-arena 0x40000000-0x7fffffff, sda is mapped outside it (entries=52 dma_min=0x80024000 dma_max=0xfff7e000 offset=0x80000000)"
arena_log | sed '/dma-addr dev=sda/s/dma_max=0x4011e000/dma_max=0x80024000/' |
	arena_check paths-sg-arena-some-direct 1 "FAIL: variant wants sg-arena 0x40000000-0x7fffffff, sda is mapped outside it"
arena_log | sed '/dma-addr dev=sda/s/dma_min=0x40002200/dma_min=0x800000/' |
	arena_check paths-sg-arena-isa 1 "FAIL: variant wants sg-arena 0x40000000-0x7fffffff, sda is mapped outside it (entries=52 dma_min=0x800000"
arena_log | sed '/dma-addr dev=sda/s/dma_min=.*/dma_min=0x10080010000 dma_max=0x100fffe0000 offset=0x10000000000/' |
	arena_check paths-sg-arena-dac 1 "FAIL: variant wants sg-arena 0x40000000-0x7fffffff, sda is mapped outside it"
arena_log | sed '/dma-addr dev=sda/s/entries=.*/entries=0 dma_min=? dma_max=? offset=?/' |
	arena_check paths-sg-arena-unseen 1 "FAIL: variant wants sg-arena, sda: no DMA address of a streaming entry (entries=0"
arena_log | sed '/dma-addr dev=sda/d' |
	arena_check paths-sg-arena-no-line 1 "FAIL: variant wants sg-arena, sda has no dmaload dma-addr line"
# An entry that asks for sg-arena without its window or devices is
# broken: a harness error (exit 2, no LOGFILE.json), not a verdict.
arena_error() {
	local name=$1 out rc=0
	shift
	arena_log >"$tmp/$name.log"
	out=$(env "$@" EXPECT_PATHS=sg-arena "$verdict" alpha-clipper patched \
		arena "$tmp/$name.log" 0 42) || rc=$?
	if [ "$rc" = 2 ] && [[ $out == *": ERROR: sg-arena needs ARENA_WINDOW"*"the patch is not blamed"* ]]; then
		record ok "  $name: $out"
	else
		record FAIL "$name: rc=$rc (want 2), got: $out"
	fi
}
arena_error paths-sg-arena-no-window ARENA_DEVS=sda
arena_error paths-sg-arena-no-devs ARENA_WINDOW=0x40000000-0x7fffffff
arena_error paths-sg-arena-bad-window ARENA_DEVS=sda ARENA_WINDOW=1G-2G

# The hotplug variant (EXPECT_HOTPLUG, ci/boot/qmp-hotplug): a clean log
# with three NVMe removals and re-adds, from a real boot, trimmed.
hp_good() {
	good | sed -e '/dmaload: start/s/$/ hotplug=3/' -e '/dmaload: start/a\
dmaload: hotplug armed dev=nvme0n1 pci=0000:01:00.0 cycles=3 entries=9' \
		-e '/dev=vda bytes/i\
pcieport 0000:00:01.0: pciehp: Slot(1): Button press: will power off in 5 sec\
dmaload: nvme0n1: write off=0x2e73a00 len=3584 returned -28, removed?\
dmaload: hotplug removed n=1 pci=0000:01:00.0 leaked=0\
pcieport 0000:00:01.0: pciehp: Slot(1): Card present\
pcieport 0000:00:01.0: pciehp: Slot(1): Link Up\
dmaload: hotplug replugged n=1 as=nvme0n1 pci=0000:01:00.0\
dmaload: hotplug removed n=2 pci=0000:01:00.0 leaked=0\
dmaload: hotplug replugged n=2 as=nvme0n1 pci=0000:01:00.0\
dmaload: hotplug removed n=3 pci=0000:01:00.0 leaked=0\
dmaload: hotplug replugged n=3 as=nvme0n1 pci=0000:01:00.0' \
		-e '/dev=nvme0n1 bytes/s/ result=/ removed_errors=3 result=/' \
		-e '/dmaload: dma-api/i\
dmaload: hotplug dev=nvme0n1 pci=0000:01:00.0 cycles=3 removals=3 replugs=3 removed_errors=3 leaked=0 result=pass'
	cat <<'LOG'
qmp-hotplug: cycle 1: device_del hpnvme: DEVICE_DELETED after 8.7s
qmp-hotplug: cycle 1: device_add hpnvme: guest has it back after 0.4s
qmp-hotplug: cycle 2: device_del hpnvme: DEVICE_DELETED after 8.9s
qmp-hotplug: cycle 2: device_add hpnvme: guest has it back after 1.0s
qmp-hotplug: cycle 3: device_del hpnvme: DEVICE_DELETED after 10.3s
qmp-hotplug: cycle 3: device_add hpnvme: guest has it back after 0.6s
qmp-hotplug: done cycles=3
LOG
}

hp_good | EXPECT_HOTPLUG=3 check hotplug 0 "pass (671088640 bytes verified,"
hp_good | check hotplug-unexpected 0 ": pass ("
hp_good | sed '/dev=vda/s/errors=0/errors=2/; /dev=vda/s/result=pass/result=fail/' |
	EXPECT_HOTPLUG=3 check hotplug-vda-errors 1 "FAIL: dmaload vda result=fail (mismatches=0 errors=2"
hp_good | sed '/dev=eth1-eth0/s/mismatches=0/mismatches=1/' | EXPECT_HOTPLUG=3 \
	check hotplug-net-mismatch 1 "FAIL: dmaload eth1-eth0 mismatches=1"
hp_good | sed 's/leaked=0 result=pass/leaked=4 result=fail/' | EXPECT_HOTPLUG=3 \
	check hotplug-leak 1 "FAIL: hotplug: leaked=4 dma-debug entries of the removed device"
hp_good | sed 's/leaked=0 result=pass/leaked=? result=fail/' | EXPECT_HOTPLUG=3 \
	check hotplug-leak-unknown 1 "FAIL: hotplug: leaked=? dma-debug entries"
hp_good | sed 's/leaked=0 result=pass/leaked=4 result=fail/' |
	check hotplug-leak-unexpected 1 "FAIL: hotplug: leaked=4"
hp_good | sed '/^qmp-hotplug: cycle 3: device_add/,$d' |
	sed '/hotplug replugged n=3/d; s/replugs=3 removed_errors=3 leaked=0 result=pass/replugs=2 removed_errors=3 leaked=0 result=fail/' |
	sed '/dev=nvme0n1 bytes/s/result=pass/result=fail/' |
	sed '$a\
qmp-hotplug: cycle 3: HOTPLUG_SKIP_ADD=3: not re-adding\
qmp-hotplug: FAIL: re-add skipped on request' | EXPECT_HOTPLUG=3 \
	check hotplug-no-readd 1 "FAIL: hotplug: host side: re-add skipped on request"
hp_good | sed '/^qmp-hotplug:/d' | EXPECT_HOTPLUG=3 \
	check hotplug-host-missing 1 "FAIL: hotplug: unplug/re-add never completed (host re-added 0 of 3)"
hp_good | sed '/^qmp-hotplug: cycle 2: device_del/,$d' | sed '$a\
qmp-hotplug: FAIL: no DEVICE_DELETED hpnvme after 60s' | EXPECT_HOTPLUG=3 \
	check hotplug-host-fail 1 "FAIL: hotplug: host side: no DEVICE_DELETED hpnvme after 60s"
hp_good | sed 's/removals=3 replugs=3/removals=0 replugs=0/; /hotplug removed/d; /hotplug replugged/d' |
	EXPECT_HOTPLUG=3 check hotplug-never-removed 1 "FAIL: hotplug: guest saw 0 removals and 0 re-adds of 3"
hp_good | sed '/dmaload: hotplug dev=/d' | EXPECT_HOTPLUG=3 \
	check hotplug-no-line 1 "FAIL: hotplug: no dmaload hotplug line"
hp_good | sed '/dmaload: dev=vda/,/^qmp-hotplug: done/d' | EXPECT_HOTPLUG=3 \
	check hotplug-guest-died 1 "FAIL: timeout" 124
hp_good | sed '/hotplug replugged n=2/a\
Kernel panic - not syncing: Fatal exception in interrupt' | EXPECT_HOTPLUG=3 \
	check hotplug-panic 1 "FAIL: 1 console report: panic x1 (Kernel panic - not syncing"
hp_good | sed '/hotplug removed n=1/i\
DMA-API: nvme 0000:01:00.0: device driver has pending DMA allocations while released from device [count=4]' |
	EXPECT_HOTPLUG=3 check hotplug-dma-api-leak 1 "FAIL: 1 console report: dma-api-leak x1 (DMA-API: nvme 0000:01:00.0: device driver has pending"

# What the guest was asked to verify, and proof that it really did
# (testing/guest/dmaload.c: min_bytes, guard_bad, blkstat, sg and
# dma-entries lines, checked against the kernel command line).
good | sed '/dev=vda bytes/s/min_bytes=268435456/min_bytes=0/' |
	check min-bytes-zero 1 "FAIL: dmaload vda asked to verify nothing (min_bytes=0)"
good | sed 's/dmaload.mib=256/dmaload.mib=0/; /dev=nvme0n1 bytes\|dev=vda bytes/s/min_bytes=268435456/min_bytes=0/' |
	check min-bytes-zero-asked 1 "FAIL: dmaload nvme0n1 asked to verify nothing (min_bytes=0); dmaload vda asked to verify nothing (min_bytes=0) (log:"
good | sed '/dev=eth0-eth1 bytes/s/min_bytes=67108864/min_bytes=1048576/' |
	check min-bytes-lower 1 "FAIL: dmaload eth0-eth1 min_bytes=1048576, the kernel command line asks for 67108864"
good | sed '/dev=nvme0n1 bytes/s/bytes=268435456/bytes=4096/' |
	check bytes-below-min 1 "FAIL: dmaload nvme0n1 bytes=4096 < min_bytes=268435456"
good | sed '/dev=vda bytes/s/ min_bytes=[0-9]*//' |
	check min-bytes-missing 1 "FAIL: dmaload vda has no min_bytes field"
good | sed '/[Cc]ommand line:/d' |
	check no-cmdline 1 "FAIL: no kernel command line in the log to check min_bytes against"
# dmaload.c's defaults and its clamp of min_mib to mib.
good | sed '/[Cc]ommand line:/s/ dmaload\.[a-z_]*=[0-9]*//g; /dev=eth/s/=67108864/=67108864/' |
	check cmdline-defaults 0 ": pass ("
good | sed '/[Cc]ommand line:/s/$/ dmaload.min_mib=64 dmaload.net_min_mib=999/' |
	sed '/dev=nvme0n1 bytes\|dev=vda bytes/s/min_bytes=268435456/min_bytes=67108864/' |
	check cmdline-min-mib 0 ": pass ("
good | sed '/[Cc]ommand line:/s/$/ dmaload.min_mib=64/' |
	check cmdline-min-mib-ignored 1 "FAIL: dmaload nvme0n1 min_bytes=268435456, the kernel command line asks for 67108864"
good | sed '/dev=eth1-eth0 bytes/s/guard_bad=0/guard_bad=3/' |
	check guard-bad 1 "FAIL: dmaload eth1-eth0 guard_bad=3"
good | sed '/dev=vda bytes/s/guard_bad=0 result=pass/guard_bad=1 result=fail/' |
	check guard-bad-fail 1 "FAIL: dmaload vda result=fail (mismatches=0 errors=0 guard_bad=1 bytes=268435456); dmaload vda guard_bad=1"
good | sed '/dev=nvme0n1 bytes/s/ guard_bad=0//' |
	check guard-bad-missing 1 "FAIL: dmaload nvme0n1 has no guard_bad field"
good | sed '/blkstat dev=vda/s/rd_bytes=[0-9]* wr_bytes=[0-9]*/rd_bytes=0 wr_bytes=0/' |
	check blkstat-zero 1 "FAIL: dmaload vda blkstat rd_bytes+wr_bytes=0 < bytes=268435456"
good | sed '/blkstat dev=nvme0n1/s/rd_bytes=[0-9]* wr_bytes=[0-9]*/rd_bytes=1048576 wr_bytes=4096/' |
	check blkstat-low 1 "FAIL: dmaload nvme0n1 blkstat rd_bytes+wr_bytes=1052672 < bytes=268435456"
good | sed '/blkstat dev=vda/s/wr_bytes=[0-9]*/wr_bytes=?/' |
	check blkstat-unknown 1 "FAIL: dmaload vda blkstat rd_bytes=268435456 wr_bytes=?"
good | sed '/blkstat dev=nvme0n1/d' |
	check blkstat-missing 1 "FAIL: dmaload nvme0n1 no blkstat line"
good | sed '/sg dev=vda/s/multi_seg_ios=[0-9]*/multi_seg_ios=0/' |
	check sg-single 1 "FAIL: dmaload vda sg multi_seg_ios=0 (no multi-segment scatter-gather I/O)"
good | sed '/sg dev=nvme0n1/s/ios=.*/ios=? multi_seg_ios=? max_segs=?/' |
	check sg-unknown 1 "FAIL: dmaload nvme0n1 sg multi_seg_ios=?"
good | sed '/sg dev=vda/d' | check sg-missing 1 "FAIL: dmaload vda no sg line"
good | sed '/dma-entries dev=nvme0n1/s/streaming=[0-9]*/streaming=0/' |
	check streaming-zero 1 "FAIL: dmaload nvme0n1 dma-entries streaming=0 (dma-debug saw no streaming mapping)"
good | sed '/dma-entries dev=eth1/d' |
	check dma-entries-missing 1 "FAIL: dmaload eth1 no dma-entries line"
good | sed '/dma-entries dev=vda/s/streaming=[0-9]*/streaming=?/' |
	check streaming-unknown 1 "FAIL: dmaload vda dma-entries streaming=?"
# Only the expected devices are held to it; every broken one is named.
good | sed '/dev=eth/d; /dma-entries dev=eth/d' | EXPECT_DEVS="nvme0n1 vda" \
	check block-only 0 "pass (536870912 bytes verified,"
good | sed '/sg dev=/s/multi_seg_ios=[0-9]*/multi_seg_ios=0/; /dev=eth0-eth1 bytes/s/guard_bad=0/guard_bad=2/' |
	check several-reasons 1 "FAIL: dmaload eth0-eth1 guard_bad=2; dmaload nvme0n1 sg multi_seg_ios=0 (no multi-segment scatter-gather I/O); dmaload vda sg multi_seg_ios=0"

# A hotplug run, as the x86_64 conf asks for it (dmaload.min_mib=64): a
# removal may print I/O errors on the NVMe namespace; they are forgiven
# while it is being removed, not before or after.
hp_min() {
	hp_good | sed '/[Cc]ommand line:/s/$/ dmaload.min_mib=64 dmaload.hotplug=3/' |
		sed '/dev=nvme0n1 bytes\|dev=vda bytes/s/min_bytes=268435456/min_bytes=67108864/'
}
hp_min | EXPECT_HOTPLUG=3 check hotplug-min-mib 0 ": pass ("
hp_min | sed '/Button press/a\
I/O error, dev nvme0n1, sector 95688 op 0x1:(WRITE) flags 0x8800 phys_seg 1 prio class 0' |
	EXPECT_HOTPLUG=3 check hotplug-io-error-removing 0 ": pass ("
hp_min | sed '/hotplug replugged n=1/a\
I/O error, dev nvme0n1, sector 95688 op 0x1:(WRITE) flags 0x8800 phys_seg 1 prio class 0' |
	EXPECT_HOTPLUG=3 check hotplug-io-error-after 1 "FAIL: 1 console report: nvme-io-error x1 (I/O error, dev nvme0n1, sector 95688"
hp_min | sed '/Button press/a\
I/O error, dev vda, sector 95688 op 0x1:(WRITE) flags 0x8800 phys_seg 1 prio class 0' |
	EXPECT_HOTPLUG=3 check hotplug-io-error-vda 1 "FAIL: 1 console report: io-error x1 (I/O error, dev vda, sector 95688"
good | sed '/dmaload: dev=vda/i\
pcieport 0000:00:01.0: pciehp: Slot(1): Button press: will power off in 5 sec\
I/O error, dev nvme0n1, sector 95688 op 0x1:(WRITE) flags 0x8800 phys_seg 1 prio class 0' |
	check io-error-no-hotplug 1 "FAIL: 1 console report: nvme-io-error x1 (I/O error, dev nvme0n1"

# The JSON of the clean case carries the per-device bytes.
good | check json 0 ": pass ("
if grep -q '"vda":{"bytes":268435456,' "$tmp/json.log.json" &&
	grep -q '"dma_api_reports":0' "$tmp/json.log.json" &&
	grep -q '"result":"pass"' "$tmp/json.log.json"; then
	record ok "  json-content"
else
	record FAIL "json-content: $(cat "$tmp/json.log.json")"
fi

passed=$(grep -c '^ok$' "$tally" || true)
failed=$(grep -c '^FAIL$' "$tally" || true)
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
