// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of vmbus_relay/server.c, the host side of the VMBus control
 * protocol, driven the way Linux's hv_vmbus client drives it and the way
 * a hostile guest would (HOSTILE.md: malformed and truncated messages,
 * absurd GPADLs, double open, teardown of a ring in use, repetition
 * without growth). Runs as KUnit and in user space.
 */
#ifdef __KERNEL__
#include <kunit/test.h>
#else
#include "userspace/kunit_shim.h"
#endif
#include "../vmbus_relay/server.h"
#include "vmbus_server_harness.h"

static int st_contact(struct khcl_vmb_server *s, u32 version)
{
	struct khcl_vmb_initiate_contact m;

	memset(&m, 0, sizeof(m));
	m.hdr.msgtype = KHCL_CHMSG_INITIATE_CONTACT;
	m.version_requested = version;
	m.msg_sint = 2;
	return khcl_vmb_server_rx(s, KHCL_VMBUS_MSG_CONN_ID, &m, sizeof(m));
}

static int st_simple(struct khcl_vmb_server *s, u32 type, u32 relid)
{
	struct khcl_vmb_relid_msg m = { { type, 0 }, relid };

	return khcl_vmb_server_rx(s, s->msg_conn_id, &m,
				  type == KHCL_CHMSG_REQUESTOFFERS ||
				  type == KHCL_CHMSG_UNLOAD ? 8 : sizeof(m));
}

/*
 * GPADL of @npages starting at @pfn0, split like vmbus_establish_gpadl:
 * as many PFNs as fit in the header, the rest in body messages.
 */
static int st_gpadl(struct khcl_vmb_server *s, u32 relid, u32 handle,
		    u64 pfn0, u32 npages)
{
	u8 buf[KHCL_SYNIC_PAYLOAD];
	struct khcl_vmb_gpadl_header *h = (void *)buf;
	struct khcl_vmb_gpa_range *r = (void *)(h + 1);
	struct khcl_vmb_gpadl_body *b = (void *)buf;
	u8 *pfn = (u8 *)(r + 1);
	u64 v;
	u32 n, i, done = 0, hmax = (KHCL_SYNIC_PAYLOAD - 28) / 8;
	int ret;

	memset(buf, 0, sizeof(buf));
	h->hdr.msgtype = KHCL_CHMSG_GPADL_HEADER;
	h->child_relid = relid;
	h->gpadl = handle;
	h->rangecount = 1;
	h->range_buflen = (u16)(sizeof(*r) + npages * 8);	/* wraps */
	r->byte_count = npages * 4096;
	n = npages < hmax ? npages : hmax;
	for (i = 0; i < n; i++) {
		v = pfn0 + i;	/* unaligned in the message: copy */
		memcpy(pfn + 8 * i, &v, 8);
	}
	ret = khcl_vmb_server_rx(s, s->msg_conn_id, buf, 28 + n * 8);
	done = n;
	while (!ret && done < npages && !st.header_only) {
		n = npages - done < 28 ? npages - done : 28;
		memset(buf, 0, sizeof(buf));
		b->hdr.msgtype = KHCL_CHMSG_GPADL_BODY;
		/* msgnumber: left 0, as Linux leaves it */
		b->gpadl = handle;
		for (i = 0; i < n; i++) {
			v = pfn0 + done + i;
			memcpy((u8 *)(b + 1) + 8 * i, &v, 8);
		}
		ret = khcl_vmb_server_rx(s, s->msg_conn_id, buf, 16 + n * 8);
		done += n;
	}
	return ret;
}

/* The last message is a failed GPADL_CREATED for (@relid, @handle). */
static void st_expect_gpadl_refused(struct kunit *test, u32 relid, u32 handle)
{
	struct khcl_vmb_gpadl_created *c = st_last();

	KUNIT_ASSERT_EQ(test, st_last_type(), KHCL_CHMSG_GPADL_CREATED);
	KUNIT_EXPECT_EQ(test, c->child_relid, relid);
	KUNIT_EXPECT_EQ(test, c->gpadl, handle);
	KUNIT_EXPECT_EQ(test, c->creation_status, KHCL_VMB_STATUS_UNSUCCESSFUL);
}

/* The last message is a failed OPENCHANNEL_RESULT for @relid (openid). */
static void st_expect_open_refused(struct kunit *test, u32 relid)
{
	struct khcl_vmb_open_result *r = st_last();

	KUNIT_ASSERT_EQ(test, st_last_type(), KHCL_CHMSG_OPENCHANNEL_RESULT);
	KUNIT_EXPECT_EQ(test, r->child_relid, relid);
	KUNIT_EXPECT_EQ(test, r->openid, relid);
	KUNIT_EXPECT_EQ(test, r->status, KHCL_VMB_STATUS_UNSUCCESSFUL);
}

static int st_open_chan_vp(struct khcl_vmb_server *s, u32 relid, u32 gpadl,
			   u32 off, u32 vp)
{
	struct khcl_vmb_open_channel m;

	memset(&m, 0, sizeof(m));
	m.hdr.msgtype = KHCL_CHMSG_OPENCHANNEL;
	m.child_relid = relid;
	m.openid = relid;
	m.ringbuffer_gpadl = gpadl;
	m.target_vp = vp;
	m.downstream_ring_pageoffset = off;
	return khcl_vmb_server_rx(s, s->msg_conn_id, &m, sizeof(m));
}

static int st_open_chan(struct khcl_vmb_server *s, u32 relid, u32 gpadl,
			u32 off)
{
	return st_open_chan_vp(s, relid, gpadl, off, 0);
}

