#!/bin/sh
# vtl2 alone on the network peer (rig.sh --net-peer): its NIC (virtio-net,
# the MANA stand-in) reaches the peer at 10.77.0.1 and nothing else.
# checks: vtl2_pings_peer vtl2_no_route_out
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for, on_peer (rc: 1 after a fail)
dev=''
for d in /sys/class/net/*; do
	[ "${d##*/}" = lo ] || { dev=${d##*/}; break; }
done
on_peer vtl2_pings_peer "$dev" 10.77.0.2
# the namespace has no route out: an outside address does not answer
if busybox ping -c 1 -W 2 192.0.2.1 >/dev/null 2>&1; then
	fail vtl2_no_route_out "192.0.2.1 answered"
else
	pass vtl2_no_route_out "192.0.2.1 (TEST-NET-1) unreachable"
fi
exit "$rc"
