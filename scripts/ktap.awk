# KTAP (KUnit output) -> "PASS <suite> <case>" / "FAIL <suite> <case>" lines.
# Reads every suite of every plan in the input (one plan per module), so
# several modules' results in one console log are all counted. Kernel
# timestamps ("[    1.234] ") are stripped. A suite that ended without
# results for all its planned cases counts its missing cases as failed.
{
	sub(/\r$/, "")
	sub(/^\[[ 0-9.]*\] /, "")
}
/^    # Subtest: / {
	suite = $3; planned = 0; seen = 0; next
}
/^    1\.\.[0-9]+/ && suite != "" {
	planned = substr($1, 4) + 0; next
}
/^    (not )?ok [0-9]+ / && suite != "" {
	name = ($1 == "not") ? $4 : $3
	skip = ($0 ~ /# SKIP/)
	if ($1 == "not")
		print "FAIL " suite " " name
	else if (skip)
		print "SKIP " suite " " name
	else
		print "PASS " suite " " name
	seen++; next
}
/^(not )?ok [0-9]+ / && suite != "" {
	for (i = seen + 1; i <= planned; i++)
		print "FAIL " suite " case" i "-no-result"
	suite = ""; next
}
END {
	if (suite != "")
		for (i = seen + 1; i <= (planned ? planned : seen + 1); i++)
			print "FAIL " suite " case" i "-no-result"
}
