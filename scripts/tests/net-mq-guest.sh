#!/bin/sh
# The stock hv_netvsc on khcl's NIC with two queues (rig.sh --net-peer
# --net-queues 2 --vtl2-cpus 2 --guest-cpus 2): netvsc asks for a
# sub-channel, sets RSS over both channels and sends as khcl's
# SEND_INDIRECTION_TABLE says; 16 TCP flows each way then use both of
# its queues (16 flows: all on one queue by chance once in 30,000 runs).
# Before it, a lying netvsc (khcl_netvsc_hostile "subch") abuses the
# sub-channels khcl offers: control on them, foreign completions, bad
# data (3 rounds), then the sub-channel closed alone (a raw CLOSECHANNEL)
# and data sent on it; the stock netvsc binds after it.
# checks: netvsc_subch guest_pings_peer netvsc_queues iperf3_tcp_tx_flows
# checks: iperf3_tcp_rx_flows queues_used
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for, on_peer, iperf (rc: 1 after a fail)
hn=/sys/bus/vmbus/drivers/khcl_netvsc_hostile
if modprobe khcl_vmbus_hostile && wait_for 60 test -e "$hn/subch" &&
	wait_for 60 sh -c "ls $hn | grep -q -- -" &&
	echo 3 2>/tmp/err >"$hn/subch"; then
	r=$(cat "$hn/result")
	case "$r" in
	PASS*) pass netvsc_subch "$r" ;;
	*) fail netvsc_subch "$r" ;;
	esac
else
	fail netvsc_subch "not run: $(cat /tmp/err 2>/dev/null)"
fi
rmmod khcl_vmbus_hostile
modprobe hv_netvsc 2>/dev/null
if ! wait_for 30 khcl_nic; then
	fail netvsc_queues "no NIC bound to hv_netvsc: $(dmesg | grep -i 'netvsc\|rndis' | tail -3)"
	exit 1
fi
on_peer guest_pings_peer "$dev" 10.77.0.3
# shellcheck disable=SC2317  # called through wait_for
rxq() { [ -d "/sys/class/net/$dev/queues/rx-1" ]; }
if wait_for 30 rxq; then
	pass netvsc_queues "$dev: $(ethtool -l "$dev" | tail -4 | tr -s '\t\n' '  ')"
else
	fail netvsc_queues "$(ls /sys/class/net/"$dev"/queues) $(dmesg | grep -i 'sub.channel\|vrss\|netvsc' | tail -3)"
fi
iperf iperf3_tcp_tx_flows -P 16
iperf iperf3_tcp_rx_flows -P 16 -R
# netvsc's own per-queue counters: two queues or more (one channel
# lists only queue 0), every one sent and received
stats=$(ethtool -S "$dev" | tr -d ' ' | grep -E '^(tx|rx)_queue_[0-9]+_packets:')
idle=$(echo "$stats" | grep ':0$' || true)
nq=$(echo "$stats" | grep -c '^rx_queue_')
if [ "$nq" -ge 2 ] && [ -z "$idle" ]; then
	pass queues_used "$(echo "$stats" | tr '\n' ' ')"
else
	fail queues_used "$nq queues, idle:$(echo "$idle" | tr '\n' ' ') all: $(echo "$stats" | tr '\n' ' ')"
fi
# quiet, so vtl2's last counters show every receive section back
sleep 12
exit "$rc"
