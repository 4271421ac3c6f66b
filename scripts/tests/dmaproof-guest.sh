#!/bin/sh
# Test guest half of the DMA proof (runs in the test guest, BusyBox).
# GPAs 0x30000000 (A) and 0x30001000 (B) are inside the region the guest
# kernel leaves alone (memmap=16M$0x30000000 on its command line).
yes 'khcl-dmaproof-pattern-A-0123456789' | head -c 4096 >/tmp/A
yes 'khcl-dmaproof-pattern-B-9876543210' | head -c 4096 >/tmp/B
rd() { dd if=/dev/mem bs=4096 skip=$(($1)) count=1 2>/dev/null; }

if rd 0x30000 | cmp -s - /tmp/A; then
	echo "FAIL: pattern A already at GPA 0x30000000 before vtl2 ran"
	exit 1
fi
dd if=/tmp/B of=/dev/mem bs=4096 seek=$((0x30001)) count=1 conv=notrunc 2>/dev/null
rd 0x30001 | cmp -s - /tmp/B || { echo "FAIL: cannot write GPA 0x30001000"; exit 1; }
echo "B written at GPA 0x30001000"
i=0
while [ $i -lt 600 ]; do
	if rd 0x30000 | cmp -s - /tmp/A; then
		echo "PASS: NVMe read data seen at GPA 0x30000000 after ${i}x0.5 s"
		exit 0
	fi
	sleep 0.5
	i=$((i + 1))
done
echo "FAIL: pattern A never appeared at GPA 0x30000000"
exit 1
