// SPDX-License-Identifier: GPL-2.0
/*
 * Mailbox backend: the ivshmem-doorbell device shared with VTL2.
 *
 * BAR0 holds the ivshmem registers, BAR1 the MSI-X table, BAR2 the
 * mailbox of include/khcl/mailbox.h. Messages travel in slot arrays
 * (one per direction, each walked in order with a private cursor),
 * channel events in byte flags (towards VTL2 indexed by connection id,
 * towards VTL0 by relid). After posting, the sender rings the peer's
 * doorbell. No read-modify-write touches the shared region.
 *
 * Cursor continuity: VTL2 keeps its cursors for the life of its own
 * attachment (they are reset only when it re-attaches, which bumps
 * hdr->vtl2.generation), so a reloaded guest must continue where the
 * previous one stopped. Our cursors are kept in hdr->vtl0.reserved[]
 * (VTL0-written words, see TG_CUR_*) together with the VTL2 generation
 * they belong to; they restart at 0 when that generation changed. On the
 * receive side an empty slot at our cursor with a message further on
 * means we lost step (VTL2 re-attached): we resynchronise to the first
 * occupied slot after the cursor.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/pci.h>
#include <linux/sched.h>

#include "testguest.h"
#include "tg_test.h"

static void tg_test_watch_call(const u8 *msg, u32 len);

#define IVSHMEM_IVPOSITION	8	/* BAR0: our peer id */
#define IVSHMEM_DOORBELL	12	/* BAR0: peer id << 16 | vector */

#define TG_RX_BUDGET		KHCL_MBOX_SLOTS
#define TG_DEFAULT_POLL_MS	10

/* Our words in hdr->vtl0.reserved[]. */
#define TG_CUR_MAGIC		0	/* TG_CURSOR_MAGIC when valid */
#define TG_CUR_TX		1	/* next slot towards VTL2 */
#define TG_CUR_RX		2	/* next slot towards VTL0 */
#define TG_CUR_GEN		3	/* hdr->vtl2.generation they follow */
#define TG_CURSOR_MAGIC	0x4343484bu	/* "KHCC" */

static void tg_mbox_doorbell(struct tg_vmbus *vb)
{
	writel((vb->vtl2_peer << 16) | 0, vb->regs + IVSHMEM_DOORBELL);
	atomic64_inc(&vb->stats.doorbells);
}

static bool tg_mbox_peer_up(struct tg_vmbus *vb)
{
	if (READ_ONCE(vb->hdr->magic) != KHCL_MBOX_MAGIC)
		return false;
	/* state UP is released after VTL2 has set up its half */
	return smp_load_acquire(&vb->hdr->vtl2.state) == KHCL_MBOX_STATE_UP;
}

/*
 * Wait for VTL2 to publish the magic and state UP, logging every 10 s.
 * Returns -ETIMEDOUT after wait_s seconds, -ESHUTDOWN on unload.
 */
