// SPDX-License-Identifier: GPL-2.0
/*
 * dma_bench - batches of streaming DMA map+unmap, timed, for issue 13.
 *
 * Loaded once per boot by the benchmark guest's init (testing/perf/init.c,
 * booted by ci/perf/boot-arch), it maps and unmaps a buffer through the
 * DMA path of one PCI device, dev= (0000:00:04.0 by default).  The
 * device never does DMA for it: it only supplies the path its struct
 * device has (dma-direct, swiotlb, iommu-dma strict or lazy, a
 * dma_map_ops provider), and one of its memory BARs for
 * dma_map_resource().
 *
 * For each api (page: dma_map_page(); phys: dma_map_phys(), only where
 * the tree has it; resource: dma_map_resource() of the BAR), each size
 * of sizes= and each sub-page offset of offsets= (resource: offset 0
 * only), direction DMA_TO_DEVICE, one batch is:
 *
 *	local_irq_save(); t0 = clock;
 *	calls x (map, count a mapping error, unmap);
 *	t1 = clock; local_irq_restore();
 *
 * after an untimed warm-up of the same api, size and offset.  One line
 * per batch, then a done line:
 *
 *	dmabench: api=page size=4096 offset=0 calls=16384 ns=123456789 errors=0
 *	dmabench: done path=direct batches=20
 *
 * The clock is ktime_get_raw_ns(): it reads the clocksource itself
 * (on a QEMU x86 guest the TSC, which under -icount is QEMU's virtual
 * clock), so it keeps counting with interrupts off, and it is not
 * adjusted by NTP.  local_clock() is not used: on x86 it falls back to
 * jiffies when the TSC is not trusted, and jiffies do not move with
 * interrupts off.  Under QEMU -icount shift=0 one guest nanosecond is
 * one instruction executed, so ns= counts instructions.
 *
 * The module's init returns -EAGAIN after the run (nothing stays
 * loaded), or the error that stopped it.  Never load it on a machine
 * whose device does real work: it changes the device's DMA mask.
 */

#include <linux/dma-map-ops.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/swiotlb.h>
#include <linux/timekeeping.h>

#define DMA_BENCH_MAX_VALUES	16
#define DMA_BENCH_MIN_CALLS	10000
#define DMA_BENCH_WARMUP	1024

static char *dev = "0000:00:04.0";
module_param(dev, charp, 0444);
MODULE_PARM_DESC(dev, "PCI device whose DMA path is measured");

static unsigned int calls = 16384;
module_param(calls, uint, 0444);
MODULE_PARM_DESC(calls, "map+unmap calls per batch (at least 10000)");

static unsigned int sizes[DMA_BENCH_MAX_VALUES] = { 64, 1500, 4096, 65536 };
static unsigned int nr_sizes = 4;
module_param_array(sizes, uint, &nr_sizes, 0444);
MODULE_PARM_DESC(sizes, "mapping sizes in bytes");

static unsigned int offsets[DMA_BENCH_MAX_VALUES] = { 0, 256 };
static unsigned int nr_offsets = 2;
module_param_array(offsets, uint, &nr_offsets, 0444);
MODULE_PARM_DESC(offsets, "sub-page offsets of the buffer in bytes");

enum dma_bench_api {
	DMA_BENCH_PAGE,
	DMA_BENCH_PHYS,
	DMA_BENCH_RESOURCE,
};

static const char * const dma_bench_api_names[] = {
	[DMA_BENCH_PAGE] = "page",
	[DMA_BENCH_PHYS] = "phys",
	[DMA_BENCH_RESOURCE] = "resource",
};

struct dma_bench {
	struct device *dev;
	struct page *page;
	phys_addr_t mmio;
	resource_size_t mmio_len;
};

static const char *dma_bench_path(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	if (domain && domain->type == IOMMU_DOMAIN_DMA)
		return "iommu-strict";
	if (domain && domain->type == IOMMU_DOMAIN_DMA_FQ)
		return "iommu-lazy";
	if (get_dma_ops(dev))
		return "ops";
	if (is_swiotlb_force_bounce(dev))
		return "swiotlb";
	return "direct";
}

/*
 * One loop per api, each a function of its own, so that the code around
 * the calls of one api is the same whether the module was built with
 * dma_map_phys() or without it.  Each returns the mapping errors.
 */
static noinline unsigned int dma_bench_page(struct dma_bench *b, size_t size,
					    unsigned int offset,
					    unsigned int n)
{
	unsigned int i, errors = 0;
	dma_addr_t addr;

	for (i = 0; i < n; i++) {
		addr = dma_map_page(b->dev, b->page, offset, size,
				    DMA_TO_DEVICE);
		if (dma_mapping_error(b->dev, addr)) {
			errors++;
			continue;
		}
		dma_unmap_page(b->dev, addr, size, DMA_TO_DEVICE);
	}
	return errors;
}

#ifdef DMA_BENCH_HAVE_PHYS
static noinline unsigned int dma_bench_phys(struct dma_bench *b, size_t size,
					    unsigned int offset,
					    unsigned int n)
{
	phys_addr_t phys = page_to_phys(b->page) + offset;
	unsigned int i, errors = 0;
	dma_addr_t addr;

	for (i = 0; i < n; i++) {
		addr = dma_map_phys(b->dev, phys, size, DMA_TO_DEVICE, 0);
		if (dma_mapping_error(b->dev, addr)) {
			errors++;
			continue;
		}
		dma_unmap_phys(b->dev, addr, size, DMA_TO_DEVICE, 0);
	}
	return errors;
}
#endif

