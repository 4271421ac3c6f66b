#!/bin/bash
# Build the kernels, khcl modules and initramfs images of the given roles
# (default: all). Kernel source and build trees live in $KHCL_CACHE, keyed
# by Debian source version and config hash; products are copied to out/.
#
#   scripts/build.sh [vtl2|rig|debug|testguest ...]
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

cd "$KHCL_ROOT"
roles=${*:-$KHCL_ROLES_ALL}
for role in $roles; do	# every role known before anything is built
	khcl_role_frags "$role" >/dev/null || exit 1
done
ver=$(khcl_src_version)
src=$(khcl_src_dir)
log "kernel source: Debian linux-source-6.12 $ver"

unpack_source() {
	[ -f "$src/.khcl-unpacked" ] && return 0
	log "unpacking /usr/src/linux-source-6.12.tar.xz into $src"
	rm -rf "$(dirname "$src")"
	mkdir -p "$(dirname "$src")"
	tar -C "$(dirname "$src")" -xf /usr/src/linux-source-6.12.tar.xz
	touch "$src/.khcl-unpacked"
}

# Graft the repo into the kernel tree as drivers/khcl, so its Kconfig is
# live (menuconfig, fragments) and its modules build with the kernel.
graft() {
	local d parts=(Kconfig Kbuild)
	for d in vtl2 drivers kunit vmbus_relay nvme_xlat mana_xlat include; do
		[ -d "$d" ] && parts+=("$d")
	done
	mkdir -p "$src/drivers/khcl"
	khcl_sync --exclude='*.md' "${parts[@]}" "$src/drivers/khcl/"
	if ! grep -q 'drivers/khcl/Kconfig' "$src/drivers/Kconfig"; then
		sed -i '$ s|^endmenu$|source "drivers/khcl/Kconfig"\n\nendmenu|' \
			"$src/drivers/Kconfig"
		grep -q 'drivers/khcl/Kconfig' "$src/drivers/Kconfig" ||
			die "could not graft into drivers/Kconfig"
	fi
	if ! grep -q 'khcl/' "$src/drivers/Makefile"; then
		# shellcheck disable=SC2016  # a make variable, not a shell one
		echo 'obj-$(CONFIG_KHCL)		+= khcl/' >>"$src/drivers/Makefile"
	fi
}

# Every symbol a fragment sets must hold in the final .config: merge_config
# drops what has an unmet dependency without failing.
check_config() {
	local obj=$1; shift
	local -A want=()
	local f line sym bad=0
	for f in "$@"; do
		while IFS= read -r line; do
			if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
				want[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
			elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set ]]; then
				want[${BASH_REMATCH[1]}]=n
			fi
		done <"$f"
	done
	for sym in "${!want[@]}"; do
		if [ "${want[$sym]}" = n ]; then
			if grep -q "^$sym=" "$obj/.config"; then
				log "config: $sym should be off, .config has $(grep "^$sym=" "$obj/.config")"
				bad=1
			fi
		elif ! grep -qxF "$sym=${want[$sym]}" "$obj/.config"; then
			log "config: $sym=${want[$sym]} requested, .config has: $(grep -E "^(# )?${sym}[= ]" "$obj/.config" || echo 'nothing (unmet dependency?)')"
			bad=1
		fi
	done
	[ $bad -eq 0 ] || die "config fragments not satisfied: $*"
}

# The test guest's VMBus transport exports the hv_vmbus API, so it is built
# as an external module (modpost accepts an external export of an in-tree
# symbol; two in-tree exports would be an error). Objects go to a copy in
# the build tree, never into the repo.
build_guest_modules() {
	local obj=$1 ext="$1/khcl-ext"
	mkdir -p "$ext/drivers"
	khcl_sync "$KHCL_ROOT/include/" "$ext/include/"
	khcl_sync "$KHCL_ROOT/drivers/testguest/" "$ext/drivers/testguest/"
	if ! make -C "$src" O="$obj" ARCH=x86_64 M="$ext/drivers/testguest" \
		-j"$KHCL_JOBS" modules >"$obj/guest-modules.log" 2>&1; then
		grep -E 'error|Error' "$obj/guest-modules.log" | head -40 >&2
		die "[testguest] guest transport build failed, full log: $obj/guest-modules.log"
	fi
	make -s -C "$src" O="$obj" ARCH=x86_64 M="$ext/drivers/testguest" \
		INSTALL_MOD_PATH="$obj/staging" INSTALL_MOD_STRIP=1 \
		modules_install >/dev/null 2>&1
	log "[testguest] guest transport modules: $(cd "$ext/drivers/testguest" && echo ./*.ko)"
}

