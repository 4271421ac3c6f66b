/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMBus wire formats as Linux 6.12's hv_vmbus client speaks them
 * (include/linux/hyperv.h), written from that header's layout for the
 * server side. Plain C: shared by the kernel module, KUnit, the user-space
 * tests and the fuzzers. Every struct is packed and its size is asserted.
 */
#ifndef KHCL_VMBUS_WIRE_H
#define KHCL_VMBUS_WIRE_H

#include "compat.h"
#include "synic.h"

#ifdef __KERNEL__
#include <linux/build_bug.h>
#else
#include <assert.h>
#ifndef static_assert
#define static_assert _Static_assert
#endif
#endif

#define KHCL_VMB_VERSION(major, minor)	(((u32)(major) << 16) | (minor))
#define KHCL_VMB_WIN8		KHCL_VMB_VERSION(2, 4)
#define KHCL_VMB_WIN8_1		KHCL_VMB_VERSION(3, 0)
#define KHCL_VMB_WIN10		KHCL_VMB_VERSION(4, 0)
#define KHCL_VMB_V4_1		KHCL_VMB_VERSION(4, 1)
#define KHCL_VMB_V5_0		KHCL_VMB_VERSION(5, 0)
#define KHCL_VMB_V5_1		KHCL_VMB_VERSION(5, 1)
#define KHCL_VMB_V5_2		KHCL_VMB_VERSION(5, 2)
#define KHCL_VMB_V5_3		KHCL_VMB_VERSION(5, 3)

/* sub_channel_index values khcl offers per primary: 1..63 (a u64 map) */
#define KHCL_VMB_MAX_SUBCHANNELS	63
/* creation_status / status of a refused request (NTSTATUS) */
#define KHCL_VMB_STATUS_UNSUCCESSFUL	0xc0000001u

enum khcl_vmb_msgtype {
	KHCL_CHMSG_INVALID = 0,
	KHCL_CHMSG_OFFERCHANNEL = 1,
	KHCL_CHMSG_RESCIND_CHANNELOFFER = 2,
	KHCL_CHMSG_REQUESTOFFERS = 3,
	KHCL_CHMSG_ALLOFFERS_DELIVERED = 4,
	KHCL_CHMSG_OPENCHANNEL = 5,
	KHCL_CHMSG_OPENCHANNEL_RESULT = 6,
	KHCL_CHMSG_CLOSECHANNEL = 7,
	KHCL_CHMSG_GPADL_HEADER = 8,
	KHCL_CHMSG_GPADL_BODY = 9,
	KHCL_CHMSG_GPADL_CREATED = 10,
	KHCL_CHMSG_GPADL_TEARDOWN = 11,
	KHCL_CHMSG_GPADL_TORNDOWN = 12,
	KHCL_CHMSG_RELID_RELEASED = 13,
	KHCL_CHMSG_INITIATE_CONTACT = 14,
	KHCL_CHMSG_VERSION_RESPONSE = 15,
	KHCL_CHMSG_UNLOAD = 16,
	KHCL_CHMSG_UNLOAD_RESPONSE = 17,
	KHCL_CHMSG_TL_CONNECT_REQUEST = 21,
	KHCL_CHMSG_MODIFYCHANNEL = 22,
	KHCL_CHMSG_TL_CONNECT_RESULT = 23,
	KHCL_CHMSG_MODIFYCHANNEL_RESPONSE = 24,
	KHCL_CHMSG_COUNT
};

struct khcl_guid {
	u8 b[16];
};

struct khcl_vmb_hdr {
	u32 msgtype;
	u32 padding;
} __packed;

#define KHCL_VMB_USER_DEFINED_BYTES	120

struct khcl_vmb_offer {
	struct khcl_guid if_type;
	struct khcl_guid if_instance;
	u64 reserved1;
	u64 reserved2;
	u16 chn_flags;
	u16 mmio_megabytes;
	u8 user_def[KHCL_VMB_USER_DEFINED_BYTES];
	u16 sub_channel_index;
	u16 reserved3;
} __packed;

