// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of mana_xlat/nvsp.c and rndis.c (NVSP and RNDIS control cores), driven the
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
	static struct khcl_nvsp_req r;	/* 1 KiB: off the stack */

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
	/* send buffer: mapped, then answered */
	KUNIT_EXPECT_EQ(test, nt_msg(test, &c, KHCL_NVSP_SEND_SEND_BUF, 57, 0,
				     &rp), KHCL_NVSP_MAP_SEND_BUF);
	KUNIT_EXPECT_EQ(test, c.send_gpadl, 57U);
	khcl_nvsp_send_buf_done(&c, 1 << 20, &rp);
	KUNIT_EXPECT_EQ(test, rp.type, (u32)KHCL_NVSP_SEND_SEND_BUF_COMPLETE);
	KUNIT_EXPECT_EQ(test, rp.send_buf_complete.status,
			(u32)KHCL_NVSP_STAT_SUCCESS);
	KUNIT_EXPECT_EQ(test, c.send_nsections, (1U << 20) / 6144);
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
	static struct khcl_nvsp_req r;	/* 1 KiB: off the stack */
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
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(r.buf.pfns, 1), 0x2001ull);
	nt_rndis(&p, 0, 5000, 2);
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_REPLY);
	/* a receive completion is only ever 108 */
	m.type = KHCL_NVSP_SEND_RNDIS_PKT_COMPLETE;
	m.init.min_ver = 1;
	nt_inband(&p, &m, 8, false);
	p.d.type = KHCL_VMPKT_COMP;
	p.d.trans_id = 3;
	/* ... for a section the guest does not have: counted, no answer */
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_NONE);
	KUNIT_EXPECT_EQ(test, c.errors[KHCL_NVSP_ERR_SECTION], 1ull);
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
	/* netvsc on NVSP 5 and later: room for revision 3 */
	n = nt_oid(msg, KHCL_RNDIS_MSG_QUERY, KHCL_OID_TCP_OFFLOAD_HW_CAPS,
		   info, sizeof(info));
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 24 + 156);
	KUNIT_EXPECT_EQ(test, out[24], KHCL_NDIS_OBJ_OFFLOAD);
	KUNIT_EXPECT_EQ(test, out[25], 3);
	KUNIT_EXPECT_EQ(test, out[26], 156);
	/* older: revision 1 */
	info[1] = 1;
	info[2] = 112;
	n = nt_oid(msg, KHCL_RNDIS_MSG_QUERY, KHCL_OID_TCP_OFFLOAD_HW_CAPS,
		   info, 112);
	KUNIT_EXPECT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 24 + 112);
	KUNIT_EXPECT_EQ(test, out[25], 1);
	KUNIT_EXPECT_EQ(test, out[26], 112);
	memset(info, 0, sizeof(info));
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

/*
 * ---- Conformance with Linux 6.12's netvsc (drivers/net/hyperv/) ----
 *
 * Every packet below is built the way netvsc.c and rndis_filter.c build
 * them, field by field, zeros included, with the lengths they post:
 * every NVSP message is the whole 40-byte struct nvsp_message (a union),
 * receive completions 8 bytes; every RNDIS control message is as long as
 * its msg_len, in a GPA-direct SEND_RNDIS_PKT.
 */

/* ver_list[] of netvsc_connect_vsp(), tried from the last entry down */
/*
 * The offloads: the capabilities khcl offers as netvsc reads them
 * (rndis_netdev_set_hwcaps: TCP4 checksum 0x14 and LSO v2 8023
 * encapsulation for TSO), the parameters the guest then sets (only
 * offloads offered may go on), and RESET's answer.
 */
static void rndis_offloads_reset(struct kunit *test)
{
	struct khcl_rndis_dev dev = { .initialized = true, .mtu = 1500 };
	struct khcl_rndis_query_complete *qc;
	u8 msg[256], out[KHCL_RNDIS_MAX_REPLY], par[28] = { 0x80, 3, 28 };
	u8 room[156] = { KHCL_NDIS_OBJ_OFFLOAD, 3, 156 };
	const u8 *caps = out + 24;
	u32 n, v, reset[3] = { KHCL_RNDIS_MSG_RESET, 12, 0 };

	qc = (void *)out;
	n = nt_oid(msg, KHCL_RNDIS_MSG_QUERY, KHCL_OID_TCP_OFFLOAD_HW_CAPS,
		   NULL, 0);
	KUNIT_ASSERT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 24 + 112);
	memcpy(&v, caps + 8, 4);
	KUNIT_EXPECT_EQ(test, v, 0U);		/* nothing offered */
	dev.offload_caps = KHCL_NV_OFF_CSUM | KHCL_NV_OFF_LSO;
	KUNIT_ASSERT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 24 + 112);
	memcpy(&v, caps + 8, 4);		/* csum.ip4_txcsum */
	KUNIT_EXPECT_EQ(test, v & 0x14, 0x14U);
	memcpy(&v, caps + 24, 4);		/* csum.ip6_txcsum */
	KUNIT_EXPECT_EQ(test, v & 0x15, 0x15U);
	memcpy(&v, caps + 80, 4);		/* lsov2.ip4_encap */
	KUNIT_EXPECT_EQ(test, v, 2U);
	memcpy(&v, caps + 84, 4);		/* lsov2.ip4_maxsz */
	KUNIT_EXPECT_EQ(test, v, 65536U);
	memcpy(&v, caps + 104, 4);		/* lsov2.ip6_opts */
	KUNIT_EXPECT_EQ(test, v & 5, 5U);
	/* RSC: in revision 3 only, both families */
	dev.offload_caps |= KHCL_NV_OFF_RSC;
	KUNIT_ASSERT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 24 + 112);
	n = nt_oid(msg, KHCL_RNDIS_MSG_QUERY, KHCL_OID_TCP_OFFLOAD_HW_CAPS,
		   room, sizeof(room));
	KUNIT_ASSERT_EQ(test, khcl_rndis_control(&dev, msg, n, out), 24 + 156);
	KUNIT_EXPECT_EQ(test, caps[1], 3);
	KUNIT_EXPECT_EQ(test, caps[144], 1);	/* rsc.ip4 */
	KUNIT_EXPECT_EQ(test, caps[145], 1);	/* rsc.ip6 */
	/* netvsc turns on TX+RX checksums, LSO v2 and RSC for both */
	par[4] = 1;
	par[5] = par[6] = par[7] = par[8] = 4;
	par[11] = par[12] = 2;
	par[22] = par[23] = 2;
	n = nt_oid(msg, KHCL_RNDIS_MSG_SET, KHCL_OID_TCP_OFFLOAD_PARAMETERS,
		   par, sizeof(par));
	khcl_rndis_control(&dev, msg, n, out);
	KUNIT_EXPECT_EQ(test, qc->status, 0U);
	KUNIT_EXPECT_EQ(test, dev.offloads, dev.offload_caps);
	/* ethtool -K lro off: only the RSC bytes, 1 */
	memset(par + 4, 0, sizeof(par) - 4);
	par[22] = par[23] = 1;
	n = nt_oid(msg, KHCL_RNDIS_MSG_SET, KHCL_OID_TCP_OFFLOAD_PARAMETERS,
		   par, sizeof(par));
	khcl_rndis_control(&dev, msg, n, out);
	KUNIT_EXPECT_EQ(test, qc->status, 0U);
	KUNIT_EXPECT_EQ(test, dev.offloads,
			(u32)(KHCL_NV_OFF_CSUM | KHCL_NV_OFF_LSO));
	par[22] = 3;
	n = nt_oid(msg, KHCL_RNDIS_MSG_SET, KHCL_OID_TCP_OFFLOAD_PARAMETERS,
		   par, sizeof(par));
	khcl_rndis_control(&dev, msg, n, out);
	KUNIT_EXPECT_EQ(test, qc->status, KHCL_RNDIS_STATUS_INVALID_DATA);
	par[22] = par[23] = 0;
	/* ethtool -K tso off: LSO v2 disabled, checksums unchanged */
	memset(par + 4, 0, sizeof(par) - 4);
	par[11] = par[12] = 1;
	n = nt_oid(msg, KHCL_RNDIS_MSG_SET, KHCL_OID_TCP_OFFLOAD_PARAMETERS,
		   par, sizeof(par));
	khcl_rndis_control(&dev, msg, n, out);
	KUNIT_EXPECT_EQ(test, dev.offloads, (u32)KHCL_NV_OFF_CSUM);
	/* a value no offload has, a short buffer, one never offered */
	par[5] = 5;
	n = nt_oid(msg, KHCL_RNDIS_MSG_SET, KHCL_OID_TCP_OFFLOAD_PARAMETERS,
		   par, sizeof(par));
	khcl_rndis_control(&dev, msg, n, out);
	KUNIT_EXPECT_EQ(test, qc->status, KHCL_RNDIS_STATUS_INVALID_DATA);
	par[5] = 4;
	n = nt_oid(msg, KHCL_RNDIS_MSG_SET, KHCL_OID_TCP_OFFLOAD_PARAMETERS,
		   par, 12);
	khcl_rndis_control(&dev, msg, n, out);
	KUNIT_EXPECT_EQ(test, qc->status, KHCL_RNDIS_STATUS_INVALID_DATA);
	dev.offload_caps = KHCL_NV_OFF_CSUM;
	par[11] = 2;
	n = nt_oid(msg, KHCL_RNDIS_MSG_SET, KHCL_OID_TCP_OFFLOAD_PARAMETERS,
		   par, sizeof(par));
	khcl_rndis_control(&dev, msg, n, out);
	KUNIT_EXPECT_EQ(test, qc->status, KHCL_RNDIS_STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, dev.offloads, (u32)KHCL_NV_OFF_CSUM);
	/* RESET: RESET_C {type, 16, status, addressing_reset}, no filter */
	dev.packet_filter = 0xd;
	KUNIT_ASSERT_EQ(test, khcl_rndis_control(&dev, (u8 *)reset, 12, out),
			16);
	memcpy(&v, out, 4);
	KUNIT_EXPECT_EQ(test, v, 0x80000006U);
	memcpy(&v, out + 8, 4);
	KUNIT_EXPECT_EQ(test, v, 0U);
	KUNIT_EXPECT_EQ(test, dev.packet_filter, 0U);
}

