// SPDX-License-Identifier: GPL-2.0
/*
 * VMBus ring buffers in the layout of include/linux/hyperv.h: a header
 * page (struct hv_ring_buffer) followed by the data area, one ring per
 * direction. The data area is mapped once (no wrap-around mapping), so
 * every copy in or out handles the wrap itself. The peer may write any
 * value into the shared indices: they are checked before use.
 *
 * A packet is a vmpacket_descriptor plus payload, padded to 8 bytes,
 * followed by an 8-byte trailer holding the previous write index << 32.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/reciprocal_div.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "testguest.h"

static_assert(sizeof(struct hv_ring_buffer) == PAGE_SIZE);

int tg_ring_init(struct hv_ring_buffer_info *rbi, struct page *pages,
		   u32 page_cnt, u32 max_pkt_size)
{
	rbi->ring_buffer = page_address(pages);
	memset(rbi->ring_buffer, 0, sizeof(struct hv_ring_buffer));
	/* We set pending_send_sz when blocked and honour the peer's. */
	rbi->ring_buffer->feature_bits.value = 1;

	rbi->ring_size = page_cnt << PAGE_SHIFT;
	rbi->ring_size_div10_reciprocal = reciprocal_value(rbi->ring_size / 10);
	rbi->ring_datasize = rbi->ring_size - sizeof(struct hv_ring_buffer);
	rbi->priv_read_index = 0;
	rbi->pkt_buffer = NULL;
	rbi->pkt_buffer_size = 0;
	if (max_pkt_size) {
		rbi->pkt_buffer = kzalloc(max_pkt_size, GFP_KERNEL);
		if (!rbi->pkt_buffer)
			return -ENOMEM;
		rbi->pkt_buffer_size = max_pkt_size;
	}
	return 0;
}

void tg_ring_cleanup(struct hv_ring_buffer_info *rbi)
{
	mutex_lock(&rbi->ring_buffer_mutex);
	rbi->ring_buffer = NULL;
	mutex_unlock(&rbi->ring_buffer_mutex);
	kfree(rbi->pkt_buffer);
	rbi->pkt_buffer = NULL;
	rbi->pkt_buffer_size = 0;
}

/* Copy @len (<= data size) bytes into the ring at @pos; returns the end. */
static u32 tg_ring_copy_to(struct hv_ring_buffer_info *rbi, u32 pos,
			     const void *src, u32 len)
{
	u8 *data = rbi->ring_buffer->buffer;
	u32 dsize = rbi->ring_datasize;
	u32 first = min(len, dsize - pos);

	memcpy(data + pos, src, first);
	if (len > first)
		memcpy(data, src + first, len - first);
	pos += len;
	return pos >= dsize ? pos - dsize : pos;
}

static void tg_ring_copy_from(const struct hv_ring_buffer_info *rbi, u32 pos,
				void *dst, u32 len)
{
	const u8 *data = rbi->ring_buffer->buffer;
	u32 dsize = rbi->ring_datasize;
	u32 first = min(len, dsize - pos);

	memcpy(dst, data + pos, first);
	if (len > first)
		memcpy(dst + first, data, len - first);
}

/* Signal VTL2 if the ring went from empty to non-empty while it slept. */
static void tg_signal_on_write(struct vmbus_channel *ch,
				 struct hv_ring_buffer *rb, u32 old_write)
{
	/* the new write index is visible before we look at the mask */
	virt_mb();
	if (READ_ONCE(rb->interrupt_mask))
		return;
	/* interrupt_mask before read_index */
	virt_rmb();
	if (old_write == READ_ONCE(rb->read_index)) {
		ch->intr_out_empty++;
		tg_channel_signal(ch);
	}
}

/*
 * Write one packet (the iovecs, then the trailer) into the outbound
 * ring. kv[0] starts with the vmpacket_descriptor; when it requests a
 * completion its trans_id comes from the channel's request-id callback.
 * Returns -EAGAIN when the ring (or the requestor) is full.
 */
int tg_ring_write(struct vmbus_channel *ch, const struct kvec *kv,
		    u32 kv_count, u64 requestid)
{
	const struct vmpacket_descriptor *desc = kv[0].iov_base;
	struct hv_ring_buffer_info *rbi = &ch->outbound;
	u64 rqst_id = VMBUS_NO_RQSTOR, trans_id, prev;
	u32 total = TG_PKT_TRAILER, rd, wr, pos, avail, dsize, i;
	struct hv_ring_buffer *rb;
	unsigned long flags;

	if (READ_ONCE(ch->rescind))
		return -ENODEV;
	for (i = 0; i < kv_count; i++)
		total += kv[i].iov_len;

	spin_lock_irqsave(&rbi->ring_lock, flags);
	rb = rbi->ring_buffer;
	if (unlikely(!rb)) {
		spin_unlock_irqrestore(&rbi->ring_lock, flags);
		return -EIO;
	}
	dsize = rbi->ring_datasize;
	rd = READ_ONCE(rb->read_index);
	wr = READ_ONCE(rb->write_index);
	if (unlikely(rd >= dsize || wr >= dsize)) {
		spin_unlock_irqrestore(&rbi->ring_lock, flags);
		pr_err_ratelimited("relid %u: outbound indices out of range: read %u write %u size %u\n",
				   ch->offermsg.child_relid, rd, wr, dsize);
		return -EIO;
	}

	avail = wr >= rd ? dsize - (wr - rd) : rd - wr;
	/* Never fill it completely: full would look like empty. */
	if (avail <= total) {
		ch->out_full_total++;
		if (!ch->out_full_flag) {
			ch->out_full_first++;
			ch->out_full_flag = true;
		}
		spin_unlock_irqrestore(&rbi->ring_lock, flags);
		return -EAGAIN;
	}
	ch->out_full_flag = false;

	pos = wr;
	for (i = 0; i < kv_count; i++)
		pos = tg_ring_copy_to(rbi, pos, kv[i].iov_base,
					kv[i].iov_len);

	/* The id is taken only once the packet is in the ring. */
	if (desc->flags == VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED &&
	    ch->next_request_id_callback) {
		rqst_id = ch->next_request_id_callback(ch, requestid);
		if (rqst_id == VMBUS_RQST_ERROR) {
			spin_unlock_irqrestore(&rbi->ring_lock, flags);
			return -EAGAIN;
		}
	}
	trans_id = rqst_id == VMBUS_NO_RQSTOR ? requestid : rqst_id;
	tg_ring_copy_to(rbi,
			  (wr + offsetof(struct vmpacket_descriptor, trans_id)) %
			  dsize, &trans_id, sizeof(trans_id));

	prev = (u64)wr << 32;
	pos = tg_ring_copy_to(rbi, pos, &prev, sizeof(prev));

	/* Packet before index. */
	virt_mb();
	WRITE_ONCE(rb->write_index, pos);
	spin_unlock_irqrestore(&rbi->ring_lock, flags);

	tg_signal_on_write(ch, rb, wr);

	if (READ_ONCE(ch->rescind)) {
		if (rqst_id != VMBUS_NO_RQSTOR && ch->request_addr_callback)
			ch->request_addr_callback(ch, rqst_id);
		return -ENODEV;
	}
	return 0;
}

