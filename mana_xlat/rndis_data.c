// SPDX-License-Identifier: GPL-2.0
/*
 * Network VSP protocol core, RNDIS data messages: the PACKET messages the
 * guest sends (checked, their per-packet info turned into offload
 * requests) and the header khcl writes in front of each received frame.
 * See netvsp.h; the formats are in Documentation/notes/netvsc-datapath.md.
 */
#include "netvsp.h"

static const char *const khcl_nv_drop_names[KHCL_NV_NDROP] = {
	[KHCL_NV_DROP_MSG] = "msg",
	[KHCL_NV_DROP_PPI] = "ppi",
	[KHCL_NV_DROP_FRAME] = "frame",
	[KHCL_NV_DROP_OFFLOAD] = "offload",
	[KHCL_NV_DROP_FAULT] = "fault",
	[KHCL_NV_DROP_NOMEM] = "nomem",
	[KHCL_NV_DROP_LINK] = "link",
	[KHCL_NV_DROP_BACKEND] = "backend",
	[KHCL_NV_DROP_RX_NOSECTION] = "rx_nosection",
	[KHCL_NV_DROP_RX_SIZE] = "rx_size",
	[KHCL_NV_DROP_RX_FILTER] = "rx_filter",
	[KHCL_NV_DROP_RX_NOGUEST] = "rx_noguest",
	[KHCL_NV_DROP_RX_STALL] = "rx_stall",
};

const char *khcl_nv_drop_name(enum khcl_nv_drop d)
{
	return d < KHCL_NV_NDROP ? khcl_nv_drop_names[d] : "?";
}

static int tx_drop(enum khcl_nv_drop d)
{
	return -(int)d - 1;
}

#define ETH_HDR		14
#define TCP_HDR_MIN	20
#define TCP_HDR_MAX	60
#define UDP_HDR		8

/*
 * The per-packet info entries in [@p, @p + @n): every one at least a
 * header and its value, inside the area, stepping by its size (so a
 * hostile size cannot loop or reach outside); each type once.
 */
static int tx_ppis(const u8 *p, u32 n, u32 offloads,
		   struct khcl_rndis_txinfo *t)
{
	bool seen_csum = false, seen_lso = false, seen_vlan = false;
	struct khcl_rndis_ppi e;
	u32 v;

	while (n) {
		if (n < sizeof(e))
			return tx_drop(KHCL_NV_DROP_PPI);
		memcpy(&e, p, sizeof(e));
		if (e.size < sizeof(e) || e.size > n || e.ppi_offset < 12 ||
		    e.ppi_offset > e.size - sizeof(v))
			return tx_drop(KHCL_NV_DROP_PPI);
		memcpy(&v, p + e.ppi_offset, sizeof(v));
		switch (e.type) {
		case KHCL_PPI_CSUM:
			if (seen_csum)
				return tx_drop(KHCL_NV_DROP_PPI);
			seen_csum = true;
			if (!(offloads & KHCL_NV_OFF_CSUM) ||
			    (v & KHCL_CSUM_TX_IP_HDR))
				return tx_drop(KHCL_NV_DROP_OFFLOAD);
			if (!(v & (KHCL_CSUM_TX_TCP | KHCL_CSUM_TX_UDP)))
				break;	/* nothing asked */
			if (!(v & KHCL_CSUM_TX_TCP) == !(v & KHCL_CSUM_TX_UDP) ||
			    !(v & KHCL_CSUM_TX_IPV4) == !(v & KHCL_CSUM_TX_IPV6))
				return tx_drop(KHCL_NV_DROP_OFFLOAD);
			t->csum = true;
			t->csum_start = KHCL_CSUM_TX_L4_OFF(v);
			t->csum_offset = v & KHCL_CSUM_TX_TCP ? 16 : 6;
			break;
		case KHCL_PPI_LSO:
			if (seen_lso)
				return tx_drop(KHCL_NV_DROP_PPI);
			seen_lso = true;
			if (!(offloads & KHCL_NV_OFF_LSO) || !(v & KHCL_LSO_V2) ||
			    !KHCL_LSO_MSS(v) || KHCL_LSO_MSS(v) > 0xffff)
				return tx_drop(KHCL_NV_DROP_OFFLOAD);
			t->gso = v & KHCL_LSO_IPV6 ? KHCL_NV_GSO_TCPV6 :
						     KHCL_NV_GSO_TCPV4;
			t->gso_size = KHCL_LSO_MSS(v);
			t->csum = true;
			t->csum_start = KHCL_LSO_TCP_OFF(v);
			t->csum_offset = 16;
			break;
		case KHCL_PPI_VLAN:
			if (seen_vlan)
				return tx_drop(KHCL_NV_DROP_PPI);
			seen_vlan = true;
			t->vlan = true;
			t->vlan_tci = KHCL_VLAN_TCI(v);
			break;
		default:	/* the hash, and what netvsc never sends */
			break;
		}
		p += e.size;
		n -= e.size;
	}
	/* LSO brings its own checksum request: not both */
	if (seen_lso && seen_csum)
		return tx_drop(KHCL_NV_DROP_OFFLOAD);
	return 0;
}

