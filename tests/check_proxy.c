/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * proxy.c: PROXY headers v1 and v2 (whole, cut at every byte, malformed),
 * trusted networks, and X-Forwarded-For and Forwarded read from the
 * right, as tables of input and expected result.
 */
#include <config.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "proxy.h"
#include "tests.h"

#define SIG2	"\r\n\r\n\0\r\nQUIT\n"

/* The text of ss's address, "-" for none. */
static const char *
text_of(const struct sockaddr_storage *ss, char *buf, size_t size)
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET)
		return inet_ntop(AF_INET, &s4->sin_addr, buf, (socklen_t)size);
	if (ss->ss_family == AF_INET6)
		return inet_ntop(AF_INET6, &s6->sin6_addr, buf,
		    (socklen_t)size);
	return "-";
}

static int
port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

struct header_case {
	const char	*in;
	size_t		 len;		/* 0: strlen(in) */
	int		 want;		/* 0, PROXY_NEED_MORE, PROXY_BAD */
	size_t		 used;
	const char	*source;	/* NULL: the peer stays */
	int		 port;
};

#define V2_INET4 SIG2 "\x21\x11\x00\x0c" "\xc0\x00\x02\x01" "\x0a\x00\x00\x01" \
	"\x30\x39" "\x00\x50"
#define V2_INET6 SIG2 "\x21\x21\x00\x24" \
	"\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x07" \
	"\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01" \
	"\x01\xbb" "\x01\xbb"

