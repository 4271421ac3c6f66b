#!/bin/sh
# A guest that stops receiving (XSA-392), rig.sh --net-peer with
# net-stall-vtl2.sh: khcl_netvsc_hostile sets a promiscuous filter (the
# cue for vtl2 to send traffic whose answers come to it), keeps every
# receive section until all are its own and 6 s more (vtl2 holds then
# drops what arrives: rx_queue, rx_stall_ms), gives them back, and must
# receive again. vtl2's counters show the drops (scripts/test.sh).
# checks: netvsc_stall
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for (rc: 1 after a fail)
hn=/sys/bus/vmbus/drivers/khcl_netvsc_hostile
modprobe khcl_vmbus_hostile || { fail netvsc_stall "khcl_vmbus_hostile did not load"; exit 1; }
wait_for 60 test -e "$hn/stall" || { fail netvsc_stall "no $hn/stall"; exit 1; }
wait_for 60 sh -c "ls $hn | grep -q -- -" || { fail netvsc_stall "khcl_netvsc_hostile did not bind"; exit 1; }
echo 1 2>/tmp/err >"$hn/stall"
r=$(cat "$hn/result")
case "$r" in
PASS*) pass netvsc_stall "$r" ;;
*) fail netvsc_stall "$r $(cat /tmp/err)" ;;
esac
sleep 6		# vtl2's monitor block after it
exit "$rc"
