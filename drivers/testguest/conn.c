// SPDX-License-Identifier: GPL-2.0
/*
 * The VMBus connection: version negotiation, channel offers and
 * rescinds, matching responses to the requests waiting for them, unload.
 *
 * Messages arrive in the mailbox rx work (process context, in order).
 * Responses only complete a waiter there, so they are never stuck
 * behind a blocked handler. Offers, rescinds and ALLOFFERS_DELIVERED go
 * in order to chan_wq; device registration runs on pri_wq, sub-channel
 * callbacks on sub_wq and rescind handling on rescind_wq, because those
 * call into drivers that may wait for later messages.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/sched/isolation.h>
#include <linux/slab.h>
#include <linux/topology.h>

#include "testguest.h"

/* Per-try wait for VERSION_RESPONSE (capped by req_timeout_ms). */
#define TG_CONTACT_TIMEOUT_MS	5000u

/* Below 5.0 everything goes here (VMBUS_MESSAGE_CONNECTION_ID). */
#define TG_VMBUS_MSG_CONN_ID_OLD	1

static const u32 tg_versions[] = {
	VERSION_WIN10_V5_3,
	VERSION_WIN10_V5_2,
	VERSION_WIN10_V5_1,
	VERSION_WIN10_V5,
	VERSION_WIN10_V4_1,
	VERSION_WIN10,
	VERSION_WIN8_1,
	VERSION_WIN8,
};

/* Every channel message we build or parse fits one mailbox slot. */
static_assert(sizeof(struct vmbus_channel_offer_channel) <= KHCL_SYNIC_PAYLOAD);
static_assert(sizeof(struct vmbus_channel_open_channel) <= KHCL_SYNIC_PAYLOAD);
static_assert(sizeof(struct vmbus_channel_initiate_contact) <= KHCL_SYNIC_PAYLOAD);
static_assert(sizeof(struct khcl_mbox_msg) == 16 + KHCL_SYNIC_PAYLOAD);

/* A message handed from the rx work to chan_wq. */
struct tg_chan_msg {
	struct work_struct work;
	struct tg_vmbus *vb;
	u32 len;
	u8 buf[KHCL_SYNIC_PAYLOAD];
};

struct tg_rescind_work {
	struct work_struct work;
	struct tg_vmbus *vb;
	u32 relid;
};

const char *tg_conn_state_name(enum tg_conn_state state)
{
	static const char * const names[] = {
		[TG_CONN_IDLE] = "idle",
		[TG_CONN_WAITING] = "waiting",
		[TG_CONN_NEGOTIATING] = "negotiating",
		[TG_CONN_CONNECTED] = "connected",
		[TG_CONN_FAILED] = "failed",
		[TG_CONN_UNLOADING] = "unloading",
		[TG_CONN_DISCONNECTED] = "disconnected",
	};

	if (state >= ARRAY_SIZE(names) || !names[state])
		return "?";
	return names[state];
}

/* Requests ------------------------------------------------------------ */

void tg_req_init(struct tg_req *req, u32 resp_type,
		   struct vmbus_channel *channel)
{
	memset(req, 0, sizeof(*req));
	INIT_LIST_HEAD(&req->node);
	req->resp_type = resp_type;
	req->channel = channel;
	init_completion(&req->done);
}

/* Queue @req before posting the message it waits on. */
void tg_req_add(struct tg_vmbus *vb, struct tg_req *req)
{
	unsigned long flags;

	spin_lock_irqsave(&vb->req_lock, flags);
	list_add_tail(&req->node, &vb->reqs);
	spin_unlock_irqrestore(&vb->req_lock, flags);
}

void tg_req_cancel(struct tg_vmbus *vb, struct tg_req *req)
{
	unsigned long flags;

	spin_lock_irqsave(&vb->req_lock, flags);
	list_del_init(&req->node);
	spin_unlock_irqrestore(&vb->req_lock, flags);
}

/*
 * Wait for the response (req_timeout_ms) and unqueue @req. Returns 0
 * with the response in req->resp, -ETIMEDOUT, -ENODEV if the channel was
 * rescinded or -ESHUTDOWN on unload.
 */
static int tg_req_wait_ms(struct tg_vmbus *vb, struct tg_req *req,
			    unsigned int ms)
{
	unsigned long flags;
	bool finished;

	wait_for_completion_timeout(&req->done, msecs_to_jiffies(ms));

	spin_lock_irqsave(&vb->req_lock, flags);
	list_del_init(&req->node);
	finished = req->finished;
	spin_unlock_irqrestore(&vb->req_lock, flags);

	if (!finished)
		return -ETIMEDOUT;
	return req->status;
}

