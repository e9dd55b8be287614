/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The connection state machine: read a request head into the fixed input
 * buffer, let respond.c decide the reply, send it (head, then body by
 * sendfile), log it, and go round again for keep-alive and pipelined
 * requests.  Bytes move through a transport, the plain socket or TLS
 * (tls.h); TLS may need to write to read, or the reverse, so every step
 * says which way it waits, and the state is what it was doing.  It sees http.h and respond.h; the models see a connection
 * only through the operations at the end of this file (conn_ops.h).  Every
 * deadline is absolute, so a client trickling bytes cannot extend it.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
/* Linux's sendfile(2); the BSDs' takes other arguments */
#if defined(HAVE_SENDFILE) && defined(HAVE_SYS_SENDFILE_H)
#define USE_SENDFILE	1
#include <sys/sendfile.h>
#endif

#include <stdlib.h>

#include "auth.h"
#include "board.h"
#include "conn.h"
#include "fcache.h"
#include "log.h"
#include "metrics.h"
#include "peers.h"
#include "privsep.h"
#include "proxy.h"
#include "status.h"
#include "tls.h"
#include "vhost.h"

#define COPY_CHUNK_BYTES	16384		/* read/write fallback */
#define REQUEST_START_BYTES	64	/* judged before their line ends */

#ifndef MSG_MORE
#define MSG_MORE	0
#endif
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0
#endif

/* What a step wants: a conn_want, or to keep going. */
#define STEP_AGAIN	(-1)

/* What a transport's read or write returns besides a count or 0 (end). */
#define IO_ERROR	(-1)
#define IO_WANT_READ	(-2)
#define IO_WANT_WRITE	(-3)
#ifdef HAVE_TLS
_Static_assert(IO_ERROR == TLS_ERROR && IO_WANT_READ == TLS_WANT_READ &&
    IO_WANT_WRITE == TLS_WANT_WRITE, "tls.h's statuses are the transport's");
#endif

/* A TLS handshake record begins with this byte (RFC 8446 5.1). */
#define TLS_HANDSHAKE	0x16

/*
 * Deadlines are seconds long, so the clock need only be as fine as the
 * kernel's tick: Linux's coarse clock is read without the TSC.
 */
#ifdef CLOCK_MONOTONIC_COARSE
#define DEADLINE_CLOCK	CLOCK_MONOTONIC_COARSE
#else
#define DEADLINE_CLOCK	CLOCK_MONOTONIC
#endif

