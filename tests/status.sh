#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# --status in every model: the counters of /metrics match what the clients
# did (requests by class and method, bytes, connections, keep-alive reuse,
# refusals, timeouts by kind), promtool accepts the exposition when it is
# installed, the page shows a slow client's address and request line (the
# real one a trusted proxy's PROXY header or X-Forwarded-For names), and
# the status listener keeps its own limit, apart from the site's.
# shellcheck disable=SC2154,SC2034 # tmp, root, TEST_PREFIX...: e2e-lib.sh
. "${SRCDIR:-$(dirname "$0")/..}/tests/e2e-lib.sh"

sport=
# start_status ARGS...: start() with a status listener; sport is its port.
start_status() {
	start --status 127.0.0.1:0 "$@"
	sport=$(port_of "$tmp/server.err" "$pid" '127\.0\.0\.1' status) || {
		echo "Bail out! no status listener: $(cat "$tmp/server.err")"
		exit 1
	}
}

# status_get TARGET [RAWHTTP OPTIONS]: a GET to the status listener.
status_get() {
	target=$1
	shift
	printf 'GET %s HTTP/1.1\r\nHost: t\r\n\r\n' "$target" |
	    "$RAWHTTP" -t "$WAIT_MS" "$@" "$sport"
}

scrape() {
	status_get /metrics > "$tmp/scrape"
	sed '1,/^\r$/d' "$tmp/scrape" > "$tmp/metrics"
}

# value SAMPLE: the value of one sample (name and labels) of the scrape.
value() {
	awk -v k="$1" '$1 == k { print $2 }' "$tmp/metrics"
}

# is SAMPLE WANT: a test that the sample has that value.
is() {
	got=$(value "$1")
	if [ "$got" = "$2" ]; then
		ok "$1 is $2"
	else
		not_ok "$1 is $2" "got '$got'"
	fi
}

# fetch: a request from stdin to the site; its bytes are added up in
# $tmp/received, as the server should count them.
fetch() {
	req > "$tmp/one"
	cat "$tmp/one" >> "$tmp/received"
}

# The pids of the server's children that serve clients (not the opener).
serving_children() {
	for f in /proc/[0-9]*/status; do
		[ "$(sed -n 's/^PPid:[[:space:]]*//p' "$f" 2>/dev/null)" = \
		    "$pid" ] || continue
		if [ "$(id -u)" = 0 ] && [ "$(sed -n \
		    's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' "$f")" = 0 ]; then
			continue
		fi
		basename "$(dirname "$f")"
	done
}

ka_get='GET / HTTP/1.1\r\nHost: t\r\n\r\n'
close_get='GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n'

suite() {
# --- counting: what ten GETs and a few others add up to ---
start_status -T 1 --header-timeout 1 --send-timeout 1
: > "$tmp/received"
i=0
while [ $i -lt 10 ]; do
	printf '%b' "$close_get" | fetch
	i=$((i + 1))
done
printf 'GET /no-such-file HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    fetch
printf 'HEAD / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' | fetch
printf 'BREW / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' | fetch
# two requests on one connection: one reuse
printf '%b%b' "$ka_get" "$close_get" | fetch
wait_children
scrape
check "/metrics is text/plain version 0.0.4" grep -q \
    '^Content-Type: text/plain; version=0.0.4; charset=utf-8' "$tmp/scrape"
is 'forkhttpd_requests_total{code="2xx",method="GET"}' 12
is 'forkhttpd_requests_total{code="4xx",method="GET"}' 1
is 'forkhttpd_requests_total{code="2xx",method="HEAD"}' 1
is 'forkhttpd_requests_total{code="5xx",method="other"}' 1
is 'forkhttpd_requests_total{code="2xx",method="POST"}' 0
is forkhttpd_connections_accepted_total 14
is forkhttpd_keepalive_requests_total 1
is forkhttpd_connections_refused_total 0
is forkhttpd_sent_bytes_total "$(wc -c < "$tmp/received" | tr -d ' ')"
is forkhttpd_clients 0
is forkhttpd_status_requests_total 1
case $MODEL in
fork) is forkhttpd_children_forked_total 14 ;;
*) is forkhttpd_children_forked_total 0 ;;
esac
check "build_info names the model" grep -q \
    "^forkhttpd_build_info{version=\"[^\"]*\",model=\"${MODEL%%:*}\",tls=\"[a-z]*\"} 1\$" \
    "$tmp/metrics"
now=$(date +%s)
start_sec=$(value process_start_time_seconds)
check "process_start_time_seconds is the start, in Unix seconds" \
    test "$start_sec" -le "$now" -a "$start_sec" -gt $((now - 600))
