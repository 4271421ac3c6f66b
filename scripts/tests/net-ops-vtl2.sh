#!/bin/sh
# vtl2 side of net-ops-guest.sh (--vtl2-background): when the guest's
# packet filter turns promiscuous (its cue), take the backend NIC down
# for 5 s and up again; then the monitor's blocks until the rig stops.
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh
nic=/sys/module/khcl_mana_xlat/parameters/nic
n=0
while ! grep -q 'filter 0x20 ' $nic && [ $n -lt 1200 ]; do
	sleep 0.5
	n=$((n + 1))
done
be=$(sed -n 's/^backend \([^ ]*\).*/\1/p' $nic)
echo "cue seen: $(cat $nic)"
ip link set "$be" down
sleep 5
echo "backend down: $(cat $nic)"
ip link set "$be" up
echo "backend up again"
monitor_blocks
