// SPDX-License-Identifier: GPL-2.0
/*
 * khcl network VSP, data path: the backend netdev (MANA in production,
 * virtio-net in the rig) named by the "backend" knob carries the guest's
 * frames.
 *
 * TX: each RNDIS PACKET of a guest send becomes one skb for the backend.
 * Its first bytes (the headers, at least up to the end of the L4 header
 * an offload names) are copied into the skb; so is all of a frame below
 * "zerocopy_min" bytes or one that starts in the send section. The rest
 * of a larger frame is the guest's own pages as skb frags (zero copy):
 * the send's completion then goes to the guest when the backend has
 * freed the skb, as vhost-net's zero copy does. Offloads (checksum, LSO
 * v2) become the skb's, through virtio_net_hdr_to_skb(), the same check
 * tun and packet sockets apply to untrusted offload requests.
 *
 * RX: an rx_handler on the backend copies each frame once into a free
 * receive section behind an RNDIS PACKET header and sends it as a
 * transfer-page packet on a request from the channel's reserve. Frames
 * for the guest are all the backend receives: it is the guest's NIC. A
 * TCP segment the backend coalesced (GRO, or its LRO) goes whole, as
 * netvsc's RSC: pieces in consecutive sections, one transfer-page packet
 * (its headers made to describe it, checksums valid); when the guest
 * turned RSC off it is cut back into the wire's frames.
 *
 * Queues: netvsc asks for sub-channels (up to the receive queues khcl
 * announces: the backend's TX queues, capped by "queues"); they share the
 * primary's buffers and sections. Received frames go to the channel the
 * guest's RSS indirection table names for their Toeplitz hash (with the
 * hash as per-packet info); a channel's sends go out on the backend's TX
 * queue for that channel's CPU (XPS) or, without XPS, its index.
 */
#define pr_fmt(fmt) "khcl_mana_xlat: " fmt

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/virtio_net.h>
#include <net/gso.h>
#include "../include/khcl/khcl_vtl2.h"
#include "netvsp_priv.h"
#include "trace.h"

static char backend[IFNAMSIZ] = "eth0";
module_param_string(backend, backend, sizeof(backend), 0444);
MODULE_PARM_DESC(backend, "netdev that carries the guest's frames (MANA's, or virtio-net in the rig)");

static unsigned int zerocopy_min = 1024;
module_param(zerocopy_min, uint, 0644);
MODULE_PARM_DESC(zerocopy_min, "frames of at least this many bytes sent from the guest's pages (zero copy); smaller ones copied");

/* the backend, held; set under RTNL, read under RCU */
static struct net_device __rcu *nv_dev;

static unsigned int rx_queue = 512;
module_param(rx_queue, uint, 0644);
MODULE_PARM_DESC(rx_queue, "received frames held per channel while the guest has no receive section free (then dropped, rx_nosection)");

static unsigned int rx_stall_ms = 2000;
module_param(rx_stall_ms, uint, 0644);
MODULE_PARM_DESC(rx_stall_ms, "held frames dropped (rx_stall) when the guest returns no receive section for this long");

static unsigned int offloads = KHCL_NV_OFF_CSUM | KHCL_NV_OFF_LSO |
			       KHCL_NV_OFF_RSC;
module_param(offloads, uint, 0644);
MODULE_PARM_DESC(offloads, "offloads offered to the guest at its next RNDIS INIT: 1 TCP/UDP checksum, 2 LSO v2 (with 1), 4 RSC (receive coalescing; the backend's GRO/LRO stay on when it is bound with 4 set); done by the backend, or in software when it cannot");

/* what nv_bind() turned off on the backend, turned on again at unbind */
static netdev_features_t nv_features_off;

bool nv_mac_refused;

static unsigned int queues = 8;
module_param(queues, uint, 0644);
MODULE_PARM_DESC(queues, "receive queues (channels: the primary and its sub-channels) offered to the guest at its next RNDIS INIT, at most; also capped by the backend's TX queues and 16");
static struct nv_chan __rcu *nv_rx_chan;	/* where RX goes */
static DEFINE_MUTEX(nv_rx_lock);

/* ---- the backend ---- */

void nv_backend_state(struct khcl_rndis_dev *dev)
{
	struct net_device *nd;

	rcu_read_lock();
	nd = rcu_dereference(nv_dev);
	dev->link_up = nd && netif_running(nd) && netif_carrier_ok(nd);
	dev->mtu = nd ? READ_ONCE(nd->mtu) : ETH_DATA_LEN;
	if (nd && !nv_mac_addr())	/* the guest has the backend's MAC */
		memcpy(dev->mac, nd->dev_addr, ETH_ALEN);
	dev->offload_caps = READ_ONCE(offloads) &
			    (KHCL_NV_OFF_CSUM | KHCL_NV_OFF_LSO |
			     KHCL_NV_OFF_RSC);
	rcu_read_unlock();
	dev->rx_queues = nv_queues();
}

/* khcl_nv_plan() for backend @nd as the knobs are now */
static void nv_plan(struct net_device *nd, struct khcl_nv_plan *p)
{
	struct khcl_nv_backend b = {
		.uc_filter = nd->priv_flags & IFF_UNICAST_FLT,
		.txq = nd->real_num_tx_queues,
		.rxq = nd->real_num_rx_queues,
	};

	khcl_nv_plan(&b, !is_zero_ether_addr(nv_mac_knob()),
		     READ_ONCE(queues), READ_ONCE(offloads), p);
}

u32 nv_queues(void)
{
	struct khcl_nv_plan p = { .queues = 1 };
	struct net_device *nd;

	rcu_read_lock();
	nd = rcu_dereference(nv_dev);
	if (nd)
		nv_plan(nd, &p);
	rcu_read_unlock();
	return p.queues;
}

static rx_handler_result_t nv_rx_handler(struct sk_buff **pskb);

