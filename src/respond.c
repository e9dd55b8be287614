/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The response to a request is decided here and only here: path_resolve()
 * names the file, docroot_open() opens it beneath the document root, fstat()
 * on that descriptor says what it is, and errno becomes a status in
 * status_of_errno() alone.
 */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef ENABLE_FAULT_INJECTION
#include "fault.h"
#endif
#include "auth.h"
#include "docroot.h"
#include "encoding.h"
#include "fcache.h"
#include "listing.h"
#include "mime.h"
#include "outbuf.h"
#include "path.h"
#include "respond.h"
#include "vhost.h"

#define ALLOWED_METHODS		"GET, HEAD, OPTIONS"
#define INDEX_NAME		"index.html"
#define MAX_LOCATION_BYTES	1024	/* longer redirects get 414 */
#define SMALL_FILE_BYTES	16384	/* sent from memory, with the head */

static int
status_of_errno(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
	case ELOOP:
		return 404;
	case ENAMETOOLONG:
		return 414;
	case EACCES:
	case EPERM:
	case ENXIO:		/* a socket: no more to be opened than a FIFO */
	case EXDEV:		/* a link that leaves the document root */
		return 403;
	case EMFILE:
	case ENFILE:
	case ENOMEM:
		return 503;
	default:
		return 500;
	}
}

/*
 * What every reply is built from: the request, the reply being built, and
 * how it is answered.  keep_alive may be turned off by a reply that must
 * end the connection.
 */
struct rctx {
	struct reply		*r;
	const struct http_request *req;
	const struct config	*cfg;
	const char		*date;
	time_t			 now;
	int			 keep_alive;
	int			 head_only;
	int			 via;		/* RESPOND_* */
	struct respond_client	*client;
	int			 root;		/* requests open beneath it: the
						   document root, or a site */
	const char		*site;		/* --vhost: the site's directory
						   name; NULL: none */
	const char		*challenge;	/* a 401's WWW-Authenticate */
	int			 private;	/* --auth: Cache-Control:
						   private */
};

static void
reply_init(struct reply *r)
{
	r->head_len = 0;
	r->fields_len = 0;
	r->mem = NULL;
	r->mem_len = 0;
	r->owned = NULL;
	r->fd = -1;
	r->off = 0;
	r->len = 0;
	r->status = 500;
	r->keep_alive = 0;
}

/* Should formatting ever fail, this still goes out. */
static void
fallback(struct reply *r)
{
	static const char head[] = "HTTP/1.1 500 Internal Server Error\r\n"
	    "Content-Length: 0\r\nConnection: close\r\n\r\n";

	respond_release(r);
	reply_init(r);
	memcpy(r->head, head, sizeof(head) - 1);
	r->head_len = r->fields_len = sizeof(head) - 1;
}

/* A response head with nothing set: no length, no type, no validators. */
static void
head_init(struct http_response *h, int status, int keep_alive)
{
	memset(h, 0, sizeof(*h));
	h->status = status;
	h->content_length = -1;
	h->last_modified = (time_t)-1;
	h->keep_alive = keep_alive;
}

/*
 * The tail every reply shares: format h into the reply's head.  What the
 * reply holds stays; a head that cannot be formatted becomes the 500
 * fallback, holding nothing.  0, or -1 after the fallback.
 */
static int
finish_head(struct rctx *x, struct http_response *h)
{
	struct reply *r = x->r;
	int n;

	/* RFC 6797 7.2: never over plain HTTP */
	if ((x->via & RESPOND_TLS) && x->cfg->hsts_sec >= 0) {
		h->hsts = 1;
		h->hsts_max_age = x->cfg->hsts_sec;
	}
	h->cache_private = x->private;
	if (x->cfg->extra_headers[0] != '\0' && h->status >= 200 &&
	    h->status < 400)
		h->extra = x->cfg->extra_headers;
	if ((n = http_format_head(r->head, sizeof(r->head), h, x->date)) < 0) {
		fallback(r);
		return -1;
	}
	r->head_len = r->fields_len = (size_t)n;
	r->status = h->status;
	r->keep_alive = h->keep_alive;
	return 0;
}

/*
 * A reply with a small HTML body: ours, or the site's 404 page.  location,
 * when not NULL, is sent as the Location header.
 */
