#!/bin/bash
# Build out/<role>/initramfs.img with dracut (busybox + our 90khcl module).
#   scripts/mkinitramfs.sh vtl2|rig|debug|testguest|bench
# bench: the rig's modules on the bench kernel (rig + SysV IPC) plus fio
# and iperf3 for make bench's direct baselines in vtl2 and perf for its profile (not
# a payload: fio's libraries alone are 80 MB).
# Extra binaries for the test guest: KHCL_GUEST_EXTRA="/usr/bin/foo ..."
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

role=$1
obj=$(khcl_obj_dir "$role")
kver=$(cat "$KHCL_OUT/$role/kernelrelease")
kmoddir="$obj/staging/lib/modules/$kver"
[ -d "$kmoddir" ] || die "no modules for $role at $kmoddir (build the kernel first)"

case "$role" in
vtl2)
	mods="khcl_vtl2 khcl_vmbus khcl_nvme_xlat khcl_mana_xlat" ;;
rig|bench)
	# the backend last: VSPs have offered before the guest is told UP
	mods="khcl_vtl2 khcl_vmbus khcl_nvme_xlat khcl_mana_xlat khcl_echo_vsp khcl_dmaproof khcl_ivshmem"
	if [ "$role" = bench ]; then
		KHCL_ZSTD_LEVEL=3
		bins="/usr/bin/fio /usr/bin/perf /usr/bin/iperf3"
	fi
	;;
debug)
	# KUnit suites before the backend: the guest starts after them
	mods="khcl_vtl2 khcl_vmbus khcl_nvme_xlat khcl_mana_xlat khcl_echo_vsp khcl_dmaproof $(cd "$kmoddir" &&
		find . -name 'khcl_*_test.ko' -printf '%f ' | sed 's/\.ko//g') khcl_ivshmem"
	extra="khcl_harness_leak" ;;
testguest)
	KHCL_ZSTD_LEVEL=3
	mods="khcl_vmbus_guest khcl_echo_client hv_storvsc hv_netvsc"
	extra="khcl_vmbus_hostile"
	bins="/usr/bin/fio /sbin/mke2fs /sbin/mkfs.ext4 /sbin/e2fsck /usr/bin/sg_inq
		/usr/bin/sg_readcap /usr/bin/sg_turs /usr/bin/sg_vpd /usr/bin/sg_write_same
		/usr/bin/sg_reset /usr/bin/sg_persist /usr/bin/sg_verify
		/sbin/blkid
		/sbin/fdisk /usr/sbin/blkdiscard
		/usr/bin/iperf3 /sbin/ethtool /sbin/ip /usr/bin/perf ${KHCL_GUEST_EXTRA:-}"
	;;
*) die "unknown role $role" ;;
esac

# Every tool the image promises must be on this machine: dracut would
# leave one out (and stop installing the rest) yet still write the image.
for b in ${bins:-}; do
	[ -x "$b" ] || die "[$role] $b is not on this machine: install its package (scripts/setup.sh lists them)"
done

# dracut finds modules only in its base dir: a private copy made of
# symlinks, plus ours.
base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT
cp -as /usr/lib/dracut/. "$base/"
ln -s "$KHCL_ROOT/initramfs/dracut/90khcl" "$base/modules.d/90khcl"
mkdir -p "$base/conf.d"

t0=$(date +%s)
KHCL_ROLE=$role KHCL_INIT="$KHCL_ROOT/initramfs/khcl-init.sh" \
KHCL_MODULES=$mods KHCL_EXTRA_MODULES="${extra:-}" KHCL_BINARIES="${bins:-}" dracutbasedir=$base \
	dracut --force --quiet --no-hostonly --no-hostonly-cmdline \
	--modules "busybox khcl" --no-early-microcode \
	--kver "$kver" --kmoddir "$kmoddir" --fwdir /nonexistent \
	--compress "zstd -${KHCL_ZSTD_LEVEL:-19} -q" --conf /dev/null --confdir "$base/conf.d" \
	--tmpdir "$base" "$KHCL_OUT/$role/initramfs.img" >"$base/dracut.log" 2>&1 ||
	{ cat "$base/dracut.log" >&2; die "dracut failed for $role"; }
# ... and must be in it, each tool and each module
listing=$(lsinitrd "$KHCL_OUT/$role/initramfs.img")
for b in ${bins:-}; do
	# the tool itself, not a busybox applet of the same name
	grep -E " (usr/)?${b#/}( ->|\$)" <<<"$listing" | grep -qv 'busybox' ||
		die "[$role] $b is missing from the image (or only busybox's)"
done
for m in $mods ${extra:-}; do
	grep -qE "/$m\.ko(\.[a-z]+)?\$" <<<"$listing" ||
		die "[$role] module $m is missing from the image"
done
log "[$role] initramfs $(stat -c %s "$KHCL_OUT/$role/initramfs.img") bytes in $(($(date +%s) - t0)) s (modules: $mods${extra:+; carried: $extra}; every tool and module checked in it)"
