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

# goaccess_reads FORMAT: goaccess --log-format=FORMAT counts every line
# of the access log as a valid request (skipped without goaccess).
goaccess_reads() {
	if ! command -v goaccess > /dev/null 2>&1; then
		skip "goaccess --log-format=$1 reads every line" \
		    "goaccess is not installed"
		return
	fi
	goaccess --log-format="$1" -o csv "$tmp/access.log" \
	    > "$tmp/goaccess.csv" 2> /dev/null
	lines=$(wc -l < "$tmp/access.log")
	check "goaccess --log-format=$1 reads every line" \
	    grep -q "^\"2\",,\"general\",,,,,,,,\"$lines\",\"valid_requests\"" \
	    "$tmp/goaccess.csv"
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
	goaccess_reads VCOMBINED

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

# --- passwords ---
# auth USER PASS: an Authorization field for them.
auth() {
	printf 'Authorization: Basic %s' "$(printf '%s:%s' "$1" "$2" |
	    base64 | tr -d '\n')"
}

# ask_auth PATH [FIELD]: GET PATH with the header line FIELD, if any.
ask_auth() {
	{
		printf 'GET %s HTTP/1.1\r\nHost: t\r\n' "$1"
		[ -z "${2:-}" ] || printf '%s\r\n' "$2"
		printf 'Connection: close\r\n\r\n'
	} | req
}

mkdir -p "$root/private/inner" "$root/privatex"
printf 'private page\n' > "$root/private/index.html"
printf 'inner page\n' > "$root/private/inner/index.html"
printf 'open page\n' > "$root/privatex/index.html"
chmod -R a+rX "$root"
pw=$tmp/passwords
# SHA-512 crypt always (openssl); bcrypt and yescrypt where htpasswd and
# mkpasswd are installed
{
	printf 'alice:%s\n' "$(openssl passwd -6 'alice pw')"
	printf '# bob and carol, when the tools are there\n\n'
	if command -v htpasswd > /dev/null 2>&1; then
		htpasswd -nbB bob 'bob pw' | sed '/^$/d'
	fi
	if command -v mkpasswd > /dev/null 2>&1 &&
	    mkpasswd -m help 2>/dev/null | grep -q yescrypt; then
		printf 'carol:%s:a comment\n' "$(mkpasswd -m yescrypt 'carol pw')"
	fi
} > "$pw"
# the server reads it as root, before it becomes nobody
chmod 600 "$pw"

