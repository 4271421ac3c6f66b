// SPDX-License-Identifier: GPL-2.0
/*
 * khcl VMBus server toward VTL0: the kernel glue around the pure-C control
 * protocol core (server.c) and ring core (ring.c).
 *
 *  transport (atomic) --msg--> rx queue --rx_work--> server core (mutex)
 *                                                  -> ops: replies (tx queue
 *                                                     when the slot is busy),
 *                                                     GPADL checks, open/close
 *  transport (atomic) --event(conn id = relid)--> channel worker (chan.c)
 *
 * Queues are bounded; what does not fit is dropped and counted (a guest
 * that floods its own control path only hurts itself).
 */
#define pr_fmt(fmt) "khcl_vmbus: " fmt

#include <linux/delay.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/vmalloc.h>
#include "vmbus_priv.h"
#define CREATE_TRACE_POINTS
#include "trace.h"

struct khcl_vmbus khcl_vmbus;
static bool khcl_vmbus_up;	/* srv initialised: knobs write through */

static unsigned int max_version = KHCL_VMB_V5_3;

/* "5.2" or 0x50002; a known version; from the next INITIATE_CONTACT on */
static int max_version_set(const char *val, const struct kernel_param *kp)
{
	unsigned int major, minor, v;

	if (sscanf(val, "%u.%u", &major, &minor) == 2 && !strchr(val, 'x')) {
		if (major > 0xffff || minor > 0xffff)
			return -EINVAL;
		v = KHCL_VMB_VERSION(major, minor);
	} else if (kstrtouint(val, 0, &v)) {
		return -EINVAL;
	}
	if (!khcl_vmb_version_known(v))
		return -EINVAL;
	max_version = v;
	if (READ_ONCE(khcl_vmbus_up)) {
		mutex_lock(&khcl_vmbus.lock);
		khcl_vmbus.srv.lim.max_version = v;
		mutex_unlock(&khcl_vmbus.lock);
	}
	return 0;
}

static int max_version_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u.%u\n", max_version >> 16,
			  max_version & 0xffff);
}

static const struct kernel_param_ops max_version_ops = {
	.set = max_version_set,
	.get = max_version_get,
};
module_param_cb(max_version, &max_version_ops, NULL, 0644);
MODULE_PARM_DESC(max_version, "Highest VMBus version offered: \"5.2\" or (major << 16) | minor (default 5.3); applies from the guest's next INITIATE_CONTACT");
static unsigned int max_vp;
module_param(max_vp, uint, 0444);
MODULE_PARM_DESC(max_vp, "VPs of the guest: target_vp/target_vcpu must be below (default 0: this kernel's nr_cpu_ids)");
static unsigned int max_gpadls = 512;
module_param(max_gpadls, uint, 0444);
MODULE_PARM_DESC(max_gpadls, "GPADLs a guest may hold at once");
static unsigned int max_gpadl_pages = 16384;
module_param(max_gpadl_pages, uint, 0444);
MODULE_PARM_DESC(max_gpadl_pages, "Pages in one GPADL (default 64 MiB)");
static unsigned int max_total_pages = 262144;
module_param(max_total_pages, uint, 0444);
MODULE_PARM_DESC(max_total_pages, "Pages in all GPADLs of the guest (default 1 GiB)");


/* ---- control messages ---- */

static bool vmbus_tx_one(const void *data, u32 len)
{
	int ret = khcl_transport_post(khcl_vmbus.srv.target_vcpu,
				      khcl_vmbus.srv.msg_sint,
				      KHCL_SYNIC_MSGTYPE_VMBUS, data, len);

	trace_khcl_vmbus_msg(false, ((const struct khcl_vmb_hdr *)data)->msgtype,
			     len, ret);
	return ret != -EAGAIN;	/* -ENODEV: no backend, nobody to tell */
}

static void vmbus_tx_flush(void)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	unsigned long flags;

	spin_lock_irqsave(&vb->txq_lock, flags);
	while (vb->txq_count) {
		if (!vmbus_tx_one(vb->txq[vb->txq_head].data,
				  vb->txq[vb->txq_head].len))
			break;
		vb->txq_head = (vb->txq_head + 1) % KHCL_VMBUS_TXQ;
		vb->txq_count--;
	}
	if (vb->txq_count)
		mod_delayed_work(vb->wq, &vb->tx_work, 1);
	spin_unlock_irqrestore(&vb->txq_lock, flags);
}