if command -v promtool > /dev/null 2>&1; then
	if promtool check metrics < "$tmp/metrics" > "$tmp/promtool" 2>&1; then
		ok "promtool check metrics accepts the exposition"
	else
		not_ok "promtool check metrics accepts the exposition" \
		    "$(cat "$tmp/promtool")"
	fi
else
	skip "promtool check metrics accepts the exposition" \
	    "promtool is not installed (Debian package prometheus)"
fi

# --- timeouts, one of each kind, side by side ---
# (the single model serves them in turn: the clients wait long enough.
# The stalled reader may be served last, at 3 s, and the server's sends
# stop some 40 ms after it starts, at a delayed ACK: reading at 4 s, as
# it did, raced the send deadline; at 5 s it is well past it)
printf '' | req -t 8000 > /dev/null &
t1=$!
printf 'GET / HTTP/1.1\r\nHost: t\r\n' | req -t 8000 > /dev/null &
t2=$!
printf '%b' "$ka_get" | req -t 8000 > /dev/null &
t3=$!
printf 'GET /huge.bin HTTP/1.1\r\nHost: t\r\n\r\n' |
    req -p 5000 -r 1 -t 8000 > /dev/null &
t4=$!
wait "$t1" "$t2" "$t3" "$t4"
wait_children
scrape
is 'forkhttpd_connections_timed_out_total{kind="first_byte"}' 1
is 'forkhttpd_connections_timed_out_total{kind="header"}' 1
is 'forkhttpd_connections_timed_out_total{kind="idle"}' 1
is 'forkhttpd_connections_timed_out_total{kind="send"}' 1
# the head that never ended is a 408; the stalled reader's 200 counts
is 'forkhttpd_requests_total{code="4xx",method="other"}' 1
is 'forkhttpd_requests_total{code="2xx",method="GET"}' 14
is forkhttpd_clients 0

# --- what the status listener answers, and what it does not ---
status_get /nope > "$tmp/r"
check "the status listener has nothing else: 404" \
    test "$(status_of < "$tmp/r")" = 404
printf 'POST /metrics HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n' |
    "$RAWHTTP" -t "$WAIT_MS" "$sport" > "$tmp/r"
check "the status listener answers POST 405" \
    test "$(status_of < "$tmp/r")" = 405
status_get / > "$tmp/r"
check "the page is HTML" sh -c "grep -q '^Content-Type: text/html' '$tmp/r' &&
    grep -q '<table>' '$tmp/r'"
status_get /metrics > "$tmp/r"
check "a status reply closes the connection" has "$tmp/r" "Connection: close"
stop

# --- the page and the limits, under load ---
start_status --max-per-address 1
if [ "$MODEL" = single ]; then
	skip "the page shows a slow client" \
	    "the single model serves one client at a time"
	stop
	return
fi
printf 'GET /huge.bin HTTP/1.1\r\nHost: t\r\n\r\n' |
    req -b 127.0.0.2 -p 3000 -r 1 -t 4000 > /dev/null &
slow=$!
sleep 0.5
status_get '/?text' > "$tmp/page"
check "the page shows the slow client's address and request line" \
    sh -c "grep '127\\.0\\.0\\.2' '$tmp/page' | grep 'writing' |
    grep -q 'GET /huge.bin HTTP/1.1'"
status_get / > "$tmp/html"
check "the HTML page shows it too" \
    sh -c "grep -q '<td>127.0.0.2</td>' '$tmp/html' &&
    grep -q '<td>GET /huge.bin HTTP/1.1</td>' '$tmp/html'"
status_get / -b 127.0.0.2 > "$tmp/r"
check "the status listener is not held to --max-per-address" \
    test "$(status_of < "$tmp/r")" = 200
scrape
is forkhttpd_clients 1
# two more from its address, holding their places if they get them (with
# -w 2, each worker counts apart: one of the three is refused at least)
printf 'GET / HTTP/1.1\r\nHost: t\r\n' |
    req -b 127.0.0.2 -n 2 -t 1000 > "$tmp/refused"
refused=$(grep -c ' 503 ' "$tmp/refused")
case $MODEL in
*:*) check "an address over its limit is refused (503)" \
	test "$refused" -ge 1 ;;
*) check "an address over its limit is refused (503)" test "$refused" = 2 ;;
esac
scrape
is forkhttpd_connections_refused_total "$refused"
case $MODEL in
fork)
	# a child that crashes while serving: counted, and its row freed
	# (SIGABRT: AddressSanitizer catches a SIGSEGV and exits instead)
	kill -ABRT "$(serving_children)"
	wait "$slow"
	wait_children
	scrape
	is 'forkhttpd_children_signaled_total{signal="SIGABRT"}' 1
	is forkhttpd_clients 0
	;;
