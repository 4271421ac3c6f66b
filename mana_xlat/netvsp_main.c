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

#include <linux/bitmap.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "../include/khcl/khcl_vsp.h"
#include "../include/khcl/khcl_vtl2.h"
#include "netvsp.h"

#define NV_SECTION	1728	/* receive section size announced */
#define NV_SECTIONS	64	/* sections khcl itself uses */

static char *mac = "02:6b:68:63:6c:01";
module_param(mac, charp, 0444);
MODULE_PARM_DESC(mac, "MAC address the guest's NIC reports (locally administered default)");

static atomic64_t nv_rndis_ctl, nv_data_dropped, nv_refused, nv_stalls,
		  nv_no_section, nv_copy_faults;

struct nv_chan {
	struct khcl_nvsp_chan nvsp;
	struct khcl_rndis_dev rndis;
	u8 *recv_va;			/* the guest's receive buffer */
	u32 recv_len;
	DECLARE_BITMAP(used, NV_SECTIONS);
	/* an answer kept until it fits on the ring */
	bool pending;
	u64 pending_id;
	bool comp_sent;
	int section;			/* -1: no transfer-page packet due */
	u32 reply_len;
	struct khcl_nvsp_msg reply;
	u8 msg[KHCL_RNDIS_MAX_MSG];
	u8 out[KHCL_RNDIS_MAX_REPLY];
};

static u8 nv_mac[ETH_ALEN];


static int nv_comp(struct khcl_vsp_chan *ch, u64 id,
		   const struct khcl_nvsp_msg *m)
{
	return khcl_vsp_send(ch, KHCL_VMPKT_COMP, 0, id, m, sizeof(*m));
}

/* The RNDIS answer in section nc->section, as a transfer-page packet. */
static int nv_xfer(struct khcl_vsp_chan *ch, struct nv_chan *nc)
{
	struct khcl_xfer_hdr x = {
		.pageset_id = nc->nvsp.recv_id,
		.range_cnt = 1,
		.byte_count = nc->reply_len,
		.byte_offset = nc->section * NV_SECTION,
	};
	struct khcl_nvsp_msg m;

	khcl_nvsp_rndis_to_guest(&m);
	return khcl_vsp_send_ext(ch, KHCL_VMPKT_DATA_USING_XFER_PAGES,
				 KHCL_VMPKT_FLAG_COMPLETION_REQUESTED,
				 nc->section + 1, &x, sizeof(x), &m, sizeof(m));
}

/* Send what is due: the completion, then the RNDIS answer. */
static int nv_flush(struct khcl_vsp_chan *ch, struct nv_chan *nc, u64 id)
{
	int ret = 0;

	nc->pending_id = id;
	if (!nc->comp_sent) {
		ret = nv_comp(ch, id, &nc->reply);
		if (!ret)
			nc->comp_sent = true;
	}
	if (!ret && nc->section >= 0) {
		ret = nv_xfer(ch, nc);
		if (!ret)
			nc->section = -1;
	}
	nc->pending = ret == -EAGAIN;
	if (ret == -EAGAIN) {
		atomic64_inc(&nv_stalls);
		return ret;	/* the same packet comes back: go on then */
	}
	return 0;
}

static int nv_rndis(struct khcl_vsp_chan *ch, struct nv_chan *nc,
		    const struct khcl_nvsp_req *r)
{
	int n, s;

	atomic64_inc(&nv_rndis_ctl);
	nc->section = -1;
	nc->comp_sent = false;
	/* out of the guest pages it names, once */
	if (khcl_vtl0mem_copy(r->pfns, r->npfns, r->rndis_offset, nc->msg,
			      r->rndis_len, false)) {
		atomic64_inc(&nv_copy_faults);
		pr_warn_ratelimited("RNDIS message outside VTL0 RAM: refused\n");
		khcl_nvsp_rndis_complete(&nc->reply, false);
		return nv_flush(ch, nc, r->trans_id);
	}
	n = khcl_rndis_control(&nc->rndis, nc->msg, r->rndis_len, nc->out);
	khcl_nvsp_rndis_complete(&nc->reply, n >= 0);
	if (n > 0) {
		s = find_first_zero_bit(nc->used, NV_SECTIONS);
		if (s >= NV_SECTIONS || (s + 1) * NV_SECTION > nc->recv_len) {
			/* the guest keeps its sections: it only hurts itself */
			atomic64_inc(&nv_no_section);
			pr_warn_ratelimited("no free receive section: RNDIS answer dropped\n");
		} else {
			set_bit(s, nc->used);
			memcpy(nc->recv_va + s * NV_SECTION, nc->out, n);
			nc->section = s;
			nc->reply_len = n;
		}
	}
	return nv_flush(ch, nc, r->trans_id);
}