authn() {
	start --auth "/private:$pw" -d "$root"
	ask_auth /private/ > "$tmp/r"
	check "a page under a password is 401 without one" \
	    test "$(status_of < "$tmp/r")" = 401
	check "with a challenge naming the prefix as its realm" \
	    has "$tmp/r" 'WWW-Authenticate: Basic realm="/private", charset="UTF-8"'
	ask_auth /privatex/ > "$tmp/r"
	check "the prefix ends at a segment's end" body_is "$tmp/r" "open page"
	ask_auth /%70rivate/inner/ > "$tmp/r"
	check "an encoded path needs the password too" \
	    test "$(status_of < "$tmp/r")" = 401
	ask_auth /private/ "$(auth alice 'alice pw')" > "$tmp/r"
	check "SHA-512 crypt: the right password is served" \
	    body_is "$tmp/r" "private page"
	check "an answer under a password is private to the client" \
	    has "$tmp/r" "Cache-Control: private"
	ask_auth /private/missing "$(auth alice 'alice pw')" > "$tmp/r"
	check "a missing page under a password is 404 to its user" \
	    test "$(status_of < "$tmp/r")" = 404
	# one connection: alice's page, then a page no password covers, with
	# credentials all the same (logged as neither alice's nor mallory's)
	{
		printf 'GET /private/ HTTP/1.1\r\nHost: t\r\n%s\r\n\r\n' \
		    "$(auth alice 'alice pw')"
		printf 'GET /privatex/?after-alice HTTP/1.1\r\nHost: t\r\n%s\r\n' \
		    "$(auth mallory x)"
		printf 'Connection: close\r\n\r\n'
	} | req > "$tmp/r"
	check "a page under a password, then an open one, on one connection" \
	    test "$(grep -c '^HTTP/1.1 200' "$tmp/r")" = 2
	if grep -q '^bob:' "$pw"; then
		ask_auth /private/inner/ "$(auth bob 'bob pw')" > "$tmp/r"
		check "bcrypt: the right password is served" \
		    body_is "$tmp/r" "inner page"
	else
		skip "bcrypt: the right password is served" "no htpasswd"
	fi
	if grep -q '^carol:' "$pw"; then
		ask_auth /private/ "$(auth carol 'carol pw')" > "$tmp/r"
		check "yescrypt: the right password is served" \
		    body_is "$tmp/r" "private page"
	else
		skip "yescrypt: the right password is served" "no mkpasswd"
	fi
	ask_auth /private/ "$(auth alice 'wrong')" > "$tmp/r"
	check "a wrong password is 401" test "$(status_of < "$tmp/r")" = 401
	check "and is logged with the client's address" \
	    grep -q '127.0.0.1: wrong password for user "alice" under /private' \
	    "$tmp/server.err"
	ask_auth /private/ "$(auth mallory 'alice pw')" > "$tmp/r"
	check "an unknown user is 401" test "$(status_of < "$tmp/r")" = 401
	# four wrong guesses on one connection: the third closes it
	bad=$(auth alice guess)
	printf 'GET /private/ HTTP/1.1\r\nHost: t\r\n%s\r\n\r\n' "$bad" \
	    > "$tmp/q"
	cat "$tmp/q" "$tmp/q" "$tmp/q" "$tmp/q" | req > "$tmp/r"
	check "three wrong passwords on one connection close it" \
	    test "$(grep -c '^HTTP/1.1 401' "$tmp/r")" = 3
	check "the last with Connection: close" \
	    test "$(grep -c '^Connection: close' "$tmp/r")" = 1
	long=$(head -c 1100 /dev/zero | tr '\0' A)
	ask_auth /private/ "Authorization: Basic $long" > "$tmp/r"
	check "an Authorization field over 1024 bytes is 431" \
	    test "$(status_of < "$tmp/r")" = 431

	# SIGHUP: a new file is read; a broken one leaves the old
	cp -p "$pw" "$tmp/passwords.orig"
	printf 'alice:%s\n' "$(openssl passwd -6 'new pw')" > "$pw"
	kill -HUP "$pid"
	sleep 0.5
	ask_auth /private/ "$(auth alice 'new pw')" > "$tmp/r"
	check "SIGHUP reads the password file again" \
	    body_is "$tmp/r" "private page"
	printf 'alice:plain\n' > "$pw"
	kill -HUP "$pid"
	sleep 0.5
	ask_auth /private/ "$(auth alice 'new pw')" > "$tmp/r"
	check "a broken file on SIGHUP keeps the passwords read before" \
	    body_is "$tmp/r" "private page"
	check "and says why" grep -q "passwords:1: not a bcrypt.*keeping the" \
	    "$tmp/server.err"
	cp -p "$tmp/passwords.orig" "$pw"
	stop
	check "the log names a user whose password was good" \
	    grep -q '^127\.0\.0\.1 - alice \[.*"GET /private/ HTTP/1\.1" 200 ' \
	    "$tmp/access.log"
	check "a 404 under a password too" \
	    grep -q '^127\.0\.0\.1 - alice \[.*"GET /private/missing HTTP/1\.1" 404 ' \
	    "$tmp/access.log"
	check "the open page after it is logged with -, credentials or not" \
	    grep -q '^127\.0\.0\.1 - - \[.*"GET /privatex/?after-alice HTTP/1\.1" 200 ' \
	    "$tmp/access.log"
	check "and no other: every 401 is logged with -" sh -c \
	    "grep -q '\" 401 ' '$tmp/access.log' && ! grep '\" 401 ' \
	    '$tmp/access.log' | grep -v -q '^127\.0\.0\.1 - - \['"
	goaccess_reads COMMON

	if [ "$tls" = yes ]; then
		start --auth "/private:$pw" -d "$root" --tls-port 0 \
		    --tls-cert "$certs/localhost.pem" \
		    --tls-key "$certs/localhost.key"
		tport=$(port_of "$tmp/server.err" "$pid" '127\.0\.0\.1' https)
		ask_auth /private/ "$(auth alice 'alice pw')" > "$tmp/r"
		check "with HTTPS served, plain HTTP under a password is 403" \
		    test "$(status_of < "$tmp/r")" = 403
		printf 'GET /private/ HTTP/1.1\r\nHost: localhost\r\n%s\r\nConnection: close\r\n\r\n' \
		    "$(auth alice 'alice pw')" |
		    "$RAWHTTP" -t "$WAIT_MS" -S localhost "$tport" > "$tmp/r"
		check "and HTTPS is served" body_is "$tmp/r" "private page"
		stop
		start --auth "/private:$pw" --auth-plain -d "$root" \
		    --tls-port 0 --tls-cert "$certs/localhost.pem" \
		    --tls-key "$certs/localhost.key"
		ask_auth /private/ > "$tmp/r"
		check "--auth-plain asks over plain HTTP all the same" \
		    test "$(status_of < "$tmp/r")" = 401
		stop
	else
		skip "with HTTPS served, plain HTTP under a password is 403" \
		    "no TLS"
		skip "and HTTPS is served" "no TLS"
		skip "--auth-plain asks over plain HTTP all the same" "no TLS"
	fi
}

