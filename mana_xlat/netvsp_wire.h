/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NVSP and RNDIS as Linux 6.12's hv_netvsc speaks them
 * (drivers/net/hyperv/hyperv_net.h, rndis_filter.c, netvsc.c: read
 * there, not copied; Documentation/notes/netvsc-probe.md has the probe
 * sequence). Little-endian, packed.
 */
#ifndef KHCL_NETVSP_WIRE_H
#define KHCL_NETVSP_WIRE_H

#include "../include/khcl/vmbus_wire.h"

/* ---- NVSP: one 40-byte message per VMBus packet ---- */
enum khcl_nvsp_type {
	KHCL_NVSP_INIT = 1,
	KHCL_NVSP_INIT_COMPLETE = 2,
	KHCL_NVSP_SEND_NDIS_VER = 100,
	KHCL_NVSP_SEND_RECV_BUF = 101,
	KHCL_NVSP_SEND_RECV_BUF_COMPLETE = 102,
	KHCL_NVSP_REVOKE_RECV_BUF = 103,
	KHCL_NVSP_SEND_SEND_BUF = 104,
	KHCL_NVSP_SEND_SEND_BUF_COMPLETE = 105,
	KHCL_NVSP_REVOKE_SEND_BUF = 106,
	KHCL_NVSP_SEND_RNDIS_PKT = 107,
	KHCL_NVSP_SEND_RNDIS_PKT_COMPLETE = 108,
	KHCL_NVSP_SEND_NDIS_CONFIG = 125,
	KHCL_NVSP_SEND_VF_ASSOCIATION = 128,	/* host to guest */
	KHCL_NVSP_SWITCH_DATA_PATH = 129,
	KHCL_NVSP_SUBCHANNEL = 133,
	KHCL_NVSP_SEND_INDIRECTION_TABLE = 134,	/* host to guest */
};

#define KHCL_NVSP_STAT_SUCCESS	1
#define KHCL_NVSP_STAT_FAIL	2

#define KHCL_NVSP_V2		0x00002
#define KHCL_NVSP_V5		0x50000
#define KHCL_NVSP_V6		0x60000
#define KHCL_NVSP_V61		0x60001

#define KHCL_NVSP_MSG_LEN	40
#define KHCL_NVSP_NO_SECTION	0xffffffffu

struct khcl_nvsp_msg {
	u32 type;
	union {
		struct {
			u32 min_ver, max_ver;
		} __packed init;
		struct {
			u32 negotiated_ver, max_mdl_chain_len, status;
		} __packed init_complete;
		struct {
			u32 gpadl;
			u16 id;
		} __packed buf;			/* SEND_RECV_BUF, SEND_SEND_BUF */
		struct {
			u16 id;
		} __packed revoke;		/* REVOKE_RECV_BUF, _SEND_BUF */
		struct {
			u32 status, num_sections;
			u32 offset, sub_alloc_size, num_sub_allocs, end_offset;
		} __packed recv_buf_complete;
		struct {
			u32 status, section_size;
		} __packed send_buf_complete;
		struct {
			u32 channel_type;	/* 0 data, 1 control */
			u32 section_index;
			u32 section_size;
		} __packed rndis;
		struct {
			u32 status;
		} __packed rndis_complete;
		struct {
			u32 op;			/* 1: allocate */
			u32 num;		/* sub-channels */
		} __packed subchannel;		/* and its answer {status, num} */
		struct {
			u32 active;		/* 0 synthetic, 1 VF */
		} __packed switch_dp;
		struct {
			u32 count;		/* entries, 16 */
			u32 offset;		/* of the u32 table, from type */
		} __packed send_table;		/* SEND_INDIRECTION_TABLE */
		u8 raw[36];
	};
} __packed;

static_assert(sizeof(struct khcl_nvsp_msg) == KHCL_NVSP_MSG_LEN, "nvsp");