/* RTNL held */
static int nv_bind(struct net_device *nd)
{
	struct khcl_nv_plan p;
	int ret;

	ret = netdev_rx_handler_register(nd, nv_rx_handler, NULL);
	if (ret) {
		pr_err("backend %s: rx handler: %d (taken by another driver?)\n",
		       nd->name, ret);
		return ret;
	}
	nv_plan(nd, &p);
	if (!p.own_mac && !is_zero_ether_addr(nv_mac_knob())) {
		WRITE_ONCE(nv_mac_refused, true);
		pr_warn("backend %s filters no second unicast MAC (as MANA's vPort): the guest gets its MAC %pM, not mac=%pM\n",
			nd->name, nd->dev_addr, nv_mac_knob());
	}
	/* the guest's MAC in the NIC's filter */
	if (nv_mac_addr()) {
		ret = dev_uc_add(nd, nv_mac_addr());
		if (ret)
			pr_warn("backend %s: cannot add the guest's MAC to its filter: %d\n",
				nd->name, ret);
	}
	/*
	 * Without RSC for the guest, frames should arrive as the wire has
	 * them: no LRO or GRO merging. With it, merged segments are what
	 * the guest gets (and cut back when it turns RSC off).
	 */
	nv_features_off = 0;
	if (!p.coalesce) {
		nv_features_off = nd->wanted_features &
				  (NETIF_F_LRO | NETIF_F_GRO | NETIF_F_GRO_HW);
		nd->wanted_features &= ~nv_features_off;
		netdev_update_features(nd);
	}
	dev_hold(nd);
	rcu_assign_pointer(nv_dev, nd);
	if (!(nd->flags & IFF_UP)) {
		ret = dev_open(nd, NULL);
		if (ret)
			pr_warn("backend %s: cannot bring it up: %d\n",
				nd->name, ret);
	}
	pr_info("backend %s bound: mtu %u, %u TX queues, carrier %s, coalescing %s%s%s\n",
		nd->name, nd->mtu, nd->real_num_tx_queues,
		netif_carrier_ok(nd) ? "on" : "off",
		nd->features & NETIF_F_GRO ? "gro " : "",
		nd->features & NETIF_F_GRO_HW ? "gro_hw " : "",
		nd->features & NETIF_F_LRO ? "lro" : "");
	return 0;
}

/* RTNL held */
static void nv_unbind(void)
{
	struct net_device *nd = rtnl_dereference(nv_dev);

	if (!nd)
		return;
	netdev_rx_handler_unregister(nd);	/* waits for RX in flight */
	if (nv_mac_addr())
		dev_uc_del(nd, nv_mac_addr());
	WRITE_ONCE(nv_mac_refused, false);
	if (nv_features_off) {
		nd->wanted_features |= nv_features_off;
		netdev_update_features(nd);
	}
	RCU_INIT_POINTER(nv_dev, NULL);
	synchronize_net();			/* and for TX */
	dev_put(nd);
	pr_info("backend %s unbound\n", nd->name);
}

/*
 * The backend's link as the guest last heard it: a change (carrier, or
 * the backend going up or down) reaches it as an RNDIS status indication
 * (MEDIA_CONNECT / MEDIA_DISCONNECT), which netvsc turns into its own
 * carrier.
 */
static void nv_link_work_fn(struct work_struct *w)
{
	struct khcl_rndis_indicate ind = { .type = KHCL_RNDIS_MSG_INDICATE };
	struct khcl_rndis_dev d = {};
	struct nv_chan *nc;

	nv_backend_state(&d);
	rcu_read_lock();
	nc = rcu_dereference(nv_rx_chan);
	if (nc && READ_ONCE(nc->rndis.initialized) &&
	    READ_ONCE(nc->rndis.link_up) != d.link_up) {
		WRITE_ONCE(nc->rndis.link_up, d.link_up);
		ind.len = sizeof(ind);
		ind.status = d.link_up ? KHCL_RNDIS_STATUS_MEDIA_CONNECT :
					 KHCL_RNDIS_STATUS_MEDIA_DISCONNECT;
		if (nv_to_guest(nc, &ind, sizeof(ind)))
			atomic64_inc(&nv_link_changes);
		trace_khcl_net_link(d.link_up);
		pr_info("link %s: told the guest\n", d.link_up ? "up" : "down");
	}
	rcu_read_unlock();
}

static DECLARE_WORK(nv_link_work, nv_link_work_fn);

/* The guest's RNDIS device is (re)initialized: its link is as of now. */
void nv_link_check(void)
{
	schedule_work(&nv_link_work);
}