static void vmbus_tx_work(struct work_struct *w)
{
	vmbus_tx_flush();
}

static void ops_send(struct khcl_vmb_server *s, const void *msg, u32 len)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	unsigned long flags;
	u32 slot;

	spin_lock_irqsave(&vb->txq_lock, flags);
	/* keep order: never overtake what is already waiting */
	if (!vb->txq_count && vmbus_tx_one(msg, len)) {
		spin_unlock_irqrestore(&vb->txq_lock, flags);
		return;
	}
	if (vb->txq_count == KHCL_VMBUS_TXQ) {
		vb->txq_dropped++;
		pr_warn_ratelimited("guest does not take its messages: reply dropped\n");
	} else {
		slot = (vb->txq_head + vb->txq_count++) % KHCL_VMBUS_TXQ;
		memcpy(vb->txq[slot].data, msg, len);
		vb->txq[slot].len = len;
		mod_delayed_work(vb->wq, &vb->tx_work, 1);
	}
	spin_unlock_irqrestore(&vb->txq_lock, flags);
}

/*
 * Every PFN of a GPADL must be VTL0 RAM; make its chunks reachable now,
 * one call per run of contiguous PFNs (a receive buffer is mostly one).
 */
static int ops_gpadl_map(struct khcl_vmb_server *s, struct khcl_vmb_gpadl *g)
{
	u64 first, next;
	u32 i = 0, n;
	int ret;

	while (i < g->npfns) {
		first = g->pfns[i];
		for (n = 1; i + n < g->npfns; n++) {
			if (check_add_overflow(first, (u64)n, &next) ||
			    g->pfns[i + n] != next)
				break;
		}
		if (first >= (1ull << (64 - KHCL_HV_PAGE_SHIFT)) ||
		    n > ((1ull << (64 - KHCL_HV_PAGE_SHIFT)) - first))
			return -EFAULT;
		ret = khcl_vtl0mem_prepare(first << KHCL_HV_PAGE_SHIFT,
					   (u64)n << KHCL_HV_PAGE_SHIFT);
		if (ret)
			return ret;
		i += n;
	}
	return 0;
}

static void ops_gpadl_unmap(struct khcl_vmb_server *s,
			    struct khcl_vmb_gpadl *g)
{
	/* chunks stay registered (never torn down under I/O) */
}

static int ops_chan_open(struct khcl_vmb_server *s, struct khcl_vmb_chan *c,
			 struct khcl_vmb_gpadl *ring, const u8 *userdata)
{
	return khcl_chan_open(c->vsp, ring, c->downstream_pageoffset,
			      c->target_vp, userdata);
}

static void ops_chan_close(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	khcl_chan_close(c->vsp);
}

static void ops_chan_modify(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	struct khcl_vsp_chan *ch = c->vsp;

	WRITE_ONCE(ch->target_vp, c->target_vp);	/* chan_signal reads it */
}

/*
 * A sub-channel is gone (guest released it, or unload): unpublish it now,
 * free it from reap_work, outside the lock (sysfs removal waits for
 * readers, and readers take the lock).
 */
static void ops_chan_release(struct khcl_vmb_server *s,
			     struct khcl_vmb_chan *c)
{
	struct khcl_vsp_chan *ch = c->vsp;

	RCU_INIT_POINTER(khcl_vmbus.chans[c->relid - 1], NULL);
	list_add_tail(&ch->dead, &khcl_vmbus.dead);
	queue_work(khcl_vmbus.wq, &khcl_vmbus.reap_work);
}

static void vmbus_reap(void)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	struct khcl_vsp_chan *ch, *tmp;
	LIST_HEAD(dead);
	u32 relid;

	mutex_lock(&vb->lock);
	list_splice_init(&vb->dead, &dead);
	mutex_unlock(&vb->lock);
	if (list_empty(&dead))
		return;
	synchronize_rcu();	/* no event path still sees them */
	list_for_each_entry_safe(ch, tmp, &dead, dead) {
		list_del(&ch->dead);
		relid = ch->relid;
		cancel_work_sync(&ch->work);
		khcl_chan_sysfs_del(ch);
		mutex_lock(&vb->lock);
		khcl_vmb_server_chan_free(&vb->srv, relid);
		mutex_unlock(&vb->lock);
	}
}

