// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of nvme_xlat/pr.c: persistent reservation commands run on a fake
 * pr_ops (QEMU's NVMe has no reservations, so the rig cannot show the
 * device side): each command reaches the right call with the guest's keys
 * and type, the device's results become the right answers, READ KEYS
 * reports every key the device has while answering what fits, a device
 * that lacks a call or reservations altogether is refused cleanly.
 * KUnit only (pr_ops are the kernel's).
 */
#include <kunit/test.h>
#include <linux/blkdev.h>
#include <linux/unaligned.h>
#include "../nvme_xlat/pr.h"
#include "../nvme_xlat/vstor_wire.h"

/* What the fake device was asked, and what it answers */
static struct {
	int calls;
	const char *last;
	u64 key, sa_key;
	enum pr_type type;
	u32 flags;
	bool abort;
	int ret;			/* 0, -errno or PR_STS_* */
	u32 nkeys;			/* registered keys */
	struct pr_held_reservation rsv;
} pt;

static int pt_record(const char *op, u64 key, u64 sa_key, enum pr_type type)
{
	pt.calls++;
	pt.last = op;
	pt.key = key;
	pt.sa_key = sa_key;
	pt.type = type;
	return pt.ret;
}

static int pt_register(struct block_device *b, u64 old, u64 new, u32 flags)
{
	pt.flags = flags;
	return pt_record("register", old, new, 0);
}

static int pt_reserve(struct block_device *b, u64 key, enum pr_type type,
		      u32 flags)
{
	pt.flags = flags;
	return pt_record("reserve", key, 0, type);
}

static int pt_release(struct block_device *b, u64 key, enum pr_type type)
{
	return pt_record("release", key, 0, type);
}

static int pt_preempt(struct block_device *b, u64 old, u64 new,
		      enum pr_type type, bool abort)
{
	pt.abort = abort;
	return pt_record("preempt", old, new, type);
}

static int pt_clear(struct block_device *b, u64 key)
{
	return pt_record("clear", key, 0, 0);
}

/* Like the NVMe driver: the keys that fit, num_keys says how many exist */
static int pt_read_keys(struct block_device *b, struct pr_keys *k)
{
	u32 i;

	pt_record("read_keys", 0, 0, 0);
	if (pt.ret)
		return pt.ret;
	for (i = 0; i < min(k->num_keys, pt.nkeys); i++)
		k->keys[i] = 0x1000 + i;
	k->num_keys = pt.nkeys;
	k->generation = 42;
	return 0;
}

static int pt_read_reservation(struct block_device *b,
			       struct pr_held_reservation *rsv)
{
	pt_record("read_reservation", 0, 0, 0);
	if (!pt.ret)
		*rsv = pt.rsv;
	return pt.ret;
}

static const struct pr_ops pt_ops = {
	.pr_register = pt_register,
	.pr_reserve = pt_reserve,
	.pr_release = pt_release,
	.pr_preempt = pt_preempt,
	.pr_clear = pt_clear,
	.pr_read_keys = pt_read_keys,
	.pr_read_reservation = pt_read_reservation,
};

static u8 pt_data[1024];

static void pt_run(const struct pr_ops *ops, u8 action, u8 type, u64 key,
		   u64 sa_key, u32 alloc, struct khcl_scsi_result *res)
{
	struct khcl_pr_cmd c = {
		.action = action, .type = type, .key = key, .sa_key = sa_key,
		.alloc = alloc,
	};

	memset(pt_data, 0, sizeof(pt_data));
	pt.calls = 0;
	pt.last = NULL;
	sv_pr_run(ops, NULL, &c, pt_data, sizeof(pt_data), res);
}

static void pt_illegal(struct kunit *test, const struct khcl_scsi_result *r,
		       u8 asc)
{
	KUNIT_EXPECT_EQ(test, r->scsi_status, 0x02);
	KUNIT_EXPECT_EQ(test, r->sense[2], 0x05);
	KUNIT_EXPECT_EQ(test, r->sense[12], asc);
}

static void pr_out_calls(struct kunit *test)
{
	struct khcl_scsi_result res;

	memset(&pt, 0, sizeof(pt));
	pt_run(&pt_ops, KHCL_PR_REGISTER, 0, 0x11, 0x22, 0, &res);
	KUNIT_EXPECT_EQ(test, pt.calls, 1);
	KUNIT_EXPECT_STREQ(test, pt.last, "register");
	KUNIT_EXPECT_EQ(test, pt.key, 0x11ull);
	KUNIT_EXPECT_EQ(test, pt.sa_key, 0x22ull);
	KUNIT_EXPECT_EQ(test, pt.flags, 0U);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
	KUNIT_EXPECT_EQ(test, res.data_len, 0U);
	/* IGNORE EXISTING KEY: the flag, whatever the old key said */
	pt_run(&pt_ops, KHCL_PR_REGISTER_IGNORE, 0, 0x99, 0x33, 0, &res);
	KUNIT_EXPECT_EQ(test, pt.flags, (u32)PR_FL_IGNORE_KEY);
	KUNIT_EXPECT_EQ(test, pt.key, 0ull);
	KUNIT_EXPECT_EQ(test, pt.sa_key, 0x33ull);
	pt_run(&pt_ops, KHCL_PR_RESERVE, PR_EXCLUSIVE_ACCESS, 0x33, 0, 0, &res);
	KUNIT_EXPECT_STREQ(test, pt.last, "reserve");
	KUNIT_EXPECT_EQ(test, pt.type, PR_EXCLUSIVE_ACCESS);
	KUNIT_EXPECT_EQ(test, pt.flags, 0U);
	pt_run(&pt_ops, KHCL_PR_RELEASE, PR_WRITE_EXCLUSIVE, 0x33, 0, 0, &res);
	KUNIT_EXPECT_STREQ(test, pt.last, "release");
	KUNIT_EXPECT_EQ(test, pt.type, PR_WRITE_EXCLUSIVE);
	pt_run(&pt_ops, KHCL_PR_PREEMPT, PR_WRITE_EXCLUSIVE_REG_ONLY, 0x33,
	       0x44, 0, &res);
	KUNIT_EXPECT_STREQ(test, pt.last, "preempt");
	KUNIT_EXPECT_FALSE(test, pt.abort);
	KUNIT_EXPECT_EQ(test, pt.sa_key, 0x44ull);
	pt_run(&pt_ops, KHCL_PR_PREEMPT_ABORT, PR_EXCLUSIVE_ACCESS_ALL_REGS,
	       0x33, 0x44, 0, &res);
	KUNIT_EXPECT_TRUE(test, pt.abort);
	KUNIT_EXPECT_EQ(test, pt.type, PR_EXCLUSIVE_ACCESS_ALL_REGS);
	pt_run(&pt_ops, KHCL_PR_CLEAR, 0, 0x33, 0, 0, &res);
	KUNIT_EXPECT_STREQ(test, pt.last, "clear");
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
}

/* The device's verdicts, as the NVMe driver returns them */
static void pr_results(struct kunit *test)
{
	struct khcl_scsi_result res;

	memset(&pt, 0, sizeof(pt));
	pt.ret = PR_STS_RESERVATION_CONFLICT;
	pt_run(&pt_ops, KHCL_PR_RESERVE, PR_WRITE_EXCLUSIVE, 1, 0, 0, &res);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_ERROR);
	KUNIT_EXPECT_EQ(test, res.scsi_status, 0x18);
	KUNIT_EXPECT_EQ(test, res.sense_len, 0U);
	/* NVMe invalid field / opcode -> -EINVAL */
	pt.ret = -EINVAL;
	pt_run(&pt_ops, KHCL_PR_REGISTER, 0, 1, 2, 0, &res);
	pt_illegal(test, &res, 0x24);
	pt.ret = -EOPNOTSUPP;
	pt_run(&pt_ops, KHCL_PR_CLEAR, 0, 1, 0, 0, &res);
	pt_illegal(test, &res, 0x20);
	pt.ret = PR_STS_PATH_FAILED;
	pt_run(&pt_ops, KHCL_PR_CLEAR, 0, 1, 0, 0, &res);
	KUNIT_EXPECT_EQ(test, res.sense[2], 0x0b);	/* ABORTED: retry */
	pt.ret = PR_STS_IOERR;
	pt_run(&pt_ops, KHCL_PR_CLEAR, 0, 1, 0, 0, &res);
	KUNIT_EXPECT_EQ(test, res.sense[2], 0x04);	/* HARDWARE ERROR */
	/* a failed READ KEYS has no data */
	pt_run(&pt_ops, KHCL_PR_READ_KEYS, 0, 0, 0, 256, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 0U);
	KUNIT_EXPECT_EQ(test, res.sense[2], 0x04);
	KUNIT_EXPECT_EQ(test, sv_pr_status(-ENOMEM), KHCL_PR_RETRY);
	KUNIT_EXPECT_EQ(test, sv_pr_status(0), KHCL_PR_OK);
}

