// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of mana_xlat/netvsp.c (NVSP and RNDIS control cores), driven the
 * way Linux's netvsc probes a NIC and the way a hostile guest would:
 * out of order, truncated, unknown OIDs (CVE-2021-28476), lengths that
 * are not whole addresses (CVE-2016-0088), info buffers pointing outside
 * the message (CVE-2016-0089), ranges whose PFN list does not match.
 * Runs as KUnit and in user space.
 */
#ifdef __KERNEL__
#include <kunit/test.h>
#else
#include "userspace/kunit_shim.h"
#endif
#include "../mana_xlat/netvsp.h"

struct nt_pkt {
	struct khcl_vmpkt_desc d;
	u8 body[512];
	u32 len;
};

static void nt_inband(struct nt_pkt *p, const struct khcl_nvsp_msg *m,
		      u32 mlen, bool completion)
{
	memset(p, 0, sizeof(*p));
	p->d.type = KHCL_VMPKT_DATA_INBAND;
	p->d.offset8 = 2;
	p->d.flags = completion ? KHCL_VMPKT_FLAG_COMPLETION_REQUESTED : 0;
	p->d.trans_id = 7;
	memcpy(p->body, m, mlen);
	p->len = sizeof(p->d) + mlen;
}

/* SEND_RNDIS_PKT (control) naming @npfns pages for @len bytes at @off. */
static void nt_rndis(struct nt_pkt *p, u32 off, u32 len, u32 npfns)
{
	u32 rg[4] = { 0, 1, len, off }, i, desc = 32 + npfns * 8;
	struct khcl_nvsp_msg m = { .type = KHCL_NVSP_SEND_RNDIS_PKT };

	m.rndis.channel_type = 1;
	m.rndis.section_index = KHCL_NVSP_NO_SECTION;
	memset(p, 0, sizeof(*p));
	p->d.type = KHCL_VMPKT_DATA_USING_GPA_DIRECT;
	p->d.offset8 = desc / 8;
	p->d.flags = KHCL_VMPKT_FLAG_COMPLETION_REQUESTED;
	p->d.trans_id = 9;
	memcpy(p->body, rg, sizeof(rg));
	for (i = 0; i < npfns; i++) {
		u64 pfn = 0x2000 + i;

		memcpy(p->body + 16 + i * 8, &pfn, 8);
	}
	memcpy(p->body + desc - 16, &m, sizeof(m));
	p->len = desc + sizeof(m);
}

static int nt_do(struct kunit *test, struct khcl_nvsp_chan *c,
		 struct nt_pkt *p, struct khcl_nvsp_msg *reply)
{
	struct khcl_nvsp_req r;

	if (khcl_nvsp_parse(c, &p->d, p, p->len, &r))
		return -1;
	return khcl_nvsp_control(c, &r, reply);
}

static int nt_msg(struct kunit *test, struct khcl_nvsp_chan *c, u32 type,
		  u32 a, u32 b, struct khcl_nvsp_msg *reply)
{
	struct khcl_nvsp_msg m = { .type = type };
	struct nt_pkt p;

	m.init.min_ver = a;
	m.init.max_ver = b;
	nt_inband(&p, &m, sizeof(m), true);
	return nt_do(test, c, &p, reply);
}

/* netvsc's sequence up to the receive buffer */
static void nt_connect(struct kunit *test, struct khcl_nvsp_chan *c)
{
	struct khcl_nvsp_msg rp;

	khcl_nvsp_chan_init(c);
	KUNIT_ASSERT_EQ(test, nt_msg(test, c, KHCL_NVSP_INIT, KHCL_NVSP_V61,
				     KHCL_NVSP_V61, &rp), KHCL_NVSP_REPLY);
	KUNIT_ASSERT_EQ(test, nt_msg(test, c, KHCL_NVSP_SEND_RECV_BUF, 55,
				     0xcafe, &rp), KHCL_NVSP_MAP_RECV_BUF);
	khcl_nvsp_recv_buf_done(c, 16 << 20, 1728, &rp);
}

