// SPDX-License-Identifier: GPL-2.0
/*
 * Seed generator for the structure-aware harnesses (formats in
 * fuzz_rec.h): "gen_seeds <seeds dir>" writes
 * <dir>/fuzz_netvsp/gen-*, <dir>/fuzz_vmbus_ctl/gen-* and
 * <dir>/fuzz_ring/gen-*; make seeds runs it. Each seed is a protocol
 * sequence the way Linux's clients run it, or a hostile variation of
 * one, so the fuzzers start deep in the state machines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../mana_xlat/netvsp.h"
#include "fuzz_rec.h"

struct gs {
	uint8_t b[1 << 16];
	size_t n;
};

static struct gs g;
static const char *gs_dir;

static void put8(uint32_t v)
{
	if (g.n >= sizeof(g.b)) {
		fprintf(stderr, "gen_seeds: seed too long\n");
		exit(1);
	}
	g.b[g.n++] = v;
}

static void put16(uint32_t v)
{
	put8(v);
	put8(v >> 8);
}

static void put32(uint32_t v)
{
	put16(v);
	put16(v >> 16);
}

static void putb(const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put8(((const uint8_t *)p)[i]);
}

static void save(const char *target, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/gen-%s", gs_dir, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(g.b, 1, g.n, f) != g.n || fclose(f)) {
		perror(path);
		exit(1);
	}
	g.n = 0;
}

/* ---- fuzz_netvsp ---- */

static void nv_rec(uint8_t op, const void *p, size_t n)
{
	put8(op);
	put16(n);
	putb(p, n);
}

/* An NVSP message with up to three u32 arguments. */
static void nv_msg(uint8_t flags, uint32_t type, uint32_t a, uint32_t b,
		   uint32_t c)
{
	uint32_t m[10] = { type, a, b, c };

	nv_rec(FN_NVSP | flags, m, sizeof(m));
}

static void nv_rndis(uint8_t flags, const void *msg, size_t n)
{
	nv_rec(FN_RNDIS | flags, msg, n);
}

static void nv_oid(uint8_t flags, uint32_t type, uint32_t oid,
		   const void *info, uint32_t n)
{
	uint8_t buf[512];
	struct khcl_rndis_oid_req q = {
		.h = { type, sizeof(q) + n, 42 }, .oid = oid,
		.info_buflen = n, .info_buf_offset = n ? 20 : 0,
	};

	memcpy(buf, &q, sizeof(q));
	memcpy(buf + sizeof(q), info, n);
	nv_rndis(flags, buf, sizeof(q) + n);
}

static void nv_simple(uint32_t type, uint32_t req)
{
	struct khcl_rndis_hdr h = { type, sizeof(h) + 4, req };
	uint8_t buf[16] = { 0 };

	memcpy(buf, &h, sizeof(h));
	nv_rndis(0, buf, sizeof(buf));
}

/* hv_netvsc's probe up to RNDIS: INIT, NDIS config/version, buffers. */
/*
 * FN_DATA: an RNDIS PACKET of @frame bytes with @nppi {type, value} PPIs;
 * @in_sec of its bytes in a send section, the rest in ranges of
 * split * 16 + 1 bytes.
 */
static void nv_data(uint8_t flags, uint8_t split, uint16_t in_sec,
		    uint32_t frame, const uint32_t *ppi, uint32_t nppi)
{
	static uint8_t b[12000];
	struct khcl_rndis_packet m = { .type = KHCL_RNDIS_MSG_PACKET };
	struct khcl_rndis_ppi e = { .size = 16, .ppi_offset = 12 };
	uint32_t n = sizeof(m), i;

	for (i = 0; i < nppi; i++) {
		e.type = ppi[2 * i];
		e.value = ppi[2 * i + 1];
		memcpy(b + 3 + n, &e, sizeof(e));
		n += sizeof(e);
	}
	m.data_offset = n - 8;
	m.data_len = frame;
	m.ppi_offset = 36;
	m.ppi_len = n - sizeof(m);
	m.len = n + frame;
	memcpy(b + 3, &m, sizeof(m));
	memset(b + 3 + n, 0x5a, frame);
	b[0] = split;
	b[1] = in_sec & 0xff;
	b[2] = in_sec >> 8;
	nv_rec(FN_DATA | flags, b, 3 + m.len);
}

