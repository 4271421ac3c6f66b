#!/bin/sh
# What an admin does to the stock hv_netvsc on khcl's NIC (rig.sh
# --net-peer, with net-ops-vtl2.sh in vtl2): offload toggles, an MTU
# change (netvsc closes the channel and probes it again), and a link
# flap of vtl2's backend NIC (promiscuous mode on is the cue for vtl2 to
# take its NIC down for 5 s). Traffic must resume after each. With
# NET_MAC (kernel command line) the NIC must report that MAC (vtl2 run
# with khcl_mana_xlat.mac= empty: the backend's own, as MANA needs).
# checks: guest_pings_peer nic_mac ethtool_toggles mtu_change link_flap
# checks: traffic_after_all
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for, on_peer, khcl_nic, iperf
modprobe hv_netvsc 2>/dev/null
wait_for 30 khcl_nic || { fail guest_pings_peer "no NIC with khcl's MAC"; exit 1; }
ip link set "$dev" up
wait_for 20 carrier_is "$dev" 1
on_peer guest_pings_peer "$dev" 10.77.0.3
mac=$(cat "/sys/class/net/$dev/address")
if [ -z "${NET_MAC:-}" ] || [ "$mac" = "$NET_MAC" ]; then
	pass nic_mac "$dev $mac"
else
	fail nic_mac "$dev has $mac, not $NET_MAC"
fi
# ok_traffic: pings and 4 MB of TCP each way, all of it delivered (iperf3
# exits 0 after -t seconds even when nothing arrived; -n waits for the
# bytes, and the peer gives up after 5 s without progress)
ok_traffic() {
	busybox ping -c 2 -W 3 10.77.0.1 >/dev/null 2>&1 &&
		timeout 60 iperf3 -c 10.77.0.1 -n 4M >/dev/null 2>&1 &&
		timeout 60 iperf3 -c 10.77.0.1 -n 4M -R >/dev/null 2>&1
}
bad=''
# rx off: the guest checks every TCP checksum, RSC's coalesced segments
# included; lro off: RSC off, vtl2 cuts coalesced segments back
for f in tso tx rx sg lro; do
	ethtool -K "$dev" "$f" off >/dev/null 2>&1 || bad="$bad $f(cannot)"
	ok_traffic || bad="$bad $f-off"
	ethtool -K "$dev" "$f" on >/dev/null 2>&1
	ok_traffic || bad="$bad $f-on"
done
if [ -z "$bad" ]; then
	pass ethtool_toggles "tso, tx, rx checksum, sg, lro: off and on, traffic each time"
else
	fail ethtool_toggles "$bad"
fi
# a new MTU: netvsc halts RNDIS, revokes its buffers, reopens the channel
if ip link set "$dev" mtu 1280 && wait_for 30 carrier_is "$dev" 1 &&
	[ "$(cat "/sys/class/net/$dev/mtu")" = 1280 ] && wait_for 20 ok_traffic &&
	ip link set "$dev" mtu 1500 && wait_for 30 carrier_is "$dev" 1 &&
	wait_for 20 ok_traffic &&
	busybox ping -c 2 -W 3 -s 1472 10.77.0.1 >/dev/null 2>&1; then
	pass mtu_change "1500 -> 1280 -> 1500, traffic after each"
else
	fail mtu_change "mtu $(cat "/sys/class/net/$dev/mtu"): $(dmesg | grep -i 'netvsc\|rndis' | tail -3 | tr '\n' ' ')"
fi
# the cue: promiscuous mode (an RNDIS packet filter vtl2 can see)
ip link set "$dev" promisc on
t0=$(cut -d' ' -f1 /proc/uptime)
if wait_for 60 carrier_is "$dev" 0; then
	t1=$(cut -d' ' -f1 /proc/uptime)
	if wait_for 60 carrier_is "$dev" 1 && wait_for 20 ok_traffic; then
		pass link_flap "carrier off $(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}') s after the cue, back on, traffic resumed"
	else
		fail link_flap "carrier did not come back"
	fi
else
	fail link_flap "carrier never went off"
fi
ip link set "$dev" promisc off
iperf traffic_after_all
exit "$rc"
