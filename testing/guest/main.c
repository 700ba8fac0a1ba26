// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload - PID 1 of the DMA API boot check.  Its units are listed in
 * dmaload.h.
 *
 * Runs as /init from an initramfs.  It mounts devtmpfs, proc, sysfs and
 * debugfs, then drives verified DMA traffic through every device the CI
 * boot attaches, all at the same time, one process per device (two per
 * network direction):
 *
 *  - block: the NVMe namespace (nvme0n1) and the virtio-blk disk (vda),
 *    and with dmaload.scsi=1 the SCSI disk sda.
 *    O_DIRECT writes, then O_DIRECT reads of the same region, compared
 *    word by word.  Each 64-bit word holds a value derived from its
 *    absolute byte offset on the disk, the pass number and the device,
 *    so a misplaced, stale or foreign block is caught.  Regions are
 *    rewritten on later passes with another pass number.  The I/O sizes
 *    and buffer offsets cycle through a schedule that covers sub-page
 *    buffers at page + 0x200, whole pages, page-crossing buffers and
 *    multi-page scatter-gather lists; reads use the schedule rotated so
 *    that read and write boundaries differ.  The buffers are built, on
 *    purpose, of pages that are not neighbours in physical memory (single
 *    pages for writes, pairs for reads), so that every multi-page I/O
 *    needs a scatter-gather list of several segments; guard bytes on both
 *    sides of every transfer are checked after it.
 *
 *  - network: the first two virtio-net interfaces (sorted by name) are
 *    brought up with a large MTU and joined outside the guest (a QEMU
 *    hub).  Raw AF_PACKET frames with a local experimental ethertype, a
 *    sequence number and a pattern payload of varying length are sent
 *    on one NIC and received and checked on the other, in both
 *    directions at once.  A window of unacknowledged frames keeps the
 *    receiver's socket from overflowing, so every lost frame counts.
 *    Frame buffers have guard bytes too.
 *
 *  While the load runs, /sys/kernel/debug/dma-api/dump is sampled once a
 *  second, to show that dma-debug saw streaming mappings of every device.
 *
 * Kernel command line parameters (all optional, read from /proc/cmdline):
 *
 *   dmaload.secs=N        time limit for the load, seconds (default 90)
 *   dmaload.mib=N         MiB to verify per block device (default 256)
 *   dmaload.min_mib=N     MiB that must be verified per block device
 *                         when the time limit cuts the run short
 *                         (default: dmaload.mib)
 *   dmaload.net_mib=N     MiB to verify per network direction
 *                         (default 64)
 *   dmaload.net_min_mib=N as dmaload.min_mib, for the network
 *                         (default: dmaload.net_mib)
 *   dmaload.hold=1        do not power off at the end (debugging)
 *   dmaload.inject=MASK   fake faults, to prove they are caught: 1 flips
 *                         a bit in a block read, 2 skips a block write
 *                         on a region written before (stale data; the
 *                         block regions shrink to one of 4 MiB so that
 *                         one is rewritten soon), 4 corrupts a received
 *                         frame, 8 overwrites a guard byte after a block
 *                         read; each must end in result=fail (8: with
 *                         guard_bad > 0)
 *   dmaload.canary=module load /canary.ko (testing/canary, put in the
 *                         initramfs by testing/guest/build with
 *                         CANARY_KO) before the load: a module that
 *                         misuses the DMA API, which dma-debug must report
 *   dmaload.hotplug=N     the host hot-unplugs and re-adds the NVMe
 *                         controller N times while the load runs (see
 *                         "Hotplug" below); 0, the default, is off
 *   dmaload.p2p_mib=N     PCI peer-to-peer load (p2p.c): MiB to verify
 *                         over P2P with each peer NVMe (serials dlp2pbus
 *                         and dlp2phb) and the p2pmem of a controller
 *                         memory buffer; 0, the default, is off
 *   dmaload.p2p_peers=M   which peers: 1 p2p-bus, 2 p2p-host-bridge,
 *                         3 (the default) both
 *   dmaload.scsi=1        also load the SCSI disk sda (on pseries the
 *                         ibmvscsi disk on the vio bus; on alpha's
 *                         clipper the IDE disk, which libata names so
 *                         too); 0, the default, is off
 *   dmaload.net=0         no network load: the two NICs are still found,
 *                         brought up and tracked (path, dma-entries and
 *                         dma-addr lines) but no frame is sent, and no
 *                         eth0-eth1/eth1-eth0 result is reported (the
 *                         arch conf's EXPECT_DEVS names the block
 *                         devices only); 1, the default, is on
 *   dmaload.buf_min_mib=N every page of every block device's buffers
 *                         (and their guard pages) at or above N MiB
 *                         physical: blk.c picks them by their frame
 *                         numbers in /proc/self/pagemap, so that a
 *                         device with a small DMA mask must map them
 *                         through its IOMMU (alpha: above the 2 GiB
 *                         direct-map window, the scatter-gather arena);
 *                         the device fails when too few are found.
 *                         0, the default: wherever the kernel puts them
 *
 * nvme0n1 is the namespace of the NVMe controller with serial dmaload0,
 * whatever the kernel numbered it (with the P2P controllers probed
 * asynchronously it need not be nvme0): a "dmaload: nvme0n1: is NAME"
 * line says so when it is not.
 *
 * Hotplug.  With dmaload.hotplug=N the NVMe worker takes a failed or
 * short read or write (EIO, ENODEV, ENXIO, ...), while fewer than N
 * removals have been seen, as the possible start of a removal: it closes
 * the disk and waits until the controller's PCI device has left sysfs.
 * Only then is the error forgiven (counted in removed_errors, not in
 * errors); no removal within DL_HP_WAIT seconds makes it a real error,
 * and so is any error once N removals were seen.  Then
 * it counts the dma-debug entries still held by that PCI device (the
 * lines of /sys/kernel/debug/dma-api/dump that name it: the driver was
 * unbound, so any is a leaked mapping), waits for an NVMe namespace to
 * reappear, opens it and starts a fresh pass, which writes before it
 * reads.  The pass cut short by the removal is dropped.  The NVMe
 * device then passes only if, besides the usual, it was removed and
 * re-added N times, no mapping leaked, and one whole pass was verified
 * after the last re-add; it keeps going past dmaload.mib until then.
 * The other devices are judged as always, but keep their load running
 * (past dmaload.mib and net_mib) until the NVMe worker has stopped, so
 * that every removal and re-add happens under verified load.
 *
 * Output.  Everything this program prints starts with "dmaload: ".
 * The lines meant for machines are, in this order:
 *
 *   dmaload: start secs=S mib=M min_mib=M net_mib=M net_min_mib=M
 *            (and hotplug=N with dmaload.hotplug)
 *   dmaload: path dev=NAME iommu_group=TYPE dt_coherent=yes|no|none
 *            (one per block device and NIC: the type of the device's
 *            IOMMU group, e.g. DMA, or "none" without one; whether the
 *            device tree makes it DMA-coherent, "none" without a DT)
 *   dmaload: buffers dev=NAME pages=N above_4g=H phys_min=A phys_max=A
 *            (one per block device, from its worker as it starts, so
 *            maybe before the path lines: where its
 *            O_DIRECT buffers are in physical memory, from
 *            /proc/self/pagemap; H pages of N at or above 4 GiB; all
 *            four "?" when pagemap cannot tell)
 *   dmaload: dev=NAME bytes=B mismatches=M errors=E secs=S min_bytes=N
 *            guard_bad=G result=R
 *   ...      (one per device; network directions are named SRC-DST
 *            and carry extra fields "frames=F lost=L reordered=O"
 *            before result=)
 *   dmaload: blkstat dev=NAME rd_bytes=N wr_bytes=N
 *            (per block device: the deltas of /sys/block/NAME/stat,
 *            sectors read and written times 512, over the load; for the
 *            hot-unplugged NVMe the sum over its incarnations)
 *   dmaload: sg dev=NAME ios=N multi_seg_ios=N max_segs=N
 *            (per block device: I/Os issued, I/Os whose buffer is made
 *            of >= 2 physically discontiguous pieces, the most pieces
 *            in one I/O, from /proc/self/pagemap; "?" when it cannot
 *            tell)
 *   dmaload: dma-entries dev=NAME streaming=N coherent=N samples=N seen=N
 *            (per block device, per NIC, eth0 and eth1, and per network
 *            direction, SRC-DST: the most entries of the device's PCI
 *            function in one sample of dma-api/dump, streaming ones,
 *            "single" and "scatter-gather", and coherent ones, "coherent"
 *            and "noncoherent"; for a direction, only SRC's streaming
 *            entries DMA_TO_DEVICE, the frames being sent, as a NIC's
 *            receive ring is mapped before any load; seen= the samples
 *            with a streaming entry; "?" for a device whose PCI address
 *            is not known.  Note: iommu-dma's dma_iova_link(), which
 *            NVMe uses for multi-segment I/O behind an IOMMU, makes no
 *            dma-debug entries, so there only single-segment I/O shows)
 *   dmaload: dma-addr dev=NAME bus=B entries=N dma_min=A dma_max=A
 *            offset=O
 *            (after each dma-entries line, for the same streaming
 *            entries: B the device's bus, pci, vio (powerpc) or "?",
 *            N the entries over all samples, the lowest and
 *            highest DMA address (D=) among them, and O the difference
 *            D - P, in hex modulo 2^64, when it is the same for every
 *            one (0x0: mapped 1:1; a powerpc DDW direct window: its
 *            offset), "mixed" when not (an IOMMU's translation), "?"
 *            with no entry)
 *   dmaload: hotplug armed dev=nvme0n1 pci=ADDR cycles=N entries=E
 *   dmaload: hotplug removed n=K pci=ADDR leaked=L gone_ms=T secs=S
 *   dmaload: hotplug replugged n=K as=NAME pci=ADDR secs=S
 *            (only with dmaload.hotplug: the load runs on the NVMe
 *            namespace, then each removal and re-add as it is seen;
 *            ci/boot/qmp-hotplug paces the host side on these; E
 *            is the controller's dma-debug entries before the load,
 *            which must be found, or the leak check would be blind; T
 *            the milliseconds from the failed I/O to the removal)
 *   dmaload: p2p provider pci=ADDR bar=N start=A end=A buf_phys=A
 *            buf_pages=N in_bar=N
 *            (with dmaload.p2p_mib: the p2pmem provider, the BAR of
 *            its sysfs "resource" that holds the mapped buffer, and how
 *            many of the buffer's pages, from /proc/self/pagemap, lie in
 *            it; "?" and why="..." when there is none)
 *   dmaload: p2p dev=PEER disk=NAME pci=ADDR iommu_group=TYPE bytes=B
 *            mismatches=M errors=E refused=R refused_errno=N
 *            guard_bad=G min_bytes=N secs=S result=R
 *   dmaload: p2p-map dev=PEER samples=N single=N sg=N resource=N other=N
 *            dma_is_phys=N map=KIND iommu_samples=N iommu_pte=N
 *            (with dmaload.p2p_mib, for PEER p2p-bus and
 *            p2p-host-bridge as dmaload.p2p_peers asks: B bytes moved through the provider's BAR
 *            and verified, R P2P I/Os that failed outright (errno N of
 *            the first), E other failed or short I/Os; result pass,
 *            short, fail, hung (the worker never finished; the load
 *            stops waiting for it once it is alone and a P2P I/O has
 *            been in flight for 10 s) or refused
 *            (every P2P I/O refused, none verified, the peer's RAM I/O
 *            fine).  The p2p-map line counts the peer's dma-api/dump
 *            entries with P= in the BAR, by type, over the samples taken
 *            while its P2P I/O ran, dma_is_phys those with D= equal to
 *            P=; KIND is page (single or scatter-gather: mapped like
 *            RAM), mmio (resource: DMA_ATTR_MMIO), mixed, other, none (no
 *            entry: a PCI bus address, or an IOVA from dma_iova_link())
 *            or unknown (no sample); behind intel-iommu the sampler
 *            also reads the peer's iommu/intel/<pci>/
 *            domain_translation_struct in debugfs: iommu_pte counts the
 *            leaf entries pointing into the BAR over iommu_samples reads,
 *            the IOVAs dma_iova_link() made of it)
 *   dmaload: swiotlb nslabs=N used=N used_hiwater=N
 *   dmaload: dma-api disabled=D error_count=N num_errors=N
 *            num_free_entries=N min_free_entries=N nr_total_entries=N
 *            (one line; a file that cannot be read prints as "?")
 *   dmaload: hotplug dev=nvme0n1 pci=ADDR cycles=N removals=N
 *            replugs=N removed_errors=E leaked=L result=R
 *            (one line, only with dmaload.hotplug; the NVMe dev= line
 *            then has a removed_errors=E field before result=)
 *   dmaload: done devs=N bytes=B secs=S result=R
 *
 *   N after min_bytes= is the minimum asked (dmaload.min_mib or
 *   net_min_mib, in bytes), G the number of transfers after which a
 *   guard byte was found changed.
 *   B is the number of bytes read back and compared (for the network,
 *   bytes of frames received and compared in full), M the number of
 *   64-bit words (block) or frames (network) that did not match, E the
 *   number of failed or short system calls (block), or of failed
 *   sends and receives plus lost and duplicated frames (network), S whole
 *   seconds since the load started.  F counts frames received intact, L
 *   frames sent but never received, O frames received after a later one
 *   (QEMU's net queues can reorder: reported, not an error).  L is the
 *   number of dma-debug entries the removed controller left behind,
 *   summed over the removals, or "?" when dma-api/dump cannot be read
 *   (a fail).  R is one
 *   of:
 *
 *     pass   no mismatch, no error, no guard byte changed, at least the
 *            minimum verified, and that minimum is not 0
 *     short  no mismatch, no error, but the time limit was hit before
 *            the minimum was verified
 *     fail   anything else (a missing device, a mismatch, an error,
 *            a hung worker)
 *
 *   The done line passes only if every device passed (a P2P peer: pass
 *   or refused), the P2P provider was found (with dmaload.p2p_mib) and
 *   the DMA API debugging reports no error and is not disabled.  Free text lines
 *   (progress, the first few mismatches) look like "dmaload: NAME: ...".
 *
 * When done it powers the machine off.  If init would have to exit, it
 * sleeps forever instead, so a kernel panic only ever means a kernel
 * problem.
 *
 * Built against tools/include/nolibc and the uapi headers of the kernel
 * under test; see testing/guest/build.
 */


#include <linux/if_ether.h>
#include <linux/reboot.h>

#include "dmaload.h"

#define DL_PRIO_PROCESS	0
#define DL_ETH_P_A	0x88b5	/* IEEE local experimental ethertype 1 */
#define DL_ETH_P_B	0x88b6	/* IEEE local experimental ethertype 2 */
#define DL_SAMPLE_MS	100	/* between two samples of dma-api/dump */

struct dl_opts opts;
struct dl_shared *shared;
unsigned long long t_start;

static void mount_fs(void)
{
	mkdir("/dev", 0755);
	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
}

static void parse_cmdline(void)
{
	char buf[1024];

	opts_default(&opts);
	if (read_file("/proc/cmdline", buf, sizeof(buf)) >= 0)
		opts_parse(&opts, buf);
}

/* dmaload.canary=module: load the DMA API misuser testing/canary. */
static void load_canary(void)
{
	long ret;
	int fd;

	if (!opts.canary[0])
		return;
	if (strcmp(opts.canary, "module")) {
		say("canary: unknown dmaload.canary=%s", opts.canary);
		return;
	}
	fd = open("/canary.ko", O_RDONLY);
	ret = fd < 0 ? -errno : my_syscall3(__NR_finit_module, fd, "", 0);
	if (fd >= 0)
		close(fd);
	say("canary module=/canary.ko finit_module=%ld", ret);
}

static struct dl_dev *dev_add(int *n, const char *name, int is_net)
{
	struct dl_dev *d = &shared->dev[(*n)++];

	copy_str(d->name, name, sizeof(d->name));
	copy_str(d->kname, name, sizeof(d->kname));
	d->is_net = is_net;
	d->result = DL_PENDING;
	if (is_net) {
		d->target = MIB(opts.net_mib);
		d->min = MIB(opts.net_min_mib);
	} else {
		d->target = MIB(opts.mib);
		d->min = MIB(opts.min_mib);
	}
	return d;
}

enum dl_role {
	DL_BLOCK,
	DL_SENDER,
	DL_RECEIVER,
};

struct dl_procs {
	pid_t pid[2 * DL_MAX_DEVS + 1];
	int n;
};

/* Fork a worker for @d and add it to @procs; fail @d if that fails. */
static void spawn(struct dl_procs *procs, struct dl_dev *d,
		  enum dl_role role, struct dl_nic *nic, int *ackpipe)
{
	struct dl_nic *src, *dst;
	unsigned short proto;
	int mtu;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		dev_fail(d, "fork failed");
		return;
	}
	if (pid) {
		procs->pid[procs->n++] = pid;
		return;
	}
	if (role == DL_BLOCK) {
		blk_worker(d);
		if (d->hotplug)
			__atomic_store_n(&shared->hp.over, 1, __ATOMIC_RELEASE);
		_exit(0);
	}
	/*
	 * The block devices must verify their minimum within the time
	 * limit; the network takes what CPU time they leave.
	 */
	my_syscall3(__NR_setpriority, DL_PRIO_PROCESS, 0, 5);
	src = &nic[d->dir];
	dst = &nic[!d->dir];
	proto = d->dir ? DL_ETH_P_B : DL_ETH_P_A;
	if (role == DL_SENDER) {
		close(ackpipe[1]);
		mtu = nic_mtu(src) < nic_mtu(dst) ? nic_mtu(src) : nic_mtu(dst);
		net_sender(d, src, dst, proto, ackpipe[0], mtu + ETH_HLEN);
	} else {
		net_receiver(d, src, dst, proto, ackpipe[1]);
	}
	_exit(0);
}

/* Start a block device's worker, once its disk is there. */
static void blk_start(struct dl_procs *procs, int *ndev, const char *name,
		      unsigned int wait_ms)
{
	struct dl_dev *d = dev_add(ndev, name, 0);
	unsigned long long end = now_ms() + wait_ms;
	char path[64];

	d->hotplug = !strcmp(name, "nvme0n1") && opts.hotplug;
	/*
	 * "nvme0n1" is the namespace of the NVMe controller with serial
	 * DL_NVME_SERIAL, whatever number the kernel gave it: with more
	 * NVMe controllers (the P2P ones) probed asynchronously, it need not
	 * be nvme0.
	 */
	while (!strcmp(name, "nvme0n1") &&
	       nvme_by_serial(DL_NVME_SERIAL, d->kname, sizeof(d->kname)) &&
	       now_ms() < end)
		sleep_ms(50);
	if (strcmp(d->kname, name))
		say("%s: is %s", name, d->kname);
	snprintf(path, sizeof(path), "/dev/%s", d->kname);
	if (wait_for(path, end > now_ms() ? end - now_ms() : 0)) {
		dev_fail(d, "missing");
		if (d->hotplug)
			shared->hp.over = 1;
		return;
	}
	dev_pci("/sys/block", d->kname, d->pci, sizeof(d->pci));
	dma_track(name, d->pci, NULL, DL_DIR_ANY);
	spawn(procs, d, DL_BLOCK, NULL, NULL);
}

/* Find and set up the two NICs and start both directions. */
static void net_start(struct dl_procs *procs, int *ndev, struct dl_nic *nic)
{
	unsigned long long end;
	int ackpipe[2][2], i;
	struct dl_dev *d;
	char why[96];

	memset(nic, 0, 2 * sizeof(*nic));
	end = now_ms() + 20000;
	while (nic_find(nic) < 2 && now_ms() < end)
		sleep_ms(100);
	why[0] = 0;
	if (nic_find(nic) < 2)
		snprintf(why, sizeof(why), "missing");
	else if (!nic_setup(&nic[0], why, sizeof(why)))
		nic_setup(&nic[1], why, sizeof(why));
	for (i = 0; i < 2 && nic[i].name[0]; i++) {
		print_path(nic[i].name, "/sys/class/net", nic[i].name);
		dev_pci("/sys/class/net", nic[i].name, nic[i].pci,
			sizeof(nic[i].pci));
		dma_track(nic[i].name, nic[i].pci, NULL, DL_DIR_ANY);
	}
	if (!opts.net)
		return;
	for (i = 0; i < 2; i++) {
		char name[40];

		snprintf(name, sizeof(name), "%s-%s",
			 nic[i].name[0] ? nic[i].name : "net",
			 nic[!i].name[0] ? nic[!i].name : "net");
		d = dev_add(ndev, name, 1);
		d->dir = i;
		/*
		 * A direction's own mappings are its sender's frames: the
		 * receiving NIC's ring is mapped before any load.
		 */
		dma_track(name, nic[i].pci, NULL, DL_DIR_TO_DEVICE);
		if (why[0]) {
			dev_fail(d, why);
			continue;
		}
		if (pipe2(ackpipe[i], O_NONBLOCK) < 0) {
			dev_fail(d, "pipe");
			continue;
		}
		spawn(procs, d, DL_RECEIVER, nic, ackpipe[i]);
		spawn(procs, d, DL_SENDER, nic, ackpipe[i]);
		close(ackpipe[i][0]);
		close(ackpipe[i][1]);
	}
}

/* The PCI peer-to-peer load, in a process of its own. */
static pid_t p2p_pid;

static void p2p_start(struct dl_procs *procs)
{
	pid_t pid = fork();

	if (pid < 0) {
		copy_str(shared->p2p.why, "fork failed", sizeof(shared->p2p.why));
		return;
	}
	if (pid) {
		procs->pid[procs->n++] = pid;
		p2p_pid = pid;
		return;
	}
	p2p_worker();
	_exit(0);
}

/*
 * Reap the workers (and anything else), up to the grace period, and
 * sample dma-debug's entries meanwhile.
 */
static void reap(struct dl_procs *procs)
{
	unsigned long long end, next = 0;
	int i, status;
	pid_t pid;

	end = deadline_ms() + DL_GRACE * 1000ull;
	while (procs->n > 0 && now_ms() < end) {
		if (now_ms() >= next) {
			dma_sample();
			next = now_ms() + (dma_all_seen() ? DL_SAMPLE_MS : 0);
		}
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0)
			break;
		/*
		 * Only the P2P worker left, and its I/O stuck: waiting for
		 * it would only burn the boot's time.
		 */
		if (pid == 0 && procs->n == 1 && procs->pid[0] == p2p_pid &&
		    p2p_pid && p2p_stuck())
			break;
		if (pid == 0) {
			/*
			 * Until every device has shown a streaming entry,
			 * no sleep at all: a sleep lasts a jiffy at least,
			 * longer than an I/O under TCG, and on one CPU an
			 * I/O's entry exists only while its worker waits.
			 */
			if (dma_all_seen())
				sleep_ms(100);
			else
				my_syscall0(__NR_sched_yield);
			continue;
		}
		for (i = 0; i < procs->n; i++) {
			if (procs->pid[i] == pid) {
				procs->pid[i] = procs->pid[--procs->n];
				break;
			}
		}
	}
	for (i = 0; i < procs->n; i++)
		kill(procs->pid[i], SIGKILL);
}

