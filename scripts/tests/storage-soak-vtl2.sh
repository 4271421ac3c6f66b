#!/bin/sh
# The soak's vtl2 side (--vtl2-background): every 2 s one sample
#   MEM uptime srbs refused copy_faults Slab SUnreclaim MemFree Percpu
# (nvme_xlat's counters, /proc/meminfo in kB); scripts/test.sh compares
# the first sample after the soak warmed up with the last one.
d=/sys/kernel/khcl/nvme_xlat
while :; do
	awk -v up="$(cut -d' ' -f1 /proc/uptime)" -v s="$(cat $d/srbs)" \
		-v r="$(cat $d/refused)" -v c="$(cat $d/copy_faults)" '
		/^Slab:/ { sl = $2 } /^SUnreclaim:/ { su = $2 }
		/^MemFree:/ { mf = $2 } /^Percpu:/ { pc = $2 }
		END { print "MEM", up, s, r, c, sl, su, mf, pc }' /proc/meminfo
	sleep 2
done
