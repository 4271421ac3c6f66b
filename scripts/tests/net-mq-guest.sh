#!/bin/sh
# The stock hv_netvsc on khcl's NIC with two queues (rig.sh --net-peer
# --net-queues 2 --vtl2-cpus 2 --guest-cpus 2): netvsc asks for a
# sub-channel, sets RSS over both channels and sends as khcl's
# SEND_INDIRECTION_TABLE says; 16 TCP flows each way then use both of
# its queues (16 flows: all on one queue by chance once in 30,000 runs).
# checks: guest_pings_peer netvsc_queues iperf3_tcp_tx_flows
# checks: iperf3_tcp_rx_flows queues_used
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for, on_peer, iperf (rc: 1 after a fail)
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
# netvsc's own per-queue counters: every queue sent and received
stats=$(ethtool -S "$dev" | tr -d ' ' | grep -E '^(tx|rx)_queue_[0-9]+_packets:')
idle=$(echo "$stats" | grep ':0$' || true)
if [ -n "$stats" ] && [ -z "$idle" ]; then
	pass queues_used "$(echo "$stats" | tr '\n' ' ')"
else
	fail queues_used "idle:$(echo "$idle" | tr '\n' ' ') all: $(echo "$stats" | tr '\n' ' ')"
fi
# quiet, so vtl2's last counters show every receive section back
sleep 12
exit "$rc"
