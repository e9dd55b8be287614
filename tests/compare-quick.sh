#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The process-model comparison cut down for make check.  A default build
# must not know /__fault/; tests/compare.sh must run in quick mode and
# write its report (wrk only if installed) and its page of charts; the
# charts must be well-formed, and their labels fit (Chromium, where it is
# installed, lays the pages out at 1280x900 and 390x844); the example in
# the README must be what the charts' code draws from its numbers; and
# the raw numbers must show what the models promise: fork contains a
# crash, a leak, a hang and a descriptor leak in one child, thread dies
# of the crash and keeps leaks.
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

# --- the cost of a request: server CPU, and the client's ---
# every_run_costed: each wrk run's row has the server's us per request
# and wrk's cores, both more than 0, and there is at least one.
every_run_costed() {
	awk -F '\t' '$1 == "tp" && $3 != "did-not-start" {
		n++
		if (!($12 + 0 > 0 && $14 + 0 > 0))
			bad++
	}
	END { exit (bad > 0 || n == 0) }' "$tsv"
}

# tp_cost MODEL WORKLOAD: the means over the rounds of the server's us
# per request and of wrk's cores, or nothing.
tp_cost() {
	awk -F '\t' -v m="$1" -v w="$2" '
	$1 == "tp" && $2 == m && $3 == w && $12 != "-" {
		n++; us[n] = $12; c[n] = $14
	}
	END {
		if (n == 0) exit
		for (i = 1; i <= n; i++) { su += us[i]; sc += c[i] }
		printf "%.0f %.2f\n", su / n, sc / n
	}' "$tsv"
}

