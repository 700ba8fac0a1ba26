// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload's pure functions: patterns, checks and parsers.  See check.h;
 * unit-tested on the host by test-check.c.
 */

#include <stdlib.h>
#include <string.h>

#include "check.h"

/* ---- options ---- */

void opts_default(struct dl_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->secs = 90;
	o->mib = 256;
	o->min_mib = ~0u;
	o->net_mib = 64;
	o->net_min_mib = ~0u;
	o->p2p_peers = 3;
	o->net = 1;
}

static int opt_match(const char *word, const char *key, const char **val)
{
	size_t len = strlen(key);

	if (strncmp(word, key, len) || word[len] != '=')
		return 0;
	*val = word + len + 1;
	return 1;
}

static void opt_uint(const char *word, const char *key, unsigned int *val)
{
	const char *v;

	if (opt_match(word, key, &v))
		*val = strtoul(v, NULL, 0);
}

/*
 * Read the dmaload.* words of @cmdline (split in place); a later word
 * wins.  The minimums are at most the amounts asked.
 */
void opts_parse(struct dl_opts *o, char *cmdline)
{
	char *word, *p;
	const char *v;
	size_t len;

	for (word = cmdline; *word; word = p) {
		for (p = word; *p && *p != ' ' && *p != '\n'; p++)
			;
		if (*p)
			*p++ = 0;
		opt_uint(word, "dmaload.secs", &o->secs);
		opt_uint(word, "dmaload.mib", &o->mib);
		opt_uint(word, "dmaload.min_mib", &o->min_mib);
		opt_uint(word, "dmaload.net_mib", &o->net_mib);
		opt_uint(word, "dmaload.net_min_mib", &o->net_min_mib);
		opt_uint(word, "dmaload.hold", &o->hold);
		opt_uint(word, "dmaload.inject", &o->inject);
		opt_uint(word, "dmaload.hotplug", &o->hotplug);
		opt_uint(word, "dmaload.p2p_mib", &o->p2p_mib);
		opt_uint(word, "dmaload.p2p_peers", &o->p2p_peers);
		opt_uint(word, "dmaload.scsi", &o->scsi);
		opt_uint(word, "dmaload.net", &o->net);
		opt_uint(word, "dmaload.buf_min_mib", &o->buf_min_mib);
		if (opt_match(word, "dmaload.canary", &v)) {
			len = strlen(v);
			if (len > sizeof(o->canary) - 1)
				len = sizeof(o->canary) - 1;
			memcpy(o->canary, v, len);
			o->canary[len] = 0;
		}
	}
	if (o->min_mib > o->mib)
		o->min_mib = o->mib;
	if (o->net_min_mib > o->net_mib)
		o->net_min_mib = o->net_mib;
}

/* ---- block data ---- */

unsigned long long blk_word(unsigned long long off, unsigned long long seed)
{
	return (off + seed) * 0x9e3779b97f4a7c15ull ^ seed;
}

/* Differs in all bits from pass to pass and from device to device. */
unsigned long long blk_seed(const char *dev, unsigned int pass)
{
	unsigned long long d = (unsigned char)dev[0] << 8 |
			       (unsigned char)(dev[0] ? dev[1] : 0);

	return (pass + 1ull) * 0xd1342543de82ef95ull ^
	       (d + 1) * 0xbf58476d1ce4e5b9ull;
}

void blk_fill(unsigned long long *p, unsigned int len, unsigned long long off,
	      unsigned long long seed)
{
	unsigned int i;

	for (i = 0; i < len / 8; i++)
		p[i] = blk_word(off + i * 8ull, seed);
}

/*
 * Compare @len bytes read from disk offset @off with the pattern of
 * @seed.  Returns the number of words that differ; the indices of the
 * first @nfirst of them go to @first.
 */
unsigned int blk_check(const unsigned long long *p, unsigned int len,
		       unsigned long long off, unsigned long long seed,
		       unsigned int *first, unsigned int nfirst)
{
	unsigned int i, bad = 0;

	for (i = 0; i < len / 8; i++) {
		if (p[i] == blk_word(off + i * 8ull, seed))
			continue;
		if (bad < nfirst)
			first[bad] = i;
		bad++;
	}
	return bad;
}

/* ---- network frames ---- */

