#!/bin/bash
# The two-VM rig of DESIGN.md under TCG:
#   vtl0: the test guest, its 1 GiB RAM a shared file;
#   vtl2: the paravisor, seeing that file as an ivshmem-plain BAR, the
#         mailbox region, an NVMe disk (sparse file) and a virtio-net NIC.
#
#   scripts/rig.sh [options]
#     --vtl2-role rig|debug   vtl2 kernel/initramfs (default rig)
#     --guest-script F        run F inside the test guest (output + status back)
#     --vtl2-script F         run F inside vtl2
#     --vtl2-background       the vtl2 script is a monitor: the run ends when
#                             the guest's script ends; its status is ignored
#     --vtl2-after REGEX      start vtl2 only once the guest's script output
#                             matches REGEX (default: start both at once)
#     --guest-append ARGS     extra test guest kernel command line
#     --guest-cpus N          test guest vCPUs (default 1)
#     --vtl2-append ARGS      extra vtl2 kernel command line
#     --disk F                NVMe backing file (default: a new sparse 1 GiB)
#     --disk2 F               a second NVMe controller (serial khcl1) on F
#     --guest-virtio-disk F   the test guest gets a QEMU virtio-blk on F
#                             (the host-PV baseline; same drive options)
#     --guest-reboot-script F when the guest's script prints KHCL_REBOOT and
#                             its VM goes down (reboot -f), tell vtl2 of the
#                             VTL0 reset and wait until it closed what the
#                             old guest had (scripts/mbox-reset.py), then
#                             boot it again with F as its script (the first
#                             boot's output is kept in vtl0-boot1.out)
#     --shell                 the test guest's console on this terminal:
#                             its disk behind khcl found and mounted on
#                             /mnt/disk, its NIC behind khcl up on the
#                             network peer (implies --net-peer), then a
#                             shell; exit it to tear everything down (no
#                             timeout)
#     --net-peer              vtl2's NIC on a tap in a network namespace
#                             of its own with a peer (scripts/netpeer.sh:
#                             10.77.0.1, iperf3), instead of QEMU user
#                             networking; deleted on any exit
#     --guest-virtio-net      with --net-peer: the test guest also gets a
#                             QEMU virtio-net on the peer (the host-PV
#                             baseline; tap kt1)
#     --vtl2-cpus N           vtl2 vCPUs (default 1)
#     --net-queues N          with --net-peer: vtl2's virtio-net (and the
#                             test guest's own, --guest-virtio-net) has N
#                             queue pairs (multi-queue taps; default 1)
#     --timeout S             whole-run timeout (default 300)
#     --only-vtl2             boot vtl2 alone (no test guest)
#     --host-cpu              the host's CPU over each workload the VMs'
#                             scripts mark (scripts/hostcpu.py), in
#                             <logs>/host.out (make bench)
# Logs: out/logs/<run>/{vtl0,vtl2}.console and .out (script output).
# Without scripts the run ends once every VM printed its ready line.
# Exit status: 0 when every script exited 0 and no VM timed out.
# Teardown (also on failure and Ctrl-C) kills both QEMUs and removes the
# temp files.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

vtl2_role=rig guest_script='' vtl2_script='' vtl2_after='' disk=''
guest_append='' vtl2_append='' timeout=300 only_vtl2=0 vtl2_background=0
guest_cpus=1 disk2='' guest_vdisk='' shell=0 reboot_script='' net_peer=0 guest_vnet=0
vtl2_cpus=1 net_queues=1 host_cpu=0
while [ $# -gt 0 ]; do
	case "$1" in
	--vtl2-role) vtl2_role=$2; shift ;;
	--guest-script) guest_script=$(realpath "$2"); shift ;;
	--vtl2-script) vtl2_script=$(realpath "$2"); shift ;;
	--vtl2-after) vtl2_after=$2; shift ;;
	--vtl2-background) vtl2_background=1 ;;
	--guest-append) guest_append=$2; shift ;;
	--guest-cpus) guest_cpus=$2; shift ;;
	--vtl2-append) vtl2_append=$2; shift ;;
	--disk) disk=$(realpath "$2"); shift ;;
	--disk2) disk2=$(realpath "$2"); shift ;;
	--guest-virtio-disk) guest_vdisk=$(realpath "$2"); shift ;;
	--shell) shell=1 ;;
	--guest-reboot-script) reboot_script=$(realpath "$2"); shift ;;
	--timeout) timeout=$2; shift ;;
	--only-vtl2) only_vtl2=1 ;;
	--net-peer) net_peer=1 ;;
	--guest-virtio-net) guest_vnet=1 ;;
	--vtl2-cpus) vtl2_cpus=$2; shift ;;
	--net-queues) net_queues=$2; shift ;;
	--host-cpu) host_cpu=1 ;;
	*) die "unknown option $1 (see the header of $0)" ;;
	esac
	shift
