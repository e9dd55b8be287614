/* SPDX-License-Identifier: BSD-2-Clause */
/* The request parser, dates, the status table and response heads. */
#include <config.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "http.h"
#include "tests.h"

static int
parse(const char *s, struct http_request *req, size_t *used)
{
	return http_parse_request(s, strlen(s), req, used);
}

static int
span_is(struct span s, const char *lit)
{
	return s.p != NULL && s.n == strlen(lit) && memcmp(s.p, lit, s.n) == 0;
}

START_TEST(parses_simple_get)
{
	const char *s = "GET /index.html HTTP/1.1\r\nHost: example.org\r\n\r\n";
	struct http_request req;
	size_t used = 0;

	ck_assert_int_eq(parse(s, &req, &used), 0);
	ck_assert_uint_eq(used, strlen(s));
	ck_assert_int_eq(req.method, HTTP_GET);
	ck_assert(span_is(req.method_name, "GET"));
	ck_assert(span_is(req.target, "/index.html"));
	ck_assert(span_is(req.path, "/index.html"));
	ck_assert_ptr_null(req.query.p);
	ck_assert_int_eq(req.version, 11);
	ck_assert(span_is(req.host, "example.org"));
	ck_assert_int_eq(req.keep_alive, 1);
	ck_assert_int_eq(req.content_length, -1);
	ck_assert_uint_eq(req.header_count, 1);
}
END_TEST

START_TEST(splits_query_from_path)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("HEAD /a/b?x=1&y=%20 HTTP/1.1\r\nHost: h\r\n\r\n",
	    &req, &used), 0);
	ck_assert_int_eq(req.method, HTTP_HEAD);
	ck_assert(span_is(req.path, "/a/b"));
	ck_assert(span_is(req.query, "x=1&y=%20"));
}
END_TEST

START_TEST(keeps_empty_query)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("GET /a? HTTP/1.1\r\nHost: h\r\n\r\n", &req,
	    &used), 0);
	ck_assert(span_is(req.path, "/a"));
	ck_assert_ptr_nonnull(req.query.p);
	ck_assert_uint_eq(req.query.n, 0);
}
END_TEST

START_TEST(http10_closes_by_default)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("GET / HTTP/1.0\r\n\r\n", &req, &used), 0);
	ck_assert_int_eq(req.version, 10);
	ck_assert_int_eq(req.keep_alive, 0);
	ck_assert_int_eq(req.has_host, 0);
}
END_TEST

START_TEST(http10_keep_alive_on_request)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
	    &req, &used), 0);
	ck_assert_int_eq(req.keep_alive, 1);
}
END_TEST

START_TEST(http11_connection_close)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: h\r\n"
	    "Connection: TE, close\r\n\r\n", &req, &used), 0);
	ck_assert_int_eq(req.keep_alive, 0);
}
END_TEST

START_TEST(close_wins_over_keep_alive)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("GET / HTTP/1.0\r\n"
	    "Connection: keep-alive, close\r\n\r\n", &req, &used), 0);
	ck_assert_int_eq(req.keep_alive, 0);
}
END_TEST

START_TEST(higher_minor_version_is_11)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("GET / HTTP/1.7\r\nHost: h\r\n\r\n", &req,
	    &used), 0);
	ck_assert_int_eq(req.version, 11);
}
END_TEST

START_TEST(absolute_form_replaces_host)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("GET http://Example.ORG:8080/x/y?q HTTP/1.1\r\n"
	    "Host: other\r\n\r\n", &req, &used), 0);
	ck_assert(span_is(req.host, "Example.ORG:8080"));
	ck_assert(span_is(req.path, "/x/y"));
	ck_assert(span_is(req.query, "q"));
}
END_TEST

START_TEST(absolute_form_without_path_is_root)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("GET HTTP://h HTTP/1.1\r\nHost: h\r\n\r\n", &req,
	    &used), 0);
	ck_assert(span_is(req.path, "/"));
	ck_assert_int_eq(parse("GET http://h?a=b HTTP/1.1\r\nHost: h\r\n\r\n",
	    &req, &used), 0);
	ck_assert(span_is(req.path, "/"));
	ck_assert(span_is(req.query, "a=b"));
}
END_TEST

START_TEST(options_asterisk)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", &req,
	    &used), 0);
	ck_assert_int_eq(req.method, HTTP_OPTIONS);
	ck_assert(span_is(req.path, "*"));
}
END_TEST

START_TEST(unknown_method_parses)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n", &req,
	    &used), 0);
	ck_assert_int_eq(req.method, HTTP_OTHER);
	ck_assert(span_is(req.method_name, "BREW"));
	/* methods are case-sensitive: "get" is not GET */
	ck_assert_int_eq(parse("get / HTTP/1.1\r\nHost: h\r\n\r\n", &req,
	    &used), 0);
	ck_assert_int_eq(req.method, HTTP_OTHER);
}
END_TEST

START_TEST(known_methods)
{
	static const struct { const char *m; enum http_method e; } t[] = {
		{ "POST", HTTP_POST }, { "PUT", HTTP_PUT },
		{ "DELETE", HTTP_DELETE }, { "TRACE", HTTP_TRACE },
		{ "PATCH", HTTP_PATCH }, { "OPTIONS", HTTP_OPTIONS },
	};
	struct http_request req;
	char buf[128];
	size_t i, used;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(buf, sizeof(buf), "%s / HTTP/1.1\r\nHost: h\r\n\r\n",
		    t[i].m);
		ck_assert_int_eq(parse(buf, &req, &used), 0);
		ck_assert_int_eq(req.method, t[i].e);
	}
}
END_TEST

START_TEST(accepts_bare_lf_and_leading_blank_lines)
{
	const char *s = "\r\n\nGET / HTTP/1.1\nHost: h\n\n";
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse(s, &req, &used), 0);
	ck_assert_uint_eq(used, strlen(s));
	ck_assert(span_is(req.host, "h"));
}
END_TEST

START_TEST(trims_header_whitespace)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nhOsT: \t h \t\r\n"
	    "User-Agent:x y\r\nReferer:  \r\n\r\n", &req, &used), 0);
	ck_assert(span_is(req.host, "h"));
	ck_assert(span_is(req.user_agent, "x y"));
	ck_assert_ptr_nonnull(req.referer.p);
	ck_assert_uint_eq(req.referer.n, 0);
}
END_TEST

START_TEST(records_forwarded_lines_and_never_refuses_them)
{
	struct http_request req;
	char head[2048];
	size_t used, len;
	int i;

	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: h\r\n"
	    "X-Forwarded-For: 192.0.2.1, 10.0.0.1\r\n"
	    "x-forwarded-for:10.0.0.2\r\nForwarded: for=192.0.2.9\r\n"
	    "X-Forwarded-Forx: no\r\n\r\n", &req, &used), 0);
	ck_assert_uint_eq(req.x_forwarded_for.n, 2);
	ck_assert(span_is(req.x_forwarded_for.line[0], "192.0.2.1, 10.0.0.1"));
	ck_assert(span_is(req.x_forwarded_for.line[1], "10.0.0.2"));
	ck_assert_uint_eq(req.forwarded.n, 1);
	ck_assert(span_is(req.forwarded.line[0], "for=192.0.2.9"));
	ck_assert_int_eq(req.forwarded_over, 0);
	/* more lines than kept: answered, and marked not to be used */
	len = (size_t)snprintf(head, sizeof(head), "GET / HTTP/1.1\r\n"
	    "Host: h\r\n");
	for (i = 0; i <= MAX_LIST_FIELD_LINES; i++)
		len += (size_t)snprintf(head + len, sizeof(head) - len,
		    "X-Forwarded-For: 192.0.2.%d\r\n", i);
	len += (size_t)snprintf(head + len, sizeof(head) - len, "\r\n");
	ck_assert_int_eq(parse(head, &req, &used), 0);
	ck_assert_int_eq(req.forwarded_over, 1);
}
END_TEST