static int st_teardown(struct khcl_vmb_server *s, u32 relid, u32 gpadl)
{
	struct khcl_vmb_gpadl_teardown m = {
		{ KHCL_CHMSG_GPADL_TEARDOWN, 0 }, relid, gpadl
	};

	return khcl_vmb_server_rx(s, s->msg_conn_id, &m, sizeof(m));
}

/* A connected server with one offer, offers delivered. */
static void st_setup(struct kunit *test, struct khcl_vmb_server *s)
{
	struct khcl_vmb_offer o;

	memset(&st, 0, sizeof(st));
	KUNIT_ASSERT_EQ(test, khcl_vmb_server_init(s, &st_ops, &st_lim, NULL),
			0);
	memset(&o, 0, sizeof(o));
	o.if_type.b[0] = 0x42;
	KUNIT_ASSERT_EQ(test, khcl_vmb_server_offer(s, &o, NULL), 1);
	KUNIT_ASSERT_EQ(test, st_contact(s, KHCL_VMB_V5_3), 0);
	KUNIT_ASSERT_EQ(test, st_simple(s, KHCL_CHMSG_REQUESTOFFERS, 0), 0);
	KUNIT_ASSERT_EQ(test, st_last_type(), KHCL_CHMSG_ALLOFFERS_DELIVERED);
}

static void st_teardown_server(struct kunit *test, struct khcl_vmb_server *s)
{
	khcl_vmb_server_destroy(s);
	KUNIT_EXPECT_EQ(test, st.mapped, 0);
	KUNIT_EXPECT_EQ(test, st.opened, 0);
}

/*
 * INITIATE_CONTACT for @version: exactly one answer must come, a
 * VERSION_RESPONSE (a refusal is an answer; silence would hang Linux);
 * returns its version_supported.
 */
static u32 st_contact_answer(struct kunit *test, struct khcl_vmb_server *s,
			     u32 version)
{
	u32 n = st.sent_total;

	KUNIT_EXPECT_EQ(test, st_contact(s, version), 0);
	KUNIT_EXPECT_EQ(test, st.sent_total, n + 1);
	KUNIT_EXPECT_EQ(test, st_last_type(), KHCL_CHMSG_VERSION_RESPONSE);
	if (st.sent_total != n + 1)
		return 0xdead;
	return ((struct khcl_vmb_version_response *)st_last())
		->version_supported;
}

static void vmb_versions(struct kunit *test)
{
	static const u32 good[] = {
		KHCL_VMB_WIN8, KHCL_VMB_WIN8_1, KHCL_VMB_WIN10, KHCL_VMB_V4_1,
		KHCL_VMB_V5_0, KHCL_VMB_V5_1, KHCL_VMB_V5_2, KHCL_VMB_V5_3,
	};
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	struct khcl_vmb_version_response *r;
	struct khcl_vmb_limits lim = st_lim;
	u32 i;

	memset(&st, 0, sizeof(st));
	KUNIT_ASSERT_EQ(test, khcl_vmb_server_init(&s, &st_ops, &lim, NULL),
			0);
	/* refused: WS2008, WIN7, a future version; the client falls back */
	KUNIT_EXPECT_EQ(test, st_contact_answer(test, &s, 0x0000000d), 0U);
	KUNIT_EXPECT_EQ(test, st_contact_answer(test, &s,
						KHCL_VMB_VERSION(1, 1)), 0U);
	KUNIT_EXPECT_EQ(test, st_contact_answer(test, &s,
						KHCL_VMB_VERSION(5, 4)), 0U);
	KUNIT_EXPECT_EQ(test, s.state, KHCL_CONN_DISCONNECTED);
	KUNIT_EXPECT_EQ(test, s.refused[KHCL_CHMSG_INITIATE_CONTACT], 3ull);
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		KUNIT_EXPECT_EQ(test, st_contact_answer(test, &s, good[i]), 1U);
		r = st_last();
		KUNIT_EXPECT_EQ(test, r->connection_state, 0);
		KUNIT_EXPECT_EQ(test, s.version, good[i]);
		KUNIT_EXPECT_EQ(test, r->msg_conn_id,
				good[i] >= KHCL_VMB_V5_0 ? 4U : 1U);
	}
	khcl_vmb_server_destroy(&s);

	/* the max_version knob makes the client fall back */
	lim.max_version = KHCL_VMB_V5_2;
	khcl_vmb_server_init(&s, &st_ops, &lim, NULL);
	KUNIT_EXPECT_EQ(test, st_contact_answer(test, &s, KHCL_VMB_V5_3), 0U);
	KUNIT_EXPECT_EQ(test, st_contact_answer(test, &s, KHCL_VMB_V5_2), 1U);
	khcl_vmb_server_destroy(&s);
}

static void vmb_offers(struct kunit *test)
{
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	struct khcl_vmb_offer_channel *oc;
	struct khcl_vmb_offer o;

	st_setup(test, &s);
	KUNIT_ASSERT_EQ(test, st.nlog, 3U);	/* version, offer, all done */
	oc = (void *)st.log[1];
	KUNIT_EXPECT_EQ(test, oc->hdr.msgtype, KHCL_CHMSG_OFFERCHANNEL);
	KUNIT_EXPECT_EQ(test, oc->child_relid, 1U);
	KUNIT_EXPECT_EQ(test, oc->offer.if_type.b[0], 0x42);
	KUNIT_EXPECT_EQ(test, oc->monitor_allocated, 0);
	KUNIT_EXPECT_EQ(test, st.loglen[1], 196U);
	/* a late offer goes out at once */
	memset(&o, 0, sizeof(o));
	KUNIT_EXPECT_EQ(test, khcl_vmb_server_offer(&s, &o, NULL), 2);
	KUNIT_EXPECT_EQ(test, st_last_type(), KHCL_CHMSG_OFFERCHANNEL);
	st_teardown_server(test, &s);
}

