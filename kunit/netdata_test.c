// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the network data path cores: data SEND_RNDIS_PKT parsing
 * (mana_xlat/nvsp.c: send sections, page ranges) and RNDIS PACKET
 * messages (mana_xlat/rndis_data.c: per-packet info, offloads, the RX
 * header). First the packets Linux 6.12's netvsc builds
 * (Documentation/notes/netvsc-datapath.md), then what a hostile guest
 * can send instead (HOSTILE.md: headers and lengths past the message,
 * per-packet info that loops or points outside, zero-length fragments,
 * offloads never offered). Runs as KUnit and in user space.
 */
#ifdef __KERNEL__
#include <kunit/test.h>
#else
#include "userspace/kunit_shim.h"
#endif
#include "../mana_xlat/netvsp.h"
#include "nd_csum_ref.h"

struct nd_pkt {
	struct khcl_vmpkt_desc d;
	u8 body[1024];
	u32 len;
};

struct nd_range {
	u32 len, off, npfns;		/* npfns 0: what len and off need */
};

static void nd_put32(u8 *p, u32 off, u32 v)
{
	memcpy(p + off, &v, sizeof(v));
}

/*
 * A data SEND_RNDIS_PKT as netvsc_send_pkt() sends it: GPA-direct with
 * @n ranges (none: inband), section @sec of @sec_len bytes.
 */
static void nd_data(struct nd_pkt *p, const struct nd_range *rg, u32 n,
		    u32 sec, u32 sec_len)
{
	struct khcl_nvsp_msg m = { .type = KHCL_NVSP_SEND_RNDIS_PKT };
	u32 at = 8, i, j, np;

	memset(p, 0, sizeof(*p));
	m.rndis.channel_type = 0;
	m.rndis.section_index = sec;
	m.rndis.section_size = sec_len;
	p->d.flags = KHCL_VMPKT_FLAG_COMPLETION_REQUESTED;
	p->d.trans_id = 5;
	if (!n) {
		p->d.type = KHCL_VMPKT_DATA_INBAND;
		p->d.offset8 = 2;
		memcpy(p->body, &m, sizeof(m));
		p->len = 16 + sizeof(m);
		return;
	}
	p->d.type = KHCL_VMPKT_DATA_USING_GPA_DIRECT;
	nd_put32(p->body, 4, n);
	for (i = 0; i < n; i++) {
		np = rg[i].npfns ? rg[i].npfns :
		     (rg[i].off + rg[i].len + 4095) / 4096;
		nd_put32(p->body, at, rg[i].len);
		nd_put32(p->body, at + 4, rg[i].off);
		at += 8;
		for (j = 0; j < np; j++) {
			u64 pfn = 0x3000 + i * 16 + j;

			memcpy(p->body + at, &pfn, 8);
			at += 8;
		}
	}
	p->d.offset8 = (16 + at) / 8;
	memcpy(p->body + at, &m, sizeof(m));
	p->len = 16 + at + sizeof(m);
}

/* netvsc's channel: 6.1, receive and send buffers mapped */
static void nd_chan(struct khcl_nvsp_chan *c)
{
	struct khcl_nvsp_msg rp;

	khcl_nvsp_chan_init(c);
	c->version = KHCL_NVSP_V61;
	khcl_nvsp_recv_buf_done(c, 16 << 20, 1728, &rp);
	khcl_nvsp_send_buf_done(c, 170 * 6144, &rp);
}

static int nd_post(struct khcl_nvsp_chan *c, struct nd_pkt *p,
		   struct khcl_nvsp_req *r)
{
	struct khcl_nvsp_msg rp;

	if (khcl_nvsp_parse(c, &p->d, p, p->len, r))
		return -1;
	return khcl_nvsp_control(c, r, &rp);
}

/* netvsc's RNDIS PACKET: header, @nppi entries {type, value}, frame */
static u32 nd_msg(u8 *b, u32 frame_len, const u32 *ppi, u32 nppi)
{
	struct khcl_rndis_packet m = { .type = KHCL_RNDIS_MSG_PACKET };
	struct khcl_rndis_ppi e = { .size = 16, .ppi_offset = 12 };
	u32 i, n = sizeof(m);

	for (i = 0; i < nppi; i++) {
		e.type = ppi[2 * i];
		e.value = ppi[2 * i + 1];
		memcpy(b + n, &e, sizeof(e));
		n += sizeof(e);
	}
	m.data_offset = n - 8;
	m.data_len = frame_len;
	m.ppi_offset = 36;
	m.ppi_len = n - sizeof(m);
	m.len = n + frame_len;
	memcpy(b, &m, sizeof(m));
	return m.len;
}

static int nd_parse(u8 *b, u32 avail, u32 offloads,
		    struct khcl_rndis_txinfo *t)
{
	u32 hl = avail < KHCL_RNDIS_TX_HDR_MAX ? avail : KHCL_RNDIS_TX_HDR_MAX;

	return khcl_rndis_tx_parse(b, hl, avail, 1518, offloads, t);
}

#define ND_OFF	(KHCL_NV_OFF_CSUM | KHCL_NV_OFF_LSO)
#define ND_DROP(d)	(-(int)(d) - 1)

