/* SPDX-License-Identifier: BSD-2-Clause */
/* path_resolve(): decoding, normalising, and every traversal we know of. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "path.h"
#include "tests.h"

static const struct {
	const char	*in;
	int		 status;
	const char	*out;		/* when status is 0 */
	int		 dir;
} cases[] = {
	{ "/", 0, ".", 1 },
	{ "/index.html", 0, "index.html", 0 },
	{ "/a/b/", 0, "a/b", 1 },
	{ "/a//b", 0, "a/b", 0 },
	{ "//a///b//", 0, "a/b", 1 },
	{ "/a/./b", 0, "a/b", 0 },
	{ "/a/b/.", 0, "a/b", 1 },
	{ "/a/../b", 0, "b", 0 },
	{ "/a/b/..", 0, "a", 1 },
	{ "/a/b/../../c", 0, "c", 0 },
	{ "/a/..", 0, ".", 1 },
	{ "/%61%62c", 0, "abc", 0 },
	{ "/a%20b", 0, "a b", 0 },
	{ "/caf%C3%A9", 0, "caf\xc3\xa9", 0 },
	{ "/caf\xc3\xa9", 0, "caf\xc3\xa9", 0 },
	{ "/a+b", 0, "a+b", 0 },
	{ "/a%2fb", 0, "a/b", 0 },		/* an encoded slash is a slash */
	{ "/a%2Fb%2F", 0, "a/b", 1 },
	{ "/%252e%252e/x", 0, "%2e%2e/x", 0 },	/* decoded once, no more */
	{ "/\\..\\..\\etc\\passwd", 0, "\\..\\..\\etc\\passwd", 0 },
	{ "/.well-known/acme", 0, ".well-known/acme", 0 },
	{ "/.git/..", 0, ".", 1 },
	{ "/..", 400, NULL, 0 },
	{ "/../", 400, NULL, 0 },
	{ "/../etc/passwd", 400, NULL, 0 },
	{ "/a/../../etc/passwd", 400, NULL, 0 },
	{ "/a/./../../etc", 400, NULL, 0 },
	{ "/%2e%2e/etc/passwd", 400, NULL, 0 },
	{ "/%2E%2E/etc/passwd", 400, NULL, 0 },
	{ "/.%2e/etc/passwd", 400, NULL, 0 },
	{ "/%2e%2e%2fetc%2fpasswd", 400, NULL, 0 },
	{ "/..%2fetc", 400, NULL, 0 },
	{ "/a%2f..%2f..%2fetc", 400, NULL, 0 },
	{ "/%2f..%2f..", 400, NULL, 0 },
	{ "/%c0%ae%c0%ae/etc", 400, NULL, 0 },	/* over-long "." */
	{ "/%c0%af", 400, NULL, 0 },		/* over-long "/" */
	{ "/%e0%80%ae", 400, NULL, 0 },
	{ "/%f0%80%80%ae", 400, NULL, 0 },
	{ "/%ed%a0%80", 400, NULL, 0 },		/* a surrogate */
	{ "/%f4%90%80%80", 400, NULL, 0 },	/* past U+10FFFF */
	{ "/%ff", 400, NULL, 0 },
	{ "/%c3", 400, NULL, 0 },		/* truncated sequence */
	{ "/a%00b", 400, NULL, 0 },
	{ "/a%00", 400, NULL, 0 },
	{ "/a%0a", 400, NULL, 0 },
	{ "/a%0d%0aX:%20y", 400, NULL, 0 },
	{ "/a%7f", 400, NULL, 0 },
	{ "/%", 400, NULL, 0 },
	{ "/%2", 400, NULL, 0 },
	{ "/%zz", 400, NULL, 0 },
	{ "/%2g", 400, NULL, 0 },
	{ "/%%32%65", 400, NULL, 0 },
	{ "a/b", 400, NULL, 0 },
	{ "", 400, NULL, 0 },
	{ "*", 400, NULL, 0 },
	{ "/.git/config", 403, NULL, 0 },
	{ "/a/.htpasswd", 403, NULL, 0 },
	{ "/.hidden/", 403, NULL, 0 },
	{ "/%2egit/HEAD", 403, NULL, 0 },
	{ "/...", 403, NULL, 0 },
	{ "/.well-known/../.git", 403, NULL, 0 },
};

