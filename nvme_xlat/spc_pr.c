// SPDX-License-Identifier: GPL-2.0
/*
 * SCSI target core, SPC-4 persistent reservations: PERSISTENT RESERVE IN
 * (READ KEYS, READ RESERVATION, REPORT CAPABILITIES) and OUT (REGISTER,
 * REGISTER AND IGNORE EXISTING KEY, RESERVE, RELEASE, CLEAR, PREEMPT,
 * PREEMPT AND ABORT) decoded into what the block layer's pr_ops can do,
 * and their answers built from what the device said. The glue (pr.c)
 * calls the device. See scsi.h.
 */
#include "scsi.h"
#include "vstor_wire.h"

#define SPC_PR_IN		0x5e
#define SPC_PR_OUT		0x5f

/* PERSISTENT RESERVE IN service actions */
#define PRI_READ_KEYS		0x00
#define PRI_READ_RESERVATION	0x01
#define PRI_REPORT_CAPABILITIES	0x02

/* PERSISTENT RESERVE OUT service actions */
#define PRO_REGISTER		0x00
#define PRO_RESERVE		0x01
#define PRO_RELEASE		0x02
#define PRO_CLEAR		0x03
#define PRO_PREEMPT		0x04
#define PRO_PREEMPT_ABORT	0x05
#define PRO_REGISTER_IGNORE	0x06

#define PRO_PARAM_LEN		24	/* without SPEC_I_PT: exactly this */
#define PRO_SPEC_I_PT		0x08	/* byte 20 */
#define PRO_ALL_TG_PT		0x04

/*
 * SCSI reservation types and the block layer's (enum pr_type: write
 * exclusive 1, exclusive access 2, ... registrants only 3/4, all
 * registrants 5/6), both ways; 0: not a type.
 */
static const u8 pr_type_of_scsi[16] = {
	[1] = 1, [3] = 2, [5] = 3, [6] = 4, [7] = 5, [8] = 6,
};
static const u8 pr_scsi_of_type[7] = { 0, 1, 3, 5, 6, 7, 8 };

static enum khcl_sbc_op pr_check(struct khcl_scsi_result *res,
				 enum khcl_scsi_sense id)
{
	khcl_scsi_check(res, id);
	return KHCL_SBC_ANSWERED;
}

/* REPORT CAPABILITIES: what pr_ops offers, answered without the device */
static void pr_capabilities(u32 alloc, u8 *data, u32 data_max,
			    struct khcl_scsi_result *res)
{
	u8 b[8] = { 0, 8 };

	b[2] = 0x01;		/* PTPL_C: the NVMe driver always asks for it */
	b[3] = 0x81;		/* TMV: the mask below is valid; PTPL_A */
	b[4] = 0xea;		/* WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX */
	b[5] = 0x01;		/* EX_AC_AR */
	khcl_scsi_data(res, b, sizeof(b), alloc, data, data_max);
}

enum khcl_sbc_op khcl_spc_pr_decode(const struct khcl_scsi_disk *d,
				    const u8 *cdb, u32 xfer, u32 alloc,
				    u8 *data, u32 data_max,
				    struct khcl_sbc_io *io,
				    struct khcl_scsi_result *res)
{
	u8 sa = cdb[1] & 0x1f, type = cdb[2] & 0x0f;

