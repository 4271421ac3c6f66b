#!/bin/sh
# The stock storvsc on a test guest with 2 vCPUs: it sees multi-channel in
# khcl's QUERY_PROPERTIES, asks for one sub-channel (vCPUs - 1) with
# CREATE_SUB_CHANNELS, and opens it from its sc_creation_callback. Prints
# PASS/FAIL lines; exits non-zero on any FAIL.
# checks: guest_cpus storvsc_subchannel_offered storvsc_binds_multichannel
# checks: storvsc_rescan_on_cpu0
rc=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; rc=1; }
scsi_class=ba6163d9-04a1-4d29-b605-72e2ffb1dc7f

n=$(grep -c ^processor /proc/cpuinfo)
if [ "$n" -ge 2 ]; then pass guest_cpus "$n"; else fail guest_cpus "$n"; fi
modprobe hv_storvsc || fail storvsc_loads
i=0
until dmesg | grep -q "sub 1 type $scsi_class"; do
	i=$((i + 1))
	if [ $i -ge 40 ]; then
		break
	fi
	sleep 0.5
done
if dmesg | grep -q "sub 1 type $scsi_class"; then
	pass storvsc_subchannel_offered "$(dmesg | grep "sub 1 type $scsi_class" | tail -1)"
else
	fail storvsc_subchannel_offered "$(dmesg | grep -i 'storvsc\|offer' | tail -4)"
fi
sleep 6		# opened from storvsc's callback; a vtl2 monitor block sees it
if grep -q '^storvsc' /sys/class/scsi_host/host*/proc_name 2>/dev/null; then
	pass storvsc_binds_multichannel
else
	fail storvsc_binds_multichannel "$(dmesg | grep -i storvsc | tail -3)"
fi
# storvsc_do_io sends an I/O from CPU n on another CPU's channel of the
# same node while that one has room (not to interrupt CPU n): the
# primary targets CPU 0, the sub-channel CPU 1 (init_vp_index), so a
# rescan from CPU 0 goes down the sub-channel (the boot scan may run on
# either CPU)
if taskset -c 0 sh -c 'echo "- - -" >/sys/class/scsi_host/host0/scan'; then
	pass storvsc_rescan_on_cpu0
else
	fail storvsc_rescan_on_cpu0
fi
sleep 6		# a vtl2 monitor block sees the sub-channel's packets
# a removal closes the primary, which takes the sub-channel with it
rmmod hv_storvsc || fail storvsc_unloads
sleep 6		# one vtl2 monitor block after it
exit $rc
