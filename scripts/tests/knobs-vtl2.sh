#!/bin/sh
# Every module parameter of every loaded khcl module is mirrored under
# /sys/kernel/khcl/<dir>/ (DESIGN.md: knobs in one tree), and a write on
# one side is seen on the other. Prints PASS/FAIL lines.
# checks: knobs_mirrored knobs_write_through knobs_max_version
rc=0
dir_of() {	# the /sys/kernel/khcl directory of module $1
	case "$1" in
	khcl_vtl2) echo vtl0mem ;;
	*) echo "${1#khcl_}" ;;
	esac
}
n=0
missing=""
for p in /sys/module/khcl_*/parameters/*; do
	[ -e "$p" ] || continue
	mod=${p#/sys/module/}
	mod=${mod%%/*}
	knob=${p##*/}
	n=$((n + 1))
	[ -e "/sys/kernel/khcl/$(dir_of "$mod")/$knob" ] || missing="$missing $mod/$knob"
done
if [ -z "$missing" ] && [ "$n" -gt 10 ]; then
	echo "PASS knobs_mirrored $n parameters"
else
	echo "FAIL knobs_mirrored $n parameters; missing:$missing"
	rc=1
fi
# both ways: /sys/kernel/khcl -> module parameter, and back
old=$(cat /sys/kernel/khcl/vmbus/weight)
echo 17 >/sys/kernel/khcl/vmbus/weight
a=$(cat /sys/module/khcl_vmbus/parameters/weight)
echo "$old" >/sys/module/khcl_vmbus/parameters/weight
b=$(cat /sys/kernel/khcl/vmbus/weight)
if [ "$a" = 17 ] && [ "$b" = "$old" ] &&
	! echo 5 2>/dev/null >/sys/kernel/khcl/nvme_xlat/max_subchannels; then
	echo "PASS knobs_write_through weight 17 then $old; read-only stays read-only"
else
	echo "FAIL knobs_write_through got '$a' and '$b'"
	rc=1
fi
# max_version: one knob, "major.minor" both ways (it once existed twice,
# a module parameter and a vmbus attribute, and sysfs dumped a stack)
old=$(cat /sys/kernel/khcl/vmbus/max_version)
echo 5.2 >/sys/kernel/khcl/vmbus/max_version
a=$(cat /sys/module/khcl_vmbus/parameters/max_version)
echo "$old" >/sys/module/khcl_vmbus/parameters/max_version
if [ "$a" = 5.2 ] && [ "$(cat /sys/kernel/khcl/vmbus/max_version)" = "$old" ] &&
	! echo 9.9 2>/dev/null >/sys/kernel/khcl/vmbus/max_version; then
	echo "PASS knobs_max_version 5.2 then $old; 9.9 refused"
else
	echo "FAIL knobs_max_version got '$a', then '$(cat /sys/kernel/khcl/vmbus/max_version)'"
	rc=1
fi
exit $rc