static void nvsp_handshake(struct kunit *test)
{
	struct khcl_nvsp_msg rp, m;
	struct khcl_nvsp_chan c;
	struct nt_pkt p;

	khcl_nvsp_chan_init(&c);
	/* before INIT nothing else goes */
	KUNIT_EXPECT_EQ(test, nt_msg(test, &c, KHCL_NVSP_SEND_SEND_BUF, 3, 0,
				     &rp), KHCL_NVSP_REPLY);
	KUNIT_EXPECT_EQ(test, rp.send_buf_complete.status,
			(u32)KHCL_NVSP_STAT_FAIL);
	/* 6.1 accepted; a range, an old and an unknown version refused */
	nt_msg(test, &c, KHCL_NVSP_INIT, KHCL_NVSP_V2, KHCL_NVSP_V61, &rp);
	KUNIT_EXPECT_EQ(test, rp.init_complete.status,
			(u32)KHCL_NVSP_STAT_FAIL);
	nt_msg(test, &c, KHCL_NVSP_INIT, 0x30002, 0x30002, &rp);
	KUNIT_EXPECT_EQ(test, rp.init_complete.status,
			(u32)KHCL_NVSP_STAT_FAIL);
	nt_msg(test, &c, KHCL_NVSP_INIT, 0x70000, 0x70000, &rp);
	KUNIT_EXPECT_EQ(test, rp.init_complete.status,
			(u32)KHCL_NVSP_STAT_FAIL);
	KUNIT_EXPECT_EQ(test, nt_msg(test, &c, KHCL_NVSP_INIT, KHCL_NVSP_V61,
				     KHCL_NVSP_V61, &rp), KHCL_NVSP_REPLY);
	KUNIT_EXPECT_EQ(test, rp.type, (u32)KHCL_NVSP_INIT_COMPLETE);
	KUNIT_EXPECT_EQ(test, rp.init_complete.status,
			(u32)KHCL_NVSP_STAT_SUCCESS);
	KUNIT_EXPECT_EQ(test, rp.init_complete.negotiated_ver,
			(u32)KHCL_NVSP_V61);
	/* once */
	nt_msg(test, &c, KHCL_NVSP_INIT, KHCL_NVSP_V6, KHCL_NVSP_V6, &rp);
	KUNIT_EXPECT_EQ(test, rp.init_complete.status,
			(u32)KHCL_NVSP_STAT_FAIL);
	/* NDIS config and version: no answer */
	memset(&m, 0, sizeof(m));
	m.type = KHCL_NVSP_SEND_NDIS_CONFIG;
	m.init.min_ver = 1514;
	nt_inband(&p, &m, sizeof(m), false);
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_NONE);
	KUNIT_EXPECT_EQ(test, c.mtu, 1514U);
	KUNIT_EXPECT_EQ(test, nt_msg(test, &c, KHCL_NVSP_SEND_NDIS_VER, 6, 30,
				     &rp), KHCL_NVSP_NONE);
	KUNIT_EXPECT_EQ(test, c.ndis_minor, 30U);
	/* receive buffer: mapped by the caller, then announced */
	KUNIT_EXPECT_EQ(test, nt_msg(test, &c, KHCL_NVSP_SEND_RECV_BUF, 55,
				     0xcafe, &rp), KHCL_NVSP_MAP_RECV_BUF);
	KUNIT_EXPECT_EQ(test, c.recv_gpadl, 55U);
	KUNIT_EXPECT_EQ(test, c.recv_id, 0xcafe);
	khcl_nvsp_recv_buf_done(&c, 16 << 20, 1728, &rp);
	KUNIT_EXPECT_EQ(test, rp.type, (u32)KHCL_NVSP_SEND_RECV_BUF_COMPLETE);
	KUNIT_EXPECT_EQ(test, rp.recv_buf_complete.status,
			(u32)KHCL_NVSP_STAT_SUCCESS);
	KUNIT_EXPECT_EQ(test, rp.recv_buf_complete.num_sections, 1U);
	KUNIT_EXPECT_EQ(test, rp.recv_buf_complete.offset, 0U);
	KUNIT_EXPECT_EQ(test, rp.recv_buf_complete.sub_alloc_size, 1728U);
	KUNIT_EXPECT_EQ(test, rp.recv_buf_complete.num_sub_allocs,
			(16U << 20) / 1728);
	/* a second one is refused */
	KUNIT_EXPECT_EQ(test, nt_msg(test, &c, KHCL_NVSP_SEND_RECV_BUF, 56,
				     0xcafe, &rp), KHCL_NVSP_REPLY);
	KUNIT_EXPECT_EQ(test, rp.recv_buf_complete.status,
			(u32)KHCL_NVSP_STAT_FAIL);
	/* send buffer */
	nt_msg(test, &c, KHCL_NVSP_SEND_SEND_BUF, 57, 0, &rp);
	KUNIT_EXPECT_EQ(test, rp.send_buf_complete.status,
			(u32)KHCL_NVSP_STAT_SUCCESS);
	KUNIT_EXPECT_EQ(test, rp.send_buf_complete.section_size, 6144U);
	/* a mapping that failed is announced as a failure */
	khcl_nvsp_recv_buf_done(&c, 0, 1728, &rp);
	KUNIT_EXPECT_EQ(test, rp.recv_buf_complete.status,
			(u32)KHCL_NVSP_STAT_FAIL);
	/* revoke with the wrong id, then the right one */
	khcl_nvsp_recv_buf_done(&c, 16 << 20, 1728, &rp);
	KUNIT_EXPECT_EQ(test, nt_msg(test, &c, KHCL_NVSP_REVOKE_RECV_BUF, 1, 0,
				     &rp), KHCL_NVSP_NONE);
	KUNIT_EXPECT_EQ(test, nt_msg(test, &c, KHCL_NVSP_REVOKE_RECV_BUF,
				     0xcafe, 0, &rp),
			KHCL_NVSP_UNMAP_RECV_BUF);
}