static const u32 nc_versions[] = {
	2, 0x30002, 0x40000, KHCL_NVSP_V5, KHCL_NVSP_V6, KHCL_NVSP_V61,
};

#define NC_MSG_LEN		40	/* sizeof(struct nvsp_message) */
#define NC_NO_RESPONSE		(~0ull - 2)	/* VMBUS_RQST_ID_NO_RESPONSE */
/*
 * vmbus_next_request_id(): the first free requestor slot is 0, so id 1;
 * a completed request frees it, so netvsc's sequential requests all go
 * out as 1.
 */
#define NC_RQST_ID		1ull
/* handles as vmbus_establish_gpadl() gives them out (any: khcl keeps them) */
#define NC_GPADL_RECV		0xe1e11u
#define NC_GPADL_SEND		0xe1e12u
#define NC_RECV_ID		0xcafe		/* NETVSC_RECEIVE_BUFFER_ID */
#define NC_SEND_ID		0		/* NETVSC_SEND_BUFFER_ID */
/* netvsc_init_buf(): roundup(9709 x 1728, PAGE_SIZE), 170 x 6144 */
#define NC_RECV_BUF		(16u << 20)
#define NC_SEND_BUF		(170u * 6144)
#define NC_SECTION		1728	/* netvsp_main.c's NV_SECTION */
#define NC_MTU_MIN		68	/* NETVSC_MTU_MIN (ETH_MIN_MTU) */
/* sizeof(struct rndis_message) + RNDIS_EXT_LEN */
#define NC_RNDIS_RESP_MAX	(52 + 4096)

static void nc_put32(u8 *p, u32 off, u32 v)
{
	memcpy(p + off, &v, sizeof(v));
}

