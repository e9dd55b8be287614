/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HTTP/1.x, pure: the request parser (http.c), what goes into a response
 * head (http_head.c), dates (http_date.c), and preconditions and ranges
 * (http_range.c).  None of it does I/O, allocates or writes a global, so
 * it is safe in any process model and easy to fuzz.
 */
#ifndef FORKHTTPD_HTTP_H
#define FORKHTTPD_HTTP_H

#include <limits.h>
#include <stddef.h>
#include <time.h>

#include "conf.h"
#include "span.h"

/* --- http.c: the request parser --- */

/* A list field's lines, each a part of one list (RFC 9110 5.3). */
struct span_list {
	struct span	 line[MAX_LIST_FIELD_LINES];
	size_t		 n;
};

enum http_method {
	HTTP_GET, HTTP_HEAD, HTTP_OPTIONS, HTTP_POST, HTTP_PUT, HTTP_DELETE,
	HTTP_TRACE, HTTP_CONNECT, HTTP_PATCH,
	HTTP_OTHER		/* a valid token we do not know */
};

struct http_request {
	struct span	 line;		/* the request line as received */
	enum http_method method;
	struct span	 method_name;
	struct span	 target;	/* as received */
	struct span	 path;		/* target up to '?', "*" or "/..." */
	struct span	 query;		/* after '?'; p is NULL without one */
	int		 version;	/* 10 or 11 */
	int		 keep_alive;	/* the client allows reuse */
	struct span	 host;		/* absolute-form authority or Host */
	int		 has_host;	/* 2: from the target, 1: Host */
	int		 host_lines;	/* Host header lines seen */
	long long	 content_length; /* -1 when absent */
	int		 chunked;	/* Transfer-Encoding: chunked */
	/* p NULL: absent; n 0: given twice, so no valid value */
	struct span	 if_modified_since;
	struct span_list if_none_match;	/* n 0: absent */
	struct span_list if_match;	/* n 0: absent */
	struct span	 if_unmodified_since;
	struct span	 range;
	struct span	 if_range;
	struct span	 referer;
	struct span	 user_agent;
	/* lines of each, parts of one list; when there are more than
	   MAX_LIST_FIELD_LINES, forwarded_over is set and neither is used */
	struct span_list x_forwarded_for;
	struct span_list forwarded;
	int		 forwarded_over;
	struct span	 authorization;	/* at most MAX_AUTH_HEADER_BYTES
					   [431]; n 0 when given twice */
	struct span_list accept_encoding; /* n 0: absent */
	size_t		 header_count;
};

/*
 * The largest Content-Length, and first or last byte of a Range, that is
 * taken: LLONG_MAX less 8 is where the parser's overflow check has always
 * stopped, and a larger one is still refused (400, 416).
 */
#define HTTP_MAX_NUMBER	(LLONG_MAX - 8)

/* Not an HTTP status: the head is not complete yet. */
#define HTTP_NEED_MORE	1

/*
 * Parse the request head at the start of buf[0..len).  Returns 0 when a
 * complete, valid head was parsed (*used is then its length, including the
 * empty line), HTTP_NEED_MORE when more bytes are needed, or the 4xx/5xx
 * status to answer with.  Every span in *req points into buf, but for the
 * path of an absolute-form target with an empty path ("http://host"),
 * which is a static "/" (RFC 9112 3.2.2: it means "/").  Whatever the
 * result, req->line is the request line as http_request_line() finds it,
 * and req->method_name and req->method are set when that line begins
 * with a token and a space, so that a HEAD is known even when its line
 * is too long or broken.  Limits come
 * from conf.h: 414 for the request line, 431 for header lines, count and
 * total size and for If-Match, If-None-Match or Accept-Encoding lines, 505 for an HTTP
 * major version other than 1, 501 for a transfer coding before chunked,
 * 400 for the rest, and at once, before its line feed, for a request
 * line that can no longer become valid (a TLS ClientHello, say).
 * Unknown but well-formed methods parse fine (HTTP_OTHER): the caller
 * decides what to answer.
 */
int	http_parse_request(const char *buf, size_t len, struct http_request *req,
	    size_t *used);

/*
 * The request line at the start of buf[0..len) as received, for the log:
 * from the first byte that is neither CR nor LF (RFC 9112 2.2: blank
 * lines before a request are no request) to the next LF, less a CR
 * before it, or to len.  Never NULL when buf is not.
 */
struct span http_request_line(const char *buf, size_t len);

/* --- http_head.c: statuses, response heads, entity-tags, part heads --- */

/* The reason phrase of a status code, "Unknown" for codes we never send. */
const char *http_status_text(int status);

/* Content-Range forms. */
#define HTTP_CR_NONE		0
#define HTTP_CR_RANGE		1	/* bytes first-last/length */
#define HTTP_CR_UNSATISFIED	2	/* bytes *\/length */

