#!/bin/sh
# The test guest after a reboot mid-transfer (second boot, see
# net-reboot-guest.sh): khcl has closed the old channel, its zero-copy
# sends completed; the new netvsc binds, gets its address back onto the
# peer and moves traffic both ways.
# checks: netvsc_carrier guest_pings_peer iperf3_tcp_tx iperf3_tcp_rx
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for, on_peer, khcl_nic, iperf
modprobe hv_netvsc 2>/dev/null
wait_for 30 khcl_nic || { fail netvsc_carrier "no NIC with khcl's MAC"; exit 1; }
ip link set "$dev" up
if wait_for 20 carrier_is "$dev" 1; then
	pass netvsc_carrier "$dev after the reboot"
else
	fail netvsc_carrier "$(ip link show "$dev" | head -1)"
fi
on_peer guest_pings_peer "$dev" 10.77.0.3
# the peer's server drops the old boot's test once it hears nothing
# (netpeer.sh: 5 s)
# shellcheck disable=SC2317  # called through wait_for
server_free() { iperf3 -c 10.77.0.1 -t 1 >/dev/null 2>&1; }
wait_for 30 server_free
iperf iperf3_tcp_tx
iperf iperf3_tcp_rx -R
sleep 6		# a vtl2 monitor block after it
exit "$rc"
