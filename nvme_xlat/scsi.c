// SPDX-License-Identifier: GPL-2.0
/*
 * SCSI target core, what every command set shares: the one table of
 * sense conditions khcl reports (key, ASC, ASCQ; SPC-4 4.5 and annex D)
 * and the result builders. SPC commands are spc.c, SBC commands sbc.c.
 */
#include "scsi.h"
#include "vstor_wire.h"

#define SAM_GOOD		0x00
#define SAM_CHECK_CONDITION	0x02

static const struct {
	u8 key, asc, ascq;
} khcl_scsi_senses[KHCL_SENSE_NR] = {
	[KHCL_SENSE_INVALID_OPCODE] = { 0x05, 0x20, 0x00 },
	[KHCL_SENSE_INVALID_FIELD_IN_CDB] = { 0x05, 0x24, 0x00 },
	[KHCL_SENSE_LUN_NOT_SUPPORTED] = { 0x05, 0x25, 0x00 },
	[KHCL_SENSE_LBA_OUT_OF_RANGE] = { 0x05, 0x21, 0x00 },
	[KHCL_SENSE_NO_SENSE] = { 0x00, 0x00, 0x00 },
	[KHCL_SENSE_SAVING_UNSUPPORTED] = { 0x05, 0x39, 0x00 },
	[KHCL_SENSE_PARAM_LIST_LENGTH] = { 0x05, 0x1a, 0x00 },
	[KHCL_SENSE_INVALID_FIELD_IN_PARAM] = { 0x05, 0x26, 0x00 },
	[KHCL_SENSE_READ_ERROR] = { 0x03, 0x11, 0x00 },
	[KHCL_SENSE_WRITE_ERROR] = { 0x03, 0x0c, 0x00 },
	[KHCL_SENSE_INTERNAL_FAILURE] = { 0x04, 0x44, 0x00 },
	[KHCL_SENSE_NOT_READY] = { 0x02, 0x04, 0x00 },
	[KHCL_SENSE_SPACE_ALLOC_FAILED] = { 0x07, 0x27, 0x07 },
	[KHCL_SENSE_GUARD_CHECK] = { 0x0b, 0x10, 0x01 },
	[KHCL_SENSE_ABORTED] = { 0x0b, 0x00, 0x00 },
	[KHCL_SENSE_MISCOMPARE] = { 0x0e, 0x1d, 0x00 },
};

u32 khcl_scsi_min(u32 a, u32 b)
{
	return a < b ? a : b;
}

void khcl_scsi_fixed_sense(u8 *s, enum khcl_scsi_sense id)
{
	memset(s, 0, KHCL_SCSI_SENSE_LEN);
	s[0] = 0x70;			/* current error, fixed format */
	s[2] = khcl_scsi_senses[id].key;
	s[7] = KHCL_SCSI_SENSE_LEN - 8;	/* additional sense length */
	s[12] = khcl_scsi_senses[id].asc;
	s[13] = khcl_scsi_senses[id].ascq;
}

void khcl_scsi_check(struct khcl_scsi_result *res, enum khcl_scsi_sense id)
{
	res->srb_status = KHCL_SRB_ERROR;
	res->scsi_status = SAM_CHECK_CONDITION;
	khcl_scsi_fixed_sense(res->sense, id);
	res->sense_len = KHCL_SCSI_SENSE_LEN;
	res->data_len = 0;
}

void khcl_scsi_data(struct khcl_scsi_result *res, const u8 *src, u32 n,
		    u32 alloc, u8 *data, u32 data_max)
{
	n = khcl_scsi_min(khcl_scsi_min(n, alloc), data_max);
	if (n)
		memcpy(data, src, n);
	res->srb_status = KHCL_SRB_SUCCESS;
	res->scsi_status = SAM_GOOD;
	res->data_len = n;
}

void khcl_scsi_good(struct khcl_scsi_result *res)
{
	res->srb_status = KHCL_SRB_SUCCESS;
	res->scsi_status = SAM_GOOD;
	res->data_len = 0;
}
