/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One detached POSIX thread per client, in one process: cheaper to start
 * than a child, but every client shares the address space, so a crash in
 * one ends them all and a leak stays.  The count of live threads is one
 * atomic, taken before pthread_create and given back by the thread itself.
 * Each thread has a slot on the board; when every one is taken, the
 * accepting thread shuts down the socket of the client idle longest, and
 * its thread closes it.  The counts per address are under one mutex.
 * A client of --status gets a thread off the board, within its own limit
 * (STATUS_MAX_CLIENTS), counted by a second atomic.
 */
#include <config.h>

#include "log.h"
#include "model.h"

#ifdef ENABLE_THREADS
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "peers.h"

#define THREAD_STACK_BYTES	(512 * 1024)	/* a conn needs ~20 KiB */

struct thread_ctx {
	const struct config	*cfg;
	const struct conn_ops	*ops;
	pthread_attr_t		 attr;
	atomic_int		 alive;
	atomic_int		 status_alive;	/* --status's clients */
	struct board		 board;
	struct peers		 peers;
	pthread_mutex_t		 lock;		/* peers, and slots given back */
	int			 cap;		/* model_client_cap(-c) */
	int			 per_address;	/* model_per_address() */
};

struct client {
	struct thread_ctx	*ctx;
	struct accepted		 a;
	struct slot		*slot;		/* NULL: a status client */
	struct peer_key		 key;
	int			 counted;	/* key is in peers */
};

/* The client is gone: its slot, its count, its place in alive. */
static void
release(struct thread_ctx *ctx, struct slot *s, const struct peer_key *key,
    int counted)
{
	(void)pthread_mutex_lock(&ctx->lock);
	if (counted)
		peers_remove(&ctx->peers, key);
	board_put(s);
	(void)pthread_mutex_unlock(&ctx->lock);
	atomic_fetch_sub(&ctx->alive, 1);
}

/*
 * A trusted proxy's PROXY header named the client (struct accepted):
 * count it from now on, if it has room.  On the client's thread.
 */
static int
client_admit(void *arg, const struct sockaddr_storage *ss)
{
	struct client *cl = arg;
	struct thread_ctx *ctx = cl->ctx;
	struct peer_key key;
	int r = -1;

	peers_key(ss, &key);
	(void)pthread_mutex_lock(&ctx->lock);
	if (!cl->counted && peers_count(&ctx->peers, &key) <
	    (unsigned int)ctx->per_address && peers_add(&ctx->peers,
	    &key) > 0) {
		cl->key = key;
		cl->counted = 1;
		r = 0;
	}
	(void)pthread_mutex_unlock(&ctx->lock);
	return r;
}

static void *
client_main(void *arg)
{
	struct client *cl = arg;
	struct thread_ctx *ctx = cl->ctx;

	ctx->ops->serve(&cl->a, ctx->cfg, cl->slot);
	if (cl->slot != NULL)
		release(ctx, cl->slot, &cl->key, cl->counted);
	else
		atomic_fetch_sub(&ctx->status_alive, 1);
	free(cl);
	return NULL;
}

/* A client of --status: a thread, if one of its places is free. */
static void
dispatch_status(struct thread_ctx *ctx, const struct accepted *a)
{
	struct client *cl;
	pthread_t t;
	int e;

	if (atomic_fetch_add(&ctx->status_alive, 1) >= STATUS_MAX_CLIENTS ||
	    (cl = malloc(sizeof(*cl))) == NULL) {
		atomic_fetch_sub(&ctx->status_alive, 1);
		model_refuse(a);
		return;
	}
	cl->ctx = ctx;
	cl->a = *a;
	cl->slot = NULL;
	cl->counted = 0;
	if ((e = pthread_create(&t, &ctx->attr, client_main, cl)) != 0) {
		errno = e;
		log_warn("pthread_create");
		free(cl);
		atomic_fetch_sub(&ctx->status_alive, 1);
		model_refuse(a);
	}
}

/* Every slot is taken: end the client idle longest.  0, or -1. */
static int
reclaim(struct thread_ctx *ctx)
{
	struct slot *s;

	if ((s = board_reclaim(&ctx->board)) == NULL)
		return -1;
	/* its thread waits for board_reclaimed() before closing the fd */
	(void)shutdown(s->fd, SHUT_RDWR);
	board_reclaimed(s);
	return 0;
}