static void nv_handshake(void)
{
	nv_msg(0, KHCL_NVSP_INIT, KHCL_NVSP_V61, KHCL_NVSP_V61, 0);
	nv_msg(0x80, KHCL_NVSP_SEND_NDIS_CONFIG, 1514, 0, 0);
	nv_msg(0x80, KHCL_NVSP_SEND_NDIS_VER, 6, 30, 0);
	nv_msg(0, KHCL_NVSP_SEND_RECV_BUF, 55, 0xcafe, 0);
	nv_msg(0, KHCL_NVSP_SEND_SEND_BUF, 57, 0, 0);
}

static void nv_rndis_init(uint32_t req)
{
	struct khcl_rndis_init_req init = {
		.h = { KHCL_RNDIS_MSG_INIT, sizeof(init), req }, .major = 1,
		.max_xfer_size = 0x4000,
	};

	nv_rndis(0, &init, sizeof(init));
}

/* OID_GEN_RECEIVE_SCALE_PARAMETERS as netvsc sets it, 16 entries */
static void nv_rss(void)
{
	uint8_t par[40 + 64 + 40] = { KHCL_NDIS_OBJ_RSS_PARAM, 2, 40 };
	uint32_t v = KHCL_RSS_HASH_TOEPLITZ | KHCL_RSS_HASH_IPV4 |
		     KHCL_RSS_HASH_TCP_IPV4, i;

	memcpy(par + 8, &v, 4);
	par[12] = 64;
	par[16] = 40;
	par[20] = 40;
	par[24] = 40 + 64;
	for (i = 0; i < 16; i++)
		par[40 + i * 4] = i % 2;
	nv_oid(0, KHCL_RNDIS_MSG_SET, KHCL_OID_GEN_RECEIVE_SCALE_PARAMETERS,
	       par, sizeof(par));
}

/* FN_RSC: a coalesced TCP segment of @len bytes, IPv4 or IPv6 */
static void nv_rsc(uint32_t len, bool v6)
{
	static uint8_t f[10000];
	uint32_t l4 = v6 ? 54 : 34, i;

	for (i = 0; i < len; i++)
		f[i] = i * 13;
	if (v6) {
		f[12] = 0x86;
		f[13] = 0xdd;
		f[14] = 0x60;
		f[20] = 6;
	} else {
		f[12] = 0x08;
		f[13] = 0;
		f[14] = 0x45;
		f[20] = 0;	/* no fragment */
		f[21] = 0;
		f[23] = 6;
	}
	f[l4 + 12] = 0x50;
	nv_rec(FN_RSC, f, len);
}