int khcl_rndis_tx_parse(const u8 *hdr, u32 hdrlen, u32 avail, u32 max_frame,
			u32 offloads, struct khcl_rndis_txinfo *t)
{
	struct khcl_rndis_packet m;
	u64 frame_end, ppi_end;
	u32 l4max, need;
	int ret;

	memset(t, 0, sizeof(*t));
	if (hdrlen < sizeof(m) || hdrlen > avail)
		return tx_drop(KHCL_NV_DROP_MSG);
	memcpy(&m, hdr, sizeof(m));
	if (m.type != KHCL_RNDIS_MSG_PACKET || m.len < sizeof(m) ||
	    m.len > avail)
		return tx_drop(KHCL_NV_DROP_MSG);
	/* offsets count from byte 8; the frame follows the fixed part */
	frame_end = 8ull + m.data_offset + m.data_len;
	if (8ull + m.data_offset < sizeof(m) || frame_end > m.len)
		return tx_drop(KHCL_NV_DROP_MSG);
	t->frame_off = 8 + m.data_offset;	/* < m.len: no wrap */
	if (m.ppi_len) {
		ppi_end = 8ull + m.ppi_offset + m.ppi_len;
		if (8ull + m.ppi_offset < sizeof(m) || ppi_end > t->frame_off ||
		    ppi_end > hdrlen)
			return tx_drop(KHCL_NV_DROP_PPI);
		ret = tx_ppis(hdr + 8 + m.ppi_offset, m.ppi_len, offloads, t);
		if (ret)
			return ret;
	}
	t->msg_len = m.len;
	t->frame_len = m.data_len;
	if (t->frame_len < ETH_HDR)
		return tx_drop(KHCL_NV_DROP_FRAME);
	if (t->frame_len > (t->gso ? KHCL_NV_GSO_MAX_FRAME : max_frame))
		return tx_drop(KHCL_NV_DROP_FRAME);
	/* the headers an offload needs lie in the frame, and get copied */
	need = t->frame_len < KHCL_RNDIS_TX_LINEAR ? t->frame_len :
						    KHCL_RNDIS_TX_LINEAR;
	if (t->csum) {
		l4max = t->csum_offset == 16 ? TCP_HDR_MAX : UDP_HDR;
		if (t->csum_start < ETH_HDR ||
		    (u32)t->csum_start + (t->csum_offset == 16 ? TCP_HDR_MIN :
						 UDP_HDR) > t->frame_len)
			return tx_drop(KHCL_NV_DROP_OFFLOAD);
		if (t->gso && t->frame_len <= (u32)t->csum_start + TCP_HDR_MIN)
			return tx_drop(KHCL_NV_DROP_OFFLOAD);
		if (t->csum_start + l4max > need)
			need = t->csum_start + l4max;
		if (need > t->frame_len)
			need = t->frame_len;
	}
	t->hdr_len = need;
	return 0;
}

/* One 16-byte per-packet info entry at @out + @n: the new length. */
static u32 rx_ppi(u8 *out, u32 n, u32 type, u32 value)
{
	struct khcl_rndis_ppi e = {
		.size = sizeof(e), .type = type, .ppi_offset = 12,
		.value = value,
	};

	memcpy(out + n, &e, sizeof(e));
	return n + sizeof(e);
}

u32 khcl_rndis_rx_hdr(u8 *out, u32 frame_len,
		      const struct khcl_rndis_rxinfo *ri)
{
	struct khcl_rndis_packet m = { .type = KHCL_RNDIS_MSG_PACKET };
	u32 n = sizeof(m), id;

	if (ri->csum)
		n = rx_ppi(out, n, KHCL_PPI_CSUM, ri->csum);
	if (ri->vlan)
		n = rx_ppi(out, n, KHCL_PPI_VLAN, KHCL_VLAN_PPI(ri->vlan_tci));
	if (ri->hash)
		n = rx_ppi(out, n, KHCL_PPI_HASH, ri->hash_value);
	if (ri->pktinfo) {
		/* rndis_pktinfo_id {u8 ver 1, u8 flag, u16 pkt_id 0} */
		const u8 b[4] = { 1, ri->pktinfo };

		memcpy(&id, b, sizeof(id));
		n = rx_ppi(out, n, KHCL_PPI_PKTINFO_ID, id);
	}
	m.len = n + frame_len;
	m.data_offset = n - 8;
	m.data_len = frame_len;
	m.ppi_offset = sizeof(m) - 8;	/* 36, even with none (as netvsc) */
	m.ppi_len = n - sizeof(m);
	memcpy(out, &m, sizeof(m));
	return n;
}
