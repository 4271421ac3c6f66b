// SPDX-License-Identifier: GPL-2.0
/*
 * SCSI target core, SBC-3 block commands: the CDB decoded into an I/O on
 * the LUN's device, every LBA range checked (64-bit, overflow-safe) before
 * anything is submitted; READ CAPACITY and TEST UNIT READY answered here.
 * See scsi.h: READ/WRITE 6/10/12/16 (FUA), SYNCHRONIZE CACHE 10/16,
 * READ CAPACITY 10/16, TEST UNIT READY, UNMAP, WRITE SAME 10/16 (UNMAP,
 * NDOB), VERIFY 10/16 (BYTCHK 0, 1, 3); what is not a block command goes to
 * spc.c.
 */
#include "scsi.h"
#include "vstor_wire.h"

#define SBC_TEST_UNIT_READY	0x00
#define SBC_READ_6		0x08
#define SBC_WRITE_6		0x0a
#define SBC_READ_CAPACITY_10	0x25
#define SBC_READ_10		0x28
#define SBC_WRITE_10		0x2a
#define SBC_SYNC_CACHE_10	0x35
#define SBC_READ_16		0x88
#define SBC_WRITE_16		0x8a
#define SBC_SYNC_CACHE_16	0x91
#define SBC_SERVICE_ACTION_IN_16 0x9e
#define SBC_SAI_READ_CAPACITY_16 0x10
#define SBC_READ_12		0xa8
#define SBC_WRITE_12		0xaa
#define SBC_VERIFY_10		0x2f
#define SBC_WRITE_SAME_10	0x41
#define SBC_UNMAP		0x42
#define SBC_VERIFY_16		0x8f
#define SBC_WRITE_SAME_16	0x93
#define SBC_PR_IN		0x5e	/* SPC: spc_pr.c */
#define SBC_PR_OUT		0x5f

#define SBC_FUA			0x08	/* byte 1 of READ/WRITE 10/12/16 */

/* The CDB's length for its group (opcode bits 7-5), 0 if unknown. */
static u32 sbc_cdb_len(u8 op)
{
	static const u8 len[8] = { 6, 10, 10, 0, 16, 12, 0, 0 };

	return len[op >> 5];
}

/* Is [lba, lba + n) inside the device? */
static bool sbc_in_range(const struct khcl_scsi_disk *d, u64 lba, u64 n)
{
	return lba <= d->nblocks && n <= d->nblocks - lba;
}

/* A READ or WRITE: inside the device, exactly the SRB's bytes. */
static enum khcl_sbc_op sbc_rw(const struct khcl_scsi_disk *d, bool write,
			       u64 lba, u32 nblocks, bool fua, u32 xfer,
			       struct khcl_sbc_io *io,
			       struct khcl_scsi_result *res)
{
	if (!sbc_in_range(d, lba, nblocks)) {
		khcl_scsi_check(res, KHCL_SENSE_LBA_OUT_OF_RANGE);
		return KHCL_SBC_ANSWERED;
	}
	if ((u64)nblocks << d->block_shift != xfer ||
	    (d->max_blocks && nblocks > d->max_blocks)) {
		khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
		return KHCL_SBC_ANSWERED;
	}
	if (!nblocks) {		/* nothing to move: GOOD */
		khcl_scsi_good(res);
		return KHCL_SBC_ANSWERED;
	}
	io->lba = lba;
	io->nblocks = nblocks;
	io->fua = fua;
	return write ? KHCL_SBC_WRITE : KHCL_SBC_READ;
}

/* WRITE SAME 10/16: checked; the block comes next (KHCL_SBC_WRITE_SAME). */
static enum khcl_sbc_op sbc_write_same(const struct khcl_scsi_disk *d,
				       const u8 *cdb, u32 xfer,
				       struct khcl_sbc_io *io,
				       struct khcl_scsi_result *res)
{
	bool sixteen = cdb[0] == SBC_WRITE_SAME_16;

	io->lba = sixteen ? scsi_be64(cdb + 2) : scsi_be32(cdb + 2);
	io->nblocks = sixteen ? scsi_be32(cdb + 10) : scsi_be16(cdb + 7);
	io->unmap = cdb[1] & 0x08;
	io->ndob = sixteen && (cdb[1] & 0x01);
	/* ANCHOR; a length of 0 (WSNZ); UNMAP without provisioning */
	if (cdb[1] & 0x10 || !io->nblocks || io->nblocks > KHCL_SBC_WS_MAX ||
	    (io->unmap && !d->discard) ||
	    xfer != (io->ndob ? 0 : 1u << d->block_shift)) {
		khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
		return KHCL_SBC_ANSWERED;
	}
	if (!sbc_in_range(d, io->lba, io->nblocks)) {
		khcl_scsi_check(res, KHCL_SENSE_LBA_OUT_OF_RANGE);
		return KHCL_SBC_ANSWERED;
	}
	return KHCL_SBC_WRITE_SAME;
}

