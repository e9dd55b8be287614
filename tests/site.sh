#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Serving a real site, in every model: virtual hosts (--vhost, each host
# confined to its directory, _default, 421 when Host is not the SNI name,
# --log-vhost read by goaccess), passwords (--auth) and the error pages
# beyond 404.
# shellcheck disable=SC2154,SC2034 # tmp, root, TEST_PREFIX...: e2e-lib.sh
. "${SRCDIR:-$(dirname "$0")/..}/tests/e2e-lib.sh"

# ask HOST PATH [VERSION]: a request for PATH on HOST (none when empty),
# the response on stdout.
ask() {
	if [ -n "$1" ]; then
		printf 'GET %s HTTP/%s\r\nHost: %s\r\nConnection: close\r\n\r\n' \
		    "$2" "${3:-1.1}" "$1"
	else
		printf 'GET %s HTTP/1.0\r\n\r\n' "$2"
	fi | req
}

# body_is FILE TEXT: the response in FILE has exactly TEXT as its body.
body_is() {
	[ "$(sed '1,/^\r$/d' "$1")" = "$2" ]
}

tls=no
if [ "${TLS_BUILT:-yes}" = yes ] && command -v openssl > /dev/null 2>&1; then
	sh "$SRCDIR/tests/tls-certs.sh" "$certs" > /dev/null 2>&1 && tls=yes
fi

# --- the hosts ---
vroot=$tmp/vroot
mkdir -p "$vroot/example.org/sub" "$vroot/other.net" "$vroot/_default" \
    "$vroot/127.0.0.1" "$vroot/localhost"
printf 'org\n' > "$vroot/example.org/index.html"
printf 'org sub\n' > "$vroot/example.org/sub/index.html"
printf 'net\n' > "$vroot/other.net/index.html"
printf 'net secret\n' > "$vroot/other.net/secret.txt"
printf 'default\n' > "$vroot/_default/index.html"
printf 'by address\n' > "$vroot/127.0.0.1/index.html"
printf 'local\n' > "$vroot/localhost/index.html"
ln -s example.org "$vroot/www.example.org"
ln -s ../other.net/secret.txt "$vroot/example.org/steal.txt"
ln -s ../../etc "$vroot/example.org/etc"
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$tmp"
	chmod -R a+rX "$vroot" "$root"
fi

vhosts() {
	start --vhost --log-vhost --combined -d "$vroot"
	ask example.org / > "$tmp/r"
	check "a host is served from its directory" body_is "$tmp/r" org
	ask 'WWW.Example.ORG:80' /sub/ > "$tmp/r"
	check "its name is lower-cased, the port dropped, a link an alias" \
	    body_is "$tmp/r" "org sub"
	ask 'example.org.' / > "$tmp/r"
	check "a final dot names the same host" body_is "$tmp/r" org
	ask other.net / > "$tmp/r"
	check "another host is served from its own" body_is "$tmp/r" net
	ask unknown.test / > "$tmp/r"
	check "an unknown host is served from _default" \
	    body_is "$tmp/r" default
	ask '' / > "$tmp/r"
	check "HTTP/1.0 without Host is served from _default" \
	    body_is "$tmp/r" default
	ask 127.0.0.1 / > "$tmp/r"
	check "an IPv4 address names its directory" body_is "$tmp/r" \
	    "by address"
	ask example.org /steal.txt > "$tmp/r"
	check "a link into another host's directory is 403" \
	    test "$(status_of < "$tmp/r")" = 403
	check "and shows nothing of it" sh -c "! grep -q 'net secret' '$tmp/r'"
	ask example.org /../other.net/secret.txt > "$tmp/r"
	check "a path cannot climb to another host" \
	    sh -c "! grep -q 'net secret' '$tmp/r'"
	ask example.org /%2e%2e/other.net/secret.txt > "$tmp/r"
	check "nor percent-encoded" sh -c "! grep -q 'net secret' '$tmp/r'"
	ask example.org /etc/passwd > "$tmp/r"
	check "a link out of the document root is 403" \
	    test "$(status_of < "$tmp/r")" = 403
	ask example.org /sub > "$tmp/r"
	check "a directory's redirect stays on the host's path" \
	    has "$tmp/r" "Location: /sub/"
	stop
	check "the log begins with the host and the port" \
	    grep -q "^example.org:$port 127.0.0.1 - - \[" "$tmp/access.log"
	check "a request without a host is logged as -" \
	    grep -q "^-:$port 127.0.0.1 - - \[.*\"GET / HTTP/1.0\" 200" \
	    "$tmp/access.log"
	if command -v goaccess > /dev/null 2>&1; then
		goaccess --log-format=VCOMBINED -o csv "$tmp/access.log" \
		    > "$tmp/goaccess.csv" 2> /dev/null
		lines=$(wc -l < "$tmp/access.log")
		check "goaccess --log-format=VCOMBINED reads every line" \
		    grep -q "^\"2\",,\"general\",,,,,,,,\"$lines\",\"valid_requests\"" \
		    "$tmp/goaccess.csv"
	else
		skip "goaccess --log-format=VCOMBINED reads every line" \
		    "goaccess is not installed"
	fi

	if [ "$tls" = yes ]; then
		start --vhost -d "$vroot" --tls-port 0 \
		    --tls-cert "$certs/localhost.pem" \
		    --tls-key "$certs/localhost.key" \
		    --tls-cert "$certs/other.pem" --tls-key "$certs/other.key"
		tport=$(port_of "$tmp/server.err" "$pid" '127\.0\.0\.1' https)
		printf 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' |
		    "$RAWHTTP" -t "$WAIT_MS" -S localhost "$tport" > "$tmp/r"
		check "over HTTPS the host named in SNI is served" \
		    body_is "$tmp/r" local
		printf 'GET / HTTP/1.1\r\nHost: other.net\r\nConnection: close\r\n\r\n' |
		    "$RAWHTTP" -t "$WAIT_MS" -S localhost "$tport" > "$tmp/r"
		check "a Host that is not the SNI name is 421" \
		    test "$(status_of < "$tmp/r")" = 421
		stop
	else
		skip "over HTTPS the host named in SNI is served" "no TLS"
		skip "a Host that is not the SNI name is 421" "no TLS"
	fi
}

for MODEL in ${MODELS:-fork thread single event event:2}; do
	TEST_PREFIX="$MODEL: "
	vhosts
done
# the walk that serves where openat2 is missing confines hosts alike
FORKHTTPD_CONFINE=walk
export FORKHTTPD_CONFINE
MODEL=fork
TEST_PREFIX="walk: "
vhosts
unset FORKHTTPD_CONFINE
TEST_PREFIX=

# Without _default, as thttpd and mini_httpd answer: 404.
mv "$vroot/_default" "$vroot/no-default"
start --vhost -d "$vroot"
ask unknown.test / > "$tmp/r"
check "without _default an unknown host is 404" \
    test "$(status_of < "$tmp/r")" = 404
ask '' / > "$tmp/r"
check "and so is HTTP/1.0 without Host" test "$(status_of < "$tmp/r")" = 404
stop
mv "$vroot/no-default" "$vroot/_default"

finish
