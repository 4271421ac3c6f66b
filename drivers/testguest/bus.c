// SPDX-License-Identifier: GPL-2.0
/*
 * The "vmbus" bus: hv_driver registration, one hv_device per primary
 * channel offer, and sysfs (device attributes, /sys/bus/vmbus/khcl/).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/pci_ids.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/uuid.h>

#include "testguest.h"

static const struct hv_vmbus_device_id *
tg_match_id(const struct hv_driver *drv, const struct hv_device *dev)
{
	const struct hv_vmbus_device_id *id = drv->id_table;

	if (!id)
		return NULL;
	for (; !guid_is_null(&id->guid); id++)
		if (guid_equal(&id->guid, &dev->dev_type))
			return id;
	return NULL;
}

static int tg_bus_match(struct device *dev, const struct device_driver *drv)
{
	const struct hv_driver *hdrv = drv_to_hv_drv(drv);
	const struct hv_device *hdev = device_to_hv_device(dev);

	/* hv_sock offers belong to the hv_sock driver alone. */
	if (is_hvsock_channel(hdev->channel))
		return hdrv->hvsock;
	return tg_match_id(hdrv, hdev) != NULL;
}

static int tg_bus_probe(struct device *dev)
{
	struct hv_driver *hdrv = drv_to_hv_drv(dev->driver);
	struct hv_device *hdev = device_to_hv_device(dev);
	int ret;

	if (!hdrv->probe)
		return -ENODEV;
	ret = hdrv->probe(hdev, tg_match_id(hdrv, hdev));
	if (ret)
		dev_err(dev, "probe by %s failed: %d\n", hdrv->name, ret);
	return ret;
}

static void tg_bus_remove(struct device *dev)
{
	struct hv_device *hdev = device_to_hv_device(dev);
	struct hv_driver *hdrv;

	if (!dev->driver)
		return;
	hdrv = drv_to_hv_drv(dev->driver);
	if (hdrv->remove)
		hdrv->remove(hdev);
}

static void tg_bus_shutdown(struct device *dev)
{
	struct hv_device *hdev = device_to_hv_device(dev);
	struct hv_driver *hdrv;

	if (!dev->driver)
		return;
	hdrv = drv_to_hv_drv(dev->driver);
	if (hdrv->shutdown)
		hdrv->shutdown(hdev);
}

static int tg_bus_uevent(const struct device *dev, struct kobj_uevent_env *env)
{
	const struct hv_device *hdev = device_to_hv_device(dev);

	return add_uevent_var(env, "MODALIAS=vmbus:%*phN", UUID_SIZE,
			      &hdev->dev_type);
}

/* Device attributes -------------------------------------------------- */

static ssize_t class_id_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "{%pUl}\n", &device_to_hv_device(dev)->dev_type);
}
static DEVICE_ATTR_RO(class_id);

static ssize_t device_id_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "{%pUl}\n",
			  &device_to_hv_device(dev)->dev_instance);
}
static DEVICE_ATTR_RO(device_id);

static ssize_t modalias_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "vmbus:%*phN\n", UUID_SIZE,
			  &device_to_hv_device(dev)->dev_type);
}
static DEVICE_ATTR_RO(modalias);

static ssize_t id_show(struct device *dev, struct device_attribute *attr,
		       char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  device_to_hv_device(dev)->channel->offermsg.child_relid);
}
static DEVICE_ATTR_RO(id);

static struct attribute *tg_dev_attrs[] = {
	&dev_attr_class_id.attr,
	&dev_attr_device_id.attr,
	&dev_attr_modalias.attr,
	&dev_attr_id.attr,
	NULL,
};

static const struct attribute_group tg_dev_group = {
	.attrs = tg_dev_attrs,
};

