/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaload: what its units share.  The program, its kernel command line
 * and its output are described at the top of main.c.
 *
 *   main.c     init: mounts, devices, workers, sampling, results
 *   util.c     say(), time, files, memory
 *   blk.c      block load (O_DIRECT on nvme0n1 and vda)
 *   net.c      network load (raw frames between two virtio-net NICs)
 *   hotplug.c  the NVMe controller's removals and re-adds
 *   p2p.c      PCI peer-to-peer load (dmaload.p2p_mib) and its lines
 *   report.c   the result, path, buffers, swiotlb, dma-api, blkstat, sg
 *              and dma-entries lines
 *   check.c    the pure functions (patterns, checks, parsers), tested on
 *              the host by test-check.c
 */
#ifndef DMALOAD_H
#define DMALOAD_H

#include "check.h"

#define DL_MAX_DEVS	5
#define DL_REGION	(32u << 20)
#define DL_REGION_STALE	(4u << 20)	/* region with dmaload.inject=2 */
#define DL_MAX_REGIONS	4
#define DL_BUF_SIZE	(2u << 20)
#define DL_MAX_IO	(1024u * 1024)
#define DL_REPORT	5	/* mismatches described per device */
#define DL_MAX_ERRORS	16	/* stop a block device after this many */
#define DL_INJECT_FLIP	1
#define DL_INJECT_STALE	2
#define DL_INJECT_FRAME	4
#define DL_INJECT_GUARD	8
#define DL_GRACE	60	/* seconds a worker may overrun the limit */
#define DL_HP_WAIT	10	/* seconds from an I/O error to the removal */
#define DL_MAX_PCI	2	/* PCI devices behind one dma-entries line */
#define DL_MAX_SLOTS	8	/* dma-entries lines */
#define DL_NVME_SERIAL	"dmaload0"	/* nvme0n1's controller (ci/boot/run) */

#define MIB(x)		((unsigned long long)(x) << 20)
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((__format__(__printf__, a, b)))
#define __maybe_unused	__attribute__((__unused__))

enum dl_result {
	DL_PENDING,
	DL_PASS,
	DL_SHORT,
	DL_FAIL,
};

/* Per device state, in memory shared by all processes. */
struct dl_dev {
	char name[32];
	char kname[32];	/* the kernel's name for a block device */
	char why[64];
	unsigned long long bytes;
	unsigned long long target;
	unsigned long long min;
	unsigned long long mismatches;
	unsigned long long errors;
	unsigned long long guard_bad;
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
	/* blkstat: sectors moved by the current incarnation, and before. */
	int stat_ok;
	unsigned long long stat_rd0, stat_wr0, stat_rd, stat_wr;
	unsigned long long rd_sectors, wr_sectors;
	/* sg: I/Os and their physically discontiguous pieces. */
	int sg_unknown;
	unsigned long long ios, multi_seg_ios;
	unsigned int max_segs;
	char pci[32];	/* block: the controller's PCI address */
};

/* The hot-unplugged device's story (dmaload.hotplug). */
struct dl_hotplug {
	char pci[32];
	unsigned long long removed_errors;
	unsigned int removals;
	unsigned int replugs;
	unsigned int leaked;
	int leak_unknown;
	int removing;		/* an I/O failed; waiting for the removal */
	int verified_after;	/* a whole pass since the last re-add */
	int over;		/* the hot-unplugged device's worker stopped */
};

/* PCI peer-to-peer (p2p.c): one peer NVMe of the p2pmem provider. */
struct dl_p2p_peer {
	char name[24];		/* p2p-bus, p2p-host-bridge */
	char disk[32];		/* its namespace */
	char pci[32];		/* its controller */
	char group[16];		/* its IOMMU group type, "none" */
	unsigned long long bytes, min;
	unsigned long long mismatches, errors, guard_bad;
	unsigned long long refused, ram_ios;
	int refused_errno;
	unsigned int secs;
	int state;		/* 0 not started, 1 running, 2 done */
	unsigned long long io_since;	/* ms: the I/O in flight began */
	/* dma-debug entries in the provider's BAR, sampled during the I/O */
	int stop_sampler;
	unsigned int samples, n[DL_P2P_TYPES], dma_is_phys;
	/* its IOMMU page-table entries into the BAR, sampled likewise */
	unsigned int iommu_samples, iommu_pte;
};

