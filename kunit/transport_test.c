// SPDX-License-Identifier: GPL-2.0
/*
 * The VMBus server's kernel glue (khcl_vmbus: queues, workers, replies)
 * driven through the transport API by the loopback backend, with the test
 * playing the guest. Kernel only. Needs khcl_vmbus loaded and no other
 * transport backend registered yet (the debug image loads the KUnit
 * suites before khcl_ivshmem); otherwise the suite is skipped.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include "loopback/loopback.h"
#include "../include/khcl/vmbus_wire.h"
#include "../include/khcl/khcl_vsp.h"

#define TT_WAIT		(5 * HZ)
#define TT_MSGTYPE	KHCL_SYNIC_MSGTYPE_VMBUS

static void tt_release(void *p)
{
	struct khcl_loopback *lb = p;

	khcl_loopback_unregister(lb);
	kvfree(lb);
}

/* A registered loopback backend, released when the case ends (also on
 * a failed assertion).
 */
static struct khcl_loopback *tt_up(struct kunit *test, u32 slots)
{
	struct khcl_loopback *lb = kvzalloc(sizeof(*lb), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, lb);
	if (khcl_loopback_register(lb, slots)) {
		kvfree(lb);
		KUNIT_FAIL_AND_ABORT(test, "another transport backend is registered (khcl_ivshmem must load after the KUnit suites)");
	}
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, tt_release, lb),
			0);
	return lb;
}

/* The guest's queue towards the server is empty again. */
static void tt_drained(struct kunit *test, struct khcl_loopback *lb)
{
	int i;

	for (i = 0; i < 500 && READ_ONCE(lb->in_count); i++)
		usleep_range(10000, 20000);
	KUNIT_ASSERT_EQ(test, READ_ONCE(lb->in_count), 0U);
}

static int tt_contact(struct khcl_loopback *lb, u32 version)
{
	struct khcl_vmb_initiate_contact m = {
		.hdr.msgtype = KHCL_CHMSG_INITIATE_CONTACT,
		.version_requested = version,
		.msg_sint = 2,
	};

	return khcl_loopback_inject(lb, TT_MSGTYPE, KHCL_VMBUS_MSG_CONN_ID, &m,
				    sizeof(m));
}

static int tt_simple(struct khcl_loopback *lb, u32 type)
{
	struct khcl_vmb_hdr m = { .msgtype = type };

	return khcl_loopback_inject(lb, TT_MSGTYPE, KHCL_VMBUS_MSG_CONN_ID, &m,
				    sizeof(m));
}

/* The next reply, which must be of @type. */
static void tt_expect(struct kunit *test, struct khcl_loopback *lb, u32 type,
		      struct khcl_synic_msg *m)
{
	KUNIT_ASSERT_TRUE(test, khcl_loopback_take(lb, m, TT_WAIT));
	KUNIT_ASSERT_EQ(test, m->type, (u32)TT_MSGTYPE);
	KUNIT_ASSERT_GE(test, (u32)m->len, (u32)sizeof(struct khcl_vmb_hdr));
	KUNIT_ASSERT_EQ(test, ((struct khcl_vmb_hdr *)m->payload)->msgtype,
			type);
}

static void tt_unload(struct kunit *test, struct khcl_loopback *lb,
		      struct khcl_synic_msg *m)
{
	KUNIT_ASSERT_EQ(test, tt_simple(lb, KHCL_CHMSG_UNLOAD), 0);
	tt_expect(test, lb, KHCL_CHMSG_UNLOAD_RESPONSE, m);
}

static void tt_connect_offers_unload(struct kunit *test)
{
	struct khcl_synic_msg *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct khcl_loopback *lb = tt_up(test, 64);
	struct khcl_vmb_version_response *vr = (void *)m->payload;
	int offers = 0;

	KUNIT_ASSERT_EQ(test, tt_contact(lb, KHCL_VMB_V5_3), 0);
	tt_expect(test, lb, KHCL_CHMSG_VERSION_RESPONSE, m);
	KUNIT_EXPECT_EQ(test, vr->version_supported, 1);
	KUNIT_EXPECT_EQ(test, vr->msg_conn_id, (u32)KHCL_VMBUS_MSG_CONN_ID);
	KUNIT_ASSERT_EQ(test, tt_simple(lb, KHCL_CHMSG_REQUESTOFFERS), 0);
	for (;;) {
		KUNIT_ASSERT_TRUE(test, khcl_loopback_take(lb, m, TT_WAIT));
		if (((struct khcl_vmb_hdr *)m->payload)->msgtype !=
		    KHCL_CHMSG_OFFERCHANNEL)
			break;
		KUNIT_EXPECT_EQ(test, (u32)m->len,
				(u32)sizeof(struct khcl_vmb_offer_channel));
		offers++;
	}
	KUNIT_EXPECT_EQ(test, ((struct khcl_vmb_hdr *)m->payload)->msgtype,
			(u32)KHCL_CHMSG_ALLOFFERS_DELIVERED);
	/* the debug image loads the echo, storage and network VSPs first */
	KUNIT_EXPECT_GE(test, offers, 3);
	kunit_info(test, "%d offer(s) before ALLOFFERS_DELIVERED\n", offers);
	tt_unload(test, lb, m);
}

