/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of khcl's network VSP (events/khcl_net/): each guest send
 * (its frames, bytes, how many went zero copy, its status), each frame
 * handed to the guest, each drop with its reason, link changes.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM khcl_net

#if !defined(_KHCL_NET_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _KHCL_NET_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(khcl_net_send,
	TP_PROTO(u32 chan, u64 trans_id, u32 frames, u32 bytes, u32 zc,
		 bool ok),
	TP_ARGS(chan, trans_id, frames, bytes, zc, ok),
	TP_STRUCT__entry(
		__field(u32, chan)
		__field(u64, trans_id)
		__field(u32, frames)
		__field(u32, bytes)
		__field(u32, zc)
		__field(bool, ok)
	),
	TP_fast_assign(
		__entry->chan = chan;
		__entry->trans_id = trans_id;
		__entry->frames = frames;
		__entry->bytes = bytes;
		__entry->zc = zc;
		__entry->ok = ok;
	),
	TP_printk("chan=%u trans_id=%llu frames=%u bytes=%u zerocopy=%u %s",
		  __entry->chan, __entry->trans_id, __entry->frames,
		  __entry->bytes, __entry->zc, __entry->ok ? "ok" : "failed")
);

TRACE_EVENT(khcl_net_recv,
	TP_PROTO(u32 chan, int section, u32 len, u32 csum),
	TP_ARGS(chan, section, len, csum),
	TP_STRUCT__entry(
		__field(u32, chan)
		__field(int, section)
		__field(u32, len)
		__field(u32, csum)
	),
	TP_fast_assign(
		__entry->chan = chan;
		__entry->section = section;
		__entry->len = len;
		__entry->csum = csum;
	),
	TP_printk("chan=%u section=%d len=%u csum=%#x", __entry->chan,
		  __entry->section, __entry->len, __entry->csum)
);

TRACE_EVENT(khcl_net_drop,
	TP_PROTO(const char *reason),
	TP_ARGS(reason),
	TP_STRUCT__entry(
		__string(reason, reason)
	),
	TP_fast_assign(
		__assign_str(reason);
	),
	TP_printk("%s", __get_str(reason))
);

TRACE_EVENT(khcl_net_link,
	TP_PROTO(bool up),
	TP_ARGS(up),
	TP_STRUCT__entry(
		__field(bool, up)
	),
	TP_fast_assign(
		__entry->up = up;
	),
	TP_printk("%s", __entry->up ? "up" : "down")
);

#endif /* _KHCL_NET_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
