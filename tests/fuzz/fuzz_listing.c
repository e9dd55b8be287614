/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for directory listings: listing_html_escape(),
 * listing_url_encode(), listing_sort() and listing_format().  A file name
 * is anything a client could upload, so no name may break out of the text
 * or the link it is put in.
 *
 * The input is a few control bytes, then NUL-separated pieces: the
 * directory's path, then file names, each after a byte that picks "is a
 * directory", size and mtime.  Every piece is escaped and encoded into
 * heap buffers of exactly the length needed (which must work) and one
 * byte less (which must fail): the HTML never holds a raw '<', '>', '"'
 * or '\'', every '&' starts one of the five entities, the URL holds only
 * unreserved bytes and %XX of the others, and both decode to the piece.
 * Names of 1 to 255 bytes without '/' (what readdir() gives) are then
 * sorted, which must keep them and put directories first in byte order,
 * and listed into a buffer of a size from the input: the page must be
 * NUL-terminated at its length, begin and end as a whole page, name the
 * directory in its title and heading, and hold one well-formed row per
 * entry shown, in order, whose link and text decode to the entry's name.
 * Entries left out must be the last ones and the page must say so; with
 * room for every row none may be left out.
 */
#include <config.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf.h"
#include "listing.h"

#define FUZZ_NAME	"fuzz_listing"
#include "fuzz.h"

#define HEAD_BYTES	3	/* control bytes before the pieces */
#define NAME_MAX_BYTES	255	/* NAME_MAX: readdir() gives no longer */
#define MAX_ENTRIES	2000
#define SMALLEST_PAGE	8192	/* listing.c's limit (listing.h: 4096) */
#define ROW_SLACK	4096	/* over listing.c's ROW_BYTES kept free */

static const char tail[] = "</table>\n</body></html>\n";
static const char tail_more[] = "</table>\n<p>Some entries are not shown: "
    "the directory is too large to list.</p>\n</body></html>\n";
static const char up_row[] = "<tr><td><a href=\"../\">../</a></td>"
    "<td class=\"n\">-</td><td></td></tr>\n";
static const char table_head[] = "</h1>\n<table>\n<tr><th>Name</th>"
    "<th class=\"n\">Size</th><th>Modified (UTC)</th></tr>\n";

static void *
alloc_exact(size_t n)
{
	void *p = malloc(n > 0 ? n : 1);

	if (p == NULL)
		abort();
	return p;
}

static int
unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;		/* listing_url_encode() writes upper case */
}

static size_t
html_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		switch (*s) {
		case '&':
			n += 5;
			break;
		case '<':
		case '>':
			n += 4;
			break;
		case '"':
			n += 6;
			break;
		case '\'':
			n += 5;
			break;
		default:
			n++;
		}
	return n;
}

static size_t
url_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += unreserved((unsigned char)*s) ? 1 : 3;
	return n;
}

/*
 * HTML text h[0..n) must hold no raw '<', '>', '"' or '\'' and decode to
 * exactly s[0..sn).
 */
static void
html_decodes_to(const char *h, size_t n, const char *s, size_t sn)
{
	static const struct {
		const char	*ent;
		char		 c;
	} ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&#39;", '\'' },
	};
	size_t i = 0, o = 0, k, el;

	while (i < n) {
		if (h[i] == '<' || h[i] == '>' || h[i] == '"' || h[i] == '\'')
			fail("raw '<', '>', '\"' or '\\'' in HTML text");
		if (o == sn)
			fail("HTML text decodes to more than the name");
		if (h[i] != '&') {
			if (h[i] != s[o++])
				fail("HTML text decodes to another name");
			i++;
			continue;
		}
		for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
			el = strlen(ents[k].ent);
			if (n - i >= el && memcmp(h + i, ents[k].ent, el) == 0)
				break;
		}
		if (k == sizeof(ents) / sizeof(ents[0]))
			fail("'&' that starts no entity");
		if (s[o++] != ents[k].c)
			fail("HTML entity decodes to another byte");
		i += el;
	}
	if (o != sn)
		fail("HTML text decodes to less than the name");
}

