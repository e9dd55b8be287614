/* SPDX-License-Identifier: BSD-2-Clause */
/* Certificate selection by server name, and ALPN: see tls_names.h. */
#include <config.h>

#include <string.h>

#include "tls_names.h"

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
same(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

int
tls_name_matches(const char *pattern, const char *host, size_t hostlen)
{
	size_t plen = strlen(pattern);
	const char *dot;

	if (hostlen > 0 && host[hostlen - 1] == '.')
		hostlen--;
	if (hostlen == 0 || plen == 0 || memchr(host, '\0', hostlen) != NULL)
		return 0;
	if (pattern[0] != '*')
		return memchr(pattern, '*', plen) == NULL && plen == hostlen &&
		    same(pattern, host, hostlen);
	/* "*.example.org": one label, never empty, then the rest exactly */
	if (plen < 3 || pattern[1] != '.' || memchr(pattern + 1, '*',
	    plen - 1) != NULL || strchr(pattern + 2, '.') == NULL)
		return 0;
	if ((dot = memchr(host, '.', hostlen)) == NULL || dot == host)
		return 0;
	return (size_t)(host + hostlen - dot) == plen - 1 &&
	    same(pattern + 1, dot, plen - 1);
}

size_t
tls_pick_certificate(const char *const *const *names, size_t n,
    const char *host, size_t hostlen)
{
	const char *const *p;
	size_t i, wild = n;

	if (host == NULL || hostlen == 0)
		return 0;
	for (i = 0; i < n; i++)
		for (p = names[i]; p != NULL && *p != NULL; p++) {
			if (!tls_name_matches(*p, host, hostlen))
				continue;
			if ((*p)[0] != '*')
				return i;
			if (wild == n)
				wild = i;
		}
	return wild < n ? wild : 0;
}

/* Is the wire-format list well formed: names of 1 to 255 bytes, to the end? */
static int
well_formed(const unsigned char *in, size_t inlen)
{
	size_t i = 0;

	while (i < inlen) {
		if (in[i] == 0 || in[i] > inlen - i - 1)
			return 0;
		i += 1 + (size_t)in[i];
	}
	return inlen > 0;
}

/* Where the list offers name, or NULL. */
static const unsigned char *
offered(const unsigned char *in, size_t inlen, const char *name)
{
	size_t i = 0, k = strlen(name);

	for (; i < inlen; i += 1 + (size_t)in[i])
		if (in[i] == k && memcmp(in + i + 1, name, k) == 0)
			return in + i + 1;
	return NULL;
}

int
tls_alpn_pick(const unsigned char *in, size_t inlen,
    const unsigned char **out, unsigned char *outlen)
{
	static const char *const ours[] = { "http/1.1", "http/1.0" };
	const unsigned char *at;
	size_t i;

	if (in == NULL || !well_formed(in, inlen))
		return -1;
	for (i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
		if ((at = offered(in, inlen, ours[i])) != NULL) {
			*out = at;
			*outlen = (unsigned char)strlen(ours[i]);
			return 0;
		}
	return -1;
}
