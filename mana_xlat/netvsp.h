/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network VSP protocol core (pure C): NVSP on the channel, RNDIS control
 * messages inside it, as the stock hv_netvsc drives them
 * (Documentation/notes/netvsc-probe.md).
 *
 * Parse, then execute: khcl_nvsp_parse() checks one packet completely and
 * copies what matters into a struct khcl_nvsp_req; khcl_nvsp_control()
 * runs the NVSP state machine and says what the caller must do (map the
 * receive buffer, read an RNDIS message from guest pages, free a receive
 * section). khcl_rndis_control() answers one RNDIS control message the
 * caller copied out of guest memory. Only the OIDs listed in
 * netvsp_wire.h are known; everything else is NOT_SUPPORTED
 * (CVE-2021-28476), and every length and offset inside a message is
 * checked, overflow-safe (CVE-2016-0088, -0089).
 */
#ifndef KHCL_NETVSP_H
#define KHCL_NETVSP_H

#include "netvsp_wire.h"

enum khcl_nvsp_err {
	KHCL_NVSP_ERR_SHORT,		/* shorter than its type needs */
	KHCL_NVSP_ERR_PKT_TYPE,		/* wrong VMBus packet type */
	KHCL_NVSP_ERR_TYPE,		/* unknown or host-only message */
	KHCL_NVSP_ERR_STATE,		/* not valid in this state */
	KHCL_NVSP_ERR_RANGE,		/* bad GPA range */
	KHCL_NVSP_ERR_SECTION,		/* completion for no sent section */
	KHCL_NVSP_ERR_DATA,		/* send section or ranges out of bounds */
	KHCL_NVSP_NERR
};

/*
 * Receive sections khcl lends the guest at once (of the many its buffer
 * holds: netvsc's 16 MiB make 9709 of 1728 bytes): a bound on what a
 * guest that stops returning them can hold up, and room for a TCP
 * window of full frames.
 */
#define KHCL_NVSP_SECTIONS	2048

/*
 * A data SEND_RNDIS_PKT names at most this many page ranges and PFNs
 * (netvsc: MAX_PAGE_BUFFER_COUNT 32 page buffers, merged into ranges),
 * and its RNDIS stream (section bytes, then the ranges) is at most
 * KHCL_NV_TX_MAX_STREAM bytes: 8 batched messages, or one 64 KiB LSO
 * frame and its header.
 */
#define KHCL_NV_MAX_RANGES	32
#define KHCL_NV_MAX_PFNS	64
#define KHCL_NV_TX_MAX_STREAM	(128 * 1024)

/*
 * The RNDIS stream of a data SEND_RNDIS_PKT: @section_len bytes of send
 * section @section (KHCL_NVSP_NO_SECTION: none), then the page ranges in
 * order (each inside VTL0 RAM is for the caller to check).
 */
struct khcl_nv_tx {
	u32 section, section_len;
	u32 nranges;
	u32 total;			/* bytes in all */
	struct khcl_gpa_buf range[KHCL_NV_MAX_RANGES];	/* last */
};

struct khcl_nvsp_chan {
	u32 version;			/* agreed; 0 before INIT */
	u32 ndis_major, ndis_minor, mtu;
	bool recv_buf, send_buf;	/* announced and answered */
	u32 recv_gpadl, send_gpadl;
	u32 send_section_size, send_nsections;	/* send buffer, once mapped */
	u16 recv_id;			/* the guest's pageset id */
	/* receive sections: in use by khcl until the guest completes them */
	u32 section_size, nsections;
	u64 sections_out[KHCL_NVSP_SECTIONS / 64];	/* bit: the guest's */
	u32 sections_busy;		/* bits set */
	u32 section_hint;		/* where the next search starts */
	u8 owner[KHCL_NVSP_SECTIONS];	/* the channel each was sent on */
	/* a sub-channel: data and completions only (khcl_nvsp_sub_init) */
	bool sub;
	bool subchannels_asked;		/* primary: SUBCHANNEL, once */
	u32 subchannels;		/* primary: how many it got */
	u64 errors[KHCL_NVSP_NERR];
	u64 data_pkts;			/* RNDIS data packets (dropped) */
	u64 no_section;			/* every section was the guest's */
};

