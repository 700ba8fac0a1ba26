// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload - PID 1 of the DMA API boot check.
 *
 * Runs as /init from an initramfs.  It mounts devtmpfs, proc, sysfs and
 * debugfs, then drives verified DMA traffic through every device the CI
 * boot attaches, all at the same time, one process per device (two per
 * network direction):
 *
 *  - block: the NVMe namespace (nvme0n1) and the virtio-blk disk (vda).
 *    O_DIRECT writes, then O_DIRECT reads of the same region, compared
 *    word by word.  Each 64-bit word holds a value derived from its
 *    absolute byte offset on the disk, the pass number and the device,
 *    so a misplaced, stale or foreign block is caught.  Regions are
 *    rewritten on later passes with another pass number.  The I/O sizes
 *    and buffer offsets cycle through a schedule that covers sub-page
 *    buffers at page + 0x200, whole pages, page-crossing buffers and
 *    multi-page scatter-gather lists; reads use the schedule rotated so
 *    that read and write boundaries differ.
 *
 *  - network: the first two virtio-net interfaces (sorted by name) are
 *    brought up with a large MTU and joined outside the guest (a QEMU
 *    hub).  Raw AF_PACKET frames with a local experimental ethertype, a
 *    sequence number and a pattern payload of varying length are sent
 *    on one NIC and received and checked on the other, in both
 *    directions at once.  A window of unacknowledged frames keeps the
 *    receiver's socket from overflowing, so every lost frame counts.
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
 *                         on a region written before (stale data), 4
 *                         corrupts a received frame; each must end in
 *                         result=fail
 *   dmaload.hotplug=N     the host hot-unplugs and re-adds the NVMe
 *                         controller N times while the load runs (see
 *                         "Hotplug" below); 0, the default, is off
 *
 * Hotplug.  With dmaload.hotplug=N the NVMe worker takes a failed or
 * short read or write (EIO, ENODEV, ENXIO, ...) as the start of a
 * removal: it counts it in removed_errors, not in errors, closes the
 * disk and waits until the controller's PCI device has left sysfs (no
 * removal within DL_HP_WAIT seconds makes the error a real one).  Then
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
 *   dmaload: path dev=NAME iommu_group=TYPE
 *            (one per block device and NIC: the type of the device's
 *            IOMMU group, e.g. DMA, or "none" without one)
 *   dmaload: buffers dev=NAME pages=N above_4g=H phys_min=A phys_max=A
 *            (one per block device, from its worker as it starts, so
 *            maybe before the path lines: where its
 *            O_DIRECT buffers are in physical memory, from
 *            /proc/self/pagemap; H pages of N at or above 4 GiB; all
 *            four "?" when pagemap cannot tell)
 *   dmaload: dev=NAME bytes=B mismatches=M errors=E secs=S result=R
 *   ...      (one per device; network directions are named SRC-DST
 *            and carry extra fields "frames=F lost=L reordered=O"
 *            before result=)
 *   dmaload: hotplug armed dev=nvme0n1 pci=ADDR cycles=N entries=E
 *   dmaload: hotplug removed n=K pci=ADDR leaked=L
 *   dmaload: hotplug replugged n=K as=NAME pci=ADDR
 *            (only with dmaload.hotplug: the load runs on the NVMe
 *            namespace, then each removal and re-add as it is seen;
 *            ci/boot/qmp-hotplug paces the host side on these; E
 *            is the controller's dma-debug entries before the load,
 *            which must be found, or the leak check would be blind)
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
 *     pass   no mismatch, no error, at least the minimum verified
 *     short  no mismatch, no error, but the time limit was hit before
 *            the minimum was verified
 *     fail   anything else (a missing device, a mismatch, an error,
 *            a hung worker)
 *
 *   The done line passes only if every device passed and the DMA API
 *   debugging reports no error and is not disabled.  Free text lines
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
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <linux/reboot.h>
#include <asm/byteorder.h>
#include <asm/socket.h>

#define DL_AF_PACKET	17
#define DL_SOCK_RAW	3
#define DL_PRIO_PROCESS	0
#define DL_IFF_UP	0x1
#define DL_ETH_P_A	0x88b5	/* IEEE local experimental ethertype 1 */
#define DL_ETH_P_B	0x88b6	/* IEEE local experimental ethertype 2 */
#define DL_NET_MTU	9000
#define DL_NET_WINDOW	64	/* frames in flight per direction */
#define DL_NET_ACK	8	/* receiver wakes the sender every N frames */
#define DL_NET_MAGIC	0x4c414d44u	/* "DMAL" */

#define DL_MAX_DEVS	4
#define DL_REGION	(32u << 20)
#define DL_MAX_REGIONS	4
#define DL_BUF_SIZE	(2u << 20)
#define DL_MAX_IO	(1024u * 1024)
#define DL_PFN_MASK	((1ull << 55) - 1)	/* pagemap bits 0-54 */
#define DL_REPORT	5	/* mismatches described per device */
#define DL_MAX_ERRORS	16	/* stop a block device after this many */
#define DL_INJECT_FLIP	1
#define DL_INJECT_STALE	2
#define DL_INJECT_FRAME	4
#define DL_GRACE	60	/* seconds a worker may overrun the limit */
#define DL_HP_WAIT	30	/* seconds from an I/O error to the removal */

#define DL_RESULT_FMT	"dev=%s bytes=%llu mismatches=%llu errors=%llu secs=%u"
#define DL_HOTPLUG_FMT	"hotplug dev=nvme0n1 pci=%s cycles=%u removals=%u replugs=%u"
#define MIB(x)		((unsigned long long)(x) << 20)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((__format__(__printf__, a, b)))

enum dl_result {
	DL_PENDING,
	DL_PASS,
	DL_SHORT,
	DL_FAIL,
};