static u32 nc_get32(const u8 *p, u32 off)
{
	u32 v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

/* vmbus_sendpacket(): inband, the 40-byte nvsp_message after 16 bytes */
static void nc_inband(struct nt_pkt *p, const struct khcl_nvsp_msg *m,
		      u64 trans_id, bool completion)
{
	memset(p, 0, sizeof(*p));
	p->d.type = KHCL_VMPKT_DATA_INBAND;
	p->d.offset8 = 16 >> 3;
	p->d.len8 = (16 + NC_MSG_LEN) >> 3;
	p->d.flags = completion ? KHCL_VMPKT_FLAG_COMPLETION_REQUESTED : 0;
	p->d.trans_id = trans_id;
	memcpy(p->body, m, NC_MSG_LEN);
	p->len = 16 + NC_MSG_LEN;
}

/* What netvsc_send_completion() needs of an answer: its type, and the
 * whole nvsp_message it copies (at least the size it checks).
 */
static void nc_comp_ok(struct kunit *test, const struct khcl_nvsp_msg *rp,
		       u32 type, u32 minlen)
{
	KUNIT_EXPECT_EQ(test, rp->type, type);
	KUNIT_EXPECT_EQ(test, sizeof(*rp), (size_t)NC_MSG_LEN);
	KUNIT_EXPECT_LE(test, minlen, (u32)sizeof(*rp));
}

/* One guest NVSP message: khcl must take it as it is. */
static int nc_post(struct kunit *test, struct khcl_nvsp_chan *c,
		   struct nt_pkt *p, struct khcl_nvsp_msg *rp)
{
	static struct khcl_nvsp_req r;	/* 1 KiB: off the stack */

	KUNIT_ASSERT_EQ(test, khcl_nvsp_parse(c, &p->d, p, p->len, &r), 0);
	return khcl_nvsp_control(c, &r, rp);
}

/*
 * negotiate_nvsp_ver(): memset, INIT with min = max = @ver, completion
 * requested. Returns whether khcl accepted it (status NVSP_STAT_SUCCESS,
 * all netvsc looks at); when it did, the NDIS_CONFIG that follows.
 */
static bool nc_negotiate(struct kunit *test, struct khcl_nvsp_chan *c,
			 u32 ver)
{
	struct khcl_nvsp_msg m, rp;
	struct nt_pkt p;
	u64 caps;

	memset(&m, 0, sizeof(m));
	m.type = KHCL_NVSP_INIT;
	m.init.min_ver = ver;
	m.init.max_ver = ver;
	nc_inband(&p, &m, NC_RQST_ID, true);
	KUNIT_EXPECT_EQ(test, nc_post(test, c, &p, &rp), KHCL_NVSP_REPLY);
	nc_comp_ok(test, &rp, KHCL_NVSP_INIT_COMPLETE, 4 + 12);
	if (rp.init_complete.status != KHCL_NVSP_STAT_SUCCESS)
		return false;

	/*
	 * NVSPv2 and later: SEND_NDIS_CONFIG {mtu = 1500 + ETH_HLEN,
	 * reserved, capability: ieee8021q; from v5 sriov (a guest without
	 * isolation) and teaming; from v6.1 rsc}, no completion.
	 */
	memset(&m, 0, sizeof(m));
	m.type = KHCL_NVSP_SEND_NDIS_CONFIG;
	nc_put32(m.raw, 0, 1514);
	caps = 1ull << 3;
	if (ver >= KHCL_NVSP_V5)
		caps |= 1ull << 2 | 1ull << 5;
	if (ver >= KHCL_NVSP_V61)
		caps |= 1ull << 7;
	memcpy(m.raw + 8, &caps, sizeof(caps));
	nc_inband(&p, &m, NC_NO_RESPONSE, false);
	KUNIT_EXPECT_EQ(test, nc_post(test, c, &p, &rp), KHCL_NVSP_NONE);
	KUNIT_EXPECT_EQ(test, c->mtu, 1514U);
	return true;
}

/*
 * netvsc_connect_vsp(): the versions of ver_list from index @first down
 * (5: what netvsc does; lower: where it would be after refusals) until
 * one is accepted; the NDIS version (6.1 up to NVSP 4, 6.30 after), no
 * completion; then netvsc_init_buf(): SEND_RECV_BUF, SEND_SEND_BUF, each
 * answered as netvsc checks it. Returns the version agreed, 0 for none
 * (netvsc: -EPROTO); *tries the INITs sent.
 */
static u32 nc_connect(struct kunit *test, struct khcl_nvsp_chan *c,
		      int first, u32 *tries)
{
	struct khcl_nvsp_msg m, rp;
	struct nt_pkt p;
	u32 ver = 0, ndis;
	int i;

	*tries = 0;
	for (i = first; i >= 0; i--) {
		(*tries)++;
		if (nc_negotiate(test, c, nc_versions[i])) {
			ver = nc_versions[i];
			break;
		}
	}
	if (!ver)
		return 0;
	KUNIT_EXPECT_EQ(test, c->version, ver);

	ndis = ver <= 0x40000 ? 0x00060001 : 0x0006001e;
	memset(&m, 0, sizeof(m));
	m.type = KHCL_NVSP_SEND_NDIS_VER;
	nc_put32(m.raw, 0, ndis >> 16);
	nc_put32(m.raw, 4, ndis & 0xffff);
	nc_inband(&p, &m, NC_NO_RESPONSE, false);
	KUNIT_EXPECT_EQ(test, nc_post(test, c, &p, &rp), KHCL_NVSP_NONE);
	KUNIT_EXPECT_EQ(test, c->ndis_major, 6U);
	KUNIT_EXPECT_EQ(test, c->ndis_minor, 30U);

	/* SEND_RECV_BUF {gpadl_handle, id 0xcafe}; mapped, then answered */
	memset(&m, 0, sizeof(m));
	m.type = KHCL_NVSP_SEND_RECV_BUF;
	m.buf.gpadl = NC_GPADL_RECV;
	m.buf.id = NC_RECV_ID;
	nc_inband(&p, &m, NC_RQST_ID, true);
	KUNIT_EXPECT_EQ(test, nc_post(test, c, &p, &rp),
			KHCL_NVSP_MAP_RECV_BUF);
	KUNIT_EXPECT_EQ(test, c->recv_gpadl, NC_GPADL_RECV);
	KUNIT_EXPECT_EQ(test, c->recv_id, NC_RECV_ID);
	khcl_nvsp_recv_buf_done(c, NC_RECV_BUF, NC_SECTION, &rp);
	nc_comp_ok(test, &rp, KHCL_NVSP_SEND_RECV_BUF_COMPLETE, 4 + 24);
	KUNIT_EXPECT_EQ(test, rp.recv_buf_complete.status,
			(u32)KHCL_NVSP_STAT_SUCCESS);
	/* one section, at 0; sections of at least NETVSC_MTU_MIN, inside */
	KUNIT_EXPECT_EQ(test, rp.recv_buf_complete.num_sections, 1U);
	KUNIT_EXPECT_EQ(test, rp.recv_buf_complete.offset, 0U);
	KUNIT_EXPECT_LE(test, (u32)NC_MTU_MIN,
			rp.recv_buf_complete.sub_alloc_size);
	KUNIT_EXPECT_LE(test, (u64)rp.recv_buf_complete.sub_alloc_size *
			rp.recv_buf_complete.num_sub_allocs, (u64)NC_RECV_BUF);
	KUNIT_EXPECT_NE(test, rp.recv_buf_complete.num_sub_allocs, 0U);

	/* SEND_SEND_BUF {gpadl_handle, id 0} */
	memset(&m, 0, sizeof(m));
	m.type = KHCL_NVSP_SEND_SEND_BUF;
	m.buf.gpadl = NC_GPADL_SEND;
	m.buf.id = NC_SEND_ID;
	nc_inband(&p, &m, NC_RQST_ID, true);
	KUNIT_EXPECT_EQ(test, nc_post(test, c, &p, &rp),
			KHCL_NVSP_MAP_SEND_BUF);
	KUNIT_EXPECT_EQ(test, c->send_gpadl, NC_GPADL_SEND);
	khcl_nvsp_send_buf_done(c, NC_SEND_BUF, &rp);
	nc_comp_ok(test, &rp, KHCL_NVSP_SEND_SEND_BUF_COMPLETE, 4 + 8);
	KUNIT_EXPECT_EQ(test, rp.send_buf_complete.status,
			(u32)KHCL_NVSP_STAT_SUCCESS);
	KUNIT_EXPECT_LE(test, (u32)NC_MTU_MIN,
			rp.send_buf_complete.section_size);
	/* send_section_cnt = buffer / section size: at least one */
	KUNIT_EXPECT_LE(test, rp.send_buf_complete.section_size, NC_SEND_BUF);
	return ver;
}

static void nc_no_errors(struct kunit *test, const struct khcl_nvsp_chan *c)
{
	u32 i;

	for (i = 0; i < KHCL_NVSP_NERR; i++)
		KUNIT_EXPECT_EQ(test, c->errors[i], 0ull);
}

static void nvsp_netvsc_612(struct kunit *test)
{
	struct khcl_nvsp_msg m, rp;
	struct khcl_nvsp_chan c;
	struct nt_pkt p;
	u32 tries;
	int first;

	KUNIT_EXPECT_EQ(test, sizeof(struct khcl_nvsp_msg), (size_t)NC_MSG_LEN);
	/*
	 * netvsc as it is starts at 6.1: accepted at the first INIT. 6.0
	 * and 5.0, as netvsc would send them after refusals: accepted too.
	 */
	for (first = 5; first >= 3; first--) {
		khcl_nvsp_chan_init(&c);
		KUNIT_EXPECT_EQ(test, nc_connect(test, &c, first, &tries),
				nc_versions[first]);
		KUNIT_EXPECT_EQ(test, tries, 1U);
		nc_no_errors(test, &c);
	}
	/*
	 * 4, 2 (0x30002) and 1 (2): refused, each with an INIT_COMPLETE
	 * netvsc reads as a refusal, so it goes on down the list and ends
	 * with -EPROTO. 6.12 never gets there: it starts at 6.1.
	 */
	khcl_nvsp_chan_init(&c);
	KUNIT_EXPECT_EQ(test, nc_connect(test, &c, 2, &tries), 0U);
	KUNIT_EXPECT_EQ(test, tries, 3U);
	KUNIT_EXPECT_EQ(test, c.version, 0U);
	nc_no_errors(test, &c);

	khcl_nvsp_chan_init(&c);
	KUNIT_ASSERT_EQ(test, nc_connect(test, &c, 5, &tries),
			(u32)KHCL_NVSP_V61);
	/*
	 * netvsc_send() of a frame copied into send section 0:
	 * netvsc_send_pkt() inband, {channel_type 0 (RMC_DATA),
	 * send_buf_section_index 0, send_buf_section_size = the RNDIS
	 * packet's length}, completion requested.
	 */
	memset(&m, 0, sizeof(m));
	m.type = KHCL_NVSP_SEND_RNDIS_PKT;
	m.rndis.channel_type = 0;
	m.rndis.section_index = 0;
	m.rndis.section_size = 44 + 42;		/* rndis_packet + ARP */
	nc_inband(&p, &m, NC_RQST_ID, true);
	KUNIT_EXPECT_EQ(test, nc_post(test, &c, &p, &rp),
			KHCL_NVSP_RNDIS_DATA);
	khcl_nvsp_rndis_complete(&rp, true);
	nc_comp_ok(test, &rp, KHCL_NVSP_SEND_RNDIS_PKT_COMPLETE, 4 + 4);
	KUNIT_EXPECT_EQ(test, rp.rndis_complete.status,
			(u32)KHCL_NVSP_STAT_SUCCESS);

	/*
	 * netvsc_device_remove(): netvsc_revoke_recv_buf() and
	 * netvsc_revoke_send_buf(), {id}, no completion.
	 */
	memset(&m, 0, sizeof(m));
	m.type = KHCL_NVSP_REVOKE_RECV_BUF;
	m.revoke.id = NC_RECV_ID;
	nc_inband(&p, &m, NC_NO_RESPONSE, false);
	KUNIT_EXPECT_EQ(test, nc_post(test, &c, &p, &rp),
			KHCL_NVSP_UNMAP_RECV_BUF);
	memset(&m, 0, sizeof(m));
	m.type = KHCL_NVSP_REVOKE_SEND_BUF;
	m.revoke.id = NC_SEND_ID;
	nc_inband(&p, &m, NC_NO_RESPONSE, false);
	KUNIT_EXPECT_EQ(test, nc_post(test, &c, &p, &rp),
			KHCL_NVSP_UNMAP_SEND_BUF);
	KUNIT_EXPECT_FALSE(test, c.recv_buf);
	KUNIT_EXPECT_FALSE(test, c.send_buf);
	nc_no_errors(test, &c);
}

/* ---- RNDIS, as rndis_filter.c sends it ---- */

struct nc_rndis {
	struct kunit *test;
	struct khcl_nvsp_chan c;
	struct khcl_rndis_dev dev;
	u32 ver;			/* NVSP version agreed */
	u32 req_id;			/* rndis_device.new_req_id */
	u32 pfn;			/* where the next request sits */
	u8 msg[256];			/* rndis_request.request_msg */
	u8 out[KHCL_RNDIS_MAX_REPLY];	/* khcl's answer */
	u8 res[512];			/* the caller's result buffer */
};

/*
 * get_rndis_request(): the request zeroed (kzalloc), ndis_msg_type,
 * msg_len, req_id = atomic_inc_return(&new_req_id).
 */
static u32 nc_request(struct nc_rndis *t, u32 type, u32 msg_len)
{
	memset(t->msg, 0, sizeof(t->msg));
	nc_put32(t->msg, 0, type);
	nc_put32(t->msg, 4, msg_len);
	nc_put32(t->msg, 8, ++t->req_id);
	return msg_len;
}

/*
 * rndis_filter_query_device() and the SETs: {oid, info_buflen,
 * info_buf_offset = sizeof(struct rndis_query_request) or
 * offsetof(struct rndis_set_request, info_buf), both 20 (from req_id),
 * dev_vc_handle 0}, the info buffer right after (byte 28).
 */
static u32 nc_oid(struct nc_rndis *t, u32 type, u32 oid, u32 buflen)
{
	u32 len = nc_request(t, type, 28 + buflen);

	nc_put32(t->msg, 12, oid);
	nc_put32(t->msg, 16, buflen);
	nc_put32(t->msg, 20, 20);
	nc_put32(t->msg, 24, 0);
	return len;
}

/*
 * rndis_filter_send_request() -> netvsc_send() -> netvsc_send_pkt():
 * the message at @off in its page as one page buffer {pfn, len =
 * msg_len, offset}; netvsc_build_mpb_array() makes it one range with
 * consecutive PFNs; vmbus_sendpacket_mpb_desc() sends it with the NVSP
 * SEND_RNDIS_PKT {channel_type 1 (RMC_CONTROL), section index
 * 0xffffffff, size 0}. khcl must take it, answer it, and complete the
 * packet; what it answers goes to netvsc through a receive section
 * (netvsc_receive(), rndis_filter_receive()), which netvsc then returns
 * with an 8-byte completion. Returns the answer's length (0: none).
 */
static int nc_rndis_send(struct nc_rndis *t, u32 len, u32 off)
{
	struct kunit *test = t->test;
	u32 npfns = (off + len + KHCL_HV_PAGE_SIZE - 1) >> 12;
	u32 rg[4] = { 0, 1, len, off }, desc = 32 + npfns * 8, i;
	struct khcl_nvsp_msg m, rp;
	static struct khcl_nvsp_req r;	/* 1 KiB: off the stack */
	struct nt_pkt p;
	int n, sec;
	u64 bad;

	memset(&m, 0, sizeof(m));
	m.type = KHCL_NVSP_SEND_RNDIS_PKT;
	m.rndis.channel_type = 1;
	m.rndis.section_index = KHCL_NVSP_NO_SECTION;
	m.rndis.section_size = 0;
	memset(&p, 0, sizeof(p));
	p.d.type = KHCL_VMPKT_DATA_USING_GPA_DIRECT;
	p.d.flags = KHCL_VMPKT_FLAG_COMPLETION_REQUESTED;
	p.d.offset8 = desc >> 3;
	p.d.len8 = (desc + NC_MSG_LEN + 7) >> 3;
	p.d.trans_id = NC_RQST_ID;
	memcpy(p.body, rg, sizeof(rg));
	for (i = 0; i < npfns; i++) {
		u64 pfn = t->pfn + i;

		memcpy(p.body + 16 + i * 8, &pfn, 8);
	}
	memcpy(p.body + desc - 16, &m, NC_MSG_LEN);
	p.len = desc + NC_MSG_LEN;
	t->pfn += 7;

	KUNIT_ASSERT_EQ(test, khcl_nvsp_parse(&t->c, &p.d, &p, p.len, &r), 0);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_control(&t->c, &r, &rp),
			KHCL_NVSP_RNDIS);
	KUNIT_EXPECT_EQ(test, r.rndis_len, len);
	KUNIT_EXPECT_EQ(test, r.buf.offset, off);
	KUNIT_EXPECT_EQ(test, r.buf.npfns, npfns);
	/* the caller copies r.rndis_len bytes out of those pages */
	n = khcl_rndis_control(&t->dev, t->msg, r.rndis_len, t->out);
	KUNIT_EXPECT_LE(test, 0, n);
	/* netvsc_send_completion() -> netvsc_send_tx_complete() */
	khcl_nvsp_rndis_complete(&rp, n >= 0);
	nc_comp_ok(test, &rp, KHCL_NVSP_SEND_RNDIS_PKT_COMPLETE, 4 + 4);
	KUNIT_EXPECT_EQ(test, rp.rndis_complete.status,
			(u32)KHCL_NVSP_STAT_SUCCESS);
	if (n <= 0)
		return n;

	/* netvsc_receive(): an NVSP SEND_RNDIS_PKT, within one section */
	khcl_nvsp_rndis_to_guest(&m);
	KUNIT_EXPECT_EQ(test, m.type, (u32)KHCL_NVSP_SEND_RNDIS_PKT);
	KUNIT_EXPECT_LE(test, (u32)n, (u32)NC_SECTION);
	/*
	 * send_recv_completions(): VM_PKT_COMP {108, status}, 8 bytes, no
	 * flags, the trans_id of khcl's transfer-page packet (netvsp_main.c
	 * uses the section + 1)
	 */
	sec = khcl_nvsp_section_get(&t->c, n);
	KUNIT_EXPECT_LE(test, 0, sec);
	memset(&m, 0, sizeof(m));
	m.type = KHCL_NVSP_SEND_RNDIS_PKT_COMPLETE;
	m.rndis_complete.status = KHCL_NVSP_STAT_SUCCESS;
	nc_inband(&p, &m, sec + 1, false);
	p.d.type = KHCL_VMPKT_COMP;
	p.d.len8 = (16 + 8) >> 3;
	p.len = 16 + 8;
	bad = t->c.errors[KHCL_NVSP_ERR_SECTION];
	KUNIT_EXPECT_EQ(test, nc_post(test, &t->c, &p, &rp), KHCL_NVSP_NONE);
	/* the section is free again, and that was no error */
	KUNIT_EXPECT_EQ(test, t->c.sections_busy, 0U);
	KUNIT_EXPECT_FALSE(test, khcl_nvsp_section_out(&t->c, sec));
	KUNIT_EXPECT_EQ(test, t->c.errors[KHCL_NVSP_ERR_SECTION], bad);
	return n;
}

