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

static u8 st_data[600];
static u64 st_lun_map;		/* REPORT LUNS lists these */

static enum khcl_sbc_op st_do(const struct khcl_scsi_disk *d, const u8 *cdb,
			      u32 len, u32 xfer, struct khcl_sbc_io *io,
			      struct khcl_scsi_result *res)
{
	memset(st_data, 0, sizeof(st_data));
	return khcl_sbc_decode(d, cdb, len, st_lun_map, xfer, xfer, st_data,
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

/* An NVMe namespace as lun.c describes it: 4 KiB physical, NGUID, cache */
static const struct khcl_scsi_disk st_nvme = {
	.nblocks = 1u << 21, .block_shift = 9, .phys_shift = 12,
	.max_blocks = 1024, .opt_blocks = 256, .write_cache = true,
	.discard = true, .max_unmap_blocks = 1u << 20, .unmap_granularity = 8,
	.id = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10 },
	.id_len = 16, .serial = "0123_4567_89ab",
};

static u32 st_be16(const u8 *p)
{
	return (u32)p[0] << 8 | p[1];
}

static u32 st_be32(const u8 *p)
{
	return st_be16(p) << 16 | st_be16(p + 2);
}

static void spc_inquiry_vpd(struct kunit *test)
{
	/* scsi_probe_lun: 36 bytes; sd: VPD pages through scsi_get_vpd_page */
	u8 inq[6] = { 0x12, 0, 0, 0, 36, 0 };
	u8 vpd[6] = { 0x12, 1, 0, 0, 255, 0 };
	struct khcl_scsi_disk d = st_nvme;
	struct khcl_scsi_result res;
	struct khcl_sbc_io io;

	st_do(&d, inq, 6, 36, &io, &res);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
	KUNIT_EXPECT_EQ(test, res.data_len, 36U);
	KUNIT_EXPECT_EQ(test, st_data[0], 0);		/* disk, connected */
	KUNIT_EXPECT_EQ(test, st_data[2], 6);		/* SPC-4 */
	KUNIT_EXPECT_EQ(test, st_data[7], 0x02);	/* CMDQUE */
	KUNIT_EXPECT_EQ(test, memcmp(&st_data[8], "khcl    ", 8), 0);
	/* supported pages, what sd's scsi_attach_vpd looks for */
	st_do(&d, vpd, 6, 255, &io, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 10U);
	KUNIT_EXPECT_EQ(test, st_data[3], 6);
	KUNIT_EXPECT_EQ(test, st_data[6], 0x83);
	KUNIT_EXPECT_EQ(test, st_data[9], 0xb2);
	vpd[2] = 0x80;
	st_do(&d, vpd, 6, 255, &io, &res);
	KUNIT_EXPECT_EQ(test, st_data[1], 0x80);
	KUNIT_EXPECT_EQ(test, st_data[3], 14);
	KUNIT_EXPECT_EQ(test, memcmp(&st_data[4], "0123_4567_89ab", 14), 0);
	/* the NGUID as a 16-byte EUI-64 based designator, then T10 */
	vpd[2] = 0x83;
	st_do(&d, vpd, 6, 255, &io, &res);
	KUNIT_EXPECT_EQ(test, st_data[4], 0x01);
	KUNIT_EXPECT_EQ(test, st_data[5], 0x02);
	KUNIT_EXPECT_EQ(test, st_data[7], 16);
	KUNIT_EXPECT_EQ(test, memcmp(&st_data[8], d.id, 16), 0);
	KUNIT_EXPECT_EQ(test, st_data[24], 0x02);
	KUNIT_EXPECT_EQ(test, st_data[25], 0x01);
	KUNIT_EXPECT_EQ(test, st_data[27], 8 + 14);
	KUNIT_EXPECT_EQ(test, st_be16(st_data + 2), 4U + 16 + 4 + 22);
	KUNIT_EXPECT_EQ(test, res.data_len, 4U + 4 + 16 + 4 + 22);
	/* an EUI-64: 8 bytes; none at all: the T10 designator alone */
	d.id_len = 8;
	st_do(&d, vpd, 6, 255, &io, &res);
	KUNIT_EXPECT_EQ(test, st_data[7], 8);
	KUNIT_EXPECT_EQ(test, st_data[17], 0x01);
	d.id_len = 0;
	st_do(&d, vpd, 6, 255, &io, &res);
	KUNIT_EXPECT_EQ(test, st_data[5], 0x01);
	/* the allocation length cuts the page */
	vpd[4] = 4;
	st_do(&d, vpd, 6, 255, &io, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 4U);
	vpd[4] = 255;
	/* block limits: transfer, unmap, granularity 4 KiB / 512 */
	vpd[2] = 0xb0;
	st_do(&d, vpd, 6, 255, &io, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 64U);
	KUNIT_EXPECT_EQ(test, st_be16(st_data + 6), 8U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 8), 1024U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 12), 256U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 20), 1U << 20);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 24), 1U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 28), 8U);
	vpd[2] = 0xb1;
	st_do(&d, vpd, 6, 255, &io, &res);
	KUNIT_EXPECT_EQ(test, st_be16(st_data + 4), 1U);	/* SSD */
	vpd[2] = 0xb2;
	st_do(&d, vpd, 6, 255, &io, &res);
	KUNIT_EXPECT_EQ(test, st_data[5], 0xe0);
	d.discard = false;
	st_do(&d, vpd, 6, 255, &io, &res);
	KUNIT_EXPECT_EQ(test, st_data[5], 0);
	vpd[2] = 0xb0;
	st_do(&d, vpd, 6, 255, &io, &res);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 20), 0U);
	/* pages nobody has, CmdDt, a page code without EVPD */
	vpd[2] = 0x99;
	st_do(&d, vpd, 6, 255, &io, &res);
	st_illegal(test, &res, 0x24);
	vpd[1] = 0x02;
	vpd[2] = 0;
	st_do(&d, vpd, 6, 255, &io, &res);
	st_illegal(test, &res, 0x24);
	inq[2] = 0x80;
	st_do(&d, inq, 6, 36, &io, &res);
	st_illegal(test, &res, 0x24);
}

