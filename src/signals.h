/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Signal handling for the parent.  Handlers only set flags, reap, and
 * write a byte to a self-pipe; the accept loop polls the pipe's read end
 * beside the listeners and acts on the flags, so no signal is missed
 * between a check of the flags and the wait.
 */
#ifndef FORKHTTPD_SIGNALS_H
#define FORKHTTPD_SIGNALS_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

/* Set by SIGTERM and SIGINT. */
extern volatile sig_atomic_t signals_stop;
/* Set by SIGHUP. */
extern volatile sig_atomic_t signals_reopen;
/* Set by SIGUSR2: start the program again (upgrade.h). */
extern volatile sig_atomic_t signals_upgrade;

/*
 * Create the self-pipe, install the handlers and ignore SIGPIPE.  0, or -1
 * with errno.
 */
int	signals_init(void);

/* The descriptor that becomes readable when a signal arrived; -1 before
 * signals_init(). */
int	signals_fd(void);

/* Empty the self-pipe, once the flags have been looked at. */
void	signals_drain(void);

/*
 * Children reaped by the SIGCHLD handler so far, modulo SIGNALS_COUNT_MASK +
 * 1.  A model that counts its forks the same way knows how many are alive.
 */
#define SIGNALS_COUNT_MASK	0x3fffffff
unsigned int signals_reaped(void);

/*
 * A parent that must know which children ended (the fork model, the
 * event model's -w supervisor): from now on the reaper also notes each
 * pid, in a ring with room for 2 * n, which signals_next_reaped()
 * empties; keep fewer than n children alive between two calls.  0, or
 * -1.
 */
int	signals_track_children(size_t n);

/* The next pid reaped and not yet returned, or 0. */
pid_t	signals_next_reaped(void);

/* No more tracking (at exit). */
void	signals_untrack_children(void);

struct slot;

/*
 * In a new child: the stop, reopen and alarm signals end it, as by
 * default, once dying() has run (async-signal-safe: it writes the child's
 * held log lines); the self-pipe is closed.
 * slot, when not NULL, is the child's place on the board: SIGUSR1 ends
 * the child if the parent has reclaimed it (board.h).  signals_init()
 * makes it a parent again.
 */
void	signals_child(struct slot *slot, void (*dying)(void));

#endif /* FORKHTTPD_SIGNALS_H */
