// SPDX-License-Identifier: GPL-2.0
/*
 * dma_canary - a module that misuses the DMA API on purpose.
 *
 * The kernel-side canary of ci/boot/canaries: the guest (dmaload with
 * dmaload.canary=module) loads it, it registers a platform device with a
 * 32-bit DMA mask, maps a buffer with dma_map_single() and unmaps it with
 * half the size.  dma-debug must report "DMA-API: ... device driver
 * frees DMA memory with different size"; a boot in which it does not is
 * a harness that cannot be trusted.  Never load it anywhere else.
 */

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#define CANARY_SIZE	4096

static struct platform_device *canary_pdev;

static int __init dma_canary_init(void)
{
	struct device *dev;
	dma_addr_t addr;
	void *buf;
	int ret;

	canary_pdev = platform_device_register_simple("dma_canary", -1,
						      NULL, 0);
	if (IS_ERR(canary_pdev))
		return PTR_ERR(canary_pdev);
	dev = &canary_pdev->dev;
	ret = dma_coerce_mask_and_coherent(dev, DMA_BIT_MASK(32));
	if (ret)
		goto out_unregister;
	buf = kmalloc(CANARY_SIZE, GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto out_unregister;
	}
	addr = dma_map_single(dev, buf, CANARY_SIZE, DMA_TO_DEVICE);
	if (dma_mapping_error(dev, addr)) {
		ret = -EIO;
		goto out_free;
	}
	pr_info("dma_canary: mapped %d bytes, unmapping %d\n", CANARY_SIZE,
		CANARY_SIZE / 2);
	/* The misuse: dma-debug must complain about the size. */
	dma_unmap_single(dev, addr, CANARY_SIZE / 2, DMA_TO_DEVICE);
	kfree(buf);
	return 0;

out_free:
	kfree(buf);
out_unregister:
	platform_device_unregister(canary_pdev);
	return ret;
}

static void __exit dma_canary_exit(void)
{
	platform_device_unregister(canary_pdev);
}

module_init(dma_canary_init);
module_exit(dma_canary_exit);
MODULE_DESCRIPTION("Misuses the DMA API so that dma-debug must report it");
MODULE_LICENSE("GPL");
