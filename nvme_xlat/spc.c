// SPDX-License-Identifier: GPL-2.0
/*
 * SCSI target core, SPC-4 primary commands, the bytes built here field by
 * field: INQUIRY (standard data and the VPD pages Linux's sd reads),
 * REPORT LUNS, REQUEST SENSE, MODE SENSE 6/10, START STOP UNIT; and the
 * answers for a logical unit that does not exist. See scsi.h.
 */
#include "scsi.h"
#include "vstor_wire.h"

#define SPC_REQUEST_SENSE	0x03
#define SPC_INQUIRY		0x12
#define SPC_MODE_SENSE_6	0x1a
#define SPC_START_STOP_UNIT	0x1b
#define SPC_MODE_SENSE_10	0x5a
#define SPC_REPORT_LUNS		0xa0

#define SPC_BUF			512	/* the longest answer built here */

/* Standard INQUIRY data, 36 bytes; @pdt 0x7f: no device at this LUN. */
static u32 spc_std_inquiry(u8 *b, u8 pdt, const char *product)
{
	memset(b, 0, 36);
	b[0] = pdt;
	b[2] = 0x06;			/* SPC-4 */
	b[3] = pdt == 0x7f ? 0x02 : 0x12; /* format 2; HISUP when a LUN */
	b[4] = 36 - 5;
	if (pdt != 0x7f)
		b[7] = 0x02;		/* CMDQUE: tagged commands */
	memcpy(&b[8], "khcl    ", 8);
	memcpy(&b[16], product, 16);
	memcpy(&b[32], "0001", 4);
	return 36;
}

/* REPORT LUNS: every LUN of @lun_map, single-level, peripheral method. */
static void spc_report_luns(const u8 *cdb, u32 cdb_len, u64 lun_map,
			    u32 alloc, u8 *data, u32 data_max,
			    struct khcl_scsi_result *res)
{
	u8 buf[8 + 8 * KHCL_SCSI_MAX_LUNS];
	u32 n = 0, lun;

	/* SELECT REPORT 0, 2 (all) or 1 (well-known: none here) */
	if (cdb_len < 12 || cdb[2] > 2 || scsi_be32(cdb + 6) < 16) {
		khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
		return;
	}
	memset(buf, 0, sizeof(buf));
	for (lun = 0; lun < KHCL_SCSI_MAX_LUNS && cdb[2] != 1; lun++)
		if (lun_map >> lun & 1)
			buf[8 + 8 * n++ + 1] = lun;
	scsi_put_be32(buf, 8 * n);
	khcl_scsi_data(res, buf, 8 + 8 * n, khcl_scsi_min(alloc, scsi_be32(cdb + 6)),
		       data, data_max);
}

/* REQUEST SENSE: @id, fixed or (DESC) descriptor format. */
static void spc_request_sense(const u8 *cdb, enum khcl_scsi_sense id,
			      u32 alloc, u8 *data, u32 data_max,
			      struct khcl_scsi_result *res)
{
	u8 buf[KHCL_SCSI_SENSE_LEN];
	u32 n = KHCL_SCSI_SENSE_LEN;

	khcl_scsi_fixed_sense(buf, id);
	if (cdb[1] & 1) {		/* DESC: 72h, no descriptors */
		buf[0] = 0x72;
		buf[1] = buf[2];
		buf[2] = buf[12];
		buf[3] = buf[13];
		memset(buf + 4, 0, n - 4);
		n = 8;
	}
	khcl_scsi_data(res, buf, n, khcl_scsi_min(alloc, cdb[4]), data,
		       data_max);
}

void khcl_scsi_no_lun(const u8 *cdb, u32 cdb_len, u64 lun_map, u32 alloc,
		      u8 *data, u32 data_max, struct khcl_scsi_result *res)
{
	u8 buf[36];

	memset(res, 0, sizeof(*res));
	switch (cdb_len >= 6 ? cdb[0] : 0xff) {
	case SPC_INQUIRY:
		if (cdb[1] & 1) {	/* EVPD: no pages for no device */
			khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
			return;
		}
		/* qualifier 011b, no device type */
		spc_std_inquiry(buf, 0x7f, "no LUN          ");
		khcl_scsi_data(res, buf, sizeof(buf),
			       khcl_scsi_min(alloc, scsi_be16(cdb + 3)), data,
			       data_max);
		return;
	case SPC_REPORT_LUNS:
		spc_report_luns(cdb, cdb_len, lun_map, alloc, data, data_max,
				res);
		return;
	case SPC_REQUEST_SENSE:
		spc_request_sense(cdb, KHCL_SENSE_LUN_NOT_SUPPORTED, alloc,
				  data, data_max, res);
		return;
	default:
		/* storvsc reports this as DID_NO_CONNECT: no such LUN */
		res->srb_status = KHCL_SRB_INVALID_LUN;
		res->scsi_status = 0;	/* GOOD */
		return;
	}
}

