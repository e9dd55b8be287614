#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# shellcheck disable=SC2154 # cpu_us, cpu_method: set by tests/cpu-lib.sh
# make compare: forkhttpd's process models side by side on 127.0.0.1 --
# throughput, latency and server CPU per request (wrk, in short rounds
# that alternate the models), memory with 256 keep-alive clients, and
# containment of a worker that crashes, leaks, spins or leaks descriptors
# (fault-injection build).  Writes a Markdown report, an HTML page of
# charts (inline SVG, drawn by tests/compare-report.awk), the charts alone
# as one SVG, and the raw numbers, and prints the report.  Linux: reads
# /proc, and a cgroup where it may make one.
#
# Environment (all optional):
#   FORKHTTPD         the server (src/forkhttpd)
#   FORKHTTPD_FAULTS  a fault-injection build (tests/forkhttpd-faults when
#                     it exists); without one the fault part is skipped
#   RAWHTTP           the test client (tests/rawhttp)
#   WRK               the load generator (wrk)
#   COMPARE_SECONDS   length of each wrk run (2)
#   COMPARE_ROUNDS    rounds of wrk runs, the models in turn, forwards in
#                     odd rounds and backwards in even ones (3; quick: 2);
#                     the report gives the median and the spread
#   COMPARE_CPU       how the server's CPU is counted: cgroup (its own
#                     cgroup, v2 or else v1 cpuacct, where one can be
#                     made: needs root) or proc (/proc: the live processes
#                     and what the parent has reaped); by default cgroup,
#                     proc when no cgroup can be made
#   COMPARE_QUICK=1   a smoke run: 16 clients, 1 s runs, idle memory only,
#                     a 50 MiB leak, the models' fault runs side by side
#   COMPARE_OUT       the report (compare-report.md); the page (.html),
#                     the charts (.svg) and the raw numbers (.tsv, or
#                     COMPARE_DATA) go next to it
#   COMPARE_PARTS     any of "throughput memory faults" (all three)
#   COMPARE_FAULT_MODELS  the models put through the faults (every one but
#                     single, which serves one client at a time)
#   COMPARE_LOAD      rawhttp: no wrk beside the rawhttp clients of the
#                     steady load during faults

FORKHTTPD=${FORKHTTPD:-src/forkhttpd}
RAWHTTP=${RAWHTTP:-tests/rawhttp}
if [ -z "${FORKHTTPD_FAULTS:-}" ] && [ -x tests/forkhttpd-faults ]; then
	FORKHTTPD_FAULTS=tests/forkhttpd-faults
fi
FORKHTTPD_FAULTS=${FORKHTTPD_FAULTS:-}
WRK=${WRK:-wrk}
COMPARE_SECONDS=${COMPARE_SECONDS:-2}
COMPARE_QUICK=${COMPARE_QUICK:-0}
COMPARE_OUT=${COMPARE_OUT:-compare-report.md}
COMPARE_DATA=${COMPARE_DATA:-${COMPARE_OUT%.md}.tsv}
COMPARE_PARTS=${COMPARE_PARTS:-throughput memory faults}
COMPARE_SVG=${COMPARE_OUT%.md}.svg
COMPARE_HTML=${COMPARE_OUT%.md}.html
COMPARE_CPU=${COMPARE_CPU:-cgroup}
REPORT_AWK=$(dirname "$0")/compare-report.awk
# shellcheck source=tests/cpu-lib.sh
. "$(dirname "$0")/cpu-lib.sh"

MEM_CLIENTS=256		# keep-alive clients for the memory part
FAULT_FDS=200		# descriptors the fd-leak fault takes
CHILD_DEADLINE=3	# --child-deadline for the fault runs (fork kills hangs)
STEADY_CONNS=8		# wrk connections of the steady load during faults

say() {
	printf 'compare: %s\n' "$*" >&2
}

die() {
	say "$*"
	exit 1
}

case $COMPARE_CPU in
cgroup|proc) ;;
*) die "COMPARE_CPU is cgroup or proc, not $COMPARE_CPU" ;;
esac
case $COMPARE_SECONDS in
''|*[!0-9]*|0) die "COMPARE_SECONDS must be a positive whole number" ;;
esac

if [ "$COMPARE_QUICK" = 1 ]; then
	mode=quick
	tp_secs=1
	rounds=${COMPARE_ROUNDS:-2}
	tp_conns=16
	mem_secs=0		# no busy memory sample: too short to catch
	leak_mb=50
	steady_secs=1		# the steady load during a fault,
	trigger_at=0.3		# the faulty client comes that far into it
	hang_wait=5		# and waits this long (tenths) for a hang
	settle=0.2		# workers may take this long to let go
	busy_secs=0.3		# CPU use is measured over this long
else
	mode=full
	tp_secs=$COMPARE_SECONDS
	rounds=${COMPARE_ROUNDS:-3}
	tp_conns="1 16 64"
	mem_secs=$COMPARE_SECONDS
	leak_mb=200
	steady_secs=2		# shorter than the child deadline
	trigger_at=0.5
	hang_wait=10
	settle=0.5
	busy_secs=1
fi
case $rounds in
''|*[!0-9]*|0) die "COMPARE_ROUNDS must be a positive whole number" ;;
esac

# Servers are started from the work directory (any core file lands there),
# so every program path must be absolute.
absolute() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$PWD" "$1" ;;
	esac
}

[ -x "$FORKHTTPD" ] || die "no server at $FORKHTTPD (set FORKHTTPD)"
FORKHTTPD=$(absolute "$FORKHTTPD")
have_raw=0
if [ -x "$RAWHTTP" ]; then
	RAWHTTP=$(absolute "$RAWHTTP")
	have_raw=1
fi
have_faults=0
if [ -z "$FORKHTTPD_FAULTS" ]; then
	faults_why="no fault-injection build: set FORKHTTPD_FAULTS (make tests/forkhttpd-faults, or ./configure --enable-fault-injection)"
elif [ ! -x "$FORKHTTPD_FAULTS" ]; then
	faults_why="FORKHTTPD_FAULTS=$FORKHTTPD_FAULTS is not an executable"
elif [ "$have_raw" = 0 ]; then
	faults_why="the fault part needs the rawhttp client (RAWHTTP=$RAWHTTP)"
else
	FORKHTTPD_FAULTS=$(absolute "$FORKHTTPD_FAULTS")
	have_faults=1
