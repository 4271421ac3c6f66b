// SPDX-License-Identifier: GPL-2.0
/*
 * Network VSP protocol core, RNDIS control messages (inside NVSP's
 * SEND_RNDIS_PKT; NVSP is nvsp.c). See netvsp.h: only the OIDs of
 * netvsp_wire.h are known, every length and offset is checked.
 */
#include "netvsp.h"

static void put32(u8 *p, u32 off, u32 v)
{
	memcpy(p + off, &v, sizeof(v));
}

/*
 * NDIS_OFFLOAD: what khcl offers (dev->offload_caps), as revision 3 (RSC
 * included) when the guest's query has room for it (netvsc on NVSP 5 and
 * later), else revision 1.
 */
static u32 rndis_offload_caps(struct khcl_rndis_dev *dev, u32 room, u8 *data)
{
	u32 size = room >= KHCL_NDIS_OFFLOAD_SIZE_V3 ?
		   KHCL_NDIS_OFFLOAD_SIZE_V3 : KHCL_NDIS_OFFLOAD_SIZE_V1;

	memset(data, 0, size);
	data[0] = KHCL_NDIS_OBJ_OFFLOAD;
	data[1] = size == KHCL_NDIS_OFFLOAD_SIZE_V3 ? 3 : 1;
	data[2] = size;
	if (dev->offload_caps & KHCL_NV_OFF_CSUM) {
		put32(data, KHCL_NDIS_OFF_IP4_TXENC, KHCL_NDIS_ENCAP_8023);
		put32(data, KHCL_NDIS_OFF_IP4_TXCSUM, KHCL_NDIS_CSUM4_CAPS);
		put32(data, KHCL_NDIS_OFF_IP4_RXENC, KHCL_NDIS_ENCAP_8023);
		put32(data, KHCL_NDIS_OFF_IP4_RXCSUM, KHCL_NDIS_CSUM4_CAPS);
		put32(data, KHCL_NDIS_OFF_IP6_TXENC, KHCL_NDIS_ENCAP_8023);
		put32(data, KHCL_NDIS_OFF_IP6_TXCSUM, KHCL_NDIS_CSUM6_CAPS);
		put32(data, KHCL_NDIS_OFF_IP6_RXENC, KHCL_NDIS_ENCAP_8023);
		put32(data, KHCL_NDIS_OFF_IP6_RXCSUM, KHCL_NDIS_CSUM6_CAPS);
	}
	/* netvsc takes LSO only along with TCP checksum offload */
	if ((dev->offload_caps & KHCL_NV_OFF_LSO) &&
	    (dev->offload_caps & KHCL_NV_OFF_CSUM)) {
		put32(data, KHCL_NDIS_OFF_LSO2_IP4_ENCAP, KHCL_NDIS_ENCAP_8023);
		put32(data, KHCL_NDIS_OFF_LSO2_IP4_MAXSZ, KHCL_NV_GSO_MAX_FRAME);
		put32(data, KHCL_NDIS_OFF_LSO2_IP4_MINSG, 2);
		put32(data, KHCL_NDIS_OFF_LSO2_IP6_ENCAP, KHCL_NDIS_ENCAP_8023);
		put32(data, KHCL_NDIS_OFF_LSO2_IP6_MAXSZ, KHCL_NV_GSO_MAX_FRAME);
		put32(data, KHCL_NDIS_OFF_LSO2_IP6_MINSG, 2);
		put32(data, KHCL_NDIS_OFF_LSO2_IP6_OPTS, KHCL_NDIS_LSO6_OPTS);
	}
	/* netvsc takes RSC only for both IPv4 and IPv6 */
	if ((dev->offload_caps & KHCL_NV_OFF_RSC) &&
	    size == KHCL_NDIS_OFFLOAD_SIZE_V3) {
		data[KHCL_NDIS_OFF_RSC_IP4] = 1;
		data[KHCL_NDIS_OFF_RSC_IP6] = 1;
	}
	return size;
}

