/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SCSI target core (pure C): the answers khcl's storage VSP gives to
 * SCSI commands, and the I/Os it must submit for them. SBC (sbc.c) decodes
 * block commands and falls back to SPC (spc.c) for the primary ones; a
 * logical unit that does not exist gets khcl_scsi_no_lun(). One table of
 * sense conditions (scsi.c). Nothing here touches a device or guest
 * memory: the glue (storvsp.c, lun.c, io.c) does that.
 */
#ifndef KHCL_SCSI_H
#define KHCL_SCSI_H

#include "../include/khcl/compat.h"

#define KHCL_SCSI_SENSE_LEN	18	/* fixed format */

/* Big-endian fields of CDBs and answers */
static inline u32 scsi_be16(const u8 *p)
{
	return (u32)p[0] << 8 | p[1];
}

static inline u32 scsi_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u64 scsi_be64(const u8 *p)
{
	return (u64)scsi_be32(p) << 32 | scsi_be32(p + 4);
}

static inline void scsi_put_be16(u8 *p, u32 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void scsi_put_be32(u8 *p, u32 v)
{
	scsi_put_be16(p, v >> 16);
	scsi_put_be16(p + 2, v);
}

static inline void scsi_put_be64(u8 *p, u64 v)
{
	scsi_put_be32(p, v >> 32);
	scsi_put_be32(p + 4, (u32)v);
}

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
	KHCL_SENSE_NO_SENSE,		/* NO SENSE 00/00 (REQUEST SENSE) */
	KHCL_SENSE_SAVING_UNSUPPORTED,	/* ILLEGAL REQUEST 39/00 */
	KHCL_SENSE_PARAM_LIST_LENGTH,	/* ILLEGAL REQUEST 1A/00 */
	KHCL_SENSE_INVALID_FIELD_IN_PARAM, /* ILLEGAL REQUEST 26/00 */
	/* I/O outcomes (io.c maps block status to these) */
	KHCL_SENSE_READ_ERROR,		/* MEDIUM ERROR 11/00 */
	KHCL_SENSE_WRITE_ERROR,		/* MEDIUM ERROR 0C/00 */
	KHCL_SENSE_INTERNAL_FAILURE,	/* HARDWARE ERROR 44/00 */
	KHCL_SENSE_NOT_READY,		/* NOT READY 04/00 */
	KHCL_SENSE_SPACE_ALLOC_FAILED,	/* DATA PROTECT 27/07 */
	KHCL_SENSE_GUARD_CHECK,		/* ABORTED COMMAND 10/01 */
	KHCL_SENSE_ABORTED,		/* ABORTED COMMAND 00/00 */
	KHCL_SENSE_MISCOMPARE,		/* MISCOMPARE 1D/00 (VERIFY) */
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

/* LUNs of one target: at most 64, bit n set when LUN n exists. */
#define KHCL_SCSI_MAX_LUNS	64

/*
 * SPC (spc.c): a command for a logical unit that does not exist. @data
 * (@data_max bytes, zeroed by the caller) receives at most @alloc bytes of
 * response data for the guest, where @alloc is what the guest's buffer
 * holds. REPORT LUNS lists @lun_map (the target's LUNs).
 */
void khcl_scsi_no_lun(const u8 *cdb, u32 cdb_len, u64 lun_map, u32 alloc,
		      u8 *data, u32 data_max, struct khcl_scsi_result *res);

/* What the target knows of the device behind a LUN (the glue fills it). */
struct khcl_scsi_disk {
	u64 nblocks;			/* logical blocks, at least 1 */
	u32 block_shift;		/* 9 (512 B) .. 12 (4 KiB) */
	u32 phys_shift;			/* physical block: >= block_shift */
	u32 max_blocks;			/* per command; 0: no limit */
	u32 opt_blocks;			/* optimal transfer; 0: none */
	bool write_cache;		/* volatile write cache (WCE) */
	bool discard;			/* LBPME: UNMAP works */
	bool pr;			/* persistent reservations work */
	u32 max_unmap_blocks;		/* per UNMAP descriptor */
	u32 unmap_granularity;		/* blocks */
	u8 id[16];			/* EUI-64 (8 bytes) or NGUID (16) */
	u32 id_len;			/* 0: the device has none */
	char serial[24];		/* VPD 0x80, NUL-terminated */
};

/*
 * SPC for a LUN that exists (spc.c): INQUIRY (standard, VPD 0x00, 0x80,
 * 0x83, 0xB0, 0xB1, 0xB2), REPORT LUNS, REQUEST SENSE, MODE SENSE 6/10,
 * START STOP UNIT; anything else INVALID COMMAND OPERATION CODE. Arguments
 * as khcl_scsi_no_lun().
 */
void khcl_spc_decode(const struct khcl_scsi_disk *d, const u8 *cdb,
		     u32 cdb_len, u64 lun_map, u32 alloc, u8 *data,
		     u32 data_max, struct khcl_scsi_result *res);

/* ---- SBC (sbc.c): block commands of a LUN backed by a block device ---- */

enum khcl_sbc_op {
	KHCL_SBC_ANSWERED,		/* *res (and data) hold the answer */
	KHCL_SBC_READ,			/* submit: io->lba, io->nblocks */
	KHCL_SBC_WRITE,			/* the same, io->fua for FUA */
	KHCL_SBC_FLUSH,			/* SYNCHRONIZE CACHE */
	/* fetch io->param_len bytes, then khcl_sbc_unmap() */
	KHCL_SBC_UNMAP,
	/* fetch the block (unless io->ndob), then khcl_sbc_write_same() */
	KHCL_SBC_WRITE_SAME,
	KHCL_SBC_DISCARD,		/* submit: one discard of the range */
	KHCL_SBC_WRITE_ZEROES,		/* one write-zeroes, io->unmap: may */
	KHCL_SBC_WRITE_PATTERN,		/* one write, the block repeated */
	/* read io->lba, io->nblocks; compare with the Data-Out buffer */
	KHCL_SBC_VERIFY,
	/* fetch io->param_len bytes, then khcl_spc_pr_out() */
	KHCL_SBC_PR_OUT,
	KHCL_SBC_PR,			/* run io->pr on the device (pr_ops) */
};

/* A persistent reservation command, as the block layer's pr_ops has them */
enum khcl_pr_action {
	KHCL_PR_READ_KEYS,
	KHCL_PR_READ_RESERVATION,
	KHCL_PR_REGISTER,		/* key -> sa_key (0: unregister) */
	KHCL_PR_REGISTER_IGNORE,	/* sa_key, whatever is registered */
	KHCL_PR_RESERVE,
	KHCL_PR_RELEASE,
	KHCL_PR_CLEAR,
	KHCL_PR_PREEMPT,
	KHCL_PR_PREEMPT_ABORT,
};

struct khcl_pr_cmd {
	u8 action;			/* enum khcl_pr_action */
	u8 type;			/* enum pr_type (1..6); 0: none */
	u32 alloc;			/* IN: bytes the guest takes */
	u64 key;			/* OUT: reservation key */
	u64 sa_key;			/* OUT: service action key */
};

/* What the device said (the glue maps pr_ops' results to these) */
enum khcl_pr_status {
	KHCL_PR_OK,
	KHCL_PR_CONFLICT,		/* RESERVATION CONFLICT */
	KHCL_PR_INVALID,		/* the device refused the fields */
	KHCL_PR_UNSUPPORTED,		/* the device has no such call */
	KHCL_PR_RETRY,			/* path or memory: ABORTED COMMAND, retry */
	KHCL_PR_FAILED,			/* HARDWARE ERROR */
};

#define KHCL_SAM_RESERVATION_CONFLICT	0x18

struct khcl_sbc_io {
	u64 lba;
	u32 nblocks;
	bool fua;
	bool unmap;			/* WRITE SAME's UNMAP bit */
	bool ndob;			/* WRITE SAME(16): no data-out buffer */
	bool same;			/* VERIFY BYTCHK 11b: one block for all */
	u32 param_len;			/* UNMAP, PR OUT: bytes to fetch */
	struct khcl_pr_cmd pr;		/* KHCL_SBC_PR */
};

/* UNMAP block descriptors per command (VPD 0xB0 says so) */
#define KHCL_SBC_UNMAP_DESCS	1
/* WRITE SAME blocks per command: bounds what one command can start */
#define KHCL_SBC_WS_MAX		(1u << 16)

/*
 * One command for a LUN on @d: either an I/O to submit (*io, checked:
 * inside the device, the SRB's @xfer bytes exactly its blocks, at most
 * max_blocks) or an answer now (*res; response data, at most @alloc
 * bytes, in @data of @data_max). What is not a block command goes to
 * khcl_spc_decode() (@lun_map is for its REPORT LUNS).
 */
enum khcl_sbc_op khcl_sbc_decode(const struct khcl_scsi_disk *d,
				 const u8 *cdb, u32 cdb_len, u64 lun_map,
				 u32 xfer, u32 alloc, u8 *data, u32 data_max,
				 struct khcl_sbc_io *io,
				 struct khcl_scsi_result *res);

/*
 * UNMAP's parameter list: @p, the first @len bytes of the @param_len the
 * CDB announced (the caller fetched min(param_len, 8 + 16 *
 * (KHCL_SBC_UNMAP_DESCS + 1)) from the guest). KHCL_SBC_DISCARD with the
 * range in *io, or KHCL_SBC_ANSWERED (GOOD for nothing to unmap).
 */
enum khcl_sbc_op khcl_sbc_unmap(const struct khcl_scsi_disk *d, const u8 *p,
				u32 len, u32 param_len, struct khcl_sbc_io *io,
				struct khcl_scsi_result *res);

/*
 * WRITE SAME after its data-out block was fetched (@blk, one logical
 * block; NULL for NDOB): UNMAP set -> KHCL_SBC_DISCARD; a zero block ->
 * KHCL_SBC_WRITE_ZEROES; anything else KHCL_SBC_WRITE_PATTERN. *io as
 * khcl_sbc_decode() left it.
 */
enum khcl_sbc_op khcl_sbc_write_same(const struct khcl_scsi_disk *d,
				     const u8 *blk, struct khcl_sbc_io *io);

/*
 * PERSISTENT RESERVE IN/OUT (spc_pr.c), from khcl_sbc_decode(): a LUN
 * whose device has no reservations (!d->pr) answers INVALID COMMAND
 * OPERATION CODE. IN: KHCL_SBC_PR (READ KEYS, READ RESERVATION) or the
 * answer (REPORT CAPABILITIES); OUT: KHCL_SBC_PR_OUT (the 24-byte
 * parameter list to fetch, checked to fit @xfer) or an error.
 */
enum khcl_sbc_op khcl_spc_pr_decode(const struct khcl_scsi_disk *d,
				    const u8 *cdb, u32 xfer, u32 alloc,
				    u8 *data, u32 data_max,
				    struct khcl_sbc_io *io,
				    struct khcl_scsi_result *res);
/* PR OUT's parameter list (@len bytes at @p): KHCL_SBC_PR, keys in io->pr */
enum khcl_sbc_op khcl_spc_pr_out(const u8 *p, u32 len,
				 struct khcl_sbc_io *io,
				 struct khcl_scsi_result *res);
/* READ KEYS' answer: @n of the device's @total keys at @keys */
void khcl_spc_pr_keys(u32 generation, const u64 *keys, u32 n, u32 total,
		      u32 alloc, u8 *data, u32 data_max,
		      struct khcl_scsi_result *res);
/* READ RESERVATION's answer: @type (enum pr_type) 0 when none is held */
void khcl_spc_pr_reservation(u32 generation, u64 key, u8 type, u32 alloc,
			     u8 *data, u32 data_max,
			     struct khcl_scsi_result *res);
/* The answer for a PR command the device did not complete (or OUT's GOOD) */
void khcl_spc_pr_status(enum khcl_pr_status st, struct khcl_scsi_result *res);

#endif /* KHCL_SCSI_H */