static void gen_netvsp(void)
{
	static const uint32_t queries[] = {
		KHCL_OID_GEN_MAXIMUM_FRAME_SIZE, KHCL_OID_802_3_PERMANENT_ADDRESS,
		KHCL_OID_GEN_FRIENDLY_NAME, KHCL_OID_GEN_MEDIA_CONNECT_STATUS,
		KHCL_OID_GEN_LINK_SPEED, KHCL_OID_802_3_CURRENT_ADDRESS,
		KHCL_OID_GEN_RECEIVE_SCALE_CAPABILITIES,
		KHCL_OID_GEN_CURRENT_PACKET_FILTER,
	};
	uint8_t info[156] = { KHCL_NDIS_OBJ_OFFLOAD, 3, 156 }, raw[96];
	const uint32_t csum[] = { KHCL_PPI_CSUM, KHCL_CSUM_TX_IPV4 |
				  KHCL_CSUM_TX_TCP | (34u << 16) };
	const uint32_t lso[] = { KHCL_PPI_LSO, 1448 | (34u << 20) |
				 KHCL_LSO_V2 };
	const uint32_t vlan[] = { KHCL_PPI_VLAN, (10u << 4) | 3 };
	const uint32_t hash[] = { KHCL_PPI_HASH, 0x1234 };
	struct khcl_rndis_oid_req *q = (void *)raw;
	uint32_t v = 0x0d, rg[4], off;
	uint64_t pfn;
	uint16_t at;

	/* netvsc's probe: handshake, RNDIS INIT, its queries and sets */
	nv_handshake();
	nv_oid(0, KHCL_RNDIS_MSG_QUERY, KHCL_OID_GEN_MAXIMUM_FRAME_SIZE,
	       NULL, 0);		/* before INIT: refused */
	nv_rndis_init(1);
	for (size_t i = 0; i < ARRAY_SIZE(queries); i++)
		nv_oid(i & 1 ? 0x40 | (i << 3) : 0, KHCL_RNDIS_MSG_QUERY,
		       queries[i], NULL, 0);
	nv_oid(0, KHCL_RNDIS_MSG_QUERY, KHCL_OID_TCP_OFFLOAD_HW_CAPS, info,
	       sizeof(info));
	nv_oid(0, KHCL_RNDIS_MSG_SET, KHCL_OID_TCP_OFFLOAD_PARAMETERS, info,
	       28);
	nv_oid(0, KHCL_RNDIS_MSG_SET, KHCL_OID_GEN_CURRENT_PACKET_FILTER, &v,
	       4);
	nv_oid(0, KHCL_RNDIS_MSG_SET, KHCL_OID_802_3_MULTICAST_LIST, info,
	       12);
	nv_simple(KHCL_RNDIS_MSG_KEEPALIVE, 7);
	nv_simple(KHCL_RNDIS_MSG_RESET, 8);
	/* the guest returns receive sections */
	nv_msg(0x40 | 0x80, KHCL_NVSP_SEND_RNDIS_PKT_COMPLETE, 1, 0, 0);
	nv_simple(KHCL_RNDIS_MSG_HALT, 9);
	nv_oid(0, KHCL_RNDIS_MSG_QUERY, KHCL_OID_GEN_LINK_SPEED, NULL, 0);
	nv_msg(0x80, KHCL_NVSP_REVOKE_RECV_BUF, 0xcafe, 0, 0);
	nv_msg(0x80, KHCL_NVSP_REVOKE_SEND_BUF, 0, 0, 0);
	save("fuzz_netvsp", "probe");

	/* hostile: HOSTILE.md's RNDIS cases after a proper INIT */
	nv_handshake();
	nv_rndis_init(1);
	nv_oid(0, KHCL_RNDIS_MSG_SET, 0x00010270, info, 16);
	nv_oid(0, KHCL_RNDIS_MSG_SET, KHCL_OID_802_3_MULTICAST_LIST, info,
	       10);
	nv_oid(0, KHCL_RNDIS_MSG_SET, KHCL_OID_GEN_CURRENT_PACKET_FILTER, &v,
	       3);
	memset(raw, 0, sizeof(raw));
	*q = (struct khcl_rndis_oid_req){
		.h = { KHCL_RNDIS_MSG_SET, sizeof(*q) + 4, 5 },
		.oid = KHCL_OID_GEN_CURRENT_PACKET_FILTER, .info_buflen = 4,
		.info_buf_offset = 0x80808080,
	};
	nv_rndis(0, raw, sizeof(*q) + 4);
	q->info_buf_offset = 20;
	q->info_buflen = 0xfffffff0;
	nv_rndis(0, raw, sizeof(*q) + 4);
	q->info_buflen = 4;
	q->info_buf_offset = 4;
	nv_rndis(0, raw, sizeof(*q) + 4);
	q->info_buf_offset = 20;
	q->h.len = 1000;
	nv_rndis(0, raw, sizeof(*q) + 4);
	q->h.len = sizeof(*q) + 4;
	q->h.type = KHCL_RNDIS_MSG_PACKET;
	nv_rndis(0, raw, sizeof(*q) + 4);
	q->h.type = 0x80000004;
	nv_rndis(0, raw, sizeof(*q) + 4);
	nv_rndis(0, raw, 8);
	/* a second INIT, data packets, sub-channels, a far page */
	nv_rndis_init(2);
	nv_msg(0, KHCL_NVSP_SEND_RNDIS_PKT, 0, ~0u, 0);
	nv_msg(0, KHCL_NVSP_SUBCHANNEL, 1, 2, 0);
	nv_msg(0, KHCL_NVSP_INIT, KHCL_NVSP_V6, KHCL_NVSP_V6, 0);
	nv_msg(0, KHCL_NVSP_SEND_RECV_BUF, 56, 0, 0);
	nv_oid(0x38 | 0x40, KHCL_RNDIS_MSG_QUERY,
	       KHCL_OID_802_3_PERMANENT_ADDRESS, NULL, 0);
	save("fuzz_netvsp", "hostile");

	/* raw packets: the handshake, then RNDIS as netvsc lays it out */
	nv_handshake();
	nv_msg(0x40, KHCL_NVSP_SEND_RNDIS_PKT_COMPLETE, 0, 0, 0);
	for (int i = 0; i < 3; i++) {
		struct khcl_rndis_init_req init = {
			.h = { KHCL_RNDIS_MSG_INIT, sizeof(init), 1 },
			.major = 1,
		};
		struct khcl_nvsp_msg m = { .type = KHCL_NVSP_SEND_RNDIS_PKT };
		struct khcl_vmpkt_desc d = {
			.type = KHCL_VMPKT_DATA_USING_GPA_DIRECT,
			.offset8 = 5, .len8 = 10,
			.flags = KHCL_VMPKT_FLAG_COMPLETION_REQUESTED,
			.trans_id = 100 + i,
		};
		uint8_t pg[2 + 64];
		uint32_t len = sizeof(init);

		/* the message at page 2 (i 1: a query; i 2: PFN not RAM) */
		off = 2 * KHCL_HV_PAGE_SIZE + 100;
		at = off;
		memcpy(pg, &at, 2);
		if (i == 1) {
			struct khcl_rndis_oid_req oq = {
				.h = { KHCL_RNDIS_MSG_QUERY, sizeof(oq), 3 },
				.oid = KHCL_OID_GEN_MAXIMUM_FRAME_SIZE,
			};

			memcpy(pg + 2, &oq, sizeof(oq));
			len = sizeof(oq);
		} else {
			memcpy(pg + 2, &init, sizeof(init));
		}
		nv_rec(FN_PAGES, pg, 2 + len);
		m.rndis.channel_type = 1;
		m.rndis.section_index = KHCL_NVSP_NO_SECTION;
		rg[0] = 0;
		rg[1] = 1;
		rg[2] = len;
		rg[3] = 100;
		pfn = i == 2 ? 0x12345 : 2;
		put8(FN_RAW);
		put16(sizeof(d) + sizeof(rg) + sizeof(pfn) + sizeof(m));
		putb(&d, sizeof(d));
		putb(rg, sizeof(rg));
		putb(&pfn, sizeof(pfn));
		putb(&m, sizeof(m));
	}
	save("fuzz_netvsp", "raw");

	/* receive buffer mappings that fail, then work, then get revoked */
	put8(FN_MAPCFG);
	put16(8);
	put32(0);
	put32(1728);
	nv_msg(0, KHCL_NVSP_INIT, KHCL_NVSP_V5, KHCL_NVSP_V5, 0);
	nv_msg(0, KHCL_NVSP_SEND_RECV_BUF, 55, 0, 0);
	nv_rndis_init(1);
	put8(FN_MAPCFG);
	put16(8);
	put32(1 << 20);
	put32(4096);
	nv_msg(0, KHCL_NVSP_SEND_RECV_BUF, 55, 0, 0);
	nv_rndis_init(2);
	nv_oid(0, KHCL_RNDIS_MSG_QUERY, KHCL_OID_TCP_OFFLOAD_HW_CAPS, NULL, 0);
	nv_msg(0x80, KHCL_NVSP_REVOKE_RECV_BUF, 0, 0, 0);
	nv_oid(0, KHCL_RNDIS_MSG_QUERY, KHCL_OID_GEN_LINK_SPEED, NULL, 0);
	save("fuzz_netvsp", "buffers");

	/* data sends as netvsc makes them, then hostile ones */
	nv_handshake();
	nv_rndis_init(1);
	memset(info, 0, sizeof(info));
	info[0] = 0x80;
	info[1] = 3;
	info[2] = 28;
	info[5] = info[6] = info[7] = info[8] = 4;	/* TX+RX checksums */
	info[11] = info[12] = 2;			/* LSO v2 */
	nv_oid(0, KHCL_RNDIS_MSG_SET, KHCL_OID_TCP_OFFLOAD_PARAMETERS, info,
	       28);
	nv_data(0x20, 0, 86, 42, NULL, 0);		/* in a section */
	nv_data(0, 0, 0, 1514, csum, 1);		/* pages, csum */
	nv_data(0, 8, 60, 9000, lso, 1);		/* cp_partial, LSO */
	nv_data(0x40, 40, 0, 3000, vlan, 1);		/* a PFN past RAM */
	nv_data(0, 2, 0, 200, hash, 1);		/* 33-byte ranges */
	nv_msg(0, KHCL_NVSP_SWITCH_DATA_PATH, 1, 0, 0);
	save("fuzz_netvsp", "data");

	/*
	 * vRSS and RSC: SUBCHANNEL, RSS parameters over the channels,
	 * coalesced frames taking runs of sections, the runs completed
	 */
	nv_handshake();
	nv_rndis_init(1);
	nv_msg(0, KHCL_NVSP_SUBCHANNEL, 1, 1, 0);
	nv_rss();
	nv_rsc(3000, false);
	nv_rsc(9999, true);
	nv_msg(0x40 | 2 << 3, KHCL_NVSP_SEND_RNDIS_PKT_COMPLETE, 1, 0, 0);
	nv_msg(0x40 | 7 << 3, KHCL_NVSP_SEND_RNDIS_PKT_COMPLETE, 1, 0, 0);
	save("fuzz_netvsp", "rsc");
}