#define DL_P2P_PEERS	2

struct dl_p2p {
	int found;		/* the provider and its buffer are there */
	char pci[32];		/* the provider */
	int bar;
	unsigned long long lo, hi;	/* its BAR holding the buffer */
	unsigned long long buf_phys;
	unsigned int buf_pages, buf_in_bar;
	char why[64];
	struct dl_p2p_peer peer[DL_P2P_PEERS];
};

struct dl_shared {
	struct dl_dev dev[DL_MAX_DEVS];
	struct dl_hotplug hp;
	struct dl_p2p p2p;
	unsigned int dma_samples;
};

struct dl_nic {
	char name[16];
	unsigned char mac[DL_ETH_ALEN];
	int ifindex;
	char pci[32];
};

extern struct dl_opts opts;
extern struct dl_shared *shared;
extern unsigned long long t_start;

/* util.c */
__printf(1, 2) void say(const char *fmt, ...);
void copy_str(char *dst, const char *src, size_t size);
unsigned long long now_ms(void);
unsigned int elapsed_secs(void);
unsigned long long deadline_ms(void);
void sleep_ms(unsigned int ms);
int read_file(const char *path, char *buf, int size);
int read_lines(const char *path, void (*fn)(const char *line, void *arg),
	       void *arg);
int write_file(const char *path, const char *val);
unsigned long long read_ull(const char *path, int *ok);
int read_link(const char *path, char *buf, int size);
void *map_shared(size_t size);
void *map_private(size_t size);
int seek_to(int fd, unsigned long long off);
int exists(const char *path);
int wait_for(const char *path, unsigned int ms);
int dev_pci(const char *sysdir, const char *name, char *addr, size_t size);
void dev_finish(struct dl_dev *d);
void dev_fail(struct dl_dev *d, const char *why);

/* blk.c */
void blk_worker(struct dl_dev *d);

/* net.c */
int nic_find(struct dl_nic *nic);
int nic_setup(struct dl_nic *nic, char *why, size_t whysz);
int nic_mtu(const struct dl_nic *nic);
void nic_down(const struct dl_nic *nic);
void net_sender(struct dl_dev *d, const struct dl_nic *src,
		const struct dl_nic *dst, unsigned short proto, int ackfd,
		unsigned int max);
void net_receiver(struct dl_dev *d, const struct dl_nic *src,
		  const struct dl_nic *dst, unsigned short proto, int ackfd);

/* hotplug.c */
int hp_satisfied(const struct dl_dev *d);
int hp_may_stop(const struct dl_dev *d);
int blk_pci_addr(const char *name, char *addr, int size);
int dma_debug_entries(const char *pci);
int hp_replug(struct dl_dev *d, char *path, size_t size);

/* p2p.c */
int nvme_by_serial(const char *serial, char *name, size_t size);
void p2p_worker(void);
int p2p_stuck(void);
void print_p2p(int *bad);

/* report.c */
void print_path(const char *name, const char *sysdir, const char *kname);
void print_buffers(const struct dl_dev *d, const unsigned long long *pfn[2],
		   unsigned int npages);
void print_dev(const struct dl_dev *d);
void print_blk_extra(const struct dl_dev *d);
void print_hotplug(int *bad);
void print_swiotlb(void);
void print_dma_api(int *bad);
void dma_track(const char *name, const char *pci0, const char *pci1,
	       int dir);
void dma_sample(void);
int dma_all_seen(void);
void print_dma_entries(void);

#endif