static void vmbus_reap_work(struct work_struct *w)
{
	vmbus_reap();
}

static const struct khcl_vmb_ops khcl_vmbus_ops = {
	.send = ops_send,
	.gpadl_map = ops_gpadl_map,
	.gpadl_unmap = ops_gpadl_unmap,
	.chan_open = ops_chan_open,
	.chan_close = ops_chan_close,
	.chan_modify = ops_chan_modify,
	.chan_release = ops_chan_release,
};

static void vmbus_rx_work(struct work_struct *w)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	struct khcl_synic_msg *m = &vb->rx_cur;
	unsigned long flags;
	bool kick;
	u32 type;
	int ret;

	for (;;) {
		spin_lock_irqsave(&vb->rxq_lock, flags);
		if (!vb->rxq_count) {
			kick = vb->rxq_stalled;
			vb->rxq_stalled = false;
			spin_unlock_irqrestore(&vb->rxq_lock, flags);
			/* room again: take what the backend left posted */
			if (kick)
				khcl_transport_kick();
			break;
		}
		*m = vb->rxq[vb->rxq_head];
		vb->rxq_head = (vb->rxq_head + 1) % KHCL_VMBUS_RXQ;
		vb->rxq_count--;
		spin_unlock_irqrestore(&vb->rxq_lock, flags);

		mutex_lock(&vb->lock);
		ret = khcl_vmb_server_rx(&vb->srv, m->conn_id, m->payload,
					 m->len);
		mutex_unlock(&vb->lock);
		type = m->len >= sizeof(type) ?
		       ((struct khcl_vmb_hdr *)m->payload)->msgtype : 0;
		trace_khcl_vmbus_msg(true, type, m->len, ret);
		if (ret)
			pr_info_ratelimited("guest message type %u len %u refused: %s\n",
					    type, m->len,
					    khcl_vmb_err_name(-ret - 1));
		vmbus_tx_flush();
		cond_resched();
	}
}

/* Transport callbacks: atomic context, copy and queue only. */
static bool vmbus_on_msg(struct khcl_transport_client *c,
			 const struct khcl_synic_msg *m)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	unsigned long flags;
	bool taken = true;

	if (m->type != KHCL_SYNIC_MSGTYPE_VMBUS) {
		vb->bad_type++;
		return true;
	}
	spin_lock_irqsave(&vb->rxq_lock, flags);
	if (vb->rxq_count == KHCL_VMBUS_RXQ) {
		/* backpressure: the guest's slots stay full, it waits */
		vb->rxq_deferred++;
		vb->rxq_stalled = true;
		taken = false;
	} else {
		vb->rxq[(vb->rxq_head + vb->rxq_count++) % KHCL_VMBUS_RXQ] = *m;
	}
	queue_work(vb->wq, &vb->rx_work);
	spin_unlock_irqrestore(&vb->rxq_lock, flags);
	return taken;
}

static void vmbus_on_event(struct khcl_transport_client *c, u32 conn_id)
{
	struct khcl_vsp_chan *ch = NULL;

	rcu_read_lock();
	if (conn_id >= 1 && conn_id <= KHCL_VMB_MAX_CHANNELS)
		ch = rcu_dereference(khcl_vmbus.chans[conn_id - 1]);
	if (ch)
		khcl_chan_event(ch);
	else
		khcl_vmbus.unknown_events++;
	rcu_read_unlock();
}

static void vmbus_on_up(struct khcl_transport_client *c)
{
	pr_info("transport up; waiting for the guest's INITIATE_CONTACT\n");
}

/* ---- VSP registration ---- */

