/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The request parser records spans into the caller's buffer and copies
 * nothing.  It is strict where leniency lets two parsers disagree about
 * framing (bare CR, obs-fold, whitespace before a colon, conflicting
 * Content-Length) and lenient only where RFC 9112 allows it (bare LF line
 * ends, blank lines before the request line).
 */
#include <config.h>

#include <arpa/inet.h>

#include <string.h>

#include "conf.h"
#include "http.h"
#include "number.h"

/* RFC 9110 5.6.2 tchar: a table, as every byte of every field name asks. */
#define T4(a, b, c, d)	a, b, c, d
static const unsigned char tchar[128] = {
	T4(0, 0, 0, 0), T4(0, 0, 0, 0), T4(0, 0, 0, 0), T4(0, 0, 0, 0),
	T4(0, 0, 0, 0), T4(0, 0, 0, 0), T4(0, 0, 0, 0), T4(0, 0, 0, 0),
	/* space ! " # $ % & ' ( ) * + , - . / */
	T4(0, 1, 0, 1), T4(1, 1, 1, 1), T4(0, 0, 1, 1), T4(0, 1, 1, 0),
	/* 0-9 : ; < = > ? */
	T4(1, 1, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 0, 0), T4(0, 0, 0, 0),
	/* @ A-Z [ \ ] ^ _ */
	T4(0, 1, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 1, 1),
	T4(1, 1, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 1, 0), T4(0, 0, 1, 1),
	/* ` a-z { | } ~ DEL */
	T4(1, 1, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 1, 1),
	T4(1, 1, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 1, 0), T4(1, 0, 1, 0),
};
/* RFC 3986 unreserved and sub-delims: what a reg-name is made of. */
static const unsigned char namechar[128] = {
	T4(0, 0, 0, 0), T4(0, 0, 0, 0), T4(0, 0, 0, 0), T4(0, 0, 0, 0),
	T4(0, 0, 0, 0), T4(0, 0, 0, 0), T4(0, 0, 0, 0), T4(0, 0, 0, 0),
	/* space ! " # $ % & ' ( ) * + , - . / */
	T4(0, 1, 0, 0), T4(1, 0, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 1, 0),
	/* 0-9 : ; < = > ? */
	T4(1, 1, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 0, 1), T4(0, 1, 0, 0),
	/* @ A-Z [ \ ] ^ _ */
	T4(0, 1, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 1, 1),
	T4(1, 1, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 1, 0), T4(0, 0, 0, 1),
	/* ` a-z { | } ~ DEL */
	T4(0, 1, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 1, 1),
	T4(1, 1, 1, 1), T4(1, 1, 1, 1), T4(1, 1, 1, 0), T4(0, 0, 1, 0),
};
#undef T4

static int
is_tchar(unsigned char c)
{
	return c < 128 && tchar[c];
}

static const struct {
	const char	*name;
	enum http_method method;
} methods[] = {
	{ "GET", HTTP_GET }, { "HEAD", HTTP_HEAD },
	{ "OPTIONS", HTTP_OPTIONS }, { "POST", HTTP_POST },
	{ "PUT", HTTP_PUT }, { "DELETE", HTTP_DELETE },
	{ "TRACE", HTTP_TRACE }, { "CONNECT", HTTP_CONNECT },
	{ "PATCH", HTTP_PATCH },
};

/* Methods are case-sensitive (RFC 9110 9.1). */
static enum http_method
method_of(struct span m)
{
	size_t i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strlen(methods[i].name) == m.n &&
		    memcmp(methods[i].name, m.p, m.n) == 0)
			return methods[i].method;
	return HTTP_OTHER;
}

/*
 * Find the end of the line starting at buf[pos].  Returns the index of its
 * LF, or -1 when there is none yet; *end is where the content stops (before
 * a CR that ends the line).  A CR anywhere else is an error (-2).
 */
static long
line_end(const char *buf, size_t len, size_t pos, size_t *end)
{
	size_t i;

	for (i = pos; i < len; i++) {
		if (buf[i] == '\n') {
			*end = i;
			return (long)i;
		}
		if (buf[i] == '\r') {
			if (i + 1 == len)
				return -1;
			if (buf[i + 1] != '\n')
				return -2;
			*end = i;
			return (long)i + 1;
		}
	}
	return -1;
}

