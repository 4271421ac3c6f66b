// SPDX-License-Identifier: GPL-2.0
/*
 * Echo VSP (test only): offers one channel (include/khcl/echo_proto.h)
 * and answers every inband packet that asks for a completion with a
 * completion carrying the same transaction id and payload bytes.
 */
#define pr_fmt(fmt) "khcl_echo_vsp: " fmt

#include <linux/module.h>
#include "khcl_vsp.h"
#include "../include/khcl/echo_proto.h"

static u64 echoed, ignored, stalls;
module_param(echoed, ullong, 0444);
MODULE_PARM_DESC(echoed, "Packets echoed (read-only stat)");
module_param(ignored, ullong, 0444);
MODULE_PARM_DESC(ignored, "Packets consumed without an answer (read-only stat)");
module_param(stalls, ullong, 0444);
MODULE_PARM_DESC(stalls, "Times the guest's ring had no room for an answer (read-only stat)");

static int echo_open(struct khcl_vsp_chan *ch, const u8 *userdata)
{
	pr_info("channel opened\n");
	return 0;
}

static void echo_close(struct khcl_vsp_chan *ch)
{
	pr_info("channel closed (echoed %llu)\n", echoed);
}

static int echo_packet(struct khcl_vsp_chan *ch,
		       const struct khcl_vmpkt_desc *d, const void *pkt,
		       u32 len)
{
	u32 off = (u32)d->offset8 << 3;
	int ret;

	if (d->type != KHCL_VMPKT_DATA_INBAND ||
	    !(d->flags & KHCL_VMPKT_FLAG_COMPLETION_REQUESTED)) {
		ignored++;
		return 0;
	}
	ret = khcl_vsp_send(ch, KHCL_VMPKT_COMP, 0, d->trans_id,
			    (const u8 *)pkt + off, len - off);
	if (ret == -EAGAIN) {
		stalls++;
		return ret;
	}
	if (!ret)
		echoed++;
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

static int __init echo_init(void)
{
	return khcl_vsp_register(&echo_vsp);
}

static void __exit echo_exit(void)
{
	khcl_vsp_unregister(&echo_vsp);
}

module_init(echo_init);
module_exit(echo_exit);
MODULE_DESCRIPTION("khcl echo VSP (test only)");
MODULE_LICENSE("GPL");
