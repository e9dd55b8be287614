#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of the foundation: exact bytes, statuses, confinement,
# keep-alive and pipelining, 50 concurrent clients, no zombies or leaked
# descriptors afterwards, and the command line.
# shellcheck disable=SC2154,SC2034 # tmp, root, TEST_PREFIX...: e2e-lib.sh
. "${SRCDIR:-$(dirname "$0")/..}/tests/e2e-lib.sh"

suite() {
start -T 2
baseline_fds=$(fd_count)

# --- exact bytes of GET and HEAD ---
mtime=$(date -u -r "$root/index.html" '+%a, %d %b %Y %H:%M:%S GMT')
len=$(wc -c < "$root/index.html" | tr -d ' ')
version=$("$FORKHTTPD" --version | sed -n '1s/^forkhttpd //p')
printf 'GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' | req \
    > "$tmp/get"
sed 's/^Date: .*\r$/Date: X\r/' "$tmp/get" > "$tmp/get.norm"
{
	printf 'HTTP/1.1 200 OK\r\n'
	printf 'Server: forkhttpd/%s\r\n' "$version"
	printf 'Date: X\r\n'
	printf 'Content-Type: text/html; charset=utf-8\r\n'
	printf 'Content-Length: %s\r\n' "$len"
	printf 'Last-Modified: %s\r\n' "$mtime"
	printf 'ETag: %s\r\n' "$(etag_of "$root/index.html")"
	printf 'Accept-Ranges: bytes\r\n'
	printf 'Connection: close\r\n\r\n'
	cat "$root/index.html"
} > "$tmp/want"
if cmp -s "$tmp/get.norm" "$tmp/want"; then
	ok "GET / answers exactly the expected bytes"
else
	not_ok "GET / answers exactly the expected bytes" \
	    "$(od -c "$tmp/get.norm" | head -20)"
fi
check "the Date header is an IMF-fixdate" grep -q \
    '^Date: [A-Z][a-z][a-z], [0-9][0-9] [A-Z][a-z][a-z] [0-9]\{4\} [0-9][0-9]:[0-9][0-9]:[0-9][0-9] GMT' \
    "$tmp/get"

printf 'HEAD / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' | req \
    > "$tmp/head"
sed 's/^Date: .*\r$/Date: X\r/' "$tmp/head" > "$tmp/head.norm"
head -c "$(( $(wc -c < "$tmp/want") - len ))" "$tmp/want" > "$tmp/want.head"
check "HEAD / sends the same head and no body" \
    cmp -s "$tmp/head.norm" "$tmp/want.head"

# --- statuses ---
get /no-such-file > "$tmp/r"
check "a missing file is 404" test "$(status_of < "$tmp/r")" = 404
check "the 404 carries the site's 404.html" has "$tmp/r" "not found page"
get /a.txt > "$tmp/r"
check "a .txt file is text/plain" has "$tmp/r" "Content-Type: text/plain"
get /sub > "$tmp/r"
check "a directory without a slash is 301 to the slash" \
    has "$tmp/r" "Location: /sub/"
get '/sub?x=1' > "$tmp/r"
check "the redirect keeps the query string" has "$tmp/r" "Location: /sub/?x=1"
get /sub/ > "$tmp/r"
check "a directory serves its index.html" has "$tmp/r" "sub index"
get /empty/ > "$tmp/r"
check "a directory without index.html is 403" \
    test "$(status_of < "$tmp/r")" = 403
get /.git/config > "$tmp/r"
check "dotfiles are refused with 403" test "$(status_of < "$tmp/r")" = 403

printf 'GARBAGE\r\n\r\n' | req > "$tmp/r"
check "garbage is 400" test "$(status_of < "$tmp/r")" = 400
check "an error has an HTML body" has "$tmp/r" "<h1>400 Bad Request</h1>"
check "an error closes the connection" has "$tmp/r" "Connection: close"
printf 'GET / HTTP/1.1\r\n\r\n' | req > "$tmp/r"
check "HTTP/1.1 without Host is 400" test "$(status_of < "$tmp/r")" = 400
printf 'BREW / HTTP/1.1\r\nHost: t\r\n\r\n' | req -t 500 > "$tmp/r"
check "an unknown method is 501 with Allow" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 501 ' && grep -q '^Allow: GET, HEAD' '$tmp/r'"
printf 'POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc' |
    req > "$tmp/r"
check "POST is 405 with Allow, and the connection closes" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 405 ' && grep -q '^Allow: ' '$tmp/r'"
printf 'GET / HTTP/2.0\r\nHost: t\r\n\r\n' | req > "$tmp/r"
check "HTTP/2.0 is 505" test "$(status_of < "$tmp/r")" = 505
big=$(head -c 9000 /dev/zero | tr '\0' a)
printf 'GET /%s HTTP/1.1\r\nHost: t\r\n\r\n' "$big" | req > "$tmp/r"
check "an over-long request line is 414" test "$(status_of < "$tmp/r")" = 414

# --- confinement ---
leaks=0
for target in /../secret.txt /%2e%2e/secret.txt /%2e%2e%2fsecret.txt \
    /..%2fsecret.txt /sub/../../secret.txt //../secret.txt \
    /%252e%252e/secret.txt /.%2e/secret.txt /%c0%ae%c0%ae/secret.txt \
    '/..\secret.txt' /sub/%2e%2e/%2e%2e/secret.txt \
    'http://t/../secret.txt' '/./../secret.txt' '/a/../../secret.txt'; do
	printf 'GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' \
	    "$target" | req > "$tmp/r"
	s=$(status_of < "$tmp/r")
	if has "$tmp/r" "TOP SECRET" || [ "$s" = 200 ]; then
		leaks=$((leaks + 1))
		echo "# $target answered $s"
	fi
done
check "no traversal form reaches a file outside the root" test "$leaks" = 0

# --- keep-alive and pipelining ---
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /sub/ HTTP/1.1\r\nHost: t\r\n\r\n' |
    req -g 300 -t 300 > "$tmp/r"
check "HTTP/1.1 keeps the connection for a second request" \
    test "$(grep -c '^HTTP/1.1 200' "$tmp/r")" = 2
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /sub/ HTTP/1.1\r\nHost: t\r\n\r\nGET /index.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    req > "$tmp/r"
order=$(grep -a -o -e 'plain text' -e 'sub index' -e 'hello' "$tmp/r" |
    tr '\n' ,)
check "pipelined requests are answered in order" \
    test "$order" = "plain text,sub index,hello,"
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /nope HTTP/1.1\r\nHost: t\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    req > "$tmp/r"
check "a 404 in the middle of a pipeline does not break it" \
    test "$(grep -c '^HTTP/1.1 ' "$tmp/r")" = 3
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\nGARBAGE\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n' |
    req > "$tmp/r"
check "a 400 in a pipeline answers and closes" \
    test "$(grep -a '^HTTP/1.1 ' "$tmp/r" | cut -c 10-12 | tr '\n' ,)" = "200,400,"
printf 'GET /a.txt HTTP/1.0\r\n\r\n' | req -t 1500 > "$tmp/r"
rc=$?
check "HTTP/1.0 closes after the response" test "$rc" = 0
printf 'GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /a.txt HTTP/1.0\r\n\r\n' |
    req -g 300 > "$tmp/r"
check "HTTP/1.0 keep-alive on request" \
    sh -c "test \$(grep -c '^Connection: keep-alive' '$tmp/r') = 1 && test \$(grep -c '^HTTP/1.1 200' '$tmp/r') = 2"
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    req -t 1500 > /dev/null
rc=$?
check "Connection: close is honoured" test "$rc" = 0
printf '' | req -t 4000 > /dev/null
ka_rc=$?
check "an idle connection is closed after the timeout" test "$ka_rc" = 0

# --- bodies ---
get /big.bin > "$tmp/r"
tail -c 1048576 "$tmp/r" > "$tmp/body"
check "a 1 MiB file arrives intact" cmp -s "$tmp/body" "$root/big.bin"
printf 'GET /huge.bin HTTP/1.1\r\nHost: t\r\n\r\n' | req -r 65536 > /dev/null
get /a.txt > "$tmp/r"
check "a client leaving mid-download harms nobody else" \
    test "$(status_of < "$tmp/r")" = 200

# --- 50 concurrent clients ---
lines_before=$(wc -l < "$tmp/access.log")
clients=
i=0
while [ $i -lt 50 ]; do
	get /index.html > "$tmp/c$i" &
	clients="$clients $!"
	i=$((i + 1))
done
for j in $clients; do
	wait "$j"
done
served=$(cat "$tmp"/c* | grep -c '^HTTP/1.1 200')
check "50 concurrent clients are all served" test "$served" = 50
rm -f "$tmp"/c*

wait_children
wait_fds "$baseline_fds"
check "no zombie children after the load" test "$(zombies)" = 0
check "no children left after the load, but workers" \
    test "$(children)" = "$(expected_children)"
check "the parent's descriptor count is unchanged" \
    test "$(fd_count)" = "$baseline_fds"
check "the access log has one line per request" \
    test "$(wc -l < "$tmp/access.log")" = "$((lines_before + 50))"
check "access log lines are in Common Log Format" \
    sh -c "! grep -v -E '^[0-9.:a-f]+ - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}(:[0-9]{2}){3} [+-][0-9]{4}\] \".*\" [0-9]{3} ([0-9]+|-)\$' '$tmp/access.log'"
stop

}

