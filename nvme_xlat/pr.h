/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nvme_xlat/pr.c: persistent reservations on a block device's pr_ops.
 * Apart from xlat.h so the KUnit suite khcl_pr links pr.c alone and runs
 * it on a fake pr_ops.
 */
#ifndef KHCL_NVME_XLAT_PR_H
#define KHCL_NVME_XLAT_PR_H

#include <linux/blkdev.h>
#include <linux/pr.h>
#include "scsi.h"

/*
 * Run @c (decoded by spc_pr.c) on @ops for @bdev; sleeps (the device's
 * command). The answer in *res; READ KEYS / READ RESERVATION data in
 * @data (@data_max bytes, zeroed by the caller).
 */
void sv_pr_run(const struct pr_ops *ops, struct block_device *bdev,
	       const struct khcl_pr_cmd *c, u8 *data, u32 data_max,
	       struct khcl_scsi_result *res);

/* What a pr_ops result (0, -errno or a PR_STS_*) means for the guest. */
enum khcl_pr_status sv_pr_status(int ret);

/* Does @bdev do reservations? (Sleeps: one READ RESERVATION asks it.) */
bool sv_pr_probe(struct block_device *bdev);

#endif /* KHCL_NVME_XLAT_PR_H */
