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
	[KHCL_NVSP_ERR_DATA] = "data",
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
	case KHCL_NVSP_SWITCH_DATA_PATH:
		return 8;
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

/*
 * A data SEND_RNDIS_PKT's ranges, back to back after the descriptor:
 * {len, offset, pfn[]}, each non-empty, starting in its first page, at
 * most KHCL_NV_MAX_RANGES of them and KHCL_NV_MAX_PFNS PFNs in all,
 * filling the descriptor exactly.
 */
static int nvsp_parse_ranges(struct khcl_nvsp_chan *c, const u8 *p, u32 off,
			     struct khcl_nv_tx *tx)
{
	u32 at = sizeof(struct khcl_vmpkt_desc) + 8, cnt, i, pfns = 0;
	u32 rg[2];		/* len, offset */
	u64 n, total = 0;

	if (off < at)
		return nvsp_err(c, KHCL_NVSP_ERR_RANGE);
	memcpy(&cnt, p + sizeof(struct khcl_vmpkt_desc) + 4, sizeof(cnt));
	if (!cnt || cnt > KHCL_NV_MAX_RANGES)
		return nvsp_err(c, KHCL_NVSP_ERR_RANGE);
	for (i = 0; i < cnt; i++) {
		if (off - at < sizeof(rg))
			return nvsp_err(c, KHCL_NVSP_ERR_RANGE);
		memcpy(rg, p + at, sizeof(rg));
		if (!rg[0] || rg[1] >= KHCL_HV_PAGE_SIZE)
			return nvsp_err(c, KHCL_NVSP_ERR_RANGE);
		n = ((u64)rg[1] + rg[0] + KHCL_HV_PAGE_SIZE - 1) >>
		    KHCL_HV_PAGE_SHIFT;
		pfns += n;	/* n < 2^21: no wrap */
		if (pfns > KHCL_NV_MAX_PFNS ||
		    n * sizeof(u64) > off - at - sizeof(rg))
			return nvsp_err(c, KHCL_NVSP_ERR_RANGE);
		tx->range[i].len = rg[0];
		tx->range[i].offset = rg[1];
		tx->range[i].npfns = n;
		tx->range[i].pfns = p + at + sizeof(rg);
		at += sizeof(rg) + n * sizeof(u64);
		total += rg[0];
	}
	if (at != off || total > KHCL_NV_TX_MAX_STREAM)
		return nvsp_err(c, KHCL_NVSP_ERR_RANGE);
	tx->nranges = cnt;
	tx->total = total;
	return 0;
}

int khcl_nvsp_parse(struct khcl_nvsp_chan *c,
		    const struct khcl_vmpkt_desc *d, const void *pkt, u32 len,
		    struct khcl_nvsp_req *r)
{
	const u8 *p = pkt;
	u32 off = (u32)d->offset8 << 3, n, min;

	/* all but the range table, which nranges bounds */
	memset(r, 0, offsetof(struct khcl_nvsp_req, tx.range));
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
		if (r->msg.rndis.channel_type == 0) {
			if (nvsp_parse_ranges(c, p, off, &r->tx))
				return -1;
		} else if (nvsp_parse_range(c, p, off, r)) {
			return -1;
		}
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

static void nvsp_sections_reset(struct khcl_nvsp_chan *c, u32 n)
{
	c->nsections = n;
	memset(c->sections_out, 0, sizeof(c->sections_out));
	c->sections_busy = 0;
	c->section_hint = 0;
	memset(c->owner, 0, sizeof(c->owner));
}

static bool nvsp_version_ok(u32 v)
{
	return v == KHCL_NVSP_V61 || v == KHCL_NVSP_V6 || v == KHCL_NVSP_V5;
}

static enum khcl_nvsp_verdict nvsp_answer(const struct khcl_nvsp_req *r)
{
	return r->completion ? KHCL_NVSP_REPLY : KHCL_NVSP_NONE;
}

/*
 * A data packet: its send section (if any) inside the mapped send
 * buffer, at least one byte in all. The stream is r->tx.
 */
static enum khcl_nvsp_verdict nvsp_data(struct khcl_nvsp_chan *c,
					const struct khcl_nvsp_req *r,
					struct khcl_nvsp_msg *reply)
{
	struct khcl_nv_tx *tx = (struct khcl_nv_tx *)&r->tx;
	u32 idx = r->msg.rndis.section_index;
	u32 n = r->msg.rndis.section_size;

