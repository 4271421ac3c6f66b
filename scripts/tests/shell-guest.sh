#!/bin/sh
# rig.sh --shell, test guest side: the stock storvsc finds the disk behind
# khcl, it is mounted on /mnt/disk (an ext4 made on it first if it has
# none), the stock netvsc's NIC behind khcl is up (10.77.0.3, the peer
# 10.77.0.1 when rig.sh runs one: --shell brings it), and the console
# (this terminal) gets a shell. Exiting the shell
# powers the guest off and the rig tears down.
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for
con=/dev/ttyS0
say() { echo "khcl: $*" >$con; }
modprobe hv_storvsc
wait_for 30 is_blk /dev/sda
if [ -b /dev/sda ]; then
	blkid /dev/sda >/dev/null 2>&1 || mkfs.ext4 -q /dev/sda
	mkdir -p /mnt/disk
	mount /dev/sda /mnt/disk &&
		say "/dev/sda ($(tr -s ' ' </sys/block/sda/device/model)$(($(cat /sys/block/sda/size) / 2048)) MiB, served by khcl in vtl2 from its NVMe namespace) is mounted on /mnt/disk"
else
	say "no disk appeared in 30 s (dmesg has storvsc's side)"
fi
modprobe hv_netvsc
if wait_for 30 khcl_nic; then
	ip link set "$dev" up
	wait_for 20 carrier_is "$dev" 1
	ip addr add 10.77.0.3/24 dev "$dev"
	if busybox ping -c 1 -W 3 10.77.0.1 >/dev/null 2>&1; then
		say "$dev (netvsc, served by khcl in vtl2 on its NIC) is up as 10.77.0.3; the peer 10.77.0.1 answers (try: iperf3 -c 10.77.0.1)"
	else
		say "$dev is up as 10.77.0.3; the peer 10.77.0.1 does not answer"
	fi
else
	say "no NIC with khcl's MAC appeared in 30 s (dmesg has netvsc's side)"
fi
say "type 'exit' to power off and tear the rig down"
# shellcheck disable=SC2094  # a terminal: read and written
setsid -c sh -l <$con >$con 2>&1
umount /mnt/disk 2>/dev/null
exit 0
