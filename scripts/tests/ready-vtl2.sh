#!/bin/sh
# vtl2 boot check: report uptime and memory, then power off.
read -r up _ </proc/uptime
echo "uptime=$up"
grep MemTotal /proc/meminfo
ls /sys/kernel/khcl
