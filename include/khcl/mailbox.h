/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rig's SynIC stand-in: layout of the mailbox region shared by the
 * test guest (VTL0) and the paravisor (VTL2) through ivshmem-doorbell.
 *
 * Shaped on the SynIC so the real Hyper-V backend fits the same transport
 * API: a message is a 16-byte header plus up to 240 payload bytes; a slot
 * holds at most one pending message (the sender retries when it is busy);
 * events are flags indexed by connection id (towards VTL2) or by channel
 * relid (towards VTL0).
 *
 * Ownership rules (the two QEMU processes give no cross-VM atomics under
 * single-vCPU TCG, so nothing here needs a read-modify-write):
 *  - message slot: the sender writes header and payload, then stores
 *    message_type != 0 last (release); the receiver copies the whole slot
 *    out once, then stores message_type = 0 (release). Each side walks the
 *    slots in order with a private cursor.
 *  - event flag: one byte per id; the sender stores 1 after it has
 *    published the work, the receiver stores 0 and then looks at the work.
 *  - doorbell: after posting, ring the peer's doorbell (ivshmem BAR0
 *    register 12: peer id << 16 | vector 0). Each side publishes its own
 *    peer id (BAR0 register 8) in the header.
 *
 * VTL2 treats everything in this region as hostile input.
 */
#ifndef KHCL_MAILBOX_H
#define KHCL_MAILBOX_H

#include "compat.h"
#include "synic.h"

#define KHCL_MBOX_MAGIC		0x424d484bu	/* "KHMB" */
#define KHCL_MBOX_VERSION	1

#define KHCL_MBOX_SLOTS		64	/* per direction */
#define KHCL_MBOX_EVENTS	2048	/* flags per direction */

/* message_type values (SynIC: HVMSG_NONE is 0) */
#define KHCL_MSGTYPE_NONE	0
/* and KHCL_SYNIC_MSGTYPE_VMBUS (synic.h) */


struct khcl_mbox_msg {
	u32 message_type;	/* written last; 0 = slot free */
	u8 payload_size;	/* <= KHCL_SYNIC_PAYLOAD */
	u8 message_flags;
	u8 sint;
	u8 reserved;
	u32 connection_id;	/* towards VTL2: the port posted to */
	u32 vp;			/* towards VTL0: the target VP */
	u8 payload[KHCL_SYNIC_PAYLOAD];
};

struct khcl_mbox_side {
	u32 peer_id;		/* ivshmem IVPosition of this side */
	u32 state;		/* KHCL_MBOX_STATE_* */
	u32 generation;		/* bumped on each (re)attach */
	/*
	 * The side's own scratch. VTL0 keeps its slot cursors here
	 * ("KHCC", tx cursor, rx cursor, the VTL2 generation they belong
	 * to) so a reloaded guest transport continues where the last one
	 * stopped instead of posting into a slot VTL2 is not reading.
	 * VTL2 never reads the other side's scratch.
	 */
	u32 reserved[13];
};

#define KHCL_MBOX_STATE_DOWN	0
#define KHCL_MBOX_STATE_UP	1
/*
 * vtl0.state only: a VTL0 reset (the guest rebooted without unloading;
 * on Hyper-V the host tells the paravisor before VTL0 runs again). The
 * rig, not the guest, writes it for the guest that is gone; VTL2 closes
 * everything of that guest and then counts the reset in
 * vtl2.reserved[KHCL_MBOX_VTL2_RESETS]; the rig boots the next guest
 * (whose transport writes UP) only after that count moved
 * (scripts/mbox-reset.py). A guest's own DOWN (its transport unloading
 * after UNLOAD) is not a reset.
 */
#define KHCL_MBOX_STATE_RESET	2
#define KHCL_MBOX_VTL2_RESETS	0

struct khcl_mbox_hdr {
	u32 magic;		/* written by VTL2 when it attaches */
	u32 version;
	u32 reserved[14];
	struct khcl_mbox_side vtl2;	/* written by VTL2 only */
	struct khcl_mbox_side vtl0;	/* written by VTL0 only */
};

/* Offsets inside the region (at least 64 KiB; the rig gives 2 MiB). */
#define KHCL_MBOX_HDR_OFF	0x0000
#define KHCL_MBOX_TO_VTL2_OFF	0x1000	/* KHCL_MBOX_SLOTS messages */
#define KHCL_MBOX_TO_VTL0_OFF	0x5000
#define KHCL_MBOX_EV_VTL2_OFF	0x9000	/* KHCL_MBOX_EVENTS bytes */
#define KHCL_MBOX_EV_VTL0_OFF	0xa000
#define KHCL_MBOX_MIN_SIZE	0x10000

#ifdef __KERNEL__
#include <linux/build_bug.h>
#else
#include <assert.h>
#define static_assert _Static_assert
#endif

static_assert(sizeof(struct khcl_mbox_msg) == 256, "SynIC message size");
static_assert(sizeof(struct khcl_mbox_hdr) <= 0x1000, "mailbox header");
static_assert(KHCL_MBOX_SLOTS * sizeof(struct khcl_mbox_msg) ==
	      KHCL_MBOX_TO_VTL0_OFF - KHCL_MBOX_TO_VTL2_OFF, "slot area");
static_assert(KHCL_MBOX_EVENTS <= 0x1000, "event area");

#endif /* KHCL_MAILBOX_H */