static void
status_reply(struct rctx *x, int status, int keep_alive, const char *location)
{
	const struct config *cfg = x->cfg;
	struct reply *r = x->r;
	const struct error_page *page;
	struct http_response h;
	char body[MAX_ERROR_BODY_BYTES];
	int blen = 0;

	respond_release(r);
	reply_init(r);
	head_init(&h, status == HTTP_PLAIN_ON_TLS ? 400 : status, keep_alive);
	h.content_type = "text/html";
	h.location = location;
	if (status == 405 || status == 501)
		h.allow = ALLOWED_METHODS;
	if (status == 503)
		h.retry_after = "1";
	if (status == 401)
		h.www_authenticate = x->challenge;
	page = status >= 400 ? docroot_error_page(cfg, status) : NULL;
	if (page != NULL)
		h.content_length = (long long)page->len;
	else {
		if ((blen = http_format_error_body(body, sizeof(body),
		    status)) < 0) {
			fallback(r);
			return;
		}
		h.content_length = blen;
	}
	if (finish_head(x, &h) != 0 || x->head_only)
		return;
	if (page != NULL) {
		r->mem = page->body;
		r->mem_len = page->len;
		return;
	}
	if (r->head_len + (size_t)blen > sizeof(r->head)) {
		fallback(r);
		return;
	}
	memcpy(r->head + r->head_len, body, (size_t)blen);
	r->head_len += (size_t)blen;
}

static void
options_reply(struct rctx *x)
{
	struct http_response h;

	reply_init(x->r);
	head_init(&h, 200, x->keep_alive);
	h.content_length = 0;
	h.allow = ALLOWED_METHODS;
	(void)finish_head(x, &h);
}

/*
 * Build the Location "/name/" (plus "?query") from the normalised name,
 * each segment percent-encoded: never from the raw target, which could
 * make "//host/..%2fdir" a link to another host.
 */
static int
location_of(char *loc, size_t size, const char *name, struct span query)
{
	char seg[MAX_PATH_BYTES], enc[MAX_LOCATION_BYTES];
	const char *p = name, *slash;
	struct outbuf o;
	size_t n;
	int k;

	outbuf_init(&o, loc, size);
	outbuf_put_char(&o, '/');
	while (*p != '\0') {
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n >= sizeof(seg))
			return -1;
		memcpy(seg, p, n);
		seg[n] = '\0';
		if ((k = listing_url_encode(enc, sizeof(enc), seg)) < 0)
			return -1;
		outbuf_put_mem(&o, enc, (size_t)k);
		outbuf_put_char(&o, '/');
		p += n + (slash != NULL);
	}
	if (query.p != NULL) {
		/* the query was checked by the parser: no CTLs, no spaces */
		outbuf_put_char(&o, '?');
		outbuf_put_mem(&o, query.p, query.n);
	}
	return outbuf_finish(&o);
}

/* The name named a directory without a trailing slash: add it. */
static void
redirect(struct rctx *x, const char *name)
{
	char loc[MAX_LOCATION_BYTES];

	if (location_of(loc, sizeof(loc), name, x->req->query) != 0) {
		status_reply(x, 414, 0, NULL);
		return;
	}
	status_reply(x, 301, x->keep_alive, loc);
}

#define OPEN_FILE	(O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
#define OPEN_DIR	(O_RDONLY | O_CLOEXEC | O_DIRECTORY)

/* What open_file() found under a name. */
enum found {
	FOUND_FILE,		/* a regular file, open */
	FOUND_DIR,		/* a directory asked for without its slash */
	FOUND_NO_INDEX,		/* a directory without index.html (name is
				   the directory again) */
	FOUND_NOTHING		/* nothing to serve: *status says why */
};

/*
 * The open-file cache's name for name: name itself, or a site's
 * "site/name" under --vhost (in keyed); NULL when that does not fit.
 */
static const char *
cache_key(const struct rctx *x, const char *name, char *keyed, size_t size)
{
	size_t s, n;

	if (x->site == NULL)
		return name;
	/* two copies, not snprintf's format: this is every request's */
	s = strlen(x->site);
	n = strlen(name);
	if (s + 1 + n >= size)
		return NULL;
	memcpy(keyed, x->site, s);
	keyed[s] = '/';
	memcpy(keyed + s + 1, name, n + 1);
	return keyed;
}

/*
 * Open name (a directory's index when dir is set) under the document root
 * into *fd, which the caller then owns.
 */
static enum found
open_file(const struct rctx *x, char *name, size_t size, int dir,
    struct stat *st, int *fd, int *status)
{
	const struct config *cfg = x->cfg;
	char keyed[FCACHE_NAME_BYTES];
	const char *key;
	size_t len = strlen(name);
	int dfd, e;

