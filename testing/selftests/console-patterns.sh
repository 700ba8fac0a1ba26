#!/bin/bash
# Prove the console pattern table (ci/boot/patterns) with canned lines.
#
#   testing/selftests/console-patterns.sh
#
# Every "fail" and "removal" pattern has at least one canned console line
# below, in the format Linux 6.17 prints it; each, added to a passing log
# (boot-good.log), must make ci/boot/verdict FAIL naming that pattern.
# Harmless lines real boots print must not.  Also: every match is
# reported, the JSON parses whatever bytes a console line holds, and a
# broken table is a harness error (exit 2), not a FAIL.
#
# Prints "ok - NAME" or "not ok - NAME: WHY" per case, then "N passed, N
# failed"; exits non-zero if a case failed.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
verdict=$root/ci/boot/verdict
table=$root/ci/boot/patterns
good=$root/testing/selftests/boot-good.log
tmp=$(mktemp -d "${TMPDIR:-/tmp}/console-patterns.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=testing/selftests/lib.sh
. "$root/testing/selftests/lib.sh"

# Pattern name, TAB, a console line it must catch (Linux 6.17 formats;
# a name may have several lines).
canned() {
	cat <<'EOF'
dma-api-free-unallocated	DMA-API: nvme 0000:00:03.0: device driver tries to free DMA memory it has not allocated [device address=0x00000000fffff000] [size=4096 bytes]
dma-api-free-invalid	DMA-API: virtio-pci 0000:00:04.0: device driver tries to free an invalid DMA memory address
dma-api-free-size	DMA-API: nvme 0000:00:03.0: device driver frees DMA memory with different size [device address=0x00000000fff00000] [map size=8192 bytes] [unmap size=4096 bytes]
dma-api-free-function	DMA-API: nvme 0000:00:03.0: device driver frees DMA memory with wrong function [device address=0x00000000fff00000] [size=4096 bytes] [mapped as single] [unmapped as page]
dma-api-free-cpu-address	DMA-API: nvme 0000:00:03.0: device driver frees DMA memory with different CPU address [device address=0x00000000fff00000] [size=4096 bytes] [cpu alloc address=0x0000000102a00000] [cpu free address=0x0000000102a01000]
dma-api-free-direction	DMA-API: virtio-pci 0000:00:04.0: device driver frees DMA memory with different direction [device address=0x00000000ffffe000] [size=512 bytes] [mapped with DMA_TO_DEVICE] [unmapped with DMA_FROM_DEVICE]
dma-api-sg-count	DMA-API: nvme 0000:00:03.0: device driver frees DMA sg list with different entry count [map count=4] [unmap count=3]
dma-api-sg-count	DMA-API: nvme 0000:00:03.0: device driver syncs DMA sg list with different entry count [map count=4] [sync count=3]
dma-api-map-error	DMA-API: virtio-pci 0000:00:05.0: device driver failed to check map error[device address=0x00000000ffffd000] [size=1514 bytes] [mapped as single]
dma-api-leak	DMA-API: nvme 0000:01:00.0: device driver has pending DMA allocations while released from device [count=4]
dma-api-sync-unallocated	DMA-API: virtio-pci 0000:00:05.0: device driver tries to sync DMA memory it has not allocated [device address=0x00000000ffffc000] [size=1536 bytes]
dma-api-sync-range	DMA-API: virtio-pci 0000:00:05.0: device driver syncs DMA memory outside allocated range [device address=0x00000000ffffc000] [allocation size=1536 bytes] [sync offset+size=4096]
dma-api-sync-direction	DMA-API: virtio-pci 0000:00:05.0: device driver syncs DMA memory with different direction [device address=0x00000000ffffc000] [size=1536 bytes] [mapped with DMA_FROM_DEVICE] [synced with DMA_TO_DEVICE]
dma-api-sync-direction	DMA-API: virtio-pci 0000:00:05.0: device driver syncs device read-only DMA memory for cpu [device address=0x00000000ffffc000] [size=1536 bytes] [mapped with DMA_TO_DEVICE] [synced with DMA_TO_DEVICE]
dma-api-sync-direction	DMA-API: virtio-pci 0000:00:05.0: device driver syncs device write-only DMA memory to device [device address=0x00000000ffffc000] [size=1536 bytes] [mapped with DMA_FROM_DEVICE] [synced with DMA_FROM_DEVICE]
dma-api-map-stack	DMA-API: nvme 0000:00:03.0: device driver maps memory from stack [addr=00000000a1b2c3d4]
dma-api-map-stack	DMA-API: nvme 0000:00:03.0: device driver maps memory from stack [probable addr=00000000a1b2c3d4]
dma-api-map-rodata	DMA-API: nvme 0000:00:03.0: device driver maps memory from kernel text or rodata [addr=00000000a1b2c3d4] [len=4096]
dma-api-map-vmalloc	DMA-API: nvme 0000:00:03.0: device driver maps memory from vmalloc area [addr=00000000a1b2c3d4] [len=4096]
dma-api-map-invalid	DMA-API: nvme 0000:00:03.0: device driver maps memory from invalid area [addr=00000000a1b2c3d4] [len=4096]
dma-api-sg-segment	DMA-API: nvme 0000:00:03.0: mapping sg segment longer than device claims to support [len=131072] [max=65536]
dma-api-sg-segment	DMA-API: nvme 0000:00:03.0: mapping sg segment across boundary [start=0x00000000fff0f000] [end=0x00000000fff11000] [boundary=0x00000000ffffffff]
dma-api-overlap	DMA-API: virtio-pci 0000:00:04.0: cacheline tracking EEXIST, overlapping mappings aren't supported
dma-api-overlap	DMA-API: exceeded 7 overlapping mappings of cacheline 0x0000000001234560
dma-api-out-of-memory	DMA-API: debugging out of memory - disabling
dma-api-out-of-memory	DMA-API: cacheline tracking ENOMEM, dma-debug disabled
dma-api-out-of-memory	DMA-API: 65536 debug entries requested but only 1024 allocated
dma-api-disabled	DMA-API: debugging disabled on kernel command line
dma-api	DMA-API: switching off dma-debug driver filter
panic	Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b
panic	Kernel panic - not syncing: Fatal exception in interrupt
kasan	BUG: KASAN: slab-out-of-bounds in nvme_setup_prps+0x1d4/0x6a0
kmsan	BUG: KMSAN: uninit-value in virtnet_poll+0x5a/0x1a0
kfence	BUG: KFENCE: use-after-free read in dma_direct_unmap_sg+0x80/0x120
soft-lockup	watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [dmaload:1]
hard-lockup	watchdog: CPU1: Watchdog detected hard LOCKUP on cpu 0
workqueue-lockup	BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 61s!
scheduling-while-atomic	BUG: scheduling while atomic: dmaload/1/0x00000002
sleep-in-atomic	BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580
null-deref	BUG: kernel NULL pointer dereference, address: 0000000000000008
page-fault	BUG: unable to handle page fault for address: ffff888100000000
bad-page-state	BUG: Bad page state in process dmaload  pfn:102a0
bad-page-map	BUG: Bad page map in process dmaload  pte:8000000102a00067 pmd:102b00067
bad-rss-counter	BUG: Bad rss-counter state mm:000000003d5a6e1c type:MM_ANONPAGES val:1 Comm:dmaload Pid:1
slab-corruption	BUG kmalloc-64 (Not tainted): Poison overwritten
slab-corruption	BUG kmalloc-512 (Tainted: G        W          ): Object already free
bug	BUG: using smp_processor_id() in preemptible [00000000] code: dmaload/1
kernel-bug	kernel BUG at drivers/nvme/host/pci.c:1024!
gpf	Oops: general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP NOPTI
gpf	traps: dmaload[1] general protection fault ip:401000 sp:7ffd12340000 error:0 in dmaload[1000,401000+2000]
oops	Oops: Oops: 0002 [#1] SMP NOPTI
oops	Internal error: Oops: 0000000096000004 [#1]  SMP
oops	Oops [#1]
unable-to-handle	Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008
unable-to-handle	Unable to handle kernel paging request at virtual address ffffffd800000000
unable-to-handle	Unable to handle kernel paging request at virtual address e0800000 when read
list-corruption	list_add corruption. next->prev should be prev (ffff888102a0c010), but was ffff888102a0c020. (next=ffff888102a0c030).
list-corruption	list_del corruption, ffff888102a0c010->next is LIST_POISON1 (dead000000000100)
list-corruption	list_del corruption. prev->next should be ffff888102a0c010, but was ffff888102a0c020. (prev=ffff888102a0c030)
refcount	refcount_t: underflow; use-after-free.
refcount	refcount_t: addition on 0; use-after-free.
refcount	refcount_t: saturated; leaking memory.
ubsan	UBSAN: array-index-out-of-bounds in drivers/nvme/host/pci.c:812:13
ubsan	UBSAN: shift-out-of-bounds in kernel/dma/swiotlb.c:1104:20
warning	WARNING: CPU: 0 PID: 1 at kernel/dma/debug.c:1052 check_unmap+0x6b5/0x8d0
warning	WARNING: CPU: 1 PID: 57 at drivers/nvme/host/pci.c:812 nvme_map_data+0x1d4/0x6a0
warning	WARNING: possible circular locking dependency detected
rcu-stall	rcu: INFO: rcu_sched self-detected stall on CPU
rcu-stall	rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
rcu-stall	rcu: INFO: rcu_sched detected expedited stalls on CPUs/tasks: {
rcu-stall	INFO: rcu_tasks detected stalls on tasks:
rcu-starved	rcu: rcu_sched kthread starved for 10502 jiffies! g8977 f0x0 RCU_GP_WAIT_FQS(5) ->state=0x0 ->cpu=0
rcu-starved	rcu: rcu_sched kthread timer wakeup didn't happen for 10499 jiffies! g8977 f0x0 RCU_GP_WAIT_FQS(5) ->state=0x402
hung-task	INFO: task dmaload:57 blocked for more than 61 seconds.
hung-task	INFO: task kworker/u4:2:43 blocked for more than 122 seconds.
oom-killer	dmaload invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0
oom-kill	Out of memory: Killed process 57 (dmaload) total-vm:266000kB, anon-rss:262144kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:560kB oom_score_adj:0
irq-nobody-cared	irq 11: nobody cared (try booting with the "irqpoll" option)
dmar-fault	DMAR: [DMA Read NO_PASID] Request device [00:03.0] fault addr 0xfffff000 [fault reason 0x06] PTE Read access is not set
dmar-fault	DMAR: [DMA Write NO_PASID] Request device [00:04.0] fault addr 0xffffe000 [fault reason 0x05] PTE Write access is not set
dmar-fault	DMAR: [INTR-REMAP] Request device [00:03.0] fault index 0x12 [fault reason 0x25] Present field in the IRTE entry is clear
dmar-fault-status	DMAR: DRHD: handling fault status reg 2
smmu-event	arm-smmu-v3 9050000.smmuv3: event 0x10 received:
smmu-event	arm-smmu-v3 9050000.smmuv3: event: F_TRANSLATION client: 0000:00:02.0 sid: 0x10 ssid: 0x0 iova: 0xfffff000 ipa: 0x0
smmu-error	arm-smmu-v3 9050000.smmuv3: CMDQ error (cons 0x01000003): Illegal command
smmu-error	arm-smmu-v3 9050000.smmuv3: EVTQ overflow detected -- events lost
smmu-context-fault	arm-smmu 9000000.iommu: Unhandled context fault: fsr=0x402, iova=0xfffff000, fsynr=0x1, cbfrsynra=0x0, cb=0
amd-iommu-fault	nvme 0000:00:03.0: AMD-Vi: Event logged [IO_PAGE_FAULT domain=0x0002 address=0xfffff000 flags=0x0020]
nvme-timeout	nvme nvme0: I/O tag 12 (100c) opcode 0x1 (I/O Cmd) QID 1 timeout, aborting req_op:WRITE(1) size:4096
nvme-timeout	nvme nvme0: I/O tag 12 (100c) opcode 0x1 (I/O Cmd) QID 1 timeout, reset controller
nvme-timeout	nvme nvme0: I/O tag 3 (0003) QID 0 timeout, completion polled
nvme-abort	nvme nvme0: Abort status: 0x0
nvme-reset	nvme nvme0: controller is down; will reset: CSTS=0x3, PCI_STATUS=0x10
nvme-reset	nvme nvme0: resetting controller due to persistent internal error
nvme-dead	nvme nvme0: Disabling device after reset failure: -19
nvme-dead	nvme nvme0: Removing after probe failure status: -19
nvme-dead	nvme nvme0: Device not ready; aborting reset, CSTS=0x1
nvme-cmd-error	nvme0n1: Write(0x1) @ LBA 186, 8 blocks, Internal Error (sct 0x0 / sc 0x6)
nvme-io-error	I/O error, dev nvme0n1, sector 95688 op 0x1:(WRITE) flags 0x8800 phys_seg 1 prio class 0
io-error	I/O error, dev vda, sector 2048 op 0x0:(READ) flags 0x4000 phys_seg 4 prio class 0
io-error	timeout error, dev vda, sector 2048 op 0x1:(WRITE) flags 0x8800 phys_seg 16 prio class 0
io-error	Buffer I/O error on dev vda, logical block 0, async page read
swiotlb-full	virtio-pci 0000:00:04.0: swiotlb buffer is full (sz: 262144 bytes), total 32768 (slots), used 32640 (slots)
swiotlb-overflow	nvme 0000:00:03.0: swiotlb addr 0x0000000102a00000+4096 overflow (mask ffffffff, bus limit 0).
virtio-bad-ring	virtio_net virtio1: output.0:id 5 is not a head!
virtio-bad-ring	virtio_blk virtio2: req.0:id 300 out of range
virtio-net-txq	net eth0: Unexpected TXQ (0) queue failure: -28
netdev-watchdog	virtio_net virtio1 eth0: NETDEV WATCHDOG: CPU: 1: transmit queue 0 timed out 5120 ms
qemu-virtio-error	qemu-system-x86_64: virtio: bogus descriptor or out of resources
qemu-virtio-error	qemu-system-aarch64: Desc next is 3
EOF
}

# Lines real boots print that must not fail one.
harmless() {
	cat <<'EOF'
nvme nvme0: pci function 0000:00:03.0
nvme nvme0: 1/0/0 default/read/poll queues
nvme nvme0: Shutdown timeout set to 10 seconds
 nvme0n1:
DMAR: IOMMU enabled
DMAR: Host address width 39
DMAR-IR: Enabled IRQ remapping in x2apic mode
iommu: Default domain type: Translated
pci 0000:00:03.0: Adding to iommu group 2
arm-smmu-v3 9050000.smmuv3: ias 44-bit, oas 44-bit (features 0x00008305)
arm-smmu-v3 9050000.smmuv3: allocated 65536 entries for cmdq
rcu: Hierarchical RCU implementation.
rcu: 	RCU restricting CPUs from NR_CPUS=64 to nr_cpu_ids=2.
rcu: RCU calculated value of scheduler-enlistment delay is 100 jiffies.
software IO TLB: mapped [mem 0x000000007bfe0000-0x000000007ffe0000] (64MB)
DMA-API: preallocated 65536 debug entries
DMA-API: debugging enabled by kernel config
DMA-API: dma_debug_entry pool grown to 196608 (300%)
virtio_blk virtio2: 1/0/0 default/read/poll queues
virtio_blk virtio2: [vda] 2097152 512-byte logical blocks (1.07 GB/1.00 GiB)
pcieport 0000:00:01.0: pciehp: Slot #1 AttnBtn+ PwrCtrl+ MRL- AttnInd+ PwrInd+ HotPlug+ Surprise- Interlock+ NoCompl- IbPresDis- LLActRep+
clocksource: timekeeping watchdog on CPU1: Marking clocksource 'tsc' as unstable because the skew is too large:
clocksource: Switched to clocksource hpet
INFO: NMI handler (perf_event_nmi_handler) took too long to run: 1.234 msecs
hrtimer: interrupt took 10458212 ns
sched: RT throttling activated
workqueue: blk_mq_run_work_fn hogged CPU for >10000us 4 times, consider switching to WQ_UNBOUND
watchdog: Disabling watchdog on nohz_full cores by default
random: crng init done
Run /init as init process
Freeing unused kernel image (initmem) memory: 2048K
x86/mm: Checked W+X mappings: passed, no W+X pages found.
nvme nvme0: Ignoring bogus Namespace Identifiers
calibrate_delay_direct() failed to get a good estimate for loops_per_jiffy.
Performance Events: PMU not available due to virtualization, using software events only.
iommu: DMA domain TLB invalidation policy: strict mode (set via kernel command line)
Spectre V2 : Vulnerable
qemu-system-x86_64: warning: hub 0 is not connected to host network
dmaload: vda: I/O error at off=0x1000 (a guest line, judged by its result lines)
EOF
}

# add LINE: the good log with LINE before the "dmaload: done" line.
add() {
	awk -v extra="$1" '/^dmaload: done / { print extra } { print }' "$good"
}

# run NAME: judge $tmp/NAME.log; sets $out and $rc.
run() {
	rc=0
	out=$("$verdict" x86_64 base iommu "$tmp/$1.log" 0 42) || rc=$?
}

# Every fail and removal pattern in the table has a canned line.
while IFS=$'\t' read -r name kind _; do
	case $name in '' | '#'*) continue ;; esac
	[ "$kind" = ignore ] && continue
	if canned | cut -f1 | grep -qxF "$name"; then
		st_ok "canned line for $name"
	else
		st_fail "canned line for $name" "no canned line in $0"
	fi
done <"$table"

# Each canned line fails a passing log, named as its pattern.
n=0
while IFS=$'\t' read -r name line; do
	n=$((n + 1))
	add "$line" >"$tmp/c$n.log"
	run "c$n"
	if [ "$rc" = 1 ] &&
		[[ $out == *": FAIL: 1 console report: $name x1 ("* ]] &&
		[ "$(printf '%s\n' "$out" | wc -l)" = 1 ]; then
		st_ok "$name: $line"
	else
		st_fail "$name: $line" "rc=$rc, got: $out"
	fi
done < <(canned)
[ "$n" -ge 35 ] || st_fail "canned lines" "only $n"

# Harmless lines, all in one log, pass (the JSON names any that match).
{ harmless; cat "$good"; } >"$tmp/harmless.log"
run harmless
if [ "$rc" = 0 ] && [[ $out == *": pass ("* ]]; then
	st_ok "harmless lines pass"
else
	st_fail "harmless lines pass" "rc=$rc, got: $out"
fi
# Real consoles match no pattern: ci/boot/run on this stack's x86_64
# base image, a short load, the guest of before the proof lines;
# boot-real-x86_64.log is the iommu variant, boot-real-x86_64-hotplug.log
# the hotplug one (two NVMe removals and re-adds under load, then QEMU
# stopped by the guest's time limit: what matters is that a removal
# prints nothing a pattern takes for a failure);
# boot-real-x86_64-detectors.log the iommu variant, full load, of a
# v6.17.8 kernel with detectors.config and the TCG thresholds
# (watchdog_thresh=30 workqueue.watchdog_thresh=60).
for real in boot-real-x86_64 boot-real-x86_64-hotplug boot-real-x86_64-detectors; do
	cp "$root/testing/selftests/$real.log" "$tmp/$real.log"
	run "$real"
	if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["console"] == [] and d["console_matches"] == 0, d["console"]
assert d["bytes_total"] > 0 and d["cmdline"], d
' "$tmp/$real.log.json"; then
		st_ok "$real.log matches no pattern"
	else
		st_fail "$real.log matches no pattern" "$out"
	fi
done

# A kernel report that landed in the middle of a guest line is caught.
add "dmaload: vda: pass 3 verifiedwatchdog: BUG: soft lockup - CPU#0 stuck for 22s! [dmaload:1]" >"$tmp/spliced.log"
run spliced
if [ "$rc" = 1 ] && [[ $out == *": FAIL: 1 console report: soft-lockup x1 (dmaload: vda: pass 3"* ]]; then
	st_ok "report inside a guest line"
else
	st_fail "report inside a guest line" "rc=$rc, got: $out"
fi
# No text the guest prints (the say() formats in testing/guest) matches a
# pattern.
if python3 - "$root/testing/guest" "$table" <<'PY'
import glob, re, sys
src = "".join(open(f).read() for f in
              sorted(glob.glob(sys.argv[1] + "/**/*.[ch]", recursive=True)))
texts = re.findall(r'say\(\s*"((?:[^"\\]|\\.)*)"', src)
pats = [l.rstrip("\n").split("\t") for l in open(sys.argv[2])
        if l.strip() and not l.startswith("#")]
bad = [(t, n) for t in texts for n, v, r in pats
       if v != "ignore" and re.search(r, "dmaload: " + t)]
assert texts and not bad, bad or "no say() formats found"
PY
then
	st_ok "guest texts match no pattern"
else
	st_fail "guest texts match no pattern" "see above"
fi

# Every match is reported, in order, with its line number in the JSON.
awk '/^dmaload: dev=nvme0n1/ {
	print "rcu: INFO: rcu_sched self-detected stall on CPU"
	print "I/O error, dev vda, sector 2048 op 0x0:(READ) flags 0x4000 phys_seg 4 prio class 0"
}
/^dmaload: done/ { print "I/O error, dev vda, sector 4096 op 0x0:(READ) flags 0x4000 phys_seg 4 prio class 0" }
/^dmaload: dev=vda/ { sub(/mismatches=0/, "mismatches=3") }
{ print }' "$good" >"$tmp/multi.log"
run multi
want="FAIL: 3 console reports: rcu-stall x1 (rcu: INFO: rcu_sched self-detected stall on CPU), io-error x2 (I/O error, dev vda, sector 2048 op 0x0:(READ) flags 0x4000 phys_seg 4 prio class...); dmaload vda mismatches=3 errors=0 (log:"
if [ "$rc" = 1 ] && [[ $out == *"$want"* ]]; then
	st_ok "multiple matches"
else
	st_fail "multiple matches" "rc=$rc, got: $out"
fi
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
c = [(m["pattern"], m["line"]) for m in d["console"]]
lines = open(sys.argv[2]).read().split("\n")
assert [p for p, _ in c] == ["rcu-stall", "io-error", "io-error"], c
assert all(m["text"] == lines[m["line"] - 1] for m in d["console"]), c
assert d["result"] == "fail" and len(d["reasons"]) == 2, d["reasons"]
' "$tmp/multi.log.json" "$tmp/multi.log"; then
	st_ok "multiple matches in the JSON, with line numbers"
else
	st_fail "multiple matches in the JSON" "$(cat "$tmp/multi.log.json")"
fi

# Control bytes, quotes, backslashes and bytes that are not UTF-8 in a
# console line: the JSON still parses, the verdict stays one line.
{ cat "$good"; printf 'BUG: "quoted" \\back\\slash \001\033[0m tab\there \377\376\r\n'; } >"$tmp/bytes.log"
run bytes
if [ "$rc" = 1 ] && [[ $out == *"1 console report: bug x1 (BUG: \"quoted\" \\back\\slash ??[0m tab?here"* ]] &&
	[ "$(printf '%s\n' "$out" | wc -l)" = 1 ] &&
	python3 -m json.tool "$tmp/bytes.log.json" >/dev/null; then
	st_ok "control bytes and quotes: valid JSON, one line"
else
	st_fail "control bytes and quotes" "rc=$rc, got: $out"
fi
# Every JSON written above parses.
bad=
for j in "$tmp"/*.json; do
	python3 -m json.tool "$j" >/dev/null 2>&1 || bad+=" $(basename "$j")"
done
if [ -z "$bad" ]; then st_ok "every JSON parses"; else st_fail "every JSON parses" "$bad"; fi

# A broken or missing table is the harness's error, never the patch's.
for t in missing badregex badverdict badfields dupname; do
	case $t in
	missing) ;;
	badregex) printf 'x\tfail\tBUG: (\n' >"$tmp/$t" ;;
	badverdict) printf 'x\twarn\tBUG:\n' >"$tmp/$t" ;;
	badfields) printf 'x fail BUG:\n' >"$tmp/$t" ;;
	dupname) printf 'x\tfail\tBUG:\nx\tfail\tOops\n' >"$tmp/$t" ;;
	esac
	add "BUG: kernel NULL pointer dereference, address: 0000000000000008" >"$tmp/t.log"
	rc=0
	out=$(PATTERNS=$tmp/$t "$verdict" x86_64 base iommu "$tmp/t.log") || rc=$?
	if [ "$rc" = 2 ] && [[ $out == *": ERROR: "*"the patch is not blamed"* ]]; then
		st_ok "pattern table $t: error"
	else
		st_fail "pattern table $t" "rc=$rc, got: $out"
	fi
done
rc=0
"$verdict" x86_64 base iommu >/dev/null 2>&1 || rc=$?
if [ "$rc" = 2 ]; then st_ok "usage: exit 2"; else st_fail "usage" "rc=$rc"; fi

st_done
