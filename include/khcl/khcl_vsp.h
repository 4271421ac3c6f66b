/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khcl VSP API: how nvme_xlat (storage), mana_xlat (network) and the test
 * echo VSP put a channel in front of the VTL0 guest.
 *
 * A VSP fills a struct khcl_vsp (class and instance GUID, offer user
 * data, ops, its request size and depth) and calls khcl_vsp_register();
 * the VMBus server offers the channel and calls ->open() when the guest
 * opens it (process context, may sleep) and ->close() when the guest
 * closes, unloads or the channel is reset. The same ops serve the primary
 * channel and its sub-channels.
 *
 * Requests (the shape of nvmet's queue_response and xen-blkback's
 * make_response): every packet the guest puts on the ring arrives with a
 * struct khcl_vsp_req the server took from the channel's pool before it
 * read the ring; the VSP's own request struct embeds it first
 * (@req_size bytes each, @depth of them per channel). When none is free
 * the server stops reading (backpressure: nothing dropped, nothing
 * allocated per packet). The VSP ends each request exactly once, from any
 * context (hard irq included), with khcl_vsp_complete*() or
 * khcl_vsp_req_end(); the channel's worker writes the answers in batches
 * on the channel's target CPU, publishes and signals once per batch, and
 * keeps what does not fit until the guest makes room. The answer's bytes
 * must stay valid until then: keep them in the request. Close waits
 * until every request of the channel has ended.
 */
#ifndef KHCL_VSP_H
#define KHCL_VSP_H

#include <linux/llist.h>
#include <linux/list.h>
#include <linux/types.h>
#include "vmbus_wire.h"

struct khcl_vsp_chan;

/* The server's part of a VSP request; the first member of the VSP's. */
struct khcl_vsp_req {
	struct khcl_vsp_chan *ch;
	u64 trans_id;		/* the guest packet's; what COMP answers */
	/* the answer, set by khcl_vsp_complete*() */
	const void *ext, *data;
	u32 extlen, len;
	u16 type, flags;
	u64 answer_id;
	/* server private */
	u32 state;
	struct llist_node node;
	struct list_head ctl_node;
	u32 ctl_op, ctl_arg;
	/* the result of a control request (khcl_vsp_offer_subchannels ...) */
	long ctl_result;
	void *ctl_va;
	u32 ctl_len;
	/* khcl_vmbus.timing: read from the ring, ended (ns; 0: untimed) */
	u64 t_read, t_end;
};

struct khcl_vsp_ops {
	int (*open)(struct khcl_vsp_chan *ch, const u8 *userdata);
	void (*close)(struct khcl_vsp_chan *ch);
	/*
	 * One packet, read once from the ring into server memory: @desc is
	 * the validated descriptor, @pkt the whole packet (descriptor
	 * included, @len bytes), both valid until this returns; copy what
	 * outlives it (a PFN list) into the request. @req is the VSP's from
	 * here until it ends it. From the channel's worker, one at a time.
	 */
	void (*packet)(struct khcl_vsp_chan *ch, struct khcl_vsp_req *req,
		       const struct khcl_vmpkt_desc *desc, const void *pkt,
		       u32 len);
	/*
	 * A control request (sub-channel offers, GPADL map/unmap) is done:
	 * req->ctl_result (and ctl_va/ctl_len) hold its result. From the
	 * channel's worker, serialised with ->packet().
	 */
	void (*ctl_done)(struct khcl_vsp_chan *ch, struct khcl_vsp_req *req);
	/*
	 * Optional: each pass of the channel's worker over the ring is
	 * bracketed by ->batch(ch, false) before its first ->packet() and
	 * ->batch(ch, true) after its last, from the worker. A VSP starts
	 * the work of a whole batch at once there (storvsp plugs the block
	 * layer: the NVMe driver rings its doorbell once per batch, not
	 * once per SRB).
	 */
	void (*batch)(struct khcl_vsp_chan *ch, bool end);
	/*
	 * Optional, polled mode: asked before each pass over the ring. True
	 * keeps the guest's signals off (the ring's interrupt mask stays set)
	 * and has the worker come back right after the pass instead of
	 * waiting for a signal; false goes back to signals. From the worker.
	 */
	bool (*poll)(struct khcl_vsp_chan *ch);
};

struct khcl_vsp {
	const char *name;
	struct khcl_guid class_id;
	struct khcl_guid instance_id;
	u8 user_def[KHCL_VMB_USER_DEFINED_BYTES];
	const struct khcl_vsp_ops *ops;
	/*
	 * Requests: @req_size bytes each (at least struct khcl_vsp_req,
	 * which comes first), @depth per channel (capped by the ring size
	 * and khcl_vmbus's max_requests; 0: see @ring_pkt), of which
	 * @reserve are kept for khcl_vsp_req_get() (packets the guest did
	 * not ask for).
	 */
	u32 req_size;
	u32 depth;
	u32 reserve;
	/*
	 * With @depth 0: one request per @ring_pkt bytes of the guest's
	 * ring, the client's own bound on what it can have outstanding on
	 * the channel (so its queue and the pool match).
	 */
	u32 ring_pkt;
	/* set by the server */
	u32 relid;
	struct khcl_vsp_chan *chan;
};

