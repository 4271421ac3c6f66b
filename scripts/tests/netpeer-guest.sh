#!/bin/sh
# The test guest's own virtio-net on the network peer (rig.sh --net-peer
# --guest-virtio-net: the host-PV baseline's NIC): it reaches the peer at
# 10.77.0.1, and iperf3 to the peer's server moves data.
# checks: guest_pings_peer guest_iperf3_peer
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for, on_peer (rc: 1 after a fail)
dev=''
for d in /sys/class/net/*; do
	[ "$(cat "$d/device/vendor" 2>/dev/null)" = 0x1af4 ] && { dev=${d##*/}; break; }
done
[ -n "$dev" ] || { fail guest_pings_peer "no virtio-net device"; exit 1; }
on_peer guest_pings_peer "$dev" 10.77.0.3
if out=$(iperf3 -c 10.77.0.1 -t 3 -f m 2>&1) &&
	r=$(echo "$out" | grep -m1 ' receiver$'); then
	pass guest_iperf3_peer "$(echo "$r" | tr -s ' ' | cut -d' ' -f5-8)"
else
	fail guest_iperf3_peer "$(echo "$out" | tail -3 | tr '\n' ' ')"
fi
exit "$rc"
