// SPDX-License-Identifier: GPL-2.0
#include "dma.h"

unsigned long long map_one(unsigned long long phys)
{
	unsigned long long page = phys & ~0xfffULL;
	unsigned long long offset = phys & 0xfffULL;

	return page + offset;
}
