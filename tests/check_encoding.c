/* SPDX-License-Identifier: BSD-2-Clause */
/* encoding_choose(): Accept-Encoding lines to the variants, best first. */
#include <config.h>

#include <string.h>

#include "encoding.h"
#include "tests.h"

/* Lines split at '|'; the answer as the codings' first letters. */
static const struct {
	const char	*lines;
	const char	*want;
} cases[] = {
	{ "gzip", "g" },
	{ "br", "b" },
	{ "zstd", "z" },
	{ "gzip, deflate, br, zstd", "bzg" },
	{ "gzip, br", "bg" },
	{ "GZIP, Br", "bg" },
	{ "x-gzip", "g" },
	{ "deflate", "" },
	{ "identity", "" },
	{ "", "" },
	{ "*", "bzg" },
	{ "*;q=0", "" },
	{ "br;q=0, *", "zg" },
	{ "gzip;q=0", "" },
	{ "gzip;q=0.000", "" },
	{ "br;q=0.5, zstd;q=0.8, gzip", "gzb" },
	{ "br;q=0.5, zstd;q=0.8, gzip;q=0.1", "zbg" },
	{ "gzip;q=1.0, br;q=0.999", "gb" },
	{ "gzip;q=0.5", "g" },
	{ "identity;q=1, gzip;q=0.5", "" },
	{ "identity;q=0.5, gzip;q=0.5", "g" },
	{ "identity;q=0, gzip", "g" },
	{ "*;q=0.3, gzip;q=0.2", "bz" },
	{ "*;q=0.3, identity;q=0.1, gzip;q=0.2", "bzg" },
	{ "gzip ; q=0.5 , br ;Q=0.6", "bg" },
	{ "gzip;q=2", "" },
	{ "gzip;q=1.5", "" },
	{ "gzip;q=1.0001", "" },
	{ "gzip;q=.5", "" },
	{ "gzip;q=", "" },
	{ "gzip;level=1", "" },
	{ "gzip;q=0.5;x=1", "" },
	{ "gz ip", "" },
	{ ",,gzip,,", "g" },
	{ "gzip, gzip;q=0", "g" },
	{ "gzip;q=0, gzip", "" },
	{ "gzip|br", "bg" },
	{ "br;q=0|*", "zg" },
	{ "  gzip  ", "g" },
	{ "gzip;q=0.5, br;q=0.5, zstd;q=0.5", "bzg" },
};

START_TEST(chooses_by_weight_then_br_zstd_gzip)
{
	struct span_list ae;
	enum encoding order[ENCODING_COUNT];
	char got[ENCODING_COUNT + 1];
	const char *p = cases[_i].lines, *bar;
	size_t n, i;

	memset(&ae, 0, sizeof(ae));
	for (;;) {
		bar = strchr(p, '|');
		ae.line[ae.n].p = p;
		ae.line[ae.n].n = bar ? (size_t)(bar - p) : strlen(p);
		ae.n++;
		if (bar == NULL)
			break;
		p = bar + 1;
	}
	n = encoding_choose(&ae, order);
	for (i = 0; i < n; i++)
		got[i] = encoding_variants[order[i]].coding[0];
	got[n] = '\0';
	ck_assert_msg(strcmp(got, cases[_i].want) == 0,
	    "\"%s\": got \"%s\", want \"%s\"", cases[_i].lines, got,
	    cases[_i].want);
}
END_TEST

START_TEST(no_field_takes_no_variant)
{
	struct span_list ae;
	enum encoding order[ENCODING_COUNT];

	memset(&ae, 0, sizeof(ae));
	ck_assert_uint_eq(encoding_choose(&ae, order), 0);
}
END_TEST

START_TEST(names_the_variants)
{
	ck_assert_str_eq(encoding_variants[ENCODING_BR].suffix, ".br");
	ck_assert_str_eq(encoding_variants[ENCODING_ZSTD].suffix, ".zst");
	ck_assert_str_eq(encoding_variants[ENCODING_GZIP].suffix, ".gz");
	ck_assert_str_eq(encoding_variants[ENCODING_ZSTD].coding, "zstd");
	ck_assert_uint_eq(strlen(encoding_variants[ENCODING_ZSTD].suffix),
	    ENCODING_SUFFIX_BYTES);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("encoding");
	TCase *tc = tcase_create("choose");

	tcase_add_loop_test(tc, chooses_by_weight_then_br_zstd_gzip, 0,
	    sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, no_field_takes_no_variant);
	tcase_add_test(tc, names_the_variants);
	suite_add_tcase(s, tc);
	return s;
}
