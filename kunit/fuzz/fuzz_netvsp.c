// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: mana_xlat/netvsp.c, driven as netvsp_main.c drives
 * it. The input is a sequence of records (fuzz_rec.h), each one packet
 * (or a change to the guest's pages) handed to the core in order, so a
 * handshake, the buffers, RNDIS INIT and then QUERY/SET/KEEPALIVE/HALT
 * can follow one another. Packets and RNDIS messages are copied into
 * buffers of exactly their length, so ASan sees any read past them.
 *
 * Findings: memory errors, UB, a PFN list outside the packet, a verdict
 * the state does not allow, and RNDIS answers that break what
 * HOSTILE.md asks: a reply longer than the reply buffer or than its own
 * length field, stale bytes after it, another request id, SUCCESS for
 * an OID khcl does not know (CVE-2021-28476), for a multicast list that
 * is not whole addresses (CVE-2016-0088), for an info buffer outside the
 * message (CVE-2016-0089) or before INIT.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../mana_xlat/netvsp.h"
#include "fuzz_rec.h"
#include "../nd_csum_ref.h"

#define FN_MEM (FN_GUEST_PAGES * KHCL_HV_PAGE_SIZE)

struct fn_state {
	struct khcl_rndis_dev dev;
	struct khcl_nvsp_chan c;
	uint8_t mem[FN_MEM];		/* the guest's RAM */
	uint8_t send[FN_SEND_SECTIONS * KHCL_NVSP_SEND_SECTION];
	uint32_t buf_len, section;	/* what mapping the receive buffer gives */
	uint32_t mapped_len;		/* what the last mapping gave */
	uint64_t trans_id;
	bool init;			/* what the guest saw: INIT answered */
	uint32_t filter;		/* last packet filter SET that succeeded */
};

static struct fn_state fn;
static const uint8_t fn_zero[KHCL_RNDIS_MAX_REPLY];

#define fn_fail() fn_fail_at(__LINE__)
static void fn_fail_at(int line)
{
	fprintf(stderr, "fuzz_netvsp: check at line %d failed\n", line);
	abort();
}

static uint32_t fn_le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* khcl_vtl0mem_copy: the message out of the pages it names, or -1. */
FZ_NOCOV static int fn_copy(const struct khcl_nvsp_req *r, uint8_t *dst)
{
	for (uint32_t i = 0; i < r->rndis_len; i++) {
		uint64_t at = (uint64_t)r->buf.offset + i;
		uint32_t pg = at >> KHCL_HV_PAGE_SHIFT;
		uint64_t pfn;

		if (pg >= r->buf.npfns)
			fn_fail();	/* the range decoder promised these */
		pfn = khcl_gpa_buf_pfn(r->buf.pfns, pg);
		if (pfn >= FN_GUEST_PAGES)
			return -1;	/* not guest RAM */
		dst[i] = fn.mem[pfn * KHCL_HV_PAGE_SIZE +
				(at & (KHCL_HV_PAGE_SIZE - 1))];
	}
	return 0;
}

static bool fn_known_query(uint32_t oid)
{
	switch (oid) {
	case KHCL_OID_GEN_MAXIMUM_FRAME_SIZE:
	case KHCL_OID_GEN_LINK_SPEED:
	case KHCL_OID_GEN_CURRENT_PACKET_FILTER:
	case KHCL_OID_GEN_MEDIA_CONNECT_STATUS:
	case KHCL_OID_GEN_RECEIVE_SCALE_CAPABILITIES:
	case KHCL_OID_GEN_FRIENDLY_NAME:
	case KHCL_OID_802_3_PERMANENT_ADDRESS:
	case KHCL_OID_802_3_CURRENT_ADDRESS:
	case KHCL_OID_TCP_OFFLOAD_HW_CAPS:
		return true;
	}
	return false;
}

/* The RNDIS answer, against the message it answers. */
static void fn_check_oid(const struct khcl_rndis_dev *before,
			 const uint8_t *msg, uint32_t len, const uint8_t *out,
			 int ret)
{
	struct khcl_rndis_query_complete qc;
	struct khcl_rndis_oid_req q;
	uint64_t start, end;

	if (len < sizeof(q)) {
		if (ret != -1)
			fn_fail();
		return;
	}
	memcpy(&q, msg, sizeof(q));
	memcpy(&qc, out, sizeof(qc));
	start = 8ull + q.info_buf_offset;
	end = start + q.info_buflen;
	if (q.h.type == KHCL_RNDIS_MSG_SET) {
		if (ret != sizeof(struct khcl_rndis_status_complete))
			fn_fail();
	} else if (ret != (int)sizeof(qc) + (int)qc.info_buflen ||
		   qc.info_buf_offset != sizeof(qc) - 8 ||
		   (qc.status && qc.info_buflen)) {
		fn_fail();
	}
	if (qc.status != KHCL_RNDIS_STATUS_SUCCESS)
		return;
	if (q.info_buflen && (start < sizeof(q) || end > len))
		fn_fail();			/* CVE-2016-0089 */
	if (!before->initialized)
		fn_fail();
	if (q.h.type == KHCL_RNDIS_MSG_QUERY) {
		if (!fn_known_query(q.oid))
			fn_fail();
		return;
	}
	switch (q.oid) {
	case KHCL_OID_GEN_CURRENT_PACKET_FILTER:
		if (q.info_buflen != 4)
			fn_fail();
		fn.filter = fn_le32(msg + start);
		break;
	case KHCL_OID_802_3_MULTICAST_LIST:
		if (q.info_buflen % 6)
			fn_fail();		/* CVE-2016-0088 */
		break;
	case KHCL_OID_TCP_OFFLOAD_PARAMETERS:
		if (fn.dev.offloads & ~fn.dev.offload_caps)
			fn_fail();		/* on, though never offered */
		break;
	case KHCL_OID_GEN_RECEIVE_SCALE_PARAMETERS:
		/* a table of whole entries naming open channels only */
		if (fn.dev.rss.enabled &&
		    (!fn.dev.rss.nent || fn.dev.rss.nent > KHCL_RSS_MAX_ENTRIES))
			fn_fail();
		for (uint32_t i = 0; fn.dev.rss.enabled &&
		     i < fn.dev.rss.nent; i++)
			if (fn.dev.rss.table[i] >= (fn.dev.nchan ?: 1))
				fn_fail();
		break;
	default:
		fn_fail();			/* CVE-2021-28476 */
	}
}

static int fn_rndis(const uint8_t *msg, uint32_t len)
{
	struct khcl_rndis_dev before = fn.dev;
	uint8_t *out = malloc(KHCL_RNDIS_MAX_REPLY);
	struct khcl_rndis_hdr h, oh;
	int ret;

	if (!out)
		return -1;
	ret = khcl_rndis_control(&fn.dev, msg, len, out);
	if (ret < -1 || ret > KHCL_RNDIS_MAX_REPLY)
		fn_fail();
	if (memcmp(out + (ret < 0 ? 0 : ret), fn_zero,
		   KHCL_RNDIS_MAX_REPLY - (ret < 0 ? 0 : ret)))
		fn_fail();			/* stale bytes (XSA-216) */
	if (memcmp(fn.dev.mac, before.mac, sizeof(before.mac)) ||
	    fn.dev.mtu != before.mtu || fn.dev.link_speed != before.link_speed)
		fn_fail();
	if (len < sizeof(h)) {
		if (ret != -1)
			fn_fail();
		goto out;
	}
	memcpy(&h, msg, sizeof(h));
	if (h.len < sizeof(h) || h.len > len) {
		if (ret != -1)
			fn_fail();
		goto out;
	}
	if (ret >= (int)sizeof(oh)) {
		memcpy(&oh, out, sizeof(oh));
		/* RESET_C has no request id: its status is there */
		if (oh.len != (uint32_t)ret ||
		    oh.req_id != (h.type == KHCL_RNDIS_MSG_RESET ? 0 : h.req_id) ||
		    oh.type != (h.type | KHCL_RNDIS_COMPLETION))
			fn_fail();
	} else if (ret > 0) {
		fn_fail();
	}
	switch (h.type) {
	case KHCL_RNDIS_MSG_INIT:
		if (ret == (int)sizeof(struct khcl_rndis_init_complete))
			fn.init = true;
		else if (ret != -1 || h.len >= sizeof(struct khcl_rndis_init_req))
			fn_fail();
		break;
	case KHCL_RNDIS_MSG_HALT:
		if (ret)
			fn_fail();
		fn.init = false;
		break;
	case KHCL_RNDIS_MSG_QUERY:
	case KHCL_RNDIS_MSG_SET:
		fn_check_oid(&before, msg, h.len, out, ret);
		break;
	case KHCL_RNDIS_MSG_KEEPALIVE:
		if (ret != sizeof(struct khcl_rndis_status_complete))
			fn_fail();
		break;
	case KHCL_RNDIS_MSG_RESET:
		if (ret != sizeof(struct khcl_rndis_status_complete))
			fn_fail();
		fn.filter = 0;		/* a reset device receives nothing */
		break;
	default:
		if (ret != -1)
			fn_fail();
	}
	if (fn.dev.initialized != fn.init || fn.dev.packet_filter != fn.filter)
		fn_fail();
out:
	free(out);
	return ret;
}

/*
 * An RNDIS answer of @n bytes into a receive section, as netvsp_main.c
 * does: a section that was free, inside the buffer, now the guest's; or
 * none when every one is (counted).
 */
static void fn_section(int n)
{
	struct khcl_nvsp_chan before = fn.c;
	int sec = khcl_nvsp_section_get(&fn.c, n);

	if (sec < 0) {
		if (before.recv_buf && (uint32_t)n <= before.section_size &&
		    before.sections_busy < before.nsections)
			fn_fail();	/* one was free */
		if (memcmp(fn.c.sections_out, before.sections_out,
			   sizeof(before.sections_out)))
			fn_fail();
		return;
	}
	/* exactly that one bit more */
	if ((uint32_t)sec >= before.nsections ||
	    khcl_nvsp_section_out(&before, sec) ||
	    fn.c.sections_busy != before.sections_busy + 1 ||
	    ((uint64_t)sec + 1) * before.section_size > fn.mapped_len ||
	    (uint32_t)n > before.section_size)
		fn_fail();
	before.sections_out[sec / 64] |= 1ull << (sec % 64);
	if (memcmp(fn.c.sections_out, before.sections_out,
		   sizeof(before.sections_out)))
		fn_fail();
}

/* Stream byte @at of a send, as netvsp_data.c reads it; -1: not RAM. */
FZ_NOCOV static int fn_stream_byte(const struct khcl_nv_tx *tx, uint32_t at)
{
	uint64_t a, pfn;

	if (at < tx->section_len)
		return fn.send[tx->section * KHCL_NVSP_SEND_SECTION + at];
	at -= tx->section_len;
	for (uint32_t i = 0; i < tx->nranges; i++) {
		const struct khcl_gpa_buf *b = &tx->range[i];

		if (at >= b->len) {
			at -= b->len;
			continue;
		}
		a = (uint64_t)b->offset + at;
		pfn = khcl_gpa_buf_pfn(b->pfns, a >> KHCL_HV_PAGE_SHIFT);
		if (pfn >= FN_GUEST_PAGES)
			return -1;
		return fn.mem[pfn * KHCL_HV_PAGE_SIZE +
			      (a & (KHCL_HV_PAGE_SIZE - 1))];
	}
	fn_fail();	/* past the stream */
	return -1;
}

/*
 * A data send, as netvsp_data.c walks it: each message's header copied
 * out (exactly its length, for ASan), checked by the core; what the core
 * accepts must describe a frame inside the message with every header an
 * offload needs in the copied part.
 */
static void fn_data(const struct khcl_nvsp_chan *before,
		    const struct khcl_nvsp_req *r)
{
	const struct khcl_nv_tx *tx = &r->tx;
	struct khcl_rndis_txinfo t;
	uint32_t off = 0, msgs = 0, hl, sum = tx->section_len, i;
	uint8_t *hdr;
	int b, ret;

	if (tx->section != KHCL_NVSP_NO_SECTION &&
	    (tx->section >= before->send_nsections || !tx->section_len ||
	     tx->section_len > KHCL_NVSP_SEND_SECTION))
		fn_fail();
	if (tx->section == KHCL_NVSP_NO_SECTION && tx->section_len)
		fn_fail();
	if (tx->nranges > KHCL_NV_MAX_RANGES)
		fn_fail();
	for (i = 0; i < tx->nranges; i++) {
		const struct khcl_gpa_buf *g = &tx->range[i];

		if (!g->len || g->offset >= KHCL_HV_PAGE_SIZE ||
		    g->npfns != (g->offset + (uint64_t)g->len +
				 KHCL_HV_PAGE_SIZE - 1) / KHCL_HV_PAGE_SIZE)
			fn_fail();
		sum += g->len;
	}
	if (sum != tx->total || !sum || sum > KHCL_NV_TX_MAX_STREAM)
		fn_fail();
	while (off < tx->total && msgs++ < KHCL_RNDIS_TX_MAX_MSGS) {
		hl = tx->total - off < KHCL_RNDIS_TX_HDR_MAX ?
		     tx->total - off : KHCL_RNDIS_TX_HDR_MAX;
		hdr = malloc(hl);
		if (!hdr)
			return;
		for (i = 0; i < hl; i++) {
			b = fn_stream_byte(tx, off + i);
			if (b < 0)
				break;
			hdr[i] = b;
		}
		if (i < hl) {		/* a fault: the send is dropped */
			free(hdr);
			return;
		}
		ret = khcl_rndis_tx_parse(hdr, hl, tx->total - off, 1518,
					  fn.dev.offloads, &t);
		free(hdr);
		if (ret) {
			if (ret >= 0 || -ret - 1 >= KHCL_NV_NDROP ||
			    !khcl_nv_drop_name(-ret - 1))
				fn_fail();
			return;
		}
		if (t.msg_len < sizeof(struct khcl_rndis_packet) ||
		    t.msg_len > tx->total - off || t.frame_off < 44 ||
		    (uint64_t)t.frame_off + t.frame_len > t.msg_len ||
		    t.frame_len < 14 || t.hdr_len > t.frame_len ||
		    t.hdr_len < (t.frame_len < KHCL_RNDIS_TX_LINEAR ?
				 t.frame_len : KHCL_RNDIS_TX_LINEAR) ||
		    t.frame_len > (t.gso ? KHCL_NV_GSO_MAX_FRAME : 1518u))
			fn_fail();
		/* what skb_checksum_help and GSO need in the linear part */
		if (t.csum && (t.csum_start < 14 ||
			       (t.csum_offset != 16 && t.csum_offset != 6) ||
			       t.csum_start + t.csum_offset + 2u > t.hdr_len))
			fn_fail();
		if (t.gso && (!t.csum || t.csum_offset != 16 || !t.gso_size ||
			      !(fn.dev.offloads & KHCL_NV_OFF_LSO)))
			fn_fail();
		if (t.csum && !t.gso && !(fn.dev.offloads & KHCL_NV_OFF_CSUM))
			fn_fail();		/* an offload not turned on */
		off += t.msg_len;
	}
}

/* One packet of @len bytes, as the ring core hands it to the VSP. */
static void fn_packet(const uint8_t *pkt, uint32_t len)
{
	struct khcl_nvsp_chan before = fn.c;
	struct khcl_vmpkt_desc desc;
	struct khcl_nvsp_msg reply;
	struct khcl_nvsp_req r;
	uint8_t *msg;
	int n;

	if (len < sizeof(desc))
		return;		/* the ring core never hands over less */
	memcpy(&desc, pkt, sizeof(desc));
	if (khcl_nvsp_parse(&fn.c, &desc, pkt, len, &r))
		return;
	if (r.buf.npfns && (r.buf.pfns < pkt ||
			r.buf.pfns + (uint64_t)r.buf.npfns * 8 > pkt + len ||
			(uint64_t)r.buf.offset + r.rndis_len >
			(uint64_t)r.buf.npfns * KHCL_HV_PAGE_SIZE))
		fn_fail();
	switch (khcl_nvsp_control(&fn.c, &r, &reply)) {
	case KHCL_NVSP_NONE:
		break;
	case KHCL_NVSP_REPLY:
		if (!r.completion || !reply.type)
			fn_fail();
		break;
	case KHCL_NVSP_MAP_RECV_BUF:
		if (!before.version || before.recv_buf)
			fn_fail();
		fn.mapped_len = fn.buf_len;
		khcl_nvsp_recv_buf_done(&fn.c, fn.buf_len, fn.section, &reply);
		if (fn.c.recv_buf !=
		    (reply.recv_buf_complete.status == KHCL_NVSP_STAT_SUCCESS) ||
		    (fn.c.recv_buf && (uint64_t)reply.recv_buf_complete.end_offset
		     > fn.buf_len))
			fn_fail();
		break;
	case KHCL_NVSP_UNMAP_RECV_BUF:
		if (!before.recv_buf || fn.c.recv_buf)
			fn_fail();
		break;
	case KHCL_NVSP_RNDIS:
		if (!fn.c.recv_buf || !r.buf.npfns ||
		    r.rndis_len > KHCL_RNDIS_MAX_MSG)
			fn_fail();
		msg = malloc(r.rndis_len);
		if (!msg)
			break;
		/* answered: the completion, the reply in a section */
		n = fn_copy(&r, msg) ? -1 : fn_rndis(msg, r.rndis_len);
		khcl_nvsp_rndis_complete(&reply, n >= 0);
		if (n > 0)
			fn_section(n);
		khcl_nvsp_rndis_to_guest(&reply);
		free(msg);
		break;
	case KHCL_NVSP_RNDIS_DATA:
		if (!before.version || r.type != KHCL_NVSP_SEND_RNDIS_PKT ||
		    r.msg.rndis.channel_type)
			fn_fail();
		fn_data(&before, &r);
		khcl_nvsp_rndis_complete(&reply, true);
		break;
	case KHCL_NVSP_MAP_SEND_BUF:
		if (!before.version || before.send_buf)
			fn_fail();
		khcl_nvsp_send_buf_done(&fn.c, fn.buf_len ? sizeof(fn.send) : 0,
					&reply);
		if (fn.c.send_buf != !!fn.buf_len ||
		    (uint64_t)fn.c.send_nsections * fn.c.send_section_size >
		    sizeof(fn.send))
			fn_fail();
		break;
	case KHCL_NVSP_UNMAP_SEND_BUF:
		if (!before.send_buf || fn.c.send_buf || fn.c.send_nsections)
			fn_fail();
		break;
	case KHCL_NVSP_SWITCH_DP:
		if (!r.completion)
			fn_fail();
		break;
	case KHCL_NVSP_SUBCHANNELS:
		/* once, from NVSP 5, with a receive buffer; some offered */
		if (before.version < KHCL_NVSP_V5 || !before.recv_buf ||
		    before.subchannels_asked || !r.completion ||
		    !r.msg.subchannel.num)
			fn_fail();
		khcl_nvsp_subchannel_done(&fn.c, r.msg.subchannel.num % 4,
					  &reply);
		fn.dev.nchan = 1 + fn.c.subchannels;
		break;
	default:
		fn_fail();
	}
	/*
	 * A guest completion hands back exactly the run of sections its id
	 * names (khcl_nv_rx_tid: first + 1, the count above bit 32), all of
	 * them the guest's, or nothing.
	 */
	if (r.pkt_type == KHCL_VMPKT_COMP) {
		uint32_t lo = (uint32_t)r.trans_id, cnt = r.trans_id >> 32;
		bool out;

		cnt = cnt ? cnt : 1;
		out = lo >= 1 && cnt <= KHCL_NV_RX_RANGES &&
		      (uint64_t)lo - 1 + cnt <= before.nsections;
		for (uint32_t i = 0; out && i < cnt; i++)
			out = khcl_nvsp_section_out(&before, lo - 1 + i);
		for (uint32_t i = 0; out && i < cnt; i++)
			before.sections_out[(lo - 1 + i) / 64] &=
				~(1ull << ((lo - 1 + i) % 64));
		if (memcmp(fn.c.sections_out, before.sections_out,
			   sizeof(before.sections_out)) ||
		    fn.c.sections_busy != before.sections_busy - out * cnt ||
		    fn.c.errors[KHCL_NVSP_ERR_SECTION] !=
		    before.errors[KHCL_NVSP_ERR_SECTION] + !out)
			fn_fail();
	}
	/* sections only inside the buffer, none without one, counted */
	for (uint32_t w = 0, busy = 0; w <= KHCL_NVSP_SECTIONS / 64; w++) {
		uint64_t v, past;

		if (w == KHCL_NVSP_SECTIONS / 64) {
			if (busy != fn.c.sections_busy)
				fn_fail();
			break;
		}
		v = fn.c.sections_out[w];
		busy += __builtin_popcountll(v);
		past = fn.c.nsections >= (w + 1) * 64 ? 0 :
		       fn.c.nsections <= w * 64 ? ~0ull :
		       ~0ull << (fn.c.nsections % 64);
		if ((v & past) || (v && !fn.c.recv_buf))
			fn_fail();
	}
	if (fn.c.nsections > KHCL_NVSP_SECTIONS ||
	    (fn.c.recv_buf && (uint64_t)fn.c.nsections * fn.c.section_size >
	     fn.mapped_len))
		fn_fail();
}


/*
 * Its pieces in a run of free sections, as nv_rx_rsc() takes them: the
 * run was free, is the guest's now, inside the buffer; or nothing moved.
 */
static void fn_rsc_sections(uint32_t n)
{
	struct khcl_nvsp_chan before = fn.c;
	uint32_t room, cnt;
	int s;

	if (!fn.c.recv_buf || fn.c.section_size <= KHCL_RNDIS_RX_HDR_MAX)
		return;
	room = fn.c.section_size - KHCL_RNDIS_RX_HDR_MAX;
	cnt = (n + room - 1) / room;
	s = khcl_nvsp_sections_get(&fn.c, cnt);
	if (s < 0) {
		if (memcmp(fn.c.sections_out, before.sections_out,
			   sizeof(before.sections_out)))
			fn_fail();
		return;
	}
	if (!cnt || cnt > KHCL_NV_RX_RANGES ||
	    (uint64_t)s + cnt > fn.c.nsections ||
	    fn.c.sections_busy != before.sections_busy + cnt)
		fn_fail();
	for (uint32_t i = s; i < s + cnt; i++)
		if (khcl_nvsp_section_out(&before, i) ||
		    !khcl_nvsp_section_out(&fn.c, i))
			fn_fail();
}

/*
 * A frame the backend coalesced (FN_RSC; from the network, not the
 * guest): headers checked, then made to describe it: the IPv4 header and
 * the TCP checksum (over the pseudo-header) must verify.
 */
static void fn_rsc(const uint8_t *f, uint32_t n)
{
	uint32_t m = n < KHCL_RSC_HDR_MAX ? n : KHCL_RSC_HDR_MAX, l4len, s;
	uint8_t hdr[KHCL_RSC_HDR_MAX], ph[40] = { 0 };
	struct khcl_rsc_hdr h;

	if (khcl_rsc_parse(f, m, n, &h))
		return;
	fn_rsc_sections(n);
	if (h.l3 != 14 || h.l4 < h.l3 + 20 || h.hdr_len < h.l4 + 20 ||
	    h.hdr_len > m)
		fn_fail();
	memcpy(hdr, f, h.hdr_len);
	khcl_rsc_fix(hdr, n, &h, khcl_csum_add(0, f + h.hdr_len,
					       n - h.hdr_len));
	l4len = n - h.l4;
	if (h.ipv6) {
		memcpy(ph, hdr + 22, 32);
		ph[34] = l4len >> 8;
		ph[35] = l4len;
		ph[39] = 6;
		s = nd_ref_sum(0, ph, 40);
	} else {
		if (nd_ref_sum(0, hdr + 14, h.l4 - 14) != 0xffff)
			fn_fail();
		memcpy(ph, hdr + 26, 8);
		ph[9] = 6;
		ph[10] = l4len >> 8;
		ph[11] = l4len;
		s = nd_ref_sum(0, ph, 12);
	}
	s = nd_ref_sum(s, hdr + h.l4, h.hdr_len - h.l4);
	/* the payload after a header of whole 32-bit words */
	if (nd_ref_sum(s, f + h.hdr_len, n - h.hdr_len) != 0xffff)
		fn_fail();
}

/* An NVSP message in an inband packet (or a guest completion). */
static void fn_nvsp(uint8_t op, const uint8_t *p, uint32_t n)
{
	uint64_t run = op >> 3 & 7;	/* a completion of a run: > 1 */
	uint32_t len = sizeof(struct khcl_vmpkt_desc) + n;
	struct khcl_vmpkt_desc d = {
		.type = op & 0x40 ? KHCL_VMPKT_COMP : KHCL_VMPKT_DATA_INBAND,
		.offset8 = sizeof(d) / 8,
		.len8 = (len + 7) / 8,
		.flags = op & 0x80 ? 0 : KHCL_VMPKT_FLAG_COMPLETION_REQUESTED,
		/*
		 * a completion names a receive section, 1..64 mostly, or
		 * the run of @run from it (khcl_nv_rx_tid)
		 */
		.trans_id = op & 0x40 ? (run > 1 ? run << 32 : 0) |
					fn.trans_id++ % 70 : ++fn.trans_id,
	};
	uint8_t *pkt = malloc(len);

	if (!pkt)
		return;
	memcpy(pkt, &d, sizeof(d));
	memcpy(pkt + sizeof(d), p, n);
	fn_packet(pkt, len);
	free(pkt);
}

/* An RNDIS message put in guest memory and sent as netvsc sends it. */
static void fn_rndis_pkt(uint8_t op, const uint8_t *p, uint32_t n)
{
	uint32_t pg = (op >> 3) & 7, off = op & 0x40 ? 4000 : 0, npfns, len;
	struct khcl_nvsp_msg m = { .type = KHCL_NVSP_SEND_RNDIS_PKT };
	struct khcl_vmpkt_gpa_range rg = { .rangecount = 1 };
	struct khcl_vmpkt_desc d = {
		.type = KHCL_VMPKT_DATA_USING_GPA_DIRECT,
		.flags = op & 0x80 ? 0 : KHCL_VMPKT_FLAG_COMPLETION_REQUESTED,
		/* a completion names a receive section: 1..64 mostly */
		.trans_id = op & 0x40 ? fn.trans_id++ % 70 : ++fn.trans_id,
	};
	uint8_t *pkt;

	if (!n)
		return;			/* a range is never empty */
	npfns = (off + n + KHCL_HV_PAGE_SIZE - 1) / KHCL_HV_PAGE_SIZE;
	if (pg + npfns > FN_GUEST_PAGES)
		pg = FN_GUEST_PAGES - npfns;
	memcpy(fn.mem + pg * KHCL_HV_PAGE_SIZE + off, p, n);
	rg.len = n;
	rg.offset = off;
	m.rndis.channel_type = 1;
	m.rndis.section_index = KHCL_NVSP_NO_SECTION;
	d.offset8 = (sizeof(d) + sizeof(rg) + npfns * 8) / 8;
	len = d.offset8 * 8 + sizeof(m);
	d.len8 = len / 8;
	pkt = malloc(len);
	if (!pkt)
		return;
	memcpy(pkt, &d, sizeof(d));
	memcpy(pkt + sizeof(d), &rg, sizeof(rg));
	for (uint32_t i = 0; i < npfns; i++) {
		uint64_t pfn = pg + i;

		memcpy(pkt + sizeof(d) + sizeof(rg) + i * 8, &pfn, 8);
	}
	memcpy(pkt + d.offset8 * 8, &m, sizeof(m));
	fn_packet(pkt, len);
	free(pkt);
}

/*
 * A data send (FN_DATA): @p = {split, section bytes (u16), stream}. The
 * stream's first bytes go into a send section, the rest into guest pages
 * as ranges of at most split * 16 + 1 bytes, back to back from page 0.
 */
static void fn_data_pkt(uint8_t op, const uint8_t *p, uint32_t n)
{
	struct khcl_nvsp_msg m = { .type = KHCL_NVSP_SEND_RNDIS_PKT };
	struct khcl_vmpkt_desc d = {
		.type = KHCL_VMPKT_DATA_USING_GPA_DIRECT,
		.flags = KHCL_VMPKT_FLAG_COMPLETION_REQUESTED,
		.trans_id = ++fn.trans_id,
	};
	uint32_t sec = (op >> 3) & 3, in_sec, rest, chunk, at = 0, nr = 0;
	uint32_t desc = sizeof(d) + 8, mem_at = 0, len;
	uint8_t pkt[sizeof(d) + 8 + KHCL_NV_MAX_RANGES * (8 + 3 * 8) + 40];
	uint8_t *copy;

	if (n < 3)
		return;
	chunk = p[0] * 16u + 1;
	in_sec = p[1] | p[2] << 8;
	p += 3;
	n -= 3;
	if (in_sec > n)
		in_sec = n;
	if (in_sec > KHCL_NVSP_SEND_SECTION)
		in_sec = KHCL_NVSP_SEND_SECTION;
	memcpy(fn.send + sec * KHCL_NVSP_SEND_SECTION, p, in_sec);
	m.rndis.channel_type = 0;
	m.rndis.section_index = in_sec ? sec : KHCL_NVSP_NO_SECTION;
	m.rndis.section_size = in_sec;
	rest = op & 0x20 ? 0 : n - in_sec;
	while (rest && nr < KHCL_NV_MAX_RANGES && mem_at < FN_MEM) {
		uint32_t l = rest < chunk ? rest : chunk, off, npfns;

		if (l > FN_MEM - mem_at)
			l = FN_MEM - mem_at;
		if (l > 2 * KHCL_HV_PAGE_SIZE)
			l = 2 * KHCL_HV_PAGE_SIZE;
		off = mem_at & (KHCL_HV_PAGE_SIZE - 1);
		npfns = (off + l + KHCL_HV_PAGE_SIZE - 1) / KHCL_HV_PAGE_SIZE;
		memcpy(fn.mem + mem_at, p + in_sec + at, l);
		memcpy(pkt + desc, &l, 4);
		memcpy(pkt + desc + 4, &off, 4);
		for (uint32_t i = 0; i < npfns; i++) {
			uint64_t pfn = mem_at / KHCL_HV_PAGE_SIZE + i;

			if ((op & 0x40) && nr == 1)
				pfn = FN_GUEST_PAGES;	/* not RAM */
			memcpy(pkt + desc + 8 + i * 8, &pfn, 8);
		}
		desc += 8 + npfns * 8;
		mem_at += l;
		at += l;
		rest -= l;
		nr++;
	}
	if (!nr) {
		d.type = KHCL_VMPKT_DATA_INBAND;
		desc = sizeof(d);
	}
	memset(pkt + sizeof(d), 0, 4);
	memcpy(pkt + sizeof(d) + 4, &nr, 4);
	d.offset8 = desc / 8;
	len = desc + sizeof(m);
	d.len8 = (len + 7) / 8;
	memcpy(pkt, &d, sizeof(d));
	memcpy(pkt + desc, &m, sizeof(m));
	copy = malloc(len);	/* exactly its length, for ASan */
	if (!copy)
		return;
	memcpy(copy, pkt, len);
	fn_packet(copy, len);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_in in = { data, size, 0 };

	memset(&fn, 0, sizeof(fn));
	fn.dev.mtu = 1500;
	fn.dev.link_speed = 100000000;
	fn.dev.offload_caps = size & 1 ? KHCL_NV_OFF_CSUM | KHCL_NV_OFF_LSO : 0;
	memcpy(fn.dev.mac, "\x02\x6b\x68\x63\x6c\x01", 6);
	fn.buf_len = 16 << 20;
	fn.section = 1728;
	khcl_nvsp_chan_init(&fn.c);
	while (fz_more(&in)) {
		uint8_t op = fz_u8(&in);
		uint32_t len = fz_u16(&in);
		const uint8_t *p;
		uint8_t *copy;
		uint16_t at;

		len = fz_take(&in, len, &p);
		switch (op & 7) {
		case FN_NVSP:
			fn_nvsp(op, p, len);
			break;
		case FN_RNDIS:
			fn_rndis_pkt(op, p, len > KHCL_RNDIS_MAX_MSG + 64 ?
				     KHCL_RNDIS_MAX_MSG + 64 : len);
			break;
		case FN_PAGES:
			if (len < 2)
				break;
			at = (p[0] | p[1] << 8) % FN_MEM;
			len -= 2;
			memcpy(fn.mem + at, p + 2,
			       len < FN_MEM - at ? len : FN_MEM - at);
			break;
		case FN_DATA:
			fn_data_pkt(op, p, len);
			break;
		case FN_RSC:
			fn_rsc(p, len);
			break;
		case FN_MAPCFG:
			if (len < 8)
				break;
			fn.buf_len = fn_le32(p);
			fn.section = fn_le32(p + 4);
			break;
		default:	/* FN_RAW */
			copy = malloc(len ? len : 1);
			if (!copy)
				break;
			memcpy(copy, p, len);
			fn_packet(copy, len);
			free(copy);
			break;
		}
	}
	for (int e = 0; e <= KHCL_NVSP_NERR; e++)
		if (!khcl_nvsp_err_name(e))
			fn_fail();
	return 0;
}
