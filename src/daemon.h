/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Becoming a daemon: detaching with a lifeline pipe, the pid file, chroot
 * and dropping privileges.  Called from main() only, in that order, before
 * the first client is accepted.
 */
#ifndef FORKHTTPD_DAEMON_H
#define FORKHTTPD_DAEMON_H

#include <stddef.h>
#include <sys/types.h>

#include "conf.h"

/*
 * First of all: make sure descriptors 0, 1 and 2 are open (on /dev/null
 * where they were closed), so that no socket or file takes their numbers.
 * 0, or -1.
 */
int	daemon_std_fds(void);

/*
 * Fork into the background.  The original process waits on a pipe and
 * exits with the status the daemon reports through daemon_ready() or
 * daemon_fail(), so an init script sees whether start-up worked; it never
 * returns.  In the daemon, returns the pipe's write end (or -1 with errno
 * when /dev/null or fork failed, still in the foreground).
 */
int	daemon_begin(void);

/* Start-up worked: point stdin, stdout and stderr at /dev/null (opened by
 * daemon_begin(), before any chroot) and release the waiting parent with
 * status 0.  0, or -1 (the parent then exits with EXIT_STARTUP). */
int	daemon_ready(int lifeline);

/* Start-up failed: the waiting parent exits with status. */
void	daemon_fail(int lifeline, int status);

/*
 * Write our pid to path, refusing when it names a forkhttpd that is still
 * running (but replacing, the server an upgrade replaces), when it is not
 * a regular file (a link, a FIFO), or when its directory may be changed by
 * others than root or us.  0, or -1 with a reason in err.
 */
int	daemon_pidfile(const char *path, pid_t replacing, char *err,
	    size_t errsize);

/* Remove the pid file at exit, if it is still ours. */
void	daemon_pidfile_remove(const char *path);

/* Started as root: the uid -u (or nobody) names, else (uid_t)-1. */
uid_t	daemon_user_uid(const struct config *cfg);

/*
 * chroot into cfg->chroot_dir (when set), then become cfg->user: the
 * supplementary groups, the group and the user, checking afterwards that
 * root cannot be regained.  Started as root without -u, the user is
 * "nobody"; serving as root needs --allow-root.  0, or -1 with err.
 */
int	daemon_privileges(const struct config *cfg, char *err, size_t errsize);

#endif /* FORKHTTPD_DAEMON_H */