struct khcl_nvsp_req {
	u16 pkt_type;			/* VMBus packet type */
	u64 trans_id;
	bool completion;
	u32 type;			/* NVSP message type */
	struct khcl_nvsp_msg msg;	/* private copy (zero padded) */
	/* SEND_RNDIS_PKT control: the message, one GPA range */
	u32 rndis_len;
	struct khcl_gpa_buf buf;
	/* SEND_RNDIS_PKT data: the stream (after khcl_nvsp_control) */
	struct khcl_nv_tx tx;
};

enum khcl_nvsp_verdict {
	KHCL_NVSP_NONE,			/* nothing to do or answer */
	KHCL_NVSP_REPLY,		/* send *reply as a completion */
	KHCL_NVSP_MAP_RECV_BUF,		/* map msg.buf.gpadl, then recv_buf_done */
	KHCL_NVSP_UNMAP_RECV_BUF,	/* REVOKE_RECV_BUF */
	KHCL_NVSP_RNDIS,		/* read the message, khcl_rndis_control */
	KHCL_NVSP_RNDIS_DATA,		/* a data packet: send r->tx */
	KHCL_NVSP_MAP_SEND_BUF,		/* map msg.buf.gpadl, then send_buf_done */
	KHCL_NVSP_UNMAP_SEND_BUF,	/* REVOKE_SEND_BUF */
	KHCL_NVSP_SWITCH_DP,		/* SWITCH_DATA_PATH: an empty completion */
	KHCL_NVSP_SUBCHANNELS,		/* offer msg.subchannel.num at most, */
					/* then khcl_nvsp_subchannel_done */
};

void khcl_nvsp_chan_init(struct khcl_nvsp_chan *c);
int khcl_nvsp_parse(struct khcl_nvsp_chan *c,
		    const struct khcl_vmpkt_desc *d, const void *pkt, u32 len,
		    struct khcl_nvsp_req *r);
enum khcl_nvsp_verdict khcl_nvsp_control(struct khcl_nvsp_chan *c,
					 const struct khcl_nvsp_req *r,
					 struct khcl_nvsp_msg *reply);
/*
 * The guest completed the transfer-page packet @tid (khcl_nv_rx_tid()):
 * its sections come back (on the primary's state, whichever channel the
 * completion came on). False when @tid names no run the guest holds
 * (refused, counted).
 */
bool khcl_nvsp_rx_done(struct khcl_nvsp_chan *c, u64 tid);
/* SUBCHANNEL's answer: @n offered (0: refused). */
void khcl_nvsp_subchannel_done(struct khcl_nvsp_chan *c, u32 n,
			       struct khcl_nvsp_msg *reply);
/*
 * A sub-channel's state: what its data packets are checked against (the
 * primary's version and send buffer as @pri has them now).
 */
void khcl_nvsp_sub_init(struct khcl_nvsp_chan *sub,
			const struct khcl_nvsp_chan *pri);
/*
 * SEND_INDIRECTION_TABLE (host to guest, inband, on the primary): which
 * of @nchan channels the guest sends on, per hash; into @out (the message
 * then KHCL_NV_SEND_TAB u32 entries). Returns its length.
 */
#define KHCL_NV_SEND_TAB	16	/* netvsc's VRSS_SEND_TAB_SIZE */
u32 khcl_nvsp_send_table(u8 *out, u32 nchan);

/*
 * The receive buffer is mapped (@buf_len bytes, or 0: it could not be):
 * fill the SEND_RECV_BUF_COMPLETE announcing sections of @section_size;
 * khcl then uses the first KHCL_NVSP_SECTIONS of them.
 */
void khcl_nvsp_recv_buf_done(struct khcl_nvsp_chan *c, u32 buf_len,
			     u32 section_size, struct khcl_nvsp_msg *reply);
/*
 * The send buffer is mapped (@buf_len bytes, or 0: it could not be):
 * fill SEND_SEND_BUF_COMPLETE with KHCL_NVSP_SEND_SECTION.
 */
void khcl_nvsp_send_buf_done(struct khcl_nvsp_chan *c, u32 buf_len,
			     struct khcl_nvsp_msg *reply);
/*
 * A free receive section for a message of @len bytes, now the guest's
 * until it completes the transfer-page packet naming it (trans_id =
 * section + 1; a VM_PKT_COMP the core takes back itself): its index, or
 * -1 when there is no receive buffer, @len does not fit a section, or
 * every section is the guest's (counted in no_section).
 */
