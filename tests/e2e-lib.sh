# shellcheck shell=sh
# SPDX-License-Identifier: BSD-2-Clause
# Sourced by the end-to-end scripts (e2e.sh, semantics.sh, abuse.sh): they
# start the built forkhttpd on an ephemeral loopback port with a temporary
# document root and talk to it over raw sockets with rawhttp, in TAP.
# Needs FORKHTTPD and RAWHTTP (make check sets them); MODEL picks the
# process model (default fork).  A script stops only the servers it started
# and checks zombies and descriptors through /proc.
# TRANSPORT=tls runs the same checks over HTTPS: start() adds a TLS
# listener with the certificates of tests/tls-certs.sh, port is then its
# port (plain_port the plain listener's), req() speaks TLS (rawhttp -S),
# and every test name begins with "tls".  TLS_CERT and TLS_KEY name
# another default pair than localhost's.

: "${FORKHTTPD:?set FORKHTTPD to the forkhttpd binary}"
: "${RAWHTTP:?set RAWHTTP to the rawhttp test client}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
MODEL=${MODEL:-fork}
TEST_PREFIX=
AS_USER=
# the address start() listens on (0.0.0.0: every 127.x address too)
LISTEN=127.0.0.1

TRANSPORT=${TRANSPORT:-plain}
case $TRANSPORT in
plain) transport_tag= ;;
tls)
	if [ "${TLS_BUILT:-yes}" = no ]; then
		echo "1..0 # SKIP TLS is not built (configure --without-tls)"
		exit 0
	fi
	transport_tag="tls "
	;;
*)
	echo "Bail out! TRANSPORT is plain or tls, not $TRANSPORT"
	exit 99
	;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/forkhttpd-e2e.XXXXXX") || exit 99
certs=$tmp/pki
if [ "$TRANSPORT" = tls ]; then
	sh "$SRCDIR/tests/tls-certs.sh" "$certs" || exit 99
fi
# VALGRIND, when set, is a valgrind command line to run the server under.
# Clients then wait longer: every child starts under valgrind too.
VALGRIND_CMD=
WAIT_MS=3000
if [ -n "${VALGRIND:-}" ]; then
	# children, no longer root, open their own logs there
	chmod 711 "$tmp"
	mkdir -m 1777 "$tmp/vg"
	VALGRIND_CMD="$VALGRIND --log-file=$tmp/vg/%p"
	WAIT_MS=30000
	# valgrind opens the program again as the user the server becomes
	# (nobody): run a copy that user can reach, wherever the checkout is
	# (mktemp -d makes a directory only root may enter)
	if [ "$(id -u)" = 0 ]; then
		cp "$FORKHTTPD" "$tmp/forkhttpd" || exit 99
		chmod 755 "$tmp/forkhttpd"
		FORKHTTPD=$tmp/forkhttpd
	fi
fi
pid=
n=0
failed=0

cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# TEST_PREFIX, set while a suite runs for one model, prefixes test names.
ok() {
	n=$((n + 1))
	echo "ok $n - $transport_tag$TEST_PREFIX$1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $transport_tag$TEST_PREFIX$1"
	shift
	for line in "$@"; do
		echo "# $line"
	done
}

# every_model FUNCTION [MODELS]: run FUNCTION once for each model of
# $MODELS (else of MODELS, else all of them), its test names prefixed
# with the model's.
every_model() {
	for MODEL in ${MODELS:-${2:-fork thread single event event:2}}; do
		TEST_PREFIX="$MODEL: "
		"$1"
	done
	TEST_PREFIX=
}

# skip NAME REASON: a test that does not apply here, counted as such.
skip() {
	n=$((n + 1))
	echo "ok $n - $transport_tag$TEST_PREFIX$1 # SKIP $2"
}