	*fd = -1;
	if (dir) {
		if (strcmp(name, ".") == 0)
			len = 0;
		else if (len + 1 < size)
			name[len++] = '/';
		if (len + sizeof(INDEX_NAME) > size) {
			*status = 414;
			return FOUND_NOTHING;
		}
		memcpy(name + len, INDEX_NAME, sizeof(INDEX_NAME));
	}
	key = cache_key(x, name, keyed, sizeof(keyed));
	if (key != NULL && (*fd = fcache_lookup(key, st)) >= 0)
		return FOUND_FILE;
	/* O_NONBLOCK: opening a FIFO must not hang the connection */
	if ((*fd = docroot_open_at(cfg, x->root, name, OPEN_FILE)) < 0) {
		e = errno;
		*status = status_of_errno(e);
		if (!dir || e != ENOENT)
			return FOUND_NOTHING;
		/* is the directory itself there, without an index? */
		if (len > 0)
			name[len - 1] = '\0';
		else
			(void)snprintf(name, size, ".");
		if ((dfd = docroot_open_at(cfg, x->root, name, OPEN_DIR)) < 0) {
			*status = status_of_errno(errno);
			return FOUND_NOTHING;
		}
		(void)close(dfd);
		return FOUND_NO_INDEX;
	}
	if (fstat(*fd, st) != 0)
		*status = 500;
	else if (S_ISREG(st->st_mode)) {
		if (key != NULL)
			fcache_insert(key, *fd, st);
		return FOUND_FILE;
	} else
		*status = S_ISDIR(st->st_mode) && !dir ? 0 : 403;
	(void)close(*fd);
	*fd = -1;
	return *status == 0 ? FOUND_DIR : FOUND_NOTHING;
}

/*
 * The variant vname of a file whose stat is orig, open into the
 * descriptor returned with its stat in *st, when it is a regular file no
 * older than the file (to the second); else -1.  Opened as every file is, so confined
 * alike, and cached alike.
 */
static int
open_variant(const struct rctx *x, const char *vname,
    const struct stat *orig, struct stat *st)
{
	char keyed[FCACHE_NAME_BYTES];
	const char *key = cache_key(x, vname, keyed, sizeof(keyed));
	int fd;

	if (key == NULL)
		return -1;
	if ((fd = fcache_lookup(key, st)) < 0) {
		if ((fd = docroot_open_at(x->cfg, x->root, vname,
		    OPEN_FILE)) < 0)
			return -1;
		if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
			(void)close(fd);
			return -1;
		}
		fcache_insert(key, fd, st);
	}
	/* to the second: brotli -k keeps no more of the file's time */
	if (st->st_mtime < orig->st_mtime) {
		fcache_close(fd);
		return -1;
	}
	return fd;
}

/* What the open-file cache keeps of a file's variants (fcache_note). */
#define VARIANTS_KNOWN	(1u << ENCODING_COUNT)

/*
 * Which of name's variants are there and usable (a bit per enum
 * encoding), looking for each; kept with fd's cache entry, so that a
 * file asked for again within the second costs no failed opens.
 */
static unsigned
variants_of(const struct rctx *x, const char *name, int fd,
    const struct stat *orig)
{
	char vname[MAX_PATH_BYTES];
	size_t len = strlen(name);
	unsigned have;
	struct stat st;
	int i, vfd;

	if ((have = fcache_note(fd)) & VARIANTS_KNOWN)
		return have & ~VARIANTS_KNOWN;
	have = 0;
	if (len + ENCODING_SUFFIX_BYTES >= sizeof(vname))
		return 0;
	memcpy(vname, name, len);
	for (i = 0; i < ENCODING_COUNT; i++) {
		memcpy(vname + len, encoding_variants[i].suffix,
		    strlen(encoding_variants[i].suffix) + 1);
		if ((vfd = open_variant(x, vname, orig, &st)) >= 0) {
			have |= 1u << i;
			fcache_close(vfd);
		}
	}
	fcache_set_note(fd, have | VARIANTS_KNOWN);
	return have;
}

/*
 * --precompressed: the variant of name (open as fd) to send instead,
 * open, with its stat in *st and its coding in *coding; or -1.  *vary
 * says whether name has a variant at all (which the client may not
 * take): the answer then varies with Accept-Encoding, whichever it is.
 */
static int
find_variant(const struct rctx *x, const char *name, int fd,
    const struct stat *orig, struct stat *st, const char **coding, int *vary)
{
	enum encoding order[ENCODING_COUNT];
	char vname[MAX_PATH_BYTES];
	size_t len = strlen(name), n, i;
	unsigned have;
	int vfd;

	have = variants_of(x, name, fd, orig);
	*vary = have != 0;
	if (have == 0)
		return -1;
	n = encoding_choose(&x->req->accept_encoding, order);
	memcpy(vname, name, len);
	for (i = 0; i < n; i++) {
		if (!(have & (1u << order[i])))
			continue;
		memcpy(vname + len, encoding_variants[order[i]].suffix,
		    strlen(encoding_variants[order[i]].suffix) + 1);
		/* gone or changed since it was noted: the next, or none */
		if ((vfd = open_variant(x, vname, orig, st)) >= 0) {
			*coding = encoding_variants[order[i]].coding;
			return vfd;
		}
	}
	return -1;
}