static void nvsp_malformed(struct kunit *test)
{
	struct khcl_nvsp_msg rp, m = { .type = KHCL_NVSP_INIT };
	struct khcl_nvsp_chan c;
	struct khcl_nvsp_req r;
	struct nt_pkt p;

	khcl_nvsp_chan_init(&c);
	/* truncated: no type, a type but no versions */
	nt_inband(&p, &m, 2, true);
	KUNIT_EXPECT_NE(test, khcl_nvsp_parse(&c, &p.d, &p, p.len, &r), 0);
	nt_inband(&p, &m, 8, true);
	KUNIT_EXPECT_NE(test, khcl_nvsp_parse(&c, &p.d, &p, p.len, &r), 0);
	KUNIT_EXPECT_EQ(test, c.errors[KHCL_NVSP_ERR_SHORT], 2ull);
	/* data offset out of the packet */
	nt_inband(&p, &m, sizeof(m), true);
	p.d.offset8 = 0xffff;
	KUNIT_EXPECT_NE(test, khcl_nvsp_parse(&c, &p.d, &p, p.len, &r), 0);
	/* host-only and unknown types */
	m.type = KHCL_NVSP_INIT_COMPLETE;
	nt_inband(&p, &m, sizeof(m), true);
	KUNIT_EXPECT_NE(test, khcl_nvsp_parse(&c, &p.d, &p, p.len, &r), 0);
	m.type = 0xdead;
	nt_inband(&p, &m, sizeof(m), true);
	KUNIT_EXPECT_NE(test, khcl_nvsp_parse(&c, &p.d, &p, p.len, &r), 0);
	/* wrong packet types */
	m.type = KHCL_NVSP_INIT;
	nt_inband(&p, &m, sizeof(m), true);
	p.d.type = KHCL_VMPKT_DATA_USING_XFER_PAGES;
	KUNIT_EXPECT_NE(test, khcl_nvsp_parse(&c, &p.d, &p, p.len, &r), 0);
	nt_rndis(&p, 0, 28, 1);
	memcpy(p.body + 24, &m.type, 4);	/* INIT as GPA direct */
	KUNIT_EXPECT_NE(test, khcl_nvsp_parse(&c, &p.d, &p, p.len, &r), 0);
	/* control RNDIS before a receive buffer exists */
	nt_msg(test, &c, KHCL_NVSP_INIT, KHCL_NVSP_V5, KHCL_NVSP_V5, &rp);
	nt_rndis(&p, 0, 28, 1);
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_REPLY);
	KUNIT_EXPECT_EQ(test, rp.rndis_complete.status,
			(u32)KHCL_NVSP_STAT_FAIL);
	/* ranges: PFN short, PFN extra, offset past the page, two ranges */
	nt_connect(test, &c);
	nt_rndis(&p, 4000, 200, 1);
	KUNIT_EXPECT_NE(test, khcl_nvsp_parse(&c, &p.d, &p, p.len, &r), 0);
	nt_rndis(&p, 0, 200, 2);
	KUNIT_EXPECT_NE(test, khcl_nvsp_parse(&c, &p.d, &p, p.len, &r), 0);
	nt_rndis(&p, 4096, 200, 1);
	KUNIT_EXPECT_NE(test, khcl_nvsp_parse(&c, &p.d, &p, p.len, &r), 0);
	nt_rndis(&p, 0, 200, 1);
	p.body[4] = 2;
	KUNIT_EXPECT_NE(test, khcl_nvsp_parse(&c, &p.d, &p, p.len, &r), 0);
	KUNIT_EXPECT_EQ(test, c.errors[KHCL_NVSP_ERR_RANGE], 4ull);
	/* good: straddling two pages; too long for a control message */
	nt_rndis(&p, 4000, 200, 2);
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_RNDIS);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_parse(&c, &p.d, &p, p.len, &r), 0);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(r.pfns, 1), 0x2001ull);
	nt_rndis(&p, 0, 5000, 2);
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_REPLY);
	/* a receive completion is only ever 108 */
	m.type = KHCL_NVSP_SEND_RNDIS_PKT_COMPLETE;
	m.init.min_ver = 1;
	nt_inband(&p, &m, 8, false);
	p.d.type = KHCL_VMPKT_COMP;
	p.d.trans_id = 3;
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp),
			KHCL_NVSP_SECTION_DONE);
	m.type = KHCL_NVSP_INIT;
	nt_inband(&p, &m, 8, false);
	p.d.type = KHCL_VMPKT_COMP;
	KUNIT_EXPECT_NE(test, khcl_nvsp_parse(&c, &p.d, &p, p.len, &r), 0);
}

