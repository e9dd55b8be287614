/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * respond_request() over a temporary document root, without sockets: the
 * status, a header that must be there, and which body goes out (in
 * memory, from the file, inline in the head, or none); and that every
 * reply gives back what it holds.
 */
#include <config.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "docroot.h"
#include "fcache.h"
#include "http.h"
#include "options.h"
#include "respond.h"
#include "tests.h"

enum body { NONE, INLINE, MEM, FILE_BODY };

static char top[] = "/tmp/check_respond.XXXXXX";
static char rootdir[256];
static struct config cfg;

static void
put(const char *rel, size_t size, const char *text)
{
	char path[512];
	FILE *f;
	size_t i;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	if (text != NULL)
		fputs(text, f);
	for (i = 0; text == NULL && i < size; i++)
		fputc('a' + (int)(i % 26), f);
	ck_assert_int_eq(fclose(f), 0);
}

static void
mk(const char *rel)
{
	char path[2048];

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	ck_assert_int_eq(mkdir(path, 0755), 0);
}

static void
setup(void)
{
	char *argv[] = { "forkhttpd", NULL };
	char path[512], target[512];
	const char *model;
	char err[256];

	ck_assert_ptr_nonnull(mkdtemp(top));
	snprintf(rootdir, sizeof(rootdir), "%s/root", top);
	put("secret", 0, "outside\n");
	mk("root");
	mk("root/sub");
	mk("root/nodir");
	put("root/index.html", 0, "<p>home</p>\n");
	put("root/a.txt", 0, "plain text\n");
	put("root/big.bin", 65536, NULL);
	put("root/sub/index.html", 0, "sub\n");
	put("root/nodir/x.txt", 0, "x\n");
	put("root/.hidden", 0, "hidden\n");
	snprintf(path, sizeof(path), "%s/root/fifo", top);
	ck_assert_int_eq(mkfifo(path, 0644), 0);
	snprintf(path, sizeof(path), "%s/root/out", top);
	snprintf(target, sizeof(target), "%s/secret", top);
	ck_assert_int_eq(symlink(target, path), 0);
	ck_assert_int_eq(options_parse(1, argv, &cfg, &model), OPTIONS_RUN);
	cfg.docroot = rootdir;
	ck_assert_int_eq(docroot_open_root(&cfg, err, sizeof(err)), 0);
}

