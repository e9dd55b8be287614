/* SPDX-License-Identifier: BSD-2-Clause */
/* The command line: defaults, each option, and what is refused. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "options.h"
#include "path.h"
#include "tests.h"

#define ARGC(v)	((int)(sizeof(v) / sizeof((v)[0])) - 1)

static int
run(int argc, char **argv, struct config *cfg, const char **model)
{
	/* --help and usage errors print; keep the TAP stream clean */
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stdout));
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));
	return options_parse(argc, argv, cfg, model);
}

START_TEST(defaults_without_arguments)
{
	char *argv[] = { "forkhttpd", NULL };
	struct config cfg;
	const char *model;

	ck_assert_int_eq(run(ARGC(argv), argv, &cfg, &model), OPTIONS_RUN);
	ck_assert_str_eq(cfg.port, DEFAULT_PORT);
	ck_assert_int_eq(cfg.addresses, 0);
	ck_assert_str_eq(cfg.docroot, DEFAULT_DOCROOT);
	ck_assert_int_eq(cfg.idle_timeout_sec, DEFAULT_IDLE_TIMEOUT_SEC);
	ck_assert_int_eq(cfg.foreground, 0);
	ck_assert_int_eq(cfg.path_flags, 0);
	ck_assert_str_eq(model, "fork");
}
END_TEST

START_TEST(short_options)
{
	char *argv[] = { "forkhttpd", "-p", "0", "-a", "::1", "-d", "/srv",
	    "-T", "30", "-D", "-m", "single", NULL };
	struct config cfg;
	const char *model;

	ck_assert_int_eq(run(ARGC(argv), argv, &cfg, &model), OPTIONS_RUN);
	ck_assert_str_eq(cfg.port, "0");
	ck_assert_int_eq(cfg.addresses, 1);
	ck_assert_str_eq(cfg.address[0], "::1");
	ck_assert_str_eq(cfg.docroot, "/srv");
	ck_assert_int_eq(cfg.idle_timeout_sec, 30);
	ck_assert_int_eq(cfg.foreground, 1);
	ck_assert_str_eq(model, "single");
}
END_TEST

START_TEST(every_address_is_kept)
{
	char *argv[] = { "forkhttpd", "-a", "127.0.0.1", "--address=::1",
	    "-a", "127.0.0.2", NULL };
	char *many[2 * MAX_ADDRESSES + 4];
	struct config cfg;
	const char *model;
	int i;

	ck_assert_int_eq(run(ARGC(argv), argv, &cfg, &model), OPTIONS_RUN);
	ck_assert_int_eq(cfg.addresses, 3);
	ck_assert_str_eq(cfg.address[0], "127.0.0.1");
	ck_assert_str_eq(cfg.address[1], "::1");
	ck_assert_str_eq(cfg.address[2], "127.0.0.2");
	/* one more than there is room for is a usage error, not dropped */
	many[0] = "forkhttpd";
	for (i = 0; i <= MAX_ADDRESSES; i++) {
		many[2 * i + 1] = "-a";
		many[2 * i + 2] = "127.0.0.1";
	}
	many[2 * MAX_ADDRESSES + 3] = NULL;
	ck_assert_int_eq(run(2 * MAX_ADDRESSES + 3, many, &cfg, &model),
	    OPTIONS_USAGE);
}
END_TEST

START_TEST(long_options)
{
	char *argv[] = { "forkhttpd", "--port=65535", "--address", "127.0.0.1",
	    "--docroot=/x", "--timeout", "1", "--foreground", "--dotfiles",
	    "--model=fork", NULL };
	struct config cfg;
	const char *model;

	ck_assert_int_eq(run(ARGC(argv), argv, &cfg, &model), OPTIONS_RUN);
	ck_assert_str_eq(cfg.port, "65535");
	ck_assert_int_eq(cfg.addresses, 1);
	ck_assert_str_eq(cfg.address[0], "127.0.0.1");
	ck_assert_str_eq(cfg.docroot, "/x");
	ck_assert_int_eq(cfg.idle_timeout_sec, 1);
	ck_assert_int_eq(cfg.foreground, 1);
	ck_assert_int_eq(cfg.path_flags, PATH_ALLOW_DOTFILES);
	ck_assert_str_eq(model, "fork");
}
END_TEST

START_TEST(help_and_version_exit)
{
	char *h[] = { "forkhttpd", "--help", NULL };
	char *v[] = { "forkhttpd", "-V", NULL };
	struct config cfg;
	const char *model;

	ck_assert_int_eq(run(ARGC(h), h, &cfg, &model), OPTIONS_EXIT);
	ck_assert_int_eq(run(ARGC(v), v, &cfg, &model), OPTIONS_EXIT);
}
END_TEST