/* An RNDIS QUERY/SET of @oid with @n info bytes. */
static u32 nt_oid(u8 *buf, u32 type, u32 oid, const void *info, u32 n)
{
	struct khcl_rndis_oid_req q = {
		.h = { type, sizeof(q) + n, 42 }, .oid = oid,
		.info_buflen = n, .info_buf_offset = 20,
	};

	memcpy(buf, &q, sizeof(q));
	if (n)
		memcpy(buf + sizeof(q), info, n);
	return sizeof(q) + n;
}

static void rndis_sequence(struct kunit *test)
{
	struct khcl_rndis_dev dev = {
		.mac = { 2, 0x6b, 0x68, 0x63, 0x6c, 1 }, .mtu = 1500,
		.link_speed = 100000000,
	};
	struct khcl_rndis_init_req init = {
		.h = { KHCL_RNDIS_MSG_INIT, sizeof(init), 1 }, .major = 1,
		.max_xfer_size = 0x4000,
	};
	struct khcl_rndis_query_complete *qc;
	struct khcl_rndis_init_complete *ic;
	u8 msg[256], out[KHCL_RNDIS_MAX_REPLY], info[156] = { 0xa7, 3, 156 };
	u32 n, v;

	/* queries before INIT fail */
	n = nt_oid(msg, KHCL_RNDIS_MSG_QUERY, KHCL_OID_GEN_MAXIMUM_FRAME_SIZE,
		   NULL, 0);
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 24);
	qc = (void *)out;
	KUNIT_EXPECT_NE(test, qc->status, 0U);
	/* INIT */
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, (u8 *)&init,
						 sizeof(init), out), 52);
	ic = (void *)out;
	KUNIT_EXPECT_EQ(test, ic->h.type, 0x80000002U);
	KUNIT_EXPECT_EQ(test, ic->h.req_id, 1U);
	KUNIT_EXPECT_EQ(test, ic->status, 0U);
	KUNIT_EXPECT_EQ(test, ic->pkt_alignment_factor, 3U);
	/* the queries netvsc's probe makes, in order */
	n = nt_oid(msg, KHCL_RNDIS_MSG_QUERY, KHCL_OID_GEN_MAXIMUM_FRAME_SIZE,
		   NULL, 0);
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 28);
	KUNIT_EXPECT_EQ(test, qc->h.type, 0x80000004U);
	KUNIT_EXPECT_EQ(test, qc->h.req_id, 42U);
	KUNIT_EXPECT_EQ(test, qc->info_buflen, 4U);
	KUNIT_EXPECT_EQ(test, qc->info_buf_offset, 16U);
	memcpy(&v, out + 24, 4);
	KUNIT_EXPECT_EQ(test, v, 1500U);
	n = nt_oid(msg, KHCL_RNDIS_MSG_QUERY, KHCL_OID_802_3_PERMANENT_ADDRESS,
		   NULL, 0);
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 30);
	KUNIT_EXPECT_EQ(test, out[24], 2);
	KUNIT_EXPECT_EQ(test, out[29], 1);
	n = nt_oid(msg, KHCL_RNDIS_MSG_QUERY, KHCL_OID_GEN_FRIENDLY_NAME, NULL,
		   0);
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 24);
	KUNIT_EXPECT_EQ(test, qc->status, KHCL_RNDIS_STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, qc->info_buflen, 0U);
	n = nt_oid(msg, KHCL_RNDIS_MSG_QUERY, KHCL_OID_TCP_OFFLOAD_HW_CAPS,
		   info, sizeof(info));
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 24 + 112);
	KUNIT_EXPECT_EQ(test, out[24], KHCL_NDIS_OBJ_OFFLOAD);
	KUNIT_EXPECT_EQ(test, out[25], 1);
	KUNIT_EXPECT_EQ(test, out[26], 112);
	n = nt_oid(msg, KHCL_RNDIS_MSG_SET, KHCL_OID_TCP_OFFLOAD_PARAMETERS,
		   info, 28);
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 16);
	KUNIT_EXPECT_EQ(test, qc->h.type, 0x80000005U);
	KUNIT_EXPECT_EQ(test, qc->status, 0U);
	n = nt_oid(msg, KHCL_RNDIS_MSG_QUERY,
		   KHCL_OID_GEN_MEDIA_CONNECT_STATUS, NULL, 0);
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 28);
	memcpy(&v, out + 24, 4);
	KUNIT_EXPECT_EQ(test, v, 1U);		/* disconnected */
	v = 0x0d;
	n = nt_oid(msg, KHCL_RNDIS_MSG_SET, KHCL_OID_GEN_CURRENT_PACKET_FILTER,
		   &v, 4);
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 16);
	KUNIT_EXPECT_EQ(test, qc->status, 0U);
	KUNIT_EXPECT_EQ(test, dev.packet_filter, 0x0dU);
	/* HALT: no answer */
	init.h.type = KHCL_RNDIS_MSG_HALT;
	init.h.len = 12;
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, (u8 *)&init, 12, out),
			0);
	KUNIT_EXPECT_FALSE(test, dev.initialized);
}

