// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload: the PCI peer-to-peer load (dmaload.p2p_mib=N).
 *
 * An NVMe controller with a controller memory buffer publishes it as
 * p2pmem (CONFIG_PCI_P2PDMA); mapping /sys/bus/pci/devices/<it>/p2pmem/
 * allocate gives user space pages of that BAR.  For each peer NVMe
 * controller, found by serial (DL_P2P_SERIAL_*), this moves data between
 * such a buffer and the peer's namespace with O_DIRECT, so that the peer
 * itself reads from and writes to the provider's BAR:
 *
 *   CMB -> disk  the pattern is written into the buffer through the
 *                mapping, written to the peer from there (the peer reads
 *                the BAR), read back into RAM and compared;
 *   disk -> CMB  the pattern is written to the peer from RAM, read from
 *                the peer into the buffer (the peer writes the BAR) and
 *                compared through the mapping.
 *
 * Sizes and buffer offsets cycle through a schedule of sub-page (512
 * byte steps), page-crossing and multi-page transfers; guard bytes
 * around every transfer in the BAR are checked after it.  Only the
 * bytes that crossed the BAR count as verified.
 *
 * Meanwhile a child process samples /sys/kernel/debug/dma-api/dump and
 * counts the peer's entries whose physical address lies in the BAR, by
 * type: that is the kernel's own record of how it mapped the P2P pages
 * (none for a PCI bus address, PCI_P2PDMA_MAP_BUS_ADDR, which is not a
 * DMA API mapping; "single" or "scatter-gather" for a host-bridge page
 * mapped like RAM; "resource" for one mapped with DMA_ATTR_MMIO; none
 * either for an IOVA linked with dma_iova_link()).
 *
 * A P2P I/O that fails, while the peer's I/O to RAM works, counts as
 * refused (the kernel would not map that path, e.g. a host-bridge page
 * under swiotlb=force); after DL_P2P_REFUSALS of them and no verified
 * byte the peer stops, with result=refused.  The lines are described at
 * the top of main.c.
 */

#include "dmaload.h"

#define DL_P2P_SERIAL_BUS	"dlp2pbus"
#define DL_P2P_SERIAL_HB	"dlp2phb"
#define DL_P2P_WAIT		20000	/* ms for the devices to show */
#define DL_P2P_REFUSALS		4	/* refused I/Os that end a peer */
#define DL_P2P_REGION		(32u << 20)
#define DL_P2P_STUCK		10000	/* ms: an I/O this old is stuck */
#define DL_P2P_SEEK		4	/* times p2p_mib to look for a trace */
#define DL_PFN_MASK		((1ull << 55) - 1)

/* Size and offset in the buffer: 512-byte steps, pages, page crossing. */
static const struct {
	unsigned int size;
	unsigned int bufoff;
} dl_p2p_sched[] = {
	{ 512, 0x200 },
	{ 4096, 0 },
	{ 4096, 0x200 },
	{ 8192 + 512, 0xe00 },
	{ 65536, 0 },
	{ 1536, 0xc00 },
	{ 262144 + 512, 0x200 },
	{ 1048576, 0 },
	{ 131072, 0x400 },
};

#define DL_P2P_NSCHED	ARRAY_SIZE(dl_p2p_sched)

static const struct {
	const char *name;
	const char *serial;
} dl_p2p_roles[DL_P2P_PEERS] = {
	{ "p2p-bus", DL_P2P_SERIAL_BUS },
	{ "p2p-host-bridge", DL_P2P_SERIAL_HB },
};

struct dl_find {
	const char *serial;
	char *name;
	size_t size;
	int found;
};

/*
 * The NVMe namespace (in /sys/block) of the controller with serial
 * @serial, into @name.  Returns 0, or -1 (and @name untouched) if none.
 */
int nvme_by_serial(const char *serial, char *name, size_t size)
{
	char path[96], buf[64];
	struct dirent ent, *de;
	int found = -1;
	DIR *dir;

	dir = opendir("/sys/block");
	if (!dir)
		return -1;
	while (found && !readdir_r(dir, &ent, &de) && de) {
		if (strncmp(de->d_name, "nvme", 4))
			continue;
		snprintf(path, sizeof(path), "/sys/block/%s/device/serial",
			 de->d_name);
		if (read_file(path, buf, sizeof(buf)) <= 0 ||
		    strcmp(buf, serial))
			continue;
		copy_str(name, de->d_name, size);
		found = 0;
	}
	closedir(dir);
	return found;
}

