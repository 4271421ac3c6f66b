// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: vmbus_relay/server.c, the VMBus control protocol, fed
 * sequences of guest messages (and VSP offers/rescinds in between).
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

static const struct khcl_vmb_ops fv_ops = {
	.send = fv_send, .gpadl_map = fv_map, .gpadl_unmap = fv_unmap,
	.chan_open = fv_open, .chan_close = fv_close,
};


int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const struct khcl_vmb_limits lim = {
		.max_version = KHCL_VMB_V5_3, .max_gpadls = 16,
		.max_gpadl_pages = 512, .max_total_pages = 2048,
	};
	struct khcl_vmb_server s;
	struct khcl_vmb_offer o;
	uint8_t msg[KHCL_VMB_MSG_MAX];
	size_t pos = 0;

	fv_mapped = fv_opened = 0;
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
			if (len & 1)
				khcl_vmb_server_offer(&s, &o, NULL);
			else
				khcl_vmb_server_rescind(&s, len >> 1);
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
	}
	khcl_vmb_server_destroy(&s);
	if (fv_mapped || fv_opened)
		abort();
	return 0;
}