static int
parse_version(const char *p, size_t n, int *version)
{
	if (n != 8 || memcmp(p, "HTTP/", 5) != 0 || p[6] != '.' ||
	    p[5] < '0' || p[5] > '9' || p[7] < '0' || p[7] > '9')
		return 400;
	if (p[5] != '1')
		return 505;
	/* RFC 9110 2.5: a higher 1.x minor version is answered as 1.1. */
	*version = p[7] == '0' ? 10 : 11;
	return 0;
}

static int
is_hex(unsigned char c)
{
	return number_hex_value(c) >= 0;
}

static int
is_name_char(unsigned char c)
{
	return c < 128 && namechar[c];
}

/*
 * An IP literal without its brackets: an IPv6 address, or IPvFuture ("v"
 * 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )).
 */
static int
valid_ip_literal(const char *p, size_t n)
{
	char lit[INET6_ADDRSTRLEN];
	struct in6_addr in6;
	size_t i = 1;

	if (n > 0 && (p[0] == 'v' || p[0] == 'V')) {
		while (i < n && is_hex((unsigned char)p[i]))
			i++;
		if (i == 1 || i == n || p[i++] != '.' || i == n)
			return 0;
		for (; i < n; i++)
			if (p[i] != ':' && !is_name_char((unsigned char)p[i]))
				return 0;
		return 1;
	}
	if (n == 0 || n >= sizeof(lit))
		return 0;
	memcpy(lit, p, n);
	lit[n] = '\0';
	return inet_pton(AF_INET6, lit, &in6) == 1;
}

/*
 * uri-host [ ":" port ] (RFC 9110 4.2.1 and 7.2, RFC 3986 3.2.2): an IP
 * literal in brackets (no RFC 6874 zone: uri-host has none), or a
 * reg-name that is not empty (an http URI must name a host), then a port
 * of digits.  No userinfo; and, as nginx, no ".." in a name, which no
 * host has and a path made from it would climb.
 */
static int
valid_authority(struct span a)
{
	const char *end;
	size_t i = 0;

	if (a.n > 0 && a.p[0] == '[') {
		if ((end = memchr(a.p, ']', a.n)) == NULL ||
		    !valid_ip_literal(a.p + 1, (size_t)(end - a.p) - 1))
			return 0;
		i = (size_t)(end - a.p) + 1;
	} else {
		for (; i < a.n && a.p[i] != ':'; i++) {
			if (a.p[i] == '%') {
				if (a.n - i < 3 ||
				    !is_hex((unsigned char)a.p[i + 1]) ||
				    !is_hex((unsigned char)a.p[i + 2]))
					return 0;
				i += 2;
			} else if (!is_name_char((unsigned char)a.p[i]) ||
			    (a.p[i] == '.' && i > 0 && a.p[i - 1] == '.'))
				return 0;
		}
		if (i == 0)
			return 0;
	}
	if (i < a.n) {
		if (a.p[i] != ':')
			return 0;
		i++;
	}
	for (; i < a.n; i++)
		if (a.p[i] < '0' || a.p[i] > '9')
			return 0;
	return 1;
}

static int
parse_target(struct http_request *req)
{
	struct span t = req->target;
	const char *q, *slash;
	size_t skip;

	if (memchr(t.p, '#', t.n) != NULL)
		return 400;
	if (t.n == 1 && t.p[0] == '*') {
		if (req->method != HTTP_OPTIONS)
			return 400;
		req->path = t;
		return 0;
	}
	if (t.p[0] != '/') {
		/* absolute-form: the authority replaces Host (RFC 9112 3.2.2) */
		if (t.n > 7 && span_eq((struct span){ t.p, 7 }, "http://"))
			skip = 7;
		else if (t.n > 8 && span_eq((struct span){ t.p, 8 }, "https://"))
			skip = 8;
		else
			return 400;
		t.p += skip;
		t.n -= skip;
		slash = memchr(t.p, '/', t.n);
		q = memchr(t.p, '?', t.n);
		if (slash == NULL || (q != NULL && q < slash))
			slash = q;
		req->host.p = t.p;
		req->host.n = slash ? (size_t)(slash - t.p) : t.n;
		if (!valid_authority(req->host))
			return 400;
		req->has_host = 2;
		t.p += req->host.n;
		t.n -= req->host.n;
		if (t.n == 0 || t.p[0] == '?') {
			/* an empty path means "/" */
			req->path.p = "/";
			req->path.n = 1;
			if (t.n > 0) {
				req->query.p = t.p + 1;
				req->query.n = t.n - 1;
			}
			return 0;
		}
	}
	q = memchr(t.p, '?', t.n);
	req->path.p = t.p;
	req->path.n = q ? (size_t)(q - t.p) : t.n;
	if (q != NULL) {
		req->query.p = q + 1;
		req->query.n = t.n - req->path.n - 1;
	}
	return 0;
}

