// SPDX-License-Identifier: GPL-2.0
/*
 * The VSP request contract (include/khcl/khcl_vsp.h) end to end through
 * khcl_vmbus's channel worker: a test VSP serves a channel whose rings are
 * in kernel memory, the test playing the guest on them (packets written
 * as hv_ringbuffer_write lays them out), the loopback transport carrying
 * its events and counting the server's signals. Kernel only; needs
 * khcl_vmbus loaded and no other transport backend registered (the debug
 * image loads the KUnit suites before khcl_ivshmem).
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include "loopback/loopback.h"
#include "../include/khcl/vmbus_wire.h"
#include "../include/khcl/khcl_vsp.h"

#define VR_DATA		(16 * 1024)	/* guest->host ring data */
#define VR_DEPTH	64
#define VR_MAX_ID	512
#define VR_PAY		64

struct vr_ring {
	struct khcl_ring_hdr *hdr;
	u8 *data;
	u32 size;
};

struct vr_req {
	struct khcl_vsp_req req;	/* first */
	struct hrtimer timer;
	u32 len;
	u8 payload[VR_PAY];
};

/* The test VSP's state: one channel at a time. */
static struct {
	spinlock_t lock;
	bool hold;			/* keep requests instead of answering */
	struct vr_req *held[VR_DEPTH];
	u32 nheld;
	atomic_t packets, ended, closes;
	u32 ended_at_close;
	u8 seen[VR_MAX_ID];		/* ->packet() calls per trans_id */
	u8 first[VR_MAX_ID];		/* first payload byte it saw */
	bool in_batch;			/* between ->batch(false) and (true) */
	u32 batches, batch_errors;	/* passes; packets outside, nesting */
	bool poll;			/* what ->poll() answers */
} vr;

static void vr_vsp_close(struct khcl_vsp_chan *ch)
{
	vr.ended_at_close = atomic_read(&vr.ended);
	atomic_inc(&vr.closes);
}

static int vr_vsp_open(struct khcl_vsp_chan *ch, const u8 *userdata)
{
	return 0;
}

static void vr_end(struct vr_req *r)
{
	atomic_inc(&vr.ended);
	khcl_vsp_complete(&r->req, r->payload, r->len);
}

static void vr_vsp_packet(struct khcl_vsp_chan *ch, struct khcl_vsp_req *req,
			  const struct khcl_vmpkt_desc *d, const void *pkt,
			  u32 len)
{
	struct vr_req *r = container_of(req, struct vr_req, req);
	u32 off = (u32)d->offset8 << 3;

	atomic_inc(&vr.packets);
	if (!vr.in_batch)
		vr.batch_errors++;
	r->len = min_t(u32, len - off, VR_PAY);
	memcpy(r->payload, (const u8 *)pkt + off, r->len);
	if (d->trans_id < VR_MAX_ID) {
		vr.seen[d->trans_id]++;
		if (vr.seen[d->trans_id] == 1)
			vr.first[d->trans_id] = r->len ? r->payload[0] : 0;
	}
	spin_lock(&vr.lock);
	if (vr.hold && vr.nheld < VR_DEPTH) {
		vr.held[vr.nheld++] = r;
		spin_unlock(&vr.lock);
		return;
	}
	spin_unlock(&vr.lock);
	vr_end(r);
}

static void vr_vsp_ctl_done(struct khcl_vsp_chan *ch, struct khcl_vsp_req *req)
{
	khcl_vsp_req_end(req);
}

/* Worker context, like ->packet(): plain fields are enough */
static void vr_vsp_batch(struct khcl_vsp_chan *ch, bool end)
{
	if (vr.in_batch == end)
		vr.batches += !end;
	else
		vr.batch_errors++;
	vr.in_batch = !end;
}

static bool vr_vsp_poll(struct khcl_vsp_chan *ch)
{
	return READ_ONCE(vr.poll);
}

static const struct khcl_vsp_ops vr_ops = {
	.open = vr_vsp_open,
	.close = vr_vsp_close,
	.packet = vr_vsp_packet,
	.ctl_done = vr_vsp_ctl_done,
	.batch = vr_vsp_batch,
	.poll = vr_vsp_poll,
};