static void vmb_gpadl_multi(struct kunit *test)
{
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	struct khcl_vmb_gpadl *g;
	struct khcl_vmb_gpadl_created *c;
	u32 i;

	st_setup(test, &s);
	KUNIT_EXPECT_EQ(test, st_gpadl(&s, 1, 0xe1e10, 0x1000, 100), 0);
	c = st_last();
	KUNIT_EXPECT_EQ(test, c->hdr.msgtype, KHCL_CHMSG_GPADL_CREATED);
	KUNIT_EXPECT_EQ(test, c->gpadl, 0xe1e10U);
	KUNIT_EXPECT_EQ(test, c->creation_status, 0U);
	g = khcl_vmb_server_gpadl(&s, 0xe1e10);
	KUNIT_ASSERT_TRUE(test, g != NULL);
	for (i = 0; i < 100; i++)
		KUNIT_EXPECT_EQ(test, g->pfns[i], 0x1000ull + i);
	KUNIT_EXPECT_EQ(test, st_teardown(&s, 1, 0xe1e10), 0);
	KUNIT_EXPECT_EQ(test, st_last_type(), KHCL_CHMSG_GPADL_TORNDOWN);
	KUNIT_EXPECT_EQ(test, s.ngpadls, 0U);
	st_teardown_server(test, &s);
}

static void vmb_gpadl_hostile(struct kunit *test)
{
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	u8 buf[KHCL_SYNIC_PAYLOAD];
	struct khcl_vmb_gpadl_header *h = (void *)buf;
	struct khcl_vmb_gpa_range *r = (void *)(h + 1);
	struct khcl_vmb_gpadl_body *b = (void *)buf;
	u32 i, n;

	st_setup(test, &s);
	/* PFN outside VTL0 RAM (e.g. VTL2's own memory): refused */
	KUNIT_EXPECT_NE(test, st_gpadl(&s, 1, 7, ST_VTL0_PFNS - 2, 4), 0);
	st_expect_gpadl_refused(test, 1, 7);
	/* absurd page count: 2^20 pages */
	memset(buf, 0, sizeof(buf));
	h->hdr.msgtype = KHCL_CHMSG_GPADL_HEADER;
	h->child_relid = 1;
	h->gpadl = 8;
	h->rangecount = 1;
	r->byte_count = 0xffffffff;
	r->byte_offset = 4095;
	h->range_buflen = 0xffff;		/* cannot describe 2^20 pages */
	KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 4, buf, 40), 0);
	st_expect_gpadl_refused(test, 1, 8);
	h->range_buflen = 8 + 8 * 1000;		/* wrong for 1 page */
	r->byte_count = 4096;
	r->byte_offset = 0;
	KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 4, buf, 40), 0);
	st_expect_gpadl_refused(test, 1, 8);
	h->range_buflen = 16;
	h->rangecount = 0;
	KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 4, buf, 40), 0);
	st_expect_gpadl_refused(test, 1, 8);
	h->rangecount = 2;
	KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 4, buf, 40), 0);
	st_expect_gpadl_refused(test, 1, 8);
	h->rangecount = 1;
	r->byte_offset = 4096;
	KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 4, buf, 40), 0);
	st_expect_gpadl_refused(test, 1, 8);
	r->byte_offset = 0;
	h->child_relid = 9;			/* no such channel */
	KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 4, buf, 40), 0);
	st_expect_gpadl_refused(test, 9, 8);
	KUNIT_EXPECT_EQ(test, s.ngpadls, 0U);
	/* over the per-GPADL page limit */
	KUNIT_EXPECT_NE(test, st_gpadl(&s, 1, 9, 0, 1025), 0);
	st_expect_gpadl_refused(test, 1, 9);
	/* body for an unknown handle: dropped, nobody waits for it */
	memset(buf, 0, sizeof(buf));
	b->hdr.msgtype = KHCL_CHMSG_GPADL_BODY;
	b->gpadl = 77;
	n = st.nlog;
	KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 4, buf, 24), 0);
	KUNIT_EXPECT_EQ(test, st.nlog, n);
	/* 40 pages: 26 in the header, 14 due; 15 come, or a partial PFN */
	for (i = 0; i < 2; i++) {
		st.header_only = true;
		KUNIT_EXPECT_EQ(test, st_gpadl(&s, 1, 10, 0, 40), 0);
		st.header_only = false;
		KUNIT_EXPECT_EQ(test, s.ngpadls, 1U);
		KUNIT_EXPECT_EQ(test, khcl_vmb_server_gpadl(&s, 10)->state,
				KHCL_GPADL_BUILDING);
		b->gpadl = 10;
		KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 4, buf,
							 i ? 16 + 8 + 3 :
							     16 + 15 * 8), 0);
		KUNIT_EXPECT_EQ(test, s.ngpadls, 0U);	/* voided ... */
		st_expect_gpadl_refused(test, 1, 10);	/* ... and answered */
	}
	/* duplicate handle */
	KUNIT_EXPECT_EQ(test, st_gpadl(&s, 1, 11, 0, 4), 0);
	KUNIT_EXPECT_NE(test, st_gpadl(&s, 1, 11, 0, 4), 0);
	st_expect_gpadl_refused(test, 1, 11);
	/* table full: max_gpadls = 8, one used */
	for (i = 0; i < 7; i++)
		KUNIT_EXPECT_EQ(test, st_gpadl(&s, 1, 100 + i, 0, 2), 0);
	KUNIT_EXPECT_NE(test, st_gpadl(&s, 1, 200, 0, 2), 0);
	st_expect_gpadl_refused(test, 1, 200);
	KUNIT_EXPECT_EQ(test, s.errors[KHCL_VMB_ERR_LIMIT], 2ull);
	KUNIT_EXPECT_EQ(test, s.ngpadls, 8U);
	KUNIT_EXPECT_EQ(test, st.mapped, 8);
	/* teardown of an unknown handle: answered all the same */
	KUNIT_EXPECT_NE(test, st_teardown(&s, 1, 12345), 0);
	KUNIT_EXPECT_EQ(test, st_last_type(), KHCL_CHMSG_GPADL_TORNDOWN);
	KUNIT_EXPECT_EQ(test, ((struct khcl_vmb_gpadl_torndown *)st_last())
			->gpadl, 12345U);
	st_teardown_server(test, &s);
}

