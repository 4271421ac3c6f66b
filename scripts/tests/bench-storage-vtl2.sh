#!/bin/sh
# make bench, storage, khcl path (--vtl2-background): every 0.5 s one
# sample "S uptime ios busy_ticks total_ticks bytes_copied bytes_bounced
# STAGES" (nvme_xlat's counters, /proc/stat, then the seven stage sums of
# vmlib.sh vsp_stages: khcl_vmbus.timing is on for the run);
# bench_storage.py cuts them into one window per workload.
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# vsp_stages
d=/sys/kernel/khcl/nvme_xlat
echo 1 >/sys/module/khcl_vmbus/parameters/timing
while :; do
	awk -v ios="$(cat $d/ios)" -v up="$(cut -d' ' -f1 /proc/uptime)" \
		-v cp="$(cat $d/bytes_copied)" -v bb="$(cat $d/bytes_bounced)" \
		-v st="$(vsp_stages storvsp)" \
		'/^cpu /{t=0; for (i=2; i<=NF; i++) t+=$i; print "S", up, ios, t-$5-$6, t, cp, bb, st}' /proc/stat
	sleep 0.5
done