/* {6c9b3c3e-8f3b-4a4e-9d1a-6b686c00f001}: a class no guest binds */
static struct khcl_vsp vr_vsp = {
	.name = "vsp_req_test",
	.class_id = { { 0x3e, 0x3c, 0x9b, 0x6c, 0x3b, 0x8f, 0x4e, 0x4a,
			0x9d, 0x1a, 0x6b, 0x68, 0x6c, 0x00, 0xf0, 0x01 } },
	.instance_id = { { 0x3e, 0x3c, 0x9b, 0x6c, 0x3b, 0x8f, 0x4e, 0x4a,
			   0x9d, 0x1a, 0x6b, 0x68, 0x6c, 0x00, 0xf0, 0x02 } },
	.ops = &vr_ops,
	.req_size = sizeof(struct vr_req),
	.depth = VR_DEPTH,
};

struct vr_ctx {
	struct khcl_loopback *lb;
	void *in_mem, *out_mem;
	struct vr_ring in, out;		/* guest's view: writes in, reads out */
	bool open;
};

static u32 vr_nheld(void)
{
	return READ_ONCE(vr.nheld);
}

static void vr_teardown(void *p)
{
	struct vr_ctx *c = p;
	u32 i;

	/* a failed case may leave requests held: end them, or close waits */
	spin_lock_bh(&vr.lock);
	for (i = 0; i < vr.nheld; i++)
		vr_end(vr.held[i]);
	vr.nheld = 0;
	spin_unlock_bh(&vr.lock);
	if (c->open)
		khcl_vsp_test_close(&vr_vsp);
	khcl_vsp_unregister(&vr_vsp);
	khcl_loopback_unregister(c->lb);
	kvfree(c->lb);
	vfree(c->in_mem);
	vfree(c->out_mem);
}

/* A channel served on fresh rings: @out_bytes of host->guest data. */
static struct vr_ctx *vr_up(struct kunit *test, u32 out_bytes, u32 reserve)
{
	struct vr_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	memset(&vr, 0, sizeof(vr));
	spin_lock_init(&vr.lock);
	c->lb = kvzalloc(sizeof(*c->lb), GFP_KERNEL);
	c->in_mem = vzalloc(KHCL_RING_HDR_SIZE + VR_DATA);
	c->out_mem = vzalloc(KHCL_RING_HDR_SIZE + out_bytes);
	if (!c->lb || !c->in_mem || !c->out_mem) {
		kvfree(c->lb);
		vfree(c->in_mem);
		vfree(c->out_mem);
		KUNIT_FAIL_AND_ABORT(test, "no memory");
	}
	if (khcl_loopback_register(c->lb, 64)) {
		kvfree(c->lb);
		vfree(c->in_mem);
		vfree(c->out_mem);
		KUNIT_FAIL_AND_ABORT(test, "another transport backend is registered (khcl_ivshmem must load after the KUnit suites)");
	}
	vr_vsp.reserve = reserve;
	if (khcl_vsp_register(&vr_vsp)) {
		khcl_loopback_unregister(c->lb);
		kvfree(c->lb);
		vfree(c->in_mem);
		vfree(c->out_mem);
		KUNIT_FAIL_AND_ABORT(test, "khcl_vsp_register failed");
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vr_teardown, c),
			0);
	c->in = (struct vr_ring){ c->in_mem, c->in_mem + KHCL_RING_HDR_SIZE,
				  VR_DATA };
	c->out = (struct vr_ring){ c->out_mem,
				   c->out_mem + KHCL_RING_HDR_SIZE, out_bytes };
	/* as hv_ringbuffer_init: pending_send_sz supported both ways */
	c->in.hdr->feature_bits = KHCL_RING_FEAT_PENDING_SEND_SZ;
	c->out.hdr->feature_bits = KHCL_RING_FEAT_PENDING_SEND_SZ;
	KUNIT_ASSERT_EQ(test, khcl_vsp_test_open(&vr_vsp, c->in_mem, VR_DATA,
						 c->out_mem, out_bytes, 0), 0);
	c->open = true;
	return c;
}