int tg_mbox_wait_peer(struct tg_vmbus *vb)
{
	struct khcl_mbox_side *me;
	unsigned long start = jiffies;
	unsigned int next_log = 10;
	unsigned int waited;

	for (;;) {
		if (READ_ONCE(vb->stopping))
			return -ESHUTDOWN;
		if (tg_mbox_peer_up(vb))
			break;
		waited = jiffies_to_msecs(jiffies - start) / 1000;
		if (waited >= tg_wait_s) {
			pr_warn("no VTL2 VMBus server after %u s, giving up (magic %#x state %u)\n",
				waited, READ_ONCE(vb->hdr->magic),
				READ_ONCE(vb->hdr->vtl2.state));
			return -ETIMEDOUT;
		}
		if (waited >= next_log) {
			pr_info("waiting for VTL2: %u s of %u s\n", waited,
				tg_wait_s);
			next_log += 10;
		}
		msleep(100);
	}

	vb->vtl2_peer = READ_ONCE(vb->hdr->vtl2.peer_id) & 0xffff;
	vb->vtl2_generation = READ_ONCE(vb->hdr->vtl2.generation);

	/* Continue VTL2's view of our cursor unless VTL2 re-attached. */
	mutex_lock(&vb->tx_lock);
	me = &vb->hdr->vtl0;
	if (READ_ONCE(me->reserved[TG_CUR_MAGIC]) != TG_CURSOR_MAGIC ||
	    READ_ONCE(me->reserved[TG_CUR_GEN]) != vb->vtl2_generation)
		vb->tx_cursor = 0;
	WRITE_ONCE(me->reserved[TG_CUR_TX], vb->tx_cursor);
	WRITE_ONCE(me->reserved[TG_CUR_GEN], vb->vtl2_generation);
	WRITE_ONCE(me->reserved[TG_CUR_MAGIC], TG_CURSOR_MAGIC);
	vb->vtl2_known = true;
	mutex_unlock(&vb->tx_lock);

	pr_info("VTL2 is up: peer id %u generation %u (mailbox version %u), tx slot %u\n",
		vb->vtl2_peer, vb->vtl2_generation,
		READ_ONCE(vb->hdr->version), vb->tx_cursor);
	return 0;
}

/*
 * Post one message into the next slot towards VTL2; the caller holds
 * tx_lock. A busy slot is retried with growing back-off for at most
 * post_timeout_ms, as hv_post_message() retries on
 * HV_STATUS_INSUFFICIENT_BUFFERS: VTL2 leaves slots posted while its
 * receive queue is full, so nothing is lost. Process context only.
 */
int __khcl_mbox_post(struct tg_vmbus *vb, const void *msg, u32 len)
{
	struct khcl_mbox_msg *slot;
	unsigned long deadline;
	unsigned int tries;

	lockdep_assert_held(&vb->tx_lock);
	might_sleep();

	if (len > KHCL_SYNIC_PAYLOAD)
		return -EINVAL;
	if (!vb->present)
		return -ENODEV;
	if (!vb->vtl2_known || !tg_mbox_peer_up(vb))
		return -ENOTCONN;
	if (READ_ONCE(vb->hdr->vtl2.generation) != vb->vtl2_generation)
		pr_warn_once("VTL2 generation changed under a live connection\n");

	slot = &vb->tx_slots[vb->tx_cursor];
	deadline = jiffies + msecs_to_jiffies(tg_post_timeout_ms);
	/* acquire: VTL2's copy of the slot is done before we overwrite it */
	for (tries = 0; smp_load_acquire(&slot->message_type); tries++) {
		if (!tries) {
			atomic64_inc(&vb->stats.post_busy);
			/* Make sure VTL2 knows there is work waiting. */
			tg_mbox_doorbell(vb);
		}
		if (time_after(jiffies, deadline)) {
			atomic64_inc(&vb->stats.post_timeouts);
			pr_err_ratelimited("slot %u towards VTL2 busy for %u ms\n",
					   vb->tx_cursor, tg_post_timeout_ms);
			return -ETIMEDOUT;
		}
		if (tries < 8)
			udelay(1 << tries);
		else if (tries < 64)
			usleep_range(100, 200);
		else
			usleep_range(2000, 3000);
	}

	/* The slot is ours: payload first, message_type last. */
	memcpy(slot->payload, msg, len);
	memset(slot->payload + len, 0, KHCL_SYNIC_PAYLOAD - len);
	slot->payload_size = len;
	slot->message_flags = 0;
	slot->sint = KHCL_VMBUS_SINT;
	slot->reserved = 0;
	slot->connection_id = vb->msg_conn_id;
	slot->vp = 0;
	/* release: header and payload are visible before the type */
	smp_store_release(&slot->message_type, KHCL_SYNIC_MSGTYPE_VMBUS);

	vb->tx_cursor = (vb->tx_cursor + 1) % KHCL_MBOX_SLOTS;
	WRITE_ONCE(vb->hdr->vtl0.reserved[TG_CUR_TX], vb->tx_cursor);
	atomic64_inc(&vb->stats.msgs_sent);
	tg_mbox_doorbell(vb);
	return 0;
}

