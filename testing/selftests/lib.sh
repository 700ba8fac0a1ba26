# shellcheck shell=bash
# What the harness's self-tests share: one line a case ("ok - NAME" or
# "not ok - NAME: WHY"), the counts, and the last line "N passed, N
# failed", which tools/test reads.  Sourced by the *.sh here.

passed=0 failed=0

# st_ok NAME: the case passed.
st_ok() {
	echo "ok - $1"
	passed=$((passed + 1))
}

# st_fail NAME WHY: the case failed.
st_fail() {
	echo "not ok - $1: $2"
	failed=$((failed + 1))
}

# st_result NAME GOT WANT: the case passes when GOT is WANT.
st_result() {
	if [ "$2" = "$3" ]; then
		st_ok "$1"
	else
		st_fail "$1" "got '$2', want '$3'"
	fi
}

# st_done: the last line; false when a case failed or none ran.
st_done() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
}
