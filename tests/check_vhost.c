/* SPDX-License-Identifier: BSD-2-Clause */
/* vhost_dir_name(): a host, as a request names it, to a directory name. */
#include <config.h>

#include <string.h>

#include "vhost.h"
#include "tests.h"

static const struct {
	const char	*host;
	const char	*dir;		/* "" for none */
} cases[] = {
	{ "example.org", "example.org" },
	{ "Example.ORG", "example.org" },
	{ "example.org:8080", "example.org" },
	{ "example.org:", "example.org" },
	{ "example.org.", "example.org" },
	{ "EXAMPLE.org.:80", "example.org" },
	{ "www-1.example_2.org", "www-1.example_2.org" },
	{ "127.0.0.1", "127.0.0.1" },
	{ "127.0.0.1:8080", "127.0.0.1" },
	{ "[::1]", "[::1]" },
	{ "[::1]:8080", "[::1]" },
	{ "[2001:DB8::1]", "[2001:db8::1]" },
	{ "_default", "_default" },
	{ "", "" },
	{ ":80", "" },
	{ ".", "" },
	{ "..", "" },
	{ ".hidden", "" },
	{ "a..b", "" },
	{ "a/b", "" },
	{ "a%2fb", "" },
	{ "ex%41mple.org", "" },
	{ "a b", "" },
	{ "a\\b", "" },
	{ "host!", "" },
	{ "[::1", "" },
	{ "[::1]x", "" },
	{ "[::1/]", "" },
	{ "[a/b]", "" },
};

START_TEST(names_directories_table)
{
	char out[VHOST_NAME_BYTES];
	struct span h = { cases[_i].host, strlen(cases[_i].host) };
	size_t n = vhost_dir_name(h, out, sizeof(out));

	ck_assert_uint_eq(n, strlen(cases[_i].dir));
	ck_assert_str_eq(out, cases[_i].dir);
}
END_TEST

START_TEST(refuses_names_longer_than_the_limit)
{
	char host[VHOST_NAME_BYTES + 8], out[VHOST_NAME_BYTES];
	struct span h = { host, VHOST_NAME_BYTES - 1 };

	memset(host, 'a', sizeof(host));
	ck_assert_uint_eq(vhost_dir_name(h, out, sizeof(out)),
	    VHOST_NAME_BYTES - 1);
	h.n = VHOST_NAME_BYTES;
	ck_assert_uint_eq(vhost_dir_name(h, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "");
	h.n = 10;
	ck_assert_uint_eq(vhost_dir_name(h, out, 10), 0);
	ck_assert_uint_eq(vhost_dir_name(h, out, 11), 10);
}
END_TEST

START_TEST(never_reads_past_the_span)
{
	char out[VHOST_NAME_BYTES];
	struct span h = { "example.org:80", 7 };

	ck_assert_uint_eq(vhost_dir_name(h, out, sizeof(out)), 7);
	ck_assert_str_eq(out, "example");
	h.p = "[::1]";
	h.n = 4;
	ck_assert_uint_eq(vhost_dir_name(h, out, sizeof(out)), 0);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("vhost");
	TCase *tc = tcase_create("vhost");

	tcase_add_loop_test(tc, names_directories_table, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, refuses_names_longer_than_the_limit);
	tcase_add_test(tc, never_reads_past_the_span);
	suite_add_tcase(s, tc);
	return s;
}