static void netdata_netvsc_612(struct kunit *test)
{
	static u8 b[2048];
	struct khcl_nvsp_chan c;
	struct khcl_rndis_txinfo t;
	static struct khcl_nvsp_req r;	/* 1 KiB: off the stack */
	static struct nd_pkt p;
	/* header+PPIs in skb headroom, linear part, two page frags */
	const struct nd_range gpa[] = {
		{ 76, 0xfd0, 0 }, { 200, 0x10, 0 }, { 4096, 0, 0 }, { 9000, 0x800, 0 },
	};
	u32 hash_csum[] = { KHCL_PPI_HASH, 0x1234abcd,
			    KHCL_PPI_CSUM, KHCL_CSUM_TX_IPV4 | KHCL_CSUM_TX_TCP |
			    (34u << 16) };
	u32 lso[] = { KHCL_PPI_LSO, 1448 | (34u << 20) | KHCL_LSO_V2 };
	u32 lso6[] = { KHCL_PPI_LSO, 1428 | (54u << 20) | KHCL_LSO_V2 |
		       KHCL_LSO_IPV6 };
	u32 vlan[] = { KHCL_PPI_VLAN, (100u << 4) | 5 | (1u << 3) };
	u32 n, n2;

	nd_chan(&c);
	/* a small frame copied into send section 3: inband */
	nd_data(&p, NULL, 0, 3, 86);
	KUNIT_ASSERT_EQ(test, nd_post(&c, &p, &r), KHCL_NVSP_RNDIS_DATA);
	KUNIT_EXPECT_EQ(test, r.tx.section, 3U);
	KUNIT_EXPECT_EQ(test, r.tx.section_len, 86U);
	KUNIT_EXPECT_EQ(test, r.tx.nranges, 0U);
	KUNIT_EXPECT_EQ(test, r.tx.total, 86U);
	/* a large one from its pages: every range kept, in order */
	nd_data(&p, gpa, 4, KHCL_NVSP_NO_SECTION, 0);
	KUNIT_ASSERT_EQ(test, nd_post(&c, &p, &r), KHCL_NVSP_RNDIS_DATA);
	KUNIT_EXPECT_EQ(test, r.tx.nranges, 4U);
	KUNIT_EXPECT_EQ(test, r.tx.total, 76U + 200 + 4096 + 9000);
	KUNIT_EXPECT_EQ(test, r.tx.range[0].npfns, 2U);	/* crosses a page */
	KUNIT_EXPECT_EQ(test, r.tx.range[3].npfns, 3U);
	KUNIT_EXPECT_EQ(test, r.tx.range[3].offset, 0x800U);
	KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(r.tx.range[3].pfns, 2),
			0x3000ull + 3 * 16 + 2);
	/* pieces of the ranges, as the glue copies or maps them */
	{
		struct khcl_gpa_buf pc[4];

		KUNIT_EXPECT_EQ(test, khcl_nv_tx_pages(&r.tx, 0, 76, pc, 4), 1);
		KUNIT_EXPECT_EQ(test, pc[0].offset, 0xfd0U);
		KUNIT_EXPECT_EQ(test, pc[0].npfns, 2U);
		/* across ranges 0 and 1, from the second page of range 0 */
		KUNIT_ASSERT_EQ(test, khcl_nv_tx_pages(&r.tx, 70, 20, pc, 4), 2);
		KUNIT_EXPECT_EQ(test, pc[0].offset, 0x16U);
		KUNIT_EXPECT_EQ(test, pc[0].len, 6U);
		KUNIT_EXPECT_EQ(test, pc[0].npfns, 1U);
		KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(pc[0].pfns, 0),
				0x3000ull + 1);
		KUNIT_EXPECT_EQ(test, pc[1].offset, 0x10U);
		KUNIT_EXPECT_EQ(test, pc[1].len, 14U);
		/* inside range 3, its third page */
		KUNIT_ASSERT_EQ(test, khcl_nv_tx_pages(&r.tx, 76 + 200 + 4096 +
						       5000, 3000, pc, 4), 1);
		KUNIT_EXPECT_EQ(test, pc[0].offset, (0x800U + 5000) % 4096);
		KUNIT_EXPECT_EQ(test, khcl_gpa_buf_pfn(pc[0].pfns, 0),
				0x3000ull + 3 * 16 + 1);
		/* past the last range; more pieces than room */
		KUNIT_EXPECT_EQ(test, khcl_nv_tx_pages(&r.tx, 76 + 200 + 4096 +
						       8000, 1001, pc, 4), -1);
		KUNIT_EXPECT_EQ(test, khcl_nv_tx_pages(&r.tx, 0, 300, pc, 1),
				-1);
	}
	/* cp_partial: earlier messages and this header in the section */
	nd_data(&p, gpa + 2, 2, 0, 300);
	KUNIT_ASSERT_EQ(test, nd_post(&c, &p, &r), KHCL_NVSP_RNDIS_DATA);
	KUNIT_EXPECT_EQ(test, r.tx.total, 300U + 4096 + 9000);
	KUNIT_EXPECT_EQ(test, c.data_pkts, 3ull);

	/*
	 * SWITCH_DATA_PATH {129, active}: netvsc needs an empty completion
	 * (a non-empty one it would parse as NVSP and wait for ever)
	 */
	{
		struct khcl_nvsp_msg m = { .type = KHCL_NVSP_SWITCH_DATA_PATH };

		m.switch_dp.active = 1;
		memset(&p, 0, sizeof(p));
		p.d.type = KHCL_VMPKT_DATA_INBAND;
		p.d.offset8 = 2;
		p.d.flags = KHCL_VMPKT_FLAG_COMPLETION_REQUESTED;
		memcpy(p.body, &m, sizeof(m));
		p.len = 16 + sizeof(m);
		KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), KHCL_NVSP_SWITCH_DP);
		p.d.flags = 0;
		KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), KHCL_NVSP_NONE);
	}

	/* hash and TX checksum PPIs, TCP over IPv4 */
	n = nd_msg(b, 1514, hash_csum, 2);
	KUNIT_ASSERT_EQ(test, nd_parse(b, n, ND_OFF, &t), 0);
	KUNIT_EXPECT_EQ(test, t.msg_len, n);
	KUNIT_EXPECT_EQ(test, t.frame_off, 44U + 32);
	KUNIT_EXPECT_EQ(test, t.frame_len, 1514U);
	KUNIT_EXPECT_TRUE(test, t.csum);
	KUNIT_EXPECT_EQ(test, t.csum_start, 34);
	KUNIT_EXPECT_EQ(test, t.csum_offset, 16);
	KUNIT_EXPECT_EQ(test, t.gso, KHCL_NV_GSO_NONE);
	/* every header an offload names is copied, never mapped */
	KUNIT_EXPECT_EQ(test, t.hdr_len, KHCL_RNDIS_TX_LINEAR);
	/* LSO v2: segments of 1448, TCP at 34; no checksum PPI with it */
	n = nd_msg(b, 30000, lso, 1);
	KUNIT_ASSERT_EQ(test, nd_parse(b, n, ND_OFF, &t), 0);
	KUNIT_EXPECT_EQ(test, t.gso, KHCL_NV_GSO_TCPV4);
	KUNIT_EXPECT_EQ(test, t.gso_size, 1448);
	KUNIT_EXPECT_TRUE(test, t.csum);
	KUNIT_EXPECT_EQ(test, t.csum_start, 34);
	n = nd_msg(b, 65536, lso6, 1);
	KUNIT_ASSERT_EQ(test, nd_parse(b, n, ND_OFF, &t), 0);
	KUNIT_EXPECT_EQ(test, t.gso, KHCL_NV_GSO_TCPV6);
	KUNIT_EXPECT_EQ(test, t.csum_start, 54);
	/* VLAN 100, priority 5, CFI: the skb's tag */
	n = nd_msg(b, 60, vlan, 1);
	KUNIT_ASSERT_EQ(test, nd_parse(b, n, 0, &t), 0);
	KUNIT_EXPECT_TRUE(test, t.vlan);
	KUNIT_EXPECT_EQ(test, t.vlan_tci, 100 | (5 << 13) | (1 << 12));
	KUNIT_EXPECT_EQ(test, t.hdr_len, 60);	/* short: all of it */
	KUNIT_EXPECT_EQ(test, KHCL_VLAN_PPI(t.vlan_tci), vlan[1]);
	/* batched: a message padded to 8 bytes, then the next */
	n = nd_msg(b, 42, NULL, 0);		/* 86 */
	nd_put32(b, 4, 88);
	n2 = nd_msg(b + 88, 60, NULL, 0);
	KUNIT_ASSERT_EQ(test, nd_parse(b, 88 + n2, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.msg_len, 88U);
	KUNIT_ASSERT_EQ(test, nd_parse(b + 88, n2, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.frame_len, 60U);
	KUNIT_EXPECT_EQ(test, n, 86U);
}

static void netdata_hostile_ranges(struct kunit *test)
{
	struct khcl_nvsp_chan c;
	static struct khcl_nvsp_req r;	/* 1 KiB: off the stack */
	static struct nd_pkt p;
	static struct nd_range rg[40];
	u32 i;

	nd_chan(&c);
	for (i = 0; i < 40; i++)
		rg[i] = (struct nd_range){ 100, 0, 0 };
	/* a zero-length fragment, one starting past its page */
	rg[1].len = 0;
	nd_data(&p, rg, 3, KHCL_NVSP_NO_SECTION, 0);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), -1);
	rg[1] = (struct nd_range){ 100, 4096, 1 };
	nd_data(&p, rg, 3, KHCL_NVSP_NO_SECTION, 0);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), -1);
	rg[1] = (struct nd_range){ 100, 0, 0 };
	/* more ranges than netvsc can send, more PFNs */
	nd_data(&p, rg, 33, KHCL_NVSP_NO_SECTION, 0);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), -1);
	rg[0] = (struct nd_range){ 65 * 4096 - 1, 1, 0 };
	nd_data(&p, rg, 1, KHCL_NVSP_NO_SECTION, 0);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), -1);
	/* a PFN list shorter than the range needs, or longer */
	rg[0] = (struct nd_range){ 5000, 0, 1 };
	nd_data(&p, rg, 2, KHCL_NVSP_NO_SECTION, 0);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), -1);
	rg[0] = (struct nd_range){ 100, 0, 3 };
	nd_data(&p, rg, 2, KHCL_NVSP_NO_SECTION, 0);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), -1);
	/* a range count larger than the descriptor holds */
	rg[0] = (struct nd_range){ 100, 0, 0 };
	nd_data(&p, rg, 2, KHCL_NVSP_NO_SECTION, 0);
	nd_put32(p.body, 4, 3);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), -1);
	nd_put32(p.body, 4, 0);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), -1);
	KUNIT_EXPECT_EQ(test, c.errors[KHCL_NVSP_ERR_RANGE], 8ull);
	/* more bytes than any honest send (8 batched, or one LSO frame) */
	for (i = 0; i < 32; i++)
		rg[i] = (struct nd_range){ 4096, 0, 0 };
	nd_data(&p, rg, 32, 0, 6000);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), KHCL_NVSP_RNDIS_DATA);
	rg[0] = (struct nd_range){ 8 * 4096, 0, 0 };
	nd_data(&p, rg, 32, KHCL_NVSP_NO_SECTION, 0);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), -1);

	/* send sections: past the buffer, empty, longer than a section */
	nd_data(&p, NULL, 0, 170, 100);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), KHCL_NVSP_REPLY);
	nd_data(&p, NULL, 0, 0, 0);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), KHCL_NVSP_REPLY);
	nd_data(&p, NULL, 0, 0, 6145);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), KHCL_NVSP_REPLY);
	/* inband with no section: nothing to send */
	nd_data(&p, NULL, 0, KHCL_NVSP_NO_SECTION, 100);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), KHCL_NVSP_REPLY);
	KUNIT_EXPECT_EQ(test, c.errors[KHCL_NVSP_ERR_DATA], 4ull);
	/* no send buffer mapped (revoked): sections refused */
	c.send_nsections = 0;
	nd_data(&p, NULL, 0, 0, 100);
	KUNIT_EXPECT_EQ(test, nd_post(&c, &p, &r), KHCL_NVSP_REPLY);
	KUNIT_EXPECT_EQ(test, c.errors[KHCL_NVSP_ERR_DATA], 5ull);
}

