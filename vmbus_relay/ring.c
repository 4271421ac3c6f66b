// SPDX-License-Identifier: GPL-2.0
/*
 * Server side of a VMBus ring buffer. See ring.h for the trust model.
 *
 * Packet layout on the ring (as hv_ringbuffer_write lays it out): a
 * descriptor, payload padded to 8 bytes, then an 8-byte trailer holding
 * the writer's start index in the upper 32 bits. A reader that finds a
 * descriptor whose length does not fit what the writer published has met
 * a protocol violation, not a short read.
 */
#include "ring.h"

int khcl_ring_init(struct khcl_ring *r, void *hdr, void *data, u32 size,
		   bool out)
{
	if (!hdr || !data || size < KHCL_HV_PAGE_SIZE || size % 8 ||
	    size > KHCL_RING_MAX_DATA)
		return -EINVAL;
	r->hdr = hdr;
	r->data = data;
	r->size = size;
	r->out = out;
	/*
	 * Start from the index the guest initialised for our side; validated
	 * now, kept privately from here on.
	 */
	r->priv = out ? READ_ONCE(r->hdr->write_index) :
			READ_ONCE(r->hdr->read_index);
	if (r->priv >= size || r->priv % 8)
		return -EPROTO;
	r->committed = r->priv;
	return 0;
}

static void ring_copy_out(const struct khcl_ring *r, u32 off, void *dst,
			  u32 len)
{
	u32 first = r->size - off;

	if (first >= len) {
		memcpy(dst, r->data + off, len);
	} else {
		memcpy(dst, r->data + off, first);
		memcpy((u8 *)dst + first, r->data, len - first);
	}
}

static u32 ring_copy_in(const struct khcl_ring *r, u32 off, const void *src,
			u32 len)
{
	u32 first = r->size - off;

	if (!len)
		return off;
	if (first >= len) {
		memcpy(r->data + off, src, len);
	} else {
		memcpy(r->data + off, src, first);
		memcpy(r->data, (const u8 *)src + first, len - first);
	}
	off += len;
	return off >= r->size ? off - r->size : off;
}

static u32 ring_used(u32 write, u32 read, u32 size)
{
	return write >= read ? write - read : size - read + write;
}

/* The guest's index, read once; false if it cannot be a valid index. */
static bool ring_guest_index(const struct khcl_ring *r, u32 *idx, bool write)
{
	u32 v = write ? khcl_load_acquire(&r->hdr->write_index) :
			khcl_load_acquire(&r->hdr->read_index);

	if (v >= r->size || v % 8)
		return false;
	*idx = v;
	return true;
}

enum khcl_ring_err khcl_ring_read(struct khcl_ring *r, void *buf, u32 buflen,
				  u32 *pktlen)
{
	struct khcl_vmpkt_desc desc;
	u32 write, avail, len, off;

	if (!ring_guest_index(r, &write, true))
		return KHCL_RING_BAD_INDEX;
	avail = ring_used(write, r->priv, r->size);
	if (!avail)
		return KHCL_RING_EMPTY;
	if (avail < sizeof(desc) + KHCL_VMPKT_TRAILER)
		return KHCL_RING_BAD_LEN;

	ring_copy_out(r, r->priv, &desc, sizeof(desc));
	len = (u32)desc.len8 << 3;
	off = (u32)desc.offset8 << 3;
	if (len < sizeof(desc) || off < sizeof(desc) || off > len ||
	    len > avail - KHCL_VMPKT_TRAILER)
		return KHCL_RING_BAD_LEN;
	if (len > buflen)
		return KHCL_RING_TOO_BIG;

	/* The descriptor is the copy validated above, never a second read. */
	memcpy(buf, &desc, sizeof(desc));
	ring_copy_out(r, (r->priv + sizeof(desc)) % r->size,
		      (u8 *)buf + sizeof(desc), len - sizeof(desc));
	r->priv = (r->priv + len + KHCL_VMPKT_TRAILER) % r->size;
	*pktlen = len;
	return KHCL_RING_OK;
}

bool khcl_ring_read_commit(struct khcl_ring *r)
{
	u32 write, pending, freed_before, freed_after;

	if (r->priv == r->committed)
		return false;
	khcl_store_release(&r->hdr->read_index, r->priv);
	khcl_mb();
	if (!(READ_ONCE(r->hdr->feature_bits) & KHCL_RING_FEAT_PENDING_SEND_SZ))
		goto out;
	pending = READ_ONCE(r->hdr->pending_send_sz);
	if (!pending || !ring_guest_index(r, &write, true))
		goto out;
	freed_before = r->size - ring_used(write, r->committed, r->size);
	freed_after = r->size - ring_used(write, r->priv, r->size);
	r->committed = r->priv;
	/* Tell the writer once, when its wait condition becomes true. */
	return freed_before <= pending && freed_after > pending;
out:
	r->committed = r->priv;
	return false;
}

u32 khcl_ring_pkt_size(u32 extlen, u32 len)
{
	return sizeof(struct khcl_vmpkt_desc) + extlen + ((len + 7) & ~7u) +
	       KHCL_VMPKT_TRAILER;
}

