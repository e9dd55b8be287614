/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How an accepted client gets a worker.  Each model is one file and one
 * entry in a table; all of them receive the connection as a table of
 * operations (conn_ops.h) and know nothing about HTTP.
 */
#ifndef FORKHTTPD_MODEL_H
#define FORKHTTPD_MODEL_H

#include <sys/socket.h>

#include "conf.h"
#include "conn_ops.h"
#include "listen.h"

struct model {
	const char	*name;
	/*
	 * Accept clients on every listener and serve each through ops, until
	 * SIGTERM or SIGINT; then close the listeners and give the clients
	 * in flight cfg->grace_sec to finish.  Returns 0 when every worker
	 * is done, MODEL_ABANDONED when some still run in this process (the
	 * caller must then exit without freeing what they use), or -1 on a
	 * fatal error.
	 */
	int		(*serve_forever)(struct listeners *l,
			    const struct config *cfg,
			    const struct conn_ops *ops);
	const char	*unavailable;	/* why it is not built, or NULL */
};

#define MODEL_ABANDONED	1

/* The model called name, or NULL. */
const struct model *model_by_name(const char *name);

/* Called by model_accept_loop() with each new client; owns a->fd. */
typedef void model_dispatch(const struct accepted *a, void *arg);

/*
 * The accept loop the models share: wait for clients or a signal, accept
 * them in batches and dispatch each.  Survives EINTR,
 * ECONNABORTED and running out of descriptors or buffers.  Returns 0 once
 * signals_stop is set, -1 on a fatal error.
 */
int	model_accept_loop(const struct listeners *l, model_dispatch *dispatch,
	    void *arg, const struct conn_ops *ops, const struct config *cfg);

/*
 * Accept a bounded batch from listener i of l and dispatch each client.
 * Returns 0, or -1 when out of descriptors or buffers: the caller should
 * back off for ACCEPT_BACKOFF_MSEC, since the listener stays ready.
 */
int	model_drain(const struct listeners *l, size_t i,
	    model_dispatch *dispatch, void *arg);

/*
 * For the models whose clients share one process's descriptors (thread,
 * event): how many clients to serve at once, at most max_clients, so that
 * those served can still open their files (RLIMIT_NOFILE, less what is
 * open now and a reserve) instead of failing with EMFILE.  At start-up.
 */
int	model_client_cap(int max_clients);

/*
 * Clients from one address (IPv6: one /64) at once: --max-per-address, or
 * by default a quarter of cap, the clients the model serves at once.
 */
int	model_per_address(const struct config *cfg, int cap);

/*
 * Does a's address count towards --max-per-address?  Not a trusted
 * proxy's (--trusted-proxy): it speaks for many clients, and one limit
 * on it would be one limit on all of them.
 */
int	model_counts_address(const struct config *cfg,
	    const struct accepted *a);

/*
 * After the accept loop: wait until alive(arg) is 0 or seconds have
 * passed, still noting signals.  Returns what alive() said last.
 */
int	model_wait_idle(int (*alive)(void *), void *arg, int seconds);

/*
 * Answer 503 with Retry-After without blocking, and close a->fd: for
 * clients beyond --max-clients or when no worker can be started.  A client
 * of the TLS port is closed unanswered.  Counted in the metrics, but for
 * the --status listener's.
 */
void	model_refuse(const struct accepted *a);

extern const struct model model_fork;
extern const struct model model_single;
extern const struct model model_thread;
extern const struct model model_event;

#endif /* FORKHTTPD_MODEL_H */
