// SPDX-License-Identifier: GPL-2.0
/*
 * Echo VSP (test only): offers one channel (include/khcl/echo_proto.h)
 * and answers every inband packet that asks for a completion with a
 * completion carrying the same transaction id and payload bytes. A
 * control request on the primary makes it offer sub-channels, which echo
 * the same way.
 */
#define pr_fmt(fmt) "khcl_echo_vsp: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include "../include/khcl/khcl_vsp.h"
#include "../include/khcl/khcl_vtl2.h"
#include "../include/khcl/echo_proto.h"

/* counters: every channel's worker adds to them, on any CPU */
static atomic64_t echo_echoed, echo_ignored, echo_stalls, echo_subchannels;
KHCL_VSP_STAT(echoed, echo_echoed);
MODULE_PARM_DESC(echoed, "Packets echoed (read-only stat)");
KHCL_VSP_STAT(ignored, echo_ignored);
MODULE_PARM_DESC(ignored, "Packets consumed without an answer (read-only stat)");
KHCL_VSP_STAT(stalls, echo_stalls);
MODULE_PARM_DESC(stalls, "Times the guest's ring had no room for an answer (read-only stat)");

static unsigned int max_subchannels = 8;
module_param(max_subchannels, uint, 0644);
MODULE_PARM_DESC(max_subchannels, "Sub-channels a guest may ask for at once");

KHCL_VSP_STAT(subchannels, echo_subchannels);
MODULE_PARM_DESC(subchannels, "Sub-channels offered (read-only stat)");

/*
 * Per channel: the answer to a control request (echo_proto.h), kept
 * until it fits on the ring, so a retried request is answered, not
 * executed twice.
 */
struct echo_chan {
	bool pending;
	u64 trans_id;
	struct khcl_echo_ctl answer;
};

static int echo_open(struct khcl_vsp_chan *ch, const u8 *userdata)
{
	struct echo_chan *ec = kzalloc(sizeof(*ec), GFP_KERNEL);

	if (!ec)
		return -ENOMEM;
	khcl_vsp_chan_set_priv(ch, ec);
	pr_info("channel opened (sub-channel %u)\n", khcl_vsp_chan_index(ch));
	return 0;
}

static void echo_close(struct khcl_vsp_chan *ch)
{
	kfree(khcl_vsp_chan_priv(ch));
	khcl_vsp_chan_set_priv(ch, NULL);
	pr_info("channel closed (sub-channel %u, echoed %lld)\n",
		khcl_vsp_chan_index(ch), atomic64_read(&echo_echoed));
}

static int echo_ctl(struct khcl_vsp_chan *ch, u64 trans_id,
		    const struct khcl_echo_ctl *req)
{
	struct echo_chan *ec = khcl_vsp_chan_priv(ch);
	struct khcl_echo_ctl *c = &ec->answer;
	int ret = -EINVAL;

	if (!ec->pending || ec->trans_id != trans_id) {
		*c = *req;
		if (c->op == KHCL_ECHO_OP_SUBCHANNELS &&
		    !khcl_vsp_chan_index(ch) &&
		    c->arg <= READ_ONCE(max_subchannels))
			ret = khcl_vsp_offer_subchannels(ch, c->arg);
		c->result = ret < 0 ? KHCL_ECHO_RESULT_ERR : ret;
		if (ret > 0)
			atomic64_add(ret, &echo_subchannels);
		ec->trans_id = trans_id;
	}
	ret = khcl_vsp_send(ch, KHCL_VMPKT_COMP, 0, trans_id, c, sizeof(*c));
	ec->pending = ret == -EAGAIN;
	if (ret == -EAGAIN) {
		atomic64_inc(&echo_stalls);
		return ret;
	}
	return 0;
}

static int echo_packet(struct khcl_vsp_chan *ch,
		       const struct khcl_vmpkt_desc *d, const void *pkt,
		       u32 len)
{
	u32 off = (u32)d->offset8 << 3;
	int ret;

	if (d->type != KHCL_VMPKT_DATA_INBAND ||
	    !(d->flags & KHCL_VMPKT_FLAG_COMPLETION_REQUESTED)) {
		atomic64_inc(&echo_ignored);
		return 0;
	}
	if (len - off == sizeof(struct khcl_echo_ctl)) {
		struct khcl_echo_ctl c;

		memcpy(&c, (const u8 *)pkt + off, sizeof(c));
		if (c.magic == KHCL_ECHO_CTL_MAGIC)
			return echo_ctl(ch, d->trans_id, &c);
	}
	ret = khcl_vsp_send(ch, KHCL_VMPKT_COMP, 0, d->trans_id,
			    (const u8 *)pkt + off, len - off);
	if (ret == -EAGAIN) {
		atomic64_inc(&echo_stalls);
		return ret;
	}
	if (!ret)
		atomic64_inc(&echo_echoed);
	return 0;
}

static const struct khcl_vsp_ops echo_ops = {
	.open = echo_open,
	.close = echo_close,
	.packet = echo_packet,
};

static struct khcl_vsp echo_vsp = {
	.name = "echo",
	.class_id = { KHCL_ECHO_CLASS_GUID_BYTES },
	.instance_id = { KHCL_ECHO_INSTANCE_GUID_BYTES },
	.ops = &echo_ops,
};

static struct khcl_knobs *echo_knobs;

static int __init echo_init(void)
{
	int ret = khcl_vsp_register(&echo_vsp);

	if (!ret)	/* /sys/kernel/khcl/echo_vsp/ */
		echo_knobs = khcl_knobs_dir("echo_vsp", THIS_MODULE);
	return ret;
}

static void __exit echo_exit(void)
{
	khcl_knobs_remove(echo_knobs);
	khcl_vsp_unregister(&echo_vsp);
}

module_init(echo_init);
module_exit(echo_exit);
MODULE_DESCRIPTION("khcl echo VSP (test only)");
MODULE_LICENSE("GPL");