/* The first PCI device whose p2pmem is published, into @pci. */
static int p2p_provider(char *pci, size_t size)
{
	char path[128], buf[16];
	struct dirent ent, *de;
	int found = -1;
	DIR *dir;

	dir = opendir("/sys/bus/pci/devices");
	if (!dir)
		return -1;
	while (found && !readdir_r(dir, &ent, &de) && de) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path),
			 "/sys/bus/pci/devices/%s/p2pmem/published", de->d_name);
		if (read_file(path, buf, sizeof(buf)) > 0 && !strcmp(buf, "1")) {
			copy_str(pci, de->d_name, size);
			found = 0;
		}
	}
	closedir(dir);
	return found;
}

/* Physical address of the page mapped at @va; 0 if pagemap cannot tell. */
static unsigned long long virt_phys(const void *va)
{
	unsigned long page = getpagesize(), v = (unsigned long)va;
	unsigned long long ent = 0;
	int fd;

	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return 0;
	if (seek_to(fd, v / page * sizeof(ent)) < 0 ||
	    read(fd, &ent, sizeof(ent)) != sizeof(ent))
		ent = 0;
	close(fd);
	if (!(ent >> 63))
		return 0;
	return (ent & DL_PFN_MASK) * page + v % page;
}

/* ---- sampling dma-debug ---- */

struct dl_sample {
	struct dl_p2p_peer *p;
	unsigned int now[DL_P2P_TYPES], same;
};

static void p2p_count(const char *line, void *arg)
{
	struct dl_sample *s = arg;
	int type, same;

	type = dump_p2p(line, s->p->pci, shared->p2p.lo, shared->p2p.hi,
			&same);
	if (type < 0)
		return;
	s->now[type]++;
	s->same += same;
}

static void p2p_pte(const char *line, void *arg)
{
	unsigned int *n = arg;
	unsigned long long phys;

	if (!pte_phys(line, &phys) && phys >= shared->p2p.lo &&
	    phys <= shared->p2p.hi)
		(*n)++;
}

/*
 * The sampler: until told to stop, as often as it can.  Behind
 * intel-iommu also the peer's IOMMU page tables: dma_iova_link() leaves
 * no dma-debug entry, but its IOVAs of the BAR are there while the I/O
 * runs (iommu.strict=1 unmaps them at once).
 */
static void p2p_sampler(struct dl_p2p_peer *p)
{
	struct dl_sample s = { .p = p };
	unsigned int i, pte;
	char path[128];

	snprintf(path, sizeof(path),
		 "/sys/kernel/debug/iommu/intel/%s/domain_translation_struct",
		 p->pci);

	while (!__atomic_load_n(&p->stop_sampler, __ATOMIC_ACQUIRE)) {
		memset(s.now, 0, sizeof(s.now));
		s.same = 0;
		if (read_lines("/sys/kernel/debug/dma-api/dump", p2p_count,
			       &s) < 0)
			break;
		for (i = 0; i < DL_P2P_TYPES; i++)
			p->n[i] += s.now[i];
		p->dma_is_phys += s.same;
		p->samples++;
		pte = 0;
		if (!read_lines(path, p2p_pte, &pte)) {
			p->iommu_samples++;
			p->iommu_pte += pte;
		}
		my_syscall0(__NR_sched_yield);
	}
	_exit(0);
}

/* ---- the load ---- */

struct dl_p2p_io {
	struct dl_p2p_peer *p;
	int fd;
	unsigned char *cmb;	/* the p2pmem buffer, DL_BUF_SIZE */
	unsigned char *ram;	/* a RAM buffer, DL_BUF_SIZE */
};

/*
 * One O_DIRECT transfer; @p2p says the buffer is in the BAR.  Returns 0,
 * or -1 after counting the failure: a refusal for a P2P I/O that failed
 * outright, an error for anything else.
 */
static int p2p_rw(struct dl_p2p_io *io, int wr, unsigned char *buf,
		  unsigned int len, unsigned long long off, int p2p)
{
	struct dl_p2p_peer *p = io->p;
	long ret;

	__atomic_store_n(&p->io_since, now_ms(), __ATOMIC_RELEASE);
	if (seek_to(io->fd, off) < 0) {
		ret = -errno;
	} else {
		ret = wr ? write(io->fd, buf, len) : read(io->fd, buf, len);
		if (ret < 0)
			ret = -errno;
	}
	__atomic_store_n(&p->io_since, 0, __ATOMIC_RELEASE);
	if (ret == (long)len) {
		if (!p2p)
			p->ram_ios++;
		return 0;
	}
	if (p2p && ret < 0) {
		if (!p->refused)
			p->refused_errno = -ret;
		if (p->refused < DL_REPORT)
			say("%s: P2P %s off=0x%llx len=%u refused: %ld",
			    p->name, wr ? "write" : "read", off, len, ret);
		p->refused++;
		return -1;
	}
	if (p->errors < DL_REPORT)
		say("%s: %s%s off=0x%llx len=%u returned %ld", p->name,
		    p2p ? "P2P " : "", wr ? "write" : "read", off, len, ret);
	p->errors++;
	return -1;
}

