// SPDX-License-Identifier: GPL-2.0
/*
 * khcl_vmbus_hostile: the test guest turned hostile (HOSTILE.md), for the
 * rig. Binds to khcl's echo channel (load it instead of khcl_echo_client)
 * and attacks the VMBus server in VTL2 through the raw message and event
 * hooks of khcl_vmbus_guest.ko and by corrupting its own rings:
 *
 *   ctl_truncated     every guest->host type, shorter than it must be
 *   ctl_bad_types     host->guest, reserved and unknown message types
 *   gpadl_absurd      absurd page counts, bad ranges, unknown handles,
 *                     PFNs outside VTL0 RAM (beyond the guest's 1 GiB,
 *                     where VTL2's own memory would be, and 2^52-1)
 *   double_open       OPENCHANNEL for a channel that is open
 *   teardown_in_use   GPADL_TEARDOWN of the ring of an open channel
 *   ring_bad_index    write index past the ring, unaligned
 *   ring_bad_len      a descriptor longer than what was published
 *   ring_flip         packet bytes flipped while the server reads them
 *   open_close_storm  open/close as fast as the server answers
 *   event_flood       events for the open channel and for no channel
 *   msg_flood         more messages than the server's queue holds
 *   sub_abuse         sub-channels requested beyond the limit, opened on
 *                     the wrong ring, released while offered, left
 *                     unopened when the primary closes
 *   unload_race       UNLOAD at a random point of an open, reconnect
 *
 * Each case checks its own outcome, through the messages VTL2 sends back
 * (tg_vmbus_test_watch): a request the guest would wait on is answered
 * with a failure status, garbage gets no answer at all, a corrupt ring
 * stops the channel. After each case the channel is opened again and
 * must echo correctly (transaction ids and bytes checked): khcl stays up
 * and keeps serving. The rig also checks vtl2's counters for each case. Write N to
 * /sys/bus/vmbus/drivers/khcl_vmbus_hostile/run to run every case N
 * times; "result" holds one line per case. The VTL2 side's counters
 * (/sys/kernel/khcl/vmbus/stats) show what was refused.
 */
#define pr_fmt(fmt) "khcl_hostile: " fmt

#include <linux/delay.h>
#include <linux/hyperv.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>

#include <khcl/echo_proto.h>
#include <khcl/mailbox.h>

#include "tg_test.h"

#define H_RING		VMBUS_RING_SIZE(16 * 1024)
#define H_TIMEOUT	(5 * HZ)

/* Echo packets of h_echo_ok(): trans_id H_TAG | i, 64 bytes of (u8)i */
#define H_TAG		0xec0000000000ull
#define H_TAG_MASK	0xffff00000000ull

struct hostile {
	struct hv_device *hdev;
	struct vmbus_channel *chan;
	bool open;
	u64 echoes;			/* completions seen */
	u64 good, bad;			/* tagged echoes right / wrong */
	struct khcl_echo_ctl ctl;	/* the last 24-byte completion */
	u32 recv_ring;			/* host->guest ring bytes of h_open */
	bool recording;			/* order[]: tagged echoes as they came */
	u32 norder;
	u16 order[256];
	struct work_struct race_work;	/* unload_race: the racing open */
	int race_ret;
	wait_queue_head_t wq;
	u8 buf[KHCL_ECHO_MAX + 64];
};

static DEFINE_MUTEX(h_mutex);
static struct hostile *h_cur;
static char h_result[2048] = "none";
static size_t h_len;

static void h_callback(void *ctx)
{
	struct hostile *h = ctx;
	struct vmpacket_descriptor *d;

	foreach_vmbus_pkt(d, h->chan) {
		if (d->type != VM_PKT_COMP)
			continue;
		if (hv_pkt_datalen(d) == sizeof(h->ctl))
			memcpy(&h->ctl, hv_pkt_data(d), sizeof(h->ctl));
		if ((d->trans_id & H_TAG_MASK) == H_TAG) {
			if (h->recording && h->norder < ARRAY_SIZE(h->order))
				h->order[h->norder++] = (u16)d->trans_id;
			if (hv_pkt_datalen(d) == 64 &&
			    !memchr_inv(hv_pkt_data(d), (u8)d->trans_id, 64))
				h->good++;
			else
				h->bad++;
		}
		h->echoes++;
	}
	wake_up(&h->wq);
}

/*
 * What VTL2 sent back during a case: counts by message type, and the
 * answers to requests (type, the id they answer, status) as they came.
 */
#define HW_TYPES	25
#define HW_LOG		64

static struct {
	spinlock_t lock;
	u32 seen[HW_TYPES];
	u32 n;
	struct { u32 type, relid, key, status; } log[HW_LOG];
} hw = { .lock = __SPIN_LOCK_UNLOCKED(hw.lock) };