static void netdata_hostile_rndis(struct kunit *test)
{
	static u8 b[2048];
	struct khcl_rndis_txinfo t;
	struct khcl_rndis_packet m;
	u32 csum[] = { KHCL_PPI_CSUM, KHCL_CSUM_TX_IPV4 | KHCL_CSUM_TX_TCP |
		       (34u << 16) };
	u32 n;

	n = nd_msg(b, 100, NULL, 0);
	KUNIT_ASSERT_EQ(test, nd_parse(b, n, 0, &t), 0);
	/* shorter than its header, not a PACKET, longer than the stream */
	KUNIT_EXPECT_EQ(test, nd_parse(b, 43, 0, &t),
			ND_DROP(KHCL_NV_DROP_MSG));
	nd_put32(b, 0, KHCL_RNDIS_MSG_INIT);
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, 0, &t),
			ND_DROP(KHCL_NV_DROP_MSG));
	n = nd_msg(b, 100, NULL, 0);
	KUNIT_EXPECT_EQ(test, nd_parse(b, n - 1, 0, &t),
			ND_DROP(KHCL_NV_DROP_MSG));
	nd_put32(b, 4, 40);
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, 0, &t),
			ND_DROP(KHCL_NV_DROP_MSG));
	/* a frame inside the header, past the message, wrapping */
	n = nd_msg(b, 100, NULL, 0);
	nd_put32(b, 8, 20);
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, 0, &t),
			ND_DROP(KHCL_NV_DROP_MSG));
	nd_put32(b, 8, 36);
	nd_put32(b, 12, 101);
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, 0, &t),
			ND_DROP(KHCL_NV_DROP_MSG));
	nd_put32(b, 8, 0xfffffff8);
	nd_put32(b, 12, 100);
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, 0, &t),
			ND_DROP(KHCL_NV_DROP_MSG));
	/* frames shorter than an Ethernet header, longer than the MTU */
	n = nd_msg(b, 13, NULL, 0);
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, 0, &t),
			ND_DROP(KHCL_NV_DROP_FRAME));
	n = nd_msg(b, 1519, NULL, 0);
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, 0, &t),
			ND_DROP(KHCL_NV_DROP_FRAME));

	/* per-packet info: before the frame, inside the message */
	n = nd_msg(b, 100, csum, 1);
	KUNIT_ASSERT_EQ(test, nd_parse(b, n, ND_OFF, &t), 0);
	memcpy(&m, b, sizeof(m));
	nd_put32(b, 28, 20);			/* inside the header */
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, ND_OFF, &t),
			ND_DROP(KHCL_NV_DROP_PPI));
	nd_put32(b, 28, 36);
	nd_put32(b, 32, 17);			/* into the frame */
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, ND_OFF, &t),
			ND_DROP(KHCL_NV_DROP_PPI));
	nd_put32(b, 32, 0xfffffff0);		/* wrapping */
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, ND_OFF, &t),
			ND_DROP(KHCL_NV_DROP_PPI));
	nd_put32(b, 32, 16);
	/* entries: size 0 (netvsc itself would loop on it), too large */
	nd_put32(b, 44, 0);
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, ND_OFF, &t),
			ND_DROP(KHCL_NV_DROP_PPI));
	nd_put32(b, 44, 17);
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, ND_OFF, &t),
			ND_DROP(KHCL_NV_DROP_PPI));
	nd_put32(b, 44, 16);
	nd_put32(b, 52, 13);			/* value past the entry */
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, ND_OFF, &t),
			ND_DROP(KHCL_NV_DROP_PPI));
	nd_put32(b, 52, 4);			/* value inside its header */
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, ND_OFF, &t),
			ND_DROP(KHCL_NV_DROP_PPI));
	nd_put32(b, 52, 12);
	KUNIT_ASSERT_EQ(test, nd_parse(b, n, ND_OFF, &t), 0);
	/* the same type twice */
	{
		u32 two[] = { KHCL_PPI_VLAN, 1 << 4, KHCL_PPI_VLAN, 2 << 4 };

		n = nd_msg(b, 100, two, 2);
		KUNIT_EXPECT_EQ(test, nd_parse(b, n, 0, &t),
				ND_DROP(KHCL_NV_DROP_PPI));
	}

	/* offloads: not offered, both L4 kinds, the IP header, no room */
	n = nd_msg(b, 100, csum, 1);
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, 0, &t),
			ND_DROP(KHCL_NV_DROP_OFFLOAD));
	nd_put32(b, 56, KHCL_CSUM_TX_IPV4 | KHCL_CSUM_TX_TCP |
		 KHCL_CSUM_TX_UDP | (34u << 16));
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, ND_OFF, &t),
			ND_DROP(KHCL_NV_DROP_OFFLOAD));
	nd_put32(b, 56, KHCL_CSUM_TX_IPV4 | KHCL_CSUM_TX_IP_HDR);
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, ND_OFF, &t),
			ND_DROP(KHCL_NV_DROP_OFFLOAD));
	nd_put32(b, 56, KHCL_CSUM_TX_IPV4 | KHCL_CSUM_TX_TCP | (90u << 16));
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, ND_OFF, &t),
			ND_DROP(KHCL_NV_DROP_OFFLOAD));
	nd_put32(b, 56, KHCL_CSUM_TX_IPV4 | KHCL_CSUM_TX_UDP | (5u << 16));
	KUNIT_EXPECT_EQ(test, nd_parse(b, n, ND_OFF, &t),
			ND_DROP(KHCL_NV_DROP_OFFLOAD));
	{
		u32 bad[][2] = {
			{ KHCL_PPI_LSO, 1448 | (34u << 20) },	/* not v2 */
			{ KHCL_PPI_LSO, (34u << 20) | KHCL_LSO_V2 }, /* mss 0 */
			{ KHCL_PPI_LSO, 0x10000 | (34u << 20) | KHCL_LSO_V2 },
			{ KHCL_PPI_LSO, 1448 | (80u << 20) | KHCL_LSO_V2 },
		};
		u32 both[] = { KHCL_PPI_LSO, 1448 | (34u << 20) | KHCL_LSO_V2,
			       KHCL_PPI_CSUM, csum[1] };
		u32 i;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			n = nd_msg(b, 100, bad[i], 1);
			KUNIT_EXPECT_EQ(test, nd_parse(b, n, ND_OFF, &t),
					ND_DROP(KHCL_NV_DROP_OFFLOAD));
		}
		n = nd_msg(b, 100, both, 2);
		KUNIT_EXPECT_EQ(test, nd_parse(b, n, ND_OFF, &t),
				ND_DROP(KHCL_NV_DROP_OFFLOAD));
		n = nd_msg(b, 100, both, 1);	/* LSO alone, not offered */
		KUNIT_EXPECT_EQ(test, nd_parse(b, n, KHCL_NV_OFF_CSUM, &t),
				ND_DROP(KHCL_NV_DROP_OFFLOAD));
		/* an LSO frame above 64 KiB */
		n = nd_msg(b, 65537, both, 1);
		KUNIT_EXPECT_EQ(test, nd_parse(b, n, ND_OFF, &t),
				ND_DROP(KHCL_NV_DROP_FRAME));
	}
}

