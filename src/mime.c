/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The table is sorted by extension (lower case, strcmp order) so that
 * mime_lookup() can bsearch it; check_mime looks every entry up, so an
 * entry out of order fails a test.  A map built at start-up is the same
 * kind of sorted array, its extensions held in place so that a search
 * touches no other memory but the type it returns.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "headers.h"
#include "mime.h"

#define MAX_EXT_BYTES	MIME_EXT_BYTES

struct mime_type {
	const char	*ext;
	const char	*type;
};

static const struct mime_type types[] = {
	{ "7z", "application/x-7z-compressed" },
	{ "aac", "audio/aac" },
	{ "apng", "image/apng" },
	{ "atom", "application/atom+xml" },
	{ "avif", "image/avif" },
	{ "bin", "application/octet-stream" },
	{ "bmp", "image/bmp" },
	{ "bz2", "application/x-bzip2" },
	{ "css", "text/css" },
	{ "csv", "text/csv" },
	{ "doc", "application/msword" },
	{ "docx", "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document" },
	{ "epub", "application/epub+zip" },
	{ "flac", "audio/flac" },
	{ "gif", "image/gif" },
	{ "gz", "application/gzip" },
	{ "htm", "text/html" },
	{ "html", "text/html" },
	{ "ico", "image/x-icon" },
	{ "ics", "text/calendar" },
	{ "jpeg", "image/jpeg" },
	{ "jpg", "image/jpeg" },
	{ "js", "text/javascript" },
	{ "json", "application/json" },
	{ "jsonld", "application/ld+json" },
	{ "m4a", "audio/mp4" },
	{ "m4v", "video/mp4" },
	{ "manifest", "application/manifest+json" },
	{ "md", "text/markdown" },
	{ "mjs", "text/javascript" },
	{ "mkv", "video/x-matroska" },
	{ "mov", "video/quicktime" },
	{ "mp3", "audio/mpeg" },
	{ "mp4", "video/mp4" },
	{ "mpeg", "video/mpeg" },
	{ "mpg", "video/mpeg" },
	{ "oga", "audio/ogg" },
	{ "ogg", "audio/ogg" },
	{ "ogv", "video/ogg" },
	{ "opus", "audio/ogg" },
	{ "otf", "font/otf" },
	{ "pdf", "application/pdf" },
	{ "png", "image/png" },
	{ "rss", "application/rss+xml" },
	{ "rtf", "application/rtf" },
	{ "svg", "image/svg+xml" },
	{ "svgz", "image/svg+xml" },
	{ "tar", "application/x-tar" },
	{ "tif", "image/tiff" },
	{ "tiff", "image/tiff" },
	{ "ttf", "font/ttf" },
	{ "txt", "text/plain" },
	{ "vtt", "text/vtt" },
	{ "wasm", "application/wasm" },
	{ "wav", "audio/wav" },
	{ "weba", "audio/webm" },
	{ "webm", "video/webm" },
	{ "webmanifest", "application/manifest+json" },
	{ "webp", "image/webp" },
	{ "woff", "font/woff" },
	{ "woff2", "font/woff2" },
	{ "xhtml", "application/xhtml+xml" },
	{ "xml", "application/xml" },
	{ "xz", "application/x-xz" },
	{ "yaml", "application/yaml" },
	{ "yml", "application/yaml" },
	{ "zip", "application/zip" },
	{ "zst", "application/zstd" },
};

static int
compare(const void *key, const void *elem)
{
	return strcmp(key, ((const struct mime_type *)elem)->ext);
}

/*
 * The extension of name[0..n), lower case, into ext; 0 when there is
 * none or it is too long to be known.
 */
static size_t
extension(const char *name, size_t n, char ext[MAX_EXT_BYTES])
{
	size_t i, dot = n, len;

	for (i = n; i > 0; i--) {
		if (name[i - 1] == '/')
			break;
		if (name[i - 1] == '.') {
			dot = i - 1;
			break;
		}
	}
	if (dot == n)
		return 0;
	len = n - dot - 1;
	if (len == 0 || len >= MAX_EXT_BYTES)
		return 0;
	for (i = 0; i < len; i++) {
		char c = name[dot + 1 + i];

		ext[i] = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
	}
	ext[len] = '\0';
	return len;
}