/* Frame length for sequence number @seq: DL_NET_MIN bytes up to @max. */
unsigned int net_len(unsigned int seq, unsigned int max)
{
	unsigned int h = seq * 2654435761u;

	switch (seq & 7) {
	case 0:
		return DL_NET_MIN;
	case 1:
		return max;
	default:
		return DL_NET_MIN + (h >> 8) % (max - DL_NET_MIN + 1);
	}
}

unsigned int net_word(unsigned int seq, unsigned int i)
{
	return (seq * 0x9e3779b1u) ^ (i * 0x85ebca77u) ^ 0x5a5a0000u;
}

/*
 * Frame layout: Ethernet header, 2 bytes of padding, then 32-bit words:
 * magic, sequence number, frame length, pattern words, and pattern bytes
 * up to the frame length.  @f is 4-byte aligned.
 */
void net_build(unsigned char *f, const unsigned char *src,
	       const unsigned char *dst, unsigned short proto,
	       unsigned int seq, unsigned int len)
{
	unsigned int *w = (unsigned int *)(f + 16);
	unsigned int i, n = (len - 16) / 4, v;

	memcpy(f, dst, DL_ETH_ALEN);
	memcpy(f + DL_ETH_ALEN, src, DL_ETH_ALEN);
	f[12] = proto >> 8;
	f[13] = proto & 0xff;
	f[14] = 0;
	f[15] = 0;
	w[0] = DL_NET_MAGIC;
	w[1] = seq;
	w[2] = len;
	for (i = 3; i < n; i++)
		w[i] = net_word(seq, i);
	v = net_word(seq, n);
	for (i = 16 + n * 4; i < len; i++, v >>= 8)
		f[i] = v & 0xff;
}

/*
 * Is the @len bytes frame at @f one that net_build() made from @src to
 * @dst for its own sequence number?  Returns 0 and sets @seq if so, -1 if
 * anything differs (length, addresses, type, magic, payload).
 */
int net_verify(const unsigned char *f, unsigned int len,
	       const unsigned char *src, const unsigned char *dst,
	       unsigned short proto, unsigned int *seq)
{
	const unsigned int *w = (const unsigned int *)(f + 16);
	unsigned int i, n = (len - 16) / 4, v;

	if (len < DL_NET_MIN || len > DL_NET_MAX ||
	    w[0] != DL_NET_MAGIC || w[2] != len)
		return -1;
	if (memcmp(f, dst, DL_ETH_ALEN) ||
	    memcmp(f + DL_ETH_ALEN, src, DL_ETH_ALEN) ||
	    f[12] != proto >> 8 || f[13] != (proto & 0xff) || f[14] || f[15])
		return -1;
	for (i = 3; i < n; i++) {
		if (w[i] != net_word(w[1], i))
			return -1;
	}
	v = net_word(w[1], n);
	for (i = 16 + n * 4; i < len; i++, v >>= 8) {
		if (f[i] != (v & 0xff))
			return -1;
	}
	*seq = w[1];
	return 0;
}

/* ---- the window of sequence numbers seen ---- */

static int seen_test_set(struct dl_seen *sn, unsigned int seq)
{
	unsigned int i = seq % DL_NET_SEEN;
	unsigned long long bit = 1ull << (i % 64);
	int was;

	was = !!(sn->bits[i / 64] & bit);
	sn->bits[i / 64] |= bit;
	return was;
}

static void seen_clear(struct dl_seen *sn, unsigned int seq)
{
	unsigned int i = seq % DL_NET_SEEN;

	sn->bits[i / 64] &= ~(1ull << (i % 64));
}

/*
 * QEMU's net queues may deliver a frame they held back after a later one,
 * so frames may arrive out of order; they count as received.  Returns 1
 * for a new sequence number, 0 for one seen before (or fallen out of the
 * window: older than DL_NET_SEEN frames).
 */
int seen_add(struct dl_seen *sn, unsigned int seq)
{
	if (seq < sn->base)
		return 0;
	/* Slide the window; what falls out unseen was lost. */
	while (seq - sn->base >= DL_NET_SEEN)
		seen_clear(sn, sn->base++);
	if (seen_test_set(sn, seq))
		return 0;
	while (seen_test_set(sn, sn->base)) {
		seen_clear(sn, sn->base);
		sn->base++;
	}
	/* seen_test_set() marked the first unseen one: undo that. */
	seen_clear(sn, sn->base);
	return 1;
}

