#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of what a real site asks for (issue 19): precompressed
# variants chosen by Accept-Encoding (--precompressed), --header,
# --max-age, --charset and --mime-types, in every model; and what the
# command line refuses.
# shellcheck disable=SC2154,SC2034 # tmp, root, TEST_PREFIX...: e2e-lib.sh
. "${SRCDIR:-$(dirname "$0")/..}/tests/e2e-lib.sh"

# ask 'EXTRA HEADER LINES' PATH [METHOD]: a request, closing.
ask() {
	printf '%s %s HTTP/1.1\r\nHost: t\r\n%bConnection: close\r\n\r\n' \
	    "${3:-GET}" "$2" "$1" | req
}

# body_is FILE WANT: the body of the response in FILE is the file WANT.
body_is() {
	sed '1,/^\r$/d' "$1" > "$tmp/body"
	cmp -s "$tmp/body" "$2"
}

# field FILE NAME: the value of the header field NAME in FILE.
field() {
	sed -n "s/^$2: \\(.*\\)\\r\$/\\1/p" "$1" | head -n 1
}

# compress FILE: its .gz, .br and .zst beside it, as new as FILE.
compress() {
	gzip -9 -c "$1" > "$1.gz"
	if command -v brotli > /dev/null; then
		brotli -c "$1" > "$1.br"
	else
		# not brotli data, but the server only sends the file
		cp "$1.gz" "$1.br"
	fi
	if command -v zstd > /dev/null; then
		zstd -q -c "$1" > "$1.zst"
	else
		cp "$1.gz" "$1.zst"
	fi
	touch -r "$1" "$1.gz" "$1.br" "$1.zst"
}

site=$root/site
mkdir -p "$site/stale" "$site/odd.txt.gz"
i=0
while [ $i -lt 200 ]; do
	echo "<p>line $i of a page that compresses well</p>"
	i=$((i + 1))
done > "$site/page.html"
cp "$site/page.html" "$site/index.html"
compress "$site/page.html"
compress "$site/index.html"
printf 'no variants here\n' > "$site/plain.txt"
printf 'body { color: red }\n' > "$site/stale/old.css"
gzip -c "$site/stale/old.css" > "$site/stale/old.css.gz"
touch -d '2020-01-01 00:00:00' "$site/stale/old.css.gz"
printf 'console.log(1)\n' > "$site/link.js"
printf 'SECRET gz outside the root\n' > "$tmp/outside.gz"
ln -s "$tmp/outside.gz" "$site/link.js.gz"
printf 'a directory is no variant\n' > "$site/odd.txt"
printf 'foo\n' > "$site/a.foo"
printf 'png?\n' > "$site/a.png"
printf 'odt\n' > "$site/a.odt"

etag_gz=$(etag_of "$site/page.html.gz")
etag_br=$(etag_of "$site/page.html.br")
etag_id=$(etag_of "$site/page.html")

