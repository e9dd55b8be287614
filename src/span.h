/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A span names bytes in someone else's buffer: the parser records them
 * and copies nothing.  Its own header, so that what only passes spans on
 * (the access log, and through it every model) need not see http.h.
 */
#ifndef FORKHTTPD_SPAN_H
#define FORKHTTPD_SPAN_H

#include <stddef.h>

/* A piece of the caller's buffer; never NUL-terminated. */
struct span {
	const char	*p;
	size_t		 n;
};

#endif /* FORKHTTPD_SPAN_H */