START_TEST(resolves_table)
{
	char out[MAX_PATH_BYTES];
	int dir = -1, status;

	status = path_resolve(cases[_i].in, strlen(cases[_i].in), out,
	    sizeof(out), 0, &dir);
	ck_assert_msg(status == cases[_i].status, "%s: status %d, want %d",
	    cases[_i].in, status, cases[_i].status);
	if (cases[_i].status == 0) {
		ck_assert_str_eq(out, cases[_i].out);
		ck_assert_msg(dir == cases[_i].dir, "%s: dir %d", cases[_i].in,
		    dir);
	}
}
END_TEST

START_TEST(dotfiles_served_when_allowed)
{
	char out[MAX_PATH_BYTES];
	int dir;

	ck_assert_int_eq(path_resolve("/.git/config", 12, out, sizeof(out),
	    PATH_ALLOW_DOTFILES, &dir), 0);
	ck_assert_str_eq(out, ".git/config");
	/* ".." is never a dotfile */
	ck_assert_int_eq(path_resolve("/../x", 5, out, sizeof(out),
	    PATH_ALLOW_DOTFILES, &dir), 400);
}
END_TEST

START_TEST(does_not_read_past_length)
{
	char out[MAX_PATH_BYTES];
	int dir;

	/* "/a%2" with length 3: the escape is cut, not read beyond */
	ck_assert_int_eq(path_resolve("/a%2e", 3, out, sizeof(out), 0, &dir),
	    400);
	ck_assert_int_eq(path_resolve("/ab/../../x", 3, out, sizeof(out), 0,
	    &dir), 0);
	ck_assert_str_eq(out, "ab");
}
END_TEST

START_TEST(too_long_is_414)
{
	char out[64], *in = malloc(MAX_PATH_BYTES + 2);
	int dir;

	ck_assert_ptr_nonnull(in);
	in[0] = '/';
	memset(in + 1, 'a', MAX_PATH_BYTES);
	ck_assert_int_eq(path_resolve(in, 64, out, sizeof(out), 0, &dir), 414);
	ck_assert_int_eq(path_resolve(in, 63, out, sizeof(out), 0, &dir), 0);
	ck_assert_uint_eq(strlen(out), 62);
	ck_assert_int_eq(path_resolve(in, 2, out, 1, 0, &dir), 414);
	free(in);
}
END_TEST

/*
 * Whatever comes in, what comes out is confined: no empty, "." or ".."
 * segment, no leading '/'.  Random strings over an alphabet made of the
 * pieces of traversal attacks.
 */
START_TEST(random_paths_stay_confined)
{
	static const char *atoms[] = {
		"/", ".", "..", "%2e", "%2E", "%2f", "%2F", "%25", "a", "%c0%ae",
		"\\", "%00", "%", "b/", "/../",
	};
	unsigned long seed = 12345;
	char in[128], out[MAX_PATH_BYTES];
	const char *seg;
	int i, k, dir, status;
	size_t n, len;

	for (i = 0; i < 20000; i++) {
		in[0] = '/';
		n = 1;
		for (k = 0; k < 12; k++) {
			seed = seed * 1103515245UL + 12345UL;
			seg = atoms[(seed >> 16) % (sizeof(atoms) /
			    sizeof(atoms[0]))];
			len = strlen(seg);
			if (n + len >= sizeof(in))
				break;
			memcpy(in + n, seg, len);
			n += len;
		}
		status = path_resolve(in, n, out, sizeof(out),
		    PATH_ALLOW_DOTFILES, &dir);
		if (status != 0)
			continue;
		ck_assert(out[0] != '/');
		if (strcmp(out, ".") == 0)
			continue;
		for (seg = out; seg != NULL; seg = strchr(seg, '/')) {
			if (*seg == '/')
				seg++;
			ck_assert_msg(*seg != '/' && *seg != '\0',
			    "empty segment in %s", out);
			ck_assert_msg(strncmp(seg, "../", 3) != 0 &&
			    strcmp(seg, "..") != 0 && strncmp(seg, "./", 2) != 0 &&
			    strcmp(seg, ".") != 0, "dot segment in %s", out);
		}
	}
}
END_TEST

