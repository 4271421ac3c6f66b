#!/bin/bash
# dracut module: khcl's init, role files and (for the test guest) tools.
# Environment from scripts/mkinitramfs.sh: KHCL_ROLE, KHCL_INIT,
# KHCL_MODULES (kernel modules to carry; init loads the khcl_* ones),
# KHCL_EXTRA_MODULES (carried, loaded only by tests), KHCL_BINARIES.

check() {
	return 255
}

depends() {
	echo busybox
	return 0
}

installkernel() {
	local m
	for m in $KHCL_MODULES ${KHCL_EXTRA_MODULES:-}; do
		instmods "$m"
	done
}

# initdir, instmods, inst_* come from dracut
# shellcheck disable=SC2154
install() {
	local b
	inst_simple "$KHCL_INIT" /khcl-init
	chmod 0755 "${initdir}/khcl-init"
	mkdir -p "${initdir}/etc"
	echo "$KHCL_ROLE" >"${initdir}/etc/khcl-role"
	echo "$KHCL_MODULES" >"${initdir}/etc/khcl-modules"
	for b in $KHCL_BINARIES; do
		# the tool itself where the busybox module put an applet link
		if [ -L "${initdir}$b" ] &&
			readlink "${initdir}$b" | grep -q busybox; then
			rm -f "${initdir}$b"
		fi
		inst_binary "$b" || return 1
	done
}
