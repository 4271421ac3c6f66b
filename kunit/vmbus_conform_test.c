// SPDX-License-Identifier: GPL-2.0
/*
 * Conformance of vmbus_relay/server.c with the real client: every message
 * here is built the way Linux 6.12's hv_vmbus builds it (field for field,
 * zeros included; Documentation/notes/hv_vmbus-wire.md), and a real
 * client's sessions must go through without one refused message. Runs as
 * KUnit and in user space.
 */
#ifdef __KERNEL__
#include <kunit/test.h>
#else
#include "userspace/kunit_shim.h"
#endif
#include "../vmbus_relay/server.h"
#include "vmbus_server_harness.h"

/* vmbus_connection.next_gpadl_handle starts here (connection.c) */
#define HVC_GPADL_START		0xe1e10u
/* PFNs per message: (240 - header - gpa_range) / 8 and (240 - body) / 8 */
#define HVC_HDR_PFNS		26u
#define HVC_BODY_PFNS		28u
#define HVC_MSG_SINT		KHCL_VMBUS_SINT
#define HVC_CONN_ID_V4		1u	/* VMBUS_MESSAGE_CONNECTION_ID */

/* The defaults of the stock clients (4 KiB pages as the GPADL has them) */
#define HVC_STORVSC_RING	64u	/* 2 x VMBUS_RING_SIZE(128 KiB) */
#define HVC_NETVSC_RING		256u	/* 2 x VMBUS_RING_SIZE(128 x 4 KiB) */
#define HVC_NETVSC_RECV		4096u	/* NETVSC_RECEIVE_BUFFER_DEFAULT */
#define HVC_NETVSC_SEND		255u	/* 170 x 6144 B sections of 1 MiB */

/* vmbus_versions[] of connection.c, newest first */
static const u32 hvc_versions[] = {
	KHCL_VMB_V5_3, KHCL_VMB_V5_2, KHCL_VMB_V5_1, KHCL_VMB_V5_0,
	KHCL_VMB_V4_1, KHCL_VMB_WIN10, KHCL_VMB_WIN8_1, KHCL_VMB_WIN8,
};

/* The hv_vmbus client: what it remembers between messages. */
struct hvc {
	struct khcl_vmb_server *s;
	u32 version;
	u32 conn_id;		/* vmbus_connection.msg_conn_id */
	u32 next_gpadl;
	u32 bodies;		/* GPADL_BODY messages of the last GPADL */
};

static int hvc_post(struct hvc *c, const void *msg, u32 len)
{
	return khcl_vmb_server_rx(c->s, c->conn_id, msg, len);
}

/*
 * vmbus_connect(): each version newest first until one is accepted.
 * Returns how many were refused, or -1 if none was accepted.
 */
static int hvc_connect(struct kunit *test, struct hvc *c)
{
	struct khcl_vmb_initiate_contact m;
	struct khcl_vmb_version_response *r;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(hvc_versions); i++) {
		u32 v = hvc_versions[i];

		/* vmbus_try_connection_id(): memset, then these fields */
		memset(&m, 0, sizeof(m));
		m.hdr.msgtype = KHCL_CHMSG_INITIATE_CONTACT;
		m.version_requested = v;
		if (v >= KHCL_VMB_V5_0) {
			m.msg_sint = HVC_MSG_SINT;
			m.msg_vtl = 0;		/* ms_hyperv.vtl of VTL0 */
			c->conn_id = KHCL_VMBUS_MSG_CONN_ID;
		} else {
			m.interrupt_page = 0x3fe1000;	/* virt_to_phys */
			c->conn_id = HVC_CONN_ID_V4;
		}
		m.monitor_page1 = 0x3fe2000;
		m.monitor_page2 = 0x3fe3000;
		m.target_vcpu = 0;	/* VP of VMBUS_CONNECT_CPU */
		KUNIT_EXPECT_EQ(test, hvc_post(c, &m, sizeof(m)), 0);
		r = st_last();
		KUNIT_EXPECT_EQ(test, r->hdr.msgtype,
				KHCL_CHMSG_VERSION_RESPONSE);
		if (!r->version_supported)
			continue;
		c->version = v;
		if (v >= KHCL_VMB_V5_0)
			c->conn_id = r->msg_conn_id;
		return i;
	}
	return -1;
}