	tx->section = KHCL_NVSP_NO_SECTION;
	tx->section_len = 0;
	if (!c->version) {		/* data before INIT */
		c->errors[KHCL_NVSP_ERR_STATE]++;
		khcl_nvsp_rndis_complete(reply, false);
		return nvsp_answer(r);
	}
	if (idx != KHCL_NVSP_NO_SECTION) {
		if (!c->send_nsections || idx >= c->send_nsections || !n ||
		    n > c->send_section_size)
			goto bad;
		tx->section = idx;
		tx->section_len = n;
		tx->total += n;
	}
	if (!tx->total)
		goto bad;
	c->data_pkts++;
	return KHCL_NVSP_RNDIS_DATA;
bad:
	c->errors[KHCL_NVSP_ERR_DATA]++;
	khcl_nvsp_rndis_complete(reply, false);
	return nvsp_answer(r);
}

/* Every section of the run a completion's @tid names is the guest's. */
static bool nvsp_run_out(const struct khcl_nvsp_chan *c, u64 tid)
{
	u32 lo = (u32)tid, n = tid >> 32 ?: 1, i;

	if (!lo || n > KHCL_NV_RX_RANGES || (u64)lo - 1 + n > c->nsections)
		return false;
	for (i = 0; i < n; i++)
		if (!khcl_nvsp_section_out(c, lo - 1 + i))
			return false;
	return true;
}

enum khcl_nvsp_verdict khcl_nvsp_control(struct khcl_nvsp_chan *c,
					 const struct khcl_nvsp_req *r,
					 struct khcl_nvsp_msg *reply)
{
	const struct khcl_nvsp_msg *m = &r->msg;

