#!/bin/sh
# make run, vtl2 side (background): the storage VSP's counters every 2 s.
d=/sys/kernel/khcl/nvme_xlat
while :; do
	echo "vtl2: LUN $(cut -d' ' -f1-2 $d/lun_stats 2>/dev/null | head -1): $(cat $d/ios) I/Os, $(sed -n 's/.*bytes_read=\([0-9]*\).*/\1/p' $d/lun_stats | head -1) bytes read, $(sed -n 's/.*bytes_written=\([0-9]*\).*/\1/p' $d/lun_stats | head -1) bytes written, bytes copied: $(cat $d/bytes_copied), bytes bounced: $(cat $d/bytes_bounced), errors: $(cat $d/io_errors)"
	sleep 2
done