static void
teardown(void)
{
	char cmd[600];

	fcache_flush();
	docroot_close(&cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(top, "/tmp/check_respond.XXXXXX");
}

/* Parse raw and answer it into r, as conn.c would. */
static void
answer(struct reply *r, const char *raw)
{
	static struct http_request req;	/* the reply may point into it */
	static char buf[4096];
	time_t now = time(NULL);
	char date[HTTP_DATE_BYTES];
	size_t used;

	snprintf(buf, sizeof(buf), "%s", raw);
	ck_assert_int_eq(http_parse_request(buf, strlen(buf), &req, &used), 0);
	ck_assert_uint_ne(http_format_date(now, date), 0);
	r->fd = -1;
	r->owned = NULL;
	respond_request(r, &req, &cfg, date, now, 0);
}

static enum body
body_of(const struct reply *r)
{
	if (r->fd >= 0 && r->len > 0)
		return FILE_BODY;
	if (r->mem != NULL && r->mem_len > 0)
		return MEM;
	return r->head_len > r->fields_len ? INLINE : NONE;
}

static int
head_has(const struct reply *r, const char *text)
{
	char head[sizeof(r->head) + 1];

	memcpy(head, r->head, r->fields_len);
	head[r->fields_len] = '\0';
	return strstr(head, text) != NULL;
}

#define H	" HTTP/1.1\r\nHost: t\r\n"

static const struct {
	const char	*raw;
	int		 status;
	const char	*header;	/* must be in the head */
	enum body	 body;
	int		 keep_alive;
} cases[] = {
	{ "GET /" H "\r\n", 200, "Content-Type: text/html", MEM, 1 },
	{ "GET /a.txt" H "\r\n", 200, "Content-Length: 11\r\n", MEM, 1 },
	{ "GET /a.txt" H "Connection: close\r\n\r\n", 200, "Connection: close",
	    MEM, 0 },
	{ "HEAD /a.txt" H "\r\n", 200, "Content-Length: 11\r\n", NONE, 1 },
	{ "GET /big.bin" H "\r\n", 200, "Content-Length: 65536\r\n", FILE_BODY,
	    1 },
	{ "HEAD /big.bin" H "\r\n", 200, "Accept-Ranges: bytes", NONE, 1 },
	{ "GET /big.bin" H "Range: bytes=0-99\r\n\r\n", 206,
	    "Content-Range: bytes 0-99/65536", MEM, 1 },
	{ "GET /big.bin" H "Range: bytes=100-30000\r\n\r\n", 206,
	    "Content-Range: bytes 100-30000/65536", FILE_BODY, 1 },
	{ "GET /big.bin" H "Range: bytes=0-0,10-20\r\n\r\n", 206,
	    "multipart/byteranges; boundary=", MEM, 1 },
	{ "GET /big.bin" H "Range: bytes=99999-\r\n\r\n", 416,
	    "Content-Range: bytes */65536", NONE, 1 },
	{ "GET /a.txt" H "If-None-Match: *\r\n\r\n", 304, "ETag: ", NONE, 1 },
	{ "GET /a.txt" H "If-Match: \"nope\"\r\n\r\n", 412, "text/html", INLINE,
	    1 },
	{ "GET /missing" H "\r\n", 404, "Content-Type: text/html", INLINE, 1 },
	{ "HEAD /missing" H "\r\n", 404, "Content-Length: ", NONE, 1 },
	{ "GET /sub" H "\r\n", 301, "Location: /sub/\r\n", INLINE, 1 },
	{ "GET /sub?x=1" H "\r\n", 301, "Location: /sub/?x=1\r\n", INLINE, 1 },
	{ "GET /sub/" H "\r\n", 200, "Content-Length: 4\r\n", MEM, 1 },
	{ "GET /nodir/" H "\r\n", 403, "text/html", INLINE, 1 },
	{ "GET /.hidden" H "\r\n", 403, "text/html", INLINE, 1 },
	{ "GET /fifo" H "\r\n", 403, "text/html", INLINE, 1 },
	{ "GET /out" H "\r\n", 403, "text/html", INLINE, 1 },
	{ "GET /%00" H "\r\n", 400, "Connection: close", INLINE, 0 },
	{ "GET /.." H "\r\n", 400, "Connection: close", INLINE, 0 },
	{ "OPTIONS /" H "\r\n", 200, "Allow: GET, HEAD, OPTIONS", NONE, 1 },
	{ "DELETE /a.txt" H "\r\n", 405, "Allow: GET, HEAD, OPTIONS", INLINE,
	    1 },
	{ "TRACE /" H "\r\n", 405, "Connection: close", INLINE, 0 },
	{ "BREW /a.txt" H "\r\n", 501, "Allow: GET, HEAD, OPTIONS", INLINE, 1 },
	{ "GET /a.txt" H "Content-Length: 3\r\n\r\n", 200, "Connection: close",
	    MEM, 0 },
};

START_TEST(each_request_gets_its_status_headers_and_body)
{
	struct reply r;

	answer(&r, cases[_i].raw);
	ck_assert_msg(r.status == cases[_i].status, "%s: %d", cases[_i].raw,
	    r.status);
	ck_assert_msg(head_has(&r, cases[_i].header), "%s: no %s",
	    cases[_i].raw, cases[_i].header);
	ck_assert_msg(body_of(&r) == cases[_i].body, "%s: body %d",
	    cases[_i].raw, (int)body_of(&r));
	ck_assert_int_eq(r.keep_alive, cases[_i].keep_alive);
	respond_release(&r);
	ck_assert_int_eq(r.fd, -1);
	ck_assert_ptr_null(r.owned);
}
END_TEST

START_TEST(every_reply_gives_back_its_descriptors)
{
	struct reply r;
	size_t i;
	int before, after;

	before = dup(0);
	close(before);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		answer(&r, cases[i].raw);
		respond_release(&r);
		respond_release(&r);	/* safe to repeat */
	}
	fcache_flush();
	after = dup(0);
	close(after);
	ck_assert_int_eq(before, after);
}
END_TEST

/*
 * --precompressed: the variant the client takes, Vary on every answer for
 * the file, none for a file without one; and every descriptor given back
 * (the variants' included) whatever is sent.
 */
