/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for range selection: http_choose_ranges() and
 * http_choose_range() on a parsed request, and the statuses of
 * http_check_preconditions().
 *
 * The input is a Range value put into a fixed GET, POST or HEAD head, with
 * an If-Range, If-None-Match, If-Match or If-Unmodified-Since line when its
 * first byte says so, or a whole request head.  The file sizes (one raw,
 * one from a table of edges), max and the server's clock come from the
 * input too.  Every answer is compared with a model written from the
 * contract in http.h and RFC 9110 14.1.2: the list is read element by
 * element ("a-b", "a-", "-n", OWS, empty elements), a bad element is 416,
 * the satisfiable ranges come back in the order asked, clipped to the
 * file, more than max of them or several adding up to more than the file
 * are HTTP_RANGE_FULL, and so is a suffix of an empty file or an If-Range
 * that does not hold (a weak tag, another tag, or a date other than mtime
 * or of a second not yet over at now).  Apart from the model: 0 <= first
 * <= last < size for every range, 1 <= n <= max, and http_choose_range()
 * agrees with the list of two.  The output arrays are heap blocks of
 * exactly max entries, so a write past them is reported.
 */
#include <config.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "http.h"

#define FUZZ_NAME	"fuzz_range"
#include "fuzz.h"

#define HEAD_BYTES	12	/* control bytes before the Range value */
#define ETAG		"\"1a-2b-3c.0\""
#define MTIME		784111777	/* Sun, 06 Nov 1994 08:49:37 GMT */
#define MTIME_TEXT	"Sun, 06 Nov 1994 08:49:37 GMT"
#define BIG_NUMBER	1000000000000000000LL	/* 10^18 */

/* n entries of sz bytes in a heap block of exactly that size. */
static void *
alloc_exact(size_t n, size_t sz)
{
	void *p = malloc(n * sz > 0 ? n * sz : 1);

	if (p == NULL)
		abort();
	return p;
}

/* The model's answer: status, and the ranges when it is 0. */
struct model {
	int		 status;
	size_t		 n;
	struct http_range r[MAX_RANGES + 1];
	int		 vague;	/* a number near LLONG_MAX: the limit is
				   not part of the contract */
};

static int
ows(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * A run of digits as a number; from 10^18 up, BIG_NUMBER and *big set.
 * -1 when s[0..n) is empty or not all digits.
 */
static long long
digits(const char *s, size_t n, int *big)
{
	unsigned long long v = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v < BIG_NUMBER)
			v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v >= BIG_NUMBER) {
		*big = 1;
		return BIG_NUMBER;
	}
	return (long long)v;
}

/* A strong entity-tag, or the date of a second that is over. */
static int
if_range_holds(struct span v, time_t now)
{
	time_t t;

	if (v.n >= 2 && v.p[0] == 'W' && v.p[1] == '/')
		return 0;
	if (v.n > 0 && v.p[0] == '"')
		return v.n == strlen(ETAG) && memcmp(v.p, ETAG, v.n) == 0;
	return http_parse_date(v, &t) == 0 && t == MTIME && MTIME < now;
}

/*
 * One element el[0..n) of the list, not empty, into m: 0, or -1 when it
 * is not "a-b", "a-" or "-n" (digits only, b not under a).
 */
static int
model_element(const char *el, size_t n, long long size, size_t max,
    struct model *m, size_t *fit, int *empty_suffix)
{
	const char *dash = memchr(el, '-', n);
	long long a, b;

	if (dash == NULL)
		return -1;
	if (dash == el) {
		/* -n: the last n bytes; none of them when n is 0 */
		if ((b = digits(dash + 1, n - 1, &m->vague)) < 0)
			return -1;
		if (b > 0 && size == 0)
			*empty_suffix = 1;
		else if (b > 0 && (*fit)++ < max) {
			m->r[m->n].first = b >= size ? 0 : size - b;
			m->r[m->n++].last = size - 1;
		}
		return 0;
	}
	a = digits(el, (size_t)(dash - el), &m->vague);
	b = (size_t)(dash - el) + 1 == n ? -2 :
	    digits(dash + 1, n - (size_t)(dash - el) - 1, &m->vague);
	if (a < 0 || b == -1 || (b >= 0 && b < a))
		return -1;
	if (a < size && (*fit)++ < max) {
		m->r[m->n].first = a;
		m->r[m->n++].last = b < 0 || b >= size ? size - 1 : b;
	}
	return 0;
}

