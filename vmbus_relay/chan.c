// SPDX-License-Identifier: GPL-2.0
/*
 * khcl VMBus server: the data path of one channel. Its rings live in VTL0
 * pages named by the guest's ring GPADL; they are mapped at open time
 * (ZONE_DEVICE pages held with a pgmap reference, vmap'd), served by one
 * worker per channel with a packet budget per run, and unmapped at close.
 */
#define pr_fmt(fmt) "khcl_vmbus: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/mm.h>
#include "vmbus_priv.h"
#include "trace.h"

static unsigned int weight = 64;
module_param(weight, uint, 0644);
MODULE_PARM_DESC(weight, "Packets a channel worker handles per run before yielding (1..4096)");

static unsigned int max_pkt = 16384;
module_param(max_pkt, uint, 0444);
MODULE_PARM_DESC(max_pkt, "Largest guest packet accepted, bytes (larger: channel stopped)");

static void chan_put_pages(struct khcl_vsp_chan *ch)
{
	u32 i;

	for (i = 0; i < ch->npages; i++)
		if (ch->pages[i])
			khcl_vtl0mem_put_page(ch->pages[i]);
	kvfree(ch->pages);
	ch->pages = NULL;
	ch->npages = 0;
}

static void chan_unmap(struct khcl_vsp_chan *ch)
{
	if (ch->in_map)
		vunmap(ch->in_map);
	if (ch->out_map)
		vunmap(ch->out_map);
	ch->in_map = NULL;
	ch->out_map = NULL;
	chan_put_pages(ch);
	kfree(ch->pktbuf);
	ch->pktbuf = NULL;
}

int khcl_chan_open(struct khcl_vsp_chan *ch, struct khcl_vmb_gpadl *ring,
		   u32 downstream, u32 target_vp, const u8 *userdata)
{
	u32 i, n = ring->npfns;
	int ret = -EFAULT;

	ch->pages = kvcalloc(n, sizeof(*ch->pages), GFP_KERNEL);
	ch->pktbuf_size = clamp(max_pkt, 4096u, 1u << 20);
	ch->pktbuf = kmalloc(ch->pktbuf_size, GFP_KERNEL);
	if (!ch->pages || !ch->pktbuf) {
		ret = -ENOMEM;
		goto err;
	}
	ch->npages = n;
	for (i = 0; i < n; i++) {
		/* PFNs were validated at GPADL time; look them up again */
		ch->pages[i] = khcl_vtl0mem_get_page(ring->pfns[i] <<
						     KHCL_HV_PAGE_SHIFT);
		if (!ch->pages[i])
			goto err;
	}
	ch->in_map = vmap(ch->pages, downstream, VM_MAP, PAGE_KERNEL);
	ch->out_map = vmap(ch->pages + downstream, n - downstream, VM_MAP,
			   PAGE_KERNEL);
	if (!ch->in_map || !ch->out_map) {
		ret = -ENOMEM;
		goto err;
	}
	ret = khcl_ring_init(&ch->in, ch->in_map,
			     ch->in_map + KHCL_RING_HDR_SIZE,
			     (downstream - 1) * KHCL_HV_PAGE_SIZE, false);
	if (!ret)
		ret = khcl_ring_init(&ch->out, ch->out_map,
				     ch->out_map + KHCL_RING_HDR_SIZE,
				     (n - downstream - 1) * KHCL_HV_PAGE_SIZE,
				     true);
	if (ret)
		goto err;
	ch->target_vp = target_vp;
	ch->failed = false;
	ret = ch->vsp->ops->open(ch, userdata);
	if (ret)
		goto err;
	spin_lock_irq(&ch->out_lock);
	ch->open = true;
	spin_unlock_irq(&ch->out_lock);
	trace_khcl_vmbus_chan(ch->relid, "open", n);
	/* the guest may have queued packets before the result went out */
	queue_work(khcl_vmbus.wq, &ch->work);
	return 0;
err:
	chan_unmap(ch);
	return ret;
}