suite() {
start --precompressed --header 'X-Frame-Options: DENY' \
    --header 'X-Test:  two  words ' --max-age 3600

# --- precompressed variants ---
ask '' /site/page.html > "$tmp/r"
check "without Accept-Encoding the file itself is sent" \
    sh -c "test '$(status_of < "$tmp/r")' = 200 && ! grep -q '^Content-Encoding' '$tmp/r'"
check "... with its own ETag and Accept-Ranges" \
    sh -c "test '$(field "$tmp/r" ETag)' = '$etag_id' && grep -q '^Accept-Ranges: bytes' '$tmp/r'"
check "... and Vary: Accept-Encoding, as it has variants" \
    has "$tmp/r" "Vary: Accept-Encoding"
check "... with exactly its bytes" body_is "$tmp/r" "$site/page.html"
ask 'Accept-Encoding: gzip\r\n' /site/page.html > "$tmp/r"
check "Accept-Encoding: gzip gets FILE.gz" body_is "$tmp/r" \
    "$site/page.html.gz"
check "... with Content-Encoding: gzip and Vary" sh -c \
    "grep -q '^Content-Encoding: gzip.\$' '$tmp/r' && grep -q '^Vary: Accept-Encoding.\$' '$tmp/r'"
check "... the original's Content-Type" \
    test "$(field "$tmp/r" Content-Type)" = "text/html; charset=utf-8"
check "... its own length and ETag" sh -c \
    "test '$(field "$tmp/r" Content-Length)' = '$(wc -c < "$site/page.html.gz" | tr -d ' ')' && test '$(field "$tmp/r" ETag)' = '$etag_gz'"
ask 'Accept-Encoding: gzip, deflate, br, zstd\r\n' /site/page.html > "$tmp/r"
check "a browser's list gets br first" sh -c \
    "test '$(field "$tmp/r" Content-Encoding)' = br && test '$(field "$tmp/r" ETag)' = '$etag_br'"
check "... FILE.br's bytes" body_is "$tmp/r" "$site/page.html.br"
ask 'Accept-Encoding: br;q=0.5, zstd;q=0.8, gzip;q=0.1\r\n' /site/page.html \
    > "$tmp/r"
check "the weights choose: zstd" \
    test "$(field "$tmp/r" Content-Encoding)" = zstd
check "... FILE.zst's bytes" body_is "$tmp/r" "$site/page.html.zst"
ask 'Accept-Encoding: br;q=0, *\r\n' /site/page.html > "$tmp/r"
check "br;q=0 refuses br; * takes the next" \
    test "$(field "$tmp/r" Content-Encoding)" = zstd
ask 'Accept-Encoding: gzip;q=0\r\n' /site/page.html > "$tmp/r"
check "gzip;q=0 gets the file itself, with Vary" sh -c \
    "! grep -q '^Content-Encoding' '$tmp/r' && grep -q '^Vary: Accept-Encoding' '$tmp/r' && test '$(field "$tmp/r" ETag)' = '$etag_id'"
ask 'Accept-Encoding: identity;q=1, gzip;q=0.5\r\n' /site/page.html > "$tmp/r"
check "identity weighted above gzip gets the file itself" \
    sh -c "! grep -q '^Content-Encoding' '$tmp/r'"
ask 'Accept-Encoding: gzip\r\n' /site/ > "$tmp/r"
check "a directory's index.html has its variants too" \
    body_is "$tmp/r" "$site/index.html.gz"
ask 'Accept-Encoding: br\r\n' /site/page.html HEAD > "$tmp/r"
check "HEAD tells the variant's length and sends no body" sh -c \
    "test '$(field "$tmp/r" Content-Length)' = '$(wc -c < "$site/page.html.br" | tr -d ' ')' && test \"\$(sed '1,/^\\r\$/d' '$tmp/r' | wc -c)\" = 0"
# conditionals and ranges apply to the variant sent
ask "Accept-Encoding: gzip\\r\\nIf-None-Match: $etag_gz\\r\\n" \
    /site/page.html > "$tmp/r"
check "If-None-Match with the variant's ETag is 304" \
    test "$(status_of < "$tmp/r")" = 304
check "... with Vary and the variant's ETag, no Content-Encoding" sh -c \
    "grep -q '^Vary: Accept-Encoding' '$tmp/r' && test '$(field "$tmp/r" ETag)' = '$etag_gz' && ! grep -q '^Content-Encoding' '$tmp/r'"
ask "If-None-Match: $etag_gz\\r\\n" /site/page.html > "$tmp/r"
check "the variant's ETag does not match the file itself" \
    test "$(status_of < "$tmp/r")" = 200
ask "Accept-Encoding: gzip\\r\\nIf-Match: $etag_id\\r\\n" /site/page.html \
    > "$tmp/r"
check "If-Match with the identity ETag fails for the variant (412)" \
    test "$(status_of < "$tmp/r")" = 412
ask 'Accept-Encoding: gzip\r\nRange: bytes=0-9\r\n' /site/page.html \
    > "$tmp/r"
check "a Range on a variant gets all of it, as nginx's gzip_static" sh -c \
    "test '$(status_of < "$tmp/r")' = 200 && ! grep -q '^Accept-Ranges' '$tmp/r'"
check "... the whole FILE.gz" body_is "$tmp/r" "$site/page.html.gz"
ask 'Range: bytes=0-9\r\n' /site/page.html > "$tmp/r"
check "a Range without Accept-Encoding is 206 of the file, with Vary" sh -c \
    "test '$(status_of < "$tmp/r")' = 206 && grep -q '^Vary: Accept-Encoding' '$tmp/r'"
# what is no variant
ask 'Accept-Encoding: gzip\r\n' /site/plain.txt > "$tmp/r"
check "a file without variants has no Vary" sh -c \
    "test '$(status_of < "$tmp/r")' = 200 && ! grep -q '^Vary' '$tmp/r' && ! grep -q '^Content-Encoding' '$tmp/r'"
ask 'Accept-Encoding: gzip\r\n' /site/stale/old.css > "$tmp/r"
check "a variant older than the file is not sent" sh -c \
    "! grep -q '^Content-Encoding' '$tmp/r' && ! grep -q '^Vary' '$tmp/r'"
check "... the file is" body_is "$tmp/r" "$site/stale/old.css"
ask 'Accept-Encoding: gzip\r\n' /site/link.js > "$tmp/r"
check "a variant that links out of the root is not sent" sh -c \
    "! grep -q SECRET '$tmp/r' && ! grep -q '^Content-Encoding' '$tmp/r'"
ask 'Accept-Encoding: gzip\r\n' /site/odd.txt > "$tmp/r"
check "a directory named like a variant is not sent" sh -c \
    "test '$(status_of < "$tmp/r")' = 200 && ! grep -q '^Content-Encoding' '$tmp/r'"

# --- --header and --max-age ---
ask '' /site/plain.txt > "$tmp/r"
check "--header goes on a 200" sh -c \
    "grep -q '^X-Frame-Options: DENY.\$' '$tmp/r' && grep -q '^X-Test: two  words.\$' '$tmp/r'"
check "--max-age gives Cache-Control" \
    test "$(field "$tmp/r" Cache-Control)" = "max-age=3600"
d=$(date -u -d "$(field "$tmp/r" Date)" +%s)
e=$(date -u -d "$(field "$tmp/r" Expires)" +%s)
check "... and Expires an hour after Date" test "$((e - d))" = 3600
ask "If-None-Match: $(etag_of "$site/plain.txt")\\r\\n" /site/plain.txt \
    > "$tmp/r"
check "--header and --max-age go on a 304" sh -c \
    "test '$(status_of < "$tmp/r")' = 304 && grep -q '^X-Frame-Options: DENY' '$tmp/r' && grep -q '^Cache-Control: max-age=3600' '$tmp/r'"
ask '' /site > "$tmp/r"
check "--header goes on a 301" sh -c \
    "test '$(status_of < "$tmp/r")' = 301 && grep -q '^X-Frame-Options: DENY' '$tmp/r'"
check "... but not Cache-Control, which is for files" \
    sh -c "! grep -q '^Cache-Control' '$tmp/r'"
ask '' /site/missing > "$tmp/r"
check "neither goes on a 404" sh -c \
    "test '$(status_of < "$tmp/r")' = 404 && ! grep -q '^X-Frame-Options' '$tmp/r' && ! grep -q '^Cache-Control' '$tmp/r'"
stop

# --- off: the plain answers ---
start
ask 'Accept-Encoding: gzip, br\r\n' /site/page.html > "$tmp/r"
check "without --precompressed no variant is sent, and no Vary" sh -c \
    "! grep -q '^Content-Encoding' '$tmp/r' && ! grep -q '^Vary' '$tmp/r' && ! grep -q '^Cache-Control' '$tmp/r' && ! grep -q '^Expires' '$tmp/r'"
check "text types get charset=utf-8 by default" \
    test "$(field "$tmp/r" Content-Type)" = "text/html; charset=utf-8"
ask '' /site/a.png > "$tmp/r"
check "other types get no charset" \
    test "$(field "$tmp/r" Content-Type)" = "image/png"
stop

# --- --charset and --mime-types ---
printf '# test types\napplication/x-foo\tfoo\nimage/x-test png\n' \
    > "$tmp/mime.types"
start --charset ISO-8859-1 --mime-types "$tmp/mime.types"
ask '' /site/plain.txt > "$tmp/r"
check "--charset names the charset" \
    test "$(field "$tmp/r" Content-Type)" = "text/plain; charset=ISO-8859-1"
ask '' /site/a.foo > "$tmp/r"
check "--mime-types adds a type" \
    test "$(field "$tmp/r" Content-Type)" = "application/x-foo"
ask '' /site/a.png > "$tmp/r"
check "--mime-types replaces a built-in type" \
    test "$(field "$tmp/r" Content-Type)" = "image/x-test"
stop
start --charset none
ask '' /site/page.html > "$tmp/r"
check "--charset none sends none" \
    test "$(field "$tmp/r" Content-Type)" = "text/html"
stop
}

