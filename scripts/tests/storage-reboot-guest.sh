#!/bin/sh
# The test guest rebooted with I/O in flight (first boot): fio writes to
# the disk behind khcl, then reboot -f (no unload, no sync, no VMBus
# goodbye). rig.sh --guest-reboot-script boots it again with the second
# script (storage-reboot2-guest.sh).
# checks: disk_found rebooting_with_io_in_flight
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for
modprobe hv_storvsc
wait_for 30 is_blk /dev/sda
if [ ! -b /dev/sda ]; then
	echo "FAIL disk_found"
	exit 1
fi
pass disk_found
fio --name=reboot --filename=/dev/sda --direct=1 --ioengine=libaio \
	--rw=randwrite --bs=64k --iodepth=32 --size=512M --time_based \
	--runtime=120 >/dev/null 2>&1 &
sleep 5
pass rebooting_with_io_in_flight "$(grep -c . /proc/diskstats) disks, fio $!"
echo KHCL_REBOOT
reboot -f
