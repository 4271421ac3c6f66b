#!/bin/bash
# make bench: the JSON lines of shared/BENCH.md, one per workload and
# path; nothing else on lines that start with "{". The VMBus echo
# (vmbus.echo) and the VTL0 memory map (vtl2.memory), both path khcl
# only (their baselines have no meaning: no paravisor, nothing to map);
# storage (storage.*): khcl against direct and hostpv, three runs on one
# backing file, one after another (QEMU locks images); network (net.*):
# the same three paths to the rig's peer. Those lines also carry the host's
# CPU over its workload (rig.sh --host-cpu). The profile parts print text.
#   scripts/bench.sh [echo|memory|storage|net|profile|profile-net|profile-guest|profile-guest-net ...]
#                      (default: echo memory storage net)
#   BENCH_RUNTIME=S   seconds per storage workload (default 20)
#   BENCH_POLL_DEPTH=N  storage: also khcl in polled mode (poll_depth=N,
#                       nvme.poll_queues=1), lines with "poll_depth":N
#   BENCH_CPUS=N      storage and network: N vCPUs in each VM (and N queue
#                     pairs in each virtio-net; khcl offers sub-channels to
#                     match), "vcpus_vtl0":N, "vcpus_vtl2":N (default 1)
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$KHCL_ROOT"

parts=${*:-echo memory storage net}
cpus=${BENCH_CPUS:-1}
# the storage and network runs: each VM's vCPUs, each NIC's queue pairs
vms=(--guest-cpus "$cpus" --vtl2-cpus "$cpus")
nq=(--net-queues "$cpus")
kernel=$(cat out/rig/source-version 2>/dev/null || echo unknown)
common() {	# common RUNTIME_S: the keys every line carries
	printf '"accel":"tcg","vcpus_vtl0":%s,"vcpus_vtl2":%s,"qemu_drive":"%s","runtime_s":%s,"kernel":"%s"' \
		"$cpus" "$cpus" "$drive_opts" "$1" "$kernel"
}
drive_opts=$(sed -n 's/^drive_opts="\(.*\)"$/\1/p' scripts/rig.sh)
logs_of_last() { cat out/logs/last 2>/dev/null || die "no rig run logs"; }
# keep_out VM FILE: the last run's VM output and the host's CPU over each
# of its workloads (rig.sh --host-cpu: "HOST ..." lines) into FILE
keep_out() {
	local l
	l=$(logs_of_last)
	cat "$l/$1.out" >"$2"
	[ ! -f "$l/host.out" ] || cat "$l/host.out" >>"$2"
}

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

# The same fio workloads (bench-storage-guest.sh) on one 1 GiB backing
# file filled with data (reads of holes would cost QEMU nothing): direct
# (vtl2 alone, fio on its NVMe namespace; the bench image of vtl2 carries
# fio), hostpv (the test guest on a QEMU virtio-blk of the file; vtl2 up
# and idle), khcl (the test guest's sd on khcl's LUN 0; vtl2 samples its
# counters and /proc/stat).
backing_file() {	# backing_file DIR: DIR/disk.raw, 1 GiB of random data
	log "storage: filling a 1 GiB backing file"
	head -c 1G /dev/urandom >"$1/disk.raw"
	bash scripts/build.sh bench >&2	# incremental once built
}

# The khcl path (the test guest's sd on LUN 0; vtl2 samples its counters,
# or runs VTL2_SCRIPT): khcl_run NAME VTL2_APPEND [VTL2_SCRIPT]
#   -> $out/NAME, $out/NAME-vtl2 (uses $disk, $rt, $out, and $guest_extra
#   for the guest's command line)
khcl_run() {
	rm -f out/logs/last
	scripts/rig.sh --vtl2-role bench --disk "$disk" --timeout 900 --host-cpu "${vms[@]}" \
		--guest-append "BENCH_DEV=/dev/sda BENCH_RUNTIME=$rt ${guest_extra:-}" \
		--vtl2-append "$2" \
		--guest-script scripts/tests/bench-storage-guest.sh \
		--vtl2-script "${3:-scripts/tests/bench-storage-vtl2.sh}" --vtl2-background >&2 ||
		die "storage bench, $1: failed (logs: $(logs_of_last))"
	keep_out vtl0 "$out/$1"
	cp "$(logs_of_last)/vtl2.out" "$out/$1-vtl2"
}