static int nv_netdev_event(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct net_device *nd = netdev_notifier_info_to_dev(ptr);

	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		if (nd == rtnl_dereference(nv_dev))
			schedule_work(&nv_link_work);
		break;
	case NETDEV_REGISTER:
		if (!rtnl_dereference(nv_dev) && !strcmp(nd->name, backend))
			nv_bind(nd);
		break;
	case NETDEV_UNREGISTER:
		if (nd == rtnl_dereference(nv_dev))
			nv_unbind();
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block nv_netdev_nb = {
	.notifier_call = nv_netdev_event,
};

int nv_data_init(void)
{
	return register_netdevice_notifier(&nv_netdev_nb);
}

void nv_data_exit(void)
{
	unregister_netdevice_notifier(&nv_netdev_nb);
	cancel_work_sync(&nv_link_work);
	rtnl_lock();
	nv_unbind();
	rtnl_unlock();
	synchronize_net();
}

/* ---- RX ---- */

void nv_rx_attach(struct nv_chan *nc)
{
	mutex_lock(&nv_rx_lock);
	if (!rcu_access_pointer(nv_rx_chan))
		rcu_assign_pointer(nv_rx_chan, nc);
	mutex_unlock(&nv_rx_lock);
}

/*
 * Before @nc's receive buffer goes: no RX is writing into it after this,
 * and the frames held for it are dropped.
 */
void nv_rx_detach(struct nv_chan *nc)
{
	struct nv_chan *sc;
	int i;

	mutex_lock(&nv_rx_lock);
	if (rcu_access_pointer(nv_rx_chan) == nc) {
		RCU_INIT_POINTER(nv_rx_chan, NULL);
		synchronize_net();
	}
	for (i = 1; i < NV_MAX_CHANNELS; i++) {
		sc = rcu_dereference_protected(nc->subs[i],
					       lockdep_is_held(&nv_rx_lock));
		if (sc) {
			timer_delete_sync(&sc->rx_timer);
			skb_queue_purge(&sc->rxq);
		}
	}
	mutex_unlock(&nv_rx_lock);
	timer_delete_sync(&nc->rx_timer);
	skb_queue_purge(&nc->rxq);
}

void nv_rx_sub_add(struct nv_chan *sc)
{
	mutex_lock(&nv_rx_lock);
	rcu_assign_pointer(sc->pri->subs[sc->index], sc);
	mutex_unlock(&nv_rx_lock);
}

/*
 * Before @sc goes: no RX or drain reaches it after this, and the receive
 * sections the guest still holds from it come back (a guest that closes
 * one sub-channel alone cannot complete them any more).
 */
void nv_rx_sub_del(struct nv_chan *sc)
{
	u32 n;

	mutex_lock(&nv_rx_lock);
	RCU_INIT_POINTER(sc->pri->subs[sc->index], NULL);
	mutex_unlock(&nv_rx_lock);
	synchronize_net();
	timer_delete_sync(&sc->rx_timer);
	skb_queue_purge(&sc->rxq);
	spin_lock_bh(&sc->pri->lock);
	n = khcl_nvsp_sections_reclaim(&sc->pri->nvsp, sc->index);
	spin_unlock_bh(&sc->pri->lock);
	if (n)
		pr_info("sub-channel %u closed holding %u receive sections: taken back\n",
			sc->index, n);
}

static void nv_drop(enum khcl_nv_drop d)
{
	atomic64_inc(&nv_drops[d]);
	trace_khcl_net_drop(khcl_nv_drop_name(d));
}

/* NDIS packet filter bits the guest sets */
#define NV_FILTER_DIRECTED	0x1
#define NV_FILTER_MULTICAST	0x2
#define NV_FILTER_ALL_MULTICAST	0x4
#define NV_FILTER_BROADCAST	0x8
#define NV_FILTER_PROMISCUOUS	0x20

static bool nv_rx_wanted(struct nv_chan *nc, const u8 *dst)
{
	u32 f = READ_ONCE(nc->rndis.packet_filter);

	if (f & NV_FILTER_PROMISCUOUS)
		return true;
	if (is_broadcast_ether_addr(dst))
		return f & NV_FILTER_BROADCAST;
	if (is_multicast_ether_addr(dst))
		return f & (NV_FILTER_ALL_MULTICAST | NV_FILTER_MULTICAST);
	return (f & NV_FILTER_DIRECTED) && ether_addr_equal(dst, nc->rndis.mac);
}

/*
 * What the guest may skip checking: a TCP or UDP checksum the backend
 * verified (or, for CHECKSUM_PARTIAL, one just computed).
 */
static u32 nv_rx_csum(struct sk_buff *skb)
{
	int nh = skb_network_offset(skb);
	u8 proto, buf[sizeof(struct ipv6hdr)];
	const u8 *h;

	if (skb->ip_summed != CHECKSUM_UNNECESSARY)
		return 0;
	if (skb->protocol == htons(ETH_P_IP)) {
		h = skb_header_pointer(skb, nh, sizeof(struct iphdr), buf);
		if (!h || ((const struct iphdr *)h)->frag_off & htons(IP_MF | IP_OFFSET))
			return 0;
		proto = ((const struct iphdr *)h)->protocol;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		h = skb_header_pointer(skb, nh, sizeof(struct ipv6hdr), buf);
		if (!h)
			return 0;
		proto = ((const struct ipv6hdr *)h)->nexthdr;
	} else {
		return 0;
	}
	if (proto == IPPROTO_TCP)
		return KHCL_CSUM_RX_TCP_OK;
	if (proto == IPPROTO_UDP)
		return KHCL_CSUM_RX_UDP_OK;
	return 0;
}

enum { NV_RX_DONE, NV_RX_NO_ROOM };

/* What the guest is told of @skb: its VLAN tag and RSS hash. */
static void nv_rx_info(struct sk_buff *skb, struct khcl_rndis_rxinfo *ri)
{
	if (skb_vlan_tag_present(skb)) {
		ri->vlan = true;
		ri->vlan_tci = skb_vlan_tag_get(skb);
	}
	ri->hash = skb->l4_hash;
	ri->hash_value = skb->hash;
}

/*
 * A request and @n consecutive receive sections for a transfer-page
 * packet on @nc, the sections marked as sent on it: the first one, or -1
 * (none free now; nothing taken).
 */
static int nv_rx_take(struct nv_chan *nc, u32 n, struct khcl_vsp_req **req)
{
	struct nv_chan *p = nc->pri;
	int s;

	*req = khcl_vsp_req_get(nc->ch);
	if (!*req)
		return -1;
	spin_lock(&p->lock);
	s = khcl_nvsp_sections_get(&p->nvsp, n);
	khcl_nvsp_sections_own(&p->nvsp, s, n, nc->index);
	spin_unlock(&p->lock);
	if (s < 0)
		khcl_vsp_req_end(*req);
	return s;
}

/*
 * A coalesced segment that can go to @nc as RSC: TCP over IPv4 or IPv6
 * whose checksum the backend verified (or a local sender left partial),
 * whose headers khcl_rsc_parse() takes (into @hdr, KHCL_RSC_HDR_MAX), in
 * at most KHCL_NV_RX_RANGES sections.
 */
static bool nv_rsc_ok(struct nv_chan *nc, struct sk_buff *skb, u8 *hdr,
		      struct khcl_rsc_hdr *h)
{
	u32 n = min_t(u32, skb->len, KHCL_RSC_HDR_MAX);
	u32 room = nc->pri->nvsp.section_size - KHCL_RNDIS_RX_HDR_MAX;

	if (!(skb_shinfo(skb)->gso_type & (SKB_GSO_TCPV4 | SKB_GSO_TCPV6)) ||
	    skb->encapsulation ||
	    (skb->ip_summed != CHECKSUM_UNNECESSARY &&
	     skb->ip_summed != CHECKSUM_PARTIAL) ||
	    skb->len > KHCL_NV_RX_RANGES * room)
		return false;
	return !skb_copy_bits(skb, 0, hdr, n) &&
	       !khcl_rsc_parse(hdr, n, skb->len, h) && h->hdr_len <= room;
}

/*
 * A coalesced TCP segment (checked by nv_rsc_ok()) as netvsc's RSC: pieces
 * of up to a section each in consecutive sections, one RNDIS PACKET each
 * (SUBALLOC, 1ST, LAST), one transfer-page packet; the first carries the
 * checksum verdict and VLAN. The payload is summed as it is copied, the
 * TCP checksum made valid (a guest may have its checksum offload off).
 */
static int nv_rx_rsc(struct nv_chan *nc, struct sk_buff *skb)
{
	struct khcl_rndis_rxinfo ri = { .csum = KHCL_CSUM_RX_TCP_OK };
	struct nv_chan *p = nc->pri;
	u32 room = p->nvsp.section_size - KHCL_RNDIS_RX_HDR_MAX;
	u32 len = skb->len, n, i, off, c, from, hl;
	u8 hdr[KHCL_RSC_HDR_MAX], *sec, *first = NULL;
	struct khcl_vsp_req *req;
	struct khcl_rsc_hdr h;
	struct nv_req *ar;
	__wsum sum = 0;
	int s;

	if (!nv_rsc_ok(nc, skb, hdr, &h)) {
		nv_drop(KHCL_NV_DROP_RX_SIZE);	/* the caller checked */
		return NV_RX_DONE;
	}
	n = DIV_ROUND_UP(len, room);
	nv_rx_info(skb, &ri);
	s = nv_rx_take(nc, n, &req);
	if (s < 0)
		return NV_RX_NO_ROOM;
	ar = container_of(req, struct nv_req, req);
	for (i = 0, off = 0; i < n; i++, off += c) {
		c = min(len - off, room);
		ri.pktinfo = KHCL_PKTINFO_SUBALLOC |
			     (i ? 0 : KHCL_PKTINFO_1ST) |
			     (i == n - 1 ? KHCL_PKTINFO_LAST : 0);
		ar->xfer.r[i].byte_offset = (s + i) * p->nvsp.section_size;
		sec = p->recv_va + ar->xfer.r[i].byte_offset;
		hl = khcl_rndis_rx_hdr(sec, c, &ri);
		ar->xfer.r[i].byte_count = hl + c;
		if (!i)
			first = sec + hl;	/* the headers go in last */
		from = max_t(u32, off, h.hdr_len);
		sum = csum_block_add(sum,
				     skb_copy_and_csum_bits(skb, from,
							    sec + hl + from - off,
							    off + c - from),
				     from - h.hdr_len);
		ri.csum = 0;		/* the verdict is the first's */
		ri.vlan = false;
		ri.hash = false;
	}
	khcl_rsc_fix(hdr, len, &h, (__force u32)sum);
	memcpy(first, hdr, h.hdr_len);
	nv_xfer_send(nc, ar, s, n, true);
	/* the wire's frames (LRO from virtio-net leaves gso_segs 0) */
	i = skb_shinfo(skb)->gso_segs ?:
	    DIV_ROUND_UP(len - h.hdr_len, skb_shinfo(skb)->gso_size ?: len);
	if (skb_vlan_tag_present(skb))
		atomic64_inc(&nv_rx_vlan);
	atomic64_inc(&nv_rx_rsc_pkts);
	atomic64_add(i, &nv_rx_rsc_segs);
	atomic64_add(i, &nv_rx_packets);
	atomic64_add(i, &nc->rx_frames);
	atomic64_add(len, &nv_rx_bytes);
	trace_khcl_net_recv(khcl_vsp_chan_index(nc->ch), s, len,
			    KHCL_CSUM_RX_TCP_OK);
	return NV_RX_DONE;
}

/*
 * One frame (the skb from its MAC header on) into a receive section, or
 * a coalesced segment into several: NV_RX_DONE (sent, or dropped and
 * counted) or NV_RX_NO_ROOM (no section or request free now: the caller
 * holds it or drops it).
 */
static int nv_rx_one(struct nv_chan *nc, struct sk_buff *skb)
{
	struct khcl_rndis_rxinfo ri = {};
	struct nv_chan *p = nc->pri;
	struct khcl_vsp_req *req;
	struct nv_req *ar;
	u32 hl, len = skb->len;
	u8 *dst;
	int s;

	if (skb_is_gso(skb))
		return nv_rx_rsc(nc, skb);
	/*
	 * A frame from a local sender (the rig's peer shares the host) may
	 * carry only a partial checksum: the guest gets a whole one.
	 */
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		if (skb_checksum_help(skb)) {
			nv_drop(KHCL_NV_DROP_RX_SIZE);
			return NV_RX_DONE;
		}
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		atomic64_inc(&nv_rx_csum_filled);
	}
	ri.csum = nv_rx_csum(skb);
	nv_rx_info(skb, &ri);
	if (len > p->nvsp.section_size - KHCL_RNDIS_RX_HDR_MAX) {
		nv_drop(KHCL_NV_DROP_RX_SIZE);	/* larger than the MTU */
		return NV_RX_DONE;
	}
	s = nv_rx_take(nc, 1, &req);	/* the frame fits a section */
	if (s < 0)
		return NV_RX_NO_ROOM;
	ar = container_of(req, struct nv_req, req);
	ar->xfer.r[0].byte_offset = s * p->nvsp.section_size;
	dst = p->recv_va + ar->xfer.r[0].byte_offset;
	hl = khcl_rndis_rx_hdr(dst, len, &ri);
	if (skb_copy_bits(skb, 0, dst + hl, len)) {
		/* cannot happen for a well-formed skb; give the section back */
		spin_lock(&p->lock);
		khcl_nvsp_section_put(&p->nvsp, s);
		spin_unlock(&p->lock);
		khcl_vsp_req_end(req);
		nv_drop(KHCL_NV_DROP_RX_SIZE);
		return NV_RX_DONE;
	}
	ar->xfer.r[0].byte_count = hl + len;
	nv_xfer_send(nc, ar, s, 1, true);
	atomic64_inc(&nc->rx_frames);
	if (ri.vlan)
		atomic64_inc(&nv_rx_vlan);
	atomic64_inc(&nv_rx_packets);
	atomic64_add(len, &nv_rx_bytes);
	trace_khcl_net_recv(khcl_vsp_chan_index(nc->ch), s, len, ri.csum);
	return NV_RX_DONE;
}

