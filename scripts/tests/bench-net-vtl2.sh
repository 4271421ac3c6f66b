#!/bin/sh
# make bench, network, khcl path (--vtl2-background): every 0.5 s one
# sample "S uptime packets busy_ticks total_ticks bytes_copied
# zerocopy_bytes STAGES" (mana_xlat's counters, packets both ways;
# /proc/stat; the seven stage sums of vmlib.sh vsp_stages over netvsp's
# channels: khcl_vmbus.timing is on for the run); bench_net.py cuts them
# into one window per workload.
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# vsp_stages
p=/sys/module/khcl_mana_xlat/parameters
echo 1 >/sys/module/khcl_vmbus/parameters/timing
while :; do
	awk -v pk="$(($(cat $p/tx_packets) + $(cat $p/rx_packets)))" \
		-v up="$(cut -d' ' -f1 /proc/uptime)" \
		-v cp="$(cat $p/bytes_copied)" -v zc="$(cat $p/zerocopy_bytes)" \
		-v st="$(vsp_stages netvsp)" \
		'/^cpu /{t=0; for (i=2; i<=NF; i++) t+=$i; print "S", up, pk, t-$5-$6, t, cp, zc, st}' /proc/stat
	sleep 0.5
done
