#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The security review's findings, each as an attacker would try it: a
# content author's 404.html linked to a secret, links through the walk
# that serves where openat2 is missing, idle sockets holding every place,
# running out of descriptors, pid files planted by others, orphaned event
# workers, and the small ones (sockets in the root, unservable names in a
# listing, a TLS ClientHello on the plain port, -I with -l -).
# shellcheck disable=SC2154,SC2034 # tmp, root, TEST_PREFIX...: e2e-lib.sh
. "${SRCDIR:-$(dirname "$0")/..}/tests/e2e-lib.sh"
: "${SOCKRUN:?set SOCKRUN to the sockrun test helper}"

now_ms() {
	date +%s%3N
}

# served_within MS [ADDR]: a request from ADDR is answered 200 within MS
# milliseconds (times TIME_SCALE for sanitizer builds).
served_within() {
	t0=$(now_ms)
	printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
	    req -b "${2:-127.0.0.1}" > "$tmp/r"
	t1=$(now_ms)
	[ "$(status_of < "$tmp/r")" = 200 ] &&
	    [ $((t1 - t0)) -lt $(($1 * ${TIME_SCALE:-1})) ]
}

# Started as root the server becomes nobody: let it read the root, and
# keep the secret for root alone.
chmod 600 "$tmp/secret.txt"
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$tmp"
	chmod -R a+rX "$root"
fi

# --- 1. a 404.html that is a link out of the root ---
mv "$root/404.html" "$tmp/404.orig"
ln -s "$tmp/secret.txt" "$root/404.html"
start
get /nothing-here > "$tmp/r"
check "a 404.html linked out of the root does not leak what it names" \
    sh -c "! grep -q 'TOP SECRET' '$tmp/r' && head -n 1 '$tmp/r' | grep -q ' 404 '"
check "such a 404.html is ignored with a warning" \
    grep -q "ignoring 404.html: it is a link that leads out" "$tmp/server.err"
stop
rm "$root/404.html"
mkdir "$root/pages"
mv "$tmp/404.orig" "$root/pages/notfound.html"
ln -s pages/notfound.html "$root/404.html"
start
get /nothing-here > "$tmp/r"
check "a 404.html linked inside the root is served" \
    has "$tmp/r" "not found page"
stop
rm "$root/404.html"
mv "$root/pages/notfound.html" "$root/404.html"
rmdir "$root/pages"

# --- 2. the walk where openat2 is missing agrees with openat2 ---
ln -s a.txt "$root/inside-link"
ln -s "$tmp/secret.txt" "$root/outside-link"
ln -s "$root/a.txt" "$root/absolute-inside"
ln -s ../secret.txt "$root/climbing-link"
ln -s sub "$root/sub-link"
for confine in openat2 walk; do
	if [ "$confine" = walk ]; then
		FORKHTTPD_CONFINE=walk
		export FORKHTTPD_CONFINE
	fi
	start
	if [ "$confine" = walk ]; then
		check "walk: the start-up message names the walk" \
		    grep -q "confined to the document root by a walk" \
		    "$tmp/server.err"
	else
		check "openat2: the start-up message names how requests are confined" \
		    grep -q "confined to the document root by" "$tmp/server.err"
	fi
	for case in inside-link:200 sub-link/index.html:200 outside-link:403 \
	    absolute-inside:403 climbing-link:403; do
		get "/${case%%:*}" > "$tmp/r"
		check "$confine: /${case%%:*} is ${case#*:}" \
		    test "$(status_of < "$tmp/r")" = "${case#*:}"
		check "$confine: /${case%%:*} leaks nothing" \
		    sh -c "! grep -q 'TOP SECRET' '$tmp/r'"
	done
	stop
done
unset FORKHTTPD_CONFINE
rm "$root/inside-link" "$root/outside-link" "$root/absolute-inside" \
    "$root/climbing-link" "$root/sub-link"