/* Read the directory name into a listing page; 0 or a status. */
static int
list_directory(struct rctx *x, const char *name)
{
	const struct config *cfg = x->cfg;
	struct listing_entry *e = NULL;
	char shown[MAX_PATH_BYTES + 2], *page = NULL;
	struct dirent *d;
	struct stat st;
	DIR *dp = NULL;
	size_t n = 0, cap = 0, len, i;
	int fd, dir, status = 500, truncated = 0;

	if ((fd = docroot_open_at(cfg, x->root, name, OPEN_DIR)) < 0)
		return status_of_errno(errno);
	if ((dp = fdopendir(fd)) == NULL) {
		status = status_of_errno(errno);
		(void)close(fd);
		return status;
	}
	while ((d = readdir(dp)) != NULL) {
		/* only what a request could name: no link that gets 400 */
		if (!path_name_servable(d->d_name, strlen(d->d_name),
		    cfg->path_flags))
			continue;
		if (n == MAX_LISTING_ENTRIES) {
			truncated = 1;
			break;
		}
		if (docroot_entry_stat(cfg, x->root, name, d->d_name,
		    dirfd(dp), &st) != 0)
			continue;	/* gone, dangling, or leads outside */
		if (n == cap) {
			struct listing_entry *ne;

			cap = cap ? cap * 2 : 64;
			if ((ne = realloc(e, cap * sizeof(*e))) == NULL)
				goto out;
			e = ne;
		}
		if ((e[n].name = strdup(d->d_name)) == NULL)
			goto out;
		e[n].is_dir = S_ISDIR(st.st_mode);
		e[n].size = (long long)st.st_size;
		e[n].mtime = st.st_mtime;
		n++;
	}
	listing_sort(e, n);
	/* the title is the decoded request path, ending in a slash */
	if (path_resolve(x->req->path.p, x->req->path.n, shown + 1,
	    sizeof(shown) - 2, PATH_ALLOW_DOTFILES, &dir) != 0)
		goto out;
	shown[0] = '/';
	len = strcmp(shown + 1, ".") == 0 ? 1 : strlen(shown);
	shown[len++] = '/';
	shown[len] = '\0';
	if (len == 2)
		shown[1] = '\0';	/* the root: "/" */
	if ((page = malloc(MAX_LISTING_BYTES)) == NULL)
		goto out;
	if ((len = listing_format(page, MAX_LISTING_BYTES, shown, e, n,
	    truncated)) == 0)
		goto out;
	x->r->mem = x->r->owned = page;
	x->r->mem_len = len;
	page = NULL;
	status = 0;
out:
	for (i = 0; i < n; i++)
		free((char *)e[i].name);
	free(e);
	free(page);
	(void)closedir(dp);
	return status;
}

static void
listing_reply(struct rctx *x, const char *name)
{
	struct reply *r = x->r;
	struct http_response h;
	int status;

	reply_init(r);
	if ((status = list_directory(x, name)) != 0) {
		status_reply(x, status, x->keep_alive, NULL);
		return;
	}
	head_init(&h, 200, x->keep_alive);
	h.content_type = "text/html; charset=utf-8";
	h.content_length = (long long)r->mem_len;
	if (finish_head(x, &h) == 0 && x->head_only) {
		respond_release(r);
		r->mem_len = 0;
	}
}

/*
 * One buffer for small bodies, lent to one reply at a time.  A forked
 * child and a blocking model's thread usually find it free, so answering
 * one request calls no allocator (each heap page a child touches would be
 * copied); the other replies in flight get theirs from malloc.
 */
static char		small_buf[SMALL_FILE_BYTES];
static atomic_flag	small_lent = ATOMIC_FLAG_INIT;

/* Frees r->owned, or returns the small buffer. */
static void
give_back(char *buf)
{
	if (buf == small_buf)
		atomic_flag_clear(&small_lent);
	else if (buf != NULL)
		free(buf);
}

/*
 * Read len bytes of the reply's file from off into memory, so that they
 * leave with the head in one send instead of a send and a sendfile: the
 * cache's copy when it keeps one (valid while the reply holds the file),
 * else the small buffer or the heap.  0, or -1 when the file was not what
 * fstat said.
 */
