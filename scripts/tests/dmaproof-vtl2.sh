#!/bin/sh
# VTL2 half of the DMA proof: NVMe sector 2048 -> GPA 0x30000000 (read),
# GPA 0x30001000 -> NVMe sector 4096 (write), through bios whose page is
# the ZONE_DEVICE page of that GPA; then 1 KiB straddling the two pages
# (GPA 0x30000e00, two bio_vecs at a sub-page offset) -> sector 6144.
set -e
d=/sys/kernel/khcl/dmaproof
echo "2048 30000000" >$d/read
echo "4096 30001000" >$d/write
echo "6144 30000e00 1024" >$d/write
# the same bytes as a GPA-direct page list names them: contiguous PFNs,
# one bio_vec spanning the two pages -> sector 8192; the PFNs swapped, two
# bio_vecs (the end of B, then the start of A) -> sector 10240
echo "8192 e00 1024 30000 30001" >$d/writepfns
echo "10240 e00 1024 30001 30000" >$d/writepfns
# a GPA outside VTL0 RAM (1 GiB) must be refused, and counted
if echo "2048 40000000" >$d/read 2>/dev/null; then
	echo "FAIL: GPA 0x40000000 (outside VTL0 RAM) was accepted"
	exit 1
fi
echo "bad_gpa=$(cat /sys/kernel/khcl/vtl0mem/bad_gpa)"
echo "chunks_registered=$(cat /sys/kernel/khcl/vtl0mem/chunks_registered)"
echo "memmap_bytes=$(cat /sys/kernel/khcl/vtl0mem/memmap_bytes)"
# gpa len phys order memmap_bytes register_us
echo "ranges=$(tr '\n' ';' </sys/kernel/khcl/vtl0mem/ranges)"
grep MemAvailable /proc/meminfo
[ "$(cat /sys/kernel/khcl/vtl0mem/bad_gpa)" -ge 1 ]
