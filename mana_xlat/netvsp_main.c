// SPDX-License-Identifier: GPL-2.0
/*
 * khcl network VSP: offers the VTL0 guest a synthetic NIC channel
 * (netvsc's class), runs NVSP and RNDIS control on it (netvsp.c) with
 * the guest's receive and send buffers mapped into VTL2, answers RNDIS
 * control messages through receive-buffer sections (transfer-page
 * packets), and hands data packets to netvsp_data.c, which carries them
 * over the backend netdev.
 */
#define pr_fmt(fmt) "khcl_mana_xlat: " fmt

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/module.h>
#include <linux/slab.h>
#include "../include/khcl/khcl_vtl2.h"
#include "netvsp_priv.h"
#define CREATE_TRACE_POINTS
#include "trace.h"

/*
 * The receive section size announced: netvsc's own 1728, or what a frame
 * of the backend's MTU (VLAN tag included) and khcl's RNDIS header need.
 */
static u32 nv_section_size(void)
{
	struct khcl_rndis_dev d = {};

	nv_backend_state(&d);
	return max_t(u32, 1728, ALIGN(d.mtu + VLAN_ETH_HLEN +
				      KHCL_RNDIS_RX_HDR_MAX, 64));
}

static char *mac = "02:6b:68:63:6c:01";
module_param(mac, charp, 0444);
MODULE_PARM_DESC(mac, "MAC address the guest's NIC reports (locally administered default); empty: the backend's own (MANA: the vPort passes only its MAC)");

static atomic64_t nv_rndis_ctl, nv_refused, nv_copy_faults;
atomic64_t nv_drops[KHCL_NV_NDROP];
atomic64_t nv_tx_packets, nv_tx_bytes, nv_rx_packets, nv_rx_bytes,
	   nv_bytes_copied, nv_zc_sends, nv_zc_bytes, nv_no_request,
	   nv_no_section, nv_rx_csum_filled,
	   nv_tx_section_bytes, nv_tx_header_bytes, nv_copied_above_min,
	   nv_link_changes, nv_rx_rsc_pkts, nv_rx_rsc_segs, nv_rx_segmented,
	   nv_tx_vlan, nv_rx_vlan;

enum {
	NV_CTL_MAP = 1, NV_CTL_UNMAP, NV_CTL_UNMAP_REFUSE,
	NV_CTL_MAP_SEND, NV_CTL_UNMAP_SEND, NV_CTL_UNMAP_SEND_REFUSE,
	NV_CTL_SUB,
};

static u8 nv_mac[ETH_ALEN];
static struct khcl_vsp nv_vsp;

/* The guest's MAC, or NULL: the backend's own (mac= empty). */
const u8 *nv_mac_knob(void)
{
	return nv_mac;
}

const u8 *nv_mac_addr(void)
{
	return is_zero_ether_addr(nv_mac) || READ_ONCE(nv_mac_refused) ?
	       NULL : nv_mac;
}

void nv_end(struct nv_req *nr)
{
	if (nr->completion)
		khcl_vsp_complete(&nr->req, &nr->msg, sizeof(nr->msg));
	else
		khcl_vsp_req_end(&nr->req);
}

/*
 * The RNDIS message of @n bytes at @msg, into a free receive section,
 * sent as a transfer-page packet on a request of its own (the guest did
 * not ask for that packet: it comes from the reserve). Any context; the
 * receive buffer must stay mapped meanwhile.
 */
bool nv_to_guest(struct nv_chan *nc, const void *msg, u32 n)
{
	struct khcl_vsp_req *req;
	struct nv_req *ar;
	unsigned long flags;
	int s;

	req = khcl_vsp_req_get(nc->ch);
	if (!req) {
		atomic64_inc(&nv_no_request);
		pr_warn_ratelimited("no request free: RNDIS message dropped\n");
		return false;
	}
	spin_lock_irqsave(&nc->lock, flags);
	s = khcl_nvsp_section_get(&nc->nvsp, n);
	spin_unlock_irqrestore(&nc->lock, flags);
	if (s < 0) {
		/* the guest keeps its sections: it only hurts itself */
		khcl_vsp_req_end(req);
		atomic64_inc(&nv_no_section);
		pr_warn_ratelimited("no free receive section: RNDIS message dropped\n");
		return false;
	}
	ar = container_of(req, struct nv_req, req);
	ar->xfer.r[0].byte_count = n;
	ar->xfer.r[0].byte_offset = s * nc->nvsp.section_size;
	memcpy(nc->recv_va + ar->xfer.r[0].byte_offset, msg, n);
	nv_xfer_send(nc, ar, s, 1, false);
	return true;
}