static int
read_small(struct reply *r, off_t off, size_t len)
{
	const char *kept;
	size_t kept_len;
	char *buf;
	ssize_t n;

	if ((kept = fcache_data(r->fd, &kept_len)) != NULL &&
	    (size_t)off + len <= kept_len) {
		r->mem = kept + off;
		r->mem_len = len;
		return 0;
	}
	if (!atomic_flag_test_and_set(&small_lent))
		buf = small_buf;
	else if ((buf = malloc(len)) == NULL)
		return -1;
	do
		n = pread(r->fd, buf, len, off);
	while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n != len) {
		give_back(buf);
		return -1;
	}
	if (off == 0)		/* the cache keeps only a whole file */
		fcache_keep_data(r->fd, buf, len);
	r->owned = buf;
	r->mem = buf;
	r->mem_len = len;
	return 0;
}

/* Does the n bytes at p hold the k bytes at b? */
static int
holds(const char *p, size_t n, const char *b, size_t k)
{
	const char *q;

	while (n >= k && (q = memchr(p, b[0], n - k + 1)) != NULL) {
		if (memcmp(q, b, k) == 0)
			return 1;
		n -= (size_t)(q - p) + 1;
		p = q + 1;
	}
	return 0;
}

/*
 * Write the delimiters of body around its parts' data (left as they
 * are), with boundary; returns the body's length.
 */
static size_t
delimit(char *body, const char *boundary, const char *type,
    long long complete, const struct http_range *rg, size_t nr)
{
	char part[512];
	size_t i, at = 0, n;

	for (i = 0; i < nr; i++) {
		n = http_format_part_head(part, sizeof(part), boundary, type,
		    rg[i].first, rg[i].last, complete);
		memcpy(body + at, part, n);
		at += n + (size_t)(rg[i].last - rg[i].first + 1);
	}
	n = http_format_part_end(part, sizeof(part), boundary);
	memcpy(body + at, part, n);
	return at + n;
}

/*
 * Several ranges: a multipart/byteranges body (RFC 9110 14.6), built in
 * memory as nginx builds it, part by part, from the reply's file.  The
 * boundary comes from the entity-tag and a last character, the first one
 * (of ten) with which it occurs in no part: a file cannot end a part
 * early.  All ten have the same length, so another one is only a rewrite
 * of the delimiters.  Returns 0 when r holds the reply, or -1 when the
 * body would be larger than MAX_MULTIPART_BYTES, the file is not what
 * fstat said or every boundary occurs: the caller then sends the whole
 * file.
 */
static int
multipart_reply(struct rctx *x, struct http_response *h, const char *type,
    const char *etag, long long size, const struct http_range *rg, size_t nr)
{
	struct reply *r = x->r;
	char boundary[48], ctype[sizeof(boundary) + 40], part[512];
	size_t i, k = 0, total = 0, at, n;
	long long len;
	ssize_t got;
	char *body;
	int c;

	memcpy(boundary, "forkhttpd-", k = 10);
	for (i = 0; etag[i] != '\0' && k < sizeof(boundary) - 3; i++)
		if ((etag[i] >= '0' && etag[i] <= '9') ||
		    (etag[i] >= 'a' && etag[i] <= 'f'))
			boundary[k++] = etag[i];
	boundary[k++] = '-';
	boundary[k] = '0';
	boundary[k + 1] = '\0';
	for (i = 0; i < nr; i++) {
		if ((n = http_format_part_head(part, sizeof(part), boundary,
		    type, rg[i].first, rg[i].last, size)) == 0)
			return -1;
		total += n + (size_t)(rg[i].last - rg[i].first + 1);
		if (total > MAX_MULTIPART_BYTES)
			return -1;
	}
	if ((n = http_format_part_end(part, sizeof(part), boundary)) == 0 ||
	    (total += n) > MAX_MULTIPART_BYTES ||
	    (body = malloc(total)) == NULL)
		return -1;
	/* the data, between the delimiters */
	for (i = 0, at = 0; i < nr; i++) {
		at += http_format_part_head(part, sizeof(part), boundary, type,
		    rg[i].first, rg[i].last, size);
		for (len = rg[i].last - rg[i].first + 1; len > 0; ) {
			got = pread(r->fd, body + at, (size_t)len,
			    (off_t)(rg[i].last + 1 - len));
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0)
				goto fail;
			at += (size_t)got;
			len -= got;
		}
	}
	for (c = '0'; c <= '9'; c++) {
		boundary[k] = (char)c;
		for (i = 0, at = 0; i < nr; i++) {
			at += http_format_part_head(part, sizeof(part),
			    boundary, type, rg[i].first, rg[i].last, size);
			n = (size_t)(rg[i].last - rg[i].first + 1);
			if (holds(body + at, n, boundary, k + 1))
				break;
			at += n;
		}
		if (i == nr)
			break;
	}
	if (c > '9' || delimit(body, boundary, type, size, rg, nr) != total)
		goto fail;
	(void)snprintf(ctype, sizeof(ctype),
	    "multipart/byteranges; boundary=%s", boundary);
	h->status = 206;
	h->content_type = ctype;
	h->content_length = (long long)total;
	r->owned = body;	/* released with the reply, whatever follows */
	if (finish_head(x, h) != 0 || x->head_only)
		return 0;
	r->mem = body;
	r->mem_len = total;
	return 0;