const char *
mime_lookup(const char *name, size_t n)
{
	char ext[MAX_EXT_BYTES];
	const struct mime_type *t;

	if (extension(name, n, ext) == 0)
		return MIME_DEFAULT;
	t = bsearch(ext, types, sizeof(types) / sizeof(types[0]),
	    sizeof(types[0]), compare);
	return t != NULL ? t->type : MIME_DEFAULT;
}

/* --- mime.types files --- */

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Is t[0..n) type "/" subtype, both tokens? */
static int
valid_type(const char *t, size_t n)
{
	size_t i, slash = 0;

	for (i = 0; i < n; i++) {
		if (t[i] == '/') {
			if (slash != 0 || i == 0)
				return 0;
			slash = i;
		} else if (!headers_tchar((unsigned char)t[i]))
			return 0;
	}
	return slash != 0 && slash + 1 < n;
}

int
mime_parse(const char *buf, size_t len,
    void (*each)(const char *, size_t, const char *, size_t, void *),
    void *arg, size_t *line, const char **why)
{
	const char *p = buf, *end = buf + len, *eol, *type, *w;
	size_t tlen, wlen, entries = 0, i;

	for (*line = 1; p < end; (*line)++, p = eol + (eol < end)) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if ((size_t)(eol - p) > MAX_MIME_LINE_BYTES) {
			*why = "line too long";
			return -1;
		}
		while (p < eol && is_blank(*p))
			p++;
		if (p == eol || *p == '#')
			continue;
		for (type = p; p < eol && !is_blank(*p); p++)
			;
		tlen = (size_t)(p - type);
		if (!valid_type(type, tlen)) {
			*why = "not a media type (type/subtype)";
			return -1;
		}
		for (;;) {
			while (p < eol && is_blank(*p))
				p++;
			if (p == eol)
				break;
			for (w = p; p < eol && !is_blank(*p); p++)
				;
			wlen = (size_t)(p - w);
			for (i = 0; i < wlen; i++)
				if (!headers_tchar((unsigned char)w[i])) {
					*why = "an extension that is not a "
					    "token";
					return -1;
				}
			if (++entries > MAX_MIME_ENTRIES) {
				*why = "too many extensions";
				return -1;
			}
			each(type, tlen, w, wlen, arg);
		}
	}
	return 0;
}

/* --- the map --- */

struct mime_entry {
	char		 ext[MAX_EXT_BYTES];
	const char	*type;
};

struct mime_map {
	struct mime_entry *e;
	size_t		 n;
	char		*text;		/* the types the entries point to */
};

/* An entry while the map is built: where its type will be, and when. */
struct pending {
	char		 ext[MAX_EXT_BYTES];
	size_t		 off;		/* of the type in the text */
	size_t		 seq;		/* later wins */
};

struct builder {
	struct pending	*p;
	size_t		 n, cap;
	char		*text;
	size_t		 len, size;
	const char	*charset;
	const char	*last_type;	/* the type of the entry added last */
	size_t		 last_tlen, last_off;
	int		 failed;
};

static int
builder_put(struct builder *b, const char *s, size_t n)
{
	char *t;

	if (b->len + n + 1 > b->size) {
		size_t size = b->size ? b->size * 2 : 4096;

		while (size < b->len + n + 1)
			size *= 2;
		if ((t = realloc(b->text, size)) == NULL)
			return -1;
		b->text = t;
		b->size = size;
	}
	memcpy(b->text + b->len, s, n);
	b->len += n;
	b->text[b->len] = '\0';	/* so that a type can be read as built */
	return 0;
}

/* Add ext (any case) with type, and the charset where it applies. */
static void
builder_add(const char *type, size_t tlen, const char *ext, size_t elen,
    void *arg)
{
	struct builder *b = arg;
	struct pending *p;
	size_t i;

	if (b->failed || elen >= MAX_EXT_BYTES)
		return;		/* never looked up */
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		if ((p = realloc(b->p, b->cap * sizeof(*p))) == NULL) {
			b->failed = 1;
			return;
		}
		b->p = p;
	}
	/* the extensions of one line share their type's text */
	if (b->last_type != type || b->last_tlen != tlen) {
		b->last_type = type;
		b->last_tlen = tlen;
		b->last_off = b->len;
		if (builder_put(b, type, tlen) != 0 ||
		    (b->charset != NULL &&
		    headers_charset_applies(b->text + b->last_off) &&
		    (builder_put(b, "; charset=", 10) != 0 ||
		    builder_put(b, b->charset, strlen(b->charset)) != 0)) ||
		    builder_put(b, "", 1) != 0) {
			b->failed = 1;
			return;
		}
	}
	p = &b->p[b->n];
	for (i = 0; i < elen; i++)
		p->ext[i] = (char)(ext[i] >= 'A' && ext[i] <= 'Z' ?
		    ext[i] + ('a' - 'A') : ext[i]);
	p->ext[elen] = '\0';
	p->off = b->last_off;
	p->seq = b->n++;
}

