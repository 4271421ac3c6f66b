// SPDX-License-Identifier: GPL-2.0
/*
 * khcl storage VSP: offers the VTL0 guest a SCSI controller channel
 * (storvsc's class), runs the VSTOR protocol on it (vstor.c) and executes
 * its SRBs on the LUNs (lun.c): SCSI commands are decoded by the target
 * core (sbc.c, spc.c); reads, writes and flushes become bios on the
 * guest's own pages (io.c), other answers are copied into the guest's
 * buffer (ZONE_DEVICE pages of VTL0 RAM).
 */
#define pr_fmt(fmt) "khcl_nvme_xlat: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include "../include/khcl/khcl_vtl2.h"
#include "xlat.h"

static unsigned int max_subchannels = 8;
module_param(max_subchannels, uint, 0444);
MODULE_PARM_DESC(max_subchannels, "Sub-channels offered to storvsc (QUERY_PROPERTIES max_channel_cnt, 0..63)");

static unsigned int max_transfer_kb = 512;
module_param(max_transfer_kb, uint, 0444);
MODULE_PARM_DESC(max_transfer_kb, "Largest SRB transfer announced and accepted, KiB (4..8192)");

/*
 * What one SRB takes of storvsc's ring when it sizes its queue
 * (max_outstanding_req_per_channel: a multi-page buffer packet of 32
 * PFNs, the VSTOR packet, the trailer): with depth 0 a channel's pool
 * holds as many requests as storvsc can have outstanding on its ring.
 */
#define SV_STORVSC_SRB_BYTES	360

static unsigned int depth;
module_param(depth, uint, 0444);
MODULE_PARM_DESC(depth, "Requests per channel (1..4096); 0: as many as storvsc can queue on the channel's ring (one per 360 bytes); the server caps it by its max_requests");

static unsigned int poll_depth;
module_param(poll_depth, uint, 0644);
MODULE_PARM_DESC(poll_depth, "Polled mode: a channel with this many I/Os in flight polls its ring (the guest's signals off) and submits on the NVMe poll queues (nvme.poll_queues=N), reaped by polling; 0: off (interrupts)");

static struct khcl_vstor_limits sv_lim;

/* Per channel: protocol state; the worker's scratch for response data. */
struct sv_chan {
	struct khcl_vstor_chan st;
	struct khcl_vsp_chan *ch;
	struct list_head node;		/* sv_primaries (primary channels) */
	struct blk_plug plug;		/* the worker's batch of bios */
	atomic_t inflight;		/* I/Os submitted, not ended */
	u8 data[4096];			/* response data; UNMAP list, a block */
};

/*
 * The part of sv_chan.data that takes response data (the longest answer,
 * REPORT LUNS of 64 LUNs, is 520 bytes): the part zeroed per SRB, so a
 * READ or WRITE does not clear 4 KiB it never uses.
 */
#define SV_RESP_MAX	1024

/* Open primary channels: told to rescan when LUNs come or go. */
static LIST_HEAD(sv_primaries);
static DEFINE_MUTEX(sv_primaries_lock);

u32 sv_max_pfns;

atomic64_t sv_bytes_copied, sv_bytes_bounced, sv_ios, sv_io_errors;
atomic64_t sv_bytes_compared;
/* khcl_vmbus.timing: I/Os timed, their time in the device (bio to end) */
atomic64_t sv_device_ns, sv_device_timed;
atomic_t sv_inflight;
static atomic64_t sv_srbs, sv_refused, sv_copy_faults, sv_bytes_answered;
static atomic64_t sv_rescans, sv_resets;
/* RESET_LUN/BUS/ADAPTER waiting for the I/O in flight to end */
static LLIST_HEAD(sv_resets_waiting);

void sv_end(struct sv_req *sr)
{
	if (sr->completion)
		khcl_vsp_complete(&sr->req, &sr->reply, sizeof(sr->reply));
	else
		khcl_vsp_req_end(&sr->req);
}

void sv_resets_done(void)
{
	struct llist_node *n = llist_del_all(&sv_resets_waiting);
	struct sv_req *sr, *next;

	llist_for_each_entry_safe(sr, next, n, reset_node)
		sv_end(sr);
}

