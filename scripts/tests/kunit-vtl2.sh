#!/bin/sh
# Debug kernel: the KUnit modules were loaded by init (their KTAP is on the
# console). Ask kmemleak for a scan; reports land on the console check.
if [ -w /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	sleep 2
	echo scan >/sys/kernel/debug/kmemleak
	if [ -s /sys/kernel/debug/kmemleak ]; then
		cat /sys/kernel/debug/kmemleak
		echo "kmemleak: leaks reported"
		exit 1
	fi
fi
echo "kmemleak: clean"