int khcl_vsp_register(struct khcl_vsp *vsp)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	struct khcl_vmb_offer offer;
	struct khcl_vsp_chan *ch;
	int relid;

	if (!vsp->ops || !vsp->ops->open || !vsp->ops->close ||
	    !vsp->ops->packet || !vsp->ops->ctl_done)
		return -EINVAL;
	ch = khcl_chan_alloc(vsp, 0);
	if (!ch)
		return -ENOMEM;
	memset(&offer, 0, sizeof(offer));
	offer.if_type = vsp->class_id;
	offer.if_instance = vsp->instance_id;
	memcpy(offer.user_def, vsp->user_def, sizeof(offer.user_def));

	mutex_lock(&vb->lock);
	relid = khcl_vmb_server_offer(&vb->srv, &offer, ch);
	if (relid < 0) {
		mutex_unlock(&vb->lock);
		khcl_chan_sysfs_del(ch);
		return relid;
	}
	ch->relid = relid;
	khcl_chan_sysfs_add(ch);
	vsp->relid = relid;
	vsp->chan = ch;
	rcu_assign_pointer(vb->chans[relid - 1], ch);
	mutex_unlock(&vb->lock);
	vmbus_tx_flush();
	pr_info("offered %s as relid %u\n", vsp->name, relid);
	return 0;
}
EXPORT_SYMBOL_GPL(khcl_vsp_register);

void khcl_vsp_unregister(struct khcl_vsp *vsp)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	struct khcl_vsp_chan *ch = vsp->chan;

	if (!ch)
		return;
	mutex_lock(&vb->lock);
	khcl_vmb_server_rescind(&vb->srv, vsp->relid);
	if (ch->mapped)		/* served without the server core: a test */
		khcl_chan_close(ch);
	RCU_INIT_POINTER(vb->chans[vsp->relid - 1], NULL);
	mutex_unlock(&vb->lock);
	synchronize_rcu();
	/* no event can queue it any more; wait out a late one */
	cancel_work_sync(&ch->work);
	vmbus_tx_flush();
	khcl_chan_sysfs_del(ch);
	vsp->chan = NULL;
	pr_info("rescinded %s (relid %u)\n", vsp->name, vsp->relid);
}
EXPORT_SYMBOL_GPL(khcl_vsp_unregister);

/*
 * ---- VSP control requests ----
 *
 * Sub-channel offers and GPADL maps need the vmbus lock, which a close
 * holds while it waits for the channel's requests: a channel worker must
 * never wait for it. They go to the control worker as requests instead;
 * the result goes back to the channel's worker (khcl_chan_ctl_done).
 */
enum { CTL_OFFER_SUBCHANNELS = 1, CTL_GPADL_MAP, CTL_GPADL_UNMAP };

static void vmbus_ctl_queue(struct khcl_vsp_req *req, u32 op, u32 arg,
			    void *va)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	struct khcl_vsp_chan *ch = req->ch;
	unsigned long flags;
	bool queued = false;

	req->ctl_op = op;
	req->ctl_arg = arg;
	req->ctl_va = va;
	req->ctl_len = 0;
	spin_lock_irqsave(&vb->ctlq_lock, flags);
	/* close clears open, then cancels what is queued (this lock) */
	if (READ_ONCE(ch->open)) {
		list_add_tail(&req->ctl_node, &vb->ctlq);
		queued = true;
	}
	spin_unlock_irqrestore(&vb->ctlq_lock, flags);
	if (queued)
		queue_work(vb->wq, &vb->ctl_work);
	else
		khcl_chan_ctl_done(req, -ENOTCONN);
}

/* Closing @ch (vmbus lock held): its queued control requests fail. */
void khcl_vmbus_ctl_cancel(struct khcl_vsp_chan *ch)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	struct khcl_vsp_req *req, *tmp;
	LIST_HEAD(gone);

	lockdep_assert_held(&vb->lock);
	spin_lock_irq(&vb->ctlq_lock);
	list_for_each_entry_safe(req, tmp, &vb->ctlq, ctl_node)
		if (req->ch == ch)
			list_move_tail(&req->ctl_node, &gone);
	spin_unlock_irq(&vb->ctlq_lock);
	list_for_each_entry_safe(req, tmp, &gone, ctl_node) {
		list_del_init(&req->ctl_node);
		khcl_chan_ctl_done(req, -ENOTCONN);
	}
}