long long
conn_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(DEADLINE_CLOCK, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
set_deadline(struct conn *c, int sec)
{
	c->deadline_ms = conn_now_ms() + (long long)sec * 1000;
}

static const char *
current_date(struct conn *c)
{
	time_t t = time(NULL);

	if (t != c->date_sec || c->date[0] == '\0') {
		if (http_format_date(t, c->date) == 0)
			memcpy(c->date, "Thu, 01 Jan 1970 00:00:00 GMT",
			    HTTP_DATE_BYTES);
		c->date_sec = t;
	}
	return c->date;
}

/*
 * The client's address as the access log and the scoreboard see it: the
 * real one, client_addr (the peer until a trusted proxy's PROXY header or
 * forwarded header names another; set_client() keeps the row in step).
 */
static const struct sockaddr_storage *
client_address(const struct conn *c)
{
	return &c->client_addr;
}

/* The scoreboard: what the client is doing now. */
static void
board_state(const struct conn *c, enum metrics_state st)
{
	metrics_row_state(c->row, st);
}

const char *
conn_client_address(const struct conn *c)
{
	return c->client;
}

void
conn_init(struct conn *c, const struct accepted *a, const struct config *cfg)
{
	c->fd = a->fd;
	c->status = a->status;
	c->row = -1;
	c->requests = 0;
	c->bytes_done = 0;
	c->tls_counted = 0;
	c->cfg = cfg;
	c->tls_port = a->tls;
	c->admit = a->admit;
	c->admit_arg = a->admit_arg;
	c->state = a->tls ? CONN_ST_HELLO : CONN_ST_READ;
	/* the status listener never speaks the PROXY protocol */
	if (cfg->proxy_protocol && !a->status)
		c->state = CONN_ST_PROXY;
	c->local[0] = '\0';
	c->tls = NULL;
	c->plain_on_tls = 0;
	c->fresh = 1;
	c->stage = NULL;
	c->stage_len = c->stage_off = c->stage_head = c->stage_file = 0;
	c->in_len = 0;
	c->line_start = 0;
	c->parse_due = 0;
	c->read_first = 1;
	c->head_started = 0;
	c->head_len = 0;
	c->linger = 0;
	c->reply.fd = -1;
	c->reply.owned = NULL;
	c->reply.mem = NULL;
	c->reply.len = 0;
	c->reply.authenticated = 0;
	c->sent = 0;
	c->file_sent = 0;
	c->burst = 0;
	c->corked = 0;
	c->date_sec = 0;
	c->date[0] = '\0';
	c->log_sec = 0;
	c->log_utc_offset = 0;
	c->peer[0] = '\0';
	c->client[0] = '\0';
	memset(&c->req, 0, sizeof(c->req));
	c->peer_addr = a->peer;
	c->origin_addr = a->peer;
	c->client_addr = a->peer;
	c->peer_trusted = proxy_trusted(cfg->trusted,
	    (size_t)cfg->trusted_proxies, &a->peer);
	c->local_port = 0;
	memset(&c->rclient, 0, sizeof(c->rclient));
	if (log_access_enabled(cfg) || cfg->trusted_proxies > 0 ||
	    cfg->auth_rules > 0) {
		peers_text(c->peer, sizeof(c->peer), &a->peer);
		memcpy(c->client, c->peer, sizeof(c->client));
	}
	/* the address in binary: its text is made by whoever reads it; a
	   PROXY header or a forwarded header changes it (set_client()) */
	if (!c->status)
		c->row = metrics_row_take(client_address(c));
	/*
	 * The header deadline starts with the first byte; until then a new
	 * connection waits less than a kept-alive one, so that sockets
	 * opened and left silent hold a place for a short while only.
	 */
	set_deadline(c, cfg->idle_timeout_sec < FIRST_BYTE_TIMEOUT_SEC ?
	    cfg->idle_timeout_sec : FIRST_BYTE_TIMEOUT_SEC);
}

int
conn_idle(const struct conn *c)
{
	return (c->state == CONN_ST_READ || c->state == CONN_ST_HELLO ||
	    c->state == CONN_ST_PROXY) && !c->head_started;
}

/*
 * The first line of the request as received, for the log: what the parser
 * recorded, or for a request that timed out (conn_expire() clears req)
 * what the buffer holds.
 */
static struct span
request_line(const struct conn *c)
{
	if (c->req.line.p != NULL)
		return c->req.line;
	return http_request_line(c->in, c->in_len);
}

/*
 * --log-vhost: the request's host as --vhost names its directory ("-"
 * when it has none), and the port the connection came to.
 */
static void
log_vhost(struct conn *c, struct log_entry *e, char *buf, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (c->local_port == 0 &&
	    getsockname(c->fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET)
			c->local_port = ntohs(((struct sockaddr_in *)&ss)->
			    sin_port);
		else if (ss.ss_family == AF_INET6)
			c->local_port = ntohs(((struct sockaddr_in6 *)&ss)->
			    sin6_port);
	}
	e->vhost.p = buf;
	e->vhost.n = c->req.has_host ? vhost_dir_name(c->req.host, buf, size) :
	    0;
	e->port = c->local_port;
}

static void
log_request(struct conn *c, int status, long long bytes)
{
	char line[MAX_LOG_LINE_BYTES], scheme[LOG_TLS_BYTES];
	char vhost[VHOST_NAME_BYTES], user[AUTH_USER_BYTES];
	struct log_entry e;
	size_t n;

	/* the status listener's requests are counted apart, and not logged */
	if (c->status)
		return;
	/* a reply being sent has put out its head and body so far */
	metrics_reply(status, c->req.method_name.p != NULL ? (int)c->req.method :
	    HTTP_OTHER, c->state == CONN_ST_WRITE ? (long long)c->sent +
	    c->file_sent : 0, c->requests > 1);
	if (!log_access_enabled(c->cfg))
		return;
	memset(&e, 0, sizeof(e));
	e.host = conn_client_address(c);
	if (c->cfg->log_peer) {
		e.peer.p = c->peer;
		e.peer.n = strlen(c->peer);
	}
	e.when = time(NULL);
	if (e.when != c->log_sec) {
		c->log_utc_offset = log_utc_offset(e.when);
		c->log_sec = e.when;
	}
	e.utc_offset_sec = c->log_utc_offset;
	/* only a user whose password was good: a name a client makes up
	   is not the log's to keep */
	if (c->reply.authenticated && auth_decode_basic(c->req.authorization,
	    user, sizeof(user), NULL, 0) == 0) {
		e.user.p = user;
		e.user.n = strlen(user);
	}
	e.request = request_line(c);
	e.status = status;
	e.bytes = bytes;
	e.referer = c->req.referer;
	e.user_agent = c->req.user_agent;
	e.combined = c->cfg->log_combined;
	if (c->cfg->log_vhost)
		log_vhost(c, &e, vhost, sizeof(vhost));
	if (c->cfg->log_tls) {
		e.tls.p = scheme;
		e.tls.n = 4;
		memcpy(scheme, "http", 4);
#ifdef HAVE_TLS
		if (c->tls != NULL)
			e.tls.n = tls_describe_conn(c->tls, scheme,
			    sizeof(scheme));
#endif
	}
	n = log_format_clf(line, sizeof(line), &e);
	log_access(c->cfg, line, n);
}

/* Body bytes the client has been sent so far, for the log. */
static long long
body_sent(const struct conn *c)
{
	long long n = (long long)c->sent - (long long)c->reply.fields_len;

	return (n > 0 ? n : 0) + c->file_sent;
}

/*
 * Is the request being answered a HEAD?  The parser notes the method even
 * of a request line too long or cut by a bare CR, and a HEAD gets no body
 * all the same (RFC 9110 9.3.2).
 */
static int
head_only(const struct conn *c)
{
	return c->req.method_name.p != NULL && c->req.method == HTTP_HEAD;
}

/*
 * A redirect to HTTPS needs a host: an HTTP/1.0 request that named none
 * gets the address it came to, as nginx's $host would.
 */
static void
name_local_host(struct conn *c)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	size_t n;

	if (getsockname(c->fd, (struct sockaddr *)&ss, &len) != 0)
		return;
	if (ss.ss_family == AF_INET6 &&
	    !IN6_IS_ADDR_V4MAPPED(&((struct sockaddr_in6 *)&ss)->sin6_addr)) {
		c->local[0] = '[';
		peers_text(c->local + 1, sizeof(c->local) - 2, &ss);
		n = strlen(c->local);
		c->local[n] = ']';
		c->local[n + 1] = '\0';
	} else
		peers_text(c->local, sizeof(c->local), &ss);
	if (c->local[0] == '\0' || (c->local[0] == '[' && c->local[1] == ']'))
		return;
	c->req.host.p = c->local;
	c->req.host.n = strlen(c->local);
	c->req.has_host = 1;
}