int tg_req_wait(struct tg_vmbus *vb, struct tg_req *req)
{
	return tg_req_wait_ms(vb, req, tg_req_timeout_ms);
}

static void tg_req_finish(struct tg_req *req, int status)
{
	req->status = status;
	req->finished = true;
	list_del_init(&req->node);
	complete(&req->done);
}

/* Hand a response to the first request it matches. */
static bool tg_req_complete(struct tg_vmbus *vb, u32 type, u32 relid,
			      u32 key, const u8 *buf, u32 len)
{
	struct tg_req *req;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&vb->req_lock, flags);
	list_for_each_entry(req, &vb->reqs, node) {
		if (req->resp_type != type || req->finished)
			continue;
		if (req->match_relid && req->relid != relid)
			continue;
		if (req->match_key && req->key != key)
			continue;
		memcpy(req->resp, buf, min_t(u32, len, sizeof(req->resp)));
		tg_req_finish(req, 0);
		found = true;
		break;
	}
	spin_unlock_irqrestore(&vb->req_lock, flags);
	return found;
}

/* Fail the requests of @channel (NULL: the connection-level ones). */
static void tg_req_fail(struct tg_vmbus *vb, struct vmbus_channel *channel,
			  int status)
{
	struct tg_req *req, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&vb->req_lock, flags);
	list_for_each_entry_safe(req, tmp, &vb->reqs, node) {
		if (req->channel == channel && !req->finished)
			tg_req_finish(req, status);
	}
	spin_unlock_irqrestore(&vb->req_lock, flags);
}

void tg_channel_rescinded(struct tg_vmbus *vb,
			    struct vmbus_channel *channel)
{
	tg_req_fail(vb, channel, -ENODEV);
}

/* Target CPUs (channel_mgmt.c:init_vp_index) --------------------------- */

/* hv_is_perf_channel(): the classes vmbus_devs[] marks perf_device. */
static bool tg_is_perf_channel(const struct vmbus_channel *ch)
{
	switch (ch->device_id) {
	case HV_IDE:
	case HV_SCSI:
	case HV_FC:
	case HV_NIC:
	case HV_ND:
		return true;
	default:
		return false;
	}
}

/* hv_is_allocated_cpu(): a perf channel still targets @cpu. */
static bool tg_is_allocated_cpu(struct tg_vmbus *vb, u32 cpu)
{
	struct vmbus_channel *ch, *sc;

	lockdep_assert_held(&vb->channel_mutex);
	list_for_each_entry(ch, &vb->channels, listentry) {
		if (!tg_is_perf_channel(ch))
			continue;
		if (ch->target_cpu == cpu)
			return true;
		list_for_each_entry(sc, &ch->sc_list, sc_list)
			if (sc->target_cpu == cpu)
				return true;
	}
	return false;
}

/* hv_clear_allocated_cpu(), for a channel already unlinked. */
void tg_clear_allocated_cpu(struct tg_vmbus *vb, struct vmbus_channel *ch)
{
	u32 cpu = ch->target_cpu;

	lockdep_assert_held(&vb->channel_mutex);
	if (!vb->numa_map || !tg_is_perf_channel(ch) ||
	    tg_is_allocated_cpu(vb, cpu))
		return;
	cpumask_clear_cpu(cpu, &vb->numa_map[cpu_to_node(cpu)]);
}

/* hv_cpuself_used(): another channel of the same device targets @cpu. */
static bool tg_cpuself_used(u32 cpu, const struct vmbus_channel *ch,
			      const struct vmbus_channel *primary)
{
	const struct vmbus_channel *sc;

	if (!primary)
		return false;
	if (primary->target_cpu == cpu)
		return true;
	list_for_each_entry(sc, &primary->sc_list, sc_list)
		if (sc != ch && sc->target_cpu == cpu)
			return true;
	return false;
}

/*
 * init_vp_index(): non-perf channels get TG_CONNECT_CPU; perf channels
 * (storvsc, netvsc) go round-robin over the NUMA nodes and their CPUs,
 * avoiding CPUs the device's other channels use. OPENCHANNEL sends the
 * VP of this CPU as target_vp.
 */
