/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The HTML of a directory listing.  A file name is untrusted text: it is
 * HTML-escaped where it is shown and percent-encoded where it is a link, so
 * a name like "<script>" or "a?b#c" is shown and linked as itself.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "number.h"
#include "outbuf.h"

#define ROW_BYTES	2048	/* room kept free for one more row */

static int
compare(const void *a, const void *b)
{
	const struct listing_entry *x = a, *y = b;

	if (x->is_dir != y->is_dir)
		return y->is_dir - x->is_dir;
	return strcmp(x->name, y->name);
}

void
listing_sort(struct listing_entry *e, size_t n)
{
	if (n > 1)		/* qsort(NULL, 0, ...) is undefined */
		qsort(e, n, sizeof(*e), compare);
}

int
listing_html_escape(char *buf, size_t size, const char *s)
{
	size_t o = 0, k;
	const char *rep;
	char one[2] = { 0, 0 };

	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: one[0] = *s; rep = one; break;
		}
		k = strlen(rep);
		if (o + k >= size)
			return -1;
		memcpy(buf + o, rep, k);
		o += k;
	}
	if (o >= size)
		return -1;
	buf[o] = '\0';
	return (int)o;
}

int
listing_url_encode(char *buf, size_t size, const char *s)
{
	size_t o = 0;
	unsigned char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		/* RFC 3986 unreserved characters stay as they are */
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			if (o + 1 >= size)
				return -1;
			buf[o++] = (char)c;
		} else {
			if (o + 3 >= size)
				return -1;
			buf[o++] = '%';
			buf[o++] = number_hex_upper[c >> 4];
			buf[o++] = number_hex_upper[c & 15];
		}
	}
	if (o >= size)
		return -1;
	buf[o] = '\0';
	return (int)o;
}

/* One row, whole, or -1 when it does not fit. */
static int
row(struct outbuf *o, const struct listing_entry *e)
{
	char name[1536], link[1024], line[ROW_BYTES + 1024], when[32];
	struct tm tm;
	char sz[32], *at;
	int n;

	if (listing_html_escape(name, sizeof(name), e->name) < 0 ||
	    listing_url_encode(link, sizeof(link), e->name) < 0)
		return 0;	/* a name too long to show is skipped */
	if (gmtime_r(&e->mtime, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm) == 0)
		(void)snprintf(when, sizeof(when), "-");
	if (e->is_dir)
		(void)snprintf(sz, sizeof(sz), "-");
	else
		(void)snprintf(sz, sizeof(sz), "%lld", e->size);
	n = snprintf(line, sizeof(line), "<tr><td><a href=\"%s%s\">%s%s</a>"
	    "</td><td class=\"n\">%s</td><td>%s</td></tr>\n", link,
	    e->is_dir ? "/" : "", name, e->is_dir ? "/" : "", sz, when);
	if (n < 0 || (size_t)n >= sizeof(line))
		return 0;
	if ((at = outbuf_reserve(o, (size_t)n)) == NULL)
		return -1;
	memcpy(at, line, (size_t)n);
	return 0;
}

size_t
listing_format(char *buf, size_t size, const char *dir,
    const struct listing_entry *e, size_t n, int truncated)
{
	char title[4096 * 6 + 1];
	struct outbuf o;
	size_t i, shown = 0;
	static const char tail_more[] = "</table>\n<p>Some entries are not "
	    "shown: the directory is too large to list.</p>\n</body></html>\n";
	static const char tail[] = "</table>\n</body></html>\n";

	if (size < 4096 + sizeof(title) / 6 ||
	    listing_html_escape(title, sizeof(title), dir) < 0)
		return 0;
	outbuf_init(&o, buf, size);
	outbuf_put_str(&o, "<!DOCTYPE html>\n<html><head>"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width\">\n"
	    "<title>Index of ");
	outbuf_put_str(&o, title);
	outbuf_put_str(&o, "</title>\n<style>body{font-family:system-ui,"
	    "sans-serif;margin:2em auto;max-width:60em;padding:0 1em}"
	    "table{border-collapse:collapse;width:100%}td,th{padding:.2em .8em;"
	    "text-align:left;border-bottom:1px solid #ddd}.n{text-align:right;"
	    "font-variant-numeric:tabular-nums}</style>\n</head><body>\n"
	    "<h1>Index of ");
	outbuf_put_str(&o, title);
	outbuf_put_str(&o, "</h1>\n<table>\n<tr><th>Name</th>"
	    "<th class=\"n\">Size</th><th>Modified (UTC)</th></tr>\n");
	if (strcmp(dir, "/") != 0)
		outbuf_put_str(&o, "<tr><td><a href=\"../\">../</a></td>"
		    "<td class=\"n\">-</td><td></td></tr>\n");
	if (outbuf_finish(&o) != 0)
		return 0;
	/* rows while they fit whole, leaving room for either tail */
	o.size = size - sizeof(tail_more) - 1;
	for (i = 0; i < n; i++) {
		if (size - o.len < ROW_BYTES + sizeof(tail_more) ||
		    row(&o, &e[i]) != 0)
			break;
		shown++;
	}
	o.size = size;
	o.cut = 0;		/* a row that did not fit is left out whole */
	outbuf_put_str(&o, shown < n || truncated ? tail_more : tail);
	if (outbuf_finish(&o) != 0)
		return 0;
	return o.len;
}
