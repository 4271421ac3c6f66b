# shellcheck shell=bash
# Common paths and helpers for khcl scripts. Sourced, not run.

KHCL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KHCL_CACHE=${KHCL_CACHE:-$HOME/.cache/khcl}
KHCL_OUT=${KHCL_OUT:-$KHCL_ROOT/out}
KHCL_JOBS=${KHCL_JOBS:-$(nproc)}
KHCL_ROLES_ALL="vtl2 rig debug testguest"

# A kernel report on a console: a failed test (DESIGN.md's test contract).
# Any call trace counts, and so does an init that was not ready (a module
# failed to load). scripts/tests/harness/reports.txt holds a sample line
# of each kind; test-harness.sh checks every one is caught.
# shellcheck disable=SC2034  # used by the scripts that source this
KHCL_REPORT_RE='BUG:|KASAN|UBSAN|WARNING:|possible circular locking|unreferenced object|Kernel panic|kernel BUG at|Oops:|general protection fault|blocked for more than|detected stalls|INFO: trying to register non-static key|suspected memory leak|Call Trace:|khcl: NOT ready|runtime error:|khcl-init: failed to load'

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Debian's linux-source-6.12 package version, e.g. 6.12.117-1~deb12u1.
khcl_src_version() {
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null ||
		die "linux-source-6.12 is not installed (run scripts/setup.sh)"
}

khcl_src_dir() {
	echo "$KHCL_CACHE/src/$(khcl_src_version)/linux-source-6.12"
}

# Config fragments of a role, in merge order.
khcl_role_frags() {
	case "$1" in
	vtl2)		echo "configs/vtl2.config" ;;
	rig)		echo "configs/vtl2.config configs/rig.config" ;;
	debug)		echo "configs/vtl2.config configs/rig.config configs/debug.config" ;;
	# make bench only (not in KHCL_ROLES_ALL): the rig kernel + fio's needs
	bench)		echo "configs/vtl2.config configs/rig.config configs/bench.config" ;;
	testguest)	echo "configs/testguest.config" ;;
	*)		die "unknown role '$1' (roles: $KHCL_ROLES_ALL)" ;;
	esac
}

# Build directory of a role: keyed by source version and the hash of the
# role's config fragments. A change of our Kconfig stays incremental:
# olddefconfig folds it into the same tree.
khcl_obj_dir() {
	local role=$1 frags hash
	frags=$(khcl_role_frags "$role")
	# shellcheck disable=SC2086
	hash=$(cd "$KHCL_ROOT" && cat $frags | sha256sum | cut -c1-12)
	echo "$KHCL_CACHE/build/$(khcl_src_version)/$role-$hash"
}

# Copy sources into a build tree by content, never by time: a file whose
# bytes differ is written anew and gets the current time, so make rebuilds
# it even when the source is older than the objects (a tree grafted from
# another clone, an edit during a build); an unchanged file keeps its time.
khcl_sync() {
	rsync -r -l --checksum --delete "$@"
}

khcl_kernelrelease() {
	make -s -C "$(khcl_src_dir)" O="$1" kernelrelease 2>/dev/null
}