/* channel/: the primary channel of the device */
#define TG_CHAN_ATTR(_name, _fmt, _expr)				\
static ssize_t chan_##_name##_show(struct device *dev,			\
				   struct device_attribute *attr,	\
				   char *buf)				\
{									\
	const struct vmbus_channel *ch =				\
		device_to_hv_device(dev)->channel;			\
									\
	return sysfs_emit(buf, _fmt "\n", _expr);			\
}									\
static struct device_attribute dev_attr_chan_##_name =			\
	__ATTR(_name, 0444, chan_##_name##_show, NULL)

TG_CHAN_ATTR(relid, "%u", ch->offermsg.child_relid);
TG_CHAN_ATTR(connection_id, "%u", ch->offermsg.connection_id);
TG_CHAN_ATTR(sub_channel_index, "%u",
	       ch->offermsg.offer.sub_channel_index);
TG_CHAN_ATTR(state, "%d", ch->state);
TG_CHAN_ATTR(callback_mode, "%d", ch->callback_mode);
TG_CHAN_ATTR(interrupts, "%llu", ch->interrupts);
TG_CHAN_ATTR(events, "%llu", ch->sig_events);
TG_CHAN_ATTR(intr_out_empty, "%llu", ch->intr_out_empty);
TG_CHAN_ATTR(intr_in_full, "%llu", ch->intr_in_full);
TG_CHAN_ATTR(out_full_total, "%llu", ch->out_full_total);
TG_CHAN_ATTR(out_full_first, "%llu", ch->out_full_first);

static struct attribute *tg_chan_attrs[] = {
	&dev_attr_chan_relid.attr,
	&dev_attr_chan_connection_id.attr,
	&dev_attr_chan_sub_channel_index.attr,
	&dev_attr_chan_state.attr,
	&dev_attr_chan_callback_mode.attr,
	&dev_attr_chan_interrupts.attr,
	&dev_attr_chan_events.attr,
	&dev_attr_chan_intr_out_empty.attr,
	&dev_attr_chan_intr_in_full.attr,
	&dev_attr_chan_out_full_total.attr,
	&dev_attr_chan_out_full_first.attr,
	NULL,
};

static const struct attribute_group tg_chan_group = {
	.name = "channel",
	.attrs = tg_chan_attrs,
};

static const struct attribute_group *tg_dev_groups[] = {
	&tg_dev_group,
	&tg_chan_group,
	NULL,
};

/* Bus attributes: /sys/bus/vmbus/khcl/ ----------------------------- */

static ssize_t state_show(const struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  tg_conn_state_name(READ_ONCE(tg_vb.state)));
}
static BUS_ATTR_RO(state);

static ssize_t version_show(const struct bus_type *bus, char *buf)
{
	u32 v = READ_ONCE(vmbus_proto_version);

	return sysfs_emit(buf, "%u.%u\n", v >> 16, v & 0xffff);
}
static BUS_ATTR_RO(version);

static ssize_t msg_conn_id_show(const struct bus_type *bus, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(tg_vb.msg_conn_id));
}
static BUS_ATTR_RO(msg_conn_id);

#define TG_STAT_ATTR(_name)						\
static ssize_t _name##_show(const struct bus_type *bus, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n",				\
			  atomic64_read(&tg_vb.stats._name));		\
}									\
static BUS_ATTR_RO(_name)

TG_STAT_ATTR(msgs_sent);
TG_STAT_ATTR(msgs_recv);
TG_STAT_ATTR(msgs_dropped);
TG_STAT_ATTR(post_busy);
TG_STAT_ATTR(post_timeouts);
TG_STAT_ATTR(events_sent);
TG_STAT_ATTR(events_recv);
TG_STAT_ATTR(doorbells);
TG_STAT_ATTR(irqs);
TG_STAT_ATTR(polls);
TG_STAT_ATTR(rx_resyncs);

