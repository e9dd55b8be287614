/* SPDX-License-Identifier: BSD-2-Clause */
/* The bounded appender: what fits, what is cut, and never a byte past. */
#include <config.h>

#include <limits.h>
#include <string.h>

#include "outbuf.h"
#include "tests.h"

#define GUARD	'#'

/* buf[0..size) is the outbuf's; the rest stays GUARD unless overwritten. */
static char buf[64];

static void
fresh(struct outbuf *o, size_t size)
{
	memset(buf, GUARD, sizeof(buf));
	outbuf_init(o, buf, size);
}

static void
assert_guarded(size_t size)
{
	size_t i;

	for (i = size; i < sizeof(buf); i++)
		ck_assert_int_eq(buf[i], GUARD);
}

START_TEST(appends_what_fits)
{
	struct outbuf o;

	fresh(&o, 16);
	outbuf_put_str(&o, "GET");
	outbuf_put_char(&o, ' ');
	outbuf_put_mem(&o, "/index.html", 6);
	outbuf_put_mem(&o, "", 0);
	ck_assert_uint_eq(o.len, 10);
	ck_assert_int_eq(o.cut, 0);
	ck_assert_mem_eq(buf, "GET /index", 10);
	ck_assert_int_eq(outbuf_finish(&o), 0);
	ck_assert_str_eq(buf, "GET /index");
	ck_assert_uint_eq(o.len, 10);
	assert_guarded(16);
}
END_TEST

/* Text of each length from 0 to 12 into each size from 0 to 10. */
START_TEST(cuts_at_size_and_says_so)
{
	static const char text[] = "abcdefghijkl";
	struct outbuf o;
	size_t size, n;

	for (size = 0; size <= 10; size++)
		for (n = 0; n < sizeof(text); n++) {
			fresh(&o, size);
			outbuf_put_mem(&o, text, n);
			ck_assert_uint_eq(o.len, n < size ? n : size);
			ck_assert_int_eq(o.cut, n > size);
			ck_assert_mem_eq(buf, text, o.len);
			assert_guarded(size);
			/* once full, nothing more goes in; the cut stays */
			outbuf_put_str(&o, "xyz");
			outbuf_put_char(&o, 'x');
			ck_assert_uint_le(o.len, size);
			ck_assert_int_eq(outbuf_finish(&o),
			    n + 4 < size ? 0 : -1);
			assert_guarded(size);
		}
}
END_TEST

START_TEST(a_cut_is_kept_after_text_that_fits)
{
	struct outbuf o;

	fresh(&o, 8);
	o.size = 4;		/* a field that must leave room */
	outbuf_put_str(&o, "abcdef");
	ck_assert_uint_eq(o.len, 4);
	o.size = 8;
	outbuf_put_str(&o, "xy");
	ck_assert_uint_eq(o.len, 6);
	ck_assert_mem_eq(buf, "abcdxy", 6);
	ck_assert_int_eq(o.cut, 1);
	ck_assert_int_eq(outbuf_finish(&o), -1);
	ck_assert_str_eq(buf, "abcdxy");
}
END_TEST

START_TEST(finish_needs_room_for_the_nul)
{
	struct outbuf o;

	fresh(&o, 4);
	outbuf_put_str(&o, "abc");
	ck_assert_int_eq(outbuf_finish(&o), 0);
	ck_assert_str_eq(buf, "abc");

	fresh(&o, 4);
	outbuf_put_str(&o, "abcd");
	ck_assert_int_eq(o.cut, 0);
	ck_assert_int_eq(outbuf_finish(&o), -1);
	ck_assert_int_eq(o.cut, 1);
	ck_assert_str_eq(buf, "abc");
	assert_guarded(4);

	fresh(&o, 0);
	ck_assert_int_eq(outbuf_finish(&o), -1);
	assert_guarded(0);
}
END_TEST

START_TEST(reserves_all_or_nothing)
{
	struct outbuf o;
	char *at;

	fresh(&o, 6);
	ck_assert_ptr_nonnull(at = outbuf_reserve(&o, 4));
	memcpy(at, "\\x0a", 4);
	ck_assert_ptr_null(outbuf_reserve(&o, 4));
	ck_assert_uint_eq(o.len, 4);
	ck_assert_int_eq(o.cut, 1);
	ck_assert_ptr_nonnull(at = outbuf_reserve(&o, 2));
	memcpy(at, "ok", 2);
	ck_assert_ptr_null(outbuf_reserve(&o, 1));
	ck_assert_mem_eq(buf, "\\x0aok", 6);
	assert_guarded(6);
}
END_TEST

static const struct {
	unsigned long long v;
	size_t	 width;
	const char *dec, *hex;
} numbers[] = {
	{ 0, 0, "0", "0" },
	{ 7, 2, "07", "07" },
	{ 255, 0, "255", "ff" },
	{ 1994, 4, "1994", "07ca" },
	{ 12345, 2, "12345", "3039" },
	{ ULLONG_MAX, 0, "18446744073709551615", "ffffffffffffffff" },
	{ 5, 30, "000000000000000000000005", "000000000000000000000005" },
};

START_TEST(writes_numbers)
{
	struct outbuf o;

	fresh(&o, 40);
	outbuf_put_digits(&o, numbers[_i].v, numbers[_i].width);
	ck_assert_int_eq(outbuf_finish(&o), 0);
	ck_assert_str_eq(buf, numbers[_i].dec);
	fresh(&o, 40);
	outbuf_put_hex(&o, numbers[_i].v, numbers[_i].width);
	ck_assert_int_eq(outbuf_finish(&o), 0);
	ck_assert_str_eq(buf, numbers[_i].hex);
}
END_TEST

START_TEST(writes_signed_numbers)
{
	struct outbuf o;

	fresh(&o, 60);
	outbuf_put_signed(&o, -12, 4);
	outbuf_put_char(&o, ' ');
	outbuf_put_signed(&o, LLONG_MIN, 0);
	outbuf_put_char(&o, ' ');
	outbuf_put_signed(&o, LLONG_MAX, 0);
	ck_assert_int_eq(outbuf_finish(&o), 0);
	ck_assert_str_eq(buf, "-0012 -9223372036854775808 "
	    "9223372036854775807");
}
END_TEST

START_TEST(numbers_are_cut_like_text)
{
	struct outbuf o;

	fresh(&o, 3);
	outbuf_put_digits(&o, 123456, 0);
	ck_assert_uint_eq(o.len, 3);
	ck_assert_int_eq(o.cut, 1);
	ck_assert_mem_eq(buf, "123", 3);
	assert_guarded(3);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("outbuf");
	TCase *tc = tcase_create("append");

	tcase_add_test(tc, appends_what_fits);
	tcase_add_test(tc, cuts_at_size_and_says_so);
	tcase_add_test(tc, a_cut_is_kept_after_text_that_fits);
	tcase_add_test(tc, finish_needs_room_for_the_nul);
	tcase_add_test(tc, reserves_all_or_nothing);
	tcase_add_loop_test(tc, writes_numbers, 0,
	    (int)(sizeof(numbers) / sizeof(numbers[0])));
	tcase_add_test(tc, writes_signed_numbers);
	tcase_add_test(tc, numbers_are_cut_like_text);
	suite_add_tcase(s, tc);
	return s;
}