static void tg_init_vp_index(struct tg_vmbus *vb, struct vmbus_channel *ch,
			       const struct vmbus_channel *primary)
{
	const struct cpumask *hk = housekeeping_cpumask(HK_TYPE_MANAGED_IRQ);
	u32 i, target = TG_CONNECT_CPU, ncpu = num_online_cpus();
	bool perf = tg_is_perf_channel(ch);
	const struct cpumask *node_mask;
	struct cpumask *alloced;
	cpumask_var_t avail;
	unsigned int node;

	lockdep_assert_held(&vb->channel_mutex);
	if (!perf || !cpumask_intersects(hk, cpu_online_mask) ||
	    !alloc_cpumask_var(&avail, GFP_KERNEL)) {
		ch->target_cpu = TG_CONNECT_CPU;
		if (perf)	/* hv_set_allocated_cpu() */
			cpumask_set_cpu(TG_CONNECT_CPU,
					&vb->numa_map[cpu_to_node(TG_CONNECT_CPU)]);
		return;
	}

	for (i = 1; i <= ncpu + 1; i++) {
		for (;;) {
			node = vb->next_numa_node++;
			if (node >= nr_node_ids) {
				vb->next_numa_node = 0;
				continue;
			}
			node_mask = cpumask_of_node(node);
			/* nodes without a housekeeping CPU are skipped */
			if (cpumask_intersects(node_mask, hk))
				break;
		}
		alloced = &vb->numa_map[node];
		cpumask_xor(avail, alloced, node_mask);
		cpumask_and(avail, avail, hk);
		if (cpumask_empty(avail)) {
			/* every CPU of the node had its turn: start over */
			cpumask_clear(alloced);
			cpumask_xor(avail, alloced, node_mask);
			cpumask_and(avail, avail, hk);
		}
		target = cpumask_first(avail);
		cpumask_set_cpu(target, alloced);
		if (ch->offermsg.offer.sub_channel_index >= ncpu || i > ncpu ||
		    !tg_cpuself_used(target, ch, primary))
			break;
	}
	ch->target_cpu = target;
	free_cpumask_var(avail);
}

/* Offers ---------------------------------------------------------------- */

static struct vmbus_channel *tg_find_primary(struct tg_vmbus *vb,
					       const struct vmbus_channel_offer *o)
{
	struct vmbus_channel *ch;

	list_for_each_entry(ch, &vb->channels, listentry) {
		if (guid_equal(&ch->offermsg.offer.if_type, &o->if_type) &&
		    guid_equal(&ch->offermsg.offer.if_instance,
			       &o->if_instance))
			return ch;
	}
	return NULL;
}

/*
 * vmbus_add_channel_work()'s error path: unlink and unmap the channel,
 * post RELID_RELEASED (the channel is not rescinded) and free it. A
 * rescind that already claimed the channel, or sub-channels offered on
 * it meanwhile, leave it to the rescind or removal path as before.
 */
static void tg_add_channel_failed(struct tg_vmbus *vb,
				    struct vmbus_channel *ch)
{
	u32 relid = ch->offermsg.child_relid;
	bool release = false;

	mutex_lock(&vb->channel_mutex);
	if (!ch->rescind_ref && list_empty(&ch->sc_list)) {
		list_del(&ch->listentry);
		if (rcu_access_pointer(vb->relid_map[relid]) == ch)
			RCU_INIT_POINTER(vb->relid_map[relid], NULL);
		release = true;
	}
	/* Pairs with the load in tg_rescind_work(). */
	smp_store_release(&ch->probe_done, true);
	mutex_unlock(&vb->channel_mutex);

	if (!release)
		return;
	tg_send_relid_released(vb, relid);
	tg_channel_free(ch);
}

static void tg_add_channel_work(struct work_struct *work)
{
	struct vmbus_channel *ch = container_of(work, struct vmbus_channel,
						add_channel_work);
	struct vmbus_channel *primary = ch->primary_channel;
	void (*sc_cb)(struct vmbus_channel *new_sc);
	int ret;

	ch->state = CHANNEL_OPEN_STATE;

	if (primary) {
		sc_cb = READ_ONCE(primary->sc_creation_callback);
		if (sc_cb)
			sc_cb(ch);
		else
			pr_info("sub-channel relid %u: no sc_creation_callback\n",
				ch->offermsg.child_relid);
	} else {
		ret = tg_device_register(&tg_vb, ch);
		if (ret) {
			pr_err("relid %u: device registration failed: %d\n",
			       ch->offermsg.child_relid, ret);
			tg_add_channel_failed(&tg_vb, ch);
			return;
		}
	}
	/* Pairs with the load in tg_rescind_work(). */
	smp_store_release(&ch->probe_done, true);
}

