/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The poller on poll(2), for systems without epoll: an array of the
 * watched descriptors and, beside it, their pointers.  Removing one moves
 * the last into its place, so the order of the array is no order at all.
 * Every process woken by a shared listener tries to accept: poll has no
 * EPOLLEXCLUSIVE.
 */
#include <config.h>

#include <errno.h>
#include <stdlib.h>

#include "poller.h"

struct poller {
	struct pollfd	 *pfd;
	void		**ptr;
	size_t		  n, cap;
};

struct poller *
poller_new(void)
{
	return calloc(1, sizeof(struct poller));
}

/* fd's place in the array, or p->n with errno ENOENT, as epoll says. */
static size_t
find(const struct poller *p, int fd)
{
	size_t i;

	for (i = 0; i < p->n && p->pfd[i].fd != fd; i++)
		;
	if (i == p->n)
		errno = ENOENT;
	return i;
}

int
poller_add(struct poller *p, int fd, int events, void *ptr)
{
	struct pollfd *np;
	void **nptr;
	size_t cap;

	if (p->n == p->cap) {
		cap = p->cap ? p->cap * 2 : 64;
		if ((np = realloc(p->pfd, cap * sizeof(*np))) == NULL)
			return -1;
		p->pfd = np;
		if ((nptr = realloc(p->ptr, cap * sizeof(*nptr))) == NULL)
			return -1;
		p->ptr = nptr;
		p->cap = cap;
	}
	p->pfd[p->n].fd = fd;
	p->pfd[p->n].events = (short)events;
	p->ptr[p->n] = ptr;
	p->n++;
	return 0;
}

int
poller_add_exclusive(struct poller *p, int fd, int events, void *ptr)
{
	return poller_add(p, fd, events, ptr);
}

int
poller_modify(struct poller *p, int fd, int events, void *ptr)
{
	size_t i;

	if ((i = find(p, fd)) == p->n)
		return -1;
	p->pfd[i].events = (short)events;
	p->ptr[i] = ptr;
	return 0;
}

int
poller_remove(struct poller *p, int fd)
{
	size_t i;

	if ((i = find(p, fd)) == p->n)
		return -1;
	p->pfd[i] = p->pfd[--p->n];
	p->ptr[i] = p->ptr[p->n];
	return 0;
}

void
poller_forget(struct poller *p, int fd)
{
	(void)poller_remove(p, fd);
}

int
poller_wait(struct poller *p, int timeout_ms,
    void (*fn)(void *arg, void *ptr), void *arg)
{
	size_t i, k = 0, n = p->n;
	void **ready;
	int r;

	if ((r = poll(p->pfd, (nfds_t)n, timeout_ms)) <= 0)
		return r;
	/* fn may change the array: collect first */
	if ((ready = malloc(n * sizeof(*ready))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (p->pfd[i].revents != 0)
			ready[k++] = p->ptr[i];
	for (i = 0; i < k; i++)
		fn(arg, ready[i]);
	free(ready);
	return r;
}

void
poller_free(struct poller *p)
{
	free(p->pfd);
	free(p->ptr);
	free(p);
}
