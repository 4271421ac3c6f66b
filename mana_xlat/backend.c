// SPDX-License-Identifier: GPL-2.0
/*
 * Network VSP protocol core: what khcl makes of the backend netdev it is
 * given (MANA's vPort in production, virtio-net in the rig). See
 * netvsp.h.
 */
#include "netvsp.h"

void khcl_nv_plan(const struct khcl_nv_backend *b, bool mac_set,
		  u32 queues, u32 offloads, struct khcl_nv_plan *p)
{
	u32 q = queues;

	/*
	 * A MAC of khcl's own only where the NIC can filter for a second
	 * one: MANA's vPort passes its own MAC alone (and no promiscuous
	 * mode), so its guest must have that one.
	 */
	p->own_mac = mac_set && b->uc_filter;
	/* a channel per queue pair the NIC has, as many as allowed */
	if (b->txq < q)
		q = b->txq;
	if (b->rxq < q)
		q = b->rxq;
	if (q > KHCL_NV_MAX_QUEUES)
		q = KHCL_NV_MAX_QUEUES;
	p->queues = q ? q : 1;
	/* RSC offered: the NIC's merging (GRO, LRO) stays on */
	p->coalesce = offloads & KHCL_NV_OFF_RSC;
}
