#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The installed forkhttpd as an administrator meets it: the init script
# through start, status, reload, restart and stop, a stale pid file, a start
# that must fail, privileges, chroot, and the access log across SIGHUP.
# Run by `make installcheck` (and so by distcheck) as root; as another user
# there is no init script to drive, and it says so.
#
# usage: service.sh DAEMON INITSCRIPT DEFAULTS PIDFILE DOCROOT RAWHTTP [UNITDIR]

daemon=$1 init=$2 defaults=$3 pidfile=$4 docroot=$5 rawhttp=$6 unitdir=${7:-}
if [ "$(id -u)" != 0 ]; then
	echo "service.sh: the init script tests need root; not run"
	exit 0
fi
if [ ! -x "$init" ]; then
	echo "service.sh: no init script at $init (--without-initscript?)"
	"$daemon" --version > /dev/null
	exit $?
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/forkhttpd-svc.XXXXXX") || exit 1
chmod 755 "$tmp"
n=0
failed=0
saved_defaults=

cleanup() {
	"$init" stop > /dev/null 2>&1
	[ -n "$blocker" ] && kill "$blocker" 2>/dev/null
	if [ -n "$saved_defaults" ]; then
		cp "$saved_defaults" "$defaults"
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

check() {
	name=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		failed=$((failed + 1))
	fi
}

# rawhttp exits 1 when it cannot connect.
port_free() {
	"$rawhttp" -t 100 "$1" < /dev/null > /dev/null 2>&1
	[ $? = 1 ]
}

# Settings for this run, in place of the installed ones.
saved_defaults=$tmp/defaults.saved
cp "$defaults" "$saved_defaults"
# below the ephemeral range (32768 up), where outgoing connections take ports
port=$(( 10000 + $$ % 22000 ))
while ! port_free "$port"; do port=$((port + 1)); done
log=$tmp/log/access.log
write_defaults() {
	cat > "$defaults" <<EOF
PORT=$port
DOCROOT=$docroot
DAEMON_USER=nobody
LOGFILE=$log
ERRORLOG=$tmp/log/error.log
DAEMON_OPTS="-a 127.0.0.1 $1"
EOF
}
write_defaults ""

get() {
	printf 'GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' "$1" |
	    "$rawhttp" -t 3000 "$port"
}

# Every process running the installed binary.
server_pids() {
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$daemon" ] && echo "${p#/proc/}"
	done
}

uid_of() {
	awk '/^Uid:/ { print $2 }' "/proc/$1/status"
}

"$init" status > /dev/null
check "status before start is 3 (not running)" test $? = 3
"$init" stop > /dev/null
check "stop when stopped succeeds" test $? = 0
"$init" start > "$tmp/out" 2>&1
check "start succeeds" test $? = 0
"$init" start > /dev/null 2>&1
check "start when running succeeds" test $? = 0
"$init" status > /dev/null
check "status after start is 0 (running)" test $? = 0
check "the pid file names the server" \
    test "$(cat "/proc/$(cat "$pidfile")/comm")" = forkhttpd
get / > "$tmp/r"
check "the installed site is served" \
    sh -c "head -n 1 '$tmp/r' | grep -q ' 200 ' && grep -qi '<html' '$tmp/r'"
check "its diagnostics are in the error log the init script names" \
    grep -q "forkhttpd: listening on 127.0.0.1:$port, " "$tmp/log/error.log"

nobody=$(id -u nobody)
as_user=0
openers=0
for p in $(server_pids); do
	if [ "$(cat "/proc/$p/comm")" = forkhttpd-open ]; then
		[ "$(uid_of "$p")" = 0 ] && openers=$((openers + 1))
	elif [ "$(uid_of "$p")" = "$nobody" ]; then
		as_user=$((as_user + 1))
	fi
done
check "every server process runs as nobody, but the opener" \
    test "$as_user" -ge 1 -a "$((as_user + openers))" = "$(server_pids | wc -l)"
check "which keeps root, one for the server" test "$openers" = 1

i=0
while [ $i -lt 5 ]; do
	get "/log-test-$i?q=$i" > /dev/null
	i=$((i + 1))
done
check "five requests make five Common Log Format lines" \
    test "$(grep -c -E '^[0-9.]+ - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}(:[0-9]{2}){3} [+-][0-9]{4}\] "GET /log-test-[0-4]\?q=[0-4] HTTP/1\.1" 404 [0-9]+$' "$log")" = 5
if command -v goaccess > /dev/null 2>&1; then
	goaccess "$log" --log-format=COMMON -o "$tmp/report.json" \
	    > /dev/null 2>&1
	check "goaccess parses the log in its COMMON format" \
	    grep -q '"total_requests": *[1-9]' "$tmp/report.json"
fi

# as logrotate does it: move, create the new file for the user, SIGHUP
mv "$log" "$log.1"
: > "$log"
chown nobody "$log"
"$init" reload > /dev/null
check "reload succeeds" test $? = 0
sleep 0.3
get /after-rotation > /dev/null
check "after SIGHUP new lines go to a new file" \
    sh -c "grep -q after-rotation '$log' && ! grep -q after-rotation '$log.1'"

# The installed logrotate snippet, forced, with a state file of our own:
# nothing created for the server; its opener makes the new file.
snippet=$(dirname "$(dirname "$defaults")")/logrotate.d/forkhttpd
if command -v logrotate > /dev/null 2>&1 && [ -f "$snippet" ]; then
	# the installed directives and postrotate, for this run's log
	sed "s|^/.*/\*\.log {|$tmp/log/*.log {|" "$snippet" > "$tmp/lr.conf"
	chmod 644 "$tmp/lr.conf"
	for i in 0 1 2 3 4 5 6 7 8 9; do
		get "/before-logrotate-$i" > /dev/null
	done
	sleep 0.3
	logrotate -f -s "$tmp/logrotate.state" "$tmp/lr.conf" > "$tmp/lr.out" 2>&1
	check "logrotate -f with the installed snippet succeeds" test $? = 0
	sleep 0.3
	for i in 0 1 2 3 4 5 6 7 8 9; do
		get "/after-logrotate-$i" > /dev/null
	done
	i=0
	while [ "$(grep -c after-logrotate "$log" 2>/dev/null)" != 10 ] &&
	    [ $i -lt 40 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	check "after logrotate all 10 new lines are in a new file, nobody's" \
	    sh -c "test \$(grep -c after-logrotate '$log') = 10 &&
		test \"\$(stat -c %U '$log')\" = nobody"
	check "and all 10 before it in the rotated one, none lost" \
	    test "$(grep -c before-logrotate "$log.1" 2>/dev/null)" = 10
	check "the older log is compressed" test -f "$log.2.gz"
else
	n=$((n + 1))
	echo "ok $n - logrotate with the installed snippet # SKIP no logrotate or no snippet at $snippet"
fi

old=$(cat "$pidfile")
"$init" restart > /dev/null 2>&1
check "restart succeeds" test $? = 0
check "restart starts a new server" test "$(cat "$pidfile")" != "$old"
"$init" status > /dev/null
check "status after restart is 0" test $? = 0

# restart and upgrade under a client opening connections in a loop: the
# new server takes the sockets over, so no request is refused or lost
loop_under() {
	rm -f "$tmp/stop-loop" "$tmp/tries"
	(
		tries=0
		while [ ! -e "$tmp/stop-loop" ]; do
			tries=$((tries + 1))
			s=$(get /index.html | head -n 1 | cut -d ' ' -f 2)
			echo "${s:-refused}"
		done
	) > "$tmp/loop" &
	cl=$!
	sleep 0.5
	old=$(cat "$pidfile")
	"$init" "$1" > /dev/null 2>&1
	rc=$?
	sleep 0.5
	touch "$tmp/stop-loop"
	wait "$cl"
	total=$(wc -l < "$tmp/loop")
	good=$(grep -c '^200$' "$tmp/loop")
	new=$(cat "$pidfile")
	check "$1 under a client loop: a new server, and all $total requests answered ($good with 200)" \
	    test "$rc" = 0 -a "$new" != "$old" -a "$good" = "$total" \
	    -a "$total" -gt 10
	# it drains, then exits (a zombie counts as gone: in a container
	# nobody may reap what was detached)
	i=0
	while [ -r "/proc/$old/stat" ] &&
	    [ "$(sed 's/^.*) //' "/proc/$old/stat" | cut -d ' ' -f 1)" != Z ] &&
	    [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	check "$1: the old server drains and exits" sh -c "
	    ! test -r /proc/$old/stat ||
	    test \"\$(sed 's/^.*) //' /proc/$old/stat | cut -d ' ' -f 1)\" = Z"
}
loop_under restart
loop_under upgrade

# a new program that cannot start: the old server goes on serving
cp "$daemon" "$tmp/daemon.saved"
printf '#!/bin/sh\nexit 1\n' > "$daemon.new"
chmod 755 "$daemon.new"
mv "$daemon.new" "$daemon"
old=$(cat "$pidfile")
"$init" upgrade > /dev/null 2>&1
rc=$?
cp "$tmp/daemon.saved" "$daemon.new"
mv "$daemon.new" "$daemon"
get / > "$tmp/r"
check "a failed upgrade says so, and the old server goes on serving" \
    test "$rc" != 0 -a "$(cat "$pidfile")" = "$old" -a \
    "$(head -n 1 "$tmp/r" | cut -d ' ' -f 2)" = 200

"$init" stop > /dev/null 2>&1
check "stop succeeds" test $? = 0
"$init" status > /dev/null
check "status after stop is 3" test $? = 3
sleep 0.2
check "no forkhttpd process is left after stop" test -z "$(server_pids)"

sh -c 'exit 0' &
dead=$!
wait "$dead"
echo "$dead" > "$pidfile"
"$init" status > /dev/null
check "a stale pid file gives status 1" test $? = 1
rm -f "$pidfile"

"$daemon" -D -a 127.0.0.1 -p "$port" -d "$docroot" -u nobody \
    > /dev/null 2>&1 &
blocker=$!
sleep 0.3
"$init" start > "$tmp/out" 2>&1
rc=$?
check "a start on a port already taken fails" test "$rc" != 0
check "and says why" grep -q 'Address \(already \)\{0,1\}in use' "$tmp/out"
kill "$blocker"
wait "$blocker" 2>/dev/null
blocker=

write_defaults "-r"
"$init" start > /dev/null 2>&1
check "start with chroot succeeds" test $? = 0
pid=$(cat "$pidfile")
check "with -r the server's root is the document root" \
    test "$(readlink "/proc/$pid/root")" = "$(cd "$docroot" && pwd -P)"
get / > "$tmp/r"
check "and it serves from there" grep -q ' 200 ' "$tmp/r"
# rotation under chroot: logrotate's default, nothing made for us
for i in 1 2 3 4 5; do
	get "/before-chroot-rotation-$i" > /dev/null
done
sleep 0.3
mv "$log" "$log.r"
"$init" reload > /dev/null 2>&1
sleep 0.3
for i in 1 2 3 4 5; do
	get "/after-chroot-rotation-$i" > /dev/null
done
sleep 0.3
check "with -r, reload re-creates the log, the user's, none lost (5 + 5)" \
    sh -c "test \$(grep -c after-chroot-rotation '$log') = 5 &&
	test \$(grep -c before-chroot-rotation '$log.r') = 5 &&
	test \"\$(stat -c %U '$log')\" = nobody"
"$init" stop > /dev/null 2>&1

"$init" frobnicate > /dev/null 2>&1
check "an unknown action is status 2" test $? = 2

# the same without start-stop-daemon, as on a system that has none
write_defaults ""
SSD=none "$init" start > /dev/null 2>&1
check "without start-stop-daemon: start succeeds" test $? = 0
SSD=none "$init" status > /dev/null
check "without start-stop-daemon: status is 0" test $? = 0
get /a.txt > /dev/null
get / > "$tmp/r"
check "without start-stop-daemon: it serves" grep -q ' 200 ' "$tmp/r"
SSD=none "$init" stop > /dev/null 2>&1
check "without start-stop-daemon: stop succeeds" test $? = 0
SSD=none "$init" status > /dev/null
check "without start-stop-daemon: status after stop is 3" test $? = 3
sleep 0.2
check "without start-stop-daemon: nothing is left running" \
    test -z "$(server_pids)"

# The installed systemd units, as systemd-analyze judges them (systemd
# need not run): verified clean, and exposed no more than 4.0 (what the
# unit rated before it was hardened further; nginx's rates 9.6).
if [ -n "$unitdir" ] && [ -f "$unitdir/forkhttpd.service" ] &&
    command -v systemd-analyze > /dev/null 2>&1; then
	# the manual it names is installed beside it, under the prefix
	MANPATH=$(cd "$unitdir/../../.." && pwd)/share/man:$(manpath 2>/dev/null) \
	    systemd-analyze verify "$unitdir/forkhttpd.service" \
	    "$unitdir/forkhttpd.socket" > "$tmp/verify" 2>&1
	check "systemd-analyze verify finds nothing in the units" \
	    test $? = 0 -a ! -s "$tmp/verify"
	sed 's/^/# /' "$tmp/verify"
	exposure=$(systemd-analyze security --offline=true \
	    "$unitdir/forkhttpd.service" 2>/dev/null |
	    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	check "systemd-analyze security rates the unit 4.0 or less ($exposure)" \
	    awk -v e="${exposure:-99}" 'BEGIN { exit !(e + 0 <= 4.0) }'
else
	n=$((n + 1))
	echo "ok $n - the systemd units # SKIP none installed, or no systemd-analyze"
fi

echo "1..$n"
[ "$failed" = 0 ]