int khcl_nvsp_section_get(struct khcl_nvsp_chan *c, u32 len);
/*
 * @n (1..KHCL_NV_RX_RANGES) consecutive free receive sections, now the
 * guest's: the first one's index, or -1 (counted in no_section when the
 * guest holds too many). They come back together, as one transfer-page
 * packet's (khcl_nv_rx_tid()).
 */
int khcl_nvsp_sections_get(struct khcl_nvsp_chan *c, u32 n);
/* Sections @s..@s + @n - 1 were sent on channel @owner (its index). */
void khcl_nvsp_sections_own(struct khcl_nvsp_chan *c, int s, u32 n,
			    u8 owner);
/*
 * Channel @owner closed: the sections sent on it that the guest still
 * holds come back (it can no longer complete them there). How many.
 */
u32 khcl_nvsp_sections_reclaim(struct khcl_nvsp_chan *c, u8 owner);
/* Take back section @s that was never sent. */
void khcl_nvsp_section_put(struct khcl_nvsp_chan *c, int s);
/* ... or the @n sections from @s on. */
void khcl_nvsp_sections_put(struct khcl_nvsp_chan *c, int s, u32 n);
/* Section @s is the guest's (lent, not completed yet). */
/*
 * A transfer-page packet to the guest carries at most this many ranges
 * (receive sections): one per piece of a coalesced (RSC) frame of up to
 * 64 KiB (netvsc takes NVSP_RSC_MAX, 562).
 */
#define KHCL_NV_RX_RANGES	48

/*
 * Its transaction id, which the guest's completion echoes: the first
 * section + 1 and, above bit 32, the count of sections (0 for one).
 */
static inline u64 khcl_nv_rx_tid(u32 s, u32 n)
{
	return (n > 1 ? (u64)n << 32 : 0) | (s + 1);
}

static inline bool khcl_nvsp_section_out(const struct khcl_nvsp_chan *c,
					 u32 s)
{
	return s < KHCL_NVSP_SECTIONS &&
	       (c->sections_out[s / 64] >> (s % 64) & 1);
}

/*
 * Bytes [@off, @off + @len) of a send's page ranges (@off counted past
 * its send section) as GPA buffers of their own in @out (room for @max),
 * each inside one range and starting in its first page: how many, or -1
 * when the ranges end first or more than @max are needed.
 */
int khcl_nv_tx_pages(const struct khcl_nv_tx *tx, u32 off, u32 len,
		     struct khcl_gpa_buf *out, u32 max);

/* The completion of a guest SEND_RNDIS_PKT. */
void khcl_nvsp_rndis_complete(struct khcl_nvsp_msg *reply, bool ok);
/* The NVSP message that goes with an RNDIS message sent to the guest. */
void khcl_nvsp_rndis_to_guest(struct khcl_nvsp_msg *m);

/* ---- RNDIS data messages ---- */

/* Why a data message is dropped (counted by reason). */
enum khcl_nv_drop {
	KHCL_NV_DROP_MSG,		/* not a well-formed RNDIS PACKET */
	KHCL_NV_DROP_PPI,		/* per-packet info out of bounds */
	KHCL_NV_DROP_FRAME,		/* frame too short or too long */
	KHCL_NV_DROP_OFFLOAD,		/* an offload khcl did not offer */
	KHCL_NV_DROP_FAULT,		/* a page outside VTL0 RAM */
	KHCL_NV_DROP_NOMEM,		/* no skb */
	KHCL_NV_DROP_LINK,		/* no backend, or its link is down */
	KHCL_NV_DROP_BACKEND,		/* the backend refused the skb */
	KHCL_NV_DROP_RX_NOSECTION,	/* RX: no section, rx_queue frames held */
	KHCL_NV_DROP_RX_SIZE,		/* RX: frame larger than a section */
	KHCL_NV_DROP_RX_FILTER,		/* RX: not for the guest's filter */
	KHCL_NV_DROP_RX_NOGUEST,	/* RX: no guest receive buffer */
	KHCL_NV_DROP_RX_STALL,		/* RX: the guest held sections too long */
	KHCL_NV_NDROP
};

const char *khcl_nv_drop_name(enum khcl_nv_drop d);

/* header and per-packet info khcl reads of one message (netvsc: <= 92) */
#define KHCL_RNDIS_TX_HDR_MAX	256
/* messages in one send: INIT_C's max_pkt_per_msg */
#define KHCL_RNDIS_TX_MAX_MSGS	8
/* bytes of each frame that always go into the skb's own memory */
#define KHCL_RNDIS_TX_LINEAR	128
#define KHCL_NV_GSO_MAX_FRAME	65536