static const struct header_case headers[] = {
	{ "PROXY TCP4 192.0.2.1 10.0.0.1 12345 80\r\nGET /", 0, 0, 40,
	    "192.0.2.1", 12345 },
	{ "PROXY TCP6 2001:db8::7 2001:db8::1 443 8443\r\n", 0, 0, 45,
	    "2001:db8::7", 443 },
	{ "PROXY UNKNOWN\r\n", 0, 0, 15, NULL, 0 },
	{ "PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n", 0, 0, 35, NULL, 0 },
	{ "PROXY TCP4 192.0.2.1 10.0.0.1 0 65535\r\n", 0, 0, 39,
	    "192.0.2.1", 0 },
	/* prefixes: every byte so far belongs to the header */
	{ "P", 0, PROXY_NEED_MORE, 0, NULL, 0 },
	{ "PROXY TCP4 192.0.2.1 10.0", 0, PROXY_NEED_MORE, 0, NULL, 0 },
	{ "PROXY TCP4 192.0.2.1 10.0.0.1 1 2\r", 0, PROXY_NEED_MORE, 0, NULL,
	    0 },
	{ "\r\n\r\n", 0, PROXY_NEED_MORE, 0, NULL, 0 },
	{ SIG2 "\x21\x11", 14, PROXY_NEED_MORE, 0, NULL, 0 },
	{ V2_INET4, 27, PROXY_NEED_MORE, 0, NULL, 0 },
	/* v1 malformed */
	{ "GET / HTTP/1.1\r\n", 0, PROXY_BAD, 0, NULL, 0 },
	{ "PROXX", 0, PROXY_BAD, 0, NULL, 0 },
	{ "PROXY TCP4 192.0.2.1 10.0.0.1 12345 80\n", 0, PROXY_BAD, 0, NULL,
	    0 },
	{ "PROXY TCP4  192.0.2.1 10.0.0.1 1 2\r\n", 0, PROXY_BAD, 0, NULL, 0 },
	{ "PROXY TCP4 192.0.2.1 10.0.0.1 1 2 \r\n", 0, PROXY_BAD, 0, NULL, 0 },
	{ "PROXY TCP4 2001:db8::1 10.0.0.1 1 2\r\n", 0, PROXY_BAD, 0, NULL, 0 },
	{ "PROXY TCP6 192.0.2.1 2001:db8::1 1 2\r\n", 0, PROXY_BAD, 0, NULL,
	    0 },
	{ "PROXY TCP4 192.0.2.1 10.0.0.1 65536 80\r\n", 0, PROXY_BAD, 0, NULL,
	    0 },
	{ "PROXY TCP4 192.0.2.1 10.0.0.1 080 80\r\n", 0, PROXY_BAD, 0, NULL,
	    0 },
	{ "PROXY TCP4 192.0.2.1 10.0.0.1 -1 80\r\n", 0, PROXY_BAD, 0, NULL, 0 },
	{ "PROXY TCP4 192.0.2.1 10.0.0.1 1\r\n", 0, PROXY_BAD, 0, NULL, 0 },
	{ "PROXY TCP5 192.0.2.1 10.0.0.1 1 2\r\n", 0, PROXY_BAD, 0, NULL, 0 },
	{ "PROXY \r\n", 0, PROXY_BAD, 0, NULL, 0 },
	{ "PROXY UNKNOWNX\r\n", 0, PROXY_BAD, 0, NULL, 0 },
	{ "PROXY TCP4 192.0.2.1 10.0.0.1 1 2\r\r\n", 0, PROXY_BAD, 0, NULL, 0 },
	{ "PROXY TCP4 [192.0.2.1] 10.0.0.1 1 2\r\n", 0, PROXY_BAD, 0, NULL, 0 },
	/* 107 bytes and no line end */
	{ "PROXY UNKNOWN xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 0, PROXY_BAD, 0,
	    NULL, 0 },
	{ "PROXY UNKNOWN xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 0, PROXY_NEED_MORE, 0,
	    NULL, 0 },
	/* v2 */
	{ V2_INET4 "GET", 28 + 3, 0, 28, "192.0.2.1", 12345 },
	{ V2_INET6, 52, 0, 52, "2001:db8::7", 443 },
	/* LOCAL (a health check): the peer stays */
	{ SIG2 "\x20\x00\x00\x00", 16, 0, 16, NULL, 0 },
	{ SIG2 "\x20\x11\x00\x0c" "\xc0\x00\x02\x01" "\x0a\x00\x00\x01"
	    "\x30\x39" "\x00\x50", 28, 0, 28, NULL, 0 },
	/* UNSPEC and UNIX give no address */
	{ SIG2 "\x21\x00\x00\x00", 16, 0, 16, NULL, 0 },
	/* TLVs skipped within the declared length */
	{ SIG2 "\x21\x11\x00\x15" "\xc0\x00\x02\x01" "\x0a\x00\x00\x01"
	    "\x30\x39" "\x00\x50" "\x04\x00\x00" "\x01\x00\x03" "h2x",
	    37, 0, 37, "192.0.2.1", 12345 },
	/* a TLV that runs past the declared length */
	{ SIG2 "\x21\x11\x00\x12" "\xc0\x00\x02\x01" "\x0a\x00\x00\x01"
	    "\x30\x39" "\x00\x50" "\x01\x00\x04" "h2x", 34, PROXY_BAD, 0,
	    NULL, 0 },
	/* a TLV head cut by the declared length */
	{ SIG2 "\x21\x11\x00\x0e" "\xc0\x00\x02\x01" "\x0a\x00\x00\x01"
	    "\x30\x39" "\x00\x50" "\x01\x00", 30, PROXY_BAD, 0, NULL, 0 },
	/* an address block longer than the declared length */
	{ SIG2 "\x21\x11\x00\x08" "\xc0\x00\x02\x01" "\x0a\x00\x00\x01", 24,
	    PROXY_BAD, 0, NULL, 0 },
	{ SIG2 "\x21\x21\x00\x0c" "\xc0\x00\x02\x01" "\x0a\x00\x00\x01"
	    "\x30\x39" "\x00\x50", 28, PROXY_BAD, 0, NULL, 0 },
	/* version 1 in the binary form, and unknown commands, families */
	{ SIG2 "\x11\x11\x00\x00", 16, PROXY_BAD, 0, NULL, 0 },
	{ SIG2 "\x22\x11\x00\x0c", 16, PROXY_BAD, 0, NULL, 0 },
	{ SIG2 "\x21\x41\x00\x00", 16, PROXY_BAD, 0, NULL, 0 },
	{ SIG2 "\x21\x12\x00\x0c" "\xc0\x00\x02\x01" "\x0a\x00\x00\x01"
	    "\x30\x39" "\x00\x50", 28, PROXY_BAD, 0, NULL, 0 },
	/* longer than MAX_PROXY_HEADER_BYTES: refused before it is read */
	{ SIG2 "\x21\x11\xff\xff", 16, PROXY_BAD, 0, NULL, 0 },
	{ "\r\n\r\n\0\r\nQUIX\n", 12, PROXY_BAD, 0, NULL, 0 },
};