int khcl_vsp_register(struct khcl_vsp *vsp);
/* Rescinds the offer; closes the channel first if it is open. */
void khcl_vsp_unregister(struct khcl_vsp *vsp);

/*
 * End @req with a VM_PKT_COMP packet answering its trans_id, @len bytes
 * at @data (kept valid until written: in the request).
 */
void khcl_vsp_complete(struct khcl_vsp_req *req, const void *data, u32 len);
/*
 * End @req with any packet: @type, @flags, @trans_id, @extlen (a
 * multiple of 8) more descriptor bytes at @ext (a transfer-page header),
 * then @len bytes at @data.
 */
void khcl_vsp_complete_packet(struct khcl_vsp_req *req, u16 type, u16 flags,
			      u64 trans_id, const void *ext, u32 extlen,
			      const void *data, u32 len);
/* End @req without an answer. */
void khcl_vsp_req_end(struct khcl_vsp_req *req);
/*
 * A request for a packet the guest did not ask for (network receive, an
 * RNDIS answer or indication), from the reserve or any free one; NULL
 * when none is free or the channel is not open. Any context.
 */
struct khcl_vsp_req *khcl_vsp_req_get(struct khcl_vsp_chan *ch);

/*
 * Control requests: run by the server's control worker, their result
 * comes back through ->ctl_done(ch, req) on the channel's worker. A
 * closing channel's come back with -ENOTCONN.
 *
 * khcl_vsp_offer_subchannels: offer up to @n sub-channels of the open
 * primary (VSTOR CREATE_SUB_CHANNELS, NVSP's sub-channel request); the
 * offers go out before the result comes back: how many were offered
 * (fewer than @n when relids run out) or -ENOTCONN (primary not open, or
 * a sub-channel). Each opens, carries packets and closes through the
 * same ops (khcl_vsp_chan_index() tells them apart); they are closed and
 * rescinded with the primary.
 *
 * khcl_vsp_gpadl_map: map a GPADL the guest created for this channel (or
 * its primary), e.g. netvsc's receive buffer, into VTL2: ctl_va and
 * ctl_len, or ctl_result -ENOENT (no such GPADL), -EINVAL (not
 * page-aligned), -EBUSY (mapped already), -ENOSPC, -ENOMEM. The guest
 * cannot tear it down while it is mapped; khcl_vsp_gpadl_unmap or the
 * channel's close unmaps it.
 */
void khcl_vsp_offer_subchannels(struct khcl_vsp_req *req, unsigned int n);
void khcl_vsp_gpadl_map(struct khcl_vsp_req *req, u32 handle);
void khcl_vsp_gpadl_unmap(struct khcl_vsp_req *req, void *va);

/* 0 for the primary, its sub_channel_index for a sub-channel. */
unsigned int khcl_vsp_chan_index(const struct khcl_vsp_chan *ch);

/*
 * A VSP's counter as a read-only module parameter,
 * /sys/module/<vsp>/parameters/@name, showing the atomic64_t @counter.
 */
#define KHCL_VSP_STAT(name, counter)					\
static int name##_get(char *buf, const struct kernel_param *kp)	\
{									\
	return sysfs_emit(buf, "%lld\n", atomic64_read(&(counter)));	\
}									\
static const struct kernel_param_ops name##_ops = { .get = name##_get }; \
module_param_cb(name, &name##_ops, NULL, 0444)

void *khcl_vsp_chan_priv(struct khcl_vsp_chan *ch);
void khcl_vsp_chan_set_priv(struct khcl_vsp_chan *ch, void *priv);

/* KUnit only: a counter of /sys/kernel/khcl/vmbus/stats by name (U64_MAX: none) */
u64 khcl_vmbus_counter(const char *name);
/*
 * KUnit only: serve @vsp's primary channel on rings in kernel memory, the
 * test playing the guest: each ring is a header page then @in_bytes
 * (@out_bytes) of data; signals go to the transport backend for
 * @target_vp. khcl_vsp_test_close closes it as CLOSECHANNEL would, and
 * khcl_vsp_test_counter reads a counter of its channels/<relid>/ (the
 * timing sums by their fields' names: timed, vsp_ns ...);
 * khcl_vsp_test_timing sets khcl_vmbus.timing.
 */
int khcl_vsp_test_open(struct khcl_vsp *vsp, void *in_ring, u32 in_bytes,
		       void *out_ring, u32 out_bytes, u32 target_vp);
void khcl_vsp_test_close(struct khcl_vsp *vsp);
u64 khcl_vsp_test_counter(struct khcl_vsp *vsp, const char *name);
void khcl_vsp_test_timing(bool on);

#endif /* KHCL_VSP_H */
