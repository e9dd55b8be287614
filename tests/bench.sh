#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# shellcheck disable=SC2154 # cpu_us, cpu_method: set by tests/cpu-lib.sh
# make bench: forkhttpd's process models under wrk on 127.0.0.1, in the
# five scenarios of the performance goals, optionally beside nginx and
# lighttpd when they are installed.  Prints one line per server and
# scenario.  Not part of make check: figures depend on the machine, so
# compare ratios within one run.  Linux: reads /proc for memory, and
# counts the server's CPU as make compare does (tests/cpu-lib.sh).
#
#   ka16     keep-alive, a 1 KiB page, 16 connections
#   close1   a new connection per request (Connection: close), 1 client
#   close16  the same with 16 clients
#   ka256    keep-alive, 256 connections; memory is sampled mid-run
#   1m16     keep-alive, a 1 MiB file, 16 connections
#   site16   keep-alive, 16 connections, a typical page's HTML, CSS and
#            JavaScript in turn, asked for as a browser does
#            (Accept-Encoding: gzip, deflate, br, zstd), from the first
#            model without and with --precompressed (plain HTTP only):
#            bytes per page, and the time those bytes take at 10 Mbit/s
#
# Environment (all optional):
#   FORKHTTPD      the server (src/forkhttpd)
#   RAWHTTP        the test client, to find free ports (tests/rawhttp)
#   WRK            the load generator (wrk)
#   BENCH_SECONDS  length of each wrk run (5)
#   BENCH_MODELS   forkhttpd's models to run ("fork thread event event:N",
#                  N the number of processors); a model followed by
#                  "+log" ("fork+log") runs with the access log on
#   BENCH_ANCHORS  1: add nginx (1 and N workers) and lighttpd, if found
#   BENCH_SCENARIOS  any of "ka16 close1 close16 ka256 1m16 site16" (all)
#   BENCH_OUT      where the table is written too (bench-report.txt)
#   BENCH_CPU      how the server's CPU is counted: cgroup (a cgroup of
#                  each server's own, v2 or else v1 cpuacct, where one can
#                  be made: needs root) or proc (/proc: the live processes
#                  and what the parent has reaped); by default cgroup,
#                  proc when no cgroup can be made
#   BENCH_HTTPS    1 (default, when forkhttpd is built with TLS and openssl
#                  is installed): every server again over HTTPS, with one
#                  ECDSA P-256 certificate for all; 0: plain HTTP only
#
# Columns: req/s; us/req, the server's CPU time per request in
# microseconds, every process of it (the line above the table says how it
# was counted): unlike req/s it does not depend on the client, which on a
# small machine saturates first; median and 99th percentile latency; the
# proportional set size of all the server's processes (pss_kb) and the
# largest private memory of one of them (priv_kb) while 256 clients are
# connected; and wrk's error counts ("ok" when none).  wrk counts the server's close after
# "Connection: close" as a read error: that is expected there.

FORKHTTPD=${FORKHTTPD:-src/forkhttpd}
RAWHTTP=${RAWHTTP:-tests/rawhttp}
WRK=${WRK:-wrk}
BENCH_SECONDS=${BENCH_SECONDS:-5}
BENCH_ANCHORS=${BENCH_ANCHORS:-0}
BENCH_SCENARIOS=${BENCH_SCENARIOS:-ka16 close1 close16 ka256 1m16 site16}
BENCH_CPU=${BENCH_CPU:-cgroup}
ncpu=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
BENCH_MODELS=${BENCH_MODELS:-fork thread event event:$ncpu}

say() {
	printf 'bench: %s\n' "$*" >&2
}

# shellcheck source=tests/cpu-lib.sh
. "$(dirname "$0")/cpu-lib.sh"

if ! command -v "$WRK" > /dev/null 2>&1; then
	say "wrk is needed: apt-get install wrk"
	exit 77