static void rndis_hostile(struct kunit *test)
{
	struct khcl_rndis_dev dev = { .initialized = true, .mtu = 1500 };
	struct khcl_rndis_query_complete *qc;
	u8 msg[256], out[KHCL_RNDIS_MAX_REPLY], info[64] = { 0 };
	struct khcl_rndis_oid_req *q = (void *)msg;
	u32 n;

	qc = (void *)out;
	/* CVE-2021-28476: a host-internal OID with a pointer in it */
	n = nt_oid(msg, KHCL_RNDIS_MSG_SET, 0x00010270, info, 16);
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 16);
	KUNIT_EXPECT_EQ(test, qc->status, KHCL_RNDIS_STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, dev.unknown_oids, 1ull);
	/* CVE-2016-0088: a multicast list that is not whole addresses */
	n = nt_oid(msg, KHCL_RNDIS_MSG_SET, KHCL_OID_802_3_MULTICAST_LIST,
		   info, 10);
	khcl_rndis_control(&dev, msg, n, out);
	KUNIT_EXPECT_EQ(test, qc->status, KHCL_RNDIS_STATUS_INVALID_DATA);
	n = nt_oid(msg, KHCL_RNDIS_MSG_SET, KHCL_OID_802_3_MULTICAST_LIST,
		   info, 12);
	khcl_rndis_control(&dev, msg, n, out);
	KUNIT_EXPECT_EQ(test, qc->status, 0U);
	/* CVE-2016-0089: info offsets outside the message, wrapping */
	n = nt_oid(msg, KHCL_RNDIS_MSG_SET, KHCL_OID_GEN_CURRENT_PACKET_FILTER,
		   info, 4);
	q->info_buf_offset = 0x80808080;
	khcl_rndis_control(&dev, msg, n, out);
	KUNIT_EXPECT_EQ(test, qc->status, KHCL_RNDIS_STATUS_INVALID_DATA);
	q->info_buf_offset = 20;
	q->info_buflen = 0xfffffff0;
	khcl_rndis_control(&dev, msg, n, out);
	KUNIT_EXPECT_EQ(test, qc->status, KHCL_RNDIS_STATUS_INVALID_DATA);
	q->info_buflen = 4;
	q->info_buf_offset = 4;		/* inside the header */
	khcl_rndis_control(&dev, msg, n, out);
	KUNIT_EXPECT_EQ(test, qc->status, KHCL_RNDIS_STATUS_INVALID_DATA);
	/* a packet filter of the wrong size */
	n = nt_oid(msg, KHCL_RNDIS_MSG_SET, KHCL_OID_GEN_CURRENT_PACKET_FILTER,
		   info, 3);
	khcl_rndis_control(&dev, msg, n, out);
	KUNIT_EXPECT_EQ(test, qc->status, KHCL_RNDIS_STATUS_INVALID_DATA);
	/* msg_len beyond what arrived, below a header; truncated requests */
	n = nt_oid(msg, KHCL_RNDIS_MSG_QUERY, KHCL_OID_GEN_LINK_SPEED, NULL, 0);
	q->h.len = 1000;
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), -1);
	q->h.len = 4;
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), -1);
	q->h.len = 20;
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), -1);
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, 8, out), -1);
	/* data and host-only messages on the control path */
	q->h.len = 28;
	q->h.type = KHCL_RNDIS_MSG_PACKET;
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), -1);
	q->h.type = 0x80000004;
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), -1);
	KUNIT_EXPECT_EQ(test, dev.bad_msgs, 9ull);
}

static struct kunit_case netvsp_cases[] = {
	KUNIT_CASE(nvsp_handshake),
	KUNIT_CASE(nvsp_malformed),
	KUNIT_CASE(rndis_sequence),
	KUNIT_CASE(rndis_hostile),
	{}
};

static struct kunit_suite khcl_netvsp_suite = {
	.name = "khcl_netvsp",
	.test_cases = netvsp_cases,
};
kunit_test_suite(khcl_netvsp_suite);

MODULE_DESCRIPTION("KUnit tests for the khcl NVSP and RNDIS cores");
MODULE_LICENSE("GPL");