/* The RX header, walked with the checks netvsc's rndis_get_ppi makes. */
static void netdata_rx_header(struct kunit *test)
{
	struct khcl_rndis_rxinfo ri = {
		.csum = KHCL_CSUM_RX_TCP_OK | KHCL_CSUM_RX_IP_OK,
		.vlan = true, .vlan_tci = 7 | (3 << 13),
	};
	u8 b[KHCL_RNDIS_RX_HDR_MAX];
	struct khcl_rndis_packet m;
	struct khcl_rndis_ppi e;
	u32 n, at, left, seen = 0;

	n = khcl_rndis_rx_hdr(b, 1514, &ri);
	KUNIT_ASSERT_EQ(test, n, 44U + 32);
	memcpy(&m, b, sizeof(m));
	KUNIT_EXPECT_EQ(test, m.type, (u32)KHCL_RNDIS_MSG_PACKET);
	KUNIT_EXPECT_EQ(test, m.len, n + 1514);
	KUNIT_EXPECT_EQ(test, 8 + m.data_offset, n);
	KUNIT_EXPECT_EQ(test, m.data_len, 1514U);
	KUNIT_EXPECT_EQ(test, m.ppi_offset, 36U);
	KUNIT_EXPECT_EQ(test, m.ppi_len, 32U);
	for (at = 8 + m.ppi_offset, left = m.ppi_len; left; ) {
		memcpy(&e, b + at, sizeof(e));
		KUNIT_ASSERT_EQ(test, e.size, 16U);	/* sums to ppi_len */
		KUNIT_ASSERT_EQ(test, e.ppi_offset, 12U);
		if (e.type == KHCL_PPI_CSUM)
			KUNIT_EXPECT_EQ(test, e.value, ri.csum);
		if (e.type == KHCL_PPI_VLAN)	/* netvsc: id | pri<<13 | cfi<<12 */
			KUNIT_EXPECT_EQ(test, KHCL_VLAN_TCI(e.value),
					(u32)ri.vlan_tci);
		seen |= 1u << (e.type & 31);
		at += e.size;
		left -= e.size;
	}
	KUNIT_EXPECT_EQ(test, seen, (1u << KHCL_PPI_CSUM) |
			(1u << KHCL_PPI_VLAN));
	/*
	 * An RSC piece: RNDIS_PKTINFO_ID, which netvsc looks up as type 1
	 * with the internal bit, {ver 1, flag}.
	 */
	ri.pktinfo = KHCL_PKTINFO_SUBALLOC | KHCL_PKTINFO_LAST;
	ri.hash = true;			/* and the RSS hash: every PPI */
	ri.hash_value = 0x9e3779b9;
	n = khcl_rndis_rx_hdr(b, 1000, &ri);
	KUNIT_ASSERT_EQ(test, n, (u32)KHCL_RNDIS_RX_HDR_MAX);
	memcpy(&m, b, sizeof(m));
	KUNIT_EXPECT_EQ(test, m.ppi_len, 64U);
	memcpy(&e, b + n - 2 * sizeof(e), sizeof(e));
	KUNIT_EXPECT_EQ(test, e.type, (u32)KHCL_PPI_HASH);
	KUNIT_EXPECT_EQ(test, e.value, 0x9e3779b9U);
	memcpy(&e, b + n - sizeof(e), sizeof(e));
	KUNIT_EXPECT_EQ(test, e.size, 16U);
	KUNIT_EXPECT_EQ(test, e.type, 0x80000001U);
	KUNIT_EXPECT_EQ(test, b[n - 4], 1);
	KUNIT_EXPECT_EQ(test, b[n - 3], 5);
	/* none: still ppi_offset 36, ppi_len 0, the frame at 44 */
	memset(&ri, 0, sizeof(ri));
	n = khcl_rndis_rx_hdr(b, 60, &ri);
	memcpy(&m, b, sizeof(m));
	KUNIT_EXPECT_EQ(test, n, 44U);
	KUNIT_EXPECT_EQ(test, m.ppi_len, 0U);
	KUNIT_EXPECT_EQ(test, m.data_offset, 36U);
}

