#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The process-model comparison cut down for make check.  A default build
# must not know /__fault/; tests/compare.sh must run in quick mode and
# write its report (wrk only if installed); and its raw numbers must show
# what the models promise: fork contains a crash, a leak, a hang and a
# descriptor leak in one child, thread dies of the crash and keeps leaks.
# shellcheck source=tests/e2e-lib.sh disable=SC2034,SC2154
# (tmp, pid, TEST_PREFIX and the rest belong to e2e-lib.sh)
. "${SRCDIR:-$(dirname "$0")/..}/tests/e2e-lib.sh"

FORKHTTPD_FAULTS=${FORKHTTPD_FAULTS:-$(dirname "$RAWHTTP")/forkhttpd-faults}
COMPARE=$SRCDIR/tests/compare.sh
LEAK_KB=$((50 * 1024))		# what compare.sh leaks in quick mode
LEAK_MIN_KB=$((LEAK_KB * 8 / 10))
FDS=200				# and how many descriptors
PSS_SLACK_KB=2048		# "back at the baseline" for memory

# server_alive: the server started by start is running (not a zombie).
server_alive() {
	line=
	read -r line 2>/dev/null < "/proc/$pid/stat" || return 1
	line=${line##*) }
	[ "${line%% *}" != Z ]
}

# --- a default build has no fault injection ---
start
get /__fault/crash > "$tmp/r"
check "a default build answers /__fault/crash with 404" \
    test "$(status_of < "$tmp/r")" = 404
get '/__fault/leak?mb=1' > "$tmp/r"
check "a default build answers /__fault/leak with 404" \
    test "$(status_of < "$tmp/r")" = 404
get / > "$tmp/r"
check "a default build is alive and serves / afterwards" \
    eval '[ "$(status_of < "$tmp/r")" = 200 ] && server_alive'
stop

# --- compare.sh, quick: wrk if installed, rawhttp as the steady load ---
models=$("$FORKHTTPD" --help 2>&1 | sed -n 's/.*how clients are served: *//p' |
    sed 's/([^)]*)//; s/,/ /g')
report=$tmp/report.md
tsv=$tmp/report.tsv
have_faults=0
[ -x "$FORKHTTPD_FAULTS" ] && have_faults=1
COMPARE_QUICK=1 COMPARE_LOAD=rawhttp COMPARE_PARTS="throughput faults" \
    COMPARE_FAULT_MODELS="fork thread" COMPARE_OUT=$report \
    COMPARE_DATA=$tsv FORKHTTPD_FAULTS=$FORKHTTPD_FAULTS \
    sh "$COMPARE" > "$tmp/compare.out" 2> "$tmp/compare.err"
rc=$?
check "compare.sh runs in quick mode" test "$rc" = 0
check "compare.sh writes its report" test -s "$report"
check "compare.sh prints the report it writes" \
    cmp -s "$report" "$tmp/compare.out"
seen=
for m in fork thread single $models; do
	case " $seen " in
	*" $m "*) continue ;;
	esac
	seen="$seen $m"
	check "the report mentions the $m model" grep -q -w -- "$m" "$report"
done
if command -v "${WRK:-wrk}" > /dev/null 2>&1; then
	check "the report has wrk's requests per second" \
	    grep -q '^Requests per second' "$report"
else
	check "the report says wrk is not installed" \
	    grep -q 'wrk not installed: apt-get install wrk' "$report"
fi
[ "$rc" = 0 ] || sed 's/^/# /' "$tmp/compare.err" | tail -n 20

# Without wrk, or without a fault build, it still reports, and says why.
WRK=$tmp/no-such-wrk COMPARE_PARTS=throughput COMPARE_OUT=$tmp/nowrk.md \
    COMPARE_DATA=$tmp/nowrk.tsv sh "$COMPARE" > /dev/null 2>&1
check "without wrk the report says: wrk not installed: apt-get install wrk" \
    grep -q 'wrk not installed: apt-get install wrk' "$tmp/nowrk.md"
FORKHTTPD_FAULTS=$FORKHTTPD COMPARE_PARTS=faults COMPARE_OUT=$tmp/nofi.md \
    COMPARE_DATA=$tmp/nofi.tsv sh "$COMPARE" > /dev/null 2>&1
check "a default build is not taken for a fault build" \
    grep -q 'does not answer /__fault/' "$tmp/nofi.md"