static void spc_mode_sense(struct kunit *test)
{
	/* sd_read_cache_type: MODE SENSE(6), caching page */
	u8 ms6[6] = { 0x1a, 0, 0x08, 0, 255, 0 };
	/* sd_do_mode_sense with use_10_for_ms, all pages, LLBAA */
	u8 ms10[10] = { 0x5a, 0x10, 0x3f, 0, 0, 0, 0, 1, 0, 0 };
	struct khcl_scsi_disk d = st_nvme;
	struct khcl_scsi_result res;
	struct khcl_sbc_io io;

	st_do(&d, ms6, 6, 255, &io, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 32U);	/* 4 + 8 + 20 */
	KUNIT_EXPECT_EQ(test, st_data[0], 31);
	KUNIT_EXPECT_EQ(test, st_data[2], 0x10);	/* DPOFUA, not WP */
	KUNIT_EXPECT_EQ(test, st_data[3], 8);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 4), 1U << 21);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 8), 512U);
	KUNIT_EXPECT_EQ(test, st_data[12], 0x08);
	KUNIT_EXPECT_EQ(test, st_data[14], 0x04);	/* WCE */
	d.write_cache = false;
	st_do(&d, ms6, 6, 255, &io, &res);
	KUNIT_EXPECT_EQ(test, st_data[14], 0);
	/* DBD: no block descriptor; changeable values: all zero */
	ms6[1] = 0x08;
	ms6[2] = 0x48;
	d.write_cache = true;
	st_do(&d, ms6, 6, 255, &io, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 24U);
	KUNIT_EXPECT_EQ(test, st_data[4], 0x08);
	KUNIT_EXPECT_EQ(test, st_data[6], 0);
	/* saved values: not supported; a page khcl has not */
	ms6[2] = 0xc8;
	st_do(&d, ms6, 6, 255, &io, &res);
	st_illegal(test, &res, 0x39);
	ms6[2] = 0x01;
	st_do(&d, ms6, 6, 255, &io, &res);
	st_illegal(test, &res, 0x24);
	ms6[2] = 0x08;
	ms6[3] = 0x01;		/* a subpage */
	st_do(&d, ms6, 6, 255, &io, &res);
	st_illegal(test, &res, 0x24);
	/* MODE SENSE(10), long LBA descriptor, caching + control */
	st_do(&d, ms10, 10, 256, &io, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 56U);	/* 8 + 16 + 20 + 12 */
	KUNIT_EXPECT_EQ(test, st_be16(st_data), 54U);
	KUNIT_EXPECT_EQ(test, st_data[4], 1);		/* LONGLBA */
	KUNIT_EXPECT_EQ(test, st_be16(st_data + 6), 16U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 12), 1U << 21);
	KUNIT_EXPECT_EQ(test, st_data[24], 0x08);
	KUNIT_EXPECT_EQ(test, st_data[44], 0x0a);
	/* the CDB's allocation length bounds it */
	ms10[8] = 10;
	ms10[7] = 0;
	st_do(&d, ms10, 10, 256, &io, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 10U);
}

