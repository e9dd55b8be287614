/* SPDX-License-Identifier: BSD-2-Clause */
/* The listening sockets: resolving, binding, accepting. */
#ifndef FORKHTTPD_LISTEN_H
#define FORKHTTPD_LISTEN_H

#include <stddef.h>
#include <sys/socket.h>

#include "conf.h"

struct listeners {
	int		 fd[MAX_LISTENERS];
	size_t		 n;
};

/*
 * Bind and listen on every address cfg->address resolves to (every local
 * address, IPv4 and IPv6, when it is NULL) at cfg->port.  With port 0 all
 * sockets share the port the first one got.  Sockets are non-blocking and
 * close-on-exec.  Returns 0, or -1 with a one-line reason in err.
 */
int	listen_open(struct listeners *l, const struct config *cfg, char *err,
	    size_t errsize);

/*
 * Adopt the sockets systemd passed (LISTEN_PID is us, LISTEN_FDS of them
 * from descriptor 3).  Returns 1 when it did, 0 when none were passed, -1
 * on error.
 */
int	listen_inherit(struct listeners *l);

/* Describe the address fd is bound to, as "host:port" or "[v6]:port". */
void	listen_describe(int fd, char *buf, size_t size);

/*
 * Accept one client from the listening socket lfd.  The new socket is
 * non-blocking and close-on-exec.  Returns it, or -1 with errno.
 */
int	listen_accept(int lfd, struct sockaddr_storage *peer);

void	listen_close(struct listeners *l);

#endif /* FORKHTTPD_LISTEN_H */
