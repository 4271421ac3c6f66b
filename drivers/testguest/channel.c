// SPDX-License-Identifier: GPL-2.0
/*
 * Channels: lifetime, open/close, GPADLs, sending packets and the
 * per-channel event path (mailbox event flag -> callback).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>

#include "testguest.h"

static const struct {
	guid_t guid;
	u16 type;
} tg_dev_types[] = {
	{ HV_SCSI_GUID, .type = HV_SCSI },
	{ HV_NIC_GUID, .type = HV_NIC },
	{ HV_IDE_GUID, .type = HV_IDE },
	{ HV_SYNTHFC_GUID, .type = HV_FC },
	{ HV_ND_GUID, .type = HV_ND },
};

static u16 tg_dev_type(const guid_t *guid)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tg_dev_types); i++)
		if (guid_equal(guid, &tg_dev_types[i].guid))
			return tg_dev_types[i].type;
	return HV_UNKNOWN;
}

/* Lifetime ----------------------------------------------------------------- */

/* The channel tasklet: what vmbus_on_event() does for hv_vmbus. */
static void tg_chan_tasklet(struct tasklet_struct *t)
{
	struct vmbus_channel *ch = from_tasklet(ch, t, callback_event);
	void (*cb)(void *context);

	cb = READ_ONCE(ch->onchannel_callback);
	if (unlikely(!cb))
		return;
	cb(ch->channel_callback_context);

	if (ch->callback_mode != HV_CALL_BATCHED)
		return;
	/* Interrupts were masked while reading; anything left over? */
	if (likely(!hv_end_read(&ch->inbound)))
		return;
	hv_begin_read(&ch->inbound);
	tasklet_schedule(&ch->callback_event);
}

struct vmbus_channel *tg_channel_alloc(const struct vmbus_channel_offer_channel *offer)
{
	struct vmbus_channel *ch;

	ch = kzalloc(sizeof(*ch), GFP_KERNEL);
	if (!ch)
		return NULL;

	INIT_LIST_HEAD(&ch->listentry);
	INIT_LIST_HEAD(&ch->sc_list);
	spin_lock_init(&ch->sched_lock);
	init_completion(&ch->rescind_event);
	tasklet_setup(&ch->callback_event, tg_chan_tasklet);
	mutex_init(&ch->inbound.ring_buffer_mutex);
	mutex_init(&ch->outbound.ring_buffer_mutex);
	spin_lock_init(&ch->inbound.ring_lock);
	spin_lock_init(&ch->outbound.ring_lock);
	spin_lock_init(&ch->requestor.req_lock);

	memcpy(&ch->offermsg, offer, sizeof(*offer));
	ch->is_dedicated_interrupt = offer->is_dedicated_interrupt;
	ch->sig_event = offer->connection_id;
	ch->monitor_grp = offer->monitorid / 32;
	ch->monitor_bit = offer->monitorid % 32;
	ch->device_id = tg_dev_type(&offer->offer.if_type);
	ch->target_cpu = TG_CONNECT_CPU;	/* init_vp_index() picks it */
	ch->callback_mode = HV_CALL_BATCHED;
	ch->state = CHANNEL_OFFER_STATE;
	return ch;
}

void tg_channel_free(struct vmbus_channel *ch)
{
	tasklet_kill(&ch->callback_event);
	/* The interrupt path may still be looking at it. */
	kfree_rcu(ch, rcu);
}

/* Stop callbacks; waits for a running one (tasklet or ISR mode). */
static void tg_stop_callbacks(struct vmbus_channel *ch)
{
	unsigned long flags;

	tasklet_disable(&ch->callback_event);
	spin_lock_irqsave(&ch->sched_lock, flags);
	ch->onchannel_callback = NULL;
	spin_unlock_irqrestore(&ch->sched_lock, flags);
	tasklet_enable(&ch->callback_event);
}

void tg_reset_channel_cb(struct vmbus_channel *ch)
{
	tg_stop_callbacks(ch);
	WRITE_ONCE(ch->sc_creation_callback, NULL);
}