static u32 hw_u32(const u8 *msg, u32 len, u32 off)
{
	u32 v = 0;

	if (off + 4 <= len)
		memcpy(&v, msg + off, 4);
	return v;
}

static void hw_watch(const u8 *msg, u32 len)
{
	u32 type = hw_u32(msg, len, 0), i;
	unsigned long flags;

	spin_lock_irqsave(&hw.lock, flags);
	if (type < HW_TYPES)
		hw.seen[type]++;
	if (hw.n < HW_LOG) {
		i = hw.n++;
		hw.log[i].type = type;
		switch (type) {
		case CHANNELMSG_OPENCHANNEL_RESULT:	/* relid openid status */
		case CHANNELMSG_GPADL_CREATED:		/* relid gpadl status */
			hw.log[i].relid = hw_u32(msg, len, 8);
			hw.log[i].key = hw_u32(msg, len, 12);
			hw.log[i].status = hw_u32(msg, len, 16);
			break;
		case CHANNELMSG_GPADL_TORNDOWN:		/* gpadl */
			hw.log[i].key = hw_u32(msg, len, 8);
			break;
		}
	}
	spin_unlock_irqrestore(&hw.lock, flags);
}

static void hw_reset(void)
{
	unsigned long flags;

	spin_lock_irqsave(&hw.lock, flags);
	memset(hw.seen, 0, sizeof(hw.seen));
	hw.n = 0;
	spin_unlock_irqrestore(&hw.lock, flags);
}

/* Answers of @type for @key (and its status, when @failed is set). */
static u32 hw_answers(u32 type, u32 key, bool failed)
{
	unsigned long flags;
	u32 i, n = 0;

	spin_lock_irqsave(&hw.lock, flags);
	for (i = 0; i < hw.n; i++)
		if (hw.log[i].type == type && hw.log[i].key == key &&
		    (!failed || hw.log[i].status))
			n++;
	spin_unlock_irqrestore(&hw.lock, flags);
	return n;
}

/* Wait (bounded) until @type answered @key @n times, failed if asked. */
static bool hw_wait(u32 type, u32 key, bool failed, u32 n)
{
	int i;

	for (i = 0; i < 100; i++) {
		if (hw_answers(type, key, failed) >= n)
			return true;
		msleep(50);
	}
	pr_warn("no %s answer (type %u) for %#x: %u of %u\n",
		failed ? "failed" : "", type, key,
		hw_answers(type, key, failed), n);
	return false;
}

static u32 hw_count(u32 type)
{
	unsigned long flags;
	u32 n;

	spin_lock_irqsave(&hw.lock, flags);
	n = type < HW_TYPES ? hw.seen[type] : 0;
	spin_unlock_irqrestore(&hw.lock, flags);
	return n;
}

/* Answers to requests, of any kind, since the last hw_reset() */
static u32 hw_replies(void)
{
	static const u32 replies[] = {
		CHANNELMSG_OPENCHANNEL_RESULT, CHANNELMSG_GPADL_CREATED,
		CHANNELMSG_GPADL_TORNDOWN, CHANNELMSG_VERSION_RESPONSE,
		CHANNELMSG_UNLOAD_RESPONSE, CHANNELMSG_MODIFYCHANNEL_RESPONSE,
	};
	unsigned long flags;
	u32 i, n = 0;

	spin_lock_irqsave(&hw.lock, flags);
	for (i = 0; i < ARRAY_SIZE(replies); i++)
		n += hw.seen[replies[i]];
	spin_unlock_irqrestore(&hw.lock, flags);
	return n;
}

/* Garbage is dropped: VTL2 must not answer any of it. */
static int hw_no_replies(const char *what)
{
	msleep(200);
	if (!hw_replies())
		return 0;
	pr_warn("%s: VTL2 answered %u times\n", what, hw_replies());
	return -EPROTO;
}

static int h_open(struct hostile *h)
{
	int ret;

	if (h->open)
		return 0;
	h->chan->max_pkt_size = KHCL_ECHO_MAX + 64;
	/* the channel outlives drivers: drop what the echo client set up */
	h->chan->rqstor_size = 0;
	h->chan->next_request_id_callback = NULL;
	h->chan->request_addr_callback = NULL;
	vmbus_set_sc_create_callback(h->chan, NULL);	/* offers stay unopened */
	ret = vmbus_open(h->chan, H_RING, h->recv_ring ? h->recv_ring : H_RING,
			 NULL, 0, h_callback, h);
	h->open = !ret;
	return ret;
}

static void h_close(struct hostile *h)
{
	if (h->open)
		vmbus_close(h->chan);
	h->open = false;
}

