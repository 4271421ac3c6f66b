/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loopback transport backend (KUnit): stands where the SynIC or the rig's
 * mailbox stands, with the guest played by the test. Messages the test
 * injects go to the transport client (the VMBus server) in order, and wait
 * in the backend while the client has no room (then it kicks); messages
 * the client posts are kept for the test to take, and a post finds its
 * slot busy when @slots of them are waiting.
 */
#ifndef KHCL_LOOPBACK_H
#define KHCL_LOOPBACK_H

#include <linux/spinlock.h>
#include <linux/wait.h>
#include "../../include/khcl/khcl_vtl2.h"

#define KHCL_LB_QUEUE	512

struct khcl_loopback {
	struct khcl_transport t;
	spinlock_t lock;
	wait_queue_head_t wq;
	u32 slots;				/* host->guest capacity */
	struct khcl_synic_msg out[KHCL_LB_QUEUE];	/* posted by the client */
	u32 out_head, out_count;
	struct khcl_synic_msg in[KHCL_LB_QUEUE];	/* injected, not taken */
	u32 in_head, in_count;
	u64 busy, signals, refused;
};

int khcl_loopback_register(struct khcl_loopback *lb, u32 slots);
void khcl_loopback_unregister(struct khcl_loopback *lb);
/* The guest posts a message (-ENOSPC when the test queued too many). */
int khcl_loopback_inject(struct khcl_loopback *lb, u32 type, u32 conn_id,
			 const void *payload, u32 len);
/* The guest raises an event flag for @conn_id. */
void khcl_loopback_event(struct khcl_loopback *lb, u32 conn_id);
/* Take the oldest message the client posted; false after @timeout. */
bool khcl_loopback_take(struct khcl_loopback *lb, struct khcl_synic_msg *m,
			unsigned long timeout);

#endif /* KHCL_LOOPBACK_H */
