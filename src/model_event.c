/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The event model: the loop, and the supervisor of -w.  A loop serves every
 * client of its process on non-blocking sockets through the poller
 * (poller.h: epoll or poll(2), level-triggered), and owns each client from
 * accept to close: its state (ops->size bytes, driven through the
 * connection operations, conn_ops.h), its place in the deadline heap (a
 * tick costs O(log n), never a scan) and its count per address.  At -c the client idle longest is
 * closed to make room; out of descriptors, the listeners rest a moment
 * while the clients here are served.  With -w N the supervisor forks N
 * loops on the shared listeners and starts another when one dies, as the
 * reaper in signals.c reports; workers stop when the pipe whose write end
 * only the supervisor holds ends, by any death.  A client of --status is
 * served by the loop like any other, outside the limits of -c and the
 * count per address, within its own (STATUS_MAX_CLIENTS a loop).
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "metrics.h"
#include "model.h"
#include "peers.h"
#include "poller.h"
#include "signals.h"
#include "upgrade.h"

#define RESTART_PAUSE_MSEC	1000	/* between restarts of a worker */
#define IDLE_FLUSH_MSEC		1000	/* a loop without clients keeps its
					   open files this long */
#define SPARE_CLIENTS		32	/* closed clients' memory kept for
					   the next ones, until idle */

struct client {
	size_t		 heap_i;	/* its place in the deadline heap */
	int		 events;	/* what the poller waits for */
	int		 fd;
	long long	 deadline_ms;	/* ops->deadline_ms(), after each run */
	struct loop	*lp;
	struct peer_key	 key;		/* the address it counts under */
	int		 counted;	/* ... if it does: key is in peers */
	struct client	*next_dead;	/* closed, freed after this round */
	int		 dead;
	int		 status;	/* a client of --status */
	max_align_t	 conn[];	/* ops->size bytes: the connection */
};

struct loop {
	const struct listeners	*l;
	const struct config	*cfg;
	const struct conn_ops	*ops;
	struct poller		*p;
	struct client		**heap;
	size_t			 nclients, cap;
	struct client		*dead;		/* closed in this round: the
						   round's events may still
						   name them */
	struct client		*spare;		/* freed, to be used again */
	size_t			 nspare;
	struct peers		 peers;
	int			 listening;
	long long		 resume_ms;	/* listeners rest until then; 0:
						   they are watched */
	size_t			 most;		/* clients at once:
						   model_client_cap(-c) */
	int			 status_clients; /* of those, --status's */
	int			 per_address;	/* model_per_address() */
	int			 lifeline;	/* the lifeline, or -1 */
};

/*
 * The pointers the poller reports for the loop's other descriptors: the
 * listeners, the self-pipe and the lifeline.
 */
static char listener_tag[MAX_SOCKETS];
static char signal_tag;
static char lifeline_tag;

/* --- the deadline heap --- */

static void
heap_swap(struct loop *lp, size_t a, size_t b)
{
	struct client *t = lp->heap[a];

	lp->heap[a] = lp->heap[b];
	lp->heap[b] = t;
	lp->heap[a]->heap_i = a;
	lp->heap[b]->heap_i = b;
}