/*
 * Fill @len bytes with 64-bit stores: the buffer may be MMIO, where a
 * byte-wise memset() would take eight times the exits under TCG.
 */
static void fill_words(unsigned char *buf, unsigned int len,
		       unsigned long long v)
{
	unsigned long long *w = (void *)buf;
	unsigned int i;

	for (i = 0; i < len / 8; i++)
		__atomic_store_n(&w[i], v, __ATOMIC_RELAXED);
}

static void p2p_compare(struct dl_p2p_peer *p, const unsigned char *buf,
			unsigned int len, unsigned long long off,
			unsigned long long seed, const char *how)
{
	unsigned int first[DL_REPORT], bad, i;
	const unsigned long long *w = (const void *)buf;

	bad = blk_check(w, len, off, seed, first, DL_REPORT);
	for (i = 0; i < bad && i < DL_REPORT &&
	     p->mismatches + i < DL_REPORT; i++)
		say("%s: %s mismatch off=0x%llx want=0x%llx got=0x%llx",
		    p->name, how, off + first[i] * 8ull,
		    blk_word(off + first[i] * 8ull, seed), w[first[i]]);
	p->mismatches += bad;
}

static void p2p_guard(struct dl_p2p_peer *p, const unsigned char *buf,
		      unsigned int len, unsigned long long off)
{
	unsigned int bad = guard_check(buf, len);

	if (!bad)
		return;
	if (p->guard_bad < DL_REPORT)
		say("%s: %u guard bytes changed in the BAR around off=0x%llx len=%u",
		    p->name, bad, off, len);
	p->guard_bad++;
}

/* CMB -> disk: the peer reads the BAR. */
static void p2p_to_disk(struct dl_p2p_io *io, unsigned int bufoff,
			unsigned int len, unsigned long long off,
			unsigned long long seed)
{
	unsigned char *c = io->cmb + bufoff, *r = io->ram + bufoff;

	blk_fill((void *)c, len, off, seed);
	guard_fill(c, len);
	if (p2p_rw(io, 1, c, len, off, 1))
		return;
	p2p_guard(io->p, c, len, off);
	fill_words(r, len, 0xa5a5a5a5a5a5a5a5ull);
	if (p2p_rw(io, 0, r, len, off, 0))
		return;
	p2p_compare(io->p, r, len, off, seed, "CMB->disk");
	io->p->bytes += len;
}

/* disk -> CMB: the peer writes the BAR. */
static void p2p_from_disk(struct dl_p2p_io *io, unsigned int bufoff,
			  unsigned int len, unsigned long long off,
			  unsigned long long seed)
{
	unsigned char *c = io->cmb + bufoff, *r = io->ram + bufoff;

	blk_fill((void *)r, len, off, seed);
	if (p2p_rw(io, 1, r, len, off, 0))
		return;
	fill_words(c, len, 0x5a5a5a5a5a5a5a5aull);
	guard_fill(c, len);
	if (p2p_rw(io, 0, c, len, off, 1))
		return;
	p2p_guard(io->p, c, len, off);
	p2p_compare(io->p, c, len, off, seed, "disk->CMB");
	io->p->bytes += len;
}

/* Has the sampler seen the kernel map the BAR for @p (either way)? */
static int p2p_seen(struct dl_p2p_peer *p)
{
	unsigned int i, n = __atomic_load_n(&p->iommu_pte, __ATOMIC_RELAXED);

	for (i = 0; i < DL_P2P_TYPES; i++)
		n += __atomic_load_n(&p->n[i], __ATOMIC_RELAXED);
	return n > 0;
}

/*
 * Move data with one peer.  The host-bridge peer's mappings live only
 * while its I/O runs, and the sampler can miss them all in a short run
 * on a busy machine: that peer goes on (up to DL_P2P_SEEK times its
 * minimum) until the sampler has seen one.  A bus address leaves no
 * trace to look for.
 */
