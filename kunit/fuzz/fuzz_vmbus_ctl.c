// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: vmbus_relay/server.c, the VMBus control protocol.
 * The input is a sequence of records (fuzz_rec.h): guest messages built
 * from a few fields (INITIATE_CONTACT, GPADL header/body/teardown,
 * open/close/release/modify, or raw bytes), VSP actions (offers,
 * sub-channels, rescinds, mapping a GPADL as netvsc's receive buffer,
 * chan_reset) and injected failures (allocation, GPADL map, open).
 *
 * Findings: memory errors, UB, leaks (each mapping the ops hand out is
 * a heap object: one not unmapped leaks, one unmapped twice is a double
 * free), and broken invariants:
 *  - every GPADL_HEADER gets at most one GPADL_CREATED, and one at once
 *    unless the GPADL is still being built; a BODY either adds pages or
 *    is answered; every TEARDOWN gets its TORNDOWN, at once or when the
 *    last user goes, and no TORNDOWN comes unasked;
 *  - OPENCHANNEL gets exactly one result, MODIFYCHANNEL one response
 *    from 5.3 on, INITIATE_CONTACT and UNLOAD one answer each; a message
 *    that is not processed gets no answer;
 *  - total_pages is the sum of npfns; limits hold; a GPADL is mapped
 *    exactly when it is created; users counts the open rings and VSP
 *    mappings using it; a teardown is pending only while it is used;
 *  - no GPADL outlives its channel's RELID_RELEASED;
 *  - an offered or open sub-channel has an open primary, and its
 *    sub_channel_index is unique.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../vmbus_relay/server.h"
#include "fuzz_rec.h"

#define FV_MAPS		16
#define FV_HT		128

static const struct khcl_vmb_limits fv_lim = {
	.max_version = KHCL_VMB_V5_3, .max_gpadls = 16,
	.max_gpadl_pages = 512, .max_total_pages = 2048, .max_vp = 4,
};

/* what the guest side knows about one GPADL handle */
struct fv_handle {
	uint32_t h;
	uint32_t outstanding;		/* headers not yet answered */
	bool torndown_due;		/* a deferred teardown */
};

struct fv_map {				/* a VSP mapping (khcl_vsp_gpadl_map) */
	bool used;
	uint32_t relid, handle;
};

static struct {
	struct fv_handle ht[FV_HT];
	struct fv_map maps[FV_MAPS];
	bool opened[KHCL_VMB_MAX_CHANNELS + 1];
	uint32_t released[KHCL_VMB_MAX_CHANNELS];
	uint32_t nreleased;
	int mapped;
	bool fail_alloc, fail_map, fail_open;
	/* what went out during the current khcl_vmb_server_rx() */
	uint32_t sent[KHCL_CHMSG_COUNT];
	uint32_t created_h, ncreated;	/* CREATED for the handle in rx */
	uint32_t torndown_h, ntorndown;	/* TORNDOWN for the handle in rx */
	uint32_t open_relid, open_id, nopen_result;
	bool in_teardown;
} fv;

static int fv_owner;

static void fv_fail(void)
{
	abort();
}

void *fz_zalloc(size_t n, size_t size)
{
	if (fv.fail_alloc) {
		fv.fail_alloc = false;
		return NULL;
	}
	return calloc(n, size);
}

FZ_NOCOV static struct fv_handle *fv_ht(uint32_t h, bool add)
{
	struct fv_handle *free_slot = NULL;

	for (int i = 0; i < FV_HT; i++) {
		if (fv.ht[i].h == h && (fv.ht[i].outstanding ||
					fv.ht[i].torndown_due))
			return &fv.ht[i];
		if (!fv.ht[i].outstanding && !fv.ht[i].torndown_due &&
		    !free_slot)
			free_slot = &fv.ht[i];
	}
	if (!add || !free_slot)
		return NULL;
	free_slot->h = h;
	return free_slot;
}

FZ_NOCOV static int fv_ht_free(void)
{
	int n = 0;

	for (int i = 0; i < FV_HT; i++)
		n += !fv.ht[i].outstanding && !fv.ht[i].torndown_due;
	return n;
}