int tg_mbox_post(struct tg_vmbus *vb, const void *msg, u32 len)
{
	int ret;

	mutex_lock(&vb->tx_lock);
	ret = __khcl_mbox_post(vb, msg, len);
	mutex_unlock(&vb->tx_lock);
	return ret;
}

/* Raise the event flag of @connection_id towards VTL2 (any context). */
void tg_mbox_signal(struct tg_vmbus *vb, u32 connection_id)
{
	if (unlikely(!vb->present || connection_id >= TG_MAX_IDS))
		return;
	/* The ring update is published before the flag. */
	smp_store_release(&vb->tx_events[connection_id], 1);
	atomic64_inc(&vb->stats.events_sent);
	tg_mbox_doorbell(vb);
}

/*
 * Is a message waiting, and in which slot: normally the one at our
 * cursor; if that is empty, the first occupied one after it (see the
 * note on cursor continuity at the top).
 */
static bool tg_mbox_rx_pending(struct tg_vmbus *vb, u32 *at)
{
	u32 c = READ_ONCE(vb->rx_cursor) % KHCL_MBOX_SLOTS, i, s;

	for (i = 0; i < KHCL_MBOX_SLOTS; i++) {
		s = (c + i) % KHCL_MBOX_SLOTS;
		/* pairs with VTL2's publishing release of the type */
		if (smp_load_acquire(&vb->rx_slots[s].message_type)) {
			*at = s;
			return true;
		}
	}
	return false;
}

/* Copy messages out of the VTL0 slots, free the slots, then handle them. */
static void tg_mbox_rx_work(struct work_struct *work)
{
	struct tg_vmbus *vb = container_of(work, struct tg_vmbus, rx_work);
	struct khcl_mbox_msg *slot, *copy = &vb->rx_copy;
	unsigned int n;
	u32 type, len, at;

	for (n = 0; n < TG_RX_BUDGET; n++) {
		if (!tg_mbox_rx_pending(vb, &at))
			break;
		if (at != vb->rx_cursor) {
			atomic64_inc(&vb->stats.rx_resyncs);
			pr_info("receive cursor resynchronised: slot %u -> %u\n",
				vb->rx_cursor, at);
			vb->rx_cursor = at;
		}
		slot = &vb->rx_slots[at];
		/* the slot's contents are read after its type */
		type = smp_load_acquire(&slot->message_type);
		memcpy(copy, slot, sizeof(*copy));
		/* our copy is complete before VTL2 may reuse the slot */
		smp_store_release(&slot->message_type, KHCL_MSGTYPE_NONE);
		WRITE_ONCE(vb->rx_cursor, (at + 1) % KHCL_MBOX_SLOTS);
		WRITE_ONCE(vb->hdr->vtl0.reserved[TG_CUR_RX], vb->rx_cursor);
		atomic64_inc(&vb->stats.msgs_recv);

		len = copy->payload_size;
		if (type != KHCL_SYNIC_MSGTYPE_VMBUS || len > KHCL_SYNIC_PAYLOAD) {
			atomic64_inc(&vb->stats.msgs_dropped);
			pr_warn_ratelimited("dropped message type %u size %u\n",
					    type, len);
			continue;
		}
		tg_test_watch_call(copy->payload, len);
		tg_conn_on_message(vb, copy->payload, len);
	}

	/* Budget used up with more pending: come back later. */
	if (n == TG_RX_BUDGET)
		queue_work(vb->rx_wq, &vb->rx_work);
}

