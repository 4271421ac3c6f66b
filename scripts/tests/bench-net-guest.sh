#!/bin/sh
# make bench, network: the BENCH.md workloads with iperf3 and ping to the
# rig's peer (10.77.0.1) on one NIC (BENCH_NET=khcl: the test guest's
# hv_netvsc behind khcl; virtio: the test guest's own virtio-net, or
# vtl2's for the direct baseline), address BENCH_ADDR, each BENCH_RUNTIME
# s, 4 s apart (vtl2's sampler cuts its windows at the idle gaps). Per
# workload "NET_BEGIN name", the tool's output (iperf3 JSON, ping lines),
# "NET_END name busy_ticks total_ticks packets" (this VM's /proc/stat,
# the NIC's packets both ways). PROFILE_S=S (make bench-profile-guest):
# perf samples this VM for S s of each run, printed after its NET_END
# (vmlib.sh profile_window).
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# wait_for, khcl_nic, vm_ticks, profile_start, profile_show
rt=${BENCH_RUNTIME:-20}
if [ "${BENCH_NET:-khcl}" = khcl ]; then
	modprobe hv_netvsc 2>/dev/null
	wait_for 30 khcl_nic || { echo "BENCH_ERROR no khcl NIC"; exit 1; }
else
	dev=''
	for d in /sys/class/net/*; do
		[ "$(cat "$d/device/vendor" 2>/dev/null)" = 0x1af4 ] && { dev=${d##*/}; break; }
	done
	[ -n "$dev" ] || { echo "BENCH_ERROR no virtio-net"; exit 1; }
fi
ip link set "$dev" up
wait_for 20 carrier_is "$dev" 1
ip addr add "${BENCH_ADDR:-10.77.0.3}/24" dev "$dev"
wait_for 20 busybox ping -c 1 -W 1 10.77.0.1 >/dev/null 2>&1 ||
	{ echo "BENCH_ERROR the peer does not answer"; exit 1; }
packets() {	# the NIC's packets both ways
	echo $(($(cat "/sys/class/net/$dev/statistics/rx_packets") +
		$(cat "/sys/class/net/$dev/statistics/tx_packets")))
}
ticks() {	# busy and total USER_HZ ticks of all CPUs, the NIC's packets
	echo "$(vm_ticks) $(packets)"
}
run() {	# run NAME COMMAND...
	_n=$1
	shift
	sleep 4
	echo "NET_BEGIN $_n"
	profile_start 2 packets
	# shellcheck disable=SC2046  # three numbers
	set -- $(ticks) "$@"
	_b=$1 _t=$2 _p=$3
	shift 3
	"$@"
	# shellcheck disable=SC2046
	set -- $(ticks)
	echo "NET_END $_n $(($1 - _b)) $(($2 - _t)) $(($3 - _p))"
	profile_show
}
run tcp_tx iperf3 -c 10.77.0.1 -t "$rt" -J
run tcp_rx iperf3 -c 10.77.0.1 -t "$rt" -J -R
run udp_pps_64b iperf3 -c 10.77.0.1 -t "$rt" -J -u -l 64 -b 0
# request/response: ICMP echo, one at a time
run rr_latency busybox ping -c $((rt * 10)) -i 0.1 10.77.0.1
sleep 4
echo BENCH_DONE