/*
 * RSS: the Toeplitz hash against the verification vectors Microsoft's
 * RSS documentation gives for its default key, the parameters as netvsc
 * sets them (rndis_set_rss_param_msg: 0x1701, table at 40, key after),
 * and what a hostile guest can put there instead.
 */
static const u8 nd_rss_key[KHCL_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/* an IPv4/TCP frame from @src:@sp to @dst:@dp */
static void nd_tcp4(u8 *f, const u8 *src, const u8 *dst, u16 sp, u16 dp)
{
	memset(f, 0, 64);
	f[12] = 0x08;
	f[14] = 0x45;
	f[14 + 9] = 6;
	memcpy(f + 14 + 12, src, 4);
	memcpy(f + 14 + 16, dst, 4);
	f[34] = sp >> 8;
	f[35] = sp & 0xff;
	f[36] = dp >> 8;
	f[37] = dp & 0xff;
}

static u32 nd_rss_msg(u8 *b, u32 nent, u32 first)
{
	u32 i, v;

	memset(b, 0, 40);
	b[0] = KHCL_NDIS_OBJ_RSS_PARAM;
	b[1] = 2;
	b[2] = 40;
	v = 0x1701;
	memcpy(b + 8, &v, 4);
	b[12] = (nent * 4) & 0xff;
	b[13] = (nent * 4) >> 8;
	v = 40;
	memcpy(b + 16, &v, 4);
	b[20] = KHCL_RSS_KEY_SIZE;
	v = 40 + nent * 4;
	memcpy(b + 24, &v, 4);
	for (i = 0; i < nent; i++) {
		v = (first + i) % 4;
		memcpy(b + 40 + 4 * i, &v, 4);
	}
	memcpy(b + 40 + nent * 4, nd_rss_key, KHCL_RSS_KEY_SIZE);
	return 40 + nent * 4 + KHCL_RSS_KEY_SIZE;
}

static void netdata_rss(struct kunit *test)
{
	static const struct {
		u8 src[4], dst[4];
		u16 sp, dp;
		u32 ip, tcp;
	} vec[] = {
		{ { 66, 9, 149, 187 }, { 161, 142, 100, 80 }, 2794, 1766,
		  0x323e8fc2, 0x51ccc178 },
		{ { 199, 92, 111, 2 }, { 65, 69, 140, 83 }, 14230, 4739,
		  0xd718262a, 0xc626b0ea },
		{ { 24, 19, 198, 95 }, { 12, 22, 207, 184 }, 12898, 38024,
		  0xd2d0a5de, 0x5c2b394a },
	};
	static struct khcl_rss rss;
	static u8 b[40 + 4 * 256 + 40 + 8];
	u8 in[12], f[64];
	u32 i, n;

	for (i = 0; i < ARRAY_SIZE(vec); i++) {
		memcpy(in, vec[i].src, 4);
		memcpy(in + 4, vec[i].dst, 4);
		KUNIT_EXPECT_EQ(test, khcl_toeplitz(nd_rss_key, 40, in, 8),
				vec[i].ip);
		in[8] = vec[i].sp >> 8;
		in[9] = vec[i].sp & 0xff;
		in[10] = vec[i].dp >> 8;
		in[11] = vec[i].dp & 0xff;
		KUNIT_EXPECT_EQ(test, khcl_toeplitz(nd_rss_key, 40, in, 12),
				vec[i].tcp);
	}
	/* a key too short for its input hashes nothing */
	KUNIT_EXPECT_EQ(test, khcl_toeplitz(nd_rss_key, 11, in, 8), 0U);

	/* netvsc's parameters: 128 entries, 4 channels open */
	memset(&rss, 0, sizeof(rss));
	n = nd_rss_msg(b, 128, 0);
	KUNIT_ASSERT_EQ(test, khcl_rss_set(&rss, b, n, 4),
			(int)KHCL_RNDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, rss.enabled);
	KUNIT_EXPECT_EQ(test, rss.nent, 128U);
	KUNIT_EXPECT_EQ(test, rss.clamped, 0ull);
	nd_tcp4(f, vec[0].src, vec[0].dst, vec[0].sp, vec[0].dp);
	KUNIT_EXPECT_EQ(test, khcl_rss_hash(&rss, f, 64), vec[0].tcp);
	KUNIT_EXPECT_EQ(test, khcl_rss_channel(&rss, vec[0].tcp),
			(u32)(vec[0].tcp % 128) % 4);
	/* a fragment hashes its addresses only */
	f[14 + 6] = 0x20;			/* more fragments */
	KUNIT_EXPECT_EQ(test, khcl_rss_hash(&rss, f, 64), vec[0].ip);
	/* a table built for more channels than are open: folded */
	n = nd_rss_msg(b, 128, 0);
	KUNIT_ASSERT_EQ(test, khcl_rss_set(&rss, b, n, 3),
			(int)KHCL_RNDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, rss.clamped, 32ull);
	for (i = 0; i < rss.nent; i++)
		KUNIT_EXPECT_LE(test, (u32)rss.table[i], 2U);
	/* DISABLE_RSS, as netvsc sends first */
	b[4] = KHCL_RSS_FLAG_DISABLE;
	KUNIT_EXPECT_EQ(test, khcl_rss_set(&rss, b, n, 4),
			(int)KHCL_RNDIS_STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, rss.enabled);
	KUNIT_EXPECT_EQ(test, khcl_rss_channel(&rss, 12345), 0U);

	/* hostile: table and key outside, odd sizes, too many, no channels */
	n = nd_rss_msg(b, 128, 0);
	KUNIT_EXPECT_EQ(test, khcl_rss_set(&rss, b, n - 1, 4),
			(int)KHCL_RNDIS_STATUS_INVALID_DATA);
	b[16] = 0xf0;				/* table offset past the end */
	KUNIT_EXPECT_EQ(test, khcl_rss_set(&rss, b, n, 4),
			(int)KHCL_RNDIS_STATUS_INVALID_DATA);
	n = nd_rss_msg(b, 128, 0);
	b[12] = 6;				/* not whole entries */
	KUNIT_EXPECT_EQ(test, khcl_rss_set(&rss, b, n, 4),
			(int)KHCL_RNDIS_STATUS_INVALID_DATA);
	n = nd_rss_msg(b, 256, 0);
	KUNIT_EXPECT_EQ(test, khcl_rss_set(&rss, b, n, 4),
			(int)KHCL_RNDIS_STATUS_SUCCESS);
	b[12] = 4;				/* 257 entries */
	b[13] = 4;
	KUNIT_EXPECT_EQ(test, khcl_rss_set(&rss, b, sizeof(b), 4),
			(int)KHCL_RNDIS_STATUS_INVALID_DATA);
	n = nd_rss_msg(b, 16, 0);
	b[20] = 16;				/* a short key */
	KUNIT_EXPECT_EQ(test, khcl_rss_set(&rss, b, n, 4),
			(int)KHCL_RNDIS_STATUS_INVALID_DATA);
	n = nd_rss_msg(b, 16, 0);
	KUNIT_EXPECT_EQ(test, khcl_rss_set(&rss, b, n, 0),
			(int)KHCL_RNDIS_STATUS_INVALID_DATA);
	b[8] = 2;				/* not Toeplitz */
	KUNIT_EXPECT_EQ(test, khcl_rss_set(&rss, b, n, 4),
			(int)KHCL_RNDIS_STATUS_NOT_SUPPORTED);
	/* frames too short for their headers hash nothing */
	KUNIT_EXPECT_EQ(test, khcl_rss_hash(&rss, f, 20), 0U);
}

/*
 * Receive sections in runs (an RSC packet's pieces) and the guest's
 * completion of a run: its transaction id names the run, and one that
 * names sections not (all) the guest's frees nothing.
 */
static void nd_comp(struct khcl_nvsp_chan *c, u64 tid)
{
	struct khcl_nvsp_req r = { .pkt_type = KHCL_VMPKT_COMP,
				   .trans_id = tid };
	struct khcl_nvsp_msg rp;

	khcl_nvsp_control(c, &r, &rp);
}

static void netdata_rx_sections(struct kunit *test)
{
	static struct khcl_nvsp_chan chan;
	struct khcl_nvsp_chan *c = &chan;
	u64 err;
	int i;

	nd_chan(c);
	KUNIT_ASSERT_EQ(test, c->nsections, 2048U);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_sections_get(c, 40), 0);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_sections_get(c, 40), 40);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_section_get(c, 100), 80);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_sections_get(c, 0), -1);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_sections_get(c, KHCL_NV_RX_RANGES + 1),
			-1);
	KUNIT_EXPECT_EQ(test, c->sections_busy, 81U);
	KUNIT_EXPECT_EQ(test, khcl_nv_rx_tid(80, 1), 81ULL);
	KUNIT_EXPECT_EQ(test, khcl_nv_rx_tid(0, 40), (40ULL << 32) | 1);
	nd_comp(c, khcl_nv_rx_tid(0, 40));
	KUNIT_EXPECT_EQ(test, c->sections_busy, 41U);
	err = c->errors[KHCL_NVSP_ERR_SECTION];
	/* again; past the run; too many; id 0; past the end */
	nd_comp(c, khcl_nv_rx_tid(0, 40));
	nd_comp(c, khcl_nv_rx_tid(40, 42));
	nd_comp(c, (49ULL << 32) | 41);
	nd_comp(c, 40ULL << 32);
	nd_comp(c, (2ULL << 32) | 2048);
	KUNIT_EXPECT_EQ(test, c->errors[KHCL_NVSP_ERR_SECTION], err + 5);
	KUNIT_EXPECT_EQ(test, c->sections_busy, 41U);
	nd_comp(c, khcl_nv_rx_tid(40, 40));
	nd_comp(c, 81);
	KUNIT_EXPECT_EQ(test, c->sections_busy, 0U);

	/* all taken, then holes: a run goes where it fits, or nowhere */
	nd_chan(c);
	for (i = 0; i < 2048; i++)
		KUNIT_ASSERT_EQ(test, khcl_nvsp_section_get(c, 1), i);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_section_get(c, 1), -1);
	khcl_nvsp_sections_put(c, 10, 11);	/* 10..20 */
	khcl_nvsp_sections_put(c, 100, 48);	/* 100..147, across words */
	khcl_nvsp_sections_put(c, 2040, 8);	/* the end */
	khcl_nvsp_sections_put(c, 0, 4);	/* no run wraps round */
	KUNIT_EXPECT_EQ(test, khcl_nvsp_sections_get(c, 48), 100);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_sections_get(c, 12), -1);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_sections_get(c, 11), 10);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_sections_get(c, 8), 2040);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_sections_get(c, 4), 0);
	KUNIT_EXPECT_EQ(test, c->sections_busy, 2048U);
	/* a run that starts before the hint */
	khcl_nvsp_sections_put(c, 90, 10);
	c->section_hint = 95;
	KUNIT_EXPECT_EQ(test, khcl_nvsp_sections_get(c, 10), 90);
	KUNIT_EXPECT_EQ(test, c->section_hint, 100U);

	/*
	 * Sections sent on sub-channel 2 come back when it closes alone;
	 * the primary's (0) and channel 1's stay the guest's, and a section
	 * taken again is the primary's until said otherwise.
	 */
	nd_chan(c);
	KUNIT_ASSERT_EQ(test, khcl_nvsp_sections_get(c, 40), 0);
	khcl_nvsp_sections_own(c, 0, 40, 2);
	KUNIT_ASSERT_EQ(test, khcl_nvsp_sections_get(c, 3), 40);
	khcl_nvsp_sections_own(c, 40, 3, 1);
	KUNIT_ASSERT_EQ(test, khcl_nvsp_section_get(c, 100), 43);
	nd_comp(c, khcl_nv_rx_tid(0, 2));	/* two completed before */
	KUNIT_EXPECT_EQ(test, khcl_nvsp_sections_reclaim(c, 2), 38U);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_sections_reclaim(c, 2), 0U);
	KUNIT_EXPECT_EQ(test, c->sections_busy, 4U);
	KUNIT_EXPECT_TRUE(test, khcl_nvsp_section_out(c, 40));
	KUNIT_EXPECT_TRUE(test, khcl_nvsp_section_out(c, 43));
	KUNIT_ASSERT_EQ(test, khcl_nvsp_section_get(c, 100), 44);
	c->section_hint = 0;
	KUNIT_ASSERT_EQ(test, khcl_nvsp_section_get(c, 100), 0);
	KUNIT_EXPECT_EQ(test, khcl_nvsp_sections_reclaim(c, 2), 0U);
	KUNIT_EXPECT_TRUE(test, khcl_nvsp_section_out(c, 0));
}


