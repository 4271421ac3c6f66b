// SPDX-License-Identifier: GPL-2.0
/*
 * Network VSP protocol core, NVSP (RNDIS is rndis.c). See netvsp.h.
 *
 * NVSP order on the primary channel: INIT (one version per attempt,
 * 6.1, 6.0 and 5.0 accepted), NDIS_CONFIG and NDIS_VER (no answer),
 * SEND_RECV_BUF, SEND_SEND_BUF, then RNDIS packets. Receive sections
 * khcl fills (khcl_nvsp_section_get) come back as the guest's 8-byte
 * completions.
 */
#include "netvsp.h"

static const char *const khcl_nvsp_err_names[KHCL_NVSP_NERR] = {
	[KHCL_NVSP_ERR_SHORT] = "short",
	[KHCL_NVSP_ERR_PKT_TYPE] = "pkt_type",
	[KHCL_NVSP_ERR_TYPE] = "type",
	[KHCL_NVSP_ERR_STATE] = "state",
	[KHCL_NVSP_ERR_RANGE] = "range",
	[KHCL_NVSP_ERR_SECTION] = "section",
};

const char *khcl_nvsp_err_name(enum khcl_nvsp_err e)
{
	return e < KHCL_NVSP_NERR ? khcl_nvsp_err_names[e] : "?";
}

static int nvsp_err(struct khcl_nvsp_chan *c, enum khcl_nvsp_err e)
{
	c->errors[e]++;
	return -(int)e - 1;
}

void khcl_nvsp_chan_init(struct khcl_nvsp_chan *c)
{
	memset(c, 0, sizeof(*c));
}

/* Bytes of NVSP message each guest type needs (type word included). */
static u32 nvsp_minlen(u32 type)
{
	switch (type) {
	case KHCL_NVSP_INIT:
	case KHCL_NVSP_SEND_NDIS_VER:
		return 12;
	case KHCL_NVSP_SEND_NDIS_CONFIG:
		return 20;
	case KHCL_NVSP_SEND_RECV_BUF:
	case KHCL_NVSP_SEND_SEND_BUF:
		return 10;
	case KHCL_NVSP_REVOKE_RECV_BUF:
	case KHCL_NVSP_REVOKE_SEND_BUF:
		return 6;
	case KHCL_NVSP_SEND_RNDIS_PKT:
		return 16;
	case KHCL_NVSP_SUBCHANNEL:
		return 12;
	default:
		return 0;
	}
}

/* A GPA-direct SEND_RNDIS_PKT: one range, exactly its PFNs. */
static int nvsp_parse_range(struct khcl_nvsp_chan *c, const u8 *p, u32 off,
			    struct khcl_nvsp_req *r)
{
	struct khcl_gpa_buf b;

	if (khcl_vmpkt_gpa_range(p, off, &b))
		return nvsp_err(c, KHCL_NVSP_ERR_RANGE);
	r->rndis_len = b.len;
	r->buf = b;
	return 0;
}

int khcl_nvsp_parse(struct khcl_nvsp_chan *c,
		    const struct khcl_vmpkt_desc *d, const void *pkt, u32 len,
		    struct khcl_nvsp_req *r)
{
	const u8 *p = pkt;
	u32 off = (u32)d->offset8 << 3, n, min;

	memset(r, 0, sizeof(*r));
	r->pkt_type = d->type;
	r->trans_id = d->trans_id;
	r->completion = d->flags & KHCL_VMPKT_FLAG_COMPLETION_REQUESTED;
	if (off < sizeof(*d) || off > len || len - off < sizeof(u32))
		return nvsp_err(c, KHCL_NVSP_ERR_SHORT);
	n = len - off;
	if (n > sizeof(r->msg))
		n = sizeof(r->msg);
	memcpy(&r->msg, p + off, n);	/* the rest stays zero */
	r->type = r->msg.type;

