#!/bin/sh
# make bench, profile (--vtl2-background, vtl2 role bench): where vtl2's
# CPU goes while it serves the test guest's fio workloads (PROFILE_NET=1:
# its network workloads; the count is then mana_xlat's packets both ways,
# a burst more than 50 a second). For each
# workload, once nvme_xlat's I/O count moves, perf samples all of vtl2
# for PROFILE_S seconds (cpu-clock: TCG has no PMU, so a timer sample at
# each tick), then prints, while the workload still runs:
#   PROFILE_BEGIN n ios busy_ticks total_ticks   (over the sampled window)
#   perf's flat profile by symbol, then by object (kernel, each module)
#   PROFILE_END n
# and waits for the I/O to stop before the next one.
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
ticks() {	# busy and total USER_HZ ticks of all CPUs
	awk '/^cpu /{t=0; for (i=2; i<=NF; i++) t+=$i; print t-$5-$6, t}' /proc/stat
}
busy() {	# does the LUN see I/O (the NIC packets) within a second?
	_a=$(count)
	sleep 1
	[ "$(count)" -gt $((_a + floor)) ]
}
n=0
while :; do
	busy || continue
	n=$((n + 1))
	i0=$(count)
	# shellcheck disable=SC2046  # two numbers
	set -- $(ticks)
	perf record -q -a -e cpu-clock -F 250 -o /tmp/perf.$n -- sleep "$ps" \
		2>/dev/null
	# shellcheck disable=SC2046
	set -- "$@" $(ticks)
	echo "PROFILE_BEGIN $n $(($(count) - i0)) $(($3 - $1)) $(($4 - $2))"
	perf report -i /tmp/perf.$n --stdio -q --sort sym --percent-limit 0.7 \
		2>/dev/null | head -40
	echo "PROFILE_BY_OBJECT $n"
	perf report -i /tmp/perf.$n --stdio -q --sort dso 2>/dev/null | head -12
	echo "PROFILE_END $n"
	rm -f /tmp/perf.$n
	while busy; do :; done
done