if "$FORKHTTPD" --auth /x:/nonexistent -t > /dev/null 2> "$tmp/errout" ||
    ! grep -q 'crypt_rn() was not found' "$tmp/errout"; then
	every_model authn

	printf 'alice:%s\nbob:$apr1$abc$def\n' "$(openssl passwd -6 x)" \
	    > "$tmp/weak"
	"$FORKHTTPD" -D -a 127.0.0.1 -p 0 -d "$root" --auth "/p:$tmp/weak" \
	    > /dev/null 2> "$tmp/errout"
	rc=$?
	check "an MD5-apr1 entry stops start-up, naming its line" \
	    sh -c "test $rc = 1 && grep -q 'weak:2: not a bcrypt' '$tmp/errout'"
	printf 'alice:secret\n' > "$tmp/weak"
	"$FORKHTTPD" -t -d "$root" --auth "/p:$tmp/weak" 2> "$tmp/errout"
	rc=$?
	check "-t refuses a plain-text password" \
	    sh -c "test $rc = 1 && grep -q 'weak:1: not a bcrypt' '$tmp/errout'"
	"$FORKHTTPD" -t -d "$root" --auth "p:$tmp/weak" 2> "$tmp/errout"
	rc=$?
	check "--auth without a leading / is a usage error" test "$rc" = 2
else
	skip "--auth" "libxcrypt was not found when forkhttpd was built"
fi

# --- error pages ---
printf 'custom forbidden\n' > "$root/403.html"
printf 'custom unavailable\n' > "$root/503.html"
printf 'custom server error\n' > "$root/50x.html"
printf 'custom unauthorized\n' > "$root/401.html"
printf 'TOP SECRET error page\n' > "$tmp/secret-page"
chmod 600 "$tmp/secret-page"
ln -s "$tmp/secret-page" "$root/500.html"
chmod a+r "$root"/*.html

pages() {
	start --auth "/private:$pw" --auth-plain
	get /empty/ > "$tmp/r"
	check "403 is the site's 403.html" sh -c \
	    "head -n 1 '$tmp/r' | grep -q ' 403 ' && grep -q 'custom forbidden' '$tmp/r'"
	get /nothing-here > "$tmp/r"
	check "404 is still the site's 404.html" has "$tmp/r" "not found page"
	printf 'BREW /pot HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
	    req > "$tmp/r"
	check "a 5xx without its page (501) is 50x.html" sh -c \
	    "head -n 1 '$tmp/r' | grep -q ' 501 ' && grep -q 'custom server error' '$tmp/r'"
	check "with its Allow field all the same" has "$tmp/r" "Allow: GET"
	printf 'HEAD /empty/ HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
	    req > "$tmp/r"
	check "HEAD gets the page's length and no body" sh -c \
	    "grep -q '^Content-Length: 17' '$tmp/r' && ! grep -q 'custom' '$tmp/r'"
	ask_auth /private/ > "$tmp/r"
	check "401 is the site's 401.html, with its challenge" sh -c \
	    "grep -q 'custom unauthorized' '$tmp/r' && grep -q '^WWW-Authenticate: Basic' '$tmp/r'"
	# one client holds the address's one place; the next is refused by
	# the accepting process, with the short answer it keeps ready (the
	# single model serves one client at a time and refuses none)
	stop
	check "an error page linked out of the root is left out" \
	    grep -q "ignoring 500.html: it is a link that leads out" \
	    "$tmp/server.err"
	if [ "$MODEL" = single ]; then
		skip "the 503 of a full server stays the short fixed one" \
		    "the single model makes the next client wait"
	else
		start -T 30 --max-per-address 1
		printf '' | req -t 1500 > /dev/null &
		holder=$!
		sleep 0.3
		get /a.txt > "$tmp/busy"
		wait "$holder"
		check "the 503 of a full server stays the short fixed one" \
		    sh -c "head -n 1 '$tmp/busy' | grep -q ' 503 ' &&
		    ! grep -q 'custom' '$tmp/busy'"
		stop
	fi
}
every_model pages

finish