enum { KHCL_NV_GSO_NONE, KHCL_NV_GSO_TCPV4, KHCL_NV_GSO_TCPV6 };

/* One RNDIS data message, checked; offsets from the message start. */
struct khcl_rndis_txinfo {
	u32 msg_len;			/* the next message starts here */
	u32 frame_off, frame_len;
	/* offloads, in virtio_net_hdr's terms */
	bool csum;			/* fill in the L4 checksum */
	u16 csum_start, csum_offset;	/* from the frame start */
	u8 gso;				/* KHCL_NV_GSO_* */
	u16 gso_size;
	/* bytes from the frame's start copied, never mapped (headers) */
	u16 hdr_len;
	bool vlan;
	u16 vlan_tci;
};

/*
 * Check the RNDIS data message at the start of @hdr: the first @hdrlen
 * bytes of it (min(@avail, KHCL_RNDIS_TX_HDR_MAX), a private copy), of
 * @avail bytes left in the stream. @max_frame bounds a frame without LSO;
 * @offloads says which the host offered (KHCL_NV_OFF_*). 0, or
 * -(enum khcl_nv_drop + 1).
 */
#define KHCL_NV_OFF_CSUM	1
#define KHCL_NV_OFF_LSO		2
#define KHCL_NV_OFF_RSC		4	/* receive: coalesced TCP segments */
int khcl_rndis_tx_parse(const u8 *hdr, u32 hdrlen, u32 avail, u32 max_frame,
			u32 offloads, struct khcl_rndis_txinfo *t);

/* What the host tells the guest about a received frame. */
struct khcl_rndis_rxinfo {
	u32 csum;			/* KHCL_CSUM_RX_* bits, or 0 */
	bool vlan;
	u16 vlan_tci;
	u8 pktinfo;			/* KHCL_PKTINFO_* (a piece), or 0 */
	bool hash;			/* the RSS hash khcl computed */
	u32 hash_value;
};

#define KHCL_RNDIS_RX_HDR_MAX	(44 + 4 * 16)
/*
 * Write the RNDIS PACKET header and per-packet info for a @frame_len
 * byte frame to @out (KHCL_RNDIS_RX_HDR_MAX bytes); the frame follows
 * at the returned length.
 */
u32 khcl_rndis_rx_hdr(u8 *out, u32 frame_len,
		      const struct khcl_rndis_rxinfo *ri);

/*
 * A coalesced TCP segment (the backend's GRO or LRO) sent to the guest as
 * RSC: its headers, checked, as offsets from the frame start.
 */
struct khcl_rsc_hdr {
	u16 l3, l4, hdr_len;		/* IP, TCP, end of the TCP header */
	bool ipv6;
};

/*
 * Check the headers of a coalesced frame of @len bytes (@n of them at
 * @f): Ethernet, then IPv4 (no fragment) or IPv6 (no extension header),
 * then TCP, lengths that fit the IP header's fields. 0 or -1 (send it
 * as single segments).
 */
int khcl_rsc_parse(const u8 *f, u32 n, u32 len, struct khcl_rsc_hdr *h);
/* headers khcl reads of a coalesced frame: Ethernet, IPv4 or 6, TCP */
#define KHCL_RSC_HDR_MAX	(14 + 60 + 60)
/*
 * Make the headers (at @f, h->hdr_len bytes, a private copy) describe the
 * whole @len-byte frame: IP length, IPv4 header checksum, TCP checksum
 * over them and @paysum, the ones'-complement sum (32-bit, unfolded, in
 * memory order) of the TCP payload (the bytes from h->hdr_len on).
 */
void khcl_rsc_fix(u8 *f, u32 len, const struct khcl_rsc_hdr *h, u32 paysum);
/* The unfolded ones'-complement sum of @n bytes at @p, added to @sum. */
u32 khcl_csum_add(u32 sum, const u8 *p, u32 n);

/* ---- the backend ---- */

/* channels (queues) khcl serves at most: the primary and sub-channels */
#define KHCL_NV_MAX_QUEUES	16

/* What the backend netdev offers (read off it when it is bound). */
struct khcl_nv_backend {
	bool uc_filter;			/* takes another unicast MAC */
	u32 txq, rxq;			/* queues in use */
};

/* What khcl makes of it. */
struct khcl_nv_plan {
	bool own_mac;			/* the guest has khcl's mac=, else */
					/* the backend's own */
	u32 queues;			/* receive queues offered the guest */
	bool coalesce;			/* GRO/LRO kept on (RSC offered) */
};