	memset(reply, 0, sizeof(*reply));	/* no stale bytes out */
	if (r->pkt_type == KHCL_VMPKT_COMP) {
		/* a sub-channel's: the caller gives them to the primary */
		if (c->sub)
			c->errors[KHCL_NVSP_ERR_STATE]++;
		else
			khcl_nvsp_rx_done(c, r->trans_id);
		return KHCL_NVSP_NONE;
	}
	/* a sub-channel carries data and completions, nothing else */
	if (c->sub && (r->type != KHCL_NVSP_SEND_RNDIS_PKT ||
		       m->rndis.channel_type != 0)) {
		c->errors[KHCL_NVSP_ERR_STATE]++;
		reply->type = r->type;
		reply->init_complete.negotiated_ver = KHCL_NVSP_STAT_FAIL;
		return nvsp_answer(r);
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
		if (c->version && !c->send_buf) {
			c->send_gpadl = m->buf.gpadl;
			return KHCL_NVSP_MAP_SEND_BUF;
		}
		c->errors[KHCL_NVSP_ERR_STATE]++;
		khcl_nvsp_send_buf_done(c, 0, reply);
		return nvsp_answer(r);
	case KHCL_NVSP_REVOKE_RECV_BUF:
		if (!c->recv_buf || m->revoke.id != c->recv_id) {
			c->errors[KHCL_NVSP_ERR_STATE]++;
			return KHCL_NVSP_NONE;
		}
		c->recv_buf = false;
		nvsp_sections_reset(c, 0);
		return KHCL_NVSP_UNMAP_RECV_BUF;
	case KHCL_NVSP_REVOKE_SEND_BUF:
		if (!c->send_buf) {
			c->errors[KHCL_NVSP_ERR_STATE]++;
			return KHCL_NVSP_NONE;
		}
		c->send_buf = false;
		c->send_nsections = 0;
		return KHCL_NVSP_UNMAP_SEND_BUF;
	case KHCL_NVSP_SWITCH_DATA_PATH:
		/* no VF is offered: the synthetic path stays; empty answer */
		return r->completion ? KHCL_NVSP_SWITCH_DP : KHCL_NVSP_NONE;
	case KHCL_NVSP_SEND_RNDIS_PKT:
		if (m->rndis.channel_type == 0)
			return nvsp_data(c, r, reply);
		/* control: needs its message pages and a place to answer */
		if (m->rndis.channel_type == 1 && c->recv_buf &&
		    r->pkt_type == KHCL_VMPKT_DATA_USING_GPA_DIRECT &&
		    r->rndis_len <= KHCL_RNDIS_MAX_MSG)
			return KHCL_NVSP_RNDIS;
		c->errors[KHCL_NVSP_ERR_STATE]++;
		khcl_nvsp_rndis_complete(reply, false);
		return nvsp_answer(r);
	case KHCL_NVSP_SUBCHANNEL:
		/* once, from NVSP 5, with somewhere to receive */
		if (c->version >= KHCL_NVSP_V5 && c->recv_buf &&
		    !c->subchannels_asked && m->subchannel.op == 1 &&
		    m->subchannel.num && r->completion) {
			c->subchannels_asked = true;
			return KHCL_NVSP_SUBCHANNELS;
		}
		c->errors[KHCL_NVSP_ERR_STATE]++;
		khcl_nvsp_subchannel_done(c, 0, reply);
		return nvsp_answer(r);
	default:
		reply->type = r->type;
		reply->init_complete.negotiated_ver = KHCL_NVSP_STAT_FAIL;
		return nvsp_answer(r);
	}
}

bool khcl_nvsp_rx_done(struct khcl_nvsp_chan *c, u64 tid)
{
	/* the guest is done with the sections khcl_nv_rx_tid() names */
	if (!nvsp_run_out(c, tid)) {
		c->errors[KHCL_NVSP_ERR_SECTION]++;
		return false;
	}
	khcl_nvsp_sections_put(c, (u32)tid - 1, tid >> 32 ?: 1);
	return true;
}

void khcl_nvsp_subchannel_done(struct khcl_nvsp_chan *c, u32 n,
			       struct khcl_nvsp_msg *reply)
{
	memset(reply, 0, sizeof(*reply));
	reply->type = KHCL_NVSP_SUBCHANNEL;
	reply->subchannel.op = n ? KHCL_NVSP_STAT_SUCCESS : KHCL_NVSP_STAT_FAIL;
	reply->subchannel.num = n;
	c->subchannels = n;
}

void khcl_nvsp_sub_init(struct khcl_nvsp_chan *sub,
			const struct khcl_nvsp_chan *pri)
{
	memset(sub, 0, sizeof(*sub));
	sub->sub = true;
	sub->version = pri->version;
	sub->ndis_major = pri->ndis_major;
	sub->ndis_minor = pri->ndis_minor;
	sub->mtu = pri->mtu;
	sub->send_buf = pri->send_buf;
	sub->send_section_size = pri->send_section_size;
	sub->send_nsections = pri->send_nsections;
}

u32 khcl_nvsp_send_table(u8 *out, u32 nchan)
{
	struct khcl_nvsp_msg m = { .type = KHCL_NVSP_SEND_INDIRECTION_TABLE };
	u32 i, v;

	m.send_table.count = KHCL_NV_SEND_TAB;
	m.send_table.offset = sizeof(m);
	memcpy(out, &m, sizeof(m));
	for (i = 0; i < KHCL_NV_SEND_TAB; i++) {
		v = nchan ? i % nchan : 0;
		memcpy(out + sizeof(m) + i * 4, &v, 4);
	}
	return sizeof(m) + KHCL_NV_SEND_TAB * 4;
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
	nvsp_sections_reset(c, n < KHCL_NVSP_SECTIONS ? n : KHCL_NVSP_SECTIONS);
	reply->recv_buf_complete.status = KHCL_NVSP_STAT_SUCCESS;
	reply->recv_buf_complete.num_sections = 1;
	reply->recv_buf_complete.offset = 0;
	reply->recv_buf_complete.sub_alloc_size = section_size;
	reply->recv_buf_complete.num_sub_allocs = n;
	reply->recv_buf_complete.end_offset = n * section_size;
}

void khcl_nvsp_send_buf_done(struct khcl_nvsp_chan *c, u32 buf_len,
			     struct khcl_nvsp_msg *reply)
{
	u32 n = buf_len / KHCL_NVSP_SEND_SECTION;