static char *refused[][4] = {
	{ "forkhttpd", "-p", "65536", NULL },
	{ "forkhttpd", "-p", "-1", NULL },
	{ "forkhttpd", "-p", "http", NULL },
	{ "forkhttpd", "-p", "", NULL },
	{ "forkhttpd", "-p", "80x", NULL },
	{ "forkhttpd", "-T", "0", NULL },
	{ "forkhttpd", "-T", "86401", NULL },
	{ "forkhttpd", "-T", " 5", NULL },
	{ "forkhttpd", "--no-such-option", NULL, NULL },
	{ "forkhttpd", "-x", NULL, NULL },
	{ "forkhttpd", "-p", NULL, NULL },
	{ "forkhttpd", "stray", NULL, NULL },
};

START_TEST(refuses_bad_usage)
{
	struct config cfg;
	const char *model;
	int argc = 0;

	while (argc < 4 && refused[_i][argc] != NULL)
		argc++;
	ck_assert_int_eq(run(argc, refused[_i], &cfg, &model), OPTIONS_USAGE);
}
END_TEST

/* main.c looks -m up in the table of models; options.c only passes it on. */
START_TEST(site_options)
{
	char *argv[] = { "forkhttpd", "--precompressed", "--header",
	    "X-A: b", "--header=X-C:d", "--max-age", "60", "--charset",
	    "latin1", "--mime-types", "/etc/mime.types", NULL };
	char *none[] = { "forkhttpd", "--charset=none", NULL };
	struct config cfg;
	const char *model;

	ck_assert_int_eq(run(ARGC(argv), argv, &cfg, &model), OPTIONS_RUN);
	ck_assert_int_eq(cfg.precompressed, 1);
	ck_assert_str_eq(cfg.extra_headers, "X-A: b\r\nX-C: d\r\n");
	ck_assert_int_eq(cfg.max_age_sec, 60);
	ck_assert_str_eq(cfg.charset, "latin1");
	ck_assert_str_eq(cfg.mime_types, "/etc/mime.types");
	ck_assert_int_eq(run(ARGC(none), none, &cfg, &model), OPTIONS_RUN);
	ck_assert_ptr_null(cfg.charset);
	ck_assert_int_eq(cfg.precompressed, 0);
	ck_assert_int_eq(cfg.max_age_sec, -1);
	ck_assert_str_eq(cfg.extra_headers, "");
}
END_TEST

START_TEST(site_defaults)
{
	char *argv[] = { "forkhttpd", NULL };
	struct config cfg;
	const char *model;

	ck_assert_int_eq(run(ARGC(argv), argv, &cfg, &model), OPTIONS_RUN);
	ck_assert_str_eq(cfg.charset, DEFAULT_CHARSET);
	ck_assert_ptr_null(cfg.mime_types);
}
END_TEST

static char *bad_site[][6] = {
	{ "forkhttpd", "--header", "Content-Length: 1", NULL },
	{ "forkhttpd", "--header", "X-A: b\r\nX-B: c", NULL },
	{ "forkhttpd", "--max-age", "60", "--header", "Expires: 0", NULL },
	{ "forkhttpd", "--header", "Cache-Control: x", "--max-age", "1", NULL },
	{ "forkhttpd", "--max-age", "x", NULL },
	{ "forkhttpd", "--charset", "", NULL },
};

START_TEST(refuses_bad_site_options)
{
	struct config cfg;
	const char *model;
	int argc = 0;

	while (bad_site[_i][argc] != NULL)
		argc++;
	ck_assert_int_eq(run(argc, bad_site[_i], &cfg, &model),
	    OPTIONS_USAGE);
}
END_TEST

START_TEST(model_is_named_not_looked_up)
{
	char *argv[] = { "forkhttpd", "-m", "carrier-pigeon", NULL };
	struct config cfg;
	const char *model;

	ck_assert_int_eq(run(ARGC(argv), argv, &cfg, &model), OPTIONS_RUN);
	ck_assert_str_eq(model, "carrier-pigeon");
	ck_assert_int_eq(options_bad_model("carrier-pigeon", NULL),
	    OPTIONS_USAGE);
	ck_assert_int_eq(options_bad_model("thread", "no threads"),
	    OPTIONS_USAGE);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("options");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, defaults_without_arguments);
	tcase_add_test(tc, short_options);
	tcase_add_test(tc, long_options);
	tcase_add_test(tc, every_address_is_kept);
	tcase_add_test(tc, help_and_version_exit);
	tcase_add_loop_test(tc, refuses_bad_usage, 0,
	    sizeof(refused) / sizeof(refused[0]));
	tcase_add_test(tc, model_is_named_not_looked_up);
	tcase_add_test(tc, site_options);
	tcase_add_test(tc, site_defaults);
	tcase_add_loop_test(tc, refuses_bad_site_options, 0,
	    sizeof(bad_site) / sizeof(bad_site[0]));
	suite_add_tcase(s, tc);
	return s;
}
