/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mime_lookup(): every type the issue names, case, and odd names; the map
 * built at start-up: mime.types parsing, overriding, charset, limits.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "conf.h"
#include "mime.h"
#include "tests.h"

static const struct {
	const char	*name;
	const char	*type;
} cases[] = {
	{ "index.html", "text/html" },
	{ "a.htm", "text/html" },
	{ "style.css", "text/css" },
	{ "app.js", "text/javascript" },
	{ "mod.mjs", "text/javascript" },
	{ "data.json", "application/json" },
	{ "notes.txt", "text/plain" },
	{ "feed.xml", "application/xml" },
	{ "logo.svg", "image/svg+xml" },
	{ "a.png", "image/png" },
	{ "a.jpg", "image/jpeg" },
	{ "a.jpeg", "image/jpeg" },
	{ "a.gif", "image/gif" },
	{ "a.webp", "image/webp" },
	{ "a.avif", "image/avif" },
	{ "favicon.ico", "image/x-icon" },
	{ "doc.pdf", "application/pdf" },
	{ "m.wasm", "application/wasm" },
	{ "f.woff2", "font/woff2" },
	{ "f.woff", "font/woff" },
	{ "v.mp4", "video/mp4" },
	{ "v.webm", "video/webm" },
	{ "s.mp3", "audio/mpeg" },
	{ "a.zip", "application/zip" },
	{ "a.tar.gz", "application/gzip" },
	{ "site.webmanifest", "application/manifest+json" },
	{ "7z.7z", "application/x-7z-compressed" },
	{ "z.zst", "application/zstd" },
	{ "INDEX.HTML", "text/html" },
	{ "Photo.JpG", "image/jpeg" },
	{ "dir/sub/page.html", "text/html" },
	{ "README", MIME_DEFAULT },
	{ "a.unknownext", MIME_DEFAULT },
	{ "a.", MIME_DEFAULT },
	{ "", MIME_DEFAULT },
	{ "dir.html/file", MIME_DEFAULT },
	{ "a.verylongextensionname", MIME_DEFAULT },
	{ ".bashrc", MIME_DEFAULT },
	{ "a.html.bak", MIME_DEFAULT },
};

START_TEST(looks_up_table)
{
	ck_assert_str_eq(mime_lookup(cases[_i].name, strlen(cases[_i].name)),
	    cases[_i].type);
}
END_TEST

START_TEST(uses_only_given_length)
{
	/* "a.html" cut to "a.ht" has no known extension */
	ck_assert_str_eq(mime_lookup("a.html", 4), MIME_DEFAULT);
	ck_assert_str_eq(mime_lookup("a.css.png", 5), "text/css");
}
END_TEST

/* The map with the built-in table alone answers as mime_lookup(). */
START_TEST(map_without_file_is_the_table)
{
	char err[128];
	struct mime_map *m = mime_map_build(NULL, 0, NULL, err, sizeof(err));

	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(mime_map_lookup(m, cases[_i].name,
	    strlen(cases[_i].name)), cases[_i].type);
	mime_map_free(m);
}
END_TEST

START_TEST(map_adds_charset_to_text_types)
{
	char err[128];
	struct mime_map *m = mime_map_build(NULL, 0, "utf-8", err,
	    sizeof(err));

	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(mime_map_lookup(m, "a.html", 6),
	    "text/html; charset=utf-8");
	ck_assert_str_eq(mime_map_lookup(m, "a.HTM", 5),
	    "text/html; charset=utf-8");
	ck_assert_str_eq(mime_map_lookup(m, "a.js", 4),
	    "text/javascript; charset=utf-8");
	ck_assert_str_eq(mime_map_lookup(m, "a.css", 5),
	    "text/css; charset=utf-8");
	ck_assert_str_eq(mime_map_lookup(m, "a.rss", 5),
	    "application/rss+xml; charset=utf-8");
	ck_assert_str_eq(mime_map_lookup(m, "a.json", 6), "application/json");
	ck_assert_str_eq(mime_map_lookup(m, "a.svg", 5), "image/svg+xml");
	ck_assert_str_eq(mime_map_lookup(m, "a.png", 5), "image/png");
	ck_assert_str_eq(mime_map_lookup(m, "README", 6), MIME_DEFAULT);
	mime_map_free(m);
}
END_TEST

