// SPDX-License-Identifier: GPL-2.0
/*
 * Request ids: a channel with rqstor_size set gets a table of that many
 * slots when it is opened. A request id is slot + 1 (0 is what VTL2 uses
 * for unsolicited packets); free slots form a list threaded through
 * req_arr, a bitmap says which slots are in use, so ids coming back from
 * VTL2 are checked before they are trusted.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/slab.h>

#include "testguest.h"

#define TG_RQST_END	U64_MAX		/* end of the free list */

int tg_rqstor_alloc(struct vmbus_channel *ch, u32 size)
{
	struct vmbus_requestor *r = &ch->requestor;
	unsigned long flags;
	unsigned long *bitmap;
	u64 *arr;
	u32 i;

	arr = kcalloc(size, sizeof(*arr), GFP_KERNEL);
	bitmap = bitmap_zalloc(size, GFP_KERNEL);
	if (!arr || !bitmap) {
		kfree(arr);
		bitmap_free(bitmap);
		return -ENOMEM;
	}
	for (i = 0; i < size; i++)
		arr[i] = i + 1 < size ? i + 1 : TG_RQST_END;

	spin_lock_irqsave(&r->req_lock, flags);
	r->req_arr = arr;
	r->req_bitmap = bitmap;
	r->size = size;
	r->next_request_id = 0;
	spin_unlock_irqrestore(&r->req_lock, flags);
	return 0;
}

void tg_rqstor_free(struct vmbus_channel *ch)
{
	struct vmbus_requestor *r = &ch->requestor;
	unsigned long *bitmap;
	unsigned long flags;
	u64 *arr;

	spin_lock_irqsave(&r->req_lock, flags);
	arr = r->req_arr;
	bitmap = r->req_bitmap;
	r->req_arr = NULL;
	r->req_bitmap = NULL;
	r->size = 0;
	r->next_request_id = TG_RQST_END;
	spin_unlock_irqrestore(&r->req_lock, flags);

	kfree(arr);
	bitmap_free(bitmap);
}

/* Store @rqst_addr and return its request id (VMBUS_RQST_ERROR: full). */
u64 vmbus_next_request_id(struct vmbus_channel *channel, u64 rqst_addr)
{
	struct vmbus_requestor *r = &channel->requestor;
	unsigned long flags;
	u64 slot;

	if (!channel->rqstor_size)
		return VMBUS_NO_RQSTOR;

	spin_lock_irqsave(&r->req_lock, flags);
	slot = r->next_request_id;
	if (!r->req_arr || slot >= r->size) {
		spin_unlock_irqrestore(&r->req_lock, flags);
		return VMBUS_RQST_ERROR;
	}
	r->next_request_id = r->req_arr[slot];
	r->req_arr[slot] = rqst_addr;
	__set_bit(slot, r->req_bitmap);
	spin_unlock_irqrestore(&r->req_lock, flags);

	return slot + 1;
}
EXPORT_SYMBOL_GPL(vmbus_next_request_id);

/* Give back the address stored under @trans_id and free the id. */
u64 vmbus_request_addr(struct vmbus_channel *channel, u64 trans_id)
{
	struct vmbus_requestor *r = &channel->requestor;
	unsigned long flags;
	u64 addr, slot;

	if (!channel->rqstor_size)
		return VMBUS_NO_RQSTOR;
	if (!trans_id)
		return VMBUS_RQST_ERROR;
	slot = trans_id - 1;

	spin_lock_irqsave(&r->req_lock, flags);
	if (!r->req_arr || slot >= r->size || !test_bit(slot, r->req_bitmap)) {
		spin_unlock_irqrestore(&r->req_lock, flags);
		return VMBUS_RQST_ERROR;
	}
	addr = r->req_arr[slot];
	r->req_arr[slot] = r->next_request_id;
	r->next_request_id = slot;
	__clear_bit(slot, r->req_bitmap);
	spin_unlock_irqrestore(&r->req_lock, flags);

	return addr;
}
EXPORT_SYMBOL_GPL(vmbus_request_addr);