static void h_rings(struct hostile *h, const char *what, int ret)
{
	struct hv_ring_buffer *o = h->chan->outbound.ring_buffer;
	struct hv_ring_buffer *i = h->chan->inbound.ring_buffer;

	pr_info("%s: %d: out w %u r %u mask %u pend %u; in w %u r %u mask %u pend %u; echoes %llu\n",
		what, ret, o->write_index, o->read_index, o->interrupt_mask,
		o->pending_send_sz, i->write_index, i->read_index,
		i->interrupt_mask, i->pending_send_sz, h->echoes);
}

static int h_echo_send_from(struct hostile *h, int first, int n)
{
	int i, ret;

	for (i = first; i < first + n; i++) {
		memset(h->buf, i, 64);
		ret = vmbus_sendpacket(h->chan, h->buf, 64, H_TAG | i,
				       VM_PKT_DATA_INBAND,
				       VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED);
		if (ret) {
			h_rings(h, "send", ret);
			return ret;
		}
	}
	return 0;
}

static int h_echo_send(struct hostile *h, int n)
{
	return h_echo_send_from(h, 0, n);
}

/*
 * The channel echoes @n packets correctly (khcl still serves): each
 * completion has the transaction id of its packet and its 64 bytes.
 */
static int h_echo_ok(struct hostile *h, int n)
{
	u64 want = h->good + n, bad = h->bad;
	int ret = h_echo_send(h, n);

	if (ret)
		return ret;
	if (!wait_event_timeout(h->wq, h->good >= want || h->bad != bad,
				H_TIMEOUT)) {
		h_rings(h, "no echo", -ETIMEDOUT);
		return -ETIMEDOUT;
	}
	if (h->bad != bad) {
		pr_warn("echo with a wrong transaction id or payload\n");
		return -EPROTO;
	}
	return 0;
}

/* The channel stopped: a packet sent now gets no completion. */
static int h_echo_stopped(struct hostile *h)
{
	u64 echoes = h->echoes;

	if (h_echo_send(h, 1))
		return 1;	/* no room on our own ring: stopped too */
	msleep(500);
	if (h->echoes == echoes)
		return 1;
	pr_warn("a corrupt ring did not stop the channel\n");
	return -EPROTO;
}

static void h_post(const void *msg, u32 len)
{
	tg_vmbus_test_post(msg, len);
}

static void h_simple(u32 type, u32 relid, u32 len)
{
	u32 m[60] = { type, 0, relid };

	h_post(m, min_t(u32, len, sizeof(m)));
}

static int case_ctl_truncated(struct hostile *h)
{
	static const u32 types[] = { 5, 7, 8, 9, 11, 13, 14, 22 };
	u32 i, len;

	for (i = 0; i < ARRAY_SIZE(types); i++)
		for (len = 4; len < 12; len++)
			h_simple(types[i], h->chan->offermsg.child_relid, len);
	return hw_no_replies("ctl_truncated");
}

static int case_ctl_bad_types(struct hostile *h)
{
	static const u32 types[] = {
		0, 1, 2, 4, 6, 10, 12, 15, 17, 18, 19, 20, 21, 23, 24, 25,
		0x7fffffff, 0xffffffff,
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(types); i++)
		h_simple(types[i], h->chan->offermsg.child_relid, 200);
	return hw_no_replies("ctl_bad_types");
}

static void h_gpadl_header(u32 relid, u32 handle, u16 buflen, u16 ranges,
			   u32 count, u32 offset, u64 pfn, u32 npfn)
{
	u8 m[240] = { 0 };
	u32 *w = (u32 *)m;
	u32 i;

	w[0] = 8;		/* CHANNELMSG_GPADL_HEADER */
	w[2] = relid;
	w[3] = handle;
	memcpy(m + 16, &buflen, 2);
	memcpy(m + 18, &ranges, 2);
	w[5] = count;
	w[6] = offset;
	for (i = 0; i < npfn && i < 26; i++) {
		u64 p = pfn + i;

		memcpy(m + 28 + 8 * i, &p, 8);
	}
	h_post(m, 28 + 8 * min_t(u32, npfn, 26));
}

