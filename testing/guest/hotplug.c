// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload: the NVMe controller's removals and re-adds (dmaload.hotplug);
 * see "Hotplug" at the top of main.c.
 */

#include "dmaload.h"

/* Hotplug: all removals and re-adds seen, and verified after the last. */
int hp_satisfied(const struct dl_dev *d)
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
int hp_may_stop(const struct dl_dev *d)
{
	if (d->hotplug)
		return hp_satisfied(d);
	return !opts.hotplug ||
	       __atomic_load_n(&shared->hp.over, __ATOMIC_ACQUIRE);
}

/* The PCI address of block device @name's controller, e.g. 0000:01:00.0. */
int blk_pci_addr(const char *name, char *addr, int size)
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
struct dl_pci_count {
	const char *pci;
	int n;
};

static void pci_count(const char *line, void *arg)
{
	struct dl_pci_count *c = arg;
	size_t plen = strlen(c->pci);
	const char *sp = strchr(line, ' ');

	if (sp && !strncmp(sp + 1, c->pci, plen) && sp[plen + 1] == ' ')
		c->n++;
}

int dma_debug_entries(const char *pci)
{
	struct dl_pci_count c = { .pci = pci };

	if (read_lines("/sys/kernel/debug/dma-api/dump", pci_count, &c) < 0)
		return -1;
	return c.n;
}

/*
 * Hotplug: an I/O on @d failed.  That is forgiven only if the controller
 * is being removed: its PCI device must leave sysfs within DL_HP_WAIT
 * seconds, or the error is a real one.  Then check that dma-debug holds
 * nothing of it any more, wait for a namespace to come back and open it.
 * Returns the new fd, or -1 to stop.
 */
int hp_replug(struct dl_dev *d, char *path, size_t size)
{
	struct dl_hotplug *hp = &shared->hp;
	char dir[96], name[32], pci[32];
	unsigned long long end, t_err = now_ms();
	int fd, leaked;

	snprintf(dir, sizeof(dir), "/sys/bus/pci/devices/%s", hp->pci);
	end = t_err + DL_HP_WAIT * 1000;
	while (exists(dir)) {
		if (now_ms() >= end) {
			d->errors += hp->removing;
			hp->removing = 0;
			dev_fail(d, "I/O failed, but no removal followed");
			return -1;
		}
		sleep_ms(20);
	}
	hp->removed_errors += hp->removing;
	hp->removing = 0;
	hp->removals++;
	/* Unbound and deleted: whatever it still has mapped leaked. */
	leaked = dma_debug_entries(hp->pci);
	if (leaked < 0)
		hp->leak_unknown = 1;
	else
		hp->leaked += leaked;
	if (leaked < 0)
		say("hotplug removed n=%u pci=%s leaked=? gone_ms=%llu secs=%u",
		    hp->removals, hp->pci, now_ms() - t_err, elapsed_secs());
	else
		say("hotplug removed n=%u pci=%s leaked=%d gone_ms=%llu secs=%u",
		    hp->removals, hp->pci, leaked, now_ms() - t_err,
		    elapsed_secs());

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
	copy_str(d->pci, pci, sizeof(d->pci));
	hp->replugs++;
	hp->verified_after = 0;
	d->gone = 0;
	say("hotplug replugged n=%u as=%s pci=%s secs=%u", hp->replugs, name,
	    pci, elapsed_secs());
	return fd;
}