void nv_xfer_send(struct nv_chan *nc, struct nv_req *ar, u32 s, u32 n,
		  bool data)
{
	ar->xfer.h = (struct khcl_xfer_hdr) {
		.pageset_id = nc->pri->nvsp.recv_id,
		.range_cnt = n,
	};
	khcl_nvsp_rndis_to_guest(&ar->msg);
	if (data)
		ar->msg.rndis.channel_type = 0;
	khcl_vsp_complete_packet(&ar->req, KHCL_VMPKT_DATA_USING_XFER_PAGES,
				 KHCL_VMPKT_FLAG_COMPLETION_REQUESTED,
				 khcl_nv_rx_tid(s, n), &ar->xfer,
				 sizeof(ar->xfer.h) + n * sizeof(ar->xfer.r[0]),
				 &ar->msg, sizeof(ar->msg));
}
/*
 * SEND_INDIRECTION_TABLE: the guest sends on its channels in turn (an
 * inband packet on the primary, no completion asked).
 */
static void nv_send_table(struct nv_chan *nc)
{
	struct khcl_vsp_req *req = khcl_vsp_req_get(nc->ch);
	struct nv_req *ar;
	u32 n;

	if (!req) {
		atomic64_inc(&nv_no_request);
		return;
	}
	ar = container_of(req, struct nv_req, req);
	n = khcl_nvsp_send_table(ar->inband, nc->rndis.nchan);
	khcl_vsp_complete_packet(req, KHCL_VMPKT_DATA_INBAND, 0, 0, NULL, 0,
				 ar->inband, n);
}

static void nv_rndis(struct khcl_vsp_chan *ch, struct nv_chan *nc,
		     const struct khcl_nvsp_req *r, struct nv_req *nr)
{
	u32 type = 0, oid = 0, status = 1;
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
	memcpy(&type, nc->msg, sizeof(type));	/* rndis_len >= 4 */
	if (type == KHCL_RNDIS_MSG_INIT)
		nv_backend_state(&nc->rndis);	/* link and MTU as of now */
	n = khcl_rndis_control(&nc->rndis, nc->msg, r->rndis_len, nc->out);
	khcl_nvsp_rndis_complete(&nr->msg, n >= 0);
	/* the completion, then the answer: they go out in this order */
	nv_end(nr);
	if (n > 0)
		nv_to_guest(nc, nc->out, n);
	if (type == KHCL_RNDIS_MSG_INIT)
		nv_link_check();	/* a change since INIT's snapshot */
	/* RSS set over its channels: where the guest should send */
	if (type == KHCL_RNDIS_MSG_SET && r->rndis_len >= 16 && n >= 16) {
		memcpy(&oid, nc->msg + 12, sizeof(oid));
		memcpy(&status, nc->out + 12, sizeof(status));
		if (oid == KHCL_OID_GEN_RECEIVE_SCALE_PARAMETERS && !status &&
		    nc->rndis.nchan > 1)
			nv_send_table(nc);
	}
}

static u64 nv_errors(const struct khcl_nvsp_chan *c)
{
	u64 n = 0;
	int i;

	for (i = 0; i < KHCL_NVSP_NERR; i++)
		n += c->errors[i];
	return n;
}

