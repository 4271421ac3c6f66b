// SPDX-License-Identifier: GPL-2.0
/*
 * nvme_xlat data path: an SRB's READ, WRITE or SYNCHRONIZE CACHE as one
 * bio on the LUN's block device (UNMAP and WRITE SAME as one discard, one
 * write-zeroes or one pattern write, split into chained bios). Its bio_vecs are the ZONE_DEVICE pages of
 * the SRB's GPA-direct list (VTL0 RAM): the device DMAs straight into the
 * guest, nothing is copied. The bio lives in the request (no allocation);
 * the block layer splits it at the queue's limits. A buffer the device
 * cannot take as it is (an offset or length off its DMA alignment) goes
 * through bounce pages, counted in bytes_bounced. The bio's end_io builds
 * the answer and ends the request through the VSP contract (any context).
 */
#define pr_fmt(fmt) "khcl_nvme_xlat: " fmt

#include <linux/bio.h>
#include <linux/blk-mq.h>
#include "../include/khcl/khcl_vtl2.h"
#include "xlat.h"
#include "pr.h"

/*
 * PERSISTENT RESERVE IN/OUT run here (pr_ops sleep on the device), and
 * VERIFY's compares
 */
static struct workqueue_struct *sv_pr_wq;
/* polled mode: each LUN's poller, while it has bios on a poll queue */
static struct workqueue_struct *sv_poll_wq;

/*
 * Block status to sense: the one table, after the NVM Express SCSI
 * translation reference (NVMe status -> blk_status_t is the NVMe
 * driver's nvme_error_status()). A medium or I/O error reads as
 * UNRECOVERED READ ERROR on a read and WRITE ERROR otherwise.
 */
static const u8 sv_blk_sense[] = {
	[(__force u8)BLK_STS_NOTSUPP] = KHCL_SENSE_INVALID_OPCODE,
	[(__force u8)BLK_STS_TIMEOUT] = KHCL_SENSE_ABORTED,
	[(__force u8)BLK_STS_NOSPC] = KHCL_SENSE_SPACE_ALLOC_FAILED,
	[(__force u8)BLK_STS_TRANSPORT] = KHCL_SENSE_ABORTED,
	[(__force u8)BLK_STS_TARGET] = KHCL_SENSE_NOT_READY,
	[(__force u8)BLK_STS_MEDIUM] = KHCL_SENSE_READ_ERROR,
	[(__force u8)BLK_STS_PROTECTION] = KHCL_SENSE_GUARD_CHECK,
	[(__force u8)BLK_STS_RESOURCE] = KHCL_SENSE_ABORTED,
	[(__force u8)BLK_STS_IOERR] = KHCL_SENSE_READ_ERROR,
	[(__force u8)BLK_STS_AGAIN] = KHCL_SENSE_ABORTED,
	[(__force u8)BLK_STS_DEV_RESOURCE] = KHCL_SENSE_ABORTED,
	[(__force u8)BLK_STS_OFFLINE] = KHCL_SENSE_NOT_READY,
};

static const char *const sv_op_name[] = {
	[KHCL_SBC_READ] = "read",
	[KHCL_SBC_WRITE] = "write",
	[KHCL_SBC_FLUSH] = "flush",
	[KHCL_SBC_DISCARD] = "discard",
	[KHCL_SBC_WRITE_ZEROES] = "write zeroes",
	[KHCL_SBC_WRITE_PATTERN] = "write same",
	[KHCL_SBC_VERIFY] = "verify",
};

#define SAM_CHECK_CONDITION	0x02