static const char * const dl_result_name[] = {
	[DL_PENDING] = "fail",
	[DL_PASS] = "pass",
	[DL_SHORT] = "short",
	[DL_FAIL] = "fail",
};

/* Per device state, in memory shared by all processes. */
struct dl_dev {
	char name[32];
	char why[64];
	unsigned long long bytes;
	unsigned long long target;
	unsigned long long min;
	unsigned long long mismatches;
	unsigned long long errors;
	unsigned long long frames;
	unsigned long long lost;
	unsigned long long reordered;
	unsigned long long sent;
	unsigned int secs;
	int is_net;
	int dir;
	int receiver_ready;
	int sender_done;
	int receiver_done;
	unsigned int rx_count;
	unsigned int tx_frames;
	int result;
	int hotplug;	/* this device is hot-unplugged (dmaload.hotplug) */
	int gone;	/* an I/O failed: being removed */
};

/* The hot-unplugged device's story (dmaload.hotplug). */
struct dl_hotplug {
	char pci[32];
	unsigned long long removed_errors;
	unsigned int removals;
	unsigned int replugs;
	unsigned int leaked;
	int leak_unknown;
	int verified_after;	/* a whole pass since the last re-add */
	int over;		/* the hot-unplugged device's worker stopped */
};

struct dl_shared {
	struct dl_dev dev[DL_MAX_DEVS];
	struct dl_hotplug hp;
};

struct dl_sched {
	unsigned int size;
	unsigned int bufoff;
};

/*
 * One cycle of block I/O: size and buffer offset inside the page aligned
 * buffer.  Sub-page (page + 0x200), one page, page crossing, and multi-page
 * scatter-gather lists up to 1 MiB, one of them not page sized.
 */
static const struct dl_sched dl_sched[] = {
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

struct dl_ifreq {
	char name[16];
	union {
		short flags;
		int mtu;
		int ifindex;
		unsigned char pad[48];
	};
};

struct dl_opts {
	unsigned int secs;
	unsigned int mib;
	unsigned int min_mib;
	unsigned int net_mib;
	unsigned int net_min_mib;
	unsigned int hold;
	unsigned int inject;
	unsigned int hotplug;
};

static struct dl_opts opts = {
	.secs = 90,
	.mib = 256,
	.min_mib = ~0u,
	.net_mib = 64,
	.net_min_mib = ~0u,
};

static struct dl_shared *shared;
static unsigned long long t_start;

static __printf(1, 2) void say(const char *fmt, ...);

/* One write() per line, so that lines from the workers do not mix. */
static void say(const char *fmt, ...)
{
	char line[256];
	va_list args;
	int len;

	memcpy(line, "dmaload: ", 9);
	va_start(args, fmt);
	len = vsnprintf(line + 9, sizeof(line) - 10, fmt, args);
	va_end(args);
	if (len < 0)
		return;
	len += 9;
	if (len > (int)sizeof(line) - 1)
		len = sizeof(line) - 1;
	line[len++] = '\n';
	write(1, line, len);
}

/* Copy a string, always terminated, truncated to fit. */
static void copy_str(char *dst, const char *src, size_t size)
{
	size_t len = strnlen(src, size - 1);

	memcpy(dst, src, len);
	dst[len] = 0;
}

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned int elapsed_secs(void)
{
	return (now_ms() - t_start) / 1000;
}

static unsigned long long deadline_ms(void)
{
	return t_start + (unsigned long long)opts.secs * 1000;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (ms % 1000) * 1000000L,
	};

	nanosleep(&ts, NULL);
}

static int read_file(const char *path, char *buf, int size)
{
	int fd, len;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len < 0)
		return -1;
	buf[len] = 0;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = 0;
	return len;
}

static int write_file(const char *path, const char *val)
{
	int fd, ret;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val));
	close(fd);
	return ret < 0 ? -1 : 0;
}

static unsigned long long read_ull(const char *path, int *ok)
{
	char buf[64];

	*ok = read_file(path, buf, sizeof(buf)) > 0;
	return *ok ? strtoull(buf, NULL, 0) : 0;
}

static void parse_opt(const char *word, const char *key, unsigned int *val)
{
	size_t len = strlen(key);

	if (!strncmp(word, key, len) && word[len] == '=')
		*val = strtoul(word + len + 1, NULL, 0);
}

static void parse_cmdline(void)
{
	char buf[1024], *word, *p;

	if (read_file("/proc/cmdline", buf, sizeof(buf)) < 0)
		return;
	for (word = buf; *word; word = p) {
		for (p = word; *p && *p != ' '; p++)
			;
		if (*p)
			*p++ = 0;
		parse_opt(word, "dmaload.secs", &opts.secs);
		parse_opt(word, "dmaload.mib", &opts.mib);
		parse_opt(word, "dmaload.min_mib", &opts.min_mib);
		parse_opt(word, "dmaload.net_mib", &opts.net_mib);
		parse_opt(word, "dmaload.net_min_mib", &opts.net_min_mib);
		parse_opt(word, "dmaload.hold", &opts.hold);
		parse_opt(word, "dmaload.inject", &opts.inject);
		parse_opt(word, "dmaload.hotplug", &opts.hotplug);
	}
	if (opts.min_mib > opts.mib)
		opts.min_mib = opts.mib;
	if (opts.net_min_mib > opts.net_mib)
		opts.net_min_mib = opts.net_mib;
}