/* One reply slot: the server retries busy slots and keeps the order. */
static void tt_busy_slots(struct kunit *test)
{
	struct khcl_synic_msg *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct khcl_loopback *lb = tt_up(test, 1);
	u32 i;

	for (i = 0; i < 20; i++)
		KUNIT_ASSERT_EQ(test, tt_contact(lb, i & 1 ? KHCL_VMB_V5_2 :
						  0x7fff0000), 0);
	for (i = 0; i < 20; i++) {
		tt_expect(test, lb, KHCL_CHMSG_VERSION_RESPONSE, m);
		KUNIT_EXPECT_EQ(test, ((struct khcl_vmb_version_response *)
				       m->payload)->version_supported,
				i & 1 ? 1 : 0);
	}
	KUNIT_EXPECT_GT(test, lb->busy, 0ull);
	tt_unload(test, lb, m);
}

/* More messages than the server's queue: none lost, all answered. */
static void tt_backpressure(struct kunit *test)
{
	struct khcl_synic_msg *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct khcl_loopback *lb = tt_up(test, KHCL_LB_QUEUE);
	u32 i, n = 400;

	u64 deferred = khcl_vmbus_counter("rx_deferred");

	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, tt_contact(lb, 0x7fff0000 + i), 0);
	for (i = 0; i < n; i++) {
		tt_expect(test, lb, KHCL_CHMSG_VERSION_RESPONSE, m);
		KUNIT_EXPECT_EQ(test, ((struct khcl_vmb_version_response *)
				       m->payload)->version_supported, 0);
	}
	/*
	 * 400 messages against a 64-entry queue, injected without a
	 * reschedule (the test's CPU is the worker's: one vCPU,
	 * PREEMPT_NONE): the server must have pushed back, not dropped.
	 */
	KUNIT_EXPECT_GT(test, lb->refused, 0ull);
	KUNIT_EXPECT_GT(test, khcl_vmbus_counter("rx_deferred"), deferred);
	kunit_info(test, "%u messages, the backend held them %llu times\n",
		   n, lb->refused);
}

/* Garbage from the guest: short, wrong type, unknown events. */
static void tt_garbage(struct kunit *test)
{
	struct khcl_synic_msg *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct khcl_loopback *lb = tt_up(test, 64);
	u64 shrt = khcl_vmbus_counter("err_short");
	u64 type = khcl_vmbus_counter("err_type");
	u64 bad = khcl_vmbus_counter("bad_type");
	u64 unk = khcl_vmbus_counter("unknown_events");
	u8 junk[KHCL_SYNIC_PAYLOAD];
	u32 i;

	memset(junk, 0xa5, sizeof(junk));
	for (i = 0; i < 2000; i++) {
		if (i % 100 == 0)
			tt_drained(test, lb);
		khcl_loopback_inject(lb, TT_MSGTYPE, i, junk, i % 241);
		khcl_loopback_inject(lb, 0x80000000 | i, 4, junk, 8);
		khcl_loopback_event(lb, i * 7);
	}
	tt_drained(test, lb);
	/*
	 * still answers; and, the control queue being FIFO, the answer says
	 * every message before it was handled (the loopback slot empties
	 * when the server has taken a message, before its worker counts it:
	 * counting earlier lost the last few, seen once)
	 */
	KUNIT_ASSERT_EQ(test, tt_contact(lb, KHCL_VMB_V5_3), 0);
	tt_expect(test, lb, KHCL_CHMSG_VERSION_RESPONSE, m);
	KUNIT_EXPECT_EQ(test, ((struct khcl_vmb_version_response *)
			       m->payload)->version_supported, 1);
	/* every kind was refused and counted: 8 lengths are too short ... */
	KUNIT_EXPECT_EQ(test, khcl_vmbus_counter("err_short"),
			shrt + 2000 / 241 * 8 + 8);
	/* ... the rest carry type 0xa5a5a5a5 */
	KUNIT_EXPECT_EQ(test, khcl_vmbus_counter("err_type"),
			type + 2000 - (2000 / 241 * 8 + 8));
	KUNIT_EXPECT_EQ(test, khcl_vmbus_counter("bad_type"), bad + 2000);
	/* events for relids 1..64 may hit a channel; the rest count */
	KUNIT_EXPECT_GE(test, khcl_vmbus_counter("unknown_events"),
			unk + 2000 - 10);
	tt_unload(test, lb, m);
}

/* Control-message round trip through the glue; reported, not judged. */
static void tt_msg_rtt(struct kunit *test)
{
	struct khcl_synic_msg *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct khcl_loopback *lb = tt_up(test, 64);
	u32 i, n = 2000;
	u64 t0, ns;

	t0 = ktime_get_ns();
	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, tt_contact(lb, KHCL_VMB_V5_3), 0);
		tt_expect(test, lb, KHCL_CHMSG_VERSION_RESPONSE, m);
	}
	ns = ktime_get_ns() - t0;
	kunit_info(test, "INITIATE_CONTACT -> VERSION_RESPONSE: %u round trips, %llu ns each\n",
		   n, ns / n);
	tt_unload(test, lb, m);
}

static struct kunit_case tt_cases[] = {
	KUNIT_CASE(tt_connect_offers_unload),
	KUNIT_CASE(tt_busy_slots),
	KUNIT_CASE(tt_backpressure),
	KUNIT_CASE(tt_garbage),
	KUNIT_CASE(tt_msg_rtt),
	{}
};

static struct kunit_suite khcl_transport_suite = {
	.name = "khcl_transport",
	.test_cases = tt_cases,
};
kunit_test_suite(khcl_transport_suite);

MODULE_DESCRIPTION("KUnit: the VMBus server's glue over the loopback transport");
MODULE_LICENSE("GPL");
