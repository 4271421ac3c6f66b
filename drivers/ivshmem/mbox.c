// SPDX-License-Identifier: GPL-2.0
/*
 * khcl rig backend: the SynIC stand-in over the ivshmem-doorbell mailbox
 * (layout and ownership rules: include/khcl/mailbox.h), registered as the
 * platform core's message/event transport.
 *
 * Everything in the mailbox is written by the guest too: a slot is copied
 * out once before it is looked at, sizes are checked on the copy, peer
 * ids are bounded, and one interrupt does at most one round of slots and
 * one scan of the event flags.
 */
#define pr_fmt(fmt) "khcl_ivshmem: " fmt

#include <linux/module.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include "ivshmem.h"

static unsigned int poll_ms;
module_param(poll_ms, uint, 0444);
MODULE_PARM_DESC(poll_ms, "Poll the mailbox every N ms instead of doorbell interrupts (fallback; 0 = interrupts)");

#define IVSHMEM_MAX_PEER	16

static struct khcl_mbox_hdr *mbox_hdr(struct khcl_ivshmem *iv)
{
	return iv->shm + KHCL_MBOX_HDR_OFF;
}

static struct khcl_mbox_msg *mbox_slot(struct khcl_ivshmem *iv, u32 off,
				       u32 i)
{
	return (struct khcl_mbox_msg *)(iv->shm + off) + i;
}

static void mbox_doorbell(struct khcl_ivshmem *iv)
{
	u32 peer = READ_ONCE(mbox_hdr(iv)->vtl0.peer_id);

	if (peer >= IVSHMEM_MAX_PEER || peer == iv->peer_id)
		return;
	iv->stats.doorbells++;
	writel(peer << 16, iv->regs + IVSHMEM_DOORBELL);
}

static int mbox_post(struct khcl_transport *t, u32 vp, u8 sint, u32 type,
		     const void *payload, u32 len)
{
	struct khcl_ivshmem *iv = t->priv;
	struct khcl_mbox_msg *slot;
	unsigned long flags;

	spin_lock_irqsave(&iv->tx_lock, flags);
	slot = mbox_slot(iv, KHCL_MBOX_TO_VTL0_OFF, iv->tx_cursor);
	/* the guest frees a slot with a release store after its copy */
	if (smp_load_acquire(&slot->message_type)) {
		iv->stats.tx_busy++;
		spin_unlock_irqrestore(&iv->tx_lock, flags);
		return -EAGAIN;
	}
	slot->payload_size = len;
	slot->message_flags = 0;
	slot->sint = sint;
	slot->reserved = 0;
	slot->connection_id = 0;
	slot->vp = vp;
	memcpy(slot->payload, payload, len);
	/* nothing of ours leaks through the unused tail (XSA-216) */
	memset(slot->payload + len, 0, KHCL_SYNIC_PAYLOAD - len);
	/* publish: header and payload before the type (mailbox.h) */
	smp_store_release(&slot->message_type, type);
	iv->tx_cursor = (iv->tx_cursor + 1) % KHCL_MBOX_SLOTS;
	iv->stats.msgs_tx++;
	spin_unlock_irqrestore(&iv->tx_lock, flags);
	mbox_doorbell(iv);
	return 0;
}

static void mbox_signal(struct khcl_transport *t, u32 vp, u8 sint, u32 flag)
{
	struct khcl_ivshmem *iv = t->priv;
	u8 *ev = iv->shm + KHCL_MBOX_EV_VTL0_OFF;

	if (flag >= KHCL_MBOX_EVENTS)
		return;
	/* the ring write the flag announces is visible first */
	smp_store_release(&ev[flag], 1);
	iv->stats.events_tx++;
	mbox_doorbell(iv);
}

static void mbox_drain(struct khcl_ivshmem *iv);

static void mbox_kick(struct khcl_transport *t)
{
	mbox_drain(t->priv);
}