# check NAME COMMAND...: one test that passes when COMMAND succeeds.
check() {
	name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# finish: the plan, and the script's status.
finish() {
	[ -n "$pid" ] && stop
	if [ -s "$tmp/sanitizers" ]; then
		not_ok "the server printed no sanitizer report" \
		    "$(head -n 5 "$tmp/sanitizers")"
	else
		ok "the server printed no sanitizer report"
	fi
	if [ -n "$VALGRIND_CMD" ]; then
		if grep -l 'ERROR SUMMARY: [1-9]' "$tmp"/vg/* > "$tmp/vgbad"; then
			not_ok "valgrind reports no errors" "$(cat "$tmp/vgbad")"
			cat "$(head -n 1 "$tmp/vgbad")"
		else
			ok "valgrind reports no errors in $(ls "$tmp/vg" | wc -l) processes"
		fi
		# a process valgrind could not run (or that was killed) has no
		# summary: name it rather than leave a client without a reply
		if grep -L 'ERROR SUMMARY' "$tmp"/vg/* > "$tmp/vgcut" &&
		    [ -s "$tmp/vgcut" ]; then
			not_ok "every process under valgrind ran to its end" \
			    "$(cat "$tmp/vgcut")"
			cat "$(head -n 1 "$tmp/vgcut")"
		else
			ok "every process under valgrind ran to its end"
		fi
	fi
	echo "1..$n"
	[ "$failed" = 0 ]
}

# The document root, and a secret next to it that must stay out of reach.
root=$tmp/root
mkdir -p "$root/sub" "$root/empty" "$root/.git"
printf '<!doctype html><title>t</title><p>hello</p>\n' > "$root/index.html"
printf 'sub index\n' > "$root/sub/index.html"
printf 'plain text\n' > "$root/a.txt"
printf 'not found page\n' > "$root/404.html"
printf 'secret\n' > "$root/.git/config"
printf 'TOP SECRET outside the root\n' > "$tmp/secret.txt"
head -c 1048576 /dev/urandom > "$root/big.bin"
head -c 8388608 /dev/zero > "$root/huge.bin"

port=
plain_port=
# start ARGS...: start the server in the background and learn its port.
# AS_USER, when set, is a command prefix such as setpriv.
start() {
	if [ "$TRANSPORT" = tls ]; then
		tls_cert=${TLS_CERT:-$certs/localhost.pem}
		tls_key=${TLS_KEY:-$certs/localhost.key}
		# a server started as another user reads its pair as that
		# user: a copy that user owns, still 0600
		if [ -n "$AS_USER" ] && [ "$(id -u)" = 0 ]; then
			rm -rf "$tmp/userpki"
			mkdir -m 700 "$tmp/userpki" &&
			    cp -p "$tls_cert" "$tmp/userpki/cert.pem" &&
			    cp -p "$tls_key" "$tmp/userpki/key.pem" &&
			    chown -R nobody "$tmp/userpki" || exit 99
			tls_cert=$tmp/userpki/cert.pem
			tls_key=$tmp/userpki/key.pem
		fi
		set -- --tls-port 0 --tls-cert "$tls_cert" --tls-key "$tls_key" \
		    "$@"
	fi
	# MODEL is a model name, or "event:N" for -m event -w N
	case $MODEL in
	*:*) model_opts="-m ${MODEL%%:*} -w ${MODEL#*:}" ;;
	*) model_opts="-m $MODEL" ;;
	esac
	# Empty the files first: the background shell truncates them only
	# when it gets to run, and until then the last server's port is there.
	: > "$tmp/access.log"
	: > "$tmp/server.err"
	# shellcheck disable=SC2086 # AS_USER, VALGRIND_CMD, model_opts: words
	$AS_USER $VALGRIND_CMD "$FORKHTTPD" -D -l - -a "$LISTEN" -p 0 -d "$root" \
	    $model_opts "$@" \
	    > "$tmp/access.log" 2> "$tmp/server.err" &
	pid=$!
	listen_re=$(echo "$LISTEN" | sed 's/\./\\./g')
	if plain_port=$(port_of "$tmp/server.err" "$pid" "$listen_re"); then
		port=$plain_port
		# the opener is there before the listening line
		openers=$(root_children)
		[ "$TRANSPORT" = tls ] || return 0
		port=$(port_of "$tmp/server.err" "$pid" "$listen_re" https) &&
		    return 0
	fi
	echo "Bail out! forkhttpd did not start: $(cat "$tmp/server.err")"
	exit 1
}

# port_of FILE PID [ADDRESS [https|status]]: wait (20 s at most) for the server
# PID to write "listening on ADDRESS:PORT" to FILE, which the caller emptied
# before starting it; print PORT.  Fails if the server dies first.  With
# https the TLS listener's port, "listening on ADDRESS:PORT (https)", and
# with status --status's, "listening on ADDRESS:PORT (status)".
port_of() {
	i=0
	at="listening on ${3:-127\\.0\\.0\\.1}:\\([0-9]*\\)"
	case ${4:-} in
	https|status) want="s/.*$at ($4).*/\\1/p" ;;
	*) want="/(https)/!{/(status)/!s/.*$at.*/\\1/p;}" ;;
	esac
	while [ $i -lt 400 ]; do
		p=$(sed -n "$want" "$1" 2>/dev/null | head -n 1)
		[ -n "$p" ] && echo "$p" && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# stop: end the server; keep any sanitizer report it printed for finish.
stop() {
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	pid=
	grep -E 'Sanitizer|runtime error:' "$tmp/server.err" \
	    >> "$tmp/sanitizers" 2>/dev/null
}

# req [RAWHTTP OPTIONS] < request: the raw response on stdout; over TLS
# the plaintext, naming localhost in SNI.
# shellcheck disable=SC2120
req() {
	if [ "$TRANSPORT" = tls ]; then
		"$RAWHTTP" -t "$WAIT_MS" -S localhost "$@" "$port"
	else
		"$RAWHTTP" -t "$WAIT_MS" "$@" "$port"
	fi
}

# get PATH: a complete HTTP/1.1 request that closes, to stdout.
get() {
	printf 'GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' "$1" |
	    req
}

status_of() {
	head -n 1 | cut -d ' ' -f 2
}

# has FILE TEXT: the response in FILE contains TEXT (a fixed string).
has() {
	grep -F -q -- "$2" "$1"
}

# etag_of FILE: the entity-tag forkhttpd gives FILE (inode-size-mtime).
etag_of() {
	# shellcheck disable=SC2046
	set -- $(stat -c '%i %s %.9Y' "$1" | tr . ' ')
	printf '"%x-%x-%x.%x"' "$1" "$2" "$3" "$(echo "$4" | sed 's/^0*//;s/^$/0/')"
}

# The state letter of every child of the server, one a line, from /proc
# (no procps needed).  The command name is cut first: it may hold spaces.
child_states() {
	for f in /proc/[0-9]*/stat; do
		sed 's/^.*) //' "$f" 2>/dev/null
	done | awk -v p="$pid" '$2 == p { print $1 }'
}

children() {
	child_states | wc -l
}

# The children that keep root: the opener (privsep.c), which a server
# started as root forks when SIGHUP will reopen a key or a log file.
root_children() {
	for f in /proc/[0-9]*/status; do
		[ "$(sed -n 's/^PPid:[[:space:]]*//p' "$f" 2>/dev/null)" = \
		    "$pid" ] || continue
		sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' "$f" 2>/dev/null
	done | grep -c '^0$'
}

# The children the server keeps on purpose: the workers of event:N, and
# the opener if start() found one.
expected_children() {
	case $MODEL in
	*:*) echo $((${MODEL#*:} + ${openers:-0})) ;;
	*) echo "${openers:-0}" ;;
	esac
}

zombies() {
	child_states | grep -c '^Z'
}

fd_count() {
	ls "/proc/$pid/fd" | wc -l
}

# wait_fds COUNT: until the server has COUNT descriptors (3 s at most):
# threads close theirs a moment after the client sees the close, and an
# event loop its open files after a second without clients.
wait_fds() {
	i=0
	while [ "$(fd_count)" != "$1" ] && [ $i -lt 60 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

# wait_children: until only the children the model keeps are left (3 s
# at most).
wait_children() {
	i=0
	while [ "$(children)" -gt "$(expected_children)" ] && [ $i -lt 60 ]; do
		sleep 0.05
		i=$((i + 1))
	done
}

