// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload: the block load.  O_DIRECT writes, then O_DIRECT reads of the
 * same region, compared word by word (check.c's blk_*), on buffers made
 * of physically discontiguous pages, with guard bytes around every
 * transfer.
 */

#include "dmaload.h"

#define DL_PFN_MASK	((1ull << 55) - 1)	/* pagemap bits 0-54 */
#define DL_STAT_EVERY	8	/* I/Os between two reads of .../stat */

/*
 * One cycle of block I/O: size and buffer offset inside the page aligned
 * buffer.  Sub-page (page + 0x200), one page, page crossing, and multi-page
 * scatter-gather lists up to 1 MiB, one of them not page sized.
 */
static const struct dl_sched {
	unsigned int size;
	unsigned int bufoff;
} dl_sched[] = {
	{ 512, 0x200 },
	{ 4096, 0 },
	{ 65536, 0 },
	{ 4096, 0x200 },
	{ 262144 + 512, 0x200 },
	{ 8192 + 512, 0xe00 },
	{ 1048576, 0 },
	{ 3584, 0x200 },
	{ 131072, 0x400 },
};

#define DL_NSCHED	ARRAY_SIZE(dl_sched)

/* A transfer buffer and where its pages are. */
struct dl_buf {
	unsigned char *p;		/* DL_BUF_SIZE bytes, page aligned */
	unsigned long long *pfn;	/* per page, or NULL: unknown */
};

/* One block worker. */
struct dl_blk {
	struct dl_dev *d;
	int fd;
	char name[32];		/* changes when the NVMe comes back */
	struct dl_buf w, r;
	unsigned int lbs;
	unsigned int since_stat;
};

/*
 * The page frame numbers of @n pages at @va from /proc/self/pagemap (PFNs
 * are shown to root only), read in one go.  Returns 0, or -1 when pagemap
 * cannot tell.
 */
static int page_frames(const void *va, unsigned int n,
		       unsigned long long *pfn)
{
	unsigned long page = getpagesize(), v = (unsigned long)va;
	size_t len = (size_t)n * sizeof(*pfn), got = 0;
	unsigned long long any = 0;
	unsigned int i;
	ssize_t r = 0;
	int fd;

	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return -1;
	if (seek_to(fd, v / page * sizeof(*pfn)) < 0)
		got = len + 1;
	while (got < len) {
		r = read(fd, (char *)pfn + got, len - got);
		if (r <= 0)
			break;
		got += r;
	}
	close(fd);
	if (got != len)
		return -1;
	for (i = 0; i < n; i++) {
		if (!(pfn[i] >> 63))
			return -1;
		pfn[i] &= DL_PFN_MASK;
		any |= pfn[i];
	}
	/*
	 * Hidden PFNs read as 0; one frame 0 among others is real where RAM
	 * starts at physical 0 (sparc64 sun4u).
	 */
	return any ? 0 : -1;
}

#define DL_POOL_CHUNK_MIB	16	/* with dmaload.buf_min_mib */

/*
 * The @n source pages of a buffer, in @src: from a populated pool of
 * @np pages (returned, for munmap()), @run in a row, then one skipped.
 *
 * With dmaload.buf_min_mib=N only pages whose frame (/proc/self/pagemap)
 * lies at or above N MiB count, and the pool grows DL_POOL_CHUNK_MIB at a
 * time until there are enough of them.  The pages passed over stay
 * mapped, so that no later chunk, nor another worker, gets them back: the
 * page allocator hands out the fragmented low memory first, so the first
 * worker holds most of it (up to N MiB) and the others find their pages
 * at once.  Those pools are never unmapped (NULL is returned).
 */
static unsigned char *pool_pick(unsigned char **src, unsigned int n,
				unsigned int run, unsigned int np)
{
	unsigned long long min = (unsigned long long)opts.buf_min_mib << 20;
	unsigned long page = getpagesize();
	unsigned int got = 0, seen = 0, chunk = np, i;
	unsigned long long *pfn = NULL, total = 0;
	unsigned char *pool;

	if (min) {
		if (chunk < (DL_POOL_CHUNK_MIB << 20) / page)
			chunk = (DL_POOL_CHUNK_MIB << 20) / page;
		pfn = map_private((size_t)chunk * sizeof(*pfn));
		if (!pfn)
			return MAP_FAILED;
	}
	do {
		pool = mmap(NULL, (size_t)chunk * page, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (pool == MAP_FAILED)
			break;
		total += (unsigned long long)chunk * page;
		memset(pool, 0x5a, (size_t)chunk * page);
		if (min && page_frames(pool, chunk, pfn)) {
			say("buf_min_mib: pagemap shows no frames");
			break;
		}
		for (i = 0; i < chunk && got < n; i++) {
			if (min && pfn[i] * page < min)
				continue;
			if (seen++ % (run + 1) == run)
				continue;
			src[got++] = pool + (size_t)i * page;
		}
	} while (min && got < n && total < min + (512ull << 20));
	if (!min)
		return got < n ? MAP_FAILED : pool;
	munmap(pfn, (size_t)chunk * sizeof(*pfn));
	if (got < n) {
		say("buf_min_mib: %u of %u pages at or above %u MiB in %llu MiB",
		    got, n, opts.buf_min_mib, total >> 20);
		return MAP_FAILED;
	}
	return NULL;
}

/*
 * A DL_BUF_SIZE buffer with a guard page on each side whose neighbouring
 * pages are, on purpose, not neighbours in physical memory: the pages are
 * taken from a populated pool (pool_pick()) and moved into one virtual
 * range with mremap() (which keeps their frames).  So an I/O over several
 * pages needs a scatter-gather list of several segments, of @run pages
 * at most.  If mremap() fails, the pool itself is the buffer (and the sg
 * line says how fragmented it happens to be), unless dmaload.buf_min_mib
 * asks for the pages' frames: then the buffer fails.
 */
static int buf_build(struct dl_buf *b, unsigned int run)
{
	unsigned long page = getpagesize();
	unsigned int n = DL_BUF_SIZE / page + 2, np = n + n / run + 1, i;
	unsigned char **src, *area, *pool;
	unsigned long ret = 0;

	area = map_private((size_t)n * page);
	src = map_private((size_t)n * sizeof(*src));
	if (!area || !src)
		return -1;
	pool = pool_pick(src, n, run, np);
	if (pool == MAP_FAILED)
		return -1;
	for (i = 0; i < n && !sys_failed(ret); i++)
		ret = my_syscall5(__NR_mremap, src[i], page, page,
				  MREMAP_MAYMOVE | MREMAP_FIXED,
				  area + (size_t)i * page);
	munmap(src, (size_t)n * sizeof(*src));
	if (sys_failed(ret)) {
		/* Pages already moved left holes in both: start afresh. */
		say("mremap: %ld, buffers not fragmented on purpose",
		    (long)ret);
		if (!pool)
			return -1;
		munmap(area, (size_t)n * page);
		munmap(pool, (size_t)np * page);
		area = mmap(NULL, (size_t)n * page, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (area == MAP_FAILED)
			return -1;
	}
	b->p = area + page;
	memset(b->p, 0, DL_BUF_SIZE);
	b->pfn = map_private(DL_BUF_SIZE / page * sizeof(*b->pfn));
	if (b->pfn && page_frames(b->p, DL_BUF_SIZE / page, b->pfn))
		b->pfn = NULL;
	return 0;
}

/* Account one I/O of @len bytes at @bufoff in @b for the sg line. */
static void sg_count(struct dl_dev *d, const struct dl_buf *b,
		     unsigned int bufoff, unsigned int len)
{
	unsigned long page = getpagesize();
	unsigned int first = bufoff / page, last = (bufoff + len - 1) / page;
	unsigned int segs;

	d->ios++;
	if (!b->pfn) {
		d->sg_unknown = 1;
		return;
	}
	segs = pfn_runs(b->pfn + first, last - first + 1);
	if (segs >= 2)
		d->multi_seg_ios++;
	if (segs > d->max_segs)
		d->max_segs = segs;
}

/* Sectors read and written so far by the disk the worker has open. */
static void stat_update(struct dl_blk *b, int start)
{
	struct dl_dev *d = b->d;
	unsigned long long rd, wr;
	char path[96], buf[256];

	b->since_stat = 0;
	snprintf(path, sizeof(path), "/sys/block/%s/stat", b->name);
	if (read_file(path, buf, sizeof(buf)) <= 0 ||
	    blkstat_parse(buf, &rd, &wr))
		return;
	if (start) {
		d->stat_rd0 = rd;
		d->stat_wr0 = wr;
	}
	d->stat_ok = 1;
	d->stat_rd = rd;
	d->stat_wr = wr;
}

/* The disk is closed: add what this incarnation moved. */
static void stat_close(struct dl_blk *b)
{
	struct dl_dev *d = b->d;

	if (!d->stat_ok)
		return;
	d->rd_sectors += d->stat_rd - d->stat_rd0;
	d->wr_sectors += d->stat_wr - d->stat_wr0;
	d->stat_rd0 = d->stat_rd;
	d->stat_wr0 = d->stat_wr;
}

static int blk_io(struct dl_blk *b, int wr, unsigned char *buf,
		  unsigned int len, unsigned long long off)
{
	struct dl_dev *d = b->d;
	long ret;

	if (seek_to(b->fd, off) < 0) {
		ret = -errno;
	} else {
		ret = wr ? write(b->fd, buf, len) : read(b->fd, buf, len);
		if (ret < 0)
			ret = -errno;
	}
	if (++b->since_stat >= DL_STAT_EVERY)
		stat_update(b, 0);
	if (ret == (long)len)
		return 0;
	if (d->hotplug && shared->hp.removals < opts.hotplug) {
		/*
		 * Maybe the controller is being removed: hp_replug() forgives
		 * the error only if its PCI device leaves sysfs soon.
		 */
		say("%s: %s off=0x%llx len=%u returned %ld, removed?",
		    d->name, wr ? "write" : "read", off, len, ret);
		shared->hp.removing++;
		d->gone = 1;
		return -1;
	}
	if (d->errors < DL_REPORT)
		say("%s: %s off=0x%llx len=%u returned %ld", d->name,
		    wr ? "write" : "read", off, len, ret);
	d->errors++;
	return -1;
}

/* Check the guard bytes around the @len bytes at @buf after an I/O. */
static void blk_guard(struct dl_dev *d, const unsigned char *buf,
		      unsigned int len, unsigned long long off, int wr)
{
	unsigned int bad = guard_check(buf, len);

	if (!bad)
		return;
	if (d->guard_bad < DL_REPORT)
		say("%s: %u guard bytes changed around the %s of off=0x%llx len=%u",
		    d->name, bad, wr ? "write" : "read", off, len);
	d->guard_bad++;
}

/* Write one chunk; @skip drops it, to test that stale data is caught. */
static void blk_write(struct dl_blk *b, unsigned int bufoff,
		      unsigned int len, unsigned long long off,
		      unsigned long long seed, int skip)
{
	unsigned char *buf = b->w.p + bufoff;

	blk_fill((void *)buf, len, off, seed);
	guard_fill(buf, len);
	if (skip) {
		say("%s: inject: not writing off=0x%llx len=%u", b->d->name,
		    off, len);
		return;
	}
	sg_count(b->d, &b->w, bufoff, len);
	if (blk_io(b, 1, buf, len, off))
		return;
	blk_guard(b->d, buf, len, off, 1);
}

/*
 * Read one chunk back and compare; @inject corrupts it (DL_INJECT_FLIP)
 * or a guard byte (DL_INJECT_GUARD), as a test.
 */
static void blk_read(struct dl_blk *b, unsigned int bufoff, unsigned int len,
		     unsigned long long off, unsigned long long seed,
		     unsigned int pass, unsigned int inject)
{
	struct dl_dev *d = b->d;
	unsigned char *buf = b->r.p + bufoff;
	unsigned int first[DL_REPORT], bad, i;
	unsigned long long *w = (void *)buf;

	memset(buf, 0xa5, len);
	guard_fill(buf, len);
	sg_count(d, &b->r, bufoff, len);
	if (blk_io(b, 0, buf, len, off))
		return;
	if (inject & DL_INJECT_FLIP) {
		say("%s: inject: flipping a bit at off=0x%llx", d->name, off);
		buf[len / 2] ^= 0x10;
	}
	if (inject & DL_INJECT_GUARD) {
		say("%s: inject: overwriting a guard byte after off=0x%llx",
		    d->name, off);
		buf[len + 3] ^= 0xff;
	}
	blk_guard(d, buf, len, off, 0);
	bad = blk_check(w, len, off, seed, first, DL_REPORT);
	for (i = 0; i < bad && i < DL_REPORT &&
	     d->mismatches + i < DL_REPORT; i++)
		say("%s: mismatch pass=%u off=0x%llx want=0x%llx got=0x%llx",
		    d->name, pass, off + first[i] * 8ull,
		    blk_word(off + first[i] * 8ull, seed), w[first[i]]);
	d->mismatches += bad;
	d->bytes += len;
}

/*
 * Write the region, then read it back with the schedule rotated, and
 * compare.  @revisit says the region was written on an earlier pass.
 * Returns 1 when the device should stop (time limit, target reached, too
 * many errors), 2 when an I/O failed on the hotplug device.
 */
static int blk_pass(struct dl_blk *b, unsigned long long base,
		    unsigned long long size, unsigned int pass, int revisit)
{
	struct dl_dev *d = b->d;
	unsigned long long seed = blk_seed(d->name, pass);
	unsigned long long off, end = base + size;
	const struct dl_sched *s;
	unsigned int i, n, len, inj;
	int wr;

	for (wr = 1; wr >= 0; wr--) {
		i = wr ? pass % DL_NSCHED : (pass + 4) % DL_NSCHED;
		for (off = base, n = 0; off < end; off += len, i++, n++) {
			s = &dl_sched[i % DL_NSCHED];
			len = 0;
			if ((s->size | s->bufoff) & (b->lbs - 1))
				continue;
			len = s->size;
			if (len > end - off)
				len = end - off;
			if (wr) {
				blk_write(b, s->bufoff, len, off, seed,
					  revisit && n == 2 &&
					  (opts.inject & DL_INJECT_STALE));
			} else {
				inj = 0;
				if (pass == 0 && n == 2)
					inj = opts.inject & DL_INJECT_FLIP;
				if (pass == 0 && n == 3)
					inj = opts.inject & DL_INJECT_GUARD;
				blk_read(b, s->bufoff, len, off, seed, pass,
					 inj);
			}
			if (d->gone)
				return 2;
			if (d->errors >= DL_MAX_ERRORS)
				return 1;
			if (now_ms() >= deadline_ms())
				return 1;
			if (!wr && d->bytes >= d->target && hp_may_stop(d))
				return 1;
		}
	}
	return 0;
}

static void blk_buffers(struct dl_blk *b)
{
	const unsigned long long *pfn[2] = { b->w.pfn, b->r.pfn };

	print_buffers(b->d, pfn, DL_BUF_SIZE / getpagesize());
}

void blk_worker(struct dl_dev *d)
{
	unsigned long long sectors, disk, region, nreg;
	struct dl_blk b = { .d = d, .fd = -1 };
	char path[96];
	unsigned int pass;
	int ok, ret;

	copy_str(b.name, d->kname, sizeof(b.name));
	snprintf(path, sizeof(path), "/sys/block/%s/size", d->kname);
	sectors = read_ull(path, &ok);
	snprintf(path, sizeof(path), "/sys/block/%s/queue/logical_block_size",
		 d->kname);
	b.lbs = read_ull(path, &ok);
	if (!ok || !b.lbs || (b.lbs & (b.lbs - 1)) || b.lbs > 4096) {
		dev_fail(d, "bad logical_block_size");
		return;
	}
	disk = sectors * 512;
	/* Stale data needs a region written twice: make that come soon. */
	region = opts.inject & DL_INJECT_STALE ? DL_REGION_STALE : DL_REGION;
	if (region > disk)
		region = disk & ~(unsigned long long)(DL_MAX_IO - 1);
	if (!region) {
		dev_fail(d, "disk too small");
		return;
	}
	nreg = disk / region;
	if (nreg > DL_MAX_REGIONS)
		nreg = DL_MAX_REGIONS;
	if (opts.inject & DL_INJECT_STALE)
		nreg = 1;

	/* Writes go out in single pages, reads come in pairs of pages. */
	if (buf_build(&b.w, 1) || buf_build(&b.r, 2)) {
		dev_fail(d, "out of memory");
		return;
	}
	blk_buffers(&b);
	if (d->hotplug &&
	    blk_pci_addr(d->kname, shared->hp.pci, sizeof(shared->hp.pci))) {
		dev_fail(d, "no PCI address to hot-unplug");
		return;
	}
	snprintf(path, sizeof(path), "/dev/%s", d->kname);
	b.fd = open(path, O_RDWR | O_DIRECT);
	if (b.fd < 0) {
		dev_fail(d, "cannot open");
		return;
	}
	stat_update(&b, 1);
	say("%s: %llu MiB, lbs %u, %llu regions of %llu MiB", d->name,
	    disk >> 20, b.lbs, nreg, region >> 20);
	if (d->hotplug) {
		/* The leak check must see the controller's live entries. */
		ret = dma_debug_entries(shared->hp.pci);
		if (ret <= 0)
			shared->hp.leak_unknown = 1;
		say("hotplug armed dev=%s pci=%s cycles=%u entries=%d",
		    d->name, shared->hp.pci, opts.hotplug, ret);
	}
	for (pass = 0; ; pass++) {
		ret = blk_pass(&b, (pass % nreg) * region, region, pass,
			       pass >= nreg);
		if (ret == 2) {
			/* Removed: the pass is dropped, a fresh one follows. */
			stat_close(&b);
			close(b.fd);
			b.fd = hp_replug(d, path, sizeof(path));
			if (b.fd < 0)
				break;
			copy_str(b.name, path + 5, sizeof(b.name));
			d->stat_ok = 0;
			stat_update(&b, 1);
			continue;
		}
		stat_update(&b, 0);
		if (ret)
			break;
		if (d->hotplug && shared->hp.replugs)
			shared->hp.verified_after = 1;
		say("%s: pass %u verified, %llu MiB", d->name, pass,
		    d->bytes >> 20);
	}
	if (b.fd >= 0) {
		stat_update(&b, 0);
		stat_close(&b);
		close(b.fd);
	}
	if (d->result == DL_FAIL)
		return;
	dev_finish(d);
	if (!hp_satisfied(d)) {
		say("%s: hotplug: %u of %u re-adds, %s verified after the last",
		    d->name, shared->hp.replugs, opts.hotplug,
		    shared->hp.verified_after ? "a pass" : "nothing");
		d->result = DL_FAIL;
	}
}