static const struct khcl_transport_ops mbox_ops = {
	.post = mbox_post,
	.signal = mbox_signal,
	.kick = mbox_kick,
};

/* One round over the message slots and the event flags. */
static void mbox_drain(struct khcl_ivshmem *iv)
{
	u8 *ev = iv->shm + KHCL_MBOX_EV_VTL2_OFF;
	struct khcl_synic_msg m;
	struct khcl_mbox_msg copy;
	unsigned long flags;
	u32 i, j, type;

	spin_lock_irqsave(&iv->rx_lock, flags);
	for (i = 0; i < KHCL_MBOX_SLOTS; i++) {
		struct khcl_mbox_msg *slot =
			mbox_slot(iv, KHCL_MBOX_TO_VTL2_OFF, iv->rx_cursor);

		/* pairs with the guest's publishing release store */
		type = smp_load_acquire(&slot->message_type);
		if (!type)
			break;
		memcpy(&copy, slot, sizeof(copy));
		if (copy.payload_size <= KHCL_SYNIC_PAYLOAD) {
			m.type = type;
			m.conn_id = copy.connection_id;
			m.vp = 0;
			m.sint = copy.sint;
			m.len = copy.payload_size;
			memcpy(m.payload, copy.payload, m.len);
			/* no room: leave it posted, the client kicks us */
			if (!khcl_transport_deliver_msg(&iv->transport, &m)) {
				iv->stats.rx_deferred++;
				break;
			}
			iv->stats.msgs_rx++;
		} else {
			iv->stats.bad_msgs++;
		}
		/* our copy is complete before the slot is handed back */
		smp_store_release(&slot->message_type, 0);
		iv->rx_cursor = (iv->rx_cursor + 1) % KHCL_MBOX_SLOTS;
	}

	for (i = 0; i < KHCL_MBOX_EVENTS; i += sizeof(u64)) {
		if (!READ_ONCE(*(u64 *)(ev + i)))
			continue;
		for (j = i; j < i + sizeof(u64); j++) {
			if (!READ_ONCE(ev[j]))
				continue;
			WRITE_ONCE(ev[j], 0);
			/* clear before the work is looked at (mailbox.h) */
			smp_mb();
			iv->stats.events_rx++;
			khcl_transport_deliver_event(&iv->transport, j);
		}
	}
	spin_unlock_irqrestore(&iv->rx_lock, flags);
}

static irqreturn_t mbox_irq(int irq, void *data)
{
	struct khcl_ivshmem *iv = data;

	iv->stats.irqs++;
	mbox_drain(iv);
	return IRQ_HANDLED;
}

#define MBOX_WATCH_MS	50

/* VTL0's state, watched for a reset (mailbox.h: KHCL_MBOX_STATE_RESET). */
static void mbox_watch(struct timer_list *t)
{
	struct khcl_ivshmem *iv = from_timer(iv, t, watch_timer);
	u32 state = READ_ONCE(mbox_hdr(iv)->vtl0.state);

	if (state != KHCL_MBOX_STATE_RESET) {
		iv->vtl0_reset_done = false;
	} else if (!iv->vtl0_reset_done) {
		iv->vtl0_reset_done = true;
		schedule_work(&iv->reset_work);
		return;		/* the work re-arms us */
	}
	mod_timer(&iv->watch_timer, jiffies + msecs_to_jiffies(MBOX_WATCH_MS));
}

static void mbox_reset_work(struct work_struct *w)
{
	struct khcl_ivshmem *iv = container_of(w, struct khcl_ivshmem,
					       reset_work);
	u32 *resets = &mbox_hdr(iv)->vtl2.reserved[KHCL_MBOX_VTL2_RESETS];

	dev_info(&iv->pdev->dev, "VTL0 reset: closing what the old guest had\n");
	khcl_transport_deliver_reset(&iv->transport);
	iv->stats.vtl0_resets++;
	/* everything of the old guest is closed before we say so */
	smp_store_release(resets, READ_ONCE(*resets) + 1);
	mod_timer(&iv->watch_timer, jiffies + msecs_to_jiffies(MBOX_WATCH_MS));
}