START_TEST(parses_proxy_headers)
{
	const struct header_case *c = &headers[_i];
	size_t len = c->len ? c->len : strlen(c->in), used = 0;
	struct proxy_header h;
	char buf[64];
	int r;

	r = proxy_parse_header((const unsigned char *)c->in, len,
	    MAX_PROXY_HEADER_BYTES, &h, &used);
	ck_assert_msg(r == c->want, "case %d: %d, not %d", _i, r, c->want);
	if (r != 0)
		return;
	ck_assert_uint_eq(used, c->used);
	ck_assert_int_eq(h.has_source, c->source != NULL);
	if (c->source != NULL) {
		ck_assert_str_eq(text_of(&h.source, buf, sizeof(buf)),
		    c->source);
		ck_assert_int_eq(port_of(&h.source), c->port);
	}
}
END_TEST

/* A good header cut anywhere is a prefix, never bad and never done. */
START_TEST(every_prefix_of_a_good_header_needs_more)
{
	size_t i, k, len, used;
	struct proxy_header h;

	for (k = 0; k < sizeof(headers) / sizeof(headers[0]); k++) {
		if (headers[k].want != 0)
			continue;
		len = headers[k].used;
		for (i = 0; i < len; i++)
			ck_assert_msg(proxy_parse_header(
			    (const unsigned char *)headers[k].in, i,
			    MAX_PROXY_HEADER_BYTES, &h, &used) ==
			    PROXY_NEED_MORE, "case %zu cut at %zu", k, i);
	}
}
END_TEST

START_TEST(the_limit_is_the_declared_length)
{
	unsigned char buf[16 + 300];
	struct proxy_header h;
	size_t used;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, SIG2, 12);
	buf[12] = 0x21;
	buf[13] = 0x00;
	buf[14] = 300 >> 8;
	buf[15] = 300 & 0xff;
	/* 300 bytes of one TLV (type 0xe0, 297 bytes) */
	buf[16] = 0xe0;
	buf[17] = 297 >> 8;
	buf[18] = 297 & 0xff;
	ck_assert_int_eq(proxy_parse_header(buf, sizeof(buf), 316, &h, &used),
	    0);
	ck_assert_uint_eq(used, 316);
	ck_assert_int_eq(proxy_parse_header(buf, sizeof(buf), 315, &h, &used),
	    PROXY_BAD);
}
END_TEST

struct net_case {
	const char	*net;
	const char	*addr;
	int		 want;		/* -1: the network is refused */
};

static const struct net_case nets[] = {
	{ "127.0.0.1", "127.0.0.1", 1 },
	{ "127.0.0.1", "127.0.0.2", 0 },
	{ "127.0.0.1/32", "::ffff:127.0.0.1", 1 },
	{ "10.0.0.0/8", "10.255.1.2", 1 },
	{ "10.0.0.0/8", "11.0.0.1", 0 },
	{ "10.0.0.0/8", "127.0.0.1", 0 },
	{ "0.0.0.0/0", "203.0.113.9", 1 },
	{ "0.0.0.0/0", "2001:db8::1", 0 },
	{ "192.168.4.0/22", "192.168.7.255", 1 },
	{ "192.168.4.0/22", "192.168.8.0", 0 },
	{ "2001:db8::/32", "2001:db8:ffff::1", 1 },
	{ "2001:db8::/32", "2001:db9::1", 0 },
	{ "::1", "::1", 1 },
	{ "::1", "127.0.0.1", 0 },
	{ "::/0", "2001:db8::1", 1 },
	{ "::ffff:0:0/96", "192.0.2.1", 1 },
	{ "fe80::/10", "febf::1", 1 },
	{ "fe80::/10", "fec0::1", 0 },
	/* refused */
	{ "10.0.0.1/8", NULL, -1 },
	{ "10.0.0.0/33", NULL, -1 },
	{ "10.0.0.0/", NULL, -1 },
	{ "10.0.0.0/-1", NULL, -1 },
	{ "10.0.0.0/ 8", NULL, -1 },
	{ "2001:db8::/129", NULL, -1 },
	{ "[::1]", NULL, -1 },
	{ "example.org", NULL, -1 },
	{ "", NULL, -1 },
	{ "/8", NULL, -1 },
	{ "10.0.0", NULL, -1 },
};