static u32 vr_used(u32 w, u32 r, u32 size)
{
	return w >= r ? w - r : size - r + w;
}

/* The guest writes one inband packet asking for a completion. */
static int vr_put(struct vr_ring *g, u64 id, u8 fill, u32 len)
{
	u32 w = READ_ONCE(g->hdr->write_index), r = READ_ONCE(g->hdr->read_index);
	u32 padded = ALIGN(len, 8), total = 16 + padded + 8, i;
	struct khcl_vmpkt_desc d = {
		.type = KHCL_VMPKT_DATA_INBAND, .offset8 = 2,
		.len8 = (16 + padded) / 8,
		.flags = KHCL_VMPKT_FLAG_COMPLETION_REQUESTED, .trans_id = id,
	};
	u64 trailer = (u64)w << 32;

	if (g->size - vr_used(w, r, g->size) <= total)
		return -ENOSPC;
	for (i = 0; i < total; i++) {
		u8 b = i < 16 ? ((u8 *)&d)[i] : i < 16 + padded ?
		       (i - 16 < len ? fill : 0) : ((u8 *)&trailer)[i - 16 - padded];

		g->data[(w + i) % g->size] = b;
	}
	/* the packet's bytes before the index that publishes them */
	smp_store_release(&g->hdr->write_index, (w + total) % g->size);
	return 0;
}

/* The guest reads one packet; -ENOENT when there is none. */
static int vr_get(struct vr_ring *g, struct khcl_vmpkt_desc *d, u8 *p)
{
	u32 r = READ_ONCE(g->hdr->read_index), i, len;
	/* the index before the bytes it publishes */
	u32 w = smp_load_acquire(&g->hdr->write_index);

	if (r == w)
		return -ENOENT;
	for (i = 0; i < 16; i++)
		((u8 *)d)[i] = g->data[(r + i) % g->size];
	len = d->len8 * 8u;
	for (i = 16; i < len && i - 16 < VR_PAY; i++)
		p[i - 16] = g->data[(r + i) % g->size];
	WRITE_ONCE(g->hdr->read_index, (r + len + 8) % g->size);
	return len - 16;
}

static void vr_kick(struct vr_ctx *c)
{
	khcl_loopback_event(c->lb, vr_vsp.relid);
}

/* Poll up to 5 s for @cond (the worker runs meanwhile). */
#define vr_wait(test, cond) do {					\
	int __i;							\
	for (__i = 0; __i < 500 && !(cond); __i++)			\
		usleep_range(10000, 11000);				\
	KUNIT_ASSERT_TRUE_MSG(test, (cond), "waited 5 s for " #cond);	\
} while (0)

static u64 vr_ctr(const char *name)
{
	return khcl_vsp_test_counter(&vr_vsp, name);
}

/*
 * Collect answers until @n arrived (kicking the server as the guest's
 * pending_send_sz signal would): each trans_id in [1, n] exactly once,
 * carrying its packet's bytes.
 */
static void vr_collect(struct kunit *test, struct vr_ctx *c, u32 n,
		       bool in_order)
{
	static u8 got[VR_MAX_ID];
	struct khcl_vmpkt_desc d;
	u8 p[VR_PAY];
	u32 have = 0, i, last = 0, tries = 0;
	bool ordered = true;
	int len;

	memset(got, 0, sizeof(got));
	while (have < n && tries < 500) {
		len = vr_get(&c->out, &d, p);
		if (len == -ENOENT) {
			vr_kick(c);
			usleep_range(10000, 11000);
			tries++;
			continue;
		}
		KUNIT_ASSERT_EQ(test, d.type, (u16)KHCL_VMPKT_COMP);
		KUNIT_ASSERT_TRUE(test, d.trans_id >= 1 && d.trans_id <= n);
		got[d.trans_id]++;
		KUNIT_EXPECT_EQ(test, p[0], (u8)d.trans_id);
		if (d.trans_id < last)
			ordered = false;
		last = d.trans_id;
		have++;
	}
	KUNIT_ASSERT_EQ(test, have, n);
	for (i = 1; i <= n; i++)
		KUNIT_EXPECT_EQ_MSG(test, got[i], 1, "trans_id %u", i);
	if (in_order)
		KUNIT_EXPECT_TRUE(test, ordered);
	/* nothing more */
	usleep_range(20000, 30000);
	KUNIT_EXPECT_EQ(test, vr_get(&c->out, &d, p), -ENOENT);
}

