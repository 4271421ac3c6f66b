#!/bin/sh
# The stock storvsc and sd drive khcl's SCSI target: the disk behind it is
# vtl2's NVMe namespace (a file the test made: STORAGE_BLOCKS 512-byte
# blocks, a pattern seeded at LBA 1500000). Prints PASS/FAIL lines; exits
# non-zero on any FAIL. The test checks the file afterwards for what the
# guest wrote at LBA 2000000.
# checks: disk_found inquiry vpd_devid readcap wwid raw_read raw_write
# checks: discard_reads_zero write_same_pattern write_same_ndob
# checks: write_same_unmap verify_bytchk reservations_refused host_reset_inflight
# checks: mkfs_mount_rw fsck_clean
# checks: fio_verify_qd1 fio_verify_qd32
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for (rc: 1 after a fail)
blocks=${STORAGE_BLOCKS:-2097152}
fio_mb=${STORAGE_FIO_MB:-512}

modprobe hv_storvsc || fail storvsc_loads
if wait_for 30 is_blk /dev/sda; then
	pass disk_found "$(cat /sys/block/sda/device/vendor) $(cat /sys/block/sda/device/model)"
else
	fail disk_found "$(dmesg | grep -i 'scsi\|storvsc\|sd ' | tail -5 | tr '\n' ' ')"
	exit 1
fi

inq=$(sg_inq /dev/sda 2>&1)
if echo "$inq" | grep -q 'Vendor identification: khcl' &&
	echo "$inq" | grep -q 'Peripheral device type: disk'; then
	pass inquiry "$(echo "$inq" | grep -i 'identification' | tr -s ' ' | tr '\n' ' ')"
else
	fail inquiry "$inq"
fi
devid=$(sg_vpd -p di /dev/sda 2>&1)
sn=$(sg_vpd -p sn /dev/sda 2>&1 | sed -n 's/.*Unit serial number: *//p')
if echo "$devid" | grep -q 'EUI-64' && [ -n "$sn" ]; then
	pass vpd_devid "serial $sn; $(echo "$devid" | grep -A1 'EUI-64' | tr -s ' ' | tr '\n' ' ')"
else
	fail vpd_devid "$devid / serial '$sn'"
fi
cap=$(sg_readcap -l /dev/sda 2>&1)
if echo "$cap" | grep -q "Last LBA=$((blocks - 1)) " &&
	echo "$cap" | grep -q 'Logical block length=512 bytes' &&
	[ "$(cat /sys/block/sda/size)" = "$blocks" ]; then
	pass readcap "$(echo "$cap" | grep -E 'Last LBA|block length' | tr -s ' ' | tr '\n' ' ')"
else
	fail readcap "$cap; size $(cat /sys/block/sda/size)"
fi
wwid=$(cat /sys/block/sda/device/wwid 2>/dev/null)
case "$wwid" in
eui.*) pass wwid "$wwid" ;;
*) fail wwid "'$wwid'" ;;
esac
# storvsc's own queue bound (its ring: 90% of 364 SRBs a channel): the
# test compares it with the pools of vtl2's channels (storage_queue_match)
for h in /sys/class/scsi_host/host*; do
	[ "$(cat "$h/proc_name")" = storvsc_host ] &&
		echo "CAN_QUEUE $(cat "$h/can_queue") $(cat /sys/block/sda/device/queue_depth)"
done
# PERSISTENT RESERVE IN: QEMU's NVMe has no reservations and khcl says so
# cleanly: ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE (sg3_utils'
# exit status 9), not an error or a hang
pr=$(sg_persist -n -k /dev/sda 2>&1)
st=$?
if [ $st = 9 ]; then
	pass reservations_refused "sg_persist -k: exit 9, $(echo "$pr" | tail -1)"
else
	fail reservations_refused "sg_persist -k: exit $st: $pr"
fi

# the seeded pattern, read through khcl; ours, written through it
pat() { yes "khcl-storage-$1-0123456789" | head -c 4096; }
if [ "$(dd if=/dev/sda bs=512 skip=1500000 count=8 iflag=direct 2>/dev/null | md5sum)" = \
	"$(pat seed | md5sum)" ]; then
	pass raw_read "LBA 1500000, 4 KiB"
