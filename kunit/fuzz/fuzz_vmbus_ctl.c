// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: vmbus_relay/server.c, the VMBus control protocol, fed
 * sequences of guest messages (and VSP offers, sub-channel offers,
 * rescinds and frees of released sub-channels in between).
 * Findings: memory errors, UB, and broken invariants after teardown (a
 * mapped GPADL or open channel left behind, a GPADL the ops refused).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../vmbus_relay/server.h"

#define FV_VTL0_PFNS 0x40000ull

static int fv_mapped, fv_opened;

static void fv_send(struct khcl_vmb_server *s, const void *m, uint32_t len)
{
	if (len < 8 || len > KHCL_VMB_MSG_MAX)
		abort();
}

static int fv_map(struct khcl_vmb_server *s, struct khcl_vmb_gpadl *g)
{
	if (g->have != g->npfns || g->npfns > s->lim.max_gpadl_pages)
		abort();
	for (uint32_t i = 0; i < g->npfns; i++)
		if (g->pfns[i] >= FV_VTL0_PFNS)
			return -EFAULT;
	fv_mapped++;
	return 0;
}

static void fv_unmap(struct khcl_vmb_server *s, struct khcl_vmb_gpadl *g)
{
	fv_mapped--;
}

static int fv_open(struct khcl_vmb_server *s, struct khcl_vmb_chan *c,
		   struct khcl_vmb_gpadl *g, const uint8_t *ud)
{
	if (g->state != KHCL_GPADL_CREATED ||
	    c->downstream_pageoffset + 2 > g->npfns)
		abort();
	fv_opened++;
	return 0;
}

static void fv_close(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	fv_opened--;
}

/* sub-channels handed back by the core; the owner frees them later */
static uint32_t fv_released[KHCL_VMB_MAX_CHANNELS];
static uint32_t fv_nreleased;
static int fv_owner;

static void fv_release(struct khcl_vmb_server *s, struct khcl_vmb_chan *c)
{
	if (c->state != KHCL_CHAN_RELEASED || !c->primary_relid ||
	    fv_nreleased == KHCL_VMB_MAX_CHANNELS)
		abort();
	fv_released[fv_nreleased++] = c->relid;
}

static void fv_free_released(struct khcl_vmb_server *s)
{
	while (fv_nreleased)
		khcl_vmb_server_chan_free(s, fv_released[--fv_nreleased]);
}

static const struct khcl_vmb_ops fv_ops = {
	.send = fv_send, .gpadl_map = fv_map, .gpadl_unmap = fv_unmap,
	.chan_open = fv_open, .chan_close = fv_close,
	.chan_release = fv_release,
};

/*
 * Invariants: an offered or open sub-channel has an open primary;
 * sub_channel_index is unique per primary.
 */
static void fv_check(struct khcl_vmb_server *s)
{
	uint64_t seen[KHCL_VMB_MAX_CHANNELS + 1] = { 0 };

	for (uint32_t i = 0; i < KHCL_VMB_MAX_CHANNELS; i++) {
		const struct khcl_vmb_chan *c = &s->chan[i];
		const struct khcl_vmb_chan *p;
		uint32_t idx;

		if (!c->primary_relid || c->state == KHCL_CHAN_FREE ||
		    c->state == KHCL_CHAN_RELEASED)
			continue;
		idx = c->offer.sub_channel_index;
		if (!idx || idx > KHCL_VMB_MAX_SUBCHANNELS ||
		    c->primary_relid > KHCL_VMB_MAX_CHANNELS ||
		    (seen[c->primary_relid] & (1ull << idx)))
			abort();
		seen[c->primary_relid] |= 1ull << idx;
		p = &s->chan[c->primary_relid - 1];
		if ((c->state == KHCL_CHAN_OFFERED ||
		     c->state == KHCL_CHAN_OPEN) && p->state != KHCL_CHAN_OPEN)
			abort();
	}
}


int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const struct khcl_vmb_limits lim = {
		.max_version = KHCL_VMB_V5_3, .max_gpadls = 16,
		.max_gpadl_pages = 512, .max_total_pages = 2048, .max_vp = 4,
	};
	struct khcl_vmb_server s;
	struct khcl_vmb_offer o;
	uint8_t msg[KHCL_VMB_MSG_MAX];
	size_t pos = 0;

	fv_mapped = fv_opened = 0;
	fv_nreleased = 0;
	if (khcl_vmb_server_init(&s, &fv_ops, &lim, NULL))
		return 0;
	memset(&o, 0, sizeof(o));
	khcl_vmb_server_offer(&s, &o, NULL);
	khcl_vmb_server_offer(&s, &o, NULL);
	if (n && (d[0] & 1)) {
		/* start from a connected client most of the time */
		struct khcl_vmb_initiate_contact ic = {
			.hdr.msgtype = KHCL_CHMSG_INITIATE_CONTACT,
			.version_requested = KHCL_VMB_V5_3, .msg_sint = 2,
		};
		struct khcl_vmb_hdr ro = { KHCL_CHMSG_REQUESTOFFERS, 0 };

		khcl_vmb_server_rx(&s, 4, &ic, sizeof(ic));
		khcl_vmb_server_rx(&s, 4, &ro, sizeof(ro));
		pos = 1;
	}
	while (pos + 2 <= n) {
		uint8_t len = d[pos], ctl = d[pos + 1];

		pos += 2;
		if (ctl == 0xff) {		/* a VSP action */
			switch (len & 3) {
			case 0:
				khcl_vmb_server_rescind(&s, len >> 2);
				break;
			case 1:
				khcl_vmb_server_offer(&s, &o, NULL);
				break;
			case 2:
				khcl_vmb_server_offer_sub(&s, len >> 2,
							  &fv_owner);
				break;
			default:	/* the owner frees what was released */
				fv_free_released(&s);
				break;
			}
			fv_check(&s);
			continue;
		}
		if (len > KHCL_VMB_MSG_MAX)
			len = KHCL_VMB_MSG_MAX;
		if (len > n - pos)
			len = n - pos;
		memset(msg, 0, sizeof(msg));
		memcpy(msg, d + pos, len);
		pos += len;
		if (ctl & 2)	/* steer towards message types that exist */
			((struct khcl_vmb_hdr *)msg)->msgtype = msg[0] % 25;
		/* mostly the right connection id, sometimes not */
		khcl_vmb_server_rx(&s, ctl & 1 ? ctl : s.msg_conn_id, msg, len);
		if (s.ngpadls > lim.max_gpadls ||
		    s.total_pages > lim.max_total_pages)
			abort();
		fv_check(&s);
	}
	khcl_vmb_server_destroy(&s);
	fv_free_released(&s);
	if (fv_mapped || fv_opened)
		abort();
	return 0;
}