static void nv_packet(struct khcl_vsp_chan *ch, struct khcl_vsp_req *req,
		      const struct khcl_vmpkt_desc *d, const void *pkt, u32 len)
{
	struct nv_req *nr = container_of(req, struct nv_req, req);
	struct nv_chan *nc = khcl_vsp_chan_priv(ch);
	struct khcl_nvsp_req *r = &nc->req;
	enum khcl_nvsp_verdict v;
	u64 bad;
	int ret;

	nr->completion = false;
	ret = khcl_nvsp_parse(&nc->nvsp, d, pkt, len, r);
	if (ret) {
		atomic64_inc(&nv_refused);
		pr_info_ratelimited("sub-channel %u: packet refused: %s\n",
				    khcl_vsp_chan_index(ch),
				    khcl_nvsp_err_name(-ret - 1));
		nv_end(nr);
		return;
	}
	if (r->pkt_type == KHCL_VMPKT_COMP) {
		/* receive sections back, on whichever channel: the NIC's */
		struct nv_chan *pri = nc->pri;
		bool ok;

		spin_lock_bh(&pri->lock);
		ok = khcl_nvsp_rx_done(&pri->nvsp, r->trans_id);
		spin_unlock_bh(&pri->lock);
		if (!ok)
			atomic64_inc(&nv_refused);
		nv_rx_drain_all();
		nv_end(nr);
		return;
	}
	bad = nv_errors(&nc->nvsp);
	spin_lock_bh(&nc->lock);	/* receive sections: shared with RX */
	v = khcl_nvsp_control(&nc->nvsp, r, &nr->msg);
	spin_unlock_bh(&nc->lock);
	/* refused in the state it came in (answered FAIL, or not at all) */
	if (nv_errors(&nc->nvsp) != bad)
		atomic64_inc(&nv_refused);
	switch (v) {
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
			nv_rx_detach(nc);
			nr->ctl = NV_CTL_UNMAP;
			khcl_vsp_gpadl_unmap(req, nc->recv_va);
			nc->recv_va = NULL;
			return;	/* ends in nv_ctl_done */
		}
		break;
	case KHCL_NVSP_MAP_SEND_BUF:
		nr->ctl = NV_CTL_MAP_SEND;
		khcl_vsp_gpadl_map(req, nc->nvsp.send_gpadl);
		return;		/* ends in nv_ctl_done */
	case KHCL_NVSP_UNMAP_SEND_BUF:
		if (nc->send_va) {
			u8 *va = nc->send_va;

			/* no sub-channel's send reads it after this */
			WRITE_ONCE(nc->send_va, NULL);
			synchronize_rcu();
			nr->ctl = NV_CTL_UNMAP_SEND;
			khcl_vsp_gpadl_unmap(req, va);
			return;	/* ends in nv_ctl_done */
		}
		break;
	case KHCL_NVSP_SUBCHANNELS:
		/* as many as asked, up to the queues khcl serves */
		ret = min_t(u32, r->msg.subchannel.num, nv_queues() - 1);
		if (ret <= 0) {
			khcl_nvsp_subchannel_done(&nc->nvsp, 0, &nr->msg);
			nr->completion = true;
			break;
		}
		nr->ctl = NV_CTL_SUB;
		khcl_vsp_offer_subchannels(req, ret);
		return;		/* ends in nv_ctl_done */
	case KHCL_NVSP_SWITCH_DP:
		/* the completion carries no message at all */
		khcl_vsp_complete(req, NULL, 0);
		return;
	case KHCL_NVSP_RNDIS:
		nv_rndis(ch, nc, r, nr);
		return;
	case KHCL_NVSP_RNDIS_DATA:
		nr->completion = r->completion;
		nv_tx(nc, nr);	/* ends nr */
		return;
	}
	nv_end(nr);
}

/* The receive buffer mapped (or not), or unmapped. */
static void nv_ctl_done(struct khcl_vsp_chan *ch, struct khcl_vsp_req *req)
{
	struct nv_req *nr = container_of(req, struct nv_req, req);
	struct nv_chan *nc = khcl_vsp_chan_priv(ch);
	u32 n = 0;

	switch (nr->ctl) {
	case NV_CTL_SUB:
		n = req->ctl_result > 0 ? req->ctl_result : 0;
		nc->rndis.nchan = 1 + n;
		khcl_nvsp_subchannel_done(&nc->nvsp, n, &nr->msg);
		nr->completion = true;
		pr_info("%u sub-channel(s) offered\n", n);
		break;
	case NV_CTL_MAP_SEND:
		if (!req->ctl_result && nc->send_va) {
			nr->ctl = NV_CTL_UNMAP_SEND_REFUSE;
			khcl_vsp_gpadl_unmap(req, req->ctl_va);
			return;
		}
		if (!req->ctl_result) {
			n = req->ctl_len;
			nc->send_len = n;
			/* pairs with nv_stream_copy(): the length first */
			smp_store_release(&nc->send_va, (u8 *)req->ctl_va);
		} else {
			pr_warn("send buffer GPADL %u: %ld\n",
				nc->nvsp.send_gpadl, req->ctl_result);
		}
		fallthrough;
	case NV_CTL_UNMAP_SEND_REFUSE:
		khcl_nvsp_send_buf_done(&nc->nvsp, n, &nr->msg);
		nr->completion = true;
		break;
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
		spin_lock_bh(&nc->lock);
		khcl_nvsp_recv_buf_done(&nc->nvsp, n, nv_section_size(),
					&nr->msg);
		spin_unlock_bh(&nc->lock);
		nr->completion = true;
		if (nr->ctl == NV_CTL_MAP && nc->recv_va)
			nv_rx_attach(nc);
		break;
	default:		/* an unmap: REVOKE_RECV_BUF has no answer */
		break;
	}
	nv_end(nr);
}

static int nv_open(struct khcl_vsp_chan *ch, const u8 *userdata)
{
	unsigned int index = khcl_vsp_chan_index(ch);
	struct nv_chan *nc, *pri = NULL;

	if (index) {
		/* a sub-channel of the open primary, sharing its state */
		pri = nv_vsp.chan ? khcl_vsp_chan_priv(nv_vsp.chan) : NULL;
		if (!pri || index >= NV_MAX_CHANNELS)
			return -ENODEV;
	}
	nc = kzalloc(sizeof(*nc), GFP_KERNEL);
	if (!nc)
		return -ENOMEM;
	spin_lock_init(&nc->lock);
	nv_rx_init(nc);
	nc->ch = ch;
	nc->index = index;
	khcl_vsp_chan_set_priv(ch, nc);
	if (pri) {
		nc->pri = pri;
		khcl_nvsp_sub_init(&nc->nvsp, &pri->nvsp);
		nv_rx_sub_add(nc);
	} else {
		nc->pri = nc;
		khcl_nvsp_chan_init(&nc->nvsp);
		if (nv_mac_addr())
			memcpy(nc->rndis.mac, nv_mac, ETH_ALEN);
		nc->rndis.link_speed = 100000000;	/* 10 Gb/s, 100 bps */
		nc->rndis.nchan = 1;
		nv_backend_state(&nc->rndis);
	}
	pr_info("channel open (sub-channel %u)\n", index);
	return 0;
}

