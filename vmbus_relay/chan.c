// SPDX-License-Identifier: GPL-2.0
/*
 * khcl VMBus server: the data path of one channel. Its rings live in VTL0
 * pages named by the guest's ring GPADL; they are mapped at open time
 * (ZONE_DEVICE pages held with a pgmap reference, vmap'd), served by one
 * worker per channel on the channel's target CPU, and unmapped at close.
 *
 * The worker, each run: the VSP's ended requests go on the host->guest
 * ring as one batch (one publish, at most one signal); then, while a
 * request is free and the budget lasts, one packet is copied out of the
 * guest->host ring into server memory, once, and handed to the VSP with
 * its request; then the answers of that batch. Nothing else writes the
 * host->guest ring, so it needs no lock.
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

static unsigned int max_requests = 1024;
module_param(max_requests, uint, 0644);
MODULE_PARM_DESC(max_requests, "Requests per channel at most, whatever a VSP asks for (1..4096; from the next open)");

static unsigned int drain_ms = 5000;
module_param(drain_ms, uint, 0644);
MODULE_PARM_DESC(drain_ms, "Close: each time requests stay in flight this long, count and log it, then wait on (100..600000)");

bool khcl_chan_timing;
module_param_named(timing, khcl_chan_timing, bool, 0644);
MODULE_PARM_DESC(timing, "Time each request's stages (channels/<relid>/timing): the guest's signal to the worker, the packet to its end in the VSP, its end to its answer on the ring");

enum { REQ_FREE, REQ_VSP, REQ_ENDED };

/* The smallest packet a guest can queue: descriptor and trailer. */
#define CHAN_MIN_PKT	(sizeof(struct khcl_vmpkt_desc) + KHCL_VMPKT_TRAILER)

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

/* What khcl_chan_serve() allocated. */
static void chan_free_buffers(struct khcl_vsp_chan *ch)
{
	kfree(ch->pktbuf);
	ch->pktbuf = NULL;
	kvfree(ch->pool);
	ch->pool = NULL;
}

static void chan_unmap(struct khcl_vsp_chan *ch)
{
	if (ch->pages) {	/* a test channel's rings are not ours */
		if (ch->in_map)
			vunmap(ch->in_map);
		if (ch->out_map)
			vunmap(ch->out_map);
	}
	ch->in_map = NULL;
	ch->out_map = NULL;
	chan_put_pages(ch);
	chan_free_buffers(ch);
}

static struct khcl_vsp_req *chan_req(struct khcl_vsp_chan *ch, u32 i)
{
	return ch->pool + (size_t)i * ch->req_size;
}

/* The pool, sized from what the VSP announced, capped by the ring. */
static int chan_pool_alloc(struct khcl_vsp_chan *ch)
{
	const struct khcl_vsp *vsp = ch->vsp;
	u32 i, depth = vsp->depth;

	/* none asked for: what the client can have outstanding, or 16 */
	if (!depth)
		depth = vsp->ring_pkt ? max(ch->in.size / vsp->ring_pkt, 1u) : 16;

	depth = min3(depth, clamp(READ_ONCE(max_requests), 1u, 4096u),
		     (u32)(ch->in.size / CHAN_MIN_PKT));
	ch->req_size = ALIGN(max_t(u32, vsp->req_size,
				   sizeof(struct khcl_vsp_req)), 8);
	ch->reserve = min(vsp->reserve, depth / 2);
	ch->depth = max(depth, ch->reserve + 1);
	ch->pool = kvcalloc(ch->depth, ch->req_size, GFP_KERNEL);
	if (!ch->pool)
		return -ENOMEM;
	ch->free = NULL;
	for (i = ch->depth; i-- > 0;) {
		struct khcl_vsp_req *r = chan_req(ch, i);

		r->node.next = ch->free;
		ch->free = &r->node;
	}
	ch->nfree = ch->depth;
	init_llist_head(&ch->done);
	init_llist_head(&ch->ctl_done);
	ch->backlog = NULL;
	ch->backlog_tail = NULL;
	return 0;
}