static noinline unsigned int dma_bench_resource(struct dma_bench *b,
						size_t size,
						unsigned int offset,
						unsigned int n)
{
	unsigned int i, errors = 0;
	dma_addr_t addr;

	for (i = 0; i < n; i++) {
		addr = dma_map_resource(b->dev, b->mmio, size, DMA_TO_DEVICE,
					0);
		if (dma_mapping_error(b->dev, addr)) {
			errors++;
			continue;
		}
		dma_unmap_resource(b->dev, addr, size, DMA_TO_DEVICE, 0);
	}
	return errors;
}

static unsigned int dma_bench_loop(struct dma_bench *b,
				   enum dma_bench_api api, size_t size,
				   unsigned int offset, unsigned int n)
{
	switch (api) {
	case DMA_BENCH_PAGE:
		return dma_bench_page(b, size, offset, n);
#ifdef DMA_BENCH_HAVE_PHYS
	case DMA_BENCH_PHYS:
		return dma_bench_phys(b, size, offset, n);
#endif
	case DMA_BENCH_RESOURCE:
		return dma_bench_resource(b, size, offset, n);
	default:
		return n;
	}
}

static void dma_bench_batch(struct dma_bench *b, enum dma_bench_api api,
			    size_t size, unsigned int offset)
{
	unsigned long flags;
	unsigned int errors;
	u64 t0, t1;

	/* Warm-up, untimed: first-use work (IOVA caches, page tables). */
	dma_bench_loop(b, api, size, offset, min(calls, DMA_BENCH_WARMUP));

	local_irq_save(flags);
	t0 = ktime_get_raw_ns();
	errors = dma_bench_loop(b, api, size, offset, calls);
	t1 = ktime_get_raw_ns();
	local_irq_restore(flags);

	pr_info("dmabench: api=%s size=%zu offset=%u calls=%u ns=%llu errors=%u\n",
		dma_bench_api_names[api], size, offset, calls, t1 - t0, errors);
}

/* The device's first memory BAR, for dma_map_resource(). */
static int dma_bench_find_bar(struct dma_bench *b, struct pci_dev *pdev)
{
	int i;

	for (i = 0; i < PCI_STD_NUM_BARS; i++) {
		if (!(pci_resource_flags(pdev, i) & IORESOURCE_MEM) ||
		    !pci_resource_len(pdev, i))
			continue;
		b->mmio = pci_resource_start(pdev, i);
		b->mmio_len = pci_resource_len(pdev, i);
		return 0;
	}
	return -ENODEV;
}

static int __init dma_bench_init(void)
{
	struct dma_bench b = {};
	unsigned int i, j, batches = 0, order;
	size_t max_len = 0;
	struct pci_dev *pdev;
	struct device *d;
	int ret;

	if (calls < DMA_BENCH_MIN_CALLS) {
		pr_err("dmabench: calls=%u, at least %u wanted\n", calls,
		       DMA_BENCH_MIN_CALLS);
		return -EINVAL;
	}
	for (i = 0; i < nr_offsets; i++) {
		if (offsets[i] >= PAGE_SIZE) {
			pr_err("dmabench: offset %u is not a sub-page offset\n",
			       offsets[i]);
			return -EINVAL;
		}
	}
	for (i = 0; i < nr_sizes; i++) {
		if (!sizes[i]) {
			pr_err("dmabench: size 0\n");
			return -EINVAL;
		}
		max_len = max_t(size_t, max_len, sizes[i] + PAGE_SIZE);
	}

	d = bus_find_device_by_name(&pci_bus_type, NULL, dev);
	if (!d) {
		pr_err("dmabench: no PCI device %s\n", dev);
		return -ENODEV;
	}
	pdev = to_pci_dev(d);
	b.dev = d;
	ret = dma_bench_find_bar(&b, pdev);
	if (ret) {
		pr_err("dmabench: %s has no memory BAR\n", dev);
		goto out_put;
	}
	for (i = 0; i < nr_sizes; i++) {
		if (sizes[i] > b.mmio_len) {
			pr_err("dmabench: size %u is larger than the BAR of %s (%llu bytes)\n",
			       sizes[i], dev, (unsigned long long)b.mmio_len);
			ret = -EINVAL;
			goto out_put;
		}
	}
	/* As a driver for a 64-bit capable device would. */
	ret = dma_set_mask_and_coherent(d, DMA_BIT_MASK(64));
	if (ret) {
		pr_err("dmabench: dma_set_mask_and_coherent: %d\n", ret);
		goto out_put;
	}
	order = get_order(max_len);
	b.page = alloc_pages(GFP_KERNEL, order);
	if (!b.page) {
		ret = -ENOMEM;
		goto out_put;
	}

	for (i = 0; i < nr_sizes; i++) {
		for (j = 0; j < nr_offsets; j++) {
			dma_bench_batch(&b, DMA_BENCH_PAGE, sizes[i], offsets[j]);
			batches++;
#ifdef DMA_BENCH_HAVE_PHYS
			dma_bench_batch(&b, DMA_BENCH_PHYS, sizes[i], offsets[j]);
			batches++;
#endif
		}
		dma_bench_batch(&b, DMA_BENCH_RESOURCE, sizes[i], 0);
		batches++;
	}
	pr_info("dmabench: done path=%s batches=%u\n", dma_bench_path(d),
		batches);

	__free_pages(b.page, order);
	/* Nothing to keep loaded: the run is over. */
	ret = -EAGAIN;
out_put:
	put_device(d);
	return ret;
}

module_init(dma_bench_init);
MODULE_DESCRIPTION("Times batches of DMA map+unmap calls on one device's path");
MODULE_LICENSE("GPL");