/* Bytes between our private read index and VTL2's write index. */
static u32 tg_pkt_iter_avail(struct vmbus_channel *ch,
			       const struct hv_ring_buffer_info *rbi)
{
	u32 priv = rbi->priv_read_index;
	u32 dsize = rbi->ring_datasize;
	u32 wr;

	/* Pairs with VTL2's release of write_index after the data. */
	wr = virt_load_acquire(&rbi->ring_buffer->write_index);
	if (unlikely(wr >= dsize)) {
		pr_err_ratelimited("relid %u: inbound write index %u out of range (%u)\n",
				   ch->offermsg.child_relid, wr, dsize);
		return 0;
	}
	return wr >= priv ? wr - priv : dsize - priv + wr;
}

/*
 * Copy the next packet into the channel's pkt_buffer and return that
 * copy, with len8/offset8 forced consistent with what was copied.
 */
struct vmpacket_descriptor *hv_pkt_iter_first(struct vmbus_channel *channel)
{
	struct hv_ring_buffer_info *rbi = &channel->inbound;
	struct vmpacket_descriptor hd, *copy;
	u32 avail, len, off;

	if (unlikely(!rbi->ring_buffer || !rbi->pkt_buffer))
		return NULL;

	avail = tg_pkt_iter_avail(channel, rbi);
	if (avail < sizeof(hd))
		return NULL;
	avail = min(avail, rbi->pkt_buffer_size);

	tg_ring_copy_from(rbi, rbi->priv_read_index, &hd, sizeof(hd));
	len = (u32)hd.len8 << 3;
	off = (u32)hd.offset8 << 3;
	if (len < sizeof(hd) || len > avail)
		len = avail;
	if (off < sizeof(hd) || off > len)
		off = sizeof(hd);

	copy = rbi->pkt_buffer;
	tg_ring_copy_from(rbi, rbi->priv_read_index, copy, len);
	copy->len8 = len >> 3;
	copy->offset8 = off >> 3;
	return copy;
}
EXPORT_SYMBOL_GPL(hv_pkt_iter_first);

struct vmpacket_descriptor *
__hv_pkt_iter_next(struct vmbus_channel *channel,
		   const struct vmpacket_descriptor *desc)
{
	struct hv_ring_buffer_info *rbi = &channel->inbound;
	u32 step = ((u32)desc->len8 << 3) + TG_PKT_TRAILER;

	rbi->priv_read_index = (rbi->priv_read_index + step) %
			       rbi->ring_datasize;
	return hv_pkt_iter_first(channel);
}
EXPORT_SYMBOL_GPL(__hv_pkt_iter_next);

/*
 * Publish the read index. If VTL2 is blocked waiting for pending_send_sz
 * bytes and this read gave it that room, signal it.
 */
void hv_pkt_iter_close(struct vmbus_channel *channel)
{
	struct hv_ring_buffer_info *rbi = &channel->inbound;
	struct hv_ring_buffer *rb = rbi->ring_buffer;
	u32 dsize = rbi->ring_datasize;
	u32 priv = rbi->priv_read_index;
	u32 start, pending, wr, room, was;

	if (unlikely(!rb))
		return;

	/* Reads of the packets before the index that frees them. */
	virt_rmb();
	start = READ_ONCE(rb->read_index);
	WRITE_ONCE(rb->read_index, priv);

	if (!(READ_ONCE(rb->feature_bits.value) & 1))
		return;

	/* Index update before reading pending_send_sz. */
	virt_mb();
	pending = READ_ONCE(rb->pending_send_sz);
	if (!pending)
		return;

	/* pending_send_sz before write_index */
	virt_rmb();
	wr = READ_ONCE(rb->write_index);
	if (wr >= dsize || start >= dsize)
		return;
	room = wr >= priv ? dsize - (wr - priv) : priv - wr;
	was = room - (priv >= start ? priv - start : dsize - start + priv);

	/* Signal only on the "not enough" -> "enough room" transition. */
	if (was <= room && was > pending)
		return;
	if (room <= pending)
		return;
	channel->intr_in_full++;
	tg_channel_signal(channel);
}
EXPORT_SYMBOL_GPL(hv_pkt_iter_close);
