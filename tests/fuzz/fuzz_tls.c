/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for the handshake decisions forkhttpd makes itself:
 * tls_name_matches(), tls_pick_certificate() and tls_alpn_pick().
 *
 * The first byte chooses.  Names: the input is a pattern and a host
 * separated by a NUL; the answer is compared with a model written from
 * RFC 6125 6.4.3 (exact, case-blind, one trailing dot on the host; "*."
 * plus a name with a dot covers one non-empty label), and a pattern
 * always covers itself.  Certificates: the input is up to eight name lists
 * and a host, and the pick is checked against a linear model (the first
 * exact match, else the first wildcard, else 0).  ALPN: the input is the
 * client's list; a pick must point inside it at a length byte's name that
 * is http/1.1 or http/1.0, http/1.1 whenever it is offered, and a list
 * that parses as length-prefixed names is refused only when it offers
 * neither.
 */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "tls_names.h"

#define FUZZ_NAME	"fuzz_tls"
#include "fuzz.h"

#define MAX_LISTS	8
#define MAX_NAMES	8

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int
same(const char *a, const char *b, size_t n)
{
	while (n-- > 0)
		if (lower((unsigned char)*a++) != lower((unsigned char)*b++))
			return 0;
	return 1;
}

static int
model_matches(const char *pat, const char *host, size_t n)
{
	size_t plen = strlen(pat), rest;
	const char *dot;

	if (n > 0 && host[n - 1] == '.')
		n--;
	if (n == 0 || plen == 0 || memchr(host, '\0', n) != NULL)
		return 0;
	if (strchr(pat, '*') == NULL)
		return plen == n && same(pat, host, n);
	if (pat[0] != '*' || pat[1] != '.' || strchr(pat + 1, '*') != NULL ||
	    strchr(pat + 2, '.') == NULL)
		return 0;
	dot = memchr(host, '.', n);
	if (dot == NULL || dot == host)
		return 0;
	rest = n - (size_t)(dot - host);
	return rest == plen - 1 && same(dot, pat + 1, rest);
}

static void
names(const uint8_t *d, size_t n)
{
	const uint8_t *nul = memchr(d, '\0', n);
	char *pat, *host;
	size_t hn;

	if (nul == NULL)
		return;
	pat = dup_exact(d, (size_t)(nul - d) + 1);
	hn = n - (size_t)(nul - d) - 1;
	host = dup_exact(nul + 1, hn);
	if (tls_name_matches(pat, host, hn) != model_matches(pat, host, hn))
		fail("tls_name_matches disagrees with the model");
	if (pat[0] != '\0' && strchr(pat, '*') == NULL &&
	    pat[strlen(pat) - 1] != '.' &&
	    !tls_name_matches(pat, pat, strlen(pat)))
		fail("a name does not cover itself");
	free(pat);
	free(host);
}

/* Lists separated by '\n', names by ',', then a '\t' and the host. */
static void
certificates(const uint8_t *d, size_t n)
{
	const char *lists[MAX_LISTS][MAX_NAMES + 1];
	const char *const *ptrs[MAX_LISTS];
	char *text = malloc(n + 1), *host, *p, *q;
	size_t nl = 0, k, i, want = 0, wild = MAX_LISTS, got, hn;

	if (text == NULL)
		abort();
	memcpy(text, d, n);
	text[n] = '\0';
	if ((host = strchr(text, '\t')) == NULL) {
		free(text);
		return;
	}
	*host++ = '\0';
	hn = strlen(host);
	for (p = text; p != NULL && nl < MAX_LISTS; p = q) {
		if ((q = strchr(p, '\n')) != NULL)
			*q++ = '\0';
		k = 0;
		while (p != NULL && k < MAX_NAMES) {
			lists[nl][k++] = p;
			if ((p = strchr(p, ',')) != NULL)
				*p++ = '\0';
		}
		lists[nl][k] = NULL;
		ptrs[nl] = lists[nl];
		nl++;
	}
	got = tls_pick_certificate(ptrs, nl, host, hn);
	want = nl;
	for (i = 0; i < nl && want == nl; i++)
		for (k = 0; lists[i][k] != NULL; k++)
			if (model_matches(lists[i][k], host, hn)) {
				if (lists[i][k][0] != '*') {
					want = i;
					break;
				}
				if (wild == MAX_LISTS)
					wild = i;
			}
	if (want == nl)
		want = wild < nl ? wild : 0;
	if (hn == 0)
		want = 0;
	if (got != want)
		fail("tls_pick_certificate disagrees with the model");
	free(text);
}

static void
alpn(const uint8_t *d, size_t n)
{
	unsigned char *in = (unsigned char *)dup_exact(d, n);
	const unsigned char *out = NULL;
	unsigned char outlen = 0;
	size_t i = 0;
	int parses = n > 0, h11 = 0, h10 = 0;

	if (n == 0)
		in[0] = 0;	/* the spare byte: never read as the list */
	while (i < n) {
		size_t len = in[i];

		if (len == 0 || len > n - i - 1) {
			parses = 0;
			break;
		}
		if (len == 8 && memcmp(in + i + 1, "http/1.1", 8) == 0)
			h11 = 1;
		if (len == 8 && memcmp(in + i + 1, "http/1.0", 8) == 0)
			h10 = 1;
		i += 1 + len;
	}
	if (tls_alpn_pick(in, n, &out, &outlen) == 0) {
		if (!parses || out < in + 1 || out + outlen > in + n ||
		    outlen != 8 || out[-1] != 8)
			fail("the pick is not a name of the list");
		if (memcmp(out, h11 ? "http/1.1" : "http/1.0", 8) != 0)
			fail("http/1.1 offered but not picked");
	} else if (parses && (h11 || h10))
		fail("a well-formed list offering HTTP/1 refused");
	free(in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 3) {
	case 0:
		names(data + 1, size - 1);
		break;
	case 1:
		certificates(data + 1, size - 1);
		break;
	default:
		alpn(data + 1, size - 1);
		break;
	}
	return 0;
}