done

if [ $shell -eq 1 ]; then
	[ -z "$guest_script" ] || die "--shell runs its own guest script"
	guest_script=$(realpath "$(dirname "$0")/tests/shell-guest.sh")
	net_peer=1	# the NIC behind khcl reaches a peer
	timeout=$((365 * 86400))
	exec 3<&0	# the terminal, for the guest's console
else
	exec 3</dev/null
fi

for r in "$vtl2_role" testguest; do
	if [ ! -f "$KHCL_OUT/$r/bzImage" ] || [ ! -f "$KHCL_OUT/$r/initramfs.img" ]; then
		die "out/$r is not built (make)"
	fi
done

run=$(date +%Y%m%d-%H%M%S)-$$
logs="$KHCL_OUT/logs/$run"
mkdir -p "$logs"
shmdir=/dev/shm
[ -w "$shmdir" ] || shmdir=${TMPDIR:-/tmp}
tmp=$(mktemp -d "$shmdir/khcl-rig.XXXXXX")
pids=()

# shellcheck disable=SC2317  # called from the EXIT trap
teardown() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	[ "$net_peer" = 0 ] || bash "$KHCL_ROOT/scripts/netpeer.sh" down "$run"
	rm -rf "$tmp"
}
trap teardown EXIT
trap 'log "interrupted"; exit 130' INT TERM

# initrd: an uncompressed cpio holding /khcl/run.sh, then the role's
# image (the kernel unpacks concatenated archives in order; an uncompressed
# one first is what early microcode does, so every kernel handles it)
mkinitrd() {
	local role=$1 script=$2 out=$3
	: >"$out"
	if [ -n "$script" ]; then
		mkdir -p "$tmp/cpio-$role/khcl"
		install -m 0755 "$script" "$tmp/cpio-$role/khcl/run.sh"
		install -m 0644 "$KHCL_ROOT/scripts/tests/vmlib.sh" "$tmp/cpio-$role/khcl/"
		(cd "$tmp/cpio-$role" && find . | cpio -o -H newc --quiet) >"$out"
	fi
	cat "$KHCL_OUT/$role/initramfs.img" >>"$out"
}

ram="$tmp/vtl0-ram"
mailbox="$tmp/mailbox"
truncate -s 1G "$ram"
truncate -s 2M "$mailbox"
if [ -z "$disk" ]; then
	disk="$tmp/nvme.raw"
	truncate -s 1G "$disk"
fi
# Fixed drive options, identical for every path (DESIGN.md)
drive_opts="cache=none,aio=threads,discard=unmap"
# One vCPU, but maxcpus=2 with multi-threaded TCG: only then does TCG
# translate the guest's memory barriers into host barriers (parallel
# mode). Single-threaded TCG drops them, and the two VMs' ring protocol
# (store index, barrier, read the other side's mask) then loses wakeups.
# shellcheck disable=SC2054  # commas are QEMU's, inside one argument
qemu=(qemu-system-x86_64 -accel tcg,thread=multi -cpu max -nographic -no-reboot
	-nodefaults -display none)
smp_of() { echo "$1,maxcpus=$(($1 > 2 ? $1 : 2))"; }

start_vtl0() {
	local extra=() console=(-serial file:"$logs/vtl0.console")
	mkinitrd testguest "$guest_script" "$tmp/vtl0-initrd"
	if [ -n "$guest_vdisk" ]; then
		# shellcheck disable=SC2054  # commas are QEMU's
		extra+=(-drive "file=$guest_vdisk,if=none,id=vd,format=raw,$drive_opts"
			-device virtio-blk-pci,drive=vd)
	fi
	if [ $shell -eq 1 ]; then
		# shellcheck disable=SC2054
		console=(-chardev stdio,id=con,signal=off -serial chardev:con)
		guest_append="$guest_append quiet"
	fi
	local ns=()
	if [ "$guest_vnet" = 1 ]; then
		local q='' mq=''
		# N queue pairs: 2N + 2 MSI-X vectors
		[ "$net_queues" -gt 1 ] &&
			q=",queues=$net_queues" mq=",mq=on,vectors=$((2 * net_queues + 2))"
		# shellcheck disable=SC2054
		extra+=(-netdev "tap,id=n1,ifname=kt1,script=no,downscript=no$q"
			-device "virtio-net-pci,netdev=n1$mq")
		ns=(ip netns exec "khcl-$run")
	fi
	"${ns[@]}" "${qemu[@]}" -smp "$(smp_of "$guest_cpus")" -m 1G \
		-object memory-backend-file,id=ram0,size=1G,mem-path="$ram",share=on \
		-machine q35,memory-backend=ram0 \
		-kernel "$KHCL_OUT/testguest/bzImage" -initrd "$tmp/vtl0-initrd" \
		-append "console=ttyS0 rdinit=/khcl-init panic=-1 $guest_append" \
		-chardev socket,path="$tmp/ivshmem.sock",id=mbox \
		-device ivshmem-doorbell,chardev=mbox,vectors=1 \
		"${extra[@]}" "${console[@]}" -serial file:"$logs/vtl0.out" \
		<&3 &
	pids+=($!)
	vtl0_pid=$!
}

