#!/bin/sh
# vtl2 side of net-ops-guest.sh (--vtl2-background): when the guest's
# packet filter turns promiscuous (its cue), take the backend NIC down
# for 5 s and up again; then the monitor's blocks until the rig stops.
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh
guest_filter 0x20	# be=: the backend
ip link set "$be" down
sleep 5
echo "backend down: $(cat /sys/module/khcl_mana_xlat/parameters/nic)"
ip link set "$be" up
echo "backend up again"
monitor_blocks