/* Free the ring, or leak it when VTL2 may still be using it. */
static void tg_release_ring(struct vmbus_channel *ch, bool leak)
{
	tg_ring_cleanup(&ch->outbound);
	tg_ring_cleanup(&ch->inbound);
	if (!ch->ringbuffer_page)
		return;
	if (leak)
		pr_warn("relid %u: leaking %u ring pages VTL2 may still use\n",
			ch->offermsg.child_relid, ch->ringbuffer_pagecount);
	else
		__free_pages(ch->ringbuffer_page,
			     get_order(ch->ringbuffer_pagecount << PAGE_SHIFT));
	ch->ringbuffer_page = NULL;
}

/*
 * Unlink, unmap and free a channel; channel_mutex held. A relid whose
 * rescind we have handled is released here, exactly once.
 */
void tg_channel_destroy(struct tg_vmbus *vb, struct vmbus_channel *ch)
{
	u32 relid = ch->offermsg.child_relid;

	lockdep_assert_held(&vb->channel_mutex);

	if (ch->state == CHANNEL_OPENED_STATE) {
		pr_warn("relid %u removed while open\n", relid);
		tg_reset_channel_cb(ch);
		ch->state = CHANNEL_OPEN_STATE;
		tg_rqstor_free(ch);
		tg_release_ring(ch, !READ_ONCE(ch->rescind));
	}
	if (ch->primary_channel)
		list_del(&ch->sc_list);
	else
		list_del(&ch->listentry);
	/* hv_process_channel_removal(): init_vp_index() may reuse the CPU */
	tg_clear_allocated_cpu(vb, ch);
	if (rcu_access_pointer(vb->relid_map[relid]) == ch)
		RCU_INIT_POINTER(vb->relid_map[relid], NULL);
	if (ch->rescind_ref)
		tg_send_relid_released(vb, relid);
	tg_channel_free(ch);
}

int tg_send_relid_released(struct tg_vmbus *vb, u32 relid)
{
	struct vmbus_channel_relid_released msg = {
		.header.msgtype = CHANNELMSG_RELID_RELEASED,
		.child_relid = relid,
	};
	int ret;

	ret = tg_mbox_post(vb, &msg, sizeof(msg));
	if (ret)
		pr_warn("RELID_RELEASED %u: %d\n", relid, ret);
	return ret;
}

/* Events ---------------------------------------------------------------- */

/* Tell VTL2 there is something in (or room in) a ring of @ch. */
void tg_channel_signal(struct vmbus_channel *ch)
{
	ch->sig_events++;
	tg_mbox_signal(&tg_vb, ch->offermsg.connection_id);
}

/*
 * VTL2 raised the event flag of @relid (interrupts disabled): run the
 * channel's callback the way its callback_mode asks.
 */
void tg_channel_event(struct tg_vmbus *vb, u32 relid)
{
	void (*cb)(void *context);
	struct vmbus_channel *ch;

	rcu_read_lock();
	ch = rcu_dereference(vb->relid_map[relid]);
	if (!ch || READ_ONCE(ch->rescind))
		goto out;

	spin_lock(&ch->sched_lock);
	cb = ch->onchannel_callback;
	if (!cb || !ch->inbound.ring_buffer)
		goto unlock;
	ch->interrupts++;
	switch (ch->callback_mode) {
	case HV_CALL_ISR:
		cb(ch->channel_callback_context);
		break;
	case HV_CALL_BATCHED:
		hv_begin_read(&ch->inbound);
		fallthrough;
	case HV_CALL_DIRECT:
		tasklet_schedule(&ch->callback_event);
		break;
	}
unlock:
	spin_unlock(&ch->sched_lock);
out:
	rcu_read_unlock();
}

/* GPADLs ---------------------------------------------------------------- */