/* The guest forgets everything it waited for (reconnect, unload). */
static void fv_guest_reset(void)
{
	memset(fv.ht, 0, sizeof(fv.ht));
}

FZ_NOCOV static uint32_t fv_msg_len(uint32_t type)
{
	switch (type) {
	case KHCL_CHMSG_OFFERCHANNEL:
		return sizeof(struct khcl_vmb_offer_channel);
	case KHCL_CHMSG_RESCIND_CHANNELOFFER:
		return sizeof(struct khcl_vmb_relid_msg);
	case KHCL_CHMSG_ALLOFFERS_DELIVERED:
	case KHCL_CHMSG_UNLOAD_RESPONSE:
		return sizeof(struct khcl_vmb_hdr);
	case KHCL_CHMSG_OPENCHANNEL_RESULT:
		return sizeof(struct khcl_vmb_open_result);
	case KHCL_CHMSG_GPADL_CREATED:
		return sizeof(struct khcl_vmb_gpadl_created);
	case KHCL_CHMSG_GPADL_TORNDOWN:
		return sizeof(struct khcl_vmb_gpadl_torndown);
	case KHCL_CHMSG_VERSION_RESPONSE:
		return sizeof(struct khcl_vmb_version_response);
	case KHCL_CHMSG_MODIFYCHANNEL_RESPONSE:
		return sizeof(struct khcl_vmb_modifychannel_response);
	default:
		return 0;	/* not something the host sends */
	}
}

static void fv_send(struct khcl_vmb_server *s, const void *m, uint32_t len)
{
	struct khcl_vmb_hdr hdr;
	struct fv_handle *t;
	uint32_t v[3];

	if (len < sizeof(hdr) || len > KHCL_SYNIC_PAYLOAD)
		fv_fail();
	memcpy(&hdr, m, sizeof(hdr));
	if (hdr.msgtype >= KHCL_CHMSG_COUNT || hdr.padding ||
	    fv_msg_len(hdr.msgtype) != len)
		fv_fail();
	fv.sent[hdr.msgtype]++;
	memset(v, 0, sizeof(v));
	memcpy(v, (const uint8_t *)m + sizeof(hdr),
	       len - sizeof(hdr) < sizeof(v) ? len - sizeof(hdr) : sizeof(v));
	switch (hdr.msgtype) {
	case KHCL_CHMSG_GPADL_CREATED:		/* relid, gpadl, status */
		t = fv_ht(v[1], false);
		if (!t || !t->outstanding)
			fv_fail();		/* a second answer */
		t->outstanding--;
		if (v[1] == fv.created_h)
			fv.ncreated++;
		break;
	case KHCL_CHMSG_GPADL_TORNDOWN:		/* gpadl */
		if (fv.in_teardown && v[0] == fv.torndown_h) {
			fv.ntorndown++;
			break;
		}
		t = fv_ht(v[0], false);
		if (!t || !t->torndown_due)
			fv_fail();		/* nobody asked */
		t->torndown_due = false;
		break;
	case KHCL_CHMSG_OPENCHANNEL_RESULT:	/* relid, openid, status */
		if (v[0] != fv.open_relid || v[1] != fv.open_id)
			fv_fail();
		fv.nopen_result++;
		break;
	}
}

static void fv_token_free(struct khcl_vmb_gpadl *g)
{
	free(g->priv);
	g->priv = NULL;
	fv.mapped--;
}

static int fv_map(struct khcl_vmb_server *s, struct khcl_vmb_gpadl *g)
{
	if (g->have != g->npfns || g->npfns > s->lim.max_gpadl_pages ||
	    g->state != KHCL_GPADL_BUILDING || g->priv || g->users)
		fv_fail();
	for (uint32_t i = 0; i < g->npfns; i++)
		if (g->pfns[i] >= FV_VTL0_PFNS)
			return -EFAULT;
	if (fv.fail_map) {
		fv.fail_map = false;
		return -ENOMEM;
	}
	g->priv = malloc(1);	/* a leak if never unmapped */
	if (!g->priv)
		return -ENOMEM;
	fv.mapped++;
	return 0;
}