static void hvc_simple(struct kunit *test, struct hvc *c, u32 type, u32 relid)
{
	struct khcl_vmb_relid_msg m;

	memset(&m, 0, sizeof(m));
	m.hdr.msgtype = type;
	m.child_relid = relid;
	KUNIT_EXPECT_EQ(test, hvc_post(c, &m,
				       type == KHCL_CHMSG_REQUESTOFFERS ||
				       type == KHCL_CHMSG_UNLOAD ?
				       sizeof(m.hdr) : sizeof(m)), 0);
}

/*
 * __vmbus_establish_gpadl() of @npages from @pfn0, as create_gpadl_header()
 * splits it: up to 26 PFNs in the header, 28 per body, msgnumber never
 * set, range_buflen in a u16. Returns the GPADL_CREATED status (or -1 if
 * none came, which would hang the client).
 */
static s64 hvc_gpadl(struct hvc *c, u32 relid, u64 pfn0, u32 npages,
		     u32 *handle)
{
	u8 buf[KHCL_SYNIC_PAYLOAD];
	struct khcl_vmb_gpadl_header *h = (void *)buf;
	struct khcl_vmb_gpa_range *rg = (void *)(h + 1);
	struct khcl_vmb_gpadl_body *b = (void *)buf;
	struct khcl_vmb_gpadl_created *r;
	u32 n, i, done, sent0 = st.sent[KHCL_CHMSG_GPADL_CREATED];
	u64 v;

	*handle = c->next_gpadl++;
	n = npages < HVC_HDR_PFNS ? npages : HVC_HDR_PFNS;
	memset(buf, 0, sizeof(buf));
	h->hdr.msgtype = KHCL_CHMSG_GPADL_HEADER;
	h->child_relid = relid;
	h->gpadl = *handle;
	h->range_buflen = (u16)(sizeof(*rg) + (u64)npages * 8);
	h->rangecount = 1;
	rg->byte_offset = 0;
	rg->byte_count = npages * KHCL_HV_PAGE_SIZE;
	for (i = 0; i < n; i++) {
		v = pfn0 + i;
		memcpy((u8 *)(rg + 1) + 8 * i, &v, 8);
	}
	hvc_post(c, buf, sizeof(*h) + sizeof(*rg) + n * 8);
	c->bodies = 0;
	for (done = n; done < npages; done += n) {
		n = npages - done < HVC_BODY_PFNS ? npages - done :
						    HVC_BODY_PFNS;
		memset(buf, 0, sizeof(buf));
		b->hdr.msgtype = KHCL_CHMSG_GPADL_BODY;
		b->gpadl = *handle;
		for (i = 0; i < n; i++) {
			v = pfn0 + done + i;
			memcpy((u8 *)(b + 1) + 8 * i, &v, 8);
		}
		hvc_post(c, buf, sizeof(*b) + n * 8);
		c->bodies++;
	}
	/* exactly one answer, to this GPADL */
	if (st.sent[KHCL_CHMSG_GPADL_CREATED] != sent0 + 1)
		return -1;
	r = st_last();
	if (r->hdr.msgtype != KHCL_CHMSG_GPADL_CREATED ||
	    r->child_relid != relid || r->gpadl != *handle)
		return -1;
	return r->creation_status;
}

/* vmbus_teardown_gpadl(): TORNDOWN must come back for @handle. */
static void hvc_teardown(struct kunit *test, struct hvc *c, u32 relid,
			 u32 handle)
{
	struct khcl_vmb_gpadl_teardown m;
	struct khcl_vmb_gpadl_torndown *r;

	memset(&m, 0, sizeof(m));
	m.hdr.msgtype = KHCL_CHMSG_GPADL_TEARDOWN;
	m.child_relid = relid;
	m.gpadl = handle;
	KUNIT_EXPECT_EQ(test, hvc_post(c, &m, sizeof(m)), 0);
	r = st_last();
	KUNIT_EXPECT_EQ(test, r->hdr.msgtype, KHCL_CHMSG_GPADL_TORNDOWN);
	KUNIT_EXPECT_EQ(test, r->gpadl, handle);
	KUNIT_EXPECT_TRUE(test, !khcl_vmb_server_gpadl(c->s, handle));
}

/*
 * vmbus_open(): a ring GPADL of @pages (send ring first, each a header
 * page plus data), then OPENCHANNEL with openid = relid, the VP, offset
 * = send ring pages, zero user data (storvsc's properties are zeroed,
 * netvsc passes none). Returns the ring's GPADL handle.
 */
