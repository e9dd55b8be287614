/* SPDX-License-Identifier: BSD-2-Clause */
/* The range-checked decimal parser, and the hex digits. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "tests.h"

START_TEST(numbers_are_range_checked)
{
	long long n = -7;

	ck_assert_int_eq(number_parse_str("42", 0, 100, &n), 0);
	ck_assert_int_eq(n, 42);
	ck_assert_int_eq(number_parse_str("0", 0, 0, &n), 0);
	ck_assert_int_eq(number_parse_str("101", 0, 100, &n), -1);
	ck_assert_int_eq(number_parse_str("", 0, 100, &n), -1);
	ck_assert_int_eq(number_parse_str("+1", 0, 100, &n), -1);
	ck_assert_int_eq(number_parse_str("-1", -5, 100, &n), -1);
	ck_assert_int_eq(number_parse_str("1 ", 0, 100, &n), -1);
	ck_assert_int_eq(number_parse_str(" 1", 0, 100, &n), -1);
	ck_assert_int_eq(number_parse_str("99999999999999999999", 0, 100,
	    &n), -1);
	ck_assert_int_eq(number_parse_str("5", 6, 100, &n), -1);
	ck_assert_int_eq(number_parse_str("7", 0, 5, &n), -1);
	ck_assert_int_eq(number_parse_str("1", 0, -1, &n), -1);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(number_parse_str("007", 0, 7, &n), 0);
	ck_assert_int_eq(n, 7);
}
END_TEST

START_TEST(never_overflows)
{
	long long n = 0;

	ck_assert_int_eq(number_parse_str("9223372036854775807", 0,
	    LLONG_MAX, &n), 0);
	ck_assert_int_eq(n, LLONG_MAX);
	ck_assert_int_eq(number_parse_str("9223372036854775808", 0,
	    LLONG_MAX, &n), -1);
	ck_assert_int_eq(number_parse_str("18446744073709551616", 0,
	    LLONG_MAX, &n), -1);
	ck_assert_int_eq(number_parse_str("9223372036854775799", 0,
	    LLONG_MAX - 8, &n), 0);
	ck_assert_int_eq(n, LLONG_MAX - 8);
	ck_assert_int_eq(number_parse_str("9223372036854775800", 0,
	    LLONG_MAX - 8, &n), -1);
	ck_assert_int_eq(number_parse_str("000000000000000000000000001", 0,
	    1, &n), 0);
	ck_assert_int_eq(n, 1);
}
END_TEST

/* Spans are not NUL-terminated: only s[0..n) counts. */
START_TEST(reads_spans_and_prefixes)
{
	const char text[] = "123-456,x";
	long long v = -1;
	size_t used = 99;

	ck_assert_int_eq(number_parse(text, 3, 0, 1000, &v), 0);
	ck_assert_int_eq(v, 123);
	ck_assert_int_eq(number_parse(text, 4, 0, 1000, &v), -1);
	ck_assert_int_eq(number_parse(text, 0, 0, 1000, &v), -1);
	ck_assert_int_eq(number_prefix(text, sizeof(text) - 1, 1000, &v,
	    &used), 0);
	ck_assert_int_eq(v, 123);
	ck_assert_uint_eq(used, 3);
	ck_assert_int_eq(number_prefix(text + 4, 5, 1000, &v, &used), 0);
	ck_assert_int_eq(v, 456);
	ck_assert_uint_eq(used, 3);
	ck_assert_int_eq(number_prefix(text + 3, 6, 1000, &v, &used), -1);
	ck_assert_int_eq(number_prefix(text, 2, 1000, &v, &used), 0);
	ck_assert_int_eq(v, 12);
	ck_assert_int_eq(number_prefix(text, 3, 122, &v, &used), -1);
	ck_assert_int_eq(v, 12);
	ck_assert_uint_eq(used, 2);
}
END_TEST

/* The strtoll wrapper that options.c had, for comparison. */
static int
strtoll_number(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

START_TEST(answers_as_the_strtoll_wrapper_did)
{
	static const char chars[] = "0123456789 +-x";
	static const long long bounds[][2] = {
		{ 0, 65535 }, { 1, 86400 }, { 0, 0 }, { 1, 0x7fffffff },
		{ 0, LLONG_MAX }, { -5, 100 },
	};
	char s[32];
	long long a, b;
	unsigned seed = 1;
	size_t i, j, len;
	int ra, rb;

	for (i = 0; i < 200000; i++) {
		seed = seed * 1103515245 + 12345;
		len = (seed >> 16) % 24;
		for (j = 0; j < len; j++) {
			seed = seed * 1103515245 + 12345;
			s[j] = (seed >> 16) % 8 != 0 ? chars[(seed >> 20) % 10] :
			    chars[(seed >> 20) % (sizeof(chars) - 1)];
		}
		s[len] = '\0';
		j = i % (sizeof(bounds) / sizeof(bounds[0]));
		a = b = -42;
		ra = strtoll_number(s, bounds[j][0], bounds[j][1], &a);
		rb = number_parse_str(s, bounds[j][0], bounds[j][1], &b);
		ck_assert_msg(ra == rb && a == b, "\"%s\" in [%lld, %lld]", s,
		    bounds[j][0], bounds[j][1]);
	}
}
END_TEST

START_TEST(hex_digits_both_ways)
{
	int c, v;

	for (c = 0; c < 256; c++) {
		v = number_hex_value((unsigned char)c);
		if (c >= '0' && c <= '9')
			ck_assert_int_eq(v, c - '0');
		else if (c >= 'a' && c <= 'f')
			ck_assert_int_eq(v, c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			ck_assert_int_eq(v, c - 'A' + 10);
		else
			ck_assert_int_eq(v, -1);
	}
	for (v = 0; v < 16; v++) {
		ck_assert_int_eq(number_hex_value(
		    (unsigned char)number_hex_lower[v]), v);
		ck_assert_int_eq(number_hex_value(
		    (unsigned char)number_hex_upper[v]), v);
	}
	ck_assert_str_eq(number_hex_lower, "0123456789abcdef");
	ck_assert_str_eq(number_hex_upper, "0123456789ABCDEF");
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("number");
	TCase *tc = tcase_create("decimal");

	tcase_add_test(tc, numbers_are_range_checked);
	tcase_add_test(tc, never_overflows);
	tcase_add_test(tc, reads_spans_and_prefixes);
	tcase_add_test(tc, answers_as_the_strtoll_wrapper_did);
	suite_add_tcase(s, tc);

	tc = tcase_create("hex");
	tcase_add_test(tc, hex_digits_both_ways);
	suite_add_tcase(s, tc);
	return s;
}
