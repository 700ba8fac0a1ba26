#!/bin/bash
# The PCI peer-to-peer rules of ci/boot/verdict (PATHS p2p-bus,
# p2p-host-bridge, p2p-host-bridge-refused; EXPECT_P2P_MAP), on canned
# logs: boot-good.log with the guest's p2p lines (testing/guest/p2p.c)
# added, and cases made from it by editing them.
#
#   testing/selftests/p2p.sh
#
# Prints "ok - NAME" or "not ok - NAME: WHY" per case and "N passed, N
# failed"; exits non-zero if a case got the wrong verdict.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
verdict=$root/ci/boot/verdict
tmp=$(mktemp -d "${TMPDIR:-/tmp}/p2p-selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tally=$tmp/tally
: >"$tally"

# The guest's lines for a dma-direct boot of the v1 stack or the base:
# the host-bridge peer's mappings recorded as pages, 1:1.
p2p_lines() {
	cat <<'EOF'
dmaload: p2p provider pci=0000:03:00.0 bar=2 start=0x800000000 end=0x800ffffff buf_phys=0x800101000 buf_pages=514 in_bar=514
dmaload: p2p dev=p2p-bus disk=nvme1n1 pci=0000:04:00.0 iommu_group=none bytes=8389120 mismatches=0 errors=0 refused=0 refused_errno=0 guard_bad=0 min_bytes=8388608 secs=21 result=pass
dmaload: p2p-map dev=p2p-bus samples=812 single=0 sg=0 resource=0 other=0 dma_is_phys=0 map=none iommu_samples=0 iommu_pte=0
dmaload: p2p dev=p2p-host-bridge disk=nvme2n1 pci=0000:05:00.0 iommu_group=none bytes=8389120 mismatches=0 errors=0 refused=0 refused_errno=0 guard_bad=0 min_bytes=8388608 secs=29 result=pass
dmaload: p2p-map dev=p2p-host-bridge samples=790 single=1204 sg=0 resource=0 other=0 dma_is_phys=1204 map=page iommu_samples=0 iommu_pte=0
EOF
}

# A passing dma-direct boot log with P2P.
good() {
	sed -e 's/iommu_group=DMA/iommu_group=none/' \
		-e '/dmaload: start/i\
Kernel command line: console=ttyS0 intel_iommu=off dmaload.secs=90 dmaload.p2p_mib=8' \
		"$root/testing/selftests/boot-good.log" >"$tmp/good.log"
	# The p2p lines go before the dma-api line, as the guest prints them.
	awk -v f="$tmp/p2p.txt" '/^dmaload: swiotlb /{ while ((getline l < f) > 0) print l } { print }' \
		"$tmp/good.log"
}
p2p_lines >"$tmp/p2p.txt"

# check NAME WANT_RC WANT_PATTERN PATHS < LOG (EXPECT_P2P_MAP from the
# environment).
check() {
	local name=$1 want=$2 pattern=$3 paths=$4 out rc=0

	cat >"$tmp/$name.log"
	out=$(EXPECT_PATHS=$paths "$verdict" x86_64 base p2p "$tmp/$name.log" 0 42) ||
		rc=$?
	if [ "$rc" = "$want" ] && [[ $out == *$pattern* ]] &&
		[ "$(printf '%s\n' "$out" | wc -l)" = 1 ]; then
		echo ok >>"$tally"
		echo "ok - $name"
	else
		echo fail >>"$tally"
		echo "not ok - $name: rc=$rc (want $want), got: $out"
	fi
}

direct="dma-direct p2p-bus p2p-host-bridge"
hb='/p2p dev=p2p-host-bridge/'
hbmap='/p2p-map dev=p2p-host-bridge/'

good | check direct-pass 0 ": pass (" "$direct"
good | EXPECT_P2P_MAP=page check direct-page-wanted 0 ": pass (" "$direct"
# Dropping DMA_ATTR_MMIO from blk-mq-dma on the v2 stack: its host-bridge
# pages are recorded as "single", not "resource".
good | EXPECT_P2P_MAP=mmio check mmio-dropped 1 \
	"FAIL: variant wants p2p-host-bridge mapped as mmio, p2p-host-bridge has map=page" "$direct"
good | sed "$hbmap"'s/single=1204 sg=0 resource=0/single=0 sg=0 resource=1204/; '"$hbmap"'s/map=page/map=mmio/' |
	EXPECT_P2P_MAP=mmio check mmio-pass 0 ": pass (" "$direct"
good | sed "$hbmap"'s/dma_is_phys=1204/dma_is_phys=0/' |
	check host-bridge-not-1to1 1 "FAIL: variant wants p2p-host-bridge, p2p-host-bridge: no 1:1" "$direct"
good | sed "$hbmap"'s/single=1204/single=0/; '"$hbmap"'s/map=page/map=none/' |
	check host-bridge-no-entry 1 \
	"FAIL: variant wants p2p-host-bridge, p2p-host-bridge has map=none: no dma-debug entry" "$direct"
good | sed '/p2p-map dev=p2p-bus/s/single=0/single=3/; /p2p-map dev=p2p-bus/s/map=none/map=page/' |
	check bus-mapped 1 "FAIL: variant wants p2p-bus, p2p-bus has map=page in the provider's BAR (a bus address" "$direct"
good | sed '/p2p-map dev=p2p-bus/s/samples=812/samples=0/; /p2p-map dev=p2p-bus/s/map=none/map=unknown/' |
	check bus-unsampled 1 "FAIL: variant wants p2p-bus, p2p-bus: dma-debug never sampled" "$direct"
good | sed "$hb"'s/mismatches=0/mismatches=5/; '"$hb"'s/result=pass/result=fail/' |
	check host-bridge-mismatch 1 "FAIL: p2p p2p-host-bridge result=fail (mismatches=5" "$direct"
good | sed "$hb"'s/guard_bad=0/guard_bad=1/; '"$hb"'s/result=pass/result=fail/' |
	check host-bridge-guard 1 "FAIL: p2p p2p-host-bridge result=fail (mismatches=0 errors=0 guard_bad=1" "$direct"
good | sed "$hb"'s/result=pass/result=hung/' |
	check host-bridge-hung 1 "FAIL: p2p p2p-host-bridge result=hung" "$direct"
good | sed '/p2p dev=p2p-bus/s/bytes=8389120/bytes=4096/; /p2p dev=p2p-bus/s/result=pass/result=short/' |
	check bus-short 1 "FAIL: p2p p2p-bus result=short" "$direct"
good | sed '/p2p dev=p2p-bus/s/bytes=8389120/bytes=4096/' |
	check bus-bytes 1 "FAIL: variant wants p2p-bus, p2p-bus verified bytes=4096 < min_bytes=8388608" "$direct"
good | sed 's/dmaload.p2p_mib=8/dmaload.p2p_mib=16/' |
	check min-bytes-cmdline 1 "FAIL: p2p p2p-bus min_bytes=8388608, the kernel command line asks for 16777216" "$direct"
good | sed '/p2p dev=p2p-bus/s/min_bytes=8388608/min_bytes=0/' |
	check asked-nothing 1 "FAIL: p2p p2p-bus asked to verify nothing" "$direct"
good | sed '/p2p provider/s/in_bar=514/in_bar=3/' |
	check buffer-outside-bar 1 "FAIL: p2p provider: 3 of 514 p2pmem pages in its BAR" "$direct"
good | sed '/p2p provider/d' |
	check no-provider 1 "FAIL: variant wants p2p-bus p2p-host-bridge, no dmaload p2p provider line" "$direct"
good | sed '/dmaload: p2p/d' |
	check no-p2p-lines 1 "FAIL: variant wants p2p-bus p2p-host-bridge, no dmaload p2p provider line" "$direct"
good | sed '/dev=p2p-host-bridge/d' |
	check no-host-bridge-lines 1 "FAIL: variant wants p2p-host-bridge, no dmaload p2p lines for p2p-host-bridge" "$direct"
# A P2P failure fails every variant, even one that names no P2P path.
good | sed "$hb"'s/errors=0/errors=2/; '"$hb"'s/result=pass/result=fail/' |
	check p2p-error-elsewhere 1 "FAIL: p2p p2p-host-bridge result=fail (mismatches=0 errors=2" "dma-direct"

# intel-iommu: dma_iova_link() leaves no dma-debug entry for either peer.
# Its IOMMU page tables show the IOVAs of the BAR instead.
iommu() {
	good | sed -e 's/iommu_group=none/iommu_group=DMA/' \
		-e "$hbmap"'s/single=1204/single=0/; '"$hbmap"'s/dma_is_phys=1204/dma_is_phys=0/; '"$hbmap"'s/map=page/map=none/' \
		-e "$hbmap"'s/iommu_samples=0 iommu_pte=0/iommu_samples=120 iommu_pte=37/'
}
iommu | check iommu-pass 0 ": pass (" "iommu-dma p2p-bus p2p-host-bridge"
iommu | EXPECT_P2P_MAP=mmio check iommu-map-not-seen 0 ": pass (" "iommu-dma p2p-bus p2p-host-bridge"
iommu | sed "$hbmap"'s/iommu_pte=37/iommu_pte=0/' |
	check iommu-no-pte 1 \
	"FAIL: variant wants p2p-host-bridge behind the IOMMU, no IOMMU page-table entry of p2p-host-bridge into the provider's BAR (iommu_pte=0 over 120 samples)" \
	"iommu-dma p2p-host-bridge"
iommu | sed "$hbmap"'s/ iommu_samples=120 iommu_pte=37//' |
	check iommu-no-pte-field 1 "no IOMMU page-table entry of p2p-host-bridge into the provider's BAR (iommu_pte=None" \
	"iommu-dma p2p-host-bridge"
iommu | sed "$hbmap"'s/single=0/single=9/; '"$hbmap"'s/map=none/map=page/' |
	check iommu-direct-mapping 1 \
	"FAIL: variant wants p2p-host-bridge, p2p-host-bridge has map=page in the provider's BAR (behind an IOMMU" \
	"iommu-dma p2p-bus p2p-host-bridge"

# swiotlb=force: the host-bridge peer's P2P I/O is refused, the block
# layer's error lines for its disk are the refusal (the lines of a real
# boot of the v2 stack: dma-direct's warning, BLK_STS_INVAL, -EINVAL).
swiotlb="dma-direct p2p-bus p2p-host-bridge-refused"
refused() {
	good | sed -e "$hb"'s/bytes=8389120/bytes=0/; '"$hb"'s/refused=0 refused_errno=0/refused=4 refused_errno=22/; '"$hb"'s/result=pass/result=refused/' \
		-e "$hbmap"'s/single=1204/single=0/; '"$hbmap"'s/dma_is_phys=1204/dma_is_phys=0/; '"$hbmap"'s/map=page/map=none/' \
		-e '/dmaload: p2p provider/i\
nvme 0000:05:00.0: MMIO 0x00000000fc021200+512 not mapped: swiotlb bouncing is forced and MMIO cannot be bounced\
invalid error, dev nvme2n1, sector 0 op 0x1:(WRITE) flags 0x1000c800 phys_seg 1 prio class 2\
dmaload: p2p-host-bridge: P2P write off=0x0 len=512 refused: -22\
invalid error, dev nvme2n1, sector 1 op 0x0:(READ) flags 0x10004800 phys_seg 1 prio class 2'
}
refused | check swiotlb-refused 0 ": pass (" "$swiotlb"
refused | check refused-unexpected 1 \
	"FAIL: 2 console reports: nvme-io-error x2 (invalid error, dev nvme2n1, sector 0" "$direct"
refused | check refused-unexpected-why 1 \
	"p2p p2p-host-bridge refused=4 (errno 22): the kernel refused a P2P I/O the variant does not expect refused" "$direct"
refused | sed 's/sector 1 op/sector 1 op/; s/invalid error, dev nvme2n1, sector 1/I\/O error, dev nvme1n1, sector 1/' |
	check refused-other-disk-error 1 "FAIL: 1 console report: nvme-io-error x1 (I/O error, dev nvme1n1" "$swiotlb"
good | check swiotlb-bounced 1 \
	"FAIL: variant wants p2p-host-bridge-refused: P2P through the host bridge refused cleanly, p2p-host-bridge has result=pass" \
	"$swiotlb"
refused | sed "$hb"'s/bytes=0/bytes=4096/; '"$hb"'s/result=refused/result=fail/' |
	check swiotlb-partly-refused 1 "; p2p p2p-host-bridge result=fail" "$swiotlb"
refused | sed "$hb"'s/result=refused/result=hung/' |
	check swiotlb-hung 1 "; p2p p2p-host-bridge result=hung" "$swiotlb"
refused | sed '/p2p dev=p2p-bus/s/result=pass/result=refused/; /p2p dev=p2p-bus/s/refused=0/refused=4/' |
	check swiotlb-bus-refused 1 "p2p p2p-bus refused=4" "$swiotlb"

passed=$(grep -c '^ok$' "$tally" || true)
failed=$(grep -c '^fail$' "$tally" || true)
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
