/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What forkhttpd decides in a TLS handshake, without OpenSSL: the
 * certificate a server name gets (SNI) and the protocol ALPN settles on.
 */
#include <config.h>

#include <string.h>

#include "tls_names.h"
#include "tests.h"

static int
matches(const char *pattern, const char *host)
{
	return tls_name_matches(pattern, host, strlen(host));
}

START_TEST(exact_names_match_without_case)
{
	ck_assert(matches("example.org", "example.org"));
	ck_assert(matches("example.org", "EXAMPLE.Org"));
	ck_assert(matches("Example.ORG", "example.org"));
	ck_assert(matches("example.org", "example.org."));
	ck_assert(!matches("example.org", "example.org.."));
	ck_assert(!matches("example.org", "www.example.org"));
	ck_assert(!matches("example.org", "example.or"));
	ck_assert(!matches("example.org", "example.orgx"));
	ck_assert(!matches("example.org", ""));
	ck_assert(!matches("example.org", "."));
	ck_assert(!matches("", "example.org"));
	/* a NUL inside the name the client sent is no name */
	ck_assert(!tls_name_matches("example.org", "example.org\0x", 13));
	ck_assert(!tls_name_matches("ab", "a\0", 2));
}
END_TEST

START_TEST(a_wildcard_is_one_whole_leftmost_label)
{
	ck_assert(matches("*.example.org", "www.example.org"));
	ck_assert(matches("*.example.org", "A.EXAMPLE.ORG"));
	ck_assert(matches("*.example.org", "a.example.org."));
	ck_assert(!matches("*.example.org", "example.org"));
	ck_assert(!matches("*.example.org", ".example.org"));
	ck_assert(!matches("*.example.org", "a.b.example.org"));
	ck_assert(!matches("*.example.org", "aexample.org"));
	ck_assert(!matches("*.example.org", "www.example.org.uk"));
	/* RFC 6125 6.4.3: nothing but a whole leftmost label, and not
	   directly under a top-level domain */
	ck_assert(!matches("w*.example.org", "www.example.org"));
	ck_assert(!matches("*w.example.org", "www.example.org"));
	ck_assert(!matches("www.*.org", "www.example.org"));
	ck_assert(!matches("*.*.org", "www.example.org"));
	ck_assert(!matches("*.org", "example.org"));
	ck_assert(!matches("*", "example"));
	ck_assert(!matches("*.", "a."));
	ck_assert(!matches("**.example.org", "a.example.org"));
	/* a wildcard in the client's name is just a byte */
	ck_assert(!matches("www.example.org", "*.example.org"));
	ck_assert(matches("*.example.org", "*.example.org"));
}
END_TEST

START_TEST(the_certificate_for_a_name)
{
	static const char *const first[] = { "example.org",
	    "www.example.org", NULL };
	static const char *const wild[] = { "*.wild.test", NULL };
	static const char *const exact[] = { "a.wild.test", "other.test",
	    NULL };
	static const char *const again[] = { "other.test", NULL };
	const char *const *names[] = { first, wild, exact, again };

	/* no name, or one nobody has: the first, the default */
	ck_assert_uint_eq(tls_pick_certificate(names, 4, NULL, 0), 0);
	ck_assert_uint_eq(tls_pick_certificate(names, 4, "x", 0), 0);
	ck_assert_uint_eq(tls_pick_certificate(names, 4, "nobody.test", 11),
	    0);
	ck_assert_uint_eq(tls_pick_certificate(names, 4, "www.example.org",
	    15), 0);
	/* a wildcard when no certificate names the host exactly */
	ck_assert_uint_eq(tls_pick_certificate(names, 4, "b.wild.test", 11),
	    1);
	/* an exact name wins over an earlier wildcard */
	ck_assert_uint_eq(tls_pick_certificate(names, 4, "A.Wild.Test", 11),
	    2);
	/* of two exact ones, the earlier */
	ck_assert_uint_eq(tls_pick_certificate(names, 4, "other.test", 10),
	    2);
	ck_assert_uint_eq(tls_pick_certificate(names, 1, "other.test", 10),
	    0);
	ck_assert_uint_eq(tls_pick_certificate(names, 0, "other.test", 10),
	    0);
}
END_TEST

static int
alpn(const char *wire, size_t n, const char *want)
{
	const unsigned char *out = NULL;
	unsigned char outlen = 0;

	if (tls_alpn_pick((const unsigned char *)wire, n, &out,
	    &outlen) != 0)
		return want == NULL;
	/* what is chosen points into the client's list */
	ck_assert(out >= (const unsigned char *)wire &&
	    out + outlen <= (const unsigned char *)wire + n);
	return want != NULL && outlen == strlen(want) &&
	    memcmp(out, want, outlen) == 0;
}

START_TEST(alpn_settles_on_http_1_1)
{
	ck_assert(alpn("\x08http/1.1", 9, "http/1.1"));
	ck_assert(alpn("\x02h2\x08http/1.1", 12, "http/1.1"));
	ck_assert(alpn("\x08http/1.0\x08http/1.1", 18, "http/1.1"));
	ck_assert(alpn("\x08http/1.0", 9, "http/1.0"));
	ck_assert(alpn("\x02h2", 3, NULL));
	ck_assert(alpn("\x02h2\x02h3", 6, NULL));
	ck_assert(alpn("", 0, NULL));
	ck_assert(tls_alpn_pick(NULL, 0, NULL, NULL) == -1);
	/* a name a byte short or long is another name */
	ck_assert(alpn("\x07http/1.", 8, NULL));
	ck_assert(alpn("\x09http/1.1x", 10, NULL));
	ck_assert(alpn("\x08HTTP/1.1", 9, NULL));
}
END_TEST

START_TEST(a_malformed_alpn_list_is_refused)
{
	/* a length past the end, a zero length, a truncated list */
	ck_assert(alpn("\x09http/1.1", 9, NULL));
	ck_assert(alpn("\x08http/1.1\x05h2", 12, NULL));
	ck_assert(alpn("\x00\x08http/1.1", 10, NULL));
	ck_assert(alpn("\x02h2\xff", 4, NULL));
	/* even when http/1.1 came first: the list as a whole is broken */
	ck_assert(alpn("\x02h2\x00", 4, NULL));
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("tls");
	TCase *tc = tcase_create("names");

	tcase_add_test(tc, exact_names_match_without_case);
	tcase_add_test(tc, a_wildcard_is_one_whole_leftmost_label);
	tcase_add_test(tc, the_certificate_for_a_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("alpn");
	tcase_add_test(tc, alpn_settles_on_http_1_1);
	tcase_add_test(tc, a_malformed_alpn_list_is_refused);
	suite_add_tcase(s, tc);
	return s;
}
