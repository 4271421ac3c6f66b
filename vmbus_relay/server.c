// SPDX-License-Identifier: GPL-2.0
/*
 * Host side of the VMBus control protocol. See server.h.
 *
 * Every handler first has a message whose length was checked against its
 * type (khcl_vmb_minlen), works on a private copy (the caller copied the
 * mailbox slot out once), and either changes state and replies, or counts
 * the reason and drops the message. Nothing the guest sends can make this
 * code allocate beyond the limits in struct khcl_vmb_limits.
 */
#include "server.h"

static const u32 khcl_vmb_versions[] = {
	KHCL_VMB_V5_3, KHCL_VMB_V5_2, KHCL_VMB_V5_1, KHCL_VMB_V5_0,
	KHCL_VMB_V4_1, KHCL_VMB_WIN10, KHCL_VMB_WIN8_1, KHCL_VMB_WIN8,
};

static const char *const khcl_vmb_err_names[KHCL_VMB_NERR] = {
	[KHCL_VMB_ERR_SHORT] = "short",
	[KHCL_VMB_ERR_TYPE] = "type",
	[KHCL_VMB_ERR_STATE] = "state",
	[KHCL_VMB_ERR_CONN_ID] = "conn_id",
	[KHCL_VMB_ERR_RELID] = "relid",
	[KHCL_VMB_ERR_GPADL] = "gpadl",
	[KHCL_VMB_ERR_LIMIT] = "limit",
	[KHCL_VMB_ERR_OPEN] = "open",
};

const char *khcl_vmb_err_name(enum khcl_vmb_err e)
{
	return e < KHCL_VMB_NERR ? khcl_vmb_err_names[e] : "?";
}

bool khcl_vmb_version_known(u32 version)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(khcl_vmb_versions); i++)
		if (khcl_vmb_versions[i] == version)
			return true;
	return false;
}

/* Minimum length of each guest->host message type; 0: not accepted. */
static u32 khcl_vmb_minlen(u32 type)
{
	switch (type) {
	case KHCL_CHMSG_REQUESTOFFERS:
	case KHCL_CHMSG_UNLOAD:
		return sizeof(struct khcl_vmb_hdr);
	case KHCL_CHMSG_OPENCHANNEL:
		return sizeof(struct khcl_vmb_open_channel);
	case KHCL_CHMSG_CLOSECHANNEL:
	case KHCL_CHMSG_RELID_RELEASED:
		return sizeof(struct khcl_vmb_relid_msg);
	case KHCL_CHMSG_GPADL_HEADER:
		return sizeof(struct khcl_vmb_gpadl_header) +
		       sizeof(struct khcl_vmb_gpa_range);
	case KHCL_CHMSG_GPADL_BODY:
		return sizeof(struct khcl_vmb_gpadl_body) + sizeof(u64);
	case KHCL_CHMSG_GPADL_TEARDOWN:
		return sizeof(struct khcl_vmb_gpadl_teardown);
	case KHCL_CHMSG_INITIATE_CONTACT:
		return sizeof(struct khcl_vmb_initiate_contact);
	case KHCL_CHMSG_MODIFYCHANNEL:
		return sizeof(struct khcl_vmb_modifychannel);
	default:
		return 0;
	}
}

static int vmb_err(struct khcl_vmb_server *s, enum khcl_vmb_err e)
{
	s->errors[e]++;
	return -(int)e - 1;
}

static void vmb_send(struct khcl_vmb_server *s, void *msg, u32 len, u32 type)
{
	((struct khcl_vmb_hdr *)msg)->msgtype = type;
	s->tx_msgs++;
	s->ops->send(s, msg, len);
}

struct khcl_vmb_chan *khcl_vmb_server_chan(struct khcl_vmb_server *s,
					   u32 relid)
{
	if (relid < 1 || relid > KHCL_VMB_MAX_CHANNELS)
		return NULL;
	if (s->chan[relid - 1].state == KHCL_CHAN_FREE ||
	    s->chan[relid - 1].state == KHCL_CHAN_RELEASED)
		return NULL;
	return &s->chan[relid - 1];
}

struct khcl_vmb_gpadl *khcl_vmb_server_gpadl(struct khcl_vmb_server *s,
					     u32 handle)
{
	u32 i;

	for (i = 0; i < s->ngpadls; i++)
		if (s->gpadl[i].handle == handle)
			return &s->gpadl[i];
	return NULL;
}

