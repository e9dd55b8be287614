/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for proxy.c.  The first byte chooses.  Headers: the
 * answer is one of three; a header found is no longer than the input or
 * the limit, parses alike when given alone, and one byte less of it is a
 * prefix (PROXY_NEED_MORE), so conn.c never consumes a byte past it.
 * Networks: a network that parses contains its own address.  Forwarded
 * headers: lines separated by '\n', X-Forwarded-For before a NUL and
 * Forwarded after it, from a trusted peer; a client found is an address.
 */
#include <config.h>

#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#include "conf.h"
#include "proxy.h"

#define FUZZ_NAME	"fuzz_proxy"
#include "fuzz.h"

#define MAX_LINES	8

static void
header(const uint8_t *d, size_t n)
{
	unsigned char *buf = (unsigned char *)dup_exact(d, n);
	struct proxy_header h, again;
	size_t used = 0, used2 = 0;
	int r;

	if (n == 0)
		buf[0] = 0;	/* the spare byte: never read as input */
	r = proxy_parse_header(buf, n, MAX_PROXY_HEADER_BYTES, &h, &used);
	if (r != 0 && r != PROXY_NEED_MORE && r != PROXY_BAD)
		fail("an answer that is none of the three");
	if (r == PROXY_NEED_MORE && n >= MAX_PROXY_HEADER_BYTES)
		fail("a prefix longer than the limit");
	if (r == 0) {
		if (used == 0 || used > n || used > MAX_PROXY_HEADER_BYTES)
			fail("a header longer than its input or the limit");
		if (h.has_source && h.source.ss_family != AF_INET &&
		    h.source.ss_family != AF_INET6)
			fail("a source that is no address");
		if (proxy_parse_header(buf, used, MAX_PROXY_HEADER_BYTES,
		    &again, &used2) != 0 || used2 != used)
			fail("the header alone parses otherwise");
		if (proxy_parse_header(buf, used - 1, MAX_PROXY_HEADER_BYTES,
		    &again, &used2) != PROXY_NEED_MORE)
			fail("one byte less of a header is not a prefix");
	}
	free(buf);
}

static void
network(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);
	struct proxy_net net;
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

	if (s == NULL)
		abort();
	if (n > 0)
		memcpy(s, d, n);
	s[n] = '\0';
	if (proxy_parse_net(s, &net) == 0) {
		if (net.bits > 128)
			fail("more bits than an address has");
		memset(&ss, 0, sizeof(ss));
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, net.addr, 16);
		if (!proxy_trusted(&net, 1, &ss))
			fail("a network without its own address");
	}
	free(s);
}

static size_t
lines(char *p, size_t n, struct span *l)
{
	size_t k = 0;
	char *nl;

	while (k < MAX_LINES) {
		l[k].p = p;
		nl = memchr(p, '\n', n);
		l[k].n = nl != NULL ? (size_t)(nl - p) : n;
		k++;
		if (nl == NULL)
			break;
		n -= (size_t)(nl - p) + 1;
		p = nl + 1;
	}
	return k;
}

static void
forwarded(const uint8_t *d, size_t n)
{
	char *text = dup_exact(d, n);
	char *nul = memchr(text, '\0', n);
	struct span xff[MAX_LINES], fwd[MAX_LINES];
	size_t nx, nf = 0;
	struct proxy_net t[2];
	struct sockaddr_storage ss;

	if (proxy_parse_net("127.0.0.0/8", &t[0]) != 0 ||
	    proxy_parse_net("2001:db8::/32", &t[1]) != 0 ||
	    proxy_parse_addr("127.0.0.1", 9, &ss) != 0)
		fail("the fixed networks");
	nx = lines(text, nul != NULL ? (size_t)(nul - text) : n, xff);
	if (nul != NULL)
		nf = lines(nul + 1, n - (size_t)(nul - text) - 1, fwd);
	if (proxy_forwarded_client(t, 2, xff, nx == 1 && xff[0].n == 0 ? 0 :
	    nx, fwd, nf, &ss) == 1 && ss.ss_family != AF_INET &&
	    ss.ss_family != AF_INET6)
		fail("a client that is no address");
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		header(data + 1, size - 1);
		break;
	case 1:
		network(data + 1, size - 1);
		break;
	default:
		forwarded(data + 1, size - 1);
		break;
	}
	return 0;
}