/* A free request, if the reader (@unsolicited false) may have one. */
static struct khcl_vsp_req *chan_req_take(struct khcl_vsp_chan *ch,
					  bool unsolicited)
{
	struct khcl_vsp_req *r = NULL;
	unsigned long flags;

	spin_lock_irqsave(&ch->free_lock, flags);
	if (ch->open && ch->nfree > (unsolicited ? 0 : ch->reserve)) {
		r = llist_entry(ch->free, struct khcl_vsp_req, node);
		ch->free = ch->free->next;
		ch->nfree--;
	}
	spin_unlock_irqrestore(&ch->free_lock, flags);
	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));	/* the VSP's part is its own */
	r->ch = ch;
	r->state = REQ_VSP;
	return r;
}

static void chan_req_free(struct khcl_vsp_chan *ch, struct khcl_vsp_req *r)
{
	unsigned long flags;
	bool idle;

	WRITE_ONCE(r->state, REQ_FREE);
	spin_lock_irqsave(&ch->free_lock, flags);
	r->node.next = ch->free;
	ch->free = &r->node;
	idle = ++ch->nfree == ch->depth;
	spin_unlock_irqrestore(&ch->free_lock, flags);
	if (idle)
		wake_up(&ch->drain_wq);
}

/* The CPU of the guest's target VP, where its interrupts land. */
static int chan_cpu(struct khcl_vsp_chan *ch)
{
	/* MODIFYCHANNEL moves it (the core writes it under the vmbus lock) */
	u32 vp = READ_ONCE(ch->core->target_vp);

	return vp < nr_cpu_ids && cpu_online(vp) ? vp : WORK_CPU_UNBOUND;
}

void khcl_chan_kick(struct khcl_vsp_chan *ch)
{
	queue_work_on(chan_cpu(ch), ch->vb->chan_wq, &ch->work);
}

int khcl_chan_serve(struct khcl_vsp_chan *ch, void *in_map, u32 in_bytes,
		    void *out_map, u32 out_bytes, const u8 *userdata)
{
	int ret;

	ch->in_map = in_map;
	ch->out_map = out_map;
	ret = khcl_ring_init(&ch->in, in_map, in_map + KHCL_RING_HDR_SIZE,
			     in_bytes, false);
	if (!ret)
		ret = khcl_ring_init(&ch->out, out_map,
				     out_map + KHCL_RING_HDR_SIZE, out_bytes,
				     true);
	if (ret)
		return ret;
	ch->pktbuf_size = clamp(max_pkt, 4096u, 1u << 20);
	ch->pktbuf = kmalloc(ch->pktbuf_size, GFP_KERNEL);
	ret = ch->pktbuf ? chan_pool_alloc(ch) : -ENOMEM;
	if (ret)
		goto err;
	ch->failed = false;
	ch->mapped = true;
	ret = ch->vsp->ops->open(ch, userdata);
	if (ret) {
		ch->mapped = false;
		goto err;
	}
	spin_lock_irq(&ch->free_lock);
	ch->open = true;
	spin_unlock_irq(&ch->free_lock);
	trace_khcl_vmbus_chan(ch->relid, "open", ch->depth);
	/* the guest may have queued packets before the result went out */
	khcl_chan_kick(ch);
	return 0;
err:
	chan_free_buffers(ch);
	return ret;
}

