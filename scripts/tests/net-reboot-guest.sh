#!/bin/sh
# The test guest rebooted mid-transfer (first boot): iperf3 sends to the
# peer through khcl's NIC, then reboot -f (no unload, no RNDIS HALT, no
# VMBus goodbye). rig.sh --guest-reboot-script boots it again with
# net-reboot2-guest.sh.
# checks: guest_pings_peer rebooting_mid_transfer
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for, on_peer, khcl_nic
modprobe hv_netvsc 2>/dev/null
wait_for 30 khcl_nic || { fail guest_pings_peer "no NIC with khcl's MAC"; exit 1; }
ip link set "$dev" up
wait_for 20 carrier_is "$dev" 1
on_peer guest_pings_peer "$dev" 10.77.0.3
iperf3 -c 10.77.0.1 -t 60 -P 2 >/dev/null 2>&1 &
sleep 4
pass rebooting_mid_transfer "$(grep "$dev" /proc/net/dev | tr -s ' ')"
echo KHCL_REBOOT
reboot -f