static void tg_on_offer(struct tg_vmbus *vb, const u8 *buf, u32 len)
{
	struct vmbus_channel_offer_channel offer;
	struct vmbus_channel *ch, *primary;
	struct workqueue_struct *wq;
	u32 relid;

	if (len < sizeof(offer)) {
		pr_warn_ratelimited("short offer (%u bytes)\n", len);
		atomic64_inc(&vb->stats.msgs_dropped);
		return;
	}
	memcpy(&offer, buf, sizeof(offer));
	relid = offer.child_relid;

	if (!relid || relid >= TG_MAX_IDS ||
	    offer.connection_id >= TG_MAX_IDS) {
		pr_warn("offer %pUl: relid %u / connection id %u out of range\n",
			&offer.offer.if_instance, relid, offer.connection_id);
		atomic64_inc(&vb->stats.msgs_dropped);
		return;
	}

	ch = tg_channel_alloc(&offer);
	if (!ch) {
		/* vmbus_onoffer(): alloc_channel() failed, relid released */
		pr_err("relid %u: no memory for the channel\n", relid);
		tg_send_relid_released(vb, relid);
		return;
	}

	mutex_lock(&vb->channel_mutex);
	if (vb->stopping || READ_ONCE(vb->state) != TG_CONN_CONNECTED)
		goto drop;
	if (rcu_access_pointer(vb->relid_map[relid])) {
		pr_warn("offer with relid %u already in use\n", relid);
		goto drop;
	}

	primary = tg_find_primary(vb, &offer.offer);
	/* vmbus_process_offer() places the channel right after the lookup */
	tg_init_vp_index(vb, ch, primary);
	if (primary) {
		if (READ_ONCE(primary->rescind)) {
			pr_warn("sub-channel offer relid %u for a rescinded primary\n",
				relid);
			goto drop;
		}
		if (!offer.offer.sub_channel_index) {
			pr_warn("duplicate offer %pUl (relid %u)\n",
				&offer.offer.if_instance, relid);
			goto drop;
		}
		ch->primary_channel = primary;
		list_add_tail(&ch->sc_list, &primary->sc_list);
		wq = vb->sub_wq;
	} else {
		if (offer.offer.sub_channel_index) {
			pr_warn("sub-channel offer %pUl without primary\n",
				&offer.offer.if_instance);
			goto drop;
		}
		list_add_tail(&ch->listentry, &vb->channels);
		wq = vb->pri_wq;
	}
	rcu_assign_pointer(vb->relid_map[relid], ch);

	pr_info("offer relid %u conn %u sub %u type %pUl inst %pUl cpu %u\n",
		relid, offer.connection_id, offer.offer.sub_channel_index,
		&offer.offer.if_type, &offer.offer.if_instance, ch->target_cpu);

	INIT_WORK(&ch->add_channel_work, tg_add_channel_work);
	queue_work(wq, &ch->add_channel_work);
	mutex_unlock(&vb->channel_mutex);
	return;

drop:
	mutex_unlock(&vb->channel_mutex);
	atomic64_inc(&vb->stats.msgs_dropped);
	tg_channel_free(ch);
}

/* Rescinds -------------------------------------------------------------- */

/*
 * Remove a primary channel: unregister its device (the driver's remove
 * closes the channel), then free what is left of it and its
 * sub-channels. No locks held.
 */
static void tg_remove_primary(struct tg_vmbus *vb, struct vmbus_channel *ch)
{
	struct vmbus_channel *sc, *tmp, *busy;

	if (ch->device_obj) {
		tg_device_unregister(ch->device_obj);
		ch->device_obj = NULL;
	}

	/* Sub-channel offers still being handed to the driver finish first. */
	for (;;) {
		busy = NULL;
		mutex_lock(&vb->channel_mutex);
		list_for_each_entry(sc, &ch->sc_list, sc_list) {
			/* pairs with the release in tg_add_channel_work() */
			if (!smp_load_acquire(&sc->probe_done)) {
				busy = sc;
				break;
			}
		}
		mutex_unlock(&vb->channel_mutex);
		if (!busy)
			break;
		usleep_range(1000, 2000);
	}

	mutex_lock(&vb->channel_mutex);
	list_for_each_entry_safe(sc, tmp, &ch->sc_list, sc_list)
		tg_channel_destroy(vb, sc);
	tg_channel_destroy(vb, ch);
	mutex_unlock(&vb->channel_mutex);
}