/* Scan the event flags towards VTL0 and kick the channels. */
static void tg_mbox_scan_events(struct tg_vmbus *vb)
{
	const u64 *words = (const u64 *)vb->rx_events;
	unsigned int w, b;
	u32 relid;
	u64 v;

	for (w = 0; w < TG_MAX_IDS / sizeof(u64); w++) {
		v = READ_ONCE(words[w]);
		if (!v)
			continue;
		for (b = 0; b < sizeof(u64); b++) {
			relid = w * sizeof(u64) + b;
			if (!READ_ONCE(vb->rx_events[relid]))
				continue;
			WRITE_ONCE(vb->rx_events[relid], 0);
			/* clear first, then look at the work (mailbox.h) */
			virt_mb();
			atomic64_inc(&vb->stats.events_recv);
			if (relid)
				tg_channel_event(vb, relid);
		}
	}
}

/* Interrupt (or poll) service; runs with interrupts disabled. */
static void tg_mbox_service(struct tg_vmbus *vb)
{
	u32 at;

	tg_mbox_scan_events(vb);
	if (tg_mbox_rx_pending(vb, &at))
		queue_work(vb->rx_wq, &vb->rx_work);
}

static irqreturn_t tg_mbox_irq(int irq, void *data)
{
	struct tg_vmbus *vb = data;

	atomic64_inc(&vb->stats.irqs);
	tg_mbox_service(vb);
	return IRQ_HANDLED;
}

static void tg_mbox_poll(struct timer_list *t)
{
	struct tg_vmbus *vb = from_timer(vb, t, poll_timer);
	unsigned long flags;

	atomic64_inc(&vb->stats.polls);
	local_irq_save(flags);
	tg_mbox_service(vb);
	local_irq_restore(flags);
	mod_timer(&vb->poll_timer, jiffies + msecs_to_jiffies(vb->poll_ms));
}

/*
 * Publish our peer id and state UP. Cursors continue from the previous
 * attachment (checked against VTL2's generation once it is up); stale
 * event flags are dropped, stale messages are read and dropped as
 * unsolicited.
 */
static void tg_mbox_attach(struct tg_vmbus *vb)
{
	struct khcl_mbox_side *me = &vb->hdr->vtl0;
	unsigned int i;

	for (i = 0; i < TG_MAX_IDS; i++)
		WRITE_ONCE(vb->rx_events[i], 0);
	if (READ_ONCE(me->reserved[TG_CUR_MAGIC]) == TG_CURSOR_MAGIC) {
		vb->tx_cursor = READ_ONCE(me->reserved[TG_CUR_TX]) %
				KHCL_MBOX_SLOTS;
		vb->rx_cursor = READ_ONCE(me->reserved[TG_CUR_RX]) %
				KHCL_MBOX_SLOTS;
	} else {
		vb->tx_cursor = 0;
		vb->rx_cursor = 0;
		WRITE_ONCE(me->reserved[TG_CUR_RX], 0);
	}

	WRITE_ONCE(me->peer_id, vb->own_peer);
	WRITE_ONCE(me->generation, READ_ONCE(me->generation) + 1);
	/* peer id and generation are visible before state UP */
	smp_store_release(&me->state, KHCL_MBOX_STATE_UP);
	pr_info("mailbox attached: peer id %u generation %u, slots tx %u rx %u\n",
		vb->own_peer, READ_ONCE(me->generation), vb->tx_cursor,
		vb->rx_cursor);
}

static void tg_mbox_detach(struct tg_vmbus *vb)
{
	/* ordered after everything we posted */
	smp_store_release(&vb->hdr->vtl0.state, KHCL_MBOX_STATE_DOWN);
	if (vb->vtl2_known && tg_mbox_peer_up(vb))
		tg_mbox_doorbell(vb);
}

static void tg_mbox_destroy_wqs(struct tg_vmbus *vb)
{
	struct workqueue_struct **wqs[] = {
		&vb->chan_wq, &vb->pri_wq, &vb->sub_wq, &vb->rescind_wq,
		&vb->rx_wq,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(wqs); i++) {
		if (*wqs[i])
			destroy_workqueue(*wqs[i]);
		*wqs[i] = NULL;
	}
}