/* What http_format_head() needs to know; NULL or -1 fields are left out. */
struct http_response {
	int		 status;
	const char	*content_type;
	long long	 content_length;
	time_t		 last_modified;	/* -1: none */
	const char	*etag;
	int		 accept_ranges;	/* send Accept-Ranges: bytes */
	int		 content_range;	/* HTTP_CR_* */
	long long	 range_first;
	long long	 range_last;
	long long	 complete_length;
	int		 keep_alive;
	const char	*location;	/* already escaped for a header */
	const char	*allow;
	const char	*retry_after;	/* seconds, as text */
	const char	*www_authenticate; /* a 401's challenge */
	int		 cache_private;	/* Cache-Control: private */
	int		 hsts;		/* send Strict-Transport-Security */
	long long	 hsts_max_age;
	const char	*content_encoding; /* a precompressed variant's */
	int		 vary_encoding;	/* Vary: Accept-Encoding */
	int		 cache;		/* Cache-Control: max-age and Expires */
	long long	 max_age;	/* seconds, with cache */
	time_t		 expires;	/* with cache */
	const char	*extra;		/* more fields, each "Name: value\r\n",
					   or NULL */
};

/*
 * Not a status that is sent: a 400 whose page says that plain HTTP came
 * to the HTTPS port (nginx's 497).
 */
#define HTTP_PLAIN_ON_TLS	497

/*
 * Format the status line and header fields, ending with the empty line, into
 * buf.  date is an IMF-fixdate.  Returns the length, or -1 if buf is too
 * small.
 */
int	http_format_head(char *buf, size_t size, const struct http_response *r,
	    const char *date);

/*
 * Format a complete small HTML error body for status (or HTTP_PLAIN_ON_TLS)
 * into buf.  Returns its length, or -1 if buf is too small.
 */
int	http_format_error_body(char *buf, size_t size, int status);

/* An entity-tag is at most this long, quotes and NUL included. */
#define HTTP_ETAG_BYTES	64

/*
 * The strong entity-tag of a file version: inode, size and modification
 * time in hex, quoted.  Returns its length, or 0 if it does not fit.
 */
size_t	http_format_etag(char buf[HTTP_ETAG_BYTES], unsigned long long ino,
	    long long size, long long mtime_sec, long mtime_nsec);

/*
 * The delimiter and fields that open a part of a multipart/byteranges body
 * (RFC 9110 14.6): CRLF "--" boundary CRLF, Content-Type (when type is
 * not NULL) and Content-Range, and the empty line.  Returns the length,
 * or 0 if buf is too small.
 */
size_t	http_format_part_head(char *buf, size_t size, const char *boundary,
	    const char *type, long long first, long long last,
	    long long complete);

/* The close delimiter: CRLF "--" boundary "--" CRLF.  As above. */
size_t	http_format_part_end(char *buf, size_t size, const char *boundary);

/* --- http_date.c: dates and the calendar --- */

/* IMF-fixdate is always 29 bytes: "Sun, 06 Nov 1994 08:49:37 GMT". */
#define HTTP_DATE_BYTES	30

/*
 * "Jan" to "Dec": HTTP dates and the Common Log Format use these, whatever
 * the locale.
 */
extern const char http_months[12][4];

/* The proleptic Gregorian date of day z, counted from 1970-01-01 (day 0). */
void	http_civil_from_days(long long z, long long *y, int *m, int *d);

/* Write t as an IMF-fixdate and a NUL into buf; returns 29, or 0 on error. */
size_t	http_format_date(time_t t, char buf[HTTP_DATE_BYTES]);

/*
 * Parse an HTTP-date (IMF-fixdate, RFC 850 or asctime form).  Returns 0 and
 * sets *t, or -1 when s is not a valid date.
 */
int	http_parse_date(struct span s, time_t *t);

/* --- http_range.c: preconditions and ranges --- */

/*
 * Evaluate the preconditions of req (RFC 9110 13.2.2, steps 1 to 4) for a
 * representation with entity-tag etag, last modified at mtime, at the
 * server's time now.  An If-Modified-Since later than now is ignored, as
 * nginx and Apache do (RFC 2616 14.25: such a date is invalid).  Returns
 * 0 to go on, 304 (Not Modified) or 412 (Precondition Failed).
 */
int	http_check_preconditions(const struct http_request *req,
	    const char *etag, time_t mtime, time_t now);

#define HTTP_RANGE_FULL	1	/* no usable Range: send the whole file */

/*
 * Decide what req's Range and If-Range ask of a representation of size
 * bytes, with entity-tag etag, last modified at mtime (at most now, the
 * server's time): 0 with *first and *last set (inclusive) when one listed
 * range is satisfiable; HTTP_RANGE_FULL when there is no Range, it is not
 * for bytes, several listed ranges are satisfiable (forkhttpd then sends
 * the whole file), a suffix range asks for all of an empty file, or
 * If-Range does not match (a date matches only when it is mtime and mtime
 * is earlier than now: RFC 9110 8.8.2.2); 416 when no range is
 * satisfiable or, as with nginx, the list cannot be read.
 */
int	http_choose_range(const struct http_request *req, long long size,
	    const char *etag, time_t mtime, time_t now, long long *first,
	    long long *last);

/* One satisfiable byte range, inclusive. */
struct http_range {
	long long	 first, last;
};

/*
 * As http_choose_range(), for a multipart/byteranges reply: 0 with the
 * *n (1 to max) satisfiable ranges in out[], in the order asked.  More
 * than max, or several that add up to more than the file, are
 * HTTP_RANGE_FULL, as with nginx.
 */
int	http_choose_ranges(const struct http_request *req, long long size,
	    const char *etag, time_t mtime, time_t now, struct http_range *out,
	    size_t max, size_t *n);

#endif /* FORKHTTPD_HTTP_H */