static void spc_luns_sense(struct kunit *test)
{
	u8 rl[12] = { 0xa0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0 };
	u8 rs[6] = { 0x03, 0, 0, 0, 252, 0 };
	u8 ssu[6] = { 0x1b, 0, 0, 0, 0x01, 0 };
	u8 wbuf[10] = { 0x3b, 0 };
	struct khcl_scsi_result res;
	struct khcl_sbc_io io;
	u8 data[64];

	/* LUNs 0 and 3 */
	st_lun_map = 0x9;
	st_do(&st_nvme, rl, 12, 512, &io, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 24U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data), 16U);
	KUNIT_EXPECT_EQ(test, st_data[9], 0);
	KUNIT_EXPECT_EQ(test, st_data[17], 3);
	/* the same from an address with no LUN (storvsc scans LUN 0) */
	memset(data, 0, sizeof(data));
	khcl_scsi_no_lun(rl, 12, 1ull << 63, 64, data, sizeof(data), &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 16U);
	KUNIT_EXPECT_EQ(test, data[9], 63);
	/* well-known LUNs only: none; a SELECT REPORT khcl does not know */
	rl[2] = 1;
	st_do(&st_nvme, rl, 12, 512, &io, &res);
	KUNIT_EXPECT_EQ(test, st_be32(st_data), 0U);
	rl[2] = 3;
	st_do(&st_nvme, rl, 12, 512, &io, &res);
	st_illegal(test, &res, 0x24);
	rl[2] = 0;
	rl[9] = 15;
	rl[8] = 0;
	st_do(&st_nvme, rl, 12, 512, &io, &res);
	st_illegal(test, &res, 0x24);
	st_lun_map = 0;
	/* REQUEST SENSE: nothing pending (sense goes with each answer) */
	st_do(&st_nvme, rs, 6, 252, &io, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 18U);
	KUNIT_EXPECT_EQ(test, st_data[0], 0x70);
	KUNIT_EXPECT_EQ(test, st_data[2], 0);
	KUNIT_EXPECT_EQ(test, st_data[12], 0);
	rs[1] = 1;		/* descriptor format */
	st_do(&st_nvme, rs, 6, 252, &io, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 8U);
	KUNIT_EXPECT_EQ(test, st_data[0], 0x72);
	KUNIT_EXPECT_EQ(test, st_do(&st_nvme, ssu, 6, 0, &io, &res),
			KHCL_SBC_ANSWERED);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
	/* WRITE BUFFER: not a command khcl knows */
	st_do(&st_nvme, wbuf, 10, 0, &io, &res);
	st_illegal(test, &res, 0x20);
}