enum khcl_sbc_op khcl_sbc_write_same(const struct khcl_scsi_disk *d,
				     const u8 *blk, struct khcl_sbc_io *io)
{
	u32 i;

	if (io->unmap)
		return KHCL_SBC_DISCARD;
	for (i = 0; blk && i < 1u << d->block_shift; i++)
		if (blk[i])
			return KHCL_SBC_WRITE_PATTERN;
	return KHCL_SBC_WRITE_ZEROES;
}

enum khcl_sbc_op khcl_sbc_unmap(const struct khcl_scsi_disk *d, const u8 *p,
				u32 len, u32 param_len, struct khcl_sbc_io *io,
				struct khcl_scsi_result *res)
{
	u32 desc_len;

	memset(io, 0, sizeof(*io));
	if (!param_len) {		/* nothing to unmap */
		khcl_scsi_good(res);
		return KHCL_SBC_ANSWERED;
	}
	if (param_len < 8 || len < 8) {
		khcl_scsi_check(res, KHCL_SENSE_PARAM_LIST_LENGTH);
		return KHCL_SBC_ANSWERED;
	}
	desc_len = scsi_be16(p + 2);
	/* whole descriptors, inside the list, at most the announced count */
	if (desc_len % 16 || desc_len > param_len - 8 ||
	    desc_len > 16 * KHCL_SBC_UNMAP_DESCS || 8 + desc_len > len) {
		khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_PARAM);
		return KHCL_SBC_ANSWERED;
	}
	if (!desc_len) {
		khcl_scsi_good(res);
		return KHCL_SBC_ANSWERED;
	}
	io->lba = scsi_be64(p + 8);
	io->nblocks = scsi_be32(p + 16);
	if (!sbc_in_range(d, io->lba, io->nblocks)) {
		khcl_scsi_check(res, KHCL_SENSE_LBA_OUT_OF_RANGE);
		return KHCL_SBC_ANSWERED;
	}
	if (io->nblocks > d->max_unmap_blocks) {
		khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_PARAM);
		return KHCL_SBC_ANSWERED;
	}
	if (!io->nblocks) {
		khcl_scsi_good(res);
		return KHCL_SBC_ANSWERED;
	}
	return KHCL_SBC_DISCARD;
}

/*
 * VERIFY 10/16. BYTCHK 00: the range is checked, the medium is the
 * device's business; 01: the Data-Out buffer (the blocks) is compared
 * with the medium; 11: each block of the range with the one block sent.
 * Both compare as KHCL_SBC_VERIFY (read, then compare), at most
 * max_blocks.
 */
static enum khcl_sbc_op sbc_verify(const struct khcl_scsi_disk *d,
				   const u8 *cdb, u32 xfer,
				   struct khcl_sbc_io *io,
				   struct khcl_scsi_result *res)
{
	bool sixteen = cdb[0] == SBC_VERIFY_16;
	u32 bytchk = (cdb[1] >> 1) & 3, want;

	io->lba = sixteen ? scsi_be64(cdb + 2) : scsi_be32(cdb + 2);
	io->nblocks = sixteen ? scsi_be32(cdb + 10) : scsi_be16(cdb + 7);
	if (bytchk == 2) {
		khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
		return KHCL_SBC_ANSWERED;
	}
	if (!sbc_in_range(d, io->lba, io->nblocks)) {
		khcl_scsi_check(res, KHCL_SENSE_LBA_OUT_OF_RANGE);
		return KHCL_SBC_ANSWERED;
	}
	if (!bytchk || !io->nblocks) {	/* nothing to compare */
		khcl_scsi_good(res);
		return KHCL_SBC_ANSWERED;
	}
	io->same = bytchk == 3;
	want = (io->same ? 1 : io->nblocks) << d->block_shift;
	if ((d->max_blocks && io->nblocks > d->max_blocks) ||
	    (!io->same && io->nblocks > (0xffffffffu >> d->block_shift)) ||
	    xfer != want) {
		khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
		return KHCL_SBC_ANSWERED;
	}
	return KHCL_SBC_VERIFY;
}

enum khcl_sbc_op khcl_sbc_decode(const struct khcl_scsi_disk *d,
				 const u8 *cdb, u32 cdb_len, u64 lun_map,
				 u32 xfer, u32 alloc, u8 *data, u32 data_max,
				 struct khcl_sbc_io *io,
				 struct khcl_scsi_result *res)
{
	u8 buf[32];
	u32 n;

