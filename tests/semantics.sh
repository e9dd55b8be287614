#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# End-to-end tests of HTTP semantics for static files: validators and
# conditional requests, ranges, directories and listings, methods and
# request-target forms, links, dotfiles and unreadable files.
# shellcheck disable=SC2154,SC2034 # tmp, root, TEST_PREFIX...: e2e-lib.sh
. "${SRCDIR:-$(dirname "$0")/..}/tests/e2e-lib.sh"

# ask 'EXTRA HEADER LINES' PATH: a GET with extra headers, closing.
ask() {
	printf 'GET %s HTTP/1.1\r\nHost: t\r\n%bConnection: close\r\n\r\n' \
	    "$2" "$1" | req
}

ln -s "$tmp/secret.txt" "$root/outside-link"
ln -s a.txt "$root/inside-link"
ln -s "$tmp" "$root/outside-dir"
printf 'x\n' > "$root/sub/<b>&amp;'q'.txt"
printf 'x\n' > "$root/sub/.hidden"
ln -s "$tmp/secret.txt" "$root/sub/leak"
printf 'unreadable\n' > "$root/locked.txt"
chmod 000 "$root/locked.txt"
mkfifo "$root/fifo"
printf 'from the future\n' > "$root/future.txt"
TZ=UTC0 touch -t 203712312359 "$root/future.txt"
printf 'a Wednesday file\n' > "$root/wed.txt"
TZ=UTC0 touch -t 202001010000 "$root/wed.txt"
: > "$root/empty.txt"