fail:
	free(body);
	return -1;
}

/* The media type of name, with --mime-types and --charset. */
static const char *
type_of(const struct config *cfg, const char *name)
{
	if (cfg->mime != NULL)
		return mime_map_lookup(cfg->mime, name, strlen(name));
	return mime_lookup(name, strlen(name));
}

/*
 * 200, 206, 304, 412 or 416 for the open file fd, which the reply owns
 * from here on: respond_release() gives it back, whatever is sent.  fd is
 * name's precompressed variant when coding is not NULL, and a Range is
 * then ignored as nginx's gzip_static ignores it; vary says that name has
 * a variant.
 */
static void
file_reply(struct rctx *x, const char *name, int fd, const struct stat *st,
    const char *coding, int vary)
{
	struct reply *r = x->r;
	/* RFC 9110 8.8.2.1: never modified later than the reply's Date */
	time_t mtime = st->st_mtime > x->now ? x->now : st->st_mtime;
	char etag[HTTP_ETAG_BYTES];
	struct http_response h;
	struct http_range rg[MAX_RANGES];
	long long first = 0, last = 0;
	size_t nr = 0;
	int status, range;

	reply_init(r);
	r->fd = fd;
	head_init(&h, 200, x->keep_alive);
	h.last_modified = mtime;
	h.accept_ranges = coding == NULL;
	h.content_encoding = coding;
	h.vary_encoding = vary;
	if (http_format_etag(etag, (unsigned long long)st->st_ino,
	    (long long)st->st_size, (long long)st->st_mtime,
#ifdef HAVE_STRUCT_STAT_ST_MTIM_TV_NSEC
	    st->st_mtim.tv_nsec
#else
	    0L
#endif
	    ) != 0)
		h.etag = etag;
	else
		etag[0] = '\0';

	status = http_check_preconditions(x->req, etag, mtime, x->now);
	if (status == 412) {
		status_reply(x, 412, x->keep_alive, NULL);
		return;
	}
	if (x->cfg->max_age_sec >= 0) {
		h.cache = 1;
		h.max_age = x->cfg->max_age_sec;
		h.expires = x->now + (time_t)x->cfg->max_age_sec;
	}
	range = status == 304 || coding != NULL ? HTTP_RANGE_FULL :
	    http_choose_ranges(x->req, (long long)st->st_size, etag, mtime,
	    x->now, rg, MAX_RANGES, &nr);
	if (range == 0 && nr > 1) {
		if (multipart_reply(x, &h, type_of(x->cfg, name),
		    etag, (long long)st->st_size, rg, nr) == 0)
			return;
		range = HTTP_RANGE_FULL;
	}
	if (range == 0) {
		first = rg[0].first;
		last = rg[0].last;
	}
	if (status == 304) {
		h.status = 304;
		/* RFC 9110 15.4.5: validators, Vary and caching, no more */
		h.content_encoding = NULL;
	} else if (range == 416) {
		h.status = 416;
		h.cache = 0;
		h.content_type = "text/plain";
		h.content_length = 0;
		h.content_range = HTTP_CR_UNSATISFIED;
		h.complete_length = (long long)st->st_size;
	} else {
		h.status = range == 0 ? 206 : 200;
		h.content_type = type_of(x->cfg, name);
		if (range != 0) {
			first = 0;
			last = (long long)st->st_size - 1;
		} else {
			h.content_range = HTTP_CR_RANGE;
			h.range_first = first;
			h.range_last = last;
			h.complete_length = (long long)st->st_size;
		}
		h.content_length = last - first + 1;
	}
	if (finish_head(x, &h) != 0 || x->head_only || h.status == 304 ||
	    h.status == 416 || h.content_length <= 0)
		return;
	if (h.content_length <= SMALL_FILE_BYTES &&
	    read_small(r, (off_t)first, (size_t)h.content_length) == 0)
		return;
	r->off = (off_t)first;
	r->len = (off_t)h.content_length;
}

/* Is path (as received) under ACME's http-01 challenges (RFC 8555 8.3)? */
static int
acme_challenge(struct span path)
{
	static const char dir[] = "/.well-known/acme-challenge/";

	return path.n > sizeof(dir) - 1 &&
	    memcmp(path.p, dir, sizeof(dir) - 1) == 0;
}

/*
 * --redirect-https: 301 to the same host, the TLS port, the same path
 * and query as received (the parser let no space or CTL through).
 */
