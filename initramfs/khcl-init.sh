#!/bin/sh
# khcl init (BusyBox sh), started with rdinit=/khcl-init.
# - mounts the pseudo file systems;
# - loads the role's modules, applying knobs from the kernel command line
#   (khcl.<module>.<knob>=value, module khcl_<module>) and /etc/khcl.conf
#   (same syntax, one per line), as module parameters;
# - prints one ready line with the uptime;
# - runs /khcl/run.sh if the rig appended one, with its output on ttyS1
#   (or the console), then "KHCL_EXIT <status>", and powers off.

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tmpfs tmpfs /tmp 2>/dev/null

role=$(cat /etc/khcl-role)
knobs=""
[ -f /etc/khcl.conf ] && knobs=$(grep -v '^#' /etc/khcl.conf)
# shellcheck disable=SC2013  # words, not lines
for w in $(cat /proc/cmdline); do
	case "$w" in
	khcl.*.*=*) knobs="$knobs ${w#khcl.}" ;;
	esac
done

# module parameters for module $1 from the knob list
params_for() {
	short=${1#khcl_}
	for k in $knobs; do
		case "$k" in
		"$short".*) printf '%s ' "${k#"$short".}" ;;
		esac
	done
}

rc=0
# shellcheck disable=SC2013
# KHCL_SKIP="mod,mod" on the kernel command line: leave those unloaded
# (e.g. a rig run that does not want the test guest's VMBus transport)
for m in $(cat /etc/khcl-modules); do
	case ",${KHCL_SKIP:-}," in
	*",$m,"*) echo "khcl-init: $m skipped (KHCL_SKIP)"; continue ;;
	esac
	case "$m" in
	khcl_*)
		# shellcheck disable=SC2046
		if ! modprobe "$m" $(params_for "$m"); then
			echo "khcl-init: failed to load $m" >&2
			rc=1
		fi
		;;
	esac
done

read -r up _ </proc/uptime
if [ $rc -eq 0 ]; then
	echo "khcl: ready role=$role uptime=${up}s"
else
	echo "khcl: NOT ready role=$role uptime=${up}s (module load failed)"
fi

if [ -x /khcl/run.sh ]; then
	out=/dev/console
	[ -c /dev/ttyS1 ] && out=/dev/ttyS1
	(cd /khcl && ./run.sh) >"$out" 2>&1
	status=$?
	echo "KHCL_EXIT $status" >"$out"
	sync
	poweroff -f
fi
exec sh
