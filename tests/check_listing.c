/* SPDX-License-Identifier: BSD-2-Clause */
/* Directory listings: escaping, encoding, order and bounded output. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "listing.h"
#include "path.h"
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

/*
 * The link a listing writes for name, "/" and its encoding, resolved as a
 * request path: 1 when it names the entry itself.
 */
static int
links_back(const char *name, int flags)
{
	char link[MAX_PATH_BYTES], out[MAX_PATH_BYTES];
	int dir;

	link[0] = '/';
	if (listing_url_encode(link + 1, sizeof(link) - 1, name) < 0)
		return 0;
	return path_resolve(link, strlen(link), out, sizeof(out), flags,
	    &dir) == 0 && !dir && strcmp(out, name) == 0;
}

static const struct {
	const char	*name;
	int		 flags;
} servable[] = {
	{ "a", 0 }, { "index.html", 0 }, { "a b", 0 }, { "a?b#c", 0 },
	{ "%41", 0 }, { "%2e%2e", 0 }, { "%2f", 0 }, { "<script>&'\"", 0 },
	{ "a..b", 0 }, { "\\..\\", 0 }, { "+;=,!$()*@:", 0 },
	{ "caf\xc3\xa9", 0 }, { "\xe2\x82\xac", 0 },
	{ "\xf0\x9f\x98\x80", 0 }, { ".well-known", 0 },
	{ ".git", PATH_ALLOW_DOTFILES }, { "...", PATH_ALLOW_DOTFILES },
	{ ". ", PATH_ALLOW_DOTFILES },
};

START_TEST(servable_names_link_back_to_themselves)
{
	ck_assert_int_eq(path_name_servable(servable[_i].name,
	    strlen(servable[_i].name), servable[_i].flags), 1);
	ck_assert_msg(links_back(servable[_i].name, servable[_i].flags),
	    "entry %d", _i);
}
END_TEST

/*
 * Random names from pieces of valid and invalid UTF-8, controls, dots
 * and slashes: a name without '/' is servable exactly when its link
 * resolves back to it.
 */
START_TEST(random_names_servable_exactly_when_they_link_back)
{
	static const char *atoms[] = {
		"a", ".", "..", "/", " ", "%", "?", "\x01", "\x1f", "\x7f",
		"\xc3\xa9", "\xc3", "\xa9", "\xe2\x82\xac", "\xed\xa0\x80",
		"\xf4\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xc0\xae", "\xff",
		".well-known",
	};
	unsigned long seed = 4242;
	const char *atom;
	char name[64];
	size_t n, len;
	int i, k, count, flags;

	for (i = 0; i < 20000; i++) {
		n = 0;
		seed = seed * 1103515245UL + 12345UL;
		count = 1 + (int)((seed >> 16) % 4);
		for (k = 0; k < count; k++) {
			seed = seed * 1103515245UL + 12345UL;
			atom = atoms[(seed >> 16) % (sizeof(atoms) /
			    sizeof(atoms[0]))];
			len = strlen(atom);
			memcpy(name + n, atom, len);
			n += len;
		}
		name[n] = '\0';
		if (memchr(name, '/', n) != NULL)
			continue;
		flags = i % 2 ? PATH_ALLOW_DOTFILES : 0;
		ck_assert_msg(path_name_servable(name, n, flags) ==
		    links_back(name, flags), "name %d (%zu bytes), flags %d",
		    i, n, flags);
	}
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
	tcase_add_loop_test(tc, servable_names_link_back_to_themselves, 0,
	    sizeof(servable) / sizeof(servable[0]));
	tcase_add_test(tc, random_names_servable_exactly_when_they_link_back);
	suite_add_tcase(s, tc);
	return s;
}