fi
have_wrk=0
command -v "$WRK" > /dev/null 2>&1 && have_wrk=1
load=${COMPARE_LOAD:-wrk}
[ "$have_wrk" = 0 ] && load=rawhttp

part() {
	case " $COMPARE_PARTS " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# ---------------------------------------------------------------------------
# Work directory, document root, clean-up

work=$(mktemp -d "${TMPDIR:-/tmp}/forkhttpd-compare.XXXXXX") ||
    die "cannot make a temporary directory"
chmod 711 "$work"	# a server started as root serves as nobody
root=$work/root
data=$work/data.tsv
run=$work		# scratch files of the measurement under way
srv_pid=
srv_out=/dev/null	# where the server's standard output (access log) goes
bg_pids=		# background processes not waited for yet

# track PID: a background process to end if we are stopped early.
track() {
	bg_pids="$bg_pids $1"
}

# reap PID: wait for it, and forget it; returns its status.
reap() {
	wait "$1" 2>/dev/null
	reaped=$?
	left=
	for q in $bg_pids; do
		[ "$q" = "$1" ] || left="$left $q"
	done
	bg_pids=$left
	return $reaped
}

# end_tracked: end every background process still running.
end_tracked() {
	for p in $bg_pids; do
		kill "$p" 2>/dev/null
	done
	for p in $bg_pids; do
		reap "$p"
	done
}

cleanup() {
	server_stop
	end_tracked
	cpu_cleanup
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
# A crash must not leave a core file behind (dash and bash know -c).
# shellcheck disable=SC3045
ulimit -c 0 2>/dev/null

mkdir "$root" || exit 1
{
	printf '<!doctype html>\n<title>forkhttpd compare</title>\n<pre>\n'
	i=0
	while [ $i -lt 30 ]; do
		printf 'pack my box with five dozen liquor jugs, line %02d\n' $i
		i=$((i + 1))
	done
} | head -c 1024 > "$root/index.html"
head -c 1048576 /dev/urandom > "$root/1m.bin"
chmod 755 "$root"
chmod 644 "$root"/*
printf 'GET /index.html HTTP/1.1\r\nHost: compare\r\nConnection: close\r\n\r\n' \
    > "$work/close.req"
printf 'GET /index.html HTTP/1.1\r\nHost: compare\r\n\r\n' > "$work/ka.req"
printf 'GET / HTTP/1.1\r\nHost: compare\r\nConnection: close\r\n\r\n' \
    > "$work/root.req"
printf '# %s\n' "kind	columns (- when not measured)" \
    "tp	model workload clients req/s p50_ms p99_ms socket_errors non2xx requests round server_us_per_request server_cores client_cores" \
    "mem	model state clients processes connections rss_kb pss_kb parent_pss_kb pss_without_clients_kb" \
    "meta	key value" \
    "fault	model fault steady_ok steady_failed reply alive death get_after pss_base_kb pss_during_kb pss_after_kb fds_base fds_during fds_after parent_fds_base parent_fds_after busy_cores children_after keepalive_ok keepalive_failed" \
    > "$data"

# row FIELD...: one line of raw numbers, tab-separated.
row() {
	old_ifs=$IFS
	IFS='	'
	printf '%s\n' "$*" >> "$data"
	IFS=$old_ifs
}

# Forks are dear on a loaded machine (10 ms and more each), so the helpers
# below use shell built-ins where they can and read /proc in few commands.

# clock: now_cs is the uptime in hundredths of a second.
clock() {
	read -r now_cs _ < /proc/uptime
	now_cs=${now_cs%.*}${now_cs#*.}
	now_cs=${now_cs#"${now_cs%%[!0]*}"}
	now_cs=${now_cs:-0}
}

# sleep_cs N: sleep N hundredths of a second.
sleep_cs() {
	sleep "$(($1 / 100)).$(($1 % 100 / 10))$(($1 % 10))"
}

# ---------------------------------------------------------------------------
# The server, seen through /proc

# alive PID: running, and not a zombie waiting for us.
alive() {
	line=
	read -r line 2>/dev/null < "/proc/$1/stat" || return 1
	line=${line##*) }
	[ "${line%% *}" != Z ]
}

# measure: one look at the server and its live children.  Sets m_pids,
# m_procs, m_kids, m_rss, m_pss, m_ppss (KiB; the last for the parent
# alone), m_fds, m_pfds (descriptors of them all, of the parent) and
# m_socks (sockets among them).  In /proc/PID/stat
# the command name is cut up to the last ") ": it may hold anything.
measure() {
	m_pids=
	m_procs=0
	m_kids=0
	m_rss=-
	m_pss=-
	m_ppss=-
	m_fds=-
	m_pfds=-
	m_socks=0
	[ -n "$srv_pid" ] && alive "$srv_pid" || return 0
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$srv_pid" '
	{
		pid = $1
		# the opener, root'"'"'s while the server runs as root, serves
		# no client: not one of the model'"'"'s processes
		if ($0 ~ /^[0-9]+ \(forkhttpd-open\) /)
			next
		sub(/^.*\) /, "")
		if (pid != p && $2 != p)
			next
		if (pid != p && $1 == "Z")
			next
		n++
		if (pid != p)
			kids++
		pids = pids " " pid
		f = "/proc/" pid "/smaps_rollup"
		while ((getline l < f) > 0) {
			split(l, w, " ")
			if (w[1] == "Rss:")
				r += w[2]
			else if (w[1] == "Pss:") {
				s += w[2]
				if (pid == p)
					ps += w[2]
			}
		}
		close(f)
	}
	END { printf "%d %d %d %d %d%s\n", n, kids, r, s, ps, pids }' \
	    > "$run/snap"
	read -r m_procs m_kids m_rss m_pss m_ppss m_pids < "$run/snap"
	if [ "${m_procs:-0}" = 0 ]; then
		m_procs=0
		m_kids=0
		m_rss=-
		m_pss=-
		m_ppss=-
		return 0
	fi
	set --
	for p in $m_pids; do
		set -- "$@" "/proc/$p/fd"
	done
	find "$@" -mindepth 1 -maxdepth 1 -printf '%h %l\n' 2>/dev/null |
	    awk -v p="/proc/$srv_pid/fd" '
		{ n++; if ($1 == p) pn++; if ($2 ~ /^socket:/) s++ }
		END { printf "%d %d %d\n", n, pn, s }' > "$run/fdsnap"
	read -r m_fds m_pfds m_socks < "$run/fdsnap"
}

# wait_children COUNT SECONDS: until the server has COUNT children (fork:
# none once its clients are gone; event -w: its workers, dead ones
# restarted) or SECONDS have passed.
wait_children() {
	i=0
	while [ $i -lt $(($2 * 10)) ]; do
		measure
		[ "$m_kids" -eq "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
}

# busy_cores: m_busy is how many cores the server used over busy_secs.
busy_cores() {
	cpu_proc_us "$srv_pid"
	a=$cpu_us
	clock
	t0=$now_cs
	sleep "$busy_secs"
	cpu_proc_us "$srv_pid"
	b=$cpu_us
	clock
	dt=$((now_cs - t0))
	[ "$dt" -gt 0 ] || dt=1
	c=$(((b - a) / 100 / dt))
	[ "$c" -ge 0 ] || c=0
	m_busy=$((c / 100)).$((c % 100 / 10))$((c % 10))
}

# ---------------------------------------------------------------------------
# The server's CPU, every process of it: tests/cpu-lib.sh, in a cgroup of
# the server's own (tp_start) or from /proc.

# server_cpu: cpu_us is the CPU time the server has used so far, in us.
server_cpu() {
	cpu_used "$srv_pid"
}

# model_args LABEL: the options that select it ("event-w2": -m event -w 2).
model_args() {
	case $1 in
	*-w[0-9]*) echo "-m ${1%-w*} -w ${1##*-w}" ;;
	*) echo "-m $1" ;;
	esac
}

# server_start BINARY LABEL ARGS...: start it on an ephemeral loopback
# port; sets srv_pid and srv_port, or returns 1.  A server started as root
# serves as nobody: the work directory lets it reach the document root.
server_start() {
	bin=$1
	label=$2
	shift 2
	: > "$run/server.err"
	echo "$@" > "$run/args"
	# shellcheck disable=SC2046,SC2086
	# in cpu_cg, if set: the subshell moves itself in, then execs
	(cd "$work" && cpu_join &&
	    exec "$bin" -D -a 127.0.0.1 -p 0 -d "$root" \
	    $(model_args "$label") $srv_opts "$@") > "$srv_out" 2> "$run/server.err" &
	srv_pid=$!
	srv_port=
	srv_tls_port=
	i=0
	while [ $i -lt 200 ]; do
		while read -r line; do
			case $line in
			*"listening on 127.0.0.1:"[0-9]*" (https)"*)
				srv_tls_port=${line##*127.0.0.1:}
				srv_tls_port=${srv_tls_port%%[!0-9]*}
				;;
			*"listening on 127.0.0.1:"[0-9]*)
				srv_port=${line##*127.0.0.1:}
				srv_port=${srv_port%%[!0-9]*}
				;;
			esac
		done < "$run/server.err"
		# with --tls-port, both lines
		if [ -n "$srv_port" ] && { [ -n "$srv_tls_port" ] ||
		    ! grep -q -e --tls-port "$run/args" 2>/dev/null; }; then
			return 0
		fi
		alive "$srv_pid" || break
		sleep 0.05
		i=$((i + 1))
	done
	say "$label: the server did not start: $(head -n 3 "$run/server.err")"
	server_stop
	return 1
}

# server_stop: end the server and every child it has.  A child that spins
# may ignore SIGTERM, and outlive its parent: it gets SIGKILL.  The shell
# may have reaped a server that died already: then there is nothing to
# kill, and its pid may belong to someone else by now.
server_stop() {
	[ -n "$srv_pid" ] || return 0
	if alive "$srv_pid"; then
		measure
		stop_pids=$m_pids
		for p in $stop_pids; do
			kill "$p" 2>/dev/null
		done
		i=0
		while alive "$srv_pid" && [ $i -lt 30 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		for p in $stop_pids; do
			alive "$p" && kill -KILL "$p" 2>/dev/null
		done
	fi
	wait "$srv_pid" 2>/dev/null
	srv_pid=
}

# status_in FILE: g_status is the status code of the response in FILE, or
# "none".
status_in() {
	g_status=none
	line=
	read -r line < "$1"
	case $line in
	HTTP/1.?" "[0-9][0-9][0-9]*)
		line=${line#* }
		g_status=${line%% *}
		;;
	esac
}

# get_status REQUEST-FILE: send it on a new connection; sets g_status.
get_status() {
	"$RAWHTTP" -t 3000 "$srv_port" < "$1" > "$run/get.resp" 2>/dev/null
	status_in "$run/get.resp"
}

# ---------------------------------------------------------------------------
# wrk

# wrk_run OUTFILE CLIENTS SECONDS [WRK ARGS...] URL
wrk_run() {
	out=$1
	c=$2
	s=$3
	shift 3
	"$WRK" -t1 -c"$c" -d"${s}s" --latency "$@" > "$out" 2>&1
}

# wrk_parse FILE: "req/s p50_ms p99_ms socket_errors non2xx requests".
wrk_parse() {
	awk '
	function ms(v) {
		if (v ~ /us$/) return v / 1000
		if (v ~ /ms$/) return v + 0
		if (v ~ /m$/) return v * 60000
		if (v ~ /s$/) return v * 1000
		return v + 0
	}
	$1 == "Requests/sec:" { rps = $2 }
	$1 == "50%" { p50 = sprintf("%.3f", ms($2)) }
	$1 == "99%" { p99 = sprintf("%.3f", ms($2)) }
	/Socket errors:/ { gsub(/,/, ""); err = $4 + $6 + $8 + $10 }
	/Non-2xx or 3xx responses:/ { non = $5 }
	/ requests in / { reqs = $1 }
	END {
		printf "%s %s %s %d %d %s\n", rps == "" ? "-" : rps,
		    p50 == "" ? "-" : p50, p99 == "" ? "-" : p99, err, non,
		    reqs == "" ? "-" : reqs
	}' "$1"
}

# ---------------------------------------------------------------------------
# The models: fork, thread and single, and whatever else --help lists on
# its -m line.  A model that runs several workers (-w) is also compared
# with two, as NAME-w2.

"$FORKHTTPD" --help > "$work/help" 2>&1
listed=$(awk '
    grab { s = s " " $0 }
    /how clients are served:/ {
	s = $0
	sub(/.*how clients are served:/, "", s)
	grab = 1
    }
    grab && s !~ /,[ \t]*$/ { grab = 0 }
    END {
	sub(/\(.*/, "", s)
	n = split(s, w, /[ \t,]+/)
	for (i = 1; i <= n; i++)
		if (w[i] ~ /^[a-z][a-z0-9_]*$/)
			printf "%s ", w[i]
    }' "$work/help")
