// SPDX-License-Identifier: GPL-2.0
/*
 * Every khcl knob lives in two places (DESIGN.md's contract): as a
 * module parameter (set at load, khcl.<module>.<knob>= on the kernel
 * command line) and under /sys/kernel/khcl/<module>/. The second is a
 * mirror of the first: one attribute per parameter, same permissions,
 * reading and writing through the parameter's own ops under the module's
 * parameter lock, so the two can never disagree.
 */
#define pr_fmt(fmt) "khcl_vtl2: " fmt

#include <linux/kernfs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "../include/khcl/khcl_vtl2.h"

struct khcl_knob_attr {
	struct kobj_attribute ka;
	const struct kernel_param *kp;
	struct module *mod;
};

struct khcl_knobs {
	struct kobject *dir;
	bool own_dir;			/* made by khcl_knobs_dir() */
	unsigned int n;
	struct khcl_knob_attr attr[];
};

static ssize_t knob_show(struct kobject *k, struct kobj_attribute *a,
			 char *buf)
{
	struct khcl_knob_attr *ka = container_of(a, struct khcl_knob_attr, ka);
	int ret;

	kernel_param_lock(ka->mod);
	ret = ka->kp->ops->get(buf, ka->kp);
	kernel_param_unlock(ka->mod);
	return ret;
}

static ssize_t knob_store(struct kobject *k, struct kobj_attribute *a,
			  const char *buf, size_t len)
{
	struct khcl_knob_attr *ka = container_of(a, struct khcl_knob_attr, ka);
	char *val;
	int ret;

	/* like the parameter's own sysfs file: no trailing newline */
	val = kstrndup(buf, len, GFP_KERNEL);
	if (!val)
		return -ENOMEM;
	strim(val);
	kernel_param_lock(ka->mod);
	ret = ka->kp->ops->set(val, ka->kp);
	kernel_param_unlock(ka->mod);
	kfree(val);
	return ret ? ret : len;
}

struct khcl_knobs *khcl_knobs_add(struct kobject *dir, struct module *mod)
{
	const struct kernel_param *kp;
	unsigned int i, n;
	struct khcl_knob_attr *ka;
	struct kernfs_node *old;
	struct khcl_knobs *k;
	int ret;

	if (!mod)		/* built in: its parameters live elsewhere */
		return NULL;
	kp = mod->kp;
	n = mod->num_kp;
	k = kzalloc(struct_size(k, attr, n), GFP_KERNEL);
	if (!k)
		return NULL;
	k->dir = dir;
	for (i = 0; i < n; i++) {
		ka = &k->attr[k->n];
		sysfs_attr_init(&ka->ka.attr);
		ka->ka.attr.name = kp[i].name;
		ka->ka.attr.mode = kp[i].perm & 0644;
		ka->ka.show = kp[i].ops->get ? knob_show : NULL;
		ka->ka.store = (kp[i].perm & 0200) && kp[i].ops->set ?
			       knob_store : NULL;
		ka->kp = &kp[i];
		ka->mod = mod;
		if (!ka->ka.attr.mode)
			continue;	/* hidden parameters stay hidden */
		/*
		 * The module shows one itself: keep it, and do not even try
		 * (sysfs_create_file() dumps a stack on a duplicate name).
		 */
		old = kernfs_find_and_get(dir->sd, kp[i].name);
		if (old) {
			kernfs_put(old);
			continue;
		}
		ret = sysfs_create_file(dir, &ka->ka.attr);
		if (ret) {
			pr_warn("%s: knob %s not under /sys/kernel/khcl: %d\n",
				mod->name, kp[i].name, ret);
			continue;
		}
		k->n++;
	}
	return k;
}
EXPORT_SYMBOL_GPL(khcl_knobs_add);

struct khcl_knobs *khcl_knobs_dir(const char *name, struct module *mod)
{
	struct kobject *dir = kobject_create_and_add(name, khcl_kobj);
	struct khcl_knobs *k;

	if (!dir)
		return NULL;
	k = khcl_knobs_add(dir, mod);
	if (!k) {
		kobject_put(dir);
		return NULL;
	}
	k->own_dir = true;
	return k;
}
EXPORT_SYMBOL_GPL(khcl_knobs_dir);

void khcl_knobs_remove(struct khcl_knobs *k)
{
	unsigned int i;

	if (!k)
		return;
	for (i = 0; i < k->n; i++)
		sysfs_remove_file(k->dir, &k->attr[i].ka.attr);
	if (k->own_dir)
		kobject_put(k->dir);
	kfree(k);
}
EXPORT_SYMBOL_GPL(khcl_knobs_remove);
