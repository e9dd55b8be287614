/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The event loop's poller: which descriptors it watches, for reading or
 * writing, and which of them are ready.  configure builds one of two:
 * epoll(7) in poller_epoll.c, or a poll(2) array in poller_poll.c where
 * there is no epoll.  Both are level-triggered: a descriptor is reported
 * on every wait for as long as it stays ready.  Each descriptor carries
 * a pointer, which is all the wait reports of it.
 */
#ifndef FORKHTTPD_POLLER_H
#define FORKHTTPD_POLLER_H

#include <poll.h>	/* POLLIN, POLLOUT: the events below */

struct poller;

/* A poller that watches nothing yet, or NULL with errno. */
struct poller	*poller_new(void);

/*
 * Watch fd for events (POLLIN, POLLOUT or both); poller_wait() reports
 * ptr while fd is ready.  fd must not be watched already.  0, or -1 with
 * errno.
 */
int	poller_add(struct poller *p, int fd, int events, void *ptr);

/*
 * As poller_add(), for a descriptor that several processes watch at once,
 * such as a listener the -w workers share: where the system can
 * (EPOLLEXCLUSIVE), an event wakes one of them instead of all.
 */
int	poller_add_exclusive(struct poller *p, int fd, int events, void *ptr);

/*
 * Watch fd, added before, for events instead; ptr replaces its pointer.
 * Not for a descriptor added with poller_add_exclusive().  0, or -1 with
 * errno (also when fd is not watched).
 */
int	poller_modify(struct poller *p, int fd, int events, void *ptr);

/* Stop watching fd.  0, or -1 with errno (also when fd is not watched). */
int	poller_remove(struct poller *p, int fd);

/*
 * fd is watched and about to be closed, and no other descriptor in this
 * process refers to its file: stop watching it as cheaply as can be.  With
 * epoll the close does it, so this costs no system call.
 */
void	poller_forget(struct poller *p, int fd);

/*
 * Wait until a watched descriptor is ready or timeout_ms have passed (-1:
 * no limit), then call fn(arg, ptr) for each ready one.  The ready set is
 * taken before the first call, so fn may add, modify, remove or forget
 * descriptors, but a pointer in the set is reported even when an earlier
 * call of the same round removed its descriptor.  Returns how many were
 * ready, 0 at the timeout, or -1 with errno (EINTR when a signal came).
 */
int	poller_wait(struct poller *p, int timeout_ms,
	    void (*fn)(void *arg, void *ptr), void *arg);

/* Close and free the poller; the descriptors it watched stay open. */
void	poller_free(struct poller *p);

#endif /* FORKHTTPD_POLLER_H */
