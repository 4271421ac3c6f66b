/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VSTOR, the storage protocol storvsc speaks on its VMBus channel: the
 * layouts as Linux 6.12's drivers/scsi/storvsc_drv.c sends and expects
 * them (read there; not copied). Every packet is one struct
 * khcl_vstor_packet; an EXECUTE_SRB that moves data comes as a
 * VM_PKT_DATA_USING_GPA_DIRECT packet whose descriptor carries one GPA
 * range (struct khcl_vmpkt_gpa_range) before it.
 */
#ifndef KHCL_VSTOR_WIRE_H
#define KHCL_VSTOR_WIRE_H

#include "../include/khcl/vmbus_wire.h"

#define KHCL_VSTOR_VERSION(major, minor)	(((major) & 0xff) << 8 | \
						 ((minor) & 0xff))
#define KHCL_VSTOR_WIN8		KHCL_VSTOR_VERSION(5, 1)
#define KHCL_VSTOR_WIN8_1	KHCL_VSTOR_VERSION(6, 0)
#define KHCL_VSTOR_WIN10	KHCL_VSTOR_VERSION(6, 2)

enum khcl_vstor_op {
	KHCL_VSTOR_COMPLETE_IO = 1,
	KHCL_VSTOR_REMOVE_DEVICE = 2,
	KHCL_VSTOR_EXECUTE_SRB = 3,
	KHCL_VSTOR_RESET_LUN = 4,
	KHCL_VSTOR_RESET_ADAPTER = 5,
	KHCL_VSTOR_RESET_BUS = 6,
	KHCL_VSTOR_BEGIN_INITIALIZATION = 7,
	KHCL_VSTOR_END_INITIALIZATION = 8,
	KHCL_VSTOR_QUERY_PROTOCOL_VERSION = 9,
	KHCL_VSTOR_QUERY_PROPERTIES = 10,
	KHCL_VSTOR_ENUMERATE_BUS = 11,
	KHCL_VSTOR_FCHBA_DATA = 12,
	KHCL_VSTOR_CREATE_SUB_CHANNELS = 13,
	KHCL_VSTOR_NOPS
};

#define KHCL_VSTOR_FLAG_REQUEST_COMPLETION	0x1

/* NT status values storvsc only tests against zero */
#define KHCL_VSTOR_STATUS_OK		0
#define KHCL_VSTOR_STATUS_FAILED	0xc0000001u	/* UNSUCCESSFUL */
#define KHCL_VSTOR_STATUS_REVISION	0xc0000059u	/* REVISION_MISMATCH */

#define KHCL_VSTOR_CDB_MAX		16
#define KHCL_VSTOR_SENSE_MAX		20

/* srb_status (low 6 bits) and its flag bits */
#define KHCL_SRB_SUCCESS		0x01
#define KHCL_SRB_ABORTED		0x02
#define KHCL_SRB_ERROR			0x04
#define KHCL_SRB_INVALID_REQUEST	0x06
#define KHCL_SRB_SELECTION_TIMEOUT	0x0a
#define KHCL_SRB_DATA_OVERRUN		0x12
#define KHCL_SRB_INVALID_LUN		0x20
#define KHCL_SRB_INTERNAL_ERROR		0x30
#define KHCL_SRB_AUTOSENSE_VALID	0x80

#define KHCL_SRB_FLAGS_DATA_IN		0x40
#define KHCL_SRB_FLAGS_DATA_OUT		0x80

struct khcl_vmscsi_request {
	u16 length;
	u8 srb_status;
	u8 scsi_status;
	u8 port_number;
	u8 path_id;
	u8 target_id;
	u8 lun;
	u8 cdb_length;
	u8 sense_info_length;
	u8 data_in;			/* 0 write, 1 read, 2 none */
	u8 reserved;
	u32 data_transfer_length;
	union {
		u8 cdb[KHCL_VSTOR_CDB_MAX];
		u8 sense_data[KHCL_VSTOR_SENSE_MAX];
	};
	/* since WIN8 */
	u16 reserve;
	u8 queue_tag;
	u8 queue_action;
	u32 srb_flags;
	u32 time_out_value;
	u32 queue_sort_key;
} __packed;

#define KHCL_VSTOR_MULTI_CHANNEL	0x1	/* properties.flags */

struct khcl_vstor_properties {
	u32 reserved;
	u16 max_channel_cnt;
	u16 reserved1;
	u32 flags;
	u32 max_transfer_bytes;
	u64 reserved2;
} __packed;

struct khcl_vstor_version {
	u16 major_minor;
	u16 revision;
} __packed;

struct khcl_vstor_packet {
	u32 operation;
	u32 flags;
	u32 status;
	union {
		struct khcl_vmscsi_request srb;
		struct khcl_vstor_properties props;
		struct khcl_vstor_version version;
		u16 sub_channel_count;
		u8 buffer[0x34];
	};
} __packed;

static_assert(sizeof(struct khcl_vmscsi_request) == 0x34, "vmscsi_request");
static_assert(sizeof(struct khcl_vstor_packet) == 64, "vstor_packet");
static_assert(sizeof(struct khcl_vstor_properties) == 24, "properties");

/* storvsc's classes: SCSI controller (the one khcl offers) and IDE */
/* {ba6163d9-04a1-4d29-b605-72e2ffb1dc7f} */
#define KHCL_VSTOR_SCSI_CLASS_BYTES {					\
	0xd9, 0x63, 0x61, 0xba, 0xa1, 0x04, 0x29, 0x4d,			\
	0xb6, 0x05, 0x72, 0xe2, 0xff, 0xb1, 0xdc, 0x7f }

#endif /* KHCL_VSTOR_WIRE_H */