/*
 * URL u[0..n) must be unreserved bytes and %XX of the others only, and
 * decode to exactly s[0..sn).
 */
static void
url_decodes_to(const char *u, size_t n, const char *s, size_t sn)
{
	size_t i = 0, o = 0;
	int hi, lo, c;

	while (i < n) {
		if (o == sn)
			fail("URL decodes to more than the name");
		if (u[i] == '%') {
			if (n - i < 3 ||
			    (hi = hexval((unsigned char)u[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)u[i + 2])) < 0)
				fail("'%' not followed by two upper-case hex "
				    "digits");
			c = hi << 4 | lo;
			if (unreserved((unsigned char)c))
				fail("an unreserved byte percent-encoded");
			i += 3;
		} else if (unreserved((unsigned char)u[i]))
			c = (unsigned char)u[i++];
		else
			fail("URL byte neither unreserved nor %XX");
		if ((unsigned char)s[o++] != c)
			fail("URL decodes to another name");
	}
	if (o != sn)
		fail("URL decodes to less than the name");
}

/* Both encoders on s, into buffers of exactly enough and one byte less. */
static void
check_encoders(const char *s)
{
	size_t hn = html_len(s), un = url_len(s), sn = strlen(s);
	char *buf;

	buf = alloc_exact(hn + 1);
	if (listing_html_escape(buf, hn + 1, s) != (int)hn)
		fail("html_escape fails or miscounts with room for it");
	if (strlen(buf) != hn)
		fail("html_escape is not NUL-terminated at its length");
	html_decodes_to(buf, hn, s, sn);
	free(buf);
	buf = alloc_exact(hn);
	if (listing_html_escape(buf, hn, s) != -1)
		fail("html_escape does not fail one byte short");
	free(buf);

	buf = alloc_exact(un + 1);
	if (listing_url_encode(buf, un + 1, s) != (int)un)
		fail("url_encode fails or miscounts with room for it");
	if (strlen(buf) != un)
		fail("url_encode is not NUL-terminated at its length");
	url_decodes_to(buf, un, s, sn);
	free(buf);
	buf = alloc_exact(un);
	if (listing_url_encode(buf, un, s) != -1)
		fail("url_encode does not fail one byte short");
	free(buf);
}

/* listing_sort(): the same entries, directories first, in byte order. */
static void
check_sort(const struct listing_entry *e, size_t n)
{
	struct listing_entry *s = alloc_exact(n * sizeof(*s));
	unsigned char *seen = alloc_exact(n);
	size_t i, k;

	if (n > 0)
		memcpy(s, e, n * sizeof(*s));
	memset(seen, 0, n);
	listing_sort(s, n);
	for (i = 0; i < n; i++) {
		/* names are distinct pointers: find this one's original */
		for (k = 0; k < n && e[k].name != s[i].name; k++)
			;
		if (k == n || seen[k]++ || e[k].is_dir != s[i].is_dir ||
		    e[k].size != s[i].size || e[k].mtime != s[i].mtime)
			fail("sort lost, doubled or changed an entry");
		if (i > 0 && (s[i - 1].is_dir < s[i].is_dir ||
		    (s[i - 1].is_dir == s[i].is_dir &&
		    strcmp(s[i - 1].name, s[i].name) > 0)))
			fail("sort order is not directories, then byte order");
	}
	free(seen);
	free(s);
}

static int
starts(const char **p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		return 0;
	*p += n;
	return 1;
}

static void
expect(const char **p, const char *end, const char *lit, const char *what)
{
	if (!starts(p, end, lit))
		fail(what);
}