	switch (d->type) {
	case KHCL_VMPKT_COMP:
		/* the guest returning a receive section */
		if (r->type != KHCL_NVSP_SEND_RNDIS_PKT_COMPLETE || n < 8)
			return nvsp_err(c, KHCL_NVSP_ERR_TYPE);
		return 0;
	case KHCL_VMPKT_DATA_USING_GPA_DIRECT:
		if (r->type != KHCL_NVSP_SEND_RNDIS_PKT)
			return nvsp_err(c, KHCL_NVSP_ERR_PKT_TYPE);
		if (nvsp_parse_range(c, p, off, r))
			return -1;
		break;
	case KHCL_VMPKT_DATA_INBAND:
		break;
	default:
		return nvsp_err(c, KHCL_NVSP_ERR_PKT_TYPE);
	}
	min = nvsp_minlen(r->type);
	if (!min)
		return nvsp_err(c, KHCL_NVSP_ERR_TYPE);
	if (n < min)
		return nvsp_err(c, KHCL_NVSP_ERR_SHORT);
	return 0;
}

static bool nvsp_version_ok(u32 v)
{
	return v == KHCL_NVSP_V61 || v == KHCL_NVSP_V6 || v == KHCL_NVSP_V5;
}

static enum khcl_nvsp_verdict nvsp_answer(const struct khcl_nvsp_req *r)
{
	return r->completion ? KHCL_NVSP_REPLY : KHCL_NVSP_NONE;
}

enum khcl_nvsp_verdict khcl_nvsp_control(struct khcl_nvsp_chan *c,
					 const struct khcl_nvsp_req *r,
					 struct khcl_nvsp_msg *reply)
{
	const struct khcl_nvsp_msg *m = &r->msg;

	memset(reply, 0, sizeof(*reply));	/* no stale bytes out */
	if (r->pkt_type == KHCL_VMPKT_COMP) {
		/* the guest is done with section trans_id - 1 */
		if (r->trans_id >= 1 && r->trans_id <= c->nsections &&
		    (c->sections_out & (1ull << (r->trans_id - 1))))
			c->sections_out &= ~(1ull << (r->trans_id - 1));
		else
			c->errors[KHCL_NVSP_ERR_SECTION]++;
		return KHCL_NVSP_NONE;
	}

	switch (r->type) {
	case KHCL_NVSP_INIT:
		reply->type = KHCL_NVSP_INIT_COMPLETE;
		reply->init_complete.status = KHCL_NVSP_STAT_FAIL;
		if (c->version) {
			c->errors[KHCL_NVSP_ERR_STATE]++;
		} else if (m->init.min_ver == m->init.max_ver &&
			   nvsp_version_ok(m->init.max_ver)) {
			c->version = m->init.max_ver;
			reply->init_complete.negotiated_ver = c->version;
			reply->init_complete.status = KHCL_NVSP_STAT_SUCCESS;
		}
		return nvsp_answer(r);
	case KHCL_NVSP_SEND_NDIS_CONFIG:
		if (!c->version)
			c->errors[KHCL_NVSP_ERR_STATE]++;
		else
			c->mtu = m->init.min_ver;	/* u32 mtu at 4 */
		return KHCL_NVSP_NONE;
	case KHCL_NVSP_SEND_NDIS_VER:
		if (!c->version) {
			c->errors[KHCL_NVSP_ERR_STATE]++;
		} else {
			c->ndis_major = m->init.min_ver;
			c->ndis_minor = m->init.max_ver;
		}
		return KHCL_NVSP_NONE;
	case KHCL_NVSP_SEND_RECV_BUF:
		if (c->version && !c->recv_buf) {
			c->recv_gpadl = m->buf.gpadl;
			c->recv_id = m->buf.id;
			return KHCL_NVSP_MAP_RECV_BUF;
		}
		c->errors[KHCL_NVSP_ERR_STATE]++;
		khcl_nvsp_recv_buf_done(c, 0, 0, reply);
		return nvsp_answer(r);
	case KHCL_NVSP_SEND_SEND_BUF:
		reply->type = KHCL_NVSP_SEND_SEND_BUF_COMPLETE;
		reply->send_buf_complete.status = KHCL_NVSP_STAT_FAIL;
		if (c->version && !c->send_buf) {
			/* no TX path yet: the buffer is acknowledged only */
			c->send_buf = true;
			c->send_gpadl = m->buf.gpadl;
			reply->send_buf_complete.status =
				KHCL_NVSP_STAT_SUCCESS;
			reply->send_buf_complete.section_size = 6144;
		} else {
			c->errors[KHCL_NVSP_ERR_STATE]++;
		}
		return nvsp_answer(r);
	case KHCL_NVSP_REVOKE_RECV_BUF:
		if (!c->recv_buf || m->revoke.id != c->recv_id) {
			c->errors[KHCL_NVSP_ERR_STATE]++;
			return KHCL_NVSP_NONE;
		}
		c->recv_buf = false;
		c->nsections = 0;
		c->sections_out = 0;
		return KHCL_NVSP_UNMAP_RECV_BUF;
	case KHCL_NVSP_REVOKE_SEND_BUF:
		if (!c->send_buf)
			c->errors[KHCL_NVSP_ERR_STATE]++;
		c->send_buf = false;
		return KHCL_NVSP_NONE;
	case KHCL_NVSP_SEND_RNDIS_PKT:
		if (m->rndis.channel_type == 0) {
			c->data_pkts++;
			return KHCL_NVSP_RNDIS_DATA;
		}
		/* control: needs its message pages and a place to answer */
		if (m->rndis.channel_type == 1 && c->recv_buf &&
		    r->pkt_type == KHCL_VMPKT_DATA_USING_GPA_DIRECT &&
		    r->rndis_len <= KHCL_RNDIS_MAX_MSG)
			return KHCL_NVSP_RNDIS;
		c->errors[KHCL_NVSP_ERR_STATE]++;
		khcl_nvsp_rndis_complete(reply, false);
		return nvsp_answer(r);
	case KHCL_NVSP_SUBCHANNEL:
	default:
		/* one channel only (so far): refused */
		reply->type = r->type;
		reply->init_complete.negotiated_ver = KHCL_NVSP_STAT_FAIL;
		return nvsp_answer(r);
	}
}