/*
 * OID_TCP_OFFLOAD_PARAMETERS: the guest turns offloads on and off; only
 * those offered may go on. A byte khcl does not read (IPsec, the IPv4
 * header checksum) changes nothing. RSC's bytes are there from revision 3
 * (netvsc sends 28 bytes on NVSP 5 and later; ethtool's LRO toggle sets
 * only them).
 */
static u32 rndis_offload_params(struct khcl_rndis_dev *dev, const u8 *p,
				u32 n)
{
	static const u8 csum[] = { KHCL_NDIS_PAR_TCP4_CSUM,
				   KHCL_NDIS_PAR_UDP4_CSUM,
				   KHCL_NDIS_PAR_TCP6_CSUM,
				   KHCL_NDIS_PAR_UDP6_CSUM };
	u32 on = dev->offloads, i;
	int tx_csum = -1;

	if (n < KHCL_NDIS_PAR_MIN)
		return KHCL_RNDIS_STATUS_INVALID_DATA;
	for (i = 0; i < sizeof(csum); i++) {
		u8 v = p[csum[i]];

		if (v > 4)
			return KHCL_RNDIS_STATUS_INVALID_DATA;
		if (v)		/* TX on (2, 4) or off (1, 3) */
			tx_csum = tx_csum > 0 || v == 2 || v == 4;
	}
	if (tx_csum == 1)
		on |= KHCL_NV_OFF_CSUM;
	else if (!tx_csum)
		on &= ~KHCL_NV_OFF_CSUM;
	if (p[KHCL_NDIS_PAR_LSO2_IP4] > 2 || p[KHCL_NDIS_PAR_LSO2_IP6] > 2)
		return KHCL_RNDIS_STATUS_INVALID_DATA;
	if (p[KHCL_NDIS_PAR_LSO2_IP4] == 2 || p[KHCL_NDIS_PAR_LSO2_IP6] == 2)
		on |= KHCL_NV_OFF_LSO;
	else if (p[KHCL_NDIS_PAR_LSO2_IP4] || p[KHCL_NDIS_PAR_LSO2_IP6])
		on &= ~KHCL_NV_OFF_LSO;
	if (n > KHCL_NDIS_PAR_RSC_IP6) {
		if (p[KHCL_NDIS_PAR_RSC_IP4] > 2 || p[KHCL_NDIS_PAR_RSC_IP6] > 2)
			return KHCL_RNDIS_STATUS_INVALID_DATA;
		if (p[KHCL_NDIS_PAR_RSC_IP4] == 2 ||
		    p[KHCL_NDIS_PAR_RSC_IP6] == 2)
			on |= KHCL_NV_OFF_RSC;
		else if (p[KHCL_NDIS_PAR_RSC_IP4] || p[KHCL_NDIS_PAR_RSC_IP6])
			on &= ~KHCL_NV_OFF_RSC;
	}
	if (on & ~dev->offload_caps)
		return KHCL_RNDIS_STATUS_NOT_SUPPORTED;
	dev->offloads = on;
	return KHCL_RNDIS_STATUS_SUCCESS;
}