/*
 * rndis_filter_receive() and rndis_filter_receive_response() on an answer
 * of @n bytes: msg_len at least the header, at most what arrived (the
 * section holds exactly the answer), a completion type it dispatches, a
 * req_id after the header that matches the request, msg_len within
 * sizeof(struct rndis_message) + RNDIS_EXT_LEN.
 */
static void nc_resp_ok(struct nc_rndis *t, int n, u32 type)
{
	struct kunit *test = t->test;
	u32 len = nc_get32(t->out, 4);

	KUNIT_ASSERT_TRUE(test, n >= 12);
	KUNIT_EXPECT_EQ(test, len, (u32)n);
	KUNIT_EXPECT_EQ(test, nc_get32(t->out, 0), type);
	KUNIT_EXPECT_EQ(test, nc_get32(t->out, 8), t->req_id);
	KUNIT_EXPECT_LE(test, len, (u32)NC_RNDIS_RESP_MAX);
}

/*
 * rndis_filter_query_device(): QUERY_C at least its 16 bytes after the
 * header, info_buflen no more than the caller's buffer (@room),
 * info_buf_offset (from req_id) at least 16 and the data inside
 * msg_len. Returns info_buflen, the data copied to @res.
 */
static u32 nc_query(struct nc_rndis *t, u32 oid, u32 inlen, u32 off,
		    u32 room, void *res)
{
	struct kunit *test = t->test;
	u32 msg_len, buflen, offset;
	int n;

	n = nc_rndis_send(t, nc_oid(t, KHCL_RNDIS_MSG_QUERY, oid, inlen),
			  off);
	nc_resp_ok(t, n, KHCL_RNDIS_MSG_QUERY | KHCL_RNDIS_COMPLETION);
	msg_len = n;
	KUNIT_ASSERT_TRUE(test, msg_len - 8 >= 16);
	buflen = nc_get32(t->out, 16);
	offset = nc_get32(t->out, 20);
	KUNIT_EXPECT_LE(test, buflen, room);
	KUNIT_EXPECT_LE(test, 16U, offset);
	KUNIT_ASSERT_TRUE(test, buflen <= room && offset >= 16 &&
			  msg_len - 8 >= offset &&
			  msg_len - 8 - offset >= buflen);
	memcpy(res, t->out + 8 + offset, buflen);
	return buflen;
}