void khcl_chan_close(struct khcl_vsp_chan *ch)
{
	spin_lock_irq(&ch->out_lock);
	ch->open = false;
	spin_unlock_irq(&ch->out_lock);
	cancel_work_sync(&ch->work);
	ch->vsp->ops->close(ch);
	khcl_chan_gpadl_unmap_all(ch);
	chan_unmap(ch);
	trace_khcl_vmbus_chan(ch->relid, "close", 0);
}

/* Called from the transport's event path (atomic). */
void khcl_chan_event(struct khcl_vsp_chan *ch)
{
	ch->events_in++;
	if (READ_ONCE(ch->open) && !READ_ONCE(ch->failed))
		queue_work(khcl_vmbus.wq, &ch->work);
}

static void chan_signal(struct khcl_vsp_chan *ch)
{
	ch->signals_out++;
	/* target_vp moves with MODIFYCHANNEL (ops_chan_modify) */
	khcl_transport_signal(READ_ONCE(ch->target_vp),
			      khcl_vmbus.srv.msg_sint, ch->relid);
}

/* A guest that corrupts its ring loses the channel, nothing else. */
/* A ring's state when it broke, read while the ring is surely mapped. */
struct chan_fail_snap {
	bool out;
	u32 write, read, priv, size;
};

static void chan_fail_snap(struct khcl_ring *r, struct chan_fail_snap *f)
{
	f->out = r->out;
	f->write = READ_ONCE(r->hdr->write_index);
	f->read = READ_ONCE(r->hdr->read_index);
	f->priv = r->priv;
	f->size = r->size;
}

/* Log and count from the snapshot: the ring may be unmapped by now. */
static void chan_fail(struct khcl_vsp_chan *ch, const struct chan_fail_snap *f,
		      enum khcl_ring_err e)
{
	ch->ring_errors[e]++;
	WRITE_ONCE(ch->failed, true);
	trace_khcl_vmbus_chan(ch->relid, "failed", e);
	pr_warn_ratelimited("channel %u: %s ring protocol violation %d (guest write %u read %u, ours %u, size %u): channel stopped until the guest reopens it\n",
			    ch->relid, f->out ? "host->guest" : "guest->host",
			    e, f->write, f->read, f->priv, f->size);
}

static void chan_work(struct work_struct *w)
{
	struct khcl_vsp_chan *ch = container_of(w, struct khcl_vsp_chan, work);
	unsigned int budget = clamp(READ_ONCE(weight), 1u, 4096u);
	enum khcl_ring_err e;
	bool stalled;
	u32 len, saved;
	int ret;

	if (!READ_ONCE(ch->open) || READ_ONCE(ch->failed))
		return;
	khcl_ring_mask(&ch->in);
	for (;;) {
		stalled = false;
		while (budget) {
			saved = ch->in.priv;
			e = khcl_ring_read(&ch->in, ch->pktbuf, ch->pktbuf_size,
					   &len);
			if (e == KHCL_RING_EMPTY)
				break;
			if (e != KHCL_RING_OK) {
				struct chan_fail_snap f;

				/* the worker's ring: close cancels us first */
				chan_fail_snap(&ch->in, &f);
				chan_fail(ch, &f, e);
				return;
			}
			ret = ch->vsp->ops->packet(ch, (void *)ch->pktbuf,
						   ch->pktbuf, len);
			if (ret == -EAGAIN) {
				/* no room to answer: read it again later */
				ch->in.priv = saved;
				ch->retries++;
				stalled = true;
				break;
			}
			ch->packets_in++;
			budget--;
		}
		if (khcl_ring_read_commit(&ch->in))
			chan_signal(ch);
		/* stalled: the guest's pending_send_sz signal requeues us */
		if (stalled)
			return;
		if (!budget) {
			queue_work(khcl_vmbus.wq, &ch->work);
			return;
		}
		if (!khcl_ring_unmask(&ch->in))
			return;
		/*
		 * Each round costs, even one that finds nothing: a guest
		 * moving its index between our reads cannot keep us here.
		 */
		if (!--budget) {
			queue_work(khcl_vmbus.wq, &ch->work);
			return;
		}
		khcl_ring_mask(&ch->in);
	}
}