START_TEST(a_variant_is_chosen_and_given_back)
{
	struct reply r;
	char path[512];
	struct stat st;
	int before, after;

	put("root/v.txt", 0, "the text, uncompressed\n");
	put("root/v.txt.gz", 0, "pretend gzip\n");
	put("root/v.txt.br", 0, "pretend br\n");
	put("root/old.txt", 0, "old\n");
	put("root/old.txt.gz", 0, "older gzip\n");
	snprintf(path, sizeof(path), "%s/root/old.txt.gz", top);
	ck_assert_int_eq(stat(path, &st), 0);
	{
		struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };

		ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
	}
	cfg.precompressed = 1;
	before = dup(0);
	close(before);
	answer(&r, "GET /v.txt" H "Accept-Encoding: gzip, br\r\n\r\n");
	ck_assert_int_eq(r.status, 200);
	ck_assert(head_has(&r, "\r\nContent-Encoding: br\r\n"));
	ck_assert(head_has(&r, "\r\nVary: Accept-Encoding\r\n"));
	ck_assert(head_has(&r, "\r\nContent-Length: 11\r\n"));
	ck_assert(head_has(&r, "\r\nContent-Type: text/plain\r\n"));
	ck_assert(!head_has(&r, "Accept-Ranges"));
	respond_release(&r);
	answer(&r, "GET /v.txt" H "Accept-Encoding: br;q=0.1, gzip\r\n"
	    "Range: bytes=0-1\r\n\r\n");
	ck_assert_int_eq(r.status, 200);
	ck_assert(head_has(&r, "\r\nContent-Encoding: gzip\r\n"));
	ck_assert(head_has(&r, "\r\nContent-Length: 13\r\n"));
	respond_release(&r);
	answer(&r, "GET /v.txt" H "\r\n");
	ck_assert(!head_has(&r, "Content-Encoding"));
	ck_assert(head_has(&r, "\r\nVary: Accept-Encoding\r\n"));
	ck_assert(head_has(&r, "\r\nContent-Length: 23\r\n"));
	respond_release(&r);
	answer(&r, "GET /a.txt" H "Accept-Encoding: gzip\r\n\r\n");
	ck_assert(!head_has(&r, "Content-Encoding"));
	ck_assert(!head_has(&r, "Vary"));
	respond_release(&r);
	answer(&r, "GET /old.txt" H "Accept-Encoding: gzip\r\n\r\n");
	ck_assert(!head_has(&r, "Content-Encoding"));
	ck_assert(!head_has(&r, "Vary"));
	respond_release(&r);
	/* off: the variants are files like any other */
	cfg.precompressed = 0;
	answer(&r, "GET /v.txt" H "Accept-Encoding: gzip, br\r\n\r\n");
	ck_assert(!head_has(&r, "Content-Encoding"));
	ck_assert(!head_has(&r, "Vary"));
	respond_release(&r);
	fcache_flush();
	after = dup(0);
	close(after);
	ck_assert_int_eq(before, after);
}
END_TEST

/* --header on 2xx and 3xx only; --max-age on files only. */
START_TEST(extra_headers_and_max_age_go_where_they_belong)
{
	struct reply r;

	snprintf(cfg.extra_headers, sizeof(cfg.extra_headers),
	    "X-A: b\r\n");
	cfg.max_age_sec = 60;
	answer(&r, "GET /a.txt" H "\r\n");
	ck_assert(head_has(&r, "\r\nX-A: b\r\n"));
	ck_assert(head_has(&r, "\r\nCache-Control: max-age=60\r\n"));
	ck_assert(head_has(&r, "\r\nExpires: "));
	respond_release(&r);
	answer(&r, "GET /sub" H "\r\n");
	ck_assert_int_eq(r.status, 301);
	ck_assert(head_has(&r, "\r\nX-A: b\r\n"));
	ck_assert(!head_has(&r, "Cache-Control"));
	respond_release(&r);
	answer(&r, "GET /missing" H "\r\n");
	ck_assert_int_eq(r.status, 404);
	ck_assert(!head_has(&r, "X-A"));
	ck_assert(!head_has(&r, "Cache-Control"));
	respond_release(&r);
	answer(&r, "GET /a.txt" H "Range: bytes=99-\r\n\r\n");
	ck_assert_int_eq(r.status, 416);
	ck_assert(!head_has(&r, "X-A"));
	ck_assert(!head_has(&r, "Cache-Control"));
	respond_release(&r);
	cfg.extra_headers[0] = '\0';
	cfg.max_age_sec = -1;
}
END_TEST

START_TEST(the_site_404_page_is_sent_from_memory)
{
	struct reply r;

	put("root/404.html", 0, "custom not found\n");
	docroot_load_pages(&cfg);
	answer(&r, "GET /missing" H "\r\n");
	ck_assert_int_eq(r.status, 404);
	ck_assert_int_eq(body_of(&r), MEM);
	ck_assert_uint_eq(r.mem_len, 17);
	ck_assert(memcmp(r.mem, "custom not found\n", 17) == 0);
	respond_release(&r);
}
END_TEST

