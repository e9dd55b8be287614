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

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "http.h"
#include "outbuf.h"

#define SERVER_NAME	PACKAGE_NAME "/" PACKAGE_VERSION

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

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int
span_eq(struct span s, const char *lit)
{
	size_t i, n = strlen(lit);

	if (s.n != n)
		return 0;
	for (i = 0; i < n; i++)
		if (lower((unsigned char)s.p[i]) != lit[i])
			return 0;
	return 1;
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
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
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

/* A strict decimal Content-Length: digits only, no sign, no overflow. */
static int
parse_length(struct span v, long long *out)
{
	long long n = 0;
	size_t i;

	if (v.n == 0)
		return -1;
	for (i = 0; i < v.n; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return -1;
		if (n > (LLONG_MAX - 9) / 10)
			return -1;
		n = n * 10 + (v.p[i] - '0');
	}
	*out = n;
	return 0;
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

/* If-Match and If-None-Match: each line is part of one list (5.3). */
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

	switch (lower((unsigned char)name.p[0])) {
	case 'c':
		if (span_eq(name, "connection"))
			scan_connection(v, close, keep);
		else if (span_eq(name, "content-length")) {
			if (parse_length(v, &len) != 0)
				return 400;
			if (req->content_length >= 0 &&
			    req->content_length != len)
				return 400;
			req->content_length = len;
		}
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

int
http_parse_request(const char *buf, size_t len, struct http_request *req,
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

static const struct {
	int		 code;
	const char	*text;
} statuses[] = {
	{ 200, "OK" },
	{ 204, "No Content" },
	{ 206, "Partial Content" },
	{ 301, "Moved Permanently" },
	{ 304, "Not Modified" },
	{ 400, "Bad Request" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 408, "Request Timeout" },
	{ 411, "Length Required" },
	{ 412, "Precondition Failed" },
	{ 413, "Content Too Large" },
	{ 414, "URI Too Long" },
	{ 416, "Range Not Satisfiable" },
	{ 431, "Request Header Fields Too Large" },
	{ 500, "Internal Server Error" },
	{ 501, "Not Implemented" },
	{ 503, "Service Unavailable" },
	{ 505, "HTTP Version Not Supported" },
};

const char *
http_status_text(int status)
{
	size_t i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i].code == status)
			return statuses[i].text;
	return "Unknown";
}

static const char days_of_week[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* The inverse of days_from_civil() below: y-m-d of day z since 1970-01-01. */
void
http_civil_from_days(long long z, long long *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

size_t
http_format_date(time_t t, char buf[HTTP_DATE_BYTES])
{
	struct outbuf o;
	long long days, secs, y;
	int m, d;

	days = (long long)t / 86400;
	secs = (long long)t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* 0000-01-01 to 9999-12-31; outside, four digits cannot say it */
	if (days < -719528 || days > 2932896)
		return 0;
	http_civil_from_days(days, &y, &m, &d);
	outbuf_init(&o, buf, HTTP_DATE_BYTES);
	/* day -719528, 0000-01-01, was a Saturday (6) */
	outbuf_put_mem(&o, days_of_week[(days + 719528 + 6) % 7], 3);
	outbuf_put_mem(&o, ", ", 2);
	outbuf_put_digits(&o, (unsigned)d, 2);
	outbuf_put_char(&o, ' ');
	outbuf_put_mem(&o, months[m - 1], 3);
	outbuf_put_char(&o, ' ');
	outbuf_put_digits(&o, (unsigned long long)y, 4);
	outbuf_put_char(&o, ' ');
	outbuf_put_digits(&o, (unsigned long long)secs / 3600, 2);
	outbuf_put_char(&o, ':');
	outbuf_put_digits(&o, (unsigned long long)secs / 60 % 60, 2);
	outbuf_put_char(&o, ':');
	outbuf_put_digits(&o, (unsigned long long)secs % 60, 2);
	outbuf_put_mem(&o, " GMT", 4);
	return outbuf_finish(&o) == 0 ? o.len : 0;
}

/* Reads exactly n digits at *p, advancing it.  -1 if they are not digits. */
static int
digits(const char **p, const char *end, size_t n)
{
	int v = 0;

	if ((size_t)(end - *p) < n)
		return -1;
	while (n-- > 0) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (*(*p)++ - '0');
	}
	return v;
}

static int
expect(const char **p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		return -1;
	*p += n;
	return 0;
}

static int
month_of(const char **p, const char *end)
{
	int m;

	for (m = 0; m < 12; m++)
		if (expect(p, end, months[m]) == 0)
			return m;
	return -1;
}

static int
clock_of(const char **p, const char *end, struct tm *tm)
{
	if ((tm->tm_hour = digits(p, end, 2)) < 0 || expect(p, end, ":") ||
	    (tm->tm_min = digits(p, end, 2)) < 0 || expect(p, end, ":") ||
	    (tm->tm_sec = digits(p, end, 2)) < 0)
		return -1;
	return tm->tm_hour > 23 || tm->tm_min > 59 || tm->tm_sec > 60 ? -1 : 0;
}

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian (no timegm in POSIX). */
static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
valid_mday(int year, int mon, int mday)
{
	static const int mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	if (mday < 1 || mday > mdays[mon])
		return 0;
	return !(mon == 1 && mday == 29 && !leap);
}

int
http_parse_date(struct span s, time_t *t)
{
	const char *p = s.p, *end = s.p + s.n, *comma;
	struct tm tm;
	int year, wd;

	memset(&tm, 0, sizeof(tm));
	comma = memchr(p, ',', s.n);
	for (wd = 0; wd < 7; wd++)
		if (expect(&p, end, days_of_week[wd]) == 0)
			break;
	if (wd == 7)
		return -1;
	if (comma == p) {
		/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
		if (expect(&p, end, ", ") ||
		    (tm.tm_mday = digits(&p, end, 2)) < 0 ||
		    expect(&p, end, " ") || (tm.tm_mon = month_of(&p, end)) < 0 ||
		    expect(&p, end, " ") || (year = digits(&p, end, 4)) < 0 ||
		    expect(&p, end, " ") || clock_of(&p, end, &tm) ||
		    expect(&p, end, " GMT"))
			return -1;
	} else if (comma != NULL) {
		/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
		static const char *longday[7] = { "day", "day", "sday",
		    "nesday", "rsday", "day", "urday" };

		if (expect(&p, end, longday[wd]) || expect(&p, end, ", ") ||
		    (tm.tm_mday = digits(&p, end, 2)) < 0 ||
		    expect(&p, end, "-") || (tm.tm_mon = month_of(&p, end)) < 0 ||
		    expect(&p, end, "-") || (year = digits(&p, end, 2)) < 0 ||
		    expect(&p, end, " ") || clock_of(&p, end, &tm) ||
		    expect(&p, end, " GMT"))
			return -1;
		/* RFC 9110 5.6.7: a two-digit year is at most 50 years ahead */
		year += year < 70 ? 2000 : 1900;
	} else {
		/* asctime: Sun Nov  6 08:49:37 1994 */
		if (expect(&p, end, " ") || (tm.tm_mon = month_of(&p, end)) < 0 ||
		    expect(&p, end, " "))
			return -1;
		if (p < end && *p == ' ')
			p++, tm.tm_mday = digits(&p, end, 1);
		else
			tm.tm_mday = digits(&p, end, 2);
		if (tm.tm_mday < 0 || expect(&p, end, " ") ||
		    clock_of(&p, end, &tm) || expect(&p, end, " ") ||
		    (year = digits(&p, end, 4)) < 0)
			return -1;
	}
	if (p != end || !valid_mday(year, tm.tm_mon, tm.tm_mday))
		return -1;
	*t = (time_t)(days_from_civil(year, tm.tm_mon + 1, tm.tm_mday) *
	    86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
	return 0;
}

/* "Name: value\r\n" */
static void
put_field(struct outbuf *o, const char *name, const char *value)
{
	outbuf_put_str(o, name);
	outbuf_put_mem(o, ": ", 2);
	outbuf_put_str(o, value);
	outbuf_put_mem(o, "\r\n", 2);
}

/* "bytes first-last/complete" */
static void
put_byte_range(struct outbuf *o, long long first, long long last,
    long long complete)
{
	outbuf_put_mem(o, "bytes ", 6);
	outbuf_put_signed(o, first, 0);
	outbuf_put_char(o, '-');
	outbuf_put_signed(o, last, 0);
	outbuf_put_char(o, '/');
	outbuf_put_signed(o, complete, 0);
}

int
http_format_head(char *buf, size_t size, const struct http_response *r,
    const char *date)
{
	struct outbuf o;
	char lm[HTTP_DATE_BYTES];

	outbuf_init(&o, buf, size);
	outbuf_put_mem(&o, "HTTP/1.1 ", 9);
	outbuf_put_digits(&o, (unsigned)r->status, 0);
	outbuf_put_char(&o, ' ');
	outbuf_put_str(&o, http_status_text(r->status));
	outbuf_put_str(&o, "\r\nServer: " SERVER_NAME "\r\n");
	put_field(&o, "Date", date);
	if (r->content_type != NULL)
		put_field(&o, "Content-Type", r->content_type);
	if (r->content_length >= 0) {
		outbuf_put_str(&o, "Content-Length: ");
		outbuf_put_signed(&o, r->content_length, 0);
		outbuf_put_mem(&o, "\r\n", 2);
	}
	if (r->last_modified != (time_t)-1) {
		if (http_format_date(r->last_modified, lm) == 0)
			return -1;
		put_field(&o, "Last-Modified", lm);
	}
	if (r->etag != NULL)
		put_field(&o, "ETag", r->etag);
	if (r->accept_ranges)
		outbuf_put_str(&o, "Accept-Ranges: bytes\r\n");
	if (r->content_range == HTTP_CR_RANGE) {
		outbuf_put_str(&o, "Content-Range: ");
		put_byte_range(&o, r->range_first, r->range_last,
		    r->complete_length);
		outbuf_put_mem(&o, "\r\n", 2);
	}
	if (r->content_range == HTTP_CR_UNSATISFIED) {
		outbuf_put_str(&o, "Content-Range: bytes */");
		outbuf_put_signed(&o, r->complete_length, 0);
		outbuf_put_mem(&o, "\r\n", 2);
	}
	if (r->location != NULL)
		put_field(&o, "Location", r->location);
	if (r->allow != NULL)
		put_field(&o, "Allow", r->allow);
	if (r->retry_after != NULL)
		put_field(&o, "Retry-After", r->retry_after);
	put_field(&o, "Connection", r->keep_alive ? "keep-alive" : "close");
	outbuf_put_mem(&o, "\r\n", 2);
	return outbuf_finish(&o) == 0 ? (int)o.len : -1;
}

int
http_format_error_body(char *buf, size_t size, int status)
{
	const char *text = http_status_text(status);
	int n;

	n = snprintf(buf, size, "<!DOCTYPE html>\n<html><head><title>%d %s"
	    "</title></head>\n<body><h1>%d %s</h1></body></html>\n",
	    status, text, status, text);
	if (n < 0 || (size_t)n >= size)
		return -1;
	return n;
}

size_t
http_format_etag(char buf[HTTP_ETAG_BYTES], unsigned long long ino,
    long long size, long long mtime_sec, long mtime_nsec)
{
	struct outbuf o;

	outbuf_init(&o, buf, HTTP_ETAG_BYTES);
	outbuf_put_char(&o, '"');
	outbuf_put_hex(&o, ino, 0);
	outbuf_put_char(&o, '-');
	outbuf_put_hex(&o, (unsigned long long)size, 0);
	outbuf_put_char(&o, '-');
	outbuf_put_hex(&o, (unsigned long long)mtime_sec, 0);
	outbuf_put_char(&o, '.');
	outbuf_put_hex(&o, (unsigned long)mtime_nsec, 0);
	outbuf_put_char(&o, '"');
	return outbuf_finish(&o) == 0 ? o.len : 0;
}

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

/* Reads a decimal number at *i; -1 if there is none or it overflows. */
static long long
range_number(struct span v, size_t *i)
{
	long long n = 0;
	size_t start = *i;

	while (*i < v.n && v.p[*i] >= '0' && v.p[*i] <= '9') {
		if (n > (LLONG_MAX - 9) / 10)
			return -1;
		n = n * 10 + (v.p[(*i)++] - '0');
	}
	return *i == start ? -1 : n;
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
	long long a, b, total = 0;
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
				total += out[*n].last - out[*n].first + 1;
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

size_t
http_format_part_head(char *buf, size_t size, const char *boundary,
    const char *type, long long first, long long last, long long complete)
{
	struct outbuf o;

	outbuf_init(&o, buf, size);
	outbuf_put_mem(&o, "\r\n--", 4);
	outbuf_put_str(&o, boundary);
	outbuf_put_mem(&o, "\r\n", 2);
	if (type != NULL)
		put_field(&o, "Content-Type", type);
	outbuf_put_str(&o, "Content-Range: ");
	put_byte_range(&o, first, last, complete);
	outbuf_put_mem(&o, "\r\n\r\n", 4);
	return outbuf_finish(&o) == 0 ? o.len : 0;
}

size_t
http_format_part_end(char *buf, size_t size, const char *boundary)
{
	struct outbuf o;

	outbuf_init(&o, buf, size);
	outbuf_put_mem(&o, "\r\n--", 4);
	outbuf_put_str(&o, boundary);
	outbuf_put_mem(&o, "--\r\n", 4);
	return outbuf_finish(&o) == 0 ? o.len : 0;
}
