/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Preconditions (RFC 9110 13) and byte ranges (14): what a parsed
 * request's validators and Range ask of one version of a file.  Pure: the
 * caller passes the file's entity-tag, modification time and size and the
 * server's time.
 */
#include <config.h>

#include <string.h>

#include "http.h"
#include "number.h"

/*
 * Does the entity-tag list (or "*") in v match etag?  weak compares
 * ignoring W/ prefixes (If-None-Match); otherwise a weak tag never matches
 * (If-Match).  A malformed list matches nothing.
 */
static int
etag_list_match(struct span v, const char *etag, int weak)
{
	size_t i = 0, start, elen = strlen(etag);
	int is_weak;

	while (i < v.n && (v.p[i] == ' ' || v.p[i] == '\t'))
		i++;
	if (v.n - i == 1 && v.p[i] == '*')
		return 1;
	while (i < v.n) {
		while (i < v.n && (v.p[i] == ' ' || v.p[i] == '\t' ||
		    v.p[i] == ','))
			i++;
		if (i == v.n)
			break;
		is_weak = 0;
		if (v.n - i >= 2 && v.p[i] == 'W' && v.p[i + 1] == '/') {
			is_weak = 1;
			i += 2;
		}
		if (i == v.n || v.p[i] != '"')
			return 0;
		start = i++;
		while (i < v.n && v.p[i] != '"')
			i++;
		if (i == v.n)
			return 0;
		i++;
		if ((weak || !is_weak) && i - start == elen &&
		    memcmp(v.p + start, etag, elen) == 0)
			return 1;
	}
	return 0;
}

/* etag_list_match() over every line of the field. */
static int
etag_lines_match(const struct span_list *l, const char *etag, int weak)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (etag_list_match(l->line[i], etag, weak))
			return 1;
	return 0;
}

int
http_check_preconditions(const struct http_request *req, const char *etag,
    time_t mtime, time_t now)
{
	int safe = req->method == HTTP_GET || req->method == HTTP_HEAD;
	time_t t;

	/* a future date still counts here: RFC 9110 13.1.4 has no such rule */
	if (req->if_match.n > 0) {
		if (!etag_lines_match(&req->if_match, etag, 0))
			return 412;
	} else if (req->if_unmodified_since.p != NULL &&
	    http_parse_date(req->if_unmodified_since, &t) == 0 && mtime > t)
		return 412;
	/*
	 * An If-Modified-Since later than our clock is invalid (RFC 2616
	 * 14.25; RFC 9110 13.1.3 reads it by the origin's clock): a client
	 * that made it up, or whose clock runs ahead, would otherwise keep
	 * a stale copy for as long as it sends it.
	 */
	if (req->if_none_match.n > 0) {
		if (etag_lines_match(&req->if_none_match, etag, 1))
			return safe ? 304 : 412;
	} else if (safe && req->if_modified_since.p != NULL &&
	    http_parse_date(req->if_modified_since, &t) == 0 && t <= now &&
	    mtime <= t)
		return 304;
	return 0;
}

/* Reads a decimal number at *i; -1 if there is none or it is too large. */
static long long
range_number(struct span v, size_t *i)
{
	long long n;
	size_t used;

	if (number_prefix(v.p + *i, v.n - *i, HTTP_MAX_NUMBER, &n, &used) != 0)
		return -1;
	*i += used;
	return n;
}

/*
 * If-Range holds an entity-tag (strong match) or a date (exact match).
 * A date is a strong validator only once its second is over (RFC 9110
 * 8.8.2.2): a file changed twice within the current second shows both
 * versions with one Last-Modified, and a range of the second spliced
 * onto the first is a corrupt download.  mtime is at most now, as the
 * caller clamps it (8.8.2.1), so a file dated in the future never
 * matches by date either.
 */
static int
if_range_holds(struct span v, const char *etag, time_t mtime, time_t now)
{
	time_t t;

	/* a weak validator never matches strongly (RFC 9110 13.1.5) */
	if (v.n > 1 && v.p[0] == 'W' && v.p[1] == '/')
		return 0;
	if (v.n > 0 && v.p[0] == '"')
		return v.n == strlen(etag) && memcmp(v.p, etag, v.n) == 0;
	return http_parse_date(v, &t) == 0 && t == mtime && mtime < now;
}