/* A SET whose info buffer the caller filled in t->msg from byte 28. */
static u32 nc_set_status(struct nc_rndis *t, u32 len, u32 off)
{
	int n = nc_rndis_send(t, len, off);

	nc_resp_ok(t, n, KHCL_RNDIS_MSG_SET | KHCL_RNDIS_COMPLETION);
	return n >= 16 ? nc_get32(t->out, 12) : ~0u;
}

/*
 * rndis_filter_device_add() after netvsc_device_add(), then what
 * ndo_open, a MAC change and the removal send.
 */
static void nc_rndis_probe(struct nc_rndis *t)
{
	struct kunit *test = t->test;
	u8 *res = t->res;
	u32 len, v;
	int n;

	/* rndis_filter_init_device(): {1, 0, max_xfer_size 0x4000} */
	len = nc_request(t, KHCL_RNDIS_MSG_INIT, 8 + 16);
	nc_put32(t->msg, 12, 1);		/* RNDIS_MAJOR_VERSION */
	nc_put32(t->msg, 16, 0);		/* RNDIS_MINOR_VERSION */
	nc_put32(t->msg, 20, 0x4000);
	n = nc_rndis_send(t, len, 0x9b0);
	nc_resp_ok(t, n, KHCL_RNDIS_MSG_INIT | KHCL_RNDIS_COMPLETION);
	KUNIT_ASSERT_EQ(test, n, 52);
	KUNIT_EXPECT_EQ(test, nc_get32(t->out, 12), 0U);	/* status */
	/* max_pkt_per_msg; pkt_align = 1 << pkt_alignment_factor */
	KUNIT_EXPECT_NE(test, nc_get32(t->out, 32), 0U);
	KUNIT_EXPECT_LE(test, nc_get32(t->out, 40), 12U);

	/* RNDIS_OID_GEN_MAXIMUM_FRAME_SIZE, room sizeof(u32) */
	KUNIT_EXPECT_EQ(test, nc_query(t, KHCL_OID_GEN_MAXIMUM_FRAME_SIZE, 0,
				       0x5f0, 4, res), 4U);
	memcpy(&v, res, 4);
	KUNIT_EXPECT_EQ(test, v, 1500U);

	/* rndis_filter_query_device_mac(): PERMANENT_ADDRESS, ETH_ALEN */
	KUNIT_EXPECT_EQ(test, nc_query(t, KHCL_OID_802_3_PERMANENT_ADDRESS, 0,
				       0x1f8, 6, res), 6U);
	KUNIT_EXPECT_EQ(test, res[0], t->dev.mac[0]);
	KUNIT_EXPECT_EQ(test, res[5], t->dev.mac[5]);

	/* rndis_get_friendly_name(): room 256 UCS-2 characters */
	KUNIT_EXPECT_EQ(test, nc_query(t, KHCL_OID_GEN_FRIENDLY_NAME, 0,
				       0xc40, 512, res), 0U);

	/*
	 * rndis_query_hwcaps(): the info buffer carries an ndis_offload
	 * header {NDIS_OBJECT_TYPE_OFFLOAD, revision 3, NDIS_OFFLOAD_SIZE
	 * 156} for NVSP 5 and later; placed here across a page boundary.
	 * Checked: type, revision >= 1, 112 (NDIS_OFFLOAD_SIZE_6_0) <=
	 * size <= the length returned, room sizeof(struct ndis_offload).
	 */
	nc_oid(t, KHCL_RNDIS_MSG_QUERY, KHCL_OID_TCP_OFFLOAD_HW_CAPS, 156);
	t->msg[28] = KHCL_NDIS_OBJ_OFFLOAD;
	t->msg[29] = 3;
	t->msg[30] = 156;
	n = nc_rndis_send(t, 28 + 156, 0xfa0);
	nc_resp_ok(t, n, KHCL_RNDIS_MSG_QUERY | KHCL_RNDIS_COMPLETION);
	KUNIT_ASSERT_TRUE(test, n >= 24 + 4);
	len = nc_get32(t->out, 16);
	KUNIT_EXPECT_LE(test, len, 156U);
	KUNIT_EXPECT_EQ(test, nc_get32(t->out, 20), 16U);
	KUNIT_EXPECT_EQ(test, (u32)n, 24 + len);
	KUNIT_EXPECT_EQ(test, t->out[24], KHCL_NDIS_OBJ_OFFLOAD);
	KUNIT_EXPECT_LE(test, 1, t->out[25]);
	v = t->out[26] | t->out[27] << 8;
	KUNIT_EXPECT_LE(test, 112U, v);
	KUNIT_EXPECT_LE(test, v, len);

	/*
	 * rndis_filter_set_offload_params() from rndis_netdev_set_hwcaps():
	 * no capability offered, so only ip_v4_csum = TX_RX_DISABLED (1);
	 * header {NDIS_OBJECT_TYPE_DEFAULT, revision 3, size = extlen 28
	 * (sizeof(struct ndis_offload_params) from NVSP 5)}. The status
	 * must be success or the probe fails.
	 */
	len = nc_oid(t, KHCL_RNDIS_MSG_SET, KHCL_OID_TCP_OFFLOAD_PARAMETERS,
		     28);
	t->msg[28] = 0x80;
	t->msg[29] = 3;
	t->msg[30] = 28;
	t->msg[32] = 1;
	KUNIT_EXPECT_EQ(test, len, 56U);
	KUNIT_EXPECT_EQ(test, nc_set_status(t, len, 0x2c8), 0U);

	/* rndis_filter_query_device_link_status() -> rndis_set_link_state() */
	KUNIT_EXPECT_EQ(test, nc_query(t, KHCL_OID_GEN_MEDIA_CONNECT_STATUS,
				       0, 0x718, 4, res), 4U);
	KUNIT_EXPECT_EQ(test, nc_get32(t->out, 12), 0U);
	memcpy(&v, res, 4);
	KUNIT_EXPECT_EQ(test, v, 0U);		/* connected: link up */

	/* from NVSP 5: rndis_filter_query_link_speed(), 100 bps units */
	KUNIT_EXPECT_EQ(test, nc_query(t, KHCL_OID_GEN_LINK_SPEED, 0, 0x088,
				       4, res), 4U);
	memcpy(&v, res, 4);
	KUNIT_EXPECT_EQ(test, v, t->dev.link_speed);

	/*
	 * vRSS: OID_GEN_RECEIVE_SCALE_CAPABILITIES with an
	 * ndis_recv_scale_cap header {0x88, revision 2, 18}; room 18. No
	 * data (or num_recv_que < 2) means one channel, no SUBCHANNEL.
	 */
	nc_oid(t, KHCL_RNDIS_MSG_QUERY, KHCL_OID_GEN_RECEIVE_SCALE_CAPABILITIES,
	       18);
	t->msg[28] = 0x88;
	t->msg[29] = 2;
	t->msg[30] = 18;
	n = nc_rndis_send(t, 28 + 18, 0x3a0);
	nc_resp_ok(t, n, KHCL_RNDIS_MSG_QUERY | KHCL_RNDIS_COMPLETION);
	KUNIT_ASSERT_TRUE(test, n >= 24);
	KUNIT_EXPECT_LE(test, nc_get32(t->out, 16), 18U);
	KUNIT_EXPECT_LE(test, 16U, nc_get32(t->out, 20));
	/* answered: one receive queue (no sub-channels served yet) */
	KUNIT_EXPECT_EQ(test, nc_get32(t->out, 12), 0U);	/* SUCCESS */
	KUNIT_EXPECT_EQ(test, nc_get32(t->out, 16), 18U);
	KUNIT_EXPECT_EQ(test, t->out[24], 0x88);
	KUNIT_EXPECT_EQ(test, nc_get32(t->out, 24 + 12), 1U);

	/*
	 * ndo_open: rndis_filter_open_device() ->
	 * rndis_filter_set_packet_filter(BROADCAST | ALL_MULTICAST |
	 * DIRECTED), {info_buflen 4, info_buf_offset 20, the filter}.
	 */
	len = nc_oid(t, KHCL_RNDIS_MSG_SET, KHCL_OID_GEN_CURRENT_PACKET_FILTER,
		     4);
	nc_put32(t->msg, 28, 0x0d);
	KUNIT_EXPECT_EQ(test, len, 32U);
	KUNIT_EXPECT_EQ(test, nc_set_status(t, len, 0x640), 0U);
	KUNIT_EXPECT_EQ(test, t->dev.packet_filter, 0x0dU);

	/*
	 * rndis_filter_set_device_mac() (ip link set address):
	 * RNDIS_OID_GEN_RNDIS_CONFIG_PARAMETER, an rndis_config_parameter_info
	 * {name offset 20, name length 28, type 2 (string), value offset 48,
	 * value length 24} then "NetworkAddress" and the MAC in UTF-16.
	 * khcl does not take MAC changes: a clean SET_C failure (-EIO).
	 */
	len = nc_oid(t, KHCL_RNDIS_MSG_SET, 0x0001021b, 20 + 28 + 24);
	nc_put32(t->msg, 28, 20);
	nc_put32(t->msg, 32, 28);
	nc_put32(t->msg, 36, 2);
	nc_put32(t->msg, 40, 48);
	nc_put32(t->msg, 44, 24);
	for (v = 0; v < 14; v++)
		t->msg[48 + 2 * v] = "NetworkAddress"[v];
	for (v = 0; v < 12; v++)
		t->msg[76 + 2 * v] = "02aabbccddee"[v];
	KUNIT_EXPECT_EQ(test, len, 100U);
	KUNIT_EXPECT_NE(test, nc_set_status(t, len, 0xe58), 0U);

	/*
	 * rndis_filter_halt_device(): HALT, msg_len 12, halt_req.req_id set
	 * again (atomic_inc_return); no answer expected, but the packet's
	 * completion is: netvsc waits for it before it goes on.
	 */
	len = nc_request(t, KHCL_RNDIS_MSG_HALT, 8 + 4);
	nc_put32(t->msg, 8, ++t->req_id);
	KUNIT_EXPECT_EQ(test, nc_rndis_send(t, len, 0x170), 0);
	KUNIT_EXPECT_FALSE(test, t->dev.initialized);
}

