/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khcl VSP registration API: how nvme_xlat (storage), mana_xlat (network)
 * and the test echo VSP put a channel in front of the VTL0 guest.
 *
 * A VSP fills a struct khcl_vsp (class and instance GUID, offer user data,
 * ops) and calls khcl_vsp_register(); the VMBus server offers the channel
 * and calls ->open() when the guest opens it (process context, may sleep),
 * ->packet() for each packet the guest puts on the ring (from the
 * channel's worker, one at a time, packet already copied out of guest
 * memory and its descriptor validated), and ->close() when the guest
 * closes, unloads or the channel is reset. khcl_vsp_send() may be called
 * from any context while the channel is open. The same ops serve the
 * primary channel and its sub-channels.
 */
#ifndef KHCL_VSP_H
#define KHCL_VSP_H

#include <linux/types.h>
#include "vmbus_wire.h"

struct khcl_vsp_chan;

struct khcl_vsp_ops {
	int (*open)(struct khcl_vsp_chan *ch, const u8 *userdata);
	void (*close)(struct khcl_vsp_chan *ch);
	/*
	 * One packet: @desc is the validated descriptor, @pkt the whole
	 * packet (descriptor included, @len bytes). Return -EAGAIN to have
	 * it delivered again later (e.g. no room to answer), or 0.
	 */
	int (*packet)(struct khcl_vsp_chan *ch,
		      const struct khcl_vmpkt_desc *desc, const void *pkt,
		      u32 len);
};

struct khcl_vsp {
	const char *name;
	struct khcl_guid class_id;
	struct khcl_guid instance_id;
	u8 user_def[KHCL_VMB_USER_DEFINED_BYTES];
	const struct khcl_vsp_ops *ops;
	/* set by the server */
	u32 relid;
	struct khcl_vsp_chan *chan;
};

int khcl_vsp_register(struct khcl_vsp *vsp);
/* Rescinds the offer; closes the channel first if it is open. */
void khcl_vsp_unregister(struct khcl_vsp *vsp);

/*
 * Put one packet on the guest's ring. -EAGAIN: ring full (the guest will
 * signal when it has room; retry from ->packet()), -ENOTCONN: closed.
 */
int khcl_vsp_send(struct khcl_vsp_chan *ch, u16 type, u16 flags, u64 trans_id,
		  const void *data, u32 len);

/*
 * Offer up to @n sub-channels of the open primary @ch (VSTOR
 * CREATE_SUB_CHANNELS, NVSP's sub-channel request). Call it from
 * ->packet() only. The offers go out before this returns; each
 * sub-channel then opens, carries packets and closes through the same
 * ops as the primary (khcl_vsp_chan_index() tells them apart). They are
 * closed and rescinded when the primary closes; a reopened primary asks
 * again. Returns how many were offered (fewer than @n when relids run
 * out) or -ENOTCONN (primary not open, or @ch is a sub-channel).
 */
int khcl_vsp_offer_subchannels(struct khcl_vsp_chan *ch, unsigned int n);
/* 0 for the primary, its sub_channel_index for a sub-channel. */
unsigned int khcl_vsp_chan_index(const struct khcl_vsp_chan *ch);

/*
 * khcl_vsp_send() with @extlen (a multiple of 8) more descriptor bytes
 * before @data, e.g. the transfer-page header of
 * VM_PKT_DATA_USING_XFER_PAGES.
 */
int khcl_vsp_send_ext(struct khcl_vsp_chan *ch, u16 type, u16 flags,
		      u64 trans_id, const void *ext, u32 extlen,
		      const void *data, u32 len);

/*
 * Map a GPADL the guest created for this channel (or its primary), e.g.
 * netvsc's receive buffer, into VTL2: its pages held and vmap'd. From
 * ->packet() only. The guest cannot tear it down while it is mapped; it
 * is unmapped by khcl_vsp_gpadl_unmap() or when the channel closes.
 * Returns the mapping (and its length in *len) or an ERR_PTR: -ENOENT no
 * such GPADL, -EINVAL not page-aligned, -EBUSY mapped already, -ENOTCONN.
 */
void *khcl_vsp_gpadl_map(struct khcl_vsp_chan *ch, u32 handle, u32 *len);
void khcl_vsp_gpadl_unmap(struct khcl_vsp_chan *ch, void *va);

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

#endif /* KHCL_VSP_H */