static int case_gpadl_absurd(struct hostile *h)
{
	u32 relid = h->chan->offermsg.child_relid;
	u32 body[6] = { 9, 0, 1, 0x0badbad0, 0, 0 };
	u32 i;

	/* 2^20 pages, wrong range_buflen, no range, two ranges */
	h_gpadl_header(relid, 0x0bad0001, 0xffff, 1, 0xffffffff, 4095, 1, 26);
	h_gpadl_header(relid, 0x0bad0002, 8 + 8 * 500, 1, 4096, 0, 1, 1);
	h_gpadl_header(relid, 0x0bad0003, 16, 0, 4096, 0, 1, 1);
	h_gpadl_header(relid, 0x0bad0004, 16, 2, 4096, 0, 1, 1);
	h_gpadl_header(relid, 0x0bad0005, 16, 1, 4096, 4096, 1, 1);
	/* PFNs just past VTL0 RAM (VTL2 territory), and absurd */
	h_gpadl_header(relid, 0x0bad0006, 8 + 8 * 4, 1, 4 * 4096, 0,
		       (1ull << 30) >> 12, 4);
	h_gpadl_header(relid, 0x0bad0007, 8 + 8 * 2, 1, 2 * 4096, 0,
		       (1ull << 52) - 2, 2);
	/* for a relid that does not exist */
	h_gpadl_header(0xfffff, 0x0bad0008, 16, 1, 4096, 0, 1, 1);
	/* body of a GPADL nobody started */
	h_post(body, sizeof(body));
	/* each header, refused, answered with a failure: Linux waits */
	for (i = 1; i <= 8; i++)
		if (!hw_wait(CHANNELMSG_GPADL_CREATED, 0x0bad0000 + i, true, 1))
			return -EPROTO;
	/* the body of nobody's GPADL got no answer */
	msleep(100);
	if (hw_count(CHANNELMSG_GPADL_CREATED) != 8)
		return -EPROTO;
	return 0;
}

static int case_double_open(struct hostile *h)
{
	u32 m[37] = { 5, 0, h->chan->offermsg.child_relid, 0x77,
		      h->chan->ringbuffer_gpadlhandle.gpadl_handle, 0,
		      H_RING >> PAGE_SHIFT };

	h_post(m, sizeof(m));
	/* refused, and answered: a failed OPENCHANNEL_RESULT for 0x77 */
	return hw_wait(CHANNELMSG_OPENCHANNEL_RESULT, 0x77, true, 1) ?
	       0 : -EPROTO;
}

/*
 * The ring of the open channel torn down under it: VTL2 defers the
 * answer until the channel closes. Then the guest's own close tears it
 * down again (an unknown handle by now): both are answered.
 */
static int case_teardown_in_use(struct hostile *h)
{
	u32 ring = h->chan->ringbuffer_gpadlhandle.gpadl_handle;
	u32 m[4] = { 11, 0, h->chan->offermsg.child_relid, ring };

	h_post(m, sizeof(m));
	msleep(200);
	if (hw_answers(CHANNELMSG_GPADL_TORNDOWN, ring, false)) {
		pr_warn("teardown_in_use: the ring in use was torn down\n");
		return -EPROTO;
	}
	if (h_echo_ok(h, 2))		/* and it still serves */
		return -EPROTO;
	h_close(h);
	return hw_wait(CHANNELMSG_GPADL_TORNDOWN, ring, false, 2) ? 1 : -EPROTO;
}

/* Corrupt our outbound ring header and kick the server. */
static int case_ring_bad_index(struct hostile *h)
{
	struct hv_ring_buffer *rb = h->chan->outbound.ring_buffer;
	u32 size = h->chan->outbound.ring_datasize, saved = rb->write_index;

	int i;

	/* kept bad long enough for VTL2 (debug kernel, TCG) to see it */
	WRITE_ONCE(rb->write_index, size + 8);
	for (i = 0; i < 10; i++) {
		tg_vmbus_test_signal(h->chan->offermsg.connection_id);
		msleep(50);
	}
	WRITE_ONCE(rb->write_index, 12);
	tg_vmbus_test_signal(h->chan->offermsg.connection_id);
	msleep(50);
	WRITE_ONCE(rb->write_index, saved);
	return h_echo_stopped(h);	/* stopped: reopen */
}

static int case_ring_bad_len(struct hostile *h)
{
	struct hv_ring_buffer *rb = h->chan->outbound.ring_buffer;
	u32 w = rb->write_index, size = h->chan->outbound.ring_datasize;
	struct vmpacket_descriptor *d = (void *)(rb->buffer + w);

	if (w + 48 > size)
		return 0;
	d->type = VM_PKT_DATA_INBAND;
	d->offset8 = 2;
	d->len8 = 0xffff;		/* far beyond what we publish */
	d->flags = VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED;
	d->trans_id = 1;
	/* publish the bogus descriptor like a real write would */
	smp_store_release(&rb->write_index, w + 32);
	tg_vmbus_test_signal(h->chan->offermsg.connection_id);
	msleep(500);
	return h_echo_stopped(h);
}

/*
 * Fields change while khcl reads them (XSA-155): a valid packet is
 * published, then its length field toggles between valid and absurd
 * values while the server (another VM) works on it. A single fetch sees
 * one value or the other, never both: the packet is echoed or the
 * channel stops, and nothing else happens.
 */