/* CTLs and DEL end a target; bytes above 0x7f go on to path_resolve */
static int
is_target_char(unsigned char c)
{
	return c > 0x20 && c != 0x7f;
}

/*
 * Can p[0..n), a request line whose end has not come yet, still become a
 * valid one?  Only the certain is judged: a method of tchars, then SP,
 * then a target free of CTLs.  A TLS ClientHello (16 03 ...) or other
 * binary sent to this port then gets its 400 at once, not after the
 * header timeout.
 */
static int
request_line_may_start(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && is_tchar((unsigned char)p[i]))
		i++;
	if (i == n)
		return 1;
	if (i == 0 || p[i] != ' ')
		return 0;
	while (i < n && p[i] == ' ')
		i++;
	for (; i < n && p[i] != ' '; i++)
		if (!is_target_char((unsigned char)p[i]))
			return 0;
	return 1;
}

static int
parse_request_line(const char *p, size_t n, struct http_request *req)
{
	size_t i = 0, start;
	int status;

	while (i < n && is_tchar((unsigned char)p[i]))
		i++;
	if (i == 0 || i == n || p[i] != ' ')
		return 400;
	req->method_name.p = p;
	req->method_name.n = i;
	req->method = method_of(req->method_name);
	while (i < n && p[i] == ' ')
		i++;
	start = i;
	for (; i < n && p[i] != ' '; i++)
		if (!is_target_char((unsigned char)p[i]))
			return 400;
	if (i == start || i == n)
		return 400;
	req->target.p = p + start;
	req->target.n = i - start;
	while (i < n && p[i] == ' ')
		i++;
	start = i;
	while (i < n && p[i] != ' ')
		i++;
	if ((status = parse_version(p + start, i - start, &req->version)) != 0)
		return status;
	while (i < n && p[i] == ' ')
		i++;
	if (i != n)
		return 400;
	return parse_target(req);
}

/* Notes the close and keep-alive options of a Connection header. */
static void
scan_connection(struct span v, int *close, int *keep)
{
	size_t i = 0, start;

	while (i < v.n) {
		while (i < v.n && (v.p[i] == ' ' || v.p[i] == '\t' ||
		    v.p[i] == ','))
			i++;
		start = i;
		while (i < v.n && v.p[i] != ',' && v.p[i] != ' ' &&
		    v.p[i] != '\t')
			i++;
		if (span_eq((struct span){ v.p + start, i - start }, "close"))
			*close = 1;
		else if (span_eq((struct span){ v.p + start, i - start },
		    "keep-alive"))
			*keep = 1;
	}
}

/*
 * A Transfer-Encoding list.  RFC 9112 6.3: unless chunked comes last,
 * and only once, the body has no length we can trust: 400.  6.1: a
 * coding we do not know before it is 501 (chunked is the only one we
 * know).  Empty elements are nothing (RFC 9110 5.6.1).  Returns 0 for
 * plain chunked.
 */
static int
transfer_codings(struct span v)
{
	size_t i = 0, start, end;
	int chunked = 0, other = 0;

	while (i < v.n) {
		while (i < v.n && (v.p[i] == ' ' || v.p[i] == '\t' ||
		    v.p[i] == ','))
			i++;
		if (i == v.n)
			break;
		start = i;
		while (i < v.n && v.p[i] != ',')
			i++;
		end = i;
		while (end > start && (v.p[end - 1] == ' ' ||
		    v.p[end - 1] == '\t'))
			end--;
		if (chunked)		/* something after chunked */
			return 400;
		if (span_eq((struct span){ v.p + start, end - start },
		    "chunked"))
			chunked = 1;
		else
			other = 1;
	}
	if (!chunked)
		return 400;
	return other ? 501 : 0;
}

