// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload: the machine lines (see the top of main.c) and the samples of
 * dma-debug's entries behind the dma-entries lines.
 */

#include "dmaload.h"

#define DL_RESULT_FMT	"dev=%s bytes=%llu mismatches=%llu errors=%llu secs=%u min_bytes=%llu guard_bad=%llu"
#define DL_HOTPLUG_FMT	"hotplug dev=nvme0n1 pci=%s cycles=%u removals=%u replugs=%u"

static const char * const dl_result_name[] = {
	[DL_PENDING] = "fail",
	[DL_PASS] = "pass",
	[DL_SHORT] = "short",
	[DL_FAIL] = "fail",
};

/*
 * What the device tree says of the DMA coherence of the PCI device @pci,
 * as of_dma_is_coherent() reads it: the first ancestor of the device
 * with a DT node (the PCIe host bridge) and that node's ancestors, up to
 * the root, are searched for "dma-coherent" ("yes") or
 * "dma-noncoherent" ("no"); neither is "no" on the arm kernels that boot
 * with a DT (no CONFIG_OF_DMA_DEFAULT_COHERENT).  "none": no DT node
 * (ACPI, x86) or no PCI address.  The ".." steps are resolved by the
 * kernel through the sysfs links, so no path has to be built by hand.
 */
static const char *dt_coherent(const char *pci)
{
	char node[256], path[320];
	size_t len;
	int up, found = 0;

	if (!pci[0])
		return "none";
	len = snprintf(node, sizeof(node), "/sys/bus/pci/devices/%s", pci);
	for (up = 0; up < 8 && len + 3 < sizeof(node); up++) {
		snprintf(path, sizeof(path), "%s/of_node", node);
		if (exists(path)) {
			copy_str(node, path, sizeof(node));
			len = strlen(node);
			found = 1;
			break;
		}
		len += snprintf(node + len, sizeof(node) - len, "/..");
	}
	if (!found)
		return "none";
	/* Up the DT: /sys/firmware/devicetree holds "base", the root. */
	for (up = 0; up < 16 && len + 3 < sizeof(node); up++) {
		snprintf(path, sizeof(path), "%s/dma-coherent", node);
		if (exists(path))
			return "yes";
		snprintf(path, sizeof(path), "%s/dma-noncoherent", node);
		if (exists(path))
			return "no";
		len += snprintf(node + len, sizeof(node) - len, "/..");
		snprintf(path, sizeof(path), "%s/base", node);
		if (exists(path))
			break;
	}
	return "no";
}

/*
 * Which DMA path a device takes: the type of its IOMMU group (DMA, DMA-FQ,
 * identity, ...) or "none" when it has no group (dma-direct, swiotlb),
 * and whether the device tree makes it DMA-coherent (dt_coherent()).
 * @kname is the kernel's name for the device called @name in the line.
 */
void print_path(const char *name, const char *sysdir, const char *kname)
{
	static const char * const tails[] = {
		"device/iommu_group/type",
		"device/../iommu_group/type",
		"device/device/iommu_group/type",
	};
	char path[128], type[32], pci[32] = "";
	size_t i;

	copy_str(type, "none", sizeof(type));
	for (i = 0; i < ARRAY_SIZE(tails); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", sysdir, kname,
			 tails[i]);
		if (read_file(path, type, sizeof(type)) > 0)
			break;
		copy_str(type, "none", sizeof(type));
	}
	if (dev_pci(sysdir, kname, pci, sizeof(pci)))
		pci[0] = 0;
	say("path dev=%s iommu_group=%s dt_coherent=%s", name, type,
	    dt_coherent(pci));
}

/*
 * Where a block device's two O_DIRECT buffers (@npages pages each, their
 * frames in @pfn, NULL when pagemap cannot tell) are in physical memory,
 * so that the harness can check that a variant's I/O came from the
 * memory it is meant to test (e.g. highmem above 4 GiB on 32-bit arm).
 */
void print_buffers(const struct dl_dev *d, const unsigned long long *pfn[2],
		   unsigned int npages)
{
	unsigned long long pa, lo = ~0ull, hi = 0, page = getpagesize();
	unsigned int i, j, above = 0;

	if (!pfn[0] || !pfn[1]) {
		say("buffers dev=%s pages=? above_4g=? phys_min=? phys_max=?",
		    d->name);
		return;
	}
	for (j = 0; j < 2; j++) {
		for (i = 0; i < npages; i++) {
			pa = pfn[j][i] * page;
			if (pa < lo)
				lo = pa;
			if (pa > hi)
				hi = pa;
			if (pa >= 1ull << 32)
				above++;
		}
	}
	say("buffers dev=%s pages=%u above_4g=%u phys_min=0x%llx phys_max=0x%llx",
	    d->name, 2 * npages, above, lo, hi);
}

