#!/bin/sh
# vtl2 side of the LUN hot remove/add (--vtl2-background): once the
# guest's fio has I/O going, remove LUN 0 through the knob, wait until it
# is gone (its I/O in flight ended), then add it back once the guest
# has stopped sending SRBs. PASS/FAIL lines,
# then the monitor's blocks until the rig stops it.
d=/sys/kernel/khcl/nvme_xlat
ios() { cat $d/ios; }
n=0
while [ "$(ios)" -lt 2000 ] && [ $n -lt 600 ]; do
	sleep 0.5
	n=$((n + 1))
done
before=$(ios)
t0=$(cut -d' ' -f1 /proc/uptime)
echo "" >$d/luns
n=0
while grep -q online $d/lun_stats && [ $n -lt 120 ]; do
	sleep 0.5
	n=$((n + 1))
done
t1=$(cut -d' ' -f1 /proc/uptime)
if grep -q online $d/lun_stats; then
	echo "FAIL vtl2_lun_removed still online after 60 s: $(cat $d/lun_stats)"
else
	echo "PASS vtl2_lun_removed with I/O in flight (ios $before before) in $(echo "$t0 $t1" | awk '{printf "%.2f", $2 - $1}') s, rescans=$(cat $d/rescans)"
fi
# add it back only once the guest is done with the old LUN: no SRB for
# 5 s (its failed I/O, TEST UNIT READY and remove work ended; a rescan
# that overtakes the guest's own teardown of the LUN can be lost there,
# as with any host)
last=-1 quiet=0 n=0
while [ $quiet -lt 10 ] && [ $n -lt 240 ]; do
	s=$(cat $d/srbs)
	if [ "$s" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; fi
	last=$s
	sleep 0.5
	n=$((n + 1))
done
echo "guest quiet after $((n / 2)) s (srbs $last): adding LUN 0 back"
echo "0:/dev/nvme0n1" >$d/luns
n=0
while ! grep -q online $d/lun_stats && [ $n -lt 60 ]; do
	sleep 0.5
	n=$((n + 1))
done
if grep -q online $d/lun_stats; then
	echo "PASS vtl2_lun_added $(cat $d/lun_stats), rescans=$(cat $d/rescans)"
else
	echo "FAIL vtl2_lun_added $(cat $d/lun_stats)"
fi
while :; do	# until the rig stops: the counters now and then
	sleep 5
	grep -H . $d/ios $d/io_errors $d/rescans $d/lun_stats
done