static void
keep_first(struct span *field, struct span v)
{
	if (field->p == NULL)
		*field = v;
}

/*
 * A field that takes one value.  A second line makes its value a list,
 * which the recipient of If-Modified-Since and If-Unmodified-Since must
 * ignore (RFC 9110 13.1.3, 13.1.4) and which is no valid Range or
 * If-Range: keep a zero-length value, from which no date, range or
 * validator parses.
 */
static void
keep_one(struct span *field, struct span v)
{
	if (field->p == NULL)
		*field = v;
	else {
		field->p = v.p;
		field->n = 0;
	}
}

/* X-Forwarded-For, Forwarded: never a reason to refuse a request. */
static void
add_forwarded(struct http_request *req, struct span_list *l, struct span v)
{
	if (l->n == MAX_LIST_FIELD_LINES)
		req->forwarded_over = 1;
	else
		l->line[l->n++] = v;
}

/*
 * If-Match, If-None-Match and Accept-Encoding: each line is part of one
 * list (5.3).
 */
static int
add_line(struct span_list *l, struct span v)
{
	if (l->n == MAX_LIST_FIELD_LINES)
		return 431;
	l->line[l->n++] = v;
	return 0;
}

static int
parse_header(const char *p, size_t n, struct http_request *req, int *close,
    int *keep)
{
	struct span name, v;
	size_t i = 0;
	long long len;
	int status;

	while (i < n && is_tchar((unsigned char)p[i]))
		i++;
	/* obs-fold and whitespace before the colon both end up here */
	if (i == 0 || i == n || p[i] != ':')
		return 400;
	name.p = p;
	name.n = i++;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	while (n > i && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	v.p = p + i;
	v.n = n - i;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 400;
	}

	switch (span_lower((unsigned char)name.p[0])) {
	case 'a':
		if (span_eq(name, "authorization")) {
			if (v.n > MAX_AUTH_HEADER_BYTES)
				return 431;
			keep_one(&req->authorization, v);
		} else if (span_eq(name, "accept-encoding"))
			return add_line(&req->accept_encoding, v);
		break;
	case 'c':
		if (span_eq(name, "connection"))
			scan_connection(v, close, keep);
		else if (span_eq(name, "content-length")) {
			/* digits only: no sign, no space, no list */
			if (number_parse(v.p, v.n, 0, HTTP_MAX_NUMBER, &len) != 0)
				return 400;
			if (req->content_length >= 0 &&
			    req->content_length != len)
				return 400;
			req->content_length = len;
		}
		break;
	case 'f':
		if (span_eq(name, "forwarded"))
			add_forwarded(req, &req->forwarded, v);
		break;
	case 'h':
		if (span_eq(name, "host")) {
			/* RFC 9112 3.2: one Host line, always, even when an
			 * absolute-form target names the host */
			if (req->host_lines++ > 0 || !valid_authority(v))
				return 400;
			if (req->has_host == 0) {
				req->host = v;
				req->has_host = 1;
			}
		}
		break;
	case 'i':
		if (span_eq(name, "if-modified-since"))
			keep_one(&req->if_modified_since, v);
		else if (span_eq(name, "if-none-match"))
			return add_line(&req->if_none_match, v);
		else if (span_eq(name, "if-match"))
			return add_line(&req->if_match, v);
		else if (span_eq(name, "if-unmodified-since"))
			keep_one(&req->if_unmodified_since, v);
		else if (span_eq(name, "if-range"))
			keep_one(&req->if_range, v);
		break;
	case 'r':
		if (span_eq(name, "range"))
			keep_one(&req->range, v);
		else if (span_eq(name, "referer"))
			keep_first(&req->referer, v);
		break;
	case 't':
		if (span_eq(name, "transfer-encoding")) {
			/* no framing we could trust for HTTP/1.0 */
			if (req->version == 10)
				return 400;
			/* a second line puts a coding after chunked */
			if (req->chunked)
				return 400;
			if ((status = transfer_codings(v)) != 0)
				return status;
			req->chunked = 1;
		}
		break;
	case 'u':
		if (span_eq(name, "user-agent"))
			keep_first(&req->user_agent, v);
		break;
	case 'x':
		if (span_eq(name, "x-forwarded-for"))
			add_forwarded(req, &req->x_forwarded_for, v);
		break;
	}
	return 0;
}