static void fv_unmap(struct khcl_vmb_server *s, struct khcl_vmb_gpadl *g)
{
	if (g->state != KHCL_GPADL_CREATED || !g->priv || g->users)
		fv_fail();
	fv_token_free(g);
}

static int fv_open(struct khcl_vmb_server *s, struct khcl_vmb_chan *c,
		   struct khcl_vmb_gpadl *g, const uint8_t *ud)
{
	if (g->state != KHCL_GPADL_CREATED || g->relid != c->relid ||
	    c->downstream_pageoffset < 2 ||
	    c->downstream_pageoffset + 2 > g->npfns ||
	    c->target_vp >= s->lim.max_vp || fv.opened[c->relid])
		fv_fail();
	if (fv.fail_open) {
		fv.fail_open = false;
		return -ENOMEM;
	}
	fv.opened[c->relid] = true;
	return 0;
}

static void fv_close(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	if (!fv.opened[c->relid] || c->state != KHCL_CHAN_OPEN)
		fv_fail();
	fv.opened[c->relid] = false;
	/* khcl_chan_close: what the VSP still maps goes, from in here */
	for (int i = 0; i < FV_MAPS; i++) {
		if (fv.maps[i].used && fv.maps[i].relid == c->relid) {
			fv.maps[i].used = false;
			khcl_vmb_server_gpadl_put(s, fv.maps[i].handle);
		}
	}
}

static void fv_modify(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	if (c->state != KHCL_CHAN_OPEN || c->target_vp >= s->lim.max_vp)
		fv_fail();
}

/* sub-channels handed back by the core; the owner frees them later */
static void fv_release(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	if (c->state != KHCL_CHAN_RELEASED || !c->primary_relid ||
	    fv.nreleased == KHCL_VMB_MAX_CHANNELS || fv.opened[c->relid])
		fv_fail();
	fv.released[fv.nreleased++] = c->relid;
}

static void fv_free_released(struct khcl_vmb_server *s)
{
	while (fv.nreleased)
		khcl_vmb_server_chan_free(s, fv.released[--fv.nreleased]);
}

static const struct khcl_vmb_ops fv_ops = {
	.send = fv_send, .gpadl_map = fv_map, .gpadl_unmap = fv_unmap,
	.chan_open = fv_open, .chan_close = fv_close,
	.chan_modify = fv_modify, .chan_release = fv_release,
};

FZ_NOCOV static void fv_check_chans(struct khcl_vmb_server *s)
{
	uint64_t seen[KHCL_VMB_MAX_CHANNELS + 1] = { 0 };

	for (uint32_t i = 0; i < KHCL_VMB_MAX_CHANNELS; i++) {
		const struct khcl_vmb_chan *c = &s->chan[i];
		const struct khcl_vmb_gpadl *g;
		const struct khcl_vmb_chan *p;
		uint32_t idx;

		if ((c->state == KHCL_CHAN_OPEN) != fv.opened[i + 1])
			fv_fail();
		if (c->state == KHCL_CHAN_OPEN) {
			g = khcl_vmb_server_gpadl(s, c->ring_gpadl);
			if (!g || g->state != KHCL_GPADL_CREATED ||
			    g->relid != c->relid || !g->users)
				fv_fail();
		}
		if (!c->primary_relid || c->state == KHCL_CHAN_FREE ||
		    c->state == KHCL_CHAN_RELEASED)
			continue;
		idx = c->offer.sub_channel_index;
		if (!idx || idx > KHCL_VMB_MAX_SUBCHANNELS ||
		    c->primary_relid > KHCL_VMB_MAX_CHANNELS ||
		    (seen[c->primary_relid] & (1ull << idx)))
			fv_fail();
		seen[c->primary_relid] |= 1ull << idx;
		p = &s->chan[c->primary_relid - 1];
		if ((c->state == KHCL_CHAN_OFFERED ||
		     c->state == KHCL_CHAN_OPEN) && p->state != KHCL_CHAN_OPEN)
			fv_fail();
	}
}

