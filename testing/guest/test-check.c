// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of dmaload's checking functions (check.c), run by
 * testing/selftests/guest-units.sh the way the kernel's nolibc tests
 * run: one "ok - NAME" or "not ok - NAME: WHY" line per case, then
 * "N passed, N failed"; exits 1 if a case failed.  Built with the host's
 * C library; not part of the guest program.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static unsigned int passed, failed;

static void result(const char *name, int ok, const char *why)
{
	if (ok) {
		printf("ok - %s\n", name);
		passed++;
	} else {
		printf("not ok - %s: %s\n", name, why);
		failed++;
	}
}

#define CHECK(name, cond)	result(name, (cond), #cond)

/* ---- block ---- */

#define BLK_LEN		8192
#define BLK_OFF		0x123000ull

static unsigned long long blk[BLK_LEN / 8];

static unsigned int blk_bad(unsigned long long off, unsigned long long seed)
{
	unsigned int first[4];

	return blk_check(blk, BLK_LEN, off, seed, first, 4);
}

static void test_blk(void)
{
	unsigned long long seed = blk_seed("nvme0n1", 3);
	unsigned int first[4] = { ~0u, ~0u, ~0u, ~0u }, bad;

	blk_fill(blk, BLK_LEN, BLK_OFF, seed);
	CHECK("blk_check passes a correct buffer", blk_bad(BLK_OFF, seed) == 0);

	((unsigned char *)blk)[4097] ^= 0x10;
	bad = blk_check(blk, BLK_LEN, BLK_OFF, seed, first, 4);
	CHECK("blk_check catches a flipped bit", bad == 1);
	CHECK("blk_check names the flipped word", first[0] == 4097 / 8);
	((unsigned char *)blk)[4097] ^= 0x10;

	blk_fill(blk, BLK_LEN, BLK_OFF, blk_seed("nvme0n1", 2));
	CHECK("blk_check catches stale data (an earlier pass)",
	      blk_bad(BLK_OFF, seed) == BLK_LEN / 8);

	blk_fill(blk, BLK_LEN, BLK_OFF, blk_seed("vda", 3));
	CHECK("blk_check catches a foreign device's block",
	      blk_bad(BLK_OFF, seed) == BLK_LEN / 8);

	blk_fill(blk, BLK_LEN, BLK_OFF + 512, seed);
	CHECK("blk_check catches a misplaced block (another offset)",
	      blk_bad(BLK_OFF, seed) == BLK_LEN / 8);

	blk_fill(blk, BLK_LEN, BLK_OFF, seed);
	blk[7] = blk_word(BLK_OFF + 7 * 8, blk_seed("nvme0n1", 4));
	CHECK("blk_check catches one word of the wrong pass",
	      blk_bad(BLK_OFF, seed) == 1);

	CHECK("blk_seed differs between passes and devices",
	      blk_seed("nvme0n1", 0) != blk_seed("nvme0n1", 1) &&
	      blk_seed("nvme0n1", 0) != blk_seed("vda", 0));
}

/* ---- network ---- */

static const unsigned char mac_a[DL_ETH_ALEN] = { 0x52, 0x54, 0, 0xd1, 0x0a, 0 };
static const unsigned char mac_b[DL_ETH_ALEN] = { 0x52, 0x54, 0, 0xd1, 0x0a, 1 };

static unsigned int frame_w[(DL_NET_MAX + 64) / 4];

static int verify(unsigned int len, unsigned int *seq)
{
	return net_verify((unsigned char *)frame_w, len, mac_a, mac_b, 0x88b5,
			  seq);
}

static void test_net(void)
{
	unsigned char *f = (unsigned char *)frame_w;
	unsigned int seq = ~0u, len, i, ok = 1;

	for (i = 0; i < 64; i++) {
		len = net_len(i, 9014);
		ok &= len >= DL_NET_MIN && len <= 9014;
	}
	CHECK("net_len stays within 60 bytes and the MTU", ok);

	net_build(f, mac_a, mac_b, 0x88b5, 77, 1001);
	CHECK("net_verify passes a correct frame",
	      verify(1001, &seq) == 0 && seq == 77);

	frame_w[5] = 78;
	CHECK("net_verify rejects a wrong sequence number", verify(1001, &seq));
	frame_w[5] = 77;

	CHECK("net_verify rejects a wrong length (short read)",
	      verify(1000, &seq));
	CHECK("net_verify rejects a wrong length (long read)",
	      verify(1002, &seq));

	f[1000] ^= 1;
	CHECK("net_verify rejects a wrong last byte", verify(1001, &seq));
	f[1000] ^= 1;
	f[500] ^= 0x80;
	CHECK("net_verify rejects a wrong payload byte", verify(1001, &seq));
	f[500] ^= 0x80;
	f[6] ^= 1;
	CHECK("net_verify rejects a wrong source address", verify(1001, &seq));
	f[6] ^= 1;
	CHECK("net_verify rejects another ethertype",
	      net_verify(f, 1001, mac_a, mac_b, 0x88b6, &seq));
	CHECK("net_verify rejects a runt", verify(DL_NET_MIN - 4, &seq));
	CHECK("net_verify passes the frame again", verify(1001, &seq) == 0);
}