suite() {
start -T 2
etag=$(etag_of "$root/a.txt")
lm=$(date -u -r "$root/a.txt" '+%a, %d %b %Y %H:%M:%S GMT')
size=$(wc -c < "$root/a.txt" | tr -d ' ')

# --- validators and conditional requests ---
get /a.txt > "$tmp/r"
check "a file carries its ETag" has "$tmp/r" "ETag: $etag"
check "a file carries Accept-Ranges" has "$tmp/r" "Accept-Ranges: bytes"
ask "If-None-Match: $etag\r\n" /a.txt > "$tmp/r"
check "If-None-Match with the ETag is 304" \
    test "$(status_of < "$tmp/r")" = 304
check "a 304 has no body" test "$(sed -n '/^\r$/,$p' "$tmp/r" | wc -c)" = 2
check "a 304 repeats the ETag" has "$tmp/r" "ETag: $etag"
ask "If-None-Match: \"other\", W/$etag\r\n" /a.txt > "$tmp/r"
check "If-None-Match compares weakly within a list" \
    test "$(status_of < "$tmp/r")" = 304
ask "If-None-Match: \"other\"\r\n" /a.txt > "$tmp/r"
check "If-None-Match with another tag is 200" \
    test "$(status_of < "$tmp/r")" = 200
ask "If-Modified-Since: $lm\r\n" /a.txt > "$tmp/r"
check "If-Modified-Since the Last-Modified is 304" \
    test "$(status_of < "$tmp/r")" = 304
ask "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n" /a.txt > "$tmp/r"
check "If-Modified-Since long ago is 200" test "$(status_of < "$tmp/r")" = 200
ask "If-None-Match: \"other\"\r\nIf-Modified-Since: $lm\r\n" /a.txt > "$tmp/r"
check "If-None-Match wins over If-Modified-Since" \
    test "$(status_of < "$tmp/r")" = 200
ask "If-Match: \"other\"\r\n" /a.txt > "$tmp/r"
check "a failing If-Match is 412" test "$(status_of < "$tmp/r")" = 412
ask "If-Match: $etag\r\n" /a.txt > "$tmp/r"
check "a matching If-Match is 200" test "$(status_of < "$tmp/r")" = 200
ask "If-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n" /a.txt > "$tmp/r"
check "a failing If-Unmodified-Since is 412" \
    test "$(status_of < "$tmp/r")" = 412
ask "If-Match: \"other\"\r\nIf-Match: $etag\r\n" /a.txt > "$tmp/r"
check "If-Match lines make one list" test "$(status_of < "$tmp/r")" = 200
ask "If-None-Match: \"other\"\r\nIf-None-Match: $etag\r\n" /a.txt > "$tmp/r"
check "If-None-Match lines make one list" test "$(status_of < "$tmp/r")" = 304
ask "If-Modified-Since: $lm\r\nIf-Modified-Since: $lm\r\n" /a.txt > "$tmp/r"
check "If-Modified-Since given twice is ignored" \
    test "$(status_of < "$tmp/r")" = 200
get /future.txt > "$tmp/r"
check "a file modified in the future was last modified at Date" \
    test "$(sed -n 's/^Last-Modified: \(.*\)\r$/\1/p' "$tmp/r")" = \
    "$(sed -n 's/^Date: \(.*\)\r$/\1/p' "$tmp/r")"
# RFC 9110 13.1.3: a date later than the server's clock is not valid
ask "If-Modified-Since: Thu, 31 Dec 2037 23:00:00 GMT\r\n" /future.txt \
    > "$tmp/r"
check "an If-Modified-Since later than the clock is ignored for a future file" \
    test "$(status_of < "$tmp/r")" = 200
ask "If-Modified-Since: Thu, 31 Dec 2037 23:00:00 GMT\r\n" /a.txt > "$tmp/r"
check "an If-Modified-Since later than the clock is ignored (200, as nginx)" \
    test "$(status_of < "$tmp/r")" = 200

# --- ranges ---
ask "Range: bytes=0-4\r\n" /a.txt > "$tmp/r"
check "bytes=0-4 is 206 with Content-Range" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 206 ' && grep -q '^Content-Range: bytes 0-4/$size' '$tmp/r'"
check "bytes=0-4 sends those five bytes" \
    test "$(sed '1,/^\r$/d' "$tmp/r")" = "plain"
ask "Range: bytes=-5\r\n" /a.txt > "$tmp/r"
check "bytes=-5 sends the last five bytes" \
    test "$(sed '1,/^\r$/d' "$tmp/r")" = "text"
ask "Range: bytes=6-\r\n" /a.txt > "$tmp/r"
check "bytes=6- sends the rest" \
    sh -c "grep -q '^Content-Range: bytes 6-10/11' '$tmp/r' && grep -q '^Content-Length: 5' '$tmp/r'"
ask "Range: bytes=$size-\r\n" /a.txt > "$tmp/r"
check "a range past the end is 416 with bytes */length" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 416 ' && grep -q '^Content-Range: bytes \*/$size' '$tmp/r'"
ask "Range: bytes=5-4\r\n" /a.txt > "$tmp/r"
check "a range list that cannot be read is 416" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 416 ' && grep -q '^Content-Range: bytes \*/$size' '$tmp/r'"
ask "Range: bytes=0-1,\r\n" /a.txt > "$tmp/r"
check "an empty element in a range list is allowed" \
    test "$(status_of < "$tmp/r")" = 206
ask "Range: bytes=0-1,3-4\r\n" /a.txt > "$tmp/r"
b=$(sed -n 's/^Content-Type: multipart\/byteranges; boundary=\([0-9a-z-]*\)\r$/\1/p' "$tmp/r")
printf '\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-1/11\r\n\r\npl\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 3-4/11\r\n\r\nin\r\n--%s--\r\n' \
    "$b" "$b" "$b" > "$tmp/want"
sed '1,/^\r$/d' "$tmp/r" > "$tmp/body"
len=$(wc -c < "$tmp/want" | tr -d ' ')
check "several ranges get a multipart/byteranges 206" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 206 ' && test -n '$b' && cmp -s '$tmp/body' '$tmp/want' && grep -q '^Content-Length: $len.\$' '$tmp/r'"
ask "Range: bytes=0-5,3-10\r\n" /a.txt > "$tmp/r"
check "ranges that add up to more than the file get it whole" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 200 ' && grep -q '^Content-Length: $size' '$tmp/r'"
# A file that holds the boundary its entity-tag would give: the same
# inode, size and mtime, so the same tag, with that boundary inside.
pad=$(printf '%0200d' 0)
printf '%s' "$pad" > "$root/collide.txt"
TZ=UTC0 touch -t 202001010000 "$root/collide.txt"
b0=forkhttpd-$(etag_of "$root/collide.txt" | tr -cd '0-9a-f' | cut -c1-35)-0
printf '0123456789\r\n--%s--\r\n%s' "$b0" "$pad" | head -c 200 \
    > "$root/collide.txt"
TZ=UTC0 touch -t 202001010000 "$root/collide.txt"
ask "Range: bytes=0-99,150-159\r\n" /collide.txt > "$tmp/r"
b=$(sed -n 's/^Content-Type: multipart\/byteranges; boundary=\([0-9a-z-]*\)\r$/\1/p' "$tmp/r")
{
	printf '\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-99/200\r\n\r\n' "$b"
	head -c 100 "$root/collide.txt"
	printf '\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 150-159/200\r\n\r\n' "$b"
	tail -c 50 "$root/collide.txt" | head -c 10
	printf '\r\n--%s--\r\n' "$b"
} > "$tmp/want"
sed '1,/^\r$/d' "$tmp/r" > "$tmp/body"
check "a boundary is never one the parts hold" \
    sh -c "grep -q '$b0' '$root/collide.txt' && test '$b' = '${b0%0}1' && cmp -s '$tmp/body' '$tmp/want'"
ask "Range: bytes=0-4\r\nIf-Range: \"stale\"\r\n" /a.txt > "$tmp/r"
check "a stale If-Range gets the whole file" test "$(status_of < "$tmp/r")" = 200
ask "Range: bytes=0-4\r\nIf-Range: $etag\r\n" /a.txt > "$tmp/r"
check "a current If-Range gets the range" test "$(status_of < "$tmp/r")" = 206
ask "Range: bytes=0-4\r\nIf-Range: Wed, 01 Jan 2020 00:00:00 GMT\r\n" \
    /wed.txt > "$tmp/r"
check "an If-Range date on a Wednesday gets the range" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 206 ' && test \"\$(sed '1,/^\r\$/d' '$tmp/r')\" = 'a Wed'"
ask "Range: bytes=-1\r\n" /empty.txt > "$tmp/r"
check "the last byte of an empty file is all of it: 200" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 200 ' && grep -q '^Content-Length: 0' '$tmp/r'"
ask "Range: bytes=1048000-\r\n" /big.bin > "$tmp/r"
tail -c 576 "$root/big.bin" > "$tmp/want"
sed '1,/^\r$/d' "$tmp/r" > "$tmp/body"
check "a range of a large file is sent by offset" cmp -s "$tmp/body" "$tmp/want"

# --- methods and target forms ---
printf 'OPTIONS * HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    req > "$tmp/r"
check "OPTIONS * answers Allow" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 200 ' && grep -q '^Allow: GET, HEAD, OPTIONS' '$tmp/r'"
printf 'TRACE / HTTP/1.1\r\nHost: t\r\nX-Secret: s3cr3t\r\nConnection: close\r\n\r\n' |
    req > "$tmp/r"
check "TRACE is 405 and echoes nothing" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 405 ' && ! grep -q s3cr3t '$tmp/r'"
for m in TRACE CONNECT; do
	printf '%s / HTTP/1.1\r\nHost: t\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n' "$m" |
	    req > "$tmp/r"
	check "$m is 405 and ends the connection" \
	    sh -c "test \$(grep -c '^HTTP/1.1' '$tmp/r') = 1 && grep -q '^Connection: close' '$tmp/r' && ! grep -q 'plain text' '$tmp/r'"
done
printf 'DELETE /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    req > "$tmp/r"
check "DELETE is 405" test "$(status_of < "$tmp/r")" = 405
printf 'HEAD /%09000d HTTP/1.1\r\nHost: t\r\n\r\n' 0 | req > "$tmp/r"
check "a HEAD with a request line too long is 414 without a body" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 414 ' && test \"\$(sed '1,/^\r\$/d' '$tmp/r' | wc -c)\" = 0"
printf 'HEAD /a.txt\rHTTP/1.1\r\nHost: t\r\n\r\n' | req > "$tmp/r"
check "a HEAD with a bare CR is 400 without a body" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 400 ' && test \"\$(sed '1,/^\r\$/d' '$tmp/r' | wc -c)\" = 0"
printf 'GET / HTTP/1.1\r\nHost: :80\r\nConnection: close\r\n\r\n' |
    req > "$tmp/r"
check "a Host without a host name is 400" test "$(status_of < "$tmp/r")" = 400
printf 'GET http://t:http/a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    req > "$tmp/r"
check "an absolute-form port that is no number is 400" \
    test "$(status_of < "$tmp/r")" = 400
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n' |
    req > "$tmp/r"
check "a transfer coding other than chunked is 501" \
    test "$(status_of < "$tmp/r")" = 501
printf 'GET http://example.org/a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    req > "$tmp/r"
check "an absolute-form target is served" has "$tmp/r" "plain text"
printf 'GET * HTTP/1.1\r\nHost: t\r\n\r\n' | req > "$tmp/r"
check "* is only for OPTIONS" test "$(status_of < "$tmp/r")" = 400
printf 'POST /a.txt HTTP/1.1\r\nHost: t\r\nContent-Length: 30\r\n\r\nGET /index.html HTTP/1.1\r\n\r\n' |
    req > "$tmp/r"
check "a body on a refused method cannot smuggle a request" \
    test "$(grep -c '^HTTP/1.1' "$tmp/r")" = 1
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /index.html HTTP/1.1\r\nHost: t\r\n\r\n' |
    req > "$tmp/r"
check "a chunked body on GET is answered and the connection closed" \
    sh -c "test \$(grep -c '^HTTP/1.1' '$tmp/r') = 1 && grep -q '^Connection: close' '$tmp/r'"

# --- directories, links, dotfiles, unreadable files ---
get /sub > "$tmp/r"
check "a directory without a slash is 301" test "$(status_of < "$tmp/r")" = 301
printf 'GET //evil.example/..%%2fsub HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    req > "$tmp/r"
check "a redirect never points at another host" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 301 ' && grep -q '^Location: /sub/[[:cntrl:]]*$' '$tmp/r'"
timeouts_before=$(grep -c '" 408 ' "$tmp/access.log")
t0=$(date +%s%3N)
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n\r\n' | req -t 6000 > "$tmp/r"
t1=$(date +%s%3N)
check "a stray CRLF after a request waits only the idle timeout" \
    test $((t1 - t0)) -lt 4500
check "a stray CRLF after a request is not logged as a timeout" \
    test "$(grep -c '" 408 ' "$tmp/access.log")" = "$timeouts_before"
get /outside-link > "$tmp/r"
check "a link leading outside the root is 403" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 403 ' && ! grep -q 'TOP SECRET' '$tmp/r'"
get /outside-dir/secret.txt > "$tmp/r"
check "a directory link leading outside is 403" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 403 ' && ! grep -q 'TOP SECRET' '$tmp/r'"
get /inside-link > "$tmp/r"
check "a link inside the root is followed" has "$tmp/r" "plain text"
get /.git/config > "$tmp/r"
check "a dot directory is refused" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 403 ' && ! grep -q secret '$tmp/r'"
get /fifo > "$tmp/r"
check "a FIFO is 403 and does not hang" test "$(status_of < "$tmp/r")" = 403
get /empty/ > "$tmp/r"
check "a directory without an index is 403 without --listing" \
    test "$(status_of < "$tmp/r")" = 403
# A file replaced between two requests on one connection (a new file
# renamed over it, as deployments do) is sent anew: the open-file cache
# checks its descriptor on every use.  The file is replaced once the first
# answer is logged, well before the second request.
printf 'version one\n' > "$root/changing.txt"
printf 'GET /changing.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /changing.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    req -g 700 > "$tmp/r" &
client=$!
i=0
while ! grep -q 'GET /changing.txt' "$tmp/access.log" && [ $i -lt 1000 ]; do
	sleep 0.02
	i=$((i + 1))
done
printf 'version two, longer\n' > "$root/changing.new"
mv "$root/changing.new" "$root/changing.txt"
wait "$client"
check "the first answer on a connection is the file as it was" \
    has "$tmp/r" "version one"
check "a file replaced before the second request is sent anew" \
    has "$tmp/r" "version two, longer"
check "with its new length" has "$tmp/r" "Content-Length: 20"
rm -f "$root/changing.txt"
# The same for a file rewritten in place, after its bytes were kept in
# memory (from the second use): the third answer comes from the copy, the
# fourth must be the new text.
printf 'version one\n' > "$root/inplace.txt"
{
	for _ in 1 2 3; do
		printf 'GET /inplace.txt HTTP/1.1\r\nHost: t\r\n\r\n'
	done
	printf 'GET /inplace.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n'
} | req -g 300 > "$tmp/r" &
client=$!
i=0
while [ "$(grep -c 'GET /inplace.txt' "$tmp/access.log")" -lt 3 ] &&
    [ $i -lt 1000 ]; do
	sleep 0.02
	i=$((i + 1))
done
printf 'VERSION TWO\n' > "$root/inplace.txt"
wait "$client"
check "a file rewritten in place is sent anew after three answers" \
    sh -c "test \$(grep -c 'version one' '$tmp/r') = 3 &&
	test \$(grep -c 'VERSION TWO' '$tmp/r') = 1"
rm -f "$root/inplace.txt"
stop

# As root every file is readable, so that case runs as nobody.
chmod 000 "$root/locked.txt"
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$tmp"
	chmod -R a+rX "$root"
	chmod 000 "$root/locked.txt"
	as_user="setpriv --reuid=nobody --regid=nogroup --clear-groups --"
else
	as_user=
fi
AS_USER=$as_user start --listing
get /locked.txt > "$tmp/r"
check "a file the server cannot read is 403, never an empty 200" \
    test "$(status_of < "$tmp/r")" = 403
get /empty/ > "$tmp/r"
check "--listing lists an empty directory" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 200 ' && grep -q 'Index of /empty/' '$tmp/r'"
get /sub/ > "$tmp/r"
check "a directory with an index is still served by it" has "$tmp/r" "sub index"
chmod 755 "$root/sub"
rm "$root/sub/index.html"
get /sub/ > "$tmp/r"
check "a listing escapes names and encodes links" \
    sh -c "grep -q -F 'href=\"%3Cb%3E%26amp%3B%27q%27.txt\"' '$tmp/r' && grep -q -F '&lt;b&gt;&amp;amp;&#39;q&#39;.txt' '$tmp/r'"
check "a listing hides dotfiles" sh -c "! grep -q 'hidden' '$tmp/r'"
check "a listing hides links that lead outside the root" \
    sh -c "! grep -q 'leak' '$tmp/r'"
stop

start --follow-symlinks
get /outside-link > "$tmp/r"
check "--follow-symlinks follows links outside the root" \
    has "$tmp/r" "TOP SECRET"
stop
printf 'sub index\n' > "$root/sub/index.html"
chmod 644 "$root/locked.txt"

}

every_model suite
finish
