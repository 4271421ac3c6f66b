/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SCSI target core (pure C): the answers khcl's storage VSP gives to
 * SCSI commands. So far it knows logical units that do not exist (no
 * namespace mapped behind them): INQUIRY says so (peripheral qualifier
 * 011b), REPORT LUNS lists none, REQUEST SENSE and every other command
 * report LOGICAL UNIT NOT SUPPORTED. The NVMe-backed LUN is the next step
 * and builds on this file.
 */
#ifndef KHCL_SCSI_H
#define KHCL_SCSI_H

#include "../include/khcl/compat.h"

#define KHCL_SCSI_SENSE_LEN	18	/* fixed format */

struct khcl_scsi_result {
	u8 srb_status;			/* KHCL_SRB_* */
	u8 scsi_status;			/* SAM status */
	u8 sense[KHCL_SCSI_SENSE_LEN];
	u32 sense_len;
	u32 data_len;			/* bytes of *data to return */
};

/* The sense conditions khcl reports, one table (scsi.c) */
enum khcl_scsi_sense {
	KHCL_SENSE_INVALID_OPCODE,	/* ILLEGAL REQUEST 20/00 */
	KHCL_SENSE_INVALID_FIELD_IN_CDB, /* ILLEGAL REQUEST 24/00 */
	KHCL_SENSE_LUN_NOT_SUPPORTED,	/* ILLEGAL REQUEST 25/00 */
	KHCL_SENSE_LBA_OUT_OF_RANGE,	/* ILLEGAL REQUEST 21/00 */
	KHCL_SENSE_NR
};

/* Fixed-format sense data for @id: KHCL_SCSI_SENSE_LEN bytes at @s. */
void khcl_scsi_fixed_sense(u8 *s, enum khcl_scsi_sense id);
/* CHECK CONDITION with @id's sense data, no data. */
void khcl_scsi_check(struct khcl_scsi_result *res, enum khcl_scsi_sense id);
/*
 * GOOD with the first of @n bytes at @src that fit @alloc (the guest's
 * buffer) and @data_max: copied to @data.
 */
void khcl_scsi_data(struct khcl_scsi_result *res, const u8 *src, u32 n,
		    u32 alloc, u8 *data, u32 data_max);
/* GOOD, no data. */
void khcl_scsi_good(struct khcl_scsi_result *res);
u32 khcl_scsi_min(u32 a, u32 b);

/*
 * SPC (spc.c): a command for a logical unit that does not exist. @data (@data_max
 * bytes, zeroed by the caller) receives at most @alloc bytes of response
 * data for the guest, where @alloc is what the guest's buffer holds.
 */
void khcl_scsi_no_lun(const u8 *cdb, u32 cdb_len, u32 alloc, u8 *data,
		      u32 data_max, struct khcl_scsi_result *res);

/* ---- SBC (sbc.c): block commands of a LUN backed by a block device ---- */

/* What the target knows of the device behind a LUN. */
struct khcl_scsi_disk {
	u64 nblocks;			/* logical blocks, at least 1 */
	u32 block_shift;		/* 9 (512 B) .. 12 (4 KiB) */
	u32 max_blocks;			/* per command; 0: no limit */
	bool discard;			/* LBPME: UNMAP works */
};

enum khcl_sbc_op {
	KHCL_SBC_ANSWERED,		/* *res (and data) hold the answer */
	KHCL_SBC_READ,			/* submit: io->lba, io->nblocks */
	KHCL_SBC_WRITE,			/* the same, io->fua for FUA */
	KHCL_SBC_FLUSH,			/* SYNCHRONIZE CACHE */
};

struct khcl_sbc_io {
	u64 lba;
	u32 nblocks;
	bool fua;
};

/*
 * One command for a LUN on @d: either an I/O to submit (*io, checked:
 * inside the device, the SRB's @xfer bytes exactly its blocks, at most
 * max_blocks) or an answer now (*res; response data, at most @alloc
 * bytes, in @data of @data_max). Opcodes it does not know are
 * KHCL_SBC_ANSWERED with INVALID COMMAND OPERATION CODE; SPC commands are
 * not its business (the caller asks spc.c first).
 */
enum khcl_sbc_op khcl_sbc_decode(const struct khcl_scsi_disk *d,
				 const u8 *cdb, u32 cdb_len, u32 xfer,
				 u32 alloc, u8 *data, u32 data_max,
				 struct khcl_sbc_io *io,
				 struct khcl_scsi_result *res);

#endif /* KHCL_SCSI_H */
