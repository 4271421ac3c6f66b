# KTAP (KUnit output) -> "PASS|FAIL|SKIP <suite> <case> [reason]" lines.
# Reads every suite of every plan in the input (one plan per module), so
# several modules' results in one console log are all counted. Kernel
# timestamps ("[    1.234] ") are stripped. A suite that ends, or is
# followed by another suite or the end of the input, without results for
# all its planned cases counts its missing cases as failed. A skipped
# case is SKIP with its reason, never PASS.
function flush(   i) {
	if (suite == "")
		return
	for (i = seen + 1; i <= (planned ? planned : seen + 1); i++)
		print "FAIL " suite " case" i "-no-result"
	suite = ""
}
{
	sub(/\r$/, "")
	sub(/^\[[ 0-9.]*\] /, "")
}
/^    # Subtest: / {
	flush()
	suite = $3; planned = 0; seen = 0; next
}
/^    1\.\.[0-9]+/ && suite != "" {
	planned = substr($1, 4) + 0; next
}
/^    (not )?ok [0-9]+ / && suite != "" {
	name = ($1 == "not") ? $4 : $3
	if ($1 == "not") {
		print "FAIL " suite " " name
	} else if ($0 ~ /# SKIP/) {
		reason = $0
		sub(/.*# SKIP */, "", reason)
		print "SKIP " suite " " name " " (reason == "" ? "no reason given" : reason)
	} else {
		print "PASS " suite " " name
	}
	seen++; next
}
/^(not )?ok [0-9]+ / && suite != "" {
	if (seen < planned)
		flush()
	suite = ""; next
}
END {
	flush()
}