struct khcl_vmb_offer_channel {
	struct khcl_vmb_hdr hdr;
	struct khcl_vmb_offer offer;
	u32 child_relid;
	u8 monitorid;
	u8 monitor_allocated;		/* bit 0 */
	u16 is_dedicated_interrupt;	/* bit 0 */
	u32 connection_id;
} __packed;

struct khcl_vmb_relid_msg {		/* RESCIND, CLOSECHANNEL, RELID_RELEASED */
	struct khcl_vmb_hdr hdr;
	u32 child_relid;
} __packed;

struct khcl_vmb_open_channel {
	struct khcl_vmb_hdr hdr;
	u32 child_relid;
	u32 openid;
	u32 ringbuffer_gpadl;
	u32 target_vp;
	u32 downstream_ring_pageoffset;
	u8 userdata[KHCL_VMB_USER_DEFINED_BYTES];
} __packed;

struct khcl_vmb_open_result {
	struct khcl_vmb_hdr hdr;
	u32 child_relid;
	u32 openid;
	u32 status;
} __packed;

struct khcl_vmb_gpa_range {
	u32 byte_count;
	u32 byte_offset;
	/* u64 pfn_array[] follows */
} __packed;

struct khcl_vmb_gpadl_header {
	struct khcl_vmb_hdr hdr;
	u32 child_relid;
	u32 gpadl;
	u16 range_buflen;
	u16 rangecount;
	/* struct khcl_vmb_gpa_range + pfns follow */
} __packed;

struct khcl_vmb_gpadl_body {
	struct khcl_vmb_hdr hdr;
	u32 msgnumber;
	u32 gpadl;
	/* u64 pfn[] follows */
} __packed;

struct khcl_vmb_gpadl_created {
	struct khcl_vmb_hdr hdr;
	u32 child_relid;
	u32 gpadl;
	u32 creation_status;
} __packed;

struct khcl_vmb_gpadl_teardown {
	struct khcl_vmb_hdr hdr;
	u32 child_relid;
	u32 gpadl;
} __packed;

struct khcl_vmb_gpadl_torndown {
	struct khcl_vmb_hdr hdr;
	u32 gpadl;
} __packed;

struct khcl_vmb_initiate_contact {
	struct khcl_vmb_hdr hdr;
	u32 version_requested;
	u32 target_vcpu;
	union {
		u64 interrupt_page;	/* before V5 */
		struct {
			u8 msg_sint;	/* V5 and later */
			u8 msg_vtl;
			u8 reserved[6];
		} __packed;
	} __packed;
	u64 monitor_page1;
	u64 monitor_page2;
} __packed;

struct khcl_vmb_version_response {
	struct khcl_vmb_hdr hdr;
	u8 version_supported;
	u8 connection_state;
	u16 padding;
	u32 msg_conn_id;
} __packed;

struct khcl_vmb_modifychannel {
	struct khcl_vmb_hdr hdr;
	u32 child_relid;
	u32 target_vp;
} __packed;

struct khcl_vmb_modifychannel_response {
	struct khcl_vmb_hdr hdr;
	u32 child_relid;
	u32 status;
} __packed;

static_assert(sizeof(struct khcl_vmb_offer) == 176, "offer");
static_assert(sizeof(struct khcl_vmb_offer_channel) == 196, "offerchannel");
static_assert(sizeof(struct khcl_vmb_open_channel) == 148, "openchannel");
static_assert(sizeof(struct khcl_vmb_open_result) == 20, "open result");
static_assert(sizeof(struct khcl_vmb_gpadl_header) == 20, "gpadl header");
static_assert(sizeof(struct khcl_vmb_gpadl_body) == 16, "gpadl body");
static_assert(sizeof(struct khcl_vmb_gpadl_created) == 20, "gpadl created");
static_assert(sizeof(struct khcl_vmb_initiate_contact) == 40, "initiate");
static_assert(sizeof(struct khcl_vmb_version_response) == 16, "version rsp");

/* Ring buffer: one 4 KiB header page, then the data area. */
#define KHCL_RING_HDR_SIZE	4096

struct khcl_ring_hdr {
	u32 write_index;	/* byte offset into the data area */
	u32 read_index;
	u32 interrupt_mask;
	u32 pending_send_sz;
	u32 reserved1[12];
	u32 feature_bits;	/* bit 0: pending_send_sz honoured */
};