static const char types_file[] =
    "# a comment\n"
    "\n"
    "   \t\n"
    "application/x-test\tfoo BAR\tbaz\r\n"
    "  # an indented comment\n"
    "text/x-readme readme\n"
    "image/x-png png\n"		/* over the built-in image/png */
    "application/x-first dup\n"
    "application/x-second dup\n"	/* the later line wins */
    "application/x-typeonly\n"
    "application/x-long averyveryverylongext short\n"
    "text/x-last last";			/* no final newline */

START_TEST(map_reads_mime_types_over_the_table)
{
	char err[128];
	struct mime_map *m = mime_map_build(types_file, sizeof(types_file) - 1,
	    "utf-8", err, sizeof(err));

	ck_assert_msg(m != NULL, "%s", err);
	ck_assert_str_eq(mime_map_lookup(m, "a.foo", 5), "application/x-test");
	ck_assert_str_eq(mime_map_lookup(m, "a.bar", 5), "application/x-test");
	ck_assert_str_eq(mime_map_lookup(m, "a.BAZ", 5), "application/x-test");
	ck_assert_str_eq(mime_map_lookup(m, "x.readme", 8),
	    "text/x-readme; charset=utf-8");
	ck_assert_str_eq(mime_map_lookup(m, "a.png", 5), "image/x-png");
	ck_assert_str_eq(mime_map_lookup(m, "a.dup", 5),
	    "application/x-second");
	ck_assert_str_eq(mime_map_lookup(m, "a.short", 7),
	    "application/x-long");
	ck_assert_str_eq(mime_map_lookup(m, "a.averyveryverylongext", 22),
	    MIME_DEFAULT);
	ck_assert_str_eq(mime_map_lookup(m, "a.last", 6),
	    "text/x-last; charset=utf-8");
	/* the built-in entries are still there */
	ck_assert_str_eq(mime_map_lookup(m, "a.woff2", 7), "font/woff2");
	ck_assert_str_eq(mime_map_lookup(m, "a.html", 6),
	    "text/html; charset=utf-8");
	mime_map_free(m);
}
END_TEST

static const struct {
	const char	*text;
	const char	*err;		/* what the reason begins with */
} bad_files[] = {
	{ "text\n", "line 1: not a media type" },
	{ "# c\n/plain txt\n", "line 2: not a media type" },
	{ "text/ txt\n", "line 1: not a media type" },
	{ "text/a/b x\n", "line 1: not a media type" },
	{ "te(xt/plain txt\n", "line 1: not a media type" },
	{ "text/plain t\"xt\n", "line 1: an extension" },
	{ "text/plain t/xt\n", "line 1: an extension" },
	{ "\n\ntext/plain \x01\n", "line 3: an extension" },
};

START_TEST(map_refuses_bad_lines)
{
	char err[128];
	struct mime_map *m = mime_map_build(bad_files[_i].text,
	    strlen(bad_files[_i].text), NULL, err, sizeof(err));

	ck_assert_ptr_null(m);
	ck_assert_msg(strncmp(err, bad_files[_i].err,
	    strlen(bad_files[_i].err)) == 0, "%s", err);
}
END_TEST

START_TEST(map_refuses_a_line_too_long)
{
	char *text = malloc(MAX_MIME_LINE_BYTES + 32), err[128];
	struct mime_map *m;
	size_t n;

	ck_assert_ptr_nonnull(text);
	n = (size_t)snprintf(text, 32, "text/plain ");
	memset(text + n, 'x', MAX_MIME_LINE_BYTES - n);
	text[MAX_MIME_LINE_BYTES] = '\n';
	/* exactly the limit is fine */
	m = mime_map_build(text, MAX_MIME_LINE_BYTES + 1, NULL, err,
	    sizeof(err));
	ck_assert_msg(m != NULL, "%s", err);
	mime_map_free(m);
	text[MAX_MIME_LINE_BYTES] = 'x';
	text[MAX_MIME_LINE_BYTES + 1] = '\n';
	m = mime_map_build(text, MAX_MIME_LINE_BYTES + 2, NULL, err,
	    sizeof(err));
	ck_assert_ptr_null(m);
	ck_assert_str_eq(err, "line 1: line too long");
	free(text);
}
END_TEST

