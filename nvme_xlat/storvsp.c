// SPDX-License-Identifier: GPL-2.0
/*
 * khcl storage VSP: offers the VTL0 guest a SCSI controller channel
 * (storvsc's class), runs the VSTOR protocol on it (vstor.c) and answers
 * SCSI commands (scsi.c). Response data is copied straight into the
 * guest's buffer pages (ZONE_DEVICE pages of VTL0 RAM, registered when
 * the channel opens).
 *
 * This is the control path and an empty target: no NVMe namespace is
 * mapped to a LUN yet, so the guest's storvsc binds and scans a bus with
 * no disks. The NVMe data path is the next step.
 */
#define pr_fmt(fmt) "khcl_nvme_xlat: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include "../include/khcl/khcl_vsp.h"
#include "../include/khcl/khcl_vtl2.h"
#include "vstor.h"
#include "scsi.h"

static unsigned int max_subchannels = 8;
module_param(max_subchannels, uint, 0444);
MODULE_PARM_DESC(max_subchannels, "Sub-channels offered to storvsc (QUERY_PROPERTIES max_channel_cnt, 0..63)");

static unsigned int max_transfer_kb = 512;
module_param(max_transfer_kb, uint, 0444);
MODULE_PARM_DESC(max_transfer_kb, "Largest SRB transfer announced and accepted, KiB (4..8192)");

static unsigned int depth = 128;
module_param(depth, uint, 0444);
MODULE_PARM_DESC(depth, "Requests per channel (1..4096; the server caps it by the ring and its max_requests)");

static struct khcl_vstor_limits sv_lim;

/* Per channel: protocol state; the worker's scratch for response data. */
struct sv_chan {
	struct khcl_vstor_chan st;
	u8 data[512];			/* SCSI response data */
};

/*
 * Per request: its answer, written by the channel's worker later, and
 * the PFNs of its data buffer, copied out of the packet (which the next
 * read overwrites) before ->packet() returns; sv_max_pfns of them.
 */
struct sv_req {
	struct khcl_vsp_req req;	/* first */
	struct khcl_vstor_packet reply;
	bool completion;		/* the guest asked for one */
	u16 sub_channels;		/* CREATE_SUB_CHANNELS asked for */
	u64 pfns[];
};

static u32 sv_max_pfns;

static atomic64_t sv_srbs, sv_refused, sv_copy_faults;


static void sv_execute_srb(struct sv_chan *sc, const struct khcl_vstor_req *r,
			   struct khcl_vstor_packet *reply)
{
	struct khcl_scsi_result res;
	u32 alloc = r->srb.data_in == 1 ? r->data_len : 0;

	atomic64_inc(&sv_srbs);
	memset(sc->data, 0, sizeof(sc->data));
	khcl_scsi_no_lun(r->srb.cdb, r->srb.cdb_length, alloc, sc->data,
			 sizeof(sc->data), &res);
	/* straight into the SRB's buffer pages (VTL0 RAM) */
	if (res.data_len && khcl_vtl0mem_copy(&r->buf, sc->data, res.data_len,
					      true)) {
		atomic64_inc(&sv_copy_faults);
		pr_warn_ratelimited("SRB data buffer outside VTL0 RAM: refused\n");
		khcl_vstor_fail_reply(r, reply);
		return;
	}
	khcl_vstor_srb_reply(r, res.srb_status, res.scsi_status, res.sense,
			     res.sense_len, res.data_len, reply);
}

static void sv_end(struct sv_req *sr)
{
	if (sr->completion)
		khcl_vsp_complete(&sr->req, &sr->reply, sizeof(sr->reply));
	else
		khcl_vsp_req_end(&sr->req);
}

static void sv_packet(struct khcl_vsp_chan *ch, struct khcl_vsp_req *req,
		      const struct khcl_vmpkt_desc *d, const void *pkt, u32 len)
{
	struct sv_req *sr = container_of(req, struct sv_req, req);
	struct sv_chan *sc = khcl_vsp_chan_priv(ch);
	struct khcl_vstor_req r;
	int ret;

	ret = khcl_vstor_parse(&sc->st, d, pkt, len, &r);
	sr->completion = r.completion;
	if (ret) {
		atomic64_inc(&sv_refused);
		pr_info_ratelimited("sub-channel %u: packet refused: %s\n",
				    khcl_vsp_chan_index(ch),
				    khcl_vstor_err_name(-ret - 1));
		if (r.completion)
			khcl_vstor_fail_reply(&r, &sr->reply);
		sv_end(sr);
		return;
	}

	switch (khcl_vstor_control(&sc->st, &r, &sr->reply)) {
	case KHCL_VSTOR_NONE:
		sr->completion = false;
		break;
	case KHCL_VSTOR_REPLY:
		break;
	case KHCL_VSTOR_DO_SRB:
		/* the core bounded them by max_transfer_kb: they fit */
		if (r.buf.npfns && khcl_gpa_buf_keep(&r.buf, sr->pfns,
						     sv_max_pfns)) {
			khcl_vstor_fail_reply(&r, &sr->reply);
			break;
		}
		sv_execute_srb(sc, &r, &sr->reply);
		break;
	case KHCL_VSTOR_DO_SUBCHANNELS:
		sr->sub_channels = r.sub_channel_count;
		khcl_vsp_offer_subchannels(req, r.sub_channel_count);
		return;		/* ends in sv_ctl_done */
	}
	sv_end(sr);
}

