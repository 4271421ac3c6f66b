#!/bin/sh
# vtl2 side of the VMBus rig runs (--vtl2-background): every few seconds,
# the server's state, counters and channels, so the last block before the
# rig stops shows what the guest's run did to them.
# debug kernel: the server's control and channel tracepoints, shown at
# the end of each block (not the per-request ones: two events a packet
# would make every block slower than the run it watches)
for ev in khcl_vmbus_msg khcl_vmbus_chan; do
	ev=/sys/kernel/debug/tracing/events/khcl_vmbus/$ev/enable
	[ -w "$ev" ] && echo 1 >"$ev"
done
while :; do
	echo "=== uptime $(cut -d' ' -f1 /proc/uptime)"
	for f in version state stats; do
		echo "--- $f"
		cat "/sys/kernel/khcl/vmbus/$f"
	done
	for c in /sys/kernel/khcl/vmbus/channels/*; do
		[ -d "$c" ] || continue
		echo "--- channel ${c##*/}: $(cat "$c/name") $(cat "$c/state") sub=$(cat "$c/sub_index") in=$(cat "$c/packets_in") out=$(cat "$c/packets_out") events=$(cat "$c/events_in") signals=$(cat "$c/signals_out") full=$(cat "$c/ring_full") batches=$(cat "$c/batches") no_request=$(cat "$c/no_request") dropped=$(cat "$c/answers_dropped") overstays=$(cat "$c/drain_overstays") double_ends=$(cat "$c/double_ends") $(sed -n 's/^depth /depth=/p' "$c/requests")"
		tr '\n' ' ' <"$c/ring_errors"
		echo
	done
	grep -H . /sys/module/khcl_echo_vsp/parameters/* 2>/dev/null
	grep -H . /sys/module/khcl_nvme_xlat/parameters/* 2>/dev/null
	grep -H . /sys/module/khcl_mana_xlat/parameters/* 2>/dev/null
	grep -E 'MemFree|Slab' /proc/meminfo
	if [ -r /sys/kernel/debug/tracing/trace ]; then
		echo "--- last khcl_vmbus trace events"
		grep khcl_vmbus /sys/kernel/debug/tracing/trace | tail -4
	fi
	# debug kernel: a kmemleak scan takes 20 s and more under TCG; one
	# block in four, so the counters stay fresh
	n=$((${n:-0} + 1))
	if [ -w /sys/kernel/debug/kmemleak ] && [ $((n % 4)) = 1 ]; then
		echo scan >/sys/kernel/debug/kmemleak
		cat /sys/kernel/debug/kmemleak
	fi
	sleep 5
done