static void
dispatch(const struct accepted *a, void *arg)
{
	struct thread_ctx *ctx = arg;
	struct peer_key key;
	struct client *cl;
	struct slot *s;
	pthread_t t;
	int e, n, full = 0, counted = model_counts_address(ctx->cfg, a);

	if (a->status) {
		dispatch_status(ctx, a);
		return;
	}
	peers_key(&a->peer, &key);
	/* an address over its share closes no one else's client */
	(void)pthread_mutex_lock(&ctx->lock);
	full = counted && ctx->per_address > 0 &&
	    peers_count(&ctx->peers, &key) >=
	    (unsigned int)ctx->per_address;
	(void)pthread_mutex_unlock(&ctx->lock);
	n = atomic_load(&ctx->alive);
	if (full || (n >= ctx->cap && reclaim(ctx) != 0)) {
		model_refuse(a);
		return;
	}
	(void)pthread_mutex_lock(&ctx->lock);
	if ((s = board_take(&ctx->board)) == NULL)
		full = 1;
	else {
		s->fd = a->fd;
		/* a trusted proxy's is never added: removing it is nothing */
		if (counted)
			(void)peers_add(&ctx->peers, &key);
	}
	(void)pthread_mutex_unlock(&ctx->lock);
	if (full) {
		model_refuse(a);
		return;
	}
	atomic_fetch_add(&ctx->alive, 1);
	if ((cl = malloc(sizeof(*cl))) == NULL) {
		release(ctx, s, &key, counted);
		model_refuse(a);
		return;
	}
	cl->ctx = ctx;
	cl->a = *a;
	cl->slot = s;
	cl->key = key;
	cl->counted = counted;
	/* through a trusted proxy: the client its PROXY header names */
	if (!counted && ctx->cfg->proxy_protocol && ctx->per_address > 0) {
		cl->a.admit = client_admit;
		cl->a.admit_arg = cl;
	}
	if ((e = pthread_create(&t, &ctx->attr, client_main, cl)) != 0) {
		errno = e;
		log_warn("pthread_create");
		free(cl);
		release(ctx, s, &key, counted);
		model_refuse(a);
	}
}

/* While stopping: clients still served, once those idle are closed. */
static int
threads_alive(void *arg)
{
	struct thread_ctx *ctx = arg;

	while (reclaim(ctx) == 0)
		;
	return atomic_load(&ctx->alive) + atomic_load(&ctx->status_alive);
}

static int
serve_forever(struct listeners *l, const struct config *cfg,
    const struct conn_ops *ops)
{
	struct thread_ctx ctx;
	size_t slots = (size_t)cfg->max_clients + RECLAIM_SLACK;
	int rc, left;

	ctx.cfg = cfg;
	ctx.ops = ops;
	ctx.cap = model_client_cap(cfg->max_clients);
	ctx.per_address = model_per_address(cfg, ctx.cap);
	atomic_init(&ctx.alive, 0);
	atomic_init(&ctx.status_alive, 0);
	if (board_init(&ctx.board, slots, 0) != 0 ||
	    peers_init(&ctx.peers, slots, (unsigned int)time(NULL) ^
	    (unsigned int)getpid()) != 0 ||
	    pthread_mutex_init(&ctx.lock, NULL) != 0) {
		log_warn("cannot make room for %zu clients", slots);
		return -1;
	}
	if (pthread_attr_init(&ctx.attr) != 0 ||
	    pthread_attr_setdetachstate(&ctx.attr,
	    PTHREAD_CREATE_DETACHED) != 0 ||
	    pthread_attr_setstacksize(&ctx.attr, THREAD_STACK_BYTES) != 0) {
		log_warnx("cannot set up thread attributes");
		return -1;
	}
	rc = model_accept_loop(l, dispatch, &ctx, ops, cfg);
	listen_close(l);
	/* the atomic orders every thread's last use of cfg before our exit */
	if ((left = model_wait_idle(threads_alive, &ctx, cfg->grace_sec)) > 0) {
		log_warnx("%d clients cut off at exit", left);
		return MODEL_ABANDONED;
	}
	(void)pthread_attr_destroy(&ctx.attr);
	(void)pthread_mutex_destroy(&ctx.lock);
	peers_free(&ctx.peers);
	board_free(&ctx.board);
	return rc;
}

const struct model model_thread = { "thread", serve_forever, NULL };

#else /* !ENABLE_THREADS */

static int
serve_forever(struct listeners *l, const struct config *cfg,
    const struct conn_ops *ops)
{
	(void)l;
	(void)cfg;
	(void)ops;
	return -1;
}

const struct model model_thread = { "thread", serve_forever,
    "it was left out by configure --disable-threads" };

#endif /* ENABLE_THREADS */