static void
https_redirect(struct rctx *x)
{
	const struct http_request *req = x->req;
	char loc[MAX_LOCATION_BYTES];
	struct span host = req->host;
	struct outbuf o;
	size_t i;

	/* the host without its port: "name:80", "[::1]:80" */
	for (i = host.n; i > 0 && host.p[i - 1] >= '0' && host.p[i - 1] <= '9';
	    i--)
		;
	if (i > 0 && host.p[i - 1] == ':' &&
	    (host.p[0] != '[' || (i >= 2 && host.p[i - 2] == ']')))
		host.n = i - 1;
	outbuf_init(&o, loc, sizeof(loc));
	outbuf_put_str(&o, "https://");
	outbuf_put_mem(&o, host.p, host.n);
	if (x->cfg->tls_port_num != 443) {
		outbuf_put_char(&o, ':');
		outbuf_put_digits(&o, (unsigned)x->cfg->tls_port_num, 0);
	}
	outbuf_put_mem(&o, req->path.p, req->path.n);
	if (req->query.p != NULL) {
		outbuf_put_char(&o, '?');
		outbuf_put_mem(&o, req->query.p, req->query.n);
	}
	if (outbuf_finish(&o) != 0 || req->has_host == 0) {
		status_reply(x, req->has_host ? 414 : 400, 0, NULL);
		return;
	}
	status_reply(x, 301, x->keep_alive, loc);
}

/*
 * --vhost: the request's host names its directory beneath the document
 * root; an unknown host, or none (HTTP/1.0), has VHOST_DEFAULT's.  Over
 * TLS the host must be the name the client gave in SNI, if it gave one:
 * else 421, as the certificate it checked may not be this host's.  0
 * with x->root and x->site set (the caller closes x->root), or a status.
 */
static int
site_open(struct rctx *x, char *site, size_t size)
{
	const struct respond_client *client = x->client;
	char sni[VHOST_NAME_BYTES];
	size_t n = 0, k;
	int fd = -1;

	if (x->req->has_host)
		n = vhost_dir_name(x->req->host, site, size);
	if ((client->via & RESPOND_TLS) && client->sni != NULL) {
		k = vhost_dir_name((struct span){ client->sni,
		    strlen(client->sni) }, sni, sizeof(sni));
		if (k == 0 || k != n || memcmp(sni, site, n) != 0)
			return 421;
	}
	if (n > 0 && (fd = docroot_open_site(x->cfg, site)) < 0 &&
	    errno != ENOENT && errno != ENOTDIR)
		return status_of_errno(errno);
	if (fd < 0) {
		if (size < sizeof(VHOST_DEFAULT))
			return 500;
		memcpy(site, VHOST_DEFAULT, sizeof(VHOST_DEFAULT));
		if ((fd = docroot_open_site(x->cfg, site)) < 0)
			return status_of_errno(errno);
	}
	x->root = fd;
	x->site = site;
	return 0;
}

/*
 * --auth: may the request for name go on?  0 if so (a reply under a
 * password is then private to the client), or 1 once the refusal is
 * prepared: 401 with a challenge, or 403 over plain HTTP when HTTPS is
 * served, unless --auth-plain allows it; the client is never asked for
 * a password in clear text.  A client that sends MAX_AUTH_FAILURES bad
 * ones on one connection is closed, so that it must connect again for
 * every few guesses, each of which costs us a slow hash.
 */
static int
guard(struct rctx *x, const char *name, char *challenge, size_t size)
{
	struct respond_client *client = x->client;
	const char *realm;
	int n;

	if ((realm = auth_realm(name)) == NULL)
		return 0;
	if (x->cfg->tls_port != NULL && !(x->via & RESPOND_TLS) &&
	    !x->cfg->auth_plain) {
		status_reply(x, 403, x->keep_alive, NULL);
		return 1;
	}
	switch (auth_check(x->cfg, name, x->req->authorization, client->addr,
	    &realm)) {
	case AUTH_GRANTED:
		x->r->authenticated = 1;
		x->private = 1;
		return 0;
	case AUTH_FREE:
		x->private = 1;
		return 0;
	case AUTH_REFUSED:
		if (++client->auth_failures >= MAX_AUTH_FAILURES)
			x->keep_alive = 0;
		break;
	case AUTH_REQUIRED:
		break;
	}
	n = snprintf(challenge, size, "Basic realm=\"%s\", charset=\"UTF-8\"",
	    realm);
	if (n < 0 || (size_t)n >= size) {
		status_reply(x, 500, 0, NULL);
		return 1;
	}
	x->challenge = challenge;
	status_reply(x, 401, x->keep_alive, NULL);
	return 1;
}

