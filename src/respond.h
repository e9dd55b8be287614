/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Deciding the response to one parsed request: which status, which head,
 * which body.  It opens the file (then fstats the descriptor, never the
 * name) but sends nothing; conn.c sends what it prepares.
 */
#ifndef FORKHTTPD_RESPOND_H
#define FORKHTTPD_RESPOND_H

#include <sys/types.h>

#include "conf.h"
#include "http.h"

#define MAX_ERROR_BODY_BYTES	512	/* our built-in error pages */

/* A response ready to send: head[], then mem or the file's bytes. */
struct reply {
	size_t		 head_len;	/* may include a built-in body */
	size_t		 fields_len;	/* of head[], without that body */
	const char	*mem;		/* a body kept in memory, or NULL */
	size_t		 mem_len;
	char		*owned;		/* freed with the reply (mem, or what
					   mem points into) */
	int		 fd;		/* the file the reply is of, or -1:
					   held until respond_release(), as
					   mem may point into the cache's copy
					   of it */
	off_t		 off;		/* first byte of the file to send */
	off_t		 len;		/* bytes of the file to send (0: the
					   body is mem, or there is none) */
	int		 status;
	int		 keep_alive;	/* the connection may serve another */
	int		 authenticated;	/* --auth: under a password, whose
					   credentials were good (the access
					   log names their user) */
	/* last: only its first few hundred bytes are written, and a fresh
	   child pays a page fault for each page it writes (conn.h) */
	char		 head[MAX_RESPONSE_HEAD_BYTES + MAX_ERROR_BODY_BYTES];
};

/* How the request came (via): */
#define RESPOND_TLS	1	/* over HTTPS */

/*
 * Prepare the reply to req in *r.  now is the current second and date
 * the same second as an IMF-fixdate.  The caller releases the reply with
 * respond_release() once it is sent.  With --redirect-https, a request
 * that did not come over TLS is sent there, but for ACME's challenges;
 * one that did gets --hsts.
 */
void	respond_request(struct reply *r, const struct http_request *req,
	    const struct config *cfg, const char *date, time_t now, int via);

/*
 * Who asks, beyond the request: what respond_request_from() needs of the
 * connection.  The connection keeps it from one request to the next.
 */
struct respond_client {
	int		 via;		/* RESPOND_* */
	const char	*sni;		/* the TLS server name, or NULL */
	const char	*addr;		/* the client's address, as the access
					   log shows it, or NULL */
	int		 auth_failures;	/* refused credentials so far */
};

/*
 * As respond_request(), for client: with --vhost, a request over TLS
 * whose host is not the SNI name gets 421 (Misdirected Request).
 */
void	respond_request_from(struct reply *r, const struct http_request *req,
	    const struct config *cfg, const char *date, time_t now,
	    struct respond_client *client);

/*
 * Prepare an error reply with status (4xx/5xx, or HTTP_PLAIN_ON_TLS) that
 * closes the connection.  head_only leaves the body out, as for HEAD.
 */
void	respond_error(struct reply *r, int status, int head_only,
	    const struct config *cfg, const char *date, int via);

/*
 * Give back the reply's file and free its body, if any: the one place a
 * reply's resources go; safe to repeat.
 */
void	respond_release(struct reply *r);

#endif /* FORKHTTPD_RESPOND_H */