/* What http_choose_ranges() must answer, from the contract alone. */
static void
model_ranges(const struct http_request *req, long long size, time_t now,
    size_t max, struct model *m)
{
	struct span v = req->range;
	const char *p, *stop, *comma, *el, *end;
	unsigned long long total = 0;
	size_t k, fit = 0;
	int specs = 0, empty_suffix = 0;

	memset(m, 0, sizeof(*m));
	m->status = HTTP_RANGE_FULL;
	if (v.p == NULL || req->method != HTTP_GET)
		return;
	if (req->if_range.p != NULL && !if_range_holds(req->if_range, now))
		return;
	/* the unit is case-insensitive; others are ignored */
	if (v.n < 6)
		return;
	for (k = 0; k < 6; k++)
		if ((v.p[k] | (k < 5 ? 0x20 : 0)) != "bytes="[k])
			return;

	/* elements between commas, trimmed of OWS; empty ones are allowed */
	stop = v.p + v.n;
	for (p = v.p + 6;; p = comma + 1) {
		comma = memchr(p, ',', (size_t)(stop - p));
		el = p;
		end = comma != NULL ? comma : stop;
		while (el < end && ows(*el))
			el++;
		while (end > el && ows(end[-1]))
			end--;
		if (el < end) {
			specs++;
			if (model_element(el, (size_t)(end - el), size, max,
			    m, &fit, &empty_suffix) != 0) {
				m->status = 416;
				return;
			}
		}
		if (comma == NULL)
			break;
	}
	if (specs == 0) {
		m->status = 416;
		return;
	}
	if (fit > max) {
		m->n = 0;
		return;				/* too many: the whole file */
	}
	if (fit == 0) {
		m->status = empty_suffix ? HTTP_RANGE_FULL : 416;
		return;
	}
	/* each range is at most size long: stop once past it */
	for (k = 0; k < m->n && total <= (unsigned long long)size; k++)
		total += (unsigned long long)(m->r[k].last - m->r[k].first) +
		    1;
	if (m->n > 1 && total > (unsigned long long)size) {
		m->n = 0;
		return;		/* more than the file: the whole file */
	}
	m->status = 0;
}

/* http_choose_ranges() with a list of exactly max entries, checked. */
static int
ranges(const struct http_request *req, long long size, time_t now,
    size_t max, struct http_range *keep, size_t *kept)
{
	struct http_range *out = alloc_exact(max, sizeof(*out));
	struct model m;
	size_t n = 12345, i;
	int st;

	st = http_choose_ranges(req, size, ETAG, MTIME, now, out, max, &n);
	if (st != 0 && st != HTTP_RANGE_FULL && st != 416)
		fail("ranges status outside 0, FULL and 416");
	if (st == 0) {
		if (n < 1 || n > max)
			fail("0 with n outside 1..max");
		for (i = 0; i < n; i++)
			if (out[i].first < 0 || out[i].first > out[i].last ||
			    out[i].last >= size)
				fail("a range outside the file");
	}

	model_ranges(req, size, now, max, &m);
	if (!m.vague) {
		if (st != m.status)
			fail("ranges status differs from the model");
		if (st == 0 && n != m.n)
			fail("number of ranges differs from the model");
		for (i = 0; st == 0 && i < n; i++)
			if (out[i].first != m.r[i].first ||
			    out[i].last != m.r[i].last)
				fail("a range differs from the model");
	}
	if (keep != NULL && st == 0)
		memcpy(keep, out, n * sizeof(*out));
	if (kept != NULL)
		*kept = st == 0 ? n : 0;
	free(out);
	return st;
}

static void
check_ranges(const struct http_request *req, long long size, time_t now,
    size_t max)
{
	struct http_range all[MAX_RANGES], two[2];
	long long first = -7, last = -7;
	size_t n_all, n_max, n_two, i;
	int st_all, st_max, st_two, st;

	st_all = ranges(req, size, now, MAX_RANGES, all, &n_all);
	st_max = ranges(req, size, now, max, NULL, &n_max);
	st_two = ranges(req, size, now, 2, two, &n_two);

	/* a smaller max changes only a 0 with more than max ranges */
	if (st_all == 0 && n_all > max ? st_max != HTTP_RANGE_FULL :
	    st_max != st_all || n_max != n_all)
		fail("a smaller max changes the answer otherwise");

	st = http_choose_range(req, size, ETAG, MTIME, now, &first, &last);
	if (st_two == 0 && n_two == 1) {
		if (st != 0 || first != two[0].first || last != two[0].last)
			fail("choose_range differs from the one range");
	} else if (st_two == 0) {
		if (st != HTTP_RANGE_FULL)
			fail("two ranges, but choose_range is not FULL");
	} else if (st != st_two)
		fail("choose_range status differs from choose_ranges");
	if (st != 0 && (first != -7 || last != -7))
		fail("choose_range wrote first or last without a range");
	for (i = 0; st_all == 0 && i < n_all && i < n_two; i++)
		if (st_two == 0 && (all[i].first != two[i].first ||
		    all[i].last != two[i].last))
			fail("ranges depend on max");
}

/* Does a line of the list hold exactly the entity-tag? */
static int
lists_etag(const struct span_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->line[i].n == strlen(ETAG) &&
		    memcmp(l->line[i].p, ETAG, l->line[i].n) == 0)
			return 1;
	return 0;
}

