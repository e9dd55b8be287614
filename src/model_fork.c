/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One child per client.  The parent closes its copy of the client socket
 * at once, whatever fork() did; the child closes the listeners, serves
 * the connection and leaves with _exit() (no atexit handlers, no stdio
 * flush of the parent's buffers).  The SIGCHLD handler in signals.c reaps
 * and counts, so the parent knows how many children are alive without
 * keeping a table: forked minus reaped, both modulo the same mask.
 */
#include <config.h>

#include <signal.h>
#include <unistd.h>

#include "log.h"
#include "model.h"
#include "signals.h"

struct fork_ctx {
	const struct listeners	*l;
	const struct config	*cfg;
	conn_handler		*handle;
	unsigned int		 forked;
};

static void
dispatch(int fd, const struct sockaddr_storage *peer, void *arg)
{
	struct fork_ctx *ctx = arg;
	unsigned int alive;
	size_t i;
	pid_t pid;

	alive = (ctx->forked - signals_reaped()) & SIGNALS_COUNT_MASK;
	if (alive >= (unsigned int)ctx->cfg->max_clients) {
		model_refuse(fd);
		return;
	}
	pid = fork();
	if (pid == 0) {
		signals_child();
		log_hold_lines(ctx->cfg);
		for (i = 0; i < ctx->l->n; i++)
			(void)close(ctx->l->fd[i]);
		/* SIGALRM ends a child that never finishes, log written */
		if (ctx->cfg->child_deadline_sec > 0)
			(void)alarm((unsigned int)ctx->cfg->child_deadline_sec);
		ctx->handle(fd, peer, ctx->cfg);
		_exit(0);
	}
	if (pid < 0) {
		log_warn("fork");
		model_refuse(fd);
		return;
	}
	ctx->forked = (ctx->forked + 1) & SIGNALS_COUNT_MASK;
	(void)close(fd);
}

static int
children_alive(void *arg)
{
	struct fork_ctx *ctx = arg;

	return (int)((ctx->forked - signals_reaped()) & SIGNALS_COUNT_MASK);
}

/*
 * Stop: no more clients; the children in flight get the grace period, and
 * then SIGTERM.  Their pids are not kept, so the group is signalled, which
 * is ours alone only when we lead it (detached, or under a supervisor).
 */
static int
serve_forever(struct listeners *l, const struct config *cfg,
    conn_handler *handle)
{
	struct fork_ctx ctx = { l, cfg, handle, 0 };
	int rc, left;

	rc = model_accept_loop(l, dispatch, &ctx);
	listen_close(l);
	if ((left = model_wait_idle(children_alive, &ctx, cfg->grace_sec)) > 0) {
		if (getpgrp() == getpid()) {
			log_warnx("stopping %d children still serving", left);
			(void)signal(SIGTERM, SIG_IGN);
			(void)kill(0, SIGTERM);
			(void)model_wait_idle(children_alive, &ctx, 1);
		} else
			log_warnx("%d children still serving; they end at "
			    "their timeouts", left);
	}
	return rc;
}

const struct model model_fork = { "fork", serve_forever, NULL };
