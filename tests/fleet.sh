#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# A fleet, tested: three forkhttpd instances (fork, event and thread
# models) on ephemeral loopback ports behind HAProxy, which the test
# starts with a generated configuration: HTTP mode, send-proxy-v2, HTTP
# health checks (option httpchk GET /), retries and redispatch, as an
# administrator would run it.  A client loop through HAProxy, bound to
# 127.0.0.2, while one instance is stopped with SIGTERM and started again
# (a rolling restart) and another is upgraded in place with SIGUSR2: not
# one client request is lost, counted, and the access logs show the
# client's address, which only the PROXY header carries (HAProxy itself
# connects from 127.0.0.1).  Skipped, saying so, without haproxy or curl.
# shellcheck disable=SC2154,SC2034 # tmp, root, TEST_PREFIX...: e2e-lib.sh
. "${SRCDIR:-$(dirname "$0")/..}/tests/e2e-lib.sh"

HAPROXY=${HAPROXY:-haproxy}
if ! command -v "$HAPROXY" > /dev/null 2>&1; then
	echo "1..0 # SKIP haproxy is not installed (Debian: apt-get install haproxy)"
	exit 0
fi
if ! command -v curl > /dev/null 2>&1; then
	echo "1..0 # SKIP curl is not installed"
	exit 0
fi
CLIENT=127.0.0.2
REQUESTS=${FLEET_REQUESTS:-400}

fleet_pids=
haproxy_pid=
fleet_cleanup() {
	# only what this test started: the instances, their upgrades, HAProxy
	for p in $fleet_pids $haproxy_pid; do
		kill "$p" 2>/dev/null
	done
	for p in $fleet_pids $haproxy_pid; do
		wait "$p" 2>/dev/null
	done
	cleanup
}
trap fleet_cleanup EXIT

# instance N MODEL [PORT]: start instance N (log $tmp/access.N, errors
# $tmp/err.N, pid file $tmp/pid.N) and set inst_port and inst_pid.
instance() {
	: > "$tmp/err.$1"
	"$FORKHTTPD" -D -a 127.0.0.1 -p "${3:-0}" -d "$root" -m "$2" -T 10 \
	    --proxy-protocol --trusted-proxy 127.0.0.1 \
	    -l "$tmp/access.$1" -i "$tmp/pid.$1" 2> "$tmp/err.$1" &
	inst_pid=$!
	fleet_pids="$fleet_pids $inst_pid"
	inst_port=$(port_of "$tmp/err.$1" "$inst_pid") || {
		echo "Bail out! instance $1 did not start: $(cat "$tmp/err.$1")"
		exit 1
	}
}

instance 1 fork
port1=$inst_port
pid1=$inst_pid
instance 2 event
port2=$inst_port
pid2=$inst_pid
instance 3 thread
port3=$inst_port

# HAProxy's port: below the ephemeral range, free when checked
port_free() {
	"$RAWHTTP" -t 100 "$1" < /dev/null > /dev/null 2>&1
	[ $? = 1 ]
}
hport=$(( 10000 + ($$ * 7) % 22000 ))
while ! port_free "$hport"; do hport=$((hport + 1)); done

# The configuration an administrator would write (README and
# forkhttpd(8) show the backend): health checks every 100 ms that take a
# stopped server out at the first failure; a request that finds no
# connection, or an empty response, is retried on another server.
cat > "$tmp/haproxy.cfg" <<EOF_CFG
global
    maxconn 256
defaults
    mode http
    timeout connect 1s
    timeout client 10s
    timeout server 10s
    retries 3
    option redispatch 1
    retry-on all-retryable-errors
frontend web
    bind 127.0.0.1:$hport
    default_backend static
backend static
    balance roundrobin
    option httpchk GET /
    default-server check inter 100ms fall 1 rise 2 send-proxy-v2
    server s1 127.0.0.1:$port1
    server s2 127.0.0.1:$port2
    server s3 127.0.0.1:$port3
EOF_CFG
"$HAPROXY" -c -q -f "$tmp/haproxy.cfg" > "$tmp/haproxy.check" 2>&1
check "HAProxy accepts the generated configuration" test $? = 0 ||
    cat "$tmp/haproxy.check"
