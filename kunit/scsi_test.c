// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of nvme_xlat/sbc.c (SBC block commands of the SCSI target core):
 * CDBs as Linux's sd builds them and as a hostile guest would (LBA +
 * length overflowing 64 bits, ranges past the end, transfer lengths that
 * disagree with the SRB, opcodes nobody knows). Runs as KUnit and in user
 * space.
 */
#ifdef __KERNEL__
#include <kunit/test.h>
#else
#include "userspace/kunit_shim.h"
#endif
#include "../nvme_xlat/scsi.h"
#include "../nvme_xlat/vstor_wire.h"

/* 1 GiB of 512-byte blocks, 512 KiB per command at most, discards */
static const struct khcl_scsi_disk st_disk = {
	.nblocks = 1u << 21, .block_shift = 9, .max_blocks = 1024,
	.discard = true,
};

static u8 st_data[64];

static enum khcl_sbc_op st_do(const struct khcl_scsi_disk *d, const u8 *cdb,
			      u32 len, u32 xfer, struct khcl_sbc_io *io,
			      struct khcl_scsi_result *res)
{
	memset(st_data, 0, sizeof(st_data));
	return khcl_sbc_decode(d, cdb, len, xfer, xfer, st_data,
			       sizeof(st_data), io, res);
}

/* CHECK CONDITION, ILLEGAL REQUEST with @asc */
static void st_illegal(struct kunit *test, const struct khcl_scsi_result *r,
		       u8 asc)
{
	KUNIT_EXPECT_EQ(test, r->srb_status, KHCL_SRB_ERROR);
	KUNIT_EXPECT_EQ(test, r->scsi_status, 0x02);
	KUNIT_EXPECT_EQ(test, r->sense_len, (u32)KHCL_SCSI_SENSE_LEN);
	KUNIT_EXPECT_EQ(test, r->sense[2], 0x05);
	KUNIT_EXPECT_EQ(test, r->sense[12], asc);
	KUNIT_EXPECT_EQ(test, r->data_len, 0U);
}

static void sbc_read_write(struct kunit *test)
{
	/* sd_setup_rw10_cmnd: READ(10) lba 0x1234, 8 blocks */
	u8 r10[10] = { 0x28, 0, 0, 0, 0x12, 0x34, 0, 0, 8, 0 };
	/* WRITE(16) with FUA, lba 2^21 - 4, 4 blocks: the last ones */
	u8 w16[16] = { 0x8a, 0x08, 0, 0, 0, 0, 0, 0x1f, 0xff, 0xfc,
		       0, 0, 0, 4, 0, 0 };
	u8 w12[12] = { 0xaa, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0 };
	/* READ(6): transfer length 0 is 256 blocks */
	u8 r6[6] = { 0x08, 0x01, 0x00, 0x10, 0, 0 };
	struct khcl_scsi_result res;
	struct khcl_sbc_io io;

	KUNIT_EXPECT_EQ(test, st_do(&st_disk, r10, 10, 8 * 512, &io, &res),
			KHCL_SBC_READ);
	KUNIT_EXPECT_EQ(test, io.lba, 0x1234ull);
	KUNIT_EXPECT_EQ(test, io.nblocks, 8U);
	KUNIT_EXPECT_FALSE(test, io.fua);
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, w16, 16, 4 * 512, &io, &res),
			KHCL_SBC_WRITE);
	KUNIT_EXPECT_EQ(test, io.lba, (1ull << 21) - 4);
	KUNIT_EXPECT_TRUE(test, io.fua);
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, w12, 12, 2 * 512, &io, &res),
			KHCL_SBC_WRITE);
	KUNIT_EXPECT_EQ(test, io.lba, 1ull);
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, r6, 6, 256 * 512, &io, &res),
			KHCL_SBC_READ);
	KUNIT_EXPECT_EQ(test, io.lba, 0x10010ull);
	KUNIT_EXPECT_EQ(test, io.nblocks, 256U);
	/* zero blocks of READ(10): GOOD, nothing submitted */
	r10[8] = 0;
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, r10, 10, 0, &io, &res),
			KHCL_SBC_ANSWERED);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
	KUNIT_EXPECT_EQ(test, res.scsi_status, 0);
}