/* VPD 0x83: the LU's EUI-64 / NGUID, and a T10 vendor ID with the serial. */
static u32 spc_vpd_devid(const struct khcl_scsi_disk *d, u8 *b)
{
	u32 n = 4, len = strnlen(d->serial, sizeof(d->serial));

	if (d->id_len == 8 || d->id_len == 16) {
		b[n] = 0x01;		/* binary */
		b[n + 1] = 0x02;	/* LU, EUI-64 based */
		b[n + 3] = d->id_len;
		memcpy(&b[n + 4], d->id, d->id_len);
		n += 4 + d->id_len;
	}
	b[n] = 0x02;			/* ASCII */
	b[n + 1] = 0x01;		/* LU, T10 vendor ID */
	b[n + 3] = 8 + len;
	memcpy(&b[n + 4], "khcl    ", 8);
	memcpy(&b[n + 12], d->serial, len);
	n += 12 + len;
	return n;
}

/* VPD 0xB0 Block Limits (SBC-4 6.6.4). */
static u32 spc_vpd_limits(const struct khcl_scsi_disk *d, u8 *b)
{
	scsi_put_be16(b + 2, 0x3c);
	b[4] = 0x01;			/* WSNZ */
	if (d->phys_shift > d->block_shift && d->phys_shift < d->block_shift + 16)
		scsi_put_be16(b + 6, 1u << (d->phys_shift - d->block_shift));
	else
		scsi_put_be16(b + 6, 1);
	scsi_put_be32(b + 8, d->max_blocks);
	scsi_put_be32(b + 12, d->opt_blocks);
	if (d->discard) {
		scsi_put_be32(b + 20, d->max_unmap_blocks);
		scsi_put_be32(b + 24, KHCL_SBC_UNMAP_DESCS);
		scsi_put_be32(b + 28, d->unmap_granularity);
	}
	scsi_put_be64(b + 36, KHCL_SBC_WS_MAX);
	return 4 + 0x3c;
}

static void spc_inquiry(const struct khcl_scsi_disk *d, const u8 *cdb,
			u32 alloc, u8 *data, u32 data_max,
			struct khcl_scsi_result *res)
{
	static const u8 pages[] = { 0x00, 0x80, 0x83, 0xb0, 0xb1, 0xb2 };
	u8 b[SPC_BUF];
	u32 n;

	alloc = khcl_scsi_min(alloc, scsi_be16(cdb + 3));
	memset(b, 0, sizeof(b));
	if (cdb[1] & 0x02 || (!(cdb[1] & 1) && cdb[2])) {
		/* CmdDt (obsolete), or a page code without EVPD */
		khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
		return;
	}
	if (!(cdb[1] & 1)) {
		n = spc_std_inquiry(b, 0x00, "nvme_xlat disk  ");
		khcl_scsi_data(res, b, n, alloc, data, data_max);
		return;
	}
	b[1] = cdb[2];
	switch (cdb[2]) {
	case 0x00:			/* supported pages */
		memcpy(b + 4, pages, sizeof(pages));
		n = 4 + sizeof(pages);
		break;
	case 0x80:			/* unit serial number */
		n = strnlen(d->serial, sizeof(d->serial));
		memcpy(b + 4, d->serial, n);
		n += 4;
		break;
	case 0x83:
		n = spc_vpd_devid(d, b);
		break;
	case 0xb0:
		n = spc_vpd_limits(d, b);
		break;
	case 0xb1:			/* block device characteristics */
		b[3] = 0x3c;
		scsi_put_be16(b + 4, 1);	/* non-rotating medium */
		n = 4 + 0x3c;
		break;
	case 0xb2:			/* logical block provisioning */
		b[3] = 4;
		if (d->discard) {
			b[5] = 0xe0;	/* LBPU, LBPWS, LBPWS10 */
			b[6] = 0x02;	/* thin provisioned */
		}
		n = 8;
		break;
	default:
		khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
		return;
	}
	if (cdb[2] != 0xb0)
		scsi_put_be16(b + 2, n - 4);
	khcl_scsi_data(res, b, n, alloc, data, data_max);
}