static void rndis_netvsc_612(struct kunit *test)
{
	static const u8 mac[6] = { 0x00, 0x15, 0x5d, 0x6b, 0x68, 0x63 };
	struct nc_rndis rt, *t = &rt;
	u32 tries;
	int first;

	/* NVSP 6.1 (netvsc as it is), 6.0 and 5.0: the same RNDIS */
	for (first = 5; first >= 3; first--) {
		memset(t, 0, sizeof(*t));
		t->test = test;
		t->pfn = 0x3c000;
		memcpy(t->dev.mac, mac, sizeof(mac));
		t->dev.mtu = 1500;
		t->dev.link_up = true;
		t->dev.link_speed = 100000000;	/* 10 Gb/s in 100 bps */
		khcl_nvsp_chan_init(&t->c);
		t->ver = nc_connect(test, &t->c, first, &tries);
		KUNIT_ASSERT_EQ(test, t->ver, nc_versions[first]);
		nc_rndis_probe(t);
		KUNIT_EXPECT_EQ(test, t->dev.bad_msgs, 0ull);
		nc_no_errors(test, &t->c);
	}
}

/*
 * The receive sections khcl lends the guest: the first 64 of the buffer,
 * each out until the guest completes the transfer-page packet naming it
 * (trans_id section + 1), none twice, none without a buffer.
 */
