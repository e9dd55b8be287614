/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One detached POSIX thread per client, in one process: cheaper to start
 * than a child, but every client shares the address space, so a crash in
 * one ends them all and a leak stays.  The count of live threads is one
 * atomic, taken before pthread_create and given back by the thread itself.
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

#define THREAD_STACK_BYTES	(512 * 1024)	/* a conn needs ~20 KiB */

struct thread_ctx {
	const struct config	*cfg;
	conn_handler		*handle;
	pthread_attr_t		 attr;
	atomic_int		 alive;
};

struct client {
	struct thread_ctx	*ctx;
	int			 fd;
	struct sockaddr_storage	 peer;
};

static void *
client_main(void *arg)
{
	struct client *cl = arg;
	struct thread_ctx *ctx = cl->ctx;

	ctx->handle(cl->fd, &cl->peer, ctx->cfg);
	free(cl);
	atomic_fetch_sub(&ctx->alive, 1);
	return NULL;
}

static void
dispatch(int fd, const struct sockaddr_storage *peer, void *arg)
{
	struct thread_ctx *ctx = arg;
	struct client *cl;
	pthread_t t;
	int e;

	if (atomic_fetch_add(&ctx->alive, 1) >= ctx->cfg->max_clients) {
		atomic_fetch_sub(&ctx->alive, 1);
		model_refuse(fd);
		return;
	}
	if ((cl = malloc(sizeof(*cl))) == NULL) {
		atomic_fetch_sub(&ctx->alive, 1);
		model_refuse(fd);
		return;
	}
	cl->ctx = ctx;
	cl->fd = fd;
	memcpy(&cl->peer, peer, sizeof(cl->peer));
	if ((e = pthread_create(&t, &ctx->attr, client_main, cl)) != 0) {
		errno = e;
		log_warn("pthread_create");
		free(cl);
		atomic_fetch_sub(&ctx->alive, 1);
		model_refuse(fd);
	}
}

static int
threads_alive(void *arg)
{
	struct thread_ctx *ctx = arg;

	return atomic_load(&ctx->alive);
}

static int
serve_forever(struct listeners *l, const struct config *cfg,
    conn_handler *handle)
{
	struct thread_ctx ctx;
	int rc, left;

	ctx.cfg = cfg;
	ctx.handle = handle;
	atomic_init(&ctx.alive, 0);
	if (pthread_attr_init(&ctx.attr) != 0 ||
	    pthread_attr_setdetachstate(&ctx.attr,
	    PTHREAD_CREATE_DETACHED) != 0 ||
	    pthread_attr_setstacksize(&ctx.attr, THREAD_STACK_BYTES) != 0) {
		log_warnx("cannot set up thread attributes");
		return -1;
	}
	rc = model_accept_loop(l, dispatch, &ctx);
	listen_close(l);
	/* the atomic orders every thread's last use of cfg before our exit */
	if ((left = model_wait_idle(threads_alive, &ctx, cfg->grace_sec)) > 0) {
		log_warnx("%d clients cut off at exit", left);
		return MODEL_ABANDONED;
	}
	(void)pthread_attr_destroy(&ctx.attr);
	return rc;
}

const struct model model_thread = { "thread", serve_forever, NULL };

#else /* !ENABLE_THREADS */

static int
serve_forever(struct listeners *l, const struct config *cfg,
    conn_handler *handle)
{
	(void)l;
	(void)cfg;
	(void)handle;
	return -1;
}

const struct model model_thread = { "thread", serve_forever,
    "it was left out by configure --disable-threads" };

#endif /* ENABLE_THREADS */
