#!/bin/bash
# make bench: the JSON lines of shared/BENCH.md, one per workload and
# path; nothing else on lines that start with "{". So far the VMBus echo
# (vmbus.echo) and the VTL0 memory map (vtl2.memory), both path khcl
# only: their baselines have no meaning (no paravisor, nothing to map).
# The storage and network lines come with their data paths.
#   scripts/bench.sh [echo|memory ...]   (default: all)
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$KHCL_ROOT"

parts=${*:-echo memory}
kernel=$(cat out/rig/source-version 2>/dev/null || echo unknown)
common() {	# common RUNTIME_S: the keys every line carries
	printf '"accel":"tcg","vcpus_vtl0":1,"vcpus_vtl2":1,"qemu_drive":"cache=none,aio=threads","runtime_s":%s,"kernel":"%s"' \
		"$1" "$kernel"
}
logs_of_last() { cat out/logs/last 2>/dev/null || die "no rig run logs"; }

bench_echo() {
	local logs r n us rtt t0 pps
	t0=$(date +%s)
	rm -f out/logs/last
	scripts/rig.sh --timeout 600 --guest-append "ECHO_N=100000" \
		--guest-script scripts/tests/bench-echo-guest.sh >&2 ||
		die "echo bench run failed (logs: $(logs_of_last))"
	logs=$(logs_of_last)
	r=$(tr -d '\r' <"$logs/vtl0.out" | sed -n 's/^RESULT //p')
	n=$(sed -n 's/.* ok=\([0-9]*\) bad=0 .*/\1/p' <<<"$r")
	us=$(sed -n 's/.*elapsed_us=\([0-9]*\).*/\1/p' <<<"$r")
	rtt=$(sed -n 's/.*rtt_us=\([0-9]*\).*/\1/p' <<<"$r")
	if [ -z "$n" ] || [ -z "$us" ] || [ -z "$rtt" ]; then
		die "echo bench: no clean result in $logs/vtl0.out: $r"
	fi
	pps=$((n * 1000000 / us))
	printf '{"bench":"vmbus.echo","path":"khcl","pps":%s,"rtt_us":%s,"packets":%s,"other_vm":"idle",%s}\n' \
		"$pps" "$rtt" "$n" "$(common $(($(date +%s) - t0)))"
}

bench_memory() {
	local logs ranges len memmap us order avail total gib t0
	t0=$(date +%s)
	rm -f out/logs/last
	scripts/rig.sh --only-vtl2 --timeout 120 \
		--vtl2-script scripts/tests/bench-memory-vtl2.sh >&2 ||
		die "memory bench run failed (logs: $(logs_of_last))"
	logs=$(logs_of_last)
	ranges=$(tr -d '\r' <"$logs/vtl2.out" | sed -n 's/^RANGES //p')
	# one range in the rig: the test guest's 1 GiB
	read -r _ len _ order memmap us <<<"${ranges%%;*}"
	avail=$(tr -d '\r' <"$logs/vtl2.out" | awk '/^MemAvailable:/{print $2}')
	total=$(tr -d '\r' <"$logs/vtl2.out" | awk '/^MemTotal:/{print $2}')
	if [ -z "$len" ] || [ -z "$avail" ]; then
		die "memory bench: nothing in $logs/vtl2.out"
	fi
	gib=$((len / (1 << 30)))
	printf '{"bench":"vtl2.memory","path":"khcl","memmap_kib_per_gib_vtl0":%s,"vtl0_gib":%s,"vtl2_ram_mib":%s,"mem_available_kib":%s,"register_ms":%s,"compound_order":%s,"other_vm":"off",%s}\n' \
		"$((memmap / 1024 / gib))" "$gib" "$((total / 1024))" "$avail" \
		"$(awk -v u="$us" 'BEGIN{printf "%.1f", u / 1000}')" "$order" \
		"$(common $(($(date +%s) - t0)))"
}

for p in $parts; do
	case "$p" in
	echo) bench_echo ;;
	memory) bench_memory ;;
	*) die "unknown bench part $p (echo, memory)" ;;
	esac
done