static long vmbus_offer_subchannels(struct khcl_vsp_chan *ch, u32 n)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	struct khcl_vsp_chan *sc;
	int relid, done = 0;

	if (ch->sub_index || !ch->open)
		return -ENOTCONN;
	while (done < n) {
		sc = khcl_chan_alloc(ch->vsp, 0);
		if (!sc)
			break;
		relid = khcl_vmb_server_offer_sub(&vb->srv, ch->relid, sc);
		if (relid < 0) {
			khcl_chan_sysfs_del(sc);
			if (!done && relid == -ENOTCONN)
				done = relid;
			break;
		}
		sc->relid = relid;
		sc->primary_relid = ch->relid;
		sc->sub_index = khcl_vmb_server_chan(&vb->srv, relid)->
				offer.sub_channel_index;
		khcl_chan_sysfs_add(sc);
		rcu_assign_pointer(vb->chans[relid - 1], sc);
		done++;
	}
	if (done > 0)
		pr_info("%s: relid %u offered %d of %u sub-channels\n",
			ch->name, ch->relid, done, n);
	return done;
}

static void chan_map_release(struct khcl_vsp_chan *ch, struct khcl_chan_map *m)
{
	u32 i;

	lockdep_assert_held(&khcl_vmbus.lock);
	vunmap(m->va);
	for (i = 0; i < m->npages; i++)
		khcl_vtl0mem_put_page(m->pages[i]);
	kvfree(m->pages);
	/* last: a teardown the guest asked for may complete (and free g) */
	khcl_vmb_server_gpadl_put(&khcl_vmbus.srv, m->handle);
	memset(m, 0, sizeof(*m));
}

/* Channel closing (vmbus lock held): drop what the VSP left mapped. */
void khcl_chan_gpadl_unmap_all(struct khcl_vsp_chan *ch)
{
	u32 i;

	for (i = 0; i < KHCL_CHAN_MAPS; i++)
		if (ch->maps[i].va)
			chan_map_release(ch, &ch->maps[i]);
}

static long vmbus_gpadl_map(struct khcl_vsp_chan *ch, u32 handle, void **va,
			    u32 *len)
{
	struct khcl_chan_map *m = NULL;
	struct khcl_vmb_gpadl *g;
	u32 i, n;

	if (!ch->open)
		return -ENOTCONN;
	g = khcl_vmb_server_gpadl(&khcl_vmbus.srv, handle);
	if (!g || g->state != KHCL_GPADL_CREATED || g->teardown_pending ||
	    (g->relid != ch->relid && g->relid != ch->primary_relid))
		return -ENOENT;
	if (g->byte_offset || g->byte_count % KHCL_HV_PAGE_SIZE)
		return -EINVAL;
	for (i = 0; i < KHCL_CHAN_MAPS; i++) {
		if (ch->maps[i].va && ch->maps[i].handle == handle)
			return -EBUSY;
		if (!ch->maps[i].va && !m)
			m = &ch->maps[i];
	}
	if (!m)
		return -ENOSPC;
	n = g->npfns;
	m->pages = kvcalloc(n, sizeof(*m->pages), GFP_KERNEL);
	if (!m->pages)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		/* validated when the GPADL was created */
		m->pages[i] = khcl_vtl0mem_get_page(g->pfns[i] <<
						    KHCL_HV_PAGE_SHIFT);
		if (!m->pages[i])
			break;
		m->npages++;
	}
	if (m->npages == n)
		m->va = vmap(m->pages, n, VM_MAP, PAGE_KERNEL);
	if (!m->va) {
		for (i = 0; i < m->npages; i++)
			khcl_vtl0mem_put_page(m->pages[i]);
		kvfree(m->pages);
		memset(m, 0, sizeof(*m));
		return -EFAULT;
	}
	m->handle = handle;
	g->users++;		/* no teardown while mapped */
	*va = m->va;
	*len = g->byte_count;
	return 0;
}

static long vmbus_gpadl_unmap(struct khcl_vsp_chan *ch, void *va)
{
	u32 i;

	for (i = 0; i < KHCL_CHAN_MAPS; i++) {
		if (ch->maps[i].va && ch->maps[i].va == va) {
			chan_map_release(ch, &ch->maps[i]);
			return 0;
		}
	}
	return -ENOENT;
}