static void sv_io_status(struct sv_req *sr, blk_status_t st)
{
	u8 i = (__force u8)st, sense[KHCL_SCSI_SENSE_LEN];
	enum khcl_scsi_sense id = KHCL_SENSE_INTERNAL_FAILURE;

	atomic64_inc(&sr->lun->errors);
	atomic64_inc(&sv_io_errors);
	if (st == BLK_STS_RESV_CONFLICT) {
		khcl_vstor_srb_outcome(&sr->reply, KHCL_SRB_ERROR,
				       KHCL_SAM_RESERVATION_CONFLICT, NULL, 0,
				       0);
		return;
	}
	if (i < ARRAY_SIZE(sv_blk_sense) && sv_blk_sense[i])
		id = sv_blk_sense[i];
	if (id == KHCL_SENSE_READ_ERROR && sr->op != KHCL_SBC_READ &&
	    sr->op != KHCL_SBC_VERIFY)
		id = KHCL_SENSE_WRITE_ERROR;
	khcl_scsi_fixed_sense(sense, id);
	khcl_vstor_srb_outcome(&sr->reply, KHCL_SRB_ERROR, SAM_CHECK_CONDITION,
			       sense, sizeof(sense), 0);
	pr_warn_ratelimited("LUN %u: %s of %u bytes failed: status %d\n",
			    sr->lun->lun, sv_op_name[sr->op], sr->bytes,
			    blk_status_to_errno(st));
}

static void sv_bounce_free(struct sv_req *sr)
{
	u32 i;

	for (i = 0; i < sr->nbv; i++)
		__free_page(sr->bv[i].bv_page);
}

/* Bounce pages for sr->bytes, filled from the guest for a write. */
static int sv_bounce(struct sv_req *sr)
{
	bool fill = sr->op != KHCL_SBC_READ && sr->op != KHCL_SBC_VERIFY;
	u32 i, off, len;

	sr->bounced = true;
	sr->nbv = 0;
	for (off = 0; off < sr->bytes; off += len) {
		struct page *p = alloc_page(GFP_NOIO | __GFP_NOWARN);

		len = min_t(u32, PAGE_SIZE, sr->bytes - off);
		if (!p)
			goto fail;
		bvec_set_page(&sr->bv[sr->nbv++], p, len, 0);
		if (fill && khcl_vtl0mem_copy_at(&sr->buf, off, page_address(p),
						 len, false))
			goto fail;
	}
	return 0;
fail:
	for (i = 0; i < sr->nbv; i++)
		__free_page(sr->bv[i].bv_page);
	sr->nbv = 0;
	return -ENOMEM;
}

/* Every bio_vec on the device's DMA alignment? */
static bool sv_aligned(const struct sv_req *sr, int n)
{
	u32 mask = sr->lun->dma_mask;
	int i;

	for (i = 0; i < n; i++)
		if ((sr->bv[i].bv_offset | sr->bv[i].bv_len) & mask)
			return false;
	return true;
}

/* A LUN's counters for an I/O that succeeded. */
static void sv_io_count(struct sv_req *sr)
{
	struct sv_lun *l = sr->lun;

	switch (sr->op) {
	case KHCL_SBC_READ:
		atomic64_add(sr->bytes, &l->bytes_read);
		break;
	case KHCL_SBC_FLUSH:
		atomic64_inc(&l->flushes);
		break;
	case KHCL_SBC_DISCARD:
		atomic64_inc(&l->discards);
		break;
	default:	/* writes, write-zeroes, pattern writes */
		atomic64_add(sr->bytes, &l->bytes_written);
		break;
	}
}

/* An I/O begins: counted, and in flight until sv_io_done() */
static void sv_io_start(struct sv_req *sr)
{
	atomic64_inc(&sr->lun->ios);
	atomic64_inc(&sv_ios);
	atomic_inc(&sv_inflight);
	/* khcl_vmbus.timing: from here to its end is the device's time */
	sr->t_start = sr->req.t_read ? ktime_get_ns() : 0;
}

/* ... and ends, its outcome in sr->reply: answer, LUN put, RESETs go */
static void sv_io_done(struct sv_req *sr)
{
	struct sv_lun *l = sr->lun;

	if (sr->t_start) {
		atomic64_add(ktime_get_ns() - sr->t_start, &sv_device_ns);
		atomic64_inc(&sv_device_timed);
	}
	/* before the answer: the channel may close once it is sent */
	atomic_dec(sr->chan_inflight);
	sr->lun = NULL;
	sv_lun_put(l);
	sv_end(sr);
	if (atomic_dec_and_test(&sv_inflight))
		sv_resets_done();
}

