/* SPDX-License-Identifier: BSD-2-Clause */
/* Directory listings: escaping, encoding, order and bounded output. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "tests.h"

START_TEST(escapes_html)
{
	char buf[64];

	ck_assert_int_eq(listing_html_escape(buf, sizeof(buf),
	    "<a href=\"x\">&'"), 38);
	ck_assert_str_eq(buf, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
	ck_assert_int_eq(listing_html_escape(buf, 5, "&"), 0 - 1);
	ck_assert_int_eq(listing_html_escape(buf, 6, "&"), 5);
}
END_TEST

START_TEST(encodes_urls)
{
	char buf[64];

	ck_assert_int_gt(listing_url_encode(buf, sizeof(buf),
	    "a b?c#d%e/f\xc3\xa9~.-_"), 0);
	ck_assert_str_eq(buf, "a%20b%3Fc%23d%25e%2Ff%C3%A9~.-_");
	ck_assert_int_eq(listing_url_encode(buf, 3, "?"), -1);
	ck_assert_int_eq(listing_url_encode(buf, 4, "?"), 3);
}
END_TEST

START_TEST(sorts_directories_first)
{
	struct listing_entry e[] = {
		{ "b.txt", 0, 1, 0 }, { "z", 1, 0, 0 }, { "a.txt", 0, 1, 0 },
		{ "c", 1, 0, 0 },
	};

	listing_sort(e, 4);
	ck_assert_str_eq(e[0].name, "c");
	ck_assert_str_eq(e[1].name, "z");
	ck_assert_str_eq(e[2].name, "a.txt");
	ck_assert_str_eq(e[3].name, "b.txt");
}
END_TEST

START_TEST(formats_escaped_rows)
{
	struct listing_entry e[] = {
		{ "sub", 1, 4096, 0 },
		{ "<script>alert(1)</script>.txt", 0, 1234, 784111777 },
	};
	char *buf = malloc(MAX_LISTING_BYTES);
	size_t n;

	ck_assert_ptr_nonnull(buf);
	n = listing_format(buf, MAX_LISTING_BYTES, "/a&b/", e, 2, 0);
	ck_assert_uint_gt(n, 0);
	buf[n] = '\0';
	ck_assert_ptr_nonnull(strstr(buf, "<title>Index of /a&amp;b/</title>"));
	ck_assert_ptr_nonnull(strstr(buf, "<a href=\"sub/\">sub/</a>"));
	ck_assert_ptr_nonnull(strstr(buf,
	    "<a href=\"%3Cscript%3Ealert%281%29%3C%2Fscript%3E.txt\">"
	    "&lt;script&gt;alert(1)&lt;/script&gt;.txt</a>"));
	ck_assert_ptr_null(strstr(buf, "<script>"));
	ck_assert_ptr_nonnull(strstr(buf, ">1234<"));
	ck_assert_ptr_nonnull(strstr(buf, "1994-11-06 08:49"));
	ck_assert_ptr_nonnull(strstr(buf, "<a href=\"../\">"));
	ck_assert_ptr_nonnull(strstr(buf, "</html>\n"));
	free(buf);
}
END_TEST

START_TEST(root_has_no_parent_link)
{
	char *buf = malloc(MAX_LISTING_BYTES);
	size_t n;

	ck_assert_ptr_nonnull(buf);
	n = listing_format(buf, MAX_LISTING_BYTES, "/", NULL, 0, 0);
	ck_assert_uint_gt(n, 0);
	buf[n] = '\0';
	ck_assert_ptr_null(strstr(buf, "../"));
	free(buf);
}
END_TEST

START_TEST(too_many_entries_stay_bounded)
{
	size_t i, n, count = 5000, size = 64 * 1024;
	struct listing_entry *e = calloc(count, sizeof(*e));
	char *buf = malloc(size + 1);

	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(buf);
	for (i = 0; i < count; i++)
		e[i].name = "a-fairly-long-file-name-to-fill-the-page.txt";
	n = listing_format(buf, size, "/big/", e, count, 0);
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_le(n, size);
	buf[n] = '\0';
	ck_assert_ptr_nonnull(strstr(buf, "Some entries are not shown"));
	ck_assert_ptr_nonnull(strstr(buf, "</html>\n"));
	free(buf);
	free(e);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("listing");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, escapes_html);
	tcase_add_test(tc, encodes_urls);
	tcase_add_test(tc, sorts_directories_first);
	tcase_add_test(tc, formats_escaped_rows);
	tcase_add_test(tc, root_has_no_parent_link);
	tcase_add_test(tc, too_many_entries_stay_bounded);
	suite_add_tcase(s, tc);
	return s;
}