START_TEST(records_conditional_headers)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: h\r\n"
	    "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	    "If-None-Match: \"x\"\r\nRange: bytes=0-1\r\n"
	    "If-Range: \"y\"\r\nIf-Match: *\r\n"
	    "If-Unmodified-Since: z\r\n\r\n", &req, &used), 0);
	ck_assert(span_is(req.if_modified_since,
	    "Sun, 06 Nov 1994 08:49:37 GMT"));
	ck_assert_uint_eq(req.if_none_match.n, 1);
	ck_assert(span_is(req.if_none_match.line[0], "\"x\""));
	ck_assert(span_is(req.range, "bytes=0-1"));
	ck_assert(span_is(req.if_range, "\"y\""));
	ck_assert_uint_eq(req.if_match.n, 1);
	ck_assert(span_is(req.if_match.line[0], "*"));
	ck_assert(span_is(req.if_unmodified_since, "z"));
}
END_TEST

/*
 * RFC 9110 5.3: the lines of a list field are one list; a field of one
 * value given twice is a list too, and no valid value.
 */
START_TEST(repeated_conditional_headers)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: h\r\n"
	    "If-None-Match: \"a\"\r\nIf-Match: \"m\"\r\n"
	    "If-None-Match: \"b\", \"c\"\r\nIf-Match: *\r\n"
	    "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	    "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	    "Range: bytes=0-1\r\nRange: bytes=2-3\r\n"
	    "If-Range: \"y\"\r\nIf-Range: \"y\"\r\n"
	    "If-Unmodified-Since: z\r\nIf-Unmodified-Since: z\r\n\r\n",
	    &req, &used), 0);
	ck_assert_uint_eq(req.if_none_match.n, 2);
	ck_assert(span_is(req.if_none_match.line[0], "\"a\""));
	ck_assert(span_is(req.if_none_match.line[1], "\"b\", \"c\""));
	ck_assert_uint_eq(req.if_match.n, 2);
	ck_assert(span_is(req.if_match.line[1], "*"));
	ck_assert(span_is(req.if_modified_since, ""));
	ck_assert(span_is(req.range, ""));
	ck_assert(span_is(req.if_range, ""));
	ck_assert(span_is(req.if_unmodified_since, ""));
}
END_TEST

/* Accept-Encoding: each line a part of one list, the name in any case */
START_TEST(records_accept_encoding_lines)
{
	struct http_request req;
	char head[1024];
	size_t used, n, i;

	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: h\r\n"
	    "Accept-Encoding: gzip, br\r\nAccept: */*\r\n"
	    "accept-encoding:  zstd;q=0.5 \r\n\r\n", &req, &used), 0);
	ck_assert_uint_eq(req.accept_encoding.n, 2);
	ck_assert(span_is(req.accept_encoding.line[0], "gzip, br"));
	ck_assert(span_is(req.accept_encoding.line[1], "zstd;q=0.5"));
	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n", &req,
	    &used), 0);
	ck_assert_uint_eq(req.accept_encoding.n, 0);
	n = (size_t)snprintf(head, sizeof(head), "GET / HTTP/1.1\r\nHost: h\r\n");
	for (i = 0; i <= MAX_LIST_FIELD_LINES; i++)
		n += (size_t)snprintf(head + n, sizeof(head) - n,
		    "Accept-Encoding: gzip\r\n");
	n += (size_t)snprintf(head + n, sizeof(head) - n, "\r\n");
	ck_assert_int_eq(http_parse_request(head, n, &req, &used), 431);
}
END_TEST

START_TEST(too_many_list_lines_is_431)
{
	char buf[2048];
	struct http_request req;
	size_t i, used;

	strcpy(buf, "GET / HTTP/1.1\r\nHost: h\r\n");
	for (i = 0; i < MAX_LIST_FIELD_LINES; i++)
		strcat(buf, "If-None-Match: \"x\"\r\n");
	ck_assert_int_eq(parse(strcat(buf, "\r\n"), &req, &used), 0);
	buf[strlen(buf) - 2] = '\0';
	strcat(buf, "If-None-Match: \"x\"\r\n\r\n");
	ck_assert_int_eq(parse(buf, &req, &used), 431);
}
END_TEST

/* RFC 9110 4.2.1 and 7.2, RFC 3986 3.2.2: what a Host may be. */
static const char *const good_hosts[] = {
	"h", "h:80", "h:", "example.org", "a-b.c_d~e", "127.0.0.1:8080",
	"[::1]", "[::1]:80", "[v1.fe!]", "a%41b", "!$&'()*+,;=",
	"[2001:db8::1]:443", "[::ffff:192.0.2.1]", "[V1F.a:b]", ".a", "a.",
};

START_TEST(accepts_valid_hosts)
{
	char buf[256];
	struct http_request req;
	size_t used;

	snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: %s\r\n\r\n",
	    good_hosts[_i]);
	ck_assert_msg(parse(buf, &req, &used) == 0, "Host: %s",
	    good_hosts[_i]);
	ck_assert(span_is(req.host, good_hosts[_i]));
	snprintf(buf, sizeof(buf), "GET http://%s/x HTTP/1.1\r\nHost: h\r\n"
	    "\r\n", good_hosts[_i]);
	ck_assert_msg(parse(buf, &req, &used) == 0, "http://%s/x",
	    good_hosts[_i]);
	ck_assert(span_is(req.host, good_hosts[_i]));
}
END_TEST

/*
 * RFC 3986 3.2.2: a reg-name is unreserved, pct-encoded and sub-delims.
 * Every byte in the middle of a Host name, against the grammar spelled
 * out here (':' starts the port and '%' an escape, so they are left out).
 */
START_TEST(host_names_take_exactly_the_name_chars)
{
	const char *ok = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-._~!$&'()*+,;=";
	char buf[64];
	struct http_request req;
	size_t used;
	int c, st;

	for (c = 1; c < 256; c++) {
		if (c == ':' || c == '%' || c == '\r' || c == '\n')
			continue;
		snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: a%cb\r\n\r\n",
		    c);
		st = http_parse_request(buf, strlen(buf), &req, &used);
		ck_assert_msg(st == (strchr(ok, c) != NULL ? 0 : 400),
		    "byte %d: %d", c, st);
	}
}
END_TEST

static const char *const bad_hosts[] = {
	"", ":80", "::", "a:1:2", "a:xx", "a:8o", "[::1", "[]", "[::1]x",
	"a[b]", "a%zz", "a%4", "a%", "u@h", "a b", "a\\b", "a\"b",
	"\x80", "a<b", "..a", "a..b", "a..", "[4712::abcd::]",
	"[ab..cd::ef98:0:7654:321]", "[1.2.3.4]", "[::1%25eth0]", "[v1]",
	"[v.x]", "[vg.x]", "[v1.]",
};

START_TEST(rejects_invalid_hosts)
{
	char buf[256];
	struct http_request req;
	size_t used;

	snprintf(buf, sizeof(buf), "GET / HTTP/1.1\r\nHost: %s\r\n\r\n",
	    bad_hosts[_i]);
	ck_assert_msg(parse(buf, &req, &used) == 400, "Host: %s",
	    bad_hosts[_i]);
	snprintf(buf, sizeof(buf), "GET http://%s/x HTTP/1.1\r\nHost: h\r\n"
	    "\r\n", bad_hosts[_i]);
	ck_assert_msg(parse(buf, &req, &used) == 400, "http://%s/x",
	    bad_hosts[_i]);
}
END_TEST

START_TEST(pipelined_requests_parse_one_at_a_time)
{
	const char *s = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n"
	    "GET /2 HTTP/1.1\r\nHost: h\r\n\r\n";
	struct http_request req;
	size_t used, first;

	ck_assert_int_eq(parse(s, &req, &used), 0);
	ck_assert(span_is(req.path, "/1"));
	first = used;
	ck_assert_uint_eq(first, strlen(s) / 2);
	ck_assert_int_eq(http_parse_request(s + first, strlen(s) - first, &req,
	    &used), 0);
	ck_assert(span_is(req.path, "/2"));
}
END_TEST