/* Any context: the bio's end_io, or the submitter on an error. */
static void sv_io_end(struct sv_req *sr, blk_status_t st)
{
	struct sv_lun *l = sr->lun;
	u32 i, off = 0;

	if (sr->bounced) {
		if (!st && sr->op == KHCL_SBC_READ) {
			for (i = 0; i < sr->nbv && !st; i++) {
				if (khcl_vtl0mem_copy_at(&sr->buf, off,
						page_address(sr->bv[i].bv_page),
						sr->bv[i].bv_len, true))
					st = BLK_STS_IOERR;
				off += sr->bv[i].bv_len;
			}
		}
		sv_bounce_free(sr);
		if (!st) {
			atomic64_add(sr->bytes, &l->bytes_bounced);
			atomic64_add(sr->bytes, &sv_bytes_bounced);
			atomic64_add(sr->bytes, &sv_bytes_copied);
		}
	} else {
		khcl_vtl0mem_put_bvecs(sr->bv, sr->nbv);
	}
	sr->nbv = 0;
	if (st) {
		sv_io_status(sr, st);
	} else {
		khcl_vstor_srb_outcome(&sr->reply, KHCL_SRB_SUCCESS, 0, NULL, 0,
				       sr->reply.srb.data_transfer_length);
		sv_io_count(sr);
	}
	sv_io_done(sr);
}

/*
 * The guest's pages (sr->bv, sr->nbv) as they are, or bounce pages in
 * their place if the device cannot DMA them; true if that failed and the
 * request has ended.
 */
static bool sv_bounce_unaligned(struct sv_req *sr)
{
	if (sv_aligned(sr, sr->nbv))
		return false;
	khcl_vtl0mem_put_bvecs(sr->bv, sr->nbv);
	if (!sv_bounce(sr))
		return false;
	sv_io_end(sr, BLK_STS_RESOURCE);
	return true;
}

static void sv_bio_end(struct bio *bio)
{
	struct sv_req *sr = bio->bi_private;
	blk_status_t st = bio->bi_status;
	unsigned long flags;

	if (sr->polled) {	/* (a split one may end from an interrupt) */
		spin_lock_irqsave(&sr->lun->poll_lock, flags);
		list_del(&sr->poll_node);
		spin_unlock_irqrestore(&sr->lun->poll_lock, flags);
		sr->polled = false;
	}

	if (bio == &sr->bio)
		bio_uninit(bio);
	else		/* the last of a chain: discard, zeroes, pattern */
		bio_put(bio);
	sv_io_end(sr, st);
}

static void sv_submit_last(struct sv_req *sr, struct bio *bio)
{
	bio->bi_end_io = sv_bio_end;
	bio->bi_private = sr;
	submit_bio(bio);
}

/*
 * WRITE SAME's block, repeated: bios of BIO_MAX_VECS bio_vecs that all
 * point at the guest's block (or its bounce page), chained so the last
 * ends when all have.
 */
static void sv_write_pattern(struct sv_req *sr, u64 lba, u32 nblocks)
{
	struct sv_lun *l = sr->lun;
	u32 shift = l->disk.block_shift - SECTOR_SHIFT;
	u32 per_bio = BIO_MAX_VECS / sr->nbv, n, i, j;
	sector_t sector = lba << shift;
	struct bio *bio, *prev = NULL;

	while (nblocks) {
		n = min(nblocks, per_bio);
		bio = bio_alloc(l->bdev, n * sr->nbv, REQ_OP_WRITE, GFP_NOIO);
		bio->bi_iter.bi_sector = sector;
		for (i = 0; i < n; i++)
			for (j = 0; j < sr->nbv; j++)
				__bio_add_page(bio, sr->bv[j].bv_page,
					       sr->bv[j].bv_len,
					       sr->bv[j].bv_offset);
		sector += (sector_t)n << shift;
		nblocks -= n;
		if (prev) {	/* @bio ends after @prev */
			bio_chain(prev, bio);
			submit_bio(prev);
		}
		prev = bio;
	}
	sv_submit_last(sr, prev);
}