static void vmb_torndown_reply(struct khcl_vmb_server *s, u32 handle)
{
	struct khcl_vmb_gpadl_torndown r;

	memset(&r, 0, sizeof(r));
	r.gpadl = handle;
	vmb_send(s, &r, sizeof(r), KHCL_CHMSG_GPADL_TORNDOWN);
}

/*
 * Forget a GPADL. A teardown the guest is waiting for is answered, unless
 * @quiet (unload and reconnect: the guest waits for nothing any more).
 */
static void vmb_gpadl_drop(struct khcl_vmb_server *s, struct khcl_vmb_gpadl *g,
			   bool quiet)
{
	u32 handle = g->handle;
	bool answer = g->teardown_pending && !quiet;

	if (g->state == KHCL_GPADL_CREATED)
		s->ops->gpadl_unmap(s, g);
	s->total_pages -= g->npfns;
	khcl_free(g->pfns);
	/* keep the table dense: move the last entry into the hole */
	*g = s->gpadl[--s->ngpadls];
	memset(&s->gpadl[s->ngpadls], 0, sizeof(*g));
	if (answer)
		vmb_torndown_reply(s, handle);
}

static void vmb_gpadl_free(struct khcl_vmb_server *s, struct khcl_vmb_gpadl *g)
{
	vmb_gpadl_drop(s, g, false);
}

/* One user (an open ring, a VSP mapping) of GPADL @handle is gone. */
static void vmb_gpadl_unuse(struct khcl_vmb_server *s, u32 handle)
{
	struct khcl_vmb_gpadl *g = khcl_vmb_server_gpadl(s, handle);

	if (!g || !g->users)
		return;
	if (!--g->users && g->teardown_pending)
		vmb_gpadl_free(s, g);
}

void khcl_vmb_server_gpadl_put(struct khcl_vmb_server *s, u32 handle)
{
	vmb_gpadl_unuse(s, handle);
}

/*
 * The guest released @relid: the GPADLs it made for that channel go too.
 * Linux skips GPADL_TEARDOWN on a rescinded channel (vmbus_close_internal
 * and vmbus_teardown_gpadl check channel->rescind), so nothing else would
 * ever free them; Hyper-V drops them here as well.
 */
static void vmb_gpadls_of_relid_drop(struct khcl_vmb_server *s, u32 relid)
{
	u32 i = 0;

	while (i < s->ngpadls) {
		if (s->gpadl[i].relid == relid)
			vmb_gpadl_free(s, &s->gpadl[i]);	/* refills slot i */
		else
			i++;
	}
}

static void vmb_slot_done(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	/* what the guest made for this relid goes with it, never inherited */
	vmb_gpadls_of_relid_drop(s, c->relid);
	if (c->primary_relid && c->vsp && s->ops->chan_release) {
		c->state = KHCL_CHAN_RELEASED;
		c->offer_sent = false;
		s->ops->chan_release(s, c);
		return;
	}
	memset(c, 0, sizeof(*c));
}

static void vmb_chan_close(struct khcl_vmb_server *s, struct khcl_vmb_chan *c);

/*
 * Withdraw a channel the guest may know: closed first; if the offer went
 * out, RESCIND and wait for RELID_RELEASED, else the slot is done now.
 */
static void vmb_withdraw(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	struct khcl_vmb_relid_msg m;

	vmb_chan_close(s, c);
	if (!c->offer_sent) {
		vmb_slot_done(s, c);
		return;
	}
	c->state = KHCL_CHAN_RESCINDED;
	memset(&m, 0, sizeof(m));
	m.child_relid = c->relid;
	vmb_send(s, &m, sizeof(m), KHCL_CHMSG_RESCIND_CHANNELOFFER);
}

/*
 * A primary stopped being open: its sub-channels go with it, as Hyper-V
 * does (a client that reopens asks for new ones; netvsc and storvsc wait
 * for fresh offers).
 */
static void vmb_drop_subs(struct khcl_vmb_server *s, u32 primary_relid)
{
	u32 i;

	for (i = 0; i < KHCL_VMB_MAX_CHANNELS; i++) {
		struct khcl_vmb_chan *c = &s->chan[i];

		if (c->primary_relid == primary_relid &&
		    (c->state == KHCL_CHAN_OFFERED || c->state == KHCL_CHAN_OPEN))
			vmb_withdraw(s, c);
	}
}