static u32 hvc_open(struct kunit *test, struct hvc *c, u32 relid, u64 pfn0,
		    u32 pages, u32 vp)
{
	struct khcl_vmb_open_channel m;
	struct khcl_vmb_open_result *r;
	u32 ring;

	KUNIT_EXPECT_EQ(test, hvc_gpadl(c, relid, pfn0, pages, &ring), 0);
	memset(&m, 0, sizeof(m));
	m.hdr.msgtype = KHCL_CHMSG_OPENCHANNEL;
	m.child_relid = relid;
	m.openid = relid;
	m.ringbuffer_gpadl = ring;
	m.target_vp = vp;
	m.downstream_ring_pageoffset = pages / 2;
	KUNIT_EXPECT_EQ(test, hvc_post(c, &m, sizeof(m)), 0);
	r = st_last();
	KUNIT_EXPECT_EQ(test, r->hdr.msgtype, KHCL_CHMSG_OPENCHANNEL_RESULT);
	KUNIT_EXPECT_EQ(test, r->child_relid, relid);
	KUNIT_EXPECT_EQ(test, r->openid, relid);
	KUNIT_EXPECT_EQ(test, r->status, 0U);
	return ring;
}

static const struct khcl_vmb_limits hvc_lim = {	/* khcl_vmbus defaults */
	.max_version = KHCL_VMB_V5_3, .max_gpadls = 512,
	.max_gpadl_pages = 16384, .max_total_pages = 262144, .max_vp = 2,
};

static u64 hvc_errors(struct khcl_vmb_server *s)
{
	u64 n = 0;
	u32 i;

	for (i = 0; i < KHCL_VMB_NERR; i++)
		n += s->errors[i];
	return n;
}

/* storvsc's and netvsc's class GUIDs only differ in byte 0 here */
static void hvc_offer_both(struct kunit *test, struct khcl_vmb_server *s)
{
	struct khcl_vmb_offer o;

	memset(&o, 0, sizeof(o));
	o.if_type.b[0] = 0xd9;		/* storage */
	KUNIT_ASSERT_EQ(test, khcl_vmb_server_offer(s, &o, NULL), 1);
	o.if_type.b[0] = 0x63;		/* network */
	KUNIT_ASSERT_EQ(test, khcl_vmb_server_offer(s, &o, NULL), 2);
}

static void hvc_start(struct kunit *test, struct khcl_vmb_server *s,
		      struct hvc *c, const struct khcl_vmb_limits *lim)
{
	memset(&st, 0, sizeof(st));
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->next_gpadl = HVC_GPADL_START;
	KUNIT_ASSERT_EQ(test, khcl_vmb_server_init(s, &st_ops, lim, NULL), 0);
	hvc_offer_both(test, s);
}

/* GPADLs of every size that matters, split exactly as Linux splits them */
static void conform_gpadl_sizes(struct kunit *test)
{
	static const u32 pages[] = { 1, 26, 27, 8191, 8192, 16384 };
	static const u32 bodies[] = { 0, 0, 1, 292, 292, 585 };
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	struct khcl_vmb_gpadl *g;
	struct hvc c;
	u32 i, j, h, bad;

	hvc_start(test, &s, &c, &hvc_lim);
	KUNIT_ASSERT_TRUE(test, hvc_connect(test, &c) == 0);
	hvc_simple(test, &c, KHCL_CHMSG_REQUESTOFFERS, 0);
	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		KUNIT_EXPECT_EQ(test, hvc_gpadl(&c, 2, 0x1000, pages[i], &h),
				0);
		KUNIT_EXPECT_EQ(test, c.bodies, bodies[i]);
		g = khcl_vmb_server_gpadl(&s, h);
		KUNIT_ASSERT_TRUE(test, g != NULL);
		KUNIT_EXPECT_EQ(test, g->npfns, pages[i]);
		KUNIT_EXPECT_EQ(test, g->byte_count, pages[i] * 4096);
		for (j = 0, bad = 0; j < pages[i]; j++)
			bad += g->pfns[j] != 0x1000ull + j;
		KUNIT_EXPECT_EQ(test, bad, 0U);
		hvc_teardown(test, &c, 2, h);
	}
	/* the u16 range_buflen: 8 + 8 x 8192 wraps to 8, 16384 to 8 too */
	KUNIT_EXPECT_EQ(test, (u16)(8 + 8 * 8192), 8);
	KUNIT_EXPECT_EQ(test, hvc_errors(&s), 0ull);
	KUNIT_EXPECT_EQ(test, s.ngpadls, 0U);
	khcl_vmb_server_destroy(&s);
	KUNIT_EXPECT_EQ(test, st.mapped, 0);
}