/* VM_PKT_DATA_USING_XFER_PAGES: what follows the descriptor, then ranges */
struct khcl_xfer_hdr {
	u16 pageset_id;
	u8 sender_owns_set;
	u8 reserved;
	u32 range_cnt;
} __packed;

/* one range: an RNDIS message in the receive buffer */
struct khcl_xfer_range {
	u32 byte_count;
	u32 byte_offset;
} __packed;

static_assert(sizeof(struct khcl_xfer_hdr) == 8, "xfer header");
static_assert(sizeof(struct khcl_xfer_range) == 8, "xfer range");

/*
 * The send buffer's section size khcl announces (netvsc's own default,
 * NETVSC_SEND_SECTION_SIZE): the guest copies packets shorter than this
 * into a section, longer ones go as GPA-direct page ranges.
 */
#define KHCL_NVSP_SEND_SECTION	6144

/* ---- RNDIS data messages (RNDIS_MSG_PACKET) ---- */

/* offsets count from byte 8, the start of struct rndis_packet */
struct khcl_rndis_packet {
	u32 type, len;
	u32 data_offset, data_len;
	u32 oob_data_offset, oob_data_len, num_oob;
	u32 ppi_offset, ppi_len;
	u32 vc_handle, reserved;
} __packed;

static_assert(sizeof(struct khcl_rndis_packet) == 44, "rndis packet");

/* one per-packet info entry: {size, type, offset of the value} + value */
struct khcl_rndis_ppi {
	u32 size;
	u32 type;			/* bit 31: internal */
	u32 ppi_offset;			/* from the entry's start: 12 */
	u32 value;
} __packed;

#define KHCL_PPI_CSUM		0	/* TCPIP_CHKSUM_PKTINFO */
#define KHCL_PPI_LSO		2	/* TCP_LARGESEND_PKTINFO */
#define KHCL_PPI_VLAN		6	/* IEEE_8021Q_INFO */
#define KHCL_PPI_HASH		8	/* NBL_HASH_VALUE */
/* RNDIS_PKTINFO_ID, an "internal" type (bit 31): {u8 ver 1, u8 flag, u16} */
#define KHCL_PPI_PKTINFO_ID	(1u | 1u << 31)
#define KHCL_PKTINFO_SUBALLOC	0x1	/* one piece of a coalesced frame */
#define KHCL_PKTINFO_1ST	0x2
#define KHCL_PKTINFO_LAST	0x4

/* TCPIP_CHKSUM, transmit: what the guest asks the host to fill in */
#define KHCL_CSUM_TX_IPV4	(1u << 0)
#define KHCL_CSUM_TX_IPV6	(1u << 1)
#define KHCL_CSUM_TX_TCP	(1u << 2)
#define KHCL_CSUM_TX_UDP	(1u << 3)
#define KHCL_CSUM_TX_IP_HDR	(1u << 4)
#define KHCL_CSUM_TX_L4_OFF(v)	(((v) >> 16) & 0x3ff)
/* TCPIP_CHKSUM, receive: what the host checked */
#define KHCL_CSUM_RX_TCP_OK	(1u << 3)
#define KHCL_CSUM_RX_UDP_OK	(1u << 4)
#define KHCL_CSUM_RX_IP_OK	(1u << 5)
/* TCP_LARGESEND, LSO v2 */
#define KHCL_LSO_MSS(v)		((v) & 0xfffff)
#define KHCL_LSO_TCP_OFF(v)	(((v) >> 20) & 0x3ff)
#define KHCL_LSO_V2		(1u << 30)
#define KHCL_LSO_IPV6		(1u << 31)
/* IEEE_8021Q: pri 0-2, cfi 3, vlan id 4-15 */
#define KHCL_VLAN_TCI(v)	((((v) >> 4) & 0xfff) | (((v) & 7) << 13) | \
				 ((((v) >> 3) & 1) << 12))
