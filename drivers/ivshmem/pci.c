// SPDX-License-Identifier: GPL-2.0
/*
 * khcl rig backend: QEMU ivshmem devices.
 *
 * The rig gives the VTL2 VM two ivshmem devices (PCI 1af4:1110):
 *  - ivshmem-plain: BAR2 is the test guest's whole RAM (a shared file), so
 *    VTL0 GPA == BAR2 offset. It is declared to the platform core as VTL0
 *    RAM, which registers it at once as compound ZONE_DEVICE pages.
 *  - ivshmem-doorbell (has MSI-X, BAR1): the SynIC mailbox, shared with the
 *    test guest through the rig's ivshmem server; mbox.c makes it the
 *    platform core's message/event transport.
 */
#define pr_fmt(fmt) "khcl_ivshmem: " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/io.h>
#include "ivshmem.h"

static int khcl_ivshmem_probe(struct pci_dev *pdev,
			      const struct pci_device_id *id)
{
	struct khcl_ivshmem *iv;
	resource_size_t start, len;
	int ret;

	iv = devm_kzalloc(&pdev->dev, sizeof(*iv), GFP_KERNEL);
	if (!iv)
		return -ENOMEM;
	iv->pdev = pdev;
	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);

	start = pci_resource_start(pdev, 2);
	len = pci_resource_len(pdev, 2);
	if (!len || !(pci_resource_flags(pdev, 2) & IORESOURCE_MEM)) {
		dev_err(&pdev->dev, "no shared memory BAR\n");
		return -ENODEV;
	}
	iv->mailbox = pci_resource_len(pdev, 1) != 0;
	iv->regs = pcim_iomap(pdev, 0, 0);
	if (!iv->regs)
		return -ENOMEM;

	if (iv->mailbox) {
		iv->shm = devm_memremap(&pdev->dev, start, len, MEMREMAP_WB);
		if (IS_ERR(iv->shm))
			return PTR_ERR(iv->shm);
		iv->shm_len = len;
		ret = khcl_mbox_start(iv);
		if (ret) {
			dev_err(&pdev->dev, "mailbox: %d\n", ret);
			return ret;
		}
	} else {
		ret = khcl_vtl0mem_add(0, len, start);
		if (ret) {
			dev_err(&pdev->dev, "VTL0 RAM registration: %d\n", ret);
			return ret;
		}
		dev_info(&pdev->dev, "VTL0 RAM: %pa bytes at %pa\n", &len,
			 &start);
	}
	pci_set_drvdata(pdev, iv);
	return 0;
}

static void khcl_ivshmem_remove(struct pci_dev *pdev)
{
	struct khcl_ivshmem *iv = pci_get_drvdata(pdev);

	if (iv->mailbox) {
		khcl_mbox_stop(iv);
		return;
	}
	/* a PCI remove cannot fail: wait for the holders, and say so */
	while (khcl_vtl0mem_remove_all() == -EBUSY) {
		pr_warn_ratelimited("VTL0 pages still held, waiting to remove VTL0 RAM\n");
		msleep(100);
	}
}

static const struct pci_device_id khcl_ivshmem_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x1110) },
	{ }
};
MODULE_DEVICE_TABLE(pci, khcl_ivshmem_ids);

static struct pci_driver khcl_ivshmem_driver = {
	.name = "khcl_ivshmem",
	.id_table = khcl_ivshmem_ids,
	.probe = khcl_ivshmem_probe,
	.remove = khcl_ivshmem_remove,
};
static struct khcl_knobs *iv_knobs;

static int __init khcl_ivshmem_init(void)
{
	int ret = pci_register_driver(&khcl_ivshmem_driver);

	if (!ret)	/* /sys/kernel/khcl/ivshmem/poll_ms */
		iv_knobs = khcl_knobs_dir("ivshmem", THIS_MODULE);
	return ret;
}

static void __exit khcl_ivshmem_exit(void)
{
	khcl_knobs_remove(iv_knobs);
	pci_unregister_driver(&khcl_ivshmem_driver);
}

module_init(khcl_ivshmem_init);
module_exit(khcl_ivshmem_exit);

MODULE_DESCRIPTION("khcl rig backend: VTL0 RAM and mailbox over ivshmem");
MODULE_LICENSE("GPL");