FZ_NOCOV static void fv_check_gpadls(struct khcl_vmb_server *s)
{
	uint32_t due[FV_HT], ndue = 0, npending = 0;
	uint64_t pages = 0;
	int mapped = 0;

	if (s->ngpadls > s->lim.max_gpadls ||
	    s->total_pages > s->lim.max_total_pages)
		fv_fail();
	for (int i = 0; i < FV_HT; i++)
		if (fv.ht[i].torndown_due)
			due[ndue++] = fv.ht[i].h;
	for (uint32_t i = 0; i < s->ngpadls; i++) {
		const struct khcl_vmb_gpadl *g = &s->gpadl[i];
		uint32_t users = 0;
		bool is_due = false;

		for (uint32_t j = 0; j < ndue; j++)
			is_due |= due[j] == g->handle;
		pages += g->npfns;
		if (!g->npfns || g->npfns > s->lim.max_gpadl_pages ||
		    g->have > g->npfns || !g->pfns ||
		    (g->state == KHCL_GPADL_CREATED) != !!g->priv ||
		    (g->state == KHCL_GPADL_CREATED && g->have != g->npfns) ||
		    (g->teardown_pending &&
		     (g->state != KHCL_GPADL_CREATED || !g->users)) ||
		    g->teardown_pending != is_due)
			fv_fail();
		npending += g->teardown_pending;
		mapped += !!g->priv;
		for (uint32_t j = 0; j < i; j++)
			if (s->gpadl[j].handle == g->handle)
				fv_fail();
		for (uint32_t j = 0; j < KHCL_VMB_MAX_CHANNELS; j++)
			users += s->chan[j].state == KHCL_CHAN_OPEN &&
				 s->chan[j].ring_gpadl == g->handle;
		for (int j = 0; j < FV_MAPS; j++)
			users += fv.maps[j].used &&
				 fv.maps[j].handle == g->handle;
		if (users != g->users)
			fv_fail();
	}
	/* a teardown the guest waits for is on a GPADL that still exists */
	if (pages != s->total_pages || mapped != fv.mapped ||
	    npending != ndue)
		fv_fail();
}

static void fv_check(struct khcl_vmb_server *s)
{
	fv_check_chans(s);
	fv_check_gpadls(s);
}

