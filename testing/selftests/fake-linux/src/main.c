// SPDX-License-Identifier: GPL-2.0
#include "dma.h"

int main(void)
{
	return map_one(0x1200) == 0x1200 ? 0 : 1;
}
