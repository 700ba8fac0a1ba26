/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmaload against a C library instead of nolibc: what nolibc.h gives
 * the units, for an architecture nolibc does not support (alpha).
 * testing/guest/build includes it in every unit when the arch conf says
 * GUEST_LIBC=glibc; the program is then linked statically against the
 * cross toolchain's glibc.
 */
#ifndef DMALOAD_GLIBC_H
#define DMALOAD_GLIBC_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

/* nolibc's raw system calls return -errno, as the kernel does. */
static inline long dl_raw_ret(long ret)
{
	return ret == -1 ? -errno : ret;
}

#define my_syscall0(nr)			dl_raw_ret(syscall(nr))
#define my_syscall3(nr, a, b, c)	dl_raw_ret(syscall(nr, a, b, c))
#define my_syscall4(nr, a, b, c, d)	dl_raw_ret(syscall(nr, a, b, c, d))
#define my_syscall5(nr, a, b, c, d, e)	dl_raw_ret(syscall(nr, a, b, c, d, e))

#endif