/* One mode page at @b (PC 1: the changeable mask, all zero). */
static u32 spc_mode_page(const struct khcl_scsi_disk *d, u8 page, u8 pc,
			 u8 *b)
{
	switch (page) {
	case 0x08:			/* caching */
		b[0] = 0x08;
		b[1] = 0x12;
		if (pc != 1 && d->write_cache)
			b[2] = 0x04;	/* WCE */
		return 0x14;
	case 0x0a:			/* control */
		b[0] = 0x0a;
		b[1] = 0x0a;
		if (pc != 1)
			b[3] = 0x10;	/* unrestricted reordering */
		return 0x0c;
	}
	return 0;
}

static void spc_mode_sense(const struct khcl_scsi_disk *d, const u8 *cdb,
			   u32 cdb_len, u32 alloc, u8 *data, u32 data_max,
			   struct khcl_scsi_result *res)
{
	bool ten = cdb[0] == SPC_MODE_SENSE_10, dbd = cdb[1] & 0x08;
	bool llba = ten && (cdb[1] & 0x10);
	u8 pc = cdb[2] >> 6, page = cdb[2] & 0x3f, sub = cdb[3];
	u32 hdr = ten ? 8 : 4, n, bd = dbd ? 0 : llba ? 16 : 8;
	u64 nblocks = d->nblocks;
	u8 b[SPC_BUF];

	if (ten && cdb_len < 10) {
		khcl_scsi_check(res, KHCL_SENSE_INVALID_OPCODE);
		return;
	}
	alloc = khcl_scsi_min(alloc, ten ? scsi_be16(cdb + 7) : cdb[4]);
	if (pc == 3) {
		khcl_scsi_check(res, KHCL_SENSE_SAVING_UNSUPPORTED);
		return;
	}
	memset(b, 0, sizeof(b));
	n = hdr + bd;
	if (page == 0x3f && (sub == 0 || sub == 0xff)) {
		n += spc_mode_page(d, 0x08, pc, b + n);
		n += spc_mode_page(d, 0x0a, pc, b + n);
	} else if (!sub && spc_mode_page(d, page, pc, b + n)) {
		n += spc_mode_page(d, page, pc, b + n);
	} else {
		khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
		return;
	}
	if (bd == 8) {			/* short block descriptor */
		scsi_put_be32(b + hdr, nblocks > 0xffffffffull ? 0xffffffffu :
				  (u32)nblocks);
		scsi_put_be32(b + hdr + 4, 1u << d->block_shift); /* byte 4: 0 */
	} else if (bd == 16) {
		scsi_put_be64(b + hdr, nblocks);
		scsi_put_be32(b + hdr + 12, 1u << d->block_shift);
	}
	if (ten) {
		scsi_put_be16(b, n - 2);
		b[3] = 0x10;		/* DPOFUA */
		b[4] = bd == 16;	/* LONGLBA */
		scsi_put_be16(b + 6, bd);
	} else {
		b[0] = n - 1;
		b[2] = 0x10;		/* DPOFUA */
		b[3] = bd;
	}
	khcl_scsi_data(res, b, n, alloc, data, data_max);
}

void khcl_spc_decode(const struct khcl_scsi_disk *d, const u8 *cdb,
		     u32 cdb_len, u64 lun_map, u32 alloc, u8 *data,
		     u32 data_max, struct khcl_scsi_result *res)
{
	memset(res, 0, sizeof(*res));
	switch (cdb_len >= 6 ? cdb[0] : 0xff) {
	case SPC_INQUIRY:
		spc_inquiry(d, cdb, alloc, data, data_max, res);
		return;
	case SPC_REPORT_LUNS:
		spc_report_luns(cdb, cdb_len, lun_map, alloc, data, data_max,
				res);
		return;
	case SPC_REQUEST_SENSE:	/* sense goes with each answer */
		spc_request_sense(cdb, KHCL_SENSE_NO_SENSE, alloc, data,
				  data_max, res);
		return;
	case SPC_MODE_SENSE_6:
	case SPC_MODE_SENSE_10:
		spc_mode_sense(d, cdb, cdb_len, alloc, data, data_max, res);
		return;
	case SPC_START_STOP_UNIT:	/* nothing to spin */
		khcl_scsi_good(res);
		return;
	default:
		khcl_scsi_check(res, KHCL_SENSE_INVALID_OPCODE);
		return;
	}
}