static void vmb_open_close(struct kunit *test)
{
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	struct khcl_vmb_open_result *r;
	u32 n;

	st_setup(test, &s);
	KUNIT_ASSERT_EQ(test, st_gpadl(&s, 1, 5, 0x100, 32), 0);
	/* bad downstream offsets: each ring needs header + data */
	KUNIT_EXPECT_NE(test, st_open_chan(&s, 1, 5, 1), 0);
	st_expect_open_refused(test, 1);
	KUNIT_EXPECT_NE(test, st_open_chan(&s, 1, 5, 31), 0);
	st_expect_open_refused(test, 1);
	KUNIT_EXPECT_NE(test, st_open_chan(&s, 1, 6, 16), 0);	/* no GPADL */
	st_expect_open_refused(test, 1);
	KUNIT_EXPECT_NE(test, st_open_chan(&s, 2, 5, 16), 0);	/* no relid */
	st_expect_open_refused(test, 2);
	/* a VP the guest does not have (the Hyper-V backend routes by it) */
	KUNIT_EXPECT_NE(test, st_open_chan_vp(&s, 1, 5, 16, 4), 0);
	st_expect_open_refused(test, 1);
	KUNIT_EXPECT_EQ(test, st_open_chan(&s, 1, 5, 16), 0);
	r = st_last();
	KUNIT_EXPECT_EQ(test, r->hdr.msgtype, KHCL_CHMSG_OPENCHANNEL_RESULT);
	KUNIT_EXPECT_EQ(test, r->status, 0U);
	KUNIT_EXPECT_EQ(test, r->openid, 1U);
	KUNIT_EXPECT_EQ(test, st.opened, 1);
	/* double open: refused, answered */
	KUNIT_EXPECT_NE(test, st_open_chan(&s, 1, 5, 16), 0);
	st_expect_open_refused(test, 1);
	/* teardown of the ring in use: answered once the ring closes */
	n = st.nlog;
	KUNIT_EXPECT_EQ(test, st_teardown(&s, 1, 5), 0);
	KUNIT_EXPECT_EQ(test, st.nlog, n);
	KUNIT_EXPECT_EQ(test, s.teardowns_deferred, 1ull);
	KUNIT_EXPECT_EQ(test, st.opened, 1);
	/* a second teardown of it is answered at once, the GPADL stays */
	KUNIT_EXPECT_NE(test, st_teardown(&s, 1, 5), 0);
	KUNIT_EXPECT_EQ(test, st_last_type(), KHCL_CHMSG_GPADL_TORNDOWN);
	KUNIT_EXPECT_EQ(test, s.ngpadls, 1U);
	/* a pending teardown's GPADL opens nothing */
	KUNIT_EXPECT_EQ(test, st_simple(&s, KHCL_CHMSG_CLOSECHANNEL, 1), 0);
	KUNIT_EXPECT_EQ(test, st_last_type(), KHCL_CHMSG_GPADL_TORNDOWN);
	KUNIT_EXPECT_EQ(test, ((struct khcl_vmb_gpadl_torndown *)st_last())
			->gpadl, 5U);
	KUNIT_EXPECT_EQ(test, s.ngpadls, 0U);
	KUNIT_EXPECT_NE(test, st_simple(&s, KHCL_CHMSG_CLOSECHANNEL, 1), 0);
	KUNIT_EXPECT_EQ(test, st.opened, 0);
	KUNIT_EXPECT_EQ(test, st.mapped, 0);
	/* the VSP refusing an open */
	KUNIT_ASSERT_EQ(test, st_gpadl(&s, 1, 6, 0x100, 8), 0);
	st.fail_open = 1;
	KUNIT_EXPECT_NE(test, st_open_chan(&s, 1, 6, 4), 0);
	st_expect_open_refused(test, 1);
	st.fail_open = 0;
	KUNIT_EXPECT_EQ(test, st_open_chan(&s, 1, 6, 4), 0);
	st_teardown_server(test, &s);
}