static void vmbus_ctl_work(struct work_struct *w)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	struct khcl_vsp_req *req;
	long ret;

	for (;;) {
		/* taken under the lock: a close cannot run in between */
		mutex_lock(&vb->lock);
		spin_lock_irq(&vb->ctlq_lock);
		req = list_first_entry_or_null(&vb->ctlq, struct khcl_vsp_req,
					       ctl_node);
		if (req)
			list_del_init(&req->ctl_node);
		spin_unlock_irq(&vb->ctlq_lock);
		if (!req) {
			mutex_unlock(&vb->lock);
			break;
		}
		switch (req->ctl_op) {
		case CTL_OFFER_SUBCHANNELS:
			ret = vmbus_offer_subchannels(req->ch, req->ctl_arg);
			break;
		case CTL_GPADL_MAP:
			ret = vmbus_gpadl_map(req->ch, req->ctl_arg,
					      &req->ctl_va, &req->ctl_len);
			break;
		case CTL_GPADL_UNMAP:
			ret = vmbus_gpadl_unmap(req->ch, req->ctl_va);
			break;
		default:
			ret = -EINVAL;
		}
		mutex_unlock(&vb->lock);
		vmbus_tx_flush();
		khcl_chan_ctl_done(req, ret);
		cond_resched();
	}
}

void khcl_vsp_offer_subchannels(struct khcl_vsp_req *req, unsigned int n)
{
	vmbus_ctl_queue(req, CTL_OFFER_SUBCHANNELS, n, NULL);
}
EXPORT_SYMBOL_GPL(khcl_vsp_offer_subchannels);

void khcl_vsp_gpadl_map(struct khcl_vsp_req *req, u32 handle)
{
	vmbus_ctl_queue(req, CTL_GPADL_MAP, handle, NULL);
}
EXPORT_SYMBOL_GPL(khcl_vsp_gpadl_map);

void khcl_vsp_gpadl_unmap(struct khcl_vsp_req *req, void *va)
{
	vmbus_ctl_queue(req, CTL_GPADL_UNMAP, 0, va);
}
EXPORT_SYMBOL_GPL(khcl_vsp_gpadl_unmap);

unsigned int khcl_vsp_chan_index(const struct khcl_vsp_chan *ch)
{
	return ch->sub_index;
}
EXPORT_SYMBOL_GPL(khcl_vsp_chan_index);

/* ---- /sys/kernel/khcl/vmbus ---- */

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
	n = sysfs_emit(buf, "connects %llu\nunloads %llu\ntx_msgs %llu\n",
		       vb->srv.connects, vb->srv.unloads, vb->srv.tx_msgs);
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

int khcl_vsp_test_open(struct khcl_vsp *vsp, void *in_ring, u32 in_bytes,
		       void *out_ring, u32 out_bytes, u32 target_vp)
{
	struct khcl_vsp_chan *ch = vsp->chan;
	int ret = -EBUSY;

	if (!ch)
		return -ENOENT;
	mutex_lock(&khcl_vmbus.lock);
	if (!ch->mapped)
		ret = khcl_chan_serve(ch, in_ring, in_bytes, out_ring,
				      out_bytes, target_vp, NULL);
	mutex_unlock(&khcl_vmbus.lock);
	return ret;
}
EXPORT_SYMBOL_GPL(khcl_vsp_test_open);

void khcl_vsp_test_close(struct khcl_vsp *vsp)
{
	struct khcl_vsp_chan *ch = vsp->chan;

	mutex_lock(&khcl_vmbus.lock);
	if (ch && ch->mapped)
		khcl_chan_close(ch);
	mutex_unlock(&khcl_vmbus.lock);
}
EXPORT_SYMBOL_GPL(khcl_vsp_test_close);

u64 khcl_vsp_test_counter(struct khcl_vsp *vsp, const char *name)
{
	struct khcl_vsp_chan *ch = vsp->chan;
	static const struct {
		const char *name;
		size_t off;
	} c[] = {
#define TC(f) { #f, offsetof(struct khcl_vsp_chan, f) }
		TC(packets_in), TC(packets_out), TC(events_in),
		TC(signals_out), TC(batches), TC(ring_full), TC(no_request),
		TC(answers_dropped), TC(drain_overstays), TC(double_ends),
#undef TC
	};
	u32 i;

	if (!ch)
		return U64_MAX;
	for (i = 0; i < ARRAY_SIZE(c); i++)
		if (!strcmp(name, c[i].name))
			return READ_ONCE(*(u64 *)((u8 *)ch + c[i].off));
	return U64_MAX;
}
EXPORT_SYMBOL_GPL(khcl_vsp_test_counter);
#endif