/* ---- guard bytes ---- */

/* The guard byte @i bytes away from the buffer's edge, on side @side. */
static unsigned char guard_byte(unsigned int i, int side)
{
	return (unsigned char)(i * 0x9d + (side ? 0x3b : 0xc5));
}

/*
 * Fill the DL_GUARD bytes before @buf and after its @len bytes with a
 * known pattern; the memory must be there.
 */
void guard_fill(unsigned char *buf, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < DL_GUARD; i++) {
		buf[-1 - (int)i] = guard_byte(i, 0);
		buf[len + i] = guard_byte(i, 1);
	}
}

/* Returns how many guard bytes around @buf changed since guard_fill(). */
unsigned int guard_check(const unsigned char *buf, unsigned int len)
{
	unsigned int i, bad = 0;

	for (i = 0; i < DL_GUARD; i++) {
		bad += buf[-1 - (int)i] != guard_byte(i, 0);
		bad += buf[len + i] != guard_byte(i, 1);
	}
	return bad;
}

/* ---- raw system calls ---- */

/*
 * A raw system call's return value is an error: -4095..-1.  Not "< 0":
 * mremap() and mmap() return an address, which on a 32-bit kernel is
 * negative as a long from 2 GiB up.
 */
int sys_failed(unsigned long ret)
{
	return ret >= -4095UL;
}

/* ---- pagemap ---- */

/*
 * Number of physically contiguous runs in @n page frame numbers (in
 * virtual order): 1 when each frame follows the one before, @n when no
 * two neighbours are adjacent; 0 for no pages.
 */
unsigned int pfn_runs(const unsigned long long *pfn, unsigned int n)
{
	unsigned int i, runs = n ? 1 : 0;

	for (i = 1; i < n; i++)
		runs += pfn[i] != pfn[i - 1] + 1;
	return runs;
}

/* ---- kernel files ---- */

/*
 * /sys/block/NAME/stat: field 3 is sectors read, field 7 sectors
 * written (512 bytes each).  Returns 0, or -1 if the line is short.
 */
int blkstat_parse(const char *stat, unsigned long long *rd_sectors,
		  unsigned long long *wr_sectors)
{
	unsigned long long v[7];
	const char *p = stat;
	char *end;
	int i;

	for (i = 0; i < 7; i++) {
		v[i] = strtoull(p, &end, 10);
		if (end == p)
			return -1;
		p = end;
	}
	*rd_sectors = v[2];
	*wr_sectors = v[6];
	return 0;
}

/* Does @s (up to '/' or the end) look like a PCI address 0000:00:00.0? */
static int is_pci_addr(const char *s, size_t len)
{
	static const char shape[] = "hhhh:hh:hh.h";
	size_t i;

	if (len != sizeof(shape) - 1)
		return 0;
	for (i = 0; i < len; i++) {
		if (shape[i] != 'h') {
			if (s[i] != shape[i])
				return 0;
		} else if (!((s[i] >= '0' && s[i] <= '9') ||
			     (s[i] >= 'a' && s[i] <= 'f'))) {
			return 0;
		}
	}
	return 1;
}

/*
 * The PCI address of a device from its sysfs path (e.g. what the link
 * /sys/block/vda points to): the last component that is one.  Returns 0,
 * or -1 if there is none.
 */
int pci_from_path(const char *path, char *addr, size_t size)
{
	const char *p = path, *e, *found = NULL;
	size_t len = 0;

	while (*p) {
		e = strchr(p, '/');
		if (!e)
			e = p + strlen(p);
		if (is_pci_addr(p, e - p)) {
			found = p;
			len = e - p;
		}
		p = *e ? e + 1 : e;
	}
	if (!found || len >= size)
		return -1;
	memcpy(addr, found, len);
	addr[len] = 0;
	return 0;
}

/*
 * The vio unit address of a device from its sysfs path: the component
 * after "vio/" (e.g. /sys/block/sda on powerpc's pseries, whose ibmvscsi
 * controller is the vio device "2000" at .../vio/2000/host0/...), the
 * name dma-debug gives the controller.  Returns 0, or -1 if there is none.
 */