static void sbc_unmap_ws_verify(struct kunit *test)
{
	/* sd_setup_unmap_cmnd: UNMAP, 24-byte list, one descriptor */
	u8 unmap[10] = { 0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0 };
	u8 list[40] = { 0, 22, 0, 16, 0, 0, 0, 0,
			0, 0, 0, 0, 0, 0, 0x10, 0,	/* LBA 0x1000 */
			0, 0, 0x08, 0 };		/* 2048 blocks */
	/* WRITE SAME(16) UNMAP, 64 blocks at 0x2000; (10) with data */
	u8 ws16[16] = { 0x93, 0x08, 0, 0, 0, 0, 0, 0, 0x20, 0,
			0, 0, 0, 64, 0, 0 };
	u8 ws10[10] = { 0x41, 0, 0, 0, 0x30, 0, 0, 0, 16, 0 };
	u8 vfy10[10] = { 0x2f, 0, 0, 0, 0x30, 0, 0, 0, 16, 0 };
	struct khcl_scsi_disk d = st_nvme;
	struct khcl_scsi_result res;
	struct khcl_sbc_io io;
	u8 blk[512];

	KUNIT_EXPECT_EQ(test, st_do(&d, unmap, 10, 24, &io, &res),
			KHCL_SBC_UNMAP);
	KUNIT_EXPECT_EQ(test, io.param_len, 24U);
	KUNIT_EXPECT_EQ(test, khcl_sbc_unmap(&d, list, 24, 24, &io, &res),
			KHCL_SBC_DISCARD);
	KUNIT_EXPECT_EQ(test, io.lba, 0x1000ULL);
	KUNIT_EXPECT_EQ(test, io.nblocks, 2048U);
	/* a list longer than the SRB; ANCHOR; no provisioning */
	KUNIT_EXPECT_EQ(test, st_do(&d, unmap, 10, 16, &io, &res),
			KHCL_SBC_ANSWERED);
	st_illegal(test, &res, 0x24);
	unmap[1] = 1;
	st_do(&d, unmap, 10, 24, &io, &res);
	st_illegal(test, &res, 0x24);
	unmap[1] = 0;
	d.discard = false;
	st_do(&d, unmap, 10, 24, &io, &res);
	st_illegal(test, &res, 0x24);
	d.discard = true;
	/* lists: empty, short, a partial descriptor, two, past the end */
	KUNIT_EXPECT_EQ(test, khcl_sbc_unmap(&d, list, 0, 0, &io, &res),
			KHCL_SBC_ANSWERED);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
	khcl_sbc_unmap(&d, list, 6, 6, &io, &res);
	st_illegal(test, &res, 0x1a);
	list[3] = 12;
	khcl_sbc_unmap(&d, list, 24, 24, &io, &res);
	st_illegal(test, &res, 0x26);
	list[3] = 32;
	khcl_sbc_unmap(&d, list, 40, 40, &io, &res);
	st_illegal(test, &res, 0x26);
	list[3] = 16;
	khcl_sbc_unmap(&d, list, 24, 20, &io, &res);	/* list < 8 + 16 */
	st_illegal(test, &res, 0x26);
	list[8] = 0xff;				/* LBA 2^63 + ... */
	khcl_sbc_unmap(&d, list, 24, 24, &io, &res);
	st_illegal(test, &res, 0x21);
	list[8] = 0;
	list[16] = 0xff;			/* 4G blocks */
	khcl_sbc_unmap(&d, list, 24, 24, &io, &res);
	st_illegal(test, &res, 0x21);
	list[16] = 0;
	d.max_unmap_blocks = 1024;		/* over the announced max */
	khcl_sbc_unmap(&d, list, 24, 24, &io, &res);
	st_illegal(test, &res, 0x26);
	d.max_unmap_blocks = st_nvme.max_unmap_blocks;

	/* WRITE SAME: UNMAP -> one discard, whatever the block */
	KUNIT_EXPECT_EQ(test, st_do(&d, ws16, 16, 512, &io, &res),
			KHCL_SBC_WRITE_SAME);
	KUNIT_EXPECT_EQ(test, io.nblocks, 64U);
	memset(blk, 0xab, sizeof(blk));
	KUNIT_EXPECT_EQ(test, khcl_sbc_write_same(&d, blk, &io),
			KHCL_SBC_DISCARD);
	/* zero data -> write zeroes; other data -> the pattern */
	KUNIT_EXPECT_EQ(test, st_do(&d, ws10, 10, 512, &io, &res),
			KHCL_SBC_WRITE_SAME);
	KUNIT_EXPECT_EQ(test, io.lba, 0x30000000ULL >> 16);
	KUNIT_EXPECT_EQ(test, khcl_sbc_write_same(&d, blk, &io),
			KHCL_SBC_WRITE_PATTERN);
	memset(blk, 0, sizeof(blk));
	KUNIT_EXPECT_EQ(test, khcl_sbc_write_same(&d, blk, &io),
			KHCL_SBC_WRITE_ZEROES);
	blk[511] = 1;
	KUNIT_EXPECT_EQ(test, khcl_sbc_write_same(&d, blk, &io),
			KHCL_SBC_WRITE_PATTERN);
	/* NDOB: no data-out buffer, zeroes */
	ws16[1] = 0x01;
	KUNIT_EXPECT_EQ(test, st_do(&d, ws16, 16, 0, &io, &res),
			KHCL_SBC_WRITE_SAME);
	KUNIT_EXPECT_TRUE(test, io.ndob);
	KUNIT_EXPECT_EQ(test, khcl_sbc_write_same(&d, NULL, &io),
			KHCL_SBC_WRITE_ZEROES);
	/* NDOB with a buffer; a block of the wrong size; 0 blocks (WSNZ) */
	st_do(&d, ws16, 16, 512, &io, &res);
	st_illegal(test, &res, 0x24);
	st_do(&d, ws10, 10, 4096, &io, &res);
	st_illegal(test, &res, 0x24);
	ws10[8] = 0;
	st_do(&d, ws10, 10, 512, &io, &res);
	st_illegal(test, &res, 0x24);
	/* over KHCL_SBC_WS_MAX; past the end; UNMAP, no provisioning */
	ws16[1] = 0x08;
	ws16[11] = 0x01;
	ws16[12] = 0x00;
	ws16[13] = 0x01;
	st_do(&d, ws16, 16, 512, &io, &res);
	st_illegal(test, &res, 0x24);
	ws16[11] = 0;
	ws16[12] = 0;
	ws16[2] = 0x01;
	st_do(&d, ws16, 16, 512, &io, &res);
	st_illegal(test, &res, 0x21);
	ws16[2] = 0;
	d.discard = false;
	st_do(&d, ws16, 16, 512, &io, &res);
	st_illegal(test, &res, 0x24);
	d.discard = true;

	/* VERIFY: BYTCHK 0 checks the range */
	st_do(&d, vfy10, 10, 0, &io, &res);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
	vfy10[2] = 0x01;
	st_do(&d, vfy10, 10, 0, &io, &res);
	st_illegal(test, &res, 0x21);
	vfy10[2] = 0;
	/* BYTCHK 01: the 16 blocks sent, compared; the SRB must carry them */
	vfy10[1] = 0x02;
	KUNIT_EXPECT_EQ(test, st_do(&d, vfy10, 10, 16 * 512, &io, &res),
			KHCL_SBC_VERIFY);
	KUNIT_EXPECT_EQ(test, io.lba, 0x3000ull);
	KUNIT_EXPECT_EQ(test, io.nblocks, 16U);
	KUNIT_EXPECT_FALSE(test, io.same);
	st_do(&d, vfy10, 10, 0, &io, &res);
	st_illegal(test, &res, 0x24);
	/* BYTCHK 11: one block for all 16; 10 is reserved */
	vfy10[1] = 0x06;
	KUNIT_EXPECT_EQ(test, st_do(&d, vfy10, 10, 512, &io, &res),
			KHCL_SBC_VERIFY);
	KUNIT_EXPECT_TRUE(test, io.same);
	vfy10[1] = 0x04;
	st_do(&d, vfy10, 10, 512, &io, &res);
	st_illegal(test, &res, 0x24);
	/* more than one command may carry */
	vfy10[1] = 0x06;
	vfy10[7] = 0x10;
	st_do(&d, vfy10, 10, 512, &io, &res);
	st_illegal(test, &res, 0x24);
}