# --- the fault containment rows ---
# fault_row MODEL FAULT: the columns of its row in the raw numbers.
fault_row() {
	row_of=$1/$2
	# shellcheck disable=SC2046
	set -- $(awk -F '\t' -v m="$1" -v f="$2" \
	    '$1 == "fault" && $2 == m && $3 == f { $1 = $1; print; exit }' \
	    "$tsv" 2>/dev/null)
	r_ok=$4 r_failed=$5 r_reply=$6 r_alive=$7 r_death=$8 r_get=$9
	if [ $# -ge 9 ]; then
		shift 9
	else
		set --
	fi
	r_pss0=$1 r_pss1=$2 r_pss2=$3 r_fds0=$4 r_fds1=$5 r_fds2=$6
	r_pfds0=$7 r_pfds2=$8 r_busy=$9 r_kids=${10}
}

# expect NAME COMMAND...: one test; on failure, the whole row as a comment.
expect() {
	name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name" "$row_of: alive=$r_alive ($r_death) GET=$r_get" \
		    "steady ok/failed=$r_ok/$r_failed faulty client got $r_reply" \
		    "PSS KiB=$r_pss0/$r_pss1/$r_pss2 fds=$r_fds0/$r_fds1/$r_fds2" \
		    "parent fds=$r_pfds0/$r_pfds2 busy=$r_busy children=$r_kids"
	fi
}

# at_least A B N: A - B >= N, all whole numbers.
at_least() {
	is_number "$1" && is_number "$2" && [ $(($1 - $2)) -ge "$3" ]
}

# within A B N: |A - B| <= N.
within() {
	is_number "$1" && is_number "$2" &&
	    [ $(($1 - $2)) -le "$3" ] && [ $(($2 - $1)) -le "$3" ]
}

is_number() {
	case $1 in
	''|*[!0-9]*) return 1 ;;
	esac
}

serving() {
	[ "$r_alive" = yes ] && [ "$r_get" = 200 ]
}

if [ "$have_faults" = 0 ]; then
	ok "fault containment # SKIP no fault-injection build at $FORKHTTPD_FAULTS"
	finish
	exit
fi

for fault in crash leak hang fd-leak; do
	fault_row fork $fault
	TEST_PREFIX="fork, /__fault/$fault: "
	expect "the server survives and serves / with 200" serving
	expect "no steady request failed" test "$r_failed" = 0
	expect "memory (PSS) is back at the baseline" \
	    within "$r_pss2" "$r_pss0" $PSS_SLACK_KB
	expect "descriptors are back at the baseline (parent and all)" \
	    eval '[ "$r_pfds2" = "$r_pfds0" ] && [ "$r_fds2" = "$r_fds0" ]'
	case $fault in
	crash)
		expect "the crashing client gets no answer" \
		    test "$r_reply" = none
		;;
	leak)
		expect "the child held the leak while its client stayed" \
		    at_least "$r_pss1" "$r_pss0" $LEAK_MIN_KB
		;;
	hang)
		expect "--child-deadline ended the spinning child" \
		    test "$r_kids" = 0
		;;
	fd-leak)
		expect "the child held the descriptors while its client stayed" \
		    at_least "$r_fds1" "$r_fds0" $FDS
		;;
	esac
done

fault_row thread crash
if [ "$r_alive" = did-not-start ]; then
	TEST_PREFIX=
	ok "the thread model # SKIP not built (configure --disable-threads)"
else
	TEST_PREFIX="thread, /__fault/crash: "
	expect "the whole server dies" test "$r_alive" = no
	expect "other clients' requests fail" at_least "$r_failed" 0 1
	fault_row thread leak
	TEST_PREFIX="thread, /__fault/leak: "
	expect "the server survives" serving
	expect "the leak stays after its client has gone" \
	    at_least "$r_pss2" "$r_pss0" $LEAK_MIN_KB
	fault_row thread hang
	TEST_PREFIX="thread, /__fault/hang: "
	expect "the other threads go on serving" serving
	expect "no steady request failed" test "$r_failed" = 0
	fault_row thread fd-leak
	TEST_PREFIX="thread, /__fault/fd-leak: "
	expect "the server survives" serving
	expect "the descriptors stay open after their client has gone" \
	    at_least "$r_fds2" "$r_fds0" $FDS
fi
TEST_PREFIX=
finish