"$HAPROXY" -db -f "$tmp/haproxy.cfg" > "$tmp/haproxy.out" 2>&1 &
haproxy_pid=$!

# until HAProxy answers and every server is up (3 s at most)
i=0
while [ $i -lt 60 ]; do
	if [ "$(curl -s -o /dev/null --interface "$CLIENT" \
	    -w '%{http_code}' "http://127.0.0.1:$hport/a.txt")" = 200 ] &&
	    grep -q '"GET / HTTP/1.0" 200' "$tmp/access.3" 2>/dev/null; then
		break
	fi
	sleep 0.05
	i=$((i + 1))
done
check "HAProxy serves through the fleet" test $i -lt 60

# The client loop: one curl per request, from 127.0.0.2, each answer's
# status on a line.
: > "$tmp/codes"
(
	j=0
	while [ $j -lt "$REQUESTS" ]; do
		curl -s -o /dev/null --interface "$CLIENT" -w '%{http_code}\n' \
		    "http://127.0.0.1:$hport/a.txt?n=$j" >> "$tmp/codes"
		j=$((j + 1))
	done
) &
loop=$!

# wait_codes N: until the loop has N answers (20 s at most)
wait_codes() {
	i=0
	while [ "$(wc -l < "$tmp/codes")" -lt "$1" ] && [ $i -lt 400 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

# a rolling restart of instance 1: SIGTERM (it drains), then again on
# the same port
wait_codes $((REQUESTS / 4))
kill -TERM "$pid1"
wait "$pid1"
check "instance 1 stopped on SIGTERM" test $? = 0
wait_codes $((REQUESTS / 2))
instance 1 fork "$port1"
# an upgrade in place of instance 2: SIGUSR2, the new server writes the
# pid file, the old one drains and exits
wait_codes $((REQUESTS * 3 / 4))
kill -USR2 "$pid2"
i=0
while [ "$(cat "$tmp/pid.2" 2>/dev/null)" = "$pid2" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
new2=$(cat "$tmp/pid.2" 2>/dev/null)
[ -n "$new2" ] && fleet_pids="$fleet_pids $new2"
check "instance 2 upgraded in place (a new pid)" \
    sh -c "test -n '$new2' && test '$new2' != '$pid2'"
wait "$loop"

answers=$(wc -l < "$tmp/codes")
good=$(grep -c '^200$' "$tmp/codes")
check "the client got $REQUESTS answers" test "$answers" = "$REQUESTS"
if [ "$good" = "$REQUESTS" ]; then
	ok "zero client requests lost across the restart and the upgrade ($good of $REQUESTS were 200)"
else
	not_ok "zero client requests lost across the restart and the upgrade" \
	    "$good of $REQUESTS were 200: $(sort "$tmp/codes" | uniq -c | tr '\n' ' ')"
fi

# Every instance logged the client by the address the PROXY header gave.
logged_client=0
for k in 1 2 3; do
	c=$(grep -c "^$CLIENT - - .*\"GET /a.txt?n=[0-9]* HTTP/1.1\" 200 " \
	    "$tmp/access.$k")
	check "instance $k logged client requests as $CLIENT" test "$c" -gt 0
	logged_client=$((logged_client + c))
done
check "no client request is logged as HAProxy's own address" \
    sh -c "! grep -q '^127\\.0\\.0\\.1 - - .*GET /a.txt' $tmp/access.1 $tmp/access.2 $tmp/access.3"
check "the logs together hold every request ($logged_client, $REQUESTS sent)" \
    test "$logged_client" -ge "$REQUESTS"
check "HAProxy's health checks are served (PROXY v2 LOCAL, logged as 127.0.0.1)" \
    grep -q '^127\.0\.0\.1 - - .*"GET / HTTP/1.0" 200 ' "$tmp/access.3"

# --- metrics: the sum check goes here ---
# Once --status exists (the metrics work of issue 18), start each
# instance with --status 127.0.0.1:0, read GET /metrics from each after
# the loop, and check that the requests they count sum to what the
# client sent ($REQUESTS, plus the health checks).

finish