/*
 * One element of a byte range list (RFC 9110 14.1.2) at *i: "a-b", "a-"
 * or "-n", with optional whitespace around it.  Sets *a (-1 for a
 * suffix) and *b (-2 for an open end).  Returns 0, 1 for an empty
 * element (5.6.1: allowed), -1 for anything else.
 */
static int
range_spec(struct span v, size_t *i, long long *a, long long *b)
{
	while (*i < v.n && (v.p[*i] == ' ' || v.p[*i] == '\t'))
		(*i)++;
	if (*i == v.n || v.p[*i] == ',')
		return 1;
	if (v.p[*i] == '-') {
		(*i)++;
		*a = -1;
		if ((*b = range_number(v, i)) < 0)
			return -1;
	} else {
		if ((*a = range_number(v, i)) < 0 || *i == v.n ||
		    v.p[(*i)++] != '-')
			return -1;
		*b = *i < v.n && v.p[*i] >= '0' && v.p[*i] <= '9' ?
		    range_number(v, i) : -2;
		if (*b == -1 || (*b >= 0 && *b < *a))
			return -1;
	}
	while (*i < v.n && (v.p[*i] == ' ' || v.p[*i] == '\t'))
		(*i)++;
	return *i == v.n || v.p[*i] == ',' ? 0 : -1;
}

int
http_choose_ranges(const struct http_request *req, long long size,
    const char *etag, time_t mtime, time_t now, struct http_range *out,
    size_t max, size_t *n)
{
	struct span v = req->range;
	long long a, b, len, total = 0;
	int specs = 0, all_of_nothing = 0, too_many = 0, fits, r;
	size_t i = 6;

	*n = 0;
	if (v.p == NULL || req->method != HTTP_GET)
		return HTTP_RANGE_FULL;
	if (req->if_range.p != NULL && !if_range_holds(req->if_range, etag,
	    mtime, now))
		return HTTP_RANGE_FULL;
	/* a unit we do not know is ignored (14.2) */
	if (v.n < 6 || !span_eq((struct span){ v.p, 6 }, "bytes="))
		return HTTP_RANGE_FULL;
	for (;;) {
		/* a list we cannot read is refused, as nginx refuses it */
		if ((r = range_spec(v, &i, &a, &b)) < 0)
			return 416;
		if (r == 0) {
			specs++;
			fits = a < 0 ? b > 0 : a < size;
			if (a < 0 && b > 0 && size == 0)
				all_of_nothing = 1;	/* no 206 can say it */
			else if (fits && *n == max)
				too_many = 1;
			else if (fits) {
				out[*n].first = a < 0 ? (b >= size ? 0 :
				    size - b) : a;
				out[*n].last = a < 0 || b < 0 || b >= size ?
				    size - 1 : b;
				/* stops at the size + 1: never overflows */
				len = out[*n].last - out[*n].first + 1;
				total = len > size - total ? size + 1 :
				    total + len;
				(*n)++;
			}
		}
		if (i == v.n)
			break;
		i++;			/* the comma */
	}
	if (specs == 0)
		return 416;
	/* more than we would answer: the whole file */
	if (too_many) {
		*n = 0;
		return HTTP_RANGE_FULL;
	}
	/*
	 * Ranges that add up to more than the file (overlapping, or the
	 * same one again and again) get the file itself, as with nginx:
	 * a reply is never much larger than what it is made of.
	 */
	if (*n == 0 && all_of_nothing)
		return HTTP_RANGE_FULL;
	if (*n > 1 && total > size) {
		*n = 0;
		return HTTP_RANGE_FULL;
	}
	return *n > 0 ? 0 : 416;
}

int
http_choose_range(const struct http_request *req, long long size,
    const char *etag, time_t mtime, time_t now, long long *first,
    long long *last)
{
	struct http_range one[2];
	size_t n;
	int r;

	r = http_choose_ranges(req, size, etag, mtime, now, one, 2, &n);
	if (r != 0)
		return r;
	if (n > 1)
		return HTTP_RANGE_FULL;
	*first = one[0].first;
	*last = one[0].last;
	return 0;
}