static int case_ring_flip(struct hostile *h)
{
	struct hv_ring_buffer *rb = h->chan->outbound.ring_buffer;
	u32 w = rb->write_index, size = h->chan->outbound.ring_datasize;
	struct vmpacket_descriptor *d = (void *)(rb->buffer + w);
	u64 trailer = (u64)w << 32;
	int i;

	if (w + 16 + 64 + 8 > size)
		return 0;
	d->type = VM_PKT_DATA_INBAND;
	d->offset8 = 2;
	d->len8 = (16 + 64) / 8;
	d->flags = VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED;
	d->trans_id = 0xf1f1;
	memset(rb->buffer + w + 16, 0x5a, 64);
	memcpy(rb->buffer + w + 80, &trailer, 8);
	/* publish the packet, then keep changing it under the reader */
	smp_store_release(&rb->write_index, w + 88);
	tg_vmbus_test_signal(h->chan->offermsg.connection_id);
	for (i = 0; i < 200000; i++) {
		WRITE_ONCE(d->len8, i & 1 ? 0xfff0 : 10);
		WRITE_ONCE(d->offset8, i & 2 ? 0x7000 : 2);
	}
	msleep(50);
	return 1;	/* may or may not have stopped the channel */
}

static int case_open_close_storm(struct hostile *h)
{
	int i, ret;

	for (i = 0; i < 20; i++) {
		h_close(h);
		ret = h_open(h);
		if (ret)
			return ret;
	}
	return 0;
}

static int case_event_flood(struct hostile *h)
{
	int i;

	for (i = 0; i < 20000; i++) {
		tg_vmbus_test_signal(h->chan->offermsg.connection_id);
		tg_vmbus_test_signal(i % KHCL_MBOX_EVENTS);
	}
	return 0;
}

/* messages of msg_flood the mailbox took (a full one times a post out) */
static u64 h_flood_posted;

static int case_msg_flood(struct hostile *h)
{
	u32 m[3] = { 7, 0, 0xdead };	/* CLOSECHANNEL, no such relid */
	int i;

	for (i = 0; i < 2000; i++)
		if (!tg_vmbus_test_post(m, sizeof(m)))
			h_flood_posted++;
	return hw_no_replies("msg_flood");
}

/* An echo control request, answered (its result) within H_TIMEOUT. */
static int h_ctl(struct hostile *h, u32 op, u32 arg, u32 *result)
{
	struct khcl_echo_ctl c = {
		.magic = KHCL_ECHO_CTL_MAGIC, .op = op, .arg = arg,
	};
	u64 want = h->echoes + 1;
	int ret;

	ret = vmbus_sendpacket(h->chan, &c, sizeof(c), 0xc71,
			       VM_PKT_DATA_INBAND,
			       VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED);
	if (ret)
		return ret;
	if (!wait_event_timeout(h->wq, h->echoes >= want, H_TIMEOUT))
		return -ETIMEDOUT;
	*result = h->ctl.result;
	return 0;
}

/*
 * Sub-channels: ask for the most the echo VSP gives, never open them,
 * attack them with raw messages (open on the primary's ring GPADL,
 * RELID_RELEASED while offered, a request beyond the limit), then close
 * the primary: VTL2 rescinds them and reuses their relids once released,
 * so every repetition gets all of them again.
 */
static int case_sub_abuse(struct hostile *h)
{
	u32 relid = h->chan->offermsg.child_relid, i, arg, result;
	int ret;

	for (i = 0; i < 2; i++) {
		arg = i ? 1000 : 8;	/* the second is over the limit */
		ret = h_ctl(h, KHCL_ECHO_OP_SUBCHANNELS, arg, &result);
		if (ret)
			return ret;
		if (result != (i ? KHCL_ECHO_RESULT_ERR : 8)) {
			pr_warn("sub_abuse: request %u answered %d\n", arg,
				(int)result);
			return -EPROTO;
		}
	}
	hw_reset();
	for (i = 1; i <= 9; i++) {
		u32 m[37] = { 5, 0, relid + i, 0x77 + i,
			      h->chan->ringbuffer_gpadlhandle.gpadl_handle, 0,
			      H_RING >> PAGE_SHIFT };

		h_post(m, sizeof(m));		/* OPENCHANNEL, wrong ring */
	}
	/* each refused and answered (Linux waits for the result) */
	for (i = 1; i <= 9; i++)
		if (!hw_wait(CHANNELMSG_OPENCHANNEL_RESULT, 0x77 + i, true, 1))
			return -EPROTO;
	/*
	 * RELID_RELEASED for relids that are no channel. (For an offered
	 * one it is what Linux sends after a failed probe: khcl takes the
	 * offer back, while this module's transport would keep it.)
	 */
	h_simple(13, 0xfffe, 12);
	h_simple(13, 0, 12);
	return 1;	/* closing the primary drops them */
}

static void h_race_open(struct work_struct *w)
{
	struct hostile *h = container_of(w, struct hostile, race_work);

	h->race_ret = h_open(h);
}

/*
 * UNLOAD racing an open (CVE-2019-0720's class): vmbus_open() runs in a
 * worker while a raw UNLOAD lands at a random point of its GPADL and
 * OPENCHANNEL exchange. VTL2 forgets the connection mid-open; whatever
 * the guest side then waits for times out (h_run() shortens the request
 * timeout for this case). A raw INITIATE_CONTACT + REQUESTOFFERS reconnects,
 * and the channel must open and echo again.
 */