/* One guest message, and what must have come back for it. */
static void fv_rx(struct khcl_vmb_server *s, uint32_t conn_id,
		  const void *msg, uint32_t len)
{
	enum khcl_vmb_conn_state state = s->state;
	const struct khcl_vmb_gpadl *g;
	struct khcl_vmb_gpadl before = { 0 };
	const struct khcl_vmb_chan *c;
	struct fv_handle *t;
	bool processed, had = false;
	uint32_t type = 0, v[4] = { 0 }, nsent = 0, min = 0;
	enum khcl_vmb_chan_state cstate = KHCL_CHAN_FREE;

	if (len >= sizeof(struct khcl_vmb_hdr))
		memcpy(&type, msg, sizeof(type));
	if (len >= 8 + sizeof(v))
		memcpy(v, (const uint8_t *)msg + 8, sizeof(v));
	else if (len > 8)
		memcpy(v, (const uint8_t *)msg + 8, len - 8);
	switch (type) {
	case KHCL_CHMSG_REQUESTOFFERS:
	case KHCL_CHMSG_UNLOAD:
		min = 8;
		break;
	case KHCL_CHMSG_OPENCHANNEL:
		min = sizeof(struct khcl_vmb_open_channel);
		break;
	case KHCL_CHMSG_CLOSECHANNEL:
	case KHCL_CHMSG_RELID_RELEASED:
		min = 12;
		break;
	case KHCL_CHMSG_GPADL_HEADER:
		min = 28;
		break;
	case KHCL_CHMSG_GPADL_BODY:
		min = 24;
		break;
	case KHCL_CHMSG_GPADL_TEARDOWN:
	case KHCL_CHMSG_MODIFYCHANNEL:
		min = 16;
		break;
	case KHCL_CHMSG_INITIATE_CONTACT:
		min = sizeof(struct khcl_vmb_initiate_contact);
		break;
	}
	processed = min && len >= min && len <= KHCL_SYNIC_PAYLOAD &&
		    state != KHCL_CONN_DISCONNECTED && conn_id == s->msg_conn_id;
	memset(fv.sent, 0, sizeof(fv.sent));
	fv.created_h = fv.torndown_h = 0;
	fv.ncreated = fv.ntorndown = fv.nopen_result = 0;
	fv.in_teardown = false;
	fv.open_relid = v[0];
	fv.open_id = v[1];
	switch (processed ? type : 0) {
	case KHCL_CHMSG_GPADL_HEADER:		/* relid, gpadl */
		fv.created_h = v[1];
		had = khcl_vmb_server_gpadl(s, v[1]);
		/* room for this one, and for a teardown of each GPADL */
		t = fv_ht(v[1], true);
		if (fv_ht_free() <= fv_lim.max_gpadls || !t)
			return;			/* too many to follow */
		t->outstanding++;
		break;
	case KHCL_CHMSG_GPADL_BODY:		/* msgnumber, gpadl */
		fv.created_h = v[1];
		g = khcl_vmb_server_gpadl(s, v[1]);
		had = g && g->state == KHCL_GPADL_BUILDING;
		if (g)
			before = *g;
		break;
	case KHCL_CHMSG_GPADL_TEARDOWN:		/* relid, gpadl */
		fv.torndown_h = v[1];
		fv.in_teardown = true;
		break;
	case KHCL_CHMSG_RELID_RELEASED:		/* relid */
		c = khcl_vmb_server_chan(s, v[0]);
		cstate = c ? c->state : KHCL_CHAN_FREE;
		break;
	}

	khcl_vmb_server_rx(s, conn_id, msg, len);
	fv.in_teardown = false;

	for (int i = 0; i < KHCL_CHMSG_COUNT; i++)
		nsent += fv.sent[i];
	if (type == KHCL_CHMSG_INITIATE_CONTACT && len >= min &&
	    len <= KHCL_SYNIC_PAYLOAD) {
		if (fv.sent[KHCL_CHMSG_VERSION_RESPONSE] != 1)
			fv_fail();
		if (state != KHCL_CONN_DISCONNECTED)
			fv_guest_reset();
		return;
	}
	if (type == KHCL_CHMSG_UNLOAD && len >= min &&
	    len <= KHCL_SYNIC_PAYLOAD) {
		if (fv.sent[KHCL_CHMSG_UNLOAD_RESPONSE] != 1)
			fv_fail();
		fv_guest_reset();
		return;
	}
	if (!processed) {
		if (nsent)
			fv_fail();
		return;
	}
	g = khcl_vmb_server_gpadl(s, fv.created_h);
	switch (type) {
	case KHCL_CHMSG_REQUESTOFFERS:
		if (fv.sent[KHCL_CHMSG_ALLOFFERS_DELIVERED] !=
		    (state == KHCL_CONN_CONNECTED))
			fv_fail();
		break;
	case KHCL_CHMSG_GPADL_HEADER:
		/* answered now, or a new GPADL waiting for its bodies */
		if (fv.ncreated > 1 ||
		    (!fv.ncreated && (had || !g ||
				      g->state != KHCL_GPADL_BUILDING)))
			fv_fail();
		break;
	case KHCL_CHMSG_GPADL_BODY:
		if (fv.ncreated > 1 || (!had && nsent) ||
		    (had && !fv.ncreated &&
		     (!g || g->state != KHCL_GPADL_BUILDING ||
		      g->have <= before.have)))
			fv_fail();
		break;
	case KHCL_CHMSG_GPADL_TEARDOWN:
		g = khcl_vmb_server_gpadl(s, fv.torndown_h);
		if (fv.ntorndown > 1)
			fv_fail();
		if (!fv.ntorndown) {
			/* deferred: the GPADL is in use; answered later */
			t = fv_ht(fv.torndown_h, true);
			if (!g || !g->teardown_pending || !g->users || !t)
				fv_fail();
			t->torndown_due = true;
		}
		break;
	case KHCL_CHMSG_OPENCHANNEL:
		if (fv.nopen_result != 1)
			fv_fail();
		break;
	case KHCL_CHMSG_MODIFYCHANNEL:
		if (fv.sent[KHCL_CHMSG_MODIFYCHANNEL_RESPONSE] !=
		    (s->version >= KHCL_VMB_V5_3))
			fv_fail();
		break;
	case KHCL_CHMSG_RELID_RELEASED:
		if (cstate == KHCL_CHAN_FREE || cstate == KHCL_CHAN_OPEN)
			break;
		for (uint32_t i = 0; i < s->ngpadls; i++)
			if (s->gpadl[i].relid == v[0])
				fv_fail();
		break;
	}
}