START_TEST(matches_trusted_networks)
{
	const struct net_case *c = &nets[_i];
	struct proxy_net net;
	struct sockaddr_storage ss;

	if (c->want < 0) {
		ck_assert_int_eq(proxy_parse_net(c->net, &net), -1);
		return;
	}
	ck_assert_int_eq(proxy_parse_net(c->net, &net), 0);
	ck_assert_int_eq(proxy_parse_addr(c->addr, strlen(c->addr), &ss), 0);
	ck_assert_msg(proxy_trusted(&net, 1, &ss) == c->want, "%s in %s",
	    c->addr, c->net);
}
END_TEST

struct fwd_case {
	const char	*peer;
	const char	*xff[3];	/* lines, NULL-ended */
	const char	*fwd[3];
	const char	*want;		/* the client */
};

/* trusted: 127.0.0.0/8 and 10.0.0.0/8 and 2001:db8:1::/48 */
static const struct fwd_case fwds[] = {
	/* from the right: the first untrusted one */
	{ "127.0.0.1", { "203.0.113.7", NULL }, { NULL }, "203.0.113.7" },
	{ "127.0.0.1", { "198.51.100.1, 203.0.113.7, 10.1.2.3", NULL },
	    { NULL }, "203.0.113.7" },
	/* lines are one list; the last line's last entry is the nearest */
	{ "127.0.0.1", { "198.51.100.1", "203.0.113.7", NULL }, { NULL },
	    "203.0.113.7" },
	{ "127.0.0.1", { "198.51.100.1", "10.0.0.9 , 10.0.0.8", NULL },
	    { NULL }, "198.51.100.1" },
	/* every one trusted: the leftmost */
	{ "127.0.0.1", { "10.0.0.1, 10.0.0.2", NULL }, { NULL }, "10.0.0.1" },
	{ "127.0.0.1", { "2001:db8::5", NULL }, { NULL }, "2001:db8::5" },
	{ "127.0.0.1", { "[2001:db8::5]", NULL }, { NULL }, "2001:db8::5" },
	{ "127.0.0.1", { "2001:db8::5, 2001:db8:1::9", NULL }, { NULL },
	    "2001:db8::5" },
	/* empty entries are nothing */
	{ "127.0.0.1", { ", 203.0.113.7,,", NULL }, { NULL }, "203.0.113.7" },
	/* an untrusted peer's headers are never read */
	{ "192.0.2.1", { "203.0.113.7", NULL }, { NULL }, "192.0.2.1" },
	{ "192.0.2.1", { NULL }, { "for=203.0.113.7", NULL }, "192.0.2.1" },
	/* a forged left part stays left of the first untrusted address */
	{ "127.0.0.1", { "10.0.0.1, 198.51.100.66, 203.0.113.7", NULL },
	    { NULL }, "203.0.113.7" },
	/* garbage reached by the walk: the header is not used */
	{ "127.0.0.1", { "203.0.113.7, nonsense", NULL }, { NULL },
	    "127.0.0.1" },
	{ "127.0.0.1", { "unknown", NULL }, { NULL }, "127.0.0.1" },
	{ "127.0.0.1", { "203.0.113.7:80", NULL }, { NULL }, "127.0.0.1" },
	/* ... but not beyond the first untrusted one */
	{ "127.0.0.1", { "nonsense, 203.0.113.7", NULL }, { NULL },
	    "203.0.113.7" },
	/* Forwarded: for= of each element, ports and quotes taken off */
	{ "127.0.0.1", { NULL }, { "for=203.0.113.7", NULL }, "203.0.113.7" },
	{ "127.0.0.1", { NULL }, { "For=\"203.0.113.7:4711\";proto=https",
	    NULL }, "203.0.113.7" },
	{ "127.0.0.1", { NULL }, { "for=198.51.100.1, for=\"[2001:db8::7]:80\""
	    ";by=10.0.0.1, for=10.0.0.3", NULL }, "2001:db8::7" },
	{ "127.0.0.1", { NULL }, { "for=198.51.100.1",
	    "for=10.0.0.3;proto=http", NULL }, "198.51.100.1" },
	{ "127.0.0.1", { NULL }, { "proto=http;for=203.0.113.7;host=a", NULL },
	    "203.0.113.7" },
	{ "127.0.0.1", { NULL }, { "for=unknown", NULL }, "127.0.0.1" },
	{ "127.0.0.1", { NULL }, { "for=_hidden, for=203.0.113.7", NULL },
	    "203.0.113.7" },
	{ "127.0.0.1", { NULL }, { "for=\"[2001:db8::7\"", NULL },
	    "127.0.0.1" },
	{ "127.0.0.1", { NULL }, { "for=\"203.0.113.7", NULL }, "127.0.0.1" },
	{ "127.0.0.1", { NULL }, { "for=\"a\\\"b\"", NULL }, "127.0.0.1" },
	/* an element that does not say who it was for */
	{ "127.0.0.1", { NULL }, { "for=203.0.113.7, proto=http", NULL },
	    "127.0.0.1" },
	/* X-Forwarded-For wins over Forwarded */
	{ "127.0.0.1", { "203.0.113.7", NULL }, { "for=198.51.100.1", NULL },
	    "203.0.113.7" },
	/* no header */
	{ "127.0.0.1", { NULL }, { NULL }, "127.0.0.1" },
	/* a dual-stack socket's mapped peer is trusted as IPv4 */
	{ "::ffff:127.0.0.1", { "203.0.113.7", NULL }, { NULL },
	    "203.0.113.7" },
};