static void vmb_unload_reconnect(struct kunit *test)
{
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */

	st_setup(test, &s);
	KUNIT_ASSERT_EQ(test, st_gpadl(&s, 1, 5, 0x100, 8), 0);
	KUNIT_ASSERT_EQ(test, st_gpadl(&s, 1, 6, 0x200, 8), 0);
	KUNIT_ASSERT_EQ(test, st_open_chan(&s, 1, 5, 4), 0);
	KUNIT_EXPECT_EQ(test, st_simple(&s, KHCL_CHMSG_UNLOAD, 0), 0);
	KUNIT_EXPECT_EQ(test, st_last_type(), KHCL_CHMSG_UNLOAD_RESPONSE);
	KUNIT_EXPECT_EQ(test, st.opened, 0);
	KUNIT_EXPECT_EQ(test, st.mapped, 0);
	KUNIT_EXPECT_EQ(test, s.state, KHCL_CONN_DISCONNECTED);
	/* nothing but INITIATE_CONTACT is accepted now */
	KUNIT_EXPECT_NE(test, st_simple(&s, KHCL_CHMSG_REQUESTOFFERS, 0), 0);
	st.nlog = 0;
	KUNIT_EXPECT_EQ(test, st_contact(&s, KHCL_VMB_WIN8), 0);
	KUNIT_EXPECT_EQ(test, st_simple(&s, KHCL_CHMSG_REQUESTOFFERS, 0), 0);
	KUNIT_EXPECT_EQ(test, st.nlog, 3U);	/* the offer is sent again */
	KUNIT_EXPECT_EQ(test, st_gpadl(&s, 1, 5, 0x100, 8), 0);
	KUNIT_EXPECT_EQ(test, st_open_chan(&s, 1, 5, 4), 0);
	/* a second INITIATE_CONTACT while connected starts over */
	KUNIT_EXPECT_EQ(test, st_contact(&s, KHCL_VMB_V5_3), 0);
	KUNIT_EXPECT_EQ(test, st.opened, 0);
	KUNIT_EXPECT_EQ(test, st.mapped, 0);
	st_teardown_server(test, &s);
}

/*
 * The guest reset under the server (a reboot, no UNLOAD): everything of
 * it closed and unmapped, nothing sent (nobody is there), the next guest
 * starts with INITIATE_CONTACT and gets the offers again.
 */
static void vmb_guest_reset(struct kunit *test)
{
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	u32 sent;

	st_setup(test, &s);
	KUNIT_ASSERT_EQ(test, st_gpadl(&s, 1, 5, 0x100, 8), 0);
	KUNIT_ASSERT_EQ(test, st_gpadl(&s, 1, 6, 0x200, 8), 0);
	KUNIT_ASSERT_EQ(test, st_open_chan(&s, 1, 5, 4), 0);
	KUNIT_EXPECT_EQ(test, st.opened, 1);
	sent = st.sent_total;
	khcl_vmb_server_guest_reset(&s);
	KUNIT_EXPECT_EQ(test, st.sent_total, sent);
	KUNIT_EXPECT_EQ(test, st.opened, 0);
	KUNIT_EXPECT_EQ(test, st.mapped, 0);
	KUNIT_EXPECT_EQ(test, s.ngpadls, 0U);
	KUNIT_EXPECT_EQ(test, s.state, KHCL_CONN_DISCONNECTED);
	KUNIT_EXPECT_EQ(test, s.guest_resets, 1ull);
	KUNIT_EXPECT_EQ(test, s.unloads, 0ull);
	/* the old guest's messages are refused; the next one connects */
	KUNIT_EXPECT_NE(test, st_simple(&s, KHCL_CHMSG_REQUESTOFFERS, 0), 0);
	KUNIT_EXPECT_EQ(test, st_contact(&s, KHCL_VMB_V5_3), 0);
	st.nlog = 0;
	KUNIT_EXPECT_EQ(test, st_simple(&s, KHCL_CHMSG_REQUESTOFFERS, 0), 0);
	KUNIT_EXPECT_EQ(test, st.nlog, 2U);	/* the offer, ALLOFFERS */
	KUNIT_EXPECT_EQ(test, st_gpadl(&s, 1, 5, 0x100, 8), 0);
	KUNIT_EXPECT_EQ(test, st_open_chan(&s, 1, 5, 4), 0);
	KUNIT_EXPECT_EQ(test, st.opened, 1);
	/* a reset with nothing open is harmless */
	khcl_vmb_server_guest_reset(&s);
	khcl_vmb_server_guest_reset(&s);
	KUNIT_EXPECT_EQ(test, s.guest_resets, 3ull);
	st_teardown_server(test, &s);
}

static void vmb_malformed(struct kunit *test)
{
	static const u32 types[] = {
		KHCL_CHMSG_OPENCHANNEL, KHCL_CHMSG_CLOSECHANNEL,
		KHCL_CHMSG_GPADL_HEADER, KHCL_CHMSG_GPADL_BODY,
		KHCL_CHMSG_GPADL_TEARDOWN, KHCL_CHMSG_RELID_RELEASED,
		KHCL_CHMSG_INITIATE_CONTACT, KHCL_CHMSG_MODIFYCHANNEL,
	};
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	u8 buf[KHCL_SYNIC_PAYLOAD + 8];
	u32 i, len;
	u64 errs;

	st_setup(test, &s);
	memset(buf, 0, sizeof(buf));
	/* truncated: every length below what each type needs */
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		((struct khcl_vmb_hdr *)buf)->msgtype = types[i];
		for (len = 0; len < 8 + 4; len++) {
			errs = s.errors[KHCL_VMB_ERR_SHORT];
			KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 4, buf,
								 len), 0);
			KUNIT_EXPECT_EQ(test, s.errors[KHCL_VMB_ERR_SHORT],
					errs + 1);
		}
	}
	/* oversized */
	((struct khcl_vmb_hdr *)buf)->msgtype = KHCL_CHMSG_REQUESTOFFERS;
	KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 4, buf, 241), 0);
	/* host-to-guest and unknown types */
	for (i = 0; i < 40; i++) {
		((struct khcl_vmb_hdr *)buf)->msgtype = i;
		if (i == KHCL_CHMSG_OFFERCHANNEL || i == KHCL_CHMSG_VERSION_RESPONSE ||
		    i == KHCL_CHMSG_UNLOAD_RESPONSE || i == 0 || i >= 25 ||
		    i == KHCL_CHMSG_TL_CONNECT_REQUEST)
			KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 4, buf,
								 200), 0);
	}
	((struct khcl_vmb_hdr *)buf)->msgtype = 0x80000005;
	KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 4, buf, 200), 0);
	/* wrong connection id */
	KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 1, buf, 8), 0);
	KUNIT_EXPECT_EQ(test, s.state, KHCL_CONN_OFFERS_REQUESTED);
	st_teardown_server(test, &s);
}