	if (!d->pr)
		return pr_check(res, KHCL_SENSE_INVALID_OPCODE);
	if (cdb[0] == SPC_PR_IN) {
		io->pr.alloc = khcl_scsi_min(alloc, scsi_be16(cdb + 7));
		switch (sa) {
		case PRI_READ_KEYS:
			io->pr.action = KHCL_PR_READ_KEYS;
			return KHCL_SBC_PR;
		case PRI_READ_RESERVATION:
			io->pr.action = KHCL_PR_READ_RESERVATION;
			return KHCL_SBC_PR;
		case PRI_REPORT_CAPABILITIES:
			pr_capabilities(io->pr.alloc, data, data_max, res);
			return KHCL_SBC_ANSWERED;
		default:	/* READ FULL STATUS: pr_ops has no such call */
			return pr_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
		}
	}
	/* OUT: the parameter list must be there, whole, in the SRB */
	io->param_len = scsi_be32(cdb + 5);
	if (io->param_len != PRO_PARAM_LEN)
		return pr_check(res, KHCL_SENSE_PARAM_LIST_LENGTH);
	if (xfer < io->param_len)
		return pr_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
	switch (sa) {
	case PRO_REGISTER:
		io->pr.action = KHCL_PR_REGISTER;
		return KHCL_SBC_PR_OUT;
	case PRO_REGISTER_IGNORE:
		io->pr.action = KHCL_PR_REGISTER_IGNORE;
		return KHCL_SBC_PR_OUT;
	case PRO_CLEAR:
		io->pr.action = KHCL_PR_CLEAR;
		return KHCL_SBC_PR_OUT;
	case PRO_RESERVE:
		io->pr.action = KHCL_PR_RESERVE;
		break;
	case PRO_RELEASE:
		io->pr.action = KHCL_PR_RELEASE;
		break;
	case PRO_PREEMPT:
		io->pr.action = KHCL_PR_PREEMPT;
		break;
	case PRO_PREEMPT_ABORT:
		io->pr.action = KHCL_PR_PREEMPT_ABORT;
		break;
	default:	/* REGISTER AND MOVE, REPLACE LOST: not in pr_ops */
		return pr_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
	}
	/* these hold a reservation of a type, on the logical unit */
	io->pr.type = pr_type_of_scsi[type];
	if (cdb[2] >> 4 || !io->pr.type)
		return pr_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
	return KHCL_SBC_PR_OUT;
}

enum khcl_sbc_op khcl_spc_pr_out(const u8 *p, u32 len,
				 struct khcl_sbc_io *io,
				 struct khcl_scsi_result *res)
{
	memset(res, 0, sizeof(*res));
	if (len < PRO_PARAM_LEN)
		return pr_check(res, KHCL_SENSE_PARAM_LIST_LENGTH);
	/* one initiator port, this one: no other ports to name */
	if (p[20] & (PRO_SPEC_I_PT | PRO_ALL_TG_PT))
		return pr_check(res, KHCL_SENSE_INVALID_FIELD_IN_PARAM);
	io->pr.key = scsi_be64(p);
	io->pr.sa_key = scsi_be64(p + 8);
	return KHCL_SBC_PR;
}

void khcl_spc_pr_keys(u32 generation, const u64 *keys, u32 n, u32 total,
		      u32 alloc, u8 *data, u32 data_max,
		      struct khcl_scsi_result *res)
{
	u32 i;

	khcl_scsi_good(res);
	if (data_max < 8)
		return;
	/* the keys that fit; the length says how many the device has */
	n = khcl_scsi_min(khcl_scsi_min(n, total), (data_max - 8) / 8);
	scsi_put_be32(data, generation);
	scsi_put_be32(data + 4, khcl_scsi_min(total, 0x1fffffff) * 8);
	for (i = 0; i < n; i++)
		scsi_put_be64(data + 8 + 8 * i, keys[i]);
	res->data_len = khcl_scsi_min(8 + 8 * n, alloc);
}

void khcl_spc_pr_reservation(u32 generation, u64 key, u8 type, u32 alloc,
			     u8 *data, u32 data_max,
			     struct khcl_scsi_result *res)
{
	u8 b[24] = { 0 };
	bool held = type && type < sizeof(pr_scsi_of_type);

	scsi_put_be32(b, generation);
	if (held) {
		scsi_put_be32(b + 4, 16);
		scsi_put_be64(b + 8, key);
		b[21] = pr_scsi_of_type[type];	/* scope 0: logical unit */
	}
	khcl_scsi_data(res, b, held ? 24 : 8, alloc, data, data_max);
}

void khcl_spc_pr_status(enum khcl_pr_status st, struct khcl_scsi_result *res)
{
	memset(res, 0, sizeof(*res));
	switch (st) {
	case KHCL_PR_OK:
		khcl_scsi_good(res);
		break;
	case KHCL_PR_CONFLICT:
		res->srb_status = KHCL_SRB_ERROR;
		res->scsi_status = KHCL_SAM_RESERVATION_CONFLICT;
		break;
	case KHCL_PR_INVALID:
		khcl_scsi_check(res, KHCL_SENSE_INVALID_FIELD_IN_CDB);
		break;
	case KHCL_PR_UNSUPPORTED:
		khcl_scsi_check(res, KHCL_SENSE_INVALID_OPCODE);
		break;
	case KHCL_PR_RETRY:
		khcl_scsi_check(res, KHCL_SENSE_ABORTED);
		break;
	default:
		khcl_scsi_check(res, KHCL_SENSE_INTERNAL_FAILURE);
		break;
	}
}