static void tg_rescind_work(struct work_struct *work)
{
	struct tg_rescind_work *rw = container_of(work, struct tg_rescind_work,
						    work);
	struct tg_vmbus *vb = rw->vb;
	u32 relid = rw->relid;
	struct vmbus_channel *ch;

	kfree(rw);

	mutex_lock(&vb->channel_mutex);
	ch = rcu_dereference_protected(vb->relid_map[relid],
				       lockdep_is_held(&vb->channel_mutex));
	if (ch && ch->rescind_ref) {
		/* A second rescind for the same channel. */
		mutex_unlock(&vb->channel_mutex);
		return;
	}
	if (ch)
		ch->rescind_ref = true;
	mutex_unlock(&vb->channel_mutex);

	if (!ch) {
		/*
		 * vmbus_onoffer_rescind(): an offer we failed to set up was
		 * released back then; nothing is sent now.
		 */
		pr_info("rescind of unknown relid %u\n", relid);
		return;
	}

	pr_info("rescind relid %u\n", relid);
	tg_reset_channel_cb(ch);
	WRITE_ONCE(ch->rescind, true);
	/* rescind is seen by anyone who queues a request after this */
	virt_mb();
	tg_channel_rescinded(vb, ch);

	/* The offer's add work must be done with the channel. */
	while (!smp_load_acquire(&ch->probe_done))
		usleep_range(1000, 2000);

	if (!ch->primary_channel) {
		tg_remove_primary(vb, ch);
		return;
	}

	/*
	 * As vmbus_onoffer_rescind(): a sub-channel that is not open goes
	 * (RELID_RELEASED) now; an open or opening one is left to the
	 * primary's vmbus_close().
	 */
	mutex_lock(&vb->channel_mutex);
	if (ch->state == CHANNEL_OPEN_STATE)
		tg_channel_destroy(vb, ch);
	else
		complete(&ch->rescind_event);
	mutex_unlock(&vb->channel_mutex);
}

static void tg_on_rescind(struct tg_vmbus *vb, const u8 *buf, u32 len)
{
	struct vmbus_channel_rescind_offer msg;
	struct tg_rescind_work *rw;

	if (len < sizeof(msg)) {
		atomic64_inc(&vb->stats.msgs_dropped);
		return;
	}
	memcpy(&msg, buf, sizeof(msg));
	if (!msg.child_relid || msg.child_relid >= TG_MAX_IDS) {
		pr_warn("rescind of bad relid %u\n", msg.child_relid);
		atomic64_inc(&vb->stats.msgs_dropped);
		return;
	}
	if (READ_ONCE(vb->stopping))
		return;

	rw = kzalloc(sizeof(*rw), GFP_KERNEL);
	if (!rw)
		return;
	INIT_WORK(&rw->work, tg_rescind_work);
	rw->vb = vb;
	rw->relid = msg.child_relid;
	queue_work(vb->rescind_wq, &rw->work);
}

static void tg_chan_msg_work(struct work_struct *work)
{
	struct tg_chan_msg *cm = container_of(work, struct tg_chan_msg, work);
	struct tg_vmbus *vb = cm->vb;
	const struct vmbus_channel_message_header *hdr = (const void *)cm->buf;

	switch (hdr->msgtype) {
	case CHANNELMSG_OFFERCHANNEL:
		tg_on_offer(vb, cm->buf, cm->len);
		break;
	case CHANNELMSG_RESCIND_CHANNELOFFER:
		tg_on_rescind(vb, cm->buf, cm->len);
		break;
	case CHANNELMSG_ALLOFFERS_DELIVERED:
		pr_info("all offers delivered\n");
		complete_all(&vb->offers_done);
		break;
	default:
		break;
	}
	kfree(cm);
}

static void tg_queue_chan_msg(struct tg_vmbus *vb, const u8 *buf, u32 len)
{
	struct tg_chan_msg *cm;

	cm = kzalloc(sizeof(*cm), GFP_KERNEL);
	if (!cm) {
		atomic64_inc(&vb->stats.msgs_dropped);
		return;
	}
	INIT_WORK(&cm->work, tg_chan_msg_work);
	cm->vb = vb;
	cm->len = len;
	memcpy(cm->buf, buf, len);
	queue_work(vb->chan_wq, &cm->work);
}

