/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Upgrading in place, as nginx does on SIGUSR2: the program on disk is
 * started again, with the same command line and the listening sockets
 * inherited (LISTEN_FDS), so that no connection is refused; once ready,
 * the new server writes the pid file and tells the old one to stop, which
 * then drains.  Started by the opener when there is one, which is root and
 * outside any chroot, as the new server must be to start as the first did.
 */
#ifndef FORKHTTPD_UPGRADE_H
#define FORKHTTPD_UPGRADE_H

#include <stddef.h>
#include <sys/types.h>

#include "listen.h"

#define UPGRADE_ENV	"FORKHTTPD_UPGRADE"	/* the old server's pid */

/*
 * At start-up: remember the program (its path now, before an install
 * replaces it), argv, which must stay valid, and the working directory,
 * where argv's relative names are found.  0, or -1.
 */
int	upgrade_remember(char *argv[]);

/* tls[i] of upgrade_spawn() for a --status listener (1 is HTTPS). */
#define UPGRADE_STATUS	2

/*
 * Start the program again with fds[0..n) as its listeners (tls[i] says
 * which are for HTTPS, or UPGRADE_STATUS) and old as the server to replace: a new session,
 * default signals, only 0-2 and the listeners open.  The new pid, or -1
 * with errno.  Async-signal-safe after the fork: the environment is made
 * before it.
 */
pid_t	upgrade_spawn(const int *fds, const int *tls, size_t n, pid_t old);

/* SIGUSR2: have the opener (or this process) start the new server. */
void	upgrade_start(const struct listeners *l);

/*
 * In a server started so: the pid of the one it replaces (and the
 * environment forgets it), or 0.
 */
pid_t	upgrade_replacing(void);

#endif /* FORKHTTPD_UPGRADE_H */