static void pr_in_answers(struct kunit *test)
{
	struct khcl_scsi_result res;

	memset(&pt, 0, sizeof(pt));
	pt.nkeys = 3;
	pt_run(&pt_ops, KHCL_PR_READ_KEYS, 0, 0, 0, 1024, &res);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
	KUNIT_EXPECT_EQ(test, res.data_len, 8U + 3 * 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(pt_data), 42U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(pt_data + 4), 24U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(pt_data + 8), 0x1000ull);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(pt_data + 24), 0x1002ull);
	/* 500 keys: 127 fit the answer, the length says 500 */
	pt.nkeys = 500;
	pt_run(&pt_ops, KHCL_PR_READ_KEYS, 0, 0, 0, 4096, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 8U + 127 * 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(pt_data + 4), 4000U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(pt_data + 8 + 126 * 8),
			0x1000ull + 126);
	/* the guest's allocation length cuts it */
	pt_run(&pt_ops, KHCL_PR_READ_KEYS, 0, 0, 0, 12, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 12U);
	/* READ RESERVATION: none, then write exclusive registrants only */
	pt_run(&pt_ops, KHCL_PR_READ_RESERVATION, 0, 0, 0, 256, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 8U);
	pt.rsv.key = 0xabcdull;
	pt.rsv.generation = 5;
	pt.rsv.type = PR_WRITE_EXCLUSIVE_REG_ONLY;
	pt_run(&pt_ops, KHCL_PR_READ_RESERVATION, 0, 0, 0, 256, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 24U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(pt_data), 5U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(pt_data + 8), 0xabcdull);
	KUNIT_EXPECT_EQ(test, pt_data[21], 0x05);	/* SCSI WE_RO */
}

