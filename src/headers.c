/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The checks behind --header and --charset.  The fields forkhttpd owns are
 * a table: a header given by the administrator would repeat one of them
 * or contradict the framing, so it is refused at start-up rather than
 * sent twice.
 */
#include <config.h>

#include <string.h>

#include "headers.h"
#include "span.h"

/* Fields forkhttpd writes, or that only the framing may decide. */
static const char *const owned[] = {
	"accept-ranges", "allow", "connection", "content-encoding",
	"content-length", "content-range", "content-type", "date", "etag",
	"keep-alive", "last-modified", "location", "proxy-connection",
	"retry-after", "server", "strict-transport-security", "te",
	"trailer", "transfer-encoding", "upgrade", "vary",
};

int
headers_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int
is_owned(struct span name, int cache_owned)
{
	size_t i;

	for (i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
		if (span_eq(name, owned[i]))
			return 1;
	return cache_owned && (span_eq(name, "cache-control") ||
	    span_eq(name, "expires"));
}

int
headers_add(char *block, size_t size, size_t *len, const char *arg,
    int cache_owned, const char **why)
{
	struct span name, value;
	size_t i, need;

	for (i = 0; headers_tchar((unsigned char)arg[i]); i++)
		;
	if (i == 0 || arg[i] != ':') {
		*why = "not 'Name: value' with a token for a name";
		return -1;
	}
	name.p = arg;
	name.n = i++;
	while (arg[i] == ' ' || arg[i] == '\t')
		i++;
	value.p = arg + i;
	value.n = strlen(value.p);
	while (value.n > 0 && (value.p[value.n - 1] == ' ' ||
	    value.p[value.n - 1] == '\t'))
		value.n--;
	if (value.n == 0) {
		*why = "an empty value";
		return -1;
	}
	for (i = 0; i < value.n; i++) {
		unsigned char c = (unsigned char)value.p[i];

		if ((c < 0x20 && c != '\t') || c >= 0x7f) {
			*why = "a control character (CR, LF, ...) or a byte "
			    "beyond ASCII in the value";
			return -1;
		}
	}
	if (is_owned(name, cache_owned)) {
		*why = "a field forkhttpd writes itself";
		return -1;
	}
	need = name.n + 2 + value.n + 2;
	if (*len + need + 1 > size) {
		*why = "more header bytes than fit";
		return -1;
	}
	memcpy(block + *len, name.p, name.n);
	memcpy(block + *len + name.n, ": ", 2);
	memcpy(block + *len + name.n + 2, value.p, value.n);
	memcpy(block + *len + need - 2, "\r\n", 3);
	*len += need;
	return 0;
}

int
headers_valid_charset(const char *name, size_t max)
{
	size_t i;

	for (i = 0; name[i] != '\0'; i++)
		if (!headers_tchar((unsigned char)name[i]))
			return 0;
	return i > 0 && i <= max;
}

int
headers_charset_applies(const char *type)
{
	size_t n = strlen(type);

	if (strchr(type, ';') != NULL)
		return 0;
	if (strncmp(type, "text/", 5) == 0)
		return n > 5;
	return strcmp(type, "application/javascript") == 0 ||
	    strcmp(type, "application/xml") == 0 ||
	    (strncmp(type, "application/", 12) == 0 && n > 16 &&
	    strcmp(type + n - 4, "+xml") == 0);
}
