#!/bin/sh
# make bench, profile (--vtl2-background, vtl2 role bench): where vtl2's
# CPU goes while it serves the test guest's fio workloads (PROFILE_NET=1:
# its network workloads; the count is then mana_xlat's packets both ways,
# a burst more than 50 a second). For each
# workload, once nvme_xlat's I/O count moves, perf samples all of vtl2
# for PROFILE_S seconds and prints the window while the workload still
# runs (vmlib.sh profile_window), then waits for the I/O to stop before
# the next one.
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# profile_window
d=/sys/kernel/khcl/nvme_xlat
ps=${PROFILE_S:-8}
count() {	# I/Os, or packets both ways
	if [ "${PROFILE_NET:-0}" = 1 ]; then
		echo $(($(cat /sys/module/khcl_mana_xlat/parameters/tx_packets) +
			$(cat /sys/module/khcl_mana_xlat/parameters/rx_packets)))
	else
		cat $d/ios
	fi
}
floor=0
[ "${PROFILE_NET:-0}" = 1 ] && floor=50	# stray ARP and ND are less
busy() {	# does the LUN see I/O (the NIC packets) within a second?
	_a=$(count)
	sleep 1
	[ "$(count)" -gt $((_a + floor)) ]
}
n=0
while :; do
	busy || continue
	n=$((n + 1))
	profile_window $n "$ps" count
	while busy; do :; done
done
