#!/bin/sh
# Debug kernel: the KUnit modules were loaded by init (their KTAP is on the
# console); then kmemleak must find nothing. kmemleak reports an object
# only once it is older than 5 s and a scan has seen it unreferenced, so:
# a scan, more than 5 s, a second scan, then read the report (a read file
# in debugfs has no size: test its content, not -s). A debug kernel
# without kmemleak is a failure, not a clean result.
# HARNESS_LEAK=1 (test-harness.sh): load khcl_harness_leak first, which
# leaks one object on purpose; this script must then fail.
# checks: kmemleak_clean
kml=/sys/kernel/debug/kmemleak
if [ "${HARNESS_LEAK:-0}" = 1 ]; then
	modprobe khcl_harness_leak || echo "FAIL harness_leak_module_loads"
fi
if [ ! -w "$kml" ]; then
	echo "FAIL kmemleak_clean kmemleak is not available on this kernel"
	exit 1
fi
echo scan >"$kml"
sleep 6
echo scan >"$kml"
report=$(cat "$kml")
if [ -n "$report" ]; then
	echo "$report"
	echo "FAIL kmemleak_clean $(echo "$report" | grep -c '^unreferenced object') objects"
	exit 1
fi
echo "PASS kmemleak_clean"
