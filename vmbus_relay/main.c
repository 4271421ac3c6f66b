// SPDX-License-Identifier: GPL-2.0
/*
 * khcl VMBus server toward VTL0: the kernel glue around the pure-C control
 * protocol core (server.c) and ring core (ring.c). This file: module init,
 * the control-message queues and the core's ops; the VSP API is vsp.c,
 * a channel's data path chan.c, /sys/kernel/khcl/vmbus sysfs.c.
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

void khcl_vmbus_tx_flush(void)
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
	khcl_vmbus_tx_flush();
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
			      userdata);
}

static void ops_chan_close(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	khcl_vsp_chan_close(c->vsp);
}

static void ops_chan_modify(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	/* c->target_vp changed: the worker follows it from its next kick */
	khcl_chan_kick(c->vsp);
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
		khcl_vmbus_tx_flush();
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

/*
 * The guest was reset: what it still had queued goes with it, then the
 * server closes everything (each VSP's close waits for its I/O, so no
 * DMA into the old guest's memory outlives this).
 */
static void vmbus_on_reset(struct khcl_transport_client *c)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	unsigned long flags;

	spin_lock_irqsave(&vb->rxq_lock, flags);
	vb->rxq_count = 0;
	spin_unlock_irqrestore(&vb->rxq_lock, flags);
	flush_work(&vb->rx_work);
	mutex_lock(&vb->lock);
	khcl_vmb_server_guest_reset(&vb->srv);
	mutex_unlock(&vb->lock);
	pr_info("the guest was reset: every channel closed, waiting for its INITIATE_CONTACT\n");
}

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
	INIT_WORK(&vb->ctl_work, khcl_vmbus_ctl_work);
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
	ret = khcl_vmbus_sysfs_init(vb);
	if (ret)
		goto err_wq;
	vb->client.msg = vmbus_on_msg;
	vb->client.event = vmbus_on_event;
	vb->client.reset = vmbus_on_reset;
	vb->client.up = vmbus_on_up;
	ret = khcl_transport_attach(&vb->client);
	if (ret)
		goto err_sysfs;
	pr_info("VMBus server ready (versions up to %u.%u)\n",
		max_version >> 16, max_version & 0xffff);
	return 0;

err_sysfs:
	khcl_vmbus_sysfs_exit(vb);
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
	khcl_vmbus_sysfs_exit(vb);
}

module_init(khcl_vmbus_init);
module_exit(khcl_vmbus_exit);
MODULE_DESCRIPTION("khcl VMBus server toward VTL0");
MODULE_LICENSE("GPL");
