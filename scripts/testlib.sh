# shellcheck shell=bash
# The checks that turn what a test run left behind (KTAP, script output,
# consoles, exit statuses) into PASS/FAIL/SKIP lines. Sourced by test.sh,
# and by test-harness.sh, which feeds each of them a broken input and
# demands a FAIL: a check that cannot fail is a defect.
# Needs lib.sh (KHCL_ROOT, KHCL_REPORT_RE).

passed=0 failed=0 skipped=0
res() {	# res PASS|FAIL|SKIP suite case [detail]
	echo "$1 $2 $3${4:+  ($4)}"
	case "$1" in
	PASS) passed=$((passed + 1)) ;;
	SKIP) skipped=$((skipped + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
}

summary() {	# the test-output contract's last line
	echo "$passed passed, $failed failed${skipped:+$([ "$skipped" -gt 0 ] && echo ", $skipped skipped")}"
}

# ktap PREFIX FILE...: the PASS/FAIL/SKIP lines ktap.awk finds, as results
ktap() {
	local pfx=$1 line v s c detail
	shift
	while IFS= read -r line; do
		case "$line" in
		PASS*|FAIL*|SKIP*)
			read -r v s c detail <<<"$line"
			res "$v" "$pfx$s" "$c" "$detail"
			;;
		esac
	done < <(awk -f "$KHCL_ROOT/scripts/ktap.awk" "$@")
}

# The KUnit suites of kunit/Kbuild: module khcl_<x>_test runs suite khcl_<x>
kunit_expected_suites() {
	# shellcheck disable=SC2016  # a make variable in the pattern
	sed -n 's/^obj-\$(CONFIG_KHCL_KUNIT_TEST)[[:space:]]*+=[[:space:]]*\(khcl_[a-z0-9_]*\)_test\.o.*/\1/p' \
		"$KHCL_ROOT/kunit/Kbuild"
}

# suites_reported PREFIX FILE SUITE...: each suite must have results in
# FILE's KTAP (a module that failed to load leaves none)
suites_reported() {
	local pfx=$1 file=$2 s
	shift 2
	for s; do
		if ! awk -f "$KHCL_ROOT/scripts/ktap.awk" "$file" 2>/dev/null |
			grep -qE "^(PASS|FAIL|SKIP) $s "; then
			res FAIL "$pfx$s" suite_reported "no results in $file"
		fi
	done
}

# console_check FILE...: each file exists, is not empty, and holds no
# kernel report (KHCL_REPORT_RE: BUG, KASAN, a call trace, a NOT ready
# init...). Prints what it found; non-zero when anything is wrong.
console_check() {
	local f bad=0
	for f; do
		if [ ! -s "$f" ]; then
			echo "console_check: $f is missing or empty"
			bad=1
		elif grep -qE "$KHCL_REPORT_RE" "$f"; then
			grep -nE "$KHCL_REPORT_RE" "$f" | head -5 | sed "s|^|$f:|"
			bad=1
		fi
	done
	return $bad
}

