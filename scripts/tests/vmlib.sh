# shellcheck shell=sh
# Helpers for the rig's VM scripts: rig.sh installs this file next to the
# script it runs (/khcl/vmlib.sh; the script runs in /khcl).
# shellcheck disable=SC2034  # the sourcing script's exit status
rc=0
pass() { echo "PASS $*"; }
# shellcheck disable=SC2034
fail() { echo "FAIL $*"; rc=1; }
wait_for() {	# wait_for SECONDS COMMAND...: poll every 0.5 s until it holds
	_n=$(($1 * 2))
	shift
	while [ $_n -gt 0 ]; do
		"$@" && return 0
		sleep 0.5
		_n=$((_n - 1))
	done
	return 1
}
is_blk() { [ -b "$1" ]; }
# khcl_nic: dev= the netdev hv_netvsc drives (khcl's NIC)
khcl_nic() {
	for _d in /sys/class/net/*; do
		case "$(readlink "$_d/device/driver" 2>/dev/null)" in
		*/hv_netvsc) dev=${_d##*/}; return 0 ;;
		esac
	done
	return 1
}
# guest_filter FILTER: vtl2 side, wait (up to 10 min) until the guest's
# RNDIS packet filter is FILTER (e.g. 0x20: it turned promiscuous, the
# cue the network scripts use); be= khcl's backend netdev
guest_filter() {
	_nic=/sys/module/khcl_mana_xlat/parameters/nic
	_n=0
	while ! grep -q "filter $1 " $_nic && [ $_n -lt 1200 ]; do
		sleep 0.5
		_n=$((_n + 1))
	done
	be=$(sed -n 's/^backend \([^ ]*\).*/\1/p' $_nic)
	echo "cue seen: $(cat $_nic)"
}
# carrier_is DEV 0|1
carrier_is() { [ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = "$2" ]; }
# iperf CHECK ARGS...: iperf3 to the peer for 3 s (ARGS: -R, -u ...)
iperf() {
	_c=$1
	shift
	if _o=$(iperf3 -c 10.77.0.1 -t 3 -f m "$@" 2>&1) &&
		_r=$(echo "$_o" | grep ' receiver$' | tail -1) && [ -n "$_r" ] &&
		! echo "$_r" | grep -q 'sec *0\.00 [KMG]*Bytes'; then	# nothing arrived
		pass "$_c" "$(echo "$_r" | sed 's/^.*[0-9] *sec *//' | tr -s ' ')"
	else
		fail "$_c" "$(echo "$_o" | tail -3 | tr '\n' ' ')"
	fi
}
# on_peer CHECK DEV ADDR: DEV up with ADDR/24 on the rig's network peer
# (rig.sh --net-peer), which must answer 3 pings at 10.77.0.1
on_peer() {
	ip link set "$2" up
	ip addr add "$3/24" dev "$2"
	if _out=$(busybox ping -c 3 -W 2 10.77.0.1 2>&1); then
		pass "$1" "$2: $(echo "$_out" | tail -1)"
	else
		fail "$1" "$2: $_out"
	fi
}

# With tracing (debug kernel): the network VSP's events into a trace
# instance of their own (once; monitor_blocks counts them)
_nt=/sys/kernel/debug/tracing/instances/khcl_net
net_trace_start() {
	[ -d /sys/kernel/debug/tracing/events/khcl_net ] && [ ! -d $_nt ] &&
		mkdir $_nt || return 0
	echo 256 >$_nt/buffer_size_kb
	echo 1 >$_nt/events/khcl_net/enable
}

# the khcl_net events in that trace instance, by kind
net_trace_counts() {
	[ -r "$_nt/trace" ] || return 0
	awk '/ khcl_net_[a-z]*:/ { sub(/.* khcl_net_/, ""); sub(/:.*/, ""); n[$0]++ }
		END { printf "--- khcl_net trace events: send=%d recv=%d drop=%d link=%d\n", n["send"], n["recv"], n["drop"], n["link"] }' "$_nt/trace"
}