int khcl_vsp_send(struct khcl_vsp_chan *ch, u16 type, u16 flags, u64 trans_id,
		  const void *data, u32 len)
{
	return khcl_vsp_send_ext(ch, type, flags, trans_id, NULL, 0, data, len);
}
EXPORT_SYMBOL_GPL(khcl_vsp_send);

int khcl_vsp_send_ext(struct khcl_vsp_chan *ch, u16 type, u16 flags,
		      u64 trans_id, const void *ext, u32 extlen,
		      const void *data, u32 len)
{
	struct chan_fail_snap f;
	enum khcl_ring_err e;
	unsigned long irqf;
	bool sig = false;

	spin_lock_irqsave(&ch->out_lock, irqf);
	if (!ch->open) {
		spin_unlock_irqrestore(&ch->out_lock, irqf);
		return -ENOTCONN;
	}
	e = khcl_ring_write_ext(&ch->out, type, flags, trans_id, ext, extlen,
				data, len, &sig);
	if (e == KHCL_RING_OK)
		ch->packets_out++;
	else if (e == KHCL_RING_FULL)
		ch->ring_full++;
	else if (e == KHCL_RING_TOO_BIG)
		ch->ring_errors[e]++;	/* the VSP's mistake, not the guest's */
	else
		chan_fail_snap(&ch->out, &f);	/* mapped while ch->open */
	spin_unlock_irqrestore(&ch->out_lock, irqf);
	if (sig)
		chan_signal(ch);
	switch (e) {
	case KHCL_RING_OK:
		return 0;
	case KHCL_RING_FULL:
		return -EAGAIN;
	case KHCL_RING_TOO_BIG:
		return -EMSGSIZE;
	default:
		chan_fail(ch, &f, e);
		return -EPROTO;
	}
}
EXPORT_SYMBOL_GPL(khcl_vsp_send_ext);

void *khcl_vsp_chan_priv(struct khcl_vsp_chan *ch)
{
	return ch->priv;
}
EXPORT_SYMBOL_GPL(khcl_vsp_chan_priv);

void khcl_vsp_chan_set_priv(struct khcl_vsp_chan *ch, void *priv)
{
	ch->priv = priv;
}
EXPORT_SYMBOL_GPL(khcl_vsp_chan_set_priv);

/* /sys/kernel/khcl/vmbus/channels/<relid>/ */
struct chan_attr {
	struct attribute attr;
	ssize_t (*show)(struct khcl_vsp_chan *ch, char *buf);
};

#define CHAN_STAT(name)							\
static ssize_t name##_show(struct khcl_vsp_chan *ch, char *buf)	\
{									\
	return sysfs_emit(buf, "%llu\n", READ_ONCE(ch->name));		\
}									\
static struct chan_attr chan_attr_##name = __ATTR_RO(name)

CHAN_STAT(packets_in);
CHAN_STAT(packets_out);
CHAN_STAT(events_in);
CHAN_STAT(signals_out);
CHAN_STAT(ring_full);
CHAN_STAT(retries);

static ssize_t class_id_show(struct khcl_vsp_chan *ch, char *buf)
{
	return sysfs_emit(buf, "%pUl\n", ch->class_id.b);
}
static struct chan_attr chan_attr_class_id = __ATTR_RO(class_id);

static ssize_t name_show(struct khcl_vsp_chan *ch, char *buf)
{
	return sysfs_emit(buf, "%s\n", ch->name);
}
static struct chan_attr chan_attr_name = __ATTR_RO(name);

static ssize_t sub_index_show(struct khcl_vsp_chan *ch, char *buf)
{
	return sysfs_emit(buf, "%u\n", ch->sub_index);
}
static struct chan_attr chan_attr_sub_index = __ATTR_RO(sub_index);

static ssize_t primary_show(struct khcl_vsp_chan *ch, char *buf)
{
	return sysfs_emit(buf, "%u\n", ch->sub_index ? ch->primary_relid :
			  ch->relid);
}
static struct chan_attr chan_attr_primary = __ATTR_RO(primary);