/* Moves *p to the next '<' (or the end); returns how far it went. */
static size_t
upto_lt(const char **p, const char *end)
{
	const char *s = *p;

	while (*p < end && **p != '<')
		(*p)++;
	return (size_t)(*p - s);
}

/* The text h[0..n) with the "/" a directory gets, against name. */
static void
shown_name(const char *h, size_t n, const struct listing_entry *e, int url)
{
	if (e->is_dir) {
		if (n == 0 || h[n - 1] != '/')
			fail("a directory's row lacks its '/'");
		n--;
	}
	if (url)
		url_decodes_to(h, n, e->name, strlen(e->name));
	else
		html_decodes_to(h, n, e->name, strlen(e->name));
}

/* One row of the table at *p for entry e. */
static void
check_row(const char **p, const char *end, const struct listing_entry *e)
{
	const char *s;
	char sz[32];
	size_t n;

	s = *p;
	while (*p < end && **p != '"')
		(*p)++;
	shown_name(s, (size_t)(*p - s), e, 1);
	expect(p, end, "\">", "row: link not closed");
	s = *p;
	n = upto_lt(p, end);
	shown_name(s, n, e, 0);
	expect(p, end, "</a></td><td class=\"n\">", "row: after the name");
	if (e->is_dir)
		snprintf(sz, sizeof(sz), "-");
	else
		snprintf(sz, sizeof(sz), "%lld", e->size);
	expect(p, end, sz, "row: size");
	expect(p, end, "</td><td>", "row: after the size");
	for (s = *p; *p < end && **p != '<'; (*p)++)
		if (strchr("0123456789-: ", **p) == NULL)
			fail("row: stray byte in the time");
	if (*p == s)
		fail("row: no time");
	expect(p, end, "</td></tr>\n", "row: end");
}

/* The page buf[0..len) listing e[0..n) of dir. */
static void
check_page(const char *buf, size_t size, size_t len, const char *dir,
    const struct listing_entry *e, size_t n, int truncated)
{
	const char *p = buf, *end = buf + len, *s, *rows;
	size_t i, shown = 0, need;
	int more;

	if (len >= size)
		fail("page longer than its buffer");
	if (buf[len] != '\0' || strlen(buf) != len)
		fail("page not NUL-terminated at its length");
	expect(&p, end, "<!DOCTYPE html>\n", "page does not begin as one");
	if ((p = strstr(p, "<title>Index of ")) == NULL)
		fail("no title");
	p += strlen("<title>Index of ");
	s = p;
	html_decodes_to(s, upto_lt(&p, end), dir, strlen(dir));
	expect(&p, end, "</title>", "title not closed");
	if ((p = strstr(p, "<h1>Index of ")) == NULL)
		fail("no heading");
	p += strlen("<h1>Index of ");
	s = p;
	html_decodes_to(s, upto_lt(&p, end), dir, strlen(dir));
	expect(&p, end, table_head, "heading or table head");
	if (strcmp(dir, "/") != 0)
		expect(&p, end, up_row, "no \"../\" row below the root");
	rows = p;
	while (starts(&p, end, "<tr><td><a href=\"")) {
		if (shown == n)
			fail("more rows than entries");
		check_row(&p, end, &e[shown++]);
	}
	more = shown < n || truncated;
	expect(&p, end, more ? tail_more : tail, more ?
	    "left out entries, but the page does not say so" :
	    "page does not end as one");
	if (p != end)
		fail("bytes after the end of the page");

	/* with room for every row, every entry is shown */
	need = (size_t)(rows - buf) + ROW_SLACK + sizeof(tail_more);
	for (i = 0; i < n; i++)
		need += 128 + url_len(e[i].name) + html_len(e[i].name);
	if (size >= need && shown < n)
		fail("entries left out of a buffer with room for them");
}

static const long long sizes[] = {
	0, 1, 4096, -1, LLONG_MAX, LLONG_MIN, 1234567, 1LL << 40
};