/* ---- fuzz_vmbus_ctl ---- */

static void fv_op(uint32_t op)
{
	put8(op);
}

static void fv_contact(uint8_t ver)
{
	fv_op(FV_CONTACT);
	put8(ver);
	put8(0);
	put8(2);
}

/* A GPADL header: @nin PFNs inline (0xff: all that fit). */
static void fv_header(uint8_t flags, uint8_t relid, uint8_t h,
		      uint16_t pages, uint8_t nin, uint8_t pfn)
{
	fv_op(FV_HEADER | flags);
	put8(relid);
	put8(h);
	put16(pages);
	put16(0);
	put8(nin);
	put8(pfn);
}

static void fv_body(uint8_t h, uint8_t n, uint8_t pfn)
{
	fv_op(FV_BODY);
	put8(h);
	put8(n);
	put8(pfn);
}

/* A GPADL of @pages whole pages: a header, then bodies. */
static void fv_gpadl(uint8_t relid, uint8_t h, uint16_t pages)
{
	fv_header(0, relid, h, pages, 0xff, 1);
	for (int left = pages - 26; left > 0; left -= 28)
		fv_body(h, 0xff, 1);
}

static void fv_open(uint8_t relid, uint8_t h, uint8_t vp, uint8_t id)
{
	fv_op(FV_OPEN);
	put8(relid);
	put8(h);
	put8(4);	/* downstream ring at page 4 */
	put8(vp);
	put8(id);
}