START_TEST(map_refuses_too_many_entries)
{
	size_t size = (MAX_MIME_ENTRIES + 1) * 16 + 32, n, i;
	char *text = malloc(size), err[128];
	struct mime_map *m;

	ck_assert_ptr_nonnull(text);
	for (i = 0, n = 0; i < MAX_MIME_ENTRIES; i++)
		n += (size_t)snprintf(text + n, size - n, "a/b e%zu\n", i);
	m = mime_map_build(text, n, NULL, err, sizeof(err));
	ck_assert_msg(m != NULL, "%s", err);
	ck_assert_str_eq(mime_map_lookup(m, "x.e0", 4), "a/b");
	ck_assert_str_eq(mime_map_lookup(m, "x.e8191", 7), "a/b");
	mime_map_free(m);
	n += (size_t)snprintf(text + n, size - n, "a/b one-more\n");
	m = mime_map_build(text, n, NULL, err, sizeof(err));
	ck_assert_ptr_null(m);
	ck_assert(strstr(err, "too many extensions") != NULL);
	free(text);
}
END_TEST

START_TEST(map_loads_a_file_or_says_why_not)
{
	char path[] = "/tmp/check_mime.XXXXXX", err[256];
	struct mime_map *m;
	FILE *fp;
	int fd;

	m = mime_map_load("/nonexistent/mime.types", NULL, err, sizeof(err));
	ck_assert_ptr_null(m);
	ck_assert(strstr(err, "/nonexistent/mime.types") != NULL);
	m = mime_map_load("/tmp", NULL, err, sizeof(err));
	ck_assert_ptr_null(m);
	ck_assert(strstr(err, "not a regular file") != NULL);
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_ptr_nonnull(fp = fdopen(fd, "w"));
	fputs("application/x-test foo\nbroken\n", fp);
	ck_assert_int_eq(fclose(fp), 0);
	m = mime_map_load(path, NULL, err, sizeof(err));
	ck_assert_ptr_null(m);
	ck_assert(strstr(err, "line 2: not a media type") != NULL);
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs("application/x-test foo\n", fp);
	ck_assert_int_eq(fclose(fp), 0);
	m = mime_map_load(path, NULL, err, sizeof(err));
	ck_assert_msg(m != NULL, "%s", err);
	ck_assert_str_eq(mime_map_lookup(m, "a.foo", 5), "application/x-test");
	mime_map_free(m);
	ck_assert_int_eq(unlink(path), 0);
}
END_TEST

/* The Debian file, where media-types is installed: every line is taken. */
START_TEST(map_reads_etc_mime_types)
{
	char err[256];
	struct mime_map *m;

	if (access("/etc/mime.types", R_OK) != 0)
		return;
	m = mime_map_load("/etc/mime.types", "utf-8", err, sizeof(err));
	ck_assert_msg(m != NULL, "%s", err);
	ck_assert_uint_gt(mime_map_size(m), 1000);
	ck_assert_str_eq(mime_map_lookup(m, "a.html", 6),
	    "text/html; charset=utf-8");
	mime_map_free(m);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("mime");
	TCase *tc = tcase_create("lookup");
	TCase *map = tcase_create("map");

	tcase_add_loop_test(tc, looks_up_table, 0,
	    sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, uses_only_given_length);
	suite_add_tcase(s, tc);
	tcase_add_loop_test(map, map_without_file_is_the_table, 0,
	    sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(map, map_adds_charset_to_text_types);
	tcase_add_test(map, map_reads_mime_types_over_the_table);
	tcase_add_loop_test(map, map_refuses_bad_lines, 0,
	    sizeof(bad_files) / sizeof(bad_files[0]));
	tcase_add_test(map, map_refuses_a_line_too_long);
	tcase_add_test(map, map_refuses_too_many_entries);
	tcase_add_test(map, map_loads_a_file_or_says_why_not);
	tcase_add_test(map, map_reads_etc_mime_types);
	suite_add_tcase(s, map);
	return s;
}