/*
 * The guest holds every receive section: keep the frame (up to rx_queue
 * of them, in order) until it returns some, for at most rx_stall_ms
 * without progress (XSA-392: a guest that stops receiving must not make
 * the backend hold memory for ever).
 */
static void nv_rx_hold(struct nv_chan *nc, struct sk_buff *skb)
{
	if (skb_queue_len(&nc->rxq) >= READ_ONCE(rx_queue)) {
		nv_drop(KHCL_NV_DROP_RX_NOSECTION);
		kfree_skb(skb);
		return;
	}
	skb_queue_tail(&nc->rxq, skb);
	if (!timer_pending(&nc->rx_timer)) {
		WRITE_ONCE(nc->rx_armed, READ_ONCE(nc->rx_progress));
		mod_timer(&nc->rx_timer,
			  jiffies + msecs_to_jiffies(READ_ONCE(rx_stall_ms)));
	}
}

/* A frame for the guest, behind any it holds already. Takes the skb. */
static void nv_rx_frame(struct nv_chan *nc, struct sk_buff *skb)
{
	if (skb_queue_empty_lockless(&nc->rxq) &&
	    nv_rx_one(nc, skb) == NV_RX_DONE) {
		consume_skb(skb);
		return;
	}
	nv_rx_hold(nc, skb);
}

