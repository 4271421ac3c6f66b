/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvme_xlat private header: the storage VSP's request, its LUNs and the
 * calls between storvsp.c (the VSTOR channel), lun.c (which block device
 * backs which LUN) and io.c (SRBs as bios on the guest's pages).
 */
#ifndef KHCL_NVME_XLAT_H
#define KHCL_NVME_XLAT_H

#include <linux/blkdev.h>
#include <linux/percpu-refcount.h>
#include "../include/khcl/khcl_vsp.h"
#include "vstor.h"
#include "scsi.h"

/* A LUN: a block device (an NVMe namespace) opened exclusively. */
struct sv_lun {
	struct percpu_ref ref;		/* one per request using it */
	struct completion released;	/* the last one ended after a kill */
	struct file *bdev_file;
	struct block_device *bdev;
	struct khcl_scsi_disk disk;
	u32 dma_mask;			/* bdev_dma_alignment(): bounce past it */
	bool id_hashed;			/* the device had none: see lun.c */
	bool dead;			/* the device went away: remove it */
	unsigned int lun;
	char path[64];
	atomic64_t ios, bytes_read, bytes_written, flushes, discards, errors;
	atomic64_t bytes_bounced;
	/* polled mode: the device has poll queues; bios on them in flight */
	bool can_poll;
	spinlock_t poll_lock;
	struct list_head polled;	/* sv_req.poll_node */
	struct work_struct poll_work;	/* polls while the list is not empty */
	struct bio poll_bio;		/* bio_poll()'s view: bdev and cookie */
	atomic64_t polled_ios;
};

/*
 * Per request: its answer (written by the channel's worker once ended),
 * and while an I/O is in flight its LUN, bio and guest pages. The tail
 * holds sv_max_pfns PFNs (copied out of the packet, which the next read
 * overwrites) and as many bio_vecs.
 */
struct sv_req {
	struct khcl_vsp_req req;	/* first */
	struct khcl_vstor_packet reply;
	bool completion;		/* the guest asked for one */
	u16 sub_channels;		/* CREATE_SUB_CHANNELS asked for */
	/* an I/O */
	struct sv_lun *lun;		/* a reference held */
	enum khcl_sbc_op op;
	struct khcl_gpa_buf buf;	/* its pfns point at pfns[] */
	u32 bytes;
	u32 nbv;			/* bio_vecs in use */
	bool bounced;			/* bv[] are bounce pages, not VTL0's */
	bool same;			/* VERIFY: one block to compare for all */
	blk_status_t vst;		/* VERIFY: how its read ended */
	bool poll;			/* polled mode: submit on a poll queue */
	bool polled;			/* it was: on lun->polled */
	struct list_head poll_node;
	atomic_t *chan_inflight;	/* its channel's I/Os in flight */
	struct llist_node reset_node;	/* a RESET waiting for I/O to end */
	u64 t_start;			/* timing: submitted at (ns) */
	union {
		struct bio bio;
		struct {		/* a persistent reservation command */
			struct work_struct work;
			struct khcl_pr_cmd pr;
		};
	};
	u64 *pfns;
	struct bio_vec *bv;
	u8 tail[];
};

extern u32 sv_max_pfns;
extern atomic64_t sv_bytes_copied, sv_bytes_bounced, sv_ios, sv_io_errors;
extern atomic64_t sv_bytes_compared;
extern atomic64_t sv_device_ns, sv_device_timed;
extern atomic_t sv_inflight;		/* I/Os submitted, not ended */

/* lun.c */
int sv_luns_init(unsigned int max_blocks);
void sv_luns_exit(void);
/* The LUN at this SRB address with a reference, or NULL; *map: all LUNs. */
struct sv_lun *sv_lun_get(u8 path_id, u8 target_id, u8 lun, u64 *map);
void sv_lun_put(struct sv_lun *l);

/*
 * io.c: submit @sr's I/O (sr->lun, sr->buf and sr->reply set): 0, and it
 * ends in sv_end() with the LUN put; or -EFAULT (a page of the buffer is
 * not VTL0 RAM) with nothing held or ended.
 */
int sv_io_submit(struct sv_req *sr, enum khcl_sbc_op op,
		 const struct khcl_sbc_io *io);
/*
 * io.c: the workqueues of persistent reservation commands (pr_ops sleep)
 * and of the polled mode's pollers
 */
int sv_io_init(void);
void sv_io_exit(void);
/* io.c: set up / stop @l's poller (the LUN's I/O has ended before) */
void sv_io_lun_init(struct sv_lun *l);
void sv_io_lun_exit(struct sv_lun *l);

/* storvsp.c: send the answer (if asked for) and free the request. */
void sv_end(struct sv_req *sr);
/* storvsp.c: the last I/O in flight ended: answer the RESETs waiting. */
void sv_resets_done(void);
/* storvsp.c: LUNs came or went: tell every guest controller to rescan. */
void sv_luns_changed(void);

#endif /* KHCL_NVME_XLAT_H */
