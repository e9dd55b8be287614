#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of the real client behind a proxy, in every model:
# PROXY protocol v1 and v2 from a trusted proxy (127.0.0.1), whole, split
# across writes and timed out; an untrusted peer and a malformed header
# closed unanswered; X-Forwarded-For and Forwarded from trusted peers only;
# the access log writes the client and --log-peer the peer; a trusted
# proxy is not one client for --max-per-address.  TRANSPORT=tls
# (proxy-tls.sh) sends the PROXY header before the TLS handshake.
# shellcheck disable=SC2154,SC2034 # tmp, root, TEST_PREFIX...: e2e-lib.sh
. "${SRCDIR:-$(dirname "$0")/..}/tests/e2e-lib.sh"

printf 'PROXY TCP4 192.0.2.9 127.0.0.1 40000 80\r\n' > "$tmp/v1"
printf 'PROXY TCP6 2001:db8::9 2001:db8::1 40000 443\r\n' > "$tmp/v1-6"
# v2, PROXY over TCP/IPv4: 192.0.2.7:12345 to 10.0.0.1:80, then a TLV
printf '\r\n\r\n\000\r\nQUIT\n\041\021\000\021' > "$tmp/v2"
printf '\300\000\002\007\012\000\000\001\060\071\000\120' >> "$tmp/v2"
printf '\340\000\002ok' >> "$tmp/v2"
# v2 LOCAL (a balancer's health check): the peer stays
printf '\r\n\r\n\000\r\nQUIT\n\040\000\000\000' > "$tmp/v2-local"
printf 'PROXY TCP4 192.0.2.9 127.0.0.1 40000 80\r\r\n' > "$tmp/bad"
printf 'PROXY TCP4 192.0.2' > "$tmp/partial"

request='GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n'

