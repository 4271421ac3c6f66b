#!/bin/sh
# make run, test guest side: the stock storvsc finds the disk behind the
# paravisor (vtl2's NVMe namespace through khcl), a file system is made on
# it, a file written, the caches dropped, the file read back and checked.
# Progress lines on ttyS1 (the run's output); exits non-zero on a failure.
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for
say() { echo "guest: $*"; }
now() { cut -d' ' -f1 /proc/uptime; }
modprobe hv_storvsc || { say "hv_storvsc did not load"; exit 1; }
wait_for 30 is_blk /dev/sda
[ -b /dev/sda ] || { say "no disk appeared in 30 s"; exit 1; }
dev=/sys/block/sda/device
say "disk /dev/sda: $(tr -s ' ' <$dev/vendor)$(tr -s ' ' <$dev/model), $(($(cat /sys/block/sda/size) / 2048)) MiB, wwid $(cat $dev/wwid): storvsc on VMBus, served by khcl in vtl2 from its NVMe namespace"
mkfs.ext4 -q -F /dev/sda || { say "mkfs.ext4 failed"; exit 1; }
mkdir -p /mnt/disk
mount /dev/sda /mnt/disk || { say "mount failed"; exit 1; }
say "ext4 made and mounted on /mnt/disk"
t0=$(now)
dd if=/dev/urandom of=/mnt/disk/file bs=1M count=64 2>/dev/null
sum=$(md5sum </mnt/disk/file)
umount /mnt/disk
t1=$(now)
say "wrote 64 MiB of random data (md5 ${sum%% *}), unmounted: $(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}') s"
echo 3 >/proc/sys/vm/drop_caches
mount /dev/sda /mnt/disk
t0=$(now)
again=$(md5sum </mnt/disk/file)
t1=$(now)
umount /mnt/disk
if [ "$sum" != "$again" ]; then
	say "read back: md5 ${again%% *} differs"
	exit 1
fi
say "read it back from the disk: md5 matches ($(echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}') s)"
if e2fsck -fn /dev/sda >/dev/null 2>&1; then
	say "e2fsck: clean"
else
	say "e2fsck found errors"
	exit 1
fi
sleep 3		# vtl2 prints its counters after the run
