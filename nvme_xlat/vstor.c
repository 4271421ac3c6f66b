// SPDX-License-Identifier: GPL-2.0
/*
 * VSTOR protocol core. See vstor.h.
 *
 * The handshake storvsc runs on the primary channel, in order:
 * BEGIN_INITIALIZATION, QUERY_PROTOCOL_VERSION (newest first until one is
 * accepted), QUERY_PROPERTIES, END_INITIALIZATION, then maybe
 * CREATE_SUB_CHANNELS once. Each must come in its place; anything else is
 * answered with a failure status and counted. Sub-channels carry SRBs
 * only.
 */
#include "vstor.h"

static const char *const khcl_vstor_err_names[KHCL_VSTOR_NERR] = {
	[KHCL_VSTOR_ERR_SHORT] = "short",
	[KHCL_VSTOR_ERR_PKT_TYPE] = "pkt_type",
	[KHCL_VSTOR_ERR_OP] = "op",
	[KHCL_VSTOR_ERR_STATE] = "state",
	[KHCL_VSTOR_ERR_SRB] = "srb",
	[KHCL_VSTOR_ERR_RANGE] = "range",
	[KHCL_VSTOR_ERR_LIMIT] = "limit",
};

const char *khcl_vstor_err_name(enum khcl_vstor_err e)
{
	return e < KHCL_VSTOR_NERR ? khcl_vstor_err_names[e] : "?";
}

static int vstor_err(struct khcl_vstor_chan *c, enum khcl_vstor_err e)
{
	c->errors[e]++;
	return -(int)e - 1;
}

void khcl_vstor_chan_init(struct khcl_vstor_chan *c,
			  const struct khcl_vstor_limits *lim, bool sub)
{
	memset(c, 0, sizeof(*c));
	c->lim = lim;
	c->sub = sub;
	/* a sub-channel belongs to an initialized primary */
	c->state = sub ? KHCL_VSTOR_READY : KHCL_VSTOR_NEW;
}

/* The data buffer of a GPA-direct SRB: one range, PFNs that match it. */
static int vstor_parse_range(struct khcl_vstor_chan *c, const u8 *p, u32 off,
			     struct khcl_vstor_req *r)
{
	struct khcl_gpa_buf b;

	if (khcl_vmpkt_gpa_range(p, off, &b))
		return vstor_err(c, KHCL_VSTOR_ERR_RANGE);
	if (b.len > c->lim->max_transfer_bytes)
		return vstor_err(c, KHCL_VSTOR_ERR_LIMIT);
	if (r->srb.data_transfer_length > b.len)
		return vstor_err(c, KHCL_VSTOR_ERR_SRB);
	r->data_len = r->srb.data_transfer_length;
	r->buf = b;
	return 0;
}

static int vstor_parse_srb(struct khcl_vstor_chan *c,
			   const struct khcl_vmpkt_desc *d, const u8 *p,
			   u32 off, struct khcl_vstor_req *r)
{
	const struct khcl_vmscsi_request *s = &r->srb;

	if (!s->cdb_length || s->cdb_length > KHCL_VSTOR_CDB_MAX ||
	    s->sense_info_length > KHCL_VSTOR_SENSE_MAX || s->data_in > 2)
		return vstor_err(c, KHCL_VSTOR_ERR_SRB);
	if (d->type == KHCL_VMPKT_DATA_INBAND) {
		/* no data buffer: nothing may be moved */
		if (s->data_transfer_length)
			return vstor_err(c, KHCL_VSTOR_ERR_SRB);
		return 0;
	}
	if (vstor_parse_range(c, p, off, r))
		return -1;
	if (r->data_len && s->data_in > 1)	/* data, but no direction */
		return vstor_err(c, KHCL_VSTOR_ERR_SRB);
	return 0;
}

int khcl_vstor_parse(struct khcl_vstor_chan *c,
		     const struct khcl_vmpkt_desc *d, const void *pkt, u32 len,
		     struct khcl_vstor_req *r)
{
	const u8 *p = pkt;
	u32 off = (u32)d->offset8 << 3;
	struct khcl_vstor_packet vp;
	int ret;

