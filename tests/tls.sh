#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of HTTPS, in every model: curl verifying against the
# test CA (GET, HEAD, ranges, 304, keep-alive), certificates chosen by SNI,
# the versions, ciphers and ALPN offered and refused (openssl s_client),
# resumption across children, plain HTTP on the TLS port, --redirect-https
# and its ACME exception, --hsts, handshakes under the header timeout,
# start-up errors, and SIGHUP reloads, good and broken, while a download is
# in flight.  Afterwards no zombies and no leaked descriptors.
# The other suites run over TLS too (e2e-tls.sh and the like); this one
# has what only TLS has.
# shellcheck disable=SC2154,SC2034 # tmp, root, certs...: e2e-lib.sh

if [ "${TLS_BUILT:-yes}" = no ]; then
	# Without OpenSSL the options are known, and refused.
	. "${SRCDIR:-$(dirname "$0")/..}/tests/e2e-lib.sh"
	"$FORKHTTPD" -D -a 127.0.0.1 -p 0 -d "$root" --tls-port 0 \
	    > "$tmp/out" 2> "$tmp/errout"
	rc=$?
	check "without TLS built, --tls-port is a usage error (status 2)" \
	    sh -c "test $rc = 2 && grep -q 'TLS is not built' '$tmp/errout'"
	finish
	exit
fi
TRANSPORT=tls
. "${SRCDIR:-$(dirname "$0")/..}/tests/e2e-lib.sh"

for tool in curl openssl sha256sum; do
	if ! command -v "$tool" > /dev/null 2>&1; then
		echo "1..0 # SKIP $tool is not installed"
		exit 0
	fi
done

now_ms() {
	date +%s%3N
}

ca=$certs/ca.pem

# timed FILE RAWHTTP-ARGS... < INPUT: rawhttp without TLS; its status
# and how many milliseconds it took into FILE.
timed() {
	out=$1
	shift
	t0=$(now_ms)
	"$RAWHTTP" "$@" > /dev/null 2>&1
	rc=$?
	t1=$(now_ms)
	echo "$rc $((t1 - t0))" > "$out"
}

# closed_within MS FILE: the server closed the connection timed in FILE
# within MS milliseconds (times TIME_SCALE).
closed_within() {
	read -r rc ms < "$2" &&
	    [ "$rc" = 0 ] && [ "$ms" -lt $(($1 * ${TIME_SCALE:-1})) ]
}
# A file that takes four seconds to fetch at --limit-rate 4M, more than
# the socket buffers take, so that it is still being sent during a reload.
head -c 16777216 /dev/urandom > "$root/slow.bin"
mkdir -p "$root/.well-known/acme-challenge"
printf 'acme token\n' > "$root/.well-known/acme-challenge/tok-EN_1"

# fetch PATH [CURL OPTIONS]: curl to https://localhost:PORT/PATH, checking
# the certificate against the test CA; the head in $tmp/h, the body in
# $tmp/b.  NAME (default localhost) is the host name curl asks for.
fetch() {
	target=$1
	shift
	rm -f "$tmp/h" "$tmp/b"
	curl -sS --max-time 10 --cacert "$ca" \
	    --resolve "${NAME:-localhost}:$port:127.0.0.1" \
	    -D "$tmp/h" -o "$tmp/b" "$@" \
	    "https://${NAME:-localhost}:$port$target" 2> "$tmp/curl.err"
}

code() {
	sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' "$tmp/h"
}

# hello [S_CLIENT OPTIONS]: one handshake with openssl s_client, which
# then ends the connection; its report in $tmp/hs.  Succeeds when a
# session was set up.
hello() {
	openssl s_client -connect "127.0.0.1:${HELLO_PORT:-$port}" "$@" \
	    < /dev/null > "$tmp/hs" 2>&1 &&
	    grep -q '^New, TLSv1\.[23], Cipher is ' "$tmp/hs"
}

# refused [S_CLIENT OPTIONS]: the server refused that handshake; and the
# client did offer it (OpenSSL says "no protocols" or "no ciphers
# available" when the client's own settings forbid what was asked).
refused() {
	! hello "$@" && grep -q 'Cipher is (NONE)' "$tmp/hs" &&
	    ! grep -q -e 'no protocols available' -e 'no ciphers available' \
	    "$tmp/hs"
}