static int
by_ext_then_seq(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	int c = strcmp(x->ext, y->ext);

	if (c != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct mime_map *
mime_map_build(const char *text, size_t len, const char *charset, char *err,
    size_t errsize)
{
	struct builder b;
	struct mime_map *m = NULL;
	const char *why;
	size_t i, k, line;

	memset(&b, 0, sizeof(b));
	b.charset = charset;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		builder_add(types[i].type, strlen(types[i].type),
		    types[i].ext, strlen(types[i].ext), &b);
	if (text != NULL &&
	    mime_parse(text, len, builder_add, &b, &line, &why) != 0) {
		(void)snprintf(err, errsize, "line %zu: %s", line, why);
		goto fail;
	}
	if (b.failed || (m = calloc(1, sizeof(*m))) == NULL ||
	    (m->e = calloc(b.n > 0 ? b.n : 1, sizeof(*m->e))) == NULL) {
		(void)snprintf(err, errsize, "%s", strerror(ENOMEM));
		goto fail;
	}
	qsort(b.p, b.n, sizeof(*b.p), by_ext_then_seq);
	for (i = 0, k = 0; i < b.n; i++) {
		/* of entries with one extension, the last added wins */
		if (i + 1 < b.n && strcmp(b.p[i].ext, b.p[i + 1].ext) == 0)
			continue;
		memcpy(m->e[k].ext, b.p[i].ext, MAX_EXT_BYTES);
		m->e[k].type = b.text + b.p[i].off;
		k++;
	}
	m->n = k;
	m->text = b.text;
	free(b.p);
	return m;
fail:
	if (m != NULL)
		free(m->e);
	free(m);
	free(b.p);
	free(b.text);
	return NULL;
}

struct mime_map *
mime_map_load(const char *path, const char *charset, char *err,
    size_t errsize)
{
	struct mime_map *m = NULL;
	struct stat st;
	char *buf = NULL, why[256];
	size_t got = 0;
	ssize_t r;
	int fd;

	/* O_NONBLOCK: a FIFO given by mistake must not hang the start */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) < 0 || fstat(fd, &st) != 0) {
		(void)snprintf(err, errsize, "cannot read %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > MAX_MIME_FILE_BYTES) {
		(void)snprintf(err, errsize, "%s: %s", path,
		    S_ISREG(st.st_mode) ? "larger than " "1 MiB" :
		    "not a regular file");
		goto out;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		(void)snprintf(err, errsize, "%s: %s", path, strerror(errno));
		goto out;
	}
	while (got < (size_t)st.st_size) {
		r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			(void)snprintf(err, errsize, "cannot read %s: %s", path,
			    r < 0 ? strerror(errno) : "it shrank");
			goto out;
		}
		got += (size_t)r;
	}
	if ((m = mime_map_build(buf, got, charset, why, sizeof(why))) == NULL)
		(void)snprintf(err, errsize, "%s: %s", path, why);
out:
	if (fd >= 0)
		(void)close(fd);
	free(buf);
	return m;
}

static int
compare_entry(const void *key, const void *elem)
{
	return strcmp(key, ((const struct mime_entry *)elem)->ext);
}

const char *
mime_map_lookup(const struct mime_map *m, const char *name, size_t n)
{
	char ext[MAX_EXT_BYTES];
	const struct mime_entry *e;

	if (extension(name, n, ext) == 0)
		return MIME_DEFAULT;
	e = bsearch(ext, m->e, m->n, sizeof(m->e[0]), compare_entry);
	return e != NULL ? e->type : MIME_DEFAULT;
}

size_t
mime_map_size(const struct mime_map *m)
{
	return m->n;
}

void
mime_map_free(struct mime_map *m)
{
	if (m == NULL)
		return;
	free(m->e);
	free(m->text);
	free(m);
}
