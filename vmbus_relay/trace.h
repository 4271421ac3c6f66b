/* SPDX-License-Identifier: GPL-2.0 */
/* Tracepoints of the khcl VMBus server: control messages, channel events, requests. */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM khcl_vmbus

#if !defined(_KHCL_VMBUS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KHCL_VMBUS_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(khcl_vmbus_msg,
	TP_PROTO(bool rx, u32 type, u32 len, int ret),
	TP_ARGS(rx, type, len, ret),
	TP_STRUCT__entry(
		__field(bool, rx)
		__field(u32, type)
		__field(u32, len)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->rx = rx;
		__entry->type = type;
		__entry->len = len;
		__entry->ret = ret;
	),
	TP_printk("%s type=%u len=%u ret=%d", __entry->rx ? "rx" : "tx",
		  __entry->type, __entry->len, __entry->ret)
);

TRACE_EVENT(khcl_vmbus_chan,
	TP_PROTO(u32 relid, const char *what, u32 arg),
	TP_ARGS(relid, what, arg),
	TP_STRUCT__entry(
		__field(u32, relid)
		__string(what, what)
		__field(u32, arg)
	),
	TP_fast_assign(
		__entry->relid = relid;
		__assign_str(what);
		__entry->arg = arg;
	),
	TP_printk("relid=%u %s %u", __entry->relid, __get_str(what),
		  __entry->arg)
);

/*
 * A VSP request, keyed by relid and trans_id: started for a guest packet
 * (or unsolicited: trans_id 0), ended by the VSP with an answer packet of
 * @type (0: none) and @len bytes.
 */
DECLARE_EVENT_CLASS(khcl_vsp_req,
	TP_PROTO(u32 relid, u64 trans_id, u16 type, u32 len),
	TP_ARGS(relid, trans_id, type, len),
	TP_STRUCT__entry(
		__field(u32, relid)
		__field(u64, trans_id)
		__field(u16, type)
		__field(u32, len)
	),
	TP_fast_assign(
		__entry->relid = relid;
		__entry->trans_id = trans_id;
		__entry->type = type;
		__entry->len = len;
	),
	TP_printk("relid=%u trans_id=%llu type=%u len=%u", __entry->relid,
		  __entry->trans_id, __entry->type, __entry->len)
);

DEFINE_EVENT(khcl_vsp_req, khcl_vsp_req_start,
	TP_PROTO(u32 relid, u64 trans_id, u16 type, u32 len),
	TP_ARGS(relid, trans_id, type, len));

DEFINE_EVENT(khcl_vsp_req, khcl_vsp_req_end,
	TP_PROTO(u32 relid, u64 trans_id, u16 type, u32 len),
	TP_ARGS(relid, trans_id, type, len));

#endif /* _KHCL_VMBUS_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
