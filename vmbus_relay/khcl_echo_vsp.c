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
#include <linux/hrtimer.h>
#include <linux/random.h>
#include <linux/slab.h>
#include "../include/khcl/khcl_vsp.h"
#include "../include/khcl/khcl_vtl2.h"
#include "../include/khcl/echo_proto.h"

/* counters: every channel's worker adds to them, on any CPU */
static atomic64_t echo_echoed, echo_ignored, echo_too_big, echo_subchannels;
KHCL_VSP_STAT(echoed, echo_echoed);
MODULE_PARM_DESC(echoed, "Packets echoed (read-only stat)");
KHCL_VSP_STAT(ignored, echo_ignored);
MODULE_PARM_DESC(ignored, "Packets consumed without an answer (read-only stat)");
KHCL_VSP_STAT(too_big, echo_too_big);
MODULE_PARM_DESC(too_big, "Packets over KHCL_ECHO_MAX payload bytes, consumed without an answer (read-only stat)");

static unsigned int max_subchannels = 8;
module_param(max_subchannels, uint, 0644);
MODULE_PARM_DESC(max_subchannels, "Sub-channels a guest may ask for at once");

KHCL_VSP_STAT(subchannels, echo_subchannels);
MODULE_PARM_DESC(subchannels, "Sub-channels offered (read-only stat)");

static unsigned int depth = 64;
module_param(depth, uint, 0444);
MODULE_PARM_DESC(depth, "Requests per channel (the server caps it)");

static unsigned int complete_delay_us;
module_param(complete_delay_us, uint, 0644);
MODULE_PARM_DESC(complete_delay_us, "0: answer from the channel's worker; N: from a hard-irq timer after a random 0..N us (answers leave out of order)");

/*
 * One request: the packet's payload, copied out of the worker's buffer
 * before ->packet() returns, is what the answer carries.
 */
struct echo_req {
	struct khcl_vsp_req req;	/* first */
	struct hrtimer timer;
	u32 len;
	union {
		struct khcl_echo_ctl ctl;
		u8 payload[ALIGN(KHCL_ECHO_MAX, 8)];
	};
};

static enum hrtimer_restart echo_timer(struct hrtimer *t)
{
	struct echo_req *er = container_of(t, struct echo_req, timer);

	khcl_vsp_complete(&er->req, er->payload, er->len);	/* hard irq */
	return HRTIMER_NORESTART;
}

/* Per channel: the delay the guest asked for (KHCL_ECHO_OP_DELAY). */
struct echo_chan {
	u32 delay_us;
};

static void echo_answer(struct khcl_vsp_chan *ch, struct echo_req *er)
{
	struct echo_chan *ec = khcl_vsp_chan_priv(ch);
	u32 delay = ec->delay_us ? ec->delay_us : READ_ONCE(complete_delay_us);

	if (!delay) {
		khcl_vsp_complete(&er->req, er->payload, er->len);
		return;
	}
	hrtimer_init(&er->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	er->timer.function = echo_timer;
	hrtimer_start(&er->timer,
		      ns_to_ktime((u64)get_random_u32_below(delay + 1) *
				  NSEC_PER_USEC), HRTIMER_MODE_REL_HARD);
}

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
	/* every request has ended: no timer of ours is left */
	kfree(khcl_vsp_chan_priv(ch));
	khcl_vsp_chan_set_priv(ch, NULL);
	pr_info("channel closed (sub-channel %u, echoed %lld)\n",
		khcl_vsp_chan_index(ch), atomic64_read(&echo_echoed));
}

/* Sub-channels offered (or not): the answer carries how many. */
static void echo_ctl_done(struct khcl_vsp_chan *ch, struct khcl_vsp_req *req)
{
	struct echo_req *er = container_of(req, struct echo_req, req);
	long ret = req->ctl_result;

	er->ctl.result = ret < 0 ? KHCL_ECHO_RESULT_ERR : ret;
	if (ret > 0)
		atomic64_add(ret, &echo_subchannels);
	khcl_vsp_complete(req, &er->ctl, sizeof(er->ctl));
}

static void echo_packet(struct khcl_vsp_chan *ch, struct khcl_vsp_req *req,
			const struct khcl_vmpkt_desc *d, const void *pkt,
			u32 len)
{
	struct echo_req *er = container_of(req, struct echo_req, req);
	u32 off = (u32)d->offset8 << 3;

	if (d->type != KHCL_VMPKT_DATA_INBAND ||
	    !(d->flags & KHCL_VMPKT_FLAG_COMPLETION_REQUESTED)) {
		atomic64_inc(&echo_ignored);
		khcl_vsp_req_end(req);
		return;
	}
	er->len = len - off;
	if (er->len > sizeof(er->payload)) {
		atomic64_inc(&echo_too_big);
		khcl_vsp_req_end(req);
		return;
	}
	memcpy(er->payload, (const u8 *)pkt + off, er->len);
	if (er->len == sizeof(er->ctl) && er->ctl.magic == KHCL_ECHO_CTL_MAGIC) {
		if (er->ctl.op == KHCL_ECHO_OP_DELAY &&
		    er->ctl.arg <= KHCL_ECHO_MAX_DELAY_US) {
			struct echo_chan *ec = khcl_vsp_chan_priv(ch);

			ec->delay_us = er->ctl.arg;
			er->ctl.result = 0;
			khcl_vsp_complete(req, &er->ctl, sizeof(er->ctl));
			return;
		}
		if (er->ctl.op == KHCL_ECHO_OP_SUBCHANNELS &&
		    !khcl_vsp_chan_index(ch) &&
		    er->ctl.arg <= READ_ONCE(max_subchannels)) {
			khcl_vsp_offer_subchannels(req, er->ctl.arg);
			return;		/* answered from echo_ctl_done */
		}
		er->ctl.result = KHCL_ECHO_RESULT_ERR;
		khcl_vsp_complete(req, &er->ctl, sizeof(er->ctl));
		return;
	}
	atomic64_inc(&echo_echoed);
	echo_answer(ch, er);
}

static const struct khcl_vsp_ops echo_ops = {
	.open = echo_open,
	.close = echo_close,
	.packet = echo_packet,
	.ctl_done = echo_ctl_done,
};

static struct khcl_vsp echo_vsp = {
	.name = "echo",
	.class_id = { KHCL_ECHO_CLASS_GUID_BYTES },
	.instance_id = { KHCL_ECHO_INSTANCE_GUID_BYTES },
	.ops = &echo_ops,
	.req_size = sizeof(struct echo_req),
};

static struct khcl_knobs *echo_knobs;

static int __init echo_init(void)
{
	int ret;

	echo_vsp.depth = depth;
	ret = khcl_vsp_register(&echo_vsp);

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