static u64 tg_buf_pfn(void *kbuf, u32 i)
{
	void *p = (void *)(((unsigned long)kbuf & PAGE_MASK) + i * PAGE_SIZE);

	if (is_vmalloc_addr(p))
		return vmalloc_to_pfn(p);
	return PHYS_PFN(virt_to_phys(p));
}

#define TG_GPADL_HDR_LEN	(sizeof(struct vmbus_channel_gpadl_header) + \
				 sizeof(struct gpa_range))
#define TG_GPADL_HDR_PFNS	((KHCL_SYNIC_PAYLOAD - TG_GPADL_HDR_LEN) / \
				 sizeof(u64))
#define TG_GPADL_BODY_PFNS	((KHCL_SYNIC_PAYLOAD - \
				  sizeof(struct vmbus_channel_gpadl_body)) / \
				 sizeof(u64))
/*
 * Post GPADL_HEADER and, when the PFNs do not fit, GPADL_BODY messages,
 * back to back in order under tx_lock, as __vmbus_establish_gpadl() does.
 * No pacing: when VTL2's receive queue is full it leaves our slots
 * posted, and __khcl_mbox_post() waits for a busy slot as hv_post_message()
 * retries on HV_STATUS_INSUFFICIENT_BUFFERS. Returns how many messages
 * went out in @posted.
 */
