/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The poller on epoll(7), level-triggered.  poller_forget() makes no
 * system call: closing a socket takes it out of the epoll set when no
 * other descriptor refers to it, which holds for every client of the
 * event loop (workers fork before they accept).
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "poller.h"

#define EVENT_BATCH	256	/* events taken per wait */

struct poller {
	int	epfd;
};

struct poller *
poller_new(void)
{
	struct poller *p;
	int saved;

	if ((p = malloc(sizeof(*p))) == NULL)
		return NULL;
	if ((p->epfd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		saved = errno;
		free(p);
		errno = saved;
		return NULL;
	}
	return p;
}

static int
ctl(struct poller *p, int op, int fd, unsigned int flags, int events,
    void *ptr)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = flags | (events & POLLIN ? EPOLLIN : 0) |
	    (events & POLLOUT ? EPOLLOUT : 0);
	ev.data.ptr = ptr;
	return epoll_ctl(p->epfd, op, fd, &ev);
}

int
poller_add(struct poller *p, int fd, int events, void *ptr)
{
	return ctl(p, EPOLL_CTL_ADD, fd, 0, events, ptr);
}

int
poller_add_exclusive(struct poller *p, int fd, int events, void *ptr)
{
#ifdef EPOLLEXCLUSIVE
	return ctl(p, EPOLL_CTL_ADD, fd, EPOLLEXCLUSIVE, events, ptr);
#else
	return ctl(p, EPOLL_CTL_ADD, fd, 0, events, ptr);
#endif
}

int
poller_modify(struct poller *p, int fd, int events, void *ptr)
{
	return ctl(p, EPOLL_CTL_MOD, fd, 0, events, ptr);
}

int
poller_remove(struct poller *p, int fd)
{
	return ctl(p, EPOLL_CTL_DEL, fd, 0, 0, NULL);
}

void
poller_forget(struct poller *p, int fd)
{
	(void)p;
	(void)fd;
}

int
poller_wait(struct poller *p, int timeout_ms,
    void (*fn)(void *arg, void *ptr), void *arg)
{
	struct epoll_event ev[EVENT_BATCH];
	int i, n;

	n = epoll_wait(p->epfd, ev, EVENT_BATCH, timeout_ms);
	for (i = 0; i < n; i++)
		fn(arg, ev[i].data.ptr);
	return n;
}

void
poller_free(struct poller *p)
{
	(void)close(p->epfd);
	free(p);
}