/* Send what waits on @nc (bottom halves off: RX takes the same locks). */
static void nv_rx_drain(struct nv_chan *nc)
{
	struct sk_buff *skb;

	if (skb_queue_empty_lockless(&nc->rxq))
		return;
	while ((skb = skb_dequeue(&nc->rxq))) {
		if (nv_rx_one(nc, skb) == NV_RX_NO_ROOM) {
			skb_queue_head(&nc->rxq, skb);
			break;
		}
		consume_skb(skb);
		WRITE_ONCE(nc->rx_progress, nc->rx_progress + 1);
	}
}

/*
 * The guest returned sections (a channel's worker): frames held on any of
 * its channels may go now. Nothing once RX is detached (the receive
 * buffer may be going): nv_rx_detach() waits for this.
 */
void nv_rx_drain_all(void)
{
	struct nv_chan *pri, *sc;
	int i;

	local_bh_disable();
	pri = rcu_dereference_bh(nv_rx_chan);
	if (pri) {
		nv_rx_drain(pri);
		for (i = 1; i < NV_MAX_CHANNELS; i++) {
			sc = rcu_dereference_bh(pri->subs[i]);
			if (sc)
				nv_rx_drain(sc);
		}
	}
	local_bh_enable();
}

/*
 * RSS: the channel the guest's indirection table names for the frame's
 * Toeplitz hash (then its hash per-packet info), or the primary.
 */
#define NV_RSS_HDR	(14 + 60 + 4)	/* Ethernet, IP, TCP ports */
static struct nv_chan *nv_rx_target(struct nv_chan *pri, struct sk_buff *skb)
{
	const struct khcl_rss *rss = &pri->rndis.rss;
	u8 buf[NV_RSS_HDR];
	struct nv_chan *sc;
	const u8 *f;
	u32 n, hash, q;

	skb_clear_hash(skb);
	if (!READ_ONCE(rss->enabled))
		return pri;
	n = min_t(u32, skb->len, NV_RSS_HDR);
	f = skb_header_pointer(skb, 0, n, buf);
	if (!f)
		return pri;
	hash = khcl_rss_hash(rss, f, n);
	skb_set_hash(skb, hash, PKT_HASH_TYPE_L4);
	q = khcl_rss_channel(rss, hash);
	if (!q || q >= NV_MAX_CHANNELS)
		return pri;
	sc = rcu_dereference(pri->subs[q]);
	return sc ?: pri;
}

