/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host side of the VMBus control protocol, pure C.
 *
 * One struct khcl_vmb_server per guest connection. The caller feeds every
 * channel message the guest posted to khcl_vmb_server_rx() from one
 * context at a time (the kernel glue: one worker); the core validates it
 * completely, updates its state and calls the ops for side effects
 * (sending a reply, mapping a GPADL, opening a channel). Nothing here
 * touches guest memory: GPADL PFNs are checked and mapped by the ops.
 */
#ifndef KHCL_VMB_SERVER_H
#define KHCL_VMB_SERVER_H

#include "../include/khcl/vmbus_wire.h"

#define KHCL_VMB_MAX_CHANNELS	64	/* relids 1..64 */

/* Why a message was rejected; counted per reason. */
enum khcl_vmb_err {
	KHCL_VMB_ERR_SHORT,		/* shorter than its type needs */
	KHCL_VMB_ERR_TYPE,		/* unknown or host-to-guest type */
	KHCL_VMB_ERR_STATE,		/* not valid in this connection state */
	KHCL_VMB_ERR_CONN_ID,		/* posted to the wrong connection id */
	KHCL_VMB_ERR_RELID,		/* no such channel / wrong state */
	KHCL_VMB_ERR_GPADL,		/* bad GPADL handle/range/page count */
	KHCL_VMB_ERR_LIMIT,		/* a resource limit was hit */
	KHCL_VMB_ERR_OPEN,		/* OPENCHANNEL refused */
	KHCL_VMB_NERR
};

struct khcl_vmb_limits {
	u32 max_version;		/* highest version offered */
	u32 max_gpadls;			/* per connection */
	u32 max_gpadl_pages;		/* per GPADL */
	u32 max_total_pages;		/* all GPADLs of the connection */
	u32 max_vp;			/* target_vp, target_vcpu: below this */
};

enum khcl_vmb_gpadl_state {
	KHCL_GPADL_BUILDING,		/* header seen, body messages due */
	KHCL_GPADL_CREATED,
};

struct khcl_vmb_gpadl {
	u32 handle;
	u32 relid;
	enum khcl_vmb_gpadl_state state;
	u32 byte_count;			/* of the (single) range */
	u32 byte_offset;
	u32 npfns, have;		/* expected / received so far */
	u32 users;			/* open rings and VSP mappings */
	bool teardown_pending;		/* TORNDOWN due when users drops to 0 */
	u64 *pfns;
	void *priv;			/* owned by ops (mapping) */
};

enum khcl_vmb_chan_state {
	KHCL_CHAN_FREE = 0,
	KHCL_CHAN_OFFERED,		/* offer exists (sent if requested) */
	KHCL_CHAN_OPEN,
	KHCL_CHAN_RESCINDED,		/* waiting for RELID_RELEASED */
	KHCL_CHAN_RELEASED,		/* unused, until the owner frees it */
};

struct khcl_vmb_chan {
	u32 relid;
	enum khcl_vmb_chan_state state;
	struct khcl_vmb_offer offer;
	u32 connection_id;		/* guest->host event flag index */
	u32 ring_gpadl;			/* when open */
	u32 downstream_pageoffset;
	u32 target_vp;
	u32 openid;
	bool offer_sent;
	u32 primary_relid;		/* sub-channels: their primary; else 0 */
	void *vsp;			/* owner of the offer (ops) */
};

struct khcl_vmb_server;

struct khcl_vmb_ops {
	/* Queue one message to the guest (the glue retries busy slots). */
	void (*send)(struct khcl_vmb_server *s, const void *msg, u32 len);
	/*
	 * A GPADL is complete: validate every PFN, map; 0 or -errno. The
	 * core may move a struct khcl_vmb_gpadl in its table: keep no
	 * pointer to it, only g->priv.
	 */
	int (*gpadl_map)(struct khcl_vmb_server *s, struct khcl_vmb_gpadl *g);
	void (*gpadl_unmap)(struct khcl_vmb_server *s,
			    struct khcl_vmb_gpadl *g);
	/* Start/stop serving a channel's rings; 0 or -errno. */
	int (*chan_open)(struct khcl_vmb_server *s, struct khcl_vmb_chan *c,
			 struct khcl_vmb_gpadl *ring, const u8 *userdata);
	void (*chan_close)(struct khcl_vmb_server *s, struct khcl_vmb_chan *c);
	/* An open channel's target_vp changed (MODIFYCHANNEL). May be NULL. */
	void (*chan_modify)(struct khcl_vmb_server *s, struct khcl_vmb_chan *c);
	/*
	 * A sub-channel is gone for good (released by the guest, or
	 * forgotten on unload); its slot stays KHCL_CHAN_RELEASED, so the
	 * relid is not reused, until the owner calls
	 * khcl_vmb_server_chan_free(). May be NULL: freed at once.
	 */
	void (*chan_release)(struct khcl_vmb_server *s,
			     struct khcl_vmb_chan *c);
};