/* The dev= result line. */
void print_dev(const struct dl_dev *d)
{
	const char *res = dl_result_name[d->result];

	if (d->is_net)
		say(DL_RESULT_FMT " frames=%llu lost=%llu reordered=%llu result=%s",
		    d->name, d->bytes, d->mismatches, d->errors, d->secs,
		    d->min, d->guard_bad, d->frames, d->lost, d->reordered,
		    res);
	else if (d->hotplug)
		say(DL_RESULT_FMT " removed_errors=%llu result=%s",
		    d->name, d->bytes, d->mismatches, d->errors, d->secs,
		    d->min, d->guard_bad, shared->hp.removed_errors, res);
	else
		say(DL_RESULT_FMT " result=%s",
		    d->name, d->bytes, d->mismatches, d->errors, d->secs,
		    d->min, d->guard_bad, res);
}

/* A block device's blkstat and sg lines. */
void print_blk_extra(const struct dl_dev *d)
{
	if (d->stat_ok || d->rd_sectors || d->wr_sectors)
		say("blkstat dev=%s rd_bytes=%llu wr_bytes=%llu", d->name,
		    d->rd_sectors * 512, d->wr_sectors * 512);
	else
		say("blkstat dev=%s rd_bytes=? wr_bytes=?", d->name);
	if (d->sg_unknown)
		say("sg dev=%s ios=%llu multi_seg_ios=? max_segs=?", d->name,
		    d->ios);
	else
		say("sg dev=%s ios=%llu multi_seg_ios=%llu max_segs=%u",
		    d->name, d->ios, d->multi_seg_ios, d->max_segs);
}

/* The hotplug summary line; see "Hotplug" at the top of main.c. */
void print_hotplug(int *bad)
{
	const struct dl_hotplug *hp = &shared->hp;
	char leaked[16];
	int ok;

	if (hp->leak_unknown)
		copy_str(leaked, "?", sizeof(leaked));
	else
		snprintf(leaked, sizeof(leaked), "%u", hp->leaked);
	ok = hp->removals >= opts.hotplug && hp->replugs >= opts.hotplug &&
	     !hp->leak_unknown && !hp->leaked && hp->verified_after;
	if (!ok)
		*bad = 1;
	say(DL_HOTPLUG_FMT " removed_errors=%llu leaked=%s result=%s",
	    hp->pci[0] ? hp->pci : "?", opts.hotplug, hp->removals,
	    hp->replugs, hp->removed_errors, leaked, ok ? "pass" : "fail");
}

void print_swiotlb(void)
{
	char used[32], hiwater[32], nslabs[32];

	if (read_file("/sys/kernel/debug/swiotlb/io_tlb_nslabs", nslabs,
		      sizeof(nslabs)) <= 0)
		copy_str(nslabs, "?", sizeof(nslabs));
	if (read_file("/sys/kernel/debug/swiotlb/io_tlb_used", used,
		      sizeof(used)) <= 0)
		copy_str(used, "?", sizeof(used));
	if (read_file("/sys/kernel/debug/swiotlb/io_tlb_used_hiwater",
		      hiwater, sizeof(hiwater)) <= 0)
		copy_str(hiwater, "?", sizeof(hiwater));
	say("swiotlb nslabs=%s used=%s used_hiwater=%s", nslabs, used,
	    hiwater);
}

void print_dma_api(int *bad)
{
	static const char * const files[] = {
		"disabled", "error_count", "num_errors", "num_free_entries",
		"min_free_entries", "nr_total_entries",
	};
	char line[256], path[96], val[32];
	size_t i, len = 0;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/dma-api/%s",
			 files[i]);
		if (read_file(path, val, sizeof(val)) <= 0)
			copy_str(val, "?", sizeof(val));
		if (!strcmp(files[i], "disabled") && strcmp(val, "N"))
			*bad = 1;
		if (!strcmp(files[i], "error_count") && strcmp(val, "0"))
			*bad = 1;
		len += snprintf(line + len, sizeof(line) - len, " %s=%s",
				files[i], val);
	}
	say("dma-api%s", line);
}

/* ---- dma-entries: dma-debug's entries per device, sampled ---- */

struct dl_dma_slot {
	char name[32];
	const char *pci[DL_MAX_PCI];	/* "" or NULL: not known */
	int dir;			/* DL_DIR_*: streaming ones counted */
	unsigned int streaming, coherent;
	unsigned int seen;		/* samples with a streaming entry */
	unsigned int now[3];		/* this sample, by DL_DUMP_* */
	/* The DMA addresses of the streaming entries, over all samples. */
	unsigned long long addrs, dma_min, dma_max, offset;
	int off_mixed;
};

static struct dl_dma_slot dma_slots[DL_MAX_SLOTS];
static unsigned int dma_nslots, dma_samples;