static void p2p_peer(struct dl_p2p_peer *p, unsigned char *cmb,
		     unsigned char *ram, int seek)
{
	struct dl_p2p_io io = { .p = p, .cmb = cmb, .ram = ram };
	unsigned long long sectors, region, off = 0, seed;
	unsigned int i, len;
	char path[96];
	int ok, status;
	pid_t pid;

	snprintf(path, sizeof(path), "/sys/block/%s/size", p->disk);
	sectors = read_ull(path, &ok);
	region = sectors * 512 < DL_P2P_REGION ? sectors * 512 : DL_P2P_REGION;
	snprintf(path, sizeof(path), "/dev/%s", p->disk);
	io.fd = open(path, O_RDWR | O_DIRECT);
	if (!ok || region < DL_MAX_IO || io.fd < 0) {
		say("%s: cannot use %s", p->name, p->disk);
		p->errors++;
		return;
	}
	pid = fork();
	if (pid == 0)
		p2p_sampler(p);
	for (i = 0; p->bytes < p->min || (seek && !p2p_seen(p) &&
					  p->bytes < DL_P2P_SEEK * p->min);
	     i++) {
		len = dl_p2p_sched[i % DL_P2P_NSCHED].size;
		if (off + len > region)
			off = 0;
		seed = blk_seed(p->name, i);
		if (i & 1)
			p2p_from_disk(&io, dl_p2p_sched[i % DL_P2P_NSCHED].bufoff,
				      len, off, seed);
		else
			p2p_to_disk(&io, dl_p2p_sched[i % DL_P2P_NSCHED].bufoff,
				    len, off, seed);
		off += len;
		if (p->refused >= DL_P2P_REFUSALS && !p->bytes)
			break;
		if (p->errors >= DL_MAX_ERRORS || now_ms() >= deadline_ms())
			break;
	}
	__atomic_store_n(&p->stop_sampler, 1, __ATOMIC_RELEASE);
	if (pid > 0)
		waitpid(pid, &status, 0);
	close(io.fd);
}

/* The provider, its buffer and the BAR that holds it; 0 or -1. */
static int p2p_setup(unsigned char **cmb)
{
	struct dl_p2p *pp = &shared->p2p;
	unsigned long page = getpagesize(), n = DL_BUF_SIZE / page + 2, i;
	unsigned long long phys;
	char path[128], res[1024];
	unsigned char *map;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/p2pmem/allocate",
		 pp->pci);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		copy_str(pp->why, "cannot open p2pmem/allocate", sizeof(pp->why));
		return -1;
	}
	map = mmap(NULL, n * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		snprintf(pp->why, sizeof(pp->why), "mmap p2pmem: %d", errno);
		return -1;
	}
	/* Touch every page: the mapping is populated on fault. */
	fill_words(map, n * page, 0);
	pp->buf_phys = virt_phys(map + page);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource",
		 pp->pci);
	if (!pp->buf_phys || read_file(path, res, sizeof(res)) <= 0) {
		copy_str(pp->why, "no physical address of the p2pmem buffer",
			 sizeof(pp->why));
		return -1;
	}
	pp->bar = resource_find(res, pp->buf_phys, &pp->lo, &pp->hi);
	if (pp->bar < 0) {
		copy_str(pp->why, "p2pmem buffer outside the provider's BARs",
			 sizeof(pp->why));
		return -1;
	}
	/* Every page of the buffer and its guards must be in that BAR. */
	pp->buf_pages = n;
	for (i = 0; i < n; i++) {
		phys = virt_phys(map + i * page);
		pp->buf_in_bar += phys >= pp->lo && phys <= pp->hi;
	}
	*cmb = map + page;
	return 0;
}