/*
 * Directory entry names a listing may link: exactly those path_resolve()
 * takes back as one segment.  The length is the literal's, so a name may
 * hold a NUL.
 */
#define NAME(s)	s, sizeof(s) - 1
static const struct {
	const char	*name;
	size_t		 n;
	int		 flags;
	int		 servable;
} names[] = {
	{ NAME("a"), 0, 1 },
	{ NAME("index.html"), 0, 1 },
	{ NAME("a b"), 0, 1 },
	{ NAME("a?b#c%41"), 0, 1 },
	{ NAME("<script>&"), 0, 1 },
	{ NAME("a..b"), 0, 1 },
	{ NAME("a."), 0, 1 },
	{ NAME("\\..\\"), 0, 1 },
	{ NAME("caf\xc3\xa9"), 0, 1 },
	{ NAME("\xe2\x82\xac"), 0, 1 },		/* U+20AC */
	{ NAME("\xf0\x9f\x98\x80"), 0, 1 },	/* U+1F600 */
	{ NAME("\xf4\x8f\xbf\xbf"), 0, 1 },	/* U+10FFFF */
	{ NAME(".well-known"), 0, 1 },
	{ NAME(".git"), 0, 0 },
	{ NAME(".git"), PATH_ALLOW_DOTFILES, 1 },
	{ NAME("..."), 0, 0 },
	{ NAME("..."), PATH_ALLOW_DOTFILES, 1 },
	{ NAME(". "), PATH_ALLOW_DOTFILES, 1 },
	{ NAME(""), PATH_ALLOW_DOTFILES, 0 },
	{ NAME("."), PATH_ALLOW_DOTFILES, 0 },
	{ NAME(".."), PATH_ALLOW_DOTFILES, 0 },
	{ NAME("a/b"), 0, 0 },
	{ NAME("/"), 0, 0 },
	{ NAME("a/"), 0, 0 },
	{ NAME("a\0b"), 0, 0 },
	{ NAME("a\nb"), 0, 0 },
	{ NAME("a\rb"), 0, 0 },
	{ NAME("\t"), 0, 0 },
	{ NAME("\x1b[31mred"), 0, 0 },
	{ NAME("a\x7f"), 0, 0 },
	{ NAME("\x80"), 0, 0 },			/* a lone continuation */
	{ NAME("\xff"), 0, 0 },
	{ NAME("\xfe\xff"), 0, 0 },
	{ NAME("caf\xe9"), 0, 0 },			/* Latin-1 */
	{ NAME("\xc3"), 0, 0 },			/* cut short */
	{ NAME("\xc3("), 0, 0 },
	{ NAME("\xc0\xae"), 0, 0 },		/* over-long "." */
	{ NAME("\xe0\x80\xae"), 0, 0 },
	{ NAME("\xed\xa0\x80"), 0, 0 },		/* a surrogate */
	{ NAME("\xf4\x90\x80\x80"), 0, 0 },	/* past U+10FFFF */
};
#undef NAME

START_TEST(judges_names_as_path_resolve_does)
{
	ck_assert_msg(path_name_servable(names[_i].name, names[_i].n,
	    names[_i].flags) == names[_i].servable, "entry %d", _i);
}
END_TEST

START_TEST(reads_no_further_than_n)
{
	ck_assert_int_eq(path_name_servable("ab/", 2, 0), 1);
	ck_assert_int_eq(path_name_servable("a\x01", 1, 0), 1);
	ck_assert_int_eq(path_name_servable("\xc3\xa9", 1, 0), 0);
	ck_assert_int_eq(path_name_servable("..x", 2, 0), 0);
	ck_assert_int_eq(path_name_servable("x", 0, 0), 0);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("path");
	TCase *tc = tcase_create("resolve");

	tcase_add_loop_test(tc, resolves_table, 0,
	    sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, dotfiles_served_when_allowed);
	tcase_add_test(tc, does_not_read_past_length);
	tcase_add_test(tc, too_long_is_414);
	tcase_add_test(tc, random_paths_stay_confined);
	tcase_add_loop_test(tc, judges_names_as_path_resolve_does, 0,
	    sizeof(names) / sizeof(names[0]));
	tcase_add_test(tc, reads_no_further_than_n);
	suite_add_tcase(s, tc);
	return s;
}