/*
 * One session of the stock clients at every version 6.12 negotiates:
 * storvsc and netvsc open with their default rings, netvsc maps its
 * receive and send buffers, target_cpu moves (4.1 and later), netvsc
 * closes, storvsc is rescinded and released, the guest unloads. Not one
 * message may be refused, and everything is freed.
 */
static void conform_sessions(struct kunit *test)
{
	struct khcl_vmb_limits lim = hvc_lim;
	struct khcl_vmb_modifychannel mc;
	struct khcl_vmb_offer_channel *oc;
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	u32 i, ring_s, ring_n, recv, send, n;
	struct hvc c;

	for (i = 0; i < ARRAY_SIZE(hvc_versions); i++) {
		lim.max_version = hvc_versions[i];
		hvc_start(test, &s, &c, &lim);
		KUNIT_EXPECT_EQ(test, hvc_connect(test, &c), (int)i);
		KUNIT_EXPECT_EQ(test, c.version, hvc_versions[i]);
		KUNIT_EXPECT_EQ(test, c.conn_id,
				c.version >= KHCL_VMB_V5_0 ?
				KHCL_VMBUS_MSG_CONN_ID : HVC_CONN_ID_V4);
		n = st.sent_total;
		hvc_simple(test, &c, KHCL_CHMSG_REQUESTOFFERS, 0);
		KUNIT_ASSERT_EQ(test, st.sent_total, n + 3);
		oc = (void *)st.log[st.nlog - 3];
		KUNIT_EXPECT_EQ(test, oc->hdr.msgtype, KHCL_CHMSG_OFFERCHANNEL);
		KUNIT_EXPECT_EQ(test, st.loglen[st.nlog - 3], 196U);
		KUNIT_EXPECT_EQ(test, st_last_type(),
				KHCL_CHMSG_ALLOFFERS_DELIVERED);

		ring_s = hvc_open(test, &c, 1, 0x1000, HVC_STORVSC_RING, 0);
		ring_n = hvc_open(test, &c, 2, 0x2000, HVC_NETVSC_RING, 1);
		KUNIT_EXPECT_EQ(test, hvc_gpadl(&c, 2, 0x10000, HVC_NETVSC_RECV,
						&recv), 0);
		KUNIT_EXPECT_EQ(test, hvc_gpadl(&c, 2, 0x20000, HVC_NETVSC_SEND,
						&send), 0);
		KUNIT_EXPECT_EQ(test, st.opened, 2);

		/* target_cpu_store(): refused by the client below 4.1 */
		if (c.version >= KHCL_VMB_V4_1) {
			memset(&mc, 0, sizeof(mc));
			mc.hdr.msgtype = KHCL_CHMSG_MODIFYCHANNEL;
			mc.child_relid = 2;
			mc.target_vp = 0;
			n = st.sent[KHCL_CHMSG_MODIFYCHANNEL_RESPONSE];
			KUNIT_EXPECT_EQ(test, hvc_post(&c, &mc, sizeof(mc)), 0);
			/* only 5.3 clients wait for an answer */
			KUNIT_EXPECT_EQ(test,
					st.sent[KHCL_CHMSG_MODIFYCHANNEL_RESPONSE],
					n + (c.version >= KHCL_VMB_V5_3));
			KUNIT_EXPECT_EQ(test, s.chan[1].target_vp, 0U);
		}

		/* netvsc_remove: buffers revoked and torn down, then close */
		hvc_teardown(test, &c, 2, recv);
		hvc_teardown(test, &c, 2, send);
		hvc_simple(test, &c, KHCL_CHMSG_CLOSECHANNEL, 2);
		hvc_teardown(test, &c, 2, ring_n);

		/* storvsc rescinded: close, no ring teardown, release */
		khcl_vmb_server_rescind(&s, 1);
		KUNIT_EXPECT_EQ(test, st_last_type(),
				KHCL_CHMSG_RESCIND_CHANNELOFFER);
		hvc_simple(test, &c, KHCL_CHMSG_CLOSECHANNEL, 1);
		hvc_simple(test, &c, KHCL_CHMSG_RELID_RELEASED, 1);
		KUNIT_EXPECT_TRUE(test, !khcl_vmb_server_gpadl(&s, ring_s));
		KUNIT_EXPECT_EQ(test, s.ngpadls, 0U);
		KUNIT_EXPECT_EQ(test, s.total_pages, 0ull);
		KUNIT_EXPECT_EQ(test, st.opened, 0);
		KUNIT_EXPECT_EQ(test, st.mapped, 0);

		/* module exit: UNLOAD, then RELID_RELEASED for each channel */
		hvc_simple(test, &c, KHCL_CHMSG_UNLOAD, 0);
		KUNIT_EXPECT_EQ(test, st_last_type(),
				KHCL_CHMSG_UNLOAD_RESPONSE);
		hvc_simple(test, &c, KHCL_CHMSG_RELID_RELEASED, 2);
		KUNIT_EXPECT_EQ(test, hvc_errors(&s), 0ull);
		khcl_vmb_server_destroy(&s);
	}
}