static void vmb_chan_close(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	if (c->state != KHCL_CHAN_OPEN)
		return;
	/*
	 * Sub-channels first: they may use what the primary holds (netvsc's
	 * sub-channels share its receive and send buffers), so none runs
	 * once the primary's VSP closes and its mappings go.
	 */
	if (!c->primary_relid)
		vmb_drop_subs(s, c->relid);
	s->ops->chan_close(s, c);
	c->state = KHCL_CHAN_OFFERED;
	vmb_gpadl_unuse(s, c->ring_gpadl);
}

static void vmb_reset(struct khcl_vmb_server *s)
{
	u32 i;

	/* the guest waits for no teardown any more: none is answered */
	for (i = 0; i < s->ngpadls; i++)
		s->gpadl[i].teardown_pending = false;
	/* sub-channels first: a new guest asks for its own */
	for (i = 0; i < KHCL_VMB_MAX_CHANNELS; i++) {
		struct khcl_vmb_chan *c = &s->chan[i];

		if (!c->primary_relid || c->state == KHCL_CHAN_FREE ||
		    c->state == KHCL_CHAN_RELEASED)
			continue;
		vmb_chan_close(s, c);
		vmb_slot_done(s, c);
	}
	for (i = 0; i < KHCL_VMB_MAX_CHANNELS; i++) {
		struct khcl_vmb_chan *c = &s->chan[i];

		if (c->state == KHCL_CHAN_RELEASED)
			continue;
		vmb_chan_close(s, c);
		c->offer_sent = false;
		if (c->state == KHCL_CHAN_RESCINDED)
			vmb_slot_done(s, c);
	}
	while (s->ngpadls)
		vmb_gpadl_drop(s, &s->gpadl[s->ngpadls - 1], true);
	s->state = KHCL_CONN_DISCONNECTED;
	s->version = 0;
}

static void vmb_send_offer(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	struct khcl_vmb_offer_channel m;

	memset(&m, 0, sizeof(m));
	m.offer = c->offer;
	m.child_relid = c->relid;
	m.monitorid = 0xff;		/* monitor_allocated = 0: no monitor */
	m.connection_id = c->connection_id;
	vmb_send(s, &m, sizeof(m), KHCL_CHMSG_OFFERCHANNEL);
	c->offer_sent = true;
}

static int vmb_initiate_contact(struct khcl_vmb_server *s,
				const struct khcl_vmb_initiate_contact *m)
{
	struct khcl_vmb_version_response r;
	u32 v = m->version_requested;
	bool ok;

	if (s->state != KHCL_CONN_DISCONNECTED) {
		/* a rebooted or reloaded client: start over */
		vmb_reset(s);
	}
	ok = khcl_vmb_version_known(v) && v <= s->lim.max_version &&
	     m->target_vcpu < s->lim.max_vp;
	if (ok && v >= KHCL_VMB_V5_0 && (m->msg_sint >= 16 || m->msg_vtl))
		ok = false;
	memset(&r, 0, sizeof(r));
	r.version_supported = ok;
	if (ok) {
		s->state = KHCL_CONN_CONNECTED;
		s->version = v;
		s->target_vcpu = m->target_vcpu;
		s->msg_sint = v >= KHCL_VMB_V5_0 ? m->msg_sint : KHCL_VMBUS_SINT;
		s->connects++;
		/* 0: successful (Hyper-V's 1 would be "low resources") */
		r.connection_state = 0;
		/* V5+ clients post to the id we name; older ones always to 1 */
		s->msg_conn_id = v >= KHCL_VMB_V5_0 ? KHCL_VMBUS_MSG_CONN_ID : 1;
		r.msg_conn_id = s->msg_conn_id;
	} else {
		s->refused[KHCL_CHMSG_INITIATE_CONTACT]++;
	}
	vmb_send(s, &r, sizeof(r), KHCL_CHMSG_VERSION_RESPONSE);
	return 0;
}

