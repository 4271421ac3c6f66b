// SPDX-License-Identifier: GPL-2.0
/*
 * khcl network VSP: offers the VTL0 guest a synthetic NIC channel
 * (netvsc's class), runs NVSP and RNDIS control on it (netvsp.c) with
 * the guest's receive buffer mapped into VTL2, and answers RNDIS control
 * messages through receive-buffer sections (transfer-page packets).
 *
 * This is the control path: the NIC reports its link down and data
 * packets are completed and dropped (counted), because no MANA or
 * virtio-net queue is behind it yet. The guest's netvsc binds and
 * registers its net device.
 */
#define pr_fmt(fmt) "khcl_mana_xlat: " fmt

#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "../include/khcl/khcl_vsp.h"
#include "../include/khcl/khcl_vtl2.h"
#include "netvsp.h"

#define NV_SECTION	1728	/* receive section size announced */

static char *mac = "02:6b:68:63:6c:01";
module_param(mac, charp, 0444);
MODULE_PARM_DESC(mac, "MAC address the guest's NIC reports (locally administered default)");

static atomic64_t nv_rndis_ctl, nv_data_dropped, nv_refused, nv_no_request,
		  nv_no_section, nv_copy_faults;

/* Per channel: protocol state, the receive buffer; the worker's only. */
struct nv_chan {
	struct khcl_nvsp_chan nvsp;
	struct khcl_rndis_dev rndis;
	u8 *recv_va;			/* the guest's receive buffer */
	u8 msg[KHCL_RNDIS_MAX_MSG];
	u8 out[KHCL_RNDIS_MAX_REPLY];
};

/*
 * Per request: the NVSP completion, or (a request the guest did not ask
 * for) a transfer-page packet naming the receive section of an RNDIS
 * answer.
 */
struct nv_req {
	struct khcl_vsp_req req;	/* first */
	struct khcl_nvsp_msg msg;
	struct khcl_xfer_hdr xfer;
	bool completion;
	u8 ctl;				/* what ->ctl_done finishes */
};

enum { NV_CTL_MAP = 1, NV_CTL_UNMAP, NV_CTL_UNMAP_REFUSE };

static u8 nv_mac[ETH_ALEN];


static void nv_end(struct nv_req *nr)
{
	if (nr->completion)
		khcl_vsp_complete(&nr->req, &nr->msg, sizeof(nr->msg));
	else
		khcl_vsp_req_end(&nr->req);
}

/*
 * The RNDIS answer of @n bytes at @out, into a free receive section, sent
 * as a transfer-page packet on a request of its own (the guest did not
 * ask for that packet: it comes from the reserve).
 */
static void nv_rndis_answer(struct khcl_vsp_chan *ch, struct nv_chan *nc,
			    const u8 *out, u32 n)
{
	struct khcl_vsp_req *req;
	struct nv_req *ar;
	int s;

	req = khcl_vsp_req_get(ch);
	if (!req) {
		atomic64_inc(&nv_no_request);
		pr_warn_ratelimited("no request free: RNDIS answer dropped\n");
		return;
	}
	s = khcl_nvsp_section_get(&nc->nvsp, n);
	if (s < 0) {
		/* the guest keeps its sections: it only hurts itself */
		khcl_vsp_req_end(req);
		atomic64_inc(&nv_no_section);
		pr_warn_ratelimited("no free receive section: RNDIS answer dropped\n");
		return;
	}
	ar = container_of(req, struct nv_req, req);
	ar->xfer = (struct khcl_xfer_hdr) {
		.pageset_id = nc->nvsp.recv_id,
		.range_cnt = 1,
		.byte_count = n,
		.byte_offset = s * nc->nvsp.section_size,
	};
	memcpy(nc->recv_va + ar->xfer.byte_offset, out, n);
	khcl_nvsp_rndis_to_guest(&ar->msg);
	khcl_vsp_complete_packet(req, KHCL_VMPKT_DATA_USING_XFER_PAGES,
				 KHCL_VMPKT_FLAG_COMPLETION_REQUESTED, s + 1,
				 &ar->xfer, sizeof(ar->xfer), &ar->msg,
				 sizeof(ar->msg));
}

