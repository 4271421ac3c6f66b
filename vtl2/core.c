// SPDX-License-Identifier: GPL-2.0
/*
 * khcl platform core: the /sys/kernel/khcl root and the VTL0 memory map's
 * counters (/sys/kernel/khcl/vtl0mem/).
 */
#define pr_fmt(fmt) "khcl_vtl2: " fmt

#include <linux/module.h>
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include "../include/khcl/khcl_vtl2.h"
#include "vtl2_priv.h"

struct kobject *khcl_kobj;
EXPORT_SYMBOL_GPL(khcl_kobj);

static struct kobject *vtl0mem_kobj;
static struct khcl_knobs *vtl2_knobs;

#define KHCL_STAT_ATTR(name)						\
static ssize_t name##_show(struct kobject *k, struct kobj_attribute *a,	\
			   char *buf)					\
{									\
	return sysfs_emit(buf, "%lld\n",				\
			  atomic64_read(&khcl_vtl0mem_stats.name));	\
}									\
static struct kobj_attribute name##_attr = __ATTR_RO(name)

KHCL_STAT_ATTR(chunks_registered);
KHCL_STAT_ATTR(bad_gpa);
KHCL_STAT_ATTR(unprepared);
KHCL_STAT_ATTR(memmap_cap_hits);

static ssize_t memmap_bytes_show(struct kobject *k, struct kobj_attribute *a,
				 char *buf)
{
	return sysfs_emit(buf, "%llu\n", khcl_vtl0mem_memmap_bytes());
}
static struct kobj_attribute memmap_bytes_attr = __ATTR_RO(memmap_bytes);

static ssize_t ranges_show(struct kobject *k, struct kobj_attribute *a,
			   char *buf)
{
	return khcl_vtl0mem_describe(buf);
}
static struct kobj_attribute ranges_attr = __ATTR_RO(ranges);

static struct attribute *vtl0mem_attrs[] = {
	&chunks_registered_attr.attr,
	&bad_gpa_attr.attr,
	&unprepared_attr.attr,
	&memmap_cap_hits_attr.attr,
	&memmap_bytes_attr.attr,
	&ranges_attr.attr,
	NULL,
};

static const struct attribute_group vtl0mem_group = {
	.attrs = vtl0mem_attrs,
};

static int __init khcl_vtl2_init(void)
{
	int ret;

	khcl_kobj = kobject_create_and_add("khcl", kernel_kobj);
	if (!khcl_kobj)
		return -ENOMEM;
	vtl0mem_kobj = kobject_create_and_add("vtl0mem", khcl_kobj);
	if (!vtl0mem_kobj) {
		ret = -ENOMEM;
		goto err_root;
	}
	ret = sysfs_create_group(vtl0mem_kobj, &vtl0mem_group);
	if (ret)
		goto err_mem;
	/* max_memmap_kb, max_order: memory map knobs */
	vtl2_knobs = khcl_knobs_add(vtl0mem_kobj, THIS_MODULE);
	pr_info("platform core loaded\n");
	return 0;

err_mem:
	kobject_put(vtl0mem_kobj);
err_root:
	kobject_put(khcl_kobj);
	return ret;
}

static void __exit khcl_vtl2_exit(void)
{
	/* every user of VTL0 pages depends on this module: none is held */
	WARN_ON(khcl_vtl0mem_remove_all());
	khcl_knobs_remove(vtl2_knobs);
	sysfs_remove_group(vtl0mem_kobj, &vtl0mem_group);
	kobject_put(vtl0mem_kobj);
	kobject_put(khcl_kobj);
}

module_init(khcl_vtl2_init);
module_exit(khcl_vtl2_exit);
MODULE_DESCRIPTION("khcl platform core (VTL0 memory map, sysfs root)");
MODULE_LICENSE("GPL");