START_TEST(takes_the_rightmost_untrusted_address)
{
	const struct fwd_case *c = &fwds[_i];
	struct proxy_net t[3];
	struct span xff[3], fwd[3];
	struct sockaddr_storage ss;
	size_t nx = 0, nf = 0;
	char buf[64];
	int changed;

	ck_assert_int_eq(proxy_parse_net("127.0.0.0/8", &t[0]), 0);
	ck_assert_int_eq(proxy_parse_net("10.0.0.0/8", &t[1]), 0);
	ck_assert_int_eq(proxy_parse_net("2001:db8:1::/48", &t[2]), 0);
	for (; c->xff[nx] != NULL; nx++) {
		xff[nx].p = c->xff[nx];
		xff[nx].n = strlen(c->xff[nx]);
	}
	for (; c->fwd[nf] != NULL; nf++) {
		fwd[nf].p = c->fwd[nf];
		fwd[nf].n = strlen(c->fwd[nf]);
	}
	ck_assert_int_eq(proxy_parse_addr(c->peer, strlen(c->peer), &ss), 0);
	changed = proxy_forwarded_client(t, 3, xff, nx, fwd, nf, &ss);
	if (ss.ss_family == AF_INET6 &&
	    IN6_IS_ADDR_V4MAPPED(&((struct sockaddr_in6 *)&ss)->sin6_addr))
		ck_assert_str_eq(c->want, c->peer);
	else
		ck_assert_msg(strcmp(text_of(&ss, buf, sizeof(buf)), c->want)
		    == 0, "case %d: %s, not %s", _i, buf, c->want);
	ck_assert_int_eq(changed, strcmp(c->want, c->peer) != 0);
}
END_TEST

START_TEST(too_many_hops_are_not_used)
{
	char line[MAX_FORWARDED_HOPS * 12 + 16];
	struct proxy_net t;
	struct span xff;
	struct sockaddr_storage ss;
	size_t len = 0;
	int i;

	ck_assert_int_eq(proxy_parse_net("127.0.0.1", &t), 0);
	for (i = 0; i <= MAX_FORWARDED_HOPS; i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len,
		    "%s192.0.2.%d", i ? "," : "", i);
	xff.p = line;
	xff.n = len;
	ck_assert_int_eq(proxy_parse_addr("127.0.0.1", 9, &ss), 0);
	ck_assert_int_eq(proxy_forwarded_client(&t, 1, &xff, 1, NULL, 0, &ss),
	    0);
	/* one fewer is fine */
	xff.n = (size_t)(strrchr(line, ',') - line);
	ck_assert_int_eq(proxy_forwarded_client(&t, 1, &xff, 1, NULL, 0, &ss),
	    1);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("proxy");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, parses_proxy_headers, 0,
	    sizeof(headers) / sizeof(headers[0]));
	tcase_add_test(tc, every_prefix_of_a_good_header_needs_more);
	tcase_add_test(tc, the_limit_is_the_declared_length);
	tcase_add_loop_test(tc, matches_trusted_networks, 0,
	    sizeof(nets) / sizeof(nets[0]));
	tcase_add_loop_test(tc, takes_the_rightmost_untrusted_address, 0,
	    sizeof(fwds) / sizeof(fwds[0]));
	tcase_add_test(tc, too_many_hops_are_not_used);
	suite_add_tcase(s, tc);
	return s;
}