build_kernel() {
	local role=$1 obj frags stamp t0 kver
	obj=$(khcl_obj_dir "$role")
	read -r -a frags <<<"$(khcl_role_frags "$role")"
	mkdir -p "$obj"
	stamp=$(cat "${frags[@]}" Kconfig | sha256sum)
	t0=$(date +%s)
	if [ ! -f "$obj/.config" ] || [ "$(cat "$obj/.khcl-config-stamp" 2>/dev/null)" != "$stamp" ]; then
		log "[$role] configuring: tinyconfig + ${frags[*]}"
		make -s -C "$src" O="$obj" ARCH=x86_64 tinyconfig >/dev/null
		KCONFIG_CONFIG="$obj/.config" "$src/scripts/kconfig/merge_config.sh" \
			-m -O "$obj" "$obj/.config" "${frags[@]}" >"$obj/merge.log"
		make -s -C "$src" O="$obj" ARCH=x86_64 olddefconfig >/dev/null
		check_config "$obj" "${frags[@]}"
		echo "$stamp" >"$obj/.khcl-config-stamp"
	fi
	log "[$role] building kernel and modules in $obj"
	if ! make -C "$src" O="$obj" ARCH=x86_64 -j"$KHCL_JOBS" bzImage modules \
		>"$obj/build.log" 2>&1; then
		grep -E 'error|Error' "$obj/build.log" | head -40 >&2
		die "[$role] kernel build failed, full log: $obj/build.log"
	fi
	rm -rf "$obj/staging"
	make -s -C "$src" O="$obj" ARCH=x86_64 INSTALL_MOD_PATH="$obj/staging" \
		INSTALL_MOD_STRIP=1 modules_install >/dev/null
	[ "$role" != testguest ] || build_guest_modules "$obj"
	kver=$(khcl_kernelrelease "$obj")
	mkdir -p "$KHCL_OUT/$role"
	cp "$obj/arch/x86/boot/bzImage" "$KHCL_OUT/$role/bzImage"
	echo "$kver" >"$KHCL_OUT/$role/kernelrelease"
	echo "$ver" >"$KHCL_OUT/$role/source-version"
	log "[$role] kernel $kver built in $(($(date +%s) - t0)) s, bzImage $(stat -c %s "$KHCL_OUT/$role/bzImage") bytes"
}

# One build at a time per tree: two makes in one tree corrupt it (seen:
# "fixdep: error opening mm/.highmem.o.d", both failed). The source tree
# (unpack, graft) has its own lock; each role's tree is held for its
# configure, build and initramfs.
take_lock() {	# take_lock FD FILE WHAT
	if ! flock -n "$1"; then
		log "waiting for $3 ($2): another build holds it"
		flock "$1"
		log "got $3"
	fi
}
mkdir -p "$KHCL_CACHE"
exec {srclock}>"$KHCL_CACHE/src-$ver.lock"
take_lock "$srclock" "$KHCL_CACHE/src-$ver.lock" "the kernel source tree"
unpack_source
graft
for role in $roles; do
	obj=$(khcl_obj_dir "$role")
	mkdir -p "$(dirname "$obj")"
	exec {rolelock}>"$obj.lock"
	take_lock "$rolelock" "$obj.lock" "the $role build tree"
	build_kernel "$role"
	"$KHCL_ROOT/scripts/mkinitramfs.sh" "$role"
	exec {rolelock}>&-
done
exec {srclock}>&-
if [[ " $roles " == *" vtl2 "* ]]; then
	cp "$KHCL_OUT/vtl2/bzImage" "$KHCL_OUT/bzImage"
	cp "$KHCL_OUT/vtl2/initramfs.img" "$KHCL_OUT/initramfs.img"
	log "payload: out/bzImage $(stat -c %s "$KHCL_OUT/bzImage") bytes, out/initramfs.img $(stat -c %s "$KHCL_OUT/initramfs.img") bytes"
fi