models=
for m in fork thread single $listed; do
	case " $models " in
	*" $m "*) ;;
	*) models="${models:+$models }$m" ;;
	esac
done
if grep -q -- '--workers=N' "$work/help"; then
	for m in $listed; do
		# the help names the model that takes -w
		grep -q -- "--workers=N *with -m $m" "$work/help" &&
		    models="$models $m-w2"
	done
fi

# HTTPS rows when the server has TLS and openssl can make a certificate.
have_tls=0
if grep -q -- '--tls-port=' "$work/help" && command -v openssl > /dev/null &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$work/key.pem" -out "$work/cert.pem" -days 2 \
    -subj /CN=localhost > /dev/null 2>&1; then
	chmod 644 "$work/key.pem"
	have_tls=1
fi

# Stopping must not wait for a worker that spins: no grace period.  And
# every client comes from 127.0.0.1: no cap per address (by default a
# quarter of -c, which would turn away half the memory part's clients).
srv_opts=
grep -q -- '--grace=' "$work/help" && srv_opts=--grace=0
grep -q -- '--max-per-address=' "$work/help" &&
    srv_opts="$srv_opts --max-per-address=0"
# The fault runs read the access log on standard output.
logopt=
grep -q -- '--logfile=' "$work/help" && logopt="-l -"