/* The address the request came from: set client_addr and client. */
static void
set_client(struct conn *c, const struct sockaddr_storage *ss)
{
	if (memcmp(ss, &c->client_addr, sizeof(*ss)) == 0)
		return;
	c->client_addr = *ss;
	peers_text(c->client, sizeof(c->client), ss);
	/* the scoreboard shows the real client, rewritten only on a change */
	metrics_row_client(c->row, ss);
}

/*
 * A trusted proxy's X-Forwarded-For or Forwarded names the client of this
 * request (proxy.h says which); any other request's is the connection's.
 */
static void
name_client(struct conn *c, int parsed)
{
	struct sockaddr_storage ss = c->origin_addr;

	if (c->cfg->trusted_proxies == 0)
		return;
	if (parsed && !c->req.forwarded_over)
		(void)proxy_forwarded_client(c->cfg->trusted,
		    (size_t)c->cfg->trusted_proxies,
		    c->req.x_forwarded_for.line, c->req.x_forwarded_for.n,
		    c->req.forwarded.line, c->req.forwarded.n, &ss);
	set_client(c, &ss);
}

static void
start_reply(struct conn *c, int status)
{
	const char *date = current_date(c);
	int via = c->tls != NULL ? RESPOND_TLS : 0;

	c->fresh = 0;
	c->requests++;
	if (c->row >= 0) {
		struct span line = request_line(c);

		metrics_row_request(c->row, line.p, line.n);
	}
	name_client(c, status == 0);
	/* plain HTTP to the TLS port: whatever it asked, 400 (as nginx) */
	if (c->plain_on_tls)
		status = HTTP_PLAIN_ON_TLS;
	if (status == 0) {
		if (c->cfg->redirect_https && c->tls == NULL &&
		    c->req.has_host == 0)
			name_local_host(c);
		if (c->status)
			status_respond(&c->reply, &c->req, c->cfg, date);
		else {
			c->rclient.via = via;
			c->rclient.addr = conn_client_address(c);
#ifdef HAVE_TLS
			/* only --vhost compares it with the host */
			if (c->tls != NULL && c->cfg->vhost)
				c->rclient.sni = tls_server_name(c->tls);
#endif
			respond_request_from(&c->reply, &c->req, c->cfg, date,
			    c->date_sec, &c->rclient);
		}
		/* a body we did not read, or bytes we will not answer */
		c->linger = !c->reply.keep_alive && (c->req.content_length > 0 ||
		    c->req.chunked || c->in_len > c->head_len);
	} else {
		respond_error(&c->reply, status, head_only(c), c->cfg, date,
		    via);
		c->head_len = c->in_len;
		c->linger = 1;
	}
	c->sent = 0;
	c->file_sent = 0;
	c->burst = 0;
	c->state = CONN_ST_WRITE;
	set_deadline(c, c->cfg->send_timeout_sec);
}

