/* SPDX-License-Identifier: GPL-2.0 */
unsigned long long map_one(unsigned long long phys);