/* Dispatch of one message from VTL2 (rx work, in arrival order). */
void tg_conn_on_message(struct tg_vmbus *vb, const u8 *buf, u32 len)
{
	const struct vmbus_channel_message_header *hdr = (const void *)buf;
	u32 type, relid = 0, key = 0, min_len;
	bool found;

	if (len < sizeof(*hdr)) {
		atomic64_inc(&vb->stats.msgs_dropped);
		return;
	}
	type = hdr->msgtype;

	switch (type) {
	case CHANNELMSG_OFFERCHANNEL:
	case CHANNELMSG_RESCIND_CHANNELOFFER:
	case CHANNELMSG_ALLOFFERS_DELIVERED:
		tg_queue_chan_msg(vb, buf, len);
		return;
	case CHANNELMSG_VERSION_RESPONSE:
		/* vmbus_on_msg_dpc(): shorter than the struct (16) is dropped */
		min_len = sizeof(struct vmbus_channel_version_response);
		break;
	case CHANNELMSG_OPENCHANNEL_RESULT: {
		const struct vmbus_channel_open_result *r = (const void *)buf;

		min_len = sizeof(*r);
		if (len >= min_len) {
			relid = r->child_relid;
			key = r->openid;
		}
		break;
	}
	case CHANNELMSG_GPADL_CREATED: {
		const struct vmbus_channel_gpadl_created *r = (const void *)buf;

		min_len = sizeof(*r);
		if (len >= min_len) {
			relid = r->child_relid;
			key = r->gpadl;
		}
		break;
	}
	case CHANNELMSG_GPADL_TORNDOWN: {
		const struct vmbus_channel_gpadl_torndown *r = (const void *)buf;

		min_len = sizeof(*r);
		if (len >= min_len)
			key = r->gpadl;
		break;
	}
	case CHANNELMSG_UNLOAD_RESPONSE:
		min_len = sizeof(*hdr);
		break;
	case CHANNELMSG_MODIFYCHANNEL_RESPONSE:
		/* We never move channels; nothing waits for this. */
		return;
	default:
		pr_warn_ratelimited("unexpected message type %u\n", type);
		atomic64_inc(&vb->stats.msgs_dropped);
		return;
	}

	if (len < min_len) {
		pr_warn_ratelimited("message type %u too short (%u)\n", type,
				    len);
		atomic64_inc(&vb->stats.msgs_dropped);
		return;
	}
	found = tg_req_complete(vb, type, relid, key, buf, len);
	if (!found) {
		pr_warn_ratelimited("unsolicited message type %u relid %u key %#x\n",
				    type, relid, key);
		atomic64_inc(&vb->stats.msgs_dropped);
	}
}

/* Connecting ------------------------------------------------------------- */

/* One INITIATE_CONTACT; 0, -ECONNREFUSED (version refused) or -errno. */
static int tg_initiate_contact(struct tg_vmbus *vb, u32 version,
				 unsigned int timeout_ms)
{
	struct vmbus_channel_initiate_contact msg = {};
	const struct vmbus_channel_version_response *resp;
	struct tg_req req;
	ktime_t t0;
	int ret;

	msg.header.msgtype = CHANNELMSG_INITIATE_CONTACT;
	msg.vmbus_version_requested = version;
	/* vmbus_try_connection_id(): the VP of VMBUS_CONNECT_CPU */
	msg.target_vcpu = tg_cpu_to_vp(TG_CONNECT_CPU);
	/*
	 * vmbus_try_connection_id() sets msg_conn_id before posting: from
	 * 5.0 on VMBUS_MESSAGE_CONNECTION_ID_4 (a VTL0 guest), below it
	 * VMBUS_MESSAGE_CONNECTION_ID.
	 */
	if (version >= VERSION_WIN10_V5) {
		msg.msg_sint = KHCL_VMBUS_SINT;
		msg.msg_vtl = 0;
		vb->msg_conn_id = KHCL_VMBUS_MSG_CONN_ID;
	} else {
		msg.interrupt_page = virt_to_phys(vb->int_page);
		vb->msg_conn_id = TG_VMBUS_MSG_CONN_ID_OLD;
	}
	msg.monitor_page1 = virt_to_phys(vb->monitor_pages[0]);
	msg.monitor_page2 = virt_to_phys(vb->monitor_pages[1]);

	tg_req_init(&req, CHANNELMSG_VERSION_RESPONSE, NULL);
	tg_req_add(vb, &req);
	t0 = ktime_get();
	ret = tg_mbox_post(vb, &msg, sizeof(msg));
	if (ret) {
		tg_req_cancel(vb, &req);
		return ret;
	}
	ret = tg_req_wait_ms(vb, &req, timeout_ms);
	if (ret)
		return ret;
	/* control message round trip: posted -> answer taken */
	vb->contact_rtt_us = ktime_us_delta(ktime_get(), t0);

	resp = (const void *)req.resp;
	if (!resp->version_supported)
		return -ECONNREFUSED;

	/* From 5.0 on the host's msg_conn_id is taken verbatim, even 0. */
	if (version >= VERSION_WIN10_V5)
		vb->msg_conn_id = resp->msg_conn_id;
	return 0;
}

