// SPDX-License-Identifier: GPL-2.0
/*
 * Rig check (test only): NVMe DMA straight into VTL0 memory.
 *
 * Writing "<sector> <gpa>" to /sys/kernel/khcl/dmaproof/read reads one page
 * from the block device into the ZONE_DEVICE page of that VTL0 GPA;
 * .../write writes the page at that GPA to the device. No bounce buffer:
 * the bio's only page is the VTL0 page, so the device's DMA lands in (or
 * comes from) the test guest's RAM.
 */
#define pr_fmt(fmt) "khcl_dmaproof: " fmt

#include <linux/module.h>
#include <linux/blkdev.h>
#include <linux/bio.h>
#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include "../../vtl2/khcl_vtl2.h"

static char *bdev_path = "/dev/nvme0n1";
module_param(bdev_path, charp, 0444);
MODULE_PARM_DESC(bdev_path, "Block device to read from and write to");

static struct kobject *proof_kobj;

static int proof_io(enum req_op op, const char *buf)
{
	struct file *bf;
	struct page *page;
	struct bio *bio;
	u64 sector, gpa;
	int ret;

	if (sscanf(buf, "%llu %llx", &sector, &gpa) != 2 ||
	    !PAGE_ALIGNED(gpa))
		return -EINVAL;
	ret = khcl_vtl0mem_prepare(gpa, PAGE_SIZE);
	if (ret)
		return ret;
	page = khcl_vtl0mem_get_page(gpa);
	if (!page)
		return -EFAULT;

	bf = bdev_file_open_by_path(bdev_path, BLK_OPEN_READ | BLK_OPEN_WRITE,
				    NULL, NULL);
	if (IS_ERR(bf)) {
		ret = PTR_ERR(bf);
		goto out_page;
	}
	bio = bio_alloc(file_bdev(bf), 1, op | REQ_SYNC, GFP_KERNEL);
	bio->bi_iter.bi_sector = sector;
	__bio_add_page(bio, page, PAGE_SIZE, 0);
	ret = submit_bio_wait(bio);
	bio_put(bio);
	fput(bf);
	pr_info("%s sector %llu <-> gpa %#llx (pfn %#lx): %d\n",
		op == REQ_OP_READ ? "read" : "write", sector, gpa,
		page_to_pfn(page), ret);
out_page:
	khcl_vtl0mem_put_page(page);
	return ret;
}

static ssize_t read_store(struct kobject *k, struct kobj_attribute *a,
			  const char *buf, size_t count)
{
	int ret = proof_io(REQ_OP_READ, buf);

	return ret ? ret : count;
}

static ssize_t write_store(struct kobject *k, struct kobj_attribute *a,
			   const char *buf, size_t count)
{
	int ret = proof_io(REQ_OP_WRITE, buf);

	return ret ? ret : count;
}

static struct kobj_attribute read_attr = __ATTR_WO(read);
static struct kobj_attribute write_attr = __ATTR_WO(write);

static struct attribute *proof_attrs[] = {
	&read_attr.attr,
	&write_attr.attr,
	NULL,
};

static const struct attribute_group proof_group = {
	.attrs = proof_attrs,
};

static int __init proof_init(void)
{
	int ret;

	proof_kobj = kobject_create_and_add("dmaproof", khcl_kobj);
	if (!proof_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(proof_kobj, &proof_group);
	if (ret)
		kobject_put(proof_kobj);
	return ret;
}

static void __exit proof_exit(void)
{
	sysfs_remove_group(proof_kobj, &proof_group);
	kobject_put(proof_kobj);
}

module_init(proof_init);
module_exit(proof_exit);
MODULE_DESCRIPTION("khcl rig check: NVMe DMA into VTL0 pages");
MODULE_LICENSE("GPL");
