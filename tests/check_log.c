/* SPDX-License-Identifier: BSD-2-Clause */
/* Access-log formatting: exact lines, escaping, truncation. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "tests.h"

static struct span
sp(const char *s)
{
	struct span r = { s, strlen(s) };

	return r;
}

static struct log_entry
entry(void)
{
	struct log_entry e;

	memset(&e, 0, sizeof(e));
	e.host = "192.0.2.7";
	e.when = 971211336;	/* 2000-10-10 20:55:36 UTC */
	e.utc_offset_sec = -7 * 3600;
	e.request = sp("GET /apache_pb.gif?a=b HTTP/1.0");
	e.status = 200;
	e.bytes = 2326;
	return e;
}

START_TEST(formats_common_line)
{
	struct log_entry e = entry();
	char buf[512];
	size_t n = log_format_clf(buf, sizeof(buf), &e);
	const char *want = "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /apache_pb.gif?a=b HTTP/1.0\" 200 2326\n";

	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(buf, want, n);
}
END_TEST

START_TEST(formats_combined_line)
{
	struct log_entry e = entry();
	char buf[512];
	size_t n;
	const char *want = "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /apache_pb.gif?a=b HTTP/1.0\" 200 2326 "
	    "\"http://example.com/\" \"-\"\n";

	e.combined = 1;
	e.referer = sp("http://example.com/");
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(buf, want, n);
}
END_TEST

START_TEST(zero_bytes_is_dash_and_positive_zone)
{
	struct log_entry e = entry();
	char buf[512];
	size_t n;
	const char *want = "192.0.2.7 - - [11/Oct/2000:02:25:36 +0530] "
	    "\"GET /apache_pb.gif?a=b HTTP/1.0\" 304 -\n";

	e.utc_offset_sec = 5 * 3600 + 30 * 60;
	e.status = 304;
	e.bytes = 0;
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(buf, want, n);
}
END_TEST

START_TEST(escapes_quotes_controls_and_high_bytes)
{
	struct log_entry e = entry();
	char buf[512];
	size_t n;
	const char *want = "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /\\\"a\\\\b\\x0a\\x1b\\xc3\\xa9 HTTP/1.1\" 400 -\n";

	e.request = sp("GET /\"a\\b\n\x1b\xc3\xa9 HTTP/1.1");
	e.status = 400;
	e.bytes = 0;
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(buf, want, n);
}
END_TEST

START_TEST(missing_fields_are_dashes)
{
	struct log_entry e = entry();
	char buf[512];
	size_t n;
	const char *want = "- - - [10/Oct/2000:13:55:36 -0700] \"\" 408 - "
	    "\"-\" \"-\"\n";

	e.host = "";
	e.request = sp("");
	e.status = 408;
	e.bytes = 0;
	e.combined = 1;
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(buf, want, n);
}
END_TEST

START_TEST(long_fields_are_cut_not_the_line)
{
	struct log_entry e = entry();
	char buf[300], *big = malloc(10000);
	size_t n;

	ck_assert_ptr_nonnull(big);
	memset(big, '"', 9999);
	big[9999] = '\0';
	e.request = sp(big);
	e.referer = sp(big);
	e.user_agent = sp(big);
	e.combined = 1;
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_le(n, sizeof(buf));
	ck_assert_int_eq(buf[n - 1], '\n');
	ck_assert_ptr_nonnull(memmem(buf, n, "\" 200 2326 \"", 12));
	ck_assert_ptr_null(memchr(buf, '\n', n - 1));
	/* a cut field still ends with an escape, never half of one */
	ck_assert_int_eq(buf[n - 2], '"');
	free(big);
}
END_TEST

START_TEST(utc_offset_follows_tz)
{
	ck_assert_int_eq(setenv("TZ", "UTC0", 1), 0);
	tzset();
	ck_assert_int_eq(log_utc_offset(971211336), 0);
	ck_assert_int_eq(setenv("TZ", "XYZ-5:30", 1), 0);
	tzset();
	ck_assert_int_eq(log_utc_offset(971211336), 5 * 3600 + 1800);
	ck_assert_int_eq(setenv("TZ", "ABC7", 1), 0);
	tzset();
	ck_assert_int_eq(log_utc_offset(971211336), -7 * 3600);
	/* 02:00 UTC is the previous day at UTC-7 */
	ck_assert_int_eq(log_utc_offset(971229600), -7 * 3600);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, formats_common_line);
	tcase_add_test(tc, formats_combined_line);
	tcase_add_test(tc, zero_bytes_is_dash_and_positive_zone);
	tcase_add_test(tc, escapes_quotes_controls_and_high_bytes);
	tcase_add_test(tc, missing_fields_are_dashes);
	tcase_add_test(tc, long_fields_are_cut_not_the_line);
	tcase_add_test(tc, utc_offset_follows_tz);
	suite_add_tcase(s, tc);
	return s;
}
