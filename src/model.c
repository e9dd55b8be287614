/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The table of models and the accept loop they share.  The loop waits in
 * poll() on the listeners and the signals' self-pipe, then drains each ready
 * listener in a bounded batch.
 */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "metrics.h"
#include "model.h"
#include "proxy.h"
#include "signals.h"
#include "upgrade.h"

#define ACCEPT_BATCH	64	/* clients taken from one listener per turn */
#define ACCEPT_WARN_SEC	10	/* one warning per this, when out of fds */
#define FD_RESERVE_MAX	64	/* descriptors kept for the files clients
				   open, at most (an eighth of the limit) */
#define FD_RESERVE_MIN	8

static const struct model *const models[] = {
	&model_fork,
	&model_thread,
	&model_single,
	&model_event,
};

const struct model *
model_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++)
		if (strcmp(models[i]->name, name) == 0)
			return models[i];
	return NULL;
}

/*
 * What the client sent is read first, so the close is a FIN rather than a
 * reset that could destroy the answer before the client reads it.
 */
void
model_refuse(const struct accepted *a)
{
	static const char msg[] = "HTTP/1.1 503 Service Unavailable\r\n"
	    "Content-Type: text/plain\r\nContent-Length: 20\r\n"
	    "Retry-After: 1\r\nConnection: close\r\n\r\n"
	    "Service Unavailable\n";
	char junk[4096];

	if (!a->status)
		metrics_add(MC_REFUSED, 1);
	(void)recv(a->fd, junk, sizeof(junk), MSG_DONTWAIT);
	/* a TLS client reads no plain answer; a handshake would cost the
	   accepting side what it has no room for: closed, as nginx does */
	if (!a->tls)
		(void)send(a->fd, msg, sizeof(msg) - 1,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)close(a->fd);
}

/*
 * Wait until a listener is ready or a signal arrives; ready[i] says which.
 * timeout_ms < 0 waits as long as it takes.  Returns poll()'s result.
 */
static int
wait_ready(const struct listeners *l, int *ready, int timeout_ms)
{
	struct pollfd pfd[MAX_SOCKETS + 1];
	size_t i;
	int n;

	for (i = 0; i < l->n; i++) {
		pfd[i].fd = l->fd[i];
		pfd[i].events = POLLIN;
		pfd[i].revents = 0;
	}
	pfd[l->n].fd = signals_fd();
	pfd[l->n].events = POLLIN;
	pfd[l->n].revents = 0;
	n = poll(pfd, (nfds_t)l->n + 1, timeout_ms);
	for (i = 0; i < l->n; i++)
		ready[i] = n > 0 && pfd[i].revents != 0;
	if (n > 0 && pfd[l->n].revents != 0)
		signals_drain();
	return n;
}

/* Sleep for ms, still answering the stop signals. */
static void
back_off(int ms)
{
	struct listeners none = { .n = 0 };
	int ready[1];

	(void)wait_ready(&none, ready, ms);
}

int
model_client_cap(int max_clients)
{
	struct rlimit rl;
	rlim_t reserve;
	int used, room;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > INT_MAX)
		return max_clients;
	reserve = rl.rlim_cur / 8;
	if (reserve > FD_RESERVE_MAX)
		reserve = FD_RESERVE_MAX;
	if (reserve < FD_RESERVE_MIN)
		reserve = FD_RESERVE_MIN;
	/* the lowest free number: about as many are in use already */
	if ((used = dup(STDIN_FILENO)) < 0)
		used = 0;
	else
		(void)close(used);
	room = (int)rl.rlim_cur - (int)reserve - used;
	if (room < 1)
		room = 1;
	return room < max_clients ? room : max_clients;
}

int
model_per_address(const struct config *cfg, int cap)
{
	if (cfg->max_per_address >= 0)
		return cfg->max_per_address;
	return cap >= 4 ? cap / 4 : 1;
}

int
model_counts_address(const struct config *cfg, const struct accepted *a)
{
	return !proxy_trusted(cfg->trusted, (size_t)cfg->trusted_proxies,
	    &a->peer);
}

/*
 * Out of descriptors or buffers: say so, but not ten times a second for
 * as long as it lasts.  Only the accepting thread calls it.
 */
static void
warn_accept(void)
{
	static time_t last;
	static unsigned int more;
	time_t now = time(NULL);

	if (last != 0 && now - last < ACCEPT_WARN_SEC) {
		more++;
		return;
	}
	if (more > 0)
		log_warn("accept (and %u times more in %ld s)", more,
		    (long)(now - last));
	else
		log_warn("accept");
	last = now;
	more = 0;
}

int
model_drain(const struct listeners *l, size_t i, model_dispatch *dispatch,
    void *arg)
{
	struct accepted a;
	int k;

	a.tls = l->tls[i];
	a.status = l->status[i];
	a.admit = NULL;
	a.admit_arg = NULL;
	for (k = 0; k < ACCEPT_BATCH && !signals_stop; k++) {
		if ((a.fd = listen_accept(l->fd[i], &a.peer)) >= 0) {
			if (!a.status)
				metrics_add(MC_ACCEPTED, 1);
			dispatch(&a, arg);
			continue;
		}
		switch (errno) {
		case EAGAIN:
#if EWOULDBLOCK != EAGAIN
		case EWOULDBLOCK:
#endif
			return 0;
		case EMFILE:
		case ENFILE:
		case ENOBUFS:
		case ENOMEM:
			warn_accept();
			return -1;
		default:
			/* EINTR, ECONNABORTED, EPROTO: that client only */
			continue;
		}
	}
	return 0;
}

int
model_accept_loop(const struct listeners *l, model_dispatch *dispatch,
    void *arg, const struct conn_ops *ops, const struct config *cfg)
{
	int ready[MAX_SOCKETS];
	size_t i;

	while (!signals_stop) {
		if (signals_reopen) {
			signals_reopen = 0;
			ops->reload(cfg);
		}
		if (signals_upgrade) {
			signals_upgrade = 0;
			upgrade_start(l);
		}
		if (wait_ready(l, ready, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_warn("poll");
			return -1;
		}
		ops->tick();
		for (i = 0; i < l->n; i++)
			if (ready[i] && model_drain(l, i, dispatch, arg) < 0)
				back_off(ACCEPT_BACKOFF_MSEC);
	}
	return 0;
}

int
model_wait_idle(int (*alive)(void *), void *arg, int seconds)
{
	struct listeners none = { .n = 0 };
	int ready[1], left, step = 50;

	for (left = seconds * 1000; alive(arg) > 0 && left > 0; left -= step)
		(void)wait_ready(&none, ready, step);
	return alive(arg);
}