static void nv_rx_stall(struct timer_list *t)
{
	struct nv_chan *nc = from_timer(nc, t, rx_timer);
	u32 n;

	if (skb_queue_empty(&nc->rxq))
		return;
	if (READ_ONCE(nc->rx_progress) != READ_ONCE(nc->rx_armed)) {
		WRITE_ONCE(nc->rx_armed, READ_ONCE(nc->rx_progress));
		mod_timer(&nc->rx_timer,
			  jiffies + msecs_to_jiffies(READ_ONCE(rx_stall_ms)));
		return;
	}
	n = skb_queue_len(&nc->rxq);
	skb_queue_purge(&nc->rxq);
	atomic64_add(n, &nv_drops[KHCL_NV_DROP_RX_STALL]);
	trace_khcl_net_drop(khcl_nv_drop_name(KHCL_NV_DROP_RX_STALL));
	pr_warn_ratelimited("channel %u: no receive section back for %u ms: %u frames dropped\n",
			    khcl_vsp_chan_index(nc->ch), READ_ONCE(rx_stall_ms),
			    n);
}

void nv_rx_init(struct nv_chan *nc)
{
	skb_queue_head_init(&nc->rxq);
	timer_setup(&nc->rx_timer, nv_rx_stall, 0);
}

static rx_handler_result_t nv_rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb, *segs, *next;
	u8 hdr[KHCL_RSC_HDR_MAX];
	struct khcl_rsc_hdr h;
	struct nv_chan *pri, *nc;

	if (skb->pkt_type == PACKET_LOOPBACK)
		return RX_HANDLER_PASS;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return RX_HANDLER_CONSUMED;
	pri = rcu_dereference(nv_rx_chan);
	if (!pri) {
		nv_drop(KHCL_NV_DROP_RX_NOGUEST);
		goto consume;
	}
	skb_push(skb, skb->mac_len);	/* the frame from its MAC header */
	if (!nv_rx_wanted(pri, skb->data)) {
		nv_drop(KHCL_NV_DROP_RX_FILTER);
		goto consume;
	}
	nc = nv_rx_target(pri, skb);
	if (!skb_is_gso(skb) ||
	    ((READ_ONCE(pri->rndis.offloads) & KHCL_NV_OFF_RSC) &&
	     nv_rsc_ok(nc, skb, hdr, &h))) {
		nv_rx_frame(nc, skb);
		return RX_HANDLER_CONSUMED;
	}
	/* a merged frame the guest does not take whole: cut it back */
	atomic64_inc(&nv_rx_segmented);
	segs = __skb_gso_segment(skb, NETIF_F_SG, false);
	if (IS_ERR_OR_NULL(segs)) {
		nv_drop(KHCL_NV_DROP_RX_SIZE);
		goto consume;
	}
	skb_list_walk_safe(segs, segs, next) {
		skb_mark_not_on_list(segs);
		nv_rx_frame(nc, segs);
	}
consume:
	consume_skb(skb);
	return RX_HANDLER_CONSUMED;
}

/*
 * /sys/module/khcl_mana_xlat/parameters/nic: the backend and what the
 * guest's netvsc agreed to on the receiving channel, one line.
 */
static int nic_get(char *buf, const struct kernel_param *kp)
{
	struct nv_chan *nc, *sc;
	struct net_device *nd;
	int n, i;

	rcu_read_lock();
	nd = rcu_dereference(nv_dev);
	n = sysfs_emit(buf, "backend %s", nd ? nd->name : "none");
	if (nd)
		n += sysfs_emit_at(buf, n, " mtu %u carrier %s", nd->mtu,
				   netif_carrier_ok(nd) ? "on" : "off");
	nc = rcu_dereference(nv_rx_chan);
	if (nc)
		n += sysfs_emit_at(buf, n,
				   " nvsp %u.%u ndis %u.%u guest_mtu %u rndis %s link %s filter %#x offloads %#x sections %u/%u of %u",
				   nc->nvsp.version >> 16,
				   nc->nvsp.version & 0xffff,
				   nc->nvsp.ndis_major, nc->nvsp.ndis_minor,
				   nc->nvsp.mtu,
				   READ_ONCE(nc->rndis.initialized) ?
				   "initialized" : "halted",
				   READ_ONCE(nc->rndis.link_up) ? "up" : "down",
				   READ_ONCE(nc->rndis.packet_filter),
				   READ_ONCE(nc->rndis.offloads),
				   READ_ONCE(nc->nvsp.sections_busy),
				   nc->nvsp.nsections, nc->nvsp.section_size);
	else
		n += sysfs_emit_at(buf, n, " guest none");
	/* its channels: frames received and sends on each */
	if (nc) {
		n += sysfs_emit_at(buf, n, " channels %u rss %s",
				   READ_ONCE(nc->rndis.nchan),
				   READ_ONCE(nc->rndis.rss.enabled) ? "on" : "off");
		for (i = 0; i < NV_MAX_CHANNELS; i++) {
			sc = i ? rcu_dereference(nc->subs[i]) : nc;
			if (sc)
				n += sysfs_emit_at(buf, n, " ch%d rx %lld tx %lld",
						   i, atomic64_read(&sc->rx_frames),
						   atomic64_read(&sc->tx_sends));
		}
	}
	n += sysfs_emit_at(buf, n, "\n");
	rcu_read_unlock();
	return n;
}

static const struct kernel_param_ops nic_ops = { .get = nic_get };
module_param_cb(nic, &nic_ops, NULL, 0444);

/* ---- TX ---- */

/*
 * Copy stream bytes [@off, @off + @len) of the send @tx into @dst: the
 * send section first, then the page ranges. Each byte is read once.
 */
