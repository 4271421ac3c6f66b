#!/bin/bash
# make run: boot the rig and show the paravisor at work. The test guest
# (stock Linux, 2 vCPUs) finds its disk behind khcl, makes a file system,
# writes a file and reads it back; its NIC behind khcl gets an address on
# the rig's network peer, pings it and moves iperf3 TCP both ways; then a
# summary with vtl2's counters.
#   scripts/run.sh [rig.sh options...]
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$KHCL_ROOT"
st=0
scripts/rig.sh --guest-cpus 2 --timeout 900 --net-peer \
	--guest-script scripts/tests/demo-guest.sh \
	--vtl2-script scripts/tests/demo-vtl2.sh --vtl2-background "$@" || st=$?
logs=$(cat "$KHCL_OUT/logs/last")
tr -d '\r' <"$logs/vtl0.out" | grep -v '^KHCL_EXIT' || true
last=$(tr -d '\r' <"$logs/vtl2.out" | grep '^vtl2: LUN' | tail -1 || true)
echo "${last:-vtl2: no storage counters (see $logs/vtl2.console)}"
last=$(tr -d '\r' <"$logs/vtl2.out" | grep '^vtl2: NIC' | tail -1 || true)
echo "${last:-vtl2: no network counters (see $logs/vtl2.console)}"
if [ $st -eq 0 ]; then
	log "done: the guest's disk and NIC live behind khcl (logs: $logs)"
else
	log "FAILED (status $st, logs: $logs)"
fi
exit $st
