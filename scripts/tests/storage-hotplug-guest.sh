#!/bin/sh
# LUN hot remove and add, seen by the stock storvsc: vtl2 removes LUN 0
# while fio has I/O in flight on it (storage-hotplug-vtl2.sh), then adds
# it back. The disk must vanish (its I/O completed or failed, fio ends),
# come back on a rescan khcl asked for, and hold the seeded pattern.
# checks: disk_found lun_removed_seen io_ended_cleanly lun_added_seen
# checks: readded_data
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for (rc: 1 after a fail)
disks() {
	for b in /sys/block/sd*; do
		[ -e "$b" ] && printf '%s ' "${b##*/}"
	done
}
# shellcheck disable=SC2317  # called through wait_for
has_disk() { [ -n "$(disks)" ]; }
# shellcheck disable=SC2317
no_disk() { [ -z "$(disks)" ]; }

modprobe hv_storvsc || fail storvsc_loads
if wait_for 30 has_disk; then
	pass disk_found "$(disks)"
else
	fail disk_found
	exit 1
fi
d=/dev/$(disks | cut -d' ' -f1)
# I/O in flight while the LUN goes (vtl2 waits for it to start)
fio --name=inflight --filename="$d" --direct=1 --ioengine=libaio \
	--rw=randrw --bs=4k --iodepth=16 --size=256M --time_based \
	--runtime=120 --output=/tmp/fio.out >/dev/null 2>&1 &
fio_pid=$!
echo "fio started"
if wait_for 120 no_disk; then
	pass lun_removed_seen "$(dmesg | grep 'sd 0:0:0:0' | tail -1 | tr -s ' ')"
else
	fail lun_removed_seen "still: $(disks)"
fi
if wait_for 60 sh -c "! kill -0 $fio_pid 2>/dev/null"; then
	wait $fio_pid
	pass io_ended_cleanly "fio exit $?: $(grep -m1 -o 'err=[ 0-9]*[^)]*' /tmp/fio.out)"
else
	fail io_ended_cleanly "fio still running 60 s after the disk left"
	kill -9 $fio_pid
fi
if wait_for 120 has_disk; then
	pass lun_added_seen "$(disks)"
else
	fail lun_added_seen
	dmesg | grep -E 'scsi|sd |storvsc' | tail -20	# what the guest saw
fi
d=/dev/$(disks | cut -d' ' -f1)
sleep 1
if [ "$(dd if="$d" bs=512 skip=1500000 count=8 iflag=direct 2>/dev/null | md5sum)" = \
	"$(yes 'khcl-storage-seed-0123456789' | head -c 4096 | md5sum)" ]; then
	pass readded_data "$d LBA 1500000"
else
	fail readded_data "$d"
fi
sleep 6		# a vtl2 monitor block after it
exit $rc
