/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A connection as the models see it: opaque state of ops->size bytes and
 * a table of operations, so that a model never sees HTTP and a test can
 * hand any model a stub that answers, crashes, hangs or counts.  conn.c
 * exports the real table, conn_ops.
 */
#ifndef FORKHTTPD_CONN_OPS_H
#define FORKHTTPD_CONN_OPS_H

#include <stddef.h>
#include <sys/socket.h>

#include "conf.h"

struct slot;

/* A client as accepted: what a model hands the connection. */
struct accepted {
	int		 fd;
	int		 tls;		/* came to a TLS listener */
	int		 status;	/* came to the --status listener */
	struct sockaddr_storage peer;
	/*
	 * Once a PROXY header names the client, the connection calls
	 * admit(admit_arg, client): the model counts the client for
	 * --max-per-address and says 0, or -1 when that address has its
	 * share already (the client is then refused, 503).  NULL: nothing
	 * to count.
	 */
	int		 (*admit)(void *arg,
			    const struct sockaddr_storage *client);
	void		*admit_arg;
};

enum conn_want {
	CONN_READ,		/* call run again once readable */
	CONN_WRITE,		/* ... once writable */
	CONN_CLOSE		/* done: call close */
};

struct conn_ops {
	size_t	 size;		/* bytes of one connection's state */

	/* A non-blocking model (event): the state machine, driven. */
	void	 (*init)(void *c, const struct accepted *a,
		    const struct config *cfg);	/* takes over a->fd */
	enum conn_want (*run)(void *c);		/* do what can be done */
	enum conn_want (*expire)(void *c);	/* its deadline passed */
	long long (*deadline_ms)(const void *c); /* conn_now_ms()'s clock */
	int	 (*idle)(const void *c);	/* waits for a request's first
						   byte: may be closed for room */
	void	 (*close)(void *c);		/* releases fd and the rest */

	/*
	 * A blocking model (fork, thread, single): serve a->fd on this
	 * thread until the client is done, then close it.  slot, when not
	 * NULL, is the client's place on the board (board.h).
	 */
	void	 (*serve)(const struct accepted *a, const struct config *cfg,
		    struct slot *slot);

	/* Before an event loop waits: what was put off goes out (logs). */
	void	 (*flush)(const struct config *cfg);
	/* A process that has had no client for a while lets go of what it
	   keeps for the next one (open files). */
	void	 (*rest)(void);
	/* In a new child that serves one client and exits (fork). */
	void	 (*child)(const struct config *cfg);
	/* From the handler of a signal that ends such a child. */
	void	 (*child_dying)(void);
	/* SIGHUP: reopen the logs, reload the certificates.  In every
	   process that accepts or serves clients, between two clients. */
	void	 (*reload)(const struct config *cfg);
	/* A process that forks a child per client, before it forks: what
	   the children should inherit fresh (the TLS ticket key). */
	void	 (*tick)(void);
};

/* The connections of forkhttpd: HTTP/1.1 over conn.c's state machine. */
extern const struct conn_ops conn_ops;

/* The monotonic clock in milliseconds, the clock of every deadline. */
long long conn_now_ms(void);

#endif /* FORKHTTPD_CONN_OPS_H */