static void nv_rndis(struct khcl_vsp_chan *ch, struct nv_chan *nc,
		     const struct khcl_nvsp_req *r, struct nv_req *nr)
{
	int n;

	atomic64_inc(&nv_rndis_ctl);
	nr->completion = true;
	/* out of the guest pages it names, once */
	if (khcl_vtl0mem_copy(&r->buf, nc->msg, r->rndis_len, false)) {
		atomic64_inc(&nv_copy_faults);
		pr_warn_ratelimited("RNDIS message outside VTL0 RAM: refused\n");
		khcl_nvsp_rndis_complete(&nr->msg, false);
		nv_end(nr);
		return;
	}
	n = khcl_rndis_control(&nc->rndis, nc->msg, r->rndis_len, nc->out);
	khcl_nvsp_rndis_complete(&nr->msg, n >= 0);
	/* the completion, then the answer: they go out in this order */
	nv_end(nr);
	if (n > 0)
		nv_rndis_answer(ch, nc, nc->out, n);
}

static void nv_packet(struct khcl_vsp_chan *ch, struct khcl_vsp_req *req,
		      const struct khcl_vmpkt_desc *d, const void *pkt, u32 len)
{
	struct nv_req *nr = container_of(req, struct nv_req, req);
	struct nv_chan *nc = khcl_vsp_chan_priv(ch);
	struct khcl_nvsp_req r;
	u64 bad;
	int ret;

	nr->completion = false;
	ret = khcl_nvsp_parse(&nc->nvsp, d, pkt, len, &r);
	if (ret) {
		atomic64_inc(&nv_refused);
		pr_info_ratelimited("sub-channel %u: packet refused: %s\n",
				    khcl_vsp_chan_index(ch),
				    khcl_nvsp_err_name(-ret - 1));
		nv_end(nr);
		return;
	}
	bad = nc->nvsp.errors[KHCL_NVSP_ERR_SECTION];
	switch (khcl_nvsp_control(&nc->nvsp, &r, &nr->msg)) {
	case KHCL_NVSP_NONE:
		break;
	case KHCL_NVSP_REPLY:
		nr->completion = true;
		break;
	case KHCL_NVSP_MAP_RECV_BUF:
		nr->ctl = NV_CTL_MAP;
		khcl_vsp_gpadl_map(req, nc->nvsp.recv_gpadl);
		return;		/* ends in nv_ctl_done */
	case KHCL_NVSP_UNMAP_RECV_BUF:
		if (nc->recv_va) {
			nr->ctl = NV_CTL_UNMAP;
			khcl_vsp_gpadl_unmap(req, nc->recv_va);
			nc->recv_va = NULL;
			return;	/* ends in nv_ctl_done */
		}
		break;
	case KHCL_NVSP_RNDIS:
		nv_rndis(ch, nc, &r, nr);
		return;
	case KHCL_NVSP_RNDIS_DATA:
		/* no NIC queue behind us yet: complete and drop */
		atomic64_inc(&nv_data_dropped);
		khcl_nvsp_rndis_complete(&nr->msg, true);
		nr->completion = r.completion;
		break;
	}
	/* a completion for a section the guest did not have */
	if (nc->nvsp.errors[KHCL_NVSP_ERR_SECTION] != bad)
		atomic64_inc(&nv_refused);
	nv_end(nr);
}

/* The receive buffer mapped (or not), or unmapped. */
static void nv_ctl_done(struct khcl_vsp_chan *ch, struct khcl_vsp_req *req)
{
	struct nv_req *nr = container_of(req, struct nv_req, req);
	struct nv_chan *nc = khcl_vsp_chan_priv(ch);
	u32 n = 0;

	switch (nr->ctl) {
	case NV_CTL_MAP:
		if (!req->ctl_result && nc->recv_va) {
			/* a second SEND_RECV_BUF overtook the first: refused */
			nr->ctl = NV_CTL_UNMAP_REFUSE;
			khcl_vsp_gpadl_unmap(req, req->ctl_va);
			return;
		}
		if (!req->ctl_result) {
			nc->recv_va = req->ctl_va;
			n = req->ctl_len;
		} else {
			pr_warn("receive buffer GPADL %u: %ld\n",
				nc->nvsp.recv_gpadl, req->ctl_result);
		}
		fallthrough;
	case NV_CTL_UNMAP_REFUSE:
		/* SEND_RECV_BUF's answer: sections, or a failure (n 0) */
		khcl_nvsp_recv_buf_done(&nc->nvsp, n, NV_SECTION, &nr->msg);
		nr->completion = true;
		break;
	default:		/* an unmap: REVOKE_RECV_BUF has no answer */
		break;
	}
	nv_end(nr);
}

