#!/bin/sh
# vtl2 side of net-stall-guest.sh (--vtl2-background): when the guest's
# packet filter turns promiscuous, vtl2 pings the peer from its own NIC
# (the backend; the peer's MAC fixed by netpeer.sh, no ARP): the echo
# replies come back through khcl's RX handler, which hands them to the
# promiscuous guest. Then the monitor's blocks until the rig stops.
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh
guest_filter 0x20	# be=: the backend
ip addr add 10.77.0.9/24 dev "$be"
ip neigh replace 10.77.0.1 lladdr 02:6b:68:63:6c:fe dev "$be" nud permanent
for _ in 1 2 3 4 5 6 7 8; do	# about 8 replies a second, for 90 s
	busybox ping -c 90 -W 1 10.77.0.1 >/dev/null 2>&1 &
done
monitor_blocks
