/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rawhttp: the end-to-end tests' client.  Sends standard input, byte for
 * byte, to 127.0.0.1:PORT and copies whatever comes back to standard output.
 *
 *   rawhttp [-a ADDR] [-b ADDR] [-d MS] [-g MS] [-n N] [-P FILE] [-p MS]
 *           [-r BYTES] [-S NAME] [-s] [-t MS] [-w MS] PORT
 *
 *   -a ADDR   connect to ADDR (an IPv4 or IPv6 literal) instead of 127.0.0.1
 *   -b ADDR   connect from ADDR (an IPv4 literal, such as 127.0.0.2): another
 *             client address on the loopback interface
 *   -d MS     with -g: after the first request's answer, wait MS
 *             milliseconds more before sending the rest
 *   -g MS     send each request head separately (split after every empty
 *             line), reading for MS milliseconds in between: keep-alive
 *   -n N      open N connections at once, send the input on each, and print
 *             the first line of each answer ("none" if there was none)
 *   -P FILE   send FILE's bytes first, on the bare socket, before any TLS
 *             handshake (a PROXY protocol header); with -w a byte at a time
 *   -p MS     wait MS milliseconds before reading anything (a stalled
 *             reader)
 *   -r BYTES  close the connection once BYTES have been received
 *   -S NAME   speak TLS, naming NAME in SNI (none if NAME is empty); the
 *             server's certificate is not checked.  Everything else means
 *             the same over TLS: the bytes are the plaintext, -w sends a
 *             record a byte, -s sends close_notify before the TCP shutdown,
 *             and a server that closes during the handshake is a close
 *   -s        shut down the sending side once everything is sent
 *   -t MS     give up MS after the last byte received (default 3000)
 *   -w MS     send one byte every MS milliseconds (a slow client)
 *
 * Exit status: 0 when the server closed the connection (or -r was
 * reached), 3 when rawhttp gave up waiting, 1 on any other failure (a TLS
 * handshake the server refused with an alert among them).
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef HAVE_TLS
#include <openssl/err.h>
#include <openssl/ssl.h>
#endif

#define MAX_INPUT_BYTES	(1 << 20)

/* What the peer_* calls return when the socket must be waited for first:
 * with the events to wait for in *events. */
#define PEER_AGAIN	(-2)

/* One connection: the socket, and with -S the TLS session over it. */
struct peer {
	int	 fd;
	int	 ended;		/* the server closed: TLS may keep the socket */
#ifdef HAVE_TLS
	SSL	*ssl;
#endif
};

static long long received;
static long long stop_after = -1;
static const char *from;	/* -b */
static char prefix[4096];	/* -P */
static size_t prefix_len;
static int prefix_byte_ms;	/* -w */
#ifdef HAVE_TLS
static SSL_CTX *tls_ctx;	/* -S: every connection's TLS settings */
static const char *tls_name;	/* -S NAME */
static int tls_reported;	/* OpenSSL's reason was printed */
#endif

static int
usage(void)
{
	fprintf(stderr, "usage: rawhttp [-a ADDR] [-b ADDR] [-d MS] [-g MS] "
	    "[-n N] [-P FILE] [-p MS] [-r BYTES] [-S NAME] [-s] [-t MS] "
	    "[-w MS] PORT\n");
	return 1;
}

static int
connect_to(const char *addr, int port)
{
	struct sockaddr_in6 s6;
	struct sockaddr_in s4;
	int fd;

	memset(&s4, 0, sizeof(s4));
	memset(&s6, 0, sizeof(s6));
	if (inet_pton(AF_INET, addr, &s4.sin_addr) == 1) {
		struct sockaddr_in b4;

		s4.sin_family = AF_INET;
		s4.sin_port = htons((unsigned short)port);
		memset(&b4, 0, sizeof(b4));
		b4.sin_family = AF_INET;
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
		    (from != NULL && (inet_pton(AF_INET, from,
		    &b4.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&b4, sizeof(b4)) != 0)) ||
		    connect(fd, (struct sockaddr *)&s4, sizeof(s4)) != 0)
			return -1;
		return fd;
	}
	if (inet_pton(AF_INET6, addr, &s6.sin6_addr) == 1) {
		s6.sin6_family = AF_INET6;
		s6.sin6_port = htons((unsigned short)port);
		if ((fd = socket(AF_INET6, SOCK_STREAM, 0)) < 0 ||
		    connect(fd, (struct sockaddr *)&s6, sizeof(s6)) != 0)
			return -1;
		return fd;
	}
	errno = EINVAL;
	return -1;
}