fi
case $BENCH_CPU in
cgroup|proc) ;;
*) say "BENCH_CPU is cgroup or proc, not $BENCH_CPU"; exit 2 ;;
esac
case $BENCH_SECONDS in
''|*[!0-9]*|0) say "BENCH_SECONDS must be a positive whole number"; exit 2 ;;
esac
for f in "$FORKHTTPD" "$RAWHTTP"; do
	[ -x "$f" ] || { say "$f is missing: run make first"; exit 2; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/forkhttpd-bench.XXXXXX") || exit 1
spid=
cleanup() {
	[ -n "$spid" ] && server_stop
	cpu_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM

# The document root: a 1 KiB page and a 1 MiB file, readable by the
# nobody a server started as root becomes.
root=$tmp/root
mkdir -p "$root"
{
	printf '<!doctype html><html><head><title>bench</title></head><body><pre>\n'
	head -c 900 /dev/zero | tr '\0' 'a'
	printf '\n</pre></body></html>\n'
} > "$root/index.html"
head -c 1048576 /dev/urandom > "$root/1m.bin"

# site16's page: markup, a style sheet and a script of the sizes a small
# site has (about 37, 22 and 70 KiB), not as repetitive as a loop would
# make them: the markup holds a licence's prose (real text compresses
# about 3 times), the rules and functions pseudo-random names and
# numbers; and their .gz, .br and .zst as a build step would leave them
# (best compression, the original's time).
mkdir -p "$root/site"
text=/usr/share/common-licenses/GPL-3
[ -r "$text" ] || text=$0
awk -v text="$text" 'BEGIN {
	print "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	print "<title>A small site</title><link rel=\"stylesheet\" href=\"app.css\">"
	print "<script defer src=\"app.js\"></script></head><body><main>"
	n = 0
	while ((getline line < text) > 0 && n < 40000) {
		gsub(/&/, "\\&amp;", line); gsub(/</, "\\&lt;", line)
		if (line == "") { print "</p>\n<p class=\"para\">"; continue }
		print line; n += length(line) + 1
	}
	print "</p></main></body></html>"
}' > "$root/site/index.html"
awk 'BEGIN { srand(19)
	for (i = 0; i < 330; i++) {
		printf ".c%x-%d { margin: %dpx %dpx; color: #%06x; " \
		    "font-size: %.2frem; }\n", int(rand() * 65536), i,
		    int(rand() * 40), int(rand() * 40), int(rand() * 16777216),
		    0.5 + rand() * 2
	}
}' > "$root/site/app.css"
awk 'BEGIN { srand(7)
	for (i = 0; i < 700; i++) {
		printf "function f%x(e, n) { const v = n * %d + %d; " \
		    "if (e.key === \"k%x\") return v %% %d; return null; }\n",
		    int(rand() * 1048576), int(rand() * 10000),
		    int(rand() * 10000), int(rand() * 4096), 2 + int(rand() * 97)
	}
}' > "$root/site/app.js"
have_variants=1
for f in "$root"/site/*; do
	gzip -9 -c "$f" > "$f.gz" || have_variants=0
	brotli -q 11 -c "$f" > "$f.br" 2>/dev/null || have_variants=0
	zstd -q -19 -c "$f" > "$f.zst" 2>/dev/null || have_variants=0
	touch -r "$f" "$f.gz" "$f.br" "$f.zst"
done
cat > "$tmp/site.lua" <<'EOF'
local paths = { "/site/index.html", "/site/app.css", "/site/app.js" }
local i = 0
request = function()
	i = i % #paths + 1
	return wrk.format("GET", paths[i],
	    { ["Accept-Encoding"] = "gzip, deflate, br, zstd" })
end
EOF
chmod 755 "$tmp" "$root" "$root/site"
chmod 644 "$root"/*.* "$root"/site/*

# A port nothing listens on (rawhttp exits 1 then), below Linux's range of
# ephemeral ports, which wrk's own connections use; a new one every time.
next_port=$(( 10000 + ($$ * 7) % 20000 ))
new_port() {
	port=$next_port
	while :; do
		"$RAWHTTP" -t 100 "$port" < /dev/null > /dev/null 2>&1
		[ $? = 1 ] && break
		port=$((port + 1))
	done
	next_port=$((port + 1))
}

# server_start NAME COMMAND...: start it in a session of its own on $port,
# in a cgroup of its own when there is one, and wait until it accepts.
# The subshell moves itself into the cgroup and execs setsid, which execs
# the command, so $! leads the session, and every process the server
# forks can be found by it.
server_start() {
	name=$1
	shift
	cpu_group "$port" || { say "cannot make a cgroup for $name"; return 1; }
	(cpu_join && exec setsid "$@") > "$tmp/server.out" 2>&1 &
	spid=$!
	i=0
	while [ $i -lt 100 ]; do
		if "$RAWHTTP" -t 200 "$port" < /dev/null > /dev/null 2>&1 ||
		    [ $? != 1 ]; then
			return 0
		fi
		kill -0 "$spid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	say "$name did not start: $(head -n 3 "$tmp/server.out")"
	server_stop
	return 1
}

# The processes of the server's session, one pid a line.  One pass: the
# sample must be taken while the clients are still connected.  The command
# name is cut first: it may hold spaces.
session_pids() {
	cat /proc/[0-9]*/stat 2>/dev/null |
	    sed 's/^\([0-9]*\) .*) /\1 /' | awk -v s="$spid" '$5 == s { print $1 }'
}