START_TEST(the_site_pages_serve_each_status_and_50x_the_rest)
{
	char date[HTTP_DATE_BYTES];
	struct reply r;

	put("root/403.html", 0, "custom forbidden\n");
	put("root/503.html", 0, "custom unavailable\n");
	put("root/50x.html", 0, "custom server error\n");
	docroot_load_pages(&cfg);
	answer(&r, "GET /nodir/" H "\r\n");
	ck_assert_int_eq(r.status, 403);
	ck_assert_int_eq(body_of(&r), MEM);
	ck_assert(memcmp(r.mem, "custom forbidden\n", r.mem_len) == 0);
	respond_release(&r);
	ck_assert_uint_ne(http_format_date(time(NULL), date), 0);
	respond_error(&r, 503, 0, &cfg, date, 0);
	ck_assert_int_eq(body_of(&r), MEM);
	ck_assert(memcmp(r.mem, "custom unavailable\n", r.mem_len) == 0);
	ck_assert(head_has(&r, "Retry-After: 1"));
	respond_release(&r);
	respond_error(&r, 500, 0, &cfg, date, 0);
	ck_assert(memcmp(r.mem, "custom server error\n", r.mem_len) == 0);
	respond_release(&r);
	/* no page of its own, not a 5xx: the built-in one */
	respond_error(&r, 431, 0, &cfg, date, 0);
	ck_assert_int_eq(body_of(&r), INLINE);
	respond_release(&r);
	answer(&r, "GET /missing" H "\r\n");
	ck_assert_int_eq(body_of(&r), INLINE);
	respond_release(&r);
}
END_TEST

START_TEST(a_directory_without_index_is_listed_when_asked)
{
	struct reply r;

	cfg.listing = 1;
	answer(&r, "GET /nodir/" H "\r\n");
	ck_assert_int_eq(r.status, 200);
	ck_assert(head_has(&r, "text/html; charset=utf-8"));
	ck_assert_int_eq(body_of(&r), MEM);
	ck_assert_ptr_nonnull(strstr(r.mem, "x.txt"));
	respond_release(&r);
	answer(&r, "HEAD /nodir/" H "\r\n");
	ck_assert_int_eq(body_of(&r), NONE);
	respond_release(&r);
}
END_TEST

/* A Location longer than MAX_LOCATION_BYTES is 414, and one just under
 * it is sent whole. */
START_TEST(a_redirect_too_long_is_414)
{
	char seg[251], path[2048], raw[2300];
	struct reply r;
	int i;

	memset(seg, 'd', 250);
	seg[250] = '\0';
	snprintf(path, sizeof(path), "root");
	for (i = 0; i < 5; i++) {
		strcat(path, "/");
		strcat(path, seg);
		mk(path);
		snprintf(raw, sizeof(raw), "GET %s" H "\r\n", path + 4);
		answer(&r, raw);
		/* "/" + i+1 segments of 251 bytes with their slashes */
		ck_assert_int_eq(r.status, (i + 1) * 251 + 1 < 1024 ? 301 : 414);
		if (r.status == 301)
			ck_assert(head_has(&r, seg));
		respond_release(&r);
	}
}
END_TEST

START_TEST(an_error_reply_ends_the_connection)
{
	char date[HTTP_DATE_BYTES];
	struct reply r;

	ck_assert_uint_ne(http_format_date(time(NULL), date), 0);
	r.fd = -1;
	r.owned = NULL;
	respond_error(&r, 431, 0, &cfg, date, 0);
	ck_assert_int_eq(r.status, 431);
	ck_assert_int_eq(r.keep_alive, 0);
	ck_assert(head_has(&r, "Connection: close"));
	ck_assert_int_eq(body_of(&r), INLINE);
	respond_error(&r, 414, 1, &cfg, date, 0);
	ck_assert_int_eq(body_of(&r), NONE);
	respond_release(&r);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("respond");
	TCase *tc = tcase_create("decisions");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, each_request_gets_its_status_headers_and_body,
	    0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, a_variant_is_chosen_and_given_back);
	tcase_add_test(tc, extra_headers_and_max_age_go_where_they_belong);
	tcase_add_test(tc, every_reply_gives_back_its_descriptors);
	tcase_add_test(tc, the_site_404_page_is_sent_from_memory);
	tcase_add_test(tc, the_site_pages_serve_each_status_and_50x_the_rest);
	tcase_add_test(tc, a_directory_without_index_is_listed_when_asked);
	tcase_add_test(tc, an_error_reply_ends_the_connection);
	tcase_add_test(tc, a_redirect_too_long_is_414);
	suite_add_tcase(s, tc);
	return s;
}
