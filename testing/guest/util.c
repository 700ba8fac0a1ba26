// SPDX-License-Identifier: GPL-2.0
/*
 * dmaload: output, time, files and memory, for every unit.
 */

#include "dmaload.h"

/* One write() per line, so that lines from the workers do not mix. */
void say(const char *fmt, ...)
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
void copy_str(char *dst, const char *src, size_t size)
{
	size_t len = strnlen(src, size - 1);

	memcpy(dst, src, len);
	dst[len] = 0;
}

unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

unsigned int elapsed_secs(void)
{
	return (now_ms() - t_start) / 1000;
}

unsigned long long deadline_ms(void)
{
	return t_start + (unsigned long long)opts.secs * 1000;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (ms % 1000) * 1000000L,
	};

	nanosleep(&ts, NULL);
}

int read_file(const char *path, char *buf, int size)
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

/*
 * Call @fn for every line of @path (without its newline; a line longer
 * than 199 bytes is cut there).  0, or -1 if @path cannot be read.
 */
int read_lines(const char *path, void (*fn)(const char *line, void *arg),
	       void *arg)
{
	char buf[4096], line[200];
	int fd, len, i, ll = 0;

	fd = open(path, O_RDONLY);
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
			fn(line, arg);
		}
	}
	close(fd);
	return len < 0 ? -1 : 0;
}

int write_file(const char *path, const char *val)
{
	int fd, ret;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val));
	close(fd);
	return ret < 0 ? -1 : 0;
}

unsigned long long read_ull(const char *path, int *ok)
{
	char buf[64];

	*ok = read_file(path, buf, sizeof(buf)) > 0;
	return *ok ? strtoull(buf, NULL, 0) : 0;
}

/* readlink(), terminated; nolibc has none.  Returns the length or -1. */
int read_link(const char *path, char *buf, int size)
{
	long len;

	len = my_syscall4(__NR_readlinkat, AT_FDCWD, path, buf, size - 1);
	if (len < 0)
		return -1;
	buf[len] = 0;
	return len;
}

void *map_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void *map_private(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* 64-bit seek that works on 32-bit architectures too. */
int seek_to(int fd, unsigned long long off)
{
#if defined(__NR__llseek)
	long long res;

	return my_syscall5(__NR__llseek, fd, (unsigned long)(off >> 32),
			   (unsigned long)off, &res, SEEK_SET) < 0 ? -1 : 0;
#else
	return lseek(fd, (off_t)off, SEEK_SET) < 0 ? -1 : 0;
#endif
}

/* Does @path exist? */
int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

int wait_for(const char *path, unsigned int ms)
{
	unsigned long long end = now_ms() + ms;

	while (!exists(path)) {
		if (now_ms() >= end)
			return -1;
		sleep_ms(50);
	}
	return 0;
}

/*
 * The PCI address of the device behind @sysdir/@name (/sys/block/vda,
 * /sys/class/net/eth0): the link leads through it.  A device on
 * powerpc's vio bus (/sys/block/sda behind ibmvscsi) has none: its vio
 * unit address instead, dma-debug's name for it.  Returns 0 or -1.
 */
int dev_pci(const char *sysdir, const char *name, char *addr, size_t size)
{
	char path[96], link[256];

	snprintf(path, sizeof(path), "%s/%s", sysdir, name);
	if (read_link(path, link, sizeof(link)) < 0)
		return -1;
	if (!pci_from_path(link, addr, size))
		return 0;
	return vio_from_path(link, addr, size);
}

void dev_finish(struct dl_dev *d)
{
	if (!d->secs)
		d->secs = elapsed_secs();
	if (!d->min) {
		/* A check that was told to do nothing never passes. */
		say("%s: asked to verify nothing (min_bytes=0)", d->name);
		d->result = DL_FAIL;
	} else if (d->mismatches || d->errors || d->guard_bad) {
		d->result = DL_FAIL;
	} else if (d->bytes >= d->min) {
		d->result = DL_PASS;
	} else {
		d->result = DL_SHORT;
	}
}

void dev_fail(struct dl_dev *d, const char *why)
{
	copy_str(d->why, why, sizeof(d->why));
	d->errors++;
	d->secs = elapsed_secs();
	d->result = DL_FAIL;
	say("%s: %s", d->name, why);
}