static int nv_stream_copy(struct nv_chan *nc, const struct khcl_nv_tx *tx,
			  u32 off, u8 *dst, u32 len)
{
	u8 *send_va;
	int i, k;
	u32 n;

	if (off < tx->section_len) {
		/*
		 * The primary's buffer (under the caller's RCU read lock), as
		 * long as it is now: a sub-channel checked the section
		 * against the buffer its primary had when it opened.
		 */
		send_va = smp_load_acquire(&nc->pri->send_va);
		if (!send_va || (u64)(tx->section + 1) * KHCL_NVSP_SEND_SECTION >
				READ_ONCE(nc->pri->send_len))
			return -EFAULT;
		n = min(len, tx->section_len - off);
		memcpy(dst, send_va + (size_t)tx->section *
		       KHCL_NVSP_SEND_SECTION + off, n);
		dst += n;
		len -= n;
		off = 0;
	} else {
		off -= tx->section_len;
	}
	if (!len)
		return 0;
	k = khcl_nv_tx_pages(tx, off, len, nc->sub, KHCL_NV_MAX_RANGES);
	if (k < 0)
		return -EFAULT;
	for (i = 0; i < k; i++) {
		if (khcl_vtl0mem_copy(&nc->sub[i], dst, nc->sub[i].len, false))
			return -EFAULT;
		dst += nc->sub[i].len;
	}
	return 0;
}

/*
 * Map stream bytes [@off, @off + @len) (all in the page ranges) as skb
 * frags: the VTL0 pages themselves, held in @nr->bv until the skb is
 * freed.
 */
static int nv_stream_frags(struct nv_chan *nc, struct nv_req *nr,
			   const struct khcl_nv_tx *tx, u32 off, u32 len,
			   struct sk_buff *skb)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	int got, i, k, n;

	n = khcl_nv_tx_pages(tx, off - tx->section_len, len, nc->sub,
			     KHCL_NV_MAX_RANGES);
	if (n < 0)
		return -EFAULT;
	for (i = 0; i < n; i++) {
		got = khcl_vtl0mem_buf_bvecs(&nc->sub[i], nc->sub[i].len,
					     nr->bv + nr->nbv,
					     KHCL_NV_MAX_PFNS - nr->nbv);
		if (got < 0)
			return got;
		for (k = 0; k < got; k++) {
			struct bio_vec *v = &nr->bv[nr->nbv + k];

			if (sh->nr_frags >= MAX_SKB_FRAGS) {
				nr->nbv += got;
				return -E2BIG;
			}
			__skb_fill_page_desc_noacc(sh, sh->nr_frags++,
						   v->bv_page, v->bv_offset,
						   v->bv_len);
		}
		nr->nbv += got;
		skb->len += nc->sub[i].len;
		skb->data_len += nc->sub[i].len;
		skb->truesize += nc->sub[i].len;
	}
	return 0;
}

/* The request's zero-copy skbs are freed (and the worker is done). */
static void nv_zc_done(struct nv_req *nr)
{
	khcl_vtl0mem_put_bvecs(nr->bv, nr->nbv);
	nr->nbv = 0;
	khcl_nvsp_rndis_complete(&nr->msg, !nr->tx_failed);
	nv_end(nr);
}

static void nv_ubuf_complete(struct sk_buff *skb, struct ubuf_info *uarg,
			     bool zerocopy_success)
{
	struct nv_req *nr = container_of(uarg, struct nv_req, ubuf);

	if (refcount_dec_and_test(&uarg->refcnt))
		nv_zc_done(nr);
}

static const struct ubuf_info_ops nv_ubuf_ops = {
	.complete = nv_ubuf_complete,
};

/*
 * LSO v2 as netvsc sends it (Windows' convention): IPv4 total length and
 * header checksum 0, the TCP checksum seeded with a pseudo-header of
 * length 0. Linux's GSO (the backend's TSO, or software) wants the
 * lengths of the whole frame: fix them in the skb's own copy of the
 * headers. The IP header must end before the TCP header LSO names.
 */
static int nv_lso_fixup(struct sk_buff *skb, const struct khcl_rndis_txinfo *t)
{
	u32 l4len = skb->len - t->csum_start;
	__sum16 *check = (__sum16 *)(skb->data + t->csum_start + 16);

	if (t->gso == KHCL_NV_GSO_TCPV4) {
		struct iphdr *iph = (struct iphdr *)(skb->data + ETH_HLEN);

		if (skb->protocol != htons(ETH_P_IP) || iph->version != 4 ||
		    iph->ihl < 5 || ETH_HLEN + iph->ihl * 4 > t->csum_start ||
		    iph->protocol != IPPROTO_TCP)
			return -EINVAL;
		iph->tot_len = htons(skb->len - ETH_HLEN);
		ip_send_check(iph);
		*check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, l4len,
					    IPPROTO_TCP, 0);
	} else {
		struct ipv6hdr *ip6 = (struct ipv6hdr *)(skb->data + ETH_HLEN);

		if (skb->protocol != htons(ETH_P_IPV6) || ip6->version != 6 ||
		    ETH_HLEN + sizeof(*ip6) > t->csum_start)
			return -EINVAL;
		ip6->payload_len = htons(skb->len - ETH_HLEN - sizeof(*ip6));
		*check = ~csum_ipv6_magic(&ip6->saddr, &ip6->daddr, l4len,
					  IPPROTO_TCP, 0);
	}
	return 0;
}

/*
 * Where a sent frame's bytes came from: the send section (the guest's own
 * copy), guest pages copied (bytes_copied; copied_above_min of frames of
 * zerocopy_min bytes or more, which must stay 0), or guest pages mapped
 * (zerocopy_bytes) behind @hdr copied header bytes (0: no zero copy).
 */
static void nv_tx_count(const struct khcl_nv_tx *tx, u32 start, u32 len,
			u32 hdr)
{
	u32 in_sec = start < tx->section_len ?
		     min(len, tx->section_len - start) : 0;

	atomic64_add(in_sec, &nv_tx_section_bytes);
	if (hdr) {
		atomic64_inc(&nv_zc_sends);
		atomic64_add(hdr, &nv_tx_header_bytes);
		atomic64_add(len - hdr, &nv_zc_bytes);
		return;
	}
	atomic64_add(len - in_sec, &nv_bytes_copied);
	if (len >= READ_ONCE(zerocopy_min))
		atomic64_add(len - in_sec, &nv_copied_above_min);
}

