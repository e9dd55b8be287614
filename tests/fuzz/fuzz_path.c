/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for path_resolve(): whatever the request path, a name
 * it accepts must stay inside the document root.
 *
 * The input and every output buffer are heap blocks of exactly the size
 * path_resolve() is told about, so AddressSanitizer reports any access
 * past either.  A broken invariant calls abort() after naming it.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "path.h"

#define FUZZ_NAME	"fuzz_path"
#include "fuzz.h"

#define SMALL_OUT	16	/* small enough to reach the 414 answer */

static char *
alloc_exact(size_t n)
{
	char *p = malloc(n > 0 ? n : 1);

	if (p == NULL)
		abort();
	return p;
}

/* Well-formed UTF-8 without over-long forms, surrogates or > U+10FFFF. */
static int
utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, need, k;
	unsigned long v;

	while (i < n) {
		unsigned char c = s[i];

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, v = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, v = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, v = c & 0x07;
		else
			return 0;
		if (n - i - 1 < need)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			v = v << 6 | (s[i + k] & 0x3f);
		}
		if ((need == 2 && v < 0x800) || (need == 3 && v < 0x10000) ||
		    v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/*
 * The confinement rules for an accepted name of size-byte buffer out.
 * Returns its length.
 */
static size_t
check_name(const char *out, size_t size, int flags, int dir)
{
	const char *end = memchr(out, '\0', size), *seg, *stop;
	size_t len, n, i;

	if (end == NULL)
		fail("out is not NUL-terminated inside its buffer");
	len = (size_t)(end - out);
	if (len == 0)
		fail("empty name");
	if (len == 1 && out[0] == '.') {
		if (!dir)
			fail("the root is not flagged as a directory");
		return len;
	}
	if (out[0] == '/')
		fail("leading '/'");
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out[i];

		if (c < 0x20 || c == 0x7f)
			fail("control byte in name");
	}
	if (!utf8_ok((const unsigned char *)out, len))
		fail("name is not valid UTF-8");

	for (seg = out; seg <= end; seg = stop + 1) {
		stop = memchr(seg, '/', (size_t)(end - seg));
		if (stop == NULL)
			stop = end;
		n = (size_t)(stop - seg);
		if (n == 0)
			fail("empty segment");
		if (n == 1 && seg[0] == '.')
			fail("\".\" segment");
		if (n == 2 && seg[0] == '.' && seg[1] == '.')
			fail("\"..\" segment");
		if (!(flags & PATH_ALLOW_DOTFILES) && seg[0] == '.' &&
		    !(n == 11 && memcmp(seg, ".well-known", 11) == 0))
			fail("dot segment served without PATH_ALLOW_DOTFILES");
	}
	return len;
}

static int
status_ok(int st)
{
	return st == 0 || st == 400 || st == 403 || st == 414;
}

/* Resolving an accepted name again, as "/name", must change nothing. */
static void
check_stable(const char *name, size_t len, int flags)
{
	char *in, *out;
	int st, dir;

	if (len == 1 && name[0] == '.')
		return;
	if (memchr(name, '%', len) != NULL)
		return;		/* it would be decoded a second time */
	in = alloc_exact(len + 1);
	in[0] = '/';
	memcpy(in + 1, name, len);
	out = alloc_exact(MAX_PATH_BYTES);
	st = path_resolve(in, len + 1, out, MAX_PATH_BYTES, flags, &dir);
	if (st != 0)
		fail("an accepted name is refused when resolved again");
	if (strcmp(out, name) != 0)
		fail("an accepted name changes when resolved again");
	free(out);
	free(in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t tiny[] = { 0, 1, 2, SMALL_OUT };
	char *in, *out[2], *small;
	int st[2], dir[2], sst, sdir, f;
	size_t len[2] = { 0, 0 }, i;

	in = alloc_exact(size);
	if (size > 0)
		memcpy(in, data, size);

	for (f = 0; f < 2; f++) {
		out[f] = alloc_exact(MAX_PATH_BYTES);
		st[f] = path_resolve(in, size, out[f], MAX_PATH_BYTES,
		    f ? PATH_ALLOW_DOTFILES : 0, &dir[f]);
		if (!status_ok(st[f]))
			fail("status outside 0, 400, 403 and 414");
		if (st[f] == 0) {
			len[f] = check_name(out[f], MAX_PATH_BYTES,
			    f ? PATH_ALLOW_DOTFILES : 0, dir[f]);
			check_stable(out[f], len[f],
			    f ? PATH_ALLOW_DOTFILES : 0);
		}
	}
	/* PATH_ALLOW_DOTFILES may only turn a 403 into an acceptance. */
	if (st[1] == 403)
		fail("403 with PATH_ALLOW_DOTFILES");
	if (st[0] != 403 && st[0] != st[1])
		fail("the flag changed an answer other than 403");
	if (st[0] == 0 && (dir[0] != dir[1] || strcmp(out[0], out[1]) != 0))
		fail("the flag changed an accepted name");

	/* Small buffers: same answer, or 414, never a write past them. */
	for (i = 0; i < sizeof(tiny) / sizeof(tiny[0]); i++) {
		small = alloc_exact(tiny[i]);
		sst = path_resolve(in, size, small, tiny[i], 0, &sdir);
		if (sst != st[0] && sst != 414)
			fail("a small buffer changed the answer");
		if (tiny[i] < 2 && sst != 414)
			fail("a buffer under 2 bytes is not 414");
		if (sst == 0) {
			check_name(small, tiny[i], 0, sdir);
			if (strcmp(small, out[0]) != 0 || sdir != dir[0])
				fail("a small buffer changed the name");
		}
		free(small);
	}

	free(out[1]);
	free(out[0]);
	free(in);
	return 0;
}