static int tg_gpadl_post(struct tg_vmbus *vb, struct vmbus_channel *ch,
			   void *kbuf, u32 size, u32 handle, u32 *posted)
{
	u32 npages = PFN_UP(size);
	struct vmbus_channel_gpadl_header *hdr;
	struct vmbus_channel_gpadl_body *body;
	struct gpa_range *range;
	u32 done, n, i;
	u8 *buf;
	int ret;

	buf = kzalloc(KHCL_SYNIC_PAYLOAD, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	hdr = (void *)buf;
	hdr->header.msgtype = CHANNELMSG_GPADL_HEADER;
	hdr->child_relid = ch->offermsg.child_relid;
	hdr->gpadl = handle;
	/* a u16, as in create_gpadl_header(): wraps from 8191 pages on */
	hdr->range_buflen = sizeof(struct gpa_range) + npages * sizeof(u64);
	hdr->rangecount = 1;
	range = (void *)(buf + sizeof(*hdr));
	put_unaligned(size, &range->byte_count);
	put_unaligned(0, &range->byte_offset);	/* page-aligned buffers */
	n = min_t(u32, npages, TG_GPADL_HDR_PFNS);
	for (i = 0; i < n; i++)
		put_unaligned(tg_buf_pfn(kbuf, i),
			      (u64 *)(buf + TG_GPADL_HDR_LEN) + i);

	*posted = 0;
	mutex_lock(&vb->tx_lock);
	ret = __khcl_mbox_post(vb, buf, TG_GPADL_HDR_LEN + n * sizeof(u64));
	for (done = n; !ret && done < npages; done += n) {
		(*posted)++;
		memset(buf, 0, KHCL_SYNIC_PAYLOAD);
		body = (void *)buf;
		/* msgnumber stays 0: Linux never sets it */
		body->header.msgtype = CHANNELMSG_GPADL_BODY;
		body->gpadl = handle;
		n = min_t(u32, npages - done, TG_GPADL_BODY_PFNS);
		for (i = 0; i < n; i++)
			put_unaligned(tg_buf_pfn(kbuf, done + i),
				      (u64 *)(buf + sizeof(*body)) + i);
		ret = __khcl_mbox_post(vb, buf, sizeof(*body) + n * sizeof(u64));
	}
	if (!ret)
		(*posted)++;
	mutex_unlock(&vb->tx_lock);

	kfree(buf);
	return ret;
}

/*
 * Describe @size bytes at @kbuf (direct-mapped or vmalloc) to VTL2 and
 * wait for GPADL_CREATED. On failures after which VTL2 may still map the
 * memory, gpadl->decrypted is set: the owner must not free the buffer
 * (hv_netvsc honours this, as for confidential VMs).
 */
static int tg_gpadl_establish(struct tg_vmbus *vb, struct vmbus_channel *ch,
				void *kbuf, u32 size, struct vmbus_gpadl *gpadl)
{
	const struct vmbus_channel_gpadl_created *created;
	u32 npages, handle, posted;
	struct tg_req req;
	int ret;

	gpadl->gpadl_handle = 0;
	gpadl->decrypted = false;
	/* like hv_vmbus: whole pages from a page boundary, any count */
	if (!kbuf || !size || offset_in_page(kbuf))
		return -EINVAL;
	npages = PFN_UP(size);
	if (!vb->present)
		return -ENODEV;
	if (READ_ONCE(ch->rescind))
		return -ENODEV;

	handle = atomic_inc_return(&vb->gpadl_next) - 1;
	tg_req_init(&req, CHANNELMSG_GPADL_CREATED, ch);
	req.match_relid = true;
	req.relid = ch->offermsg.child_relid;
	req.match_key = true;
	req.key = handle;
	tg_req_add(vb, &req);

	ret = tg_gpadl_post(vb, ch, kbuf, size, handle, &posted);
	if (ret) {
		tg_req_cancel(vb, &req);
		gpadl->decrypted = posted > 0;
		pr_err("relid %u: GPADL %#x not posted (%u msgs sent): %d\n",
		       ch->offermsg.child_relid, handle, posted, ret);
		return ret;
	}

	ret = tg_req_wait(vb, &req);
	if (ret) {
		gpadl->decrypted = ret != -ENODEV;
		pr_err("relid %u: GPADL %#x (%u pages): %d\n",
		       ch->offermsg.child_relid, handle, npages, ret);
		return ret;
	}
	created = (const void *)req.resp;
	if (created->creation_status) {
		pr_err("relid %u: GPADL %#x refused: status %#x\n",
		       ch->offermsg.child_relid, handle,
		       created->creation_status);
		return -EDQUOT;
	}

	gpadl->gpadl_handle = handle;
	gpadl->buffer = kbuf;
	gpadl->size = size;
	return 0;
}

int vmbus_establish_gpadl(struct vmbus_channel *channel, void *kbuffer,
			  u32 size, struct vmbus_gpadl *gpadl)
{
	return tg_gpadl_establish(&tg_vb, channel, kbuffer, size, gpadl);
}
EXPORT_SYMBOL_GPL(vmbus_establish_gpadl);

/*
 * Returns 0 when VTL2 no longer uses the buffer (torn down, or the
 * channel was rescinded). Otherwise gpadl->decrypted is set so the owner
 * keeps the memory.
 */
int vmbus_teardown_gpadl(struct vmbus_channel *channel, struct vmbus_gpadl *gpadl)
{
	struct vmbus_channel_gpadl_teardown msg = {};
	struct tg_vmbus *vb = &tg_vb;
	struct tg_req req;
	int ret = 0;

	if (!gpadl->gpadl_handle)
		return 0;

	tg_req_init(&req, CHANNELMSG_GPADL_TORNDOWN, channel);
	req.match_key = true;
	req.key = gpadl->gpadl_handle;
	tg_req_add(vb, &req);
	if (READ_ONCE(channel->rescind)) {
		tg_req_cancel(vb, &req);
		goto done;
	}

	msg.header.msgtype = CHANNELMSG_GPADL_TEARDOWN;
	msg.child_relid = channel->offermsg.child_relid;
	msg.gpadl = gpadl->gpadl_handle;
	ret = tg_mbox_post(vb, &msg, sizeof(msg));
	if (ret) {
		tg_req_cancel(vb, &req);
		goto fail;
	}
	ret = tg_req_wait(vb, &req);
	if (ret == -ENODEV)	/* rescinded meanwhile: VTL2 dropped it */
		ret = 0;
	if (ret)
		goto fail;
done:
	gpadl->gpadl_handle = 0;
	gpadl->decrypted = false;
	return 0;

fail:
	pr_err("relid %u: GPADL %#x teardown: %d, keeping the buffer\n",
	       channel->offermsg.child_relid, gpadl->gpadl_handle, ret);
	gpadl->decrypted = true;
	return ret;
}
EXPORT_SYMBOL_GPL(vmbus_teardown_gpadl);

/* Open / close -------------------------------------------------------- */

static int tg_send_open(struct tg_vmbus *vb, struct vmbus_channel *ch,
			  const void *userdata, u32 userdatalen)
{
	const struct vmbus_channel_open_result *result;
	struct vmbus_channel_open_channel *msg;
	u32 relid = ch->offermsg.child_relid;
	struct tg_req req;
	int ret;

	msg = kzalloc(sizeof(*msg), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	msg->header.msgtype = CHANNELMSG_OPENCHANNEL;
	msg->child_relid = relid;
	msg->openid = relid;
	msg->ringbuffer_gpadlhandle = ch->ringbuffer_gpadlhandle.gpadl_handle;
	/* __vmbus_open(): hv_cpu_number_to_vp_number(channel->target_cpu) */
	msg->target_vp = tg_cpu_to_vp(ch->target_cpu);
	msg->downstream_ringbuffer_pageoffset = ch->ringbuffer_send_offset;
	if (userdatalen)
		memcpy(msg->userdata, userdata, userdatalen);

	tg_req_init(&req, CHANNELMSG_OPENCHANNEL_RESULT, ch);
	req.match_relid = true;
	req.relid = relid;
	req.match_key = true;
	req.key = relid;
	tg_req_add(vb, &req);
	if (READ_ONCE(ch->rescind)) {
		tg_req_cancel(vb, &req);
		ret = -ENODEV;
		goto out;
	}
	ret = tg_mbox_post(vb, msg, sizeof(*msg));
	if (ret) {
		tg_req_cancel(vb, &req);
		goto out;
	}
	ret = tg_req_wait(vb, &req);
	if (ret)
		goto out;
	result = (const void *)req.resp;
	if (result->status) {
		pr_err("relid %u: OPENCHANNEL refused: status %#x\n", relid,
		       result->status);
		ret = -EAGAIN;
	}
out:
	kfree(msg);
	return ret;
}

static void tg_send_close(struct tg_vmbus *vb, struct vmbus_channel *ch,
			    int *ret)
{
	struct vmbus_channel_close_channel msg = {
		.header.msgtype = CHANNELMSG_CLOSECHANNEL,
		.child_relid = ch->offermsg.child_relid,
	};

	*ret = tg_mbox_post(vb, &msg, sizeof(msg));
	if (*ret)
		pr_err("relid %u: CLOSECHANNEL: %d\n", ch->offermsg.child_relid,
		       *ret);
}

int vmbus_open(struct vmbus_channel *ch, u32 send_size, u32 recv_size,
	       void *userdata, u32 userdatalen,
	       void (*onchannel_callback)(void *context), void *context)
{
	struct tg_vmbus *vb = &tg_vb;
	u32 send_pages, recv_pages;
	unsigned long flags;
	struct page *page;
	bool leak = false;
	int ret, ret2;

	if (userdatalen > MAX_USER_DEFINED_BYTES ||
	    !PAGE_ALIGNED(send_size) || !PAGE_ALIGNED(recv_size))
		return -EINVAL;
	send_pages = send_size >> PAGE_SHIFT;
	recv_pages = recv_size >> PAGE_SHIFT;
	/* Each ring: one header page and at least one data page. */
	if (send_pages < 2 || recv_pages < 2)
		return -EINVAL;
	if (!vb->present || READ_ONCE(ch->rescind))
		return -ENODEV;
	if (ch->state != CHANNEL_OPEN_STATE)
		return -EINVAL;
	ch->state = CHANNEL_OPENING_STATE;

	if (!ch->max_pkt_size)
		ch->max_pkt_size = VMBUS_DEFAULT_MAX_PKT_SIZE;
	memset(&ch->ringbuffer_gpadlhandle, 0,
	       sizeof(ch->ringbuffer_gpadlhandle));

	page = alloc_pages(GFP_KERNEL | __GFP_ZERO,
			   get_order(send_size + recv_size));
	if (!page) {
		ret = -ENOMEM;
		goto err_state;
	}
	ch->ringbuffer_page = page;
	ch->ringbuffer_pagecount = send_pages + recv_pages;
	ch->ringbuffer_send_offset = send_pages;

	if (ch->rqstor_size) {
		ret = tg_rqstor_alloc(ch, ch->rqstor_size);
		if (ret)
			goto err_ring;
	}

	ret = tg_gpadl_establish(vb, ch, page_address(page),
				   send_size + recv_size,
				   &ch->ringbuffer_gpadlhandle);
	if (ret) {
		leak = ch->ringbuffer_gpadlhandle.decrypted;
		goto err_ring;
	}

	/*
	 * As __vmbus_open(): the ring headers (feature_bits 1) are written
	 * after GPADL_CREATED; VTL2 sees zeroed pages while it maps them.
	 */
	ret = tg_ring_init(&ch->outbound, page, send_pages, 0);
	if (ret)
		goto err_gpadl;
	ret = tg_ring_init(&ch->inbound, page + send_pages, recv_pages,
			     ch->max_pkt_size);
	if (ret)
		goto err_gpadl;

	spin_lock_irqsave(&ch->sched_lock, flags);
	ch->channel_callback_context = context;
	ch->onchannel_callback = onchannel_callback;
	spin_unlock_irqrestore(&ch->sched_lock, flags);

	ret = tg_send_open(vb, ch, userdata, userdatalen);
	if (ret)
		goto err_gpadl;

	ch->state = CHANNEL_OPENED_STATE;
	return 0;

err_gpadl:
	tg_stop_callbacks(ch);
	/* Without an answer VTL2 may have opened it after all. */
	if (ret == -ETIMEDOUT && !READ_ONCE(ch->rescind))
		tg_send_close(vb, ch, &ret2);
	if (vmbus_teardown_gpadl(ch, &ch->ringbuffer_gpadlhandle))
		leak = true;
err_ring:
	tg_rqstor_free(ch);
	tg_release_ring(ch, leak);
err_state:
	ch->state = CHANNEL_OPEN_STATE;
	pr_err("relid %u: open failed: %d\n", ch->offermsg.child_relid, ret);
	return ret;
}
EXPORT_SYMBOL_GPL(vmbus_open);

/* Close one channel; channel_mutex held. */
static int tg_close_internal(struct tg_vmbus *vb, struct vmbus_channel *ch)
{
	int ret = 0;

	tg_reset_channel_cb(ch);
	if (ch->state != CHANNEL_OPENED_STATE)
		return -EINVAL;
	ch->state = CHANNEL_OPEN_STATE;

	/*
	 * vmbus_close_internal() has no rescind check: CLOSECHANNEL goes out
	 * for a rescinded channel too. Its ring's GPADL_TEARDOWN does not
	 * (vmbus_teardown_gpadl() posts nothing and returns 0).
	 */
	tg_send_close(vb, ch, &ret);
	if (!ret)
		ret = vmbus_teardown_gpadl(ch, &ch->ringbuffer_gpadlhandle);
	tg_rqstor_free(ch);
	/* VTL2 dropped a rescinded channel's ring: it is ours again */
	tg_release_ring(ch, !READ_ONCE(ch->rescind) &&
			  (ret || ch->ringbuffer_gpadlhandle.decrypted));
	return ret;
}

/*
 * Close a primary channel and its open sub-channels (closing a
 * sub-channel alone does nothing, as with hv_vmbus).
 */
void vmbus_close(struct vmbus_channel *channel)
{
	struct tg_vmbus *vb = &tg_vb;
	struct vmbus_channel *sc, *iter;

	if (channel->primary_channel)
		return;

	for (;;) {
		sc = NULL;
		mutex_lock(&vb->channel_mutex);
		list_for_each_entry(iter, &channel->sc_list, sc_list) {
			if (iter->state == CHANNEL_OPENED_STATE) {
				sc = iter;
				break;
			}
		}
		mutex_unlock(&vb->channel_mutex);
		if (!sc)
			break;

		/* An open sub-channel is only destroyed here, not freed. */
		if (READ_ONCE(sc->rescind))
			wait_for_completion(&sc->rescind_event);

		mutex_lock(&vb->channel_mutex);
		tg_close_internal(vb, sc);
		/* Its rescind handling left the clean-up to us. */
		if (sc->rescind_ref && completion_done(&sc->rescind_event))
			tg_channel_destroy(vb, sc);
		mutex_unlock(&vb->channel_mutex);
	}

	mutex_lock(&vb->channel_mutex);
	tg_close_internal(vb, channel);
	mutex_unlock(&vb->channel_mutex);
}
EXPORT_SYMBOL_GPL(vmbus_close);

void vmbus_set_sc_create_callback(struct vmbus_channel *primary_channel,
				  void (*sc_cr_cb)(struct vmbus_channel *new_sc))
{
	WRITE_ONCE(primary_channel->sc_creation_callback, sc_cr_cb);
}
EXPORT_SYMBOL_GPL(vmbus_set_sc_create_callback);

/* Sending ------------------------------------------------------------- */

int vmbus_sendpacket(struct vmbus_channel *channel, void *buffer,
		     u32 bufferlen, u64 requestid,
		     enum vmbus_packet_type type, u32 flags)
{
	u32 pktlen = sizeof(struct vmpacket_descriptor) + bufferlen;
	u32 aligned = ALIGN(pktlen, sizeof(u64));
	struct vmpacket_descriptor desc;
	struct kvec kv[3];
	u64 pad = 0;

	if (aligned < pktlen || (aligned >> 3) > U16_MAX)
		return -EINVAL;

	desc.type = type;
	desc.flags = flags;
	desc.offset8 = sizeof(desc) >> 3;
	desc.len8 = aligned >> 3;
	desc.trans_id = VMBUS_RQST_ERROR;	/* set by the ring write */

	kv[0].iov_base = &desc;
	kv[0].iov_len = sizeof(desc);
	kv[1].iov_base = buffer;
	kv[1].iov_len = bufferlen;
	kv[2].iov_base = &pad;
	kv[2].iov_len = aligned - pktlen;
	return tg_ring_write(channel, kv, bufferlen ? 3 : 1, requestid);
}
EXPORT_SYMBOL_GPL(vmbus_sendpacket);

int vmbus_sendpacket_mpb_desc(struct vmbus_channel *channel,
			      struct vmbus_packet_mpb_array *desc,
			      u32 desc_size, void *buffer, u32 bufferlen,
			      u64 requestid)
{
	u32 pktlen = desc_size + bufferlen;
	u32 aligned = ALIGN(pktlen, sizeof(u64));
	struct kvec kv[3];
	u64 pad = 0;

	if (desc_size < sizeof(struct vmpacket_descriptor) ||
	    aligned < pktlen || (aligned >> 3) > U16_MAX)
		return -EINVAL;

	desc->type = VM_PKT_DATA_USING_GPA_DIRECT;
	desc->flags = VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED;
	desc->dataoffset8 = desc_size >> 3;
	desc->length8 = aligned >> 3;
	desc->transactionid = VMBUS_RQST_ERROR;	/* set by the ring write */
	desc->reserved = 0;

	kv[0].iov_base = desc;
	kv[0].iov_len = desc_size;
	kv[1].iov_base = buffer;
	kv[1].iov_len = bufferlen;
	kv[2].iov_base = &pad;
	kv[2].iov_len = aligned - pktlen;
	return tg_ring_write(channel, kv, 3, requestid);
}
EXPORT_SYMBOL_GPL(vmbus_sendpacket_mpb_desc);