/*
 * A RESET: storvsc's error handler expects every SRB in flight on the
 * adapter to be answered before the reset is (storvsc_host_reset_handler
 * then drains). khcl cannot abort a bio, so it waits for them: the
 * device's own timeouts bound the wait. The last I/O to end, or this if
 * none is in flight, answers it; exactly one of them gets it.
 */
static void sv_reset(struct sv_req *sr)
{
	atomic64_inc(&sv_resets);
	llist_add(&sr->reset_node, &sv_resets_waiting);
	smp_mb__after_atomic();		/* add, then read the count */
	if (!atomic_read(&sv_inflight))
		sv_resets_done();
}

/*
 * UNMAP, WRITE SAME and PERSISTENT RESERVE OUT need what the guest sent
 * (the parameter list, the block) to know what to do: read it once into
 * the channel's scratch.
 */
static int sv_fetch(struct sv_chan *sc, const struct khcl_scsi_disk *d,
		    const struct khcl_vstor_req *r, enum khcl_sbc_op *op,
		    struct khcl_sbc_io *io, struct khcl_scsi_result *res)
{
	u32 n;

	if (*op == KHCL_SBC_UNMAP) {
		n = min_t(u32, io->param_len,
			  8 + 16 * (KHCL_SBC_UNMAP_DESCS + 1));
		if (n && khcl_vtl0mem_copy(&r->buf, sc->data, n, false))
			return -EFAULT;
		*op = khcl_sbc_unmap(d, sc->data, n, io->param_len, io, res);
	} else if (*op == KHCL_SBC_WRITE_SAME) {
		if (!io->ndob && khcl_vtl0mem_copy(&r->buf, sc->data,
						   1u << d->block_shift, false))
			return -EFAULT;
		*op = khcl_sbc_write_same(d, io->ndob ? NULL : sc->data, io);
	} else if (*op == KHCL_SBC_PR_OUT) {
		/* the decoder checked: 24 bytes, inside the SRB's buffer */
		if (khcl_vtl0mem_copy(&r->buf, sc->data, io->param_len, false))
			return -EFAULT;
		*op = khcl_spc_pr_out(sc->data, io->param_len, io, res);
	}
	return 0;
}

/* Polled mode: past poll_depth I/Os in flight on the channel */
static bool sv_polling(struct sv_chan *sc)
{
	unsigned int d = READ_ONCE(poll_depth);

	return d && atomic_read(&sc->inflight) >= d;
}

/* An SRB: answered now (into sr->reply), or a bio that ends it later. */
static bool sv_execute_srb(struct sv_chan *sc, struct sv_req *sr,
			   const struct khcl_vstor_req *r)
{
	u32 alloc = r->srb.data_in == 1 ? r->data_len : 0;
	struct khcl_scsi_result res;
	enum khcl_sbc_op op;
	struct khcl_sbc_io io;
	struct sv_lun *l;
	u64 map;

	atomic64_inc(&sv_srbs);
	memset(sc->data, 0, SV_RESP_MAX);
	l = sv_lun_get(r->srb.path_id, r->srb.target_id, r->srb.lun, &map);
	if (!l) {
		khcl_scsi_no_lun(r->srb.cdb, r->srb.cdb_length, map, alloc,
				 sc->data, SV_RESP_MAX, &res);
		op = KHCL_SBC_ANSWERED;
	} else {
		op = khcl_sbc_decode(&l->disk, r->srb.cdb, r->srb.cdb_length,
				     map, r->data_len, alloc, sc->data,
				     SV_RESP_MAX, &io, &res);
		if (sv_fetch(sc, &l->disk, r, &op, &io, &res))
			goto fault;
	}
	if (op != KHCL_SBC_ANSWERED) {
		/* the answer; io.c puts the outcome in */
		khcl_vstor_srb_prepare(r, &sr->reply);
		sr->lun = l;
		sr->buf = r->buf;
		sr->chan_inflight = &sc->inflight;
		sr->poll = sv_polling(sc);
		atomic_inc(&sc->inflight);
		if (!sv_io_submit(sr, op, &io))
			return false;	/* the bio ends it */
		atomic_dec(&sc->inflight);
		sr->lun = NULL;
		res.data_len = 0;
		goto fault;
	}
	if (l) {
		sv_lun_put(l);
		l = NULL;
	}
	/* straight into the SRB's buffer pages (VTL0 RAM) */
	if (res.data_len && khcl_vtl0mem_copy(&r->buf, sc->data, res.data_len,
					      true))
		goto fault;
	atomic64_add(res.data_len, &sv_bytes_answered);
	khcl_vstor_srb_reply(r, res.srb_status, res.scsi_status, res.sense,
			     res.sense_len, res.data_len, &sr->reply);
	return true;
fault:
	if (l)
		sv_lun_put(l);
	atomic64_inc(&sv_copy_faults);
	pr_warn_ratelimited("SRB data buffer outside VTL0 RAM: refused\n");
	khcl_vstor_fail_reply(r, &sr->reply);
	return true;
}