static int vmb_request_offers(struct khcl_vmb_server *s)
{
	struct khcl_vmb_hdr done = { 0 };
	u32 i;

	if (s->state != KHCL_CONN_CONNECTED)
		return vmb_err(s, KHCL_VMB_ERR_STATE);
	for (i = 0; i < KHCL_VMB_MAX_CHANNELS; i++)
		if (s->chan[i].state == KHCL_CHAN_OFFERED)
			vmb_send_offer(s, &s->chan[i]);
	s->state = KHCL_CONN_OFFERS_REQUESTED;
	vmb_send(s, &done, sizeof(done), KHCL_CHMSG_ALLOFFERS_DELIVERED);
	return 0;
}

static void vmb_gpadl_reply(struct khcl_vmb_server *s, u32 relid, u32 handle,
			    u32 status)
{
	struct khcl_vmb_gpadl_created r;

	memset(&r, 0, sizeof(r));
	r.child_relid = relid;
	r.gpadl = handle;
	r.creation_status = status;
	vmb_send(s, &r, sizeof(r), KHCL_CHMSG_GPADL_CREATED);
}

/*
 * Refuse a GPADL: the guest waits for GPADL_CREATED (Linux turns a
 * nonzero status into -EDQUOT), so it always gets one. The body messages
 * it still posts then name an unknown handle and are dropped.
 */
static int vmb_gpadl_refuse(struct khcl_vmb_server *s, u32 relid, u32 handle,
			    enum khcl_vmb_err e)
{
	s->refused[KHCL_CHMSG_GPADL_HEADER]++;
	vmb_gpadl_reply(s, relid, handle, KHCL_VMB_STATUS_UNSUCCESSFUL);
	return vmb_err(s, e);
}

/* Void a GPADL under construction: freed, and the guest told. */
static int vmb_gpadl_void(struct khcl_vmb_server *s, struct khcl_vmb_gpadl *g,
			  enum khcl_vmb_err e)
{
	u32 relid = g->relid, handle = g->handle;

	vmb_gpadl_free(s, g);
	return vmb_gpadl_refuse(s, relid, handle, e);
}

/* All PFNs are in: let the ops check and map them, then answer. */
static int vmb_gpadl_complete(struct khcl_vmb_server *s,
			      struct khcl_vmb_gpadl *g)
{
	if (s->ops->gpadl_map(s, g))
		return vmb_gpadl_void(s, g, KHCL_VMB_ERR_GPADL);
	g->state = KHCL_GPADL_CREATED;
	vmb_gpadl_reply(s, g->relid, g->handle, 0);
	return 0;
}

/* Append whole PFNs; 0, or -1 if they are not whole or too many. */
static int vmb_take_pfns(struct khcl_vmb_gpadl *g, const u8 *p, u32 bytes)
{
	u32 n = bytes / sizeof(u64);

	if (bytes % sizeof(u64) || n > g->npfns - g->have)
		return -1;
	memcpy(&g->pfns[g->have], p, (size_t)n * sizeof(u64));
	g->have += n;
	return 0;
}

static int vmb_gpadl_header(struct khcl_vmb_server *s, const u8 *msg, u32 len)
{
	const struct khcl_vmb_gpadl_header *m = (const void *)msg;
	const struct khcl_vmb_gpa_range *rg = (const void *)(m + 1);
	struct khcl_vmb_chan *c = khcl_vmb_server_chan(s, m->child_relid);
	struct khcl_vmb_gpadl *g;
	u64 end, npfns;

	/* only for a channel the guest was offered and still has */
	if (!c || c->state == KHCL_CHAN_RESCINDED || !c->offer_sent)
		return vmb_gpadl_refuse(s, m->child_relid, m->gpadl,
					KHCL_VMB_ERR_RELID);
	/* Linux describes one range; more would be a client we don't know. */
	if (m->rangecount != 1 || !rg->byte_count ||
	    rg->byte_offset >= KHCL_HV_PAGE_SIZE ||
	    khcl_vmb_server_gpadl(s, m->gpadl))
		return vmb_gpadl_refuse(s, m->child_relid, m->gpadl,
					KHCL_VMB_ERR_GPADL);
	end = (u64)rg->byte_offset + rg->byte_count;
	npfns = (end + KHCL_HV_PAGE_SIZE - 1) >> KHCL_HV_PAGE_SHIFT;
	/*
	 * Linux computes range_buflen = 8 + 8 * pages into a u16
	 * (create_gpadl_header), so it wraps from 8191 pages on: only its
	 * low 16 bits say anything. The page count comes from byte_count.
	 */
	if (m->range_buflen != (u16)(sizeof(*rg) + npfns * sizeof(u64)))
		return vmb_gpadl_refuse(s, m->child_relid, m->gpadl,
					KHCL_VMB_ERR_GPADL);
	if (npfns > s->lim.max_gpadl_pages || s->ngpadls >= s->lim.max_gpadls ||
	    s->total_pages + npfns > s->lim.max_total_pages)
		return vmb_gpadl_refuse(s, m->child_relid, m->gpadl,
					KHCL_VMB_ERR_LIMIT);

	g = &s->gpadl[s->ngpadls];
	memset(g, 0, sizeof(*g));
	g->pfns = khcl_zalloc(npfns, sizeof(u64));
	if (!g->pfns)
		return vmb_gpadl_refuse(s, m->child_relid, m->gpadl,
					KHCL_VMB_ERR_LIMIT);
	s->ngpadls++;
	s->total_pages += npfns;
	g->handle = m->gpadl;
	g->relid = m->child_relid;
	g->state = KHCL_GPADL_BUILDING;
	g->byte_count = rg->byte_count;
	g->byte_offset = rg->byte_offset;
	g->npfns = npfns;
	if (vmb_take_pfns(g, (const u8 *)(rg + 1),
			  len - sizeof(*m) - sizeof(*rg)))
		return vmb_gpadl_void(s, g, KHCL_VMB_ERR_GPADL);
	if (g->have == g->npfns)
		return vmb_gpadl_complete(s, g);
	return 0;
}