static int tg_mbox_create_wqs(struct tg_vmbus *vb)
{
	vb->rx_wq = alloc_ordered_workqueue("tg_vmbus_rx", WQ_HIGHPRI);
	vb->chan_wq = alloc_ordered_workqueue("tg_vmbus_chan", 0);
	vb->pri_wq = alloc_ordered_workqueue("tg_vmbus_pri", 0);
	vb->sub_wq = alloc_ordered_workqueue("tg_vmbus_sub", 0);
	vb->rescind_wq = alloc_ordered_workqueue("tg_vmbus_rescind", 0);
	if (!vb->rx_wq || !vb->chan_wq || !vb->pri_wq || !vb->sub_wq ||
	    !vb->rescind_wq) {
		tg_mbox_destroy_wqs(vb);
		return -ENOMEM;
	}
	return 0;
}

static void tg_mbox_stop_irq(struct tg_vmbus *vb)
{
	if (vb->irq > 0)
		free_irq(vb->irq, vb);
	vb->irq = 0;
	if (vb->poll_ms)
		timer_shutdown_sync(&vb->poll_timer);
	vb->poll_ms = 0;
}

static int tg_mbox_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct tg_vmbus *vb = &tg_vb;
	resource_size_t start, len;
	int ret;

	/* ivshmem-plain (no BAR1, no interrupts) is not a mailbox. */
	if (!pci_resource_len(pdev, 1))
		return -ENODEV;
	if (vb->present) {
		dev_warn(&pdev->dev, "second mailbox device ignored\n");
		return -EBUSY;
	}

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	pci_set_master(pdev);

	start = pci_resource_start(pdev, 2);
	len = pci_resource_len(pdev, 2);
	if (!(pci_resource_flags(pdev, 2) & IORESOURCE_MEM) ||
	    len < KHCL_MBOX_MIN_SIZE) {
		dev_err(&pdev->dev, "mailbox BAR2 missing or too small (%pa)\n",
			&len);
		return -ENODEV;
	}
	vb->regs = pcim_iomap(pdev, 0, 0);
	if (!vb->regs)
		return -ENOMEM;
	vb->shm = devm_memremap(&pdev->dev, start, len, MEMREMAP_WB);
	if (IS_ERR(vb->shm))
		return PTR_ERR(vb->shm);

	vb->pdev = pdev;
	vb->hdr = vb->shm + KHCL_MBOX_HDR_OFF;
	vb->tx_slots = vb->shm + KHCL_MBOX_TO_VTL2_OFF;
	vb->rx_slots = vb->shm + KHCL_MBOX_TO_VTL0_OFF;
	vb->tx_events = vb->shm + KHCL_MBOX_EV_VTL2_OFF;
	vb->rx_events = vb->shm + KHCL_MBOX_EV_VTL0_OFF;
	vb->own_peer = readl(vb->regs + IVSHMEM_IVPOSITION);
	vb->vtl2_peer = 0;
	vb->vtl2_known = false;
	vb->msg_conn_id = KHCL_VMBUS_MSG_CONN_ID;

	ret = tg_mbox_create_wqs(vb);
	if (ret)
		return ret;
	INIT_WORK(&vb->rx_work, tg_mbox_rx_work);

	/* Clean receive side and published identity before interrupts. */
	tg_mbox_attach(vb);
	vb->present = true;

	vb->poll_ms = tg_poll_ms;
	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSIX);
	if (ret < 0) {
		dev_warn(&pdev->dev, "no MSI-X vector (%d), polling\n", ret);
		if (!vb->poll_ms)
			vb->poll_ms = TG_DEFAULT_POLL_MS;
	} else {
		vb->irq = pci_irq_vector(pdev, 0);
		ret = request_irq(vb->irq, tg_mbox_irq, 0, "tg_vmbus", vb);
		if (ret) {
			dev_warn(&pdev->dev, "request_irq: %d, polling\n", ret);
			vb->irq = 0;
			if (!vb->poll_ms)
				vb->poll_ms = TG_DEFAULT_POLL_MS;
		}
	}
	if (vb->poll_ms) {
		timer_setup(&vb->poll_timer, tg_mbox_poll, 0);
		mod_timer(&vb->poll_timer,
			  jiffies + msecs_to_jiffies(vb->poll_ms));
	}

	dev_info(&pdev->dev, "mailbox %pa bytes, peer id %u, irq %d, poll %u ms\n",
		 &len, vb->own_peer, vb->irq, vb->poll_ms);

	pci_set_drvdata(pdev, vb);
	ret = tg_conn_start(vb);
	if (ret) {
		tg_mbox_stop_irq(vb);
		tg_mbox_detach(vb);
		vb->present = false;
		cancel_work_sync(&vb->rx_work);
		tg_mbox_destroy_wqs(vb);
		return ret;
	}
	return 0;
}