static ssize_t state_show(struct khcl_vsp_chan *ch, char *buf)
{
	return sysfs_emit(buf, "%s\n", ch->failed ? "failed" :
			  ch->open ? "open" : "offered");
}
static struct chan_attr chan_attr_state = __ATTR_RO(state);

static ssize_t ring_errors_show(struct khcl_vsp_chan *ch, char *buf)
{
	return sysfs_emit(buf, "bad_index %llu\nbad_len %llu\ntoo_big %llu\n",
			  ch->ring_errors[KHCL_RING_BAD_INDEX],
			  ch->ring_errors[KHCL_RING_BAD_LEN],
			  ch->ring_errors[KHCL_RING_TOO_BIG]);
}
static struct chan_attr chan_attr_ring_errors = __ATTR_RO(ring_errors);

static ssize_t occupancy_show(struct khcl_vsp_chan *ch, char *buf)
{
	u32 in = 0, out = 0, in_size = 0, out_size = 0;

	mutex_lock(&khcl_vmbus.lock);
	if (ch->open) {
		in = khcl_ring_bytes_used(&ch->in);
		out = khcl_ring_bytes_used(&ch->out);
		in_size = ch->in.size;
		out_size = ch->out.size;
	}
	mutex_unlock(&khcl_vmbus.lock);
	return sysfs_emit(buf, "in %u/%u\nout %u/%u\n", in, in_size, out,
			  out_size);
}
static struct chan_attr chan_attr_occupancy = __ATTR_RO(occupancy);

static struct attribute *chan_attrs[] = {
	&chan_attr_name.attr, &chan_attr_class_id.attr, &chan_attr_state.attr,
	&chan_attr_sub_index.attr, &chan_attr_primary.attr,
	&chan_attr_occupancy.attr, &chan_attr_packets_in.attr,
	&chan_attr_packets_out.attr, &chan_attr_events_in.attr,
	&chan_attr_signals_out.attr, &chan_attr_ring_full.attr,
	&chan_attr_retries.attr, &chan_attr_ring_errors.attr, NULL,
};
ATTRIBUTE_GROUPS(chan);

static ssize_t chan_attr_show(struct kobject *k, struct attribute *a,
			      char *buf)
{
	return container_of(a, struct chan_attr, attr)->show(
		container_of(k, struct khcl_vsp_chan, kobj), buf);
}

static const struct sysfs_ops chan_sysfs_ops = { .show = chan_attr_show };

static void chan_release(struct kobject *k)
{
	kfree(container_of(k, struct khcl_vsp_chan, kobj));
}

static const struct kobj_type chan_ktype = {
	.sysfs_ops = &chan_sysfs_ops,
	.default_groups = chan_groups,
	.release = chan_release,
};

/* A channel object, not yet in sysfs; khcl_chan_sysfs_del() frees it. */
struct khcl_vsp_chan *khcl_chan_alloc(struct khcl_vsp *vsp, u16 sub_index)
{
	struct khcl_vsp_chan *ch = kzalloc(sizeof(*ch), GFP_KERNEL);

	if (!ch)
		return NULL;
	ch->vsp = vsp;
	ch->sub_index = sub_index;
	strscpy(ch->name, vsp->name, sizeof(ch->name));
	ch->class_id = vsp->class_id;
	INIT_LIST_HEAD(&ch->dead);
	INIT_WORK(&ch->work, chan_work);
	spin_lock_init(&ch->out_lock);
	kobject_init(&ch->kobj, &chan_ktype);
	return ch;
}

/* channels/<relid>; without it the channel still works. */
void khcl_chan_sysfs_add(struct khcl_vsp_chan *ch)
{
	int ret = kobject_add(&ch->kobj, khcl_vmbus.chans_kobj, "%u",
			      ch->relid);

	if (ret)
		pr_warn("channel %u: no sysfs directory (%d)\n", ch->relid,
			ret);
}

void khcl_chan_sysfs_del(struct khcl_vsp_chan *ch)
{
	kobject_put(&ch->kobj);	/* frees ch */
}
