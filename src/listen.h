/* SPDX-License-Identifier: BSD-2-Clause */
/* The listening sockets: resolving, binding, accepting. */
#ifndef FORKHTTPD_LISTEN_H
#define FORKHTTPD_LISTEN_H

#include <stddef.h>
#include <sys/socket.h>

#include "conf.h"

struct listeners {
	int		 fd[MAX_SOCKETS];
	int		 tls[MAX_SOCKETS];	/* --tls-port's */
	int		 status[MAX_SOCKETS];	/* --status's */
	size_t		 n;
};

/*
 * Bind and listen on every address each -a (cfg->address) resolves to
 * (every local address, IPv4 and IPv6, when there is none) at port, adding
 * the sockets to l (tls says they are for HTTPS).  With port 0 all these
 * sockets share the port the first one got.  Sockets are non-blocking and close-on-exec.
 * Returns 0, or -1 with a one-line reason in err, every socket of l
 * closed.
 */
int	listen_open(struct listeners *l, const struct config *cfg,
	    const char *port, int tls, char *err, size_t errsize);

/*
 * Bind and listen on --status's ADDRESS:PORT (an IPv6 address in
 * brackets), adding the sockets to l as status listeners.  0, or -1 with
 * a reason in err (the sockets of l stay open).
 */
int	listen_open_status(struct listeners *l, const struct config *cfg,
	    char *err, size_t errsize);

/*
 * Split ADDRESS:PORT or [ADDRESS]:PORT into host and port.  0, or -1 when
 * it is not of that form or a part does not fit.  Pure.
 */
int	listen_split(const char *spec, char *host, size_t hostsize, char *port,
	    size_t portsize);

/* The port fd is bound to, in host order; 0 if unknown. */
int	listen_port(int fd);

/*
 * Adopt the sockets systemd passed (LISTEN_PID is us, LISTEN_FDS of them
 * from descriptor 3; those LISTEN_FDNAMES calls "https" are for HTTPS, and
 * "status" for --status).  Returns 1 when it did, 0 when none were passed, -1
 * on error.
 */
int	listen_inherit(struct listeners *l);

/* TCP_NODELAY on fd, for the sockets accepted from it too; best effort. */
void	listen_nodelay(int fd);

/* Describe the address fd is bound to, as "host:port" or "[v6]:port". */
void	listen_describe(int fd, char *buf, size_t size);

/*
 * Accept one client from the listening socket lfd.  The new socket is
 * non-blocking and close-on-exec.  Returns it, or -1 with errno.
 */
int	listen_accept(int lfd, struct sockaddr_storage *peer);

void	listen_close(struct listeners *l);

#endif /* FORKHTTPD_LISTEN_H */
