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
	KHCL_NVSP_SUBCHANNEL = 133,
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
		u8 raw[36];
	};
} __packed;

static_assert(sizeof(struct khcl_nvsp_msg) == KHCL_NVSP_MSG_LEN, "nvsp");

/* VM_PKT_DATA_USING_XFER_PAGES: what follows the descriptor (1 range) */
struct khcl_xfer_hdr {
	u16 pageset_id;
	u8 sender_owns_set;
	u8 reserved;
	u32 range_cnt;
	u32 byte_count;
	u32 byte_offset;
} __packed;

static_assert(sizeof(struct khcl_xfer_hdr) == 16, "xfer header");

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
#define KHCL_OID_GEN_FRIENDLY_NAME		0x00020216
#define KHCL_OID_802_3_PERMANENT_ADDRESS	0x01010101
#define KHCL_OID_802_3_CURRENT_ADDRESS		0x01010102
#define KHCL_OID_802_3_MULTICAST_LIST		0x01010103
#define KHCL_OID_TCP_OFFLOAD_PARAMETERS		0xfc01020c
#define KHCL_OID_TCP_OFFLOAD_HW_CAPS		0xfc01020d

#define KHCL_NDIS_OBJ_OFFLOAD		0xa7	/* ndis_object_header.type */
#define KHCL_NDIS_OFFLOAD_SIZE_V1	112	/* smallest struct ndis_offload */

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