else
	fail raw_read "LBA 1500000: $(dd if=/dev/sda bs=512 skip=1500000 count=1 iflag=direct 2>/dev/null | head -c 40)"
fi

# UNMAP (blkdiscard through sd), then the range reads as zeroes (QEMU's
# NVMe deallocates and reads zeroes back: the device says so, DLFEAT)
zeroes() { head -c "$1" /dev/zero | md5sum; }
rd() { dd if=/dev/sda bs=512 skip="$1" count="$2" iflag=direct 2>/dev/null | md5sum; }
pat unmapme >/tmp/blk
for _ in 0 1 2 3 4 5 6 7; do cat /tmp/blk; done >/tmp/blk32
dd if=/tmp/blk32 of=/dev/sda bs=512 seek=1200000 oflag=direct conv=fsync 2>/dev/null
lbpme=$(sg_readcap -l /dev/sda | sed -n 's/.*lbpme=\([01]\).*/\1/p')
if [ "$(rd 1200000 64)" = "$(md5sum </tmp/blk32)" ] && [ "$lbpme" = 1 ] &&
	blkdiscard -o $((1200000 * 512)) -l 32768 /dev/sda &&
	[ "$(rd 1200000 64)" = "$(zeroes 32768)" ]; then
	pass discard_reads_zero "32 KiB at LBA 1200000, lbpme=$lbpme, $(cat /sys/block/sda/queue/discard_max_bytes) discard_max_bytes"
else
	fail discard_reads_zero "lbpme=$lbpme $(rd 1200000 1)"
fi
# WRITE SAME: a block repeated (one write of repeated bio_vecs), NDOB
# (one write-zeroes), UNMAP (one discard)
head -c 512 /tmp/blk >/tmp/blk512
for _ in $(seq 16); do cat /tmp/blk512; done >/tmp/blk16
if sg_write_same --10 --in=/tmp/blk512 --lba=1300000 --num=16 /dev/sda &&
	[ "$(rd 1300000 16)" = "$(md5sum </tmp/blk16)" ]; then
	pass write_same_pattern "16 x 512 B at LBA 1300000"
else
	fail write_same_pattern "$(rd 1300000 1)"
fi
if sg_write_same --16 --ndob --lba=1300000 --num=8 /dev/sda &&
	[ "$(rd 1300000 8)" = "$(zeroes 4096)" ] &&
	[ "$(dd if=/dev/sda bs=512 skip=1300008 count=8 iflag=direct 2>/dev/null | md5sum)" = \
		"$(head -c 4096 /tmp/blk16 | md5sum)" ]; then
	pass write_same_ndob "8 blocks zeroed, the next 8 untouched"
else
	fail write_same_ndob "$(rd 1300000 1)"
fi
if sg_write_same --16 --unmap --in=/tmp/blk512 --lba=1300008 --num=8 /dev/sda &&
	[ "$(rd 1300008 8)" = "$(zeroes 4096)" ]; then
	pass write_same_unmap "8 blocks discarded, read as zeroes"
else
	fail write_same_unmap "$(rd 1300008 1)"
fi
# VERIFY with BYTCHK: the target compares what the guest sends with the
# medium (sg3_utils: exit 0 equal, 14 MISCOMPARE). The seed's 8 blocks,
# then with one byte changed; BYTCHK 3: the 8 zeroed blocks against one
# zero block
pat seed >/tmp/vfy
v1=0 v2=0 v3=0
sg_verify --lba=1500000 --count=8 --ndo=4096 --in=/tmp/vfy /dev/sda 2>/dev/null || v1=$?
printf 'X' | dd of=/tmp/vfy bs=1 seek=3000 conv=notrunc 2>/dev/null
sg_verify -q --lba=1500000 --count=8 --ndo=4096 --in=/tmp/vfy /dev/sda 2>/dev/null || v2=$?
head -c 512 /dev/zero >/tmp/vfy0
sg_verify --ebytchk=3 --lba=1300000 --count=8 --ndo=512 --in=/tmp/vfy0 /dev/sda 2>/dev/null || v3=$?
if [ "$v1$v2$v3" = 0140 ]; then
	pass verify_bytchk "equal: 0, one byte changed: MISCOMPARE (14), BYTCHK 3: 0"