static void test_seen(void)
{
	static struct dl_seen sn;
	int ok;

	memset(&sn, 0, sizeof(sn));
	ok = seen_add(&sn, 0) && seen_add(&sn, 1) && seen_add(&sn, 3);
	CHECK("seen_add takes new sequence numbers, in order or not",
	      ok && seen_add(&sn, 2) && sn.base == 4);
	CHECK("seen_add refuses a duplicate", !seen_add(&sn, 3));
	CHECK("seen_add refuses one below the window", !seen_add(&sn, 1));
	ok = seen_add(&sn, 10) && sn.base == 4 && seen_add(&sn, 4) &&
	     sn.base == 5;
	CHECK("seen_add keeps the window at the first unseen", ok);
	CHECK("seen_add slides the window past a lost one",
	      seen_add(&sn, 5 + DL_NET_SEEN) && sn.base == 6 &&
	      !seen_add(&sn, 5 + DL_NET_SEEN));
}

/* ---- guard bytes ---- */

static void test_guard(void)
{
	static unsigned char mem[DL_GUARD + 1000 + DL_GUARD];
	unsigned char *buf = mem + DL_GUARD;

	guard_fill(buf, 1000);
	memset(buf, 0xa5, 1000);
	CHECK("guard_check passes intact guards", guard_check(buf, 1000) == 0);
	buf[-1] ^= 1;
	CHECK("guard_check catches a change just before",
	      guard_check(buf, 1000) == 1);
	buf[-1] ^= 1;
	buf[-DL_GUARD] = ~buf[-DL_GUARD];
	CHECK("guard_check catches a change at the far end before",
	      guard_check(buf, 1000) == 1);
	buf[-DL_GUARD] = ~buf[-DL_GUARD];
	buf[1000] ^= 0x80;
	buf[1000 + DL_GUARD - 1] ^= 0x80;
	CHECK("guard_check catches changes just after and at the far end",
	      guard_check(buf, 1000) == 2);
	buf[1000] ^= 0x80;
	buf[1000 + DL_GUARD - 1] ^= 0x80;
	memmove(buf - DL_GUARD + 1, buf - DL_GUARD, DL_GUARD - 1);
	CHECK("guard_check catches a shifted guard",
	      guard_check(buf, 1000) > 0);
	guard_fill(buf, 1000);
	CHECK("guard_check passes after a refill",
	      guard_check(buf, 1000) == 0);
}

/* ---- pagemap ---- */

static void test_sys(void)
{
	CHECK("sys_failed: an address above 2 GiB is not an error",
	      !sys_failed(0xb6d00000UL));
	CHECK("sys_failed: the top page of addresses is -errno",
	      sys_failed(-22UL) && sys_failed(-4095UL) && !sys_failed(-4096UL));
	CHECK("sys_failed: 0 is success", !sys_failed(0));
}

static void test_pfn(void)
{
	static const unsigned long long contig[] = { 100, 101, 102, 103 };
	static const unsigned long long apart[] = { 100, 102, 104, 106 };
	static const unsigned long long pairs[] = { 200, 201, 203, 204, 206 };
	static const unsigned long long down[] = { 9, 8, 7 };

	CHECK("pfn_runs: contiguous frames are one run",
	      pfn_runs(contig, 4) == 1);
	CHECK("pfn_runs: every other frame is one run each",
	      pfn_runs(apart, 4) == 4);
	CHECK("pfn_runs: pairs of frames", pfn_runs(pairs, 5) == 3);
	CHECK("pfn_runs: descending frames are not contiguous",
	      pfn_runs(down, 3) == 3);
	CHECK("pfn_runs: one page, no page",
	      pfn_runs(contig, 1) == 1 && pfn_runs(contig, 0) == 0);
}

/* ---- parsers ---- */