/*
 * What Linux does outside the happy path: it releases an offer it could
 * not set up (no rescind before), and an UNLOAD may come while no version
 * is agreed; it waits for UNLOAD_RESPONSE forever.
 */
static void conform_release_and_unload(struct kunit *test)
{
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	struct hvc c;
	u32 h, n;

	hvc_start(test, &s, &c, &hvc_lim);
	hvc_simple(test, &c, KHCL_CHMSG_UNLOAD, 0);
	KUNIT_EXPECT_EQ(test, st_last_type(), KHCL_CHMSG_UNLOAD_RESPONSE);
	KUNIT_ASSERT_TRUE(test, hvc_connect(test, &c) == 0);
	hvc_simple(test, &c, KHCL_CHMSG_REQUESTOFFERS, 0);
	/* storvsc's probe made a GPADL, then failed: the relid is let go */
	KUNIT_EXPECT_EQ(test, hvc_gpadl(&c, 1, 0x1000, 64, &h), 0);
	hvc_simple(test, &c, KHCL_CHMSG_RELID_RELEASED, 1);
	KUNIT_EXPECT_EQ(test, s.ngpadls, 0U);
	KUNIT_EXPECT_EQ(test, s.chan[0].state, KHCL_CHAN_OFFERED);
	/* the offer stands: a rescind of it now goes unsaid */
	n = st.sent_total;
	khcl_vmb_server_rescind(&s, 1);
	KUNIT_EXPECT_EQ(test, st.sent_total, n);
	KUNIT_EXPECT_EQ(test, s.chan[0].state, KHCL_CHAN_FREE);
	KUNIT_EXPECT_EQ(test, hvc_errors(&s), 0ull);
	khcl_vmb_server_destroy(&s);
	KUNIT_EXPECT_EQ(test, st.mapped, 0);
}

/*
 * Every request hv_vmbus waits for without a timeout gets exactly one
 * answer when khcl refuses it: a refusal by silence hangs the guest in
 * D state for good.
 */
