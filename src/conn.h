/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One client connection as a resumable state machine.  conn_run() does all
 * the I/O it can on a non-blocking socket and says what it waits for next;
 * it never blocks and never cares who calls it.  The blocking models wrap it
 * in conn_serve(), a poll loop; an event loop can drive many at once.
 */
#ifndef FORKHTTPD_CONN_H
#define FORKHTTPD_CONN_H

#include <sys/socket.h>
#include <time.h>

#include "conf.h"
#include "conn_ops.h"
#include "http.h"
#include "respond.h"

#define LINGER_TIMEOUT_SEC	2	/* draining a client we stopped serving */
#define PEER_TEXT_BYTES		64
#define TLS_STAGE_BYTES		16384	/* one TLS record's plaintext */

/*
 * A connection sends at most this much, head included, in a turn: then
 * the others ready beside it have theirs (the event model), or its
 * process waits for the socket again (the others).  1 MiB, 16 clients,
 * event model: a whole MiB moved into the socket at once cost 2.6 times
 * the server CPU per reply of 256 KiB turns that end on 256 KiB of the
 * stream; 128, 384 and 512 KiB cost as much or more (the ChangeLog of
 * 2026-12-05 has the figures).
 */
#define SEND_CHUNK_BYTES	(256 * 1024)

enum conn_state {
	CONN_ST_PROXY,		/* --proxy-protocol: the PROXY header */
	CONN_ST_HELLO,		/* TLS port: is the first byte a handshake? */
	CONN_ST_READ, CONN_ST_WRITE, CONN_ST_LINGER
};

struct tls_conn;

struct conn {
	int		 fd;
	const struct config *cfg;
	enum conn_state	 state;
	/*
	 * Who the client is.  peer is the socket's other end; origin what
	 * a trusted proxy's PROXY header named, else the peer; client the
	 * request's real address: origin, or what a trusted proxy's
	 * X-Forwarded-For or Forwarded named.  client is what the access
	 * log writes and what metrics see; peer goes to --log-peer's field.
	 * The texts are filled when the access log or a trusted proxy needs
	 * them (peers_text() in peers.c makes them).
	 */
	struct sockaddr_storage peer_addr;
	struct sockaddr_storage origin_addr;
	struct sockaddr_storage client_addr;
	char		 peer[PEER_TEXT_BYTES];
	char		 client[PEER_TEXT_BYTES];
	int		 status;	/* a client of --status */
	int		 row;		/* its scoreboard row, or -1 */
	unsigned int	 requests;	/* replies begun on it */
	long long	 bytes_done;	/* sent in the replies before */
	int		 peer_trusted;	/* peer_addr is a --trusted-proxy */
	int		 tls_port;	/* came to a TLS listener */
	int		 (*admit)(void *, const struct sockaddr_storage *);
	void		*admit_arg;	/* struct accepted's */
	char		 local[PEER_TEXT_BYTES]; /* a redirect's host, when the
						   request named none */

	/*
	 * The transport: TLS when tls is set, else the plain socket.  TLS
	 * sends what stage holds: head, in-memory body and file bytes
	 * together, a record at a time; stage_head and stage_file say how
	 * much of each, counted as sent once all of it has gone.
	 */
	struct tls_conn	*tls;
	int		 plain_on_tls;	/* plain HTTP to the TLS port */
	int		 tls_counted;	/* its handshake is in the metrics */
	int		 fresh;		/* no request answered yet */
	char		*stage;		/* TLS_STAGE_BYTES, made when needed */
	size_t		 stage_len;
	size_t		 stage_off;
	size_t		 stage_head;
	size_t		 stage_file;

	size_t		 in_len;
	size_t		 line_start;	/* where the unfinished line begins */
	int		 parse_due;	/* new complete line, or a limit hit */
	int		 read_first;	/* read before waiting for readiness */
	int		 head_started;	/* the header deadline runs */
	struct http_request req;
	size_t		 head_len;	/* of the request being answered */
	int		 linger;	/* drain input before closing */

	size_t		 sent;		/* of reply.head and reply.mem */
	long long	 file_sent;	/* of the reply's file */
	long long	 deadline_ms;	/* conn_now_ms()'s clock */
	int		 corked;	/* TCP_CORK set for a file body */
	size_t		 burst;		/* sent since the socket last waited */

	time_t		 date_sec;	/* the Date header, once a second */
	char		 date[HTTP_DATE_BYTES];
	time_t		 log_sec;	/* the log's UTC offset, likewise */
	long		 log_utc_offset;
	unsigned	 local_port;	/* --log-vhost: 0 until looked up */
	struct respond_client rclient;	/* who asks, for respond.c */

	/*
	 * The two big buffers last, the reply's head at its end: a forked
	 * child writes a page of its stack for the first time at the cost of
	 * a page fault, and of these only the first few hundred bytes are
	 * written, so the small fields above share as few pages as they can
	 * (four faults fewer per connection, measured with perf).
	 */
	char		 in[MAX_HEADER_BYTES];	/* the limit is the buffer */
	struct reply	 reply;
};

/*
 * Start serving the connected, non-blocking socket a->fd (listen_accept()
 * makes it so); over TLS if a->tls.  The conn takes over the socket:
 * conn_close() closes it.
 */
void	conn_init(struct conn *c, const struct accepted *a,
	    const struct config *cfg);

/*
 * The client's address as text, as the access log and the failed-password
 * lines show it: client above, the address a trusted proxy names when
 * one does ("" when none is kept).
 */
const char *conn_client_address(const struct conn *c);

/* Do what can be done now; returns what the connection waits for. */
enum conn_want conn_run(struct conn *c);

/* Milliseconds until the connection's deadline, at least 0. */
int	conn_timeout_ms(const struct conn *c);

/* The deadline has passed: returns what to wait for next (usually close). */
enum conn_want conn_expire(struct conn *c);

/* Release the socket and any open file. */
void	conn_close(struct conn *c);

/*
 * Is the connection waiting for a request's first byte (new, or kept alive
 * between requests)?  Such a one may be closed to make room for another.
 */
int	conn_idle(const struct conn *c);

/*
 * The connection handler of the blocking models: serve a->fd until the
 * client is done or times out, then close it.  slot, when not NULL, is
 * the client's place on the board (board.h): marked idle while waiting
 * for a request, and when it is reclaimed meanwhile the client is closed.
 */
void	conn_serve(const struct accepted *a, const struct config *cfg,
	    struct slot *slot);

#endif /* FORKHTTPD_CONN_H */
