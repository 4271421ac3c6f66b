#!/bin/sh
# The malformed-SRB soak (HOSTILE.md: each malformed request 10^5 times,
# no growth): khcl_vstor_hostile sends each of its 11 one-round-trip
# malformed requests SOAK_ROUNDS times (kernel command line, default
# 100000) on one storage channel, then a correct READ. vtl2
# (storage-soak-vtl2.sh) samples its memory and counters meanwhile; the
# test compares them (scripts/test.sh, storage_soak).
# checks: vstor_soak
# shellcheck source=scripts/tests/vmlib.sh
. ./vmlib.sh	# pass, fail, wait_for (rc: 1 after a fail)
n=${SOAK_ROUNDS:-100000}
vs=/sys/bus/vmbus/drivers/khcl_vstor_hostile
modprobe khcl_vmbus_hostile || { fail vstor_soak "khcl_vmbus_hostile did not load"; exit 1; }
# the storage channel may be offered after the guest connected
wait_for 60 test -e "$vs/soak" || { fail vstor_soak "no $vs/soak"; exit 1; }
echo "SOAK_BEGIN $n"
i=0
until echo "$n" 2>/tmp/err >"$vs/soak"; do
	i=$((i + 1))
	[ $i -ge 60 ] && break
	sleep 1
done
r=$(cat "$vs/result")
case "$r" in
PASS*) pass vstor_soak "$r" ;;
*) fail vstor_soak "$r $(cat /tmp/err)" ;;
esac
echo "SOAK_END"
sleep 6		# vtl2's last samples, after the soak
exit "$rc"