	memset(reply, 0, sizeof(*reply));
	reply->type = KHCL_NVSP_SEND_SEND_BUF_COMPLETE;
	if (!n) {
		reply->send_buf_complete.status = KHCL_NVSP_STAT_FAIL;
		return;
	}
	c->send_buf = true;
	c->send_section_size = KHCL_NVSP_SEND_SECTION;
	c->send_nsections = n;
	reply->send_buf_complete.status = KHCL_NVSP_STAT_SUCCESS;
	reply->send_buf_complete.section_size = KHCL_NVSP_SEND_SECTION;
}

/*
 * The first section from @s on (below @end) whose bit is @busy, or @end:
 * a word of the bitmap at a time.
 */
static u32 nvsp_next(const struct khcl_nvsp_chan *c, u32 s, u32 end,
		     bool busy)
{
	u64 w;

	while (s < end) {
		w = c->sections_out[s / 64];
		if (!busy)
			w = ~w;
		w &= ~0ull << (s % 64);
		if (w) {
			s = s / 64 * 64 + __builtin_ctzll(w);
			return s < end ? s : end;
		}
		s = (s / 64 + 1) * 64;
	}
	return end;
}

int khcl_nvsp_sections_get(struct khcl_nvsp_chan *c, u32 n)
{
	u32 pass, s, e, end, i;

	if (!c->recv_buf || !n || n > KHCL_NV_RX_RANGES || n > c->nsections)
		return -1;
	if (c->sections_busy + n > c->nsections) {
		c->no_section++;
		return -1;
	}
	/*
	 * The first run of @n free ones from the hint to the end, then from
	 * the start (a run may cross the hint).
	 */
	for (pass = 0; pass < 2; pass++) {
		s = pass ? 0 : c->section_hint;
		end = pass ? c->section_hint + n - 1 : c->nsections;
		if (end > c->nsections)
			end = c->nsections;
		for (s = nvsp_next(c, s, end, false); s + n <= end;
		     s = nvsp_next(c, e, end, false)) {
			e = nvsp_next(c, s, s + n, true);
			if (e < s + n)
				continue;	/* too short: on after it */
			for (i = s; i < s + n; i++) {
				c->sections_out[i / 64] |= 1ull << (i % 64);
				c->owner[i] = 0;	/* the primary's */
			}
			c->sections_busy += n;
			c->section_hint = s + n < c->nsections ? s + n : 0;
			return s;
		}
	}
	c->no_section++;	/* free ones, but not @n in a row */
	return -1;
}

int khcl_nvsp_section_get(struct khcl_nvsp_chan *c, u32 len)
{
	if (len > c->section_size)
		return -1;
	return khcl_nvsp_sections_get(c, 1);
}

void khcl_nvsp_sections_put(struct khcl_nvsp_chan *c, int s, u32 n)
{
	u32 i;

	for (i = 0; i < n && s >= 0 && (u32)s + i < c->nsections; i++) {
		if (khcl_nvsp_section_out(c, s + i)) {
			c->sections_out[(s + i) / 64] &= ~(1ull << ((s + i) % 64));
			c->sections_busy--;
		}
	}
}

void khcl_nvsp_sections_own(struct khcl_nvsp_chan *c, int s, u32 n,
			    u8 owner)
{
	u32 i;

	for (i = 0; i < n && s >= 0 && (u32)s + i < c->nsections; i++)
		c->owner[s + i] = owner;
}

u32 khcl_nvsp_sections_reclaim(struct khcl_nvsp_chan *c, u8 owner)
{
	u32 s, n = 0;

	for (s = 0; s < c->nsections; s++) {
		if (c->owner[s] == owner && khcl_nvsp_section_out(c, s)) {
			khcl_nvsp_section_put(c, s);
			n++;
		}
	}
	return n;
}

void khcl_nvsp_section_put(struct khcl_nvsp_chan *c, int s)
{
	khcl_nvsp_sections_put(c, s, 1);
}

int khcl_nv_tx_pages(const struct khcl_nv_tx *tx, u32 off, u32 len,
		     struct khcl_gpa_buf *out, u32 max)
{
	u32 i, n = 0, c, skip, first;

	for (i = 0; len && i < tx->nranges; i++) {
		const struct khcl_gpa_buf *b = &tx->range[i];

		if (off >= b->len) {
			off -= b->len;
			continue;
		}
		if (n == max)
			return -1;
		c = len < b->len - off ? len : b->len - off;
		skip = b->offset + off;		/* < 4096 + len: no wrap */
		first = skip >> KHCL_HV_PAGE_SHIFT;
		out[n].offset = skip & (KHCL_HV_PAGE_SIZE - 1);
		out[n].len = c;
		out[n].npfns = b->npfns - first;
		out[n].pfns = b->pfns + (size_t)first * sizeof(u64);
		n++;
		len -= c;
		off = 0;
	}
	return len ? -1 : (int)n;
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