/*
 * Newest version first; as vmbus_connect(), a refused version or any
 * other failure but a timeout moves to the next lower one. An unanswered
 * INITIATE_CONTACT (VTL2's mailbox may be up before its VMBus server
 * listens) is repeated every few seconds until wait_s has passed, where
 * Linux would wait forever.
 */
static int tg_negotiate(struct tg_vmbus *vb)
{
	unsigned long deadline = jiffies + secs_to_jiffies(tg_wait_s);
	unsigned int i, tmo = min(tg_req_timeout_ms, TG_CONTACT_TIMEOUT_MS);
	u32 version;
	int ret;

	for (i = 0; i < ARRAY_SIZE(tg_versions); i++) {
		version = tg_versions[i];
		if (version > tg_max_version)
			continue;
		do {
			ret = tg_initiate_contact(vb, version, tmo);
			if (ret != -ETIMEDOUT)
				break;
			pr_info("no answer to INITIATE_CONTACT %u.%u yet\n",
				version >> 16, version & 0xffff);
		} while (time_before(jiffies, deadline) &&
			 !READ_ONCE(vb->stopping));
		if (!ret) {
			vb->version = version;
			vmbus_proto_version = version;
			WRITE_ONCE(vb->state, TG_CONN_CONNECTED);
			pr_info("VMBus version %u.%u, message connection id %u, INITIATE_CONTACT round trip %lld us\n",
				version >> 16, version & 0xffff,
				vb->msg_conn_id, vb->contact_rtt_us);
			return 0;
		}
		if (ret == -ETIMEDOUT || ret == -ESHUTDOWN) {
			pr_err("INITIATE_CONTACT %u.%u: %d\n", version >> 16,
			       version & 0xffff, ret);
			return ret;
		}
		if (ret == -ECONNREFUSED)
			pr_info("VMBus version %u.%u refused\n", version >> 16,
				version & 0xffff);
		else
			pr_warn("INITIATE_CONTACT %u.%u: %d, trying the next version\n",
				version >> 16, version & 0xffff, ret);
	}
	pr_err("no VMBus version agreed (max_version %#x)\n",
	       tg_max_version);
	return -EPROTONOSUPPORT;
}

/*
 * Wait for VTL2, negotiate, request offers and wait until every offer
 * has been turned into a device. Failures leave the module loaded and
 * idle (state "failed"), so it unloads cleanly.
 */
static void tg_connect(struct tg_vmbus *vb)
{
	struct vmbus_channel_message_header msg = {
		.msgtype = CHANNELMSG_REQUESTOFFERS,
	};
	unsigned long left;
	int ret;

	WRITE_ONCE(vb->state, TG_CONN_WAITING);
	ret = tg_mbox_wait_peer(vb);
	if (ret)
		goto fail;

	WRITE_ONCE(vb->state, TG_CONN_NEGOTIATING);
	ret = tg_negotiate(vb);
	if (ret)
		goto fail;

	ret = tg_mbox_post(vb, &msg, sizeof(msg));
	if (ret) {
		pr_err("REQUESTOFFERS: %d\n", ret);
		return;
	}
	left = wait_for_completion_timeout(&vb->offers_done,
					   msecs_to_jiffies(tg_req_timeout_ms));
	if (!left) {
		pr_warn("no ALLOFFERS_DELIVERED after %u ms\n",
			tg_req_timeout_ms);
		return;
	}
	/* The offers are handled; let their devices register too. */
	flush_workqueue(vb->chan_wq);
	flush_workqueue(vb->pri_wq);
	return;

fail:
	if (ret != -ESHUTDOWN)
		WRITE_ONCE(vb->state, TG_CONN_FAILED);
}

static void tg_unload(struct tg_vmbus *vb)
{
	struct vmbus_channel_message_header msg = {
		.msgtype = CHANNELMSG_UNLOAD,
	};
	struct tg_req req;
	int ret;

	/* vmbus_initiate_unload(): pre-Win2012R2 hosts get no UNLOAD */
	if (vb->version < VERSION_WIN8_1)
		return;

	tg_req_init(&req, CHANNELMSG_UNLOAD_RESPONSE, NULL);
	tg_req_add(vb, &req);
	ret = tg_mbox_post(vb, &msg, sizeof(msg));
	if (ret) {
		tg_req_cancel(vb, &req);
		pr_warn("UNLOAD not sent: %d\n", ret);
		return;
	}
	ret = tg_req_wait(vb, &req);
	if (ret)
		pr_warn("no UNLOAD_RESPONSE: %d\n", ret);
	else
		pr_info("unloaded\n");
}

