/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pure part of --auth: prefixes, password file lines and the
 * Authorization field.  No I/O, no allocation; every input may be a
 * client's or an administrator's mistake.
 */
#include <config.h>

#include <string.h>

#include "auth.h"

int
auth_split_option(const char *arg, char *prefix, size_t size,
    const char **file)
{
	const char *colon = strchr(arg, ':'), *p, *seg;
	size_t n, k;

	if (arg[0] != '/' || colon == NULL || colon[1] == '\0')
		return -1;
	p = arg + 1;
	n = (size_t)(colon - p);
	while (n > 0 && p[n - 1] == '/')
		n--;
	if (n >= size)
		return -1;
	/* every segment a name: no "", ".", ".." */
	for (seg = p; seg < p + n; seg += k + 1) {
		for (k = 0; seg + k < p + n && seg[k] != '/'; k++)
			;
		if (k == 0 || (k == 1 && seg[0] == '.') ||
		    (k == 2 && seg[0] == '.' && seg[1] == '.'))
			return -1;
	}
	for (k = 0; k < n; k++)
		if (p[k] == '"' || p[k] == '\\' || (unsigned char)p[k] < 0x20 ||
		    p[k] == 0x7f)
			return -1;
	memcpy(prefix, p, n);
	prefix[n] = '\0';
	*file = colon + 1;
	return 0;
}

int
auth_prefix_match(const char *prefix, const char *name)
{
	size_t n = strlen(prefix);

	if (n == 0)
		return 0;
	if (strncmp(name, prefix, n) != 0 ||
	    (name[n] != '\0' && name[n] != '/'))
		return -1;
	return (int)n;
}

static int
starts(const char *p, size_t n, const char *lit)
{
	size_t k = strlen(lit);

	return n >= k && memcmp(p, lit, k) == 0;
}

enum auth_line
auth_parse_line(const char *line, size_t len, struct span *user,
    struct span *hash)
{
	const char *colon, *end;
	size_t i;

	if (len > 0 && line[len - 1] == '\r')
		len--;
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (i == len || line[i] == '#')
		return AUTH_LINE_BLANK;
	for (i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			return AUTH_LINE_BAD;
	if ((colon = memchr(line, ':', len)) == NULL || colon == line)
		return AUTH_LINE_BAD;
	user->p = line;
	user->n = (size_t)(colon - line);
	hash->p = colon + 1;
	end = memchr(hash->p, ':', len - user->n - 1);
	hash->n = end != NULL ? (size_t)(end - hash->p) :
	    len - user->n - 1;
	if (user->n >= AUTH_USER_BYTES || hash->n == 0)
		return AUTH_LINE_BAD;
	if (hash->n >= AUTH_HASH_BYTES)
		return AUTH_LINE_WEAK;
	for (i = 0; i < hash->n; i++)
		if (hash->p[i] == ' ' || hash->p[i] == '\t')
			return AUTH_LINE_WEAK;	/* no hash has one */
	if ((starts(hash->p, hash->n, "$2y$") ||
	    starts(hash->p, hash->n, "$2b$") ||
	    starts(hash->p, hash->n, "$y$") ||
	    starts(hash->p, hash->n, "$6$")) && hash->n > 8)
		return AUTH_LINE_ENTRY;
	return AUTH_LINE_WEAK;
}

static int
base64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode base64 src into out; the length, or -1. */
static long
base64_decode(struct span src, unsigned char *out, size_t size)
{
	size_t i, o = 0, pad = 0;
	unsigned long acc = 0;
	int v, k;

	if (src.n == 0 || src.n % 4 != 0)
		return -1;
	if (src.p[src.n - 1] == '=')
		pad = src.p[src.n - 2] == '=' ? 2 : 1;
	for (i = 0; i < src.n; i += 4) {
		acc = 0;
		for (k = 0; k < 4; k++) {
			if (i + (size_t)k >= src.n - pad)
				v = 0;
			else if ((v = base64_value((unsigned char)
			    src.p[i + (size_t)k])) < 0)
				return -1;
			acc = acc << 6 | (unsigned long)v;
		}
		for (k = 2; k >= 0; k--) {
			if (i + 4 == src.n && 2 - k >= (int)(3 - pad))
				break;
			if (o == size)
				return -1;
			out[o++] = (unsigned char)(acc >> (8 * k));
		}
	}
	return (long)o;
}

/* Copy n bytes and a NUL, none a control byte; 0, or -1. */
static int
copy_text(char *dst, size_t size, const unsigned char *src, size_t n)
{
	size_t i;

	if (n >= size)
		return -1;
	for (i = 0; i < n; i++) {
		if (src[i] < 0x20 || src[i] == 0x7f)
			return -1;
		dst[i] = (char)src[i];
	}
	dst[n] = '\0';
	return 0;
}

int
auth_decode_basic(struct span value, char *user, size_t usize, char *pass,
    size_t psize)
{
	unsigned char raw[MAX_AUTH_HEADER_BYTES];
	const unsigned char *colon;
	struct span b64;
	long n;
	size_t i = 5;

	if (usize > 0)
		user[0] = '\0';
	if (pass != NULL && psize > 0)
		pass[0] = '\0';
	if (value.n <= i || !span_eq((struct span){ value.p, 5 }, "basic") ||
	    value.p[i] != ' ')
		return -1;
	while (i < value.n && value.p[i] == ' ')
		i++;
	b64.p = value.p + i;
	b64.n = value.n - i;
	if ((n = base64_decode(b64, raw, sizeof(raw))) < 0 ||
	    (colon = memchr(raw, ':', (size_t)n)) == NULL)
		return -1;
	if (copy_text(user, usize, raw, (size_t)(colon - raw)) != 0 ||
	    (pass != NULL && copy_text(pass, psize, colon + 1,
	    (size_t)n - (size_t)(colon - raw) - 1) != 0)) {
		if (usize > 0)
			user[0] = '\0';
		return -1;
	}
	return 0;
}

int
auth_equal(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), n = na > nb ? na : nb, i;
	volatile unsigned char diff = (unsigned char)(na != nb);

	for (i = 0; i < n; i++)
		diff |= (unsigned char)((i < na ? a[i] : 0) ^
		    (i < nb ? b[i] : 0));
	return diff == 0;
}