static void conform_refusals_answered(struct kunit *test)
{
	struct khcl_vmb_limits lim = hvc_lim;
	struct khcl_vmb_modifychannel mc;
	struct khcl_vmb_open_channel oc;
	static struct khcl_vmb_server s;	/* 15 KiB: not on the stack */
	u32 h, ring, n;
	struct hvc c;

	lim.max_gpadls = 3;
	lim.max_gpadl_pages = 300;
	hvc_start(test, &s, &c, &lim);
	KUNIT_ASSERT_TRUE(test, hvc_connect(test, &c) == 0);
	hvc_simple(test, &c, KHCL_CHMSG_REQUESTOFFERS, 0);

	/* GPADL_HEADER: over the page limit, header and bodies sent */
	KUNIT_EXPECT_EQ(test, hvc_gpadl(&c, 2, 0x1000, 301, &h),
			(s64)KHCL_VMB_STATUS_UNSUCCESSFUL);
	KUNIT_EXPECT_EQ(test, st.sent[KHCL_CHMSG_GPADL_CREATED], 1U);
	/* ... PFNs outside VTL0 RAM */
	KUNIT_EXPECT_EQ(test, hvc_gpadl(&c, 2, ST_VTL0_PFNS - 1, 30, &h),
			(s64)KHCL_VMB_STATUS_UNSUCCESSFUL);
	/* ... a relid that is gone */
	KUNIT_EXPECT_EQ(test, hvc_gpadl(&c, 7, 0x1000, 30, &h),
			(s64)KHCL_VMB_STATUS_UNSUCCESSFUL);
	/* ... the GPADL table full */
	KUNIT_EXPECT_EQ(test, hvc_gpadl(&c, 2, 0x1000, 8, &h), 0);
	KUNIT_EXPECT_EQ(test, hvc_gpadl(&c, 2, 0x1000, 8, &h), 0);
	ring = h;
	KUNIT_EXPECT_EQ(test, hvc_gpadl(&c, 2, 0x1000, 8, &h), 0);
	KUNIT_EXPECT_EQ(test, hvc_gpadl(&c, 2, 0x1000, 30, &h),
			(s64)KHCL_VMB_STATUS_UNSUCCESSFUL);
	KUNIT_EXPECT_EQ(test, s.refused[KHCL_CHMSG_GPADL_HEADER], 4ull);

	/* OPENCHANNEL: a ring GPADL of another channel, a VP too high */
	memset(&oc, 0, sizeof(oc));
	oc.hdr.msgtype = KHCL_CHMSG_OPENCHANNEL;
	oc.child_relid = 1;
	oc.openid = 1;
	oc.ringbuffer_gpadl = ring;
	oc.downstream_ring_pageoffset = 4;
	n = st.sent[KHCL_CHMSG_OPENCHANNEL_RESULT];
	KUNIT_EXPECT_NE(test, hvc_post(&c, &oc, sizeof(oc)), 0);
	oc.child_relid = 2;
	oc.openid = 2;
	oc.target_vp = 2;
	KUNIT_EXPECT_NE(test, hvc_post(&c, &oc, sizeof(oc)), 0);
	KUNIT_EXPECT_EQ(test, st.sent[KHCL_CHMSG_OPENCHANNEL_RESULT], n + 2);
	KUNIT_EXPECT_EQ(test, ((struct khcl_vmb_open_result *)st_last())
			->status, KHCL_VMB_STATUS_UNSUCCESSFUL);

	/* MODIFYCHANNEL (5.3) of a channel that is not open */
	memset(&mc, 0, sizeof(mc));
	mc.hdr.msgtype = KHCL_CHMSG_MODIFYCHANNEL;
	mc.child_relid = 1;
	KUNIT_EXPECT_NE(test, hvc_post(&c, &mc, sizeof(mc)), 0);
	KUNIT_EXPECT_EQ(test, st_last_type(),
			KHCL_CHMSG_MODIFYCHANNEL_RESPONSE);

	/* GPADL_TEARDOWN of a handle khcl does not hold */
	n = st.sent[KHCL_CHMSG_GPADL_TORNDOWN];
	{
		struct khcl_vmb_gpadl_teardown t = {
			{ KHCL_CHMSG_GPADL_TEARDOWN, 0 }, 2, 0xdead
		};

		KUNIT_EXPECT_NE(test, hvc_post(&c, &t, sizeof(t)), 0);
		KUNIT_EXPECT_EQ(test, st.sent[KHCL_CHMSG_GPADL_TORNDOWN],
				n + 1);
	}

	/* INITIATE_CONTACT with a target VP it does not have */
	{
		struct khcl_vmb_initiate_contact m;

		memset(&m, 0, sizeof(m));
		m.hdr.msgtype = KHCL_CHMSG_INITIATE_CONTACT;
		m.version_requested = KHCL_VMB_V5_3;
		m.msg_sint = HVC_MSG_SINT;
		m.target_vcpu = 2;
		KUNIT_EXPECT_EQ(test, hvc_post(&c, &m, sizeof(m)), 0);
		KUNIT_EXPECT_EQ(test, ((struct khcl_vmb_version_response *)
				       st_last())->version_supported, 0);
	}
	khcl_vmb_server_destroy(&s);
	KUNIT_EXPECT_EQ(test, st.mapped, 0);
}

static struct kunit_case conform_cases[] = {
	KUNIT_CASE(conform_gpadl_sizes),
	KUNIT_CASE(conform_sessions),
	KUNIT_CASE(conform_refusals_answered),
	KUNIT_CASE(conform_release_and_unload),
	{}
};

static struct kunit_suite khcl_vmbus_conform_suite = {
	.name = "khcl_vmbus_conform",
	.test_cases = conform_cases,
};
kunit_test_suite(khcl_vmbus_conform_suite);

MODULE_DESCRIPTION("khcl VMBus server against messages built as hv_vmbus builds them");
MODULE_LICENSE("GPL");
