/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One child per client.  The parent closes its copy of the client socket
 * at once, whatever fork() did; the child closes the listeners, serves
 * the connection and leaves with _exit() (no atexit handlers, no stdio
 * flush of the parent's buffers).  The SIGCHLD handler in signals.c reaps
 * and notes each pid; the parent frees that child's slot on the board
 * (shared memory, where the child says whether it is idle) and its count
 * for its address.  Only pids found on the board count: a child we did
 * not fork (inherited across exec, an orphan given to PID 1) is ignored.  When every slot is taken, the child idle longest is
 * told to go (SIGUSR1) so that the new client is served, as nginx closes
 * idle keep-alive connections first.  A client of --status gets a child
 * too, off the board and outside every limit but its own
 * (STATUS_MAX_CLIENTS): it reads the shared counters and scoreboard.
 */
#include <config.h>

#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "log.h"
#include "mem.h"
#include "metrics.h"
#include "model.h"
#include "peers.h"
#include "signals.h"

/* What the parent alone knows of the child in a slot (mem.h: not inherited,
   so a child can neither see it nor make the parent signal another pid). */
struct child {
	pid_t			 pid;
	struct peer_key		 key;
};

struct fork_ctx {
	const struct listeners	*l;
	const struct config	*cfg;
	const struct conn_ops	*ops;
	struct board		 board;
	struct child		*kids;		/* one for each slot */
	struct peers		 peers;
	int			 per_address;	/* model_per_address() */
	unsigned int		 alive;		/* forked, not yet collected */
	unsigned int		 reclaiming;	/* told to go, not yet reaped */
	pid_t			 status_kids[STATUS_MAX_CLIENTS]; /* 0: none */
};

/* A status child was reaped: its place is free.  Was pid one? */
static int
collect_status(struct fork_ctx *ctx, pid_t pid)
{
	size_t i;

	for (i = 0; i < STATUS_MAX_CLIENTS; i++)
		if (ctx->status_kids[i] == pid) {
			ctx->status_kids[i] = 0;
			return 1;
		}
	return 0;
}

/*
 * In a child, when a trusted proxy's PROXY header names the client: the
 * parent's count is its own, so the child counts on the board, which is
 * shared (board_count_client() says how the race between two children
 * ends).
 */
struct proxied {
	struct board		*board;
	struct slot		*slot;
	int			 per_address;
};

static int
admit_proxied(void *arg, const struct sockaddr_storage *ss)
{
	struct proxied *p = arg;
	struct peer_key key;

	peers_key(ss, &key);
	if (board_count_client(p->board, p->slot, &key) >
	    (unsigned int)p->per_address) {
		board_forget_client(p->slot);
		return -1;
	}
	return 0;
}

/* Free the slots of the children reaped since the last call. */
static void
collect(struct fork_ctx *ctx)
{
	struct slot *s;
	size_t i;
	pid_t pid;

	while ((pid = signals_next_reaped()) != 0) {
		if (collect_status(ctx, pid))
			continue;
		for (i = 0; i < ctx->board.n && ctx->kids[i].pid != pid; i++)
			;
		if (i == ctx->board.n)
			continue;	/* not one of ours */
		s = &ctx->board.s[i];
		/* a child killed while serving left its row taken */
		metrics_row_reaped(atomic_load(&s->row), pid);
		if (atomic_load(&s->state) >= SLOT_RECLAIM)
			ctx->reclaiming--;
		ctx->alive--;
		ctx->kids[i].pid = 0;
		peers_remove(&ctx->peers, &ctx->kids[i].key);
		board_put(s);
	}
	metrics_set_alive((long long)ctx->alive);
}

/* Every slot is taken: tell the child idle longest to go. */
static int
reclaim(struct fork_ctx *ctx)
{
	struct slot *s;

	if (ctx->reclaiming >= RECLAIM_SLACK ||
	    (s = board_reclaim(&ctx->board)) == NULL)
		return -1;
	(void)kill(ctx->kids[s - ctx->board.s].pid, SIGUSR1);
	board_reclaimed(s);
	ctx->reclaiming++;
	return 0;
}

/*
 * The child's part: serve a and leave.  counted: the parent counts its
 * address; else, behind a trusted proxy's PROXY header, the child counts
 * the client the header names on the board.
 */
static void
child(struct fork_ctx *ctx, const struct accepted *a, struct slot *s,
    int counted)
{
	size_t i;

	signals_child(s, ctx->ops->child_dying);
	metrics_child();
	ctx->ops->child(ctx->cfg);
	for (i = 0; i < ctx->l->n; i++)
		(void)close(ctx->l->fd[i]);
	/* SIGALRM ends a child that never finishes, log written */
	if (ctx->cfg->child_deadline_sec > 0)
		(void)alarm((unsigned int)ctx->cfg->child_deadline_sec);
	if (s != NULL && !counted && ctx->cfg->proxy_protocol &&
	    ctx->per_address > 0) {
		struct proxied p = { &ctx->board, s, ctx->per_address };
		struct accepted b = *a;

		b.admit = admit_proxied;
		b.admit_arg = &p;
		ctx->ops->serve(&b, ctx->cfg, s);
	} else
		ctx->ops->serve(a, ctx->cfg, s);
	_exit(0);
}

/* A client of --status: a child of its own, if one of its places is free. */
static void
dispatch_status(struct fork_ctx *ctx, const struct accepted *a)
{
	size_t i;
	pid_t pid;

	for (i = 0; i < STATUS_MAX_CLIENTS && ctx->status_kids[i] != 0; i++)
		;
	if (i == STATUS_MAX_CLIENTS) {
		model_refuse(a);
		return;
	}
	if ((pid = fork()) == 0)
		child(ctx, a, NULL, 1);
	if (pid < 0) {
		log_warn("fork");
		model_refuse(a);
		return;
	}
	ctx->status_kids[i] = pid;
	(void)close(a->fd);
}

static void
dispatch(const struct accepted *a, void *arg)
{
	struct fork_ctx *ctx = arg;
	struct peer_key key;
	struct slot *s;
	pid_t pid;
	int counted;

	collect(ctx);
	if (a->status) {
		dispatch_status(ctx, a);
		return;
	}
	peers_key(&a->peer, &key);
	counted = model_counts_address(ctx->cfg, a);
	if (counted && ctx->per_address > 0 &&
	    peers_count(&ctx->peers, &key) >= (unsigned int)ctx->per_address) {
		model_refuse(a);
		return;
	}
	if (ctx->alive - ctx->reclaiming >= (unsigned int)ctx->cfg->max_clients &&
	    reclaim(ctx) != 0) {
		model_refuse(a);
		return;
	}
	if ((s = board_take(&ctx->board)) == NULL) {
		model_refuse(a);
		return;
	}
	pid = fork();
	if (pid == 0)
		child(ctx, a, s, counted);
	if (pid < 0) {
		log_warn("fork");
		metrics_add(MC_FORK_FAILED, 1);
		board_put(s);
		model_refuse(a);
		return;
	}
	metrics_add(MC_FORKED, 1);
	ctx->kids[s - ctx->board.s].pid = pid;
	ctx->kids[s - ctx->board.s].key = key;
	/* a trusted proxy's key is never added, so removing it is nothing */
	if (counted)
		(void)peers_add(&ctx->peers, &key);
	ctx->alive++;
	metrics_set_alive((long long)ctx->alive);
	(void)close(a->fd);
}

/*
 * While stopping: children still serving, after telling every one that
 * waits for a request to go, as nginx closes idle keep-alive connections
 * at once.  Only requests in flight get the grace period; a child that
 * finishes one and waits again is told at the next call (every 50 ms).
 */
static int
children_alive(void *arg)
{
	struct fork_ctx *ctx = arg;
	struct slot *s;
	size_t i;
	int n;

	collect(ctx);
	while ((s = board_reclaim(&ctx->board)) != NULL) {
		(void)kill(ctx->kids[s - ctx->board.s].pid, SIGUSR1);
		board_reclaimed(s);
		ctx->reclaiming++;
	}
	/* a status child answers one request and goes */
	for (n = (int)ctx->alive, i = 0; i < STATUS_MAX_CLIENTS; i++)
		n += ctx->status_kids[i] != 0;
	return n;
}

/*
 * Stop: no more clients; the children in flight get the grace period, and
 * then SIGTERM.  Their pids are not kept, so the group is signalled, which
 * is ours alone only when we lead it (detached, or under a supervisor).
 */
static int
serve_forever(struct listeners *l, const struct config *cfg,
    const struct conn_ops *ops)
{
	struct fork_ctx ctx = { .l = l, .cfg = cfg, .ops = ops };

	ctx.per_address = model_per_address(cfg, cfg->max_clients);
	size_t slots = (size_t)cfg->max_clients + RECLAIM_SLACK;
	int rc, left;

	if (board_init(&ctx.board, slots, 1) != 0 ||
	    (ctx.kids = mem_private(slots * sizeof(*ctx.kids))) == NULL ||
	    peers_init(&ctx.peers, slots, (unsigned int)time(NULL) ^
	    (unsigned int)getpid()) != 0 ||
	    signals_track_children(slots + STATUS_MAX_CLIENTS) != 0) {
		log_warn("cannot make room for %zu clients", slots);
		board_free(&ctx.board);
		mem_free_private(ctx.kids, slots * sizeof(*ctx.kids));
		peers_free(&ctx.peers);
		return -1;
	}
	rc = model_accept_loop(l, dispatch, &ctx, ops, cfg);
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
	signals_untrack_children();
	peers_free(&ctx.peers);
	mem_free_private(ctx.kids, slots * sizeof(*ctx.kids));
	board_free(&ctx.board);
	return rc;
}

const struct model model_fork = { "fork", serve_forever, NULL };
