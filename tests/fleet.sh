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
# connects from 127.0.0.1).  Each instance has a --status listener: the
# requests their metrics count sum to those the client got answered plus
# HAProxy's health checks (see the sum check at the end).  Skipped, saying
# so, without haproxy or curl.
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
# $tmp/err.N, pid file $tmp/pid.N, a --status listener on a free port)
# and set inst_port, inst_sport (its status port) and inst_pid.
instance() {
	: > "$tmp/err.$1"
	"$FORKHTTPD" -D -a 127.0.0.1 -p "${3:-0}" -d "$root" -m "$2" -T 10 \
	    --proxy-protocol --trusted-proxy 127.0.0.1 \
	    --status 127.0.0.1:0 \
	    -l "$tmp/access.$1" -i "$tmp/pid.$1" 2> "$tmp/err.$1" &
	inst_pid=$!
	fleet_pids="$fleet_pids $inst_pid"
	inst_port=$(port_of "$tmp/err.$1" "$inst_pid") &&
	inst_sport=$(port_of "$tmp/err.$1" "$inst_pid" '127\.0\.0\.1' \
	    status) || {
		echo "Bail out! instance $1 did not start: $(cat "$tmp/err.$1")"
		exit 1
	}
}

# logs N: instance N's access logs, a retired server's (access.N.old,
# see the restart and the upgrade below) and the one serving now.
logs() {
	cat "$tmp/access.$1.old" "$tmp/access.$1" 2>/dev/null
}

instance 1 fork
port1=$inst_port
pid1=$inst_pid
instance 2 event
port2=$inst_port
pid2=$inst_pid
sport2=$inst_sport
instance 3 thread
port3=$inst_port
sport3=$inst_sport

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

# until HAProxy answers and every server is up (3 s at most); warm
# counts the client's requests answered 200 meanwhile (the sum check)
i=0
warm=0
while [ $i -lt 60 ]; do
	code=$(curl -s -o /dev/null --interface "$CLIENT" \
	    -w '%{http_code}' "http://127.0.0.1:$hport/a.txt")
	[ "$code" = 200 ] && warm=$((warm + 1))
	if [ "$code" = 200 ] &&
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
# the same port.  The stopped server's log, complete once it has exited,
# becomes access.1.old; the new one writes a new access.1.
wait_codes $((REQUESTS / 4))
kill -TERM "$pid1"
wait "$pid1"
check "instance 1 stopped on SIGTERM" test $? = 0
mv "$tmp/access.1" "$tmp/access.1.old"
wait_codes $((REQUESTS / 2))
instance 1 fork "$port1"
sport1=$inst_sport
# an upgrade in place of instance 2: SIGUSR2, the new server writes the
# pid file, the old one drains and exits.  The log is renamed first: the
# old server goes on writing to the file it has open (access.2.old, it
# reopens only on SIGHUP), the new one opens access.2 by its name.
wait_codes $((REQUESTS * 3 / 4))
mv "$tmp/access.2" "$tmp/access.2.old"
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
	c=$(logs "$k" |
	    grep -c "^$CLIENT - - .*\"GET /a.txt?n=[0-9]* HTTP/1.1\" 200 ")
	check "instance $k logged client requests as $CLIENT" test "$c" -gt 0
	logged_client=$((logged_client + c))
done
check "no client request is logged as HAProxy's own address" \
    sh -c "! cat $tmp/access.* | grep -q '^127\\.0\\.0\\.1 - - .*GET /a.txt'"
check "the logs together hold every request ($logged_client, $REQUESTS sent)" \
    test "$logged_client" -ge "$REQUESTS"
check "HAProxy's health checks are served (PROXY v2 LOCAL, logged as 127.0.0.1)" \
    grep -q '^127\.0\.0\.1 - - .*"GET / HTTP/1.0" 200 ' "$tmp/access.3"

# --- metrics: the sum check ---
# Every request a server answers is counted and logged by the same call
# (log_request() in conn.c), so a server's forkhttpd_requests_total and
# its access log agree exactly.  A server's counters live as long as the
# server: those of instance 1 before its restart and of instance 2 before
# its upgrade are gone, but their logs are not (access.N.old, one file a
# server, as the restart and the upgrade above arrange).  So, exactly:
#
#   sum of GET 2xx that the servers running now count
#   + GET 2xx lines in the retired servers' logs
#   = client requests answered 200 (the loop's and the warm-up's)
#   + HAProxy's health checks answered 2xx (GET / from 127.0.0.1, the
#     address a PROXY v2 LOCAL header leaves, in every log)
#
# and, one by one, each running server counts what its own log holds.
# HAProxy is stopped first (no more health checks) and the retired
# instance 2 has exited (its log is complete); a request still finishing
# is counted and logged within moments, so each equality is waited for
# (2 s at most) before it is judged.  No tolerance: a request served
# twice (a retry of one already answered) or a count lost breaks it.
wait "$pid2" 2>/dev/null
kill "$haproxy_pid" 2>/dev/null
wait "$haproxy_pid" 2>/dev/null
haproxy_pid=
# get_2xx PORT: the GET 2xx count of the server whose status port it is
get_2xx() {
	curl -s "http://127.0.0.1:$1/metrics" |
	    sed -n 's/^forkhttpd_requests_total{code="2xx",method="GET"} \([0-9]*\)$/\1/p'
}
# lines_2xx: the GET 2xx lines of the log on stdin
lines_2xx() {
	grep -c '"GET [^"]*" 2[0-9][0-9] '
}
counted=0
for k in 1 2 3; do
	eval "sp=\$sport$k"
	i=0
	while :; do
		m=$(get_2xx "$sp")
		l=$(lines_2xx < "$tmp/access.$k")
		{ [ "$m" = "$l" ] || [ $i -ge 40 ]; } && break
		sleep 0.05
		i=$((i + 1))
	done
	check "instance $k's metrics count the GET 2xx its log holds ($m, $l lines)" \
	    test "$m" = "$l"
	counted=$((counted + ${m:-0}))
done
retired=$(cat "$tmp/access.1.old" "$tmp/access.2.old" | lines_2xx)
checks=$(cat "$tmp"/access.* | grep -c '^127\.0\.0\.1 - - .*"GET / HTTP/1\.0" 2[0-9][0-9] ')
want=$((good + warm + checks))
check "metrics sum to the client's 200s plus the health checks ($counted counted + $retired by retired servers = $good + $warm warm-up + $checks checks)" \
    test $((counted + retired)) = "$want"

finish