static void finish(void)
{
	my_syscall0(__NR_sync);
	/*
	 * Let the console drain: on a slow UART the last lines, the verdict
	 * among them, are still in the tty's buffer when power goes off.
	 */
	ioctl(1, TCSBRK, 1);
	if (opts.hold)
		say("holding, dmaload.hold=1");
	else
		reboot(LINUX_REBOOT_CMD_POWER_OFF);
	if (!opts.hold)
		say("power off failed: %d, idling", errno);
	for (;;)
		sleep_ms(60000);
}

int main(void)
{
	struct dl_procs procs = { .n = 0 };
	unsigned long long total = 0;
	int ndev = 0, i, bad = 0;
	struct dl_nic nic[2];
	struct dl_dev *d;
	char extra[32];

	mount_fs();
	t_start = now_ms();
	parse_cmdline();
	/* Describe the first few DMA API errors in the log, not only one. */
	write_file("/sys/kernel/debug/dma-api/num_errors", "10");
	shared = map_shared(sizeof(*shared));
	if (!shared) {
		say("done devs=0 bytes=0 secs=0 result=fail");
		finish();
	}
	extra[0] = 0;
	if (opts.hotplug)
		snprintf(extra, sizeof(extra), " hotplug=%u", opts.hotplug);
	say("start secs=%u mib=%u min_mib=%u net_mib=%u net_min_mib=%u%s",
	    opts.secs, opts.mib, opts.min_mib, opts.net_mib,
	    opts.net_min_mib, extra);
	load_canary();

	/* NVMe namespaces are scanned asynchronously: give them time. */
	blk_start(&procs, &ndev, "nvme0n1", 20000);
	blk_start(&procs, &ndev, "vda", 20000);
	print_path("nvme0n1", "/sys/block", shared->dev[0].kname);
	print_path("vda", "/sys/block", "vda");
	if (opts.scsi) {
		blk_start(&procs, &ndev, "sda", 20000);
		print_path("sda", "/sys/block", "sda");
	}
	net_start(&procs, &ndev, nic);
	if (opts.p2p_mib)
		p2p_start(&procs);
	reap(&procs);

	for (i = 0; i < ndev; i++) {
		d = &shared->dev[i];
		if (d->is_net && d->result == DL_PENDING &&
		    d->sender_done && d->receiver_done)
			dev_finish(d);
		if (d->result == DL_PENDING) {
			d->result = DL_FAIL;
			d->secs = elapsed_secs();
			say("%s: worker hung or died", d->name);
		}
		if (d->result != DL_PASS)
			bad = 1;
		total += d->bytes;
		print_dev(d);
	}
	for (i = 0; i < ndev; i++) {
		if (!shared->dev[i].is_net)
			print_blk_extra(&shared->dev[i]);
	}
	print_dma_entries();
	if (opts.p2p_mib)
		print_p2p(&bad);
	if (opts.hotplug)
		print_hotplug(&bad);
	print_swiotlb();
	print_dma_api(&bad);
	say("done devs=%d bytes=%llu secs=%u result=%s", ndev, total,
	    elapsed_secs(), bad ? "fail" : "pass");
	for (i = 0; i < 2; i++) {
		if (nic[i].name[0])
			nic_down(&nic[i]);
	}
	finish();
	return 0;
}