START_TEST(content_length_and_chunked)
{
	struct http_request req;
	size_t used;

	ck_assert_int_eq(parse("GET / HTTP/1.1\r\nHost: h\r\n"
	    "Content-Length: 42\r\ncontent-length: 42\r\n\r\n", &req, &used), 0);
	ck_assert_int_eq(req.content_length, 42);
	ck_assert_int_eq(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	    "Transfer-Encoding: Chunked\r\n\r\n", &req, &used), 0);
	ck_assert_int_eq(req.chunked, 1);
	/* empty list elements are nothing (RFC 9110 5.6.1) */
	ck_assert_int_eq(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	    "Transfer-Encoding: , chunked ,\r\n\r\n", &req, &used), 0);
	ck_assert_int_eq(req.chunked, 1);
}
END_TEST

/* Every proper prefix of a valid head needs more bytes. */
START_TEST(every_prefix_needs_more)
{
	const char *s = "GET /a?b HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n";
	struct http_request req;
	size_t i, used;

	for (i = 0; i < strlen(s); i++)
		ck_assert_int_eq(http_parse_request(s, i, &req, &used),
		    HTTP_NEED_MORE);
	ck_assert_int_eq(http_parse_request(s, strlen(s), &req, &used), 0);
}
END_TEST

static const struct {
	const char	*in;
	int		 status;
} bad[] = {
	{ "GET / HTTP/1.1\r\n\r\n", 400 },			/* no Host */
	{ "GET /\r\n\r\n", 400 },				/* HTTP/0.9 */
	{ "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505 },
	{ "GET / HTTP/0.9\r\nHost: h\r\n\r\n", 505 },
	{ "GET / HTTP/3\r\nHost: h\r\n\r\n", 400 },
	{ "GET / http/1.1\r\nHost: h\r\n\r\n", 400 },
	{ "GET / HTTP/1.10\r\nHost: h\r\n\r\n", 400 },
	{ "GET / HTTP/1.1 x\r\nHost: h\r\n\r\n", 400 },
	{ "GET HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
	{ " GET / HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
	{ "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
	{ "GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
	{ "GET foo HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
	{ "GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
	{ "GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
	{ "GET /\x01 HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
	{ "GET /\x7f HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
	{ "GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
	{ "GET http:/// HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
	{ "GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\rHost: h\r\n\r\n", 400 },		/* bare CR */
	{ "GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", 400 },
	{ "\rGET / HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400 },	/* space before : */
	{ "GET / HTTP/1.1\r\nHost\t: h\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nNoColon\r\nHost: h\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\n: v\r\nHost: h\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", 400 }, /* fold */
	{ "GET / HTTP/1.1\r\n Host: h\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: h\r\nX: \x7f\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: x\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 1\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n"
	    "Content-Length: 2\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: h\r\n"
	    "Content-Length: 99999999999999999999\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
	    "Content-Length: 1\r\n\r\n", 400 },
	{ "GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400 },
	/* RFC 9112 6.3: chunked not last, or not there, is 400 */
	{ "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: h\r\n"
	    "Transfer-Encoding: chunked, gzip\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: h\r\n"
	    "Transfer-Encoding: chunked, chunked\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: ,\r\n\r\n", 400 },
	/* 6.1: a coding we do not know before chunked is 501 */
	{ "GET / HTTP/1.1\r\nHost: h\r\n"
	    "Transfer-Encoding: gzip, chunked\r\n\r\n", 501 },
	{ "GET / HTTP/1.1\r\nHost: h\r\n"
	    "Transfer-Encoding: chunked;x=1\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", 400 },
	{ "GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
	    "Transfer-Encoding: gzip\r\n\r\n", 400 },
	{ "GET http://h/ HTTP/1.1\r\n\r\n", 400 },	/* Host is still needed */
	{ "GET http://h/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
	{ "\x16\x03\x01\x02\x01\x01\x01\x01\xfc\x03\x03\r\n\r\n", 400 },
};

START_TEST(rejects_malformed)
{
	struct http_request req;
	size_t used;

	ck_assert_msg(parse(bad[_i].in, &req, &used) == bad[_i].status,
	    "entry %d: expected %d", _i, bad[_i].status);
}
END_TEST

/*
 * The request line as received, and its method, whatever the parser
 * says: the access log shows the line, and a HEAD gets no body in its
 * error reply either.
 */
static const struct {
	const char	*in;
	int		 status;
	const char	*line;
	const char	*method;	/* NULL: none recorded */
} lines[] = {
	{ "GET / HTTP/1.1\r\nHost: h\r\n\r\n", 0, "GET / HTTP/1.1", "GET" },
	{ "\r\n\nHEAD /x HTTP/1.1\r\nHost: h\r\nno colon\r\n\r\n", 400,
	    "HEAD /x HTTP/1.1", "HEAD" },
	{ "HEAD /a\rb HTTP/1.1\r\nHost: h\r\n\r\n", 400, "HEAD /a\rb HTTP/1.1",
	    "HEAD" },
	{ "\r\rHEAD / HTTP/1.1\r\n\r\n", 400, "HEAD / HTTP/1.1", "HEAD" },
	{ "HEAD / HTTP/1.1\r\nHost: h\r\n", HTTP_NEED_MORE, "HEAD / HTTP/1.1",
	    "HEAD" },
	{ "BREW /pot HTTP/1.1\r", HTTP_NEED_MORE, "BREW /pot HTTP/1.1", "BREW" },
	{ "GET / HTTP/3.0\r\nHost: h\r\n\r\n", 505, "GET / HTTP/3.0", "GET" },
	{ "HEAD\r\n\r\n", 400, "HEAD", NULL },
	{ "HEAD\t/ HTTP/1.1\r\n\r\n", 400, "HEAD\t/ HTTP/1.1", NULL },
	{ "\x16\x03\x01\x02\x01\r\n\r\n", 400, "\x16\x03\x01\x02\x01", NULL },
	{ "\r\n\r\n", HTTP_NEED_MORE, "", NULL },
	{ "", HTTP_NEED_MORE, "", NULL },
};

START_TEST(records_the_request_line_whatever_the_status)
{
	struct http_request req;
	size_t used;
	int st = parse(lines[_i].in, &req, &used);

	ck_assert_int_eq(st, lines[_i].status);
	ck_assert(span_is(req.line, lines[_i].line));
	if (lines[_i].method == NULL)
		ck_assert_ptr_null(req.method_name.p);
	else {
		ck_assert(span_is(req.method_name, lines[_i].method));
		ck_assert_int_eq(req.method == HTTP_HEAD,
		    strcmp(lines[_i].method, "HEAD") == 0);
	}
}
END_TEST

/* A request line too long for the limit is still known by its method. */
START_TEST(records_the_method_of_an_over_long_line)
{
	size_t n = MAX_REQUEST_LINE_BYTES + 100, used;
	char *s = malloc(n + 1);
	struct http_request req;

	ck_assert_ptr_nonnull(s);
	memset(s, 'a', n);
	memcpy(s, "HEAD /", 6);
	s[n] = '\0';
	ck_assert_int_eq(parse(s, &req, &used), 414);
	ck_assert_ptr_eq(req.line.p, s);
	ck_assert_uint_eq(req.line.n, n);
	ck_assert_int_eq(req.method, HTTP_HEAD);
	free(s);
}
END_TEST

/* Blank lines before a request, lenient as the log reads them. */
START_TEST(request_line_as_received)
{
	const char s[] = "\r\r\n\nGET / HTTP/1.1\r\nHost: h";
	struct span l = http_request_line(s, sizeof(s) - 1);

	ck_assert_ptr_eq(l.p, s + 4);
	ck_assert(span_is(l, "GET / HTTP/1.1"));
	l = http_request_line(s, 3);
	ck_assert_ptr_eq(l.p, s + 3);
	ck_assert_uint_eq(l.n, 0);
	l = http_request_line(s, 10);
	ck_assert(span_is(l, "GET / "));
}
END_TEST

START_TEST(rejects_nul_bytes)
{
	static const char in[] = "GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n";
	static const char in2[] = "GET /\0 HTTP/1.1\r\nHost: h\r\n\r\n";
	struct http_request req;
	size_t used;

	ck_assert_int_eq(http_parse_request(in, sizeof(in) - 1, &req, &used),
	    400);
	ck_assert_int_eq(http_parse_request(in2, sizeof(in2) - 1, &req, &used),
	    400);
}
END_TEST

/*
 * Bytes that can never begin a request line get their 400 before any line
 * feed comes, instead of waiting for the header timeout.
 */
static const struct {
	const char	*in;
	size_t		 len;
} junk[] = {
	/* the start of a TLS ClientHello */
	{ "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11 },
	{ "\x16", 1 },
	{ "\r\n\x16\x03", 4 },
	{ "\x00", 1 },
	{ " ", 1 },
	{ "G\x01", 2 },
	{ "G(", 2 },
	{ "GET\t", 4 },
	{ "GET\r", 4 },
	{ "GET\x80", 4 },
	{ "GET /\x01", 6 },
	{ "GET  /a\x7f", 8 },
	{ "GET /\r", 6 },
};

START_TEST(junk_is_400_before_a_line_feed)
{
	struct http_request req;
	size_t used;

	ck_assert_msg(http_parse_request(junk[_i].in, junk[_i].len, &req,
	    &used) == 400, "entry %d", _i);
}
END_TEST

/* Every prefix of a ClientHello record header is already junk. */
START_TEST(client_hello_is_400_from_its_first_byte)
{
	static const char hello[] = "\x16\x03\x01\x02\x00\x01\x00\x01"
	    "\xfc\x03\x03";
	struct http_request req;
	size_t i, used;

	for (i = 1; i < sizeof(hello); i++)
		ck_assert_msg(http_parse_request(hello, i, &req, &used) == 400,
		    "%zu bytes", i);
}
END_TEST

/* What may still become a valid request line waits for more. */
static const char *const partial[] = {
	"", "\r", "\n", "\r\n", "\r\n\r", "\r\n\n", "G", "GET", "GET ",
	"GET  /", "GET /a", "GET / ", "GET / HTTP/1.1", "GET / HTTP/1.1\r",
	"\r\n\r\nGET /", "OPTIONS *", "M-!#$%&'*+.^_`|~ /",
	"GET http://h", "GET /caf\xc3\xa9", "GET /\xff",
};

START_TEST(valid_prefixes_need_more)
{
	struct http_request req;
	size_t used;

	ck_assert_msg(parse(partial[_i], &req, &used) == HTTP_NEED_MORE,
	    "entry %d", _i);
}
END_TEST

/* Every proper prefix of each of these valid heads needs more bytes. */
static const char *const heads[] = {
	"GET http://h:80?q HTTP/1.1\r\nHost: h\r\n\r\n",
	"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
	"M-!#$%&'*+.^_`|~ /x HTTP/1.0\n\n",
	"\r\n\nGET  /caf\xc3\xa9  HTTP/1.1 \r\nHost: h\r\n\r\n",
};

START_TEST(every_prefix_of_a_valid_head_needs_more)
{
	const char *s = heads[_i];
	struct http_request req;
	size_t i, used;

	ck_assert_int_eq(parse(s, &req, &used), 0);
	for (i = 0; i < strlen(s); i++)
		ck_assert_msg(http_parse_request(s, i, &req, &used) ==
		    HTTP_NEED_MORE, "entry %d, %zu bytes", _i, i);
}
END_TEST

/* Builds "GET /aaa... HTTP/1.1" with a target of n bytes, plus tail. */
static char *
long_request(size_t n, const char *tail)
{
	char *s = malloc(n + strlen(tail) + 32);

	ck_assert_ptr_nonnull(s);
	strcpy(s, "GET /");
	memset(s + 5, 'a', n - 1);
	strcpy(s + 4 + n, " HTTP/1.1\r\n");
	strcat(s, tail);
	return s;
}

START_TEST(request_line_at_limit_is_fine)
{
	struct http_request req;
	size_t used;
	char *s = long_request(MAX_REQUEST_LINE_BYTES - 13, "Host: h\r\n\r\n");

	ck_assert_int_eq(parse(s, &req, &used), 0);
	free(s);
}
END_TEST

START_TEST(long_request_line_is_414)
{
	struct http_request req;
	size_t used;
	char *s = long_request(MAX_REQUEST_LINE_BYTES, "Host: h\r\n\r\n");

	ck_assert_int_eq(parse(s, &req, &used), 414);
	/* known as soon as the limit is passed, without a line end */
	s[MAX_REQUEST_LINE_BYTES + 1] = '\0';
	ck_assert_int_eq(parse(s, &req, &used), 414);
	free(s);
}
END_TEST

START_TEST(long_header_line_is_431)
{
	struct http_request req;
	size_t used;
	char *s = malloc(MAX_HEADER_LINE_BYTES + 64);

	ck_assert_ptr_nonnull(s);
	strcpy(s, "GET / HTTP/1.1\r\nX: ");
	memset(s + strlen(s), 'v', MAX_HEADER_LINE_BYTES);
	s[19 + MAX_HEADER_LINE_BYTES] = '\0';
	ck_assert_int_eq(parse(s, &req, &used), 431);
	strcat(s, "\r\nHost: h\r\n\r\n");
	ck_assert_int_eq(parse(s, &req, &used), 431);
	free(s);
}
END_TEST

START_TEST(too_many_headers_is_431)
{
	struct http_request req;
	size_t used, i;
	char *s = malloc(64 + (MAX_HEADER_COUNT + 1) * 8);

	ck_assert_ptr_nonnull(s);
	strcpy(s, "GET / HTTP/1.1\r\nHost: h\r\n");
	for (i = 1; i < MAX_HEADER_COUNT; i++)
		strcat(s, "X: y\r\n");
	strcat(s, "\r\n");
	ck_assert_int_eq(parse(s, &req, &used), 0);
	s[strlen(s) - 2] = '\0';
	strcat(s, "X: y\r\n\r\n");
	ck_assert_int_eq(parse(s, &req, &used), 431);
	free(s);
}
END_TEST

START_TEST(full_buffer_is_431)
{
	struct http_request req;
	size_t used, off;
	char *s = malloc(MAX_HEADER_BYTES + 1);

	ck_assert_ptr_nonnull(s);
	off = (size_t)sprintf(s, "GET / HTTP/1.1\r\n");
	while (off + 4000 < MAX_HEADER_BYTES) {
		memcpy(s + off, "X: ", 3);
		memset(s + off + 3, 'v', 3995);
		memcpy(s + off + 3998, "\r\n", 2);
		off += 4000;
	}
	memset(s + off, 'w', MAX_HEADER_BYTES - off);
	ck_assert_int_eq(http_parse_request(s, MAX_HEADER_BYTES, &req, &used),
	    431);
	free(s);
}
END_TEST

START_TEST(status_texts)
{
	ck_assert_str_eq(http_status_text(200), "OK");
	ck_assert_str_eq(http_status_text(404), "Not Found");
	ck_assert_str_eq(http_status_text(414), "URI Too Long");
	ck_assert_str_eq(http_status_text(431),
	    "Request Header Fields Too Large");
	ck_assert_str_eq(http_status_text(505), "HTTP Version Not Supported");
	ck_assert_str_eq(http_status_text(299), "Unknown");
}
END_TEST

START_TEST(formats_imf_fixdate)
{
	char buf[HTTP_DATE_BYTES];

	ck_assert_uint_eq(http_format_date(0, buf), 29);
	ck_assert_str_eq(buf, "Thu, 01 Jan 1970 00:00:00 GMT");
	ck_assert_uint_eq(http_format_date(784111777, buf), 29);
	ck_assert_str_eq(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
	ck_assert_uint_eq(http_format_date(951782400, buf), 29);
	ck_assert_str_eq(buf, "Tue, 29 Feb 2000 00:00:00 GMT");
}
END_TEST

START_TEST(formats_dates_at_the_edges)
{
	char buf[HTTP_DATE_BYTES];

	ck_assert_uint_eq(http_format_date(-1, buf), 29);
	ck_assert_str_eq(buf, "Wed, 31 Dec 1969 23:59:59 GMT");
	ck_assert_uint_eq(http_format_date((time_t)-62167219200LL, buf), 29);
	ck_assert_str_eq(buf, "Sat, 01 Jan 0000 00:00:00 GMT");
	ck_assert_uint_eq(http_format_date((time_t)253402300799LL, buf), 29);
	ck_assert_str_eq(buf, "Fri, 31 Dec 9999 23:59:59 GMT");
	/* four digits of year cannot say these */
	ck_assert_uint_eq(http_format_date((time_t)-62167219201LL, buf), 0);
	ck_assert_uint_eq(http_format_date((time_t)253402300800LL, buf), 0);
	ck_assert_uint_eq(http_format_date((time_t)LLONG_MAX, buf), 0);
	ck_assert_uint_eq(http_format_date((time_t)LLONG_MIN, buf), 0);
}
END_TEST

/* The C library's calendar as the oracle, from year 0 to 9999. */
START_TEST(formats_dates_as_gmtime_does)
{
	static const char wd[7][4] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char mon[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	char buf[HTTP_DATE_BYTES], want[64];
	long long t;
	struct tm tm;
	time_t tt;

	for (t = -62167219200LL; t <= 253402300799LL; t += 86399 * 367 + 7) {
		tt = (time_t)t;
		ck_assert_ptr_nonnull(gmtime_r(&tt, &tm));
		(void)snprintf(want, sizeof(want),
		    "%s, %02d %s %04d %02d:%02d:%02d GMT", wd[tm.tm_wday],
		    tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
		ck_assert_uint_eq(http_format_date(tt, buf), 29);
		ck_assert_str_eq(buf, want);
	}
}
END_TEST

START_TEST(parses_all_three_date_forms)
{
	static const char *forms[] = {
		"Sun, 06 Nov 1994 08:49:37 GMT",
		"Sunday, 06-Nov-94 08:49:37 GMT",
		"Sun Nov  6 08:49:37 1994",
	};
	struct span s;
	time_t t;
	size_t i;

	for (i = 0; i < 3; i++) {
		s.p = forms[i];
		s.n = strlen(forms[i]);
		t = 0;
		ck_assert_int_eq(http_parse_date(s, &t), 0);
		ck_assert_int_eq((long long)t, 784111777LL);
	}
}
END_TEST

START_TEST(date_round_trips)
{
	char buf[HTTP_DATE_BYTES];
	struct span s = { buf, 29 };
	time_t t, back;

	for (t = 0; t < (time_t)4102444800LL; t += 7654321) {
		ck_assert_uint_eq(http_format_date(t, buf), 29);
		ck_assert_int_eq(http_parse_date(s, &back), 0);
		ck_assert_int_eq((long long)back, (long long)t);
	}
}
END_TEST

START_TEST(rejects_bad_dates)
{
	static const char *bad_dates[] = {
		"", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 UTC",
		"Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 31 Feb 1994 08:49:37 GMT",
		"Mon, 29 Feb 1900 00:00:00 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
		"Sun, 06 Nov 1994 08:49:37 GMTx", "Sun, 06 Foo 1994 08:49:37 GMT",
		"Sunday, 06 Nov 1994 08:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT",
		"Sun Nov 6 08:49:37 1994", "yesterday",
	};
	struct span s;
	time_t t;
	size_t i;

	for (i = 0; i < sizeof(bad_dates) / sizeof(bad_dates[0]); i++) {
		s.p = bad_dates[i];
		s.n = strlen(bad_dates[i]);
		ck_assert_msg(http_parse_date(s, &t) == -1, "%s", bad_dates[i]);
	}
}
END_TEST

START_TEST(formats_exact_head)
{
	struct http_response r = {
		.status = 200, .content_type = "text/html",
		.content_length = 1234, .last_modified = 784111777,
		.keep_alive = 1,
	};
	char buf[512];
	const char *want = "HTTP/1.1 200 OK\r\n"
	    "Server: " PACKAGE_NAME "/" PACKAGE_VERSION "\r\n"
	    "Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
	    "Content-Type: text/html\r\n"
	    "Content-Length: 1234\r\n"
	    "Last-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	    "Connection: keep-alive\r\n\r\n";
	int n;

	n = http_format_head(buf, sizeof(buf), &r,
	    "Thu, 01 Jan 1970 00:00:00 GMT");
	ck_assert_int_eq(n, (int)strlen(want));
	ck_assert_mem_eq(buf, want, strlen(want));
}
END_TEST

START_TEST(formats_redirect_and_allow)
{
	struct http_response r = {
		.status = 301, .content_length = -1, .last_modified = -1,
		.location = "/dir/?q", .allow = "GET, HEAD",
	};
	char buf[512];
	int n;

	n = http_format_head(buf, sizeof(buf), &r,
	    "Thu, 01 Jan 1970 00:00:00 GMT");
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_ptr_nonnull(strstr(buf, "HTTP/1.1 301 Moved Permanently\r\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\r\nLocation: /dir/?q\r\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\r\nAllow: GET, HEAD\r\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\r\nConnection: close\r\n\r\n"));
	ck_assert_ptr_null(strstr(buf, "Content-Length"));
	ck_assert_ptr_null(strstr(buf, "Last-Modified"));
}
END_TEST

START_TEST(formats_encoding_cache_and_extra_fields)
{
	struct http_response r = {
		.status = 200, .content_type = "text/html",
		.content_length = 10, .last_modified = -1, .keep_alive = 1,
		.content_encoding = "br", .vary_encoding = 1, .cache = 1,
		.max_age = 3600, .expires = 784111777,
		.extra = "X-A: b\r\nX-C: d\r\n",
	};
	char buf[512];
	const char *want = "HTTP/1.1 200 OK\r\n"
	    "Server: " PACKAGE_NAME "/" PACKAGE_VERSION "\r\n"
	    "Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
	    "Content-Type: text/html\r\n"
	    "Content-Length: 10\r\n"
	    "Content-Encoding: br\r\n"
	    "Vary: Accept-Encoding\r\n"
	    "Cache-Control: max-age=3600\r\n"
	    "Expires: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	    "X-A: b\r\nX-C: d\r\n"
	    "Connection: keep-alive\r\n\r\n";
	int n;

	n = http_format_head(buf, sizeof(buf), &r,
	    "Thu, 01 Jan 1970 00:00:00 GMT");
	ck_assert_int_eq(n, (int)strlen(want));
	ck_assert_mem_eq(buf, want, strlen(want));
}
END_TEST

START_TEST(head_that_does_not_fit_fails)
{
	struct http_response r = {
		.status = 200, .content_length = 1, .last_modified = -1,
	};
	char buf[600];
	int full, size;

	full = http_format_head(buf, sizeof(buf), &r,
	    "Thu, 01 Jan 1970 00:00:00 GMT");
	ck_assert_int_gt(full, 0);
	for (size = 0; size <= full; size++)
		ck_assert_int_eq(http_format_head(buf, (size_t)size, &r,
		    "Thu, 01 Jan 1970 00:00:00 GMT"), -1);
	ck_assert_int_eq(http_format_head(buf, (size_t)full + 1, &r,
	    "Thu, 01 Jan 1970 00:00:00 GMT"), full);
}
END_TEST

START_TEST(error_body_names_status)
{
	char buf[256];
	int n = http_format_error_body(buf, sizeof(buf), 404);

	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(strlen(buf), (size_t)n);
	ck_assert_ptr_nonnull(strstr(buf, "<title>404 Not Found</title>"));
	ck_assert_int_eq(http_format_error_body(buf, 20, 404), -1);
}
END_TEST


/* A GET with the given extra header lines, parsed. */
static struct http_request
req_with(const char *headers)
{
	static char buf[1024];
	struct http_request req;
	size_t used;

	snprintf(buf, sizeof(buf), "GET /f HTTP/1.1\r\nHost: h\r\n%s\r\n",
	    headers);
	ck_assert_int_eq(http_parse_request(buf, strlen(buf), &req, &used), 0);
	return req;
}

#define ETAG	"\"1a-2b-3c.0\""
#define MTIME	((time_t)784111777)	/* Sun, 06 Nov 1994 08:49:37 GMT */
#define NOW	((time_t)1700000000)	/* Tue, 14 Nov 2023 22:13:20 GMT */

/*
 * RFC 9110 5.6.2: a field name is one or more tchar.  Every byte in the
 * middle of a name, against the grammar spelled out here.  A name that
 * contains ':' just ends there, so that byte is left out.
 */
START_TEST(field_names_take_exactly_the_tchars)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";
	struct http_request req;
	char s[64];
	size_t used, len;
	int c, want;

	for (c = 0; c < 256; c++) {
		if (c == ':')
			continue;
		want = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') ||
		    (c != 0 && memchr(extra, c, sizeof(extra) - 1) != NULL);
		len = (size_t)snprintf(s, sizeof(s),
		    "GET / HTTP/1.1\r\nHost: a\r\nX%cY: v\r\n\r\n", 'Z');
		*strchr(s, 'Z') = (char)c;
		ck_assert_msg((http_parse_request(s, len, &req, &used) == 0) ==
		    want, "byte %d", c);
	}
}
END_TEST

START_TEST(formats_etag_from_inode_size_mtime)
{
	char buf[HTTP_ETAG_BYTES];

	ck_assert_uint_eq(http_format_etag(buf, 0x1a, 0x2b, 0x3c, 0), 12);
	ck_assert_str_eq(buf, ETAG);
	ck_assert_uint_gt(http_format_etag(buf, ~0ULL, 0x7fffffffffffffffLL,
	    0x7fffffffffffffffLL, 999999999), 0);
}
END_TEST

static const struct {
	const char	*headers;
	int		 status;
} conditions[] = {
	{ "", 0 },
	{ "If-None-Match: " ETAG "\r\n", 304 },
	{ "If-None-Match: W/" ETAG "\r\n", 304 },	/* weak comparison */
	{ "If-None-Match: \"x\", " ETAG "\r\n", 304 },
	{ "If-None-Match: *\r\n", 304 },
	{ "If-None-Match: \"x\"\r\n", 0 },
	{ "If-None-Match: garbage\r\n", 0 },
	{ "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n", 304 },
	{ "If-Modified-Since: Sun, 06 Nov 1994 08:49:38 GMT\r\n", 304 },
	{ "If-Modified-Since: Sun, 06 Nov 1994 08:49:36 GMT\r\n", 0 },
	{ "If-Modified-Since: not a date\r\n", 0 },
	/* If-None-Match wins over If-Modified-Since */
	{ "If-None-Match: \"x\"\r\n"
	    "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n", 0 },
	{ "If-Match: " ETAG "\r\n", 0 },
	{ "If-Match: *\r\n", 0 },
	{ "If-Match: \"x\"\r\n", 412 },
	{ "If-Match: W/" ETAG "\r\n", 412 },	/* strong comparison */
	{ "If-Unmodified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n", 0 },
	{ "If-Unmodified-Since: Sun, 06 Nov 1994 08:49:36 GMT\r\n", 412 },
	{ "If-Unmodified-Since: bogus\r\n", 0 },
	/* If-Match is checked before If-Unmodified-Since, which it replaces */
	{ "If-Match: " ETAG "\r\n"
	    "If-Unmodified-Since: Sun, 06 Nov 1994 08:49:36 GMT\r\n", 0 },
	{ "If-Match: \"x\"\r\nIf-None-Match: " ETAG "\r\n", 412 },
	/* the lines of a list field are one list (RFC 9110 5.3) */
	{ "If-None-Match: \"x\"\r\nIf-None-Match: " ETAG "\r\n", 304 },
	{ "If-None-Match: " ETAG "\r\nIf-None-Match: \"x\"\r\n", 304 },
	{ "If-None-Match: \"x\"\r\nIf-None-Match: \"y\"\r\n", 0 },
	{ "If-Match: \"x\"\r\nIf-Match: " ETAG "\r\n", 0 },
	{ "If-Match: \"x\"\r\nIf-Match: \"y\"\r\n", 412 },
	/* a list of dates is ignored (13.1.3, 13.1.4) */
	{ "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	    "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n", 0 },
	{ "If-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
	    "If-Unmodified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n", 0 },
};

START_TEST(evaluates_preconditions)
{
	struct http_request req = req_with(conditions[_i].headers);

	ck_assert_msg(http_check_preconditions(&req, ETAG, MTIME, NOW) ==
	    conditions[_i].status, "entry %d", _i);
}
END_TEST

static const struct {
	const char	*headers;
	long long	 size;
	int		 result;
	long long	 first, last;
} ranges[] = {
	{ "", 100, HTTP_RANGE_FULL, 0, 0 },
	{ "Range: bytes=0-9\r\n", 100, 0, 0, 9 },
	{ "Range: bytes=10-\r\n", 100, 0, 10, 99 },
	{ "Range: bytes=-10\r\n", 100, 0, 90, 99 },
	{ "Range: bytes=-1000\r\n", 100, 0, 0, 99 },
	{ "Range: bytes=50-1000\r\n", 100, 0, 50, 99 },
	{ "Range: bytes=99-99\r\n", 100, 0, 99, 99 },
	{ "Range: BYTES=0-0\r\n", 100, 0, 0, 0 },
	{ "Range: bytes=100-\r\n", 100, 416, 0, 0 },
	{ "Range: bytes=100-200\r\n", 100, 416, 0, 0 },
	{ "Range: bytes=-0\r\n", 100, 416, 0, 0 },
	{ "Range: bytes=0-\r\n", 0, 416, 0, 0 },
	/* all of an empty file: satisfiable, and no 206 can say it */
	{ "Range: bytes=-1\r\n", 0, HTTP_RANGE_FULL, 0, 0 },
	{ "Range: bytes=-0\r\n", 0, 416, 0, 0 },
	{ "Range: bytes=0-0\r\n", 0, 416, 0, 0 },
	{ "Range: bytes=0-1\r\nRange: bytes=0-1\r\n", 100, HTTP_RANGE_FULL,
	    0, 0 },
	{ "Range: bytes=0-1\r\nIf-Range: " ETAG "\r\nIf-Range: " ETAG
	    "\r\n", 100, HTTP_RANGE_FULL, 0, 0 },
	/* a list that cannot be read is 416, as with nginx */
	{ "Range: bytes=5-4\r\n", 100, 416, 0, 0 },
	{ "Range: bytes=a-b\r\n", 100, 416, 0, 0 },
	{ "Range: bytes=-\r\n", 100, 416, 0, 0 },
	{ "Range: bytes=\r\n", 100, 416, 0, 0 },
	{ "Range: bytes=,\r\n", 100, 416, 0, 0 },
	{ "Range: bytes=10\r\n", 100, 416, 0, 0 },
	{ "Range: bytes=0--\r\n", 100, 416, 0, 0 },
	{ "Range: bytes=-2-3\r\n", 100, 416, 0, 0 },
	{ "Range: bytes=10-11 12-\r\n", 100, 416, 0, 0 },
	{ "Range: bytes=0-1,x\r\n", 100, 416, 0, 0 },
	{ "Range: bytes=99999999999999999999-\r\n", 100, 416, 0, 0 },
	/* empty elements and whitespace are allowed (RFC 9110 5.6.1) */
	{ "Range: bytes=0-1,\r\n", 100, 0, 0, 1 },
	{ "Range: bytes= , 2-3 ,\r\n", 100, 0, 2, 3 },
	/* several ranges: the one that fits, or the whole file */
	{ "Range: bytes=0-1,5-6\r\n", 100, HTTP_RANGE_FULL, 0, 0 },
	{ "Range: bytes=500-600, 5-6\r\n", 100, 0, 5, 6 },
	{ "Range: bytes=500-600,700-\r\n", 100, 416, 0, 0 },
	{ "Range: items=0-1\r\n", 100, HTTP_RANGE_FULL, 0, 0 },
	{ "Range: bytes=0-1\r\nIf-Range: " ETAG "\r\n", 100, 0, 0, 1 },
	{ "Range: bytes=0-1\r\nIf-Range: \"x\"\r\n", 100, HTTP_RANGE_FULL,
	    0, 0 },
	{ "Range: bytes=0-1\r\nIf-Range: W/" ETAG "\r\n", 100,
	    HTTP_RANGE_FULL, 0, 0 },
	{ "Range: bytes=0-1\r\nIf-Range: Sun, 06 Nov 1994 08:49:37 GMT\r\n",
	    100, 0, 0, 1 },
	{ "Range: bytes=0-1\r\nIf-Range: Sun, 06 Nov 1994 08:49:38 GMT\r\n",
	    100, HTTP_RANGE_FULL, 0, 0 },
};

START_TEST(chooses_ranges)
{
	struct http_request req = req_with(ranges[_i].headers);
	long long first = -1, last = -1;
	int r;

	r = http_choose_range(&req, ranges[_i].size, ETAG, MTIME, NOW, &first,
	    &last);
	ck_assert_msg(r == ranges[_i].result, "entry %d: %d", _i, r);
	if (r == 0) {
		ck_assert_int_eq(first, ranges[_i].first);
		ck_assert_int_eq(last, ranges[_i].last);
	}
}
END_TEST

/* An If-Range date is a date whatever day it names. */
START_TEST(if_range_date_on_a_wednesday)
{
	static const char *const forms[] = {
		"Wed, 01 Jan 2020 00:00:00 GMT",
		"Wednesday, 01-Jan-20 00:00:00 GMT",
		"Wed Jan  1 00:00:00 2020",
	};
	const time_t wed = 1577836800;	/* 2020-01-01T00:00:00Z */
	char h[128];
	struct http_request req;
	long long first = -1, last = -1;
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(h, sizeof(h), "Range: bytes=0-9\r\nIf-Range: %s\r\n",
		    forms[i]);
		req = req_with(h);
		ck_assert_msg(http_choose_range(&req, 100, ETAG, wed, NOW,
		    &first, &last) == 0, "%s", forms[i]);
		ck_assert_int_eq(first, 0);
		ck_assert_int_eq(last, 9);
		ck_assert_int_eq(http_choose_range(&req, 100, ETAG, wed + 1,
		    NOW, &first, &last), HTTP_RANGE_FULL);
	}
}
END_TEST

/* Several ranges, for a multipart/byteranges reply. */
START_TEST(chooses_several_ranges)
{
	struct http_range rg[MAX_RANGES];
	struct http_request req;
	char h[1024];
	size_t n, i;

	req = req_with("Range: bytes=0-1, -10,5-9\r\n");
	ck_assert_int_eq(http_choose_ranges(&req, 100, ETAG, MTIME, NOW, rg,
	    MAX_RANGES, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert(rg[0].first == 0 && rg[0].last == 1);
	ck_assert(rg[1].first == 90 && rg[1].last == 99);
	ck_assert(rg[2].first == 5 && rg[2].last == 9);
	/* more than the file, in all: the file itself, as with nginx */
	req = req_with("Range: bytes=0-1, -10,5-\r\n");
	ck_assert_int_eq(http_choose_ranges(&req, 100, ETAG, MTIME, NOW, rg,
	    MAX_RANGES, &n), HTTP_RANGE_FULL);
	req = req_with("Range: bytes=0-59,40-99\r\n");
	ck_assert_int_eq(http_choose_ranges(&req, 100, ETAG, MTIME, NOW, rg,
	    MAX_RANGES, &n), HTTP_RANGE_FULL);
	/* unsatisfiable ones are left out */
	req = req_with("Range: bytes=500-,0-0,200-300,9-9\r\n");
	ck_assert_int_eq(http_choose_ranges(&req, 100, ETAG, MTIME, NOW, rg,
	    MAX_RANGES, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert(rg[0].first == 0 && rg[0].last == 0);
	ck_assert(rg[1].first == 9 && rg[1].last == 9);
	/* MAX_RANGES, and one more */
	strcpy(h, "Range: bytes=0-0");
	for (i = 1; i < MAX_RANGES; i++)
		snprintf(h + strlen(h), sizeof(h) - strlen(h), ",%zu-%zu", i, i);
	req = req_with(strcat(h, "\r\n"));
	ck_assert_int_eq(http_choose_ranges(&req, 100, ETAG, MTIME, NOW, rg,
	    MAX_RANGES, &n), 0);
	ck_assert_uint_eq(n, MAX_RANGES);
	h[strlen(h) - 2] = '\0';
	req = req_with(strcat(h, ",50-50\r\n"));
	ck_assert_int_eq(http_choose_ranges(&req, 100, ETAG, MTIME, NOW, rg,
	    MAX_RANGES, &n), HTTP_RANGE_FULL);
	/* the whole list is read, however long */
	h[strlen(h) - 2] = '\0';
	req = req_with(strcat(h, ",x\r\n"));
	ck_assert_int_eq(http_choose_ranges(&req, 100, ETAG, MTIME, NOW, rg,
	    MAX_RANGES, &n), 416);
}
END_TEST

/*
 * If-Modified-Since later than the server's clock is no valid date (RFC
 * 2616 14.25) and is ignored, as nginx and Apache do; If-Unmodified-Since
 * has no such rule.
 */
static const struct {
	const char	*headers;
	int		 method;
	time_t		 now;
	int		 status;
} clock_conditions[] = {
	/* the date is MTIME */
	{ "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n", HTTP_GET,
	    MTIME, 304 },
	{ "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n", HTTP_GET,
	    MTIME + 1, 304 },
	{ "If-Modified-Since: Sun, 06 Nov 1994 08:49:38 GMT\r\n", HTTP_GET,
	    MTIME + 1, 304 },
	{ "If-Modified-Since: Sun, 06 Nov 1994 08:49:38 GMT\r\n", HTTP_GET,
	    MTIME, 0 },
	{ "If-Modified-Since: Sun, 06 Nov 1994 08:49:38 GMT\r\n", HTTP_HEAD,
	    MTIME, 0 },
	{ "If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT\r\n", HTTP_GET,
	    NOW, 0 },
	{ "If-Modified-Since: Thursday, 01-Jan-37 00:00:00 GMT\r\n",
	    HTTP_GET, NOW, 0 },
	{ "If-Modified-Since: Fri Jan  1 00:00:00 2100\r\n", HTTP_GET, NOW,
	    0 },
	{ "If-Unmodified-Since: Fri, 31 Dec 9999 23:59:59 GMT\r\n", HTTP_GET,
	    NOW, 0 },
	{ "If-Unmodified-Since: Sun, 06 Nov 1994 08:49:36 GMT\r\n", HTTP_GET,
	    NOW, 412 },
	/* If-None-Match still decides when it is there */
	{ "If-None-Match: " ETAG "\r\n"
	    "If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT\r\n", HTTP_GET,
	    NOW, 304 },
};

START_TEST(if_modified_since_in_the_future_is_ignored)
{
	struct http_request req = req_with(clock_conditions[_i].headers);

	req.method = clock_conditions[_i].method;
	ck_assert_msg(http_check_preconditions(&req, ETAG, MTIME,
	    clock_conditions[_i].now) == clock_conditions[_i].status,
	    "entry %d", _i);
}
END_TEST

/*
 * An If-Range date is a strong validator only once its second is over
 * (RFC 9110 8.8.2.2): the file may change again within it.
 */
static const struct {
	time_t		 mtime, now;
	int		 result;
} if_range_clock[] = {
	{ MTIME, MTIME + 1, 0 },
	{ MTIME, NOW, 0 },
	{ MTIME, MTIME, HTTP_RANGE_FULL },
	/* a future date never names a file: mtime is at most now */
	{ MTIME, MTIME - 1, HTTP_RANGE_FULL },
};

START_TEST(if_range_date_holds_only_once_its_second_is_over)
{
	struct http_request req = req_with("Range: bytes=0-9\r\n"
	    "If-Range: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
	struct http_range rg[MAX_RANGES];
	long long first, last;
	size_t n;

	ck_assert_msg(http_choose_range(&req, 100, ETAG,
	    if_range_clock[_i].mtime, if_range_clock[_i].now, &first,
	    &last) == if_range_clock[_i].result, "entry %d", _i);
	ck_assert_msg(http_choose_ranges(&req, 100, ETAG,
	    if_range_clock[_i].mtime, if_range_clock[_i].now, rg, MAX_RANGES,
	    &n) == if_range_clock[_i].result, "entry %d", _i);
}
END_TEST

START_TEST(formats_multipart_delimiters)
{
	char buf[128];

	ck_assert_uint_eq(http_format_part_head(buf, sizeof(buf), "B",
	    "text/plain", 3, 4, 11), strlen(buf));
	ck_assert_str_eq(buf, "\r\n--B\r\nContent-Type: text/plain\r\n"
	    "Content-Range: bytes 3-4/11\r\n\r\n");
	ck_assert_uint_eq(http_format_part_end(buf, sizeof(buf), "B"), 9);
	ck_assert_str_eq(buf, "\r\n--B--\r\n");
	ck_assert_uint_eq(http_format_part_end(buf, 9, "B"), 0);
	ck_assert_uint_eq(http_format_part_head(buf, 20, "B", "text/plain",
	    3, 4, 11), 0);
}
END_TEST

START_TEST(range_only_for_get)
{
	struct http_request req = req_with("Range: bytes=0-1\r\n");
	long long first, last;

	req.method = HTTP_HEAD;
	ck_assert_int_eq(http_choose_range(&req, 100, ETAG, MTIME, NOW, &first,
	    &last), HTTP_RANGE_FULL);
}
END_TEST

START_TEST(formats_content_range)
{
	struct http_response r = {
		.status = 206, .content_length = 10, .last_modified = -1,
		.content_range = HTTP_CR_RANGE, .range_first = 0,
		.range_last = 9, .complete_length = 100, .etag = ETAG,
		.accept_ranges = 1,
	};
	char buf[512];
	int n;

	n = http_format_head(buf, sizeof(buf), &r,
	    "Thu, 01 Jan 1970 00:00:00 GMT");
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_ptr_nonnull(strstr(buf, "\r\nContent-Range: bytes 0-9/100\r\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\r\nETag: " ETAG "\r\n"));
	ck_assert_ptr_nonnull(strstr(buf, "\r\nAccept-Ranges: bytes\r\n"));
	r.content_range = HTTP_CR_UNSATISFIED;
	n = http_format_head(buf, sizeof(buf), &r,
	    "Thu, 01 Jan 1970 00:00:00 GMT");
	buf[n] = '\0';
	ck_assert_ptr_nonnull(strstr(buf, "\r\nContent-Range: bytes */100\r\n"));
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("parse");
	TCase *lim = tcase_create("limits");
	TCase *fmt = tcase_create("format");
	TCase *cond = tcase_create("conditional");

	tcase_add_test(tc, parses_simple_get);
	tcase_add_test(tc, field_names_take_exactly_the_tchars);
	tcase_add_test(tc, splits_query_from_path);
	tcase_add_test(tc, keeps_empty_query);
	tcase_add_test(tc, http10_closes_by_default);
	tcase_add_test(tc, http10_keep_alive_on_request);
	tcase_add_test(tc, http11_connection_close);
	tcase_add_test(tc, close_wins_over_keep_alive);
	tcase_add_test(tc, higher_minor_version_is_11);
	tcase_add_test(tc, absolute_form_replaces_host);
	tcase_add_test(tc, absolute_form_without_path_is_root);
	tcase_add_test(tc, options_asterisk);
	tcase_add_test(tc, unknown_method_parses);
	tcase_add_test(tc, known_methods);
	tcase_add_test(tc, accepts_bare_lf_and_leading_blank_lines);
	tcase_add_test(tc, trims_header_whitespace);
	tcase_add_test(tc, records_forwarded_lines_and_never_refuses_them);
	tcase_add_test(tc, records_conditional_headers);
	tcase_add_test(tc, repeated_conditional_headers);
	tcase_add_test(tc, records_accept_encoding_lines);
	tcase_add_loop_test(tc, accepts_valid_hosts, 0,
	    (int)(sizeof(good_hosts) / sizeof(good_hosts[0])));
	tcase_add_test(tc, host_names_take_exactly_the_name_chars);
	tcase_add_loop_test(tc, rejects_invalid_hosts, 0,
	    (int)(sizeof(bad_hosts) / sizeof(bad_hosts[0])));
	tcase_add_test(tc, pipelined_requests_parse_one_at_a_time);
	tcase_add_test(tc, content_length_and_chunked);
	tcase_add_test(tc, every_prefix_needs_more);
	tcase_add_loop_test(tc, rejects_malformed, 0,
	    sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, rejects_nul_bytes);
	tcase_add_loop_test(tc, records_the_request_line_whatever_the_status, 0,
	    sizeof(lines) / sizeof(lines[0]));
	tcase_add_test(tc, records_the_method_of_an_over_long_line);
	tcase_add_test(tc, request_line_as_received);
	tcase_add_loop_test(tc, junk_is_400_before_a_line_feed, 0,
	    sizeof(junk) / sizeof(junk[0]));
	tcase_add_test(tc, client_hello_is_400_from_its_first_byte);
	tcase_add_loop_test(tc, valid_prefixes_need_more, 0,
	    sizeof(partial) / sizeof(partial[0]));
	tcase_add_loop_test(tc, every_prefix_of_a_valid_head_needs_more, 0,
	    sizeof(heads) / sizeof(heads[0]));
	suite_add_tcase(s, tc);

	tcase_add_test(lim, request_line_at_limit_is_fine);
	tcase_add_test(lim, long_request_line_is_414);
	tcase_add_test(lim, long_header_line_is_431);
	tcase_add_test(lim, too_many_headers_is_431);
	tcase_add_test(lim, too_many_list_lines_is_431);
	tcase_add_test(lim, full_buffer_is_431);
	suite_add_tcase(s, lim);

	tcase_add_test(fmt, status_texts);
	tcase_add_test(fmt, formats_imf_fixdate);
	tcase_add_test(fmt, formats_dates_at_the_edges);
	tcase_add_test(fmt, formats_dates_as_gmtime_does);
	tcase_add_test(fmt, parses_all_three_date_forms);
	tcase_add_test(fmt, date_round_trips);
	tcase_add_test(fmt, rejects_bad_dates);
	tcase_add_test(fmt, formats_exact_head);
	tcase_add_test(fmt, formats_redirect_and_allow);
	tcase_add_test(fmt, formats_encoding_cache_and_extra_fields);
	tcase_add_test(fmt, head_that_does_not_fit_fails);
	tcase_add_test(fmt, error_body_names_status);
	tcase_add_test(fmt, formats_etag_from_inode_size_mtime);
	tcase_add_test(fmt, formats_content_range);
	suite_add_tcase(s, fmt);

	tcase_add_loop_test(cond, evaluates_preconditions, 0,
	    sizeof(conditions) / sizeof(conditions[0]));
	tcase_add_loop_test(cond, chooses_ranges, 0,
	    sizeof(ranges) / sizeof(ranges[0]));
	tcase_add_test(cond, range_only_for_get);
	tcase_add_test(cond, if_range_date_on_a_wednesday);
	tcase_add_test(cond, chooses_several_ranges);
	tcase_add_loop_test(cond, if_modified_since_in_the_future_is_ignored, 0,
	    sizeof(clock_conditions) / sizeof(clock_conditions[0]));
	tcase_add_loop_test(cond,
	    if_range_date_holds_only_once_its_second_is_over, 0,
	    sizeof(if_range_clock) / sizeof(if_range_clock[0]));
	tcase_add_test(fmt, formats_multipart_delimiters);
	suite_add_tcase(s, cond);
	return s;
}