# vtl2 is told the test guest's VP count (khcl.vmbus.max_vp): on Hyper-V
# VTL2 runs on the guest's VPs and knows it; here it has one vCPU of its
# own, and a target VP at or above the count is refused. Its NVMe
# namespace is the guest's LUN 0 (khcl.nvme_xlat.luns; a later
# --vtl2-append luns= wins).
start_vtl2() {
	mkinitrd "$vtl2_role" "$vtl2_script" "$tmp/vtl2-initrd"
	local mem=64M extra=()
	# debug: KASAN; bench: fio and its 80 MB of libraries
	[ "$vtl2_role" = debug ] || [ "$vtl2_role" = bench ] && mem=512M
	if [ -n "$disk2" ]; then
		# shellcheck disable=SC2054
		extra+=(-drive "file=$disk2,if=none,id=nvm1,format=raw,$drive_opts"
			-device nvme,drive=nvm1,serial=khcl1)
	fi
	# the NIC: QEMU user networking (nothing reachable), or the peer's tap
	# from inside its namespace
	# shellcheck disable=SC2054  # QEMU's option syntax
	# ctrl_vlan=off: QEMU passes every VLAN (the guest's tagged frames;
	# MANA's vPort takes its VLANs from the host's port settings)
	local nic=(-netdev user,id=n0,restrict=on) ns=() vnet=virtio-net-pci,netdev=n0,ctrl_vlan=off
	if [ "$net_peer" = 1 ]; then
		# shellcheck disable=SC2054
		nic=(-netdev tap,id=n0,ifname=kt0,script=no,downscript=no)
		ns=(ip netns exec "khcl-$run")
		if [ "$net_queues" -gt 1 ]; then
			# N queue pairs: 2N + 2 MSI-X vectors
			nic[1]="${nic[1]},queues=$net_queues"
			vnet="$vnet,mq=on,vectors=$((2 * net_queues + 2))"
		fi
	fi
	"${ns[@]}" "${qemu[@]}" -smp "$(smp_of "$vtl2_cpus")" -m "$mem" -machine q35 \
		-kernel "$KHCL_OUT/$vtl2_role/bzImage" -initrd "$tmp/vtl2-initrd" \
		-append "console=ttyS0 rdinit=/khcl-init panic=-1 khcl.vmbus.max_vp=$guest_cpus khcl.nvme_xlat.luns=0:/dev/nvme0n1 $vtl2_append" \
		-object memory-backend-file,id=vtl0,size=1G,mem-path="$ram",share=on \
		-device ivshmem-plain,memdev=vtl0 \
		-chardev socket,path="$tmp/ivshmem.sock",id=mbox \
		-device ivshmem-doorbell,chardev=mbox,vectors=1 \
		-drive file="$disk",if=none,id=nvm,format=raw,$drive_opts \
		-device nvme,drive=nvm,serial=khcl0 "${extra[@]}" \
		"${nic[@]}" -device "$vnet" \
		-serial file:"$logs/vtl2.console" -serial file:"$logs/vtl2.out" \
		</dev/null &
	pids+=($!)
	vtl2_pid=$!
}

# the mailbox (2 MiB): shared memory + doorbells through our ivshmem server
python3 "$KHCL_ROOT/scripts/ivshmem-server.py" "$tmp/ivshmem.sock" "$mailbox" 1 \
	>"$logs/ivshmem-server.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
	[ -S "$tmp/ivshmem.sock" ] && break
	sleep 0.1
done
[ -S "$tmp/ivshmem.sock" ] || die "ivshmem server did not start (see $logs/ivshmem-server.log)"

touch "$logs/vtl0.out" "$logs/vtl2.out" "$logs/vtl0.console" "$logs/vtl2.console"
if [ "$host_cpu" = 1 ]; then
	python3 "$KHCL_ROOT/scripts/hostcpu.py" "$logs" >"$logs/host.out" 2>&1 &
	pids+=($!)
