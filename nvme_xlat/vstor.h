/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VSTOR protocol core (pure C): decodes what storvsc puts on a storage
 * channel, runs the initialization handshake and builds the answers.
 *
 * Parse, then execute: khcl_vstor_parse() checks one packet (already
 * copied out of the ring by the VMBus server) completely and copies what
 * matters into a struct khcl_vstor_req; khcl_vstor_control() runs the
 * handshake operations and says what the caller must do for the rest
 * (execute an SRB, offer sub-channels); khcl_vstor_srb_reply() and
 * khcl_vstor_fail_reply() build the COMPLETE_IO packets. Nothing here
 * touches guest memory: an SRB's data buffer is a validated list of PFNs
 * that the caller turns into pages.
 */
#ifndef KHCL_VSTOR_H
#define KHCL_VSTOR_H

#include "vstor_wire.h"

enum khcl_vstor_err {
	KHCL_VSTOR_ERR_SHORT,		/* shorter than a vstor_packet */
	KHCL_VSTOR_ERR_PKT_TYPE,	/* not inband / GPA direct */
	KHCL_VSTOR_ERR_OP,		/* unknown or host-only operation */
	KHCL_VSTOR_ERR_STATE,		/* not valid in this state */
	KHCL_VSTOR_ERR_SRB,		/* bad SRB field */
	KHCL_VSTOR_ERR_RANGE,		/* bad GPA range of the data buffer */
	KHCL_VSTOR_ERR_LIMIT,		/* beyond a limit */
	KHCL_VSTOR_NERR
};

struct khcl_vstor_limits {
	u16 max_subchannels;		/* announced in QUERY_PROPERTIES */
	u32 max_transfer_bytes;		/* per SRB, announced too */
};

enum khcl_vstor_state {
	KHCL_VSTOR_NEW = 0,		/* channel opened */
	KHCL_VSTOR_INITIALIZING,	/* BEGIN_INITIALIZATION seen */
	KHCL_VSTOR_READY,		/* END_INITIALIZATION seen */
};

/* One channel's protocol state (a sub-channel starts READY). */
struct khcl_vstor_chan {
	const struct khcl_vstor_limits *lim;
	enum khcl_vstor_state state;
	bool sub;
	u16 version;			/* agreed; 0 before */
	bool subchannels_asked;		/* CREATE_SUB_CHANNELS done once */
	u64 errors[KHCL_VSTOR_NERR];
	u64 ops[KHCL_VSTOR_NOPS];
};

/* A decoded packet: private copies only, nothing points at the ring. */
struct khcl_vstor_req {
	u64 trans_id;
	bool completion;		/* the guest asked for one */
	u32 op;
	struct khcl_vmscsi_request srb;	/* EXECUTE_SRB */
	u32 data_len;			/* bytes the SRB moves (0: none) */
	struct khcl_gpa_buf buf;	/* its data buffer (GPA direct) */
	u16 version;			/* QUERY_PROTOCOL_VERSION */
	u16 sub_channel_count;		/* CREATE_SUB_CHANNELS */
};

enum khcl_vstor_verdict {
	KHCL_VSTOR_REPLY,		/* send *reply */
	KHCL_VSTOR_DO_SRB,		/* execute req->srb, then srb_reply */
	KHCL_VSTOR_DO_SUBCHANNELS,	/* offer req->sub_channel_count */
	KHCL_VSTOR_DO_RESET,		/* send *reply once no SRB is in flight */
	KHCL_VSTOR_NONE,		/* nothing to answer */
};

void khcl_vstor_chan_init(struct khcl_vstor_chan *c,
			  const struct khcl_vstor_limits *lim, bool sub);

/*
 * Decode @pkt (@len bytes, descriptor included, @d its validated
 * descriptor). Returns 0, or -(reason + 1) with the reason counted; on
 * error r->trans_id, r->completion and r->op are still set when the
 * packet was long enough to hold them, for khcl_vstor_fail_reply().
 */
int khcl_vstor_parse(struct khcl_vstor_chan *c,
		     const struct khcl_vmpkt_desc *d, const void *pkt, u32 len,
		     struct khcl_vstor_req *r);

/* Run one parsed request; for KHCL_VSTOR_REPLY, *reply is the answer. */
enum khcl_vstor_verdict khcl_vstor_control(struct khcl_vstor_chan *c,
					   const struct khcl_vstor_req *r,
					   struct khcl_vstor_packet *reply);

/*
 * The answer to an executed SRB: status, SCSI status, sense data (at most
 * what the guest has room for) and the bytes actually moved.
 */
void khcl_vstor_srb_reply(const struct khcl_vstor_req *r, u8 srb_status,
			  u8 scsi_status, const u8 *sense, u32 sense_len,
			  u32 transferred, struct khcl_vstor_packet *reply);

/*
 * The same in two steps, for an SRB that completes later: prepare the
 * answer from the request (which is gone by then), then put the outcome
 * in, exactly once: the sense room and byte count of the request bound
 * what it reports.
 */
void khcl_vstor_srb_prepare(const struct khcl_vstor_req *r,
			    struct khcl_vstor_packet *reply);
void khcl_vstor_srb_outcome(struct khcl_vstor_packet *reply, u8 srb_status,
			    u8 scsi_status, const u8 *sense, u32 sense_len,
			    u32 transferred);

/* A refused request: COMPLETE_IO with a failure status. */
void khcl_vstor_fail_reply(const struct khcl_vstor_req *r,
			   struct khcl_vstor_packet *reply);

const char *khcl_vstor_err_name(enum khcl_vstor_err e);

#endif /* KHCL_VSTOR_H */
