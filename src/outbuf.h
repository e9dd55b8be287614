/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one bounded appender: response heads, dates, entity-tags, access-log
 * lines, listings and Location values are all built with it.  Nothing is
 * ever written at or past size; what does not fit is cut and the cut is
 * recorded, so a formatter appends everything and looks once at the end.
 * Pure, and free of stdio, so a forked child that answers one request
 * touches none of stdio's code or locale state.
 */
#ifndef FORKHTTPD_OUTBUF_H
#define FORKHTTPD_OUTBUF_H

#include <stddef.h>

struct outbuf {
	char	*p;
	size_t	 size;		/* bytes of p that may be written */
	size_t	 len;		/* bytes appended so far, at most size */
	int	 cut;		/* something did not fit, wholly or in part */
};

/*
 * An empty outbuf over buf[0..size).  A caller may lower size for a while
 * (a field that must leave room for what follows) and raise it again.
 */
void	outbuf_init(struct outbuf *o, char *buf, size_t size);

/*
 * Append n bytes of s; when they do not all fit, as many as do, and set
 * cut.  The _str, _digits, _signed and _hex forms cut the same way.
 */
void	outbuf_put_mem(struct outbuf *o, const void *s, size_t n);
void	outbuf_put_str(struct outbuf *o, const char *s);

/* v in decimal, zero-padded to at least width digits. */
void	outbuf_put_digits(struct outbuf *o, unsigned long long v,
	    size_t width);

/* v in decimal, with '-' before the digits (padded to width) if negative. */
void	outbuf_put_signed(struct outbuf *o, long long v, size_t width);

/* v in lower-case hex, zero-padded to at least width digits. */
void	outbuf_put_hex(struct outbuf *o, unsigned long long v, size_t width);

/*
 * End the text with a NUL, which len does not count.  Returns 0, or -1
 * when something was cut or the NUL does not fit (cut is then set, and
 * the text that is there ends in a NUL, if size is not 0).
 */
int	outbuf_finish(struct outbuf *o);

/*
 * n bytes at the end for the caller to fill, all or nothing: their start,
 * or NULL (and cut set) when they do not fit.  For units that must not be
 * split, such as an escape sequence.
 */
static inline char *
outbuf_reserve(struct outbuf *o, size_t n)
{
	char *at;

	if (o->len > o->size || n > o->size - o->len) {
		o->cut = 1;
		return NULL;
	}
	at = o->p + o->len;
	o->len += n;
	return at;
}

/* One byte; inline, as escaping appends byte by byte. */
static inline void
outbuf_put_char(struct outbuf *o, char c)
{
	char *at;

	if ((at = outbuf_reserve(o, 1)) != NULL)
		*at = c;
}

#endif /* FORKHTTPD_OUTBUF_H */