# monitor_blocks: vtl2's monitor (vmbus-monitor-vtl2.sh), until the rig
# stops it: every 5 s the VMBus server's state, counters and channels and
# every khcl module's parameters, so the last block before the rig stops
# shows what the guest's run did to them (scripts/testlib.sh reads them).
# With tracing (debug kernel) the network VSP's events go to a trace
# instance of their own, counted in each block by kind (testlib.sh
# net_tracepoints).
monitor_blocks() {
	# a small trace buffer: each block reads all of it for the last lines
	_t=/sys/kernel/debug/tracing/buffer_size_kb
	[ -w $_t ] && echo 64 >$_t
	for ev in khcl_vmbus_msg khcl_vmbus_chan; do
		ev=/sys/kernel/debug/tracing/events/khcl_vmbus/$ev/enable
		[ -w "$ev" ] && echo 1 >"$ev"
	done
	net_trace_start
	while :; do
		echo "=== uptime $(cut -d' ' -f1 /proc/uptime)"
		net_trace_counts	# and at the end: a block can take 40 s
		for f in version state stats; do
			echo "--- $f"
			cat "/sys/kernel/khcl/vmbus/$f"
		done
		for c in /sys/kernel/khcl/vmbus/channels/*; do
			[ -d "$c" ] || continue
			echo "--- channel ${c##*/}: $(cat "$c/name") $(cat "$c/state") sub=$(cat "$c/sub_index") in=$(cat "$c/packets_in") out=$(cat "$c/packets_out") events=$(cat "$c/events_in") signals=$(cat "$c/signals_out") full=$(cat "$c/ring_full") batches=$(cat "$c/batches") no_request=$(cat "$c/no_request") dropped=$(cat "$c/answers_dropped") overstays=$(cat "$c/drain_overstays") double_ends=$(cat "$c/double_ends") $(sed -n 's/^depth /depth=/p' "$c/requests")"
			tr '\n' ' ' <"$c/ring_errors"
			echo
		done
		grep -H . /sys/module/khcl_echo_vsp/parameters/* 2>/dev/null
		grep -H . /sys/module/khcl_nvme_xlat/parameters/* 2>/dev/null
		grep -H . /sys/module/khcl_mana_xlat/parameters/* 2>/dev/null
		# the backend NIC's queues: interrupts per virtio queue
		grep -E 'virtio[0-9]+-(in|out)put' /proc/interrupts |
			awk '{n=0; for (i=2; i<=NF; i++) if ($i ~ /^[0-9]+$/) n+=$i; print "IRQ", $NF, n}'
		grep -E 'MemFree|Slab' /proc/meminfo
		if [ -r /sys/kernel/debug/tracing/trace ]; then
			echo "--- last khcl_vmbus trace events"
			grep khcl_vmbus /sys/kernel/debug/tracing/trace | tail -4
		fi
		net_trace_counts
		# debug kernel: a kmemleak scan takes 20 s and more under TCG; one
		# block in four, so the counters stay fresh
		n=$((${n:-0} + 1))
		if [ -w /sys/kernel/debug/kmemleak ] && [ $((n % 4)) = 1 ]; then
			echo scan >/sys/kernel/debug/kmemleak
			cat /sys/kernel/debug/kmemleak
		fi
		sleep 5
	done
}

vm_ticks() {	# busy and total USER_HZ ticks of all this VM's CPUs
	awk '/^cpu /{t=0; for (i=2; i<=NF; i++) t+=$i; print t-$5-$6, t}' /proc/stat
}

# vsp_stages VSP (vtl2, khcl_vmbus.timing on): the stage sums of VSP's
# channels, then nvme_xlat's device sums (storvsp; else 0 0):
#   wakes wake_ns requests vsp_ns answer_ns device_ios device_ns
vsp_stages() {
	for _c in /sys/kernel/khcl/vmbus/channels/*; do
		[ "$(cat "$_c/name" 2>/dev/null)" != "$1" ] || cat "$_c/timing"
	done | awk '{ s[$1] += $2 }
		END { printf "%.0f %.0f %.0f %.0f %.0f", s["wakes"], s["wake_ns"],
			s["requests"], s["vsp_ns"], s["answer_ns"] }'
	if [ "$1" = storvsp ]; then
		_m=/sys/module/khcl_nvme_xlat/parameters
		echo " $(cat $_m/device_timed) $(cat $_m/device_ns)"
	else
		echo " 0 0"
	fi
}

# profile_window N SECONDS COUNT...: perf samples this whole VM for
# SECONDS (cpu-clock: TCG has no PMU, so a timer sample at each tick),
# COUNT (a command printing a number: I/Os, packets) read before and
# after, then prints
#   PROFILE_BEGIN n counted busy_ticks total_ticks   (over the window)
#   perf's flat profile by symbol, PROFILE_BY_OBJECT n, by object,
#   PROFILE_END n
# (scripts/bench.sh profile_print reads it).
profile_window() {
	_pn=$1 _ps=$2
	shift 2
	_c0=$("$@")
	_t0=$(vm_ticks)
	perf record -q -a -e cpu-clock -F 250 -o "/tmp/perf.$_pn" -- \
		sleep "$_ps" 2>/dev/null
	_t1=$(vm_ticks)
	_c1=$("$@")
	# shellcheck disable=SC2086  # two numbers each
	set -- $_t0 $_t1
	echo "PROFILE_BEGIN $_pn $((_c1 - _c0)) $(($3 - $1)) $(($4 - $2))"
	perf report -i "/tmp/perf.$_pn" --stdio -q --sort sym --percent-limit 0.7 \
		2>/dev/null | head -40
	echo "PROFILE_BY_OBJECT $_pn"
	perf report -i "/tmp/perf.$_pn" --stdio -q --sort dso 2>/dev/null | head -12
	echo "PROFILE_END $_pn"
	rm -f "/tmp/perf.$_pn"
}

# With PROFILE_S set (make bench-profile-guest), a bench script's
# workloads are profiled: profile_start DELAY COUNT as one begins (its
# window, DELAY s later, runs in the background into a file),
# profile_show once it ended (waits for the window, prints it).
prof_n=0
profile_start() {
	prof_n=$((prof_n + 1))
	[ "${PROFILE_S:-0}" -gt 0 ] || return 0
	(sleep "$1"; profile_window "$prof_n" "$PROFILE_S" "$2") \
		>"/tmp/profile.$prof_n" &
}
profile_show() {
	[ "${PROFILE_S:-0}" -gt 0 ] || return 0
	wait
	cat "/tmp/profile.$prof_n"
}