static void tg_mbox_remove(struct pci_dev *pdev)
{
	struct tg_vmbus *vb = pci_get_drvdata(pdev);

	tg_conn_shutdown(vb);
	tg_mbox_stop_irq(vb);
	cancel_work_sync(&vb->rx_work);
	tg_mbox_detach(vb);
	vb->present = false;
	tg_mbox_destroy_wqs(vb);
	tg_conn_free(vb);
	dev_info(&pdev->dev, "mailbox detached\n");
}

/*
 * Test hooks for khcl_vmbus_hostile.ko (hostile.c): raw channel messages
 * and event flags towards VTL2, bypassing every check of this module.
 */
int tg_vmbus_test_post(const void *msg, u32 len)
{
	return tg_mbox_post(&tg_vb, msg, len);
}
EXPORT_SYMBOL_GPL(tg_vmbus_test_post);

void tg_vmbus_test_signal(u32 connection_id)
{
	tg_mbox_signal(&tg_vb, connection_id);
}
EXPORT_SYMBOL_GPL(tg_vmbus_test_signal);

/* The request timeout (ms) from now on; returns the one before. */
unsigned int tg_vmbus_test_req_timeout(unsigned int ms)
{
	return xchg(&tg_req_timeout_ms, ms);
}
EXPORT_SYMBOL_GPL(tg_vmbus_test_req_timeout);

/* Every message from VTL2, shown to the hostile module before dispatch. */
static tg_vmbus_test_watch_fn __rcu *tg_test_watch;

void tg_vmbus_test_watch(tg_vmbus_test_watch_fn *fn)
{
	rcu_assign_pointer(tg_test_watch, fn);
	if (!fn)
		synchronize_rcu();	/* no caller is still inside it */
}
EXPORT_SYMBOL_GPL(tg_vmbus_test_watch);

static void tg_test_watch_call(const u8 *msg, u32 len)
{
	tg_vmbus_test_watch_fn *fn;

	rcu_read_lock();
	fn = rcu_dereference(tg_test_watch);
	if (fn)
		fn(msg, len);
	rcu_read_unlock();
}

static const struct pci_device_id tg_mbox_ids[] = {
	{ PCI_DEVICE(0x1af4, 0x1110) },
	{ }
};
MODULE_DEVICE_TABLE(pci, tg_mbox_ids);

static struct pci_driver tg_mbox_driver = {
	.name = "khcl_vmbus_mbox",
	.id_table = tg_mbox_ids,
	.probe = tg_mbox_probe,
	.remove = tg_mbox_remove,
};

int tg_mbox_register(void)
{
	return pci_register_driver(&tg_mbox_driver);
}

void tg_mbox_unregister(void)
{
	pci_unregister_driver(&tg_mbox_driver);
}