every_model suite
# --- the command line ---
"$FORKHTTPD" --version > "$tmp/out" 2>&1
check "--version exits 0 and names the program" \
    sh -c "head -n 1 '$tmp/out' | grep -q '^forkhttpd [0-9]'"
"$FORKHTTPD" -p 99999 > "$tmp/out" 2> "$tmp/errout"
rc=$?
check "a bad port is a usage error (status 2, one line)" \
    sh -c "test $rc = 2 && test \$(wc -l < '$tmp/errout') = 1 && test ! -s '$tmp/out'"
"$FORKHTTPD" -m carrier-pigeon > "$tmp/out" 2> "$tmp/errout"
rc=$?
check "an unknown model is a usage error (status 2, one line)" \
    sh -c "test $rc = 2 && test \$(wc -l < '$tmp/errout') = 1 && test ! -s '$tmp/out' && grep -q \"unknown model 'carrier-pigeon'\" '$tmp/errout'"
"$FORKHTTPD" -D -a 127.0.0.1 -p 0 -d "$tmp/no-such-dir" 2> "$tmp/errout"
rc=$?
check "a missing document root fails to start (status 1)" \
    sh -c "test $rc = 1 && grep -q 'no-such-dir' '$tmp/errout'"
start
"$FORKHTTPD" -D -a 127.0.0.1 -p "$port" -d "$root" 2> "$tmp/errout"
rc=$?
check "a port in use fails to start with a clear message" \
    sh -c "test $rc = 1 && grep -q 'Address \(already \)\{0,1\}in use' '$tmp/errout'"
stop

# --help and the man page describe the same long options.
"$FORKHTTPD" --help | grep -o -e '--[a-z][a-z-]*' | sort -u > "$tmp/help.opts"
grep -o 'Fl -[a-z][a-z-]*' "$SRCDIR/man/forkhttpd.8.in" | sed 's/^Fl -/--/' |
    sort -u > "$tmp/man.opts"
if cmp -s "$tmp/help.opts" "$tmp/man.opts"; then
	ok "--help and the man page list the same options"
else
	not_ok "--help and the man page list the same options" \
	    "$(diff "$tmp/help.opts" "$tmp/man.opts" | tr '\n' ' ')"
fi

finish
