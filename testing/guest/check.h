/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure parts of dmaload: the data patterns and the functions that
 * judge them, the option parser and the parsers of kernel files.  No
 * system calls and no output, so that testing/guest/test-check.c can run
 * them on the host against the C library (testing/selftests/guest-units.sh).
 */
#ifndef DMALOAD_CHECK_H
#define DMALOAD_CHECK_H

#include <stddef.h>

#define DL_ETH_ALEN	6
#define DL_NET_MAGIC	0x4c414d44u	/* "DMAL" */
#define DL_NET_MIN	60		/* shortest frame */
#define DL_NET_MAX	65536		/* longest frame */
#define DL_NET_SEEN	4096		/* sequence numbers in the window */
#define DL_GUARD	256		/* guard bytes on each side */

/* Kernel command line options (dmaload.*); see dmaload.h. */
struct dl_opts {
	unsigned int secs;
	unsigned int mib;
	unsigned int min_mib;
	unsigned int net_mib;
	unsigned int net_min_mib;
	unsigned int hold;
	unsigned int inject;
	unsigned int hotplug;
	unsigned int p2p_mib;
	unsigned int p2p_peers;
	unsigned int scsi;
	unsigned int net;
	unsigned int buf_min_mib;
	char canary[16];
};

void opts_default(struct dl_opts *o);
void opts_parse(struct dl_opts *o, char *cmdline);

/* Block data: one 64-bit word per 8 bytes of the disk. */
unsigned long long blk_word(unsigned long long off, unsigned long long seed);
unsigned long long blk_seed(const char *dev, unsigned int pass);
void blk_fill(unsigned long long *p, unsigned int len, unsigned long long off,
	      unsigned long long seed);
unsigned int blk_check(const unsigned long long *p, unsigned int len,
		       unsigned long long off, unsigned long long seed,
		       unsigned int *first, unsigned int nfirst);

/* Network frames. */
unsigned int net_len(unsigned int seq, unsigned int max);
unsigned int net_word(unsigned int seq, unsigned int i);
void net_build(unsigned char *f, const unsigned char *src,
	       const unsigned char *dst, unsigned short proto,
	       unsigned int seq, unsigned int len);
int net_verify(const unsigned char *f, unsigned int len,
	       const unsigned char *src, const unsigned char *dst,
	       unsigned short proto, unsigned int *seq);

/*
 * Sequence numbers seen lately, as a window of DL_NET_SEEN bits starting at
 * the oldest one not seen yet.
 */
struct dl_seen {
	unsigned int base;
	unsigned long long bits[DL_NET_SEEN / 64];
};

int seen_add(struct dl_seen *sn, unsigned int seq);

/* Guard bytes around a transfer buffer. */
void guard_fill(unsigned char *buf, unsigned int len);
unsigned int guard_check(const unsigned char *buf, unsigned int len);

/* Physically contiguous runs among page frame numbers. */
unsigned int pfn_runs(const unsigned long long *pfn, unsigned int n);
int sys_failed(unsigned long ret);

/* Kernel files. */
int blkstat_parse(const char *stat, unsigned long long *rd_sectors,
		  unsigned long long *wr_sectors);
int pci_from_path(const char *path, char *addr, size_t size);
int vio_from_path(const char *path, char *addr, size_t size);
const char *dev_bus(const char *addr);

#define DL_DUMP_OTHER		0
#define DL_DUMP_STREAMING	1
#define DL_DUMP_COHERENT	2
int dump_parse(const char *line, const char **dev, size_t *devlen);

#define DL_DIR_ANY		0
#define DL_DIR_TO_DEVICE	1
#define DL_DIR_FROM_DEVICE	2
#define DL_DIR_BIDIRECTIONAL	3
int dump_dir(const char *line);
int dump_addrs(const char *line, unsigned long long *phys,
	       unsigned long long *dma);

/*
 * PCI peer-to-peer: dma-debug entries of a peer whose physical address
 * lies in the provider's BAR, by type (kernel/dma/debug.c's type2name).
 */
#define DL_P2P_SINGLE		0
#define DL_P2P_SG		1
#define DL_P2P_RESOURCE		2
#define DL_P2P_OTHER		3
#define DL_P2P_TYPES		4
int dump_p2p(const char *line, const char *pci, unsigned long long lo,
	     unsigned long long hi, int *dma_is_phys);
int resource_find(const char *text, unsigned long long phys,
		  unsigned long long *lo, unsigned long long *hi);
const char *p2p_map(const unsigned int *n, unsigned int samples);
int pte_phys(const char *line, unsigned long long *phys);
const char *p2p_result(unsigned long long bytes, unsigned long long min,
		       unsigned long long bad, unsigned long long refused,
		       unsigned long long ram_ios);

#endif
