/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The --status listener's replies, built in memory from a reading of the
 * shared counters and scoreboard (metrics.h): the body is formatted into
 * a buffer that doubles until it fits, then sent like any in-memory body.
 * The reading is what one process sees at one moment; rows and counters
 * change while they are read, so sums may be off by what was in flight.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conn_ops.h"
#include "metrics.h"
#include "outbuf.h"
#include "status.h"

enum page { PAGE_METRICS, PAGE_HTML, PAGE_TEXT };

static int
span_is(struct span s, const char *text)
{
	return s.p != NULL && s.n == strlen(text) && memcmp(s.p, text, s.n) == 0;
}

/* The body of page into a buffer of the caller's to free, or NULL. */
static char *
build(enum page page, size_t *len)
{
	struct metrics_snapshot s;
	struct metrics_client *c = NULL;
	struct outbuf o;
	size_t n = 0, size;
	char *buf;

	metrics_read(&s);
	if (page != PAGE_METRICS) {
		if ((c = calloc(METRICS_SHOWN_ROWS, sizeof(*c))) == NULL)
			return NULL;
		n = metrics_clients(c, METRICS_SHOWN_ROWS, conn_now_ms());
	}
	for (size = STATUS_BODY_BYTES; size <= STATUS_MAX_BODY_BYTES;
	    size *= 2) {
		if ((buf = malloc(size)) == NULL)
			break;
		outbuf_init(&o, buf, size);
		if (page == PAGE_METRICS)
			metrics_format(&o, &s);
		else
			metrics_format_page(&o, &s, c, n, (long long)time(NULL),
			    page == PAGE_TEXT);
		if (outbuf_finish(&o) == 0) {
			free(c);
			*len = o.len;
			return buf;
		}
		free(buf);
	}
	free(c);
	return NULL;
}

void
status_respond(struct reply *r, const struct http_request *req,
    const struct config *cfg, const char *date)
{
	static const char *const types[] = {
		"text/plain; version=0.0.4; charset=utf-8",
		"text/html; charset=utf-8",
		"text/plain; charset=utf-8"
	};
	struct http_response h;
	enum page page;
	size_t len;
	char *body;
	int n, head_only = req->method == HTTP_HEAD;

	metrics_add(MC_STATUS_REQUESTS, 1);
	if (req->method != HTTP_GET && req->method != HTTP_HEAD) {
		respond_error(r, 405, head_only, cfg, date, 0);
		return;
	}
	if (span_is(req->path, "/metrics") && req->query.p == NULL)
		page = PAGE_METRICS;
	else if (span_is(req->path, "/") && req->query.p == NULL)
		page = PAGE_HTML;
	else if (span_is(req->path, "/") && span_is(req->query, "text"))
		page = PAGE_TEXT;
	else {
		respond_error(r, 404, head_only, cfg, date, 0);
		return;
	}
	if ((body = build(page, &len)) == NULL) {
		respond_error(r, 500, head_only, cfg, date, 0);
		return;
	}
	memset(&h, 0, sizeof(h));
	h.status = 200;
	h.content_type = types[page];
	h.content_length = (long long)len;
	h.last_modified = (time_t)-1;
	/* one request a connection: no idle status client holds a place */
	h.keep_alive = 0;
	if ((n = http_format_head(r->head, sizeof(r->head), &h, date)) < 0) {
		free(body);
		respond_error(r, 500, head_only, cfg, date, 0);
		return;
	}
	r->head_len = r->fields_len = (size_t)n;
	r->status = 200;
	r->keep_alive = h.keep_alive;
	r->fd = -1;
	r->off = 0;
	r->len = 0;
	r->owned = body;
	r->mem = body;
	r->mem_len = head_only ? 0 : len;
}
