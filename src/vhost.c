/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host to directory name for --vhost.  The parser has validated the host
 * already; this takes nothing on trust all the same, since the result
 * becomes a path component: no '/', no NUL, never "." or "..".
 */
#include <config.h>

#include "vhost.h"

static int
name_byte(int c, int bracketed)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
	    c == '.' || c == '_' || (bracketed && c == ':');
}

size_t
vhost_dir_name(struct span host, char *out, size_t size)
{
	size_t i, n = host.n, end;
	int bracketed = n > 0 && host.p[0] == '[';

	if (size == 0)
		return 0;
	out[0] = '\0';
	/* the port: digits after the last ':' (after ']' for a literal) */
	if (bracketed) {
		for (end = 1; end < n && host.p[end] != ']'; end++)
			;
		if (end == n)
			return 0;
		if (end + 1 < n && host.p[end + 1] != ':')
			return 0;
		n = end + 1;
	} else {
		for (end = 0; end < n && host.p[end] != ':'; end++)
			;
		n = end;
	}
	if (!bracketed && n > 0 && host.p[n - 1] == '.')
		n--;
	if (n == 0 || n >= size || n >= VHOST_NAME_BYTES || host.p[0] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		int c = span_lower((unsigned char)host.p[i]);

		if (!(bracketed && (i == 0 || i == n - 1)) &&
		    (!name_byte(c, bracketed) ||
		    (c == '.' && i > 0 && out[i - 1] == '.'))) {
			out[0] = '\0';
			return 0;
		}
		out[i] = (char)c;
	}
	out[n] = '\0';
	return n;
}
