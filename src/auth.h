/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HTTP Basic authentication for path prefixes (--auth PREFIX:FILE).  The
 * parsing is pure (auth_parse.c): prefixes, password file lines, the
 * Authorization field.  auth.c holds the password tables, read as root at
 * start-up and again on SIGHUP through the opener, and checks passwords
 * with crypt(3) from libxcrypt.
 */
#ifndef FORKHTTPD_AUTH_H
#define FORKHTTPD_AUTH_H

#include <stddef.h>

#include "conf.h"
#include "span.h"

#define AUTH_PREFIX_BYTES	256	/* a prefix, normalised */
#define AUTH_USER_BYTES		256	/* a user name, and its NUL */
#define AUTH_PASS_BYTES		(MAX_AUTH_HEADER_BYTES + 1) /* a password */
#define AUTH_HASH_BYTES		256	/* a stored hash, and its NUL */

/* --- auth_parse.c: pure --- */

/*
 * Split "PREFIX:FILE" (an --auth argument) at its first ':' after the
 * prefix: the prefix, normalised without its leading '/' and any trailing
 * one ("/a/b/" is "a/b", "/" is ""), into prefix, and *file to the name.
 * The prefix must begin with '/' and have no empty, "." or ".." segment;
 * the file must not be empty.  No '"', '\\' or control byte (the prefix
 * is the realm, a quoted-string).  0, or -1.
 */
int	auth_split_option(const char *arg, char *prefix, size_t size,
	    const char **file);

/*
 * Is the request's name (path_resolve()'s: no leading '/', "." for the
 * root) under prefix (as auth_split_option() made it), on a segment
 * boundary?  "a/b" covers "a/b" and "a/b/c", not "a/bc".  The number of
 * bytes that matched (0 for the root's prefix ""), for the longest
 * prefix to win, or -1.
 */
int	auth_prefix_match(const char *prefix, const char *name);

/* What a password file line is. */
enum auth_line {
	AUTH_LINE_ENTRY,	/* user and hash */
	AUTH_LINE_BLANK,	/* empty, or a '#' comment */
	AUTH_LINE_BAD,		/* not "user:hash[:comment]" */
	AUTH_LINE_WEAK		/* a hash we refuse: plain text, DES, MD5,
				   MD5-apr1, SHA-1, SHA-256 crypt */
};

/*
 * One line of an htpasswd file (no '\n'; a final '\r' is dropped), as
 * nginx reads them: "user:hash" or "user:hash:comment".  The hash must
 * be bcrypt ($2y$, $2b$), yescrypt ($y$) or SHA-512 crypt ($6$).  Sets
 * *user and *hash on AUTH_LINE_ENTRY.
 */
enum auth_line auth_parse_line(const char *line, size_t len,
	    struct span *user, struct span *hash);

/*
 * The credentials of an Authorization field value: "Basic" (any case),
 * spaces, then base64 (RFC 4648, padded) of "user:password" (RFC 7617).
 * The user and password, NUL-terminated, into user[] and pass[]; neither
 * may hold a control byte, the user no ':'.  pass NULL: the user alone
 * (the access log's).  0, or -1.
 */
int	auth_decode_basic(struct span value, char *user, size_t usize,
	    char *pass, size_t psize);

/*
 * Do the strings a and b hold the same bytes?  In time that depends on
 * their lengths only, never on where they first differ.
 */
int	auth_equal(const char *a, const char *b);

/* --- auth.c: the tables --- */

/* Is libxcrypt's crypt_rn() built in (else --auth is refused)? */
int	auth_built(void);

/*
 * Where a password file comes from: file number index of the --auth
 * options.  An open descriptor, or -1 with errno.  The default opens the
 * path; a server that gives up root asks the opener (privsep.h).
 */
typedef int auth_opener(int index, const char *path);
void	auth_set_opener(auth_opener *fn);

/*
 * At start-up, as root: read every --auth file.  A line the parser
 * refuses stops start-up, with the file and line in err.  0, or -1.
 */
int	auth_setup(const struct config *cfg, char *err, size_t errsize);

/*
 * SIGHUP: read the files again.  A file that is now broken or gone
 * keeps its old table, and the reason is logged.
 */
void	auth_reload(const struct config *cfg);

/* The realm (the prefix) that covers name, or NULL when none does. */
const char *auth_realm(const char *name);

/* What auth_check() decides. */
enum auth_result {
	AUTH_FREE,		/* no prefix covers the name */
	AUTH_GRANTED,		/* good credentials */
	AUTH_REQUIRED,		/* none, or bad ones: 401 */
	AUTH_REFUSED		/* bad ones (counted by the caller) */
};

/*
 * May the request for name (path_resolve()'s) with the Authorization
 * value authorization (p NULL: none) go on?  *realm is then the prefix
 * that covers it, as the client is told (WWW-Authenticate).  A refusal
 * is logged with addr, the client's address.  Checking a password is
 * slow on purpose (bcrypt, yescrypt); the last good credentials of each
 * thread are remembered, so a client that sends them again costs no
 * hash.
 */
enum auth_result auth_check(const struct config *cfg, const char *name,
	    struct span authorization, const char *addr, const char **realm);

/* At exit. */
void	auth_cleanup(void);

#endif /* FORKHTTPD_AUTH_H */