static const uint32_t fv_versions[] = {
	KHCL_VMB_V5_3, KHCL_VMB_V5_2, KHCL_VMB_V5_1, KHCL_VMB_V5_0,
	KHCL_VMB_V4_1, KHCL_VMB_WIN10, KHCL_VMB_WIN8_1, KHCL_VMB_WIN8,
};

static void fv_gpadl_header(struct khcl_vmb_server *s, uint32_t conn,
			    uint8_t op, struct fz_in *in)
{
	uint8_t msg[KHCL_SYNIC_PAYLOAD];
	struct khcl_vmb_gpadl_header *m = (void *)msg;
	struct khcl_vmb_gpa_range *rg = (void *)(m + 1);
	uint32_t relid = fz_u8(in), h = FV_HANDLE(fz_u8(in));
	uint32_t pages = fz_u16(in), tail = fz_u16(in);
	uint32_t nin = fz_u8(in), pfn = fz_u8(in), npfns, max;
	uint64_t base = (uint64_t)(pfn & 0x7f) * 64;

	memset(msg, 0, sizeof(msg));
	m->hdr.msgtype = KHCL_CHMSG_GPADL_HEADER;
	m->child_relid = relid;
	m->gpadl = h;
	m->rangecount = op & 0x40 ? 2 : 1;
	rg->byte_count = pages << KHCL_HV_PAGE_SHIFT;
	if (op & 0x80) {
		rg->byte_offset = tail & 0xfff;
		rg->byte_count ^= tail >> 12;
	}
	npfns = ((uint64_t)rg->byte_offset + rg->byte_count +
		 KHCL_HV_PAGE_SIZE - 1) >> KHCL_HV_PAGE_SHIFT;
	m->range_buflen = sizeof(*rg) + npfns * 8 + (op & 0x20 ? 8 : 0);
	max = (sizeof(msg) - sizeof(*m) - sizeof(*rg)) / 8;
	nin = nin == 0xff ? (npfns < max ? npfns : max) : nin % (max + 1);
	for (uint32_t i = 0; i < nin; i++) {
		uint64_t v = base + i;

		if (pfn & 0x80 && i == nin - 1)
			v = FV_VTL0_PFNS + i;	/* not guest RAM */
		memcpy(msg + sizeof(*m) + sizeof(*rg) + i * 8, &v, 8);
	}
	fv_rx(s, conn, msg, sizeof(*m) + sizeof(*rg) + nin * 8);
}

static void fv_gpadl_body(struct khcl_vmb_server *s, uint32_t conn,
			  uint8_t op, struct fz_in *in)
{
	uint8_t msg[KHCL_SYNIC_PAYLOAD];
	struct khcl_vmb_gpadl_body *m = (void *)msg;
	uint32_t h = FV_HANDLE(fz_u8(in)), n = fz_u8(in), pfn = fz_u8(in);
	const struct khcl_vmb_gpadl *g = khcl_vmb_server_gpadl(s, h);
	uint32_t max = (sizeof(msg) - sizeof(*m)) / 8, have = 0, len;

	if (g)
		have = g->have;
	if (n == 0xff)
		n = g && g->npfns - g->have < max ? g->npfns - g->have : max;
	else
		n %= max + 1;
	memset(msg, 0, sizeof(msg));
	m->hdr.msgtype = KHCL_CHMSG_GPADL_BODY;
	m->gpadl = h;
	m->msgnumber = pfn;		/* ignored: arrival order counts */
	for (uint32_t i = 0; i < n; i++) {
		uint64_t v = (uint64_t)(pfn & 0x7f) * 64 + have + i;

		if (pfn & 0x80 && i == n - 1)
			v = ~0ull;
		memcpy(msg + sizeof(*m) + i * 8, &v, 8);
	}
	len = sizeof(*m) + n * 8;
	if (op & 0x80 && len > sizeof(*m) + 8)
		len -= 4;
	fv_rx(s, conn, msg, len);
}