	memset(r, 0, sizeof(*r));
	r->trans_id = d->trans_id;
	r->completion = d->flags & KHCL_VMPKT_FLAG_COMPLETION_REQUESTED;
	if (off < sizeof(*d) || off > len || len - off < sizeof(vp.operation))
		return vstor_err(c, KHCL_VSTOR_ERR_SHORT);
	memcpy(&r->op, p + off, sizeof(r->op));
	if (len - off < sizeof(vp))
		return vstor_err(c, KHCL_VSTOR_ERR_SHORT);
	memcpy(&vp, p + off, sizeof(vp));

	if (r->op >= KHCL_VSTOR_NOPS)
		return vstor_err(c, KHCL_VSTOR_ERR_OP);
	if (d->type != KHCL_VMPKT_DATA_INBAND &&
	    !(d->type == KHCL_VMPKT_DATA_USING_GPA_DIRECT &&
	      r->op == KHCL_VSTOR_EXECUTE_SRB))
		return vstor_err(c, KHCL_VSTOR_ERR_PKT_TYPE);

	switch (r->op) {
	case KHCL_VSTOR_EXECUTE_SRB:
		r->srb = vp.srb;
		ret = vstor_parse_srb(c, d, p, off, r);
		if (ret)
			return ret;
		break;
	case KHCL_VSTOR_QUERY_PROTOCOL_VERSION:
		r->version = vp.version.major_minor;
		break;
	case KHCL_VSTOR_CREATE_SUB_CHANNELS:
		r->sub_channel_count = vp.sub_channel_count;
		break;
	case KHCL_VSTOR_BEGIN_INITIALIZATION:
	case KHCL_VSTOR_END_INITIALIZATION:
	case KHCL_VSTOR_QUERY_PROPERTIES:
	case KHCL_VSTOR_RESET_LUN:
	case KHCL_VSTOR_RESET_ADAPTER:
	case KHCL_VSTOR_RESET_BUS:
	case KHCL_VSTOR_FCHBA_DATA:
		break;
	default:	/* host-to-guest operations */
		return vstor_err(c, KHCL_VSTOR_ERR_OP);
	}
	c->ops[r->op]++;
	return 0;
}

static void vstor_reply_init(const struct khcl_vstor_req *r,
			     struct khcl_vstor_packet *reply, u32 status)
{
	memset(reply, 0, sizeof(*reply));	/* no stale bytes to the guest */
	reply->operation = KHCL_VSTOR_COMPLETE_IO;
	reply->status = status;
}

static bool vstor_version_ok(u16 v)
{
	return v == KHCL_VSTOR_WIN10 || v == KHCL_VSTOR_WIN8_1 ||
	       v == KHCL_VSTOR_WIN8;
}

enum khcl_vstor_verdict khcl_vstor_control(struct khcl_vstor_chan *c,
					   const struct khcl_vstor_req *r,
					   struct khcl_vstor_packet *reply)
{
	enum khcl_vstor_verdict answer = r->completion ? KHCL_VSTOR_REPLY :
					 KHCL_VSTOR_NONE;
	bool ok = false;