static void fv_relid_op(uint32_t op, uint8_t relid)
{
	fv_op(op);
	put8(relid);
}

static void fv_two(uint32_t op, uint8_t a, uint8_t b)
{
	fv_op(op);
	put8(a);
	put8(b);
}

static void gen_vmbus_ctl(void)
{
	int i;

	/* netvsc's life: ring, open, buffer, modify, teardown, close */
	fv_contact(0);
	fv_op(FV_REQOFFERS);
	fv_gpadl(1, 0, 40);
	fv_open(1, 0, 0, 7);
	fv_two(FV_MODIFY, 1, 1);
	fv_two(FV_MODIFY, 1, 9);
	fv_gpadl(1, 1, 60);
	fv_two(FV_MAP, 1, 1);
	fv_two(FV_TEARDOWN, 1, 1);	/* deferred: mapped */
	fv_relid_op(FV_UNMAP, 0);	/* TORNDOWN now */
	fv_two(FV_TEARDOWN, 1, 0);	/* deferred: the ring is open */
	fv_relid_op(FV_CLOSE, 1);
	fv_two(FV_TEARDOWN, 1, 0);	/* none left: refused */
	fv_relid_op(FV_RELEASED, 1);
	fv_op(FV_UNLOAD);
	save("fuzz_vmbus_ctl", "lifecycle");

	/* limits: count, pages per GPADL, pages in all */
	fv_contact(0);
	fv_op(FV_REQOFFERS);
	for (i = 0; i < 17; i++)
		fv_header(0, 1, i, 1, 0xff, 2);
	for (i = 0; i < 17; i++)
		fv_two(FV_TEARDOWN, 1, i);
	fv_header(0, 2, 20, 600, 0xff, 2);
	for (i = 0; i < 5; i++)
		fv_header(0, 2, 21 + i, 512, 0xff, 2);
	fv_header(0x20, 2, 30, 2, 0xff, 2);	/* range_buflen wrong */
	fv_header(0x40, 2, 30, 2, 0xff, 2);	/* two ranges */
	fv_header(0x80, 2, 30, 2, 0xff, 2);	/* byte offset */
	fv_header(0, 2, 21, 1, 0xff, 2);	/* handle in use */
	fv_relid_op(FV_RELEASED, 2);
	save("fuzz_vmbus_ctl", "limits");

	/* bodies: in arrival order, too many, bad PFNs, a building teardown */
	fv_contact(0);
	fv_op(FV_REQOFFERS);
	fv_header(0, 1, 3, 100, 10, 5);
	fv_body(3, 28, 5);
	fv_body(3, 28, 5);
	fv_body(3, 28, 5);
	fv_body(3, 28, 5);
	fv_header(0, 1, 4, 100, 26, 5);
	fv_body(4, 0xff, 0x85);		/* a PFN beyond VTL0 RAM */
	fv_header(0, 1, 5, 30, 26, 5);
	fv_body(5, 10, 5);		/* more than it has */
	fv_header(0, 1, 6, 30, 26, 5);
	fv_two(FV_TEARDOWN, 1, 6);	/* still building */
	fv_header(0, 7, 7, 3, 0xff, 5);	/* no such channel */
	fv_header(0, 1, 8, 3, 0xff, 0x85);
	save("fuzz_vmbus_ctl", "bodies");

	/* sub-channels, VSP mappings across them, rescinds */
	fv_contact(0);
	fv_op(FV_REQOFFERS);
	fv_gpadl(1, 0, 8);
	fv_open(1, 0, 1, 1);
	fv_gpadl(1, 9, 16);
	for (i = 0; i < 3; i++)
		fv_relid_op(FV_OFFER_SUB, 1);
	fv_gpadl(3, 10, 8);
	fv_open(3, 10, 2, 2);
	fv_two(FV_MAP, 3, 9);		/* the primary's buffer */
	fv_two(FV_TEARDOWN, 1, 9);
	fv_relid_op(FV_RESET, 3);
	fv_two(FV_TEARDOWN, 3, 10);
	fv_relid_op(FV_RESCIND, 1);
	fv_relid_op(FV_RELEASED, 3);
	fv_relid_op(FV_RELEASED, 1);
	fv_op(FV_FREE);
	fv_op(FV_OFFER);
	fv_contact(1);			/* reconnect */
	save("fuzz_vmbus_ctl", "subchannels");

	/* injected failures, wrong conn ids, old versions */
	fv_contact(0);
	fv_op(FV_REQOFFERS);
	fv_relid_op(FV_FAIL, 1);
	fv_header(0, 1, 0, 8, 0xff, 1);
	fv_relid_op(FV_FAIL, 2);
	fv_header(0, 1, 0, 8, 0xff, 1);
	fv_gpadl(1, 0, 8);
	fv_relid_op(FV_FAIL, 4);
	fv_open(1, 0, 0, 3);
	fv_relid_op(FV_CONN_ID, 1);
	fv_open(1, 0, 0, 3);
	fv_open(1, 0, 7, 3);
	fv_open(1, 0, 0, 3);
	fv_open(1, 0, 0, 3);
	fv_contact(6);			/* 3.0: no MODIFYCHANNEL answer */
	fv_op(FV_REQOFFERS);
	fv_gpadl(2, 1, 8);
	fv_open(2, 1, 0, 4);
	fv_two(FV_MODIFY, 2, 1);
	fv_contact(9);			/* unknown: refused */
	fv_op(FV_RAW | 0x80);
	put8(16);
	put32(KHCL_CHMSG_GPADL_TEARDOWN);
	put32(0);
	put32(1);
	put32(FV_HANDLE(1));
	save("fuzz_vmbus_ctl", "failures");

	/* every relid and every sub_channel_index in use */
	fv_contact(0);
	fv_op(FV_REQOFFERS);
	fv_gpadl(1, 0, 8);
	fv_open(1, 0, 0, 1);
	for (i = 0; i < 63; i++)
		fv_relid_op(FV_OFFER_SUB, 1);	/* the last: no relid */
	fv_op(FV_OFFER);
	fv_relid_op(FV_RESCIND, 2);
	fv_relid_op(FV_RELEASED, 2);
	fv_relid_op(FV_OFFER_SUB, 1);
	fv_relid_op(FV_OFFER_SUB, 1);		/* no index */
	fv_relid_op(FV_RESCIND, 1);
	for (i = 1; i <= 64; i++)
		fv_relid_op(FV_RELEASED, i);
	fv_op(FV_FREE);
	save("fuzz_vmbus_ctl", "exhaust");
}