static int case_unload_race(struct hostile *h)
{
	struct vmbus_channel_initiate_contact ic = {
		.header.msgtype = CHANNELMSG_INITIATE_CONTACT,
		.vmbus_version_requested = VERSION_WIN10_V5_3,
		.msg_sint = KHCL_VMBUS_SINT,
	};

	h_close(h);
	INIT_WORK(&h->race_work, h_race_open);
	queue_work(system_unbound_wq, &h->race_work);
	usleep_range(10, 10 + get_random_u32_below(3000));
	h_simple(CHANNELMSG_UNLOAD, 0, 8);
	flush_work(&h->race_work);
	h_post(&ic, sizeof(ic));
	h_simple(CHANNELMSG_REQUESTOFFERS, 0, 8);
	msleep(50);
	return 1;	/* close what the guest believes open, open again */
}

/* Wait (bounded) until VTL2 has read everything we sent. */
static int h_consumed(struct hostile *h)
{
	struct hv_ring_buffer *rb = h->chan->outbound.ring_buffer;
	int i;

	for (i = 0; i < 100; i++) {
		if (READ_ONCE(rb->read_index) == READ_ONCE(rb->write_index))
			return 0;
		msleep(20);
	}
	h_rings(h, "not consumed", -ETIMEDOUT);
	return -ETIMEDOUT;
}

/* Reopen with a host->guest ring of @bytes data (0: the usual). */
static int h_reopen_recv(struct hostile *h, u32 bytes)
{
	h_close(h);
	h->recv_ring = bytes ? VMBUS_RING_SIZE(bytes) : 0;
	return h_open(h);
}

/* Stop reading our inbound ring (the channel's tasklet), and resume. */
static void h_stop_reading(struct hostile *h)
{
	tasklet_disable(&h->chan->callback_event);
}

static void h_resume_reading(struct hostile *h)
{
	tasklet_enable(&h->chan->callback_event);
	tasklet_schedule(&h->chan->callback_event);
}

/*
 * Every tag of [0, n) and @extra (-1: none) echoed exactly once, nothing
 * else, in the order sent if @ordered.
 */
static int h_check_order(struct hostile *h, const char *what, u32 n,
			 int extra, bool ordered)
{
	static u8 seen[256];
	u32 i, want = n + (extra >= 0);

	if (h->norder != want) {
		pr_warn("%s: %u echoes, want %u\n", what, h->norder, want);
		return -EPROTO;
	}
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < h->norder; i++) {
		u16 t = h->order[i];

		if ((t >= n && t != extra) || seen[t]++) {
			pr_warn("%s: echo %u unexpected or twice (at %u)\n",
				what, t, i);
			return -EPROTO;
		}
		if (ordered && i && t < h->order[i - 1] && t != extra) {
			pr_warn("%s: echo %u after %u\n", what, t,
				h->order[i - 1]);
			return -EPROTO;
		}
	}
	return 0;
}

/*
 * The end of a recorded case: @want good echoes since @good (none bad)
 * arrive within H_TIMEOUT, nothing more after @quiet_ms, in the order
 * h_check_order() wants; then the usual rings again (return 1: reopen).
 */
static int h_recorded_end(struct hostile *h, const char *what, int ret,
			  u64 good, u64 bad, u32 want, u32 n, int extra,
			  bool ordered, u32 quiet_ms)
{
	if (!ret && !wait_event_timeout(h->wq, h->good >= good + want ||
					h->bad != bad, H_TIMEOUT))
		ret = -ETIMEDOUT;
	msleep(quiet_ms);	/* nothing more may come */
	h->recording = false;
	if (!ret && h->bad != bad)
		ret = -EPROTO;
	if (!ret)
		ret = h_check_order(h, what, n, extra, ordered);
	if (ret)
		h_rings(h, what, ret);
	h->recv_ring = 0;
	return ret ? ret : 1;
}

/*
 * VTL2's ring toward us fills: we stop reading (our callback tasklet
 * disabled) while 150 echoes go out. A 4 KiB ring holds 46 answers;
 * VTL2 keeps the rest waiting in its requests (64) and stops reading when
 * none is free (backpressure), then resumes on our pending_send_sz
 * signal once we read: every echo arrives once, in order, with its
 * bytes (no second read of a packet, no lost or doubled answer).
 */
static int case_full_ring(struct hostile *h)
{
	u64 good = h->good, bad = h->bad;
	int ret = h_reopen_recv(h, 4096);

	if (ret)
		return ret;
	h->norder = 0;
	h->recording = true;
	h_stop_reading(h);
	ret = h_echo_send(h, 150);
	msleep(300);		/* VTL2 fills its ring and waits */
	h_resume_reading(h);
	return h_recorded_end(h, "full_ring", ret, good, bad, 150, 150, -1,
			      true, 50);
}