# ---------------------------------------------------------------------------
# a) throughput and latency

# cost REQUESTS SERVER_US WALL_CS: "us_per_request server_cores
# client_cores", the last from the shell's times before and after the run
# (wrk's user and system time: the only child waited for in between).
cost() {
	awk -v n="$1" -v us="$2" -v cs="$3" '
	function sec(v,    a) {
		sub(/s$/, "", v)
		split(v, a, "m")
		return a[1] * 60 + a[2]
	}
	FNR == 2 { t[++k] = sec($1) + sec($2) }
	END {
		wall = cs > 0 ? cs / 100 : 1
		per = n ~ /^[0-9]+$/ && n > 0 ? sprintf("%.2f", us / n) : "-"
		printf "%s %.3f %.3f\n", per, us / 1e6 / wall,
		    (t[2] - t[1]) / wall
	}' "$run/times.0" "$run/times.1"
}

# tp_run WORKLOAD CLIENTS [WRK ARGS...] URL: one wrk run against the
# server of this model and round, and one tp row.
tp_run() {
	wl=$1
	c=$2
	shift 2
	say "$model: round $round, wrk $wl, $c clients, ${tp_secs}s"
	server_cpu
	cpu0=$cpu_us
	times > "$run/times.0"
	clock
	t0=$now_cs
	wrk_run "$run/wrk.out" "$c" "$tp_secs" "$@"
	clock
	t1=$now_cs
	times > "$run/times.1"
	server_cpu
	# shellcheck disable=SC2046
	set -- $(wrk_parse "$run/wrk.out")
	# shellcheck disable=SC2046
	row tp "$model" "$wl" "$c" "$@" "$round" \
	    $(cost "$6" $((cpu_us - cpu0)) $((t1 - t0)))
}

# tp_start MODEL ROUND TAG [ARGS...]: a server for one round's runs, in a
# cgroup of its own when there is one.
tp_start() {
	model=$1
	round=$2
	cpu_group "$1.$2$3" || die "cannot make a cgroup for $1.$2$3"
	shift 3
	server_start "$FORKHTTPD" "$model" -c 512 "$@" && return 0
	cpu_group_done
	return 1
}

# tp_stop: the server of tp_start, and its cgroup.
tp_stop() {
	alive "$srv_pid" || say "$model: the server died under load"
	server_stop
	cpu_group_done
}

# throughput MODEL ROUND
throughput() {
	tp_start "$1" "$2" "" || {
		row tp "$1" did-not-start - - - - - - - "$2" - - -
		return
	}
	url=http://127.0.0.1:$srv_port
	for wl in close ka; do
		for c in $tp_conns; do
			if [ $wl = close ]; then
				tp_run $wl "$c" -H 'Connection: close' \
				    "$url/index.html"
			else
				tp_run $wl "$c" "$url/index.html"
			fi
		done
	done
	[ "$mode" = full ] && tp_run ka-1MiB 16 "$url/1m.bin"
	tp_stop
	[ "$have_tls" = 1 ] && throughput_https "$1" "$2"
}

# The same over HTTPS: TLS 1.3, one ECDSA P-256 certificate.
throughput_https() {
	tp_start "$1" "$2" .https --tls-port 0 --tls-cert "$work/cert.pem" \
	    --tls-key "$work/key.pem" || return
	url=https://127.0.0.1:$srv_tls_port
	for c in $tp_conns; do
		tp_run close-https "$c" -H 'Connection: close' \
		    "$url/index.html"
		tp_run ka-https "$c" "$url/index.html"
	done
	[ "$mode" = full ] && tp_run ka-1MiB-https 16 "$url/1m.bin"
	tp_stop
}

# ---------------------------------------------------------------------------
# b) memory with MEM_CLIENTS keep-alive clients

# mem_sample MODEL STATE: one memory row for the server as it is now.
mem_sample() {
	measure
	row mem "$1" "$2" "$MEM_CLIENTS" "$m_procs" "$((m_socks - base_socks))" \
	    "$m_rss" "$m_pss" "$m_ppss" "$base_pss"
}