/* ---- fuzz_ring ---- */

static void fr_hdr(uint8_t mode, uint8_t nflip)
{
	put8(mode);
	put8(nflip);
	put8(0);	/* in: one page */
	put8(16);	/* out: 5 KiB, not a power of two */
	for (int i = 0; i < 4; i++)
		put16(0);
}

static void fr_put(uint16_t len, uint8_t bad)
{
	put8(FR_GUEST_PUT);
	put16(len);
	put8(bad);
}

static void fr_write(uint16_t len, uint8_t ext)
{
	put8(FR_WRITE);
	put16(len);
	put8(ext);
}

static void fr_script(void)
{
	for (int i = 0; i < 6; i++) {
		fr_put(40 + 200 * i, 0);
		fr_write(24 + 300 * i, i & 1 ? 16 : 0);
	}
	put8(FR_READ);
	put16(4096);
	put8(FR_DRAIN);
	put8(64);
	put8(FR_GUEST_GET);
	for (int i = 0; i < 8; i++)
		fr_write(700, 0);		/* fills it: pending_send_sz */
	put8(FR_GUEST_GET);
	fr_write(700, 0);
	fr_put(3000, 0);
	fr_put(3000, 0);			/* full */
	put8(FR_DRAIN);
	put8(1);
	put8(FR_MASK);
	for (int i = 0; i < 4; i++) {		/* batches, the last full */
		put8(FR_BATCH);
		put8(3 + i);
		put16(200 + 250 * i);
		put8(FR_GUEST_GET);
	}
	fr_put(100, 0x0b);			/* bad len8 */
	put8(FR_READ);
	put16(64);
}

static void gen_ring(void)
{
	fr_hdr(0, 0);
	fr_script();
	save("fuzz_ring", "sequence");

	/* the same with the guest moving its indices under the core */
	fr_hdr(1, 64);
	fr_script();
	for (int i = 0; i < 256; i++)
		put8(0x80 | (i * 37 % 0x80));
	save("fuzz_ring", "flips");

	/* a guest that pokes its header and scribbles on the data */
	fr_hdr(2, 0);
	fr_put(100, 0);
	put8(FR_POKE);
	put8(0x00);
	put32(4);			/* write index unaligned */
	put8(FR_READ);
	put16(512);
	put8(FR_POKE);
	put8(0x19);
	put32(77);			/* out read index */
	fr_write(100, 0);
	put8(FR_POKE);
	put8(0x04);
	put32(0);			/* no pending_send_sz feature */
	put8(FR_SCRIBBLE);
	put16(0);
	put8(64);
	put8(0xff);
	put8(FR_DRAIN);
	put8(8);
	save("fuzz_ring", "poke");
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_seeds <seeds dir>\n");
		return 2;
	}
	gs_dir = argv[1];
	gen_netvsp();
	gen_vmbus_ctl();
	gen_ring();
	return 0;
}
