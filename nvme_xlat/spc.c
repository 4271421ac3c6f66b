// SPDX-License-Identifier: GPL-2.0
/*
 * SCSI target core, SPC-4 primary commands (INQUIRY, REPORT LUNS,
 * REQUEST SENSE), the bytes built here field by field. See scsi.h.
 */
#include "scsi.h"
#include "vstor_wire.h"

#define SCSI_INQUIRY		0x12
#define SCSI_REQUEST_SENSE	0x03
#define SCSI_REPORT_LUNS	0xa0

void khcl_scsi_no_lun(const u8 *cdb, u32 cdb_len, u32 alloc, u8 *data,
		      u32 data_max, struct khcl_scsi_result *res)
{
	u8 buf[36];

	memset(res, 0, sizeof(*res));
	switch (cdb_len >= 6 ? cdb[0] : 0xff) {
	case SCSI_INQUIRY:
		if (cdb[1] & 1) {	/* EVPD: no pages for no device */
			khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
			return;
		}
		alloc = khcl_scsi_min(alloc, (u32)cdb[3] << 8 | cdb[4]);
		memset(buf, 0, sizeof(buf));
		buf[0] = 0x7f;		/* qualifier 011b, no device type */
		buf[2] = 0x06;		/* SPC-4 */
		buf[3] = 0x02;		/* response data format 2 */
		buf[4] = sizeof(buf) - 5;
		memcpy(&buf[8], "khcl    ", 8);
		memcpy(&buf[16], "no LUN          ", 16);
		memcpy(&buf[32], "0001", 4);
		khcl_scsi_data(res, buf, sizeof(buf), alloc, data, data_max);
		return;
	case SCSI_REPORT_LUNS:
		if (cdb_len < 12) {
			khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
			return;
		}
		alloc = khcl_scsi_min(alloc, (u32)cdb[6] << 24 | (u32)cdb[7] << 16 |
				       (u32)cdb[8] << 8 | cdb[9]);
		memset(buf, 0, 8);	/* LUN list length 0, reserved */
		khcl_scsi_data(res, buf, 8, alloc, data, data_max);
		return;
	case SCSI_REQUEST_SENSE:
		alloc = khcl_scsi_min(alloc, cdb[4]);
		khcl_scsi_fixed_sense(buf, KHCL_SENSE_LUN_NOT_SUPPORTED);
		khcl_scsi_data(res, buf, KHCL_SCSI_SENSE_LEN, alloc, data,
			       data_max);
		return;
	default:
		/* storvsc reports this as DID_NO_CONNECT: no such LUN */
		res->srb_status = KHCL_SRB_INVALID_LUN;
		res->scsi_status = 0;	/* GOOD */
		return;
	}
}