else
	fail verify_bytchk "exit statuses $v1 $v2 $v3 (want 0 14 0)"
fi

# the SCSI error handler's host reset (storvsc sends RESET_BUS) with I/O
# in flight: answered once that I/O is, and the I/O goes on
fio --name=reset --filename=/dev/sda --direct=1 --ioengine=libaio \
	--rw=randread --bs=4k --iodepth=16 --size=256M --time_based \
	--runtime=8 --output=/tmp/fio-reset.out >/dev/null 2>&1 &
fpid=$!
sleep 3
if sg_reset -H /dev/sda >/tmp/reset.out 2>&1 && wait $fpid &&
	dd if=/dev/sda of=/dev/null bs=4096 count=16 iflag=direct 2>/dev/null; then
	pass host_reset_inflight "sg_reset -H during fio QD16: $(tr "\n" " " </tmp/reset.out)fio and I/O after it fine"
else
	fail host_reset_inflight "$(cat /tmp/reset.out) $(grep -o 'err=[^,]*' /tmp/fio-reset.out | head -1)"
fi

# a file system on it: written, unmounted, caches dropped, read back
mkfs_out=$(mkfs.ext4 -q -F /dev/sda 2>&1)
mkdir -p /mnt/k
if [ -z "$mkfs_out" ] && mount /dev/sda /mnt/k; then
	dd if=/dev/urandom of=/mnt/k/data bs=1M count=32 2>/dev/null
	for n in 1 2 3 4 5 6 7 8; do
		pat "file$n" >"/mnt/k/small$n"
	done
	sum=$(cat /mnt/k/data /mnt/k/small* | md5sum)
	umount /mnt/k
	echo 3 >/proc/sys/vm/drop_caches
	mount /dev/sda /mnt/k
	again=$(cat /mnt/k/data /mnt/k/small* | md5sum)
	umount /mnt/k
	if [ "$sum" = "$again" ]; then
		pass mkfs_mount_rw "32 MiB + 8 files, md5 ${sum%% *}"
	else
		fail mkfs_mount_rw "md5 $sum then $again"
	fi
else
	fail mkfs_mount_rw "$mkfs_out"
fi
if fsck_out=$(e2fsck -fn /dev/sda 2>&1); then
	pass fsck_clean "$(echo "$fsck_out" | tail -1)"
else
	fail fsck_clean "$fsck_out"
fi

# fio: random writes with crc32c verify, read back and checked
fio_verify() {	# fio_verify NAME QD BS
	out=$(fio --name="$1" --filename=/dev/sda --direct=1 --ioengine=libaio \
		--rw=randwrite --bs="$3" --iodepth="$2" --size="${fio_mb}M" \
		--verify=crc32c --do_verify=1 --verify_fatal=1 \
		--output-format=terse --terse-version=3 2>&1)
	st=$?
	# terse v3: field 5 errors; write IOPS field 49, read (verify) 8
	err=$(echo "$out" | tail -1 | cut -d';' -f5)
	if [ $st -eq 0 ] && [ "$err" = "0" ]; then
		pass "$1" "${fio_mb} MiB bs=$3 QD$2: write $(echo "$out" | tail -1 | cut -d';' -f49) IOPS, verify read $(echo "$out" | tail -1 | cut -d';' -f8) IOPS, 0 errors"
	else
		fail "$1" "status $st: $(echo "$out" | tail -5)"
	fi
}
fio_verify fio_verify_qd1 1 "${STORAGE_FIO_BS_QD1:-64k}"
fio_verify fio_verify_qd32 32 "${STORAGE_FIO_BS_QD32:-4k}"
# last (mkfs discards the disk, fio writes its first 512 MiB): ours, for
# the test to find in the NVMe backing file
if pat guest | dd of=/dev/sda bs=512 seek=2000000 oflag=direct conv=fsync 2>/dev/null; then
	pass raw_write "LBA 2000000, 4 KiB (the test compares the NVMe backing file)"
else
	fail raw_write
fi
sleep 6		# a vtl2 monitor block sees the counters after the runs
exit $rc
