// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark guest's init (ci/perf/boot-arch): load /dma_bench.ko
 * (testing/dma-bench) with the parameters the kernel command line gave
 * in BENCH_ARGS="dev=... calls=..." (the kernel hands init every
 * unknown name=value word as an environment variable), say how the
 * load went, and power the machine off.  The module prints its batches
 * to the console itself, from its init, with nothing else running.
 *
 * Built with the kernel tree's nolibc: no C library in the guest.
 */
#include <linux/reboot.h>

static void say(const char *s)
{
	write(1, s, strlen(s));
}

static void say_num(long v)
{
	char buf[24];
	int i = sizeof(buf);
	int neg = v < 0;
	unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;

	buf[--i] = '\0';
	do {
		buf[--i] = '0' + u % 10;
		u /= 10;
	} while (u && i > 1);
	if (neg && i > 0)
		buf[--i] = '-';
	say(buf + i);
}

int main(int argc, char **argv, char **envp)
{
	const char *args = getenv("BENCH_ARGS");
	long ret;
	int fd;

	(void)argc;
	(void)argv;
	(void)envp;
	fd = open("/dev/console", O_WRONLY);
	if (fd >= 0 && fd != 1)
		dup2(fd, 1);
	if (!args)
		args = "";
	fd = open("/dma_bench.ko", O_RDONLY);
	ret = fd < 0 ? -errno : my_syscall3(__NR_finit_module, fd, args, 0);
	say("benchinit: finit_module=");
	say_num(ret);
	say(" args=");
	say(args);
	say("\n");
	my_syscall0(__NR_sync);
	my_syscall4(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		    LINUX_REBOOT_CMD_POWER_OFF, 0);
	return 0;
}