static void test_opts(void)
{
	char line[256];
	struct dl_opts o;

	opts_default(&o);
	snprintf(line, sizeof(line), "console=ttyS0 dmaload.mib=16 dmaload.secs=20 dmaload.inject=0x8 dmaload.min_mib=300 dmaload.canary=module\n");
	opts_parse(&o, line);
	CHECK("opts_parse reads dmaload.mib, secs, inject (hex)",
	      o.mib == 16 && o.secs == 20 && o.inject == 8);
	CHECK("opts_parse caps min_mib at mib", o.min_mib == 16);
	CHECK("opts_parse reads dmaload.canary", !strcmp(o.canary, "module"));
	CHECK("opts_parse keeps the defaults it was not given",
	      o.net_mib == 64 && o.net_min_mib == 64 && !o.hotplug);

	opts_default(&o);
	snprintf(line, sizeof(line), "xdmaload.mib=3 dmaload.mibs=4 dmaload.mib dmaload.hotplug=3 dmaload.net_mib=8 dmaload.net_min_mib=2 dmaload.mib=5");
	opts_parse(&o, line);
	CHECK("opts_parse ignores look-alikes, a later word wins",
	      o.mib == 5 && o.min_mib == 5 && o.hotplug == 3);
	CHECK("opts_parse reads net_mib and net_min_mib",
	      o.net_mib == 8 && o.net_min_mib == 2);
}

static void test_files(void)
{
	unsigned long long rd = 0, wr = 0;
	char pci[32];
	const char *dev;
	size_t len;

	CHECK("blkstat_parse reads fields 3 and 7",
	      !blkstat_parse("  100  2  8000  40  50  1  4096  30  0  70  70\n",
			     &rd, &wr) && rd == 8000 && wr == 4096);
	CHECK("blkstat_parse refuses a short line",
	      blkstat_parse("1 2 3", &rd, &wr) == -1);

	CHECK("pci_from_path: a virtio disk behind its PCI function",
	      !pci_from_path("../devices/pci0000:00/0000:00:03.0/virtio1/block/vda",
			     pci, sizeof(pci)) && !strcmp(pci, "0000:00:03.0"));
	CHECK("pci_from_path: the last PCI address behind a root port",
	      !pci_from_path("../../devices/pci0000:00/0000:00:1c.0/0000:01:00.0/nvme/nvme0/nvme0n1",
			     pci, sizeof(pci)) && !strcmp(pci, "0000:01:00.0"));
	CHECK("pci_from_path: none",
	      pci_from_path("../devices/virtual/block/loop0", pci,
			    sizeof(pci)) == -1);
	CHECK("vio_from_path: an ibmvscsi disk's vio unit",
	      !vio_from_path("../devices/vio/2000/host0/target0:0:0/0:0:0:0/block/sda",
			     pci, sizeof(pci)) && !strcmp(pci, "2000"));
	CHECK("dev_bus: pci, vio, neither",
	      !strcmp(dev_bus("0000:00:03.0"), "pci") &&
	      !strcmp(dev_bus("2000"), "vio") &&
	      !strcmp(dev_bus(""), "?") && !strcmp(dev_bus("vio"), "?"));
	CHECK("vio_from_path: none on PCI, none in a name",
	      vio_from_path("../devices/pci0000:00/0000:00:03.0/virtio1/block/vda",
			    pci, sizeof(pci)) == -1 &&
	      vio_from_path("../devices/virtual/block/xvio/a", pci,
			    sizeof(pci)) == -1);

	CHECK("dump_parse: a single mapping is streaming",
	      dump_parse("nvme 0000:01:00.0 single idx 12 P=0x1000 D=fffff000 L=200 cln=0x40 DMA_FROM_DEVICE dma_mapping_error check: not applicable",
			 &dev, &len) == DL_DUMP_STREAMING &&
	      len == 12 && !strncmp(dev, "0000:01:00.0", len));
	CHECK("dump_parse: scatter-gather is streaming",
	      dump_parse("virtio-pci 0000:00:03.0 scatter-gather idx 1 P=0x1 D=1 L=1 cln=0x0 DMA_TO_DEVICE x",
			 &dev, &len) == DL_DUMP_STREAMING);
	CHECK("dump_parse: coherent and noncoherent",
	      dump_parse("nvme 0000:01:00.0 coherent idx 3 P=0x1 D=1 L=1 cln=0x0 DMA_BIDIRECTIONAL x",
			 &dev, &len) == DL_DUMP_COHERENT &&
	      dump_parse("nvme 0000:01:00.0 noncoherent idx 3 P=0x1 D=1 L=1 cln=0x0 DMA_BIDIRECTIONAL x",
			 &dev, &len) == DL_DUMP_COHERENT);
	CHECK("dump_dir: the mapping's direction",
	      dump_dir("n 0000:00:03.0 single idx 1 P=0x1 D=1 L=1 cln=0x0 DMA_TO_DEVICE dma map error checked") == DL_DIR_TO_DEVICE &&
	      dump_dir("n 0000:00:03.0 single idx 1 P=0x1 D=1 L=1 cln=0x0 DMA_FROM_DEVICE x") == DL_DIR_FROM_DEVICE &&
	      dump_dir("n 0000:00:03.0 coherent idx 1 P=0x1 D=1 L=1 cln=0x0 DMA_BIDIRECTIONAL x") == DL_DIR_BIDIRECTIONAL &&
	      dump_dir("garbage") == DL_DIR_ANY);
	CHECK("dump_addrs: P= and D= of an entry",
	      !dump_addrs("nvme 0000:00:05.0 single idx 2 P=0x7e10000 D=800000007e10000 L=1000 cln=0x1f840 DMA_TO_DEVICE x",
			  &rd, &wr) && rd == 0x7e10000ull &&
	      wr == 0x800000007e10000ull);
	CHECK("dump_addrs: no D= is no entry",
	      dump_addrs("x 0000:00:01.0 single idx 0 P=0x1", &rd, &wr) == -1);
	CHECK("dump_parse: resource is neither; junk is no entry",
	      dump_parse("x 0000:00:01.0 resource idx 0 P=0x1",
			 &dev, &len) == DL_DUMP_OTHER &&
	      dump_parse("garbage", &dev, &len) == -1 &&
	      dump_parse("a b single P=0x1", &dev, &len) == -1);
}