# subject_is CN: the certificate of the last hello is CN's.
subject_is() {
	openssl x509 -noout -subject < "$tmp/hs" 2> /dev/null |
	    grep -q "CN = $1\$"
}

# serial_now: the serial number a new connection is shown.
serial_now() {
	hello -servername localhost || return 1
	openssl x509 -noout -serial < "$tmp/hs" | sed 's/^serial=//'
}

# wait_serial SERIAL: until a new connection is shown SERIAL (5 s at most).
wait_serial() {
	i=0
	while [ "$(serial_now)" != "$1" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(serial_now)" = "$1" ]
}

# refusals: how many reloads the server has refused so far.
refusals() {
	grep -c 'keeping the previous certificate' "$tmp/server.err"
}

# hup_refused: SIGHUP the server, and wait (5 s at most) for it to refuse
# the reload once more.
hup_refused() {
	refused_before=$(refusals)
	kill -HUP "$pid"
	i=0
	while [ "$(refusals)" = "$refused_before" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(refusals)" -gt "$refused_before" ]
}

# The probes above must be able to offer what the server is to refuse:
# OpenSSL's system settings on Debian forbid TLS 1.0 and 1.1 to clients
# below security level 0.
old_tls="-cipher DEFAULT:@SECLEVEL=0"

suite() {
# --- the main listener: three pairs, HSTS, a short header timeout ---
start -T 5 --header-timeout 2 --hsts 31536000 -c 8 --max-per-address 0 \
    --tls-cert "$certs/rsa.pem" --tls-key "$certs/rsa.key" \
    --tls-cert "$certs/other.pem" --tls-key "$certs/other.key"
baseline_fds=$(fd_count)
etag=$(etag_of "$root/a.txt")

# curl, which checks the certificate and its name against the test CA
fetch /a.txt
check "curl GET over HTTPS, verified against the CA, is 200" \
    sh -c "test '$(code)' = 200 && test \"\$(cat '$tmp/b')\" = 'plain text'"
fetch /a.txt -I
check "curl HEAD gives the length" \
    sh -c "test '$(code)' = 200 && grep -q '^Content-Length: 11' '$tmp/h'"
# curl reads no body after a HEAD: rawhttp shows one would be there
printf 'HEAD /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' | req \
    > "$tmp/r"
check "and no body follows a HEAD" \
    sh -c "test '$(status_of < "$tmp/r")' = 200 && test \"\$(sed '1,/^\r\$/d' '$tmp/r' | wc -c)\" = 0"
fetch /a.txt -r 0-4
check "a Range is 206 over HTTPS" \
    sh -c "test '$(code)' = 206 && test \"\$(cat '$tmp/b')\" = plain"
fetch /a.txt -r 0-1,3-4
b=$(sed -n 's/^Content-Type: multipart\/byteranges; boundary=\([0-9a-z-]*\)\r$/\1/p' "$tmp/h")
printf '\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/11\r\n\r\npl\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 3-4/11\r\n\r\nin\r\n--%s--\r\n' \
    "$b" "$b" "$b" > "$tmp/want"
check "several ranges are one multipart/byteranges over HTTPS" \
    sh -c "test '$(code)' = 206 && test -n '$b' && cmp -s '$tmp/b' '$tmp/want'"
fetch /a.txt -H "If-None-Match: $etag"
check "If-None-Match with the ETag is 304 over HTTPS" \
    sh -c "test '$(code)' = 304 && test ! -s '$tmp/b'"
fetch /big.bin
check "a 1 MiB file arrives intact over HTTPS" cmp -s "$tmp/b" "$root/big.bin"
fetch /big.bin -r 1048000-
tail -c 576 "$root/big.bin" > "$tmp/want"
check "a range of a large file arrives intact over HTTPS" \
    cmp -s "$tmp/b" "$tmp/want"
curl -sS --max-time 10 --cacert "$ca" \
    --resolve "localhost:$port:127.0.0.1" -o /dev/null -o /dev/null \
    -o /dev/null -w '%{http_code} %{num_connects}\n' \
    "https://localhost:$port/a.txt" "https://localhost:$port/index.html" \
    "https://localhost:$port/sub/" > "$tmp/ka" 2> "$tmp/curl.err"
check "three requests on one kept-alive TLS connection" \
    test "$(tr '\n' ,  < "$tmp/ka")" = "200 1,200 0,200 0,"

# --hsts, over TLS only
fetch /a.txt
check "--hsts sends Strict-Transport-Security over HTTPS" \
    grep -q '^Strict-Transport-Security: max-age=31536000.$' "$tmp/h"
fetch /nothing-here
check "and on an error over HTTPS" \
    sh -c "test '$(code)' = 404 && grep -q '^Strict-Transport-Security: ' '$tmp/h'"
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    "$RAWHTTP" -t "$WAIT_MS" "$plain_port" > "$tmp/r"
check "but never over plain HTTP" \
    sh -c "test '$(status_of < "$tmp/r")' = 200 && ! grep -qi '^Strict-Transport-Security' '$tmp/r'"

# --- certificates by SNI ---
hello -servername other.test
check "SNI other.test gets other.test's certificate" subject_is other.test
NAME=other.test fetch /a.txt
check "which curl verifies for other.test" test "$(code)" = 200
hello -servername OTHER.test
check "SNI compares names without regard to case" subject_is other.test
hello -servername x.wild.test
check "SNI x.wild.test gets the *.wild.test certificate" subject_is other.test
NAME=x.wild.test fetch /a.txt
check "which curl verifies for x.wild.test" test "$(code)" = 200
hello -servername a.b.wild.test
check "a wildcard stands for one label: a.b.wild.test gets the default" \
    subject_is localhost
hello -servername unknown.test
check "an unknown name gets the first pair, the default" subject_is localhost
hello -noservername
check "no SNI gets the default" subject_is localhost
hello -servername rsa.test
check "SNI rsa.test gets the RSA certificate" \
    sh -c "grep -q 'CN = rsa.test' '$tmp/hs' && grep -q 'Server public key is 2048 bit' '$tmp/hs'"
NAME=rsa.test fetch /a.txt
check "which curl verifies for rsa.test" test "$(code)" = 200
hello -servername localhost
check "the default is the ECDSA P-256 certificate" \
    sh -c "grep -q 'CN = localhost' '$tmp/hs' && grep -q 'Server public key is 256 bit' '$tmp/hs'"

# --- versions, ciphers, ALPN ---
# shellcheck disable=SC2086 # old_tls: two words
refused -servername localhost -tls1_1 $old_tls
check "TLS 1.1 is refused" test $? = 0
# shellcheck disable=SC2086
refused -servername localhost -tls1 $old_tls
check "TLS 1.0 is refused" test $? = 0
hello -servername localhost -tls1_2
check "TLS 1.2 is accepted" grep -q '^New, TLSv1.2, Cipher is ECDHE-' "$tmp/hs"
hello -servername localhost -tls1_3
check "TLS 1.3 is accepted" grep -q '^New, TLSv1.3, ' "$tmp/hs"
refused -servername localhost -tls1_2 \
    -cipher 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:@SECLEVEL=0'
check "TLS 1.2 offering only CBC suites is refused (ECDSA)" test $? = 0
refused -servername rsa.test -tls1_2 \
    -cipher 'ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA256:@SECLEVEL=0'
check "TLS 1.2 offering only CBC suites is refused (RSA)" test $? = 0
refused -servername rsa.test -tls1_2 \
    -cipher 'AES128-GCM-SHA256:AES256-GCM-SHA384:@SECLEVEL=0'
check "TLS 1.2 without forward secrecy (RSA key exchange) is refused" \
    test $? = 0
refused -servername rsa.test -tls1_2 \
    -cipher 'DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:@SECLEVEL=0'
check "TLS 1.2 with finite-field DHE only is refused" test $? = 0
hello -servername rsa.test -tls1_2 -cipher 'ECDHE-RSA-AES128-GCM-SHA256'
check "TLS 1.2 ECDHE-RSA with AES-GCM is accepted" \
    grep -q '^New, TLSv1.2, Cipher is ECDHE-RSA-AES128-GCM-SHA256' "$tmp/hs"
hello -servername localhost -tls1_2 -cipher 'ECDHE-ECDSA-CHACHA20-POLY1305'
check "TLS 1.2 ECDHE-ECDSA with ChaCha20-Poly1305 is accepted" \
    grep -q '^New, TLSv1.2, Cipher is ECDHE-ECDSA-CHACHA20-POLY1305' "$tmp/hs"
hello -servername localhost -tls1_2
check "TLS 1.2: no compression" grep -q '^Compression: NONE' "$tmp/hs"
hello -servername localhost -alpn http/1.1
check "ALPN http/1.1 is selected" grep -q '^ALPN protocol: http/1.1' "$tmp/hs"
hello -servername localhost -alpn h2,http/1.1
check "ALPN h2,http/1.1 selects http/1.1" \
    grep -q '^ALPN protocol: http/1.1' "$tmp/hs"
hello -servername localhost -alpn h2
check "a client offering only h2 is refused with no_application_protocol" \
    grep -q 'no application protocol' "$tmp/hs"

# --- resumption on another connection, so another child or thread ---
for v in 1_3 1_2; do
	rm -f "$tmp/sess"
	printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
	    openssl s_client -connect "127.0.0.1:$port" -servername localhost \
	    "-tls$v" -ign_eof -sess_out "$tmp/sess" > "$tmp/hs1" 2>&1
	i=0
	while [ $i -lt 4 ]; do
		openssl s_client -connect "127.0.0.1:$port" \
		    -servername localhost "-tls$v" -sess_in "$tmp/sess" \
		    < /dev/null > "$tmp/hs$i" 2>&1
		i=$((i + 1))
	done
	check "TLS ${v%_*}.${v#*_}: a session is resumed on four new connections" \
	    test "$(cat "$tmp"/hs[0-3] | grep -c "^Reused, TLSv1\.${v#*_}")" = 4
done

# --- the TLS port spoken to in plain HTTP, the plain port in TLS ---
printf 'GET / HTTP/1.1\r\nHost: t\r\n\r\n' |
    "$RAWHTTP" -t "$WAIT_MS" "$port" > "$tmp/r"
rc=$?
check "plain HTTP on the TLS port is 400 with an HTML page, and closed" \
    sh -c "test $rc = 0 && test '$(status_of < "$tmp/r")' = 400 && grep -q '^Content-Type: text/html' '$tmp/r' && grep -q -i '<html' '$tmp/r'"
t0=$(now_ms)
printf '\026\003\001\002\000\001\000\001\374\003\003' |
    "$RAWHTTP" -t 5000 "$plain_port" > "$tmp/r"
t1=$(now_ms)
check "a TLS ClientHello on the plain port is closed at once, unanswered" \
    test ! -s "$tmp/r" -a $((t1 - t0)) -lt $((1000 * ${TIME_SCALE:-1}))
HELLO_PORT=$plain_port refused -servername localhost
check "openssl s_client on the plain port fails, without a session" \
    test $? = 0

# --- handshakes are under the header timeout (2 s here) ---
# Each takes 2 s: the three at once, but for the model that serves one
# client at a time.
printf '\026\003\001\002\000\001\000\001\374\003\003' > "$tmp/hello-part"
if [ "$MODEL" = single ]; then
	timed "$tmp/t.silent" -t 10000 "$port" < /dev/null
	timed "$tmp/t.half" -t 10000 "$port" < "$tmp/hello-part"
	timed "$tmp/t.trickle" -w 400 -t 10000 "$port" < "$tmp/hello-part"
else
	timed "$tmp/t.silent" -t 10000 "$port" < /dev/null &
	t1=$!
	timed "$tmp/t.half" -t 10000 "$port" < "$tmp/hello-part" &
	t2=$!
	timed "$tmp/t.trickle" -w 400 -t 10000 "$port" < "$tmp/hello-part" &
	t3=$!
	wait "$t1" "$t2" "$t3"
fi
check "a connection to the TLS port that sends nothing is closed in time" \
    closed_within 4500 "$tmp/t.silent"
check "half a ClientHello is closed within the header timeout" \
    closed_within 3500 "$tmp/t.half"
check "a ClientHello trickled a byte every 400 ms is cut off" \
    closed_within 3500 "$tmp/t.trickle"
# sockets that never begin a handshake do not keep others out (-c 8)
if [ "$MODEL" = single ]; then
	# as security.sh, which leaves this model out of the same check
	skip "16 silent sockets on the TLS port do not deny a real client" \
	    "the single model serves one client at a time by design"
else
	printf '' | "$RAWHTTP" -n 16 -t 6000 "$port" > /dev/null &
	holder=$!
	sleep 0.5
	t0=$(now_ms)
	fetch /a.txt
	t1=$(now_ms)
	check "16 silent sockets on the TLS port do not deny a real client" \
	    test "$(code)" = 200 -a \
	    $((t1 - t0)) -lt $((1500 * ${TIME_SCALE:-1}))
	wait "$holder"
fi

wait_children
wait_fds "$baseline_fds"
check "no zombies after the TLS checks" test "$(zombies)" = 0
check "no children left after the TLS checks, but workers" \
    test "$(children)" = "$(expected_children)"
check "the parent's descriptor count is back at the baseline" \
    test "$(fd_count)" = "$baseline_fds"
stop

# --- --redirect-https, and the ACME challenges it leaves alone ---
start --redirect-https --hsts 600
printf 'GET /sub/x.txt?a=1&b=%%2F HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' |
    "$RAWHTTP" -t "$WAIT_MS" "$plain_port" > "$tmp/r"
check "--redirect-https answers plain HTTP with 301" \
    test "$(status_of < "$tmp/r")" = 301
check "to https://HOST:TLSPORT/ with the same path and query" \
    grep -q "^Location: https://localhost:$port/sub/x.txt?a=1&b=%2F.\$" \
    "$tmp/r"
check "without Strict-Transport-Security over plain HTTP" \
    sh -c "! grep -qi '^Strict-Transport-Security' '$tmp/r'"
printf 'HEAD / HTTP/1.1\r\nHost: localhost:%s\r\nConnection: close\r\n\r\n' \
    "$plain_port" | "$RAWHTTP" -t "$WAIT_MS" "$plain_port" > "$tmp/r"
check "the plain port in Host becomes the TLS port" \
    sh -c "test '$(status_of < "$tmp/r")' = 301 && grep -q '^Location: https://localhost:$port/.\$' '$tmp/r'"
printf 'GET /.well-known/acme-challenge/tok-EN_1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' |
    "$RAWHTTP" -t "$WAIT_MS" "$plain_port" > "$tmp/r"
check "an ACME challenge is served over plain HTTP, not redirected" \
    sh -c "test '$(status_of < "$tmp/r")' = 200 && grep -q 'acme token' '$tmp/r'"
printf 'GET /.well-known/acme-challenge/nothing HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' |
    "$RAWHTTP" -t "$WAIT_MS" "$plain_port" > "$tmp/r"
check "a missing ACME challenge is 404, not a redirect" \
    test "$(status_of < "$tmp/r")" = 404
printf 'GET /.well-known/acme-challenge/../../../secret.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' |
    "$RAWHTTP" -t "$WAIT_MS" "$plain_port" > "$tmp/r"
check "the ACME exception leads nowhere else" \
    sh -c "! grep -q 'TOP SECRET' '$tmp/r' && test '$(status_of < "$tmp/r")' != 200"
printf 'GET /.well-known/other HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' |
    "$RAWHTTP" -t "$WAIT_MS" "$plain_port" > "$tmp/r"
check "the rest of /.well-known/ is redirected" \
    test "$(status_of < "$tmp/r")" = 301
fetch /a.txt
check "HTTPS itself is served, with HSTS" \
    sh -c "test '$(code)' = 200 && grep -q '^Strict-Transport-Security: max-age=600.$' '$tmp/h'"
stop

# --- SIGHUP: a renewed certificate, then a broken one ---
live=$tmp/live
rm -rf "$live"
mkdir -m 700 "$live"
cp -p "$certs/localhost.pem" "$live/cert.pem"
cp -p "$certs/localhost.key" "$live/key.pem"
TLS_CERT=$live/cert.pem TLS_KEY=$live/key.pem start
baseline_fds=$(fd_count)
check "before the reload a new connection gets serial 1001" \
    test "$(serial_now)" = 1001
curl -sS --max-time 30 --limit-rate 4M --cacert "$ca" \
    --resolve "localhost:$port:127.0.0.1" -o "$tmp/slow" \
    "https://localhost:$port/slow.bin" 2> "$tmp/curl.err" &
download=$!
sleep 1
cp "$certs/renewed.pem" "$live/cert.pem"
cp "$certs/renewed.key" "$live/key.pem"
# the server logs a request once its answer is sent
if kill -0 "$download" 2>/dev/null &&
    ! grep -q 'GET /slow.bin' "$tmp/access.log"; then
	in_flight=yes
else
	in_flight=no
fi
kill -HUP "$pid"
check "after SIGHUP a new connection gets the renewed certificate" \
    wait_serial 1002
i=0
while [ $i -lt 4 ]; do
	serial_now
	i=$((i + 1))
done > "$tmp/serials"
check "and so do the next four (every worker reloaded)" \
    test "$(grep -c '^1002$' "$tmp/serials")" = 4
wait "$download"
rc=$?
check "a download being sent at the reload completes intact" \
    sh -c "test $in_flight = yes && test $rc = 0 && test \"\$(sha256sum < '$tmp/slow')\" = \"\$(sha256sum < '$root/slow.bin')\""
# The broken pairs: each SIGHUP is refused with one more line, and new
# connections keep getting the certificate they got before it.
cp "$certs/mismatched.pem" "$live/cert.pem"
cp "$certs/mismatched.key" "$live/key.pem"
before=$(serial_now)
hup_refused
rc=$?
check "a mismatched pair at SIGHUP is refused: keeping the previous certificate" \
    sh -c "test $rc = 0 && kill -0 $pid && test '$(serial_now)' = '$before'"
fetch /a.txt
check "and the server goes on serving HTTPS" test "$(code)" = 200
cp "$certs/expired.pem" "$live/cert.pem"
cp "$certs/expired.key" "$live/key.pem"
hup_refused
rc=$?
check "an expired certificate at SIGHUP is refused too" \
    sh -c "test $rc = 0 && test '$(serial_now)' = '$before'"
rm "$live/key.pem"
hup_refused
rc=$?
check "so is a missing key file" \
    sh -c "test $rc = 0 && test '$(serial_now)' = '$before'"
wait_children
wait_fds "$baseline_fds"
check "no descriptors leak across reloads" \
    test "$(fd_count)" = "$baseline_fds"
check "no zombies after the reloads" test "$(zombies)" = 0
stop
}

every_model suite

# --- start-up errors: one line naming the cause, status 1 ---
# startup_fails NAME TEXT ARGS...: the server given ARGS exits 1 before
# serving, and its message holds TEXT.
startup_fails() {
	name=$1
	text=$2
	shift 2
	"$FORKHTTPD" -D -a 127.0.0.1 -p 0 -d "$root" --tls-port 0 "$@" \
	    > "$tmp/out" 2> "$tmp/errout" &
	spid=$!
	i=0
	while kill -0 "$spid" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$spid" 2>/dev/null; then
		kill "$spid"
		wait "$spid"
		not_ok "$name" "the server started: $(cat "$tmp/errout")"
		return
	fi
	wait "$spid"
	rc=$?
	if [ "$rc" = 1 ] && grep -q -F -- "$text" "$tmp/errout" &&
	    ! grep -q 'listening on' "$tmp/errout"; then
		ok "$name"
	else
		not_ok "$name" "status $rc: $(cat "$tmp/errout")"
	fi
}
startup_fails "--tls-port without a certificate fails to start" \
    "--tls-cert"
startup_fails "a missing certificate file fails to start, naming it" \
    "$tmp/nowhere.pem" \
    --tls-cert "$tmp/nowhere.pem" --tls-key "$certs/localhost.key"
startup_fails "a missing key file fails to start, naming it" \
    "$tmp/nowhere.key" \
    --tls-cert "$certs/localhost.pem" --tls-key "$tmp/nowhere.key"
startup_fails "a certificate with another's key fails to start" \
    "$certs/mismatched" \
    --tls-cert "$certs/mismatched.pem" --tls-key "$certs/mismatched.key"
startup_fails "an expired certificate fails to start, saying so" \
    "expired" \
    --tls-cert "$certs/expired.pem" --tls-key "$certs/expired.key"
startup_fails "a broken second pair fails too" \
    "$certs/mismatched" \
    --tls-cert "$certs/localhost.pem" --tls-key "$certs/localhost.key" \
    --tls-cert "$certs/mismatched.pem" --tls-key "$certs/mismatched.key"
printf 'not a certificate\n' > "$tmp/garbage.pem"
startup_fails "a file that is no PEM fails to start, naming it" \
    "$tmp/garbage.pem" \
    --tls-cert "$tmp/garbage.pem" --tls-key "$certs/localhost.key"
"$FORKHTTPD" -D -a 127.0.0.1 -p 0 -d "$root" --tls-port 0 \
    --tls-cert "$certs/localhost.pem" > "$tmp/out" 2> "$tmp/errout"
rc=$?
check "a certificate without its key is a usage error (status 2)" \
    sh -c "test $rc = 2 && test -s '$tmp/errout'"

finish
