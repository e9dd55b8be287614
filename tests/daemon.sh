#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The server as a daemon, without an init script: detaching and reporting
# start-up failures, the pid file, graceful SIGTERM, SIGHUP and the access
# log, -4 and -6, inetd mode and systemd socket activation.
# shellcheck disable=SC2154 # tmp, root and n come from e2e-lib.sh
. "${SRCDIR:-$(dirname "$0")/..}/tests/e2e-lib.sh"
: "${SOCKRUN:?set SOCKRUN to the sockrun test helper}"

run=$tmp/run
mkdir -p "$run"
# started as root the server becomes nobody, who must manage its files
if [ "$(id -u)" = 0 ]; then
	chmod 755 "$tmp"
	chmod -R a+rX "$root"
	chown nobody "$run"
fi

# rawhttp exits 1 when it cannot connect.
port_free() {
	"$RAWHTTP" -t 100 "$1" < /dev/null > /dev/null 2>&1
	[ $? = 1 ]
}
# Below Linux's ephemeral range (32768 up): a port there may be taken
# between the check and the bind by another test's outgoing connection.
free_port() {
	p=$(( 10000 + ($$ * 7 + n * 13) % 22000 ))
	while ! port_free "$p"; do p=$((p + 1)); done
	echo "$p"
}
session_of() {
	sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $4 }'
}

# --- detaching ---
port=$(free_port)
"$FORKHTTPD" -a 127.0.0.1 -p "$port" -d "$root" -i "$run/pid" \
    -l "$run/access.log" --error-log "$run/error.log" > "$tmp/out" 2>&1
rc=$?
[ "$rc" = 0 ] || sed 's/^/# starter: /' "$tmp/out"
check "without -D the server detaches and the starter exits 0" \
    test "$rc" = 0
dpid=$(cat "$run/pid" 2>/dev/null)
check "the pid file names a running forkhttpd" \
    test "$(cat "/proc/$dpid/comm" 2>/dev/null)" = forkhttpd
check "the daemon leads its own session" test "$(session_of "$dpid")" = "$dpid"
check "its start-up lines are in --error-log, with the time and its pid" \
    grep -q -E "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}[+-][0-9]{4} \[$dpid\] forkhttpd: listening on 127\.0\.0\.1:$port, " \
    "$run/error.log"
check "the daemon's standard output is not the terminal's" \
    test "$(readlink "/proc/$dpid/fd/1")" = /dev/null
get /a.txt > "$tmp/r"
check "the daemon serves" has "$tmp/r" "plain text"
# the child writes its line as it exits, a moment after the client saw
# the close: give it 2 s on a loaded machine
i=0
while ! grep -q '"GET /a.txt HTTP/1.1" 200 11$' "$run/access.log" &&
    [ $i -lt 40 ]; do
	sleep 0.05
	i=$((i + 1))
done
check "and logs the request" grep -q '"GET /a.txt HTTP/1.1" 200 11$' \
    "$run/access.log"
"$FORKHTTPD" -a 127.0.0.1 -p 0 -d "$root" -i "$run/pid" > "$tmp/out" 2>&1
rc=$?
check "a second server refuses a pid file naming a live forkhttpd" \
    sh -c "test $rc = 1 && grep -q 'still running' '$tmp/out'"

# SIGHUP: move the log away as logrotate does, and lines go to a new file
mv "$run/access.log" "$run/access.log.1"
: > "$run/access.log"
[ "$(id -u)" = 0 ] && chown nobody "$run/access.log"
kill -HUP "$dpid"
sleep 0.3
get /after-hup > /dev/null
check "after SIGHUP the log is the new file" \
    sh -c "grep -q after-hup '$run/access.log' && ! grep -q after-hup '$run/access.log.1'"