/* HOSTILE.md: ranges checked before anything is submitted */
static void sbc_hostile_ranges(struct kunit *test)
{
	u8 r16[16] = { 0x88, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		       0, 0, 0, 2, 0, 0 };
	u8 r10[10] = { 0x28, 0, 0, 0x20, 0, 0, 0, 0, 1, 0 };
	struct khcl_scsi_result res;
	struct khcl_sbc_io io;

	/* LBA 2^64 - 1 + 2 blocks wraps: refused, not wrapped */
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, r16, 16, 1024, &io, &res),
			KHCL_SBC_ANSWERED);
	st_illegal(test, &res, 0x21);
	KUNIT_EXPECT_EQ(test, io.nblocks, 0U);
	/* one past the end */
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, r10, 10, 512, &io, &res),
			KHCL_SBC_ANSWERED);
	st_illegal(test, &res, 0x21);
	/* the SRB moves other bytes than the CDB's blocks */
	r10[3] = 0;
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, r10, 10, 4096, &io, &res),
			KHCL_SBC_ANSWERED);
	st_illegal(test, &res, 0x24);
	/* more than the announced maximum */
	r10[7] = 0x04;
	r10[8] = 0x01;		/* 1025 blocks */
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, r10, 10, 1025 * 512, &io, &res),
			KHCL_SBC_ANSWERED);
	st_illegal(test, &res, 0x24);
	/* a CDB shorter than its opcode's, an opcode nobody knows */
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, r16, 10, 1024, &io, &res),
			KHCL_SBC_ANSWERED);
	st_illegal(test, &res, 0x20);
	r10[0] = 0xd0;
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, r10, 10, 0, &io, &res),
			KHCL_SBC_ANSWERED);
	st_illegal(test, &res, 0x20);
	r10[0] = 0x7f;		/* variable length: not ours */
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, r10, 10, 0, &io, &res),
			KHCL_SBC_ANSWERED);
	st_illegal(test, &res, 0x20);
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, r10, 0, 0, &io, &res),
			KHCL_SBC_ANSWERED);
}

static void sbc_capacity_sync(struct kunit *test)
{
	u8 rc10[10] = { 0x25 };
	u8 rc16[16] = { 0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32 };
	u8 sc10[10] = { 0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	u8 tur[6] = { 0 };
	struct khcl_scsi_disk big = st_disk;
	struct khcl_scsi_result res;
	struct khcl_sbc_io io;

	KUNIT_EXPECT_EQ(test, st_do(&st_disk, rc10, 10, 8, &io, &res),
			KHCL_SBC_ANSWERED);
	KUNIT_EXPECT_EQ(test, res.data_len, 8U);
	/* last LBA 2^21 - 1, 512-byte blocks */
	KUNIT_EXPECT_EQ(test, st_data[1], 0x1f);
	KUNIT_EXPECT_EQ(test, st_data[3], 0xff);
	KUNIT_EXPECT_EQ(test, st_data[6], 0x02);
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, rc16, 16, 32, &io, &res),
			KHCL_SBC_ANSWERED);
	KUNIT_EXPECT_EQ(test, res.data_len, 32U);
	KUNIT_EXPECT_EQ(test, st_data[5], 0x1f);
	KUNIT_EXPECT_EQ(test, st_data[14], 0x80);	/* LBPME */
	/* the allocation length of the CDB bounds the answer */
	rc16[13] = 12;
	st_do(&st_disk, rc16, 16, 32, &io, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 12U);
	/* 2^33 blocks of 4 KiB: READ CAPACITY(10) says "use 16" */
	big.nblocks = 1ull << 33;
	big.block_shift = 12;
	big.discard = false;
	st_do(&big, rc10, 10, 8, &io, &res);
	KUNIT_EXPECT_EQ(test, st_data[0], 0xff);
	KUNIT_EXPECT_EQ(test, st_data[3], 0xff);
	KUNIT_EXPECT_EQ(test, st_data[6], 0x10);
	rc16[13] = 32;
	st_do(&big, rc16, 16, 32, &io, &res);
	KUNIT_EXPECT_EQ(test, st_data[3], 0x01);
	KUNIT_EXPECT_EQ(test, st_data[7], 0xff);
	KUNIT_EXPECT_EQ(test, st_data[14], 0);
	/* another SERVICE ACTION IN(16) */
	rc16[1] = 0x12;
	st_do(&st_disk, rc16, 16, 32, &io, &res);
	st_illegal(test, &res, 0x24);
	/* SYNCHRONIZE CACHE(10) of the whole device: a flush */
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, sc10, 10, 0, &io, &res),
			KHCL_SBC_FLUSH);
	sc10[2] = 0x10;		/* a range past the end */
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, sc10, 10, 0, &io, &res),
			KHCL_SBC_ANSWERED);
	st_illegal(test, &res, 0x21);
	KUNIT_EXPECT_EQ(test, st_do(&st_disk, tur, 6, 0, &io, &res),
			KHCL_SBC_ANSWERED);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
}

static struct kunit_case st_cases[] = {
	KUNIT_CASE(sbc_read_write),
	KUNIT_CASE(sbc_hostile_ranges),
	KUNIT_CASE(sbc_capacity_sync),
	{}
};

static struct kunit_suite khcl_scsi_suite = {
	.name = "khcl_scsi",
	.test_cases = st_cases,
};
kunit_test_suite(khcl_scsi_suite);

MODULE_DESCRIPTION("KUnit: the SCSI target's SBC core");
MODULE_LICENSE("GPL");
