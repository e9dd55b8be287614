/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HTTPS with OpenSSL: the certificates, read once at start-up as root and
 * again on SIGHUP, and one connection's TLS operations, which conn.c calls
 * from its transport seam.  A connection is a struct tls_conn, opaque.
 * Without OpenSSL (configure --without-tls) only tls_built() is here, and
 * it says no.
 */
#ifndef FORKHTTPD_TLS_H
#define FORKHTTPD_TLS_H

#include <stddef.h>
#include <sys/types.h>

#include "conf.h"

/* Is HTTPS built in? */
int	tls_built(void);

#ifdef HAVE_TLS
struct tls_conn;

/* What the I/O calls return besides a byte count (> 0) or end (0). */
#define TLS_WANT_READ	(-2)	/* call again once readable */
#define TLS_WANT_WRITE	(-3)	/* ... once writable */
#define TLS_ERROR	(-1)	/* the connection is broken */

/*
 * Where a certificate's or key's file comes from: index 2i is pair i's
 * certificate, 2i + 1 its key.  Returns an open descriptor or -1 with
 * errno.  The default opens path; a server that drops its privileges
 * asks the privileged opener (privsep.h) instead.
 */
typedef int tls_opener(size_t index, const char *path);
void	tls_set_opener(tls_opener *fn);

/*
 * Load every --tls-cert/--tls-key pair and build the contexts, the ticket
 * keys and what the children share.  At start-up, before the first fork.
 * 0, or -1 with a one-line reason in err.
 */
int	tls_setup(const struct config *cfg, char *err, size_t errsize);

/* How file bodies go out over TLS, for the start-up log. */
const char *tls_describe(void);

/*
 * SIGHUP: load the pairs again from the same files.  New connections get
 * the new ones; those in flight keep theirs.  If any pair is broken, the
 * old ones stay and the reason is logged.  0, or -1.
 */
int	tls_reload(const struct config *cfg);

/*
 * Between clients, in a process that accepts them: once a ticket period
 * is over, contexts with the new key take the old ones' place.  Cheap
 * otherwise.
 */
void	tls_tick(void);

/* Free what tls_setup() made (at exit). */
void	tls_cleanup(void);

/* Begin the server side of a handshake on the connected socket fd. */
struct tls_conn *tls_accept(int fd);

/* Read, write: > 0 bytes, 0 at the end, or a TLS_* status. */
ssize_t	tls_read(struct tls_conn *t, void *buf, size_t n);
ssize_t	tls_write(struct tls_conn *t, const void *buf, size_t n);

/* Does the kernel encrypt what we send (kTLS), so that tls_sendfile()
 * may be used? */
int	tls_kernel_send(struct tls_conn *t);

/* Send n bytes of file fd from off through kTLS: as tls_write(). */
ssize_t	tls_sendfile(struct tls_conn *t, int fd, off_t off, size_t n);

/* "https", the protocol and the cipher, for --log-tls; the length. */
size_t	tls_describe_conn(struct tls_conn *t, char *buf, size_t size);

/* The name the client asked for in SNI, or NULL. */
const char *tls_server_name(struct tls_conn *t);

/* Is the handshake done? */
int	tls_handshake_done(struct tls_conn *t);

/* Are decrypted bytes waiting that a poll would not see? */
int	tls_pending(struct tls_conn *t);

/* Send close_notify if it can go at once; never waits. */
void	tls_close_notify(struct tls_conn *t);

void	tls_free(struct tls_conn *t);
#endif /* HAVE_TLS */

#endif /* FORKHTTPD_TLS_H */
