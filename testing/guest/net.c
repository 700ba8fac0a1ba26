// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload: the network load.  The first two virtio-net interfaces (sorted
 * by name) are brought up with a large MTU and joined outside the guest
 * (a QEMU hub).  Raw AF_PACKET frames (check.c's net_build()) are sent on
 * one NIC and received and checked on the other, in both directions at
 * once; a window of unacknowledged frames keeps the receiver's socket from
 * overflowing, so every lost frame counts.  Guard bytes around the frame
 * buffers are checked after every frame.
 */

#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <asm/byteorder.h>
#include <asm/socket.h>

#include "dmaload.h"

#define DL_AF_PACKET	17
#define DL_SOCK_RAW	3
#define DL_IFF_UP	0x1
#define DL_NET_MTU	9000
#define DL_NET_WINDOW	64	/* frames in flight per direction */
#define DL_NET_ACK	8	/* receiver wakes the sender every N frames */

struct dl_ifreq {
	char name[16];
	union {
		short flags;
		int mtu;
		int ifindex;
		unsigned char pad[48];
	};
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
int nic_find(struct dl_nic *nic)
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

/*
 * Take the interface down again before power off: the kernel's own
 * frames (IPv6 router solicitations, MLD reports) sent after the
 * device's shutdown broke its queues fail with "Unexpected TXQ (0)
 * queue failure: -5", which the verdict counts as a virtio error.
 */
void nic_down(const struct dl_nic *nic)
{
	struct dl_ifreq ifr;
	int fd;

	fd = sock_open();
	if (fd < 0)
		return;
	memset(&ifr, 0, sizeof(ifr));
	copy_str(ifr.name, nic->name, sizeof(ifr.name));
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) >= 0) {
		ifr.flags &= ~DL_IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
}

/* Bring the interface up with a large MTU and wait for its carrier. */
int nic_setup(struct dl_nic *nic, char *why, size_t whysz)
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

int nic_mtu(const struct dl_nic *nic)
{
	char path[96];
	int ok, mtu;

	snprintf(path, sizeof(path), "/sys/class/net/%s/mtu", nic->name);
	mtu = read_ull(path, &ok);
	return ok && mtu >= 64 && mtu <= DL_NET_MTU ? mtu : 1500;
}

/* A frame buffer of DL_NET_MAX bytes with room for the guards. */
static unsigned char *frame_buf(void)
{
	unsigned char *p = map_private(DL_NET_MAX + 2 * 4096);

	return p ? p + 4096 : NULL;
}

/* Check the guards around the @len bytes at @frame after a frame. */
static void net_guard(struct dl_dev *d, const unsigned char *frame,
		      unsigned int len, unsigned int seq, const char *what)
{
	unsigned int bad = guard_check(frame, len);

	if (!bad)
		return;
	if (d->guard_bad < DL_REPORT)
		say("%s: %u guard bytes changed around the %s buffer, seq=%u",
		    d->name, bad, what, seq);
	d->guard_bad++;
}

void net_sender(struct dl_dev *d, const struct dl_nic *src,
		const struct dl_nic *dst, unsigned short proto, int ackfd,
		unsigned int max)
{
	unsigned long long stall_until;
	struct pollfd pfd = { .fd = ackfd, .events = POLLIN };
	unsigned char *frame, junk[64];
	unsigned int seq, len, stalls = 0;
	int fd;
	long ret;

	frame = frame_buf();
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
		net_build(frame, src->mac, dst->mac, proto, seq, len);
		guard_fill(frame, len);
		ret = write(fd, frame, len);
		net_guard(d, frame, len, seq, "send");
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

void net_receiver(struct dl_dev *d, const struct dl_nic *src,
		  const struct dl_nic *dst, unsigned short proto, int ackfd)
{
	unsigned long long idle_since = 0, hard_end;
	unsigned int seq, len, good = 0, sent, last = 0;
	struct pollfd pfd = { .events = POLLIN };
	struct dl_seen *seen;
	unsigned char *frame;
	unsigned int *w;
	long ret;
	int fd;

	frame = frame_buf();
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
		guard_fill(frame, DL_NET_MAX);
		ret = read(fd, frame, DL_NET_MAX);
		net_guard(d, frame, DL_NET_MAX, last, "receive");
		if (ret < 0) {
			d->errors++;
			if (d->errors >= DL_MAX_ERRORS)
				break;
			continue;
		}
		len = ret;
		if ((opts.inject & DL_INJECT_FRAME) && len >= DL_NET_MIN &&
		    w[1] == 100) {
			say("%s: inject: corrupting seq=100", d->name);
			frame[len - 1] ^= 0x10;
		}
		if (net_verify(frame, len, src->mac, dst->mac, proto, &seq)) {
			if (d->mismatches < DL_REPORT)
				say("%s: bad frame len=%u after seq=%u",
				    d->name, len, last);
			d->mismatches++;
			continue;
		}
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