static void mbox_poll(struct timer_list *t)
{
	struct khcl_ivshmem *iv = from_timer(iv, t, poll_timer);

	iv->stats.polls++;
	mbox_drain(iv);
	mod_timer(&iv->poll_timer, jiffies + msecs_to_jiffies(poll_ms));
}

int khcl_mbox_start(struct khcl_ivshmem *iv)
{
	struct khcl_mbox_hdr *hdr = mbox_hdr(iv);
	int ret;

	if (iv->shm_len < KHCL_MBOX_MIN_SIZE)
		return -EINVAL;
	spin_lock_init(&iv->rx_lock);
	spin_lock_init(&iv->tx_lock);
	iv->peer_id = readl(iv->regs + IVSHMEM_IVPOSITION);

	/* Our half of the region starts clean; the guest's is its own. */
	memset(iv->shm + KHCL_MBOX_TO_VTL0_OFF, 0,
	       KHCL_MBOX_SLOTS * sizeof(struct khcl_mbox_msg));
	memset(iv->shm + KHCL_MBOX_EV_VTL0_OFF, 0, KHCL_MBOX_EVENTS);
	hdr->magic = KHCL_MBOX_MAGIC;
	hdr->version = KHCL_MBOX_VERSION;
	hdr->vtl2.peer_id = iv->peer_id;
	hdr->vtl2.generation++;

	iv->transport.name = "ivshmem-mailbox";
	iv->transport.ops = &mbox_ops;
	iv->transport.priv = iv;
	ret = khcl_transport_register(&iv->transport);
	if (ret)
		return ret;
	iv->registered = true;

	if (poll_ms) {
		timer_setup(&iv->poll_timer, mbox_poll, 0);
		mod_timer(&iv->poll_timer, jiffies + msecs_to_jiffies(poll_ms));
	} else {
		ret = pci_alloc_irq_vectors(iv->pdev, 1, 1, PCI_IRQ_MSIX);
		if (ret < 0)
			goto err;
		iv->irq = pci_irq_vector(iv->pdev, 0);
		ret = request_irq(iv->irq, mbox_irq, 0, "khcl_mbox", iv);
		if (ret) {
			pci_free_irq_vectors(iv->pdev);
			goto err;
		}
	}
	iv->vtl0_reset_done = false;
	INIT_WORK(&iv->reset_work, mbox_reset_work);
	timer_setup(&iv->watch_timer, mbox_watch, 0);
	mod_timer(&iv->watch_timer, jiffies + msecs_to_jiffies(MBOX_WATCH_MS));
	/* header and cleared areas are visible before we say UP */
	smp_store_release(&hdr->vtl2.state, KHCL_MBOX_STATE_UP);
	/* anything the guest posted while we were away */
	mbox_drain(iv);
	dev_info(&iv->pdev->dev, "mailbox up: peer id %u, %s\n", iv->peer_id,
		 poll_ms ? "polling" : "doorbell interrupts");
	return 0;
err:
	khcl_transport_unregister(&iv->transport);
	iv->registered = false;
	return ret;
}

void khcl_mbox_stop(struct khcl_ivshmem *iv)
{
	if (!iv->registered)
		return;
	/* ordered after everything we posted */
	smp_store_release(&mbox_hdr(iv)->vtl2.state, KHCL_MBOX_STATE_DOWN);
	/* the work re-arms the timer: stop the timer, then the work, then
	 * the timer it may have re-armed
	 */
	del_timer_sync(&iv->watch_timer);
	cancel_work_sync(&iv->reset_work);
	timer_shutdown_sync(&iv->watch_timer);
	if (poll_ms) {
		timer_shutdown_sync(&iv->poll_timer);
	} else {
		free_irq(iv->irq, iv);
		pci_free_irq_vectors(iv->pdev);
	}
	khcl_transport_unregister(&iv->transport);
	iv->registered = false;
}
