// SPDX-License-Identifier: GPL-2.0
/*
 * nvme_xlat persistent reservations: a PERSISTENT RESERVE IN/OUT decoded
 * by the target core (spc_pr.c) run on the LUN's block device through its
 * pr_ops (for an NVMe namespace: Reservation Register, Acquire, Release
 * and Report). pr_ops sleep, so io.c runs this on a workqueue, never on
 * a channel's worker. QEMU's NVMe has no reservations: sv_pr_probe()
 * finds that out when the LUN is added, and the target then answers
 * INVALID COMMAND OPERATION CODE.
 */
#include <linux/slab.h>
#include "pr.h"

enum khcl_pr_status sv_pr_status(int ret)
{
	switch (ret) {
	case PR_STS_SUCCESS:
		return KHCL_PR_OK;
	case PR_STS_RESERVATION_CONFLICT:
		return KHCL_PR_CONFLICT;
	case -EINVAL:		/* NVMe: invalid field, opcode, namespace */
		return KHCL_PR_INVALID;
	case -EOPNOTSUPP:
	case -ENOTTY:
		return KHCL_PR_UNSUPPORTED;
	case PR_STS_RETRY_PATH_FAILURE:
	case PR_STS_PATH_FAST_FAILED:
	case PR_STS_PATH_FAILED:
	case -ENOMEM:
	case -EAGAIN:
		return KHCL_PR_RETRY;
	default:		/* PR_STS_IOERR, any other error */
		return KHCL_PR_FAILED;
	}
}

/* READ KEYS: as many keys as the answer can hold */
static int sv_pr_read_keys(const struct pr_ops *ops,
			   struct block_device *bdev,
			   const struct khcl_pr_cmd *c, u8 *data, u32 data_max,
			   struct khcl_scsi_result *res)
{
	u32 cap = data_max > 8 ? (data_max - 8) / 8 : 0;
	struct pr_keys *keys;
	int ret;

	keys = kzalloc(struct_size(keys, keys, cap), GFP_KERNEL);
	if (!keys)
		return -ENOMEM;
	keys->num_keys = cap;
	ret = ops->pr_read_keys(bdev, keys);
	if (!ret)	/* num_keys: how many the device has */
		khcl_spc_pr_keys(keys->generation, keys->keys, cap,
				 keys->num_keys, c->alloc, data, data_max, res);
	kfree(keys);
	return ret;
}

void sv_pr_run(const struct pr_ops *ops, struct block_device *bdev,
	       const struct khcl_pr_cmd *c, u8 *data, u32 data_max,
	       struct khcl_scsi_result *res)
{
	struct pr_held_reservation rsv = { };
	int ret = -EOPNOTSUPP;

	switch (c->action) {
	case KHCL_PR_READ_KEYS:
		if (ops->pr_read_keys) {
			ret = sv_pr_read_keys(ops, bdev, c, data, data_max, res);
			if (!ret)
				return;
		}
		break;
	case KHCL_PR_READ_RESERVATION:
		if (ops->pr_read_reservation) {
			ret = ops->pr_read_reservation(bdev, &rsv);
			if (!ret) {
				khcl_spc_pr_reservation(rsv.generation, rsv.key,
							rsv.type, c->alloc,
							data, data_max, res);
				return;
			}
		}
		break;
	case KHCL_PR_REGISTER:
		if (ops->pr_register)
			ret = ops->pr_register(bdev, c->key, c->sa_key, 0);
		break;
	case KHCL_PR_REGISTER_IGNORE:
		if (ops->pr_register)
			ret = ops->pr_register(bdev, 0, c->sa_key,
					       PR_FL_IGNORE_KEY);
		break;
	case KHCL_PR_RESERVE:
		if (ops->pr_reserve)
			ret = ops->pr_reserve(bdev, c->key, c->type, 0);
		break;
	case KHCL_PR_RELEASE:
		if (ops->pr_release)
			ret = ops->pr_release(bdev, c->key, c->type);
		break;
	case KHCL_PR_CLEAR:
		if (ops->pr_clear)
			ret = ops->pr_clear(bdev, c->key);
		break;
	case KHCL_PR_PREEMPT:
	case KHCL_PR_PREEMPT_ABORT:
		if (ops->pr_preempt)
			ret = ops->pr_preempt(bdev, c->key, c->sa_key, c->type,
					      c->action == KHCL_PR_PREEMPT_ABORT);
		break;
	}
	khcl_spc_pr_status(sv_pr_status(ret), res);
}

bool sv_pr_probe(struct block_device *bdev)
{
	const struct pr_ops *ops = bdev->bd_disk->fops->pr_ops;
	struct pr_held_reservation rsv = { };

	if (!ops || !ops->pr_register || !ops->pr_read_reservation)
		return false;
	return !ops->pr_read_reservation(bdev, &rsv);
}