int vio_from_path(const char *path, char *addr, size_t size)
{
	const char *p = strstr(path, "/vio/"), *e;
	size_t len;

	if (!p)
		return -1;
	p += 5;
	e = strchr(p, '/');
	len = e ? (size_t)(e - p) : strlen(p);
	if (!len || len >= size)
		return -1;
	memcpy(addr, p, len);
	addr[len] = 0;
	return 0;
}

/*
 * The bus of a device named @addr by dev_pci(): "pci" for a PCI address,
 * "vio" for a vio unit address (hex digits), "?" for anything else.
 */
const char *dev_bus(const char *addr)
{
	size_t i, len = strlen(addr);

	if (is_pci_addr(addr, len))
		return "pci";
	for (i = 0; i < len; i++) {
		if (!((addr[i] >= '0' && addr[i] <= '9') ||
		      (addr[i] >= 'a' && addr[i] <= 'f')))
			return "?";
	}
	return len ? "vio" : "?";
}

/*
 * One line of /sys/kernel/debug/dma-api/dump, "DRIVER DEVICE TYPE idx
 * ...": points @dev at the device name (@devlen bytes) and returns
 * DL_DUMP_STREAMING for a streaming mapping ("single", "scatter-gather";
 * kernel/dma/debug.c's type2name), DL_DUMP_COHERENT for "coherent" and
 * "noncoherent", DL_DUMP_OTHER for anything else, -1 for a line that is
 * not an entry.
 */
int dump_parse(const char *line, const char **dev, size_t *devlen)
{
	const char *d, *t, *e;
	size_t tl;

	d = strchr(line, ' ');
	if (!d)
		return -1;
	d++;
	t = strchr(d, ' ');
	if (!t || t == d)
		return -1;
	*dev = d;
	*devlen = t - d;
	t++;
	e = strchr(t, ' ');
	if (!e || strncmp(e, " idx ", 5))
		return -1;
	tl = e - t;
	if ((tl == 6 && !strncmp(t, "single", 6)) ||
	    (tl == 14 && !strncmp(t, "scatter-gather", 14)))
		return DL_DUMP_STREAMING;
	if ((tl == 8 && !strncmp(t, "coherent", 8)) ||
	    (tl == 11 && !strncmp(t, "noncoherent", 11)))
		return DL_DUMP_COHERENT;
	return DL_DUMP_OTHER;
}

/*
 * The direction of a dma-api/dump line (dir2name in kernel/dma/debug.c):
 * DL_DIR_TO_DEVICE, DL_DIR_FROM_DEVICE, DL_DIR_BIDIRECTIONAL, or
 * DL_DIR_ANY when the line names none.
 */
int dump_dir(const char *line)
{
	if (strstr(line, " DMA_TO_DEVICE"))
		return DL_DIR_TO_DEVICE;
	if (strstr(line, " DMA_FROM_DEVICE"))
		return DL_DIR_FROM_DEVICE;
	if (strstr(line, " DMA_BIDIRECTIONAL"))
		return DL_DIR_BIDIRECTIONAL;
	return DL_DIR_ANY;
}

/* ---- PCI peer-to-peer ---- */

/* The hex number after @key (" P=", " D=") in @line; -1 if none. */
static int hex_field(const char *line, const char *key,
		     unsigned long long *val)
{
	const char *p = strstr(line, key);
	char *end;

	if (!p)
		return -1;
	p += strlen(key);
	*val = strtoull(p, &end, 16);
	return end == p ? -1 : 0;
}

/*
 * The physical (P=) and DMA (D=) addresses of a dma-api/dump entry:
 * returns 0, or -1 when the line has either missing.
 */
int dump_addrs(const char *line, unsigned long long *phys,
	       unsigned long long *dma)
{
	if (hex_field(line, " P=", phys) || hex_field(line, " D=", dma))
		return -1;
	return 0;
}

/*
 * One line of dma-api/dump: if it is an entry of the device named @pci
 * whose physical address (P=) lies in [@lo, @hi], return its type,
 * DL_P2P_SINGLE ("single"), DL_P2P_SG ("scatter-gather"),
 * DL_P2P_RESOURCE ("resource": dma_map_resource(), or DMA_ATTR_MMIO) or
 * DL_P2P_OTHER, and set @dma_is_phys to whether its DMA address (D=)
 * equals P= (a 1:1 mapping: dma-direct); -1 for any other line.
 */
