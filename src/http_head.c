/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What forkhttpd writes: the status table, response heads, the small HTML
 * error bodies, entity-tags and the heads of multipart/byteranges parts.
 * All but the error body are built with struct outbuf, not stdio.
 */
#include <config.h>

#include <stdio.h>

#include "http.h"
#include "outbuf.h"

#define SERVER_NAME	PACKAGE_NAME "/" PACKAGE_VERSION

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
	{ 401, "Unauthorized" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 408, "Request Timeout" },
	{ 411, "Length Required" },
	{ 412, "Precondition Failed" },
	{ 413, "Content Too Large" },
	{ 414, "URI Too Long" },
	{ 416, "Range Not Satisfiable" },
	{ 421, "Misdirected Request" },
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
	if (r->www_authenticate != NULL)
		put_field(&o, "WWW-Authenticate", r->www_authenticate);
	if (r->hsts) {
		outbuf_put_str(&o, "Strict-Transport-Security: max-age=");
		outbuf_put_signed(&o, r->hsts_max_age, 0);
		outbuf_put_mem(&o, "\r\n", 2);
	}
	if (r->content_encoding != NULL)
		put_field(&o, "Content-Encoding", r->content_encoding);
	if (r->vary_encoding)
		outbuf_put_str(&o, "Vary: Accept-Encoding\r\n");
	/* one Cache-Control field: --auth's private, --max-age's lifetime */
	if (r->cache_private || r->cache) {
		outbuf_put_str(&o, "Cache-Control: ");
		if (r->cache_private)
			outbuf_put_str(&o, r->cache ? "private, " : "private");
		if (r->cache) {
			outbuf_put_str(&o, "max-age=");
			outbuf_put_signed(&o, r->max_age, 0);
		}
		outbuf_put_mem(&o, "\r\n", 2);
	}
	if (r->cache) {
		if (http_format_date(r->expires, lm) == 0)
			return -1;
		put_field(&o, "Expires", lm);
	}
	if (r->extra != NULL)
		outbuf_put_str(&o, r->extra);
	put_field(&o, "Connection", r->keep_alive ? "keep-alive" : "close");
	outbuf_put_mem(&o, "\r\n", 2);
	return outbuf_finish(&o) == 0 ? (int)o.len : -1;
}

int
http_format_error_body(char *buf, size_t size, int status)
{
	const char *text = http_status_text(status), *why = "";
	int n;

	if (status == HTTP_PLAIN_ON_TLS) {
		status = 400;
		text = http_status_text(status);
		why = "<p>The plain HTTP request was sent to the HTTPS port."
		    "</p>";
	}
	n = snprintf(buf, size, "<!DOCTYPE html>\n<html><head><title>%d %s"
	    "</title></head>\n<body><h1>%d %s</h1>%s</body></html>\n",
	    status, text, status, text, why);
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