enum khcl_ring_err khcl_ring_put(struct khcl_ring *r, u16 type, u16 flags,
				 u64 trans_id, const void *ext, u32 extlen,
				 const void *payload, u32 len)
{
	static const u8 zeros[8];
	struct khcl_vmpkt_desc desc = {
		.type = type,
		.flags = flags,
		.trans_id = trans_id,
	};
	u32 read, padded, total, start, idx;
	u64 trailer;

	if (len > r->size || extlen > r->size || extlen % 8)
		return KHCL_RING_TOO_BIG;
	padded = (len + 7) & ~7u;
	total = khcl_ring_pkt_size(extlen, len);
	if ((sizeof(desc) + extlen + padded) >> 3 > 0xffff || total > r->size)
		return KHCL_RING_TOO_BIG;
	/*
	 * The reader cannot have read past what was published: a read index
	 * inside the unpublished batch is a lie that would let the batch
	 * overrun itself.
	 */
	if (!ring_guest_index(r, &read, false) ||
	    ring_used(r->priv, read, r->size) <
	    ring_used(r->priv, r->committed, r->size))
		return KHCL_RING_BAD_INDEX;
	/*
	 * Full when the free space does not exceed the packet (never fill):
	 * counted from our private index, so the batch not yet published
	 * takes its room too.
	 */
	if (r->size - ring_used(r->priv, read, r->size) <= total)
		return KHCL_RING_FULL;
	desc.offset8 = (sizeof(desc) + extlen) >> 3;
	desc.len8 = (sizeof(desc) + extlen + padded) >> 3;

	start = r->priv;
	idx = ring_copy_in(r, start, &desc, sizeof(desc));
	idx = ring_copy_in(r, idx, ext, extlen);
	idx = ring_copy_in(r, idx, payload, len);
	idx = ring_copy_in(r, idx, zeros, padded - len);
	trailer = (u64)start << 32;
	r->priv = ring_copy_in(r, idx, &trailer, sizeof(trailer));
	return KHCL_RING_OK;
}

bool khcl_ring_publish(struct khcl_ring *r)
{
	u32 old = r->committed, read;

	if (r->priv == old)
		return false;
	/* what we asked room for has come, or the batch proves it has */
	if (READ_ONCE(r->hdr->pending_send_sz))
		WRITE_ONCE(r->hdr->pending_send_sz, 0);
	khcl_store_release(&r->hdr->write_index, r->priv);
	r->committed = r->priv;
	khcl_mb();
	/*
	 * hv_signal_on_write, for the whole batch: only a reader that had
	 * caught up with what was published before it needs a kick.
	 */
	return !READ_ONCE(r->hdr->interrupt_mask) &&
	       ring_guest_index(r, &read, false) && read == old;
}

bool khcl_ring_want_space(struct khcl_ring *r, u32 need)
{
	u32 read;

	if (!(READ_ONCE(r->hdr->feature_bits) & KHCL_RING_FEAT_PENDING_SEND_SZ))
		return false;
	/*
	 * Ask for a signal, then look again: the reader may have made room
	 * before it could see the request.
	 */
	WRITE_ONCE(r->hdr->pending_send_sz, need);
	khcl_mb();
	if (!ring_guest_index(r, &read, false))
		return false;
	return r->size - ring_used(r->priv, read, r->size) > need;
}

enum khcl_ring_err khcl_ring_write(struct khcl_ring *r, u16 type, u16 flags,
				   u64 trans_id, const void *payload, u32 len,
				   bool *signal)
{
	return khcl_ring_write_ext(r, type, flags, trans_id, NULL, 0, payload,
				   len, signal);
}

enum khcl_ring_err khcl_ring_write_ext(struct khcl_ring *r, u16 type,
				       u16 flags, u64 trans_id, const void *ext,
				       u32 extlen, const void *payload,
				       u32 len, bool *signal)
{
	enum khcl_ring_err e;

	*signal = false;
	e = khcl_ring_put(r, type, flags, trans_id, ext, extlen, payload, len);
	if (e == KHCL_RING_FULL) {
		*signal = khcl_ring_publish(r);
		if (!khcl_ring_want_space(r, khcl_ring_pkt_size(extlen, len)))
			return KHCL_RING_FULL;
		e = khcl_ring_put(r, type, flags, trans_id, ext, extlen,
				  payload, len);
	}
	if (e == KHCL_RING_OK && khcl_ring_publish(r))
		*signal = true;
	return e;
}

void khcl_ring_mask(struct khcl_ring *r)
{
	WRITE_ONCE(r->hdr->interrupt_mask, 1);
	khcl_mb();
}

bool khcl_ring_unmask(struct khcl_ring *r)
{
	u32 write;

	WRITE_ONCE(r->hdr->interrupt_mask, 0);
	khcl_mb();
	if (!ring_guest_index(r, &write, true))
		return true;	/* let the next read report the bad index */
	return write != r->priv;
}

u32 khcl_ring_bytes_used(struct khcl_ring *r)
{
	u32 idx;

	if (!ring_guest_index(r, &idx, !r->out))
		return 0;
	return r->out ? ring_used(r->priv, idx, r->size) :
			ring_used(idx, r->priv, r->size);
}