fi
deadline=$(($(date +%s) + timeout))
vtl0_pid='' vtl2_pid=''
log "run $run: logs in $logs"
[ "$guest_vnet" = 0 ] || [ "$net_peer" = 1 ] || die "--guest-virtio-net needs --net-peer"
if [ "$net_peer" = 1 ]; then
	NET_QUEUES=$net_queues bash "$KHCL_ROOT/scripts/netpeer.sh" up "$run" ||
		die "network peer not set up"
fi
[ $only_vtl2 -eq 1 ] || start_vtl0
if [ -z "$vtl2_after" ] || [ $only_vtl2 -eq 1 ]; then
	start_vtl2
fi

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
timed_out=0 reset_failed=0
while alive "$vtl0_pid" || alive "$vtl2_pid" || { [ -z "$vtl2_pid" ] && [ -n "$vtl2_after" ]; }; do
	if [ -z "$vtl2_pid" ] && [ -n "$vtl2_after" ]; then
		if grep -qE "$vtl2_after" "$logs/vtl0.out"; then
			log "guest output matched '$vtl2_after': starting vtl2"
			start_vtl2
		elif ! alive "$vtl0_pid"; then
			log "guest ended before '$vtl2_after'"
			break
		fi
	fi
	if [ "$(date +%s)" -ge "$deadline" ]; then
		log "timeout after $timeout s"
		timed_out=1
		break
	fi
	# the guest rebooted on purpose: boot it again, once, with its next script
	if [ -n "$reboot_script" ] && [ -n "$vtl0_pid" ] && ! alive "$vtl0_pid" &&
		grep -q '^KHCL_REBOOT' "$logs/vtl0.out"; then
		wait "$vtl0_pid" 2>/dev/null || true
		# the VTL0 reset Hyper-V would tell the paravisor about: vtl2
		# closes what the old guest had before the new one boots
		if ! python3 "$KHCL_ROOT/scripts/mbox-reset.py" "$mailbox" 30 >>"$logs/rig.log"; then
			log "vtl2 did not handle the guest's reset: $(tail -1 "$logs/rig.log")"
			reset_failed=1
			break
		fi
		log "$(tail -1 "$logs/rig.log")"
		mv "$logs/vtl0.out" "$logs/vtl0-boot1.out"
		mv "$logs/vtl0.console" "$logs/vtl0-boot1.console"
		touch "$logs/vtl0.out" "$logs/vtl0.console"
		log "the guest rebooted: booting it again with ${reboot_script##*/}"
		guest_script=$reboot_script reboot_script=''
		start_vtl0
	fi
	# no script at all: the run is the boot; done when every VM is ready
	if [ -z "$guest_script$vtl2_script" ] && [ -n "$vtl2_pid" ] &&
		grep -q '^khcl: ready' "$logs/vtl2.console" &&
		{ [ $only_vtl2 -eq 1 ] || grep -q '^khcl: ready' "$logs/vtl0.console"; }; then
		break
	fi
	# a VM without a script stays up: stop when the scripted ones ended
	if [ -z "$guest_script" ] && [ -n "$vtl2_pid" ] && ! alive "$vtl2_pid"; then
		break
	fi
	if { [ -z "$vtl2_script" ] || [ $vtl2_background -eq 1 ]; } &&
		[ -n "$vtl0_pid" ] && ! alive "$vtl0_pid" && [ -n "$vtl2_pid" ]; then
		break
	fi
	sleep 0.5
done

status=0
[ $timed_out -eq 0 ] || status=1
[ $reset_failed -eq 0 ] || status=1
for vm in vtl0 vtl2; do
	[ -s "$logs/$vm.console" ] || continue
	grep -m1 '^khcl: ' "$logs/$vm.console" | sed "s/^/$vm: /" >&2 || true
	if grep -qE "$KHCL_REPORT_RE" "$logs/$vm.console"; then
		log "$vm: kernel report on the console (see $logs/$vm.console)"
		status=1
	fi
done
[ $vtl2_background -eq 0 ] || vtl2_script=''
for pair in "vtl0:$guest_script" "vtl2:$vtl2_script"; do
	vm=${pair%%:*}
	[ -n "${pair#*:}" ] || continue
	rc=$(sed -n 's/^KHCL_EXIT \([0-9]*\).*/\1/p' "$logs/$vm.out" | tail -1)
	log "$vm script exit status: ${rc:-none}"
	[ "${rc:-1}" = 0 ] || status=1
done
echo "$logs" >"$KHCL_OUT/logs/last"
exit $status