enum khcl_vmb_conn_state {
	KHCL_CONN_DISCONNECTED = 0,
	KHCL_CONN_CONNECTED,		/* version agreed */
	KHCL_CONN_OFFERS_REQUESTED,
};

struct khcl_vmb_server {
	const struct khcl_vmb_ops *ops;
	void *priv;
	struct khcl_vmb_limits lim;
	enum khcl_vmb_conn_state state;
	u32 version;
	u32 msg_conn_id;		/* where the guest must post */
	u8 msg_sint;			/* where we post (V5+) */
	u32 target_vcpu;
	struct khcl_vmb_chan chan[KHCL_VMB_MAX_CHANNELS];
	struct khcl_vmb_gpadl *gpadl;	/* lim.max_gpadls entries */
	u32 ngpadls;
	u64 total_pages;
	/* counters */
	u64 rx_msgs[KHCL_CHMSG_COUNT];
	u64 tx_msgs;
	u64 errors[KHCL_VMB_NERR];
	u64 refused[KHCL_CHMSG_COUNT];	/* requests answered with a failure */
	u64 teardowns_deferred;		/* GPADL_TEARDOWN of a GPADL in use */
	u64 connects, unloads;
	u64 guest_resets;		/* the guest reset without an UNLOAD */
};

int khcl_vmb_server_init(struct khcl_vmb_server *s,
			 const struct khcl_vmb_ops *ops,
			 const struct khcl_vmb_limits *lim, void *priv);
/* Tear everything down (channels closed, GPADLs unmapped) and free. */
void khcl_vmb_server_destroy(struct khcl_vmb_server *s);

/*
 * One message from the guest, @len bytes (<= 240) posted to @conn_id.
 * Returns 0 or a negative KHCL_VMB_ERR_* reason (already counted).
 */
int khcl_vmb_server_rx(struct khcl_vmb_server *s, u32 conn_id,
		       const void *msg, u32 len);

/* Offers from VSPs. Returns the relid (>= 1) or -errno. */
int khcl_vmb_server_offer(struct khcl_vmb_server *s,
			  const struct khcl_vmb_offer *offer, void *vsp);
/*
 * A sub-channel of the open primary @primary_relid (same class and
 * instance GUID, the next free sub_channel_index), owned by @vsp. It
 * lives until the primary closes or is rescinded, or the guest unloads;
 * then it is rescinded (if the guest saw it) and released. Returns the
 * relid or -errno (-ENOTCONN: primary not open, -ENOSPC: no relid or
 * index left).
 */
int khcl_vmb_server_offer_sub(struct khcl_vmb_server *s, u32 primary_relid,
			      void *vsp);
/* The owner is done with a KHCL_CHAN_RELEASED sub-channel. */
void khcl_vmb_server_chan_free(struct khcl_vmb_server *s, u32 relid);
/* Withdraw an offer: closes the channel if open, tells the guest. */
void khcl_vmb_server_rescind(struct khcl_vmb_server *s, u32 relid);

/*
 * A VSP mapping of GPADL @handle ends (the glue took g->users++ when it
 * mapped it). A teardown the guest asked for meanwhile completes now.
 */
void khcl_vmb_server_gpadl_put(struct khcl_vmb_server *s, u32 handle);

/*
 * The guest was reset under us (it rebooted without an UNLOAD): every
 * channel closed, every GPADL unmapped, nothing sent; the next guest
 * starts with INITIATE_CONTACT.
 */
void khcl_vmb_server_guest_reset(struct khcl_vmb_server *s);

/* Force a channel closed after a data-path protocol violation. */
void khcl_vmb_server_chan_reset(struct khcl_vmb_server *s, u32 relid);

struct khcl_vmb_chan *khcl_vmb_server_chan(struct khcl_vmb_server *s,
					   u32 relid);
struct khcl_vmb_gpadl *khcl_vmb_server_gpadl(struct khcl_vmb_server *s,
					     u32 handle);
bool khcl_vmb_version_known(u32 version);
const char *khcl_vmb_err_name(enum khcl_vmb_err e);

#endif /* KHCL_VMB_SERVER_H */