memory() {
	model=$1
	server_start "$FORKHTTPD" "$model" -c 512 -T 60 || {
		row mem "$model" did-not-start - - - - - - -
		return
	}
	case $model in
	*-w[0-9]*) base_kids=${model##*-w} ;;
	*) base_kids=0 ;;
	esac
	wait_children "$base_kids" 3
	base_socks=$m_socks
	base_pss=$m_pss
	if [ "$have_raw" = 1 ]; then
		say "$model: $MEM_CLIENTS idle keep-alive clients"
		"$RAWHTTP" -n "$MEM_CLIENTS" -t 30000 "$srv_port" \
		    < "$work/ka.req" > /dev/null 2>&1 &
		holder=$!
		track $holder
		# until every client is held, or the count stops moving
		last=-1
		still=0
		i=0
		while [ $i -lt 100 ] && [ $still -lt 5 ]; do
			sleep 0.1
			measure
			[ $((m_socks - base_socks)) -ge "$MEM_CLIENTS" ] && break
			if [ "$m_socks" = "$last" ]; then
				still=$((still + 1))
			else
				still=0
			fi
			last=$m_socks
			i=$((i + 1))
		done
		sleep 0.2
		mem_sample "$model" idle
		kill "$holder" 2>/dev/null
		reap $holder
		wait_children "$base_kids" 5
	fi
	if [ "$have_wrk" = 1 ] && [ "$mem_secs" -gt 0 ]; then
		say "$model: wrk with $MEM_CLIENTS keep-alive clients, ${mem_secs}s"
		wrk_run "$run/wrk.out" "$MEM_CLIENTS" "$mem_secs" \
		    "http://127.0.0.1:$srv_port/index.html" &
		w=$!
		track $w
		sleep_cs $((mem_secs * 50))
		mem_sample "$model" busy
		reap $w
	fi
	server_stop
}

# ---------------------------------------------------------------------------
# c) fault containment

# The steady load: new clients one after another, each a rawhttp with one
# request, until $run/steady.go goes away; then it prints "ok failed".
# With wrk installed, STEADY_CONNS keep-alive clients as well.
steady_loop() {
	ok=0
	failed=0
	while [ -e "$run/steady.go" ]; do
		"$RAWHTTP" -t 2000 "$srv_port" < "$work/close.req" \
		    > "$run/steady.resp" 2>/dev/null
		status_in "$run/steady.resp"
		if [ "$g_status" = 200 ]; then
			ok=$((ok + 1))
		else
			failed=$((failed + 1))
			sleep 0.05
		fi
		sleep 0.02
	done
	echo "$ok $failed"
}

# steady_start SECONDS
steady_start() {
	clock
	steady_t0=$now_cs
	: > "$run/steady.go"
	steady_loop > "$run/steady.out" &
	steady_pid=$!
	track $steady_pid
	ka_pid=
	if [ "$load" = wrk ]; then
		wrk_run "$run/ka.out" "$STEADY_CONNS" "$1" \
		    "http://127.0.0.1:$srv_port/index.html" &
		ka_pid=$!
		track $ka_pid
	fi
}

# steady_end SECONDS: the end of a load started SECONDS ago; sets st_ok
# and st_failed (new clients answered, and not), ka_ok and ka_failed
# (keep-alive requests answered, and socket errors or other answers: a
# dead server gets one per attempt to reconnect).  The new clients go on
# for half a second at least, to meet whatever the fault left behind.
steady_end() {
	clock
	left=$(($1 * 100 - (now_cs - steady_t0)))
	[ $left -ge 50 ] || left=50
	sleep_cs $left
	rm -f "$run/steady.go"
	reap $steady_pid
	read -r st_ok st_failed < "$run/steady.out"
	ka_ok=-
	ka_failed=-
	[ -n "$ka_pid" ] || return 0
	reap $ka_pid
	# shellcheck disable=SC2046
	set -- $(wrk_parse "$run/ka.out")
	ka_failed=$(($4 + $5))
	ka_ok=$6
	[ "$ka_ok" = - ] || ka_ok=$((ka_ok - $5))
}

# fault_logged: f_status is the status the access log shows for the faulty
# request ("GET /__fault/... HTTP/1.1" STATUS BYTES), or empty.
fault_logged() {
	f_status=
	grep -m 1 -F '"GET /__fault/' "$run/access.log" > "$run/fault.log"
	line=
	read -r line < "$run/fault.log"
	[ -n "$line" ] || return 0
	line=${line##*'" '}
	f_status=${line%% *}
}

# fault_run MODEL FAULT: a fresh server, a steady load, one faulty client.
fault_run() {
	model=$1
	fault=$2
	srv_out=$run/access.log
	# shellcheck disable=SC2086
	server_start "$FORKHTTPD_FAULTS" "$model" -c 512 \
	    --child-deadline "$CHILD_DEADLINE" $logopt || {
		row fault "$model" "$fault" - - - did-not-start - - - - - - \
		    - - - - - - - -
		return
	}
	say "$model: $fault, during a steady load"
	case $model in
	*-w[0-9]*) base_kids=${model##*-w} ;;
	*) base_kids=0 ;;
	esac
	wait_children "$base_kids" 3
	# warm up, so that the baseline holds what serving costs anyway
	steady_start 1
	steady_end 1
	wait_children "$base_kids" 5
	sleep "$settle"
	measure
	pss_base=$m_pss
	fds_base=$m_fds
	pfds_base=$m_pfds

	steady_start "$steady_secs"
	sleep "$trigger_at"
	case $fault in
	leak) target="/__fault/leak?mb=$leak_mb" ;;
	fd-leak) target="/__fault/fd-leak?n=$FAULT_FDS" ;;
	*) target=/__fault/$fault ;;
	esac
	printf 'GET %s HTTP/1.1\r\nHost: compare\r\n\r\n' "$target" \
	    > "$run/fault.req"
	"$RAWHTTP" -t 30000 "$srv_port" < "$run/fault.req" > /dev/null \
	    2>&1 &
	faulty=$!
	track $faulty
	# The faulty client stays until the server has logged its answer (a
	# leak takes seconds where page faults are dear), until it is dropped,
	# or for hang_wait tenths of a second when nothing can come.
	i=0
	while [ $i -lt 300 ]; do
		fault_logged
		[ -n "$f_status" ] && break
		alive "$faulty" || break
		[ "$fault" = hang ] && [ $i -ge "$hang_wait" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	measure
	pss_during=$m_pss
	fds_during=$m_fds
	kill "$faulty" 2>/dev/null
	reap $faulty
	reply=${f_status:-none}
	steady_end "$steady_secs"

	death=-
	get_after=-
	pss_after=-
	fds_after=-
	pfds_after=-
	m_busy=-
	kids=-
	if alive "$srv_pid"; then
		is_alive=yes
		get_status "$work/root.req"
		get_after=$g_status
		# the faulty worker is gone when its client is (fork), is
		# replaced (event -w), or stays (a thread that spins)
		wait_children "$base_kids" $((CHILD_DEADLINE + 3))
		sleep "$settle"
		measure
		pss_after=$m_pss
		fds_after=$m_fds
		pfds_after=$m_pfds
		kids=$m_kids
		# a quick run looks at the CPU only where a worker may spin
		[ "$mode" = full ] || [ "$fault" = hang ] && busy_cores
		server_stop
	else
		is_alive=no
		wait "$srv_pid"
		rc=$?
		srv_pid=
		if [ $rc -gt 128 ]; then
			death=SIG$(kill -l $((rc - 128)))
		else
			death=exit-$rc
		fi
	fi
	row fault "$model" "$fault" "${st_ok:--}" "${st_failed:--}" "$reply" \
	    "$is_alive" "$death" "$get_after" "$pss_base" "$pss_during" \
	    "$pss_after" "$fds_base" "$fds_during" "$fds_after" "$pfds_base" \
	    "$pfds_after" "$m_busy" "$kids" "$ka_ok" "$ka_failed"
}