#define KHCL_VLAN_PPI(tci)	((((tci) & 0xfff) << 4) | (((tci) >> 13) & 7) | \
				 ((((tci) >> 12) & 1) << 3))

/* ---- RNDIS control messages ---- */
#define KHCL_RNDIS_MSG_PACKET		0x00000001
#define KHCL_RNDIS_MSG_INIT		0x00000002
#define KHCL_RNDIS_MSG_HALT		0x00000003
#define KHCL_RNDIS_MSG_QUERY		0x00000004
#define KHCL_RNDIS_MSG_SET		0x00000005
#define KHCL_RNDIS_MSG_RESET		0x00000006
#define KHCL_RNDIS_MSG_INDICATE		0x00000007
#define KHCL_RNDIS_MSG_KEEPALIVE	0x00000008
#define KHCL_RNDIS_COMPLETION		0x80000000

#define KHCL_RNDIS_STATUS_SUCCESS	0x00000000
#define KHCL_RNDIS_STATUS_FAILURE	0xc0000001
#define KHCL_RNDIS_STATUS_INVALID_DATA	0xc0010015
#define KHCL_RNDIS_STATUS_NOT_SUPPORTED	0xc00000bb
#define KHCL_RNDIS_STATUS_MEDIA_CONNECT	0x4001000b
#define KHCL_RNDIS_STATUS_MEDIA_DISCONNECT 0x4001000c

/* the OIDs khcl answers; anything else is NOT_SUPPORTED */
#define KHCL_OID_GEN_MAXIMUM_FRAME_SIZE		0x00010106
#define KHCL_OID_GEN_LINK_SPEED			0x00010107
#define KHCL_OID_GEN_CURRENT_PACKET_FILTER	0x0001010e
#define KHCL_OID_GEN_MEDIA_CONNECT_STATUS	0x00010114
#define KHCL_OID_GEN_RECEIVE_SCALE_CAPABILITIES	0x00010203
#define KHCL_OID_GEN_RECEIVE_SCALE_PARAMETERS	0x00010204
#define KHCL_OID_GEN_FRIENDLY_NAME		0x00020216
#define KHCL_OID_802_3_PERMANENT_ADDRESS	0x01010101
#define KHCL_OID_802_3_CURRENT_ADDRESS		0x01010102
#define KHCL_OID_802_3_MULTICAST_LIST		0x01010103
#define KHCL_OID_TCP_OFFLOAD_PARAMETERS		0xfc01020c
#define KHCL_OID_TCP_OFFLOAD_HW_CAPS		0xfc01020d

#define KHCL_NDIS_OBJ_OFFLOAD		0xa7	/* ndis_object_header.type */
#define KHCL_NDIS_OFFLOAD_SIZE_V1	112	/* smallest struct ndis_offload */
#define KHCL_NDIS_OFFLOAD_SIZE_V3	156	/* NDIS 6.30: with RSC */

/* struct ndis_offload (revision 1, 112 bytes): the offsets khcl fills */
#define KHCL_NDIS_OFF_IP4_TXENC		4
#define KHCL_NDIS_OFF_IP4_TXCSUM	8
#define KHCL_NDIS_OFF_IP4_RXENC		12
#define KHCL_NDIS_OFF_IP4_RXCSUM	16
#define KHCL_NDIS_OFF_IP6_TXENC		20
#define KHCL_NDIS_OFF_IP6_TXCSUM	24
#define KHCL_NDIS_OFF_IP6_RXENC		28
#define KHCL_NDIS_OFF_IP6_RXCSUM	32
#define KHCL_NDIS_OFF_LSO2_IP4_ENCAP	80
#define KHCL_NDIS_OFF_LSO2_IP4_MAXSZ	84
#define KHCL_NDIS_OFF_LSO2_IP4_MINSG	88
#define KHCL_NDIS_OFF_LSO2_IP6_ENCAP	92
#define KHCL_NDIS_OFF_LSO2_IP6_MAXSZ	96
#define KHCL_NDIS_OFF_LSO2_IP6_MINSG	100
#define KHCL_NDIS_OFF_LSO2_IP6_OPTS	104
#define KHCL_NDIS_OFF_RSC_IP4		144	/* revision 3: u8 each */
#define KHCL_NDIS_OFF_RSC_IP6		145
#define KHCL_NDIS_ENCAP_8023		0x2
#define KHCL_NDIS_CSUM4_CAPS		0x54	/* TCP4, TCP4 options, UDP4 */
#define KHCL_NDIS_CSUM6_CAPS		0x55	/* TCP6, options, ext hdrs, UDP6 */
#define KHCL_NDIS_LSO6_OPTS		0x5	/* IPv6 ext headers, TCP options */