static const long long mtimes[] = {
	0, -1, 1700000000, LLONG_MAX, LLONG_MIN, 253402300799LL,
	-62167219200LL, 1LL << 40
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *big;
	struct listing_entry *e;
	const uint8_t *p, *stop, *nul;
	char *dir, *page, **pieces;
	size_t n = 0, np = 0, cap, bufsize, len, pn, i, dn;
	uint8_t head[HEAD_BYTES];
	int truncated;

	memset(head, 0, sizeof(head));
	if (size > 0)
		memcpy(head, data, size < HEAD_BYTES ? size : HEAD_BYTES);
	p = data + (size < HEAD_BYTES ? size : HEAD_BYTES);
	stop = data + size;
	truncated = head[0] & 1;
	switch (head[0] >> 1 & 3) {
	case 0:
		bufsize = MAX_LISTING_BYTES;
		break;
	case 1:
		bufsize = SMALLEST_PAGE + (size_t)(head[1] << 8 | head[2]);
		break;
	case 2:
		bufsize = (size_t)(head[1] << 8 | head[2]);
		break;
	default:
		bufsize = SMALLEST_PAGE - 128 + head[1];
		break;
	}

	/* the pieces, each its own NUL-terminated heap copy */
	cap = 1;
	for (nul = p; nul < stop; nul++)
		cap += *nul == '\0';
	pieces = alloc_exact(cap * sizeof(*pieces));
	e = alloc_exact(cap * sizeof(*e));
	while (np < cap) {
		if ((nul = memchr(p, '\0', (size_t)(stop - p))) == NULL)
			nul = stop;
		pn = (size_t)(nul - p);
		pieces[np] = alloc_exact(pn + 1);
		if (pn > 0)
			memcpy(pieces[np], p, pn);
		pieces[np][pn] = '\0';
		check_encoders(pieces[np]);
		np++;
		p = nul + (nul < stop);
	}

	/* the directory: "/" or "/piece/", the piece cut as path.c cuts */
	dn = strlen(pieces[0]);
	if (dn > MAX_PATH_BYTES - 2)
		dn = MAX_PATH_BYTES - 2;
	dir = alloc_exact(dn + 3);
	dir[0] = '/';
	dir[1] = '\0';
	if (dn > 0) {
		memcpy(dir + 1, pieces[0], dn);
		memcpy(dir + 1 + dn, "/", 2);
	}
	check_encoders(dir);

	/* entries: a byte of attributes, then a name as readdir() gives */
	for (i = 1; i < np && n < MAX_ENTRIES; i++) {
		const char *name = pieces[i] + (pieces[i][0] != '\0');
		unsigned char a = (unsigned char)pieces[i][0];

		if (*name == '\0' || strlen(name) > NAME_MAX_BYTES ||
		    strchr(name, '/') != NULL)
			continue;
		e[n].name = name;
		e[n].is_dir = a & 1;
		e[n].size = sizes[a >> 1 & 7];
		e[n].mtime = (time_t)mtimes[a >> 4 & 7];
		n++;
	}
	check_sort(e, n);
	if (head[0] & 8)
		listing_sort(e, n);

	/* the server's buffer is allocated once: it is too slow each time */
	if (bufsize == MAX_LISTING_BYTES) {
		if (big == NULL)
			big = alloc_exact(MAX_LISTING_BYTES);
		page = big;
	} else
		page = alloc_exact(bufsize);
	len = listing_format(page, bufsize, dir, e, n, truncated);
	if (len != 0)
		check_page(page, bufsize, len, dir, e, n, truncated);
	else if (bufsize >= SMALLEST_PAGE &&
	    bufsize >= 2 * html_len(dir) + ROW_SLACK)
		fail("no page, in a buffer with room for one");
	if (page != big)
		free(page);

	free(dir);
	for (i = 0; i < np; i++)
		free(pieces[i]);
	free(e);
	free(pieces);
	return 0;
}
