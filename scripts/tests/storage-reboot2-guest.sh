#!/bin/sh
# The test guest after its reboot mid-I/O (storage-reboot-guest.sh): the
# stock storvsc finds its disk behind khcl again and it works.
# checks: disk_found_after_reboot io_after_reboot
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for (rc: 1 after a fail)
modprobe hv_storvsc
if wait_for 30 is_blk /dev/sda; then
	pass disk_found_after_reboot "$(cat /sys/block/sda/device/wwid)"
else
	fail disk_found_after_reboot "$(dmesg | grep -i 'storvsc\|scsi' | tail -3 | tr '\n' ' ')"
	exit 1
fi
if fio --name=after --filename=/dev/sda --direct=1 --ioengine=libaio \
	--rw=randwrite --bs=4k --iodepth=8 --size=64M --verify=crc32c \
	--do_verify=1 --verify_fatal=1 >/tmp/fio.out 2>&1; then
	pass io_after_reboot "64 MiB written and verified"
else
	fail io_after_reboot "$(tail -3 /tmp/fio.out | tr '\n' ' ')"
fi
sleep 6		# a vtl2 monitor block after it
exit $rc