every_model suite

if [ -r /etc/mime.types ]; then
	start --mime-types /etc/mime.types
	ask '' /site/a.odt > "$tmp/r"
	check "Debian's /etc/mime.types is read whole" test \
	    "$(field "$tmp/r" Content-Type)" = \
	    "application/vnd.oasis.opendocument.text"
	stop
else
	skip "Debian's /etc/mime.types is read whole" "no /etc/mime.types"
fi

# --- with --vhost and --auth: a site's variants; one Cache-Control ---
mkdir -p "$root/t/locked"
printf '<p>a host of its own</p>\n' > "$root/t/v.html"
compress "$root/t/v.html"
printf 'locked\n' > "$root/t/locked/f.txt"
printf 'alice:%s\n' "$(openssl passwd -6 'alice pw')" > "$tmp/passwords"
start --vhost --precompressed --max-age 60 --auth "/locked:$tmp/passwords"
ask 'Accept-Encoding: gzip\r\n' /v.html > "$tmp/r"
check "--vhost with --precompressed: the host's own FILE.gz" \
    body_is "$tmp/r" "$root/t/v.html.gz"
check "... with Content-Encoding: gzip" \
    test "$(field "$tmp/r" Content-Encoding)" = gzip
ask "Authorization: Basic $(printf 'alice:alice pw' | base64)\\r\\n" \
    /locked/f.txt > "$tmp/r"