/*
 * One checked message of the send: its skb, queued on the backend. 0, or
 * -(enum khcl_nv_drop + 1).
 */
static int nv_tx_one(struct nv_chan *nc, struct nv_req *nr,
		     struct net_device *nd, u32 off,
		     const struct khcl_rndis_txinfo *t, u32 *zcs)
{
	const struct khcl_nv_tx *tx = &nc->req.tx;
	u32 start = off + t->frame_off, lin = t->frame_len;
	struct virtio_net_hdr vh = {};
	enum khcl_nv_drop why;
	struct sk_buff *skb;
	bool zc;
	int ret;

	/* zero copy: a large frame whose part past the headers is in pages */
	zc = t->frame_len >= READ_ONCE(zerocopy_min) &&
	     start + t->hdr_len >= tx->section_len;
	if (zc)
		lin = t->hdr_len;
	skb = netdev_alloc_skb(nd, lin);
	if (!skb)
		return -KHCL_NV_DROP_NOMEM - 1;
	why = KHCL_NV_DROP_FAULT;
	if (nv_stream_copy(nc, tx, start, skb_put(skb, lin), lin))
		goto drop;
	if (zc) {
		/*
		 * The frags are the guest's pages: no page references (the
		 * request holds them), shared (the guest can change them, so
		 * the stack checksums a copy), completed through nr->ubuf.
		 */
		nr->ubuf.flags = SKBFL_ZEROCOPY_FRAG | SKBFL_MANAGED_FRAG_REFS;
		skb_zcopy_set(skb, &nr->ubuf, NULL);
		ret = nv_stream_frags(nc, nr, tx, start + lin,
				      t->frame_len - lin, skb);
		if (ret) {
			if (ret == -E2BIG)
				why = KHCL_NV_DROP_FRAME;
			goto drop;
		}
	}
	skb_reset_mac_header(skb);
	skb->protocol = eth_hdr(skb)->h_proto;
	skb_set_network_header(skb, ETH_HLEN);
	if (t->vlan)
		__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), t->vlan_tci);
	if (t->csum) {
		vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		vh.csum_start = t->csum_start;
		vh.csum_offset = t->csum_offset;
	}
	if (t->gso) {
		vh.gso_type = t->gso == KHCL_NV_GSO_TCPV6 ?
			      VIRTIO_NET_HDR_GSO_TCPV6 :
			      VIRTIO_NET_HDR_GSO_TCPV4;
		vh.gso_size = t->gso_size;
		vh.hdr_len = t->hdr_len;
	}
	why = KHCL_NV_DROP_OFFLOAD;
	if (t->gso && nv_lso_fixup(skb, t))
		goto drop;
	if ((t->csum || t->gso) && virtio_net_hdr_to_skb(skb, &vh, true))
		goto drop;
	/* the backend's queue for this channel (without XPS) */
	skb_record_rx_queue(skb, nc->index % nd->real_num_tx_queues);
	nv_tx_count(tx, start, t->frame_len, zc ? lin : 0);
	if (t->vlan)
		atomic64_inc(&nv_tx_vlan);
	*zcs += zc;
	atomic64_inc(&nv_tx_packets);
	atomic64_add(t->frame_len, &nv_tx_bytes);
	ret = dev_queue_xmit(skb);
	if (ret != NET_XMIT_SUCCESS && ret != NET_XMIT_CN)
		return -KHCL_NV_DROP_BACKEND - 1;
	return 0;
drop:
	kfree_skb(skb);
	return -(int)why - 1;
}

void nv_tx(struct nv_chan *nc, struct nv_req *nr)
{
	const struct khcl_nv_tx *tx = &nc->req.tx;
	struct khcl_rndis_txinfo t;
	struct net_device *nd;
	u32 off = 0, msgs = 0, hl, max_frame, bytes = 0, zcs = 0;
	int ret = 0;

	atomic64_inc(&nc->tx_sends);
	nr->tx_failed = false;
	nr->nbv = 0;
	refcount_set(&nr->ubuf.refcnt, 1);	/* the worker's */
	nr->ubuf.ops = &nv_ubuf_ops;
	rcu_read_lock();
	nd = rcu_dereference(nv_dev);
	if (!nd || !netif_carrier_ok(nd)) {
		ret = -KHCL_NV_DROP_LINK - 1;
		goto out;
	}
	max_frame = READ_ONCE(nd->mtu) + VLAN_ETH_HLEN;
	while (!ret && off < tx->total) {
		if (msgs++ == KHCL_RNDIS_TX_MAX_MSGS) {
			ret = -KHCL_NV_DROP_MSG - 1;	/* more than INIT_C allows */
			break;
		}
		hl = min_t(u32, tx->total - off, KHCL_RNDIS_TX_HDR_MAX);
		if (nv_stream_copy(nc, tx, off, nc->hdr, hl)) {
			ret = -KHCL_NV_DROP_FAULT - 1;
			break;
		}
		ret = khcl_rndis_tx_parse(nc->hdr, hl, tx->total - off,
					  max_frame, READ_ONCE(nc->pri->rndis.offloads), &t);
		if (!ret)
			ret = nv_tx_one(nc, nr, nd, off, &t, &zcs);
		if (!ret)
			bytes += t.frame_len;
		off += t.msg_len;
	}
out:
	rcu_read_unlock();
	if (ret) {
		/* this message and the rest of the send are dropped */
		nv_drop(-ret - 1);
		nr->tx_failed = true;
		pr_info_ratelimited("send dropped: %s\n",
				    khcl_nv_drop_name(-ret - 1));
	}
	trace_khcl_net_send(khcl_vsp_chan_index(nc->ch), nr->req.trans_id,
			    msgs, bytes, zcs, !ret);
	nv_ubuf_complete(NULL, &nr->ubuf, true);	/* the worker's reference */
}