/* Note what newly read bytes mean for parsing. */
static void
scan_input(struct conn *c, size_t from)
{
	const char *lf = NULL, *p;

	for (p = c->in + from; p < c->in + c->in_len; p++)
		if (*p == '\n')
			lf = p;
	if (lf != NULL) {
		c->line_start = (size_t)(lf - c->in) + 1;
		c->parse_due = 1;
	}
	/* the first bytes may be no request at all (a TLS ClientHello) */
	if (c->line_start == 0 && from < REQUEST_START_BYTES)
		c->parse_due = 1;
	/* over-long lines and a full buffer are errors the parser reports */
	if (c->in_len - c->line_start > MAX_HEADER_LINE_BYTES ||
	    c->in_len - c->line_start > MAX_REQUEST_LINE_BYTES ||
	    c->in_len == sizeof(c->in))
		c->parse_due = 1;
}

/* Read from the transport: a count, 0 at the end, or IO_*. */
static ssize_t
io_read(struct conn *c, void *buf, size_t n)
{
	ssize_t r;

#ifdef HAVE_TLS
	if (c->tls != NULL)
		return tls_read(c->tls, buf, n);
#endif
	do
		r = read(c->fd, buf, n);
	while (r < 0 && errno == EINTR);
	if (r >= 0)
		return r;
	return errno == EAGAIN || errno == EWOULDBLOCK ? IO_WANT_READ :
	    IO_ERROR;
}

/* An IO_* status as what the connection waits for. */
static int
io_want(ssize_t n)
{
	if (n == IO_WANT_READ)
		return CONN_READ;
	if (n == IO_WANT_WRITE)
		return CONN_WRITE;
	return CONN_CLOSE;
}

/*
 * A client of the TLS port: a handshake begins, or plain HTTP came to the
 * wrong port and gets a 400 that says so.  Either way the header deadline
 * starts now: a handshake is part of getting the request, and a client
 * that trickles one is a slowloris too.
 */
static int
step_hello(struct conn *c)
{
	unsigned char b;
	ssize_t n;

	n = recv(c->fd, &b, 1, MSG_PEEK);
	if (n < 0 && errno == EINTR)
		return STEP_AGAIN;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return CONN_READ;
	if (n <= 0)
		return CONN_CLOSE;
	/* after a PROXY header, its deadline runs on */
	if (!c->head_started) {
		c->head_started = 1;
		set_deadline(c, c->cfg->header_timeout_sec);
	}
	c->state = CONN_ST_READ;
	if (b != TLS_HANDSHAKE) {
		c->plain_on_tls = 1;
		return STEP_AGAIN;
	}
#ifdef HAVE_TLS
	if ((c->tls = tls_accept(c->fd)) != NULL) {
		/*
		 * TLS writes whole records; the last of a flight (tickets,
		 * then the reply) must not wait for the client's ACK of the
		 * one before, as Nagle would make it wait: as nginx does.
		 */
		int on = 1;

		(void)setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &on,
		    sizeof(on));
		return STEP_AGAIN;
	}
#endif
	return CONN_CLOSE;
}

/*
 * --proxy-protocol: the PROXY header, before anything else, from a
 * trusted proxy only; an untrusted peer is closed unread.  The socket is
 * peeked and exactly the header's bytes are consumed (every byte of a
 * header still incomplete, the header's length once it is whole), so the
 * TLS ClientHello or the request behind it stays in the socket.  The
 * header deadline starts with its first byte and runs on for the request
 * head.  A bad header is logged as a 400 and closed without an answer, as
 * HAProxy's accept-proxy and nginx's proxy_protocol do.
 */
static int
step_proxy(struct conn *c)
{
	struct proxy_header h;
	size_t used = 0, take;
	ssize_t n, got;
	int r;

	if (!c->peer_trusted) {
		log_request(c, 400, 0);
		return CONN_CLOSE;
	}
	do
		n = recv(c->fd, c->in + c->in_len, MAX_PROXY_HEADER_BYTES -
		    c->in_len, MSG_PEEK);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return CONN_READ;
	if (n <= 0) {
		if (c->in_len > 0)
			log_request(c, 400, 0);
		return CONN_CLOSE;
	}
	if (!c->head_started) {
		c->head_started = 1;
		set_deadline(c, c->cfg->header_timeout_sec);
	}
	r = proxy_parse_header((const unsigned char *)c->in,
	    c->in_len + (size_t)n, MAX_PROXY_HEADER_BYTES, &h, &used);
	if (r == PROXY_BAD || (r == 0 && used <= c->in_len)) {
		c->in_len += (size_t)n;	/* what it sent, for the log */
		log_request(c, 400, 0);
		return CONN_CLOSE;
	}
	take = r == 0 ? used - c->in_len : (size_t)n;
	do
		got = read(c->fd, c->in + c->in_len, take);
	while (got < 0 && errno == EINTR);
	if (got <= 0)
		return CONN_CLOSE;
	c->in_len += (size_t)got;
	if (r != 0 || (size_t)got < take)
		return STEP_AGAIN;
	c->in_len = 0;
	c->state = c->tls_port ? CONN_ST_HELLO : CONN_ST_READ;
	if (!h.has_source)
		return STEP_AGAIN;
	c->origin_addr = h.source;
	set_client(c, &h.source);
	/* --max-per-address counts the client now: over its share, 503
	   (a TLS client reads no plain answer: closed, as model_refuse()) */
	if (c->admit != NULL && c->admit(c->admit_arg, &h.source) != 0) {
		metrics_add(MC_REFUSED, 1);
		if (c->tls_port) {
			log_request(c, 503, 0);
			return CONN_CLOSE;
		}
		c->state = CONN_ST_READ;
		start_reply(c, 503);
	}
	return STEP_AGAIN;
}

