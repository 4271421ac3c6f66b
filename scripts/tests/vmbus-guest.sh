#!/bin/sh
# VMBus end to end, in the test guest (BusyBox). khcl_vmbus_guest (loaded by
# init) has connected to khcl's VMBus server in vtl2 over the mailbox.
# Prints "PASS <check> ..." / "FAIL <check> ..." lines; exits non-zero on
# any FAIL.
# Knobs (environment, from the test runner): ECHO_N packets (default 100000),
# SC_N packets per sub-channel (default 5000).
# checks: vmbus_version_5_3 hv_storvsc_loads_and_registers
# checks: hv_netvsc_loads_and_registers hv_storvsc_binds
# checks: hv_storvsc_scans_one_disk hv_netvsc_binds
# checks: hv_netvsc_opens_with_carrier echo_packets echo_subchannels
# checks: echo_subchannels_more echo_primary_with_subchannels
# checks: echo_after_reopen echo_subchannels_after_reopen
# checks: echo_after_reconnect vmbus_version_4_1 echo_on_4_1
rc=0
pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; rc=1; }
N=${ECHO_N:-100000}
SC_N=${SC_N:-5000}
drv=/sys/bus/vmbus/drivers/khcl_echo_client

version() { dmesg | sed -n 's/.*VMBus version \([0-9.]*\), message connection.*/\1/p' | tail -1; }

# the control message round trip, as the transport measured it
rtt() { dmesg | sed -n 's/.*INITIATE_CONTACT round trip \([0-9]*\) us.*/\1/p' | tail -1; }

v=$(version)
if [ "$v" = "5.3" ]; then
	pass vmbus_version_5_3 "INITIATE_CONTACT round trip $(rtt) us"
else
	fail vmbus_version_5_3 "negotiated '$v'"
fi

# the stock clients: every symbol resolves against the stand-in, and they
# register on its bus
for m in hv_storvsc hv_netvsc; do
	if modprobe "$m" 2>/tmp/err; then
		if [ -d "/sys/bus/vmbus/drivers/$m" ]; then
			pass "${m}_loads_and_registers"
		else
			fail "${m}_loads_and_registers" "no /sys/bus/vmbus/drivers/$m"
		fi
	else
		fail "${m}_loads_and_registers" "$(cat /tmp/err)"
	fi
done

# hv_storvsc binds to khcl's SCSI controller (VSTOR handshake done) and
# scans it: an empty target, no disks yet
i=0
while [ $i -lt 40 ]; do
	dev=$(find /sys/bus/vmbus/drivers/hv_storvsc/ -maxdepth 1 -name '*-*' 2>/dev/null | head -1)
	[ -n "$dev" ] && break
	sleep 0.5
	i=$((i + 1))
done
host=$(grep -l '^storvsc' /sys/class/scsi_host/host*/proc_name 2>/dev/null | head -1)
if [ -n "$dev" ] && [ -n "$host" ]; then
	pass hv_storvsc_binds "${dev##*/} ${host%/proc_name}"
else
	fail hv_storvsc_binds "device '${dev:-}' host '${host:-}': $(dmesg | grep -i storvsc | tail -3)"