int dump_p2p(const char *line, const char *pci, unsigned long long lo,
	     unsigned long long hi, int *dma_is_phys)
{
	unsigned long long p, d;
	const char *dev, *t;
	size_t len;

	if (dump_parse(line, &dev, &len) < 0 || strlen(pci) != len ||
	    strncmp(dev, pci, len))
		return -1;
	if (hex_field(line, " P=", &p) || p < lo || p > hi)
		return -1;
	*dma_is_phys = !hex_field(line, " D=", &d) && d == p;
	t = dev + len + 1;
	if (!strncmp(t, "single ", 7))
		return DL_P2P_SINGLE;
	if (!strncmp(t, "scatter-gather ", 15))
		return DL_P2P_SG;
	if (!strncmp(t, "resource ", 9))
		return DL_P2P_RESOURCE;
	return DL_P2P_OTHER;
}

/*
 * A PCI device's sysfs "resource" file: one line per resource, "start
 * end flags" in hex.  Returns the index of the first line whose range
 * holds @phys and sets @lo and @hi to it; -1 if none does.
 */
int resource_find(const char *text, unsigned long long phys,
		  unsigned long long *lo, unsigned long long *hi)
{
	unsigned long long s, e;
	const char *p = text;
	char *end;
	int i;

	for (i = 0; *p; i++) {
		s = strtoull(p, &end, 16);
		if (end == p)
			return -1;
		p = end;
		e = strtoull(p, &end, 16);
		if (end == p)
			return -1;
		if (s && s <= phys && phys <= e) {
			*lo = s;
			*hi = e;
			return i;
		}
		p = strchr(end, '\n');
		if (!p)
			return -1;
		p++;
	}
	return -1;
}

/*
 * One line of intel-iommu's debugfs domain_translation_struct: for a
 * leaf, "0xIOVA_PFN |" and the page-table entries down to the leaf, in
 * hex; sets @phys to the address the last one points at (bits 12-51)
 * and returns 0, or -1 for any other line (the headers).
 */
int pte_phys(const char *line, unsigned long long *phys)
{
	const char *p = line, *last = NULL;
	unsigned long long v;
	char *end;

	if (strncmp(line, "0x", 2) || !strstr(line, " |"))
		return -1;
	p = strchr(line, '|') + 1;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		last = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (!last)
		return -1;
	v = strtoull(last, &end, 16);
	if (end == last)
		return -1;
	*phys = v & 0x000ffffffffff000ull;
	return 0;
}

/*
 * What dma-debug showed of a peer's mappings into the provider's BAR
 * while its P2P I/O ran, from the counts by DL_P2P_* type in @n over
 * @samples samples: "mmio" (resource entries: DMA_ATTR_MMIO), "page"
 * (single or scatter-gather: mapped like RAM), "mixed" (both), "other",
 * "none" (no entry: a PCI bus address, or an IOVA linked with
 * dma_iova_link(), which dma-debug does not see) or "unknown" (no
 * sample).
 */
const char *p2p_map(const unsigned int *n, unsigned int samples)
{
	unsigned int page = n[DL_P2P_SINGLE] + n[DL_P2P_SG];

	if (!samples)
		return "unknown";
	if (n[DL_P2P_RESOURCE] && page)
		return "mixed";
	if (n[DL_P2P_RESOURCE])
		return "mmio";
	if (page)
		return "page";
	if (n[DL_P2P_OTHER])
		return "other";
	return "none";
}

/*
 * A peer's result: "pass" (at least @min bytes verified over P2P, nothing
 * @bad: mismatches, errors, guard bytes), "short" (less, nothing bad),
 * "refused" (every P2P I/O failed cleanly, none verified, while @ram_ios
 * I/Os of the same peer to RAM worked: the kernel will not map that
 * path) or "fail" (anything else, some refused and some not among them).
 */
const char *p2p_result(unsigned long long bytes, unsigned long long min,
		       unsigned long long bad, unsigned long long refused,
		       unsigned long long ram_ios)
{
	if (bad || !min)
		return "fail";
	if (refused)
		return !bytes && ram_ios ? "refused" : "fail";
	return bytes >= min ? "pass" : "short";
}