/* the TCP checksum of @f (@len bytes, TCP at @l4) checks out */
static u32 nd_tcp_verify(const u8 *f, u32 len, u32 l4, bool v6)
{
	u8 ph[40] = {};
	u32 l4len = len - l4;

	if (v6) {
		memcpy(ph, f + 14 + 8, 32);
		ph[34] = l4len >> 8;
		ph[35] = l4len;
		ph[39] = 6;
	} else {
		memcpy(ph, f + 14 + 12, 8);
		ph[9] = 6;
		ph[10] = l4len >> 8;
		ph[11] = l4len;
	}
	return nd_ref_sum(nd_ref_sum(0, ph, v6 ? 40 : 12), f + l4, l4len);
}

/* khcl_rsc_fix() on a private copy of @f's headers, put back in @f */
static void nd_rsc_fix(struct kunit *test, u8 *f, u32 len,
		       struct khcl_rsc_hdr *h)
{
	u8 hdr[KHCL_RSC_HDR_MAX];

	KUNIT_ASSERT_EQ(test, khcl_rsc_parse(f, KHCL_RSC_HDR_MAX, len, h), 0);
	memcpy(hdr, f, h->hdr_len);
	khcl_rsc_fix(hdr, len, h, khcl_csum_add(0, f + h->hdr_len,
						len - h->hdr_len));
	memcpy(f, hdr, h->hdr_len);
}

