// SPDX-License-Identifier: GPL-2.0
/*
 * Rig check (test only): NVMe DMA straight into VTL0 memory.
 *
 * Writing "<sector> <gpa> [len]" to /sys/kernel/khcl/dmaproof/read reads
 * len bytes (default one page; sector-aligned) from the block device into
 * the ZONE_DEVICE pages of that VTL0 range (khcl_vtl0mem_get_bvecs(), the
 * storage VSP's path); .../write writes them to the device. No bounce
 * buffer: the bio's pages are the VTL0 pages, so the device's DMA lands in
 * (or comes from) the test guest's RAM. .../writepfns takes
 * "<sector> <offset> <len> <pfn>...", a page list as a GPA-direct packet
 * names a buffer, through khcl_vtl0mem_buf_bvecs(): contiguous PFNs become
 * one bio_vec spanning pages, a jump starts another.
 */
#define pr_fmt(fmt) "khcl_dmaproof: " fmt

#include <linux/module.h>
#include <linux/blkdev.h>
#include <linux/bio.h>
#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include "../../include/khcl/khcl_vtl2.h"
#include "../../include/khcl/vmbus_wire.h"

static char *bdev_path = "/dev/nvme0n1";
module_param(bdev_path, charp, 0444);
MODULE_PARM_DESC(bdev_path, "Block device to read from and write to");

static struct kobject *proof_kobj;
static struct khcl_knobs *proof_knobs;

#define PROOF_MAX_PAGES	16

/* One bio over @n bio_vecs at @sector, waited for; the pages stay held. */
static int proof_bio(enum req_op op, u64 sector, struct bio_vec *bv, int n)
{
	struct file *bf;
	struct bio *bio;
	int i, ret;

	bf = bdev_file_open_by_path(bdev_path, BLK_OPEN_READ | BLK_OPEN_WRITE,
				    NULL, NULL);
	if (IS_ERR(bf))
		return PTR_ERR(bf);
	bio = bio_alloc(file_bdev(bf), n, op | REQ_SYNC, GFP_KERNEL);
	bio->bi_iter.bi_sector = sector;
	for (i = 0; i < n; i++)
		__bio_add_page(bio, bv[i].bv_page, bv[i].bv_len,
			       bv[i].bv_offset);
	ret = submit_bio_wait(bio);
	bio_put(bio);
	fput(bf);
	return ret;
}

/* "<sector> <gpa> [len]": one bio over the VTL0 pages of [gpa, gpa+len). */
static int proof_io(enum req_op op, const char *buf)
{
	struct bio_vec bv[PROOF_MAX_PAGES];
	u32 len = PAGE_SIZE;
	u64 sector, gpa;
	int n, ret;

	if (sscanf(buf, "%llu %llx %u", &sector, &gpa, &len) < 2 ||
	    !IS_ALIGNED(gpa, SECTOR_SIZE) || !len ||
	    !IS_ALIGNED(len, SECTOR_SIZE) ||
	    len > (PROOF_MAX_PAGES - 1) * PAGE_SIZE)
		return -EINVAL;
	ret = khcl_vtl0mem_prepare(gpa, len);
	if (ret)
		return ret;
	n = khcl_vtl0mem_get_bvecs(gpa, len, bv, PROOF_MAX_PAGES);
	if (n < 0)
		return n;
	ret = proof_bio(op, sector, bv, n);
	pr_info("%s sector %llu <-> gpa %#llx len %u (%d pages, first pfn %#lx): %d\n",
		op == REQ_OP_READ ? "read" : "write", sector, gpa, len, n,
		page_to_pfn(bv[0].bv_page), ret);
	khcl_vtl0mem_put_bvecs(bv, n);
	return ret;
}

/* "<sector> <offset> <len> <pfn>...": a GPA-direct page list, written */
static int proof_write_pfns(const char *buf)
{
	struct bio_vec bv[PROOF_MAX_PAGES];
	u64 pfns[PROOF_MAX_PAGES], sector;
	struct khcl_gpa_buf b;
	u32 offset, len, npfns = 0;
	int n, used, ret;

	if (sscanf(buf, "%llu %x %u%n", &sector, &offset, &len, &used) < 3 ||
	    !IS_ALIGNED(offset, SECTOR_SIZE) || !IS_ALIGNED(len, SECTOR_SIZE))
		return -EINVAL;
	buf += used;
	while (npfns < PROOF_MAX_PAGES &&
	       sscanf(buf, "%llx%n", &pfns[npfns], &used) == 1) {
		npfns++;
		buf += used;
	}
	b.pfns = (const u8 *)pfns;
	b.npfns = npfns;
	b.offset = offset;
	b.len = len;
	n = khcl_vtl0mem_buf_bvecs(&b, len, bv, PROOF_MAX_PAGES);
	if (n < 0)
		return n;
	ret = proof_bio(REQ_OP_WRITE, sector, bv, n);
	pr_info("write sector %llu <- %u pfns from %#llx, offset %#x, len %u: %d bio_vecs, the first %u bytes: %d\n",
		sector, npfns, pfns[0], offset, len, n, bv[0].bv_len, ret);
	khcl_vtl0mem_put_bvecs(bv, n);
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

static ssize_t writepfns_store(struct kobject *k, struct kobj_attribute *a,
			       const char *buf, size_t count)
{
	int ret = proof_write_pfns(buf);

	return ret ? ret : count;
}

static struct kobj_attribute read_attr = __ATTR_WO(read);
static struct kobj_attribute write_attr = __ATTR_WO(write);
static struct kobj_attribute writepfns_attr = __ATTR_WO(writepfns);

static struct attribute *proof_attrs[] = {
	&read_attr.attr,
	&write_attr.attr,
	&writepfns_attr.attr,
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
	if (ret) {
		kobject_put(proof_kobj);
		return ret;
	}
	proof_knobs = khcl_knobs_add(proof_kobj, THIS_MODULE);
	return 0;
}

static void __exit proof_exit(void)
{
	khcl_knobs_remove(proof_knobs);
	sysfs_remove_group(proof_kobj, &proof_group);
	kobject_put(proof_kobj);
}

module_init(proof_init);
module_exit(proof_exit);
MODULE_DESCRIPTION("khcl rig check: NVMe DMA into VTL0 pages");
MODULE_LICENSE("GPL");