/*
 * Report the dma-debug entries of @pci0 and @pci1 (either may be NULL) as
 * those of @name, streaming ones only in direction @dir (DL_DIR_ANY: all).
 * The strings must live as long as the program; they may change (a
 * re-added controller).
 */
void dma_track(const char *name, const char *pci0, const char *pci1, int dir)
{
	struct dl_dma_slot *s;

	if (dma_nslots >= DL_MAX_SLOTS)
		return;
	s = &dma_slots[dma_nslots++];
	copy_str(s->name, name, sizeof(s->name));
	s->pci[0] = pci0;
	s->pci[1] = pci1;
	s->dir = dir;
}

/* Where a streaming entry of @s points: its D= and D= - P=. */
static void dma_addr(struct dl_dma_slot *s, const char *line)
{
	unsigned long long p, d;

	if (dump_addrs(line, &p, &d))
		return;
	if (!s->addrs++) {
		s->dma_min = s->dma_max = d;
		s->offset = d - p;
		return;
	}
	if (d < s->dma_min)
		s->dma_min = d;
	if (d > s->dma_max)
		s->dma_max = d;
	if (d - p != s->offset)
		s->off_mixed = 1;
}

static void dma_count(const char *line, void *arg __maybe_unused)
{
	const char *dev, *pci;
	unsigned int i, j;
	size_t len;
	int kind;

	kind = dump_parse(line, &dev, &len);
	if (kind < 0)
		return;
	for (i = 0; i < dma_nslots; i++) {
		if (kind == DL_DUMP_STREAMING && dma_slots[i].dir &&
		    dump_dir(line) != dma_slots[i].dir)
			continue;
		for (j = 0; j < DL_MAX_PCI; j++) {
			pci = dma_slots[i].pci[j];
			if (pci && pci[0] && strlen(pci) == len &&
			    !strncmp(pci, dev, len)) {
				dma_slots[i].now[kind]++;
				if (kind == DL_DUMP_STREAMING)
					dma_addr(&dma_slots[i], line);
				break;
			}
		}
	}
}

/* One sample of /sys/kernel/debug/dma-api/dump. */
void dma_sample(void)
{
	unsigned int k;

	for (k = 0; k < dma_nslots; k++)
		memset(dma_slots[k].now, 0, sizeof(dma_slots[k].now));
	if (read_lines("/sys/kernel/debug/dma-api/dump", dma_count, NULL) < 0)
		return;
	dma_samples++;
	for (k = 0; k < dma_nslots; k++) {
		struct dl_dma_slot *s = &dma_slots[k];

		if (s->now[DL_DUMP_STREAMING])
			s->seen++;
		if (s->now[DL_DUMP_STREAMING] > s->streaming)
			s->streaming = s->now[DL_DUMP_STREAMING];
		if (s->now[DL_DUMP_COHERENT] > s->coherent)
			s->coherent = s->now[DL_DUMP_COHERENT];
	}
}

/*
 * Every device whose PCI address is known has shown a streaming entry in
 * some sample.  Until then the caller samples without pause: an I/O's
 * entry lives only while the I/O is in flight (behind an IOMMU, NVMe's
 * multi-segment I/O goes through dma_iova_link(), which makes no entry,
 * so only its single-page I/O shows), and one sample per 100 ms can miss
 * all of them in a short boot.
 */
int dma_all_seen(void)
{
	unsigned int k;

	for (k = 0; k < dma_nslots; k++)
		if (dma_slots[k].pci[0] && dma_slots[k].pci[0][0] &&
		    !dma_slots[k].seen)
			return 0;
	return 1;
}

void print_dma_entries(void)
{
	const struct dl_dma_slot *s;
	const char *bus;
	unsigned int k;

	for (k = 0; k < dma_nslots; k++) {
		s = &dma_slots[k];
		if (!s->pci[0] || !s->pci[0][0])
			say("dma-entries dev=%s streaming=? coherent=? samples=%u seen=?",
			    s->name, dma_samples);
		else
			say("dma-entries dev=%s streaming=%u coherent=%u samples=%u seen=%u",
			    s->name, s->streaming, s->coherent, dma_samples,
			    s->seen);
		bus = s->pci[0] ? dev_bus(s->pci[0]) : "?";
		if (!s->addrs)
			say("dma-addr dev=%s bus=%s entries=0 dma_min=? dma_max=? offset=?",
			    s->name, bus);
		else if (s->off_mixed)
			say("dma-addr dev=%s bus=%s entries=%llu dma_min=0x%llx dma_max=0x%llx offset=mixed",
			    s->name, bus, s->addrs, s->dma_min, s->dma_max);
		else
			say("dma-addr dev=%s bus=%s entries=%llu dma_min=0x%llx dma_max=0x%llx offset=0x%llx",
			    s->name, bus, s->addrs, s->dma_min, s->dma_max,
			    s->offset);
	}
}