static void *map_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void *map_private(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* 64-bit seek that works on 32-bit architectures too. */
static int seek_to(int fd, unsigned long long off)
{
#if defined(__NR__llseek)
	long long res;

	return my_syscall5(__NR__llseek, fd, (unsigned long)(off >> 32),
			   (unsigned long)off, &res, SEEK_SET) < 0 ? -1 : 0;
#else
	return lseek(fd, (off_t)off, SEEK_SET) < 0 ? -1 : 0;
#endif
}

/*
 * Where the pages of @len bytes at @buf (resident) are in physical
 * memory, from /proc/self/pagemap (PFNs are shown to root only): sets
 * @lo and @hi to the lowest and highest physical address and @above to
 * the number of pages at or above 4 GiB.  Returns the number of pages,
 * or -1 when pagemap cannot be read or a page is not present.
 */
static int buf_phys(const void *buf, size_t len, unsigned long long *lo,
		    unsigned long long *hi, int *above)
{
	unsigned long long ent, pa;
	unsigned long va = (unsigned long)buf, page = getpagesize();
	int fd, n = 0;

	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return -1;
	*lo = ~0ull;
	*hi = 0;
	*above = 0;
	for (; va < (unsigned long)buf + len; va += page, n++) {
		if (seek_to(fd, va / page * sizeof(ent)) < 0 ||
		    read(fd, &ent, sizeof(ent)) != sizeof(ent) ||
		    !(ent >> 63) || !(ent & DL_PFN_MASK)) {
			n = -1;
			break;
		}
		pa = (ent & DL_PFN_MASK) * page;
		if (pa < *lo)
			*lo = pa;
		if (pa > *hi)
			*hi = pa;
		if (pa >= 1ull << 32)
			(*above)++;
	}
	close(fd);
	return n;
}

static void dev_finish(struct dl_dev *d)
{
	if (!d->secs)
		d->secs = elapsed_secs();
	if (d->mismatches || d->errors)
		d->result = DL_FAIL;
	else if (d->bytes >= d->min)
		d->result = DL_PASS;
	else
		d->result = DL_SHORT;
}

static void dev_fail(struct dl_dev *d, const char *why)
{
	copy_str(d->why, why, sizeof(d->why));
	d->errors++;
	d->secs = elapsed_secs();
	d->result = DL_FAIL;
	say("%s: %s", d->name, why);
}

/* ---- block devices ---- */

static inline unsigned long long blk_word(unsigned long long off,
					  unsigned long long seed)
{
	return (off + seed) * 0x9e3779b97f4a7c15ull ^ seed;
}

/* Differs in all bits from pass to pass and from device to device. */
static unsigned long long blk_seed(const struct dl_dev *d, unsigned int pass)
{
	unsigned long long dev = (unsigned char)d->name[0] << 8 |
				 (unsigned char)d->name[1];

	return (pass + 1ull) * 0xd1342543de82ef95ull ^
	       (dev + 1) * 0xbf58476d1ce4e5b9ull;
}

static void blk_fill(unsigned long long *p, unsigned int len,
		     unsigned long long off, unsigned long long seed)
{
	unsigned int i;

	for (i = 0; i < len / 8; i++)
		p[i] = blk_word(off + i * 8ull, seed);
}

static unsigned int blk_check(struct dl_dev *d, const unsigned long long *p,
			      unsigned int len, unsigned long long off,
			      unsigned long long seed, unsigned int pass)
{
	unsigned int i, bad = 0;
	unsigned long long want;

	for (i = 0; i < len / 8; i++) {
		want = blk_word(off + i * 8ull, seed);
		if (p[i] == want)
			continue;
		if (d->mismatches + bad < DL_REPORT)
			say("%s: mismatch pass=%u off=0x%llx want=0x%llx got=0x%llx",
			    d->name, pass, off + i * 8ull, want, p[i]);
		bad++;
	}
	return bad;
}

static int blk_io(struct dl_dev *d, int fd, int wr, unsigned char *buf,
		  unsigned int len, unsigned long long off)
{
	long ret;

	if (seek_to(fd, off) < 0) {
		ret = -errno;
	} else {
		ret = wr ? write(fd, buf, len) : read(fd, buf, len);
		if (ret < 0)
			ret = -errno;
	}
	if (ret == (long)len)
		return 0;
	if (d->hotplug) {
		/* Expected while the device is removed: see hp_replug(). */
		say("%s: %s off=0x%llx len=%u returned %ld, removed?",
		    d->name, wr ? "write" : "read", off, len, ret);
		shared->hp.removed_errors++;
		d->gone = 1;
		return -1;
	}
	if (d->errors < DL_REPORT)
		say("%s: %s off=0x%llx len=%u returned %ld", d->name,
		    wr ? "write" : "read", off, len, ret);
	d->errors++;
	return -1;
}

/* Write one chunk; @skip drops it, to test that stale data is caught. */
static void blk_write(struct dl_dev *d, int fd, unsigned char *buf,
		      unsigned int len, unsigned long long off,
		      unsigned long long seed, int skip)
{
	blk_fill((void *)buf, len, off, seed);
	if (skip)
		say("%s: inject: not writing off=0x%llx len=%u", d->name, off,
		    len);
	else
		blk_io(d, fd, 1, buf, len, off);
}

/* Read one chunk back and compare; @flip corrupts it, as a test. */
static void blk_read(struct dl_dev *d, int fd, unsigned char *buf,
		     unsigned int len, unsigned long long off,
		     unsigned long long seed, unsigned int pass, int flip)
{
	memset(buf, 0xa5, len);
	if (blk_io(d, fd, 0, buf, len, off))
		return;
	if (flip) {
		say("%s: inject: flipping a bit at off=0x%llx", d->name, off);
		buf[len / 2] ^= 0x10;
	}
	d->mismatches += blk_check(d, (void *)buf, len, off, seed, pass);
	d->bytes += len;
}

/* Hotplug: all removals and re-adds seen, and verified after the last. */
static int hp_satisfied(const struct dl_dev *d)
{
	return !d->hotplug || (shared->hp.replugs >= opts.hotplug &&
			       shared->hp.verified_after);
}

/*
 * May @d stop once it has verified its target?  Not while the cycles are
 * still running: the other devices must keep their load going (and
 * verified) across every removal and re-add, so they stop only after the
 * hot-unplugged device's worker has.
 */
static int hp_may_stop(const struct dl_dev *d)
{
	if (d->hotplug)
		return hp_satisfied(d);
	return !opts.hotplug ||
	       __atomic_load_n(&shared->hp.over, __ATOMIC_ACQUIRE);
}

/*
 * Write the region, then read it back with the schedule rotated, and
 * compare.  @revisit says the region was written on an earlier pass.
 * Returns 1 when the device should stop (time limit, target reached, too
 * many errors), 2 when an I/O failed on the hotplug device.
 */
static int blk_pass(struct dl_dev *d, int fd, unsigned char *wbuf,
		    unsigned char *rbuf, unsigned long long base,
		    unsigned long long size, unsigned int lbs, unsigned int pass,
		    int revisit)
{
	unsigned long long seed = blk_seed(d, pass);
	unsigned long long off, end = base + size;
	const struct dl_sched *s;
	unsigned int i, n, len;
	int wr;

	for (wr = 1; wr >= 0; wr--) {
		i = wr ? pass % DL_NSCHED : (pass + 4) % DL_NSCHED;
		for (off = base, n = 0; off < end; off += len, i++, n++) {
			s = &dl_sched[i % DL_NSCHED];
			len = 0;
			if ((s->size | s->bufoff) & (lbs - 1))
				continue;
			len = s->size;
			if (len > end - off)
				len = end - off;
			if (wr)
				blk_write(d, fd, wbuf + s->bufoff, len, off,
					  seed, revisit && n == 2 &&
					  (opts.inject & DL_INJECT_STALE));
			else
				blk_read(d, fd, rbuf + s->bufoff, len, off,
					 seed, pass, pass == 1 && n == 2 &&
					 (opts.inject & DL_INJECT_FLIP));
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

/* Does @path exist? */
static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int wait_for(const char *path, unsigned int ms)
{
	unsigned long long end = now_ms() + ms;

	while (!exists(path)) {
		if (now_ms() >= end)
			return -1;
		sleep_ms(50);
	}
	return 0;
}

/* The PCI address of block device @name's controller, e.g. 0000:01:00.0. */
static int blk_pci_addr(const char *name, char *addr, int size)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/block/%s/device/address", name);
	return read_file(path, addr, size) > 0 ? 0 : -1;
}

/* The first NVMe namespace in /sys/block, into @name; -1 if none. */
static int nvme_find(char *name, size_t size)
{
	struct dirent ent, *de;
	int found = -1;
	DIR *dir;

	dir = opendir("/sys/block");
	if (!dir)
		return -1;
	while (!readdir_r(dir, &ent, &de) && de) {
		if (strncmp(de->d_name, "nvme", 4))
			continue;
		if (found < 0 || strcmp(de->d_name, name) < 0)
			copy_str(name, de->d_name, size);
		found = 0;
	}
	closedir(dir);
	return found;
}

/*
 * Count the dma-debug entries of the device named @pci: the lines of
 * dma-api/dump whose second word is @pci.  -1 if dump cannot be read.
 */
static int dma_debug_entries(const char *pci)
{
	char buf[4096], line[160], *sp;
	size_t plen = strlen(pci);
	int fd, len, i, n = 0, ll = 0;

	fd = open("/sys/kernel/debug/dma-api/dump", O_RDONLY);
	if (fd < 0)
		return -1;
	while ((len = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < len; i++) {
			if (buf[i] != '\n') {
				if (ll < (int)sizeof(line) - 1)
					line[ll++] = buf[i];
				continue;
			}
			line[ll] = 0;
			ll = 0;
			sp = strchr(line, ' ');
			if (sp && !strncmp(sp + 1, pci, plen) &&
			    sp[plen + 1] == ' ')
				n++;
		}
	}
	close(fd);
	return len < 0 ? -1 : n;
}

/*
 * Hotplug: an I/O on @d failed.  Wait for the controller to leave, check
 * that dma-debug holds nothing of it any more, wait for a namespace to
 * come back and open it.  Returns the new fd, or -1 to stop.
 */
static int hp_replug(struct dl_dev *d, char *path, size_t size)
{
	struct dl_hotplug *hp = &shared->hp;
	char dir[96], name[32], pci[32];
	unsigned long long end;
	int fd, leaked;

	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", hp->pci);
	end = now_ms() + DL_HP_WAIT * 1000;
	while (exists(dir)) {
		if (now_ms() >= end) {
			dev_fail(d, "I/O failed, but no removal followed");
			return -1;
		}
		sleep_ms(20);
	}
	hp->removals++;
	/* Unbound and deleted: whatever it still has mapped leaked. */
	leaked = dma_debug_entries(hp->pci);
	if (leaked < 0)
		hp->leak_unknown = 1;
	else
		hp->leaked += leaked;
	if (leaked < 0)
		say("hotplug removed n=%u pci=%s leaked=?", hp->removals,
		    hp->pci);
	else
		say("hotplug removed n=%u pci=%s leaked=%d", hp->removals,
		    hp->pci, leaked);

	/* Namespaces are scanned asynchronously after the controller. */
	while (nvme_find(name, sizeof(name)) || blk_pci_addr(name, pci,
							     sizeof(pci))) {
		if (now_ms() >= deadline_ms()) {
			dev_fail(d, "not re-added before the time limit");
			return -1;
		}
		sleep_ms(50);
	}
	snprintf(path, size, "/dev/%s", name);
	if (wait_for(path, 10000)) {
		dev_fail(d, "re-added, but no device node");
		return -1;
	}
	fd = open(path, O_RDWR | O_DIRECT);
	if (fd < 0) {
		dev_fail(d, "re-added, but cannot open");
		return -1;
	}
	copy_str(hp->pci, pci, sizeof(hp->pci));
	hp->replugs++;
	hp->verified_after = 0;
	d->gone = 0;
	say("hotplug replugged n=%u as=%s pci=%s", hp->replugs, name, pci);
	return fd;
}

/*
 * Fault the I/O buffers in and say where they are, so that the harness
 * can check that a variant's I/O came from the memory it is meant to
 * test (e.g. highmem above 4 GiB on 32-bit arm with LPAE).
 */
static void print_buffers(const struct dl_dev *d, unsigned char *wbuf,
			  unsigned char *rbuf)
{
	unsigned long long lo[2], hi[2];
	int n[2], above[2];

	memset(wbuf, 0, DL_BUF_SIZE);
	memset(rbuf, 0, DL_BUF_SIZE);
	n[0] = buf_phys(wbuf, DL_BUF_SIZE, &lo[0], &hi[0], &above[0]);
	n[1] = buf_phys(rbuf, DL_BUF_SIZE, &lo[1], &hi[1], &above[1]);
	if (n[0] < 0 || n[1] < 0) {
		say("buffers dev=%s pages=? above_4g=? phys_min=? phys_max=?",
		    d->name);
		return;
	}
	say("buffers dev=%s pages=%d above_4g=%d phys_min=0x%llx phys_max=0x%llx",
	    d->name, n[0] + n[1], above[0] + above[1],
	    lo[0] < lo[1] ? lo[0] : lo[1], hi[0] > hi[1] ? hi[0] : hi[1]);
}

static void blk_worker(struct dl_dev *d)
{
	unsigned long long sectors, disk, region, nreg;
	unsigned char *wbuf, *rbuf;
	char path[96], buf[32];
	unsigned int lbs, pass;
	int fd, ok, ret;

	snprintf(path, sizeof(path), "/sys/block/%s/size", d->name);
	sectors = read_ull(path, &ok);
	snprintf(path, sizeof(path), "/sys/block/%s/queue/logical_block_size",
		 d->name);
	lbs = read_ull(path, &ok);
	if (!ok || !lbs || (lbs & (lbs - 1)) || lbs > 4096) {
		snprintf(buf, sizeof(buf), "bad logical_block_size");
		dev_fail(d, buf);
		return;
	}
	disk = sectors * 512;
	region = DL_REGION;
	if (region > disk)
		region = disk & ~(unsigned long long)(DL_MAX_IO - 1);
	if (!region) {
		dev_fail(d, "disk too small");
		return;
	}
	nreg = disk / region;
	if (nreg > DL_MAX_REGIONS)
		nreg = DL_MAX_REGIONS;

	wbuf = map_private(DL_BUF_SIZE);
	rbuf = map_private(DL_BUF_SIZE);
	if (!wbuf || !rbuf) {
		dev_fail(d, "out of memory");
		return;
	}
	print_buffers(d, wbuf, rbuf);
	if (d->hotplug &&
	    blk_pci_addr(d->name, shared->hp.pci, sizeof(shared->hp.pci))) {
		dev_fail(d, "no PCI address to hot-unplug");
		return;
	}
	snprintf(path, sizeof(path), "/dev/%s", d->name);
	fd = open(path, O_RDWR | O_DIRECT);
	if (fd < 0) {
		dev_fail(d, "cannot open");
		return;
	}
	say("%s: %llu MiB, lbs %u, %llu regions of %llu MiB", d->name,
	    disk >> 20, lbs, nreg, region >> 20);
	if (d->hotplug) {
		/* The leak check must see the controller's live entries. */
		ret = dma_debug_entries(shared->hp.pci);
		if (ret <= 0)
			shared->hp.leak_unknown = 1;
		say("hotplug armed dev=%s pci=%s cycles=%u entries=%d",
		    d->name, shared->hp.pci, opts.hotplug, ret);
	}
	for (pass = 0; ; pass++) {
		ret = blk_pass(d, fd, wbuf, rbuf, (pass % nreg) * region,
			       region, lbs, pass, pass >= nreg);
		if (ret == 2) {
			/* Removed: the pass is dropped, a fresh one follows. */
			close(fd);
			fd = hp_replug(d, path, sizeof(path));
			if (fd < 0)
				break;
			continue;
		}
		if (ret)
			break;
		if (d->hotplug && shared->hp.replugs)
			shared->hp.verified_after = 1;
		say("%s: pass %u verified, %llu MiB", d->name, pass,
		    d->bytes >> 20);
	}
	if (fd >= 0)
		close(fd);
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

/* ---- network ---- */

struct dl_nic {
	char name[16];
	unsigned char mac[ETH_ALEN];
	int ifindex;
};

static int nic_is_virtio(const char *name)
{
	char path[96], buf[256];

	snprintf(path, sizeof(path), "/sys/class/net/%s/device/uevent", name);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return 0;
	return !!strstr(buf, "DRIVER=virtio_net");
}

/* The first two virtio-net interfaces, by name; returns how many found. */
static int nic_find(struct dl_nic *nic)
{
	struct dirent ent, *de;
	struct dl_nic tmp;
	int n = 0;
	DIR *dir;

	memset(nic, 0, 2 * sizeof(*nic));
	dir = opendir("/sys/class/net");
	if (!dir)
		return 0;
	while (!readdir_r(dir, &ent, &de) && de) {
		if (de->d_name[0] == '.' || !nic_is_virtio(de->d_name))
			continue;
		if (n == 2 && strcmp(de->d_name, nic[1].name) >= 0)
			continue;
		copy_str(nic[n < 2 ? n++ : 1].name, de->d_name,
			 sizeof(nic->name));
		if (n == 2 && strcmp(nic[0].name, nic[1].name) > 0) {
			tmp = nic[0];
			nic[0] = nic[1];
			nic[1] = tmp;
		}
	}
	closedir(dir);
	return n;
}

static int sock_open(void)
{
	return my_syscall3(__NR_socket, DL_AF_PACKET, DL_SOCK_RAW, 0);
}

static int sock_bind(int fd, int ifindex, unsigned short proto)
{
	struct sockaddr_ll sll;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = DL_AF_PACKET;
	sll.sll_protocol = __cpu_to_be16(proto);
	sll.sll_ifindex = ifindex;
	return my_syscall3(__NR_bind, fd, &sll, sizeof(sll));
}

static int parse_mac(const char *s, unsigned char *mac)
{
	char *end;
	int i;

	for (i = 0; i < ETH_ALEN; i++) {
		mac[i] = strtoul(s, &end, 16);
		if (end == s || (i < ETH_ALEN - 1 && *end != ':'))
			return -1;
		s = end + 1;
	}
	return 0;
}

/* Bring the interface up with a large MTU and wait for its carrier. */
static int nic_setup(struct dl_nic *nic, char *why, size_t whysz)
{
	struct dl_ifreq ifr;
	char path[96], buf[64];
	unsigned long long end;
	int fd, ret = -1;

	fd = sock_open();
	if (fd < 0) {
		snprintf(why, whysz, "%s: socket: %d", nic->name, fd);
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	copy_str(ifr.name, nic->name, sizeof(ifr.name));
	if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
		snprintf(why, whysz, "%s: no ifindex", nic->name);
		goto out;
	}
	nic->ifindex = ifr.ifindex;
	ifr.mtu = DL_NET_MTU;
	if (ioctl(fd, SIOCSIFMTU, &ifr) < 0)
		say("%s: cannot set mtu %d, keeping the default", nic->name,
		    DL_NET_MTU);
	memset(&ifr.pad, 0, sizeof(ifr.pad));
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		snprintf(why, whysz, "%s: SIOCGIFFLAGS", nic->name);
		goto out;
	}
	ifr.flags |= DL_IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) {
		snprintf(why, whysz, "%s: cannot bring up", nic->name);
		goto out;
	}
	snprintf(path, sizeof(path), "/sys/class/net/%s/address", nic->name);
	if (read_file(path, buf, sizeof(buf)) < 0 || parse_mac(buf, nic->mac)) {
		snprintf(why, whysz, "%s: no mac address", nic->name);
		goto out;
	}
	snprintf(path, sizeof(path), "/sys/class/net/%s/carrier", nic->name);
	for (end = now_ms() + 10000; now_ms() < end; sleep_ms(20)) {
		if (read_file(path, buf, sizeof(buf)) > 0 && buf[0] == '1') {
			ret = 0;
			goto out;
		}
	}
	snprintf(why, whysz, "%s: no carrier", nic->name);
out:
	close(fd);
	return ret;
}

static int nic_mtu(const struct dl_nic *nic)
{
	char path[96];
	int ok, mtu;

	snprintf(path, sizeof(path), "/sys/class/net/%s/mtu", nic->name);
	mtu = read_ull(path, &ok);
	return ok && mtu >= 64 && mtu <= DL_NET_MTU ? mtu : 1500;
}

/* Frame length for sequence number @seq: 60 bytes up to the MTU. */
static unsigned int net_len(unsigned int seq, unsigned int max)
{
	unsigned int h = seq * 2654435761u;

	switch (seq & 7) {
	case 0:
		return 60;
	case 1:
		return max;
	default:
		return 60 + (h >> 8) % (max - 60 + 1);
	}
}

static inline unsigned int net_word(unsigned int seq, unsigned int i)
{
	return (seq * 0x9e3779b1u) ^ (i * 0x85ebca77u) ^ 0x5a5a0000u;
}

/*
 * Frame layout: Ethernet header, 2 bytes of padding, then 32-bit words:
 * magic, sequence number, frame length, pattern words, and pattern bytes
 * up to the frame length.
 */
static void net_build(unsigned char *f, const struct dl_nic *src,
		      const struct dl_nic *dst, unsigned short proto,
		      unsigned int seq, unsigned int len)
{
	unsigned int *w = (unsigned int *)(f + 16);
	unsigned int i, n = (len - 16) / 4, v;

	memcpy(f, dst->mac, ETH_ALEN);
	memcpy(f + ETH_ALEN, src->mac, ETH_ALEN);
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

/* Returns 0 when the frame is what @seq and @len say, else -1. */
static int net_verify(const unsigned char *f, const struct dl_nic *src,
		      const struct dl_nic *dst, unsigned short proto,
		      unsigned int seq, unsigned int len)
{
	const unsigned int *w = (const unsigned int *)(f + 16);
	unsigned int i, n = (len - 16) / 4, v;

	if (memcmp(f, dst->mac, ETH_ALEN) ||
	    memcmp(f + ETH_ALEN, src->mac, ETH_ALEN) ||
	    f[12] != proto >> 8 || f[13] != (proto & 0xff) || f[14] || f[15])
		return -1;
	for (i = 3; i < n; i++) {
		if (w[i] != net_word(seq, i))
			return -1;
	}
	v = net_word(seq, n);
	for (i = 16 + n * 4; i < len; i++, v >>= 8) {
		if (f[i] != (v & 0xff))
			return -1;
	}
	return 0;
}

static void net_sender(struct dl_dev *d, const struct dl_nic *src,
		       const struct dl_nic *dst, unsigned short proto,
		       int ackfd, unsigned int max)
{
	unsigned long long stall_until;
	struct pollfd pfd = { .fd = ackfd, .events = POLLIN };
	unsigned char *frame, junk[64];
	unsigned int seq, len, stalls = 0;
	int fd;
	long ret;

	frame = map_private(65536);
	fd = sock_open();
	if (!frame || fd < 0 || sock_bind(fd, src->ifindex, proto) < 0) {
		dev_fail(d, "sender setup failed");
		d->sender_done = 1;
		return;
	}
	/* Frames sent before the receiver's socket is bound are lost. */
	stall_until = now_ms() + 10000;
	while (!__atomic_load_n(&d->receiver_ready, __ATOMIC_ACQUIRE) &&
	       now_ms() < stall_until)
		sleep_ms(10);
	for (seq = 0; d->sent < d->target || !hp_may_stop(d); seq++) {
		if (now_ms() >= deadline_ms())
			break;
		/* Wait for the receiver when the window is full. */
		stall_until = now_ms() + 500;
		while (seq - __atomic_load_n(&d->rx_count, __ATOMIC_ACQUIRE) >=
		       DL_NET_WINDOW && now_ms() < stall_until) {
			if (poll(&pfd, 1, 100) > 0)
				read(ackfd, junk, sizeof(junk));
		}
		if (now_ms() >= stall_until)
			stalls++;
		len = net_len(seq, max);
		net_build(frame, src, dst, proto, seq, len);
		ret = write(fd, frame, len);
		if (ret != (long)len) {
			if (d->errors < DL_REPORT)
				say("%s: send seq=%u len=%u returned %ld",
				    d->name, seq, len, ret < 0 ? -errno : ret);
			d->errors++;
			if (d->errors >= DL_MAX_ERRORS)
				break;
			continue;
		}
		d->sent += len;
		__atomic_store_n(&d->tx_frames, seq + 1, __ATOMIC_RELEASE);
	}
	if (stalls)
		say("%s: sender waited out %u stalls", d->name, stalls);
	close(fd);
	__atomic_store_n(&d->sender_done, 1, __ATOMIC_RELEASE);
}

/*
 * Sequence numbers seen lately, as a window of DL_NET_SEEN bits starting at
 * the oldest one not seen yet.  QEMU's net queues may deliver a frame they
 * held back after a later one, so frames may arrive out of order; they
 * count as received, and are reported.  Seeing one twice is an error.
 */
#define DL_NET_SEEN	4096

struct dl_seen {
	unsigned int base;
	unsigned long long bits[DL_NET_SEEN / 64];
};

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

/* Returns 1 for a new sequence number, 0 for one seen before. */
static int seen_add(struct dl_seen *sn, unsigned int seq)
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

static void net_receiver(struct dl_dev *d, const struct dl_nic *src,
			 const struct dl_nic *dst, unsigned short proto,
			 int ackfd)
{
	unsigned long long idle_since = 0, hard_end;
	unsigned int seq, len, good = 0, sent, last = 0;
	struct pollfd pfd = { .events = POLLIN };
	struct dl_seen *seen;
	unsigned char *frame;
	unsigned int *w;
	long ret;
	int fd;

	frame = map_private(65536 + 4096);
	seen = map_private(sizeof(*seen));
	fd = sock_open();
	if (!frame || !seen || fd < 0 ||
	    sock_bind(fd, dst->ifindex, proto) < 0) {
		dev_fail(d, "receiver setup failed");
		d->receiver_ready = 1;
		d->receiver_done = 1;
		return;
	}
	ret = 4 << 20;
	my_syscall5(__NR_setsockopt, fd, SOL_SOCKET, SO_RCVBUFFORCE, &ret,
		    sizeof(int));
	pfd.fd = fd;
	__atomic_store_n(&d->receiver_ready, 1, __ATOMIC_RELEASE);
	hard_end = deadline_ms() + 10000;
	w = (unsigned int *)(frame + 16);
	while (now_ms() < hard_end) {
		if (poll(&pfd, 1, 100) <= 0) {
			if (!__atomic_load_n(&d->sender_done, __ATOMIC_ACQUIRE))
				continue;
			sent = __atomic_load_n(&d->tx_frames, __ATOMIC_ACQUIRE);
			if (good >= sent)
				break;
			if (!idle_since)
				idle_since = now_ms();
			else if (now_ms() - idle_since > 2000)
				break;
			continue;
		}
		idle_since = 0;
		ret = read(fd, frame, 65536);
		if (ret < 0) {
			d->errors++;
			if (d->errors >= DL_MAX_ERRORS)
				break;
			continue;
		}
		len = ret;
		if ((opts.inject & DL_INJECT_FRAME) && len >= 60 &&
		    w[1] == 100) {
			say("%s: inject: corrupting seq=100", d->name);
			frame[len - 1] ^= 0x10;
		}
		if (len < 60 || len > 65536 || w[0] != DL_NET_MAGIC ||
		    w[2] != len || net_verify(frame, src, dst, proto, w[1], len)) {
			if (d->mismatches < DL_REPORT)
				say("%s: bad frame len=%u after seq=%u",
				    d->name, len, last);
			d->mismatches++;
			continue;
		}
		seq = w[1];
		if (!seen_add(seen, seq)) {
			if (d->errors < DL_REPORT)
				say("%s: seq=%u received again", d->name, seq);
			d->errors++;
			continue;
		}
		if (seq < last) {
			if (d->reordered < DL_REPORT)
				say("%s: seq=%u arrived after seq=%u",
				    d->name, seq, last);
			d->reordered++;
		}
		last = seq;
		d->bytes += len;
		good++;
		__atomic_store_n(&d->rx_count, good, __ATOMIC_RELEASE);
		if (!(good % DL_NET_ACK))
			write(ackfd, "a", 1);
	}
	sent = __atomic_load_n(&d->tx_frames, __ATOMIC_ACQUIRE);
	if (sent > good) {
		d->lost = sent - good;
		say("%s: %llu of %u frames lost, first missing seq=%u",
		    d->name, d->lost, sent, seen->base);
	}
	d->frames = good;
	d->errors += d->lost;
	d->secs = elapsed_secs();
	close(fd);
	__atomic_store_n(&d->receiver_done, 1, __ATOMIC_RELEASE);
}

/* ---- init ---- */

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

static struct dl_dev *dev_add(int *n, const char *name, int is_net)
{
	struct dl_dev *d = &shared->dev[(*n)++];

	copy_str(d->name, name, sizeof(d->name));
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
	pid_t pid[2 * DL_MAX_DEVS];
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

static void print_dma_api(int *bad)
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

/*
 * Which DMA path a device takes: the type of its IOMMU group (DMA, DMA-FQ,
 * identity, ...) or "none" when it has no group (dma-direct, swiotlb).
 */
static void print_path(const char *name, const char *sysdir)
{
	static const char * const tails[] = {
		"device/iommu_group/type",
		"device/../iommu_group/type",
		"device/device/iommu_group/type",
	};
	char path[128], type[32];
	size_t i;

	copy_str(type, "none", sizeof(type));
	for (i = 0; i < ARRAY_SIZE(tails); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", sysdir, name,
			 tails[i]);
		if (read_file(path, type, sizeof(type)) > 0)
			break;
		copy_str(type, "none", sizeof(type));
	}
	say("path dev=%s iommu_group=%s", name, type);
}

/* The hotplug summary line; see "Hotplug" at the top. */
static void print_hotplug(int *bad)
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

static void print_swiotlb(void)
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
	struct dl_nic nic[2];
	unsigned long long end, total = 0;
	int ackpipe[2][2], ndev = 0, i, bad = 0, status;
	struct dl_procs procs = { .n = 0 };
	pid_t pid;
	struct dl_dev *d;
	char why[96];

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
	if (opts.hotplug)
		snprintf(why, sizeof(why), " hotplug=%u", opts.hotplug);
	else
		why[0] = 0;
	say("start secs=%u mib=%u min_mib=%u net_mib=%u net_min_mib=%u%s",
	    opts.secs, opts.mib, opts.min_mib, opts.net_mib,
	    opts.net_min_mib, why);

	/* NVMe namespaces are scanned asynchronously: give them time. */
	d = dev_add(&ndev, "nvme0n1", 0);
	d->hotplug = !!opts.hotplug;
	if (wait_for("/dev/nvme0n1", 20000)) {
		dev_fail(d, "missing");
		shared->hp.over = 1;
	} else {
		spawn(&procs, d, DL_BLOCK, NULL, NULL);
	}
	d = dev_add(&ndev, "vda", 0);
	if (wait_for("/dev/vda", 20000))
		dev_fail(d, "missing");
	else
		spawn(&procs, d, DL_BLOCK, NULL, NULL);
	print_path("nvme0n1", "/sys/block");
	print_path("vda", "/sys/block");

	memset(nic, 0, sizeof(nic));
	end = now_ms() + 20000;
	while (nic_find(nic) < 2 && now_ms() < end)
		sleep_ms(100);
	why[0] = 0;
	if (nic_find(nic) < 2)
		snprintf(why, sizeof(why), "missing");
	else if (!nic_setup(&nic[0], why, sizeof(why)))
		nic_setup(&nic[1], why, sizeof(why));
	for (i = 0; i < 2 && nic[i].name[0]; i++)
		print_path(nic[i].name, "/sys/class/net");
	for (i = 0; i < 2; i++) {
		char name[40];

		snprintf(name, sizeof(name), "%s-%s",
			 nic[i].name[0] ? nic[i].name : "net",
			 nic[!i].name[0] ? nic[!i].name : "net");
		d = dev_add(&ndev, name, 1);
		d->dir = i;
		if (why[0]) {
			dev_fail(d, why);
			continue;
		}
		if (pipe2(ackpipe[i], O_NONBLOCK) < 0) {
			dev_fail(d, "pipe");
			continue;
		}
		spawn(&procs, d, DL_RECEIVER, nic, ackpipe[i]);
		spawn(&procs, d, DL_SENDER, nic, ackpipe[i]);
		close(ackpipe[i][0]);
		close(ackpipe[i][1]);
	}

	/* Reap the workers (and anything else), up to the grace period. */
	end = deadline_ms() + DL_GRACE * 1000ull;
	while (procs.n > 0 && now_ms() < end) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0)
			break;
		if (pid == 0) {
			sleep_ms(100);
			continue;
		}
		for (i = 0; i < procs.n; i++) {
			if (procs.pid[i] == pid) {
				procs.pid[i] = procs.pid[--procs.n];
				break;
			}
		}
	}
	for (i = 0; i < procs.n; i++)
		kill(procs.pid[i], SIGKILL);

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
		if (d->is_net)
			say(DL_RESULT_FMT " frames=%llu lost=%llu reordered=%llu result=%s",
			    d->name, d->bytes, d->mismatches, d->errors,
			    d->secs, d->frames, d->lost, d->reordered,
			    dl_result_name[d->result]);
		else if (d->hotplug)
			say(DL_RESULT_FMT " removed_errors=%llu result=%s",
			    d->name, d->bytes, d->mismatches, d->errors,
			    d->secs, shared->hp.removed_errors,
			    dl_result_name[d->result]);
		else
			say(DL_RESULT_FMT " result=%s",
			    d->name, d->bytes, d->mismatches, d->errors,
			    d->secs, dl_result_name[d->result]);
	}
	if (opts.hotplug)
		print_hotplug(&bad);
	print_swiotlb();
	print_dma_api(&bad);
	say("done devs=%d bytes=%llu secs=%u result=%s", ndev, total,
	    elapsed_secs(), bad ? "fail" : "pass");
	finish();
	return 0;
}
