# shellcheck shell=sh
# SPDX-License-Identifier: BSD-2-Clause
# cpu-lib.sh: the CPU time a server uses, every process of it, so that a
# saturated client cannot hide what the server costs.  Sourced (POSIX sh)
# by compare.sh and bench.sh.  In a cgroup of the server's own where one
# can be made (cgroup v2, else v1 cpuacct; root may): every process it
# forks counts, reaped or not.  Else from /proc: the live processes, and
# in the parent's cutime and cstime the children it has reaped (in clock
# ticks).  Linux only.
#
#   cpu_setup WANT TAG  WANT is cgroup or proc; sets cpu_method to
#                       "cgroup v2", "cgroup v1" or "proc" (when no
#                       cgroup can be made, or WANT is proc); TAG names
#                       our cgroup, /sys/fs/cgroup/.../forkhttpd-TAG.PID
#   cpu_group NAME      the cgroup the next server starts in (cpu_cg),
#                       when counting by cgroup; 1 when it cannot be made
#   cpu_join            run in the subshell that then execs the server:
#                       moves that subshell into cpu_cg, if there is one
#   cpu_used PID        cpu_us: the CPU time, in us, used so far by
#                       cpu_cg, else by PID and its children (/proc)
#   cpu_proc_us PID     the same, always from /proc
#   cpu_group_done      cpu_cg, removed once its last process has gone
#   cpu_cleanup         every cgroup cpu_setup made (processes gone)

cpu_top=		# our cgroup, the servers' cgroups beneath it
cpu_kind=		# v2 or v1
cpu_cg=			# the cgroup the next server starts in, if any
cpu_hz=$(getconf CLK_TCK 2>/dev/null || echo 100)

cpu_setup() {
	# shellcheck disable=SC2034 # read by the scripts that source us
	cpu_method=proc
	[ "$1" = cgroup ] || return 0
	for d in /sys/fs/cgroup /sys/fs/cgroup/unified; do
		[ -f "$d/cgroup.controllers" ] &&
		    mkdir "$d/forkhttpd-$2.$$" 2>/dev/null || continue
		cpu_top=$d/forkhttpd-$2.$$
		cpu_kind=v2
		break
	done
	if [ -z "$cpu_top" ] && [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage ] &&
	    mkdir "/sys/fs/cgroup/cpuacct/forkhttpd-$2.$$" 2>/dev/null; then
		cpu_top=/sys/fs/cgroup/cpuacct/forkhttpd-$2.$$
		cpu_kind=v1
	fi
	[ -n "$cpu_top" ] || return 0
	# a process must be able to move in, and the usage be read
	if mkdir "$cpu_top/probe" 2>/dev/null &&
	    sh -c 'sh -c "echo \$PPID" > "$1/cgroup.procs"' sh \
	    "$cpu_top/probe" 2>/dev/null && cpu_cg_usage "$cpu_top/probe" &&
	    [ -n "$cpu_us" ]; then
		# shellcheck disable=SC2034
		cpu_method="cgroup $cpu_kind"
	else
		cpu_cleanup
	fi
}

# cpu_cg_usage DIR: cpu_us is the CPU time its processes have used, in us.
cpu_cg_usage() {
	if [ "$cpu_kind" = v2 ]; then
		cpu_us=$(awk '$1 == "usage_usec" { print $2 }' "$1/cpu.stat")
	else
		cpu_us=$(awk '{ printf "%.0f\n", $1 / 1000 }' "$1/cpuacct.usage")
	fi
}

cpu_group() {
	cpu_cg=
	[ -n "$cpu_top" ] || return 0
	mkdir "$cpu_top/$1" || return 1
	cpu_cg=$cpu_top/$1
}

cpu_join() {
	[ -z "$cpu_cg" ] || sh -c 'echo "$PPID"' > "$cpu_cg/cgroup.procs"
}

cpu_used() {
	if [ -n "$cpu_cg" ]; then
		cpu_cg_usage "$cpu_cg"
	else
		cpu_proc_us "$1"
	fi
}

# In /proc/PID/stat the command name is cut up to the last ") ": it may
# hold anything.  forkhttpd's opener (root's, while the server runs as
# root) serves no client: not one of the server's processes.
cpu_proc_us() {
	cpu_us=$(cat /proc/[0-9]*/stat 2>/dev/null | awk -v p="$1" -v hz="$cpu_hz" '
	/^[0-9]+ \(forkhttpd-open\) / { next }
	{
		pid = $1
		sub(/^.*\) /, "")
		# the parent with what it has reaped (cutime, cstime), and
		# its children, zombies not yet reaped too
		if (pid == p)
			t += $12 + $13 + $14 + $15
		else if ($2 == p)
			t += $12 + $13
	}
	END { printf "%.0f\n", t * 1000000 / hz }')
}

cpu_group_done() {
	[ -n "$cpu_cg" ] || return 0
	i=0
	while [ -s "$cpu_cg/cgroup.procs" ] && [ $i -lt 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	rmdir "$cpu_cg" 2>/dev/null
	cpu_cg=
}

cpu_cleanup() {
	[ -n "$cpu_top" ] || return 0
	for d in "$cpu_top"/*/; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
	rmdir "$cpu_top" 2>/dev/null
	cpu_top=
	cpu_kind=
}