static u32 rndis_query(struct khcl_rndis_dev *dev, u32 oid, u32 room,
		       u8 *data, u32 *status)
{
	u32 v;

	*status = KHCL_RNDIS_STATUS_SUCCESS;
	switch (oid) {
	case KHCL_OID_GEN_MAXIMUM_FRAME_SIZE:
		v = dev->mtu;
		break;
	case KHCL_OID_GEN_LINK_SPEED:
		v = dev->link_speed;
		break;
	case KHCL_OID_GEN_MEDIA_CONNECT_STATUS:
		v = dev->link_up ? 0 : 1;	/* connected, disconnected */
		break;
	case KHCL_OID_GEN_CURRENT_PACKET_FILTER:
		v = dev->packet_filter;
		break;
	case KHCL_OID_802_3_PERMANENT_ADDRESS:
	case KHCL_OID_802_3_CURRENT_ADDRESS:
		memcpy(data, dev->mac, sizeof(dev->mac));
		return sizeof(dev->mac);
	case KHCL_OID_TCP_OFFLOAD_HW_CAPS:
		return rndis_offload_caps(dev, room, data);
	case KHCL_OID_GEN_RECEIVE_SCALE_CAPABILITIES:
		/*
		 * ndis_recv_scale_cap {hdr 0x88 rev 2 size 18, cap_flag,
		 * num_int_msg, num_recv_que, u16 num_indirect_tabent}: the
		 * receive queues khcl serves (fewer than 2: netvsc asks for
		 * no sub-channel)
		 */
		memset(data, 0, KHCL_RSS_CAPS_SIZE);
		data[0] = KHCL_NDIS_OBJ_RSS_CAPS;
		data[1] = 2;
		data[2] = KHCL_RSS_CAPS_SIZE;
		put32(data, 8, 1);
		put32(data, 12, dev->rx_queues ? dev->rx_queues : 1);
		data[16] = 128;		/* netvsc's ITAB_NUM */
		return KHCL_RSS_CAPS_SIZE;
	default:
		dev->unknown_oids++;
		*status = KHCL_RNDIS_STATUS_NOT_SUPPORTED;
		return 0;
	}
	memcpy(data, &v, sizeof(v));
	return sizeof(v);
}

static u32 rndis_set(struct khcl_rndis_dev *dev, u32 oid, const u8 *info,
		     u32 n)
{
	switch (oid) {
	case KHCL_OID_GEN_CURRENT_PACKET_FILTER:
		if (n != sizeof(u32))
			return KHCL_RNDIS_STATUS_INVALID_DATA;
		memcpy(&dev->packet_filter, info, sizeof(u32));
		return KHCL_RNDIS_STATUS_SUCCESS;
	case KHCL_OID_802_3_MULTICAST_LIST:
		/* whole addresses only (CVE-2016-0088) */
		return n % 6 ? KHCL_RNDIS_STATUS_INVALID_DATA :
			       KHCL_RNDIS_STATUS_SUCCESS;
	case KHCL_OID_TCP_OFFLOAD_PARAMETERS:
		return rndis_offload_params(dev, info, n);
	case KHCL_OID_GEN_RECEIVE_SCALE_PARAMETERS:
		return khcl_rss_set(&dev->rss, info, n, dev->nchan ?: 1);
	default:
		dev->unknown_oids++;
		return KHCL_RNDIS_STATUS_NOT_SUPPORTED;
	}
}

static int rndis_oid(struct khcl_rndis_dev *dev, const u8 *msg, u32 len,
		     u8 *out)
{
	struct khcl_rndis_query_complete qc;
	struct khcl_rndis_oid_req q;
	u64 start, end;
	u32 n = 0, status;

	if (len < sizeof(q)) {
		dev->bad_msgs++;
		return -1;
	}
	memcpy(&q, msg, sizeof(q));
	/* the info buffer lies inside the message (CVE-2016-0089) */
	start = 8ull + q.info_buf_offset;
	end = start + q.info_buflen;
	if (q.info_buflen && (start < sizeof(q) || end > len)) {
		dev->bad_msgs++;
		status = KHCL_RNDIS_STATUS_INVALID_DATA;
	} else if (!dev->initialized) {
		status = KHCL_RNDIS_STATUS_FAILURE;
	} else if (q.h.type == KHCL_RNDIS_MSG_QUERY) {
		dev->queries++;
		n = rndis_query(dev, q.oid, q.info_buflen, out + sizeof(qc),
				&status);
	} else {
		dev->sets++;
		/* no pointer is formed outside the message, even unused */
		status = rndis_set(dev, q.oid, q.info_buflen ? msg + start : msg,
				   q.info_buflen);
	}
	memset(&qc, 0, sizeof(qc));
	qc.h.type = q.h.type | KHCL_RNDIS_COMPLETION;
	qc.h.req_id = q.h.req_id;
	qc.status = status;
	if (q.h.type == KHCL_RNDIS_MSG_SET) {	/* SET_C: 16 bytes */
		qc.h.len = sizeof(struct khcl_rndis_status_complete);
		memcpy(out, &qc, qc.h.len);
		return qc.h.len;
	}
	qc.info_buflen = n;
	qc.info_buf_offset = sizeof(qc) - 8;	/* from req_id */
	qc.h.len = sizeof(qc) + n;
	memcpy(out, &qc, sizeof(qc));
	return qc.h.len;
}

