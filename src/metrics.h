/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What --status shows: counters for Prometheus, and a row per live client
 * (the scoreboard).  Both live in one shared, anonymous mapping made before
 * the first fork, so every child and worker adds to the same counters with
 * relaxed atomic adds and a child that crashes loses only its own increments
 * in flight.  Counters are spread over shards, one per process or thread
 * (summed when read), so that children do not fight over one cache line.
 * Without --status nothing is mapped and every call below returns at once.
 * The formatting functions at the end are pure.
 */
#ifndef FORKHTTPD_METRICS_H
#define FORKHTTPD_METRICS_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "conf.h"
#include "outbuf.h"

/* Status classes 1xx .. 5xx, and the methods http.h knows, then "other". */
#define METRICS_CLASSES		5
#define METRICS_METHODS		10	/* enum http_method, HTTP_OTHER last */

/* Why a connection was closed at its deadline. */
enum metrics_timeout {
	MT_FIRST_BYTE,		/* a new connection sent nothing */
	MT_IDLE,		/* kept alive, no next request */
	MT_HEADER,		/* a request head not complete in time */
	MT_SEND,		/* the client took no data for too long */
	MT_LINGER,		/* draining after the last reply */
	MT_KINDS
};

/* Signals that ended children, by name; the last is "other". */
#define METRICS_SIGNALS		9

/* Single counters. */
enum metrics_counter {
	MC_SENT_BYTES,		/* response bytes, head and body */
	MC_ACCEPTED,		/* connections accepted (not --status's) */
	MC_REFUSED,		/* ... answered 503 and closed */
	MC_KEEPALIVE,		/* requests after the first on a connection */
	MC_FORKED,		/* children forked for clients */
	MC_FORK_FAILED,		/* fork() failed: the client got 503 */
	MC_RESTARTS,		/* -w workers started again */
	MC_TLS_DONE,		/* TLS handshakes completed */
	MC_TLS_FAILED,		/* ... failed */
	MC_STATUS_REQUESTS,	/* requests to the --status listener */
	MC_UNLISTED,		/* clients the scoreboard had no row for */
	MC_COUNT
};

/* What a client on the scoreboard is doing. */
enum metrics_state {
	MS_FREE,
	MS_WAIT,		/* connected, no request byte yet */
	MS_READ,		/* reading a request head */
	MS_WRITE,		/* sending a reply */
	MS_KEEPALIVE,		/* between two requests */
	MS_LINGER,		/* draining before the close */
	MS_STATES
};

#define METRICS_PEER_BYTES	48	/* an IPv6 address and its NUL */
#define METRICS_LINE_BYTES	128	/* of the request line, shown */
#define METRICS_MAX_ROWS	65536	/* scoreboard rows at most */
#define METRICS_SHOWN_ROWS	1000	/* rows one status page lists */

/*
 * Map the counters and rows clients can take (as many as the server
 * serves at once), and note the start time and what build_info says.
 * Once, before the first fork.  0, or -1 with errno.
 */
int	metrics_init(size_t rows, const char *model, int tls);

/* Is there anything to count (--status was given)? */
int	metrics_enabled(void);

/* In a new child or worker: count in its own shard. */
void	metrics_child(void);

/*
 * The hot path: one reply sent (status, method as enum http_method, bytes
 * of head and body), a counter, a timeout.  Relaxed atomic adds.
 */
void	metrics_reply(int status, int method, long long bytes, int reused);
void	metrics_add(enum metrics_counter which, unsigned long long n);
void	metrics_timeout(enum metrics_timeout kind);

/* From the SIGCHLD handler (async-signal-safe): a child ended by sig. */
void	metrics_signaled(int sig);

/* Children (fork) or workers (-w) alive now, as the parent counts them. */
void	metrics_set_alive(long long n);

/*
 * The scoreboard, from the connection.  metrics_row_take() returns a row
 * for a client from address peer, or -1; the others take that row.
 * metrics_row_client() names the real client once a trusted proxy has.
 */
int	metrics_row_take(const struct sockaddr_storage *peer);
void	metrics_row_state(int row, enum metrics_state st);
void	metrics_row_request(int row, const char *line, size_t len);
void	metrics_row_client(int row, const struct sockaddr_storage *client);
void	metrics_row_bytes(int row, long long bytes);
void	metrics_row_put(int row);

/*
 * The parent, once a child pid has been reaped: free the rows it may have
 * left taken (it crashed, or was killed).  row is where to look (the
 * board's note), or -1 to look everywhere.
 */
void	metrics_row_reaped(int row, pid_t pid);

/* --- reading, and the pure formatting of what was read --- */

struct metrics_snapshot {
	unsigned long long	 requests[METRICS_CLASSES][METRICS_METHODS];
	unsigned long long	 timeouts[MT_KINDS];
	unsigned long long	 signaled[METRICS_SIGNALS];
	unsigned long long	 c[MC_COUNT];
	long long		 alive;		/* children or workers */
	long long		 clients;	/* rows taken now */
	long long		 start_sec;	/* process start, Unix time */
	const char		*version;
	const char		*model;
	int			 tls;		/* built with TLS */
};

struct metrics_client {
	pid_t		 pid;
	enum metrics_state state;
	long long	 age_ms;	/* since it connected */
	long long	 request_ms;	/* since its last request began */
	long long	 bytes;		/* sent to it */
	unsigned long long requests;	/* answered to it */
	char		 peer[METRICS_PEER_BYTES];
	char		 line[METRICS_LINE_BYTES];
};

/* Sum the shards into *s. */
void	metrics_read(struct metrics_snapshot *s);

/* Up to max clients on the scoreboard into c[]; how many. */
size_t	metrics_clients(struct metrics_client *c, size_t max, long long now_ms);

/* The Prometheus text exposition format, version 0.0.4. */
void	metrics_format(struct outbuf *o, const struct metrics_snapshot *s);

/*
 * The human page: HTML, or plain text when text is set.  now is the
 * current Unix time, for the uptime.
 */
void	metrics_format_page(struct outbuf *o, const struct metrics_snapshot *s,
	    const struct metrics_client *c, size_t n, long long now, int text);

/* The name of state st, as the page shows it. */
const char *metrics_state_name(enum metrics_state st);

#endif /* FORKHTTPD_METRICS_H */