static void fv_simple(struct khcl_vmb_server *s, uint32_t conn,
		      uint32_t type, uint32_t len, uint32_t a, uint32_t b)
{
	uint8_t msg[KHCL_SYNIC_PAYLOAD];

	memset(msg, 0, sizeof(msg));
	memcpy(msg, &type, 4);
	memcpy(msg + 8, &a, 4);
	memcpy(msg + 12, &b, 4);
	fv_rx(s, conn, msg, len);
}

static void fv_vsp_map(struct khcl_vmb_server *s, uint32_t relid, uint32_t h)
{
	struct khcl_vmb_chan *c = khcl_vmb_server_chan(s, relid);
	struct khcl_vmb_gpadl *g = khcl_vmb_server_gpadl(s, h);
	int slot = -1;

	/* as khcl_vsp_gpadl_map() decides */
	if (!c || c->state != KHCL_CHAN_OPEN || !g ||
	    g->state != KHCL_GPADL_CREATED || g->teardown_pending ||
	    (g->relid != relid && g->relid != c->primary_relid) ||
	    g->byte_offset || g->byte_count % KHCL_HV_PAGE_SIZE)
		return;
	for (int i = 0; i < FV_MAPS; i++) {
		if (fv.maps[i].used && fv.maps[i].relid == relid &&
		    fv.maps[i].handle == h)
			return;
		if (!fv.maps[i].used && slot < 0)
			slot = i;
	}
	if (slot < 0)
		return;
	fv.maps[slot].used = true;
	fv.maps[slot].relid = relid;
	fv.maps[slot].handle = h;
	g->users++;
}