int khcl_rndis_control(struct khcl_rndis_dev *dev, const u8 *msg, u32 len,
		       u8 *out)
{
	struct khcl_rndis_init_complete ic;
	struct khcl_rndis_status_complete sc;
	struct khcl_rndis_hdr h;

	memset(out, 0, KHCL_RNDIS_MAX_REPLY);
	if (len < sizeof(h)) {
		dev->bad_msgs++;
		return -1;
	}
	memcpy(&h, msg, sizeof(h));
	if (h.len < sizeof(h) || h.len > len) {
		dev->bad_msgs++;
		return -1;
	}
	len = h.len;		/* what the message says it is, and no more */
	switch (h.type) {
	case KHCL_RNDIS_MSG_INIT:
		if (len < sizeof(struct khcl_rndis_init_req)) {
			dev->bad_msgs++;
			return -1;
		}
		dev->initialized = true;
		memset(&ic, 0, sizeof(ic));
		ic.h.type = KHCL_RNDIS_MSG_INIT | KHCL_RNDIS_COMPLETION;
		ic.h.len = sizeof(ic);
		ic.h.req_id = h.req_id;
		ic.status = KHCL_RNDIS_STATUS_SUCCESS;
		ic.major = 1;
		ic.medium = 0;			/* 802.3 */
		ic.max_pkt_per_msg = 8;
		ic.max_xfer_size = 0x4000;
		ic.pkt_alignment_factor = 3;	/* 8 bytes */
		memcpy(out, &ic, sizeof(ic));
		return sizeof(ic);
	case KHCL_RNDIS_MSG_HALT:
		dev->initialized = false;
		return 0;
	case KHCL_RNDIS_MSG_QUERY:
	case KHCL_RNDIS_MSG_SET:
		return rndis_oid(dev, msg, len, out);
	case KHCL_RNDIS_MSG_KEEPALIVE:
		memset(&sc, 0, sizeof(sc));
		sc.h.type = KHCL_RNDIS_MSG_KEEPALIVE | KHCL_RNDIS_COMPLETION;
		sc.h.len = sizeof(sc);
		sc.h.req_id = h.req_id;
		sc.status = KHCL_RNDIS_STATUS_SUCCESS;
		memcpy(out, &sc, sizeof(sc));
		return sizeof(sc);
	case KHCL_RNDIS_MSG_RESET:
		/*
		 * RESET {type, len, reserved} has no request id: RESET_C is
		 * {type, len 16, status, addressing_reset 0}. netvsc never
		 * sends it; other RNDIS hosts' clients do.
		 */
		memset(&sc, 0, sizeof(sc));
		sc.h.type = KHCL_RNDIS_MSG_RESET | KHCL_RNDIS_COMPLETION;
		sc.h.len = sizeof(sc);
		sc.h.req_id = KHCL_RNDIS_STATUS_SUCCESS;	/* status */
		sc.status = 0;				/* addressing reset */
		dev->packet_filter = 0;
		memcpy(out, &sc, sizeof(sc));
		return sizeof(sc);
	default:	/* data on the control path, host-only types */
		dev->bad_msgs++;
		return -1;
	}
}
