#!/bin/sh
# Bench, vtl2 side: what registering all of VTL0 RAM cost (at load):
# "gpa len phys order memmap_bytes register_us" per range, then MemTotal
# and MemAvailable after it.
echo "RANGES $(tr '\n' ';' </sys/kernel/khcl/vtl0mem/ranges)"
grep -E '^(MemTotal|MemAvailable):' /proc/meminfo
