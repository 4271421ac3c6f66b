#!/bin/sh
# make run, test guest side: the stock storvsc finds the disk behind the
# paravisor (vtl2's NVMe namespace through khcl), a file system is made on
# it, a file written, the caches dropped, the file read back and checked;
# then the stock netvsc's NIC behind khcl (vtl2's virtio-net, the MANA
# stand-in) gets its address on the rig's peer, pings it and moves a few
# seconds of iperf3 TCP each way.
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
modprobe hv_netvsc
if ! wait_for 30 khcl_nic; then
	say "no NIC with khcl's MAC appeared in 30 s"
	exit 1
fi
ip link set "$dev" up
wait_for 20 carrier_is "$dev" 1 || { say "$dev: no carrier"; exit 1; }
ip addr add 10.77.0.3/24 dev "$dev"
say "NIC $dev: $(cat "/sys/class/net/$dev/address"), mtu $(cat "/sys/class/net/$dev/mtu"), carrier on: netvsc on VMBus, served by khcl in vtl2 on its NIC"
if p=$(busybox ping -c 3 -W 2 10.77.0.1 2>&1); then
	say "pinged the peer 10.77.0.1: $(echo "$p" | tail -1)"
else
	say "the peer 10.77.0.1 does not answer"
	exit 1
fi
for d in "" -R; do
	r=$(iperf3 -c 10.77.0.1 -t 3 -f m $d 2>&1 | grep -m1 ' receiver$' | tr -s ' ' | cut -d' ' -f5-8)
	[ -n "$r" ] || { say "iperf3 $d failed"; exit 1; }
	say "iperf3 TCP $([ -z "$d" ] && echo to || echo from) the peer, 3 s: $r"
done
sleep 3		# vtl2 prints its counters after the run
