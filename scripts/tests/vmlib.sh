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