	memset(res, 0, sizeof(*res));
	memset(io, 0, sizeof(*io));
	if (!cdb_len || cdb_len < sbc_cdb_len(cdb[0]) || !sbc_cdb_len(cdb[0])) {
		khcl_scsi_check(res, KHCL_SENSE_INVALID_OPCODE);
		return KHCL_SBC_ANSWERED;
	}
	switch (cdb[0]) {
	case SBC_TEST_UNIT_READY:
		khcl_scsi_good(res);
		return KHCL_SBC_ANSWERED;
	case SBC_READ_6:
	case SBC_WRITE_6:
		/* 21-bit LBA; a transfer length of 0 means 256 blocks */
		n = cdb[4] ? cdb[4] : 256;
		return sbc_rw(d, cdb[0] == SBC_WRITE_6,
			      (u32)(cdb[1] & 0x1f) << 16 | scsi_be16(cdb + 2), n,
			      false, xfer, io, res);
	case SBC_READ_10:
	case SBC_WRITE_10:
		return sbc_rw(d, cdb[0] == SBC_WRITE_10, scsi_be32(cdb + 2),
			      scsi_be16(cdb + 7), cdb[1] & SBC_FUA, xfer, io, res);
	case SBC_READ_12:
	case SBC_WRITE_12:
		return sbc_rw(d, cdb[0] == SBC_WRITE_12, scsi_be32(cdb + 2),
			      scsi_be32(cdb + 6), cdb[1] & SBC_FUA, xfer, io, res);
	case SBC_READ_16:
	case SBC_WRITE_16:
		return sbc_rw(d, cdb[0] == SBC_WRITE_16, scsi_be64(cdb + 2),
			      scsi_be32(cdb + 10), cdb[1] & SBC_FUA, xfer, io, res);
	case SBC_SYNC_CACHE_10:
	case SBC_SYNC_CACHE_16:
		/* the range is checked; the whole cache is flushed */
		if (cdb[0] == SBC_SYNC_CACHE_10) {
			io->lba = scsi_be32(cdb + 2);
			n = scsi_be16(cdb + 7);
		} else {
			io->lba = scsi_be64(cdb + 2);
			n = scsi_be32(cdb + 10);
		}
		if (!sbc_in_range(d, io->lba, n)) {
			khcl_scsi_check(res, KHCL_SENSE_LBA_OUT_OF_RANGE);
			return KHCL_SBC_ANSWERED;
		}
		io->nblocks = n;
		return KHCL_SBC_FLUSH;
	case SBC_UNMAP:
		/* ANCHOR; a list that does not fit the SRB; no provisioning */
		io->param_len = scsi_be16(cdb + 7);
		if (cdb[1] & 0x01 || io->param_len > xfer || !d->discard) {
			khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
			return KHCL_SBC_ANSWERED;
		}
		return KHCL_SBC_UNMAP;
	case SBC_WRITE_SAME_10:
	case SBC_WRITE_SAME_16:
		return sbc_write_same(d, cdb, xfer, io, res);
	case SBC_VERIFY_10:
	case SBC_VERIFY_16:
		return sbc_verify(d, cdb, xfer, io, res);
	case SBC_PR_IN:
	case SBC_PR_OUT:
		return khcl_spc_pr_decode(d, cdb, xfer, alloc, data, data_max,
					  io, res);
	case SBC_READ_CAPACITY_10:
		memset(buf, 0, 8);
		/* past 2^32 blocks: 0xffffffff sends the guest to 16 */
		scsi_put_be32(buf, d->nblocks - 1 > 0xffffffffull ? 0xffffffffu :
			      (u32)(d->nblocks - 1));
		scsi_put_be32(buf + 4, 1u << d->block_shift);
		khcl_scsi_data(res, buf, 8, alloc, data, data_max);
		return KHCL_SBC_ANSWERED;
	case SBC_SERVICE_ACTION_IN_16:
		if ((cdb[1] & 0x1f) != SBC_SAI_READ_CAPACITY_16) {
			khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
			return KHCL_SBC_ANSWERED;
		}
		memset(buf, 0, sizeof(buf));
		scsi_put_be64(buf, d->nblocks - 1);
		scsi_put_be32(buf + 8, 1u << d->block_shift);
		if (d->discard)
			buf[14] = 0x80;		/* LBPME */
		khcl_scsi_data(res, buf, sizeof(buf),
			       khcl_scsi_min(alloc, scsi_be32(cdb + 10)), data,
			       data_max);
		return KHCL_SBC_ANSWERED;
	default:
		khcl_spc_decode(d, cdb, cdb_len, lun_map, alloc, data,
				data_max, res);
		return KHCL_SBC_ANSWERED;
	}
}