/*
 * We rewrite a packet after VTL2 read it while its answer waits for room
 * (the old server read such a packet again): the echo carries the first
 * transaction and bytes, once; the rewritten one is never answered.
 */
static int case_rewrite_after_read(struct hostile *h)
{
	struct hv_ring_buffer *rb;
	u64 good = h->good, bad = h->bad, id = H_TAG | 201;
	u32 size, w, i;
	int ret = h_reopen_recv(h, 4096);

	if (ret)
		return ret;
	rb = h->chan->outbound.ring_buffer;
	size = h->chan->outbound.ring_datasize;
	h->norder = 0;
	h->recording = true;
	h_stop_reading(h);
	ret = h_echo_send(h, 50);	/* 46 fit VTL2's ring, 4 wait */
	w = READ_ONCE(rb->write_index);
	if (!ret)
		ret = h_echo_send_from(h, 200, 1);
	if (!ret)
		ret = h_consumed(h);
	if (!ret) {
		/* the packet at w: another transaction, other bytes */
		for (i = 0; i < 8; i++)
			rb->buffer[(w + 8 + i) % size] = ((u8 *)&id)[i];
		for (i = 0; i < 64; i++)
			rb->buffer[(w + 16 + i) % size] = 201;
		for (i = 0; i < 5; i++) {
			tg_vmbus_test_signal(h->chan->offermsg.connection_id);
			msleep(20);
		}
	}
	h_resume_reading(h);
	return h_recorded_end(h, "rewrite_after_read", ret, good, bad, 51, 50,
			      200, true, 100);
}

/*
 * Answers from hard irq in random order: VTL2's echo answers each of 64
 * packets after a random 0..2 ms; each arrives once with its bytes.
 */
static int case_irq_order(struct hostile *h)
{
	u64 good = h->good, bad = h->bad;
	u32 result = 1;
	int ret = h_ctl(h, KHCL_ECHO_OP_DELAY, 2000, &result);

	if (!ret && result)
		ret = -EPROTO;
	if (ret)
		return ret;
	h->norder = 0;
	h->recording = true;
	ret = h_echo_send(h, 64);
	/* then a fresh channel answers at once */
	ret = h_recorded_end(h, "irq_order", ret, good, bad, 64, 64, -1, false,
			     50);
	if (ret > 0) {
		u32 i, inv = 0;

		for (i = 1; i < h->norder; i++)
			inv += h->order[i] < h->order[i - 1];
		pr_info("irq_order: 64 echoes, %u out of order\n", inv);
	}
	return ret;
}

/*
 * Close with requests in flight: 32 echoes, answered 0..200 ms later
 * from hard irq, then CLOSECHANNEL and the ring's GPADL teardown. VTL2
 * waits for its requests before it unmaps the ring (the teardown is
 * answered after), drops their answers and counts them; the channel
 * opens and echoes again.
 */
static int case_close_inflight(struct hostile *h)
{
	u32 result = 1;
	int ret = h_ctl(h, KHCL_ECHO_OP_DELAY, 200000, &result);
	u64 good = h->good;

	if (!ret && result)
		ret = -EPROTO;
	if (!ret)
		ret = h_echo_send(h, 32);
	if (!ret)
		ret = h_consumed(h);
	if (ret)
		return ret;
	h_close(h);
	pr_info("close_inflight: %llu of 32 echoes before the close\n",
		h->good - good);
	return 1;
}

static const struct {
	const char *name;
	int (*fn)(struct hostile *h);
} h_cases[] = {
	/* first: vtl2's monitor must show their counters in a later block */
	{ "full_ring", case_full_ring },
	{ "rewrite_after_read", case_rewrite_after_read },
	{ "irq_order", case_irq_order },
	{ "close_inflight", case_close_inflight },
	{ "ctl_truncated", case_ctl_truncated },
	{ "ctl_bad_types", case_ctl_bad_types },
	{ "gpadl_absurd", case_gpadl_absurd },
	{ "double_open", case_double_open },
	{ "teardown_in_use", case_teardown_in_use },
	{ "ring_bad_index", case_ring_bad_index },
	{ "ring_bad_len", case_ring_bad_len },
	{ "ring_flip", case_ring_flip },
	{ "open_close_storm", case_open_close_storm },
	{ "event_flood", case_event_flood },
	{ "msg_flood", case_msg_flood },
	{ "sub_abuse", case_sub_abuse },
	{ "unload_race", case_unload_race },
};

