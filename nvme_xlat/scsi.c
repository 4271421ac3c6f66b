// SPDX-License-Identifier: GPL-2.0
/*
 * SCSI target core. See scsi.h. Command semantics from SPC-4 (INQUIRY,
 * REPORT LUNS, REQUEST SENSE); the bytes are built here, field by field.
 */
#include "scsi.h"
#include "vstor_wire.h"

#define SCSI_INQUIRY		0x12
#define SCSI_REQUEST_SENSE	0x03
#define SCSI_REPORT_LUNS	0xa0

#define SAM_GOOD		0x00
#define SAM_CHECK_CONDITION	0x02

#define SENSE_ILLEGAL_REQUEST	0x05
#define ASC_INVALID_FIELD_IN_CDB 0x24
#define ASC_LUN_NOT_SUPPORTED	0x25

static u32 min_u32(u32 a, u32 b)
{
	return a < b ? a : b;
}

static void scsi_fixed_sense(u8 *s, u8 key, u8 asc, u8 ascq)
{
	memset(s, 0, KHCL_SCSI_SENSE_LEN);
	s[0] = 0x70;			/* current error, fixed format */
	s[2] = key;
	s[7] = KHCL_SCSI_SENSE_LEN - 8;	/* additional sense length */
	s[12] = asc;
	s[13] = ascq;
}

static void scsi_check(struct khcl_scsi_result *res, u8 key, u8 asc)
{
	res->srb_status = KHCL_SRB_ERROR;
	res->scsi_status = SAM_CHECK_CONDITION;
	scsi_fixed_sense(res->sense, key, asc, 0);
	res->sense_len = KHCL_SCSI_SENSE_LEN;
	res->data_len = 0;
}

static void scsi_data(struct khcl_scsi_result *res, const u8 *src, u32 n,
		      u32 alloc, u8 *data, u32 data_max)
{
	n = min_u32(min_u32(n, alloc), data_max);
	memcpy(data, src, n);
	res->srb_status = KHCL_SRB_SUCCESS;
	res->scsi_status = SAM_GOOD;
	res->data_len = n;
}

void khcl_scsi_no_lun(const u8 *cdb, u32 cdb_len, u32 alloc, u8 *data,
		      u32 data_max, struct khcl_scsi_result *res)
{
	u8 buf[36];

	memset(res, 0, sizeof(*res));
	switch (cdb_len >= 6 ? cdb[0] : 0xff) {
	case SCSI_INQUIRY:
		if (cdb[1] & 1) {	/* EVPD: no pages for no device */
			scsi_check(res, SENSE_ILLEGAL_REQUEST,
				   ASC_INVALID_FIELD_IN_CDB);
			return;
		}
		alloc = min_u32(alloc, (u32)cdb[3] << 8 | cdb[4]);
		memset(buf, 0, sizeof(buf));
		buf[0] = 0x7f;		/* qualifier 011b, no device type */
		buf[2] = 0x06;		/* SPC-4 */
		buf[3] = 0x02;		/* response data format 2 */
		buf[4] = sizeof(buf) - 5;
		memcpy(&buf[8], "khcl    ", 8);
		memcpy(&buf[16], "no LUN          ", 16);
		memcpy(&buf[32], "0001", 4);
		scsi_data(res, buf, sizeof(buf), alloc, data, data_max);
		return;
	case SCSI_REPORT_LUNS:
		if (cdb_len < 12) {
			scsi_check(res, SENSE_ILLEGAL_REQUEST,
				   ASC_INVALID_FIELD_IN_CDB);
			return;
		}
		alloc = min_u32(alloc, (u32)cdb[6] << 24 | (u32)cdb[7] << 16 |
				       (u32)cdb[8] << 8 | cdb[9]);
		memset(buf, 0, 8);	/* LUN list length 0, reserved */
		scsi_data(res, buf, 8, alloc, data, data_max);
		return;
	case SCSI_REQUEST_SENSE:
		alloc = min_u32(alloc, cdb[4]);
		scsi_fixed_sense(buf, SENSE_ILLEGAL_REQUEST,
				 ASC_LUN_NOT_SUPPORTED, 0);
		scsi_data(res, buf, KHCL_SCSI_SENSE_LEN, alloc, data, data_max);
		return;
	default:
		/* storvsc reports this as DID_NO_CONNECT: no such LUN */
		res->srb_status = KHCL_SRB_INVALID_LUN;
		res->scsi_status = SAM_GOOD;
		return;
	}
}