static void nvsp_sections(struct kunit *test)
{
	struct khcl_nvsp_chan c;
	struct khcl_nvsp_msg rp, m;
	struct nt_pkt p;
	int i, sec;

	nt_connect(test, &c);
	KUNIT_EXPECT_EQ(test, c.nsections, (u32)KHCL_NVSP_SECTIONS);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_section_get(&c, 1729), -1);
	for (i = 0; i < KHCL_NVSP_SECTIONS; i++)
		KUNIT_EXPECT_EQ(test, khcl_nvsp_section_get(&c, 1728), i);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_section_get(&c, 100), -1);
	KUNIT_EXPECT_EQ(test, c.no_section, 1ull);
	/* the guest completes section 4 (trans_id 5): it is free again */
	memset(&m, 0, sizeof(m));
	m.type = KHCL_NVSP_SEND_RNDIS_PKT_COMPLETE;
	m.init.min_ver = 1;		/* status: success */
	nt_inband(&p, &m, 8, false);
	p.d.type = KHCL_VMPKT_COMP;
	p.d.trans_id = 5;
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_NONE);
	KUNIT_EXPECT_EQ(test, c.errors[KHCL_NVSP_ERR_SECTION], 0ull);
	sec = khcl_nvsp_section_get(&c, 8);
	KUNIT_EXPECT_EQ(test, sec, 4);
	/* twice, none, beyond: counted, nothing freed */
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_NONE);
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_NONE);
	p.d.trans_id = 0;
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_NONE);
	p.d.trans_id = KHCL_NVSP_SECTIONS + 1;
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_NONE);
	KUNIT_EXPECT_EQ(test, c.errors[KHCL_NVSP_ERR_SECTION], 3ull);
	KUNIT_EXPECT_EQ(test, c.sections_busy, (u32)KHCL_NVSP_SECTIONS - 1);
	KUNIT_EXPECT_FALSE(test, khcl_nvsp_section_out(&c, 4));
	KUNIT_EXPECT_TRUE(test, khcl_nvsp_section_out(&c, 5));
	/* a buffer of 3 sections lends 3 */
	nt_connect(test, &c);
	khcl_nvsp_recv_buf_done(&c, 3 * 1728 + 100, 1728, &rp);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, khcl_nvsp_section_get(&c, 1), i);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_section_get(&c, 1), -1);
	/* no buffer, no section */
	khcl_nvsp_chan_init(&c);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_section_get(&c, 1), -1);
}

/*
 * vRSS: netvsc's SUBCHANNEL {op 1 ALLOCATE, num} once, from NVSP 5 with a
 * receive buffer, answered {status, num offered}; a sub-channel takes data
 * and completions only (its completions go to the primary's sections);
 * SEND_INDIRECTION_TABLE {count 16, offset 40} then 16 channels in turn;
 * the RSS parameters netvsc then sets, folded to the channels open.
 */
