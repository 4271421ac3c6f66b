#!/bin/sh
# make bench, storage: the BENCH.md workloads with fio on one block device
# (BENCH_DEV: /dev/sda behind khcl in the test guest, /dev/vda on QEMU's
# virtio-blk, /dev/nvme0n1 in vtl2 for the direct baseline), each
# BENCH_RUNTIME s after 2 s of ramp, 4 s apart (vtl2's sampler cuts its
# windows at the idle gaps). Per workload: "FIO_BEGIN name", fio's JSON,
# "FIO_END name busy_ticks total_ticks" (this VM's /proc/stat over the run).
# PROFILE_S=S (make bench-profile-guest): perf samples this VM for S s of
# each run, printed after its FIO_END (vmlib.sh profile_window).
dev=${BENCH_DEV:-/dev/sda}
rt=${BENCH_RUNTIME:-20}
i=0
while [ ! -b "$dev" ] && [ $i -lt 120 ]; do
	[ "$dev" = /dev/sda ] && [ $i = 0 ] && modprobe hv_storvsc
	sleep 0.5
	i=$((i + 1))
done
[ -b "$dev" ] || { echo "BENCH_ERROR no $dev"; exit 1; }
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# vm_ticks, profile_start, profile_show
ios() {	# reads and writes the device completed
	awk '{print $1 + $5}' "/sys/block/${dev#/dev/}/stat"
}
run() {	# run NAME RW BS QD
	sleep 4
	echo "FIO_BEGIN $1"
	profile_start 3 ios	# past fio's ramp
	# shellcheck disable=SC2046  # two numbers
	set -- "$1" "$2" "$3" "$4" $(vm_ticks)
	# threads, not processes: one VM CPU, less to schedule
	fio --name="$1" --filename="$dev" --direct=1 --ioengine=io_uring --thread \
		--rw="$2" --bs="$3" --iodepth="$4" --size=900M \
		--time_based --runtime="$rt" --ramp_time=2 --norandommap \
		--randrepeat=0 --output-format=json
	# shellcheck disable=SC2046
	set -- "$@" $(vm_ticks)
	echo "FIO_END $1 $(($7 - $5)) $(($8 - $6))"
	profile_show
}
run randread4k.qd1 randread 4k 1
run randread4k.qd32 randread 4k 32
run randwrite4k.qd32 randwrite 4k 32
run seqread128k.qd8 read 128k 8
run seqwrite128k.qd8 write 128k 8
sleep 4
echo BENCH_DONE