static void
heap_fix(struct loop *lp, size_t i)
{
	size_t k, least;

	while (i > 0 && lp->heap[(i - 1) / 2]->deadline_ms >
	    lp->heap[i]->deadline_ms) {
		heap_swap(lp, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	for (;;) {
		least = i;
		for (k = 2 * i + 1; k <= 2 * i + 2 && k < lp->nclients; k++)
			if (lp->heap[k]->deadline_ms <
			    lp->heap[least]->deadline_ms)
				least = k;
		if (least == i)
			return;
		heap_swap(lp, i, least);
		i = least;
	}
}

static void
heap_remove(struct loop *lp, struct client *cl)
{
	size_t i = cl->heap_i;

	lp->nclients--;
	if (i != lp->nclients) {
		lp->heap[i] = lp->heap[lp->nclients];
		lp->heap[i]->heap_i = i;
		heap_fix(lp, i);
	}
}

/* --- clients --- */

static void
client_close(struct loop *lp, struct client *cl)
{
	poller_forget(lp->p, cl->fd);
	heap_remove(lp, cl);
	if (cl->status)
		lp->status_clients--;
	else if (cl->counted)
		peers_remove(&lp->peers, &cl->key);
	lp->ops->close(cl->conn);
	/*
	 * Not freed yet: a client closed to make room for another, or by
	 * its deadline, may have an event later in the same batch.
	 */
	cl->dead = 1;
	cl->next_dead = lp->dead;
	lp->dead = cl;
}

/*
 * A client's memory, given back: kept for the next client while there are
 * fewer than SPARE_CLIENTS, else freed.  A new connection for every
 * request otherwise has malloc trim the heap's top and fault it back in
 * (0.5 page faults a request, close16).
 */
static void
client_free(struct loop *lp, struct client *cl)
{
	if (lp->nspare < SPARE_CLIENTS) {
		cl->next_dead = lp->spare;
		lp->spare = cl;
		lp->nspare++;
	} else
		free(cl);
}

/* An idle loop, or one that ends, keeps no spare memory. */
static void
spares_free(struct loop *lp)
{
	struct client *cl;

	while ((cl = lp->spare) != NULL) {
		lp->spare = cl->next_dead;
		free(cl);
	}
	lp->nspare = 0;
}

/* Free the clients closed in this round, once no event can name them. */
static void
bury(struct loop *lp)
{
	struct client *cl;

	while ((cl = lp->dead) != NULL) {
		lp->dead = cl->next_dead;
		client_free(lp, cl);
	}
}

/*
 * Every place is taken: close the client that waits for a request and
 * would time out soonest (idle longest, as the timeouts are alike), as
 * nginx closes idle keep-alive connections first.  0, or -1 if none is
 * idle.
 */
static int
reclaim(struct loop *lp)
{
	struct client *best = NULL;
	size_t i;

	for (i = 0; i < lp->nclients; i++)
		if (lp->ops->idle(lp->heap[i]->conn) && (best == NULL ||
		    lp->heap[i]->deadline_ms < best->deadline_ms))
			best = lp->heap[i];
	if (best == NULL)
		return -1;
	client_close(lp, best);
	return 0;
}

/* Act on what the connection wants next. */
static void
client_want(struct loop *lp, struct client *cl, enum conn_want w)
{
	int events;

	if (w == CONN_CLOSE) {
		client_close(lp, cl);
		return;
	}
	events = w == CONN_READ ? POLLIN : POLLOUT;
	if (events != cl->events) {
		if (poller_modify(lp->p, cl->fd, events, cl) != 0) {
			client_close(lp, cl);
			return;
		}
		cl->events = events;
	}
	cl->deadline_ms = lp->ops->deadline_ms(cl->conn);
	heap_fix(lp, cl->heap_i);
}

/*
 * A trusted proxy's PROXY header named the client (struct accepted):
 * count it from now on, if it has room.
 */
static int
client_admit(void *arg, const struct sockaddr_storage *ss)
{
	struct client *cl = arg;
	struct loop *lp = cl->lp;
	struct peer_key key;

	peers_key(ss, &key);
	if (cl->counted || peers_count(&lp->peers, &key) >=
	    (unsigned int)lp->per_address)
		return -1;
	cl->key = key;
	cl->counted = peers_add(&lp->peers, &key) > 0;
	return 0;
}

static void
client_add(struct loop *lp, const struct accepted *a)
{
	struct accepted proxied = *a;
	int fd = a->fd;
	struct client *cl, **nh;
	struct peer_key key;
	enum conn_want w;
	size_t cap;
	int counted = !a->status && model_counts_address(lp->cfg, a);

	peers_key(&a->peer, &key);
	if (a->status ? lp->status_clients >= STATUS_MAX_CLIENTS :
	    ((counted && lp->per_address > 0 && peers_count(&lp->peers, &key) >=
	    (unsigned int)lp->per_address) ||
	    (lp->nclients - (size_t)lp->status_clients >= lp->most &&
	    reclaim(lp) != 0))) {
		model_refuse(a);
		return;
	}
	if (lp->nclients == lp->cap) {
		cap = lp->cap ? lp->cap * 2 : 64;
		if ((nh = realloc(lp->heap, cap * sizeof(*nh))) == NULL) {
			model_refuse(a);
			return;
		}
		lp->heap = nh;
		lp->cap = cap;
	}
	if ((cl = lp->spare) != NULL) {
		lp->spare = cl->next_dead;
		lp->nspare--;
	} else if ((cl = malloc(sizeof(*cl) + lp->ops->size)) == NULL) {
		model_refuse(a);
		return;
	}
	cl->fd = fd;
	cl->dead = 0;
	cl->status = a->status;
	cl->lp = lp;
	cl->key = key;
	cl->counted = counted && peers_add(&lp->peers, &key) > 0;
	/* through a trusted proxy: the client its PROXY header names (the
	   status listener's clients are never counted, nor proxied) */
	if (!counted && !a->status && lp->cfg->proxy_protocol &&
	    lp->per_address > 0) {
		proxied.admit = client_admit;
		proxied.admit_arg = cl;
	}
	lp->ops->init(cl->conn, &proxied, lp->cfg);
	/*
	 * The request is often there already: serve it before registering.
	 * A connection done at once (one request, then close) costs no
	 * epoll_ctl, and its close no removal from the set.
	 */
	w = lp->ops->run(cl->conn);
	cl->events = w == CONN_READ ? POLLIN : POLLOUT;
	if (w == CONN_CLOSE ||
	    poller_add(lp->p, fd, cl->events, cl) != 0) {
		if (cl->counted)
			peers_remove(&lp->peers, &cl->key);
		lp->ops->close(cl->conn);
		client_free(lp, cl);
		return;
	}
	cl->deadline_ms = lp->ops->deadline_ms(cl->conn);
	if (cl->status)
		lp->status_clients++;
	cl->heap_i = lp->nclients;
	lp->heap[lp->nclients++] = cl;
	heap_fix(lp, cl->heap_i);
}

static void
dispatch(const struct accepted *a, void *arg)
{
	client_add(arg, a);
}

/* Watch the listeners again (on), or stop watching them for a while. */
static void
watch_listeners(struct loop *lp, int on)
{
	size_t i;

	for (i = 0; i < lp->l->n; i++)
		if (on)
			(void)poller_add_exclusive(lp->p, lp->l->fd[i], POLLIN,
			    &listener_tag[i]);
		else
			(void)poller_remove(lp->p, lp->l->fd[i]);
}

/*
 * Accept a batch from listener i.  Out of descriptors, the listener would
 * stay ready and the loop would spin on it: let the listeners rest for
 * ACCEPT_BACKOFF_MSEC while the clients here go on being served.
 */
static void
accept_batch(struct loop *lp, size_t i)
{
	if (model_drain(lp->l, i, dispatch, lp) < 0 &&
	    lp->resume_ms == 0) {
		watch_listeners(lp, 0);
		lp->resume_ms = conn_now_ms() + ACCEPT_BACKOFF_MSEC;
	}
}

static void
on_ready(void *arg, void *ptr)
{
	struct loop *lp = arg;
	char *tag = ptr;

	if (tag >= listener_tag && tag < listener_tag + MAX_SOCKETS) {
		if (lp->listening && lp->resume_ms == 0)
			accept_batch(lp, (size_t)(tag - listener_tag));
		return;
	}
	if (tag == &signal_tag) {
		signals_drain();
		return;
	}
	if (tag == &lifeline_tag) {
		/* the supervisor is gone, even killed: stop as if told to */
		if (lp->lifeline >= 0)
			(void)poller_remove(lp->p, lp->lifeline);
		signals_stop = 1;
		return;
	}
	if (((struct client *)ptr)->dead)
		return;		/* closed earlier in this batch */
	client_want(lp, ptr, lp->ops->run(((struct client *)ptr)->conn));
}

/* Expire every connection whose deadline has passed. */
static void
expire(struct loop *lp)
{
	long long now = conn_now_ms();
	struct client *cl;

	while (lp->nclients > 0 && lp->heap[0]->deadline_ms <= now) {
		cl = lp->heap[0];
		client_want(lp, cl, lp->ops->expire(cl->conn));
	}
}

/*
 * Accept no more clients.  A worker closes its copies of the listeners, so
 * that the port is free once the supervisor has closed its own.
 */
static void
stop_listening(struct loop *lp, struct listeners *l)
{
	if (lp->resume_ms == 0)
		watch_listeners(lp, 0);
	lp->resume_ms = 0;
	lp->listening = 0;
	if (lp->lifeline >= 0)
		listen_close(l);
}

/*
 * One event loop, until SIGTERM (or the end of the lifeline) and then the
 * grace period.  lifeline is the read end of the supervisor's pipe (-w), or
 * -1.
 */
static int
run_loop(struct listeners *l, const struct config *cfg,
    const struct conn_ops *ops, int lifeline)
{
	struct loop lp;
	long long grace_end = 0, now;
	size_t i;
	int timeout, n, rc = 0, files = 0;

	memset(&lp, 0, sizeof(lp));
	lp.l = l;
	lp.cfg = cfg;
	lp.ops = ops;
	lp.listening = 1;
	lp.lifeline = lifeline;
	lp.most = (size_t)model_client_cap(cfg->max_clients);
	lp.per_address = model_per_address(cfg, (int)lp.most);
	if (peers_init(&lp.peers, (size_t)cfg->max_clients,
	    (unsigned int)conn_now_ms() ^ (unsigned int)getpid()) != 0) {
		log_warn("cannot make room for %d clients", cfg->max_clients);
		return -1;
	}
	if ((lp.p = poller_new()) == NULL) {
		log_warn("cannot create the event poller");
		peers_free(&lp.peers);
		return -1;
	}
	/* the workers share the listeners: an event wakes one of them */
	for (i = 0; i < l->n; i++)
		if (poller_add_exclusive(lp.p, l->fd[i], POLLIN,
		    &listener_tag[i]) != 0) {
			log_warn("cannot watch a listener");
			goto fail;
		}
	if ((signals_fd() >= 0 && poller_add(lp.p, signals_fd(), POLLIN,
	    &signal_tag) != 0) || (lifeline >= 0 &&
	    poller_add(lp.p, lifeline, POLLIN, &lifeline_tag) != 0))
		goto fail;

	for (;;) {
		if (signals_reopen) {
			signals_reopen = 0;
			ops->reload(cfg);
		}
		/* a worker (lifeline) leaves upgrades to its supervisor */
		if (signals_upgrade) {
			signals_upgrade = 0;
			if (lifeline < 0 && lp.listening)
				upgrade_start(l);
		}
		if (signals_stop && lp.listening) {
			stop_listening(&lp, l);
			grace_end = conn_now_ms() + (long long)cfg->grace_sec * 1000;
		}
		/* stopping: a client between requests goes at once, and one
		   that finishes its request at the next round (100 ms) */
		while (!lp.listening && reclaim(&lp) == 0)
			;
		if (!lp.listening && (lp.nclients == 0 || conn_now_ms() >= grace_end))
			break;
		timeout = -1;
		if (lp.nclients > 0) {
			now = lp.heap[0]->deadline_ms - conn_now_ms();
			timeout = now < 0 ? 0 : now > 60000 ? 60000 : (int)now;
		} else if (files)
			timeout = IDLE_FLUSH_MSEC;
		if (!lp.listening && timeout > 100)
			timeout = 100;
		if (lp.resume_ms != 0) {
			now = conn_now_ms();
			if (now >= lp.resume_ms) {
				lp.resume_ms = 0;
				watch_listeners(&lp, 1);
			} else if (timeout < 0 || lp.resume_ms - now < timeout)
				timeout = (int)(lp.resume_ms - now);
		}
		/* the lines of this round, in one write before waiting */
		ops->flush(cfg);
		n = poller_wait(lp.p, timeout, on_ready, &lp);
		if (n < 0 && errno != EINTR) {
			log_warn("event wait");
			rc = -1;
			break;
		}
		/*
		 * An idle server holds no file open, but not as soon as its
		 * last client leaves: with one client after another, that
		 * was an open, fstat and read of the file for every one.
		 */
		if (n > 0)
			files = 1;
		else if (n == 0 && lp.nclients == 0 && files) {
			ops->rest();
			spares_free(&lp);
			files = 0;
		}
		expire(&lp);
		bury(&lp);
	}
	if (lp.nclients > 0)
		log_warnx("%zu clients cut off at exit", lp.nclients);
	while (lp.nclients > 0)
		client_close(&lp, lp.heap[0]);
	bury(&lp);
	spares_free(&lp);
	ops->flush(cfg);
	free(lp.heap);
	poller_free(lp.p);
	peers_free(&lp.peers);
	return rc;
fail:
	poller_free(lp.p);
	peers_free(&lp.peers);
	return -1;
}

/* --- -w N: the supervisor, which keeps N workers running --- */

struct worker {
	pid_t	pid;		/* -1 when fork failed */
	int	gone;		/* reaped, or never started */
};

static void
start_worker(struct worker *wk, struct listeners *l,
    const struct config *cfg, const struct conn_ops *ops,
    const int lifeline[2])
{
	pid_t pid = fork();

	if (pid == 0) {
		signals_child(NULL, NULL);
		signals_untrack_children();
		metrics_child();
		(void)close(lifeline[1]);
		if (signals_init() != 0)
			_exit(EXIT_FAILURE);
		_exit(run_loop(l, cfg, ops, lifeline[0]) == 0 ? EXIT_SUCCESS :
		    EXIT_FAILURE);
	}
	if (pid < 0)
		log_warn("fork");
	wk->pid = pid;
	wk->gone = pid < 0;
}

/*
 * Mark the workers that the SIGCHLD handler has reaped since the last
 * call; how many are still running.
 */
static int
collect(struct worker *w, int n)
{
	pid_t pid;
	int i, running = 0;

	while ((pid = signals_next_reaped()) != 0)
		for (i = 0; i < n; i++)
			if (w[i].pid == pid && !w[i].gone) {
				w[i].gone = 1;
				/* a worker that died serving left its rows */
				metrics_row_reaped(-1, pid);
				break;
			}
	for (i = 0; i < n; i++)
		running += !w[i].gone;
	metrics_set_alive(running);
	return running;
}

/*
 * Stop: the workers see the pipe end and get SIGTERM; each gives its
 * clients the grace period, then exits.
 */
static void
stop_workers(struct worker *w, int n, const struct config *cfg)
{
	int i, tick;

	(void)collect(w, n);
	for (i = 0; i < n; i++)
		if (!w[i].gone)
			(void)kill(w[i].pid, SIGTERM);
	for (tick = 0; tick < (cfg->grace_sec + 2) * 10; tick++) {
		if (collect(w, n) == 0)
			break;
		(void)poll(NULL, 0, 100);
	}
	/* a worker stuck in a loop never sees SIGTERM's flag: no orphans */
	(void)collect(w, n);
	for (i = 0; i < n; i++)
		if (!w[i].gone) {
			log_warnx("worker %ld did not stop; killing it",
			    (long)w[i].pid);
			(void)kill(w[i].pid, SIGKILL);
		}
}

/*
 * Keep cfg->workers event loops running.  The reaper in signals.c waits
 * for every child and notes its pid; this parent learns from those notes
 * which workers ended, and never calls waitpid() itself.
 */
static int
supervise(struct listeners *l, const struct config *cfg,
    const struct conn_ops *ops)
{
	struct worker *w;
	long long last_start;
	int i, n = cfg->workers, lifeline[2];
	struct pollfd pfd;

	if ((w = calloc((size_t)n, sizeof(*w))) == NULL)
		return -1;
	if (signals_track_children((size_t)n) != 0) {
		log_warnx("cannot keep track of %d workers", n);
		free(w);
		return -1;
	}
	if (pipe(lifeline) != 0 ||
	    fcntl(lifeline[0], F_SETFD, FD_CLOEXEC) == -1 ||
	    fcntl(lifeline[1], F_SETFD, FD_CLOEXEC) == -1) {
		log_warn("cannot make the workers' pipe");
		signals_untrack_children();
		free(w);
		return -1;
	}
	for (i = 0; i < n; i++)
		start_worker(&w[i], l, cfg, ops, lifeline);
	(void)collect(w, n);
	last_start = conn_now_ms();
	pfd.fd = signals_fd();
	pfd.events = POLLIN;
	while (!signals_stop) {
		(void)poll(&pfd, 1, 500);
		signals_drain();
		(void)collect(w, n);
		if (signals_reopen) {
			/* the workers reopen their own descriptor number */
			signals_reopen = 0;
			log_reopen_access();
			for (i = 0; i < n; i++)
				if (!w[i].gone)
					(void)kill(w[i].pid, SIGHUP);
		}
		if (signals_upgrade) {
			signals_upgrade = 0;
			upgrade_start(l);
		}
		for (i = 0; i < n && !signals_stop; i++) {
			if (!w[i].gone)
				continue;
			if (conn_now_ms() - last_start < RESTART_PAUSE_MSEC)
				continue;	/* a crash loop must not spin */
			log_warnx("worker %ld is gone; starting another",
			    (long)w[i].pid);
			start_worker(&w[i], l, cfg, ops, lifeline);
			metrics_add(MC_RESTARTS, 1);
			last_start = conn_now_ms();
		}
	}
	listen_close(l);
	(void)close(lifeline[0]);
	(void)close(lifeline[1]);	/* the workers see the pipe end */
	stop_workers(w, n, cfg);
	signals_untrack_children();
	free(w);
	return 0;
}

static int
serve_forever(struct listeners *l, const struct config *cfg,
    const struct conn_ops *ops)
{
	int rc;

	if (cfg->workers > 0)
		return supervise(l, cfg, ops);
	rc = run_loop(l, cfg, ops, -1);
	listen_close(l);
	return rc;
}

const struct model model_event = { "event", serve_forever, NULL };
