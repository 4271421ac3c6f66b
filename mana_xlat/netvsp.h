/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network VSP protocol core (pure C): NVSP on the channel, RNDIS control
 * messages inside it, as the stock hv_netvsc drives them
 * (Documentation/notes/netvsc-probe.md).
 *
 * Parse, then execute: khcl_nvsp_parse() checks one packet completely and
 * copies what matters into a struct khcl_nvsp_req; khcl_nvsp_control()
 * runs the NVSP state machine and says what the caller must do (map the
 * receive buffer, read an RNDIS message from guest pages, free a receive
 * section). khcl_rndis_control() answers one RNDIS control message the
 * caller copied out of guest memory. Only the OIDs listed in
 * netvsp_wire.h are known; everything else is NOT_SUPPORTED
 * (CVE-2021-28476), and every length and offset inside a message is
 * checked, overflow-safe (CVE-2016-0088, -0089).
 */
#ifndef KHCL_NETVSP_H
#define KHCL_NETVSP_H

#include "netvsp_wire.h"

enum khcl_nvsp_err {
	KHCL_NVSP_ERR_SHORT,		/* shorter than its type needs */
	KHCL_NVSP_ERR_PKT_TYPE,		/* wrong VMBus packet type */
	KHCL_NVSP_ERR_TYPE,		/* unknown or host-only message */
	KHCL_NVSP_ERR_STATE,		/* not valid in this state */
	KHCL_NVSP_ERR_RANGE,		/* bad GPA range */
	KHCL_NVSP_ERR_SECTION,		/* completion for no sent section */
	KHCL_NVSP_NERR
};

/* Receive sections khcl fills at once (of the many the buffer holds). */
#define KHCL_NVSP_SECTIONS	64

struct khcl_nvsp_chan {
	u32 version;			/* agreed; 0 before INIT */
	u32 ndis_major, ndis_minor, mtu;
	bool recv_buf, send_buf;	/* announced and answered */
	u32 recv_gpadl, send_gpadl;
	u16 recv_id;			/* the guest's pageset id */
	/* receive sections: in use by khcl until the guest completes them */
	u32 section_size, nsections;
	u64 sections_out;		/* bit i: section i is the guest's */
	u64 errors[KHCL_NVSP_NERR];
	u64 data_pkts;			/* RNDIS data packets (dropped) */
	u64 no_section;			/* every section was the guest's */
};

struct khcl_nvsp_req {
	u16 pkt_type;			/* VMBus packet type */
	u64 trans_id;
	bool completion;
	u32 type;			/* NVSP message type */
	struct khcl_nvsp_msg msg;	/* private copy (zero padded) */
	/* SEND_RNDIS_PKT control: the message, one GPA range */
	u32 rndis_len;
	struct khcl_gpa_buf buf;
};

enum khcl_nvsp_verdict {
	KHCL_NVSP_NONE,			/* nothing to do or answer */
	KHCL_NVSP_REPLY,		/* send *reply as a completion */
	KHCL_NVSP_MAP_RECV_BUF,		/* map msg.buf.gpadl, then recv_buf_done */
	KHCL_NVSP_UNMAP_RECV_BUF,	/* REVOKE_RECV_BUF */
	KHCL_NVSP_RNDIS,		/* read the message, khcl_rndis_control */
	KHCL_NVSP_RNDIS_DATA,		/* a data packet: complete, count */
};

void khcl_nvsp_chan_init(struct khcl_nvsp_chan *c);
int khcl_nvsp_parse(struct khcl_nvsp_chan *c,
		    const struct khcl_vmpkt_desc *d, const void *pkt, u32 len,
		    struct khcl_nvsp_req *r);
enum khcl_nvsp_verdict khcl_nvsp_control(struct khcl_nvsp_chan *c,
					 const struct khcl_nvsp_req *r,
					 struct khcl_nvsp_msg *reply);
/*
 * The receive buffer is mapped (@buf_len bytes, or 0: it could not be):
 * fill the SEND_RECV_BUF_COMPLETE announcing sections of @section_size;
 * khcl then uses the first KHCL_NVSP_SECTIONS of them.
 */
void khcl_nvsp_recv_buf_done(struct khcl_nvsp_chan *c, u32 buf_len,
			     u32 section_size, struct khcl_nvsp_msg *reply);
/*
 * A free receive section for a message of @len bytes, now the guest's
 * until it completes the transfer-page packet naming it (trans_id =
 * section + 1; a VM_PKT_COMP the core takes back itself): its index, or
 * -1 when there is no receive buffer, @len does not fit a section, or
 * every section is the guest's (counted in no_section).
 */
int khcl_nvsp_section_get(struct khcl_nvsp_chan *c, u32 len);

/* The completion of a guest SEND_RNDIS_PKT. */
void khcl_nvsp_rndis_complete(struct khcl_nvsp_msg *reply, bool ok);
/* The NVSP message that goes with an RNDIS message sent to the guest. */
void khcl_nvsp_rndis_to_guest(struct khcl_nvsp_msg *m);

/* ---- RNDIS ---- */

struct khcl_rndis_dev {
	u8 mac[6];
	bool link_up;
	u32 mtu;			/* MAXIMUM_FRAME_SIZE */
	u32 link_speed;			/* units of 100 bps */
	bool initialized;
	u32 packet_filter;
	u64 queries, sets, unknown_oids, bad_msgs;
};

/*
 * Answer one control message (@len bytes, a private copy) into @out
 * (KHCL_RNDIS_MAX_REPLY bytes). Returns the reply length, 0 when the
 * message needs none (HALT), or -1 when it is malformed (counted; no
 * reply possible).
 */
int khcl_rndis_control(struct khcl_rndis_dev *dev, const u8 *msg, u32 len,
		       u8 *out);

const char *khcl_nvsp_err_name(enum khcl_nvsp_err e);

#endif /* KHCL_NETVSP_H */
