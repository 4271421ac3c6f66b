#!/bin/sh
# make bench, profile (--vtl2-background, vtl2 role bench): where vtl2's
# CPU goes while it serves the test guest's fio workloads. For each
# workload, once nvme_xlat's I/O count moves, perf samples all of vtl2
# for PROFILE_S seconds (cpu-clock: TCG has no PMU, so a timer sample at
# each tick), then prints, while the workload still runs:
#   PROFILE_BEGIN n ios busy_ticks total_ticks   (over the sampled window)
#   perf's flat profile by symbol, then by object (kernel, each module)
#   PROFILE_END n
# and waits for the I/O to stop before the next one.
d=/sys/kernel/khcl/nvme_xlat
ps=${PROFILE_S:-8}
ticks() {	# busy and total USER_HZ ticks of all CPUs
	awk '/^cpu /{t=0; for (i=2; i<=NF; i++) t+=$i; print t-$5-$6, t}' /proc/stat
}
busy() {	# does the LUN see I/O within a second?
	_a=$(cat $d/ios)
	sleep 1
	[ "$(cat $d/ios)" -gt "$_a" ]
}
n=0
while :; do
	busy || continue
	n=$((n + 1))
	i0=$(cat $d/ios)
	# shellcheck disable=SC2046  # two numbers
	set -- $(ticks)
	perf record -q -a -e cpu-clock -F 250 -o /tmp/perf.$n -- sleep "$ps" \
		2>/dev/null
	# shellcheck disable=SC2046
	set -- "$@" $(ticks)
	echo "PROFILE_BEGIN $n $(($(cat $d/ios) - i0)) $(($3 - $1)) $(($4 - $2))"
	perf report -i /tmp/perf.$n --stdio -q --sort sym --percent-limit 0.7 \
		2>/dev/null | head -40
	echo "PROFILE_BY_OBJECT $n"
	perf report -i /tmp/perf.$n --stdio -q --sort dso 2>/dev/null | head -12
	echo "PROFILE_END $n"
	rm -f /tmp/perf.$n
	while busy; do :; done
done