void khcl_nvsp_recv_buf_done(struct khcl_nvsp_chan *c, u32 buf_len,
			     u32 section_size, struct khcl_nvsp_msg *reply)
{
	u32 n = section_size ? buf_len / section_size : 0;

	memset(reply, 0, sizeof(*reply));
	reply->type = KHCL_NVSP_SEND_RECV_BUF_COMPLETE;
	if (!n) {
		reply->recv_buf_complete.status = KHCL_NVSP_STAT_FAIL;
		return;
	}
	c->recv_buf = true;
	c->section_size = section_size;
	c->nsections = n < KHCL_NVSP_SECTIONS ? n : KHCL_NVSP_SECTIONS;
	c->sections_out = 0;
	reply->recv_buf_complete.status = KHCL_NVSP_STAT_SUCCESS;
	reply->recv_buf_complete.num_sections = 1;
	reply->recv_buf_complete.offset = 0;
	reply->recv_buf_complete.sub_alloc_size = section_size;
	reply->recv_buf_complete.num_sub_allocs = n;
	reply->recv_buf_complete.end_offset = n * section_size;
}

int khcl_nvsp_section_get(struct khcl_nvsp_chan *c, u32 len)
{
	u32 i;

	if (!c->recv_buf || len > c->section_size)
		return -1;
	for (i = 0; i < c->nsections; i++) {
		if (!(c->sections_out & (1ull << i))) {
			c->sections_out |= 1ull << i;
			return i;
		}
	}
	c->no_section++;
	return -1;
}

void khcl_nvsp_rndis_complete(struct khcl_nvsp_msg *reply, bool ok)
{
	memset(reply, 0, sizeof(*reply));
	reply->type = KHCL_NVSP_SEND_RNDIS_PKT_COMPLETE;
	reply->rndis_complete.status = ok ? KHCL_NVSP_STAT_SUCCESS :
					    KHCL_NVSP_STAT_FAIL;
}

void khcl_nvsp_rndis_to_guest(struct khcl_nvsp_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = KHCL_NVSP_SEND_RNDIS_PKT;
	m->rndis.channel_type = 1;
	m->rndis.section_index = KHCL_NVSP_NO_SECTION;
}