static int nv_open(struct khcl_vsp_chan *ch, const u8 *userdata)
{
	struct nv_chan *nc;

	nc = kzalloc(sizeof(*nc), GFP_KERNEL);
	if (!nc)
		return -ENOMEM;
	khcl_nvsp_chan_init(&nc->nvsp);
	memcpy(nc->rndis.mac, nv_mac, ETH_ALEN);
	nc->rndis.mtu = ETH_DATA_LEN;
	nc->rndis.link_speed = 100000000;	/* 10 Gb/s, in 100 bps */
	nc->rndis.link_up = false;		/* no data path yet */
	khcl_vsp_chan_set_priv(ch, nc);
	pr_info("channel open (sub-channel %u)\n", khcl_vsp_chan_index(ch));
	return 0;
}

static void nv_close(struct khcl_vsp_chan *ch)
{
	struct nv_chan *nc = khcl_vsp_chan_priv(ch);
	unsigned int i;

	/* the receive buffer mapping is dropped by the server */
	for (i = 0; i < KHCL_NVSP_NERR; i++)
		if (nc->nvsp.errors[i])
			pr_info("channel closed: %llu %s errors\n",
				nc->nvsp.errors[i], khcl_nvsp_err_name(i));
	pr_info("channel closed: NVSP %u.%u, %llu queries, %llu sets, %llu unknown OIDs, %llu bad RNDIS messages\n",
		nc->nvsp.version >> 16, nc->nvsp.version & 0xffff,
		nc->rndis.queries, nc->rndis.sets, nc->rndis.unknown_oids,
		nc->rndis.bad_msgs);
	khcl_vsp_chan_set_priv(ch, NULL);
	kfree(nc);
}

static const struct khcl_vsp_ops nv_ops = {
	.open = nv_open,
	.close = nv_close,
	.packet = nv_packet,
	.ctl_done = nv_ctl_done,
};

static struct khcl_vsp nv_vsp = {
	.name = "netvsp",
	.class_id = { KHCL_NETVSC_CLASS_BYTES },
	/* {6c9b3c3e-8f3b-4a4e-9d1a-6b686c000e70}: khcl's NIC 0 */
	.instance_id = { { 0x3e, 0x3c, 0x9b, 0x6c, 0x3b, 0x8f, 0x4e, 0x4a,
			   0x9d, 0x1a, 0x6b, 0x68, 0x6c, 0x00, 0x0e, 0x70 } },
	.ops = &nv_ops,
	.req_size = sizeof(struct nv_req),
	.depth = 64,
	.reserve = 8,		/* RNDIS answers and indications */
};

/* /sys/module/khcl_mana_xlat/parameters/<stat> */

KHCL_VSP_STAT(rndis_ctl, nv_rndis_ctl);
KHCL_VSP_STAT(data_dropped, nv_data_dropped);
KHCL_VSP_STAT(refused, nv_refused);
KHCL_VSP_STAT(no_request, nv_no_request);
KHCL_VSP_STAT(no_section, nv_no_section);
KHCL_VSP_STAT(copy_faults, nv_copy_faults);

static struct khcl_knobs *nv_knobs;

static int __init nv_init(void)
{
	int ret;

	if (!mac_pton(mac, nv_mac) || !is_valid_ether_addr(nv_mac)) {
		pr_err("mac=%s is not a unicast MAC address\n", mac);
		return -EINVAL;
	}
	ret = khcl_vsp_register(&nv_vsp);
	if (!ret)	/* /sys/kernel/khcl/mana_xlat/: knobs and counters */
		nv_knobs = khcl_knobs_dir("mana_xlat", THIS_MODULE);
	return ret;
}

static void __exit nv_exit(void)
{
	khcl_knobs_remove(nv_knobs);
	khcl_vsp_unregister(&nv_vsp);
}

module_init(nv_init);
module_exit(nv_exit);
MODULE_DESCRIPTION("khcl network VSP (NVSP/RNDIS for netvsc), control path");
MODULE_LICENSE("GPL");