/*
 * Body messages are taken in arrival order. Linux never sets msgnumber
 * (the message comes zeroed from kzalloc and only msgtype, gpadl and the
 * PFNs are written), and Hyper-V does not look at it either; the posting
 * order is the order. What is checked is the page total.
 */
static int vmb_gpadl_body(struct khcl_vmb_server *s, const u8 *msg, u32 len)
{
	const struct khcl_vmb_gpadl_body *m = (const void *)msg;
	struct khcl_vmb_gpadl *g = khcl_vmb_server_gpadl(s, m->gpadl);

	if (!g || g->state != KHCL_GPADL_BUILDING)
		return vmb_err(s, KHCL_VMB_ERR_GPADL);	/* of a refused one */
	if (vmb_take_pfns(g, msg + sizeof(*m), len - sizeof(*m)))
		return vmb_gpadl_void(s, g, KHCL_VMB_ERR_GPADL);
	if (g->have == g->npfns)
		return vmb_gpadl_complete(s, g);
	return 0;
}

/*
 * GPADL_TORNDOWN carries no status and Linux waits for it, so every
 * teardown is answered: at once, or when the GPADL's last user goes (a
 * ring still open, a buffer a VSP still maps: Linux closes first, revokes
 * first; a guest that does not waits until it does).
 */
static int vmb_gpadl_teardown(struct khcl_vmb_server *s,
			      const struct khcl_vmb_gpadl_teardown *m)
{
	struct khcl_vmb_gpadl *g = khcl_vmb_server_gpadl(s, m->gpadl);

	if (!g || g->teardown_pending) {
		s->refused[KHCL_CHMSG_GPADL_TEARDOWN]++;
		vmb_torndown_reply(s, m->gpadl);
		return vmb_err(s, KHCL_VMB_ERR_GPADL);
	}
	if (g->state != KHCL_GPADL_CREATED) {
		/* still building: void it, and answer both waits */
		int ret = vmb_gpadl_void(s, g, KHCL_VMB_ERR_GPADL);

		vmb_torndown_reply(s, m->gpadl);
		return ret;
	}
	g->teardown_pending = true;
	if (g->users) {
		s->teardowns_deferred++;
		return 0;
	}
	vmb_gpadl_free(s, g);
	return 0;
}

static int vmb_open_refuse(struct khcl_vmb_server *s,
			   const struct khcl_vmb_open_channel *m,
			   enum khcl_vmb_err e)
{
	struct khcl_vmb_open_result r;

	memset(&r, 0, sizeof(r));
	r.child_relid = m->child_relid;
	r.openid = m->openid;
	r.status = KHCL_VMB_STATUS_UNSUCCESSFUL;
	s->refused[KHCL_CHMSG_OPENCHANNEL]++;
	vmb_send(s, &r, sizeof(r), KHCL_CHMSG_OPENCHANNEL_RESULT);
	return vmb_err(s, e);
}