/*
 * struct ndis_offload_params (OID_TCP_OFFLOAD_PARAMETERS): a byte per
 * offload after the 4-byte header; 0 no change, csum 1 off, 2 TX, 3 RX,
 * 4 both; LSO v2 and RSC 1 off, 2 on
 */
#define KHCL_NDIS_PAR_TCP4_CSUM		5
#define KHCL_NDIS_PAR_UDP4_CSUM		6
#define KHCL_NDIS_PAR_TCP6_CSUM		7
#define KHCL_NDIS_PAR_UDP6_CSUM		8
#define KHCL_NDIS_PAR_LSO2_IP4		11
#define KHCL_NDIS_PAR_LSO2_IP6		12
#define KHCL_NDIS_PAR_MIN		13	/* bytes up to lso_v2_ipv6 */
#define KHCL_NDIS_PAR_RSC_IP4		22	/* revision 3: 1 off, 2 on */
#define KHCL_NDIS_PAR_RSC_IP6		23

struct khcl_rndis_hdr {
	u32 type;
	u32 len;
	u32 req_id;
} __packed;

struct khcl_rndis_init_req {
	struct khcl_rndis_hdr h;
	u32 major, minor, max_xfer_size;
} __packed;

struct khcl_rndis_init_complete {
	struct khcl_rndis_hdr h;
	u32 status, major, minor, dev_flags, medium;
	u32 max_pkt_per_msg, max_xfer_size, pkt_alignment_factor;
	u32 af_list_offset, af_list_size;
} __packed;

/* QUERY and SET requests; info_buf_offset counts from req_id (byte 8) */
struct khcl_rndis_oid_req {
	struct khcl_rndis_hdr h;
	u32 oid, info_buflen, info_buf_offset, dev_vc_handle;
} __packed;

struct khcl_rndis_query_complete {
	struct khcl_rndis_hdr h;
	u32 status, info_buflen, info_buf_offset;
} __packed;

struct khcl_rndis_status_complete {	/* SET_C, RESET_C, KEEPALIVE_C */
	struct khcl_rndis_hdr h;
	u32 status;
} __packed;

struct khcl_rndis_indicate {
	u32 type, len, status, buflen, offset;
} __packed;

static_assert(sizeof(struct khcl_rndis_init_complete) == 52, "init_c");
static_assert(sizeof(struct khcl_rndis_oid_req) == 28, "oid req");
static_assert(sizeof(struct khcl_rndis_query_complete) == 24, "query_c");

#define KHCL_RNDIS_MAX_MSG	4096	/* control messages khcl reads */
#define KHCL_RNDIS_MAX_REPLY	256	/* largest reply khcl builds */

/* {f8615163-df3e-46c5-913f-f2d2f965ed0e}: netvsc's class */
#define KHCL_NETVSC_CLASS_BYTES {					\
	0x63, 0x51, 0x61, 0xf8, 0x3e, 0xdf, 0xc5, 0x46,			\
	0x91, 0x3f, 0xf2, 0xd2, 0xf9, 0x65, 0xed, 0x0e }

#endif /* KHCL_NETVSP_WIRE_H */