static void nv_close(struct khcl_vsp_chan *ch)
{
	struct nv_chan *nc = khcl_vsp_chan_priv(ch);
	unsigned int i;

	/* no RX into it from here; the server drops the buffer mappings */
	if (nc->index) {
		nv_rx_sub_del(nc);
		pr_info("sub-channel %u closed: %lld frames received, %lld sends\n",
			nc->index, atomic64_read(&nc->rx_frames),
			atomic64_read(&nc->tx_sends));
		khcl_vsp_chan_set_priv(ch, NULL);
		kfree(nc);
		return;
	}
	nv_rx_detach(nc);
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
	.depth = 512,
	.reserve = 128,		/* received frames, RNDIS answers, indications */
};

/* /sys/module/khcl_mana_xlat/parameters/<stat> */

KHCL_VSP_STAT(rndis_ctl, nv_rndis_ctl);
KHCL_VSP_STAT(refused, nv_refused);
KHCL_VSP_STAT(no_request, nv_no_request);
KHCL_VSP_STAT(no_section, nv_no_section);
KHCL_VSP_STAT(copy_faults, nv_copy_faults);
KHCL_VSP_STAT(tx_packets, nv_tx_packets);
KHCL_VSP_STAT(tx_bytes, nv_tx_bytes);
KHCL_VSP_STAT(rx_packets, nv_rx_packets);
KHCL_VSP_STAT(rx_bytes, nv_rx_bytes);
KHCL_VSP_STAT(bytes_copied, nv_bytes_copied);
KHCL_VSP_STAT(zerocopy_sends, nv_zc_sends);
KHCL_VSP_STAT(zerocopy_bytes, nv_zc_bytes);
KHCL_VSP_STAT(rx_csum_filled, nv_rx_csum_filled);
KHCL_VSP_STAT(tx_section_bytes, nv_tx_section_bytes);
KHCL_VSP_STAT(tx_header_bytes, nv_tx_header_bytes);
KHCL_VSP_STAT(copied_above_min, nv_copied_above_min);
KHCL_VSP_STAT(link_changes, nv_link_changes);
KHCL_VSP_STAT(rx_rsc, nv_rx_rsc_pkts);
KHCL_VSP_STAT(rx_rsc_segs, nv_rx_rsc_segs);
KHCL_VSP_STAT(rx_segmented, nv_rx_segmented);
KHCL_VSP_STAT(tx_vlan, nv_tx_vlan);
KHCL_VSP_STAT(rx_vlan, nv_rx_vlan);

/* drops: "reason count" per line, every reason */
static int drops_get(char *buf, const struct kernel_param *kp)
{
	int i, n = 0;

	for (i = 0; i < KHCL_NV_NDROP; i++)
		n += sysfs_emit_at(buf, n, "%s %lld\n", khcl_nv_drop_name(i),
				   atomic64_read(&nv_drops[i]));
	return n;
}

static const struct kernel_param_ops drops_ops = { .get = drops_get };
module_param_cb(drops, &drops_ops, NULL, 0444);

static struct khcl_knobs *nv_knobs;

static int __init nv_init(void)
{
	int ret;

	if (*mac && (!mac_pton(mac, nv_mac) || !is_valid_ether_addr(nv_mac))) {
		pr_err("mac=%s is not a unicast MAC address\n", mac);
		return -EINVAL;
	}
	ret = nv_data_init();
	if (ret)
		return ret;
	ret = khcl_vsp_register(&nv_vsp);
	if (ret) {
		nv_data_exit();
		return ret;
	}
	/* /sys/kernel/khcl/mana_xlat/: knobs and counters */
	nv_knobs = khcl_knobs_dir("mana_xlat", THIS_MODULE);
	return 0;
}

static void __exit nv_exit(void)
{
	khcl_knobs_remove(nv_knobs);
	khcl_vsp_unregister(&nv_vsp);
	nv_data_exit();
}

module_init(nv_init);
module_exit(nv_exit);
MODULE_DESCRIPTION("khcl network VSP (NVSP/RNDIS for netvsc) on a backend netdev");
MODULE_LICENSE("GPL");