/*
 * RSC: the headers of a coalesced segment checked and made to describe
 * it (lengths, IPv4 header checksum, TCP checksum: the guest may check
 * it), IPv4 with options and IPv6 with TCP options, odd lengths; what
 * cannot go as RSC.
 */
static void netdata_rsc(struct kunit *test)
{
	static const u8 a[4] = { 10, 77, 0, 1 }, b[4] = { 10, 77, 0, 3 };
	static u8 f[70000];
	struct khcl_rsc_hdr h;
	u32 len, i;

	for (i = 0; i < 70000; i++)
		f[i] = i * 7 + (i >> 8);
	/* IPv4, 8 bytes of IP options, stale length and checksums */
	len = 3001;
	nd_tcp4(f, a, b, 5201, 40000);
	f[14] = 0x47;
	memmove(f + 42, f + 34, 4);	/* the ports after the options */
	f[42 + 12] = 0x50;
	f[42 + 16] = 0x12;
	f[24] = 0x99;
	nd_rsc_fix(test, f, len, &h);
	KUNIT_EXPECT_EQ(test, h.l3, 14);
	KUNIT_EXPECT_EQ(test, h.l4, 42);
	KUNIT_EXPECT_EQ(test, h.hdr_len, 62);
	KUNIT_EXPECT_FALSE(test, h.ipv6);
	KUNIT_EXPECT_EQ(test, f[16] << 8 | f[17], len - 14);
	KUNIT_EXPECT_EQ(test, nd_ref_sum(0, f + 14, 28), 0xffffU);
	KUNIT_EXPECT_EQ(test, nd_tcp_verify(f, len, 42, false), 0xffffU);
	/* the largest: 64 KiB of IP */
	len = 14 + 65535;
	nd_rsc_fix(test, f, len, &h);
	KUNIT_EXPECT_EQ(test, nd_ref_sum(0, f + 14, 28), 0xffffU);
	KUNIT_EXPECT_EQ(test, nd_tcp_verify(f, len, 42, false), 0xffffU);
	KUNIT_EXPECT_EQ(test, khcl_rsc_parse(f, KHCL_RSC_HDR_MAX, len + 1, &h),
			-1);

	/* IPv6, TCP with 12 bytes of options */
	memset(f, 0, 120);
	f[12] = 0x86;
	f[13] = 0xdd;
	f[14] = 0x60;
	f[14 + 6] = 6;
	f[14 + 8] = 0xfd;
	f[14 + 39] = 3;
	f[54 + 12] = 0x80;
	len = 9999;
	nd_rsc_fix(test, f, len, &h);
	KUNIT_EXPECT_EQ(test, h.l4, 54);
	KUNIT_EXPECT_EQ(test, h.hdr_len, 86);
	KUNIT_EXPECT_TRUE(test, h.ipv6);
	KUNIT_EXPECT_EQ(test, f[18] << 8 | f[19], len - 54);
	KUNIT_EXPECT_EQ(test, nd_tcp_verify(f, len, 54, true), 0xffffU);
	/* an IPv6 extension header (hop-by-hop) first */
	f[14 + 6] = 0;
	KUNIT_EXPECT_EQ(test, khcl_rsc_parse(f, KHCL_RSC_HDR_MAX, len, &h), -1);

	/* IPv4 that is no single TCP segment, or headers cut short */
	nd_tcp4(f, a, b, 1, 2);
	f[46] = 0x50;
	len = 2000;
	KUNIT_EXPECT_EQ(test, khcl_rsc_parse(f, 54, len, &h), 0);
	KUNIT_EXPECT_EQ(test, khcl_rsc_parse(f, 53, len, &h), -1);
	KUNIT_EXPECT_EQ(test, khcl_rsc_parse(f, 54, 53, &h), -1);
	f[14 + 6] = 0x20;			/* more fragments */
	KUNIT_EXPECT_EQ(test, khcl_rsc_parse(f, 54, len, &h), -1);
	f[14 + 6] = 0;
	f[14 + 7] = 1;				/* a fragment offset */
	KUNIT_EXPECT_EQ(test, khcl_rsc_parse(f, 54, len, &h), -1);
	f[14 + 7] = 0;
	f[14 + 9] = 17;				/* UDP */
	KUNIT_EXPECT_EQ(test, khcl_rsc_parse(f, 54, len, &h), -1);
	f[14 + 9] = 6;
	f[46] = 0x40;				/* TCP header of 16 bytes */
	KUNIT_EXPECT_EQ(test, khcl_rsc_parse(f, 54, len, &h), -1);
	f[46] = 0xf0;				/* 60: past what was read */
	KUNIT_EXPECT_EQ(test, khcl_rsc_parse(f, 54, len, &h), -1);
	f[46] = 0x50;
	f[14] = 0x44;				/* IP header of 16 bytes */
	KUNIT_EXPECT_EQ(test, khcl_rsc_parse(f, 54, len, &h), -1);
	f[14] = 0x45;
	f[12] = 0x81;				/* a VLAN tag in the frame */
	KUNIT_EXPECT_EQ(test, khcl_rsc_parse(f, 54, len, &h), -1);
}

