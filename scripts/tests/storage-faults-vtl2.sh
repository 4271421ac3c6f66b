#!/bin/sh
# vtl2 side of the storage faults (--vtl2-background, debug kernel): LUN 0
# is controller khcl0's namespace, LUN 1 khcl1's (found by serial: the
# NVMe driver probes asynchronously, either may be nvme0). Every I/O to
# LUN 1's device fails (fail_make_request); once the guest has seen that
# and gone on with LUN 0, controller khcl1 leaves the PCI bus: its LUN
# must go and LUN 0 keep serving. PASS/FAIL lines, then counters.
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for (rc: 1 after a fail)
d=/sys/kernel/khcl/nvme_xlat
ctrl_of() {	# the nvme controller with serial $1
	for c in /sys/class/nvme/nvme*; do
		[ "$(tr -d ' ' <"$c/serial")" = "$1" ] && echo "${c##*/}"
	done
}
field() {	# field LUN NAME: a counter of lun_stats
	sed -n "s/^$1 .* $2=\([0-9]*\).*/\1/p" $d/lun_stats
}
both_ctrls() { [ -n "$(ctrl_of khcl0)" ] && [ -n "$(ctrl_of khcl1)" ]; }
two_online() { [ "$(grep -c online $d/lun_stats)" = 2 ]; }
lun1_errors() { [ "$(field 1 errors)" -ge "${1:-2}" ] 2>/dev/null; }
lun0_ios_from() { [ "$(field 0 ios)" -ge "$1" ] 2>/dev/null; }
lun1_failed() { grep -q '^1 failed' $d/lun_stats; }

wait_for 30 both_ctrls || echo "FAIL vtl2_faults_armed no controllers khcl0 + khcl1"
c0=$(ctrl_of khcl0)
c1=$(ctrl_of khcl1)
echo "0:/dev/${c0}n1,1:/dev/${c1}n1" >$d/luns
if wait_for 30 two_online; then
	f=/sys/kernel/debug/fail_make_request
	echo 0 >$f/verbose	# no stack traces on the console
	echo 100 >$f/probability
	echo -1 >$f/times
	echo 1 >"/sys/block/${c1}n1/make-it-fail"
	echo "PASS vtl2_faults_armed LUN 0 ${c0}n1, LUN 1 ${c1}n1 (every I/O fails)"
else
	echo "FAIL vtl2_faults_armed $(cat $d/lun_stats)"
fi
# the guest read and wrote LUN 1 (errors), then goes on with LUN 0
if wait_for 600 lun1_errors 2; then
	ios=$(($(field 0 ios) + 50))
	wait_for 300 lun0_ios_from "$ios"
	pci=$(readlink -f "/sys/class/nvme/$c1/device")
	echo 1 >"$pci/remove"
	if wait_for 60 lun1_failed && grep -q '^0 .* online' $d/lun_stats; then
		echo "PASS vtl2_namespace_gone_lun_removed $(tr '\n' ';' <$d/lun_stats) rescans=$(cat $d/rescans)"
	else
		echo "FAIL vtl2_namespace_gone_lun_removed $(tr '\n' ';' <$d/lun_stats)"
	fi
else
	echo "FAIL vtl2_namespace_gone_lun_removed the guest never hit LUN 1: $(tr '\n' ';' <$d/lun_stats)"
fi
while :; do
	sleep 5
	grep -H . $d/ios $d/io_errors $d/rescans $d/lun_stats
done