/* Lifecycle -------------------------------------------------------------- */

/* One-time initialisation at module load. */
void tg_conn_init(struct tg_vmbus *vb)
{
	mutex_init(&vb->tx_lock);
	mutex_init(&vb->channel_mutex);
	spin_lock_init(&vb->req_lock);
	INIT_LIST_HEAD(&vb->reqs);
	INIT_LIST_HEAD(&vb->channels);
	atomic_set(&vb->gpadl_next, TG_GPADL_FIRST);
	atomic_set(&vb->live_devices, 0);
	init_waitqueue_head(&vb->dev_wq);
	init_completion(&vb->offers_done);
	vb->state = TG_CONN_IDLE;
}

void tg_conn_free(struct tg_vmbus *vb)
{
	free_page((unsigned long)vb->int_page);
	free_page((unsigned long)vb->monitor_pages[0]);
	free_page((unsigned long)vb->monitor_pages[1]);
	kfree(vb->numa_map);
	vb->numa_map = NULL;
	vb->int_page = NULL;
	vb->monitor_pages[0] = NULL;
	vb->monitor_pages[1] = NULL;
	WRITE_ONCE(vb->state, TG_CONN_IDLE);
}

/* Connect (mailbox probe); waits up to wait_s for VTL2 to come up. */
int tg_conn_start(struct tg_vmbus *vb)
{
	vb->int_page = (void *)get_zeroed_page(GFP_KERNEL);
	vb->monitor_pages[0] = (void *)get_zeroed_page(GFP_KERNEL);
	vb->monitor_pages[1] = (void *)get_zeroed_page(GFP_KERNEL);
	/* hv_synic_alloc(): hv_numa_map[], empty at each connection */
	vb->numa_map = kcalloc(nr_node_ids, sizeof(*vb->numa_map), GFP_KERNEL);
	vb->next_numa_node = 0;
	if (!vb->int_page || !vb->monitor_pages[0] || !vb->monitor_pages[1] ||
	    !vb->numa_map) {
		tg_conn_free(vb);
		return -ENOMEM;
	}

	vb->stopping = false;
	vb->version = 0;
	vmbus_proto_version = 0;
	reinit_completion(&vb->offers_done);
	tg_connect(vb);
	return 0;
}

/*
 * Mailbox remove, in vmbus_exit()'s order: UNLOAD (vmbus_disconnect),
 * then every channel goes (vmbus_free_channels).
 */
void tg_conn_shutdown(struct tg_vmbus *vb)
{
	struct vmbus_channel *ch;

	mutex_lock(&vb->channel_mutex);
	vb->stopping = true;
	mutex_unlock(&vb->channel_mutex);

	tg_req_fail(vb, NULL, -ESHUTDOWN);
	complete_all(&vb->offers_done);

	/* No new offers or rescinds get queued from here on. */
	flush_workqueue(vb->chan_wq);
	flush_workqueue(vb->pri_wq);
	flush_workqueue(vb->sub_wq);
	flush_workqueue(vb->rescind_wq);

	if (READ_ONCE(vb->state) == TG_CONN_CONNECTED) {
		WRITE_ONCE(vb->state, TG_CONN_UNLOADING);
		tg_unload(vb);
	}
	WRITE_ONCE(vb->state, TG_CONN_DISCONNECTED);

	/*
	 * vmbus_free_channels(): each primary is marked rescinded and its
	 * device unregistered; the release (hv_process_channel_removal)
	 * posts its RELID_RELEASED, after the UNLOAD. Its sub-channels go
	 * without one. A driver still bound (mailbox unbound under it)
	 * closes with CLOSECHANNEL and no GPADL_TEARDOWN, as in Linux.
	 */
	for (;;) {
		mutex_lock(&vb->channel_mutex);
		ch = list_first_entry_or_null(&vb->channels,
					      struct vmbus_channel, listentry);
		if (ch) {
			ch->rescind_ref = true;	/* released in destroy */
			WRITE_ONCE(ch->rescind, true);
		}
		mutex_unlock(&vb->channel_mutex);
		if (!ch)
			break;
		tg_remove_primary(vb, ch);
	}
	vmbus_proto_version = 0;

	/* hv_device release callbacks live in this module. */
	wait_event(vb->dev_wq, !atomic_read(&vb->live_devices));
}
