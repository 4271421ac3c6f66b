#!/bin/sh
# The network soak's vtl2 side (--vtl2-background): every 2 s one sample
#   MEM uptime refused drops_malformed copy_faults Slab SUnreclaim MemFree Percpu
# (mana_xlat's counters: packets refused at parse, data messages dropped
# as malformed; /proc/meminfo in kB), the format soak_growth reads.
p=/sys/module/khcl_mana_xlat/parameters
while :; do
	awk -v up="$(cut -d' ' -f1 /proc/uptime)" -v r="$(cat $p/refused)" \
		-v d="$(awk '$1 != "link" && $1 !~ /^rx_/ { s += $2 } END { print s + 0 }' $p/drops)" \
		-v c="$(cat $p/copy_faults)" '
		/^Slab:/ { sl = $2 } /^SUnreclaim:/ { su = $2 }
		/^MemFree:/ { mf = $2 } /^Percpu:/ { pc = $2 }
		END { print "MEM", up, r, d, c, sl, su, mf, pc }' /proc/meminfo
	sleep 2
done
