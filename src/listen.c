/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Listening sockets.  IPv6 sockets are IPV6_V6ONLY and sit beside their own
 * IPv4 sockets, so a dual-stack host gets two listeners and every client
 * address is logged in its own family.
 */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fd.h"
#include "listen.h"

#define STR_(x)	#x
#define STR(x)	STR_(x)

void
listen_describe(int fd, char *buf, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[INET6_ADDRSTRLEN];
	char port[16];

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0 ||
	    getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), port,
	    sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		(void)snprintf(buf, size, "?");
		return;
	}
	(void)snprintf(buf, size, ss.ss_family == AF_INET6 ? "[%s]:%s" :
	    "%s:%s", host, port);
}

static void
describe_ai(const struct addrinfo *ai, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN], port[16];

	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host), port,
	    sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		(void)snprintf(buf, size, "?");
		return;
	}
	(void)snprintf(buf, size, ai->ai_family == AF_INET6 ? "[%s]:%s" :
	    "%s:%s", host, port);
}

void
listen_nodelay(int fd)
{
	int one = 1;

	/*
	 * A body goes out as the socket takes it, in bounded pieces, with
	 * the cork only over the head and the first piece (conn.c); Nagle
	 * would hold each piece's last segment for the client's ACK of the
	 * one before, and cost about twice the CPU per MiB here.  Accepted
	 * sockets inherit it, so it costs no call per connection.  Failing
	 * (not TCP) only costs speed.
	 */
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void
set_port(struct sockaddr *sa, unsigned short port)
{
	if (sa->sa_family == AF_INET)
		((struct sockaddr_in *)sa)->sin_port = port;
	else if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = port;
}

static unsigned short
get_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	if (ss.ss_family == AF_INET)
		return ((struct sockaddr_in *)&ss)->sin_port;
	return ((struct sockaddr_in6 *)&ss)->sin6_port;
}

/*
 * The sockets of one address (every address when name is NULL) at
 * service, added to l; *port, when not 0, is the port they all take, and
 * becomes the first one's otherwise.  0, or -1 with err.
 */
static int
open_name(struct listeners *l, const struct config *cfg, const char *name,
    const char *service, int tls, unsigned short *port, char *err,
    size_t errsize)
{
	struct addrinfo hints, *res, *ai;
	char where[INET6_ADDRSTRLEN + 16];
	size_t first = l->n;
	int fd, one = 1, rc, e = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = cfg->family != 0 ? cfg->family : AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(name, service, &hints, &res)) != 0) {
		(void)snprintf(err, errsize, "cannot resolve %s port %s: %s",
		    name ? name : "*", service, gai_strerror(rc));
		return -1;
	}
	where[0] = '\0';
	for (ai = res; ai != NULL && l->n < first + MAX_LISTENERS;
	    ai = ai->ai_next) {
		if (l->n == MAX_SOCKETS) {
			e = EMFILE;
			break;
		}
		if (*port != 0)
			set_port(ai->ai_addr, *port);
		describe_ai(ai, where, sizeof(where));
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd < 0) {
			/* no IPv6 on this host is not an error */
			if (errno != EAFNOSUPPORT)
				e = errno;
			continue;
		}
		if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one)) != 0 ||
		    (ai->ai_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
		    IPV6_V6ONLY, &one, sizeof(one)) != 0) ||
		    bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
		    listen(fd, LISTEN_BACKLOG) != 0 ||
		    fd_nonblock_cloexec(fd) != 0) {
			e = errno;
			(void)close(fd);
			if (e == EADDRNOTAVAIL && name == NULL) {
				e = 0;	/* e.g. IPv6 disabled */
				continue;
			}
			break;
		}
		listen_nodelay(fd);
		if (*port == 0)
			*port = get_port(fd);
		l->tls[l->n] = tls;
		l->status[l->n] = 0;
		l->fd[l->n++] = fd;
	}
	freeaddrinfo(res);
	if (e != 0 || l->n == first) {
		(void)snprintf(err, errsize, "cannot listen on %s: %s",
		    where[0] ? where : service, e == EMFILE ?
		    "more than " STR(MAX_SOCKETS) " sockets" :
		    strerror(e ? e : EADDRNOTAVAIL));
		return -1;
	}
	return 0;
}

