/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for the request-head parser and the HTTP-date parser.
 *
 * Every parse works on a private heap copy of exactly the bytes it is
 * allowed to see, so AddressSanitizer reports any read past the end.  A
 * broken invariant calls abort() after saying which one on stderr.
 *
 * Build: see README in this directory.  The one documented exception to
 * "every span points into buf" is the static "/" the parser gives as the
 * path of an absolute-form target without one ("GET http://host HTTP/1.1").
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "http.h"

#define FUZZ_NAME	"fuzz_http"
#include "fuzz.h"

static int
status_ok(int st)
{
	return st == 0 || st == HTTP_NEED_MORE || (st >= 400 && st <= 599);
}

/* A span must be unset (p NULL) or lie wholly inside the head buf[0..n). */
static void
check_span(const char *name, struct span s, const char *buf, size_t n)
{
	uintptr_t lo = (uintptr_t)buf, hi = lo + n, p = (uintptr_t)s.p;

	if (s.p == NULL) {
		if (s.n != 0)
			fail(name);
		return;
	}
	if (strcmp(name, "path") == 0 && s.n == 1 && s.p[0] == '/' &&
	    (p < lo || p >= hi))
		return;
	if (p < lo || p >= hi || s.n > hi - p)
		fail(name);
}

static void
check_list(const char *name, const struct span_list *l, const char *buf,
    size_t n)
{
	size_t i;

	if (l->n > MAX_LIST_FIELD_LINES)
		fail(name);
	for (i = 0; i < l->n; i++) {
		if (l->line[i].p == NULL)
			fail(name);
		check_span(name, l->line[i], buf, n);
	}
}

static void
check_request(const struct http_request *r, const char *buf, size_t used)
{
	check_span("method_name", r->method_name, buf, used);
	check_span("target", r->target, buf, used);
	check_span("path", r->path, buf, used);
	check_span("query", r->query, buf, used);
	check_span("host", r->host, buf, used);
	check_span("if_modified_since", r->if_modified_since, buf, used);
	check_list("if_none_match", &r->if_none_match, buf, used);
	check_list("if_match", &r->if_match, buf, used);
	check_span("if_unmodified_since", r->if_unmodified_since, buf, used);
	check_span("range", r->range, buf, used);
	check_span("if_range", r->if_range, buf, used);
	check_span("referer", r->referer, buf, used);
	check_span("user_agent", r->user_agent, buf, used);

	if (r->method_name.n == 0 || r->target.n == 0 || r->path.n == 0)
		fail("empty method, target or path");
	if (r->version != 10 && r->version != 11)
		fail("version is neither 10 nor 11");
	if (r->header_count > MAX_HEADER_COUNT)
		fail("more header lines than MAX_HEADER_COUNT");
	if (r->content_length < -1)
		fail("negative content_length");
	if (r->chunked && r->content_length >= 0)
		fail("both chunked and Content-Length accepted");
}

/*
 * Whatever the status: the request line is the one http_request_line()
 * finds, and a method, when noted, is where that line starts.
 */
static void
check_line(const struct http_request *r, const char *buf, size_t n)
{
	struct span l = http_request_line(buf, n);

	if (r->line.p == NULL || r->line.p != l.p || r->line.n != l.n)
		fail("line is not the request line as received");
	if (l.p < buf || l.n > n - (size_t)(l.p - buf))
		fail("line");
	if (r->method_name.p != NULL && (r->method_name.p != l.p ||
	    r->method_name.n >= l.n || l.p[r->method_name.n] != ' '))
		fail("method_name is not the start of the line");
}

/*
 * The validators and ranges of a parsed request, against a few files: a
 * status that is no status, or a range outside the file, is a bug.
 */
static void
conditions(const struct http_request *r)
{
	static const long long sizes[] = { 0, 1, 2, 100 };
	long long first, last;
	size_t i;
	int st;

	st = http_check_preconditions(r, "\"1a-2b-3c.0\"", 784111777,
	    784111777 + 86400);
	if (st != 0 && st != 304 && st != 412)
		fail("precondition status outside 0, 304, 412");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		first = last = -1;
		st = http_choose_range(r, sizes[i], "\"1a-2b-3c.0\"",
		    784111777, 784111777 + 86400, &first, &last);
		if (st != 0 && st != HTTP_RANGE_FULL && st != 416)
			fail("range status outside 0, FULL, 416");
		if (st == 0 && (first < 0 || first > last ||
		    last >= sizes[i]))
			fail("range outside the file");
	}
}

/* A date that parses must format and parse back to the same instant. */
static void
date_roundtrip(struct span s)
{
	char text[HTTP_DATE_BYTES];
	time_t t, back;

	if (http_parse_date(s, &t) != 0)
		return;
	if (http_format_date(t, text) != HTTP_DATE_BYTES - 1)
		return;		/* out of the four-digit-year range */
	if (http_parse_date((struct span){ text, HTTP_DATE_BYTES - 1 },
	    &back) != 0)
		fail("formatted date does not parse");
	if (back != t)
		fail("date does not survive format and parse");
}

/* The span's bytes copied to their own exact buffer, then date-parsed. */
static void
date_of_span(struct span s)
{
	char *copy;

	if (s.p == NULL)
		return;
	copy = dup_exact(s.p, s.n);
	date_roundtrip((struct span){ copy, s.n });
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request req, again;
	size_t used = 0, used2 = 0, half = size / 2, hused = 0;
	char *buf, *head, *pre;
	int st, st2, hst;

	buf = dup_exact(data, size);
	st = http_parse_request(buf, size, &req, &used);
	if (!status_ok(st))
		fail("status outside 0, 1 and 400..599");
	check_line(&req, buf, size);

	if (st == 0) {
		if (used == 0 || used > size)
			fail("used is 0 or past the input");
		if (used > MAX_HEADER_BYTES)
			fail("head longer than MAX_HEADER_BYTES accepted");
		check_request(&req, buf, used);
		date_of_span(req.if_modified_since);
		date_of_span(req.if_unmodified_since);
		conditions(&req);

		/* The head alone must parse the same way. */
		head = dup_exact(buf, used);
		st2 = http_parse_request(head, used, &again, &used2);
		if (st2 != 0 || used2 != used)
			fail("head alone does not reparse to the same length");
		if (again.method != req.method ||
		    again.version != req.version ||
		    again.keep_alive != req.keep_alive ||
		    again.has_host != req.has_host ||
		    again.content_length != req.content_length ||
		    again.chunked != req.chunked ||
		    again.header_count != req.header_count ||
		    again.target.n != req.target.n ||
		    again.target.p - head != req.target.p - buf)
			fail("head alone parses to a different request");
		free(head);
	}

	/* A prefix: half a request must never crash or read past its end. */
	pre = dup_exact(buf, half);
	hst = http_parse_request(pre, half, &again, &hused);
	if (!status_ok(hst))
		fail("prefix status outside 0, 1 and 400..599");
	if (hst == 0) {
		if (hused == 0 || hused > half)
			fail("prefix used is 0 or past the prefix");
		check_request(&again, pre, hused);
	}
	if (st == 0 && used <= half && (hst != 0 || hused != used))
		fail("prefix holding the whole head parses differently");
	free(pre);

	/* The whole input as a date, in every form http_parse_date knows. */
	date_roundtrip((struct span){ buf, size });

	free(buf);
	return 0;
}
