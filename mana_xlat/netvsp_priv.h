/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khcl network VSP, kernel glue shared by netvsp_main.c (the channel:
 * NVSP and RNDIS control) and netvsp_data.c (the backend netdev, TX and
 * RX).
 */
#ifndef KHCL_NETVSP_PRIV_H
#define KHCL_NETVSP_PRIV_H

#include <linux/bvec.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include "../include/khcl/khcl_vsp.h"
#include "netvsp.h"

/* channels of the guest's NIC: the primary and its sub-channels */
#define NV_MAX_CHANNELS		KHCL_NV_MAX_QUEUES

/*
 * Per channel: protocol state and, on the primary, the NIC's: the guest's
 * buffers, RNDIS device, receive sections and RSS, which its sub-channels
 * (netvsc's vRSS queues: data and completions only) share through @pri.
 */
struct nv_chan {
	struct khcl_vsp_chan *ch;
	struct nv_chan *pri;		/* the primary: itself, or a sub's */
	u32 index;			/* sub_channel_index, 0: primary */
	/*
	 * The NVSP state; the primary's @lock guards its receive sections,
	 * which the workers (guest completions, RNDIS answers) and RX
	 * (softirq) share.
	 */
	struct khcl_nvsp_chan nvsp;
	spinlock_t lock;
	struct khcl_rndis_dev rndis;
	u8 *recv_va;			/* the guest's receive buffer */
	/*
	 * The guest's send buffer: @send_len set before @send_va is
	 * published; cleared, then an RCU grace period, before it is
	 * unmapped (sub-channels read it from their own workers)
	 */
	u8 *send_va;
	u32 send_len;
	/* primary: its open sub-channels, by index (under nv_rx_lock) */
	struct nv_chan __rcu *subs[NV_MAX_CHANNELS];
	/* per channel: frames received, sends handled */
	atomic64_t rx_frames, tx_sends;
	/* received frames held while the guest has no section free */
	struct sk_buff_head rxq;
	struct timer_list rx_timer;	/* the stall timeout */
	u64 rx_progress, rx_armed;	/* frames sent from rxq; at arming */
	/* the worker's scratch */
	struct khcl_nvsp_req req;
	u8 msg[KHCL_RNDIS_MAX_MSG];
	u8 out[KHCL_RNDIS_MAX_REPLY];
	u8 hdr[KHCL_RNDIS_TX_HDR_MAX];
	struct khcl_gpa_buf sub[KHCL_NV_MAX_RANGES];	/* pieces of a send */
};

/*
 * Per request: the NVSP completion, or (a request the guest did not ask
 * for) a transfer-page packet naming the receive section of an RNDIS
 * message or a received frame. A zero-copy send keeps the request until
 * the backend freed its skbs: @zc counts them (plus one for the worker),
 * @bv holds the VTL0 pages they point to.
 */
struct nv_req {
	struct khcl_vsp_req req;	/* first */
	struct khcl_nvsp_msg msg;
	struct {			/* a transfer-page packet's ranges */
		struct khcl_xfer_hdr h;
		struct khcl_xfer_range r[KHCL_NV_RX_RANGES];
	} __packed xfer;
	bool completion;
	u8 ctl;				/* what ->ctl_done finishes */
	/* an inband packet to the guest (SEND_INDIRECTION_TABLE) */
	u8 inband[KHCL_NVSP_MSG_LEN + KHCL_NV_SEND_TAB * 4];
	struct ubuf_info ubuf;
	bool tx_failed;
	u32 nbv;
	struct bio_vec bv[KHCL_NV_MAX_PFNS];
};

/* counters (netvsp_main.c) */
extern atomic64_t nv_drops[KHCL_NV_NDROP];
extern atomic64_t nv_tx_packets, nv_tx_bytes, nv_rx_packets, nv_rx_bytes,
		  nv_bytes_copied, nv_zc_sends, nv_zc_bytes, nv_no_request,
		  nv_no_section, nv_rx_csum_filled,
		  nv_tx_section_bytes, nv_tx_header_bytes,
		  nv_copied_above_min, nv_link_changes, nv_rx_rsc_pkts,
		  nv_rx_rsc_segs, nv_rx_segmented, nv_tx_vlan, nv_rx_vlan;

void nv_end(struct nv_req *nr);
/* khcl's MAC for the guest, or NULL: the backend's own */
const u8 *nv_mac_addr(void);
/* the mac= knob (zeros: none) */
const u8 *nv_mac_knob(void);
/* the bound backend cannot filter for mac= (khcl_nv_plan): its own MAC */
extern bool nv_mac_refused;
/* An RNDIS message of @n bytes to the guest in a receive section. */
bool nv_to_guest(struct nv_chan *nc, const void *msg, u32 n);
/*
 * Send @ar as a transfer-page packet of the @n receive sections from @s
 * on, whose ranges (ar->xfer.r) the caller filled: data (RX) or an RNDIS
 * control message.
 */
void nv_xfer_send(struct nv_chan *nc, struct nv_req *ar, u32 s, u32 n,
		  bool data);

/* netvsp_data.c */
int nv_data_init(void);
void nv_data_exit(void);
/* the RNDIS device's view of the backend at INIT: link, MTU */
void nv_backend_state(struct khcl_rndis_dev *dev);
/* the guest can receive on @nc now (receive buffer mapped), or NULL */
void nv_rx_attach(struct nv_chan *nc);
void nv_rx_detach(struct nv_chan *nc);
void nv_rx_init(struct nv_chan *nc);
/* a sub-channel opens (RX may go to it) or closes (none after this) */
void nv_rx_sub_add(struct nv_chan *sc);
void nv_rx_sub_del(struct nv_chan *sc);
/* the guest returned receive sections: send the frames held, any channel */
void nv_rx_drain_all(void);
/* receive queues (channels) khcl serves the guest: the backend's, capped */
u32 nv_queues(void);
/* tell the guest the backend's link if it changed since it last heard */
void nv_link_check(void);
/* a data SEND_RNDIS_PKT: send its frames, end @nr */
void nv_tx(struct nv_chan *nc, struct nv_req *nr);

#endif /* KHCL_NETVSP_PRIV_H */
