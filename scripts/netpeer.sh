#!/bin/bash
# The rig's network peer: a network namespace khcl-NAME holding the tap
# devices QEMU NICs attach to (those QEMUs run inside the namespace; their
# unix sockets are files and unaffected), bridged to the peer's address,
# and the peer's servers: iperf3, and the kernel answering ping. Its
# addresses exist only inside the namespace; no route leads out.
#   kt0: vtl2's NIC (the MANA stand-in), kt1: the test guest's own
#   virtio-net (the host-PV baseline); the peer is br0, 10.77.0.1/24,
#   MAC 02:6b:68:63:6c:fe; on VLAN 5 it is 10.77.5.1, answered by
#   scripts/vlanpeer.py (ARP and ping: this host's kernel may lack 802.1Q).
#   scripts/netpeer.sh up NAME     namespace, bridge, taps, iperf3 -s
#                                  (NET_QUEUES > 1: both taps multi-queue,
#                                  as QEMU's queues= then opens them)
#   scripts/netpeer.sh down NAME   its processes killed, namespace deleted
# rig.sh --net-peer brings one up for vtl2's NIC and down on any exit.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: $0 up|down NAME"
ns=khcl-$2
PEER_ADDR=10.77.0.1/24
PEER_MAC=02:6b:68:63:6c:fe
case "$1" in
up)
	ip netns add "$ns" || die "cannot create network namespace $ns (root needed)"
	ip -n "$ns" link set lo up
	ip -n "$ns" link add br0 type bridge
	for t in kt0 kt1; do
		mq=()
		[ "${NET_QUEUES:-1}" -gt 1 ] && mq=(multi_queue)
		ip -n "$ns" tuntap add dev "$t" mode tap "${mq[@]}"
		ip -n "$ns" link set "$t" master br0 up
	done
	# a fixed MAC: vtl2 can name the peer without ARP (net-stall-vtl2.sh)
	ip -n "$ns" link set br0 address "$PEER_MAC"
	ip -n "$ns" addr add "$PEER_ADDR" dev br0
	ip -n "$ns" link set br0 up
	ip netns exec "$ns" python3 "$(dirname "$0")/vlanpeer.py" br0 5 10.77.5.1 \
		"$PEER_MAC" </dev/null >/dev/null 2>&1 &
	# a client that vanished (a guest rebooted mid-test) holds the
	# one-test server only until 5 s without data or ACKs
	ip netns exec "$ns" iperf3 -s -D -B "${PEER_ADDR%/*}" \
		--rcv-timeout 5000 --snd-timeout 5000 >/dev/null
	log "peer $ns: ${PEER_ADDR%/*} on br0 (taps kt0, kt1), 10.77.5.1 on VLAN 5, iperf3 server"
	;;
down)
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	;;
*) die "usage: $0 up|down NAME" ;;
esac