# "PSS_KB PRIV_KB": all the session's PSS, and the most private memory
# (Private_Clean + Private_Dirty) any one of its processes has.
memory() {
	# shellcheck disable=SC2046 # one file name per pid
	awk 'FNR == 1 && NR > 1 { if (priv > most) most = priv; priv = 0 }
	    /^Pss:/ { pss += $2 }
	    /^Private_(Clean|Dirty):/ { priv += $2 }
	    END { if (priv > most) most = priv; print pss + 0, most + 0 }' \
	    $(session_pids | sed 's|.*|/proc/&/smaps_rollup|') 2>/dev/null
}

server_stop() {
	kill -TERM "-$spid" 2>/dev/null
	i=0
	while kill -0 "$spid" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "-$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	spid=
	cpu_group_done
}

# scenario NAME NAME WRK-ARGS...: one wrk run, one line of the table.
scenario() {
	label=$1
	s=$2
	shift 2
	mem="- -"
	cpu_used "$spid"
	cpu0=$cpu_us
	"$WRK" -t1 -d"${BENCH_SECONDS}s" --latency "$@" > "$tmp/wrk.out" 2>&1 &
	w=$!
	if [ "$s" = ka256 ]; then
		sleep "$(awk -v s="$BENCH_SECONDS" 'BEGIN { print s / 2 }')"
		mem=$(memory)
	fi
	wait "$w"
	cpu_used "$spid"
	awk -v label="$label" -v s="$s" -v mem="$mem" \
	    -v us="$((cpu_us - cpu0))" '
	    /Requests\/sec/ { rps = $2 }
	    $1 == "50%" { p50 = $2 }
	    $1 == "99%" { p99 = $2 }
	    /Socket errors|Non-2xx/ { sub(/^ +/, ""); err = err $0 ";" }
	    / requests in .* read$/ {
		n = $1; b = $5; u = substr(b, length(b) - 1)
		b = substr(b, 1, length(b) - 2)
		b *= u == "GB" ? 2^30 : u == "MB" ? 2^20 : u == "KB" ? 2^10 : 1
		if (s == "site16" && n > 0) {
			page = 3 * b / n
			note = sprintf("%.0f B/page, %.1f ms/page at 10 Mbit/s",
			    page, page * 8 / 10000)
		}
	    }
	    END {
		split(mem, m, " ")
		printf "%-22s %-8s %10s %8s %9s %9s %8s %8s %s\n", label, s,
		    rps == "" ? 0 : rps,
		    (n > 0 ? sprintf("%.1f", us / n) : "-"),
		    p50 == "" ? "-" : p50,
		    p99 == "" ? "-" : p99, m[1], m[2],
		    err == "" ? (note == "" ? "ok" : note) : err
	    }' "$tmp/wrk.out" | tee -a "$BENCH_OUT"
}

scenarios() {
	u=$scheme://127.0.0.1:$port
	for s in $BENCH_SCENARIOS; do
		case $s in
		ka16) scenario "$1" ka16 -c16 "$u/index.html" ;;
		close1) scenario "$1" close1 -c1 -H 'Connection: close' \
		    "$u/index.html" ;;
		close16) scenario "$1" close16 -c16 -H 'Connection: close' \
		    "$u/index.html" ;;
		ka256) scenario "$1" ka256 -c256 "$u/index.html" ;;
		1m16) scenario "$1" 1m16 -c16 "$u/1m.bin" ;;
		site16) [ -n "${SITE16:-}" ] &&
		    scenario "$1" site16 -c16 -s "$tmp/site.lua" "$u/" ;;
		*) say "unknown scenario $s" ;;
		esac
	done
}

# bench LABEL COMMAND...: one server, on $port, through every scenario.
bench() {
	label=$1
	shift
	server_start "$label" "$@" || return 0
	scenarios "$label"
	server_stop
}

nginx_conf() {
	cat > "$tmp/nginx.conf" <<EOF
worker_processes $1;
daemon off;
pid $tmp/nginx.pid;
error_log $tmp/nginx.err;
events { worker_connections 4096; }
http {
	include /etc/nginx/mime.types;
	access_log off;
	sendfile on;
	tcp_nopush on;
	open_file_cache max=1000;
	keepalive_requests 1000000;
	client_body_temp_path $tmp;
	proxy_temp_path $tmp;
	fastcgi_temp_path $tmp;
	uwsgi_temp_path $tmp;
	scgi_temp_path $tmp;
	server { listen 127.0.0.1:$port$2; root $root; $3 }
}
EOF
}