static void nvsp_subchannels(struct kunit *test)
{
	static struct khcl_nvsp_chan c, sc;
	static struct khcl_rndis_dev dev = { .initialized = true };
	struct khcl_nvsp_msg rp, m = { .type = KHCL_NVSP_SUBCHANNEL };
	u8 tab[KHCL_NVSP_MSG_LEN + KHCL_NV_SEND_TAB * 4];
	static u8 msg[28 + 40 + 512 + 40], par[40 + 512 + 40];
	u8 out[KHCL_RNDIS_MAX_REPLY];
	struct nt_pkt p;
	u32 v, i;

	/* before INIT and the receive buffer: refused, FAIL */
	khcl_nvsp_chan_init(&c);
	m.subchannel.op = 1;
	m.subchannel.num = 1;
	nt_inband(&p, &m, 12, true);
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_REPLY);
	KUNIT_EXPECT_EQ(test, rp.type, (u32)KHCL_NVSP_SUBCHANNEL);
	KUNIT_EXPECT_EQ(test, rp.subchannel.op, (u32)KHCL_NVSP_STAT_FAIL);
	nt_connect(test, &c);
	m.subchannel.op = 2;		/* no such operation */
	nt_inband(&p, &m, 12, true);
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_REPLY);
	m.subchannel.op = 1;
	nt_inband(&p, &m, 12, true);
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_SUBCHANNELS);
	khcl_nvsp_subchannel_done(&c, 1, &rp);
	KUNIT_EXPECT_EQ(test, rp.type, (u32)KHCL_NVSP_SUBCHANNEL);
	KUNIT_EXPECT_EQ(test, rp.subchannel.op, (u32)KHCL_NVSP_STAT_SUCCESS);
	KUNIT_EXPECT_EQ(test, rp.subchannel.num, 1U);
	/* once per channel */
	KUNIT_EXPECT_EQ(test, nt_do(test, &c, &p, &rp), KHCL_NVSP_REPLY);
	KUNIT_EXPECT_EQ(test, rp.subchannel.op, (u32)KHCL_NVSP_STAT_FAIL);

	/* the sub-channel: INIT, buffers and RNDIS control refused */
	khcl_nvsp_sub_init(&sc, &c);
	KUNIT_EXPECT_EQ(test, sc.version, (u32)KHCL_NVSP_V61);
	KUNIT_EXPECT_EQ(test, nt_msg(test, &sc, KHCL_NVSP_INIT, KHCL_NVSP_V61,
				     KHCL_NVSP_V61, &rp), KHCL_NVSP_REPLY);
	KUNIT_EXPECT_EQ(test, rp.init_complete.negotiated_ver,
			(u32)KHCL_NVSP_STAT_FAIL);
	KUNIT_EXPECT_EQ(test, nt_msg(test, &sc, KHCL_NVSP_SEND_RECV_BUF, 56, 1,
				     &rp), KHCL_NVSP_REPLY);
	nt_rndis(&p, 0, 100, 1);
	KUNIT_EXPECT_EQ(test, nt_do(test, &sc, &p, &rp), KHCL_NVSP_REPLY);
	KUNIT_EXPECT_EQ(test, sc.errors[KHCL_NVSP_ERR_STATE], 3ull);
	KUNIT_EXPECT_EQ(test, sc.nsections, 0U);
	/* a completion on it: for the primary, not its own (empty) sections */
	memset(&m, 0, sizeof(m));
	m.type = KHCL_NVSP_SEND_RNDIS_PKT_COMPLETE;
	nt_inband(&p, &m, 8, false);
	p.d.type = KHCL_VMPKT_COMP;
	p.d.trans_id = 1;
	KUNIT_EXPECT_EQ(test, nt_do(test, &sc, &p, &rp), KHCL_NVSP_NONE);
	KUNIT_EXPECT_EQ(test, sc.errors[KHCL_NVSP_ERR_STATE], 4ull);
	KUNIT_ASSERT_EQ(test, khcl_nvsp_section_get(&c, 100), 0);
	khcl_nvsp_rx_done(&c, 1);
	KUNIT_EXPECT_EQ(test, c.sections_busy, 0U);

	/* where netvsc sends: SEND_INDIRECTION_TABLE over 2 channels */
	KUNIT_ASSERT_EQ(test, khcl_nvsp_send_table(tab, 2), 104U);
	memcpy(&v, tab, 4);
	KUNIT_EXPECT_EQ(test, v, (u32)KHCL_NVSP_SEND_INDIRECTION_TABLE);
	memcpy(&v, tab + 4, 4);
	KUNIT_EXPECT_EQ(test, v, 16U);
	memcpy(&v, tab + 8, 4);
	KUNIT_EXPECT_EQ(test, v, 40U);		/* as netvsc reads it on 6.1 */
	for (i = 0; i < 16; i++) {
		memcpy(&v, tab + 40 + i * 4, 4);
		KUNIT_EXPECT_EQ(test, v, i % 2);
	}

	/*
	 * rndis_set_rss_param_msg(): {0x89, rev 2, size 40}, flags 0,
	 * hashinfo Toeplitz | IPv4 | TCP4 | IPv6 | TCP6, a 128-entry table
	 * at 40 naming channels 0..3 (netvsc's view of 4), a 40-byte key
	 * after it: with 2 channels open every entry folds into 0..1.
	 */
	dev.nchan = 2;
	par[0] = KHCL_NDIS_OBJ_RSS_PARAM;
	par[1] = 2;
	par[2] = 40;
	v = KHCL_RSS_HASH_TOEPLITZ | KHCL_RSS_HASH_IPV4 |
	    KHCL_RSS_HASH_TCP_IPV4 | KHCL_RSS_HASH_IPV6 |
	    KHCL_RSS_HASH_TCP_IPV6;
	memcpy(par + 8, &v, 4);
	par[12] = 128 * 4 & 0xff;
	par[13] = 128 * 4 >> 8;
	par[16] = 40;
	par[20] = 40;
	v = 40 + 128 * 4;
	memcpy(par + 24, &v, 4);
	for (i = 0; i < 128; i++) {
		v = i % 4;
		memcpy(par + 40 + i * 4, &v, 4);
	}
	i = nt_oid(msg, KHCL_RNDIS_MSG_SET,
		   KHCL_OID_GEN_RECEIVE_SCALE_PARAMETERS, par, sizeof(par));
	KUNIT_ASSERT_EQ(test, khcl_rndis_control(&dev, msg, i, out), 16);
	memcpy(&v, out + 12, 4);
	KUNIT_EXPECT_EQ(test, v, 0U);		/* SUCCESS */
	KUNIT_EXPECT_TRUE(test, dev.rss.enabled);
	KUNIT_EXPECT_EQ(test, dev.rss.nent, 128U);
	for (i = 0; i < 128; i++)
		KUNIT_EXPECT_LE(test, (u32)dev.rss.table[i], 1U);
	KUNIT_EXPECT_EQ(test, dev.rss.clamped, 64ull);
}

static struct kunit_case netvsp_cases[] = {
	KUNIT_CASE(nvsp_handshake),
	KUNIT_CASE(nvsp_malformed),
	KUNIT_CASE(nvsp_sections),
	KUNIT_CASE(nvsp_subchannels),
	KUNIT_CASE(rndis_sequence),
	KUNIT_CASE(rndis_hostile),
	KUNIT_CASE(rndis_offloads_reset),
	KUNIT_CASE(nvsp_netvsc_612),
	KUNIT_CASE(rndis_netvsc_612),
	{}
};

static struct kunit_suite khcl_netvsp_suite = {
	.name = "khcl_netvsp",
	.test_cases = netvsp_cases,
};
kunit_test_suite(khcl_netvsp_suite);

MODULE_DESCRIPTION("KUnit tests for the khcl NVSP and RNDIS cores");
MODULE_LICENSE("GPL");
