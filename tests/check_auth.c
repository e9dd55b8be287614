/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * --auth: prefixes on segment boundaries, password file lines, the
 * Authorization field, the constant-time comparison; and the tables, read
 * from files made here, checked with crypt(3) and reloaded.
 */
#include <config.h>

#ifdef HAVE_XCRYPT
#include <crypt.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "tests.h"

static struct span
sp(const char *s)
{
	struct span r = { s, strlen(s) };

	return r;
}

static const struct {
	const char	*arg;
	const char	*prefix;	/* NULL: refused */
	const char	*file;
} options[] = {
	{ "/private:/etc/pw", "private", "/etc/pw" },
	{ "/a/b/:pw", "a/b", "pw" },
	{ "/:pw", "", "pw" },
	{ "/a:b:c", "a", "b:c" },
	{ "private:pw", NULL, NULL },
	{ "/private", NULL, NULL },
	{ "/private:", NULL, NULL },
	{ "/a//b:pw", NULL, NULL },
	{ "/a/../b:pw", NULL, NULL },
	{ "/./b:pw", NULL, NULL },
	{ "/a\"b:pw", NULL, NULL },
	{ "/a\\b:pw", NULL, NULL },
};

START_TEST(splits_options_table)
{
	char prefix[AUTH_PREFIX_BYTES];
	const char *file = NULL;
	int rc = auth_split_option(options[_i].arg, prefix, sizeof(prefix),
	    &file);

	if (options[_i].prefix == NULL) {
		ck_assert_int_eq(rc, -1);
		return;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(prefix, options[_i].prefix);
	ck_assert_str_eq(file, options[_i].file);
}
END_TEST

static const struct {
	const char	*prefix;
	const char	*name;
	int		 match;
} prefixes[] = {
	{ "private", "private", 7 },
	{ "private", "private/index.html", 7 },
	{ "private", "privatex", -1 },
	{ "private", "privat", -1 },
	{ "private", ".", -1 },
	{ "private", "public/private", -1 },
	{ "a/b", "a/b/c", 3 },
	{ "a/b", "a/bc", -1 },
	{ "a/b", "a", -1 },
	{ "", ".", 0 },
	{ "", "anything", 0 },
};

START_TEST(matches_on_segment_boundaries_table)
{
	ck_assert_int_eq(auth_prefix_match(prefixes[_i].prefix,
	    prefixes[_i].name), prefixes[_i].match);
}
END_TEST

static const struct {
	const char	*line;
	enum auth_line	 kind;
	const char	*user;
	const char	*hash;
} lines[] = {
	{ "alice:$2y$05$abcdefghijklmnopqrstuu", AUTH_LINE_ENTRY, "alice",
	    "$2y$05$abcdefghijklmnopqrstuu" },
	{ "bob:$2b$05$abcdefghijklmnopqrstuu\r", AUTH_LINE_ENTRY, "bob",
	    "$2b$05$abcdefghijklmnopqrstuu" },
	{ "carol:$y$j9T$salt$hash:a comment", AUTH_LINE_ENTRY, "carol",
	    "$y$j9T$salt$hash" },
	{ "dave:$6$saltsalt$hash", AUTH_LINE_ENTRY, "dave",
	    "$6$saltsalt$hash" },
	{ "", AUTH_LINE_BLANK, NULL, NULL },
	{ "   ", AUTH_LINE_BLANK, NULL, NULL },
	{ "# alice:secret", AUTH_LINE_BLANK, NULL, NULL },
	{ "alice:secret", AUTH_LINE_WEAK, NULL, NULL },
	{ "alice:{PLAIN}secret", AUTH_LINE_WEAK, NULL, NULL },
	{ "alice:$apr1$salt$hash", AUTH_LINE_WEAK, NULL, NULL },
	{ "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", AUTH_LINE_WEAK, NULL,
	    NULL },
	{ "alice:rl0BMZMVgcl1s", AUTH_LINE_WEAK, NULL, NULL },
	{ "alice:$1$salt$hash", AUTH_LINE_WEAK, NULL, NULL },
	{ "alice:$5$salt$hash", AUTH_LINE_WEAK, NULL, NULL },
	{ "alice:$6$", AUTH_LINE_WEAK, NULL, NULL },
	{ "alice:$6$salt hash", AUTH_LINE_WEAK, NULL, NULL },
	{ "alice", AUTH_LINE_BAD, NULL, NULL },
	{ ":$6$saltsalt$hash", AUTH_LINE_BAD, NULL, NULL },
	{ "alice:", AUTH_LINE_BAD, NULL, NULL },
	{ "al\x01ice:$6$saltsalt$hash", AUTH_LINE_BAD, NULL, NULL },
};

START_TEST(reads_password_lines_table)
{
	struct span user = { NULL, 0 }, hash = { NULL, 0 };
	const char *l = lines[_i].line;
	char *copy = strdup(l);

	ck_assert_int_eq(auth_parse_line(copy, strlen(l), &user, &hash),
	    lines[_i].kind);
	if (lines[_i].kind == AUTH_LINE_ENTRY) {
		ck_assert_uint_eq(user.n, strlen(lines[_i].user));
		ck_assert_mem_eq(user.p, lines[_i].user, user.n);
		ck_assert_uint_eq(hash.n, strlen(lines[_i].hash));
		ck_assert_mem_eq(hash.p, lines[_i].hash, hash.n);
	}
	free(copy);
}
END_TEST

static const struct {
	const char	*value;
	const char	*user;		/* NULL: refused */
	const char	*pass;
} basics[] = {
	{ "Basic YWxpY2U6cHcx", "alice", "pw1" },		/* alice:pw1 */
	{ "basic   YWxpY2U6cHcx", "alice", "pw1" },
	{ "BASIC YTpiOmM=", "a", "b:c" },			/* a:b:c */
	{ "Basic OnB3", "", "pw" },				/* :pw */
	{ "Basic YTo=", "a", "" },				/* a: */
	{ "Basic w6k6w6k=", "\xc3\xa9", "\xc3\xa9" },		/* UTF-8 */
	{ "Basic YWxpY2U=", NULL, NULL },			/* no ':' */
	{ "Basic YWxpY2U6cHcx=", NULL, NULL },			/* length */
	{ "Basic YWxp=2U6", NULL, NULL },			/* '=' inside */
	{ "Basic YT oK", NULL, NULL },
	{ "Basic YQo6Yg==", NULL, NULL },			/* "a\n:b" */
	{ "Basic YTpiAA==", NULL, NULL },			/* "a:b\0" */
	{ "Bearer YWxpY2U6cHcx", NULL, NULL },
	{ "Basic", NULL, NULL },
	{ "Basic ", NULL, NULL },
	{ "BasicYWxpY2U6cHcx", NULL, NULL },
};

START_TEST(decodes_basic_credentials_table)
{
	char user[AUTH_USER_BYTES], pass[AUTH_PASS_BYTES];
	int rc = auth_decode_basic(sp(basics[_i].value), user, sizeof(user),
	    pass, sizeof(pass));

	if (basics[_i].user == NULL) {
		ck_assert_int_eq(rc, -1);
		return;
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(user, basics[_i].user);
	ck_assert_str_eq(pass, basics[_i].pass);
}
END_TEST

START_TEST(refuses_credentials_larger_than_the_buffers)
{
	char user[4], pass[4];

	/* alice:pw1 */
	ck_assert_int_eq(auth_decode_basic(sp("Basic YWxpY2U6cHcx"), user,
	    sizeof(user), pass, sizeof(pass)), -1);
	ck_assert_str_eq(user, "");
}
END_TEST

/* The access log's: the user alone, the password neither copied nor
 * checked against a buffer. */
START_TEST(decodes_the_user_alone)
{
	char user[16];

	/* alice:pw1, and bob: with a password longer than any buffer */
	ck_assert_int_eq(auth_decode_basic(sp("Basic YWxpY2U6cHcx"), user,
	    sizeof(user), NULL, 0), 0);
	ck_assert_str_eq(user, "alice");
	ck_assert_int_eq(auth_decode_basic(sp("Basic Ym9iOnh4eHh4eHh4eHh4eHh4"
	    "eHh4eHh4eHh4eHh4"), user, sizeof(user), NULL, 0), 0);
	ck_assert_str_eq(user, "bob");
	/* no colon: no user */
	ck_assert_int_eq(auth_decode_basic(sp("Basic YWxpY2U="), user,
	    sizeof(user), NULL, 0), -1);
	ck_assert_str_eq(user, "");
}
END_TEST

START_TEST(compares_whole_strings)
{
	ck_assert_int_eq(auth_equal("abc", "abc"), 1);
	ck_assert_int_eq(auth_equal("abc", "abd"), 0);
	ck_assert_int_eq(auth_equal("abc", "ab"), 0);
	ck_assert_int_eq(auth_equal("", "a"), 0);
	ck_assert_int_eq(auth_equal("", ""), 1);
}
END_TEST

/* --- the tables, with hashes made here --- */
#ifdef HAVE_XCRYPT

static char dir[] = "/tmp/check_auth.XXXXXX";
static char file[sizeof(dir) + 8];

static const char *
hash_of(const char *prefix, const char *pass)
{
	static char out[AUTH_HASH_BYTES];
	static struct crypt_data cd;
	char setting[CRYPT_GENSALT_OUTPUT_SIZE];
	const char *h;

	ck_assert_ptr_nonnull(crypt_gensalt_rn(prefix, 0, NULL, 0, setting,
	    sizeof(setting)));
	/* crypt_rn() as auth.c: the sanitizers' crypt() interceptor finds
	   no shared libcrypt to call when it is linked statically */
	ck_assert_ptr_nonnull(h = crypt_rn(pass, setting, &cd, sizeof(cd)));
	ck_assert_uint_lt(strlen(h), sizeof(out));
	memcpy(out, h, strlen(h) + 1);
	return out;
}

static void
write_file(const char *text)
{
	FILE *f = fopen(file, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

static struct config cfg;
static char arg[sizeof(file) + 16];

static void
tables_setup(void)
{
	char text[1024];
	size_t n;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	(void)snprintf(file, sizeof(file), "%s/pw", dir);
	/* hash_of() keeps one hash at a time */
	n = (size_t)snprintf(text, sizeof(text), "alice:%s\n# comment\n\n",
	    hash_of("$2b$", "pw-a"));
	n += (size_t)snprintf(text + n, sizeof(text) - n,
	    "bob:%s:the second\n", hash_of("$y$", "pw-b"));
	(void)snprintf(text + n, sizeof(text) - n, "carol:%s\n",
	    hash_of("$6$", "pw-c"));
	write_file(text);
	memset(&cfg, 0, sizeof(cfg));
	(void)snprintf(arg, sizeof(arg), "/private:%s", file);
	cfg.auth[0] = arg;
	cfg.auth_rules = 1;
}

static void
tables_teardown(void)
{
	auth_cleanup();
	(void)unlink(file);
	(void)rmdir(dir);
}

/* "Basic " and base64 of user:pass, into buf */
static struct span
basic(char *buf, size_t size, const char *user, const char *pass)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char raw[256];
	size_t n, i, o = 6;
	unsigned long v;

	n = (size_t)snprintf(raw, sizeof(raw), "%s:%s", user, pass);
	memcpy(buf, "Basic ", 6);
	for (i = 0; i < n; i += 3) {
		v = (unsigned long)(unsigned char)raw[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)(unsigned char)raw[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)raw[i + 2];
		buf[o++] = b64[v >> 18 & 63];
		buf[o++] = b64[v >> 12 & 63];
		buf[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		buf[o++] = i + 2 < n ? b64[v & 63] : '=';
	}
	ck_assert_uint_lt(o, size);
	return (struct span){ buf, o };
}

START_TEST(checks_each_kind_of_hash)
{
	char err[512], buf[512];
	const char *realm = NULL;
	struct span none = { NULL, 0 };

	ck_assert_int_eq(auth_setup(&cfg, err, sizeof(err)), 0);
	ck_assert_int_eq(auth_check(&cfg, "public", none, "a", &realm),
	    AUTH_FREE);
	ck_assert_int_eq(auth_check(&cfg, "private", none, "a", &realm),
	    AUTH_REQUIRED);
	ck_assert_str_eq(realm, "/private");
	ck_assert_str_eq(auth_realm("private/x"), "/private");
	ck_assert_ptr_null(auth_realm("privatex"));
	ck_assert_int_eq(auth_check(&cfg, "private/x", basic(buf, sizeof(buf),
	    "alice", "pw-a"), "a", &realm), AUTH_GRANTED);
	ck_assert_int_eq(auth_check(&cfg, "private/x", basic(buf, sizeof(buf),
	    "bob", "pw-b"), "a", &realm), AUTH_GRANTED);
	ck_assert_int_eq(auth_check(&cfg, "private/x", basic(buf, sizeof(buf),
	    "carol", "pw-c"), "a", &realm), AUTH_GRANTED);
	ck_assert_int_eq(auth_check(&cfg, "private/x", basic(buf, sizeof(buf),
	    "alice", "pw-b"), "a", &realm), AUTH_REFUSED);
	ck_assert_int_eq(auth_check(&cfg, "private/x", basic(buf, sizeof(buf),
	    "mallory", "pw-a"), "a", &realm), AUTH_REFUSED);
	ck_assert_int_eq(auth_check(&cfg, "private/x", sp("Basic !!!!"), "a",
	    &realm), AUTH_REFUSED);
}
END_TEST

START_TEST(refuses_weak_files_with_the_line)
{
	char err[512], text[512];

	(void)snprintf(text, sizeof(text), "alice:%s\nbob:secret\n",
	    hash_of("$6$", "x"));
	write_file(text);
	ck_assert_int_eq(auth_setup(&cfg, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "pw:2: not a bcrypt"));
	write_file("alice:$apr1$abc$def\n");
	ck_assert_int_eq(auth_setup(&cfg, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "pw:1: "));
	(void)snprintf(text, sizeof(text), "alice:%s\nalice:%s\n",
	    hash_of("$6$", "x"), "$6$saltsalt$hash");
	write_file(text);
	ck_assert_int_eq(auth_setup(&cfg, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "pw:2: user alice again"));
	write_file("# nobody\n");
	ck_assert_int_eq(auth_setup(&cfg, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no users"));
}
END_TEST

START_TEST(reload_keeps_the_old_table_when_the_new_is_bad)
{
	char err[512], buf[512], text[512];
	const char *realm;

	ck_assert_int_eq(auth_setup(&cfg, err, sizeof(err)), 0);
	write_file("alice:plain\n");
	auth_reload(&cfg);
	ck_assert_int_eq(auth_check(&cfg, "private", basic(buf, sizeof(buf),
	    "alice", "pw-a"), "a", &realm), AUTH_GRANTED);
	(void)snprintf(text, sizeof(text), "alice:%s\n",
	    hash_of("$6$", "new"));
	write_file(text);
	auth_reload(&cfg);
	ck_assert_int_eq(auth_check(&cfg, "private", basic(buf, sizeof(buf),
	    "alice", "pw-a"), "a", &realm), AUTH_REFUSED);
	ck_assert_int_eq(auth_check(&cfg, "private", basic(buf, sizeof(buf),
	    "alice", "new"), "a", &realm), AUTH_GRANTED);
}
END_TEST

START_TEST(the_longest_prefix_wins)
{
	char err[512], buf[512], text[512], arg2[sizeof(file) + 16];
	const char *realm = NULL;

	(void)snprintf(text, sizeof(text), "alice:%s\n",
	    hash_of("$6$", "pw"));
	write_file(text);
	(void)snprintf(arg2, sizeof(arg2), "/private/inner:%s", file);
	cfg.auth[1] = arg2;
	cfg.auth_rules = 2;
	ck_assert_int_eq(auth_setup(&cfg, err, sizeof(err)), 0);
	ck_assert_int_eq(auth_check(&cfg, "private/inner/x",
	    basic(buf, sizeof(buf), "alice", "pw"), "a", &realm),
	    AUTH_GRANTED);
	ck_assert_str_eq(realm, "/private/inner");
	ck_assert_str_eq(auth_realm("private/innerx"), "/private");
}
END_TEST

#endif /* HAVE_XCRYPT */

Suite *
test_suite(void)
{
	Suite *s = suite_create("auth");
	TCase *tc = tcase_create("parse");
	TCase *tt = tcase_create("tables");

	tcase_add_loop_test(tc, splits_options_table, 0,
	    (int)(sizeof(options) / sizeof(options[0])));
	tcase_add_loop_test(tc, matches_on_segment_boundaries_table, 0,
	    (int)(sizeof(prefixes) / sizeof(prefixes[0])));
	tcase_add_loop_test(tc, reads_password_lines_table, 0,
	    (int)(sizeof(lines) / sizeof(lines[0])));
	tcase_add_loop_test(tc, decodes_basic_credentials_table, 0,
	    (int)(sizeof(basics) / sizeof(basics[0])));
	tcase_add_test(tc, refuses_credentials_larger_than_the_buffers);
	tcase_add_test(tc, decodes_the_user_alone);
	tcase_add_test(tc, compares_whole_strings);
	suite_add_tcase(s, tc);
#ifdef HAVE_XCRYPT
	tcase_add_checked_fixture(tt, tables_setup, tables_teardown);
	tcase_add_test(tt, checks_each_kind_of_hash);
	tcase_add_test(tt, refuses_weak_files_with_the_line);
	tcase_add_test(tt, reload_keeps_the_old_table_when_the_new_is_bad);
	tcase_add_test(tt, the_longest_prefix_wins);
	tcase_set_timeout(tt, 30);
	suite_add_tcase(s, tt);
#else
	(void)tt;
#endif
	return s;
}