/*
 * The backend plan with synthesized backends: MANA's vPort (no second
 * unicast MAC, no promiscuous mode; a queue pair per vPort queue, 16 on
 * a large VM, no LRO) and the rig's virtio-net (unicast filter over its
 * control queue; 1 or 2 queue pairs).
 */
static void netdata_backend_plan(struct kunit *test)
{
	const struct khcl_nv_backend mana = { .uc_filter = false,
					      .txq = 16, .rxq = 16 };
	const struct khcl_nv_backend mana_small = { .txq = 4, .rxq = 4 };
	const struct khcl_nv_backend virtio = { .uc_filter = true,
						.txq = 2, .rxq = 2 };
	const struct khcl_nv_backend odd = { .uc_filter = true,
					     .txq = 64, .rxq = 0 };
	u32 all = KHCL_NV_OFF_CSUM | KHCL_NV_OFF_LSO | KHCL_NV_OFF_RSC;
	struct khcl_nv_plan p;

	/* MANA: mac= set, yet the guest must get the vPort's own MAC */
	khcl_nv_plan(&mana, true, 8, all, &p);
	KUNIT_EXPECT_FALSE(test, p.own_mac);
	KUNIT_EXPECT_EQ(test, p.queues, 8U);		/* the knob */
	KUNIT_EXPECT_TRUE(test, p.coalesce);
	khcl_nv_plan(&mana, false, 64, KHCL_NV_OFF_CSUM, &p);
	KUNIT_EXPECT_FALSE(test, p.own_mac);
	KUNIT_EXPECT_EQ(test, p.queues, 16U);		/* its queues, <= 16 */
	KUNIT_EXPECT_FALSE(test, p.coalesce);
	khcl_nv_plan(&mana_small, true, 8, all, &p);
	KUNIT_EXPECT_EQ(test, p.queues, 4U);
	/* virtio-net: khcl's MAC in its filter, its 2 queues */
	khcl_nv_plan(&virtio, true, 8, all, &p);
	KUNIT_EXPECT_TRUE(test, p.own_mac);
	KUNIT_EXPECT_EQ(test, p.queues, 2U);
	khcl_nv_plan(&virtio, false, 1, all, &p);
	KUNIT_EXPECT_FALSE(test, p.own_mac);
	KUNIT_EXPECT_EQ(test, p.queues, 1U);
	/* never 0 queues, never past 16 */
	khcl_nv_plan(&odd, true, 0, all, &p);
	KUNIT_EXPECT_EQ(test, p.queues, 1U);
	khcl_nv_plan(&mana, true, 100, all, &p);
	KUNIT_EXPECT_EQ(test, p.queues, 16U);
}

static struct kunit_case netdata_cases[] = {
	KUNIT_CASE(netdata_netvsc_612),
	KUNIT_CASE(netdata_hostile_ranges),
	KUNIT_CASE(netdata_hostile_rndis),
	KUNIT_CASE(netdata_rx_header),
	KUNIT_CASE(netdata_rss),
	KUNIT_CASE(netdata_rx_sections),
	KUNIT_CASE(netdata_rsc),
	KUNIT_CASE(netdata_backend_plan),
	{}
};

static struct kunit_suite khcl_netdata_suite = {
	.name = "khcl_netdata",
	.test_cases = netdata_cases,
};
kunit_test_suite(khcl_netdata_suite);

MODULE_DESCRIPTION("khcl network data path core tests");
MODULE_LICENSE("GPL");