static int
step_read(struct conn *c)
{
	size_t used = 0;
	ssize_t n;
	int status;

	if (c->parse_due) {
		c->parse_due = 0;
		status = http_parse_request(c->in, c->in_len, &c->req, &used);
		if (status == 0) {
			c->head_len = used;
			start_reply(c, 0);
			return STEP_AGAIN;
		}
		if (status != HTTP_NEED_MORE) {
			start_reply(c, status);
			return STEP_AGAIN;
		}
	}
	if (!c->read_first) {
		c->read_first = 1;
		return CONN_READ;
	}
	n = io_read(c, c->in + c->in_len, sizeof(c->in) - c->in_len);
#ifdef HAVE_TLS
	if (c->tls != NULL && !c->tls_counted && tls_handshake_done(c->tls)) {
		c->tls_counted = 1;
		metrics_add(MC_TLS_DONE, 1);
	}
#endif
	if (n > 0) {
		if (!c->head_started) {
			c->head_started = 1;
			set_deadline(c, c->cfg->header_timeout_sec);
			board_state(c, MS_READ);
		}
		c->in_len += (size_t)n;
		/* a TLS client at the plain port understands no HTTP answer:
		   logged as nginx does, and closed at once */
		if (c->fresh && c->tls == NULL && !c->plain_on_tls &&
		    (unsigned char)c->in[0] == TLS_HANDSHAKE) {
			log_request(c, 400, 0);
			return CONN_CLOSE;
		}
		scan_input(c, c->in_len - (size_t)n);
		return STEP_AGAIN;
	}
#ifdef HAVE_TLS
	/*
	 * A handshake done and no request yet: from now the client waits as
	 * a new plain one does (-T, the first-byte limit), idle, so that it
	 * may be closed for room; the header deadline starts again with the
	 * request's first byte.
	 */
	if (c->tls != NULL && c->fresh && c->in_len == 0 && c->head_started &&
	    n == IO_WANT_READ && tls_handshake_done(c->tls)) {
		c->head_started = 0;
		set_deadline(c, c->cfg->idle_timeout_sec <
		    FIRST_BYTE_TIMEOUT_SEC ? c->cfg->idle_timeout_sec :
		    FIRST_BYTE_TIMEOUT_SEC);
	}
#endif
	return io_want(n);
}

/* Send what is left of the head and any in-memory body. */
static ssize_t
send_head(struct conn *c)
{
	struct reply *r = &c->reply;
	struct iovec iov[2];
	struct msghdr msg;
	int cnt = 0;

	memset(&msg, 0, sizeof(msg));
	if (c->sent < r->head_len) {
		iov[cnt].iov_base = r->head + c->sent;
		iov[cnt++].iov_len = r->head_len - c->sent;
	}
	if (r->mem_len > 0 && c->sent < r->head_len + r->mem_len) {
		size_t skip = c->sent > r->head_len ? c->sent - r->head_len : 0;

		iov[cnt].iov_base = (char *)r->mem + skip;
		iov[cnt++].iov_len = r->mem_len - skip;
	}
	msg.msg_iov = iov;
	msg.msg_iovlen = cnt;
	/*
	 * MSG_MORE: let the head share a segment with the file's bytes, and
	 * the last bytes of a reply that ends the connection share one with
	 * the FIN (next_request() shuts the socket down at once).
	 */
	return sendmsg(c->fd, &msg, MSG_NOSIGNAL |
	    ((r->fd >= 0 && r->len > 0) || !r->keep_alive ? MSG_MORE : 0));
}

/* What the turn has left (SEND_CHUNK_BYTES): a turn ends a file's piece. */
static size_t
turn_left(const struct conn *c)
{
	return c->burst < SEND_CHUNK_BYTES ? SEND_CHUNK_BYTES - c->burst :
	    SEND_CHUNK_BYTES;
}

