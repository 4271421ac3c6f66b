// SPDX-License-Identifier: GPL-2.0
/* Loopback transport backend for KUnit; see loopback.h. */
#include <linux/module.h>
#include <linux/string.h>
#include "loopback.h"

static int lb_post(struct khcl_transport *t, u32 vp, u8 sint, u32 type,
		   const void *payload, u32 len)
{
	struct khcl_loopback *lb = t->priv;
	struct khcl_synic_msg *m;
	unsigned long flags;

	spin_lock_irqsave(&lb->lock, flags);
	if (lb->out_count >= lb->slots) {
		lb->busy++;
		spin_unlock_irqrestore(&lb->lock, flags);
		return -EAGAIN;
	}
	m = &lb->out[(lb->out_head + lb->out_count++) % KHCL_LB_QUEUE];
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->vp = vp;
	m->sint = sint;
	m->len = len;
	memcpy(m->payload, payload, len);
	spin_unlock_irqrestore(&lb->lock, flags);
	wake_up(&lb->wq);
	return 0;
}

static void lb_signal(struct khcl_transport *t, u32 vp, u8 sint, u32 flag)
{
	struct khcl_loopback *lb = t->priv;

	WRITE_ONCE(lb->signals, lb->signals + 1);
}

/* Hand injected messages to the client, in order, until it has no room. */
static void lb_kick(struct khcl_transport *t)
{
	struct khcl_loopback *lb = t->priv;
	struct khcl_synic_msg m;
	unsigned long flags;

	spin_lock_irqsave(&lb->lock, flags);
	while (lb->in_count) {
		m = lb->in[lb->in_head];
		if (!khcl_transport_deliver_msg(t, &m)) {
			lb->refused++;
			break;
		}
		lb->in_head = (lb->in_head + 1) % KHCL_LB_QUEUE;
		lb->in_count--;
	}
	spin_unlock_irqrestore(&lb->lock, flags);
}

static const struct khcl_transport_ops lb_ops = {
	.post = lb_post,
	.signal = lb_signal,
	.kick = lb_kick,
};

int khcl_loopback_register(struct khcl_loopback *lb, u32 slots)
{
	memset(lb, 0, sizeof(*lb));
	spin_lock_init(&lb->lock);
	init_waitqueue_head(&lb->wq);
	lb->slots = clamp_t(u32, slots, 1, KHCL_LB_QUEUE);
	lb->t.name = "loopback";
	lb->t.ops = &lb_ops;
	lb->t.priv = lb;
	return khcl_transport_register(&lb->t);
}

void khcl_loopback_unregister(struct khcl_loopback *lb)
{
	khcl_transport_unregister(&lb->t);
}

int khcl_loopback_inject(struct khcl_loopback *lb, u32 type, u32 conn_id,
			 const void *payload, u32 len)
{
	struct khcl_synic_msg *m;
	unsigned long flags;

	if (len > KHCL_SYNIC_PAYLOAD)
		return -EINVAL;
	spin_lock_irqsave(&lb->lock, flags);
	if (lb->in_count == KHCL_LB_QUEUE) {
		spin_unlock_irqrestore(&lb->lock, flags);
		return -ENOSPC;
	}
	m = &lb->in[(lb->in_head + lb->in_count++) % KHCL_LB_QUEUE];
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->conn_id = conn_id;
	m->len = len;
	memcpy(m->payload, payload, len);
	spin_unlock_irqrestore(&lb->lock, flags);
	lb_kick(&lb->t);
	return 0;
}

void khcl_loopback_event(struct khcl_loopback *lb, u32 conn_id)
{
	khcl_transport_deliver_event(&lb->t, conn_id);
}

bool khcl_loopback_take(struct khcl_loopback *lb, struct khcl_synic_msg *m,
			unsigned long timeout)
{
	unsigned long flags;
	bool got = false;

	wait_event_timeout(lb->wq, READ_ONCE(lb->out_count), timeout);
	spin_lock_irqsave(&lb->lock, flags);
	if (lb->out_count) {
		*m = lb->out[lb->out_head];
		lb->out_head = (lb->out_head + 1) % KHCL_LB_QUEUE;
		lb->out_count--;
		got = true;
	}
	spin_unlock_irqrestore(&lb->lock, flags);
	return got;
}