# The hostpv path (the test guest on a virtio-blk of the file, vtl2 up
# and idle) -> $out/hostpv (uses $disk, $rt, $out, $guest_extra)
hostpv_run() {
	rm -f out/logs/last
	scripts/rig.sh --guest-virtio-disk "$disk" --timeout 900 --host-cpu "${vms[@]}" \
		--guest-append "KHCL_SKIP=khcl_vmbus_guest,khcl_echo_client BENCH_DEV=/dev/vda BENCH_RUNTIME=$rt ${guest_extra:-}" \
		--guest-script scripts/tests/bench-storage-guest.sh >&2 ||
		die "storage bench, hostpv: failed (logs: $(logs_of_last))"
	keep_out vtl0 "$out/hostpv"
}

bench_storage() {
	local disk rt=${BENCH_RUNTIME:-20} out t0 polled
	t0=$(date +%s)
	out=$(mktemp -d "${TMPDIR:-/tmp}/khcl-bench.XXXXXX")
	disk="$out/disk.raw"
	backing_file "$out"
	log "storage: direct (fio in vtl2 on /dev/nvme0n1), ${rt} s per workload"
	rm -f out/logs/last
	scripts/rig.sh --only-vtl2 --vtl2-role bench --disk "$disk" --timeout 900 --host-cpu "${vms[@]}" \
		--vtl2-append "KHCL_SKIP=khcl_nvme_xlat BENCH_DEV=/dev/nvme0n1 BENCH_RUNTIME=$rt" \
		--vtl2-script scripts/tests/bench-storage-guest.sh >&2 ||
		die "storage bench, direct: failed (logs: $(logs_of_last))"
	keep_out vtl2 "$out/direct"
	log "storage: hostpv (the test guest on virtio-blk)"
	hostpv_run
	log "storage: khcl (the test guest's sd on khcl's LUN 0)"
	khcl_run khcl ""
	polled=()
	if [ "${BENCH_POLL_DEPTH:-0}" -gt 0 ]; then
		log "storage: khcl in polled mode (poll_depth=$BENCH_POLL_DEPTH, one NVMe poll queue)"
		khcl_run polled "khcl.nvme_xlat.poll_depth=$BENCH_POLL_DEPTH nvme.poll_queues=1"
		polled=("$BENCH_POLL_DEPTH" "$out/polled" "$out/polled-vtl2")
	fi
	python3 scripts/bench_storage.py "{$(common 0)}" "$out/direct" \
		"$out/hostpv" "$out/khcl" "$out/khcl-vtl2" "${polled[@]}"
	log "storage: $(($(date +%s) - t0)) s; raw outputs in $out"
}

# The network's hostpv path (the test guest's own virtio-net on the peer,
# vtl2 up, its NIC left alone) -> $out/hostpv, and its khcl path (the
# test guest's hv_netvsc behind khcl, vtl2 sampling its counters)
# -> $out/khcl, $out/khcl-vtl2 (both use $rt, $out, $guest_extra)
net_hostpv_run() {
	rm -f out/logs/last
	scripts/rig.sh --net-peer --guest-virtio-net --timeout 900 --host-cpu \
		"${vms[@]}" "${nq[@]}" \
		--vtl2-append "khcl_mana_xlat.backend=" \
		--guest-append "KHCL_SKIP=khcl_vmbus_guest,khcl_echo_client BENCH_NET=virtio BENCH_RUNTIME=$rt ${guest_extra:-}" \
		--guest-script scripts/tests/bench-net-guest.sh >&2 ||
		die "net bench, hostpv: failed (logs: $(logs_of_last))"
	keep_out vtl0 "$out/hostpv"
}
net_khcl_run() {
	rm -f out/logs/last
	scripts/rig.sh --vtl2-role bench --net-peer --timeout 900 --host-cpu \
		"${vms[@]}" "${nq[@]}" \
		--guest-append "BENCH_NET=khcl BENCH_RUNTIME=$rt ${guest_extra:-}" \
		--guest-script scripts/tests/bench-net-guest.sh \
		--vtl2-script scripts/tests/bench-net-vtl2.sh --vtl2-background >&2 ||
		die "net bench, khcl: failed (logs: $(logs_of_last))"
	keep_out vtl0 "$out/khcl"
	cp "$(logs_of_last)/vtl2.out" "$out/khcl-vtl2"
}