# fault_series MODEL: every fault in turn, in a subshell with its own
# scratch directory and rows, which stops its own server on the way out.
# Quick runs start one series per model at once.
fault_series() (
	run=$work/faults-$1
	data=$run/data.tsv
	srv_pid=
	bg_pids=
	trap 'server_stop; end_tracked' EXIT
	trap 'exit 1' HUP INT TERM
	mkdir "$run" || exit 1
	: > "$data"
	for f in crash leak hang fd-leak; do
		fault_run "$1" "$f"
	done
)

# Is FORKHTTPD_FAULTS really a fault-injection build?  A leak of 0 MiB is
# 200 there and 404 in a default build.
faults_probe() {
	server_start "$FORKHTTPD_FAULTS" fork || return 1
	printf 'GET /__fault/leak?mb=0 HTTP/1.1\r\nHost: compare\r\nConnection: close\r\n\r\n' \
	    > "$run/probe.req"
	get_status "$run/probe.req"
	server_stop
	[ "$g_status" = 200 ]
}

# ---------------------------------------------------------------------------
# The report

version_of() {
	"$@" 2>&1 | head -n 1 | sed 's/ *Copyright.*//'
}

tp_tables() {
	awk -F '\t' -v models="$models" '
	$1 != "tp" || $3 == "did-not-start" { next }
	# every round: the median of each measure, and the errors added up
	function add(a, k, v) {
		if (v == "-" || v == "")
			return
		a[k] = (k in a) ? a[k] " " v : v
	}
	function median(a, k,    v, n, i, j, t) {
		if (!(k in a))
			return "-"
		n = split(a[k], v, " ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
			}
		return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	{
		key = $3 "\t" $4
		if (!(key in seen)) { seen[key] = 1; order[++n] = key }
		add(rps, key SUBSEP $2, $5)
		add(p50, key SUBSEP $2, $6)
		add(p99, key SUBSEP $2, $7)
		add(us, key SUBSEP $2, $12)
		add(wrkc, key SUBSEP $2, $14)
		if ($8 + $9 > 0) {
			e8[key, $2] += $8
			e9[key, $2] += $9
			anyerr = 1
		}
	}
	function head(title,    i) {
		printf "\n%s\n\n| workload | clients |", title
		for (i = 1; i <= nm; i++) printf " %s |", m[i]
		printf "\n|---|---:|"
		for (i = 1; i <= nm; i++) printf "---:|"
		printf "\n"
	}
	function label(k,    f) {
		split(k, f, "\t")
		if (f[1] == "close") return "new connection per request | " f[2]
		if (f[1] == "ka") return "keep-alive, 1 KiB | " f[2]
		if (f[1] == "ka-1MiB") return "keep-alive, 1 MiB file | " f[2]
		if (f[1] == "close-https")
			return "HTTPS, new connection per request | " f[2]
		if (f[1] == "ka-https") return "HTTPS keep-alive, 1 KiB | " f[2]
		if (f[1] == "ka-1MiB-https")
			return "HTTPS keep-alive, 1 MiB file | " f[2]
		return f[1] " | " f[2]
	}
	function table(title, a, fmt,    i, j, k, v) {
		head(title)
		for (j = 1; j <= n; j++) {
			k = order[j]
			printf "| %s |", label(k)
			for (i = 1; i <= nm; i++) {
				v = median(a, k SUBSEP m[i])
				printf " %s |", v == "-" ? "-" : sprintf(fmt, v)
			}
			printf "\n"
		}
	}
	END {
		nm = split(models, m, " ")
		if (n == 0) exit
		table("Requests per second, median of the rounds (more is better):", rps, "%.0f")
		head("Latency p50 / p99 in ms, medians (less is better):")
		for (j = 1; j <= n; j++) {
			k = order[j]
			printf "| %s |", label(k)
			for (i = 1; i <= nm; i++)
				if (median(p50, k SUBSEP m[i]) != "-")
					printf " %s / %s |", median(p50, k SUBSEP m[i]),
					    median(p99, k SUBSEP m[i])
				else
					printf " - |"
			printf "\n"
		}
		table("Server CPU per request in µs, every process of the model, median (less is better):", us, "%.1f")
		table("The client'"'"'s CPU: cores wrk used (one thread: 1.00 means wrk, not the server, set the pace):", wrkc, "%.2f")
		if (!anyerr) exit
		head("wrk errors over every round, socket errors / non-2xx answers:")
		for (j = 1; j <= n; j++) {
			k = order[j]
			printf "| %s |", label(k)
			for (i = 1; i <= nm; i++) {
				v = "0"
				if ((k, m[i]) in e8)
					v = e8[k, m[i]] " / " e9[k, m[i]]
				printf " %s |", v
			}
			printf "\n"
		}
	}' "$data"
}

mem_table() {
	awk -F '\t' '
	function mib(kb) { return kb == "-" ? "-" : sprintf("%.1f", kb / 1024) }
	$1 != "mem" { next }
	$3 == "did-not-start" {
		printf "| %s | did not start | | | | | | |\n", $2
		next
	}
	{
		kids = $5 - 1
		per = kids > 0 ? sprintf("%.0f KiB", ($8 - $9) / kids) : "-"
		printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $2, $3,
		    $5, $6, mib($7), mib($8), mib($9), per
	}' "$data"
}

fault_table() {
	awk -F '\t' -v tol=2048 '
	function mib(kb) { return kb == "-" ? "-" : sprintf("%.1f", kb / 1024) }
	$1 != "fault" { next }
	$7 == "did-not-start" {
		printf "| %s | %s | | | | did not start | | | | | |\n", $2, $3
		next
	}
	{
		if ($7 != "yes")
			survived = "**no** (" $8 ")"
		else if ($9 != "200")
			survived = "alive, **not answering**"
		else
			survived = "yes"
		if ($7 != "yes")
			v = "server gone: every client lost"
		else {
			v = $9 != "200" ? "server stalled; " : ""
			if ($12 - $10 > tol)
				v = v sprintf("memory kept (+%.0f MiB)", ($12 - $10) / 1024)
			else
				v = v "memory back"
			k = $15 - $13
			if (k > 0 && $3 == "hang")
				v = v sprintf(", %d connection%s stuck with the spinning worker",
				    k, k == 1 ? "" : "s")
			else if (k > 0)
				v = v sprintf(", descriptors kept (+%d)", k)
			else
				v = v ", descriptors back"
			if ($18 + 0 >= 0.25)
				v = v ", still spinning"
		}
		lost = ""
		if ($5 + 0 > 0)
			lost = sprintf("%d new client%s failed", $5,
			    $5 == 1 ? "" : "s")
		if ($21 != "-" && $21 + 0 > 0)
			lost = lost (lost == "" ? "" : ", ") \
			    "keep-alive clients cut"
		if ($7 == "yes")
			v = v "; " (lost == "" ? "no other client failed" : lost)
		printf "| %s | %s | %s / %s | %s | %s | %s | %s | %s → %s → %s | %s → %s → %s | %s | %s |\n",
		    $2, $3, $4, $5, $20 == "-" ? "-" : $20 " / " $21, $6,
		    survived, $9, mib($10), mib($11), mib($12), $13, $14, $15,
		    $18, v
	}' "$data"
}

# page html|svg: the charts, drawn from the raw numbers by
# compare-report.awk: one HTML page (each chart twice, laid out for a wide
# and a narrow screen), or the wide charts alone in one SVG.
page() {
	LC_ALL=C awk -F '\t' -v out="$1" -f "$REPORT_AWK" "$data" \
	    2> "$work/page.err"
}

# The parts that did not start, one line each.
not_started() {
	awk -F '\t' '($1 == "tp" && $3 == "did-not-start") ||
	    ($1 == "mem" && $3 == "did-not-start") ||
	    ($1 == "fault" && $7 == "did-not-start") {
		if (!seen[$2]++) printf "%s did not start: left out of the rest.\n", $2
	}' "$data"
}

report() {
	page_note="The charts: $(basename "$COMPARE_HTML") (one page, no network, no JavaScript), and alone in $(basename "$COMPARE_SVG")."
	if [ "$have_wrk" = 1 ]; then
		wrk_ver=$(version_of "$WRK" -v)
	else
		wrk_ver="not installed"
	fi
	if [ "$mode" = quick ]; then
		mode_note="a quick run (COMPARE_QUICK=1: 16 clients, 1 s runs, idle memory only, the models' fault runs side by side): a smoke test, not a measurement"
	else
		mode_note="a full run, ${tp_secs} s per load"
	fi

	cat <<EOF
# forkhttpd: the process models compared

$started; $(uname -sr), $(nproc) CPUs, load average
$load_avg at the start; $(version_of "$FORKHTTPD" -V); wrk: $wrk_ver;
$mode_note.

$page_note

Models: $(echo "$models" | sed 's/ /, /g').  Client and server share the
machine and talk over 127.0.0.1: compare the models with one another, not
with other machines.
EOF
	not_started | sed '1s/^/\n/'
	if part throughput; then
		printf '\n## Throughput and latency\n\n'
		if [ "$have_wrk" = 0 ]; then
			echo "wrk not installed: apt-get install wrk.  Throughput and latency were not measured."
		else
			cat <<EOF
wrk with one thread, ${tp_secs} s per run, fetching a 1 KiB index.html: a
new connection for every request (\`Connection: close\`), or keep-alive;
the HTTPS rows (when the server has TLS) do the same over TLS 1.3 with an
ECDSA P-256 certificate, so a new connection costs a full handshake.
$rounds rounds, each model in turn, forwards in odd rounds and backwards in
even ones, a fresh server each time; the tables give medians.  Server CPU
is the CPU time of every process of the model (counted by $cpu_method)
during the run, divided by the requests answered: unlike requests per
second it does not depend on how fast the client is.
EOF
			tp_tables
			cat <<EOF

The single model serves one connection at a time.  With keep-alive it
serves the first client while the others wait for it to leave, and wrk
counts only answered requests: its numbers are that one client's.
EOF
		fi
	fi
	if part memory; then
		cat <<EOF

## Memory with $MEM_CLIENTS keep-alive clients

All server processes (the parent and its children), from
/proc/PID/smaps_rollup, with $MEM_CLIENTS clients connected.  *idle*: each
sent one keep-alive request and waits; *busy*: wrk keeps the connections
busy, sampled half way through its run.  RSS counts a shared page in every
process that maps it, PSS divides it among them, so PSS adds up.
EOF
		[ "$have_raw" = 0 ] &&
		    printf '\nrawhttp not found (%s): no idle measurement.\n' "$RAWHTTP"
		[ "$have_wrk" = 0 ] &&
		    printf '\nwrk not installed: apt-get install wrk.  No busy measurement.\n'
		cat <<EOF

| model | state | processes | connections held | RSS MiB | PSS MiB | parent PSS MiB | PSS per child |
|---|---|---:|---:|---:|---:|---:|---:|
$(mem_table)
EOF
	fi
	if part faults; then
		printf '\n## Fault containment\n\n'
		if [ "$have_faults" = 0 ]; then
			echo "Skipped: $faults_why."
		else
			if [ "$load" = wrk ]; then
				ka="; and wrk keeps $STEADY_CONNS keep-alive clients busy"
			else
				ka=" (wrk was not used: no keep-alive clients)"
			fi
			cat <<EOF
With the fault-injection build, one fresh server per fault (\`-c 512
--child-deadline $CHILD_DEADLINE\`).  For ${steady_secs} s a steady load runs: new
clients one after another, each with one request$ka.  Meanwhile
one more client asks for /__fault/crash, /__fault/leak?mb=$leak_mb,
/__fault/hang or /__fault/fd-leak?n=$FAULT_FDS.  Memory is the PSS of all
server processes, descriptors are counted over all of them: before the
load (after a warm-up), once the faulty client has its answer (or has
been dropped, or has waited $((hang_wait / 10)).$((hang_wait % 10)) s for a hang), and after it has
gone.  *CPU after* is how many cores the server still uses then.  The
single model is left out: it serves one client at a time.

| model | fault | new clients ok / failed | keep-alive ok / failed | faulty client got | server survived | GET / after | PSS MiB before → during → after | descriptors before → during → after | CPU after | outcome |
|---|---|---:|---:|---|---|---|---|---|---:|---|
$(fault_table)

A fork child that spins is killed by \`--child-deadline\` ($CHILD_DEADLINE s
here, an hour by default; it ends keep-alive clients that stay longer too,
which is why the load is shorter); a thread or an event loop that spins
can only be stopped with its whole process, and keeps the connections it
had.  Once a server is dead, wrk counts every attempt to reconnect as a
failure.
EOF
		fi
	fi
	cat <<EOF

## Commands

    server:  forkhttpd -D -a 127.0.0.1 -p 0 -d ROOT -m MODEL [-w 2] -c 512 $srv_opts
EOF
	if [ "$have_wrk" = 1 ]; then
		cat <<EOF
    load:    wrk -t1 -cCLIENTS -d${tp_secs}s --latency [-H 'Connection: close'] http://127.0.0.1:PORT/index.html
             (CLIENTS: $tp_conns$([ "$mode" = full ] && echo "; also -c16 on /1m.bin"))
EOF
		[ "$mem_secs" -gt 0 ] && cat <<EOF
    busy:    wrk -t1 -c$MEM_CLIENTS -d${mem_secs}s --latency http://127.0.0.1:PORT/index.html
EOF
	fi
	cat <<EOF
    idle:    rawhttp -n $MEM_CLIENTS -t 30000 PORT < 'GET /index.html HTTP/1.1' (keep-alive), server with -T 60
    faults:  forkhttpd-faults -D -a 127.0.0.1 -p 0 -d ROOT -m MODEL [-w 2] -c 512 --child-deadline $CHILD_DEADLINE $srv_opts
             rawhttp PORT < 'GET /__fault/NAME HTTP/1.1' (keep-alive), ${trigger_at} s into the steady load;
             it leaves once answered or dropped (hang: after $((hang_wait / 10)).$((hang_wait % 10)) s)
EOF
	echo "    steady:  rawhttp -t 2000 PORT < 'GET /index.html HTTP/1.1' (Connection: close), over and over"
	[ "$load" = wrk ] &&
	    echo "             wrk -t1 -c$STEADY_CONNS -d${steady_secs}s --latency http://127.0.0.1:PORT/index.html"
	cat <<EOF

\`make compare\` runs it again (COMPARE_SECONDS, COMPARE_ROUNDS,
COMPARE_QUICK=1); the raw numbers are in $(basename "$COMPARE_DATA").
EOF
}

# ---------------------------------------------------------------------------

read -r l1 l5 l15 _ < /proc/loadavg
load_avg="$l1 $l5 $l15"
started=$(date -u '+%Y-%m-%d %H:%M UTC')
say "models: $models; $mode run; writing $COMPARE_OUT"
if part throughput; then
	if [ "$have_wrk" = 1 ]; then
		cpu_setup "$COMPARE_CPU" compare
		say "server CPU counted by $cpu_method"
		backwards=
		for m in $models; do
			backwards="$m $backwards"
		done
		r=1
		while [ $r -le "$rounds" ]; do
			order=$models
			[ $((r % 2)) = 0 ] && order=$backwards
			for m in $order; do
				throughput "$m" $r
			done
			r=$((r + 1))
		done
		cpu_cleanup
	else
		say "wrk not installed: apt-get install wrk (throughput skipped)"
	fi
fi
if part memory; then
	for m in $models; do
		memory "$m"
	done
fi
if part faults; then
	if [ "$have_faults" = 1 ] && ! faults_probe; then
		have_faults=0
		faults_why="$FORKHTTPD_FAULTS does not answer /__fault/ (not a fault-injection build?)"
	fi
	if [ "$have_faults" = 1 ]; then
		series=
		for m in ${COMPARE_FAULT_MODELS:-$models}; do
			[ "$m" = single ] && continue
			if [ "$mode" = quick ]; then
				fault_series "$m" &
				track $!
			else
				fault_series "$m"
			fi
			series="$series $m"
		done
		for p in $bg_pids; do
			reap "$p"
		done
		for m in $series; do
			cat "$work/faults-$m/data.tsv" >> "$data"
		done
	else
		say "fault containment skipped: $faults_why"
	fi
fi

meta() {
	row meta "$@"
}
meta mode "$mode"
meta date "$started"
meta system "$(uname -sr), $(nproc) CPUs, load average $load_avg at the start"
meta server "$(version_of "$FORKHTTPD" -V)"
meta models "$models"
meta rounds "$rounds"
meta seconds "$tp_secs"
meta cpu_method "${cpu_method:-}"
meta mem_clients "$MEM_CLIENTS"
meta leak_mb "$leak_mb"
meta fault_fds "$FAULT_FDS"
meta child_deadline "$CHILD_DEADLINE"
meta parts "$COMPARE_PARTS"
meta have_wrk "$have_wrk"
meta have_faults "$have_faults"
meta have_tls "$have_tls"

cp "$data" "$COMPARE_DATA" || die "cannot write $COMPARE_DATA"
page html > "$work/report.html" || die "cannot draw the page: $(head -n 3 "$work/page.err")"
page svg > "$work/report.svg" || die "cannot draw the charts: $(head -n 3 "$work/page.err")"
report > "$work/report.md" || die "cannot write the report"
cp "$work/report.md" "$COMPARE_OUT" || die "cannot write $COMPARE_OUT"
cp "$work/report.html" "$COMPARE_HTML" || die "cannot write $COMPARE_HTML"
cp "$work/report.svg" "$COMPARE_SVG" || die "cannot write $COMPARE_SVG"
cat "$COMPARE_OUT"