/* The last message is a failed MODIFYCHANNEL_RESPONSE for @relid. */
static void st_expect_modify_refused(struct kunit *test, u32 relid)
{
	struct khcl_vmb_modifychannel_response *r = st_last();

	KUNIT_ASSERT_EQ(test, st_last_type(), KHCL_CHMSG_MODIFYCHANNEL_RESPONSE);
	KUNIT_EXPECT_EQ(test, r->child_relid, relid);
	KUNIT_EXPECT_EQ(test, r->status, KHCL_VMB_STATUS_UNSUCCESSFUL);
}

static void vmb_rescind_modify(struct kunit *test)
{
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	struct khcl_vmb_modifychannel m = {
		{ KHCL_CHMSG_MODIFYCHANNEL, 0 }, 1, 0
	};
	struct khcl_vmb_offer o;

	st_setup(test, &s);
	memset(&o, 0, sizeof(o));
	KUNIT_ASSERT_EQ(test, st_gpadl(&s, 1, 5, 0x100, 8), 0);
	KUNIT_ASSERT_EQ(test, st_open_chan(&s, 1, 5, 4), 0);
	KUNIT_EXPECT_EQ(test, khcl_vmb_server_rx(&s, 4, &m, sizeof(m)), 0);
	KUNIT_EXPECT_EQ(test, st_last_type(),
			KHCL_CHMSG_MODIFYCHANNEL_RESPONSE);
	KUNIT_EXPECT_EQ(test, ((struct khcl_vmb_modifychannel_response *)
			       st_last())->status, 0U);
	m.target_vp = 3;
	KUNIT_EXPECT_EQ(test, khcl_vmb_server_rx(&s, 4, &m, sizeof(m)), 0);
	KUNIT_EXPECT_EQ(test, s.chan[0].target_vp, 3U);
	KUNIT_EXPECT_EQ(test, st.modified, 2);
	/* a VP the guest does not have, a channel not open: refused */
	m.target_vp = 4;
	KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 4, &m, sizeof(m)), 0);
	st_expect_modify_refused(test, 1);
	KUNIT_EXPECT_EQ(test, s.chan[0].target_vp, 3U);
	m.target_vp = 0;
	m.child_relid = 2;
	KUNIT_EXPECT_NE(test, khcl_vmb_server_rx(&s, 4, &m, sizeof(m)), 0);
	st_expect_modify_refused(test, 2);
	KUNIT_EXPECT_EQ(test, st.modified, 2);
	/* a second channel's GPADL must survive the first one's release */
	KUNIT_EXPECT_EQ(test, khcl_vmb_server_offer(&s, &o, NULL), 2);
	KUNIT_ASSERT_EQ(test, st_gpadl(&s, 2, 9, 0x300, 4), 0);
	KUNIT_ASSERT_EQ(test, st_gpadl(&s, 1, 10, 0x400, 4), 0);
	khcl_vmb_server_rescind(&s, 1);
	KUNIT_EXPECT_EQ(test, st_last_type(),
			KHCL_CHMSG_RESCIND_CHANNELOFFER);
	KUNIT_EXPECT_EQ(test, st.opened, 0);
	/* the relid is not reused before the guest released it */
	KUNIT_EXPECT_EQ(test, khcl_vmb_server_offer(&s, &o, NULL), 3);
	KUNIT_EXPECT_NE(test, st_open_chan(&s, 1, 5, 4), 0);
	st_expect_open_refused(test, 1);
	/* Linux closes the rescinded channel, skips the teardown, releases */
	KUNIT_EXPECT_EQ(test, st_simple(&s, KHCL_CHMSG_CLOSECHANNEL, 1), 0);
	KUNIT_EXPECT_EQ(test, s.ngpadls, 3U);
	KUNIT_EXPECT_EQ(test, st_simple(&s, KHCL_CHMSG_RELID_RELEASED, 1), 0);
	KUNIT_EXPECT_NE(test, st_simple(&s, KHCL_CHMSG_RELID_RELEASED, 1), 0);
	/* the channel's GPADLs went with it; the other channel's stays */
	KUNIT_EXPECT_EQ(test, s.ngpadls, 1U);
	KUNIT_EXPECT_EQ(test, s.total_pages, 4ull);
	KUNIT_EXPECT_TRUE(test, khcl_vmb_server_gpadl(&s, 5) == NULL);
	KUNIT_EXPECT_TRUE(test, khcl_vmb_server_gpadl(&s, 9) != NULL);
	KUNIT_EXPECT_EQ(test, st.mapped, 1);
	KUNIT_EXPECT_EQ(test, khcl_vmb_server_offer(&s, &o, NULL), 1);
	st_teardown_server(test, &s);
}

