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

/*
 * A command for a logical unit that does not exist. @data (@data_max
 * bytes, zeroed by the caller) receives at most @alloc bytes of response
 * data for the guest, where @alloc is what the guest's buffer holds.
 */
void khcl_scsi_no_lun(const u8 *cdb, u32 cdb_len, u32 alloc, u8 *data,
		      u32 data_max, struct khcl_scsi_result *res);

#endif /* KHCL_SCSI_H */
