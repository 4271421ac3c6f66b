#!/bin/sh
# make run, vtl2 side (background): the storage and network VSPs'
# counters every 2 s.
d=/sys/kernel/khcl/nvme_xlat
n=/sys/kernel/khcl/mana_xlat
while :; do
	echo "vtl2: LUN $(cut -d' ' -f1-2 $d/lun_stats 2>/dev/null | head -1): $(cat $d/ios) I/Os, $(sed -n 's/.*bytes_read=\([0-9]*\).*/\1/p' $d/lun_stats | head -1) bytes read, $(sed -n 's/.*bytes_written=\([0-9]*\).*/\1/p' $d/lun_stats | head -1) bytes written, bytes copied: $(cat $d/bytes_copied), bytes bounced: $(cat $d/bytes_bounced), errors: $(cat $d/io_errors)"
	echo "vtl2: NIC $(cat $n/nic 2>/dev/null | cut -d' ' -f1-10): $(cat $n/tx_packets) frames sent ($(cat $n/zerocopy_sends) zero copy, $(cat $n/zerocopy_bytes) bytes from guest pages, bytes copied: $(cat $n/bytes_copied)), $(cat $n/rx_packets) received ($(cat $n/rx_rsc) coalesced RSC packets), refused: $(cat $n/refused)"
	sleep 2
done