static void sv_ctl_done(struct khcl_vsp_chan *ch, struct khcl_vsp_req *req)
{
	struct sv_req *sr = container_of(req, struct sv_req, req);
	long n = req->ctl_result;

	pr_info("storvsc asked for %u sub-channels: %ld offered\n",
		sr->sub_channels, n);
	sr->reply.status = n > 0 ? KHCL_VSTOR_STATUS_OK :
				   KHCL_VSTOR_STATUS_FAILED;
	sv_end(sr);
}

static int sv_open(struct khcl_vsp_chan *ch, const u8 *userdata)
{
	unsigned int index = khcl_vsp_chan_index(ch);
	struct sv_chan *sc;

	sc = kzalloc(sizeof(*sc), GFP_KERNEL);
	if (!sc)
		return -ENOMEM;
	khcl_vstor_chan_init(&sc->st, &sv_lim, index != 0);
	khcl_vsp_chan_set_priv(ch, sc);
	pr_info("channel open (sub-channel %u)\n", index);
	return 0;
}

static void sv_close(struct khcl_vsp_chan *ch)
{
	struct sv_chan *sc = khcl_vsp_chan_priv(ch);
	unsigned int i;

	for (i = 0; i < KHCL_VSTOR_NERR; i++)
		if (sc->st.errors[i])
			pr_info("sub-channel %u closed: %llu %s errors\n",
				khcl_vsp_chan_index(ch), sc->st.errors[i],
				khcl_vstor_err_name(i));
	khcl_vsp_chan_set_priv(ch, NULL);
	kfree(sc);
}

static const struct khcl_vsp_ops sv_ops = {
	.open = sv_open,
	.close = sv_close,
	.packet = sv_packet,
	.ctl_done = sv_ctl_done,
};

static struct khcl_vsp sv_vsp = {
	.name = "storvsp",
	.class_id = { KHCL_VSTOR_SCSI_CLASS_BYTES },
	/* {6c9b3c3e-8f3b-4a4e-9d1a-6b686c000510}: khcl's SCSI controller 0 */
	.instance_id = { { 0x3e, 0x3c, 0x9b, 0x6c, 0x3b, 0x8f, 0x4e, 0x4a,
			   0x9d, 0x1a, 0x6b, 0x68, 0x6c, 0x00, 0x05, 0x10 } },
	.ops = &sv_ops,
};

/* /sys/module/khcl_nvme_xlat/parameters/{srbs,refused,copy_faults} */

KHCL_VSP_STAT(srbs, sv_srbs);
KHCL_VSP_STAT(refused, sv_refused);
KHCL_VSP_STAT(copy_faults, sv_copy_faults);

static struct khcl_knobs *sv_knobs;

static int __init sv_init(void)
{
	int ret;

	sv_lim.max_subchannels = min_t(unsigned int, max_subchannels,
				       KHCL_VMB_MAX_SUBCHANNELS);
	sv_lim.max_transfer_bytes = clamp(max_transfer_kb, 4u, 8192u) << 10;
	/* an unaligned buffer of max_transfer_bytes touches one page more */
	sv_max_pfns = sv_lim.max_transfer_bytes / KHCL_HV_PAGE_SIZE + 1;
	sv_vsp.req_size = sizeof(struct sv_req) + sv_max_pfns * sizeof(u64);
	sv_vsp.depth = clamp(depth, 1u, 4096u);
	ret = khcl_vsp_register(&sv_vsp);
	if (!ret)	/* /sys/kernel/khcl/nvme_xlat/: knobs and counters */
		sv_knobs = khcl_knobs_dir("nvme_xlat", THIS_MODULE);
	return ret;
}

static void __exit sv_exit(void)
{
	khcl_knobs_remove(sv_knobs);
	khcl_vsp_unregister(&sv_vsp);
}

module_init(sv_init);
module_exit(sv_exit);
MODULE_DESCRIPTION("khcl storage VSP (VSTOR for storvsc)");
MODULE_LICENSE("GPL");