/* DISCARD / WRITE_ZEROES: the block layer's helpers build the chain. */
static void sv_discard_zeroes(struct sv_req *sr, enum khcl_sbc_op op,
			      const struct khcl_sbc_io *io)
{
	struct sv_lun *l = sr->lun;
	u32 shift = l->disk.block_shift - SECTOR_SHIFT;
	struct bio *bio = NULL;
	int ret;

	if (op == KHCL_SBC_DISCARD)
		ret = __blkdev_issue_discard(l->bdev, io->lba << shift,
					     (sector_t)io->nblocks << shift,
					     GFP_NOIO, &bio);
	else
		ret = __blkdev_issue_zeroout(l->bdev, io->lba << shift,
					     (sector_t)io->nblocks << shift,
					     GFP_NOIO, &bio, io->unmap ? 0 :
					     BLKDEV_ZERO_NOUNMAP);
	if (ret || !bio) {
		sv_io_end(sr, ret ? errno_to_blk_status(ret) :
				    BLK_STS_NOTSUPP);
		return;
	}
	sv_submit_last(sr, bio);
}

/*
 * VERIFY with BYTCHK: the blocks are read into pages of ours (the guest's
 * buffer holds what to compare with), then compared on the workqueue:
 * all equal GOOD, else MISCOMPARE. Counted in bytes_compared; nothing
 * moves to or from the guest's memory but the compare's reads.
 */
static void sv_verify_work(struct work_struct *w)
{
	struct sv_req *sr = container_of(w, struct sv_req, work);
	u32 bs = 1u << sr->lun->disk.block_shift, i, o, off = 0;
	bool differ = false, fault = false;
	u8 sense[KHCL_SCSI_SENSE_LEN];
	u8 *want, *got;

	want = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!want && !sr->vst)
		sr->vst = BLK_STS_RESOURCE;
	if (!sr->vst && sr->same)	/* the one block, once */
		fault = khcl_vtl0mem_copy_at(&sr->buf, 0, want, bs, false);
	for (i = 0; !sr->vst && i < sr->nbv && !differ && !fault; i++) {
		got = page_address(sr->bv[i].bv_page);
		if (sr->same) {
			for (o = 0; o < sr->bv[i].bv_len && !differ; o += bs)
				differ = memcmp(got + o, want, bs);
		} else {
			fault = khcl_vtl0mem_copy_at(&sr->buf, off, want,
						     sr->bv[i].bv_len, false);
			differ = !fault && memcmp(got, want, sr->bv[i].bv_len);
		}
		off += sr->bv[i].bv_len;
	}
	kfree(want);
	sv_bounce_free(sr);
	sr->nbv = 0;
	if (sr->vst) {
		sv_io_status(sr, sr->vst);
	} else if (fault) {
		pr_warn_ratelimited("LUN %u: VERIFY buffer outside VTL0 RAM\n",
				    sr->lun->lun);
		khcl_vstor_srb_outcome(&sr->reply, KHCL_SRB_INVALID_REQUEST, 0,
				       NULL, 0, 0);
	} else if (differ) {
		khcl_scsi_fixed_sense(sense, KHCL_SENSE_MISCOMPARE);
		khcl_vstor_srb_outcome(&sr->reply, KHCL_SRB_ERROR,
				       SAM_CHECK_CONDITION, sense,
				       sizeof(sense), 0);
	} else {
		khcl_vstor_srb_outcome(&sr->reply, KHCL_SRB_SUCCESS, 0, NULL, 0,
				       sr->reply.srb.data_transfer_length);
	}
	atomic64_add(off, &sv_bytes_compared);
	sv_io_done(sr);
}

static void sv_verify_end(struct bio *bio)
{
	struct sv_req *sr = bio->bi_private;

	sr->vst = bio->bi_status;
	bio_uninit(bio);	/* the work shares its memory */
	INIT_WORK(&sr->work, sv_verify_work);
	queue_work(sv_pr_wq, &sr->work);
}

static void sv_verify(struct sv_req *sr, const struct khcl_sbc_io *io)
{
	struct sv_lun *l = sr->lun;

	sr->same = io->same;
	sr->bytes = io->nblocks << l->disk.block_shift;
	sv_io_start(sr);
	if (sv_bounce(sr)) {
		sr->nbv = 0;
		sr->vst = BLK_STS_RESOURCE;
		INIT_WORK(&sr->work, sv_verify_work);
		queue_work(sv_pr_wq, &sr->work);
		return;
	}
	bio_init(&sr->bio, l->bdev, sr->bv, sr->nbv, REQ_OP_READ);
	sr->bio.bi_vcnt = sr->nbv;
	sr->bio.bi_iter.bi_size = sr->bytes;
	sr->bio.bi_iter.bi_sector = io->lba << (l->disk.block_shift -
						SECTOR_SHIFT);
	sr->bio.bi_end_io = sv_verify_end;
	sr->bio.bi_private = sr;
	submit_bio(&sr->bio);
}