/* Sub-channels: offered while the primary is open, gone with it. */
static void vmb_subchannels(struct kunit *test)
{
	struct khcl_vmb_offer_channel *oc;
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	struct khcl_vmb_offer o;
	int dummy, relid;
	u32 i, n;

	st_setup(test, &s);
	/* only an open primary can have sub-channels */
	KUNIT_EXPECT_EQ(test, khcl_vmb_server_offer_sub(&s, 1, &dummy),
			-ENOTCONN);
	KUNIT_EXPECT_EQ(test, khcl_vmb_server_offer_sub(&s, 9, &dummy),
			-ENOTCONN);
	KUNIT_ASSERT_EQ(test, st_gpadl(&s, 1, 5, 0x100, 8), 0);
	KUNIT_ASSERT_EQ(test, st_open_chan(&s, 1, 5, 4), 0);
	for (i = 0; i < 3; i++) {
		n = st.nlog;
		KUNIT_EXPECT_EQ(test, khcl_vmb_server_offer_sub(&s, 1, &dummy),
				(int)i + 2);
		KUNIT_ASSERT_EQ(test, st.nlog, n + 1);
		oc = st_last();
		KUNIT_EXPECT_EQ(test, oc->hdr.msgtype, KHCL_CHMSG_OFFERCHANNEL);
		KUNIT_EXPECT_EQ(test, oc->child_relid, i + 2);
		KUNIT_EXPECT_EQ(test, oc->connection_id, i + 2);
		KUNIT_EXPECT_EQ(test, oc->offer.sub_channel_index, i + 1);
		KUNIT_EXPECT_EQ(test, oc->offer.if_type.b[0], 0x42);
	}
	/* a sub-channel has no sub-channels */
	KUNIT_EXPECT_EQ(test, khcl_vmb_server_offer_sub(&s, 2, &dummy),
			-ENOTCONN);
	/* a sub-channel's ring is its own GPADL, not the primary's */
	KUNIT_EXPECT_NE(test, st_open_chan(&s, 2, 5, 4), 0);
	KUNIT_ASSERT_EQ(test, st_gpadl(&s, 2, 6, 0x200, 8), 0);
	KUNIT_EXPECT_EQ(test, st_open_chan(&s, 2, 6, 4), 0);
	KUNIT_EXPECT_EQ(test, st.opened, 2);
	KUNIT_EXPECT_NE(test, st_open_chan(&s, 2, 6, 4), 0);	/* double */

	/* closing the primary closes and rescinds its sub-channels */
	n = st.nlog;
	KUNIT_EXPECT_EQ(test, st_simple(&s, KHCL_CHMSG_CLOSECHANNEL, 1), 0);
	KUNIT_EXPECT_EQ(test, st.opened, 0);
	KUNIT_ASSERT_EQ(test, st.nlog, n + 3);
	for (i = 0; i < 3; i++) {
		struct khcl_vmb_relid_msg *m = (void *)st.log[n + i];

		KUNIT_EXPECT_EQ(test, m->hdr.msgtype,
				KHCL_CHMSG_RESCIND_CHANNELOFFER);
		KUNIT_EXPECT_EQ(test, m->child_relid, i + 2);
	}
	KUNIT_EXPECT_EQ(test, khcl_vmb_server_offer_sub(&s, 1, &dummy),
			-ENOTCONN);
	/* a relid the guest released is not reused before its owner frees it */
	KUNIT_EXPECT_NE(test, st_simple(&s, KHCL_CHMSG_RELID_RELEASED, 40), 0);
	for (i = 2; i <= 4; i++)
		KUNIT_EXPECT_EQ(test,
				st_simple(&s, KHCL_CHMSG_RELID_RELEASED, i), 0);
	KUNIT_EXPECT_EQ(test, st.nreleased, 3U);
	KUNIT_EXPECT_NE(test, st_simple(&s, KHCL_CHMSG_RELID_RELEASED, 2), 0);
	KUNIT_EXPECT_NE(test, st_open_chan(&s, 2, 6, 4), 0);
	memset(&o, 0, sizeof(o));
	KUNIT_EXPECT_EQ(test, khcl_vmb_server_offer(&s, &o, NULL), 5);
	for (i = 2; i <= 4; i++)
		khcl_vmb_server_chan_free(&s, i);
	KUNIT_EXPECT_EQ(test, khcl_vmb_server_offer(&s, &o, NULL), 2);

	/* the released sub-channel's ring GPADL went with it */
	KUNIT_EXPECT_TRUE(test, khcl_vmb_server_gpadl(&s, 6) == NULL);
	KUNIT_EXPECT_EQ(test, s.ngpadls, 1U);
	/* reopened, the primary gets fresh ones, index 1 again */
	KUNIT_ASSERT_EQ(test, st_open_chan(&s, 1, 5, 4), 0);
	KUNIT_EXPECT_EQ(test, khcl_vmb_server_offer_sub(&s, 1, &dummy), 3);
	KUNIT_EXPECT_EQ(test, ((struct khcl_vmb_offer_channel *)st_last())
			->offer.sub_channel_index, 1);
	/* the table fills up; nothing breaks */
	for (n = 0; n < 100; n++) {
		relid = khcl_vmb_server_offer_sub(&s, 1, &dummy);
		if (relid < 0)
			break;
	}
	KUNIT_EXPECT_EQ(test, relid, -ENOSPC);
	KUNIT_EXPECT_EQ(test, n, (u32)KHCL_VMB_MAX_CHANNELS - 4);

	/* unload: sub-channels are forgotten without a rescind */
	st.nreleased = 0;
	st.nlog = 0;
	KUNIT_EXPECT_EQ(test, st_simple(&s, KHCL_CHMSG_UNLOAD, 0), 0);
	KUNIT_EXPECT_EQ(test, st.nlog, 1U);
	KUNIT_EXPECT_EQ(test, st_last_type(), KHCL_CHMSG_UNLOAD_RESPONSE);
	KUNIT_EXPECT_EQ(test, st.nreleased, (u32)KHCL_VMB_MAX_CHANNELS - 3);
	KUNIT_EXPECT_EQ(test, st.opened, 0);
	for (i = 0; i < st.nreleased; i++)
		khcl_vmb_server_chan_free(&s, st.released[i]);
	/* the primaries are still offered */
	KUNIT_EXPECT_EQ(test, st_contact(&s, KHCL_VMB_V5_3), 0);
	KUNIT_EXPECT_EQ(test, st_simple(&s, KHCL_CHMSG_REQUESTOFFERS, 0), 0);
	KUNIT_EXPECT_EQ(test, s.chan[0].state, KHCL_CHAN_OFFERED);
	KUNIT_EXPECT_EQ(test, s.chan[1].state, KHCL_CHAN_OFFERED);
	KUNIT_EXPECT_EQ(test, s.chan[2].state, KHCL_CHAN_FREE);
	st_teardown_server(test, &s);
}