/* ---- PCI peer-to-peer ---- */

#define BAR_LO	0x800000000ull
#define BAR_HI	0x800ffffffull

static void test_p2p(void)
{
	static const char res[] =
		"0x00000000fe800000 0x00000000fe803fff 0x0000000000140204\n"
		"0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
		"0x0000000800000000 0x0000000800ffffff 0x000000000014220c\n";
	unsigned int n[DL_P2P_TYPES] = { 0 };
	unsigned long long lo = 0, hi = 0;
	char line[256];
	struct dl_opts o;
	int same = -1;

	CHECK("dump_p2p: a single entry of the peer in the BAR, 1:1",
	      dump_p2p("nvme 0000:04:00.0 single idx 7 P=0x0000000800001200 D=800001200 L=200 cln=0x20000048 DMA_TO_DEVICE dma map error checked",
		       "0000:04:00.0", BAR_LO, BAR_HI, &same) == DL_P2P_SINGLE &&
	      same == 1);
	CHECK("dump_p2p: resource (DMA_ATTR_MMIO), scatter-gather",
	      dump_p2p("nvme 0000:04:00.0 resource idx 7 P=0x0000000800ffff00 D=800ffff00 L=100 cln=0x0 DMA_FROM_DEVICE x",
		       "0000:04:00.0", BAR_LO, BAR_HI, &same) == DL_P2P_RESOURCE &&
	      dump_p2p("nvme 0000:04:00.0 scatter-gather idx 7 P=0x0000000800000000 D=fffe0000 L=1000 cln=0x0 DMA_FROM_DEVICE x",
		       "0000:04:00.0", BAR_LO, BAR_HI, &same) == DL_P2P_SG &&
	      same == 0);
	CHECK("dump_p2p: RAM, another device, junk are no P2P entry",
	      dump_p2p("nvme 0000:04:00.0 single idx 7 P=0x0000000001200000 D=1200000 L=200 cln=0x0 DMA_TO_DEVICE x",
		       "0000:04:00.0", BAR_LO, BAR_HI, &same) == -1 &&
	      dump_p2p("nvme 0000:04:00.0 single idx 7 P=0x0000000801000000 D=801000000 L=200 cln=0x0 DMA_TO_DEVICE x",
		       "0000:04:00.0", BAR_LO, BAR_HI, &same) == -1 &&
	      dump_p2p("nvme 0000:05:00.0 single idx 7 P=0x0000000800001200 D=800001200 L=200 cln=0x0 DMA_TO_DEVICE x",
		       "0000:04:00.0", BAR_LO, BAR_HI, &same) == -1 &&
	      dump_p2p("nvme 0000:04:00.0 single idx 7 D=800001200",
		       "0000:04:00.0", BAR_LO, BAR_HI, &same) == -1 &&
	      dump_p2p("nvme 0000:04:00.0", "0000:04:00.0", BAR_LO, BAR_HI,
		       &same) == -1);

	CHECK("resource_find: the BAR holding an address",
	      resource_find(res, 0x800123000ull, &lo, &hi) == 2 &&
	      lo == BAR_LO && hi == BAR_HI);
	CHECK("resource_find: the first BAR, its last byte",
	      resource_find(res, 0xfe803fffull, &lo, &hi) == 0);
	CHECK("resource_find: none (RAM, an empty resource, junk)",
	      resource_find(res, 0x1000ull, &lo, &hi) == -1 &&
	      resource_find(res, 0, &lo, &hi) == -1 &&
	      resource_find("junk", 0x800123000ull, &lo, &hi) == -1);

	CHECK("p2p_map: no sample is unknown, no entry is none",
	      !strcmp(p2p_map(n, 0), "unknown") &&
	      !strcmp(p2p_map(n, 10), "none"));
	n[DL_P2P_SG] = 2;
	CHECK("p2p_map: page", !strcmp(p2p_map(n, 10), "page"));
	n[DL_P2P_RESOURCE] = 1;
	CHECK("p2p_map: mixed", !strcmp(p2p_map(n, 10), "mixed"));
	n[DL_P2P_SG] = 0;
	CHECK("p2p_map: mmio", !strcmp(p2p_map(n, 10), "mmio"));
	n[DL_P2P_RESOURCE] = 0;
	n[DL_P2P_OTHER] = 1;
	CHECK("p2p_map: other", !strcmp(p2p_map(n, 10), "other"));

	CHECK("pte_phys: a leaf's address from domain_translation_struct",
	      !pte_phys("0x00000000fffff |\t0x0000000012345003\t0x0000000012346003\t0x0000000012347003\t0x0000000012348003\t0x00000000fc021003",
			&lo) && lo == 0xfc021000ull);
	CHECK("pte_phys: a 2 MiB leaf, high bits dropped",
	      !pte_phys("0x0000000000200 |\t0x0000000012345003\t0x0000000012346003\t0x0000000012347003\t0x8000000800200083",
			&lo) && lo == 0x800200000ull);
	CHECK("pte_phys: headers are no leaf",
	      pte_phys("Device 0000:05:00.0 @0x12345000", &lo) == -1 &&
	      pte_phys("IOVA_PFN\t\tPML5E\t\t\tPML4E", &lo) == -1 &&
	      pte_phys("0x0000000000200 |", &lo) == -1);

	CHECK("p2p_result: pass, short",
	      !strcmp(p2p_result(8 << 20, 8 << 20, 0, 0, 9), "pass") &&
	      !strcmp(p2p_result(4 << 20, 8 << 20, 0, 0, 9), "short"));
	CHECK("p2p_result: anything bad, or nothing asked, fails",
	      !strcmp(p2p_result(8 << 20, 8 << 20, 1, 0, 9), "fail") &&
	      !strcmp(p2p_result(8 << 20, 0, 0, 0, 9), "fail"));
	CHECK("p2p_result: every P2P I/O refused, RAM I/O fine: refused",
	      !strcmp(p2p_result(0, 8 << 20, 0, 4, 2), "refused"));
	CHECK("p2p_result: some refused, some verified, or no RAM I/O: fail",
	      !strcmp(p2p_result(4096, 8 << 20, 0, 4, 2), "fail") &&
	      !strcmp(p2p_result(0, 8 << 20, 0, 4, 0), "fail") &&
	      !strcmp(p2p_result(0, 8 << 20, 1, 4, 2), "fail"));

	opts_default(&o);
	CHECK("opts: no P2P load by default, both peers when asked",
	      o.p2p_mib == 0 && o.p2p_peers == 3);
	snprintf(line, sizeof(line), "dmaload.p2p_mib=8 dmaload.p2p_peers=2");
	opts_parse(&o, line);
	CHECK("opts_parse reads dmaload.p2p_mib and p2p_peers",
	      o.p2p_mib == 8 && o.p2p_peers == 2);
	CHECK("opts: no SCSI disk by default", o.scsi == 0);
	snprintf(line, sizeof(line), "dmaload.scsi=1");
	opts_parse(&o, line);
	CHECK("opts_parse reads dmaload.scsi", o.scsi == 1);
	CHECK("opts: the network load by default", o.net == 1);
	snprintf(line, sizeof(line), "dmaload.net=0");
	opts_parse(&o, line);
	CHECK("opts_parse reads dmaload.net", o.net == 0);
	CHECK("opts: block buffers from anywhere by default",
	      o.buf_min_mib == 0);
	snprintf(line, sizeof(line), "dmaload.buf_min_mib=2048");
	opts_parse(&o, line);
	CHECK("opts_parse reads dmaload.buf_min_mib", o.buf_min_mib == 2048);
}

int main(void)
{
	test_blk();
	test_net();
	test_seen();
	test_guard();
	test_sys();
	test_pfn();
	test_opts();
	test_files();
	test_p2p();
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
