#!/bin/sh
# Storage faults seen by the stock storvsc/sd (storage-faults-vtl2.sh
# injects them): LUN 1's device fails every I/O, then goes away; LUN 0
# must keep working throughout. (The test guest kernel has no SCSI
# constants: sd prints sense as numbers, key 3 = MEDIUM ERROR, ASC 11h
# UNRECOVERED READ ERROR, ASC 0Ch WRITE ERROR.)
# checks: two_disks read_error_sense write_error_sense other_lun_serves
# checks: namespace_gone_disk_removed other_lun_after_gone
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for (rc: 1 after a fail)
disk_of() {	# the sd disk of LUN $1, if any
	for b in /sys/class/scsi_disk/*:"$1"/device/block/*; do
		[ -e "$b" ] && echo "${b##*/}"
	done
}
# shellcheck disable=SC2317  # called through wait_for
two() { [ -n "$(disk_of 0)" ] && [ -n "$(disk_of 1)" ]; }
# shellcheck disable=SC2317
lun1_gone() { [ -z "$(disk_of 1)" ]; }
io_ok() {	# a 4 KiB direct read and write-back on /dev/$1
	dd if="/dev/$1" of=/tmp/b bs=4096 count=1 skip=100 iflag=direct 2>/dev/null &&
		dd if=/tmp/b of="/dev/$1" bs=4096 count=1 seek=100 oflag=direct 2>/dev/null
}

modprobe hv_storvsc || fail storvsc_loads
# vtl2 sets both LUNs once its NVMe controllers are up; rescans follow
if wait_for 120 two; then
	pass two_disks "LUN 0 $(disk_of 0), LUN 1 $(disk_of 1)"
else
	fail two_disks "$(dmesg | grep -i 'sd \|scsi' | tail -4 | tr '\n' ' ')"
	exit 1
fi
d0=$(disk_of 0)
d1=$(disk_of 1)
sleep 2
dmesg -c >/dev/null
if ! dd if="/dev/$d1" of=/dev/null bs=4096 count=1 skip=10 iflag=direct 2>/dev/null &&
	dmesg | grep -q 'Sense Key : 0x3 ' &&
	dmesg | grep -q 'ASC=0x11 ASCQ=0x0'; then
	pass read_error_sense "MEDIUM ERROR, UNRECOVERED READ ERROR: $(dmesg | grep -m1 'ASC=' | tr -s ' ')"
else
	fail read_error_sense "$(dmesg | tail -5 | tr '\n' ' ')"
fi
dmesg -c >/dev/null
if ! dd if=/dev/zero of="/dev/$d1" bs=4096 count=1 seek=10 oflag=direct 2>/dev/null &&
	dmesg | grep -q 'Sense Key : 0x3 ' &&
	dmesg | grep -q 'ASC=0xc ASCQ=0x0'; then
	pass write_error_sense "MEDIUM ERROR, WRITE ERROR: $(dmesg | grep -m1 'ASC=' | tr -s ' ')"
else
	fail write_error_sense "$(dmesg | tail -5 | tr '\n' ' ')"
fi
if io_ok "$d0"; then
	pass other_lun_serves "$d0"
else
	fail other_lun_serves "$d0"
fi
# I/O on LUN 0 while vtl2 removes LUN 1's controller
n=0
while [ -n "$(disk_of 1)" ] && [ $n -lt 1200 ]; do
	io_ok "$d0" || break
	n=$((n + 1))
	sleep 0.1
done
if wait_for 60 lun1_gone; then
	pass namespace_gone_disk_removed "after $n LUN 0 I/Os"
else
	fail namespace_gone_disk_removed "LUN 1 still $(disk_of 1)"
fi
if io_ok "$d0" && [ "$(disk_of 0)" = "$d0" ]; then
	pass other_lun_after_gone "$d0"
else
	fail other_lun_after_gone "$(disk_of 0)"
fi
sleep 6
exit $rc