/* Send the next piece of the file body. */
static ssize_t
send_file(struct conn *c)
{
	struct reply *r = &c->reply;
	size_t want = turn_left(c);

	if ((off_t)want > r->len)
		want = (size_t)r->len;
#ifdef USE_SENDFILE
	return sendfile(c->fd, r->fd, &r->off, want);
#else
	char buf[COPY_CHUNK_BYTES];
	ssize_t n, w;

	if (want > sizeof(buf))
		want = sizeof(buf);
	if ((n = pread(r->fd, buf, want, r->off)) <= 0)
		return n;
	if ((w = send(c->fd, buf, (size_t)n, MSG_NOSIGNAL)) > 0)
		r->off += w;
	return w;
#endif
}

/* The plain transport: head and memory, then the file.  As io_read(). */
static ssize_t
send_plain(struct conn *c)
{
	struct reply *r = &c->reply;
	ssize_t n;

	do {
		if (c->sent < r->head_len + r->mem_len) {
			if ((n = send_head(c)) > 0)
				c->sent += (size_t)n;
		} else if ((n = send_file(c)) > 0) {
			r->len -= n;
			c->file_sent += n;
		}
	} while (n < 0 && errno == EINTR);
	if (n > 0)
		return n;
	/* 0: the file shrank under us */
	return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ?
	    IO_WANT_WRITE : IO_ERROR;
}

#ifdef HAVE_TLS
static size_t
least(size_t a, size_t b)
{
	return a < b ? a : b;
}

/*
 * Fill the stage with what goes next: the rest of the head and memory,
 * then as much of the file as fits, so a small reply is one record.  With
 * kernel TLS the file is sent by tls_sendfile() instead.  0, or -1.
 */
static int
stage_fill(struct conn *c)
{
	struct reply *r = &c->reply;
	size_t len = 0, k, skip, ahead = r->head_len + r->mem_len;
	ssize_t n;

	if (c->stage == NULL && (c->stage = malloc(TLS_STAGE_BYTES)) == NULL)
		return -1;
	if (c->sent < r->head_len) {
		k = least(r->head_len - c->sent, TLS_STAGE_BYTES);
		memcpy(c->stage, r->head + c->sent, k);
		len = k;
	}
	if (c->sent + len < ahead && len < TLS_STAGE_BYTES) {
		skip = c->sent + len - r->head_len;
		k = least(r->mem_len - skip, TLS_STAGE_BYTES - len);
		memcpy(c->stage + len, r->mem + skip, k);
		len += k;
	}
	c->stage_head = len;
	c->stage_file = 0;
	if (c->sent + len == ahead && len < TLS_STAGE_BYTES && r->fd >= 0 &&
	    r->len > 0 && !tls_kernel_send(c->tls)) {
		k = least(TLS_STAGE_BYTES - len, (size_t)r->len);
		do
			n = pread(r->fd, c->stage + len, k, r->off);
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			return -1;	/* the file shrank under us */
		len += (size_t)n;
		c->stage_file = (size_t)n;
	}
	c->stage_len = len;
	c->stage_off = 0;
	return 0;
}

/* The TLS transport: what the stage holds, or the file by kTLS. */
static ssize_t
send_tls(struct conn *c)
{
	struct reply *r = &c->reply;
	ssize_t n;

	if (c->stage_off == c->stage_len) {
		if (stage_fill(c) != 0)
			return IO_ERROR;
		if (c->stage_len == 0) {
			n = tls_sendfile(c->tls, r->fd, r->off,
			    least((size_t)r->len, turn_left(c)));
			if (n > 0) {
				r->off += n;
				r->len -= n;
				c->file_sent += n;
			}
			return n == 0 ? IO_ERROR : n;
		}
	}
	n = tls_write(c->tls, c->stage + c->stage_off,
	    c->stage_len - c->stage_off);
	if (n <= 0)
		return n == 0 ? IO_ERROR : n;
	c->stage_off += (size_t)n;
	if (c->stage_off == c->stage_len) {
		c->sent += c->stage_head;
		r->off += (off_t)c->stage_file;
		r->len -= (off_t)c->stage_file;
		c->file_sent += (long long)c->stage_file;
		c->stage_off = c->stage_len = 0;
	}
	return n;
}
#endif

/*
 * A file body's head and first piece go out corked, so that they share
 * segments, as lighttpd does; the pieces after it go as they are written
 * (SEND_CHUNK_BYTES says why).  A reply that ends within its first piece
 * is pushed by the uncorking, or by shutdown() when it ends the
 * connection.  Not being able to cork (not TCP: inetd) only costs
 * segments.
 */
