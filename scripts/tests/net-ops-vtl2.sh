#!/bin/sh
# vtl2 side of net-ops-guest.sh (--vtl2-background): when the guest's
# packet filter turns promiscuous (its cue), take the backend NIC down
# for 5 s and up again; then the monitor's blocks until the rig stops.
# The toggles came first: the guest's LRO off and on made vtl2 send
# coalesced segments as RSC and, meanwhile, cut them back.
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh
net_trace_start		# the debug kernel's: the flap's link events too
guest_filter 0x20	# be=: the backend
p=/sys/module/khcl_mana_xlat/parameters
if [ "$(cat $p/rx_rsc)" -gt 0 ] && [ "$(cat $p/rx_segmented)" -gt 0 ]; then
	pass rsc_toggle "rx_rsc=$(cat $p/rx_rsc) rx_segmented=$(cat $p/rx_segmented)"
else
	fail rsc_toggle "rx_rsc=$(cat $p/rx_rsc) rx_segmented=$(cat $p/rx_segmented)"
fi
ip link set "$be" down
sleep 5
echo "backend down: $(cat /sys/module/khcl_mana_xlat/parameters/nic)"
ip link set "$be" up
echo "backend up again"
monitor_blocks
