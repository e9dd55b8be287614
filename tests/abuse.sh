#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Hostile clients: slowloris, a burst of 1000 connections, clients that
# leave mid-download or stop reading, oversize and malformed requests,
# traversal.  Afterwards the server must answer normally, with no zombies
# and its parent's descriptor count back at the baseline.
# shellcheck disable=SC2154,SC2034 # tmp, root, TEST_PREFIX...: e2e-lib.sh
. "${SRCDIR:-$(dirname "$0")/..}/tests/e2e-lib.sh"

now_ms() {
	date +%s%3N
}

# served_within MS: a normal request is answered within MS milliseconds,
# times TIME_SCALE for builds that run slower on purpose (sanitizers).
served_within() {
	t0=$(now_ms)
	get /a.txt > "$tmp/r"
	t1=$(now_ms)
	[ "$(status_of < "$tmp/r")" = 200 ] &&
	    [ $((t1 - t0)) -lt $(($1 * ${TIME_SCALE:-1})) ]
}

truncate -s 64M "$root/sparse.bin"

suite() {
start -T 2 --header-timeout 2 --send-timeout 1 -c 256
baseline_fds=$(fd_count)

# --- slowloris: 40 clients trickle a header, one byte every 100 ms ---
slow=
i=0
while [ $i -lt 40 ]; do
	printf 'GET / HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n' |
	    req -w 100 -t 6000 > "$tmp/slow$i" 2>/dev/null &
	slow="$slow $!"
	i=$((i + 1))
done
sleep 0.5
check "a normal client is served within a second during slowloris" \
    served_within 1000
t0=$(now_ms)
for j in $slow; do
	wait "$j"
done
t1=$(now_ms)
check "trickling clients are cut off by the header deadline" \
    test $((t1 - t0)) -lt 5000
check "no trickling client got an answer" \
    test "$(cat "$tmp"/slow* | grep -c '^HTTP/1.1 200')" = 0
rm -f "$tmp"/slow*

# --- a burst of 1000 connections against -c 256 ---
printf 'GET /index.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    req -n 1000 -t 10000 > "$tmp/burst"
if [ "$TRANSPORT" = tls ]; then
	# a refused TLS client is closed: it could not read a plain 503,
	# and a handshake for it would cost what there is no room for
	check "refused TLS clients are closed, never sent plain HTTP" \
	    sh -c "! grep -q '^HTTP/1.1 503' '$tmp/burst' &&
		test \$(grep -c '^HTTP/1.1 200' '$tmp/burst') -le 1000"
	check "the burst is served up to one address's share (64 of -c 256)" \
	    test "$(grep -c '^HTTP/1.1 200' "$tmp/burst")" -ge 64
else
	check "every one of 1000 connections gets an answer" \
	    test "$(grep -c '^HTTP/1.1 \(200\|503\)' "$tmp/burst")" = 1000
	check "the burst is mostly served, not refused" \
	    test "$(grep -c '^HTTP/1.1 200' "$tmp/burst")" -ge 256
fi
check "a normal client is served right after the burst" served_within 1000

# --- clients that leave mid-download or stop reading ---
leavers=
i=0
while [ $i -lt 10 ]; do
	printf 'GET /huge.bin HTTP/1.1\r\nHost: t\r\n\r\n' |
	    req -r 100000 > /dev/null &
	leavers="$leavers $!"
	i=$((i + 1))
done
printf 'GET /sparse.bin HTTP/1.1\r\nHost: t\r\n\r\n' |
    req -p 3000 -t 1000 > "$tmp/stalled"
check "a reader that stalls is cut off by the send timeout" \
    test "$(wc -c < "$tmp/stalled")" -lt 67108864
check "the server still serves after abandoned downloads" served_within 1000

# --- oversize and malformed requests ---
big=$(head -c 9000 /dev/zero | tr '\0' a)
printf 'GET /%s HTTP/1.1\r\nHost: t\r\n\r\n' "$big" | req > "$tmp/r"
check "an over-long request line is 414" test "$(status_of < "$tmp/r")" = 414
printf 'GET / HTTP/1.1\r\nHost: t\r\nX-Big: %s\r\n\r\n' "$big" | req > "$tmp/r"
check "an over-long header line is 431" test "$(status_of < "$tmp/r")" = 431
{
	printf 'GET / HTTP/1.1\r\nHost: t\r\n'
	i=0
	while [ $i -lt 101 ]; do
		printf 'X-%d: y\r\n' $i
		i=$((i + 1))
	done
	printf '\r\n'
} | req > "$tmp/r"
check "101 header lines are 431" test "$(status_of < "$tmp/r")" = 431
{
	printf 'GET / HTTP/1.1\r\nHost: t\r\n'
	i=0
	while [ $i -lt 5 ]; do
		printf 'X-%d: %s\r\n' $i "$(head -c 4000 /dev/zero | tr '\0' b)"
		i=$((i + 1))
	done
	printf '\r\n'
} | req > "$tmp/r"
check "a 20 KB request head is 431" test "$(status_of < "$tmp/r")" = 431
head -c 65536 /dev/urandom | req -t 1000 > "$tmp/r"
check "random bytes get 400 or a close, never a 200" \
    sh -c "! grep -q '^HTTP/1.1 200' '$tmp/r'"
for bad in 'GET / HTTP/1.1\r\nHost: t\r\nX: a\rb\r\n\r\n' \
    'GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n folded\r\n\r\n' \
    'GET / HTTP/1.1\r\nHost : t\r\n\r\n' \
    'GET /%00 HTTP/1.1\r\nHost: t\r\n\r\n' \
    'GET /%zz HTTP/1.1\r\nHost: t\r\n\r\n' \
    'GET /%c0%ae%c0%ae/ HTTP/1.1\r\nHost: t\r\n\r\n' \
    'GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'; do
	printf '%b' "$bad" | req > "$tmp/r"
	s=$(status_of < "$tmp/r")
	check "malformed request is 400: $(printf '%s' "$bad" | cut -c 1-40)" \
	    test "$s" = 400
done
printf 'GET / HTTP/1.1\r\nHost: t\r\nX: \000\r\n\r\n' | req > "$tmp/r"
check "a NUL byte in a header is 400" test "$(status_of < "$tmp/r")" = 400

# --- traversal, in every encoding we know ---
leaks=0
for target in /../secret.txt /%2e%2e/secret.txt /%2e%2e%2fsecret.txt \
    /..%2fsecret.txt /..%2Fsecret.txt /%2E%2E/secret.txt \
    /sub/../../secret.txt /sub/%2e%2e/%2e%2e/secret.txt \
    /%252e%252e/secret.txt /%25%32%65%25%32%65/secret.txt \
    /%c0%ae%c0%ae/secret.txt /%e0%80%ae%e0%80%ae/secret.txt \
    '/..\secret.txt' '/%5c..%5csecret.txt' /.%2e/secret.txt \
    'http://t/../secret.txt' 'http://t/%2e%2e/secret.txt' \
    /./.././secret.txt '/sub/./../.././secret.txt'; do
	printf 'GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' \
	    "$target" | req > "$tmp/r"
	if has "$tmp/r" "TOP SECRET"; then
		leaks=$((leaks + 1))
		echo "# $target leaked"
	fi
done
check "no traversal form leaks the secret" test "$leaks" = 0

# --- and afterwards ---
for j in $leavers; do
	wait "$j"
done
wait_children
check "the server answers normally afterwards" served_within 1000
wait_children
wait_fds "$baseline_fds"
check "no zombies after the abuse" test "$(zombies)" = 0
check "no children left after the abuse, but workers" \
    test "$(children)" = "$(expected_children)"
check "the parent's descriptors are back at the baseline" \
    test "$(fd_count)" = "$baseline_fds"
stop

}

every_model suite 'fork thread event event:2'
# --- the cap and the child deadline (children: the fork model only) ---
MODEL=fork
start -T 30 -c 2 --child-deadline 1 --max-per-address 0
# busy, not idle: each trickles a request, so none can make room
slow_head='GET / HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa\r\n\r\n'
printf '%b' "$slow_head" | req -w 200 -t 4000 > /dev/null &
hold1=$!
printf '%b' "$slow_head" | req -w 200 -t 4000 > /dev/null &
hold2=$!
sleep 0.3
get /a.txt > "$tmp/r"
if [ "$TRANSPORT" = tls ]; then
	check "past --max-clients, every client busy, a TLS client is closed unanswered" \
	    test ! -s "$tmp/r"
else
	check "past --max-clients, every client busy, the parent answers 503" \
	    sh -c "head -n 1 '$tmp/r' | grep -q ' 503 ' && grep -q '^Retry-After: ' '$tmp/r'"
fi
t0=$(now_ms)
wait "$hold1"
rc1=$?
wait "$hold2"
t1=$(now_ms)
check "children past --child-deadline are killed" \
    sh -c "test $rc1 = 0 && test $((t1 - t0)) -lt 3000"
wait_children
check "once they are gone the server serves again" served_within 1000
stop

finish