/*
 * The plan for backend @b with khcl's MAC knob set (@mac_set), the
 * "queues" knob and the "offloads" offered.
 */
void khcl_nv_plan(const struct khcl_nv_backend *b, bool mac_set,
		  u32 queues, u32 offloads, struct khcl_nv_plan *p);

/* ---- receive-side scaling ---- */

#define KHCL_NDIS_OBJ_RSS_CAPS		0x88	/* ndis_object_header.type */
#define KHCL_RSS_CAPS_SIZE		18	/* ndis_recv_scale_cap */
#define KHCL_NDIS_OBJ_RSS_PARAM		0x89
#define KHCL_RSS_PARAM_SIZE		40	/* ndis_recv_scale_param */
#define KHCL_RSS_FLAG_DISABLE		0x10
#define KHCL_RSS_MAX_ENTRIES		256	/* netvsc's ITAB_NUM_MAX */
#define KHCL_RSS_KEY_SIZE		40
#define KHCL_RSS_HASH_FUNC_MASK		0xff
#define KHCL_RSS_HASH_TOEPLITZ		0x1
#define KHCL_RSS_HASH_IPV4		0x100
#define KHCL_RSS_HASH_TCP_IPV4		0x200
#define KHCL_RSS_HASH_IPV6		0x400
#define KHCL_RSS_HASH_TCP_IPV6		0x1000

struct khcl_rss {
	bool enabled;
	u32 hashinfo;			/* function and the types hashed */
	u32 nent;
	u16 table[KHCL_RSS_MAX_ENTRIES];	/* channel per entry */
	u8 key[KHCL_RSS_KEY_SIZE];
	u64 clamped;			/* entries past the channels open */
};

/* The Toeplitz hash of @n bytes under @key (which must cover n + 4). */
u32 khcl_toeplitz(const u8 *key, u32 keylen, const u8 *data, u32 n);
/*
 * SET OID_GEN_RECEIVE_SCALE_PARAMETERS: @n bytes of info (a private
 * copy), @nchan channels open. Table and key inside the message, a
 * 40-byte key, Toeplitz only; entries naming a channel not open are
 * folded into the open ones (counted). Returns the RNDIS status.
 */
int khcl_rss_set(struct khcl_rss *rss, const u8 *info, u32 n, u32 nchan);
/*
 * The RSS hash of a frame (@len bytes from its Ethernet header) over
 * what the guest asked for: IPv4/IPv6 addresses, with TCP's ports when
 * the TCP type is on and the packet is no fragment. 0 when nothing
 * applies.
 */
u32 khcl_rss_hash(const struct khcl_rss *rss, const u8 *f, u32 len);
/* The channel of a frame with @hash (0 when RSS is off). */
u32 khcl_rss_channel(const struct khcl_rss *rss, u32 hash);

/* ---- RNDIS ---- */

struct khcl_rndis_dev {
	u8 mac[6];
	bool link_up;
	u32 mtu;			/* MAXIMUM_FRAME_SIZE */
	u32 link_speed;			/* units of 100 bps */
	bool initialized;
	u32 packet_filter;
	/*
	 * Offloads: those khcl offers the guest (KHCL_NV_OFF_*, set before
	 * INIT: OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES) and those the guest
	 * turned on (OID_TCP_OFFLOAD_PARAMETERS), which a data message may
	 * then ask for.
	 */
	u32 offload_caps, offloads;
	u32 rx_queues;			/* RSS capabilities: queues served */
	/*
	 * RSS as the guest set it (OID_GEN_RECEIVE_SCALE_PARAMETERS), over
	 * @nchan channels (the primary and its sub-channels, set by the
	 * caller as they are given)
	 */
	struct khcl_rss rss;
	u32 nchan;
	u64 queries, sets, unknown_oids, bad_msgs;
};

/*
 * Answer one control message (@len bytes, a private copy) into @out
 * (KHCL_RNDIS_MAX_REPLY bytes). Returns the reply length, 0 when the
 * message needs none (HALT), or -1 when it is malformed (counted; no
 * reply possible).
 */
int khcl_rndis_control(struct khcl_rndis_dev *dev, const u8 *msg, u32 len,
		       u8 *out);

const char *khcl_nvsp_err_name(enum khcl_nvsp_err e);

#endif /* KHCL_NETVSP_H */
