/* SPDX-License-Identifier: BSD-2-Clause */
/* headers_add(), headers_valid_charset(), headers_charset_applies(). */
#include <config.h>

#include <string.h>

#include "headers.h"
#include "tests.h"

static const struct {
	const char	*arg;
	int		 cache_owned;
	const char	*want;		/* the line, or NULL: refused */
} cases[] = {
	{ "X-Frame-Options: DENY", 0, "X-Frame-Options: DENY\r\n" },
	{ "X-A:b", 0, "X-A: b\r\n" },
	{ "X-A: \t b c \t", 0, "X-A: b c\r\n" },
	{ "Access-Control-Allow-Origin: *", 0,
	    "Access-Control-Allow-Origin: *\r\n" },
	{ "Content-Security-Policy: default-src 'self'", 0,
	    "Content-Security-Policy: default-src 'self'\r\n" },
	{ "Cache-Control: public", 0, "Cache-Control: public\r\n" },
	{ "Expires: 0", 0, "Expires: 0\r\n" },
	{ "Cache-Control: public", 1, NULL },
	{ "expires: 0", 1, NULL },
	{ "Content-Type: text/plain", 0, NULL },
	{ "content-length: 5", 0, NULL },
	{ "Content-Encoding: gzip", 0, NULL },
	{ "Content-Range: bytes 0-1/2", 0, NULL },
	{ "Date: x", 0, NULL },
	{ "SERVER: x", 0, NULL },
	{ "ETag: \"x\"", 0, NULL },
	{ "Last-Modified: x", 0, NULL },
	{ "Connection: close", 0, NULL },
	{ "Transfer-Encoding: chunked", 0, NULL },
	{ "Accept-Ranges: none", 0, NULL },
	{ "Vary: Cookie", 0, NULL },
	{ "Location: /", 0, NULL },
	{ "Strict-Transport-Security: max-age=1", 0, NULL },
	{ "X-A: b\r\nX-B: c", 0, NULL },
	{ "X-A: b\nc", 0, NULL },
	{ "X-A: b\rc", 0, NULL },
	{ "X-A: \x7f", 0, NULL },
	{ "X-A: caf\xc3\xa9", 0, NULL },
	{ "X-A:", 0, NULL },
	{ "X-A:   ", 0, NULL },
	{ "X A: b", 0, NULL },
	{ ": b", 0, NULL },
	{ "X-A b", 0, NULL },
	{ "X-(A): b", 0, NULL },
	{ "", 0, NULL },
};

START_TEST(checks_and_formats_one_header)
{
	char block[256];
	const char *why = NULL;
	size_t len = 0;
	int rc;

	block[0] = '\0';
	rc = headers_add(block, sizeof(block), &len, cases[_i].arg,
	    cases[_i].cache_owned, &why);
	if (cases[_i].want == NULL) {
		ck_assert_int_eq(rc, -1);
		ck_assert_ptr_nonnull(why);
		ck_assert_uint_eq(len, 0);
	} else {
		ck_assert_int_eq(rc, 0);
		ck_assert_str_eq(block, cases[_i].want);
		ck_assert_uint_eq(len, strlen(cases[_i].want));
	}
}
END_TEST

START_TEST(appends_until_full)
{
	char block[32];
	const char *why;
	size_t len = 0;

	ck_assert_int_eq(headers_add(block, sizeof(block), &len, "X-A: 1", 0,
	    &why), 0);
	ck_assert_int_eq(headers_add(block, sizeof(block), &len, "X-B: 2", 0,
	    &why), 0);
	ck_assert_str_eq(block, "X-A: 1\r\nX-B: 2\r\n");
	/* 16 bytes used: "X-C: 123456789\r\n" (16) and the NUL do not fit */
	ck_assert_int_eq(headers_add(block, sizeof(block), &len,
	    "X-C: 123456789", 0, &why), -1);
	ck_assert_str_eq(block, "X-A: 1\r\nX-B: 2\r\n");
	ck_assert_uint_eq(len, 16);
	ck_assert_int_eq(headers_add(block, sizeof(block), &len,
	    "X-C: 12345678", 0, &why), 0);
	ck_assert_uint_eq(strlen(block), 31);
}
END_TEST

START_TEST(charsets_are_tokens)
{
	ck_assert(headers_valid_charset("utf-8", 40));
	ck_assert(headers_valid_charset("ISO-8859-1", 40));
	ck_assert(!headers_valid_charset("", 40));
	ck_assert(!headers_valid_charset("utf 8", 40));
	ck_assert(!headers_valid_charset("utf-8;x", 40));
	ck_assert(!headers_valid_charset("utf-8\r\nX: y", 40));
	ck_assert(!headers_valid_charset("a-very-long-name", 8));
}
END_TEST

static const struct {
	const char	*type;
	int		 applies;
} types[] = {
	{ "text/html", 1 },
	{ "text/plain", 1 },
	{ "text/css", 1 },
	{ "text/javascript", 1 },
	{ "text/markdown", 1 },
	{ "application/javascript", 1 },
	{ "application/xml", 1 },
	{ "application/rss+xml", 1 },
	{ "application/atom+xml", 1 },
	{ "application/xhtml+xml", 1 },
	{ "application/json", 0 },
	{ "application/manifest+json", 0 },
	{ "image/svg+xml", 0 },
	{ "image/png", 0 },
	{ "application/octet-stream", 0 },
	{ "text/", 0 },
	{ "application/+xml", 0 },
	{ "text/html; charset=iso-8859-1", 0 },
};

START_TEST(charset_goes_on_text_types)
{
	ck_assert_msg(headers_charset_applies(types[_i].type) ==
	    types[_i].applies, "%s", types[_i].type);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("headers");
	TCase *tc = tcase_create("headers");

	tcase_add_loop_test(tc, checks_and_formats_one_header, 0,
	    sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, appends_until_full);
	tcase_add_test(tc, charsets_are_tokens);
	tcase_add_loop_test(tc, charset_goes_on_text_types, 0,
	    sizeof(types) / sizeof(types[0]));
	suite_add_tcase(s, tc);
	return s;
}