static enum hrtimer_restart vr_timer(struct hrtimer *t)
{
	vr_end(container_of(t, struct vr_req, timer));	/* hard irq */
	return HRTIMER_NORESTART;
}

/*
 * End every held request from hard-irq timers, in a random order, spread
 * over @min_us..@max_us from now.
 */
static void vr_end_held_from_irq(u32 min_us, u32 max_us)
{
	u32 i, j;

	spin_lock_bh(&vr.lock);
	for (i = vr.nheld; i > 1; i--) {
		j = get_random_u32_below(i);
		swap(vr.held[i - 1], vr.held[j]);
	}
	for (i = 0; i < vr.nheld; i++) {
		struct vr_req *r = vr.held[i];

		hrtimer_init(&r->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
		r->timer.function = vr_timer;
		hrtimer_start(&r->timer,
			      ns_to_ktime((u64)(min_us + 1 + i *
						(max_us - min_us) / vr.nheld) *
					  NSEC_PER_USEC),
			      HRTIMER_MODE_REL_HARD);
	}
	vr.nheld = 0;
	spin_unlock_bh(&vr.lock);
}

/* Requests ended from hard irq, in random order: each answered once. */
static void vr_irq_random_order(struct kunit *test)
{
	struct vr_ctx *c = vr_up(test, 16 * 1024, 0);
	u32 i, n = 48;

	vr.hold = true;
	for (i = 1; i <= n; i++)
		KUNIT_ASSERT_EQ(test, vr_put(&c->in, i, i, 40), 0);
	vr_kick(c);
	vr_wait(test, vr_nheld() == n);
	KUNIT_EXPECT_EQ(test, vr_ctr("packets_out"), 0ull);
	/* every packet inside a ->batch() bracket; a few passes for 48 */
	KUNIT_EXPECT_EQ(test, vr.batch_errors, 0U);
	KUNIT_EXPECT_GE(test, vr.batches, 1U);
	KUNIT_EXPECT_LT(test, vr.batches, n);
	vr_end_held_from_irq(0, 2000);
	vr_collect(test, c, n, false);
	KUNIT_EXPECT_EQ(test, vr_ctr("packets_out"), (u64)n);
	KUNIT_EXPECT_EQ(test, vr_ctr("double_ends"), 0ull);
	/* fewer batches than answers would show batching; not judged */
	kunit_info(test, "%u answers in %llu batches, %llu signals\n", n,
		   vr_ctr("batches"), vr_ctr("signals_out"));
}

/*
 * A host->guest ring that fills: answers wait in order, the reader stops
 * when every request waits (backpressure), and all of them arrive once
 * the guest reads, each exactly once and in order.
 */
static void vr_full_ring(struct kunit *test)
{
	struct vr_ctx *c = vr_up(test, 4096, 0);
	u32 i, n = 150;

	for (i = 1; i <= n; i++)
		KUNIT_ASSERT_EQ(test, vr_put(&c->in, i, i, 64), 0);
	vr_kick(c);
	/* 46 answers of 88 bytes fill 4 KiB; 64 more wait in requests */
	vr_wait(test, vr_ctr("no_request") > 0);
	KUNIT_EXPECT_EQ(test, vr_ctr("packets_out"), 46ull);
	KUNIT_EXPECT_EQ(test, atomic_read(&vr.packets), 46 + VR_DEPTH);
	KUNIT_EXPECT_GT(test, vr_ctr("ring_full"), 0ull);
	KUNIT_EXPECT_EQ(test, c->out.hdr->pending_send_sz, 88U);
	vr_collect(test, c, n, true);
	KUNIT_EXPECT_EQ(test, atomic_read(&vr.packets), (int)n);
	KUNIT_EXPECT_EQ(test, vr_ctr("double_ends"), 0ull);
}

/*
 * Close with requests in flight: it waits until the last one ended (from
 * hard irq, 20-200 ms later), then ->close(); the answers go nowhere,
 * counted, none twice.
 */
static void vr_close_inflight(struct kunit *test)
{
	struct vr_ctx *c = vr_up(test, 16 * 1024, 0);
	u32 i, n = 20;
	u64 dropped;

	vr.hold = true;
	for (i = 1; i <= n; i++)
		KUNIT_ASSERT_EQ(test, vr_put(&c->in, i, i, 40), 0);
	vr_kick(c);
	vr_wait(test, vr_nheld() == n);
	dropped = vr_ctr("answers_dropped");
	vr_end_held_from_irq(20000, 200000);
	khcl_vsp_test_close(&vr_vsp);
	c->open = false;
	KUNIT_EXPECT_EQ(test, atomic_read(&vr.closes), 1);
	KUNIT_EXPECT_EQ(test, vr.ended_at_close, n);
	KUNIT_EXPECT_EQ(test, vr_ctr("answers_dropped") - dropped, (u64)n);
	KUNIT_EXPECT_EQ(test, vr_ctr("packets_out"), 0ull);
	KUNIT_EXPECT_EQ(test, vr_ctr("double_ends"), 0ull);
}

/*
 * The guest rewrites a packet after the server read it (XSA-155,
 * CVE-2019-0620): the VSP saw the first copy only, and one answer goes
 * out, however often the guest kicks.
 */
static void vr_rewrite_after_read(struct kunit *test)
{
	struct vr_ctx *c = vr_up(test, 16 * 1024, 0);
	struct khcl_vmpkt_desc *d = (void *)c->in.data;
	u32 i;

	vr.hold = true;
	KUNIT_ASSERT_EQ(test, vr_put(&c->in, 1, 0xa1, 40), 0);
	vr_kick(c);
	vr_wait(test, vr_nheld() == 1);
	/* a different transaction, different bytes, at the same place */
	d->trans_id = 2;
	for (i = 16; i < 56; i++)
		c->in.data[i] = 0xb2;
	for (i = 0; i < 5; i++) {
		vr_kick(c);
		usleep_range(5000, 6000);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&vr.packets), 1);
	KUNIT_EXPECT_EQ(test, vr.seen[1], 1);
	KUNIT_EXPECT_EQ(test, vr.first[1], 0xa1);
	KUNIT_EXPECT_EQ(test, vr.seen[2], 0);
	vr_end(vr.held[0]);
	vr.nheld = 0;
	vr_wait(test, vr_ctr("packets_out") == 1);
	{
		struct khcl_vmpkt_desc a;
		u8 p[VR_PAY];

		KUNIT_ASSERT_EQ(test, vr_get(&c->out, &a, p), 40);
		KUNIT_EXPECT_EQ(test, a.trans_id, 1ull);
		KUNIT_EXPECT_EQ(test, p[0], 0xa1);
		KUNIT_EXPECT_EQ(test, vr_get(&c->out, &a, p), -ENOENT);
	}
}

