#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs the libFuzzer targets for the Makefile (make run / make replay);
# one verdict line per target, never silence. Usage:
#   fuzz.sh run <seconds> <target>=<core.c>[,<core.c>...]=<max_len> ...
#   fuzz.sh replay <target>=... ...
# Environment: BUILD (build dir), LLVM_PROFDATA, LLVM_COV.
set -euo pipefail

BUILD=${BUILD:-build}
mode=$1
shift
secs=0
if [ "$mode" = run ]; then
	secs=$1
	shift
fi

# Directories that exist among seeds/<t> and regress/<t>.
input_dirs() {
	local d
	for d in "seeds/$1" "regress/$1"; do
		if [ -d "$d" ]; then
			echo "$d"
		fi
	done
}

# Crash, leak, timeout and OOM inputs go to regress/<t>/ (kept in git).
keep_artifacts() {
	local t=$1 art=$2 f kind kept=""
	for f in "$art"/*; do
		[ -f "$f" ] || continue
		kind=${f##*/}
		kind=${kind%%-*}
		case $kind in
		crash | leak | timeout | oom) ;;
		*) continue ;;
		esac
		mkdir -p "regress/$t"
		# not "crash-*": .gitignore ignores those names
		cp "$f" "regress/$t/$kind.$(sha1sum <"$f" | cut -c1-40)"
		kept="$kept $kind"
	done
	echo "${kept# }"
}

# Line coverage of the core files (comma list) from a corpus replay.
coverage() {
	local t=$1 cores=$2 corpus=$3
	local prof=$BUILD/cov/$t
	local -a dirs
	mapfile -t dirs < <(echo "$corpus"; [ -d "seeds/$t" ] && echo "seeds/$t")
	rm -f "$prof"-*.profraw "$prof.profdata"
	LLVM_PROFILE_FILE="$prof-%p.profraw" "$BUILD/cov/$t" -runs=0 \
		"${dirs[@]}" >"$BUILD/$t.cov.log" 2>&1 || return 1
	"$LLVM_PROFDATA" merge -sparse -o "$prof.profdata" "$prof"-*.profraw ||
		return 1
	"$LLVM_COV" report -instr-profile="$prof.profdata" "$BUILD/cov/$t" \
		>"$BUILD/$t.cov.txt" 2>&1 || return 1
	awk -v cores="$cores" '
		BEGIN { n = split(cores, c, ","); for (i = 1; i <= n; i++) want["../../" c[i]] = 1 }
		($1 in want) { lines += $8; missed += $9; found++ }
		END {
			if (found != n || !lines) exit 1
			printf "%.2f\n", 100 * (lines - missed) / lines
		}' "$BUILD/$t.cov.txt"
}

run_one() {
	local t=$1 cores=$2 max_len=$3
	local log=$BUILD/$t.log corpus=$BUILD/corpus-$t art=$BUILD/artifacts-$t
	local rc=0 runs eps kept pct
	local -a dirs
	mapfile -t dirs < <(input_dirs "$t")
	mkdir -p "$corpus" "$BUILD/cov"
	rm -rf "$art"
	mkdir -p "$art"
	timeout --kill-after=10 $((secs + 120)) "$BUILD/$t" \
		-max_total_time="$secs" "-max_len=$max_len" -timeout=20 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$art/" "$corpus" "${dirs[@]}" \
		>"$log" 2>&1 || rc=$?
	kept=$(keep_artifacts "$t" "$art")
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	if [ "$rc" -ne 0 ] || [ -n "$kept" ]; then
		echo "FAIL fuzz $t exit $rc${kept:+ ($kept, input kept in kunit/fuzz/regress/$t/)} (see kunit/fuzz/$log)"
		tail -40 "$log"
		return
	fi
	if [ -z "$runs" ] || [ -z "$eps" ]; then
		echo "FAIL fuzz $t printed no stats (see kunit/fuzz/$log)"
		tail -40 "$log"
		return
	fi
	if ! pct=$(coverage "$t" "$cores" "$corpus"); then
		echo "FAIL fuzz $t $runs runs $eps execs/s coverage not measured (see kunit/fuzz/$BUILD/$t.cov.log)"
		return
	fi
	echo "PASS fuzz $t $runs runs $eps execs/s cov $pct% $cores"
}

replay_one() {
	local t=$1
	local log=$BUILD/$t.replay.log rc=0 d f
	local -a files=()
	while read -r d; do
		for f in "$d"/*; do
			[ -f "$f" ] && files+=("$f")
		done
	done < <(input_dirs "$t")
	if [ "${#files[@]}" -eq 0 ]; then
		echo "FAIL fuzz-replay $t no inputs in kunit/fuzz/seeds/$t or regress/$t"
		return
	fi
	timeout --kill-after=10 600 "$BUILD/$t" -timeout=20 \
		-rss_limit_mb=2048 "${files[@]}" >"$log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "FAIL fuzz-replay $t exit $rc (see kunit/fuzz/$log)"
		tail -40 "$log"
		return
	fi
	echo "PASS fuzz-replay $t ${#files[@]} inputs"
}

# one fuzzing make at a time per build dir (the machine is shared)
mkdir -p "$BUILD"
exec 9>"$BUILD/.lock"
flock 9

for spec in "$@"; do
	t=${spec%%=*}
	rest=${spec#*=}
	case $mode in
	run) run_one "$t" "${rest%%=*}" "${rest#*=}" ;;
	replay) replay_one "$t" ;;
	*)
		echo "fuzz.sh: unknown mode $mode" >&2
		exit 2
		;;
	esac
done