static void
cork(struct conn *c, int on)
{
#ifdef TCP_CORK
	if (setsockopt(c->fd, IPPROTO_TCP, TCP_CORK, &on, sizeof(on)) == 0)
		c->corked = on;
#else
	(void)c;
	(void)on;
#endif
}

static void
finish_reply(struct conn *c)
{
	struct reply *r = &c->reply;

	log_request(c, r->status, body_sent(c));
	respond_release(r);
	r->authenticated = 0;	/* the next request's log is its own */
}

/* After a reply: the next request, lingering, or closing. */
static int
next_request(struct conn *c)
{
	if (!c->reply.keep_alive) {
#ifdef HAVE_TLS
		if (c->tls != NULL)
			tls_close_notify(c->tls);
#endif
		/*
		 * shutdown(2) sends what MSG_MORE held back, with the FIN on
		 * it, before close(2) could find unread input and reset it
		 * away; and whatever else holds the socket (inetd's 0, 1, 2).
		 */
		if (shutdown(c->fd, SHUT_WR) != 0 || !c->linger)
			return CONN_CLOSE;
		c->state = CONN_ST_LINGER;
		board_state(c, MS_LINGER);
		set_deadline(c, LINGER_TIMEOUT_SEC);
		return STEP_AGAIN;
	}
	/* RFC 9112 2.2: empty lines between requests are not a request */
	if (c->head_len < c->in_len)
		c->head_len = (size_t)(http_request_line(c->in + c->head_len,
		    c->in_len - c->head_len).p - c->in);
	memmove(c->in, c->in + c->head_len, c->in_len - c->head_len);
	c->in_len -= c->head_len;
	c->head_len = 0;
	c->line_start = 0;
	c->parse_due = 0;
	c->state = CONN_ST_READ;
	c->head_started = c->in_len > 0;
	board_state(c, c->in_len > 0 ? MS_READ : MS_KEEPALIVE);
	if (c->in_len > 0) {
		scan_input(c, 0);
		set_deadline(c, c->cfg->header_timeout_sec);
	} else {
		/* the client is reading our reply: wait before reading,
		   unless TLS has bytes decrypted that no poll would see */
		c->read_first = 0;
#ifdef HAVE_TLS
		c->read_first = c->tls != NULL && tls_pending(c->tls);
#endif
		set_deadline(c, c->cfg->idle_timeout_sec);
	}
	return STEP_AGAIN;
}

static int
step_write(struct conn *c)
{
	struct reply *r = &c->reply;
	ssize_t n;

	/* TLS writes whole records already: corking them only delays */
	if (c->sent == 0 && r->fd >= 0 && r->len > 0 && !c->corked &&
	    c->tls == NULL)
		cork(c, 1);
	if (c->sent == r->head_len + r->mem_len && (r->fd < 0 || r->len == 0)) {
		if (c->corked && r->keep_alive)
			cork(c, 0);
		finish_reply(c);
		c->bytes_done += (long long)c->sent + c->file_sent;
		return next_request(c);
	}
#ifdef HAVE_TLS
	if (c->tls != NULL)
		n = send_tls(c);
	else
#endif
		n = send_plain(c);
	if (n > 0) {
		set_deadline(c, c->cfg->send_timeout_sec);
		if (c->row >= 0)
			metrics_row_bytes(c->row, c->bytes_done +
			    (long long)c->sent + c->file_sent);
		/* the cork was for the head and the first piece only */
		if (c->corked && c->file_sent > 0)
			cork(c, 0);
		c->burst += (size_t)n;
		if (c->burst >= SEND_CHUNK_BYTES && r->fd >= 0 && r->len > 0) {
			c->burst = 0;
			return CONN_WRITE;	/* the others' turn */
		}
		return STEP_AGAIN;
	}
	c->burst = 0;
	if (n == IO_WANT_WRITE || n == IO_WANT_READ)
		return io_want(n);
	/* the client went away, or the file shrank under us */
	log_request(c, r->status, body_sent(c));
	return CONN_CLOSE;
}

static int
step_linger(struct conn *c)
{
	ssize_t n;

	n = read(c->fd, c->in, sizeof(c->in));
	if (n > 0 || (n < 0 && errno == EINTR))
		return STEP_AGAIN;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return CONN_READ;
	return CONN_CLOSE;
}

enum conn_want
conn_run(struct conn *c)
{
	int w;

	do {
		switch (c->state) {
		case CONN_ST_PROXY:
			w = step_proxy(c);
			break;
		case CONN_ST_HELLO:
			w = step_hello(c);
			break;
		case CONN_ST_READ:
			w = step_read(c);
			break;
		case CONN_ST_WRITE:
			w = step_write(c);
			break;
		default:
			w = step_linger(c);
			break;
		}
	} while (w == STEP_AGAIN);
	return (enum conn_want)w;
}