static int vmb_open(struct khcl_vmb_server *s,
		    const struct khcl_vmb_open_channel *m)
{
	struct khcl_vmb_chan *c = khcl_vmb_server_chan(s, m->child_relid);
	struct khcl_vmb_gpadl *g;
	struct khcl_vmb_open_result r;

	if (s->state != KHCL_CONN_OFFERS_REQUESTED)
		return vmb_open_refuse(s, m, KHCL_VMB_ERR_STATE);
	if (!c || c->state != KHCL_CHAN_OFFERED || !c->offer_sent)
		return vmb_open_refuse(s, m, KHCL_VMB_ERR_RELID);
	g = khcl_vmb_server_gpadl(s, m->ringbuffer_gpadl);
	/* ring GPADL: whole pages, each ring a header page plus data */
	if (!g || g->state != KHCL_GPADL_CREATED || g->relid != c->relid ||
	    g->teardown_pending ||
	    g->byte_offset || g->byte_count % KHCL_HV_PAGE_SIZE || g->npfns < 4 ||
	    m->downstream_ring_pageoffset < 2 ||
	    m->downstream_ring_pageoffset > g->npfns - 2)
		return vmb_open_refuse(s, m, KHCL_VMB_ERR_GPADL);
	if (m->target_vp >= s->lim.max_vp)
		return vmb_open_refuse(s, m, KHCL_VMB_ERR_OPEN);
	c->ring_gpadl = g->handle;
	c->downstream_pageoffset = m->downstream_ring_pageoffset;
	c->target_vp = m->target_vp;
	c->openid = m->openid;
	if (s->ops->chan_open(s, c, g, m->userdata))
		return vmb_open_refuse(s, m, KHCL_VMB_ERR_OPEN);
	g->users++;
	c->state = KHCL_CHAN_OPEN;
	memset(&r, 0, sizeof(r));
	r.child_relid = m->child_relid;
	r.openid = m->openid;
	vmb_send(s, &r, sizeof(r), KHCL_CHMSG_OPENCHANNEL_RESULT);
	return 0;
}

static int vmb_close(struct khcl_vmb_server *s,
		     const struct khcl_vmb_relid_msg *m)
{
	struct khcl_vmb_chan *c = khcl_vmb_server_chan(s, m->child_relid);

	/*
	 * Linux closes a rescinded channel like any other (CLOSECHANNEL
	 * still goes out, vmbus_close_internal); it was closed when it was
	 * rescinded.
	 */
	if (c && c->state == KHCL_CHAN_RESCINDED)
		return 0;
	if (!c || c->state != KHCL_CHAN_OPEN)
		return vmb_err(s, KHCL_VMB_ERR_RELID);
	vmb_chan_close(s, c);
	return 0;
}

static int vmb_relid_released(struct khcl_vmb_server *s,
			      const struct khcl_vmb_relid_msg *m)
{
	struct khcl_vmb_chan *c = khcl_vmb_server_chan(s, m->child_relid);

	if (!c || c->state == KHCL_CHAN_OPEN)
		return vmb_err(s, KHCL_VMB_ERR_RELID);
	vmb_gpadls_of_relid_drop(s, c->relid);
	if (c->state == KHCL_CHAN_RESCINDED) {
		vmb_slot_done(s, c);
		return 0;
	}
	/*
	 * Released without a rescind: Linux gives up on an offer it could
	 * not set up (alloc_channel, device registration failed). The guest
	 * forgets the relid; the offer stands, unseen, until the next
	 * REQUESTOFFERS (a sub-channel goes back to its owner).
	 */
	if (!c->offer_sent)
		return vmb_err(s, KHCL_VMB_ERR_RELID);
	c->offer_sent = false;
	if (c->primary_relid)
		vmb_slot_done(s, c);
	return 0;
}

/*
 * From 5.3 on the guest waits for MODIFYCHANNEL_RESPONSE (a nonzero
 * status gives it -EAGAIN); before, it waits for nothing.
 */