static void h_run(struct hostile *h, unsigned int reps)
{
	unsigned int c, r, tmo = 0;
	int ret = 0, reopen;

	h_len = 0;
	h_flood_posted = 0;
	tg_vmbus_test_watch(hw_watch);
	for (c = 0; c < ARRAY_SIZE(h_cases); c++) {
		/*
		 * unload_race leaves guest requests unanswered on purpose:
		 * they time out fast there, and only there (an ordinary
		 * open on the debug kernel under TCG can take longer)
		 */
		if (h_cases[c].fn == case_unload_race)
			tmo = tg_vmbus_test_req_timeout(300);
		for (r = 0; r < reps; r++) {
			ret = h_open(h);
			if (ret)
				break;
			hw_reset();
			reopen = h_cases[c].fn(h);
			if (reopen < 0) {
				ret = reopen;
				break;
			}
			if (reopen) {
				h_close(h);
				ret = h_open(h);
				if (ret)
					break;
			}
			/* control messages travel in order: let them land */
			msleep(20);
			ret = h_echo_ok(h, 8);
			if (ret)
				break;
		}
		h_len += scnprintf(h_result + h_len, sizeof(h_result) - h_len,
				   "%s%s %s reps=%u%s", h_len ? "\n" : "",
				   ret ? "FAIL" : "PASS",
				   h_cases[c].name, r,
				   ret == -EPROTO ? " (wrong outcome)" :
				   ret ? " (channel dead)" : "");
		/* vtl2 must have counted every message that went out */
		if (h_cases[c].fn == case_msg_flood)
			h_len += scnprintf(h_result + h_len,
					   sizeof(h_result) - h_len,
					   " posted=%llu", h_flood_posted);
		pr_info("%s %s reps=%u ret=%d\n", ret ? "FAIL" : "PASS",
			h_cases[c].name, r, ret);
		if (h_cases[c].fn == case_unload_race)
			tg_vmbus_test_req_timeout(tmo);
	}
	tg_vmbus_test_watch(NULL);
	h_close(h);
}

static ssize_t run_store(struct device_driver *drv, const char *buf,
			 size_t count)
{
	unsigned int reps;

	if (kstrtouint(buf, 0, &reps) || !reps || reps > 100000)
		return -EINVAL;
	mutex_lock(&h_mutex);
	if (!h_cur) {
		mutex_unlock(&h_mutex);
		return -ENODEV;
	}
	h_run(h_cur, reps);
	mutex_unlock(&h_mutex);
	return count;
}
static DRIVER_ATTR_WO(run);

static ssize_t result_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%s\n", h_result);
}
static DRIVER_ATTR_RO(result);

static struct attribute *h_drv_attrs[] = {
	&driver_attr_run.attr, &driver_attr_result.attr, NULL,
};
ATTRIBUTE_GROUPS(h_drv);

static int h_probe(struct hv_device *hdev, const struct hv_vmbus_device_id *id)
{
	struct hostile *h = kzalloc(sizeof(*h), GFP_KERNEL);

	if (!h)
		return -ENOMEM;
	h->hdev = hdev;
	h->chan = hdev->channel;
	init_waitqueue_head(&h->wq);
	hv_set_drvdata(hdev, h);
	mutex_lock(&h_mutex);
	h_cur = h;
	mutex_unlock(&h_mutex);
	return 0;
}

static void h_remove(struct hv_device *hdev)
{
	struct hostile *h = hv_get_drvdata(hdev);

	mutex_lock(&h_mutex);
	h_close(h);
	h_cur = NULL;
	mutex_unlock(&h_mutex);
	kfree(h);
}

static const struct hv_vmbus_device_id h_ids[] = {
	{ .guid = { .b = KHCL_ECHO_CLASS_GUID_BYTES } },
	{ },
};
MODULE_DEVICE_TABLE(vmbus, h_ids);

static struct hv_driver h_driver = {
	.name = "khcl_vmbus_hostile",
	.id_table = h_ids,
	.probe = h_probe,
	.remove = h_remove,
	.driver = { .groups = h_drv_groups },
};

static int __init h_init(void)
{
	int ret = vmbus_driver_register(&h_driver);

	if (ret)
		return ret;
	ret = vmbus_driver_register(&tg_vstor_hostile_driver);
	if (ret)
		goto err_h;
	ret = vmbus_driver_register(&tg_netvsc_hostile_driver);
	if (ret)
		goto err_vstor;
	return 0;
err_vstor:
	vmbus_driver_unregister(&tg_vstor_hostile_driver);
err_h:
	vmbus_driver_unregister(&h_driver);
	return ret;
}

static void __exit h_exit(void)
{
	vmbus_driver_unregister(&tg_netvsc_hostile_driver);
	vmbus_driver_unregister(&tg_vstor_hostile_driver);
	vmbus_driver_unregister(&h_driver);
}

module_init(h_init);
module_exit(h_exit);
MODULE_DESCRIPTION("khcl rig: a hostile VTL0 guest attacking khcl's VMBus server");
MODULE_LICENSE("GPL");