/*
 * PERSISTENT RESERVE IN/OUT as sg_persist and sd's pr_ops build them: a
 * device without reservations, each service action decoded into what
 * pr_ops can do, the 24-byte parameter list, the answers built from what
 * the device said (cut by the allocation length).
 */
static void spc_persistent_reserve(struct kunit *test)
{
	u8 in[10] = { 0x5e, 0x00, 0, 0, 0, 0, 0, 0x01, 0x00, 0 };
	u8 out[10] = { 0x5f, 0x00, 0, 0, 0, 0, 0, 0, 24, 0 };
	u8 param[24] = { 0, 0, 0, 0, 0, 0, 0x12, 0x34,
			 0xaa, 0xbb, 0, 0, 0, 0, 0, 0x01 };
	u64 keys[3] = { 0x1122334455667788ull, 2, 3 };
	struct khcl_scsi_disk d = st_nvme;
	struct khcl_scsi_result res;
	struct khcl_sbc_io io;

	/* QEMU's NVMe: no reservations, the opcode is not there */
	KUNIT_EXPECT_EQ(test, st_do(&d, in, 10, 256, &io, &res),
			KHCL_SBC_ANSWERED);
	st_illegal(test, &res, 0x20);
	KUNIT_EXPECT_EQ(test, st_do(&d, out, 10, 24, &io, &res),
			KHCL_SBC_ANSWERED);
	st_illegal(test, &res, 0x20);
	d.pr = true;
	/* READ KEYS for the device, the smaller of CDB and SRB allocation */
	KUNIT_EXPECT_EQ(test, st_do(&d, in, 10, 200, &io, &res), KHCL_SBC_PR);
	KUNIT_EXPECT_EQ(test, io.pr.action, KHCL_PR_READ_KEYS);
	KUNIT_EXPECT_EQ(test, io.pr.alloc, 200U);
	in[1] = 0x01;
	KUNIT_EXPECT_EQ(test, st_do(&d, in, 10, 512, &io, &res), KHCL_SBC_PR);
	KUNIT_EXPECT_EQ(test, io.pr.action, KHCL_PR_READ_RESERVATION);
	KUNIT_EXPECT_EQ(test, io.pr.alloc, 256U);
	/* REPORT CAPABILITIES: answered here, all six types, PTPL */
	in[1] = 0x02;
	KUNIT_EXPECT_EQ(test, st_do(&d, in, 10, 8, &io, &res),
			KHCL_SBC_ANSWERED);
	KUNIT_EXPECT_EQ(test, res.data_len, 8U);
	KUNIT_EXPECT_EQ(test, st_be16(st_data), 8U);
	KUNIT_EXPECT_EQ(test, st_data[3], 0x81);
	KUNIT_EXPECT_EQ(test, st_be16(st_data + 4), 0xea01U);
	/* READ FULL STATUS: pr_ops cannot */
	in[1] = 0x03;
	st_do(&d, in, 10, 256, &io, &res);
	st_illegal(test, &res, 0x24);

	/* REGISTER: the parameter list to fetch, then the keys */
	KUNIT_EXPECT_EQ(test, st_do(&d, out, 10, 24, &io, &res),
			KHCL_SBC_PR_OUT);
	KUNIT_EXPECT_EQ(test, io.param_len, 24U);
	KUNIT_EXPECT_EQ(test, khcl_spc_pr_out(param, 24, &io, &res),
			KHCL_SBC_PR);
	KUNIT_EXPECT_EQ(test, io.pr.action, KHCL_PR_REGISTER);
	KUNIT_EXPECT_EQ(test, io.pr.key, 0x1234ull);
	KUNIT_EXPECT_EQ(test, io.pr.sa_key, 0xaabb000000000001ull);
	/* SPEC_I_PT, ALL_TG_PT: other ports, there are none */
	param[20] = 0x04;
	KUNIT_EXPECT_EQ(test, khcl_spc_pr_out(param, 24, &io, &res),
			KHCL_SBC_ANSWERED);
	st_illegal(test, &res, 0x26);
	param[20] = 0x01;	/* APTPL, as sd's pr_register sends it */
	KUNIT_EXPECT_EQ(test, khcl_spc_pr_out(param, 24, &io, &res),
			KHCL_SBC_PR);
	/* RESERVE exclusive access (SCSI 3) is the block layer's 2 */
	out[1] = 0x01;
	out[2] = 0x03;
	KUNIT_EXPECT_EQ(test, st_do(&d, out, 10, 24, &io, &res),
			KHCL_SBC_PR_OUT);
	KUNIT_EXPECT_EQ(test, io.pr.action, KHCL_PR_RESERVE);
	KUNIT_EXPECT_EQ(test, io.pr.type, 2);
	/* PREEMPT AND ABORT, exclusive access all registrants: 6 */
	out[1] = 0x05;
	out[2] = 0x08;
	st_do(&d, out, 10, 24, &io, &res);
	KUNIT_EXPECT_EQ(test, io.pr.action, KHCL_PR_PREEMPT_ABORT);
	KUNIT_EXPECT_EQ(test, io.pr.type, 6);
	/* no such type; a scope other than the logical unit */
	out[2] = 0x02;
	st_do(&d, out, 10, 24, &io, &res);
	st_illegal(test, &res, 0x24);
	out[2] = 0x11;
	st_do(&d, out, 10, 24, &io, &res);
	st_illegal(test, &res, 0x24);
	/* REGISTER AND MOVE: not in pr_ops */
	out[1] = 0x07;
	out[2] = 0x01;
	st_do(&d, out, 10, 24, &io, &res);
	st_illegal(test, &res, 0x24);
	/* a list of another length; one longer than the SRB's buffer */
	out[1] = 0x00;
	out[8] = 32;
	st_do(&d, out, 10, 32, &io, &res);
	st_illegal(test, &res, 0x1a);
	out[8] = 24;
	st_do(&d, out, 10, 16, &io, &res);
	st_illegal(test, &res, 0x24);

	/* READ KEYS' answer: 3 of the device's 5 keys, cut at 20 bytes */
	memset(st_data, 0, sizeof(st_data));
	khcl_spc_pr_keys(7, keys, 3, 5, 20, st_data, 512, &res);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
	KUNIT_EXPECT_EQ(test, res.data_len, 20U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data), 7U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 4), 40U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 8), 0x11223344U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 12), 0x55667788U);
	/* ... and whole: the three keys; a buffer that holds two */
	khcl_spc_pr_keys(7, keys, 3, 3, 256, st_data, 512, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 32U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 28), 3U);
	khcl_spc_pr_keys(7, keys, 3, 3, 256, st_data, 24, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 24U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 4), 24U);
	/* READ RESERVATION: none held; exclusive access held by a key */
	khcl_spc_pr_reservation(9, 0, 0, 256, st_data, 512, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 8U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 4), 0U);
	khcl_spc_pr_reservation(9, 0x1234, 2, 256, st_data, 512, &res);
	KUNIT_EXPECT_EQ(test, res.data_len, 24U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 4), 16U);
	KUNIT_EXPECT_EQ(test, st_be32(st_data + 12), 0x1234U);
	KUNIT_EXPECT_EQ(test, st_data[21], 0x03);
	/* the device's verdicts */
	khcl_spc_pr_status(KHCL_PR_CONFLICT, &res);
	KUNIT_EXPECT_EQ(test, res.scsi_status, 0x18);
	KUNIT_EXPECT_EQ(test, res.sense_len, 0U);
	khcl_spc_pr_status(KHCL_PR_UNSUPPORTED, &res);
	st_illegal(test, &res, 0x20);
	khcl_spc_pr_status(KHCL_PR_RETRY, &res);
	KUNIT_EXPECT_EQ(test, res.sense[2], 0x0b);
	khcl_spc_pr_status(KHCL_PR_OK, &res);
	KUNIT_EXPECT_EQ(test, res.srb_status, KHCL_SRB_SUCCESS);
}

static struct kunit_case st_cases[] = {
	KUNIT_CASE(sbc_read_write),
	KUNIT_CASE(sbc_hostile_ranges),
	KUNIT_CASE(sbc_capacity_sync),
	KUNIT_CASE(spc_inquiry_vpd),
	KUNIT_CASE(spc_mode_sense),
	KUNIT_CASE(spc_luns_sense),
	KUNIT_CASE(sbc_unmap_ws_verify),
	KUNIT_CASE(spc_persistent_reserve),
	{}
};

static struct kunit_suite khcl_scsi_suite = {
	.name = "khcl_scsi",
	.test_cases = st_cases,
};
kunit_test_suite(khcl_scsi_suite);

MODULE_DESCRIPTION("KUnit: the SCSI target core (SBC, SPC, persistent reservations)");
MODULE_LICENSE("GPL");