#ifdef HAVE_TLS
static int
tls_init(void)
{
	/* No verification: the tests ask for bytes, and check certificates
	   with curl and openssl s_client.  The end of the stream without
	   close_notify is an end like any other, as it is over plain TCP. */
	if ((tls_ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return -1;
	SSL_CTX_set_verify(tls_ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_options(tls_ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_mode(tls_ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	/* OpenSSL writes with write(2), not send(MSG_NOSIGNAL) */
	(void)signal(SIGPIPE, SIG_IGN);
	return 0;
}

/*
 * PEER_AGAIN with *events for what OpenSSL waits for; 0 for the end of
 * the stream, the socket's own errors as -1 with errno; -1 with EPROTO
 * for what TLS itself refused, its reason printed.
 */
static int
tls_status(struct peer *c, int r, short *events)
{
	switch (SSL_get_error(c->ssl, r)) {
	case SSL_ERROR_WANT_READ:
		*events = POLLIN;
		return PEER_AGAIN;
	case SSL_ERROR_WANT_WRITE:
		*events = POLLOUT;
		return PEER_AGAIN;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		if (errno == 0)
			return 0;
		return -1;
	default:
		/* -n: once, not for each of a thousand connections */
		if (!tls_reported)
			ERR_print_errors_fp(stderr);
		ERR_clear_error();
		tls_reported = 1;
		errno = EPROTO;
		return -1;
	}
}

/* Begin the client's handshake on c->fd, which becomes non-blocking: an
 * SSL_read that finds only a session ticket then waits in poll, under
 * -t, not in read. */
static int
tls_begin(struct peer *c)
{
	int fl;

	if ((fl = fcntl(c->fd, F_GETFL)) < 0 ||
	    fcntl(c->fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    (c->ssl = SSL_new(tls_ctx)) == NULL ||
	    SSL_set_fd(c->ssl, c->fd) != 1 ||
	    (*tls_name != '\0' &&
	    SSL_set_tlsext_host_name(c->ssl, tls_name) != 1))
		return -1;
	SSL_set_connect_state(c->ssl);
	return 0;
}

/* One step of the handshake: 1 done, 0 the server closed, PEER_AGAIN, -1. */
static int
tls_step(struct peer *c, short *events)
{
	int r;

	ERR_clear_error();
	errno = 0;
	if ((r = SSL_do_handshake(c->ssl)) == 1)
		return 1;
	r = tls_status(c, r, events);
	if (r == -1 && (errno == ECONNRESET || errno == EPIPE))
		return 0;
	return r;
}
#endif

/* -P: the prefix on the bare socket, whole or (with -w) a byte at a time. */
static int
send_prefix(int fd)
{
	size_t off = 0, step;
	ssize_t w;

	while (off < prefix_len) {
		step = prefix_byte_ms > 0 ? 1 : prefix_len - off;
		w = send(fd, prefix + off, step, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		off += (size_t)w;
		if (prefix_byte_ms > 0)
			(void)poll(NULL, 0, prefix_byte_ms);
	}
	return 0;
}

static int
peer_open(struct peer *c, const char *addr, int port)
{
	c->ended = 0;
	if ((c->fd = connect_to(addr, port)) < 0)
		return -1;
	if (send_prefix(c->fd) != 0)
		return -1;
#ifdef HAVE_TLS
	c->ssl = NULL;
	if (tls_ctx != NULL && tls_begin(c) != 0) {
		ERR_print_errors_fp(stderr);
		return -1;
	}
#endif
	return 0;
}

static void
peer_close(struct peer *c)
{
#ifdef HAVE_TLS
	/* SSL_free sends nothing: the close is as abrupt as over TCP */
	SSL_free(c->ssl);
	c->ssl = NULL;
#endif
	(void)close(c->fd);
	c->fd = -1;
}

/*
 * Finish the handshake within ms: 1 done, 0 the server closed the
 * connection first (as it may close a plain one), 3 timed out, -1 failed.
 */
static int
peer_handshake(struct peer *c, int ms)
{
#ifdef HAVE_TLS
	struct pollfd p = { c->fd, 0, 0 };
	int r;

	while (c->ssl != NULL) {
		if ((r = tls_step(c, &p.events)) != PEER_AGAIN)
			return r;
		if ((r = poll(&p, 1, ms)) < 0 && errno != EINTR)
			return -1;
		if (r == 0)
			return 3;
	}
#else
	(void)c;
	(void)ms;
#endif
	return 1;
}

/* Bytes read (> 0), 0 at the end, -1 with errno, or PEER_AGAIN. */
static ssize_t
peer_read(struct peer *c, void *buf, size_t n, short *events)
{
#ifdef HAVE_TLS
	if (c->ssl != NULL) {
		int r;

		ERR_clear_error();
		errno = 0;
		if ((r = SSL_read(c->ssl, buf, n > INT_MAX ? INT_MAX :
		    (int)n)) > 0)
			return r;
		return tls_status(c, r, events);
	}
#endif
	*events = POLLIN;
	return read(c->fd, buf, n);
}

/* Bytes sent (> 0), -1 with errno, or PEER_AGAIN. */
static ssize_t
peer_write(struct peer *c, const void *buf, size_t n, short *events)
{
#ifdef HAVE_TLS
	if (c->ssl != NULL) {
		int r;

		ERR_clear_error();
		errno = 0;
		if ((r = SSL_write(c->ssl, buf, n > INT_MAX ? INT_MAX :
		    (int)n)) > 0)
			return r;
		if ((r = tls_status(c, r, events)) == 0)
			errno = EPIPE;
		return r == 0 ? -1 : r;
	}
#endif
	*events = POLLOUT;
	return send(c->fd, buf, n, MSG_NOSIGNAL);
}

/* Has TLS decrypted bytes that poll cannot see? */
static int
peer_pending(struct peer *c)
{
#ifdef HAVE_TLS
	return c->ssl != NULL && SSL_pending(c->ssl) > 0;
#else
	(void)c;
	return 0;
#endif
}

/* -s: the end of what we send; over TLS close_notify first, given ms to
 * go out. */
static void
peer_shutdown(struct peer *c, int ms)
{
#ifdef HAVE_TLS
	struct pollfd p = { c->fd, 0, 0 };
	int r;

	while (c->ssl != NULL) {
		ERR_clear_error();
		if ((r = SSL_shutdown(c->ssl)) >= 0 ||
		    tls_status(c, r, &p.events) != PEER_AGAIN ||
		    poll(&p, 1, ms) <= 0)
			break;
	}
#else
	(void)ms;
#endif
	(void)shutdown(c->fd, SHUT_WR);
}

/* Copy what arrives within ms to stdout: 0 timeout, 1 closed, -1 error. */
static int
drain(struct peer *c, int ms)
{
	struct pollfd p = { c->fd, POLLIN, 0 };
	char buf[65536];
	ssize_t n;
	int r;

	for (;;) {
		if (c->ended)
			return 1;
		if (!peer_pending(c)) {
			r = poll(&p, 1, ms);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				return r;
		}
		n = peer_read(c, buf, sizeof(buf), &p.events);
		if (n == PEER_AGAIN)
			continue;
		if ((n < 0 && errno == ECONNRESET) || n == 0) {
			c->ended = 1;
			return 1;
		}
		if (n < 0)
			return errno == EINTR ? 0 : -1;
		p.events = POLLIN;
		if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
			return -1;
		received += n;
		if (stop_after >= 0 && received >= stop_after)
			return 1;
	}
}

static int
send_all(struct peer *c, const char *p, size_t n, int byte_ms)
{
	struct pollfd pw = { c->fd, 0, 0 };
	ssize_t w;
	size_t step;

	while (n > 0) {
		step = byte_ms > 0 ? 1 : n;
		w = peer_write(c, p, step, &pw.events);
		if (w == PEER_AGAIN) {
			/* a blocking send would wait as long */
			(void)poll(&pw, 1, -1);
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
		if (byte_ms > 0 && drain(c, byte_ms) != 0)
			return -1;
	}
	return 0;
}

/* A connection of -n: handshaking (TLS), sending the input, reading. */
struct burst_conn {
	struct peer	 peer;
	enum { HANDSHAKE, SENDING, READING } state;
	size_t		 sent;
	size_t		 got;
	char		 first[64];
};

/*
 * Take c as far as it goes without waiting: 0 to wait for p->events, 1
 * when it is over (the server closed, or an error).  Reading waits for
 * poll first: a plain socket blocks.
 */
static int
burst_step(struct burst_conn *c, struct pollfd *p, const char *in,
    size_t len)
{
	char buf[4096];
	ssize_t k;

	for (;;) {
		switch (c->state) {
		case HANDSHAKE:
#ifdef HAVE_TLS
			if (c->peer.ssl != NULL) {
				int r = tls_step(&c->peer, &p->events);

				if (r != 1)
					return r == PEER_AGAIN ? 0 : 1;
			}
#endif
			c->state = SENDING;
			break;
		case SENDING:
			if (c->sent == len) {
				c->state = READING;
				p->events = POLLIN;
				return 0;
			}
			k = peer_write(&c->peer, in + c->sent, len - c->sent,
			    &p->events);
			if (k == PEER_AGAIN)
				return 0;
			if (k < 0)
				return 1;
			c->sent += (size_t)k;
			break;
		case READING:
			k = peer_read(&c->peer, buf, sizeof(buf), &p->events);
			if (k == PEER_AGAIN)
				return 0;
			if (k <= 0)
				return 1;
			if (c->got < sizeof(c->first) - 1) {
				size_t n = (size_t)k;

				if (n > sizeof(c->first) - 1 - c->got)
					n = sizeof(c->first) - 1 - c->got;
				memcpy(c->first + c->got, buf, n);
				c->got += n;
			}
			/* TLS may hold more than poll will see */
			if (!peer_pending(&c->peer)) {
				p->events = POLLIN;
				return 0;
			}
			break;
		}
	}
}

/*
 * -n: n connections, the same request on each; every answer's first line,
 * in connection order.  Returns 0 when every connection ended in time.
 * Over TLS the handshakes go on side by side, as the requests do: a server
 * that answers some connections only once others end must see them all.
 */
static int
burst(const char *addr, int port, int n, const char *in, size_t len,
    int wait_ms)
{
	struct rlimit rl;
	struct pollfd *p = calloc((size_t)n, sizeof(*p));
	struct burst_conn *c = calloc((size_t)n, sizeof(*c));
	int i, open_n = 0, r, rc = 0;

	if (p == NULL || c == NULL)
		return 1;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	for (i = 0; i < n; i++) {
		p[i].fd = -1;
		if (peer_open(&c[i].peer, addr, port) != 0) {
			if (c[i].peer.fd >= 0)
				peer_close(&c[i].peer);
			continue;
		}
		p[i].fd = c[i].peer.fd;
		open_n++;
		if (burst_step(&c[i], &p[i], in, len) != 0) {
			peer_close(&c[i].peer);
			p[i].fd = -1;
			open_n--;
		}
	}
	while (open_n > 0) {
		r = poll(p, (nfds_t)n, wait_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = 3;
			break;
		}
		for (i = 0; i < n; i++) {
			if (p[i].fd < 0 || p[i].revents == 0)
				continue;
			if (burst_step(&c[i], &p[i], in, len) != 0) {
				peer_close(&c[i].peer);
				p[i].fd = -1;
				open_n--;
			}
		}
	}
	for (i = 0; i < n; i++) {
		char *eol = strpbrk(c[i].first, "\r\n");

		if (eol != NULL)
			*eol = '\0';
		printf("%s\n", c[i].got > 0 ? c[i].first : "none");
		if (p[i].fd >= 0)
			peer_close(&c[i].peer);
	}
	free(p);
	free(c);
	return rc;
}

static int
read_prefix(const char *path)
{
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		perror(path);
		return -1;
	}
	prefix_len = fread(prefix, 1, sizeof(prefix), f);
	(void)fclose(f);
	return 0;
}

int
main(int argc, char *argv[])
{
	const char *addr = "127.0.0.1";
	int ch, gap = -1, shut = 0, wait_ms = 3000, byte_ms = 0, r;
	int conns = 0, pause_ms = 0, delay_ms = 0;
	struct peer c;
	char *in, *p, *end, *cut;
	size_t len = 0;
	ssize_t n;

	while ((ch = getopt(argc, argv, "a:b:d:g:n:P:p:r:S:st:w:")) != -1) {
		switch (ch) {
		case 'a': addr = optarg; break;
		case 'b': from = optarg; break;
		case 'd': delay_ms = atoi(optarg); break;
		case 'g': gap = atoi(optarg); break;
		case 'n': conns = atoi(optarg); break;
		case 'p': pause_ms = atoi(optarg); break;
		case 'P':
			if (read_prefix(optarg) != 0)
				return 1;
			break;
		case 'r': stop_after = atoll(optarg); break;
#ifdef HAVE_TLS
		case 'S': tls_name = optarg; break;
#else
		case 'S':
			fprintf(stderr, "rawhttp: -S: TLS is not built in\n");
			return 1;
#endif
		case 's': shut = 1; break;
		case 't': wait_ms = atoi(optarg); break;
		case 'w': byte_ms = atoi(optarg); break;
		default: return usage();
		}
	}
	if (optind + 1 != argc)
		return usage();
	prefix_byte_ms = byte_ms;
#ifdef HAVE_TLS
	if (tls_name != NULL && tls_init() != 0) {
		ERR_print_errors_fp(stderr);
		return 1;
	}
#endif
	if ((in = malloc(MAX_INPUT_BYTES)) == NULL)
		return 1;
	while ((n = read(STDIN_FILENO, in + len, MAX_INPUT_BYTES - len)) > 0)
		len += (size_t)n;
	if (conns > 0) {
		r = burst(addr, atoi(argv[optind]), conns, in, len, wait_ms);
		free(in);
		return r;
	}
	if (peer_open(&c, addr, atoi(argv[optind])) != 0) {
		perror("rawhttp: connect");
		return 1;
	}
	if ((r = peer_handshake(&c, wait_ms)) != 1) {
		if (r == 0)
			fprintf(stderr, "rawhttp: the server closed the "
			    "connection during the TLS handshake\n");
		else if (r == 3)
			fprintf(stderr, "rawhttp: no TLS handshake in time\n");
		else
			fprintf(stderr, "rawhttp: TLS handshake failed\n");
		free(in);
		peer_close(&c);
		return r == 0 ? 0 : r == 3 ? 3 : 1;
	}
	p = in;
	end = in + len;
	while (p < end) {
		cut = end;
		if (gap >= 0 && (cut = memmem(p, (size_t)(end - p), "\r\n\r\n",
		    4)) != NULL)
			cut += 4;
		else
			cut = end;
		if (send_all(&c, p, (size_t)(cut - p), byte_ms) != 0)
			break;
		p = cut;
		if (p < end && drain(&c, gap) != 0)
			break;
		if (p < end && delay_ms > 0 && drain(&c, delay_ms) != 0)
			break;
		delay_ms = 0;
	}
	if (shut)
		peer_shutdown(&c, wait_ms);
	if (pause_ms > 0)
		(void)poll(NULL, 0, pause_ms);
	r = drain(&c, wait_ms);
	(void)fflush(stdout);
	free(in);
	peer_close(&c);
	return r == 1 ? 0 : r == 0 ? 3 : 1;
}