# logged TEXT: the access log has a line with TEXT (3 s at most: a forked
# child writes its lines as it leaves)
logged() {
	i=0
	while ! grep -F -q -- "$1" "$tmp/access.log" && [ $i -lt 60 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	grep -F -q -- "$1" "$tmp/access.log"
}

# served_as TEXT: the answer in $tmp/r is 200 and the log has TEXT
served_as() {
	test "$(status_of < "$tmp/r")" = 200 && logged "$1"
}

# proxied FILE [RAWHTTP OPTIONS]: the request after the header in FILE
proxied() {
	f=$1
	shift
	# shellcheck disable=SC2059 # the request is a format of escapes
	printf "$request" | req -P "$f" "$@"
}

suite() {
start --proxy-protocol --trusted-proxy 127.0.0.1 --log-peer
proxied "$tmp/v1" > "$tmp/r"
check "a v1 header from a trusted proxy: served" \
    test "$(status_of < "$tmp/r")" = 200
check "the log writes the client the v1 header names" \
    logged '192.0.2.9 - - ['
check "... and --log-peer the proxy" logged '200 11 "127.0.0.1"'
proxied "$tmp/v1-6" > "$tmp/r"
check "a v1 TCP6 header: the IPv6 client is logged" \
    served_as '2001:db8::9 - - ['
proxied "$tmp/v2" > "$tmp/r"
check "a v2 header with a TLV: served, the client logged" \
    served_as '192.0.2.7 - - ['
proxied "$tmp/v2-local" > "$tmp/r"
check "a v2 LOCAL header: served as the proxy itself" \
    test "$(status_of < "$tmp/r")" = 200
check "... and logged as the proxy" \
    logged '127.0.0.1 - - ['
# split: a byte every 5 ms, the PROXY header and then the request
proxied "$tmp/v2" -w 5 > "$tmp/r"
check "a v2 header a byte at a time: served" \
    test "$(status_of < "$tmp/r")" = 200
proxied "$tmp/v1" -w 5 > "$tmp/r"
check "a v1 header a byte at a time: served" \
    test "$(status_of < "$tmp/r")" = 200
# a trusted proxy without a valid header: closed unanswered, logged 400
# shellcheck disable=SC2059 # the request is a format of escapes
printf "$request" | req > "$tmp/r" 2> /dev/null
check "no header from a trusted proxy: closed without an answer" \
    test ! -s "$tmp/r"
# what it sent: the request, or a ClientHello (a handshake record, 0x16)
if [ "$TRANSPORT" = tls ]; then
	sent='"\x16\x03'
else
	sent='"GET /a.txt HTTP/1.1" 400 -'
fi
check "... and logged as 400 with what it sent" logged "$sent"
proxied "$tmp/bad" > "$tmp/r" 2> /dev/null
check "a malformed v1 header: closed without an answer" test ! -s "$tmp/r"
# X-Forwarded-For from the trusted client the PROXY header names? No:
# 192.0.2.9 is not trusted, so its X-Forwarded-For is not used
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 203.0.113.99\r\nConnection: close\r\n\r\n' |
    req -P "$tmp/v1" > "$tmp/r"
check "an untrusted client's X-Forwarded-For is not used" \
    sh -c "test '$(status_of < "$tmp/r")' = 200 && ! grep -q '^203.0.113.99 ' '$tmp/access.log'"
stop

# the header shares the header timeout: a partial one is closed in time
# (on the TLS port too: no handshake follows it)
start --proxy-protocol --trusted-proxy 127.0.0.1 --header-timeout 1
t0=$(date +%s)
: | "$RAWHTTP" -P "$tmp/partial" -t 4000 "$port" > "$tmp/r"
rc=$?
t1=$(date +%s)
check "a partial header is closed at the header timeout" \
    sh -c "test $rc = 0 && test $((t1 - t0)) -le 3 && test ! -s '$tmp/r'"
check "... and logged as 408" logged '"PROXY TCP4 192.0.2" 408 -'
stop

# an untrusted peer is closed unread, whatever it sends
start --proxy-protocol --trusted-proxy 10.0.0.0/8
proxied "$tmp/v1" > "$tmp/r" 2> /dev/null
check "an untrusted peer is closed without an answer" test ! -s "$tmp/r"
check "... and logged as 400 from its own address" \
    logged '127.0.0.1 - - ['
check "... its header never read" sh -c "! grep -q '^192.0.2.9 ' '$tmp/access.log'"
stop

# --max-per-address counts the client a PROXY header names, not the
# proxy: two clients through one proxy are served at once, and one client
# three times at once is served once (a forked child counts on the board:
# two that arrive together may both be refused, never both served)
start --proxy-protocol --trusted-proxy 127.0.0.1 --max-per-address 1 -T 2
keepalive='GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n'
# shellcheck disable=SC2059 # a format of escapes
printf "$keepalive" | req -P "$tmp/v1" -n 1 > "$tmp/r1" &
other=$!
# shellcheck disable=SC2059
printf "$keepalive" | req -P "$tmp/v2" -n 1 > "$tmp/r2"
wait "$other"
check "--max-per-address 1: two clients through one proxy, both served" \
    sh -c "grep -q '^HTTP/1.1 200' '$tmp/r1' && grep -q '^HTTP/1.1 200' '$tmp/r2'"
# shellcheck disable=SC2059
printf "$keepalive" | req -P "$tmp/v1" -n 3 > "$tmp/r"
served=$(grep -c '^HTTP/1.1 200' "$tmp/r")
if [ "$TRANSPORT" = tls ]; then
	refused=$(grep -c '^none' "$tmp/r")
else
	refused=$(grep -c '^HTTP/1.1 503' "$tmp/r")
fi
# each event worker counts its own clients (-c too)
at_least=1
at_most=1
case $MODEL in
fork) at_least=0 ;;
event:*) at_most=${MODEL#*:} ;;
esac
if [ "$MODEL" = single ]; then
	skip "--max-per-address 1: one client three times through a proxy, served once" \
	    "the single model serves one client at a time"
else
	check "--max-per-address 1: one client three times through a proxy, served once" \
	    sh -c "test $served -le $at_most && test $served -ge $at_least && test $((served + refused)) = 3"
	check "... the refusals logged as 503 for that client" \
	    grep -q '^192\.0\.2\.9 - - .*"" 503 ' "$tmp/access.log"
fi
stop

# X-Forwarded-For and Forwarded, over HTTP, from trusted peers only
start --trusted-proxy 127.0.0.1 --trusted-proxy 10.0.0.0/8
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 198.51.100.1, 203.0.113.5, 10.1.1.1\r\nConnection: close\r\n\r\n' |
    req > "$tmp/r"
check "X-Forwarded-For from a trusted peer: the rightmost untrusted address" \
    served_as '203.0.113.5 - - ['
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nForwarded: for="[2001:db8::5]:8080";proto=https\r\nConnection: close\r\n\r\n' |
    req > "$tmp/r"
check "Forwarded for= from a trusted peer" served_as '2001:db8::5 - - ['
if [ "$TRANSPORT" = plain ]; then
	printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 203.0.113.77\r\nConnection: close\r\n\r\n' |
	    "$RAWHTTP" -t "$WAIT_MS" -b 127.0.0.2 "$port" > "$tmp/r"
	check "X-Forwarded-For from an untrusted peer is not used" \
	    served_as '127.0.0.2 - - ['
fi
stop
}

every_model suite
finish
