#!/bin/bash
# The rig's network peer: a network namespace khcl-NAME holding the tap
# device a QEMU NIC attaches to (that QEMU runs inside the namespace; its
# unix sockets are files and unaffected) and the peer's servers: iperf3,
# and the kernel answering ping. Its addresses exist only inside the
# namespace; it has no other device and no route out.
#   scripts/netpeer.sh up NAME     namespace, tap kt0 10.77.0.1/24, iperf3 -s
#   scripts/netpeer.sh down NAME   its processes killed, namespace deleted
# rig.sh --net-peer brings one up for vtl2's NIC and down on any exit.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || die "usage: $0 up|down NAME"
ns=khcl-$2
PEER_ADDR=10.77.0.1/24
case "$1" in
up)
	ip netns add "$ns" || die "cannot create network namespace $ns (root needed)"
	ip -n "$ns" link set lo up
	ip -n "$ns" tuntap add dev kt0 mode tap
	ip -n "$ns" addr add "$PEER_ADDR" dev kt0
	ip -n "$ns" link set kt0 up
	ip netns exec "$ns" iperf3 -s -D -B "${PEER_ADDR%/*}" >/dev/null
	log "peer $ns: tap kt0 ${PEER_ADDR%/*}, iperf3 server"
	;;
down)
	ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	;;
*) die "usage: $0 up|down NAME" ;;
esac