if command -v "${WRK:-wrk}" > /dev/null 2>&1; then
	check "every wrk run has the server's CPU per request and wrk's CPU" \
	    every_run_costed
	check "the raw numbers say how the server's CPU was counted" \
	    grep -q -E '^meta	cpu_method	(cgroup v[12]|proc)$' "$tsv"
	# shellcheck disable=SC2046
	set -- $(tp_cost fork close) $(tp_cost event close)
	if [ $# = 4 ]; then
		check "a new connection costs fork's processes more than twice the event loop's CPU ($1 and $3 us)" \
		    test "$1" -gt $(($3 * 2))
	else
		skip "a new connection costs fork more CPU than the event loop" \
		    "no close rows for fork and event"
	fi
fi

# Without wrk, or without a fault build, it still reports, and says why.
WRK=$tmp/no-such-wrk COMPARE_PARTS=throughput COMPARE_OUT=$tmp/nowrk.md \
    COMPARE_DATA=$tmp/nowrk.tsv sh "$COMPARE" > /dev/null 2>&1
check "without wrk the report says: wrk not installed: apt-get install wrk" \
    grep -q 'wrk not installed: apt-get install wrk' "$tmp/nowrk.md"
check "without wrk the page's throughput panel says why it has no chart" \
    grep -q 'Not measured: wrk is not installed' "$tmp/nowrk.html"
FORKHTTPD_FAULTS=$FORKHTTPD COMPARE_PARTS=faults COMPARE_OUT=$tmp/nofi.md \
    COMPARE_DATA=$tmp/nofi.tsv sh "$COMPARE" > /dev/null 2>&1
check "a default build is not taken for a fault build" \
    grep -q 'does not answer /__fault/' "$tmp/nofi.md"

# --- the page: compare-report.html, and the charts alone as SVG ---
AWK_PAGE=$SRCDIR/tests/compare-report.awk
EXAMPLE=$SRCDIR/tests/compare-example
page=$tmp/report.html
PANELS="throughput cpu latency memory faults tls"

# charts_in PAGE PANEL: how many charts (wide and narrow) the panel has.
charts_in() {
	awk -v id="panel-$2" '
	index($0, "<section id=\"" id "\">") { on = 1 }
	on && /<svg class="(wide|narrow)"/ { n++ }
	on && /<\/section>/ { on = 0 }
	END { print n + 0 }' "$1"
}

# layout_clean PAGE: compare-report.awk found every label inside its
# chart and none overlapping another (from its estimate of the widths).
layout_clean() {
	grep -q '^<!-- layout: [1-9][0-9]* charts, [1-9][0-9]* labels, 0 outside, 0 overlapping' "$1"
}

# well_formed NAME FILE: xmllint parses it (the page is XHTML-compatible,
# so every inline SVG in it is checked too).
well_formed() {
	if command -v xmllint > /dev/null 2>&1; then
		check "$1 is well-formed XML" xmllint --noout "$2"
	else
		skip "$1 is well-formed XML" \
		    "xmllint not installed (apt-get install libxml2-utils)"
	fi
}

check "compare.sh writes the page beside the report" test -s "$page"
check "compare.sh writes the charts alone beside the report" \
    test -s "$tmp/report.svg"
for p in $PANELS; do
	check "the page has the $p panel" \
	    grep -q "^<section id=\"panel-$p\">" "$page"
done
want=
if command -v "${WRK:-wrk}" > /dev/null 2>&1; then
	want="throughput cpu latency"
	[ "${TLS_BUILT:-yes}" = yes ] && want="$want tls"
fi
[ "$have_faults" = 1 ] && want="$want faults"
for p in $want; do
	check "the quick run's $p panel has a chart for a wide and a narrow screen" \
	    test "$(charts_in "$page" "$p")" = 2
done
check "the quick run's memory panel says why it has no chart" \
    grep -q 'Not measured in this run (COMPARE_PARTS=' "$page"
check "the page fetches nothing (no src, href, url() or @import)" \
    eval '! grep -q -i -E "(src|href)=|url\\(|@import" "$page"'
check "the page has no script" eval '! grep -q -i "<script" "$page"'
check "the quick run's labels fit their charts and overlap none (estimated)" \
    layout_clean "$page"
well_formed "the quick run's page" "$page"
well_formed "the quick run's SVG" "$tmp/report.svg"

# The example in the README: a full run's raw numbers, drawn again.
LC_ALL=C awk -F '\t' -v out=svg -f "$AWK_PAGE" "$EXAMPLE.tsv" \
    > "$tmp/example.svg" 2> "$tmp/example.err"
check "tests/compare-example.svg is what compare-report.awk draws from tests/compare-example.tsv" \
    cmp -s "$tmp/example.svg" "$EXAMPLE.svg"
LC_ALL=C awk -F '\t' -v out=html -f "$AWK_PAGE" "$EXAMPLE.tsv" \
    > "$tmp/example.html" 2>> "$tmp/example.err"
for p in $PANELS; do
	check "the example page's $p panel has a chart for a wide and a narrow screen" \
	    test "$(charts_in "$tmp/example.html" "$p")" = 2
done
check "the example's labels fit their charts and overlap none (estimated)" \
    layout_clean "$tmp/example.html"
check "compare-report.awk draws the example without a complaint" \
    test ! -s "$tmp/example.err"
[ -s "$tmp/example.err" ] && sed 's/^/# /' "$tmp/example.err"
well_formed "the example page" "$tmp/example.html"

# In Chromium, when it is installed: the real boxes of the labels, at the
# size of a laptop's window and of a phone's.  Each page goes into an
# iframe of that size (headless Chromium's own window is at least 500 px
# wide), all of them in one page with a script (the report itself has
# none) that writes what it finds into the DOM, which --dump-dom prints:
# one start of Chromium for every check.
chromium=
for c in ${CHROMIUM:-} chromium chromium-browser google-chrome-stable \
    google-chrome; do
	if command -v "$c" > /dev/null 2>&1; then
		chromium=$c
		break
	fi
done

cat > "$tmp/check.html" <<'END'
<!DOCTYPE html>
<html><head><meta charset="utf-8"/><title>layout check</title>
<script>
function check(f) {
	var d = f.contentDocument, w = f.contentWindow;
	var bad = [], labels = 0, shown = 0, narrow = 0;
	function over(a, b) {
		return a.left < b.right - 0.5 && b.left < a.right - 0.5 &&
		    a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
	}
	d.querySelectorAll("svg").forEach(function (svg) {
		if (w.getComputedStyle(svg).display === "none")
			return;
		shown++;
		if (svg.classList.contains("narrow"))
			narrow++;
		var r = svg.getBoundingClientRect(), seen = [];
		if (r.right > w.innerWidth + 0.5)
			bad.push("a chart is wider than the viewport: " + r.right);
		svg.querySelectorAll("text").forEach(function (t) {
			var b = t.getBoundingClientRect();
			labels++;
			if (b.left < r.left - 0.5 || b.right > r.right + 0.5 ||
			    b.top < r.top - 0.5 || b.bottom > r.bottom + 0.5)
				bad.push("outside its chart: " + t.textContent);
			seen.forEach(function (o) {
				if (over(b, o.b))
					bad.push("overlap: " + t.textContent + " / " + o.s);
			});
			seen.push({ b: b, s: t.textContent });
		});
	});
	if (d.documentElement.scrollWidth > w.innerWidth)
		bad.push("the page is wider than the viewport: " +
		    d.documentElement.scrollWidth);
	var pre = document.createElement("pre");
	pre.textContent = "layout-check " + f.id + " width=" + w.innerWidth +
	    " shown=" + shown + " narrow=" + narrow + " labels=" + labels +
	    " problems=" + bad.length + "\n" + bad.join("\n");
	document.body.appendChild(pre);
}
</script></head>
<body style="margin: 0">
END
: > "$tmp/frames"

# frame NAME PAGE WIDTH HEIGHT CLASS: PAGE in a viewport of that size,
# where every chart shown must be CLASS (wide or narrow).
frame() {
	printf '%s|%s|%s|%s|%s\n' "$@" >> "$tmp/frames"
	printf '<iframe id="f%d" style="border: 0" width="%s" height="%s" onload="check(this)" srcdoc="' \
	    "$(wc -l < "$tmp/frames")" "$3" "$4" >> "$tmp/check.html"
	sed -e 's/&/\&amp;/g' -e 's/"/\&quot;/g' "$2" >> "$tmp/check.html"
	printf '"></iframe>\n' >> "$tmp/check.html"
}

# framed ID NAME PAGE WIDTH HEIGHT CLASS: one test: in that frame every
# chart shown is CLASS, each label inside its chart, none overlapping
# another, nothing wider than the viewport.
framed() {
	id=$1
	shift
	charts=$(grep -c '<svg class="wide"' "$2")
	# shellcheck disable=SC2046
	set -- "$@" $(sed -n "s/.*layout-check $id width=\([0-9]*\) shown=\([0-9]*\) narrow=\([0-9]*\) labels=\([0-9]*\) problems=\([0-9]*\).*/\1 \2 \3 \4 \5/p" "$tmp/dom")
	if [ $# -lt 10 ]; then
		not_ok "$1 at $3x$4 in Chromium: laid out and checked" \
		    "no result from the check: $(head -n 3 "$tmp/chromium.err")"
		return
	fi
	if [ "$6" = "$3" ] && [ "$7" = "$charts" ] && [ "${10}" = 0 ] &&
	    { { [ "$5" = narrow ] && [ "$8" = "$charts" ]; } ||
	    { [ "$5" = wide ] && [ "$8" = 0 ]; }; }; then
		ok "$1 at $3x$4 in Chromium: $7 $5 charts, $9 labels, each inside its chart, none overlapping, nothing wider than the viewport"
	else
		not_ok "$1 at $3x$4 in Chromium: $charts $5 charts, each label inside its chart, none overlapping" \
		    "viewport $6 px wide, $7 charts shown ($8 narrow), $9 labels, ${10} problems:" \
		    "$(sed -n "/<pre>layout-check $id /,/<\/pre>/p" "$tmp/dom" |
		    sed -e 1d -e 's/<\/pre>.*//' | head -n 10)"
	fi
}

if [ -z "$chromium" ]; then
	skip "the pages in Chromium at 1280x900 and 390x844" \
	    "Chromium not installed (apt-get install chromium)"
else
	frame "the quick run's page" "$page" 1280 900 wide
	frame "the quick run's page" "$page" 390 844 narrow
	frame "the example page" "$tmp/example.html" 1280 900 wide
	frame "the example page" "$tmp/example.html" 390 844 narrow
	printf '</body></html>\n' >> "$tmp/check.html"
	timeout 60 "$chromium" --headless --no-sandbox --disable-gpu \
	    --hide-scrollbars --user-data-dir="$tmp/chromium" \
	    --window-size=1400,1000 --dump-dom "file://$tmp/check.html" \
	    > "$tmp/dom" 2> "$tmp/chromium.err"
	i=0
	while IFS='|' read -r name file w h class; do
		i=$((i + 1))
		framed "f$i" "$name" "$file" "$w" "$h" "$class"
	done < "$tmp/frames"
fi

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