int khcl_chan_open(struct khcl_vsp_chan *ch, struct khcl_vmb_gpadl *ring,
		   u32 downstream, const u8 *userdata)
{
	u32 i, n = ring->npfns;
	void *in_map, *out_map;
	int ret = -EFAULT;

	ch->pages = kvcalloc(n, sizeof(*ch->pages), GFP_KERNEL);
	if (!ch->pages) {
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
	in_map = vmap(ch->pages, downstream, VM_MAP, PAGE_KERNEL);
	out_map = vmap(ch->pages + downstream, n - downstream, VM_MAP,
		       PAGE_KERNEL);
	ch->in_map = in_map;
	ch->out_map = out_map;
	if (!in_map || !out_map) {
		ret = -ENOMEM;
		goto err;
	}
	ret = khcl_chan_serve(ch, in_map, (downstream - 1) * KHCL_HV_PAGE_SIZE,
			      out_map,
			      (n - downstream - 1) * KHCL_HV_PAGE_SIZE,
			      userdata);
	if (!ret)
		return 0;
err:
	chan_unmap(ch);
	return ret;
}

static u32 chan_inflight(struct khcl_vsp_chan *ch)
{
	u32 n;

	spin_lock_irq(&ch->free_lock);
	n = ch->depth - ch->nfree;
	spin_unlock_irq(&ch->free_lock);
	return n;
}

/* Closing: stop reading the ring and taking requests. */
void khcl_chan_stop(struct khcl_vsp_chan *ch)
{
	spin_lock_irq(&ch->free_lock);
	ch->open = false;
	spin_unlock_irq(&ch->free_lock);
}

/*
 * After khcl_chan_stop(): wait until every request the VSP holds has
 * ended (their answers go nowhere: the guest has closed), then ->close()
 * and unmap. A request that overstays drain_ms is counted and logged,
 * and waited for: it may still have DMA in flight into VTL0 pages, which
 * must not be handed back to the guest before it ends (the NVMe and MANA
 * drivers' own timeouts bound it). The caller holds the vmbus lock
 * (CLOSECHANNEL, UNLOAD, rescind); no channel worker takes it.
 */
void khcl_chan_close(struct khcl_vsp_chan *ch)
{
	u32 n, waited = 0, step;

	khcl_chan_kick(ch);	/* ends queued meanwhile go back */
	for (;;) {
		step = clamp(READ_ONCE(drain_ms), 100u, 600000u);
		if (wait_event_timeout(ch->drain_wq, !chan_inflight(ch),
				       msecs_to_jiffies(step)))
			break;
		waited += step;
		n = chan_inflight(ch);
		ch->drain_overstays++;
		trace_khcl_vmbus_chan(ch->relid, "drain_overstay", n);
		pr_warn_ratelimited("channel %u closing: %u request(s) still in flight after %u ms; waiting for them\n",
				    ch->relid, n, waited);
	}
	cancel_work_sync(&ch->work);
	ch->vsp->ops->close(ch);
	WRITE_ONCE(ch->mapped, false);
	chan_unmap(ch);
	trace_khcl_vmbus_chan(ch->relid, "close", 0);
}

/* Called from the transport's event path (atomic). */
void khcl_chan_event(struct khcl_vsp_chan *ch)
{
	ch->events_in++;
	/* the first signal the worker has not started for yet */
	if (READ_ONCE(khcl_chan_timing) && !READ_ONCE(ch->t_event))
		WRITE_ONCE(ch->t_event, ktime_get_ns());
	if (READ_ONCE(ch->open) && !READ_ONCE(ch->failed))
		khcl_chan_kick(ch);
}

static void chan_signal(struct khcl_vsp_chan *ch)
{
	ch->signals_out++;
	khcl_transport_signal(READ_ONCE(ch->core->target_vp),
			      ch->vb->srv.msg_sint, ch->relid);
}

/* A guest that corrupts its ring loses the channel, nothing else. */
static void chan_fail(struct khcl_vsp_chan *ch, struct khcl_ring *r,
		      enum khcl_ring_err e)
{
	ch->ring_errors[e]++;
	WRITE_ONCE(ch->failed, true);
	trace_khcl_vmbus_chan(ch->relid, "failed", e);
	pr_warn_ratelimited("channel %u: %s ring protocol violation %d (guest write %u read %u, ours %u, size %u): channel stopped until the guest reopens it\n",
			    ch->relid, r->out ? "host->guest" : "guest->host",
			    e, READ_ONCE(r->hdr->write_index),
			    READ_ONCE(r->hdr->read_index), r->priv, r->size);
}

/* ---- ending requests (any context) ---- */

static void chan_req_ended(struct khcl_vsp_req *req, u16 type)
{
	struct khcl_vsp_chan *ch = req->ch;

	if (cmpxchg(&req->state, REQ_VSP, REQ_ENDED) != REQ_VSP) {
		/* a VSP bug: the first end stands */
		ch->double_ends++;
		WARN_ONCE(1, "khcl_vmbus: channel %u: request %llu ended twice\n",
			  ch->relid, req->trans_id);
		return;
	}
	req->type = type;
	if (req->t_read)
		req->t_end = ktime_get_ns();
	trace_khcl_vsp_req_end(ch->relid, req->trans_id, type, req->len);
	if (!llist_add(&req->node, &ch->done))
		return;		/* a write of the list is due already */
	if (current_work() != &ch->work)	/* it writes them before it ends */
		khcl_chan_kick(ch);
}

void khcl_vsp_complete_packet(struct khcl_vsp_req *req, u16 type, u16 flags,
			      u64 trans_id, const void *ext, u32 extlen,
			      const void *data, u32 len)
{
	req->flags = flags;
	req->answer_id = trans_id;
	req->ext = ext;
	req->extlen = extlen;
	req->data = data;
	req->len = len;
	chan_req_ended(req, type);
}
EXPORT_SYMBOL_GPL(khcl_vsp_complete_packet);

void khcl_vsp_complete(struct khcl_vsp_req *req, const void *data, u32 len)
{
	khcl_vsp_complete_packet(req, KHCL_VMPKT_COMP, 0, req->trans_id, NULL,
				 0, data, len);
}
EXPORT_SYMBOL_GPL(khcl_vsp_complete);

void khcl_vsp_req_end(struct khcl_vsp_req *req)
{
	req->len = 0;
	chan_req_ended(req, 0);		/* type 0: nothing to write */
}
EXPORT_SYMBOL_GPL(khcl_vsp_req_end);

struct khcl_vsp_req *khcl_vsp_req_get(struct khcl_vsp_chan *ch)
{
	struct khcl_vsp_req *req = chan_req_take(ch, true);

	if (!req)
		return NULL;
	trace_khcl_vsp_req_start(ch->relid, 0, 0, 0);
	if (READ_ONCE(khcl_chan_timing))	/* its "read": taken */
		req->t_read = ktime_get_ns();
	return req;
}
EXPORT_SYMBOL_GPL(khcl_vsp_req_get);

/* A control request's result (control worker): back to the VSP's worker. */
void khcl_chan_ctl_done(struct khcl_vsp_req *req, long result)
{
	struct khcl_vsp_chan *ch = req->ch;

	req->ctl_result = result;
	WRITE_ONCE(req->state, REQ_VSP);
	if (llist_add(&req->node, &ch->ctl_done))
		khcl_chan_kick(ch);
}

/* ---- the worker ---- */

static void chan_backlog_add(struct khcl_vsp_chan *ch, struct llist_node *n)
{
	struct llist_node *last;

	if (!n)
		return;
	for (last = n; last->next; last = last->next)
		;
	if (ch->backlog)
		ch->backlog_tail->next = n;
	else
		ch->backlog = n;
	ch->backlog_tail = last;
}

/* Make what is put visible to the guest: one batch. */
static void chan_publish(struct khcl_vsp_chan *ch, bool *sig)
{
	if (ch->out.priv != ch->out.committed)
		ch->batches++;
	if (khcl_ring_publish(&ch->out))
		*sig = true;
}

/* timing: a request's stages, counted as it leaves (its answer written) */
static void chan_timed(struct khcl_vsp_chan *ch, struct khcl_vsp_req *req,
		       u64 *now)
{
	if (!*now)
		*now = ktime_get_ns();
	ch->timed++;
	ch->vsp_ns += req->t_end - req->t_read;
	ch->answer_ns += *now - req->t_end;
}

/* Write what the VSP ended, in order, as one batch. */
static void chan_tx(struct khcl_vsp_chan *ch, bool *sig)
{
	struct khcl_vsp_req *req;
	bool writing, retried;
	u64 now = 0;
	enum khcl_ring_err e;

	chan_backlog_add(ch, llist_reverse_order(llist_del_all(&ch->done)));
	while (ch->backlog) {
		req = llist_entry(ch->backlog, struct khcl_vsp_req, node);
		writing = READ_ONCE(ch->open) && !READ_ONCE(ch->failed);
		retried = false;
		e = KHCL_RING_OK;
		while (writing && req->type) {
			e = khcl_ring_put(&ch->out, req->type, req->flags,
					  req->answer_id, req->ext, req->extlen,
					  req->data, req->len);
			if (e != KHCL_RING_FULL || retried)
				break;
			/* publish, then ask for room: the guest counts it
			 * from the write index it sees
			 */
			chan_publish(ch, sig);
			if (!khcl_ring_want_space(&ch->out,
					khcl_ring_pkt_size(req->extlen,
							   req->len)))
				break;
			retried = true;
		}
		if (writing && req->type && e == KHCL_RING_FULL) {
			/* waits, with those behind it, for the guest's signal */
			ch->ring_full++;
			return;
		}
		if (!req->type)
			;			/* ended without an answer */
		else if (!writing)
			ch->answers_dropped++;	/* closing, or failed */
		else if (e == KHCL_RING_OK)
			ch->packets_out++;
		else if (e == KHCL_RING_TOO_BIG)
			ch->answers_dropped++;	/* the VSP's mistake */
		else
			chan_fail(ch, &ch->out, e);
		if (req->t_read)
			chan_timed(ch, req, &now);
		ch->backlog = ch->backlog->next;
		chan_req_free(ch, req);
	}
	chan_publish(ch, sig);
}

enum chan_rx_stop { RX_EMPTY, RX_NO_REQUEST, RX_BUDGET, RX_FAILED };

/* One pass over the ring; @poll: leave the guest's signals off */
static enum chan_rx_stop chan_rx(struct khcl_vsp_chan *ch,
				 unsigned int *budget, bool *sig, bool poll)
{
	enum chan_rx_stop stop = RX_EMPTY;
	struct khcl_vsp_req *req;
	enum khcl_ring_err e;
	u32 len;

	khcl_ring_mask(&ch->in);
	for (;;) {
		while (*budget) {
			req = chan_req_take(ch, false);
			if (!req) {
				/* an ending request kicks us again */
				ch->no_request++;
				stop = RX_NO_REQUEST;
				goto commit;
			}
			e = khcl_ring_read(&ch->in, ch->pktbuf, ch->pktbuf_size,
					   &len);
			if (e != KHCL_RING_OK) {
				chan_req_free(ch, req);
				if (e == KHCL_RING_EMPTY)
					break;
				chan_fail(ch, &ch->in, e);
				return RX_FAILED;
			}
			req->trans_id = ((struct khcl_vmpkt_desc *)
					 ch->pktbuf)->trans_id;
			trace_khcl_vsp_req_start(ch->relid, req->trans_id,
						 ((struct khcl_vmpkt_desc *)
						  ch->pktbuf)->type, len);
			ch->packets_in++;
			if (READ_ONCE(khcl_chan_timing))
				req->t_read = ktime_get_ns();
			(*budget)--;
			ch->vsp->ops->packet(ch, req, (void *)ch->pktbuf,
					     ch->pktbuf, len);
		}
		if (!*budget) {
			stop = RX_BUDGET;
			goto commit;
		}
		if (khcl_ring_read_commit(&ch->in))
			*sig = true;
		if (poll)	/* masked: the worker comes back */
			return RX_EMPTY;
		if (!khcl_ring_unmask(&ch->in))
			return RX_EMPTY;
		/*
		 * Each round costs, even one that finds nothing: a guest
		 * moving its index between our reads cannot keep us here.
		 */
		if (!--*budget)
			return RX_BUDGET;
		khcl_ring_mask(&ch->in);
	}
commit:
	if (khcl_ring_read_commit(&ch->in))
		*sig = true;
	return stop;
}

static void chan_work(struct work_struct *w)
{
	struct khcl_vsp_chan *ch = container_of(w, struct khcl_vsp_chan, work);
	unsigned int budget = clamp(READ_ONCE(weight), 1u, 4096u);
	const struct khcl_vsp_ops *ops = ch->vsp->ops;
	struct llist_node *n, *next;
	enum chan_rx_stop stop;
	struct khcl_vsp_req *req;
	bool sig = false, poll;
	u64 t;

	if (!READ_ONCE(ch->mapped))
		return;
	t = READ_ONCE(ch->t_event);
	if (t) {	/* timing: the guest's signal to this run */
		WRITE_ONCE(ch->t_event, 0);
		ch->wakes++;
		ch->wake_ns += ktime_get_ns() - t;
	}
	/* control results first: ->ctl_done is serialised with ->packet */
	n = llist_reverse_order(llist_del_all(&ch->ctl_done));
	for (; n; n = next) {
		next = n->next;
		req = llist_entry(n, struct khcl_vsp_req, node);
		ops->ctl_done(ch, req);
	}
	chan_tx(ch, &sig);
	if (READ_ONCE(ch->open) && !READ_ONCE(ch->failed)) {
		poll = ops->poll && ops->poll(ch);
		if (ops->batch)
			ops->batch(ch, false);
		stop = chan_rx(ch, &budget, &sig, poll);
		if (ops->batch)
			ops->batch(ch, true);
		if (poll)
			ch->polls++;
		if (stop == RX_BUDGET || (poll && stop == RX_EMPTY))
			khcl_chan_kick(ch);
		chan_tx(ch, &sig);
	}
	if (sig)
		chan_signal(ch);
}

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
CHAN_STAT(no_request);
CHAN_STAT(batches);
CHAN_STAT(answers_dropped);
CHAN_STAT(drain_overstays);
CHAN_STAT(double_ends);
CHAN_STAT(polls);

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

	mutex_lock(&ch->vb->lock);	/* close unmaps under it */
	if (ch->mapped) {
		in = khcl_ring_bytes_used(&ch->in);
		out = khcl_ring_bytes_used(&ch->out);
		in_size = ch->in.size;
		out_size = ch->out.size;
	}
	mutex_unlock(&ch->vb->lock);
	return sysfs_emit(buf, "in %u/%u\nout %u/%u\n", in, in_size, out,
			  out_size);
}
static struct chan_attr chan_attr_occupancy = __ATTR_RO(occupancy);