#define KHCL_RING_FEAT_PENDING_SEND_SZ	1u

/* VMBus packet descriptor (struct vmpacket_descriptor). */
struct khcl_vmpkt_desc {
	u16 type;
	u16 offset8;
	u16 len8;
	u16 flags;
	u64 trans_id;
};

static_assert(sizeof(struct khcl_ring_hdr) == 68, "ring header");
static_assert(sizeof(struct khcl_vmpkt_desc) == 16, "packet descriptor");

enum khcl_vmpkt_type {
	KHCL_VMPKT_DATA_INBAND = 0x6,
	KHCL_VMPKT_DATA_USING_XFER_PAGES = 0x7,
	KHCL_VMPKT_DATA_USING_GPA_DIRECT = 0x9,
	KHCL_VMPKT_COMP = 0xb,
};

#define KHCL_VMPKT_FLAG_COMPLETION_REQUESTED	1
#define KHCL_VMPKT_TRAILER	8	/* u64 prev indices after each packet */

#define KHCL_HV_PAGE_SHIFT	12
#define KHCL_HV_PAGE_SIZE	4096u

/*
 * The data buffer of a VM_PKT_DATA_USING_GPA_DIRECT packet as Linux's
 * clients send it (vmbus_sendpacket_mpb_desc): one range right after the
 * descriptor, its PFNs after that, the payload starting exactly where
 * they end.
 */
struct khcl_vmpkt_gpa_range {
	u32 reserved;
	u32 rangecount;
	u32 len;
	u32 offset;
	/* u64 pfn[] */
} __packed;

static_assert(sizeof(struct khcl_vmpkt_gpa_range) == 16, "gpa range");

struct khcl_gpa_buf {
	u32 len, offset;		/* bytes, from the first page's start */
	u32 npfns;
	const u8 *pfns;			/* u64s inside the packet copy */
};

/*
 * Decode the range of the packet copy @pkt whose payload starts at @off:
 * 0, or -1 unless it is exactly one non-empty range that starts in its
 * first page and the descriptor holds precisely its PFNs (PFN count
 * computed in 64 bits).
 */
static inline int khcl_vmpkt_gpa_range(const u8 *pkt, u32 off,
				       struct khcl_gpa_buf *b)
{
	const u32 hdr = sizeof(struct khcl_vmpkt_desc) +
			sizeof(struct khcl_vmpkt_gpa_range);
	struct khcl_vmpkt_gpa_range rg;
	u64 npfns;

	if (off < hdr)
		return -1;
	memcpy(&rg, pkt + sizeof(struct khcl_vmpkt_desc), sizeof(rg));
	if (rg.rangecount != 1 || !rg.len || rg.offset >= KHCL_HV_PAGE_SIZE)
		return -1;
	npfns = ((u64)rg.offset + rg.len + KHCL_HV_PAGE_SIZE - 1) >>
		KHCL_HV_PAGE_SHIFT;
	if (hdr + npfns * sizeof(u64) != off)
		return -1;
	b->len = rg.len;
	b->offset = rg.offset;
	b->npfns = npfns;
	b->pfns = pkt + hdr;
	return 0;
}

/*
 * Keep a buffer's PFNs past the packet copy they point into (the channel
 * worker's, which the next read overwrites): copy them to @store, room
 * for @max, and point @b there. 0, or -1 when they do not fit.
 */
static inline int khcl_gpa_buf_keep(struct khcl_gpa_buf *b, u64 *store,
				    u32 max)
{
	if (b->npfns > max)
		return -1;
	memcpy(store, b->pfns, (size_t)b->npfns * sizeof(u64));
	b->pfns = (const u8 *)store;
	return 0;
}

/* PFN @i (< npfns) of a GPA-direct buffer; unaligned-safe. */
static inline u64 khcl_gpa_buf_pfn(const u8 *pfns, u32 i)
{
	u64 pfn;

	memcpy(&pfn, pfns + (u64)i * sizeof(pfn), sizeof(pfn));
	return pfn;
}

#endif /* KHCL_VMBUS_WIRE_H */