# --- 3. idle sockets do not hold every place, in every model ---
dos() {
	LISTEN=0.0.0.0
	# one address holds twice -c idle sockets; another is still served
	start -c 8 -T 30 --max-per-address 0
	printf '' | req -n 16 -t 6000 > "$tmp/idle" &
	holder=$!
	sleep 0.5
	check "one address holding 2x -c idle sockets does not deny another" \
	    served_within 1000 127.0.0.2
	check "and the idle sockets made room, without a 503" \
	    has "$tmp/r" "plain text"
	wait "$holder"
	stop
	# --max-per-address: the default is a quarter of -c
	start -c 8 -T 30
	printf '' | req -n 6 -t 1500 > "$tmp/idle"
	# each event worker counts its own clients, as with -c
	case $MODEL in
	*:*) refused=$((6 - 2 * ${MODEL#*:})) ;;
	*) refused=4 ;;
	esac
	check "past --max-per-address (default -c/4) one address gets 503" \
	    test "$(grep -c '^HTTP/1.1 503' "$tmp/idle")" -ge "$refused"
	printf '' | req -n 6 -t 1500 > "$tmp/idle" &
	holder=$!
	sleep 0.5
	check "while another address is served" served_within 1000 127.0.0.2
	wait "$holder"
	stop
	# an address over its share closes no one else's idle client
	start -c 2 --max-per-address 1 -T 30
	printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
	    req -g 1500 -t 4000 > "$tmp/keep" &
	keep=$!
	sleep 0.3
	printf '' | req -b 127.0.0.2 -t 3000 > /dev/null &
	other=$!
	sleep 0.3
	printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n' | req > "$tmp/r"
	wait "$keep"
	check "an address over its share is refused before any client is closed" \
	    sh -c "head -n 1 '$tmp/r' | grep -q ' 503 ' &&
	    test \"\$(grep -c '^HTTP/1.1 200' '$tmp/keep')\" = 2"
	wait "$other"
	stop
		# a new connection that sends nothing waits less than a kept-alive one
	LISTEN=127.0.0.1
	start -T 30
	t0=$(now_ms)
	printf '' | req -t 10000 > /dev/null
	rc=$?
	t1=$(now_ms)
	check "a silent new connection is closed within the 3 s first-byte wait" \
	    test "$rc" = 0 -a $((t1 - t0)) -lt $((4500 * ${TIME_SCALE:-1}))
	printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
	    req -g 4000 -t 8000 > "$tmp/r"
	check "a kept-alive connection may wait -T (30 s) for its next request" \
	    test "$(grep -c '^HTTP/1.1 200' "$tmp/r")" = 2
	stop
}
every_model dos 'fork thread event event:2'

# --- 5. out of descriptors, the event loop still serves its clients ---
MODEL=event
AS_USER="prlimit --nofile=40 --"
start -c 1000 --max-per-address 0
AS_USER=
req10() {
	i=0
	while [ $i -lt 9 ]; do
		printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n'
		i=$((i + 1))
	done
	printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n'
}
# a client connected before the flood asks, one at a time, after it
req10 | req -d 800 -g 20 -t 2000 > "$tmp/r" &
client=$!
sleep 0.2
printf '' | req -n 80 -t 2500 > /dev/null &
holder=$!
t0=$(now_ms)
wait "$client"
t1=$(now_ms)
check "out of descriptors, a kept-alive client still gets 10 answers" \
    test "$(grep -c '^HTTP/1.1 200' "$tmp/r")" = 10
check "at full speed, not 100 ms each" \
    test $((t1 - t0)) -lt $((1400 * ${TIME_SCALE:-1}))
wait "$holder"
check "the accept warning is given once, not every 100 ms" \
    test "$(grep -c 'accept' "$tmp/server.err")" -le 1
stop

# the default share comes from the clients the model can really serve
for MODEL in ${MODELS:-fork thread event event:2}; do
	case $MODEL in fork | event:*) continue ;; esac
	AS_USER="prlimit --nofile=64 --"
	start -T 30
	AS_USER=
	printf '' | req -n 20 -t 1500 > "$tmp/idle"
	check "$MODEL: with 64 descriptors one address gets a quarter of what fits" \
	    test "$(grep -c '^HTTP/1.1 503' "$tmp/idle")" -ge 5
	stop
done

# a child the server did not fork (inherited across exec) is no client
: > "$tmp/server.err"
sh -c "sleep 0.5 & exec '$FORKHTTPD' -D -a 127.0.0.1 -p 0 -d '$root'" \
    2> "$tmp/server.err" &
pid=$!
port=$(port_of "$tmp/server.err" "$pid")
sleep 1
get /a.txt > "$tmp/r"
check "a child reaped that the server did not fork changes nothing" \
    test "$(status_of < "$tmp/r")" = 200
stop

# --- 7. event workers end with their parent, even when it is killed ---
MODEL=event:2
start --grace 1
# the workers: the children but the opener (root's, when started as root)
workers=$(for d in /proc/[0-9]*; do
	[ "$(sed 's/^.*) //' "$d/stat" 2>/dev/null | cut -d ' ' -f 2)" = "$pid" ] &&
	    [ "$(cat "$d/comm" 2>/dev/null)" != forkhttpd-open ] &&
	    echo "${d#/proc/}"
done)
check "two workers run" test "$(echo "$workers" | wc -w)" = 2
kill -KILL "$pid"
wait "$pid" 2>/dev/null
pid=
i=0
left=$workers
while [ -n "$left" ] && [ $i -lt 60 ]; do
	left=
	for w in $workers; do
		kill -0 "$w" 2>/dev/null && left="$left $w"
	done
	sleep 0.1
	i=$((i + 1))
done
check "workers whose parent was killed exit (within 6 s)" test -z "$left"
for w in $left; do
	kill -KILL "$w" 2>/dev/null
done
check "and the port is free again" \
    sh -c "printf '' | '$RAWHTTP' -t 200 '$port' > /dev/null 2>&1; test \$? = 1"

# --- 9. the small ones ---
MODEL=fork
"$SOCKRUN" unix "$root/sock"
mkdir "$root/list"
: > "$root/list/good.txt"
: > "$root/list/$(printf 'ctl\001name')"
: > "$root/list/$(printf 'bad\377utf8')"
start --listing
get /sock > "$tmp/r"
check "a Unix socket in the root is 403, like a FIFO" \
    test "$(status_of < "$tmp/r")" = 403
get /list/ > "$tmp/r"
check "a listing shows the names that can be asked for" \
    has "$tmp/r" 'href="good.txt"'
check "and leaves out names with control bytes or invalid UTF-8" \
    sh -c "! grep -q -e ctl -e bad '$tmp/r'"
t0=$(now_ms)
printf '\026\003\001\002\000\001\000\001\374\003\003' | req -t 5000 > "$tmp/r"
t1=$(now_ms)
check "a TLS ClientHello on the plain port is closed at once, unanswered" \
    test ! -s "$tmp/r" -a $((t1 - t0)) -lt $((1000 * ${TIME_SCALE:-1}))
check "and logged as 400" \
    grep -q '"\\x16\\x03\\x01\\x02.*" 400 -$' "$tmp/access.log"
stop
rm -r "$root/list" "$root/sock"

"$FORKHTTPD" -I -l - -d "$root" < /dev/null > "$tmp/out" 2>&1
rc=$?
check "-I with -l - is refused at start-up (status 2)" \
    sh -c "test $rc = 2 && grep -q 'standard output is the client' '$tmp/out'"

finish