static void
check_preconditions(const struct http_request *req, time_t now)
{
	int st, safe = req->method == HTTP_GET || req->method == HTTP_HEAD;

	st = http_check_preconditions(req, ETAG, MTIME, now);
	if (st != 0 && st != 304 && st != 412)
		fail("precondition status outside 0, 304 and 412");
	if (st == 304 && !safe)
		fail("304 for a method other than GET or HEAD");
	if (st != 0 && req->if_match.n == 0 &&
	    req->if_unmodified_since.p == NULL &&
	    req->if_none_match.n == 0 && req->if_modified_since.p == NULL)
		fail("a precondition failed without one");
	if (st == 412 && req->if_match.n == 0 &&
	    req->if_unmodified_since.p == NULL && safe)
		fail("412 for GET or HEAD without If-Match or "
		    "If-Unmodified-Since");
	if (safe && req->if_match.n == 0 && req->if_unmodified_since.p ==
	    NULL && lists_etag(&req->if_none_match) && st != 304)
		fail("If-None-Match of the entity-tag is not 304");
	if (lists_etag(&req->if_match) && req->if_none_match.n == 0 &&
	    req->if_modified_since.p == NULL && st != 0)
		fail("If-Match of the entity-tag fails");
}

/* method, the Range line with value[0..vn), more and the empty line. */
static char *
build_head(const char *method, const uint8_t *value, size_t vn,
    const char *more, size_t *n)
{
	static const char mid[] = " / HTTP/1.1\r\nHost: x\r\nRange: ";
	size_t off = 0, mn = strlen(method), xn = strlen(more);
	char *buf;

	*n = mn + sizeof(mid) - 1 + vn + 2 + xn + 2;
	buf = alloc_exact(*n, 1);
	memcpy(buf, method, mn);
	off += mn;
	memcpy(buf + off, mid, sizeof(mid) - 1);
	off += sizeof(mid) - 1;
	if (vn > 0)
		memcpy(buf + off, value, vn);
	off += vn;
	memcpy(buf + off, "\r\n", 2);
	off += 2;
	memcpy(buf + off, more, xn);
	off += xn;
	memcpy(buf + off, "\r\n", 2);
	return buf;
}

static const long long sizes[] = {
	0, 1, 2, 3, 10, 100, 499, 500, 501, 1000, 4096, 65536,
	1LL << 32, 1LL << 40, LLONG_MAX / 32, LLONG_MAX / 17,
	LLONG_MAX / 16, LLONG_MAX / 2, LLONG_MAX - 1, LLONG_MAX
};

/* now - mtime */
static const time_t clock_ahead[] = { 86400, 0, 1, 1000000000 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const extra[] = {
		"If-Range: " ETAG "\r\n",
		"If-Range: \"other\"\r\n",
		"If-Range: " MTIME_TEXT "\r\n",
		"If-Range: W/" ETAG "\r\n",
		"If-None-Match: " ETAG "\r\n",
		"If-Match: \"other\"\r\n",
		"If-Unmodified-Since: Sat, 01 Jan 1994 00:00:00 GMT\r\n",
		"",
	};
	uint8_t head[HEAD_BYTES];
	const uint8_t *value;
	struct http_request req;
	size_t vn, n, used, max;
	long long fsize;
	time_t now;
	char *buf;
	int st, mode;

	memset(head, 0, sizeof(head));
	if (size > 0)
		memcpy(head, data, size < HEAD_BYTES ? size : HEAD_BYTES);
	value = data + (size < HEAD_BYTES ? size : HEAD_BYTES);
	vn = size - (size_t)(value - data);

	mode = head[0] & 3;
	/* the server's clock: mtime is at most now, the caller clamps it */
	now = MTIME + clock_ahead[head[11] & 3];
	max = head[1] % (MAX_RANGES + 1);
	if (head[2] & 0x80)
		fsize = (long long)(get_bytes(head + 3, 8) >> 1 >>
		    (head[2] & 0x3f));
	else
		fsize = sizes[head[2] % (sizeof(sizes) / sizeof(sizes[0]))];

	if (mode == 3) {
		buf = alloc_exact(vn, 1);
		if (vn > 0)
			memcpy(buf, value, vn);
		n = vn;
	} else
		buf = build_head(mode == 2 ? "HEAD" : mode == 1 ? "POST" :
		    "GET", value, vn, extra[head[0] >> 2 & 7], &n);

	st = http_parse_request(buf, n, &req, &used);
	if (st == 0) {
		check_preconditions(&req, now);
		check_ranges(&req, fsize, now, max);
		check_ranges(&req, sizes[head[1] / (MAX_RANGES + 1) %
		    (sizeof(sizes) / sizeof(sizes[0]))], now, max);
	}
	free(buf);
	return 0;
}