static ssize_t requests_show(struct khcl_vsp_chan *ch, char *buf)
{
	u32 depth, reserve, inflight;

	spin_lock_irq(&ch->free_lock);
	depth = ch->depth;
	reserve = ch->reserve;
	inflight = ch->pool ? ch->depth - ch->nfree : 0;
	spin_unlock_irq(&ch->free_lock);
	return sysfs_emit(buf, "depth %u\nreserve %u\ninflight %u\n", depth,
			  reserve, inflight);
}
static struct chan_attr chan_attr_requests = __ATTR_RO(requests);

/*
 * khcl_vmbus.timing: sums in ns. wake: the guest's signal (the first the
 * worker had not started for) to the worker's run; vsp: a packet read
 * (a request the guest did not ask for: taken) to its request's end in
 * the VSP (storage: the device's time in it);
 * answer: that end to its answer on the ring (the hop back to the
 * worker). Read by the worker unlocked: figures, not a snapshot.
 */
static ssize_t timing_show(struct khcl_vsp_chan *ch, char *buf)
{
	return sysfs_emit(buf, "wakes %llu\nwake_ns %llu\nrequests %llu\nvsp_ns %llu\nanswer_ns %llu\n",
			  READ_ONCE(ch->wakes), READ_ONCE(ch->wake_ns),
			  READ_ONCE(ch->timed), READ_ONCE(ch->vsp_ns),
			  READ_ONCE(ch->answer_ns));
}
static struct chan_attr chan_attr_timing = __ATTR_RO(timing);