static int vmb_modify(struct khcl_vmb_server *s,
		      const struct khcl_vmb_modifychannel *m)
{
	struct khcl_vmb_chan *c = khcl_vmb_server_chan(s, m->child_relid);
	struct khcl_vmb_modifychannel_response r;
	int ret = 0;

	if (!c || c->state != KHCL_CHAN_OPEN) {
		ret = vmb_err(s, KHCL_VMB_ERR_RELID);
	} else if (m->target_vp >= s->lim.max_vp) {
		ret = vmb_err(s, KHCL_VMB_ERR_OPEN);
	} else {
		c->target_vp = m->target_vp;
		if (s->ops->chan_modify)
			s->ops->chan_modify(s, c);
	}
	if (ret)
		s->refused[KHCL_CHMSG_MODIFYCHANNEL]++;
	if (s->version < KHCL_VMB_V5_3)
		return ret;
	memset(&r, 0, sizeof(r));
	r.child_relid = m->child_relid;
	r.status = ret ? KHCL_VMB_STATUS_UNSUCCESSFUL : 0;
	vmb_send(s, &r, sizeof(r), KHCL_CHMSG_MODIFYCHANNEL_RESPONSE);
	return ret;
}

void khcl_vmb_server_guest_reset(struct khcl_vmb_server *s)
{
	vmb_reset(s);
	s->guest_resets++;
}

static int vmb_unload(struct khcl_vmb_server *s)
{
	struct khcl_vmb_hdr r = { 0 };

	vmb_reset(s);
	s->unloads++;
	vmb_send(s, &r, sizeof(r), KHCL_CHMSG_UNLOAD_RESPONSE);
	return 0;
}

int khcl_vmb_server_rx(struct khcl_vmb_server *s, u32 conn_id,
		       const void *msg, u32 len)
{
	u32 type, min;

	if (len < sizeof(struct khcl_vmb_hdr) || len > KHCL_SYNIC_PAYLOAD)
		return vmb_err(s, KHCL_VMB_ERR_SHORT);
	type = ((const struct khcl_vmb_hdr *)msg)->msgtype;
	min = khcl_vmb_minlen(type);
	if (!min)
		return vmb_err(s, KHCL_VMB_ERR_TYPE);
	if (len < min)
		return vmb_err(s, KHCL_VMB_ERR_SHORT);
	s->rx_msgs[type]++;
	/* Before a version is agreed only INITIATE_CONTACT makes sense. */
	if (type == KHCL_CHMSG_INITIATE_CONTACT)
		return vmb_initiate_contact(s, msg);
	/* Linux waits for UNLOAD_RESPONSE forever: answer in any state */
	if (type == KHCL_CHMSG_UNLOAD)
		return vmb_unload(s);
	/*
	 * Linux's module exit sends UNLOAD, then RELID_RELEASED for every
	 * channel it had: after the unload there is nothing left to free.
	 */
	if (s->state == KHCL_CONN_DISCONNECTED &&
	    type == KHCL_CHMSG_RELID_RELEASED)
		return 0;
	if (s->state == KHCL_CONN_DISCONNECTED)
		return vmb_err(s, KHCL_VMB_ERR_STATE);
	if (conn_id != s->msg_conn_id)
		return vmb_err(s, KHCL_VMB_ERR_CONN_ID);

	switch (type) {
	case KHCL_CHMSG_REQUESTOFFERS:
		return vmb_request_offers(s);
	case KHCL_CHMSG_GPADL_HEADER:
		return vmb_gpadl_header(s, msg, len);
	case KHCL_CHMSG_GPADL_BODY:
		return vmb_gpadl_body(s, msg, len);
	case KHCL_CHMSG_GPADL_TEARDOWN:
		return vmb_gpadl_teardown(s, msg);
	case KHCL_CHMSG_OPENCHANNEL:
		return vmb_open(s, msg);
	case KHCL_CHMSG_CLOSECHANNEL:
		return vmb_close(s, msg);
	case KHCL_CHMSG_RELID_RELEASED:
		return vmb_relid_released(s, msg);
	case KHCL_CHMSG_MODIFYCHANNEL:
		return vmb_modify(s, msg);
	}
	return vmb_err(s, KHCL_VMB_ERR_TYPE);
}

static struct khcl_vmb_chan *vmb_new_chan(struct khcl_vmb_server *s,
					   const struct khcl_vmb_offer *offer,
					   void *vsp)
{
	struct khcl_vmb_chan *c;
	u32 i;

	for (i = 0; i < KHCL_VMB_MAX_CHANNELS; i++) {
		c = &s->chan[i];
		if (c->state != KHCL_CHAN_FREE)
			continue;
		memset(c, 0, sizeof(*c));
		c->relid = i + 1;
		c->connection_id = c->relid; /* event flag index towards us */
		c->offer = *offer;
		c->vsp = vsp;
		c->state = KHCL_CHAN_OFFERED;
		return c;
	}
	return NULL;
}