static void sv_packet(struct khcl_vsp_chan *ch, struct khcl_vsp_req *req,
		      const struct khcl_vmpkt_desc *d, const void *pkt, u32 len)
{
	struct sv_req *sr = container_of(req, struct sv_req, req);
	struct sv_chan *sc = khcl_vsp_chan_priv(ch);
	struct khcl_vstor_req r;
	int ret;

	sr->pfns = (u64 *)sr->tail;
	sr->bv = (struct bio_vec *)(sr->tail + sv_max_pfns * sizeof(u64));
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
		if (!sv_execute_srb(sc, sr, &r))
			return;	/* ends when its bio does */
		break;
	case KHCL_VSTOR_DO_RESET:
		sv_reset(sr);
		return;		/* ends when the I/O in flight has */
	case KHCL_VSTOR_DO_SUBCHANNELS:
		sr->sub_channels = r.sub_channel_count;
		khcl_vsp_offer_subchannels(req, r.sub_channel_count);
		return;		/* ends in sv_ctl_done */
	}
	sv_end(sr);
}

/*
 * One pass of the worker over the ring: its bios go to the device
 * together when it ends (the NVMe driver's ->queue_rqs: one SQ doorbell
 * write for the batch; the profile under load had the per-SRB doorbell
 * at 10-17% of vtl2's samples).
 */
static void sv_batch(struct khcl_vsp_chan *ch, bool end)
{
	struct sv_chan *sc = khcl_vsp_chan_priv(ch);

	if (!end)
		blk_start_plug(&sc->plug);
	else
		blk_finish_plug(&sc->plug);
}

/* The foundation asks before each pass: poll the ring, signals off? */
static bool sv_poll(struct khcl_vsp_chan *ch)
{
	return sv_polling(khcl_vsp_chan_priv(ch));
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
	sc->ch = ch;
	INIT_LIST_HEAD(&sc->node);
	khcl_vsp_chan_set_priv(ch, sc);
	if (!index) {
		mutex_lock(&sv_primaries_lock);
		list_add(&sc->node, &sv_primaries);
		mutex_unlock(&sv_primaries_lock);
	}
	pr_info("channel open (sub-channel %u)\n", index);
	return 0;
}

static void sv_close(struct khcl_vsp_chan *ch)
{
	struct sv_chan *sc = khcl_vsp_chan_priv(ch);
	unsigned int i;

	mutex_lock(&sv_primaries_lock);
	list_del(&sc->node);
	mutex_unlock(&sv_primaries_lock);
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
	.batch = sv_batch,
	.poll = sv_poll,
};

static struct khcl_vsp sv_vsp = {
	.name = "storvsp",
	.class_id = { KHCL_VSTOR_SCSI_CLASS_BYTES },
	/* {6c9b3c3e-8f3b-4a4e-9d1a-6b686c000510}: khcl's SCSI controller 0 */
	.instance_id = { { 0x3e, 0x3c, 0x9b, 0x6c, 0x3b, 0x8f, 0x4e, 0x4a,
			   0x9d, 0x1a, 0x6b, 0x68, 0x6c, 0x00, 0x05, 0x10 } },
	.ops = &sv_ops,
};

