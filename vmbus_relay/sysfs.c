// SPDX-License-Identifier: GPL-2.0
/* khcl VMBus server: /sys/kernel/khcl/vmbus (version, state, stats). */
#define pr_fmt(fmt) "khcl_vmbus: " fmt

#include <linux/module.h>
#include <linux/sysfs.h>
#include "vmbus_priv.h"

static ssize_t version_show(struct kobject *k, struct kobj_attribute *a,
			    char *buf)
{
	u32 v = READ_ONCE(khcl_vmbus.srv.version);

	if (!v)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "%u.%u\n", v >> 16, v & 0xffff);
}
static struct kobj_attribute version_attr = __ATTR_RO(version);

static ssize_t state_show(struct kobject *k, struct kobj_attribute *a,
			  char *buf)
{
	static const char *const names[] = {
		"disconnected", "connected", "offers_delivered",
	};

	return sysfs_emit(buf, "%s\n", names[READ_ONCE(khcl_vmbus.srv.state)]);
}
static struct kobj_attribute state_attr = __ATTR_RO(state);

static ssize_t stats_show(struct kobject *k, struct kobj_attribute *a,
			  char *buf)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	int n, i;

	mutex_lock(&vb->lock);
	n = sysfs_emit(buf, "connects %llu\nunloads %llu\nguest_resets %llu\ntx_msgs %llu\n",
		       vb->srv.connects, vb->srv.unloads, vb->srv.guest_resets,
		       vb->srv.tx_msgs);
	n += sysfs_emit_at(buf, n, "rx_deferred %llu\ntx_dropped %llu\nbad_type %llu\nunknown_events %llu\ngpadls %u\ngpadl_pages %llu\n",
			   vb->rxq_deferred, vb->txq_dropped, vb->bad_type,
			   vb->unknown_events, vb->srv.ngpadls,
			   vb->srv.total_pages);
	for (i = 0; i < KHCL_VMB_NERR; i++)
		n += sysfs_emit_at(buf, n, "err_%s %llu\n",
				   khcl_vmb_err_name(i), vb->srv.errors[i]);
	/* requests the guest waits on, answered with a failure status */
	n += sysfs_emit_at(buf, n, "refused_initiate_contact %llu\nrefused_gpadl_header %llu\nrefused_gpadl_teardown %llu\nrefused_openchannel %llu\nrefused_modifychannel %llu\nteardowns_deferred %llu\n",
			   vb->srv.refused[KHCL_CHMSG_INITIATE_CONTACT],
			   vb->srv.refused[KHCL_CHMSG_GPADL_HEADER],
			   vb->srv.refused[KHCL_CHMSG_GPADL_TEARDOWN],
			   vb->srv.refused[KHCL_CHMSG_OPENCHANNEL],
			   vb->srv.refused[KHCL_CHMSG_MODIFYCHANNEL],
			   vb->srv.teardowns_deferred);
	mutex_unlock(&vb->lock);
	return n;
}
static struct kobj_attribute stats_attr = __ATTR_RO(stats);

static struct attribute *vmbus_attrs[] = {
	&version_attr.attr, &state_attr.attr, &stats_attr.attr, NULL,
};

static const struct attribute_group vmbus_group = { .attrs = vmbus_attrs };

#if IS_ENABLED(CONFIG_KHCL_KUNIT_TEST)
/* A counter of the stats file by its name, for kunit/transport_test.c. */
u64 khcl_vmbus_counter(const char *name)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	u64 v = U64_MAX;
	int i;

	mutex_lock(&vb->lock);
	if (!strcmp(name, "rx_deferred"))
		v = vb->rxq_deferred;
	else if (!strcmp(name, "bad_type"))
		v = vb->bad_type;
	else if (!strcmp(name, "unknown_events"))
		v = vb->unknown_events;
	else if (!strcmp(name, "connects"))
		v = vb->srv.connects;
	else if (!strcmp(name, "unloads"))
		v = vb->srv.unloads;
	for (i = 0; i < KHCL_VMB_NERR; i++)
		if (!strncmp(name, "err_", 4) &&
		    !strcmp(name + 4, khcl_vmb_err_name(i)))
			v = vb->srv.errors[i];
	mutex_unlock(&vb->lock);
	return v;
}
EXPORT_SYMBOL_GPL(khcl_vmbus_counter);

#endif

/* vmbus/, vmbus/channels/, the files above and the knobs' mirror */
int khcl_vmbus_sysfs_init(struct khcl_vmbus *vb)
{
	int ret;

	vb->kobj = kobject_create_and_add("vmbus", khcl_kobj);
	vb->chans_kobj = vb->kobj ?
		kobject_create_and_add("channels", vb->kobj) : NULL;
	ret = vb->chans_kobj ? sysfs_create_group(vb->kobj, &vmbus_group) :
			       -ENOMEM;
	if (ret) {
		kobject_put(vb->chans_kobj);
		kobject_put(vb->kobj);
		return ret;
	}
	vb->knobs = khcl_knobs_add(vb->kobj, THIS_MODULE);
	return 0;
}

void khcl_vmbus_sysfs_exit(struct khcl_vmbus *vb)
{
	khcl_knobs_remove(vb->knobs);
	kobject_put(vb->chans_kobj);
	kobject_put(vb->kobj);
}
