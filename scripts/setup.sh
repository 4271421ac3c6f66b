#!/bin/bash
# Install every host dependency of khcl (idempotent). Debian bookworm.
set -euo pipefail

PKGS=(
	# kernel build
	linux-source-6.12 build-essential bc flex bison libelf-dev libssl-dev
	cpio xz-utils zstd kmod python3 rsync
	# rig
	qemu-system-x86 qemu-utils
	# initramfs
	dracut-core busybox-static
	# test guest userland
	fio e2fsprogs sg3-utils util-linux fdisk iperf3 ethtool iproute2
	# make bench's profile of vtl2
	linux-perf
	# user-space tests and fuzzers
	clang llvm libclang-rt-14-dev
	# lint
	shellcheck
)

missing=()
for p in "${PKGS[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "setup: all ${#PKGS[@]} packages present"
	exit 0
fi

echo "setup: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done"
