/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the administrator adds to answers, checked once at start-up, pure:
 * --header lines (never one the server writes itself, never a CR or LF),
 * and which media types --charset applies to.
 */
#ifndef FORKHTTPD_HEADERS_H
#define FORKHTTPD_HEADERS_H

#include <stddef.h>

/*
 * Check the --header argument arg ("Name: value") and append it to the
 * block[0..*len) of size bytes as "Name: value\r\n", NUL-terminated.  The
 * name must be a token that names no field forkhttpd owns (Date, Server,
 * Content-Type, ETag, ...; Cache-Control and Expires too when cache_owned
 * is set, as by --max-age); the value, space and tab trimmed, must be
 * non-empty visible ASCII, space or tab.  0, or -1 with a short reason in
 * *why (a static string).
 */
int	headers_add(char *block, size_t size, size_t *len, const char *arg,
	    int cache_owned, const char **why);

/*
 * Is name (a --charset argument) a charset token (RFC 9110 8.3.2: a
 * token, at most max bytes)?
 */
/* Is c a tchar (RFC 9110 5.6.2), as in a field name or a media type? */
int	headers_tchar(unsigned char c);
int	headers_valid_charset(const char *name, size_t max);

/*
 * Does --charset apply to the media type type: every text type, and
 * application/javascript, application/xml and the application types whose
 * subtype ends in "+xml" (RSS, Atom, XHTML), when type has no parameter
 * yet?
 */
int	headers_charset_applies(const char *type);

#endif /* FORKHTTPD_HEADERS_H */
