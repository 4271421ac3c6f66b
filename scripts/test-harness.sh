#!/bin/bash
# Tests of the test harness: each check of testlib.sh (the ones test.sh
# uses) is given an input that is broken on purpose and must report a
# FAIL (or a SKIP, for a skipped case). Prints "PASS harness <case>" when
# the broken input was caught, "FAIL harness <case>" when it slipped
# through. make test runs it first; `scripts/test-harness.sh` alone too.
#   KHCL_HARNESS_RIG=0 leaves out the one case that boots the debug VM.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$KHCL_ROOT"
H=scripts/tests/harness
hpass=0 hfail=0
verdict() {	# verdict CASE OK(0/1) DETAIL
	if [ "$2" -eq 0 ]; then
		echo "PASS harness $1"
		hpass=$((hpass + 1))
	else
		echo "FAIL harness $1  ($3)"
		hfail=$((hfail + 1))
	fi
}
# caught CASE WANT CMD...: run CMD (a testlib check) in a subshell with
# fresh counters; its output must have a line matching WANT.
caught() {
	local hcase=$1 want=$2 out
	shift 2
	out=$( (
		# shellcheck source=scripts/testlib.sh
		. "$KHCL_ROOT/scripts/testlib.sh"
		"$@"
		echo "counted: $passed passed, $failed failed, $skipped skipped"
	) 2>&1 || true)
	if grep -qE "$want" <<<"$out"; then
		verdict "$hcase" 0
	else
		verdict "$hcase" 1 "wanted /$want/, got: $(tr '\n' '|' <<<"$out" | cut -c1-300)"
	fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# user-space suites: a UBSan abort after the first case (the KTAP lost
# with it once gave "4 passed, 0 failed"), an exit before any KTAP,
# fewer results than planned, a hang
if make -s -C kunit/userspace harness >"$tmp/build.log" 2>&1; then
	b=kunit/userspace/build/harness
	caught us_ubsan_abort '^FAIL us\.harness_ubsan ' us_suite "$b/harness_ubsan"
	caught us_ubsan_abort_counted 'counted: 1 passed, [3-9] failed' us_suite "$b/harness_ubsan"
	caught us_exit_before_ktap '^FAIL us\.harness_exit ktap_plan' us_suite "$b/harness_exit"
	caught us_fewer_results '^FAIL us\.harness_short case3-no-result' us_suite "$b/harness_short"
	caught us_hang '^FAIL us\.harness_hang ' \
		env KHCL_US_TIMEOUT=3 bash -c ". scripts/lib.sh; . scripts/testlib.sh; us_suite $b/harness_hang"
else
	verdict us_build 1 "$(tail -5 "$tmp/build.log" | tr '\n' ' ')"
fi

# KTAP: a suite cut short by the next one; a skipped case
caught ktap_unfinished_suite '^FAIL a\.s1 case3-no-result' ktap a. "$H/ktap-unfinished.txt"
caught ktap_unfinished_counted 'counted: 3 passed, 2 failed' ktap a. "$H/ktap-unfinished.txt"
caught ktap_skip '^SKIP b\.s1 c2 .*no device here' ktap b. "$H/ktap-skip.txt"
caught ktap_skip_not_passed 'counted: 1 passed, 0 failed, 1 skipped' ktap b. "$H/ktap-skip.txt"
# a KUnit module that never loaded leaves its suite without results
caught kunit_suite_missing '^FAIL khcl_gone suite_reported' \
	suites_reported "" "$H/ktap-skip.txt" s1 khcl_gone

# every sample kernel report line is caught, no clean line is
bad=0
while IFS= read -r line; do
	[ -n "$line" ] || continue
	grep -qE "$KHCL_REPORT_RE" <<<"$line" || { echo "not caught: $line"; bad=1; }
done <"$H/reports.txt"
verdict report_patterns "$bad" "a report line is not matched by KHCL_REPORT_RE"
bad=0
if grep -E "$KHCL_REPORT_RE" "$H/clean.txt"; then bad=1; fi
verdict report_patterns_clean "$bad" "a clean console line matched KHCL_REPORT_RE"

# consoles: missing, empty, holding a call trace or a NOT ready init
: >"$tmp/empty.console"
printf 'x\n[    2.000] Call Trace:\n' >"$tmp/trace.console"
printf 'khcl: NOT ready role=rig uptime=1.2s (module load failed)\n' >"$tmp/notready.console"
for c in missing empty trace notready; do
	if console_check "$tmp/$c.console" >/dev/null 2>&1; then
		verdict "console_$c" 1 "console_check passed it"
	else
		verdict "console_$c" 0
	fi
done

# a rig run whose VM hung after a PASS (KHCL_EXIT 1, a check missing)
mkdir -p "$tmp/logs"
printf 'PASS one fine\nKHCL_EXIT 1\n' >"$tmp/logs/vtl0.out"
echo "khcl: ready role=testguest" >"$tmp/logs/vtl0.console"
echo "khcl: ready role=rig" >"$tmp/logs/vtl2.console"
caught rig_exit_status '^FAIL s run_status' rig_results s "$tmp/logs" 1 "$tmp/logs/vtl0.out" one two
caught rig_check_missing '^FAIL s two .*never reported' rig_results s "$tmp/logs" 1 "$tmp/logs/vtl0.out" one two
rm "$tmp/logs/vtl2.console"
caught rig_console_missing '^FAIL s clean_consoles' rig_results s "$tmp/logs" 0 "$tmp/logs/vtl0.out" one

# a background vtl2 script's verdicts: one FAIL, one never printed
printf 'PASS vtl2_a fine\nFAIL vtl2_b broke\n' >"$tmp/vtl2.out"
caught vtl2_check_failed '^FAIL s vtl2_b .*broke' vtl2_checks s "$tmp/vtl2.out" vtl2_a vtl2_b
caught vtl2_check_missing '^FAIL s vtl2_c .*no line' vtl2_checks s "$tmp/vtl2.out" vtl2_a vtl2_c
# storage counters: a copied byte, no reset answered; and a clean block
mon() {	# mon BYTES_COPIED RESETS: one monitor block of nvme_xlat's counters
	local p=/sys/module/khcl_nvme_xlat/parameters
	printf '=== uptime 9\n%s/ios:5000\n%s/bytes_copied:%s\n%s/bytes_bounced:0\n%s/io_errors:0\n%s/resets:%s\nMemFree: 1 kB\n' \
		"$p" "$p" "$1" "$p" "$p" "$p" "$2"
}
mon 4096 1 >"$tmp/copied.out"
mon 0 0 >"$tmp/noreset.out"
mon 0 1 >"$tmp/fine.out"
caught storage_bytes_copied '^FAIL s zero_copy .*bytes_copied=4096' storage_counters s "$tmp/copied.out"
caught storage_reset_unanswered '^FAIL s vtl2_reset_answered' storage_counters s "$tmp/noreset.out"
caught storage_counters_clean 'counted: 2 passed, 0 failed' storage_counters s "$tmp/fine.out"
# storvsc's queue against vtl2's pools: 256 requests for 327; a fit
printf 'CAN_QUEUE 327 327\n' >"$tmp/cq.out"
for d in 128 364; do
	printf '=== uptime 9\n--- channel 5: storvsp open sub=0 in=1 depth=%s\n--- channel 6: storvsp open sub=1 in=1 depth=%s\nMemFree: 1 kB\n' "$d" "$d" >"$tmp/pool$d.out"
done
caught queue_pool_short '^FAIL s storage_queue_match .*can_queue 327, 256 requests in 2' \
	storage_queue_match s "$tmp/cq.out" "$tmp/pool128.out"
caught queue_pool_fits '^PASS s storage_queue_match .*327 .*728 requests in 2' \
	storage_queue_match s "$tmp/cq.out" "$tmp/pool364.out"
# the soak: 2 MB of slab grown; too few requests handled; a clean one
soak() {	# soak SUNRECLAIM_AT_END HANDLED_AT_END
	printf 'MEM 1 5 0 0 30000 20000 90000 500\nMEM 2 20000 0 0 30000 20000 90000 500\nMEM 9 %s 0 0 31000 %s 89000 500\n' "$2" "$1"
}
soak 22000 1000000 >"$tmp/grew.out"
soak 20100 500000 >"$tmp/short.out"
soak 20100 1000000 >"$tmp/soaked.out"
caught soak_growth '^FAIL s vtl2_no_growth .*SUnreclaim 20000 -> 22000' soak_growth s "$tmp/grew.out" 100000
caught soak_too_short '^FAIL s vtl2_no_growth .*480000 requests' soak_growth s "$tmp/short.out" 100000
caught soak_clean '^PASS s vtl2_no_growth .*980000 requests' soak_growth s "$tmp/soaked.out" 100000

# kmemleak: a module that leaks one object must be caught on the debug
# kernel (the check could not fire before: -s on debugfs, scans 2 s apart)
if [ "${KHCL_HARNESS_RIG:-1}" = 1 ] && [ -f out/debug/bzImage ]; then
	st=0
	rm -f out/logs/last
	scripts/rig.sh --only-vtl2 --vtl2-role debug --timeout 300 \
		--vtl2-append "HARNESS_LEAK=1 KHCL_SKIP=$(find "$(khcl_obj_dir debug)/staging" -name 'khcl_*_test.ko' -printf '%f,' | sed 's/\.ko//g')" \
		--vtl2-script scripts/tests/kunit-vtl2.sh >"$tmp/leak.log" 2>&1 || st=$?
	logs=$(cat out/logs/last 2>/dev/null || echo none)
	# (modules are stripped: the report's backtrace has no module name)
	if [ "$st" -ne 0 ] && grep -q '^FAIL kmemleak_clean' "$logs/vtl2.out" 2>/dev/null &&
		grep -q 'khcl_harness_leak: leaked 64 bytes' "$logs/vtl2.console" &&
		grep -q '^unreferenced object .* (size 64)' "$logs/vtl2.out"; then
		verdict kmemleak_leak_caught 0
	else
		verdict kmemleak_leak_caught 1 "rig status $st; logs: $logs"
	fi
elif [ "${KHCL_HARNESS_RIG:-1}" = 1 ]; then
	verdict kmemleak_leak_caught 1 "out/debug is not built"
fi

echo "harness: $hpass passed, $hfail failed"
[ "$hfail" -eq 0 ]