fi
sleep 1		# let the scan finish
disks=$(find /sys/class/scsi_disk/ -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
# vtl2's NVMe namespace, LUN 0 (the storage suites drive it)
if [ -n "$host" ] && [ "$disks" -eq 1 ] && ! dmesg | grep -q 'storvsc.*\(error\|failed\|Invalid\)'; then
	pass hv_storvsc_scans_one_disk "$(for d in /sys/class/scsi_disk/*; do printf '%s ' "${d##*/}"; done)"
else
	fail hv_storvsc_scans_one_disk "$disks disks; $(dmesg | grep -i 'storvsc\|scsi' | tail -4)"
fi

# hv_netvsc binds to khcl's NIC (NVSP, receive/send buffers, RNDIS
# control through receive sections), registers eth0 with the MAC khcl
# reports, and opens it (packet filter set) with the carrier of vtl2's
# NIC, its backend (QEMU user networking here: link up)
i=0
while [ $i -lt 40 ]; do
	ndev=$(grep -l '^02:6b:68:63:6c:01$' /sys/class/net/*/address 2>/dev/null | head -1)
	[ -n "$ndev" ] && break
	sleep 0.5
	i=$((i + 1))
done
ndev=${ndev%/address}
ndev=${ndev##*/}
if [ -n "$ndev" ] && [ -n "$(find /sys/bus/vmbus/drivers/hv_netvsc/ -maxdepth 1 -name '*-*')" ]; then
	pass hv_netvsc_binds "$ndev mtu $(cat "/sys/class/net/$ndev/mtu")"
else
	fail hv_netvsc_binds "$(dmesg | grep -i 'netvsc\|rndis' | tail -3)"
fi
lower_up() {	# within 10 s
	i=0
	while [ $i -lt 20 ]; do
		ip link show "$ndev" | grep -q 'LOWER_UP' && return 0
		sleep 0.5
		i=$((i + 1))
	done
	return 1
}
if [ -n "$ndev" ] && ip link set "$ndev" up 2>/tmp/err && lower_up; then
	pass hv_netvsc_opens_with_carrier "$(ip link show "$ndev" | head -1)"
else
	fail hv_netvsc_opens_with_carrier "$(cat /tmp/err) $(ip link show 2>&1 | tr '\n' ' ')"
fi

echo_run() {	# echo_run NAME COUNT
	if ! echo "$2" 2>/tmp/err >"$drv/run"; then
		fail "$1" "run: $(cat /tmp/err)"
		return
	fi
	r=$(cat "$drv/result")
	case "$r" in
	*"ok=$2 bad=0"*) pass "$1" "$r" ;;
	*) fail "$1" "$r" ;;
	esac
}

sc_run() {	# sc_run NAME SUBCHANNELS PACKETS EXPECTED-OK
	if ! echo "$2 $3" 2>/tmp/err >"$drv/subchannels"; then
		fail "$1" "subchannels: $(cat /tmp/err) $(cat "$drv/result")"
		return
	fi
	r=$(cat "$drv/result")
	case "$r" in
	*"ok=$4 bad=0"*) pass "$1" "$r" ;;
	*) fail "$1" "$r" ;;
	esac
}

echo_run echo_packets "$N"
# sub-channels: offered on request, opened from sc_creation_callback,
# all echoing at once; a second request adds to them
sc_run echo_subchannels 4 "$SC_N" $((4 * SC_N))
sc_run echo_subchannels_more 2 1000 6000
echo_run echo_primary_with_subchannels 1000
# reopening the primary drops them (VTL2 rescinds, the guest releases);
# a new request gets fresh ones
echo 1 >"$drv/reopen" 2>/tmp/err || fail echo_reopen "$(cat /tmp/err)"
echo_run echo_after_reopen 1000
sc_run echo_subchannels_after_reopen 3 1000 3000
echo 1 >"$drv/reopen" 2>/tmp/err || fail echo_reopen "$(cat /tmp/err)"

# the transport unloads (UNLOAD / UNLOAD_RESPONSE) and reconnects
rmmod hv_netvsc hv_storvsc khcl_echo_client khcl_vmbus_guest 2>/tmp/err ||
	fail transport_unload "$(cat /tmp/err)"
if modprobe khcl_vmbus_guest && modprobe khcl_echo_client; then
	sleep 1
	echo_run echo_after_reconnect 1000
else
	fail echo_after_reconnect "reload failed"
fi

# an older version when told to
rmmod khcl_echo_client khcl_vmbus_guest
if modprobe khcl_vmbus_guest max_version=0x40001 && modprobe khcl_echo_client; then
	v=$(version)
	if [ "$v" = "4.1" ]; then
		pass vmbus_version_4_1 "INITIATE_CONTACT round trip $(rtt) us"
	else
		fail vmbus_version_4_1 "negotiated '$v'"
	fi
	echo_run echo_on_4_1 1000
else
	fail vmbus_version_4_1 "reload failed"
fi
dmesg | grep -E 'khcl|vmbus' | tail -40
sleep 6		# one more vtl2 monitor block: the released sub-channels are gone
exit $rc