void p2p_worker(void)
{
	struct dl_p2p *pp = &shared->p2p;
	unsigned long long end = now_ms() + DL_P2P_WAIT;
	unsigned char *cmb, *ram;
	struct dl_p2p_peer *p;
	unsigned int i, left;
	char path[96];

	for (i = 0; i < DL_P2P_PEERS; i++) {
		p = &pp->peer[i];
		copy_str(p->name, dl_p2p_roles[i].name, sizeof(p->name));
		copy_str(p->group, "none", sizeof(p->group));
		p->min = MIB(opts.p2p_mib);
	}
	/* Namespaces and p2pmem come with asynchronous probing. */
	do {
		left = p2p_provider(pp->pci, sizeof(pp->pci)) ? 1 : 0;
		for (i = 0; i < DL_P2P_PEERS; i++)
			left += (opts.p2p_peers & 1u << i) &&
				nvme_by_serial(dl_p2p_roles[i].serial,
					       pp->peer[i].disk,
					       sizeof(pp->peer[i].disk));
		if (left)
			sleep_ms(50);
	} while (left && now_ms() < end);
	if (!pp->pci[0]) {
		copy_str(pp->why, "no published p2pmem", sizeof(pp->why));
		return;
	}
	ram = map_private(DL_BUF_SIZE + 2 * getpagesize());
	if (!ram || p2p_setup(&cmb)) {
		if (!ram)
			copy_str(pp->why, "out of memory", sizeof(pp->why));
		return;
	}
	ram += getpagesize();
	pp->found = 1;
	for (i = 0; i < DL_P2P_PEERS; i++) {
		p = &pp->peer[i];
		if (!p->disk[0] || !(opts.p2p_peers & 1u << i))
			continue;
		blk_pci_addr(p->disk, p->pci, sizeof(p->pci));
		snprintf(path, sizeof(path),
			 "/sys/block/%s/device/device/iommu_group/type",
			 p->disk);
		if (read_file(path, p->group, sizeof(p->group)) <= 0)
			copy_str(p->group, "none", sizeof(p->group));
		p->state = 1;
		p2p_peer(p, cmb, ram, i == 1);
		p->secs = elapsed_secs();
		p->state = 2;
		say("%s: %llu MiB over P2P with %s", p->name, p->bytes >> 20,
		    p->disk);
	}
}

/*
 * Is a P2P I/O stuck: in flight for DL_P2P_STUCK ms?  (A request the
 * block layer requeues forever, e.g. 6.17.8's BLK_STS_RESOURCE for a
 * host-bridge P2P page that dma-direct will not bounce.)
 */
int p2p_stuck(void)
{
	unsigned long long t;
	unsigned int i;

	for (i = 0; i < DL_P2P_PEERS; i++) {
		t = __atomic_load_n(&shared->p2p.peer[i].io_since,
				    __ATOMIC_ACQUIRE);
		if (t && now_ms() - t >= DL_P2P_STUCK) {
			say("%s: a P2P I/O in flight for %llu ms, stuck",
			    shared->p2p.peer[i].name, now_ms() - t);
			return 1;
		}
	}
	return 0;
}

/* The p2p lines; see the top of main.c. */
void print_p2p(int *bad)
{
	const struct dl_p2p *pp = &shared->p2p;
	const struct dl_p2p_peer *p;
	const char *res;
	unsigned int i;

	if (!pp->found) {
		say("p2p provider pci=%s bar=? start=? end=? buf_phys=? buf_pages=0 in_bar=0 why=\"%s\"",
		    pp->pci[0] ? pp->pci : "?", pp->why);
		*bad = 1;
	} else {
		say("p2p provider pci=%s bar=%d start=0x%llx end=0x%llx buf_phys=0x%llx buf_pages=%u in_bar=%u",
		    pp->pci, pp->bar, pp->lo, pp->hi, pp->buf_phys,
		    pp->buf_pages, pp->buf_in_bar);
	}
	for (i = 0; i < DL_P2P_PEERS; i++) {
		p = &pp->peer[i];
		if (!(opts.p2p_peers & 1u << i))
			continue;
		res = p2p_result(p->bytes, p->min, p->mismatches + p->errors +
				 p->guard_bad + (p->state != 2),
				 p->refused, p->ram_ios);
		if (!strcmp(res, "fail") || !strcmp(res, "short"))
			*bad = 1;
		say("p2p dev=%s disk=%s pci=%s iommu_group=%s bytes=%llu mismatches=%llu errors=%llu refused=%llu refused_errno=%d guard_bad=%llu min_bytes=%llu secs=%u result=%s",
		    p->name, p->disk[0] ? p->disk : "?",
		    p->pci[0] ? p->pci : "?", p->group, p->bytes,
		    p->mismatches, p->errors, p->refused, p->refused_errno,
		    p->guard_bad, p->min, p->secs,
		    p->state == 2 ? res : p->state ? "hung" : "fail");
		say("p2p-map dev=%s samples=%u single=%u sg=%u resource=%u other=%u dma_is_phys=%u map=%s iommu_samples=%u iommu_pte=%u",
		    p->name, p->samples, p->n[DL_P2P_SINGLE], p->n[DL_P2P_SG],
		    p->n[DL_P2P_RESOURCE], p->n[DL_P2P_OTHER],
		    p->dma_is_phys, p2p_map(p->n, p->samples),
		    p->iommu_samples, p->iommu_pte);
	}
}
