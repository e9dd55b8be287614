/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * path_resolve() works in three passes over one buffer: decode, check the
 * decoded bytes, then normalise in place.  Decoding comes first so that an
 * encoded "%2e%2e" or "%2f" is normalised exactly like its plain form and
 * can never slip past the ".." handling.
 */
#include <config.h>

#include <string.h>

#include "number.h"
#include "path.h"

/* NUL would truncate a name; other controls have no place in one */
static int
is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* Percent-decode p[0..n) into out; returns the length or a status. */
static long
decode(const char *p, size_t n, char *out, size_t size)
{
	size_t i, o = 0;
	int hi, lo;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)p[i];
		if (c == '%') {
			if (n - i < 3)
				return -400;
			if ((hi = number_hex_value((unsigned char)p[i + 1])) < 0 ||
			    (lo = number_hex_value((unsigned char)p[i + 2])) < 0)
				return -400;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		if (is_ctl(c))
			return -400;
		if (o + 1 >= size)
			return -414;
		out[o++] = (char)c;
	}
	return (long)o;
}

/* Strict UTF-8: no over-long forms, no surrogates, nothing past U+10FFFF. */
static int
valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	unsigned long cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			len = 2, cp = s[i] & 0x1f, min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			len = 3, cp = s[i] & 0x0f, min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			len = 4, cp = s[i] & 0x07, min = 0x10000;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

static int
hidden(const char *seg, size_t n)
{
	return n > 0 && seg[0] == '.' &&
	    !(n == 11 && memcmp(seg, ".well-known", 11) == 0);
}

/* "." or "..": 1 or 2, the number of dots; 0 for any other segment. */
static int
dot_segment(const char *seg, size_t n)
{
	if (n == 1 && seg[0] == '.')
		return 1;
	if (n == 2 && seg[0] == '.' && seg[1] == '.')
		return 2;
	return 0;
}

int
path_resolve(const char *p, size_t n, char *out, size_t size, int flags,
    int *dir)
{
	size_t r, w = 0, len, s;
	long got;

	*dir = 0;
	if (size < 2)
		return 414;
	if (n == 0 || p[0] != '/')
		return 400;
	if ((got = decode(p, n, out, size)) < 0)
		return (int)-got;
	len = (size_t)got;
	if (!valid_utf8((const unsigned char *)out, len))
		return 400;

	/* Normalise in place: the write index w never passes the read index. */
	for (r = 0; r < len;) {
		while (r < len && out[r] == '/')
			r++;
		if (r == len) {
			*dir = 1;
			break;
		}
		s = r;
		while (r < len && out[r] != '/')
			r++;
		if (dot_segment(out + s, r - s) == 1) {
			*dir = 1;
			continue;
		}
		if (dot_segment(out + s, r - s) == 2) {
			if (w == 0)
				return 400;
			while (w > 0 && out[w - 1] != '/')
				w--;
			if (w > 0)
				w--;
			*dir = 1;
			continue;
		}
		if (w > 0)
			out[w++] = '/';
		memmove(out + w, out + s, r - s);
		w += r - s;
		*dir = 0;
	}
	if (w == 0) {
		out[w++] = '.';
		*dir = 1;
	}
	out[w] = '\0';

	/* after normalising, so "/.git/.." is judged as the root it names */
	if (!(flags & PATH_ALLOW_DOTFILES) && strcmp(out, ".") != 0) {
		for (r = 0; r < w; r = s + 1) {
			s = r;
			while (s < w && out[s] != '/')
				s++;
			if (hidden(out + r, s - r))
				return 403;
		}
	}
	return 0;
}

int
path_name_servable(const char *name, size_t n, int flags)
{
	size_t i;

	if (n == 0 || dot_segment(name, n) != 0 ||
	    memchr(name, '/', n) != NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (is_ctl((unsigned char)name[i]))
			return 0;
	if (!valid_utf8((const unsigned char *)name, n))
		return 0;
	return (flags & PATH_ALLOW_DOTFILES) || !hidden(name, n);
}