int
listen_open(struct listeners *l, const struct config *cfg,
    const char *service, int tls, char *err, size_t errsize)
{
	unsigned short port = 0;
	int i;

	/* with port 0, every -a address gets the same free port */
	for (i = 0; i < (cfg->addresses > 0 ? cfg->addresses : 1); i++)
		if (open_name(l, cfg, cfg->addresses > 0 ? cfg->address[i] :
		    NULL, service, tls, &port, err, errsize) != 0) {
			listen_close(l);
			return -1;
		}
	return 0;
}

int
listen_open_status(struct listeners *l, const struct config *cfg,
    char *err, size_t errsize)
{
	char host[MAX_STATUS_HOST_BYTES], port[MAX_STATUS_PORT_BYTES];
	unsigned short bound = 0;
	size_t i, first = l->n;

	if (listen_split(cfg->status, host, sizeof(host), port,
	    sizeof(port)) != 0) {
		(void)snprintf(err, errsize, "--status %s: not ADDRESS:PORT",
		    cfg->status);
		return -1;
	}
	if (open_name(l, cfg, host, port, 0, &bound, err, errsize) != 0)
		return -1;
	for (i = first; i < l->n; i++)
		l->status[i] = 1;
	return 0;
}

int
listen_split(const char *spec, char *host, size_t hostsize, char *port,
    size_t portsize)
{
	const char *colon = strrchr(spec, ':'), *h = spec, *end;
	size_t n;

	if (colon == NULL || colon[1] == '\0' ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1))
		return -1;
	end = colon;
	if (spec[0] == '[') {
		if (colon == spec || colon[-1] != ']')
			return -1;
		h = spec + 1;
		end = colon - 1;
	} else if (memchr(spec, ':', (size_t)(colon - spec)) != NULL)
		return -1;	/* an IPv6 address needs its brackets */
	n = (size_t)(end - h);
	if (n == 0 || n >= hostsize || strlen(colon + 1) >= portsize ||
	    memchr(h, '[', n) != NULL || memchr(h, ']', n) != NULL)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	memcpy(port, colon + 1, strlen(colon + 1) + 1);
	return 0;
}

/* Is socket i of systemd's LISTEN_FDNAMES (colon-separated) the name? */
static int
named(const char *names, size_t i, const char *name)
{
	const char *p = names, *end;

	while (p != NULL && i-- > 0)
		if ((p = strchr(p, ':')) != NULL)
			p++;
	if (p == NULL)
		return 0;
	end = strchr(p, ':');
	return (end ? (size_t)(end - p) : strlen(p)) == strlen(name) &&
	    strncmp(p, name, strlen(name)) == 0;
}

int
listen_port(int fd)
{
	return ntohs(get_port(fd));
}

int
listen_inherit(struct listeners *l)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	const char *names = getenv("LISTEN_FDNAMES");
	char *end;
	long n, p;
	int fd;

	l->n = 0;
	if (pid == NULL || fds == NULL)
		return 0;
	p = strtol(pid, &end, 10);
	if (*end != '\0' || p != (long)getpid())
		return 0;
	n = strtol(fds, &end, 10);
	if (*end != '\0' || n < 1 || n > MAX_SOCKETS)
		return 0;
	/* sd_listen_fds(3): they start at 3, named by FileDescriptorName= */
	for (fd = 3; fd < 3 + n; fd++) {
		if (fd_nonblock_cloexec(fd) != 0) {
			listen_close(l);
			return -1;
		}
		listen_nodelay(fd);
		l->tls[l->n] = named(names, (size_t)(fd - 3), "https");
		l->status[l->n] = named(names, (size_t)(fd - 3), "status");
		l->fd[l->n++] = fd;
	}
	(void)unsetenv("LISTEN_PID");
	(void)unsetenv("LISTEN_FDS");
	(void)unsetenv("LISTEN_FDNAMES");
	return 1;
}

int
listen_accept(int lfd, struct sockaddr_storage *peer)
{
	socklen_t len = sizeof(*peer);
	int fd;

#ifdef HAVE_ACCEPT4
	fd = accept4(lfd, (struct sockaddr *)peer, &len,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
#else
	fd = accept(lfd, (struct sockaddr *)peer, &len);
	if (fd >= 0 && fd_nonblock_cloexec(fd) != 0) {
		int e = errno;

		(void)close(fd);
		errno = e;
		return -1;
	}
#endif
	return fd;
}

void
listen_close(struct listeners *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		(void)close(l->fd[i]);
	l->n = 0;
}