/* Checks that need the whole head. */
static int
finish(struct http_request *req, int close, int keep)
{
	if (req->version == 11 && req->host_lines == 0)
		return 400;
	if (req->chunked && req->content_length >= 0)
		return 400;
	req->keep_alive = req->version == 11 ? !close : keep && !close;
	return 0;
}

static int
parse_head(const char *buf, size_t len, struct http_request *req,
    size_t *used)
{
	size_t pos = 0, end;
	long lf;
	int status, close = 0, keep = 0;

	memset(req, 0, sizeof(*req));
	req->content_length = -1;

	/* RFC 9112 2.2: ignore empty lines before the request line. */
	while (pos < len && (buf[pos] == '\r' || buf[pos] == '\n')) {
		if (buf[pos] == '\r' && pos + 1 < len && buf[pos + 1] != '\n')
			return 400;
		if (buf[pos] == '\r' && pos + 1 == len)
			return HTTP_NEED_MORE;
		pos += buf[pos] == '\r' ? 2 : 1;
		if (pos > MAX_REQUEST_LINE_BYTES)
			return 400;
	}

	lf = line_end(buf, len, pos, &end);
	if (lf == -2)
		return 400;
	if (lf == -1) {
		if (!request_line_may_start(buf + pos, len - pos))
			return 400;
		return len - pos > MAX_REQUEST_LINE_BYTES ? 414 :
		    len >= MAX_HEADER_BYTES ? 431 : HTTP_NEED_MORE;
	}
	req->line.p = buf + pos;
	req->line.n = end - pos;
	if (end - pos > MAX_REQUEST_LINE_BYTES)
		return 414;
	if ((status = parse_request_line(buf + pos, end - pos, req)) != 0)
		return status;
	pos = (size_t)lf + 1;

	for (;;) {
		lf = line_end(buf, len, pos, &end);
		if (lf == -2)
			return 400;
		if (lf == -1)
			return len - pos > MAX_HEADER_LINE_BYTES ||
			    len >= MAX_HEADER_BYTES ? 431 : HTTP_NEED_MORE;
		if (end == pos)
			break;
		if (end - pos > MAX_HEADER_LINE_BYTES ||
		    ++req->header_count > MAX_HEADER_COUNT)
			return 431;
		status = parse_header(buf + pos, end - pos, req, &close, &keep);
		if (status != 0)
			return status;
		pos = (size_t)lf + 1;
	}
	*used = (size_t)lf + 1;
	if (*used > MAX_HEADER_BYTES)
		return 431;
	return finish(req, close, keep);
}

/* The method of a request line that failed before it was parsed. */
static void
note_method(struct http_request *req)
{
	struct span l = req->line;
	size_t i = 0;

	while (i < l.n && is_tchar((unsigned char)l.p[i]))
		i++;
	if (i == 0 || i == l.n || l.p[i] != ' ')
		return;
	req->method_name.p = l.p;
	req->method_name.n = i;
	req->method = method_of(req->method_name);
}

int
http_parse_request(const char *buf, size_t len, struct http_request *req,
    size_t *used)
{
	int status = parse_head(buf, len, req, used);

	/* the log and the error reply need them, whatever went wrong */
	if (req->line.p == NULL)
		req->line = http_request_line(buf, len);
	if (req->method_name.p == NULL)
		note_method(req);
	return status;
}

struct span
http_request_line(const char *buf, size_t len)
{
	struct span s = { buf, len };
	const char *lf;

	while (s.n > 0 && (s.p[0] == '\r' || s.p[0] == '\n'))
		s.p++, s.n--;
	if ((lf = memchr(s.p, '\n', s.n)) != NULL)
		s.n = (size_t)(lf - s.p);
	if (s.n > 0 && s.p[s.n - 1] == '\r')
		s.n--;
	return s;
}