static struct attribute *chan_attrs[] = {
	&chan_attr_name.attr, &chan_attr_class_id.attr, &chan_attr_state.attr,
	&chan_attr_sub_index.attr, &chan_attr_primary.attr,
	&chan_attr_occupancy.attr, &chan_attr_packets_in.attr,
	&chan_attr_packets_out.attr, &chan_attr_events_in.attr,
	&chan_attr_signals_out.attr, &chan_attr_ring_full.attr,
	&chan_attr_no_request.attr, &chan_attr_batches.attr,
	&chan_attr_answers_dropped.attr, &chan_attr_drain_overstays.attr,
	&chan_attr_double_ends.attr, &chan_attr_polls.attr,
	&chan_attr_requests.attr, &chan_attr_timing.attr,
	&chan_attr_ring_errors.attr, NULL,
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
struct khcl_vsp_chan *khcl_chan_alloc(struct khcl_vmbus *vb,
				      struct khcl_vsp *vsp)
{
	struct khcl_vsp_chan *ch = kzalloc(sizeof(*ch), GFP_KERNEL);

	if (!ch)
		return NULL;
	ch->vb = vb;
	ch->vsp = vsp;
	strscpy(ch->name, vsp->name, sizeof(ch->name));
	ch->class_id = vsp->class_id;
	INIT_LIST_HEAD(&ch->dead);
	INIT_WORK(&ch->work, chan_work);
	spin_lock_init(&ch->free_lock);
	init_waitqueue_head(&ch->drain_wq);
	kobject_init(&ch->kobj, &chan_ktype);
	return ch;
}

/* channels/<relid>; without it the channel still works. */
void khcl_chan_sysfs_add(struct khcl_vsp_chan *ch)
{
	int ret = kobject_add(&ch->kobj, ch->vb->chans_kobj, "%u",
			      ch->relid);

	if (ret)
		pr_warn("channel %u: no sysfs directory (%d)\n", ch->relid,
			ret);
}

void khcl_chan_sysfs_del(struct khcl_vsp_chan *ch)
{
	kobject_put(&ch->kobj);	/* frees ch */
}