/*
 * A GPADL only for a channel the guest was offered: before REQUESTOFFERS
 * it names a relid it cannot know, and nothing it made may be inherited
 * by the next offer that reuses the relid (found by fuzz_vmbus_ctl).
 */
static void vmb_gpadl_unsent_offer(struct kunit *test)
{
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	struct khcl_vmb_offer o;

	memset(&st, 0, sizeof(st));
	memset(&o, 0, sizeof(o));
	KUNIT_ASSERT_EQ(test, khcl_vmb_server_init(&s, &st_ops, &st_lim, NULL),
			0);
	KUNIT_ASSERT_EQ(test, khcl_vmb_server_offer(&s, &o, NULL), 1);
	KUNIT_ASSERT_EQ(test, st_contact(&s, KHCL_VMB_V5_3), 0);
	KUNIT_EXPECT_NE(test, st_gpadl(&s, 1, 77, 0x100, 1), 0);
	st_expect_gpadl_refused(test, 1, 77);
	KUNIT_EXPECT_EQ(test, s.ngpadls, 0U);
	khcl_vmb_server_rescind(&s, 1);
	KUNIT_EXPECT_EQ(test, khcl_vmb_server_offer(&s, &o, NULL), 1);
	KUNIT_EXPECT_TRUE(test, !khcl_vmb_server_gpadl(&s, 77));
	st_teardown_server(test, &s);
}

/* HOSTILE.md (CVE-2018-0965): repeat bad requests, nothing grows. */
static void vmb_repeat_no_growth(struct kunit *test)
{
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	u32 i;

	st_setup(test, &s);
	for (i = 0; i < ST_REPEAT; i++) {
#ifdef __KERNEL__
		if (!(i % 256))
			cond_resched();	/* PREEMPT_NONE, KASAN, TCG: slow */
#endif
		st.nlog = 0;
		st_gpadl(&s, 1, 5, ST_VTL0_PFNS, 40);	/* refused */
		st_open_chan(&s, 1, 5, 4);		/* no such GPADL */
		st_teardown(&s, 1, 5);
		st_simple(&s, KHCL_CHMSG_CLOSECHANNEL, 1);
		st_gpadl(&s, 1, 6, 0x100, 30);		/* created ... */
		st_teardown(&s, 1, 6);			/* ... and torn down */
	}
	KUNIT_EXPECT_EQ(test, s.ngpadls, 0U);
	KUNIT_EXPECT_EQ(test, s.total_pages, 0ull);
	KUNIT_EXPECT_EQ(test, st.mapped, 0);
	KUNIT_EXPECT_EQ(test, s.errors[KHCL_VMB_ERR_GPADL], 3ull * ST_REPEAT);
	st_teardown_server(test, &s);
}

static struct kunit_case vmb_cases[] = {
	KUNIT_CASE(vmb_versions),
	KUNIT_CASE(vmb_offers),
	KUNIT_CASE(vmb_gpadl_multi),
	KUNIT_CASE(vmb_gpadl_hostile),
	KUNIT_CASE(vmb_open_close),
	KUNIT_CASE(vmb_unload_reconnect),
	KUNIT_CASE(vmb_guest_reset),
	KUNIT_CASE(vmb_malformed),
	KUNIT_CASE(vmb_rescind_modify),
	KUNIT_CASE(vmb_subchannels),
	KUNIT_CASE(vmb_gpadl_unsent_offer),
	KUNIT_CASE(vmb_repeat_no_growth),
	{}
};

static struct kunit_suite khcl_vmbus_server_suite = {
	.name = "khcl_vmbus_server",
	.test_cases = vmb_cases,
};
kunit_test_suite(khcl_vmbus_server_suite);

MODULE_DESCRIPTION("KUnit tests for the khcl VMBus control-protocol core");
MODULE_LICENSE("GPL");