int khcl_vmb_server_offer(struct khcl_vmb_server *s,
			  const struct khcl_vmb_offer *offer, void *vsp)
{
	struct khcl_vmb_chan *c = vmb_new_chan(s, offer, vsp);

	if (!c)
		return -ENOSPC;
	c->offer.sub_channel_index = 0;
	if (s->state == KHCL_CONN_OFFERS_REQUESTED)
		vmb_send_offer(s, c);
	return c->relid;
}

/* The smallest sub_channel_index no live sub-channel of @p uses. */
static u32 vmb_free_sub_index(struct khcl_vmb_server *s, u32 p)
{
	u64 used = 0;
	u32 i;

	for (i = 0; i < KHCL_VMB_MAX_CHANNELS; i++) {
		const struct khcl_vmb_chan *c = &s->chan[i];

		if (c->primary_relid == p && c->state != KHCL_CHAN_FREE &&
		    c->state != KHCL_CHAN_RELEASED)
			used |= 1ull << c->offer.sub_channel_index;
	}
	for (i = 1; i <= KHCL_VMB_MAX_SUBCHANNELS; i++)
		if (!(used & (1ull << i)))
			return i;
	return 0;
}

int khcl_vmb_server_offer_sub(struct khcl_vmb_server *s, u32 primary_relid,
			      void *vsp)
{
	struct khcl_vmb_chan *p = khcl_vmb_server_chan(s, primary_relid);
	struct khcl_vmb_chan *c;
	u32 index;

	if (!p || p->primary_relid || p->state != KHCL_CHAN_OPEN)
		return -ENOTCONN;
	index = vmb_free_sub_index(s, primary_relid);
	if (!index)
		return -ENOSPC;
	c = vmb_new_chan(s, &p->offer, vsp);
	if (!c)
		return -ENOSPC;
	c->offer.sub_channel_index = index;
	c->primary_relid = primary_relid;
	if (s->state == KHCL_CONN_OFFERS_REQUESTED)
		vmb_send_offer(s, c);
	return c->relid;
}

void khcl_vmb_server_chan_free(struct khcl_vmb_server *s, u32 relid)
{
	struct khcl_vmb_chan *c;

	if (relid < 1 || relid > KHCL_VMB_MAX_CHANNELS)
		return;
	c = &s->chan[relid - 1];
	if (c->state == KHCL_CHAN_RELEASED)
		memset(c, 0, sizeof(*c));
}

void khcl_vmb_server_rescind(struct khcl_vmb_server *s, u32 relid)
{
	struct khcl_vmb_chan *c = khcl_vmb_server_chan(s, relid);

	if (!c || c->state == KHCL_CHAN_RESCINDED)
		return;
	/* a primary's owner forgets it now; a sub-channel's when released */
	if (!c->primary_relid) {
		vmb_chan_close(s, c);
		c->vsp = NULL;
	}
	vmb_withdraw(s, c);
}

void khcl_vmb_server_chan_reset(struct khcl_vmb_server *s, u32 relid)
{
	struct khcl_vmb_chan *c = khcl_vmb_server_chan(s, relid);

	if (c)
		vmb_chan_close(s, c);
}

int khcl_vmb_server_init(struct khcl_vmb_server *s,
			 const struct khcl_vmb_ops *ops,
			 const struct khcl_vmb_limits *lim, void *priv)
{
	memset(s, 0, sizeof(*s));
	if (!lim->max_gpadls || !lim->max_gpadl_pages || !lim->max_vp)
		return -EINVAL;
	s->ops = ops;
	s->priv = priv;
	s->lim = *lim;
	s->msg_conn_id = KHCL_VMBUS_MSG_CONN_ID;
	s->gpadl = khcl_zalloc(lim->max_gpadls, sizeof(*s->gpadl));
	return s->gpadl ? 0 : -ENOMEM;
}

void khcl_vmb_server_destroy(struct khcl_vmb_server *s)
{
	if (!s->gpadl)
		return;
	vmb_reset(s);
	khcl_free(s->gpadl);
	s->gpadl = NULL;
}
