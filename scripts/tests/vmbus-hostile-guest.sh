#!/bin/sh
# Hostile-guest run (test guest, BusyBox): khcl_vmbus_hostile attacks the
# VMBus server in vtl2 (cases in drivers/testguest/hostile.c), each case
# HOSTILE_REPS times (kernel command line, default 20); after each one
# the channel must echo again. Then its lying storvsc and netvsc attack
# the storage and network VSPs (hostile_vstor.c, hostile_netvsc.c), and
# the ordinary echo client, sub-channels, the real storvsc and netvsc
# must still work. Prints PASS/FAIL lines; exits non-zero on any FAIL.
# checks: hostile_ctl_truncated hostile_ctl_bad_types hostile_gpadl_absurd
# checks: hostile_double_open hostile_teardown_in_use hostile_ring_bad_index
# checks: hostile_ring_bad_len hostile_ring_flip hostile_open_close_storm
# checks: hostile_event_flood hostile_msg_flood hostile_sub_abuse
# checks: hostile_unload_race hostile_full_ring hostile_rewrite_after_read
# checks: hostile_irq_order hostile_close_inflight hostile_vstor hostile_netvsc
# checks: storvsc_binds_after_hostile netvsc_binds_after_hostile
# checks: echo_after_hostile subchannels_after_hostile
rc=0
R=${HOSTILE_REPS:-20}
rmmod khcl_echo_client 2>/dev/null
# (unload_race shortens the guest's request timeout for itself only)
if ! modprobe khcl_vmbus_hostile; then
	echo "FAIL hostile_module_loads"
	exit 1
fi
# the echo channel may be offered after the guest connected: wait for it
i=0
until echo "$R" 2>/dev/null >/sys/bus/vmbus/drivers/khcl_vmbus_hostile/run; do
	i=$((i + 1))
	if [ $i -ge 60 ]; then
		echo "FAIL hostile_run no echo channel to attack after 60 s"
		exit 1
	fi
	sleep 1
done
res=/sys/bus/vmbus/drivers/khcl_vmbus_hostile/result
sed 's/^\(PASS\|FAIL\) /\1 hostile_/' "$res"
# seventeen cases, each must have run and passed
if [ "$(grep -c '^PASS' "$res")" -ne 17 ] || grep -q '^FAIL' "$res"; then
	echo "FAIL hostile_all_cases_ran $(grep -c '^PASS' "$res") of 17 passed"
	rc=1
fi
# a lying storvsc against khcl's storage VSP
vs=/sys/bus/vmbus/drivers/khcl_vstor_hostile
if echo "$R" 2>/tmp/err >"$vs/run"; then
	r=$(cat "$vs/result")
	case "$r" in
	PASS*) echo "PASS hostile_vstor $r" ;;
	*) echo "FAIL hostile_vstor $r"; rc=1 ;;
	esac
else
	echo "FAIL hostile_vstor run: $(cat /tmp/err)"
	rc=1
fi
# a lying netvsc against khcl's network VSP
vn=/sys/bus/vmbus/drivers/khcl_netvsc_hostile
if echo "$R" 2>/tmp/err >"$vn/run"; then
	r=$(cat "$vn/result")
	case "$r" in
	PASS*) echo "PASS hostile_netvsc $r" ;;
	*) echo "FAIL hostile_netvsc $r"; rc=1 ;;
	esac
else
	echo "FAIL hostile_netvsc run: $(cat /tmp/err)"
	rc=1
fi
rmmod khcl_vmbus_hostile
# the real storvsc binds after all that
modprobe hv_storvsc
i=0
until grep -q '^storvsc' /sys/class/scsi_host/host*/proc_name 2>/dev/null; do
	i=$((i + 1))
	[ $i -ge 40 ] && break
	sleep 0.5
done
if grep -q '^storvsc' /sys/class/scsi_host/host*/proc_name 2>/dev/null; then
	echo "PASS storvsc_binds_after_hostile"
else
	echo "FAIL storvsc_binds_after_hostile $(dmesg | grep -i storvsc | tail -3)"
	rc=1
fi
# and the real netvsc
modprobe hv_netvsc
i=0
until grep -q '^02:6b:68:63:6c:01$' /sys/class/net/*/address 2>/dev/null; do
	i=$((i + 1))
	[ $i -ge 40 ] && break
	sleep 0.5
done
if grep -q '^02:6b:68:63:6c:01$' /sys/class/net/*/address 2>/dev/null; then
	echo "PASS netvsc_binds_after_hostile"
else
	echo "FAIL netvsc_binds_after_hostile $(dmesg | grep -i 'netvsc\|rndis' | tail -3)"
	rc=1
fi
modprobe khcl_echo_client
echo 2000 >/sys/bus/vmbus/drivers/khcl_echo_client/run
r=$(cat /sys/bus/vmbus/drivers/khcl_echo_client/result)
case "$r" in
*"ok=2000 bad=0"*) echo "PASS echo_after_hostile $r" ;;
*) echo "FAIL echo_after_hostile $r"; rc=1 ;;
esac
# every relid the abused sub-channels held came back
if echo "8 500" 2>/tmp/err >/sys/bus/vmbus/drivers/khcl_echo_client/subchannels; then
	r=$(cat /sys/bus/vmbus/drivers/khcl_echo_client/result)
	case "$r" in
	*"ok=4000 bad=0"*) echo "PASS subchannels_after_hostile $r" ;;
	*) echo "FAIL subchannels_after_hostile $r"; rc=1 ;;
	esac
else
	echo "FAIL subchannels_after_hostile $(cat /tmp/err) $(cat /sys/bus/vmbus/drivers/khcl_echo_client/result)"
	rc=1
fi
dmesg | grep -E 'khcl' | tail -30
sleep 6		# one more vtl2 monitor block with the final counters
exit $rc