*:*)
	wait "$slow"
	# a worker killed: started again, and counted
	# shellcheck disable=SC2046 # one pid a word
	set -- $(serving_children)
	kill -KILL "$1"
	sleep 1.5
	scrape
	is 'forkhttpd_children_signaled_total{signal="SIGKILL"}' 1
	is forkhttpd_worker_restarts_total 1
	is forkhttpd_children_alive "${MODEL#*:}"
	;;
*)
	wait "$slow"
	;;
esac

# the status listener's own limit: a fifth silent client is refused, and
# the site is served meanwhile
printf '' | "$RAWHTTP" -n 5 -t 1500 "$sport" > "$tmp/silent" &
silent=$!
sleep 0.3
get / > "$tmp/r"
check "the site is served while the status listener is full" \
    test "$(status_of < "$tmp/r")" = 200
wait "$silent"
case $MODEL in
*:*)	check "status clients over its limit are refused" \
	    test "$(grep -c ' 503 ' "$tmp/silent")" -le 1 ;;
*)	check "a fifth status client is refused (503)" \
	    test "$(grep -c ' 503 ' "$tmp/silent")" = 1 ;;
esac
scrape
is forkhttpd_connections_refused_total "$refused"
stop

# --- the real client behind a trusted proxy: the page shows it ---
# (the status listener itself never expects a PROXY header)
start_status --proxy-protocol --trusted-proxy 127.0.0.1
printf 'PROXY TCP4 192.0.2.7 127.0.0.1 40000 80\r\nGET /huge.bin HTTP/1.1\r\nHost: t\r\n\r\n' |
    req -p 3000 -r 1 -t 4000 > /dev/null &
slow=$!
sleep 0.5
status_get '/?text' > "$tmp/page"
check "the page shows the client a PROXY header names" \
    sh -c "grep '192\\.0\\.2\\.7' '$tmp/page' | grep 'writing' |
    grep -q 'GET /huge.bin HTTP/1.1'"
check "... and not the proxy's address" \
    sh -c "! grep '127\\.0\\.0\\.1' '$tmp/page' | grep -q 'GET /huge.bin'"
wait "$slow"
stop
start_status --trusted-proxy 127.0.0.1
printf 'GET /huge.bin HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 198.51.100.9\r\n\r\n' |
    req -p 3000 -r 1 -t 4000 > /dev/null &
slow=$!
sleep 0.5
status_get '/?text' > "$tmp/page"
check "the page shows the client a trusted X-Forwarded-For names" \
    sh -c "grep '198\\.51\\.100\\.9' '$tmp/page' | grep -q 'GET /huge.bin HTTP/1.1'"
wait "$slow"
stop
}

every_model suite

# --- IPv6, where the host has it ---
MODEL=fork
: > "$tmp/server.err"
"$FORKHTTPD" -D -a 127.0.0.1 -p 0 -d "$root" --status '[::1]:0' \
    2> "$tmp/server.err" &
pid=$!
if sport=$(port_of "$tmp/server.err" "$pid" '\[::1\]' status); then
	printf 'GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n' |
	    "$RAWHTTP" -a ::1 -t "$WAIT_MS" "$sport" > "$tmp/r"
	check "--status [::1]:0 listens on IPv6" \
	    test "$(status_of < "$tmp/r")" = 200
	stop
else
	pid=
	skip "--status [::1]:0 listens on IPv6" \
	    "no IPv6 loopback here: $(cat "$tmp/server.err")"
fi
# --- TLS handshakes, counted across the fork model's children ---
if "$FORKHTTPD" -D --tls-port 0 2>&1 | grep -q 'TLS is not built'; then
	skip "TLS handshakes are counted" "built without TLS"
else
	certs=$tmp/spki
	sh "$SRCDIR/tests/tls-certs.sh" "$certs" || exit 99
	TRANSPORT=tls
	for MODEL in fork event; do
		TEST_PREFIX="$MODEL, HTTPS: "
		start_status
		printf "$close_get" | req > /dev/null
		printf "$close_get" | req > /dev/null
		# TLS 1.1 is refused: a failed handshake
		openssl s_client -tls1_1 -connect "127.0.0.1:$port" \
		    < /dev/null > /dev/null 2>&1
		scrape
		is forkhttpd_tls_handshakes_total 2
		is forkhttpd_tls_handshake_failures_total 1
		stop
	done
	TRANSPORT=plain
	TEST_PREFIX=
fi

"$FORKHTTPD" --status 127.0.0.1 -p 0 > /dev/null 2> "$tmp/errout"
rc=$?
check "--status without a port is a usage error (status 2)" \
    sh -c "test $rc = 2 && grep -q 'ADDRESS:PORT' '$tmp/errout'"
"$FORKHTTPD" --status ::1:80 -p 0 > /dev/null 2> "$tmp/errout"
rc=$?
check "an IPv6 --status address needs brackets" test "$rc" = 2

finish
