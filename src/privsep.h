/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The opener: a process forked while the server is still root, before
 * chroot and the drop of privileges, that keeps root and opens nothing
 * but the paths registered before it started, by number, passing each
 * descriptor back over a UNIX socket.  It lets a server that is no longer
 * root reopen a renamed log or a root-only key, and nothing else.
 */
#ifndef FORKHTTPD_PRIVSEP_H
#define FORKHTTPD_PRIVSEP_H

#include <stddef.h>
#include <sys/types.h>

#include "conf.h"

#define PRIVSEP_MAX_PATHS	(2 + 2 * MAX_TLS_PAIRS + MAX_AUTH_RULES)
					/* paths privsep_add() takes: the
					   logs, the pairs, the passwords */
#define PRIVSEP_TIMEOUT_SEC	5	/* an answer, or the opener's exit */
#define OPENER_NAME		"forkhttpd-open" /* its name in ps (comm) */

enum privsep_how {
	PRIVSEP_READ,		/* O_RDONLY, a regular file (certificate, key);
				   links are followed */
	PRIVSEP_APPEND		/* a log: as log_open_file() opens it */
};

/*
 * Before privsep_start(): register path, to be opened as how says.  The
 * name is copied; a relative one is taken from the current directory
 * now.  Its index (>= 0), or -1 with errno: EBUSY once started, ENOSPC
 * past PRIVSEP_MAX_PATHS, ENAMETOOLONG, EINVAL.
 */
int	privsep_add(const char *path, enum privsep_how how);

/*
 * Fork the opener: call as root, before chroot and setuid, and before
 * signals_init().  It keeps only its socket (and 0-2), ignores the stop,
 * reload and alarm signals (the server stops it), and exits when every
 * server end of its socket is closed, even if the server was killed.
 * 0, or -1 with errno.
 */
int	privsep_start(void);

/*
 * From any process or thread of the server: open path number index, in
 * the opener if one was started, else here (the same way, so callers
 * need not choose).  A new close-on-exec descriptor, or -1 with errno:
 * what open(2) or the checks said (ENOENT, EACCES, ELOOP, EINVAL for a
 * file of the wrong kind), EINVAL for a bad index (every index, once
 * privsep_stop() has forgotten the paths), ECONNREFUSED after
 * privsep_forget(), EPIPE if the opener is gone, ETIMEDOUT after
 * PRIVSEP_TIMEOUT_SEC without an answer.  Each call has its own socket
 * for the answer, so concurrent calls never mix.
 */
int	privsep_open(int index);

/* In a forked child that must not reach the opener (one that serves a
   client): let go of our end of its socket. */
void	privsep_forget(void);

/*
 * At shutdown, in the process that started it: ask the opener to exit,
 * wait up to PRIVSEP_TIMEOUT_SEC for it (then SIGKILL) and reap it.  A
 * SIGCHLD handler that reaps it first does no harm.  Forgets the
 * registered paths.  In any other process, the same as privsep_forget().
 */
void	privsep_stop(void);

/*
 * Have the opener start the program again over the listeners fds[0..n)
 * (upgrade_spawn()), or start it here when no opener was started.  The new
 * pid, or -1 with errno.
 */
pid_t	privsep_spawn(const int *fds, const int *tls, size_t n, pid_t old);

/* The opener's pid while this process may ask it, or 0 (then
   privsep_open() opens directly, or fails after privsep_forget()). */
pid_t	privsep_running(void);

#endif /* FORKHTTPD_PRIVSEP_H */
