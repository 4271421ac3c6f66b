/* SPDX-License-Identifier: GPL-2.0 */
/* Tracepoints of the khcl VMBus server: control messages, channel events. */
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

#endif /* _KHCL_VMBUS_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
