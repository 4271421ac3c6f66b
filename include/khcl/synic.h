/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SynIC and VMBus numbers every khcl layer shares, one name each:
 * the transport API (vtl2/), the VMBus wire formats (vmbus_relay/), the
 * rig's mailbox and the test guest. Plain C, no includes.
 */
#ifndef KHCL_SYNIC_H
#define KHCL_SYNIC_H

/* Payload bytes of one SynIC message (HV_MESSAGE_PAYLOAD_BYTE_COUNT) */
#define KHCL_SYNIC_PAYLOAD		240
/* SynIC message type of VMBus channel messages (Linux: HVMSG type 1) */
#define KHCL_SYNIC_MSGTYPE_VMBUS	1
/* The SINT VMBus messages and events arrive on (VMBUS_MESSAGE_SINT) */
#define KHCL_VMBUS_SINT			2
/* Where a 5.0+ client posts (VMBUS_MESSAGE_CONNECTION_ID_4) */
#define KHCL_VMBUS_MSG_CONN_ID		4

#endif /* KHCL_SYNIC_H */
