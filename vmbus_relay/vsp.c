// SPDX-License-Identifier: GPL-2.0
/*
 * khcl VMBus server: the VSP API (include/khcl/khcl_vsp.h). Registration
 * offers a VSP's channel; a channel's close stops it, fails its queued
 * control requests, drains its requests (chan.c) and drops its GPADL
 * mappings; control requests (sub-channel offers, GPADL maps) run on the
 * control worker, which holds the vmbus lock, and report back to the
 * channel's worker.
 */
#define pr_fmt(fmt) "khcl_vmbus: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "vmbus_priv.h"

/* ---- VSP registration ---- */

/*
 * A channel the core just offered as @relid (vmbus lock held): its core
 * channel, sysfs directory, and the event path's table entry.
 */
static void vmbus_chan_publish(struct khcl_vmbus *vb, struct khcl_vsp_chan *ch,
			       u32 relid)
{
	ch->relid = relid;
	ch->core = khcl_vmb_server_chan(&vb->srv, relid);
	ch->sub_index = ch->core->offer.sub_channel_index;
	khcl_chan_sysfs_add(ch);
	rcu_assign_pointer(vb->chans[relid - 1], ch);
}

int khcl_vsp_register(struct khcl_vsp *vsp)
{
	struct khcl_vmbus *vb = &khcl_vmbus;
	struct khcl_vmb_offer offer;
	struct khcl_vsp_chan *ch;
	int relid;

	if (!vsp->ops || !vsp->ops->open || !vsp->ops->close ||
	    !vsp->ops->packet || !vsp->ops->ctl_done)
		return -EINVAL;
	ch = khcl_chan_alloc(vb, vsp);
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
	vmbus_chan_publish(vb, ch, relid);
	vsp->relid = relid;
	vsp->chan = ch;
	mutex_unlock(&vb->lock);
	khcl_vmbus_tx_flush();
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
		khcl_vsp_chan_close(ch);
	RCU_INIT_POINTER(vb->chans[vsp->relid - 1], NULL);
	mutex_unlock(&vb->lock);
	synchronize_rcu();
	/* no event can queue it any more; wait out a late one */
	cancel_work_sync(&ch->work);
	khcl_vmbus_tx_flush();
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
static void vmbus_ctl_cancel(struct khcl_vsp_chan *ch)
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
		sc = khcl_chan_alloc(vb, ch->vsp);
		if (!sc)
			break;
		relid = khcl_vmb_server_offer_sub(&vb->srv, ch->relid, sc);
		if (relid < 0) {
			khcl_chan_sysfs_del(sc);
			if (!done && relid == -ENOTCONN)
				done = relid;
			break;
		}
		sc->primary_relid = ch->relid;
		vmbus_chan_publish(vb, sc, relid);
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
static void chan_gpadl_unmap_all(struct khcl_vsp_chan *ch)
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

/*
 * Close a channel (CLOSECHANNEL, UNLOAD, rescind; vmbus lock held): stop
 * reading, fail its queued control requests, wait for its requests in
 * flight and ->close() (chan.c), then drop what the VSP mapped.
 */
void khcl_vsp_chan_close(struct khcl_vsp_chan *ch)
{
	lockdep_assert_held(&khcl_vmbus.lock);
	khcl_chan_stop(ch);
	vmbus_ctl_cancel(ch);
	khcl_chan_close(ch);
	chan_gpadl_unmap_all(ch);
}

void khcl_vmbus_ctl_work(struct work_struct *w)
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
		khcl_vmbus_tx_flush();
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

#if IS_ENABLED(CONFIG_KHCL_KUNIT_TEST)
/* KUnit (kunit/vsp_req_test.c): a channel on rings in kernel memory */
int khcl_vsp_test_open(struct khcl_vsp *vsp, void *in_ring, u32 in_bytes,
		       void *out_ring, u32 out_bytes, u32 target_vp)
{
	struct khcl_vsp_chan *ch = vsp->chan;
	int ret = -EBUSY;

	if (!ch)
		return -ENOENT;
	mutex_lock(&khcl_vmbus.lock);
	if (!ch->mapped) {
		/* as OPENCHANNEL would set it, in the offered channel */
		ch->core->target_vp = target_vp;
		ret = khcl_chan_serve(ch, in_ring, in_bytes, out_ring,
				      out_bytes, NULL);
	}
	mutex_unlock(&khcl_vmbus.lock);
	return ret;
}
EXPORT_SYMBOL_GPL(khcl_vsp_test_open);

void khcl_vsp_test_close(struct khcl_vsp *vsp)
{
	struct khcl_vsp_chan *ch = vsp->chan;

	mutex_lock(&khcl_vmbus.lock);
	if (ch && ch->mapped)
		khcl_vsp_chan_close(ch);
	mutex_unlock(&khcl_vmbus.lock);
}
EXPORT_SYMBOL_GPL(khcl_vsp_test_close);

void khcl_vsp_test_timing(bool on)
{
	WRITE_ONCE(khcl_chan_timing, on);
}
EXPORT_SYMBOL_GPL(khcl_vsp_test_timing);

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
		TC(polls), TC(wakes), TC(wake_ns), TC(timed), TC(vsp_ns),
		TC(answer_ns),
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