/* A device with no such call; a device without reservations at all */
static void pr_missing(struct kunit *test)
{
	static const struct pr_ops partial = { .pr_register = pt_register };
	static const struct block_device_operations no_pr = { };
	static const struct block_device_operations some_pr = {
		.pr_ops = &partial,
	};
	static const struct block_device_operations all_pr = {
		.pr_ops = &pt_ops,
	};
	struct block_device *bdev;
	struct gendisk *disk;
	struct khcl_scsi_result res;

	memset(&pt, 0, sizeof(pt));
	pt_run(&partial, KHCL_PR_READ_KEYS, 0, 0, 0, 256, &res);
	pt_illegal(test, &res, 0x20);
	pt_run(&partial, KHCL_PR_PREEMPT, PR_WRITE_EXCLUSIVE, 1, 2, 0, &res);
	pt_illegal(test, &res, 0x20);
	KUNIT_EXPECT_EQ(test, pt.calls, 0);
	/* the probe: READ RESERVATION works or not; no pr_ops at all */
	bdev = kunit_kzalloc(test, sizeof(*bdev), GFP_KERNEL);
	disk = kunit_kzalloc(test, sizeof(*disk), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bdev);
	KUNIT_ASSERT_NOT_NULL(test, disk);
	bdev->bd_disk = disk;
	disk->fops = &no_pr;
	KUNIT_EXPECT_FALSE(test, sv_pr_probe(bdev));
	disk->fops = &some_pr;
	KUNIT_EXPECT_FALSE(test, sv_pr_probe(bdev));
	disk->fops = &all_pr;
	pt.ret = -EINVAL;	/* QEMU: Reservation Report is an invalid opcode */
	KUNIT_EXPECT_FALSE(test, sv_pr_probe(bdev));
	pt.ret = 0;
	KUNIT_EXPECT_TRUE(test, sv_pr_probe(bdev));
}

static struct kunit_case pt_cases[] = {
	KUNIT_CASE(pr_out_calls),
	KUNIT_CASE(pr_results),
	KUNIT_CASE(pr_in_answers),
	KUNIT_CASE(pr_missing),
	{}
};

static struct kunit_suite khcl_pr_suite = {
	.name = "khcl_pr",
	.test_cases = pt_cases,
};
kunit_test_suite(khcl_pr_suite);

MODULE_DESCRIPTION("KUnit: persistent reservations on pr_ops (nvme_xlat/pr.c)");
MODULE_LICENSE("GPL");