static int nv_packet(struct khcl_vsp_chan *ch,
		     const struct khcl_vmpkt_desc *d, const void *pkt, u32 len)
{
	struct nv_chan *nc = khcl_vsp_chan_priv(ch);
	struct khcl_nvsp_req r;
	void *va;
	u32 n;
	int ret;

	if (nc->pending && nc->pending_id == d->trans_id)
		return nv_flush(ch, nc, d->trans_id);
	if (nc->pending) {
		/*
		 * The guest rewrote the packet it left on the ring (a new
		 * trans_id): the answer kept for the old one is void, and
		 * the receive section it held goes back.
		 */
		if (nc->section >= 0)
			clear_bit(nc->section, nc->used);
		nc->section = -1;
		nc->pending = false;
		atomic64_inc(&nv_refused);
	}

	ret = khcl_nvsp_parse(&nc->nvsp, d, pkt, len, &r);
	if (ret) {
		atomic64_inc(&nv_refused);
		pr_info_ratelimited("sub-channel %u: packet refused: %s\n",
				    khcl_vsp_chan_index(ch),
				    khcl_nvsp_err_name(-ret - 1));
		return 0;
	}
	nc->section = -1;
	nc->comp_sent = false;
	switch (khcl_nvsp_control(&nc->nvsp, &r, &nc->reply)) {
	case KHCL_NVSP_NONE:
		return 0;
	case KHCL_NVSP_REPLY:
		return nv_flush(ch, nc, r.trans_id);
	case KHCL_NVSP_MAP_RECV_BUF:
		va = khcl_vsp_gpadl_map(ch, nc->nvsp.recv_gpadl, &n);
		if (IS_ERR(va)) {
			pr_warn("receive buffer GPADL %u: %ld\n",
				nc->nvsp.recv_gpadl, PTR_ERR(va));
			n = 0;
		} else {
			nc->recv_va = va;
			nc->recv_len = n;
			bitmap_zero(nc->used, NV_SECTIONS);
		}
		khcl_nvsp_recv_buf_done(&nc->nvsp, n, NV_SECTION, &nc->reply);
		return nv_flush(ch, nc, r.trans_id);
	case KHCL_NVSP_UNMAP_RECV_BUF:
		if (nc->recv_va)
			khcl_vsp_gpadl_unmap(ch, nc->recv_va);
		nc->recv_va = NULL;
		nc->recv_len = 0;
		return 0;
	case KHCL_NVSP_RNDIS:
		return nv_rndis(ch, nc, &r);
	case KHCL_NVSP_RNDIS_DATA:
		/* no NIC queue behind us yet: complete and drop */
		atomic64_inc(&nv_data_dropped);
		khcl_nvsp_rndis_complete(&nc->reply, true);
		return r.completion ? nv_flush(ch, nc, r.trans_id) : 0;
	case KHCL_NVSP_SECTION_DONE:
		if (r.trans_id >= 1 && r.trans_id <= NV_SECTIONS &&
		    test_and_clear_bit(r.trans_id - 1, nc->used))
			return 0;
		nc->nvsp.errors[KHCL_NVSP_ERR_SECTION]++;
		atomic64_inc(&nv_refused);
		return 0;
	}
	return 0;
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
	nc->section = -1;
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
};

static struct khcl_vsp nv_vsp = {
	.name = "netvsp",
	.class_id = { KHCL_NETVSC_CLASS_BYTES },
	/* {6c9b3c3e-8f3b-4a4e-9d1a-6b686c000e70}: khcl's NIC 0 */
	.instance_id = { { 0x3e, 0x3c, 0x9b, 0x6c, 0x3b, 0x8f, 0x4e, 0x4a,
			   0x9d, 0x1a, 0x6b, 0x68, 0x6c, 0x00, 0x0e, 0x70 } },
	.ops = &nv_ops,
};

/* /sys/module/khcl_mana_xlat/parameters/<stat> */

KHCL_VSP_STAT(rndis_ctl, nv_rndis_ctl);
KHCL_VSP_STAT(data_dropped, nv_data_dropped);
KHCL_VSP_STAT(refused, nv_refused);
KHCL_VSP_STAT(stalls, nv_stalls);
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