static int
timeout_at(const struct conn *c, long long now)
{
	long long left = c->deadline_ms - now;

	if (left < 0)
		return 0;
	return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

int
conn_timeout_ms(const struct conn *c)
{
	return timeout_at(c, conn_now_ms());
}

/* What a connection whose deadline passed was doing. */
static enum metrics_timeout
timeout_kind(const struct conn *c)
{
	switch (c->state) {
	case CONN_ST_WRITE:
		return MT_SEND;
	case CONN_ST_LINGER:
		return MT_LINGER;
	default:
		if (c->head_started)
			return MT_HEADER;
		return c->fresh ? MT_FIRST_BYTE : MT_IDLE;
	}
}

enum conn_want
conn_expire(struct conn *c)
{
	if (!c->status)
		metrics_timeout(timeout_kind(c));
	/* a request that never completed is logged the way nginx does,
	   and a PROXY header likewise */
	if ((c->state == CONN_ST_READ && c->in_len > 0) ||
	    (c->state == CONN_ST_PROXY && c->head_started)) {
		memset(&c->req, 0, sizeof(c->req));
		log_request(c, 408, 0);
	} else if (c->state == CONN_ST_WRITE)	/* a stalled reader */
		log_request(c, c->reply.status, body_sent(c));
	return CONN_CLOSE;
}

void
conn_close(struct conn *c)
{
	respond_release(&c->reply);
#ifdef HAVE_TLS
	tls_free(c->tls);
	c->tls = NULL;
#endif
	free(c->stage);
	c->stage = NULL;
	metrics_row_put(c->row);
	c->row = -1;
	if (c->fd >= 0) {
		(void)close(c->fd);
		c->fd = -1;
	}
}

void
conn_serve(const struct accepted *a, const struct config *cfg,
    struct slot *slot)
{
	struct conn c;
	struct pollfd pfd;
	enum conn_want want;
	int n, wait_ms, held, idle, fd = a->fd;
	long long now;

	conn_init(&c, a, cfg);
	/* the parent frees the row if this child dies with it taken */
	if (slot != NULL)
		atomic_store(&slot->row, c.row);
	want = conn_run(&c);
	while (want != CONN_CLOSE) {
		now = conn_now_ms();
		wait_ms = timeout_at(&c, now);
		held = log_before_wait(cfg, now, &wait_ms);
		pfd.fd = fd;
		pfd.events = want == CONN_READ ? POLLIN : POLLOUT;
		pfd.revents = 0;
		idle = slot != NULL && conn_idle(&c);
		if (idle && board_idle(slot, now) != 0)
			break;
		n = poll(&pfd, 1, wait_ms);
		if (idle && board_busy(slot) != 0)
			break;		/* reclaimed: another client needs room */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		/* the log lines are due, not the client */
		if (n == 0 && held)
			continue;
		want = n == 0 ? conn_expire(&c) : conn_run(&c);
	}
	conn_close(&c);
	log_flush(cfg);
	/* an idle server, or a thread that ends, holds no file open */
	fcache_flush();
}

/* The table the models drive connections through (conn_ops.h). */
static void
ops_init(void *c, const struct accepted *a, const struct config *cfg)
{
	conn_init(c, a, cfg);
}

/* A forked child serves one client: it holds its log lines, and lets go
   of the opener, which only the server needs. */
static void
ops_child(const struct config *cfg)
{
	log_hold_lines(cfg);
	privsep_forget();
}

static void
ops_tick(void)
{
#ifdef HAVE_TLS
	tls_tick();
#endif
}

/* SIGHUP: the access log by its name again, and the certificates. */
static void
ops_reload(const struct config *cfg)
{
	log_reopen_access();
	log_reopen_error();
	if (cfg->auth_rules > 0)
		auth_reload(cfg);
#ifdef HAVE_TLS
	if (cfg->tls_pairs > 0)
		(void)tls_reload(cfg);
#else
	(void)cfg;
#endif
}

static enum conn_want
ops_run(void *c)
{
	return conn_run(c);
}

static enum conn_want
ops_expire(void *c)
{
	return conn_expire(c);
}

static long long
ops_deadline_ms(const void *c)
{
	return ((const struct conn *)c)->deadline_ms;
}

static int
ops_idle(const void *c)
{
	return conn_idle(c);
}

static void
ops_close(void *c)
{
	conn_close(c);
}

const struct conn_ops conn_ops = {
	.size = sizeof(struct conn),
	.init = ops_init,
	.run = ops_run,
	.expire = ops_expire,
	.deadline_ms = ops_deadline_ms,
	.idle = ops_idle,
	.close = ops_close,
	.serve = conn_serve,
	.flush = log_flush,
	.rest = fcache_flush,
	.child = ops_child,
	.child_dying = log_flush_at_signal,
	.reload = ops_reload,
	.tick = ops_tick,
};