# the same certificate and protocols for every server over HTTPS
nginx_tls="ssl_certificate $tmp/cert.pem; ssl_certificate_key $tmp/key.pem;
	ssl_protocols TLSv1.2 TLSv1.3; ssl_session_tickets on;"

lighttpd_conf() {
	cat > "$tmp/lighttpd.conf" <<EOF
server.document-root = "$root"
server.bind = "127.0.0.1"
server.port = $port
server.max-keep-alive-requests = 1000000
server.max-connections = 4096
server.max-fds = 8192
index-file.names = ( "index.html" )
mimetype.assign = ( ".html" => "text/html", "" => "application/octet-stream" )
EOF
	[ "$(id -u)" = 0 ] && printf 'server.username = "nobody"\n' \
	    >> "$tmp/lighttpd.conf"
}

BENCH_HTTPS=${BENCH_HTTPS:-1}
if [ "$BENCH_HTTPS" = 1 ]; then
	if ! "$FORKHTTPD" --help | grep -q -e --tls-port ||
	    ! command -v openssl > /dev/null 2>&1; then
		say "no HTTPS rows: forkhttpd without TLS, or no openssl"
		BENCH_HTTPS=0
	elif ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout "$tmp/key.pem" -out "$tmp/cert.pem" -days 2 \
	    -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 \
	    > /dev/null 2>&1; then
		say "no HTTPS rows: openssl could not make a certificate"
		BENCH_HTTPS=0
	fi
fi
schemes=http
[ "$BENCH_HTTPS" = 1 ] && schemes="http https"

# The table goes to stdout and to BENCH_OUT, a line at a time, under a
# line that says how the server's CPU is counted.
BENCH_OUT=${BENCH_OUT:-bench-report.txt}
: > "$BENCH_OUT" || { say "cannot write $BENCH_OUT"; exit 2; }
cpu_setup "$BENCH_CPU" bench
printf '# us/req: server CPU per request, every process of it, counted by %s\n' \
    "$cpu_method" | tee -a "$BENCH_OUT"
printf '%-22s %-8s %10s %8s %9s %9s %8s %8s %s\n' \
    server scenario req/s us/req p50 p99 pss_kb priv_kb notes |
    tee -a "$BENCH_OUT"
for scheme in $schemes; do
tls=
suffix=
[ "$scheme" = https ] && suffix=-https
for m in $BENCH_MODELS; do
	log=
	base=$m
	case $m in
	*+log) base=${m%+log}; log="-l $tmp/access.log" ;;
	esac
	case $base in
	*:*) set -- -m "${base%%:*}" -w "${base#*:}" ;;
	*) set -- -m "$base" ;;
	esac
	new_port
	[ "$scheme" = https ] && tls="--tls-cert $tmp/cert.pem
	    --tls-key $tmp/key.pem -p 0 --tls-port"
	# shellcheck disable=SC2086 # log is words or none, tls words or -p
	bench "forkhttpd-$m$suffix" "$FORKHTTPD" -D -a 127.0.0.1 -d "$root" \
	    "$@" $log ${tls:--p} "$port"
done
# site16: the first model, without and with --precompressed
case " $BENCH_SCENARIOS " in
*" site16 "*)
	if [ "$scheme" = http ] && [ "$have_variants" = 1 ]; then
		m=${BENCH_MODELS%% *}
		m=${m%+log}
		case $m in
		*:*) set -- -m "${m%%:*}" -w "${m#*:}" ;;
		*) set -- -m "$m" ;;
		esac
		for pre in "" --precompressed; do
			new_port
			# shellcheck disable=SC2086 # pre is a word or none
			BENCH_SCENARIOS=site16 SITE16=1 bench \
			    "forkhttpd-$m${pre:++precomp}" "$FORKHTTPD" -D \
			    -a 127.0.0.1 -d "$root" "$@" $pre -p "$port"
		done
	elif [ "$scheme" = http ]; then
		say "no site16 rows: gzip, brotli and zstd are needed"
	fi
	;;
esac
if [ "$BENCH_ANCHORS" = 1 ]; then
	if command -v nginx > /dev/null 2>&1; then
		for w in 1 "$ncpu"; do
			new_port
			if [ "$scheme" = https ]; then
				nginx_conf "$w" " ssl" "$nginx_tls"
			else
				nginx_conf "$w"
			fi
			bench "nginx-${w}worker$suffix" nginx \
			    -c "$tmp/nginx.conf" -p "$tmp"
		done
	fi
	if command -v lighttpd > /dev/null 2>&1 && [ "$scheme" = http ]; then
		new_port
		lighttpd_conf
		bench lighttpd lighttpd -D -f "$tmp/lighttpd.conf"
	fi
fi
done
