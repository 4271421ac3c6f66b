/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The echo channel (test only): khcl's echo VSP offers it, the test
 * guest's echo client drives it.
 *
 * Every VM_PKT_DATA_INBAND packet the guest sends is answered with one
 * VM_PKT_COMP packet carrying the same transaction id and the same payload
 * bytes (when the guest set VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED;
 * otherwise the packet is consumed silently). Payloads are 1..KHCL_ECHO_MAX
 * bytes; the sender pads to 8 as VMBus does, the echo repeats the padded
 * payload.
 */
#ifndef KHCL_ECHO_PROTO_H
#define KHCL_ECHO_PROTO_H

/* {6c9b3c3e-8f3b-4a4e-9d1a-6b686c000001}: khcl echo channel class */
#define KHCL_ECHO_CLASS_GUID_BYTES {					\
	0x3e, 0x3c, 0x9b, 0x6c, 0x3b, 0x8f, 0x4e, 0x4a,			\
	0x9d, 0x1a, 0x6b, 0x68, 0x6c, 0x00, 0x00, 0x01 }
/* {6c9b3c3e-8f3b-4a4e-9d1a-6b686c0000aa}: its one instance */
#define KHCL_ECHO_INSTANCE_GUID_BYTES {					\
	0x3e, 0x3c, 0x9b, 0x6c, 0x3b, 0x8f, 0x4e, 0x4a,			\
	0x9d, 0x1a, 0x6b, 0x68, 0x6c, 0x00, 0x00, 0xaa }

#define KHCL_ECHO_MAX		4000	/* payload bytes per packet */

/*
 * Control requests, on the primary channel only: an inband packet with
 * COMPLETION_REQUESTED whose payload is exactly one struct khcl_echo_ctl
 * with this magic (24 bytes: no echo payload pads to that size). The
 * completion carries the struct back with result filled in.
 *   KHCL_ECHO_OP_SUBCHANNELS arg=N: offer N sub-channels; result = how
 *   many were offered (the offers precede the completion), or
 *   KHCL_ECHO_RESULT_ERR.
 *   KHCL_ECHO_OP_DELAY arg=N: from now on this channel (until it closes)
 *   answers each echo from a hard-irq timer after a random 0..N us
 *   (N <= 1000000; 0: khcl_echo_vsp's complete_delay_us, default at
 *   once), so answers leave out of order and requests stay in flight;
 *   result 0.
 * Sub-channels echo like the primary and answer SUBCHANNELS with
 * KHCL_ECHO_RESULT_ERR.
 */
#define KHCL_ECHO_CTL_MAGIC	0x6c74632d6c63686bULL	/* "khcl-ctl" */
#define KHCL_ECHO_OP_SUBCHANNELS 1
#define KHCL_ECHO_OP_DELAY	2
#define KHCL_ECHO_MAX_DELAY_US	1000000
#define KHCL_ECHO_RESULT_ERR	0xffffffffu

struct khcl_echo_ctl {
	u64 magic;
	u32 op;
	u32 arg;
	u32 result;
	u32 reserved;
};

#endif /* KHCL_ECHO_PROTO_H */