/*
 * The reserve: the reader leaves @reserve requests free; packets the
 * guest did not ask for take them, then none is left.
 */
static void vr_reserve(struct kunit *test)
{
	struct vr_ctx *c = vr_up(test, 16 * 1024, 4);
	struct khcl_vsp_req *u[5];
	u32 i, n = VR_DEPTH;

	vr.hold = true;
	for (i = 1; i <= n; i++)
		KUNIT_ASSERT_EQ(test, vr_put(&c->in, i, i, 8), 0);
	vr_kick(c);
	vr_wait(test, vr_ctr("no_request") > 0);
	KUNIT_EXPECT_EQ(test, vr_nheld(), (u32)VR_DEPTH - 4);
	for (i = 0; i < 5; i++)
		u[i] = khcl_vsp_req_get(vr_vsp.chan);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_NOT_NULL(test, u[i]);
	KUNIT_EXPECT_NULL(test, u[4]);
	for (i = 0; i < 4; i++)
		if (u[i])
			khcl_vsp_req_end(u[i]);
	/* the 4 packets left on the ring are answered as they come */
	vr.hold = false;
	vr_end_held_from_irq(0, 1000);
	vr_collect(test, c, n, false);
}

/*
 * Polled mode: while the VSP asks for it, the ring stays masked (the
 * guest would not signal) and packets put without any signal are still
 * taken; once it stops asking, the mask comes off and the worker waits
 * for signals again.
 */