/*
 * ENUMERATE_BUS, unsolicited (transaction id 0): storvsc rescans, and
 * first sends TEST UNIT READY to the LUNs it knows, dropping those that
 * answer INVALID_LUN.
 */
void sv_luns_changed(void)
{
	struct khcl_vstor_packet pkt = {
		.operation = KHCL_VSTOR_ENUMERATE_BUS,
	};
	struct khcl_vsp_req *req;
	struct sv_chan *sc;

	mutex_lock(&sv_primaries_lock);
	list_for_each_entry(sc, &sv_primaries, node) {
		req = khcl_vsp_req_get(sc->ch);
		if (!req) {
			pr_warn("no request free: the guest is not told to rescan\n");
			continue;
		}
		atomic64_inc(&sv_rescans);
		khcl_vsp_complete_packet(req, KHCL_VMPKT_DATA_INBAND, 0, 0,
					 NULL, 0, &pkt, sizeof(pkt));
	}
	mutex_unlock(&sv_primaries_lock);
}

/* /sys/module/khcl_nvme_xlat/parameters/<counter> (and the khcl mirror) */

KHCL_VSP_STAT(srbs, sv_srbs);
KHCL_VSP_STAT(refused, sv_refused);
KHCL_VSP_STAT(copy_faults, sv_copy_faults);
KHCL_VSP_STAT(ios, sv_ios);
KHCL_VSP_STAT(io_errors, sv_io_errors);
KHCL_VSP_STAT(bytes_copied, sv_bytes_copied);
KHCL_VSP_STAT(bytes_bounced, sv_bytes_bounced);
KHCL_VSP_STAT(bytes_answered, sv_bytes_answered);
KHCL_VSP_STAT(bytes_compared, sv_bytes_compared);
KHCL_VSP_STAT(rescans, sv_rescans);
KHCL_VSP_STAT(resets, sv_resets);
KHCL_VSP_STAT(device_ns, sv_device_ns);
KHCL_VSP_STAT(device_timed, sv_device_timed);

static struct khcl_knobs *sv_knobs;

static int __init sv_init(void)
{
	int ret;

	sv_lim.max_subchannels = min_t(unsigned int, max_subchannels,
				       KHCL_VMB_MAX_SUBCHANNELS);
	sv_lim.max_transfer_bytes = clamp(max_transfer_kb, 4u, 8192u) << 10;
	/* an unaligned buffer of max_transfer_bytes touches one page more */
	sv_max_pfns = sv_lim.max_transfer_bytes / KHCL_HV_PAGE_SIZE + 1;
	sv_vsp.req_size = sizeof(struct sv_req) + sv_max_pfns *
			  (sizeof(u64) + sizeof(struct bio_vec));
	sv_vsp.depth = depth ? clamp(depth, 1u, 4096u) : 0;
	sv_vsp.ring_pkt = SV_STORVSC_SRB_BYTES;
	ret = sv_io_init();
	if (ret)
		return ret;
	/* LUNs first: the guest scans them as soon as it is offered */
	ret = sv_luns_init(sv_lim.max_transfer_bytes >> SECTOR_SHIFT);
	if (ret)
		goto io;
	ret = khcl_vsp_register(&sv_vsp);
	if (ret)
		goto luns;
	/* /sys/kernel/khcl/nvme_xlat/: knobs and counters */
	sv_knobs = khcl_knobs_dir("nvme_xlat", THIS_MODULE);
	return 0;
luns:
	sv_luns_exit();
io:
	sv_io_exit();
	return ret;
}

static void __exit sv_exit(void)
{
	khcl_knobs_remove(sv_knobs);
	khcl_vsp_unregister(&sv_vsp);
	sv_luns_exit();
	sv_io_exit();
}

module_init(sv_init);
module_exit(sv_exit);
MODULE_DESCRIPTION("khcl storage VSP (VSTOR for storvsc)");
MODULE_LICENSE("GPL");
