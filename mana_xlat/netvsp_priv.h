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

/* Per channel: protocol state and the guest's buffers. */
struct nv_chan {
	struct khcl_vsp_chan *ch;
	/*
	 * The NVSP state; @lock guards its receive sections, which the
	 * worker (guest completions, RNDIS answers) and RX (softirq) share.
	 */
	struct khcl_nvsp_chan nvsp;
	spinlock_t lock;
	struct khcl_rndis_dev rndis;
	u8 *recv_va;			/* the guest's receive buffer */
	u8 *send_va;			/* the guest's send buffer */
	u32 send_len;
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
		  nv_rx_rsc_segs, nv_rx_segmented;

void nv_end(struct nv_req *nr);
const u8 *nv_mac_addr(void);
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
/* the guest returned receive sections: send the frames held for it */
void nv_rx_drain(struct nv_chan *nc);
/* tell the guest the backend's link if it changed since it last heard */
void nv_link_check(void);
/* a data SEND_RNDIS_PKT: send its frames, end @nr */
void nv_tx(struct nv_chan *nc, struct nv_req *nr);

#endif /* KHCL_NETVSP_PRIV_H */