static void fv_step(struct khcl_vmb_server *s, struct fz_in *in,
		    uint32_t *conn_next)
{
	struct khcl_vmb_initiate_contact ic;
	struct khcl_vmb_open_channel oc;
	struct khcl_vmb_offer o;
	uint8_t op = fz_u8(in), raw[256], a, b;
	uint32_t conn = *conn_next ? *conn_next : s->msg_conn_id;
	const uint8_t *p;
	size_t len;

	*conn_next = 0;
	switch ((op & 0x1f) % FV_NOPS) {	/* bits 5-7: flags */
	case FV_RAW:
		len = fz_take(in, fz_u8(in), &p);
		memset(raw, 0, sizeof(raw));
		memcpy(raw, p, len);
		if (op & 0x80)	/* steer towards message types that exist */
			raw[0] %= KHCL_CHMSG_COUNT;
		fv_rx(s, conn, raw, len);
		break;
	case FV_CONTACT:
		memset(&ic, 0, sizeof(ic));
		ic.hdr.msgtype = KHCL_CHMSG_INITIATE_CONTACT;
		a = fz_u8(in);
		ic.version_requested = a < ARRAY_SIZE(fv_versions) ?
				       fv_versions[a] : a * 0x10001u;
		ic.target_vcpu = fz_u8(in);
		ic.msg_sint = fz_u8(in);
		ic.msg_vtl = op >> 7;
		fv_rx(s, conn, &ic, sizeof(ic));
		break;
	case FV_REQOFFERS:
		fv_simple(s, conn, KHCL_CHMSG_REQUESTOFFERS, 8, 0, 0);
		break;
	case FV_UNLOAD:
		fv_simple(s, conn, KHCL_CHMSG_UNLOAD, 8, 0, 0);
		break;
	case FV_HEADER:
		fv_gpadl_header(s, conn, op, in);
		break;
	case FV_BODY:
		fv_gpadl_body(s, conn, op, in);
		break;
	case FV_TEARDOWN:
		a = fz_u8(in);
		fv_simple(s, conn, KHCL_CHMSG_GPADL_TEARDOWN, 16, a,
			  FV_HANDLE(fz_u8(in)));
		break;
	case FV_OPEN:
		memset(&oc, 0, sizeof(oc));
		oc.hdr.msgtype = KHCL_CHMSG_OPENCHANNEL;
		oc.child_relid = fz_u8(in);
		oc.ringbuffer_gpadl = FV_HANDLE(fz_u8(in));
		oc.downstream_ring_pageoffset = fz_u8(in);
		oc.target_vp = fz_u8(in);
		oc.openid = fz_u8(in);
		fv_rx(s, conn, &oc, sizeof(oc));
		break;
	case FV_CLOSE:
		fv_simple(s, conn, KHCL_CHMSG_CLOSECHANNEL, 12, fz_u8(in), 0);
		break;
	case FV_RELEASED:
		fv_simple(s, conn, KHCL_CHMSG_RELID_RELEASED, 12, fz_u8(in),
			  0);
		break;
	case FV_MODIFY:
		a = fz_u8(in);
		b = fz_u8(in);
		fv_simple(s, conn, KHCL_CHMSG_MODIFYCHANNEL, 16, a, b);
		break;
	case FV_OFFER:
		memset(&o, 0, sizeof(o));
		o.if_instance.b[0] = op;
		khcl_vmb_server_offer(s, &o, NULL);
		break;
	case FV_OFFER_SUB:
		khcl_vmb_server_offer_sub(s, fz_u8(in), &fv_owner);
		break;
	case FV_RESCIND:
		khcl_vmb_server_rescind(s, fz_u8(in));
		break;
	case FV_FREE:
		fv_free_released(s);
		break;
	case FV_MAP:
		a = fz_u8(in);
		fv_vsp_map(s, a, FV_HANDLE(fz_u8(in)));
		break;
	case FV_UNMAP:
		a = fz_u8(in);
		if (fv.maps[a % FV_MAPS].used) {
			fv.maps[a % FV_MAPS].used = false;
			khcl_vmb_server_gpadl_put(s, fv.maps[a % FV_MAPS].handle);
		} else if (!khcl_vmb_server_gpadl(s, FV_HANDLE(a)) ||
			   !khcl_vmb_server_gpadl(s, FV_HANDLE(a))->users) {
			/* a put nobody took: ignored */
			khcl_vmb_server_gpadl_put(s, FV_HANDLE(a));
		}
		break;
	case FV_RESET:
		khcl_vmb_server_chan_reset(s, fz_u8(in));
		break;
	case FV_FAIL:
		a = fz_u8(in);
		fv.fail_alloc = a & 1;
		fv.fail_map = a & 2;
		fv.fail_open = a & 4;
		break;
	case FV_CONN_ID:
		*conn_next = fz_u8(in) | 0x100;	/* never the right one */
		break;
	}
	fv_check(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct khcl_vmb_limits bad = fv_lim;
	struct fz_in in = { d, n, 0 };
	struct khcl_vmb_server s;
	struct khcl_vmb_offer o;
	uint32_t conn_next = 0;

	memset(&fv, 0, sizeof(fv));
	bad.max_gpadls = 0;
	if (!khcl_vmb_server_init(&s, &fv_ops, &bad, NULL))
		fv_fail();
	fv.fail_alloc = true;
	if (khcl_vmb_server_init(&s, &fv_ops, &fv_lim, NULL) != -ENOMEM)
		fv_fail();
	if (khcl_vmb_server_init(&s, &fv_ops, &fv_lim, NULL))
		return 0;
	khcl_vmb_server_chan_free(&s, 0);
	khcl_vmb_server_chan_free(&s, KHCL_VMB_MAX_CHANNELS + 1);
	memset(&o, 0, sizeof(o));
	khcl_vmb_server_offer(&s, &o, NULL);
	khcl_vmb_server_offer(&s, &o, NULL);
	while (fz_more(&in))
		fv_step(&s, &in, &conn_next);
	khcl_vmb_server_destroy(&s);
	khcl_vmb_server_destroy(&s);	/* twice is harmless */
	fv_free_released(&s);
	for (int i = 0; i <= KHCL_VMB_MAX_CHANNELS; i++)
		if (fv.opened[i])
			fv_fail();
	for (int i = 0; i < FV_MAPS; i++)
		if (fv.maps[i].used)
			fv_fail();
	if (fv.mapped)
		fv_fail();
	for (int e = 0; e <= KHCL_VMB_NERR; e++)
		if (!khcl_vmb_err_name(e))
			fv_fail();
	return 0;
}