static struct attribute *tg_bus_attrs[] = {
	&bus_attr_state.attr,
	&bus_attr_version.attr,
	&bus_attr_msg_conn_id.attr,
	&bus_attr_msgs_sent.attr,
	&bus_attr_msgs_recv.attr,
	&bus_attr_msgs_dropped.attr,
	&bus_attr_post_busy.attr,
	&bus_attr_post_timeouts.attr,
	&bus_attr_events_sent.attr,
	&bus_attr_events_recv.attr,
	&bus_attr_doorbells.attr,
	&bus_attr_irqs.attr,
	&bus_attr_polls.attr,
	&bus_attr_rx_resyncs.attr,
	NULL,
};

static const struct attribute_group tg_bus_group = {
	.name = "khcl",
	.attrs = tg_bus_attrs,
};

static const struct attribute_group *tg_bus_groups[] = {
	&tg_bus_group,
	NULL,
};

static const struct bus_type tg_bus = {
	.name = "vmbus",
	.match = tg_bus_match,
	.probe = tg_bus_probe,
	.remove = tg_bus_remove,
	.shutdown = tg_bus_shutdown,
	.uevent = tg_bus_uevent,
	.dev_groups = tg_dev_groups,
	.bus_groups = tg_bus_groups,
};

/* Drivers ------------------------------------------------------------- */

int __vmbus_driver_register(struct hv_driver *hv_driver, struct module *owner,
			    const char *mod_name)
{
	pr_info("registering driver %s\n", hv_driver->name);

	hv_driver->driver.name = hv_driver->name;
	hv_driver->driver.owner = owner;
	hv_driver->driver.mod_name = mod_name;
	hv_driver->driver.bus = &tg_bus;
	spin_lock_init(&hv_driver->dynids.lock);
	INIT_LIST_HEAD(&hv_driver->dynids.list);

	return driver_register(&hv_driver->driver);
}
EXPORT_SYMBOL_GPL(__vmbus_driver_register);

void vmbus_driver_unregister(struct hv_driver *hv_driver)
{
	pr_info("unregistering driver %s\n", hv_driver->name);
	driver_unregister(&hv_driver->driver);
}
EXPORT_SYMBOL_GPL(vmbus_driver_unregister);

/* Devices ------------------------------------------------------------- */

static void tg_device_release(struct device *dev)
{
	struct hv_device *hdev = device_to_hv_device(dev);

	kfree(hdev);
	if (atomic_dec_and_test(&tg_vb.live_devices))
		wake_up(&tg_vb.dev_wq);
}

int tg_device_register(struct tg_vmbus *vb, struct vmbus_channel *ch)
{
	struct hv_device *hdev;
	struct device *dev;
	int ret;

	hdev = kzalloc(sizeof(*hdev), GFP_KERNEL);
	if (!hdev)
		return -ENOMEM;

	guid_copy(&hdev->dev_type, &ch->offermsg.offer.if_type);
	guid_copy(&hdev->dev_instance, &ch->offermsg.offer.if_instance);
	hdev->vendor_id = PCI_VENDOR_ID_MICROSOFT;
	hdev->device_id = ch->device_id;
	hdev->channel = ch;

	dev = &hdev->device;
	device_initialize(dev);
	dev->bus = &tg_bus;
	dev->parent = &vb->pdev->dev;
	dev->release = tg_device_release;
	atomic_inc(&vb->live_devices);

	/* No IOMMU: DMA addresses are guest-physical addresses. */
	dev->dma_parms = &hdev->dma_parms;
	dev->dma_mask = &hdev->dma_mask;
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		dev_warn(dev, "64-bit DMA mask: %d\n", ret);

	ret = dev_set_name(dev, "%pUl", &ch->offermsg.offer.if_instance);
	if (ret)
		goto err;

	ch->device_obj = hdev;
	ret = device_add(dev);
	if (ret) {
		ch->device_obj = NULL;
		goto err;
	}
	return 0;

err:
	put_device(dev);
	return ret;
}

void tg_device_unregister(struct hv_device *hdev)
{
	device_unregister(&hdev->device);
}

int tg_bus_register(void)
{
	return bus_register(&tg_bus);
}

void tg_bus_unregister(void)
{
	bus_unregister(&tg_bus);
}