# The network workloads (bench-net-guest.sh: iperf3 TCP both ways, UDP
# 64-byte packets, ping request/response) to the rig's peer: direct (vtl2
# alone, khcl_mana_xlat leaving its NIC alone), hostpv (the test guest's
# virtio-net on the peer, vtl2 up and idle), khcl (the test guest's
# hv_netvsc behind khcl; vtl2 samples its counters and /proc/stat).
bench_net() {
	local rt=${BENCH_RUNTIME:-20} out t0
	t0=$(date +%s)
	out=$(mktemp -d "${TMPDIR:-/tmp}/khcl-bench.XXXXXX")
	bash scripts/build.sh bench >&2	# incremental once built
	log "net: direct (iperf3 in vtl2 on its virtio-net), ${rt} s per workload"
	rm -f out/logs/last
	scripts/rig.sh --only-vtl2 --vtl2-role bench --net-peer --timeout 900 --host-cpu \
		"${vms[@]}" "${nq[@]}" \
		--vtl2-append "khcl_mana_xlat.backend= BENCH_NET=virtio BENCH_ADDR=10.77.0.2 BENCH_RUNTIME=$rt" \
		--vtl2-script scripts/tests/bench-net-guest.sh >&2 ||
		die "net bench, direct: failed (logs: $(logs_of_last))"
	keep_out vtl2 "$out/direct"
	log "net: hostpv (the test guest on its own virtio-net)"
	net_hostpv_run
	log "net: khcl (the test guest's hv_netvsc behind khcl)"
	net_khcl_run
	python3 scripts/bench_net.py "{$(common 0)}" "$out/direct" \
		"$out/hostpv" "$out/khcl" "$out/khcl-vtl2"
	log "net: $(($(date +%s) - t0)) s; raw outputs in $out"
}

# Where vtl2's CPU goes on the khcl path: the storage workloads again
# (not measured: perf runs in vtl2), each sampled by perf in vtl2 for
# PROFILE_S s (bench-profile-vtl2.sh). Plain text, no JSON: per workload
# a "profile" line with vtl2's CPU per I/O over the sampled window, then
# perf's top symbols and objects.
bench_profile() {
	local out t0 disk rt=${BENCH_RUNTIME:-20}
	t0=$(date +%s)
	out=$(mktemp -d "${TMPDIR:-/tmp}/khcl-bench.XXXXXX")
	disk="$out/disk.raw"
	backing_file "$out"
	log "profile: khcl path, perf in vtl2 for ${PROFILE_S:-8} s per workload"
	khcl_run profile "PROFILE_S=${PROFILE_S:-8}" scripts/tests/bench-profile-vtl2.sh
	profile_print "$(sed -n 's/^run \([a-z0-9.]*\) .*/storage.\1/p' \
		scripts/tests/bench-storage-guest.sh | tr '\n' ' ')" \
		"$out/profile-vtl2" I/O 0 vtl2
	log "profile: $(($(date +%s) - t0)) s; vtl2 output: $(logs_of_last)/vtl2.out"
	rm -rf "$out"
}

# profile_print NAMES FILE UNIT DIGITS VM: the profile windows of VM
# (vmlib.sh profile_window) as text, the workloads named in order; UNIT:
# what one count is (I/O, packet); DIGITS: decimals of the CPU time per
# UNIT
profile_print() {
	tr -d '\r' <"$2" | awk -v names="$1" -v unit="$3" -v dig="$4" -v vm="$5" '
		BEGIN { split(names, name, " ") }
		/^PROFILE_BEGIN / {
			n = $2; w = (n in name) ? name[n] : "workload " n
			us = $3 ? $4 * 10000 / $3 : 0	# USER_HZ 100: 10,000 us a tick
			printf "profile %s: %d %ss in the window, %s busy %d of %d ticks, %.*f us of %s CPU per %s\n", w, $3, unit, vm, $4, $5, dig, us, vm, unit
			on = 1; next
		}
		/^PROFILE_BY_OBJECT / { print "  by object:"; next }
		/^PROFILE_END / { on = 0; next }
		on && NF { print "  " $0 }'
}