# logrotate's default: nothing created for us, in a directory only root
# may write.  The server is nobody by now; the opener, still root, makes
# the new file.
if [ "$(id -u)" = 0 ]; then
	chmod 700 "$run"
	mv "$run/access.log" "$run/access.log.2"
	mv "$run/error.log" "$run/error.log.1"
	kill -HUP "$dpid"
	sleep 0.3
	get /after-second-hup > /dev/null
	i=0
	while ! grep -q after-second-hup "$run/access.log" 2>/dev/null &&
	    [ $i -lt 40 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	check "SIGHUP as nobody re-creates a log only root may create" \
	    sh -c "grep -q after-second-hup '$run/access.log' &&
		test \"\$(stat -c %U /proc/$dpid)\" = nobody"
	group=root
	getent group adm > /dev/null 2>&1 && group=adm
	check "a log forkhttpd creates is 0640, the serving user's, of group $group" \
	    test "$(stat -c '%a %U %G' "$run/access.log")" = "640 nobody $group"
	check "and the error log is re-created too" test -f "$run/error.log"
	chmod 755 "$run"
else
	ok "SIGHUP re-creates a log only root may create # SKIP not root"
fi

kill -TERM "$dpid"
i=0
while kill -0 "$dpid" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
check "SIGTERM stops the daemon" sh -c "! kill -0 $dpid 2>/dev/null"
check "and it removes its pid file" test ! -e "$run/pid"
check "its last line is in the error log opened again on SIGHUP" \
    grep -q "\\[$dpid\\] forkhttpd: stopped$" "$run/error.log"

# SIGUSR2 in a server started with a relative -d: the daemon has moved to
# /, and the new server must start where the first did
port=$(free_port)
(cd "$(dirname "$root")" && "$FORKHTTPD" -a 127.0.0.1 -p "$port" \
    -d "$(basename "$root")" -i "$run/upid") > "$tmp/out" 2>&1
old=$(cat "$run/upid" 2>/dev/null)
kill -USR2 "$old" 2>/dev/null
i=0
while [ "$(cat "$run/upid" 2>/dev/null)" = "$old" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
new=$(cat "$run/upid" 2>/dev/null)
get /a.txt > "$tmp/r"
check "SIGUSR2 with a relative -d: a new server takes over and serves" \
    sh -c "test -n '$new' -a '$new' != '$old' && grep -q 'plain text' '$tmp/r'"
kill -TERM "$new" "$old" 2>/dev/null

# Detaching without --error-log: a syslog that nobody runs is said so on
# the terminal (a default Debian 12 has none).
port=$(free_port)
"$FORKHTTPD" -a 127.0.0.1 -p "$port" -d "$root" -i "$run/pid2" -l syslog \
    > "$tmp/out" 2>&1
kill -TERM "$(cat "$run/pid2" 2>/dev/null)" 2>/dev/null
if [ -S /dev/log ]; then
	check "a syslog daemon listens: no warning on the terminal" \
	    sh -c "! grep -q 'no syslog daemon' '$tmp/out'"
else
	check "no syslog daemon: the terminal is told, for diagnostics and -l syslog" \
	    sh -c "grep -q 'diagnostics are lost (use --error-log FILE)' '$tmp/out' &&
		grep -q 'l syslog loses every access log line' '$tmp/out'"
fi

# wait_gone PID: until the process has exited (5 s at most)
wait_gone() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

# --- the pid file is written as root: no one else chooses where ---
pidrun=$tmp/pidrun
mkdir -m 755 "$pidrun"
mkfifo "$pidrun/pid"
port=$(free_port)
timeout 10 "$FORKHTTPD" -a 127.0.0.1 -p "$port" -d "$root" -i "$pidrun/pid" \
    > "$tmp/out" 2>&1
rc=$?
check "a FIFO at the pid file's name does not hang start-up" test "$rc" = 0
check "it is replaced by a regular file naming the server" \
    sh -c "test -f '$pidrun/pid' && test ! -p '$pidrun/pid' &&
    test \"\$(cat /proc/\$(cat '$pidrun/pid')/comm)\" = forkhttpd"
dpid=$(cat "$pidrun/pid" 2>/dev/null)
kill -TERM "$dpid" 2>/dev/null
wait_gone "$dpid"
rm -f "$pidrun/pid"
echo untouched > "$tmp/target"
ln -s "$tmp/target" "$pidrun/pid"
port=$(free_port)
"$FORKHTTPD" -a 127.0.0.1 -p "$port" -d "$root" -i "$pidrun/pid" \
    > "$tmp/out" 2>&1
check "a link at the pid file's name leaves the file it names alone" \
    sh -c "test \"\$(cat '$tmp/target')\" = untouched && test ! -L '$pidrun/pid'"
dpid=$(cat "$pidrun/pid" 2>/dev/null)
kill -TERM "$dpid" 2>/dev/null
wait_gone "$dpid"
mkdir "$tmp/open"
chmod 777 "$tmp/open"
"$FORKHTTPD" -a 127.0.0.1 -p "$(free_port)" -d "$root" -i "$tmp/open/pid" \
    > "$tmp/out" 2>&1
rc=$?
check "a pid file in a directory writable by others is refused" \
    sh -c "test $rc = 1 && grep -q 'may be changed by others' '$tmp/out' &&
    test ! -e '$tmp/open/pid'"

# a link on the way, in a directory others may change, is theirs to point
mkdir "$tmp/hw" "$tmp/pidtarget"
chmod 777 "$tmp/hw"
ln -s "$tmp/pidtarget" "$tmp/hw/run"
"$FORKHTTPD" -a 127.0.0.1 -p "$(free_port)" -d "$root" -i "$tmp/hw/run/pid" \
    > "$tmp/out" 2>&1
rc=$?
check "a pid file named through a link others may change is refused" \
    sh -c "test $rc = 1 && grep -q 'may be changed by others' '$tmp/out' &&
    test ! -e '$tmp/pidtarget/pid'"

# --- descriptors 0-2 stay /dev/null, even in a chroot without one ---
chroot_opt=
[ "$(id -u)" = 0 ] && chroot_opt=-r
port=$(free_port)
"$FORKHTTPD" -a 127.0.0.1 -p "$port" -d "$root" $chroot_opt -m event -l - \
    -i "$run/pid3" > "$tmp/out" 2>&1
dpid=$(cat "$run/pid3" 2>/dev/null)
check "detached${chroot_opt:+ with -r}, descriptors 0-2 are /dev/null" \
    sh -c "for f in 0 1 2; do
	test \"\$(readlink /proc/$dpid/fd/\$f)\" = /dev/null || exit 1
    done"
# an idle client opened first would have taken 0-2: it must hear nothing
printf '' | "$RAWHTTP" -t 1500 "$port" > "$tmp/idle" &
idle=$!
sleep 0.2
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    "$RAWHTTP" "$port" > "$tmp/r"
wait "$idle"
check "and no access-log line reaches another client's socket" \
    sh -c "grep -q 'plain text' '$tmp/r' && test ! -s '$tmp/idle'"
kill -TERM "$dpid" 2>/dev/null
wait_gone "$dpid"
port=$(free_port)
"$FORKHTTPD" -D -a 127.0.0.1 -p "$port" -d "$root" <&- >&- 2>&- &
closed=$!
i=0
until printf '' | "$RAWHTTP" -t 100 "$port" > /dev/null 2>&1 ||
    [ $i -ge 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
check "started with 0-2 closed, no listener or client takes their numbers" \
    sh -c "test \"\$(readlink /proc/$closed/fd/0)\" = /dev/null &&
    test \"\$(readlink /proc/$closed/fd/2)\" = /dev/null"
kill "$closed"
wait "$closed" 2>/dev/null

port=$(free_port)
"$FORKHTTPD" -a 127.0.0.1 -p "$port" -d "$tmp/no-such-dir" > "$tmp/out" 2>&1
rc=$?
check "a missing document root fails before detaching, with a message" \
    sh -c "test $rc = 1 && grep -q 'no-such-dir' '$tmp/out'"
: > "$tmp/holder.err"
"$FORKHTTPD" -D -a 127.0.0.1 -p "$port" -d "$root" > /dev/null \
    2> "$tmp/holder.err" &
holder=$!
port_of "$tmp/holder.err" "$holder" > /dev/null
"$FORKHTTPD" -a 127.0.0.1 -p "$port" -d "$root" -i "$run/pid2" \
    > "$tmp/out" 2>&1
rc=$?
check "a port in use fails before detaching, with a message" \
    sh -c "test $rc = 1 && grep -q 'Address \(already \)\{0,1\}in use' '$tmp/out'"
check "and leaves no pid file" test ! -e "$run/pid2"
kill "$holder"
wait "$holder" 2>/dev/null

# --- graceful stop: a download in flight finishes, new clients are refused
start --grace 5
printf 'GET /huge.bin HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    req -p 1500 -t 5000 > "$tmp/dl" &
dl=$!
sleep 0.5
kill -TERM "$pid"
sleep 0.3
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n' | req -t 500 > /dev/null 2>&1
check "after SIGTERM new connections are refused" test $? = 1
wait "$dl"
check "a download in flight at SIGTERM completes" \
    test "$(sed '1,/^\r$/d' "$tmp/dl" | wc -c)" = 8388608
wait "$pid"
check "the server then exits 0" test $? = 0
pid=

# --grace: a client that outstays it is cut off (the server leads its group)
# not a group leader, so setsid execs the server: $! is its pid
: > "$tmp/server.err"
setsid "$FORKHTTPD" -D -a 127.0.0.1 -p 0 -d "$root" --grace 1 -T 30 \
    > /dev/null 2> "$tmp/server.err" &
pid=$!
port=$(port_of "$tmp/server.err" "$pid")
printf '' | req -t 10000 > /dev/null &
idle=$!
sleep 0.3
t0=$(date +%s%3N)
kill -TERM "$pid"
wait "$idle"
t1=$(date +%s%3N)
check "an idle client outstaying --grace is ended after it" \
    test $((t1 - t0)) -lt 4000
pid=

# SIGTERM closes a client idle between requests at once, as nginx does:
# only requests in flight get --grace.  In every model.
for MODEL in fork thread event event:2; do
	start --grace 5 -T 30
	printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\n' |
	    req -t 10000 > "$tmp/kept" &
	kept=$!
	sleep 0.5
	t0=$(date +%s%3N)
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	t1=$(date +%s%3N)
	wait "$kept"
	pid=
	check "$MODEL: SIGTERM with a kept-alive client waiting: answered, then closed and stopped within 1 s" \
	    test "$(status_of < "$tmp/kept")" = 200 -a "$rc" = 0 -a \
	    $((t1 - t0)) -lt $((1000 * ${TIME_SCALE:-1}))
done
MODEL=fork

# several -a: each is listened on, all on the one port -p 0 picked
: > "$tmp/two.err"
"$FORKHTTPD" -D -a 127.0.0.1 -a 127.0.0.2 -p 0 -d "$root" \
    > /dev/null 2> "$tmp/two.err" &
two=$!
tport=$(port_of "$tmp/two.err" "$two")
i=0
while ! grep -q "listening on 127.0.0.2:$tport," "$tmp/two.err" &&
    [ $i -lt 40 ]; do
	sleep 0.05
	i=$((i + 1))
done
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    "$RAWHTTP" -a 127.0.0.2 -t 3000 "$tport" > "$tmp/r2"
check "two -a: both addresses are served, on one port" \
    sh -c "grep -q 'listening on 127.0.0.1:$tport,' '$tmp/two.err' &&
	grep -q 'plain text' '$tmp/r2'"
kill "$two"
wait "$two" 2>/dev/null

# --- -4, -6 (on every address, to see which families are opened) ---
"$FORKHTTPD" -D -4 -p 0 -d "$root" > /dev/null 2> "$tmp/v4.err" &
v4=$!
port_of "$tmp/v4.err" "$v4" '0\.0\.0\.0' > /dev/null
kill "$v4"
wait "$v4" 2>/dev/null
check "-4 listens on IPv4 only" \
    sh -c "grep -q 'listening on 0.0.0.0:' '$tmp/v4.err' && ! grep -q 'listening on \[' '$tmp/v4.err'"
if "$RAWHTTP" -a ::1 -t 100 1 < /dev/null 2>&1 | grep -q 'refused'; then
	"$FORKHTTPD" -D -6 -p 0 -d "$root" > /dev/null 2> "$tmp/v6.err" &
	v6=$!
	v6port=$(port_of "$tmp/v6.err" "$v6" '\[::\]')
	printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
	    "$RAWHTTP" -a ::1 "${v6port:-1}" > "$tmp/r"
	kill "$v6"
	wait "$v6" 2>/dev/null
	check "-6 listens on IPv6 only, and serves there" \
	    sh -c "grep -q 'plain text' '$tmp/r' && ! grep -q 'listening on 0.0.0.0' '$tmp/v6.err'"
else
	echo "# this host has no IPv6 loopback: -6 checked for its message only"
	"$FORKHTTPD" -D -6 -a ::1 -p 0 -d "$root" > /dev/null 2> "$tmp/v6.err"
	check "-6 without IPv6 fails with a message" \
	    grep -q 'cannot' "$tmp/v6.err"
fi

# --- inetd and systemd ---
"$SOCKRUN" inetd "$tmp/inetd.port" "$FORKHTTPD" -I -d "$root" -l "$run/inetd.log" &
sr=$!
i=0
while [ ! -s "$tmp/inetd.port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /sub/ HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    "$RAWHTTP" "$(cat "$tmp/inetd.port")" > "$tmp/r"
wait "$sr"
rc=$?
check "-I serves the connection on standard input, keep-alive too" \
    sh -c "grep -q 'plain text' '$tmp/r' && grep -q 'sub index' '$tmp/r'"
check "-I exits 0 when the client is done" test "$rc" = 0
check "-I logs to the access log" test "$(wc -l < "$run/inetd.log")" = 2

"$SOCKRUN" systemd "$tmp/sd.port" "$FORKHTTPD" -D -d "$root" \
    > /dev/null 2> "$tmp/sd.err" &
sd=$!
i=0
while ! grep -q listening "$tmp/sd.err" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
printf 'GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' |
    "$RAWHTTP" "$(cat "$tmp/sd.port")" > "$tmp/r"
check "a socket passed by systemd (LISTEN_FDS) is served" \
    has "$tmp/r" "plain text"
kill "$sd"
wait "$sd" 2>/dev/null

finish