# us_suite BIN: one user-space suite (ASan+UBSan), with a time limit. A
# non-zero exit, a sanitizer report, no KTAP plan, or fewer results than
# the plan is a FAIL.
us_suite() {
	local bin=$1 name out rc=0 before
	name=${bin##*/}
	out=$(mktemp)
	timeout -k 5 "${KHCL_US_TIMEOUT:-600}" "$bin" >"$out" 2>&1 || rc=$?
	before=$failed
	ktap us. "$out"
	if ! grep -qE "^    # Subtest: $name\$" "$out"; then
		res FAIL "us.$name" ktap_plan "the suite printed no plan"
	fi
	if grep -qE 'Sanitizer|runtime error:' "$out"; then
		res FAIL "us.$name" sanitizer "$(grep -m1 -E 'Sanitizer|runtime error:' "$out")"
	fi
	if [ $rc -ne 0 ] && [ "$failed" -eq "$before" ]; then
		# nothing above explains it: the exit status is a failure itself
		res FAIL "us.$name" exit_status "exit $rc$([ $rc -eq 124 ] && echo ' (time limit)')"
	fi
	[ "$failed" -eq "$before" ] || sed 's/^/    | /' "$out" | tail -40
	rm -f "$out"
}

# rig_results SUITE LOGS STATUS OUT CHECK...: the results of one rig run.
# The run's exit status is a case; every PASS/FAIL line of OUT is one; a
# CHECK the script never reported is a FAIL (a VM that hung after some
# PASS lines loses the rest, and that must show); consoles must be clean.
rig_results() {
	local suite=$1 logs=$2 status=$3 out=$4 v name detail msg
	shift 4
	if [ "$status" -eq 0 ]; then
		res PASS "$suite" run_status
	else
		res FAIL "$suite" run_status "rig exit $status; logs: $logs"
	fi
	while read -r v name detail; do
		res "$v" "$suite" "$name" "$detail"
	done < <(grep -E '^(PASS|FAIL) ' "$out" 2>/dev/null || true)
	for name; do
		# serial output ends its lines with \r\n
		grep -qE "^(PASS|FAIL) $name([[:space:]]|\$)" "$out" 2>/dev/null ||
			res FAIL "$suite" "$name" "never reported; logs: $logs"
	done
	# the guest's console must be there when its script ran; else it is
	# checked if the guest booted at all (rig.sh creates both files)
	local consoles=("$logs/vtl2.console")
	if [ "${out##*/}" = vtl0.out ] || [ -s "$logs/vtl0.console" ]; then
		consoles+=("$logs/vtl0.console")
	fi
	if msg=$(console_check "${consoles[@]}"); then
		res PASS "$suite" clean_consoles
	else
		res FAIL "$suite" clean_consoles "$(echo "$msg" | head -3 | tr '\n' ' ')"
	fi
}

# The last complete block of vtl2's monitor (vmbus-monitor-vtl2.sh: a
# block opens with "=== uptime" and MemFree comes after its channels and
# stats), without the serial lines' CR
last_monitor_block() {
	tr -d '\r' <"$1" 2>/dev/null |
		awk '/^=== uptime/{b=""} {b=b $0 "\n"} /^MemFree/{done=b} END{printf "%s", done}' || true
}

# The checks a test script promises: its "# checks:" header lines
script_checks() {
	sed -n 's/^# checks: //p' "$1" | tr -s ' \n' ' '
}

# vtl2_checks SUITE FILE CHECK...: the PASS/FAIL lines a background vtl2
# script printed (FILE: its vtl2.out) for each CHECK; a missing one fails
vtl2_checks() {
	local suite=$1 file=$2 c line
	shift 2
	for c in "$@"; do
		line=$(tr -d '\r' <"$file" 2>/dev/null | grep -m1 "^[A-Z]* $c " || true)
		if [ "${line%% *}" = PASS ]; then
			res PASS "$suite" "$c" "${line#PASS "$c" }"
		else
			res FAIL "$suite" "$c" "${line:-no line}; $file"
		fi
	done
}

# storage_counters SUITE FILE: nvme_xlat's counters in the last monitor
# block of FILE (vtl2.out of a storage run): every I/O went to the device
# on the guest's own pages (zero_copy: over 1000 I/Os, nothing copied or
# bounced, no error), and the guest's host reset reached vtl2 and was
# answered (vtl2_reset_answered)
storage_counters() {
	local suite=$1 file=$2 block ios
	block=$(last_monitor_block "$file")
	v() { sed -n "s|^/sys/module/khcl_nvme_xlat/parameters/$1:||p" <<<"$block" | tail -1; }
	ios=$(v ios)
	if [ "${ios:-0}" -ge 1000 ] && [ "$(v bytes_copied)" = 0 ] &&
		[ "$(v bytes_bounced)" = 0 ] && [ "$(v io_errors)" = 0 ]; then
		res PASS "$suite" zero_copy "ios=$ios bytes_copied=0 bytes_bounced=0 io_errors=0; $(v lun_stats)"
	else
		res FAIL "$suite" zero_copy "ios=${ios:-none} bytes_copied=$(v bytes_copied) bytes_bounced=$(v bytes_bounced) io_errors=$(v io_errors); $file"
	fi
	if [ "$(v resets)" -ge 1 ] 2>/dev/null; then
		res PASS "$suite" vtl2_reset_answered "resets=$(v resets)"
	else
		res FAIL "$suite" vtl2_reset_answered "resets=$(v resets); $file"
	fi
}

# net_counters SUITE FILE: mana_xlat's counters in the last monitor block
# of a network run: frames both ways, zero-copy sends and not a byte of a
# frame of zerocopy_min bytes or more copied, and nothing the honest
# guest sent refused
net_counters() {
	local suite=$1 file=$2 block drops bad=''
	block=$(last_monitor_block "$file")
	v() { sed -n "s|^/sys/module/khcl_mana_xlat/parameters/$1:||p" <<<"$block" | tail -1; }
	if [ "$(v zerocopy_sends)" -ge 1 ] 2>/dev/null && [ "$(v copied_above_min)" = 0 ]; then
		res PASS "$suite" zero_copy_tx "zerocopy_sends=$(v zerocopy_sends) zerocopy_bytes=$(v zerocopy_bytes) copied_above_min=0 (zerocopy_min=$(v zerocopy_min)); bytes_copied=$(v bytes_copied) tx_section_bytes=$(v tx_section_bytes) tx_header_bytes=$(v tx_header_bytes)"
	else
		res FAIL "$suite" zero_copy_tx "zerocopy_sends=$(v zerocopy_sends) copied_above_min=$(v copied_above_min); $file"
	fi
	drops=$(sed -n 's|^/sys/module/khcl_mana_xlat/parameters/drops:||p' <<<"$block")
	for r in msg ppi frame offload fault; do
		grep -qx "$r 0" <<<"$drops" || bad="$bad $r"
	done
	if [ -z "$bad" ] && [ "$(v tx_packets)" -ge 1000 ] 2>/dev/null &&
		[ "$(v rx_packets)" -ge 1000 ] 2>/dev/null; then
		res PASS "$suite" nothing_refused "tx_packets=$(v tx_packets) rx_packets=$(v rx_packets), no send dropped as malformed"
	else
		res FAIL "$suite" nothing_refused "tx_packets=$(v tx_packets) rx_packets=$(v rx_packets) drops:$bad; $file"
	fi
	# VLAN 5: frames both ways carried their tag as per-packet info
	if [ "$(v tx_vlan)" -ge 1 ] 2>/dev/null && [ "$(v rx_vlan)" -ge 1 ] 2>/dev/null; then
		res PASS "$suite" vlan_ppi "tx_vlan=$(v tx_vlan) rx_vlan=$(v rx_vlan)"
	else
		res FAIL "$suite" vlan_ppi "tx_vlan=$(v tx_vlan) rx_vlan=$(v rx_vlan); $file"
	fi
	# the guest's netvsc takes RSC (LRO on by default): TCP into it comes
	# as coalesced segments, none cut back
	if [ "$(v rx_rsc)" -ge 1 ] 2>/dev/null && [ "$(v rx_segmented)" = 0 ]; then
		res PASS "$suite" rsc_rx "rx_rsc=$(v rx_rsc) carrying rx_rsc_segs=$(v rx_rsc_segs) frames, rx_segmented=0"
	else
		res FAIL "$suite" rsc_rx "rx_rsc=$(v rx_rsc) rx_segmented=$(v rx_segmented); $file"
	fi
}

# net_tracepoints SUITE FILE KIND...: the debug kernel's khcl_net
# tracepoints fired: in some monitor block of FILE (vmlib.sh
# monitor_blocks counts the events of its own trace instance) each KIND
# (send, recv, drop, link) was seen at least once
net_tracepoints() {
	local suite=$1 file=$2 k n seen='' miss=''
	shift 2
	for k in "$@"; do
		n=$(tr -d '\r' <"$file" 2>/dev/null |
			sed -n "s/^--- khcl_net trace events: .*\b$k=\([0-9]*\).*/\1/p" |
			sort -n | tail -1)
		if [ "${n:-0}" -ge 1 ] 2>/dev/null; then
			seen="$seen $k=$n"
		else
			miss="$miss $k"
		fi
	done
	if [ -z "$miss" ]; then
		res PASS "$suite" net_tracepoints "most in one block:$seen"
	else
		res FAIL "$suite" net_tracepoints "never seen:$miss; $file"
	fi
}

# net_sections_back SUITE FILE: after the guest's traffic (its script ends
# quiet), every receive section khcl lent it came back: none leaked, RSC
# runs included
net_sections_back() {
	local suite=$1 file=$2 nic
	nic=$(last_monitor_block "$file" | sed -n 's|^/sys/module/khcl_mana_xlat/parameters/nic:||p' | tail -1)
	if [[ $nic =~ sections\ 0/ ]]; then
		res PASS "$suite" sections_back "${nic##*offloads }"
	else
		res FAIL "$suite" sections_back "${nic:-no nic line}; $file"
	fi
}

# net_queues SUITE FILE: with a 2-queue backend, the guest got both
# channels, RSS on, and each channel received and sent; each of the
# backend's TX queues carried frames (its virtio output interrupts)
net_queues() {
	local suite=$1 file=$2 block nic
	block=$(last_monitor_block "$file")
	nic=$(sed -n 's|^/sys/module/khcl_mana_xlat/parameters/nic:||p' <<<"$block" | tail -1)
	if [[ $nic =~ channels\ 2\ rss\ on\ ch0\ rx\ [1-9][0-9]*\ tx\ [1-9][0-9]*\ ch1\ rx\ [1-9][0-9]*\ tx\ [1-9][0-9]* ]]; then
		res PASS "$suite" channels_used "${nic##*sections }"
	else
		res FAIL "$suite" channels_used "${nic:-no nic line}; $file"
	fi
	if awk '$1 == "IRQ" && $2 ~ /output\.[01]$/ && $3 > 0 {n++} END {exit n != 2}' <<<"$block"; then
		res PASS "$suite" backend_tx_queues "$(grep '^IRQ' <<<"$block" | tr '\n' ' ')"
	else
		res FAIL "$suite" backend_tx_queues "$(grep '^IRQ' <<<"$block" | tr '\n' ' '); $file"
	fi
}

# soak_growth SUITE FILE ROUNDS [PER]: a malformed-input soak's vtl2
# samples ("MEM uptime a b c Slab SUnreclaim MemFree Percpu", kB, a + b + c
# the requests handled: storage-soak-vtl2.sh, net-soak-vtl2.sh) from the
# first past 10^4 handled (pools and caches warm) to the last, after the
# soak: at least PER (default 9) x ROUNDS handled, unreclaimable slab
# within 512 kB and percpu within 64 kB (a byte leaked per request would
# be 1 MB)
soak_growth() {
	local suite=$1 file=$2 rounds=$3 per=${4:-9} n su0 pc0 su1 pc1 mf0 mf1
	read -r n su0 pc0 su1 pc1 mf0 mf1 <<<"$(tr -d '\r' <"$file" 2>/dev/null |
		awk '$1 == "MEM" { n = $3 + $4 + $5 }
		$1 == "MEM" && n >= 10000 && !w { w = 1; n0 = n; u0 = $7; p0 = $9; f0 = $8 }
		$1 == "MEM" { u1 = $7; p1 = $9; f1 = $8; n1 = n }
		END { print n1 - n0, u0 + 0, p0 + 0, u1 + 0, p1 + 0, f0 + 0, f1 + 0 }')"
	if [ "${n:-0}" -ge $((rounds * per)) ] && [ $((su1 - su0)) -le 512 ] &&
		[ $((pc1 - pc0)) -le 64 ]; then
		res PASS "$suite" vtl2_no_growth "$n requests handled: SUnreclaim $su0 -> $su1 kB, Percpu $pc0 -> $pc1 kB, MemFree $mf0 -> $mf1 kB"
	else
		res FAIL "$suite" vtl2_no_growth "${n:-0} requests handled (>= $((rounds * per)) expected): SUnreclaim $su0 -> $su1 kB, Percpu $pc0 -> $pc1 kB; $file"
	fi
}

# storage_queue_match SUITE VTL0_OUT VTL2_OUT: every SRB storvsc may have
# outstanding (its host's can_queue, "CAN_QUEUE n depth" in VTL0_OUT) has
# a request in vtl2: the pools of the open storvsp channels (depth= in the
# last monitor block of VTL2_OUT) hold at least that many
storage_queue_match() {
	local suite=$1 cq qd sum n
	read -r _ cq qd < <(tr -d '\r' <"$2" 2>/dev/null | grep -m1 '^CAN_QUEUE ' || true)
	read -r sum n < <(last_monitor_block "$3" |
		awk '/^--- channel [0-9]*: storvsp open / {
			for (i = 1; i <= NF; i++) if ($i ~ /^depth=/) { s += substr($i, 7); n++ } }
		END { print s + 0, n + 0 }')
	if [ -n "$cq" ] && [ "${n:-0}" -ge 1 ] && [ "$sum" -ge "$cq" ]; then
		res PASS "$suite" storage_queue_match "storvsc can_queue $cq (LUN queue_depth $qd) <= $sum requests in $n channel pools"
	else
		res FAIL "$suite" storage_queue_match "storvsc can_queue ${cq:-none}, ${sum:-0} requests in ${n:-0} storvsp channel pools; $3"
	fi
}