	vstor_reply_init(r, reply, KHCL_VSTOR_STATUS_FAILED);
	switch (r->op) {
	case KHCL_VSTOR_BEGIN_INITIALIZATION:
		ok = !c->sub && c->state == KHCL_VSTOR_NEW;
		if (ok)
			c->state = KHCL_VSTOR_INITIALIZING;
		break;
	case KHCL_VSTOR_QUERY_PROTOCOL_VERSION:
		if (c->state != KHCL_VSTOR_INITIALIZING)
			break;
		reply->version.major_minor = r->version;
		if (!vstor_version_ok(r->version)) {
			/* a clean refusal: the client tries an older one */
			reply->status = KHCL_VSTOR_STATUS_REVISION;
			return answer;
		}
		c->version = r->version;
		ok = true;
		break;
	case KHCL_VSTOR_QUERY_PROPERTIES:
		ok = c->state == KHCL_VSTOR_INITIALIZING && c->version;
		if (!ok)
			break;
		reply->props.max_channel_cnt = c->lim->max_subchannels;
		reply->props.flags = c->lim->max_subchannels ?
				     KHCL_VSTOR_MULTI_CHANNEL : 0;
		reply->props.max_transfer_bytes = c->lim->max_transfer_bytes;
		break;
	case KHCL_VSTOR_END_INITIALIZATION:
		ok = c->state == KHCL_VSTOR_INITIALIZING && c->version;
		if (ok)
			c->state = KHCL_VSTOR_READY;
		break;
	case KHCL_VSTOR_CREATE_SUB_CHANNELS:
		if (c->sub || c->state != KHCL_VSTOR_READY ||
		    c->subchannels_asked)
			break;
		if (!r->sub_channel_count ||
		    r->sub_channel_count > c->lim->max_subchannels) {
			c->errors[KHCL_VSTOR_ERR_LIMIT]++;
			return answer;
		}
		c->subchannels_asked = true;
		return KHCL_VSTOR_DO_SUBCHANNELS;
	case KHCL_VSTOR_EXECUTE_SRB:
		if (c->state != KHCL_VSTOR_READY)
			break;
		return KHCL_VSTOR_DO_SRB;
	case KHCL_VSTOR_RESET_LUN:
	case KHCL_VSTOR_RESET_ADAPTER:
	case KHCL_VSTOR_RESET_BUS:
		/* answered (OK) once every SRB in flight has been */
		if (c->state != KHCL_VSTOR_READY)
			break;
		reply->status = KHCL_VSTOR_STATUS_OK;
		return KHCL_VSTOR_DO_RESET;
	default:			/* FCHBA_DATA: not a FC adapter */
		c->errors[KHCL_VSTOR_ERR_OP]++;
		return answer;
	}
	if (ok)
		reply->status = KHCL_VSTOR_STATUS_OK;
	else
		c->errors[KHCL_VSTOR_ERR_STATE]++;
	return answer;
}

void khcl_vstor_srb_prepare(const struct khcl_vstor_req *r,
			    struct khcl_vstor_packet *reply)
{
	vstor_reply_init(r, reply, KHCL_VSTOR_STATUS_OK);
	/* the guest's own request; the outcome goes in later */
	reply->srb = r->srb;
	reply->srb.data_transfer_length = r->data_len;
}

void khcl_vstor_srb_reply(const struct khcl_vstor_req *r, u8 srb_status,
			  u8 scsi_status, const u8 *sense, u32 sense_len,
			  u32 transferred, struct khcl_vstor_packet *reply)
{
	khcl_vstor_srb_prepare(r, reply);
	khcl_vstor_srb_outcome(reply, srb_status, scsi_status, sense,
			       sense_len, transferred);
}

void khcl_vstor_srb_outcome(struct khcl_vstor_packet *reply, u8 srb_status,
			    u8 scsi_status, const u8 *sense, u32 sense_len,
			    u32 transferred)
{
	struct khcl_vmscsi_request *s = &reply->srb;

	memset(s->sense_data, 0, sizeof(s->sense_data));
	s->srb_status = srb_status;
	s->scsi_status = scsi_status;
	/* sense_info_length still holds the guest's room for it */
	if (sense_len > s->sense_info_length)
		sense_len = s->sense_info_length;
	if (sense && sense_len) {
		memcpy(s->sense_data, sense, sense_len);
		s->srb_status |= KHCL_SRB_AUTOSENSE_VALID;
	} else {
		sense_len = 0;
	}
	s->sense_info_length = sense_len;
	if (transferred < s->data_transfer_length)
		s->data_transfer_length = transferred;
}

void khcl_vstor_fail_reply(const struct khcl_vstor_req *r,
			   struct khcl_vstor_packet *reply)
{
	vstor_reply_init(r, reply, KHCL_VSTOR_STATUS_FAILED);
	if (r->op == KHCL_VSTOR_EXECUTE_SRB)
		reply->srb.srb_status = KHCL_SRB_INVALID_REQUEST;
}