/* A GET or HEAD: the file, directory or listing the path names. */
static void
serve_path(struct rctx *x)
{
	const struct config *cfg = x->cfg;
	const struct http_request *req = x->req;
	char name[MAX_PATH_BYTES], challenge[AUTH_PREFIX_BYTES + 48];
	const char *coding = NULL;
	struct stat st, vst;
	int status, dir, fd, vfd, vary = 0;

	status = path_resolve(req->path.p, req->path.n, name, sizeof(name),
	    cfg->path_flags, &dir);
	if (status != 0) {
		status_reply(x, status, status == 400 ? 0 : x->keep_alive,
		    NULL);
		return;
	}
	if (cfg->auth_rules > 0 &&
	    guard(x, name, challenge, sizeof(challenge)) != 0)
		return;
	switch (open_file(x, name, sizeof(name), dir, &st, &fd, &status)) {
	case FOUND_FILE:
		if (cfg->precompressed && (vfd = find_variant(x, name, fd,
		    &st, &vst, &coding, &vary)) >= 0) {
			fcache_close(fd);
			file_reply(x, name, vfd, &vst, coding, vary);
		} else
			file_reply(x, name, fd, &st, NULL, vary);
		break;
	case FOUND_DIR:
		redirect(x, name);
		break;
	case FOUND_NO_INDEX:
		if (cfg->listing)
			listing_reply(x, name);
		else
			status_reply(x, 403, x->keep_alive, NULL);
		break;
	default:
		status_reply(x, status, x->keep_alive, NULL);
		break;
	}
}

void
respond_request(struct reply *r, const struct http_request *req,
    const struct config *cfg, const char *date, time_t now, int via)
{
	struct respond_client client;

	memset(&client, 0, sizeof(client));
	client.via = via;
	respond_request_from(r, req, cfg, date, now, &client);
}

void
respond_request_from(struct reply *r, const struct http_request *req,
    const struct config *cfg, const char *date, time_t now,
    struct respond_client *client)
{
	struct rctx x = { r, req, cfg, date, now, 0, 0, client->via, client,
	    cfg->docroot_fd, NULL, NULL, 0 };
	char site[VHOST_NAME_BYTES];
	int status;

	reply_init(r);
	r->authenticated = 0;	/* reply_init() keeps it: a 404 under a
				   password is logged as the user's */
	x.head_only = req->method == HTTP_HEAD;
	/* a body we will not read would be taken for the next request */
	x.keep_alive = req->keep_alive && req->content_length <= 0 &&
	    !req->chunked;

	if (cfg->redirect_https && !(x.via & RESPOND_TLS) &&
	    !((req->method == HTTP_GET || req->method == HTTP_HEAD) &&
	    acme_challenge(req->path))) {
		https_redirect(&x);
		return;
	}
	switch (req->method) {
	case HTTP_GET:
	case HTTP_HEAD:
		break;
	case HTTP_OPTIONS:
		options_reply(&x);
		return;
	case HTTP_OTHER:
		status_reply(&x, 501, x.keep_alive, NULL);
		return;
	case HTTP_TRACE:
	case HTTP_CONNECT:
		/*
		 * Never echoed, never a tunnel; and, as nginx, the end of
		 * the connection: what follows a refused CONNECT may be
		 * meant for the tunnel, not for us
		 */
		status_reply(&x, 405, 0, NULL);
		return;
	default:
		status_reply(&x, 405, x.keep_alive, NULL);
		return;
	}

#ifdef ENABLE_FAULT_INJECTION
	/* test builds only: /__fault/... crashes, leaks or hangs on purpose */
	if ((status = fault_inject(req)) != 0) {
		status_reply(&x, status, x.keep_alive, NULL);
		return;
	}
#endif
	if (cfg->vhost && (status = site_open(&x, site, sizeof(site))) != 0) {
		status_reply(&x, status, x.keep_alive, NULL);
		return;
	}
	serve_path(&x);
	if (x.root != cfg->docroot_fd)
		(void)close(x.root);
}

void
respond_release(struct reply *r)
{
	if (r->fd >= 0) {
		fcache_close(r->fd);
		r->fd = -1;
	}
	give_back(r->owned);
	r->owned = NULL;
	r->mem = NULL;
	r->len = 0;
}

void
respond_error(struct reply *r, int status, int head_only,
    const struct config *cfg, const char *date, int via)
{
	struct respond_client client;
	struct rctx x = { r, NULL, cfg, date, 0, 0, head_only, via, &client,
	    cfg->docroot_fd, NULL, NULL, 0 };

	memset(&client, 0, sizeof(client));
	client.via = via;

	reply_init(r);
	r->authenticated = 0;
	status_reply(&x, status, 0, NULL);
}