static int __init khcl_vmbus_init(void)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	struct khcl_vmb_limits lim = {
		.max_version = max_version,
		.max_gpadls = clamp(max_gpadls, 1u, 65536u),
		.max_gpadl_pages = clamp(max_gpadl_pages, 4u, 1u << 20),
		.max_total_pages = max_total_pages,
		.max_vp = max_vp ? max_vp : nr_cpu_ids,
	};
	int ret;

	if (!khcl_vmb_version_known(max_version)) {
		pr_err("max_version 0x%x is not a VMBus version we speak\n",
		       max_version);
		return -EINVAL;
	}
	mutex_init(&vb->lock);
	spin_lock_init(&vb->rxq_lock);
	spin_lock_init(&vb->txq_lock);
	INIT_WORK(&vb->rx_work, vmbus_rx_work);
	INIT_DELAYED_WORK(&vb->tx_work, vmbus_tx_work);
	INIT_WORK(&vb->reap_work, vmbus_reap_work);
	INIT_WORK(&vb->ctl_work, vmbus_ctl_work);
	INIT_LIST_HEAD(&vb->dead);
	spin_lock_init(&vb->ctlq_lock);
	INIT_LIST_HEAD(&vb->ctlq);
	ret = khcl_vmb_server_init(&vb->srv, &khcl_vmbus_ops, &lim, vb);
	if (ret)
		return ret;
	WRITE_ONCE(khcl_vmbus_up, true);
	vb->wq = alloc_workqueue("khcl_vmbus", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	/* channel workers run on their channel's target CPU */
	vb->chan_wq = alloc_workqueue("khcl_chan", WQ_MEM_RECLAIM, 0);
	if (!vb->wq || !vb->chan_wq) {
		ret = -ENOMEM;
		goto err_wq;
	}
	vb->kobj = kobject_create_and_add("vmbus", khcl_kobj);
	vb->chans_kobj = vb->kobj ?
		kobject_create_and_add("channels", vb->kobj) : NULL;
	if (!vb->chans_kobj) {
		ret = -ENOMEM;
		goto err_kobj;
	}
	ret = sysfs_create_group(vb->kobj, &vmbus_group);
	if (ret)
		goto err_kobj;
	vb->knobs = khcl_knobs_add(vb->kobj, THIS_MODULE);
	vb->client.msg = vmbus_on_msg;
	vb->client.event = vmbus_on_event;
	vb->client.up = vmbus_on_up;
	ret = khcl_transport_attach(&vb->client);
	if (ret) {
		khcl_knobs_remove(vb->knobs);
		goto err_kobj;
	}
	pr_info("VMBus server ready (versions up to %u.%u)\n",
		max_version >> 16, max_version & 0xffff);
	return 0;

err_kobj:
	kobject_put(vb->chans_kobj);
	kobject_put(vb->kobj);
err_wq:
	if (vb->chan_wq)
		destroy_workqueue(vb->chan_wq);
	if (vb->wq)
		destroy_workqueue(vb->wq);
	khcl_vmb_server_destroy(&vb->srv);
	return ret;
}

static void __exit khcl_vmbus_exit(void)
{
	struct khcl_vmbus *vb = &khcl_vmbus;

	/* VSP modules depend on us, so every offer is gone already */
	khcl_transport_detach(&vb->client);
	cancel_work_sync(&vb->rx_work);
	cancel_delayed_work_sync(&vb->tx_work);
	mutex_lock(&vb->lock);
	khcl_vmb_server_destroy(&vb->srv);
	mutex_unlock(&vb->lock);
	/* sub-channels the guest never released */
	cancel_work_sync(&vb->reap_work);
	vmbus_reap();
	flush_work(&vb->ctl_work);
	destroy_workqueue(vb->chan_wq);
	destroy_workqueue(vb->wq);
	khcl_knobs_remove(vb->knobs);
	kobject_put(vb->chans_kobj);
	kobject_put(vb->kobj);
}

module_init(khcl_vmbus_init);
module_exit(khcl_vmbus_exit);
MODULE_DESCRIPTION("khcl VMBus server toward VTL0");
MODULE_LICENSE("GPL");
