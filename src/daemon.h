/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Becoming a daemon: detaching with a lifeline pipe, the pid file, chroot
 * and dropping privileges.  Called from main() only, in that order, before
 * the first client is accepted.
 */
#ifndef FORKHTTPD_DAEMON_H
#define FORKHTTPD_DAEMON_H

#include <stddef.h>

#include "conf.h"

/*
 * Fork into the background.  The original process waits on a pipe and
 * exits with the status the daemon reports through daemon_ready() or
 * daemon_fail(), so an init script sees whether start-up worked; it never
 * returns.  In the daemon, returns the pipe's write end (or -1 with errno
 * when fork failed, still in the foreground).
 */
int	daemon_begin(void);

/* Start-up worked: detach stdin, stdout and stderr and release the waiting
 * parent with status 0. */
int	daemon_ready(int lifeline);

/* Start-up failed: the waiting parent exits with status. */
void	daemon_fail(int lifeline, int status);

/*
 * Write our pid to path, refusing when it names a forkhttpd that is still
 * running.  0, or -1 with a reason in err.
 */
int	daemon_pidfile(const char *path, char *err, size_t errsize);

/* Remove the pid file at exit, if it is still ours. */
void	daemon_pidfile_remove(const char *path);

/*
 * chroot into cfg->chroot_dir (when set), then become cfg->user: the
 * supplementary groups, the group and the user, checking afterwards that
 * root cannot be regained.  Started as root without -u, the user is
 * "nobody"; serving as root needs --allow-root.  0, or -1 with err.
 */
int	daemon_privileges(const struct config *cfg, char *err, size_t errsize);

#endif /* FORKHTTPD_DAEMON_H */