static void vr_polled(struct kunit *test)
{
	struct vr_ctx *c = vr_up(test, 16 * 1024, 0);
	u64 polls;
	u32 i;

	WRITE_ONCE(vr.poll, true);
	KUNIT_ASSERT_EQ(test, vr_put(&c->in, 1, 1, 40), 0);
	vr_kick(c);
	vr_wait(test, vr_ctr("polls") > 10);
	KUNIT_EXPECT_EQ(test, atomic_read(&vr.packets), 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(c->in.hdr->interrupt_mask), 1U);
	for (i = 2; i <= 20; i++)	/* no signal */
		KUNIT_ASSERT_EQ(test, vr_put(&c->in, i, i, 40), 0);
	vr_wait(test, atomic_read(&vr.packets) == 20);
	WRITE_ONCE(vr.poll, false);
	vr_wait(test, READ_ONCE(c->in.hdr->interrupt_mask) == 0);
	polls = vr_ctr("polls");
	msleep(50);
	KUNIT_EXPECT_EQ(test, vr_ctr("polls"), polls);
	vr_collect(test, c, 20, false);
	KUNIT_EXPECT_EQ(test, vr.batch_errors, 0U);
}

/*
 * khcl_vmbus.timing: off, nothing is timed; on, each request once, with
 * the 1-2 ms the VSP held it (ended from hard-irq timers) in vsp_ns.
 */
static void vr_timing(struct kunit *test)
{
	struct vr_ctx *c = vr_up(test, 16 * 1024, 0);
	u32 i, n = 16, on;

	vr.hold = true;
	for (on = 0; on < 2; on++) {
		khcl_vsp_test_timing(on);
		for (i = 1; i <= n; i++)
			KUNIT_ASSERT_EQ(test, vr_put(&c->in, i, i, 40), 0);
		vr_kick(c);
		vr_wait(test, vr_nheld() == n);
		vr_end_held_from_irq(1000, 2000);
		vr_collect(test, c, n, false);
		khcl_vsp_test_timing(false);
		KUNIT_EXPECT_EQ(test, vr_ctr("timed"), on ? (u64)n : 0ull);
	}
	KUNIT_EXPECT_GE(test, vr_ctr("vsp_ns"), (u64)n * 1000 * NSEC_PER_USEC);
	KUNIT_EXPECT_LT(test, vr_ctr("vsp_ns"), (u64)n * NSEC_PER_SEC);
	KUNIT_EXPECT_GT(test, vr_ctr("answer_ns"), 0ull);
	KUNIT_EXPECT_GE(test, vr_ctr("wakes"), 1ull);
	KUNIT_EXPECT_GT(test, vr_ctr("wake_ns"), 0ull);
}

static struct kunit_case vr_cases[] = {
	KUNIT_CASE(vr_irq_random_order),
	KUNIT_CASE(vr_full_ring),
	KUNIT_CASE(vr_close_inflight),
	KUNIT_CASE(vr_rewrite_after_read),
	KUNIT_CASE(vr_reserve),
	KUNIT_CASE(vr_polled),
	KUNIT_CASE(vr_timing),
	{}
};

static struct kunit_suite khcl_vsp_req_suite = {
	.name = "khcl_vsp_req",
	.test_cases = vr_cases,
};
kunit_test_suite(khcl_vsp_req_suite);

MODULE_DESCRIPTION("KUnit: the VSP request contract through the channel worker");
MODULE_LICENSE("GPL");