/*
 * Polled mode: the bio goes to the device's poll queue (no interrupt
 * there), on the LUN's list; the LUN's poller reaps the queue until the
 * list is empty. Its cookie (the poll queue) is set when the driver takes
 * the request, so the poller reads it from the first bio on the list,
 * under the lock that keeps that bio from ending meanwhile.
 */
static void sv_poll_submit(struct sv_req *sr)
{
	struct sv_lun *l = sr->lun;

	sr->bio.bi_opf |= REQ_POLLED;
	sr->polled = true;
	spin_lock_irq(&l->poll_lock);
	list_add_tail(&sr->poll_node, &l->polled);
	spin_unlock_irq(&l->poll_lock);
	atomic64_inc(&l->polled_ios);
	submit_bio(&sr->bio);
	queue_work_on(raw_smp_processor_id(), sv_poll_wq, &l->poll_work);
}

static void sv_lun_poll(struct work_struct *w)
{
	struct sv_lun *l = container_of(w, struct sv_lun, poll_work);
	struct sv_req *sr;
	bool more;

	spin_lock_irq(&l->poll_lock);
	sr = list_first_entry_or_null(&l->polled, struct sv_req, poll_node);
	if (sr)
		WRITE_ONCE(l->poll_bio.bi_cookie, READ_ONCE(sr->bio.bi_cookie));
	spin_unlock_irq(&l->poll_lock);
	if (!sr)
		return;
	/* not taken by the driver yet (still plugged): cookie NONE, no-op */
	bio_poll(&l->poll_bio, NULL, BLK_POLL_ONESHOT);
	spin_lock_irq(&l->poll_lock);
	more = !list_empty(&l->polled);
	spin_unlock_irq(&l->poll_lock);
	if (more)
		queue_work_on(raw_smp_processor_id(), sv_poll_wq, w);
}

void sv_io_lun_init(struct sv_lun *l)
{
	struct request_queue *q = bdev_get_queue(l->bdev);

	/* the NVMe driver's poll queues: nvme.poll_queues=N */
	l->can_poll = (q->limits.features & BLK_FEAT_POLL) && q->tag_set &&
		      q->tag_set->map[HCTX_TYPE_POLL].nr_queues;
	spin_lock_init(&l->poll_lock);
	INIT_LIST_HEAD(&l->polled);
	INIT_WORK(&l->poll_work, sv_lun_poll);
	l->poll_bio.bi_bdev = l->bdev;
	l->poll_bio.bi_cookie = BLK_QC_T_NONE;
}

void sv_io_lun_exit(struct sv_lun *l)
{
	if (l->poll_work.func)	/* set up */
		cancel_work_sync(&l->poll_work);
}

/*
 * A PERSISTENT RESERVE IN/OUT on the LUN's pr_ops, off the channel's
 * worker; IN's data (READ KEYS, READ RESERVATION) into the guest's buffer.
 */
#define SV_PR_DATA	1024	/* READ KEYS: 127 keys */

static void sv_pr_work(struct work_struct *w)
{
	struct sv_req *sr = container_of(w, struct sv_req, work);
	struct block_device *bdev = sr->lun->bdev;
	struct khcl_scsi_result res;
	u8 *data;

	data = kzalloc(SV_PR_DATA, GFP_KERNEL);
	if (data)
		sv_pr_run(bdev->bd_disk->fops->pr_ops, bdev, &sr->pr, data,
			  SV_PR_DATA, &res);
	else
		khcl_spc_pr_status(KHCL_PR_RETRY, &res);
	if (res.data_len &&
	    khcl_vtl0mem_copy(&sr->buf, data, res.data_len, true)) {
		pr_warn_ratelimited("LUN %u: PERSISTENT RESERVE IN buffer outside VTL0 RAM\n",
				    sr->lun->lun);
		res.srb_status = KHCL_SRB_INVALID_REQUEST;
		res.scsi_status = 0;
		res.sense_len = 0;
		res.data_len = 0;
	}
	kfree(data);
	if (res.srb_status != KHCL_SRB_SUCCESS)
		atomic64_inc(&sr->lun->errors);
	khcl_vstor_srb_outcome(&sr->reply, res.srb_status, res.scsi_status,
			       res.sense, res.sense_len, res.data_len);
	sv_io_done(sr);
}