check "--auth with --max-age: one Cache-Control, private and the lifetime" \
    sh -c "test '$(status_of < "$tmp/r")' = 200 && test \"\$(grep -c '^Cache-Control' '$tmp/r')\" = 1 && grep -q '^Cache-Control: private, max-age=60.\$' '$tmp/r'"
stop

# --- the command line ---
# refused NAME STATUS ARGS...: forkhttpd ARGS exits STATUS with one line.
refused() {
	name=$1
	want=$2
	shift 2
	"$FORKHTTPD" -D -a 127.0.0.1 -p 0 -d "$root" "$@" > "$tmp/out" \
	    2> "$tmp/errout"
	rc=$?
	if [ "$rc" = "$want" ] && [ "$(wc -l < "$tmp/errout")" = 1 ] &&
	    [ ! -s "$tmp/out" ]; then
		ok "$name"
	else
		not_ok "$name" "status $rc" "$(cat "$tmp/errout")"
	fi
}
refused "--header naming Content-Type is a usage error" 2 \
    --header 'Content-Type: text/plain'
refused "--header naming Vary is a usage error" 2 --header 'vary: Cookie'
refused "--header with CR LF in it is a usage error" 2 \
    --header "$(printf 'X-A: b\r\nX-B: c')"
refused "--header without a colon is a usage error" 2 --header 'X-A b'
refused "--header Cache-Control with --max-age is a usage error" 2 \
    --max-age 60 --header 'Cache-Control: public'
refused "--header Expires with --max-age, in any order" 2 \
    --header 'Expires: 0' --max-age 60
i=0
set --
while [ $i -le 16 ]; do
	set -- "$@" --header "X-N$i: v"
	i=$((i + 1))
done
refused "a 17th --header is a usage error" 2 "$@"
refused "a negative --max-age is a usage error" 2 --max-age -1
refused "--max-age beyond ten years is a usage error" 2 --max-age 999999999
refused "a --charset that is no token is a usage error" 2 \
    --charset 'utf-8; x=y'
"$FORKHTTPD" -t -d "$root" --header 'Cache-Control: public' \
    > "$tmp/out" 2>&1
check "--header Cache-Control without --max-age is taken" test $? = 0
printf 'text/plain txt\nnot-a-type foo\n' > "$tmp/bad.types"
refused "a broken --mime-types file stops the start (status 1)" 1 \
    --mime-types "$tmp/bad.types"
check "... naming the file and the line" \
    grep -q "bad.types: line 2: not a media type" "$tmp/errout"
refused "a missing --mime-types file stops the start (status 1)" 1 \
    --mime-types "$tmp/no-such.types"
"$FORKHTTPD" -t -d "$root" --mime-types "$tmp/bad.types" > "$tmp/out" 2>&1
check "-t checks the --mime-types file" test $? = 1

finish
