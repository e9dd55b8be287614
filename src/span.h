/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A span names bytes in someone else's buffer: the parser records them
 * and copies nothing.  Its own header, so that what only passes spans on
 * (the access log, and through it every model) need not see http.h.
 * Field names and tokens compare without regard to ASCII case, never to
 * the locale's.
 */
#ifndef FORKHTTPD_SPAN_H
#define FORKHTTPD_SPAN_H

#include <stddef.h>
#include <string.h>

/* A piece of the caller's buffer; never NUL-terminated. */
struct span {
	const char	*p;
	size_t		 n;
};

/* c, an ASCII capital made small; any other byte as it is. */
static inline int
span_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Is s the lower-case text lit, whatever the case of s? */
static inline int
span_eq(struct span s, const char *lit)
{
	size_t i, n = strlen(lit);

	if (s.n != n)
		return 0;
	for (i = 0; i < n; i++)
		if (span_lower((unsigned char)s.p[i]) != lit[i])
			return 0;
	return 1;
}

#endif /* FORKHTTPD_SPAN_H */