int sv_io_init(void)
{
	sv_pr_wq = alloc_workqueue("khcl_pr", WQ_UNBOUND, 0);
	if (!sv_pr_wq)
		return -ENOMEM;
	sv_poll_wq = alloc_workqueue("khcl_poll", WQ_HIGHPRI, 0);
	if (!sv_poll_wq) {
		destroy_workqueue(sv_pr_wq);
		return -ENOMEM;
	}
	return 0;
}

void sv_io_exit(void)
{
	destroy_workqueue(sv_poll_wq);
	destroy_workqueue(sv_pr_wq);
}

int sv_io_submit(struct sv_req *sr, enum khcl_sbc_op op,
		 const struct khcl_sbc_io *io)
{
	struct sv_lun *l = sr->lun;
	blk_opf_t opf;
	int n = 0;

	sr->op = op;
	sr->bounced = false;
	sr->polled = false;
	sr->nbv = 0;
	sr->bytes = 0;
	if (op == KHCL_SBC_VERIFY) {
		sv_verify(sr, io);
		return 0;
	}
	if (op == KHCL_SBC_PR) {
		sv_io_start(sr);
		sr->pr = io->pr;
		INIT_WORK(&sr->work, sv_pr_work);
		queue_work(sv_pr_wq, &sr->work);
		return 0;
	}
	if (op == KHCL_SBC_DISCARD || op == KHCL_SBC_WRITE_ZEROES) {
		sv_io_start(sr);
		if (op == KHCL_SBC_WRITE_ZEROES)
			sr->bytes = io->nblocks << l->disk.block_shift;
		sv_discard_zeroes(sr, op, io);
		return 0;
	}
	if (op == KHCL_SBC_WRITE_PATTERN) {
		/* the bio_vecs of one block, repeated */
		n = khcl_vtl0mem_buf_bvecs(&sr->buf, 1u << l->disk.block_shift,
					   sr->bv, sv_max_pfns);
		if (n < 0)
			return n;
		sr->nbv = n;
		sr->bytes = 1u << l->disk.block_shift;
		sv_io_start(sr);
		if (sv_bounce_unaligned(sr))
			return 0;
		sr->bytes = io->nblocks << l->disk.block_shift;
		sv_write_pattern(sr, io->lba, io->nblocks);
		return 0;
	}
	if (op == KHCL_SBC_FLUSH) {
		opf = REQ_OP_WRITE | REQ_PREFLUSH | REQ_SYNC;
	} else {
		sr->bytes = io->nblocks << l->disk.block_shift;
		opf = op == KHCL_SBC_READ ? REQ_OP_READ : REQ_OP_WRITE;
		if (io->fua && op == KHCL_SBC_WRITE)
			opf |= REQ_FUA;
		/* the guest's pages: held until the bio ends */
		n = khcl_vtl0mem_buf_bvecs(&sr->buf, sr->bytes, sr->bv,
					   sv_max_pfns);
		if (n < 0)	/* a page outside VTL0 RAM: the caller refuses */
			return n;
		sr->nbv = n;
	}
	sv_io_start(sr);
	if (sv_bounce_unaligned(sr))
		return 0;
	n = sr->nbv;
	bio_init(&sr->bio, l->bdev, sr->bv, n, opf);
	sr->bio.bi_vcnt = n;
	sr->bio.bi_iter.bi_size = sr->bytes;
	sr->bio.bi_iter.bi_sector = io->lba << (l->disk.block_shift - SECTOR_SHIFT);
	sr->bio.bi_end_io = sv_bio_end;
	sr->bio.bi_private = sr;
	if (sr->poll && l->can_poll && op != KHCL_SBC_FLUSH)
		sv_poll_submit(sr);
	else
		submit_bio(&sr->bio);
	return 0;
}
