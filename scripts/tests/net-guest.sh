#!/bin/sh
# The test guest's stock hv_netvsc on khcl's NIC (rig.sh --net-peer):
# vtl2's mana_xlat carries its frames over vtl2's virtio-net to the peer.
# NET_MAC (kernel command line): the MAC the NIC must report (default
# khcl's knob default, 02:6b:68:63:6c:01).
# A VLAN (5) on the NIC: netvsc tags through the VLAN per-packet info,
# khcl through the skb's tag, both ways (the peer answers ARP and ping on
# VLAN 5 from user space: scripts/vlanpeer.py).
# checks: netvsc_carrier guest_pings_peer ping_sizes iperf3_tcp_tx
# checks: iperf3_tcp_rx iperf3_udp vlan_ping
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for, on_peer (rc: 1 after a fail)
modprobe hv_netvsc 2>/dev/null
if ! wait_for 30 khcl_nic; then
	fail netvsc_carrier "no NIC bound to hv_netvsc: $(dmesg | grep -i 'netvsc\|rndis' | tail -3)"
	exit 1
fi
ip link set "$dev" up
mac=$(cat "/sys/class/net/$dev/address")
if [ "$mac" != "${NET_MAC:-02:6b:68:63:6c:01}" ]; then
	fail netvsc_carrier "$dev has MAC $mac, not ${NET_MAC:-02:6b:68:63:6c:01}"
elif wait_for 20 carrier_is "$dev" 1; then
	pass netvsc_carrier "$dev $(cat "/sys/class/net/$dev/address") mtu $(cat "/sys/class/net/$dev/mtu")"
else
	fail netvsc_carrier "$(ip link show "$dev" | head -1)"
fi
on_peer guest_pings_peer "$dev" 10.77.0.3
bad=''
for s in 56 1472 1473 4000 8000 20000; do	# > 1472: IP fragments
	busybox ping -c 2 -W 3 -s $s 10.77.0.1 >/dev/null 2>&1 || bad="$bad $s"
done
if [ -z "$bad" ]; then
	pass ping_sizes "56 to 20000 bytes, fragmented above 1472"
else
	fail ping_sizes "no answer at sizes$bad"
fi
iperf iperf3_tcp_tx
iperf iperf3_tcp_rx -R
iperf iperf3_udp -u -b 50M
ip link add link "$dev" name "$dev.5" type vlan id 5
ip addr add 10.77.5.3/24 dev "$dev.5"
ip link set "$dev.5" up
if _o=$(busybox ping -c 3 -W 3 10.77.5.1 2>&1) &&
	busybox ping -c 2 -W 3 -s 1400 10.77.5.1 >/dev/null 2>&1; then
	pass vlan_ping "$dev.5 (VLAN 5), 56 and 1400 bytes: $(echo "$_o" | tail -1)"
else
	fail vlan_ping "$dev.5: $(echo "$_o" | tail -2 | tr '\n' ' ')"
fi
# quiet, so vtl2's last counters show every receive section back
sleep 12
exit "$rc"
