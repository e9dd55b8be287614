/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for encoding_choose(): the input, split at '\n', is
 * the Accept-Encoding lines of one request (at most MAX_LIST_FIELD_LINES,
 * as the parser keeps them).  The answer must name each variant at most
 * once, and must not change when the lines are read again as one line
 * joined by commas (RFC 9110 5.3).  A coding the client refuses by name
 * with q=0 (its first mention) is never in it.
 */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "encoding.h"

#define FUZZ_NAME	"fuzz_encoding"
#include "fuzz.h"

static size_t
split(const char *text, size_t n, struct span_list *ae)
{
	const char *p = text, *nl;

	ae->n = 0;
	while (ae->n < MAX_LIST_FIELD_LINES) {
		nl = memchr(p, '\n', n - (size_t)(p - text));
		ae->line[ae->n].p = p;
		ae->line[ae->n].n = nl ? (size_t)(nl - p) :
		    n - (size_t)(p - text);
		ae->n++;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return ae->n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum encoding order[ENCODING_COUNT], again[ENCODING_COUNT];
	struct span_list ae, one;
	char *text = dup_exact(data, size), *joined;
	size_t n, m, i, j, k, len = 0;

	split(text, size, &ae);
	n = encoding_choose(&ae, order);
	if (n > ENCODING_COUNT)
		fail("more variants than there are");
	for (i = 0; i < n; i++) {
		if (order[i] >= ENCODING_COUNT)
			fail("not a variant");
		for (j = i + 1; j < n; j++)
			if (order[i] == order[j])
				fail("a variant named twice");
	}
	/* the same lines, joined into one */
	for (k = 0; k < ae.n; k++)
		len += ae.line[k].n + 1;
	if ((joined = malloc(len > 0 ? len : 1)) == NULL)
		abort();
	for (k = 0, len = 0; k < ae.n; k++) {
		memcpy(joined + len, ae.line[k].p, ae.line[k].n);
		len += ae.line[k].n;
		if (k + 1 < ae.n)
			joined[len++] = ',';
	}
	one.n = 1;
	one.line[0].p = joined;
	one.line[0].n = len;
	m = encoding_choose(&one, again);
	if (m != n || memcmp(order, again, n * sizeof(order[0])) != 0)
		fail("lines and their join disagree");
	/* "gzip;q=0" first in the field refuses gzip */
	if (ae.n > 0 && ae.line[0].n >= 8 &&
	    memcmp(ae.line[0].p, "gzip;q=0", 8) == 0 &&
	    (ae.line[0].n == 8 || ae.line[0].p[8] == ','))
		for (i = 0; i < n; i++)
			if (order[i] == ENCODING_GZIP)
				fail("gzip;q=0 took gzip");
	free(joined);
	free(text);
	return 0;
}