# Where the test guest's CPU goes: the storage (PART profile-guest) or
# network (profile-guest-net) workloads on the khcl and the hostpv paths
# (not measured: perf runs in the guest), perf sampling the guest for
# PROFILE_S s of each (bench-storage-guest.sh, bench-net-guest.sh).
bench_profile_guest() {
	local out t0 disk rt=${BENCH_RUNTIME:-20} names
	local guest_extra="PROFILE_S=${PROFILE_S:-8}"
	t0=$(date +%s)
	out=$(mktemp -d "${TMPDIR:-/tmp}/khcl-bench.XXXXXX")
	if [ "$1" = storage ]; then
		disk="$out/disk.raw"
		backing_file "$out"
		names=$(sed -n 's/^run \([a-z0-9.]*\) .*/storage.\1/p' \
			scripts/tests/bench-storage-guest.sh | tr '\n' ' ')
		log "profile-guest: storage, khcl path, perf in the test guest for ${PROFILE_S:-8} s per workload"
		khcl_run khcl ""
		profile_print "$names" "$out/khcl" I/O 0 guest
		log "profile-guest: storage, hostpv path (virtio-blk)"
		hostpv_run
		profile_print "$names" "$out/hostpv" I/O 0 guest
	else
		bash scripts/build.sh bench >&2
		names=$(sed -n 's/^run \([a-z0-9_]*\) .*/net.\1/p' \
			scripts/tests/bench-net-guest.sh | tr '\n' ' ')
		log "profile-guest: net, khcl path, perf in the test guest for ${PROFILE_S:-8} s per workload"
		net_khcl_run
		profile_print "$names" "$out/khcl" packet 1 guest
		log "profile-guest: net, hostpv path (virtio-net)"
		net_hostpv_run
		profile_print "$names" "$out/hostpv" packet 1 guest
	fi
	log "profile-guest: $(($(date +%s) - t0)) s"
	rm -rf "$out"
}

# The network workloads (bench-net-guest.sh, BENCH_RUNTIME s each) on the
# khcl path with perf in vtl2 for PROFILE_S s of each (not measured):
# vtl2's CPU per packet (both ways) and where it goes.
bench_profile_net() {
	local rt=${BENCH_RUNTIME:-20} t0
	t0=$(date +%s)
	bash scripts/build.sh bench >&2
	log "profile-net: khcl path, perf in vtl2 for ${PROFILE_S:-8} s per workload"
	rm -f out/logs/last
	scripts/rig.sh --vtl2-role bench --net-peer --timeout 900 \
		--guest-append "BENCH_NET=khcl BENCH_RUNTIME=$rt" \
		--vtl2-append "PROFILE_NET=1 PROFILE_S=${PROFILE_S:-8}" \
		--guest-script scripts/tests/bench-net-guest.sh \
		--vtl2-script scripts/tests/bench-profile-vtl2.sh --vtl2-background >&2 ||
		die "net profile: failed (logs: $(logs_of_last))"
	profile_print "$(sed -n 's/^run \([a-z0-9_]*\) .*/net.\1/p' \
		scripts/tests/bench-net-guest.sh | tr '\n' ' ')" \
		"$(logs_of_last)/vtl2.out" packet 1 vtl2
	log "profile-net: $(($(date +%s) - t0)) s; vtl2 output: $(logs_of_last)/vtl2.out"
}

for p in $parts; do
	case "$p" in
	echo) bench_echo ;;
	memory) bench_memory ;;
	storage) bench_storage ;;
	net) bench_net ;;
	profile) bench_profile ;;
	profile-net) bench_profile_net ;;
	profile-guest) bench_profile_guest storage ;;
	profile-guest-net) bench_profile_guest net ;;
	*) die "unknown bench part $p (echo, memory, storage, net, profile, profile-net, profile-guest, profile-guest-net)" ;;
	esac
done
