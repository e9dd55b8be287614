/* SPDX-License-Identifier: BSD-2-Clause */
/* mime_lookup(): every type the issue names, case, and odd names. */
#include <config.h>

#include <string.h>

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

Suite *
test_suite(void)
{
	Suite *s = suite_create("mime");
	TCase *tc = tcase_create("lookup");

	tcase_add_loop_test(tc, looks_up_table, 0,
	    sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, uses_only_given_length);
	suite_add_tcase(s, tc);
	return s;
}
