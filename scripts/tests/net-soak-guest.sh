#!/bin/sh
# The malformed network data soak (HOSTILE.md: each malformed packet 10^5
# times, no growth): khcl_netvsc_hostile opens khcl's NIC, maps its
# buffers, and sends its 9 malformed data packets (sections out of
# bounds, RNDIS lengths past the section, per-packet info inside the
# header or of size 0, a zero-length fragment, a page beyond VTL0 RAM)
# SOAK_ROUNDS times (kernel command line, default 100000), then a query
# that must still be answered. vtl2 (net-soak-vtl2.sh) samples its
# memory meanwhile; scripts/test.sh compares the samples (net_soak).
# checks: netvsc_soak
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for (rc: 1 after a fail)
n=${SOAK_ROUNDS:-100000}
hn=/sys/bus/vmbus/drivers/khcl_netvsc_hostile
modprobe khcl_vmbus_hostile || { fail netvsc_soak "khcl_vmbus_hostile did not load"; exit 1; }
wait_for 60 test -e "$hn/soak" || { fail netvsc_soak "no $hn/soak"; exit 1; }
# the NIC is the hostile driver's once hv_netvsc is not loaded
wait_for 60 sh -c "ls $hn | grep -q -- -" || { fail netvsc_soak "khcl_netvsc_hostile did not bind"; exit 1; }
echo "SOAK_BEGIN $n"
echo "$n" 2>/tmp/err >"$hn/soak"
r=$(cat "$hn/result")
case "$r" in
PASS*) pass netvsc_soak "$r" ;;
*) fail netvsc_soak "$r $(cat /tmp/err)" ;;
esac
echo "SOAK_END"
sleep 6		# vtl2's last samples, after the soak
exit "$rc"
