/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for the /etc/mime.types parser and the map built from
 * it: mime_parse() on any bytes must either refuse them with a line
 * number inside the input and a reason, or hand out only types of the
 * form type/subtype and extensions without blanks, each within its line;
 * a map built from the same bytes must then give each extension short
 * enough to be looked up the type of its last line (any case), with the
 * charset when one applies.
 */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "conf.h"
#include "headers.h"
#include "mime.h"

#define FUZZ_NAME	"fuzz_mime"
#include "fuzz.h"

#define KEEP	64	/* extensions checked against the map */

struct seen {
	const char	*buf;
	size_t		 len;
	size_t		 n;
	struct {
		const char	*type, *ext;
		size_t		 tlen, elen;
	} e[KEEP];
};

static void
each(const char *type, size_t tlen, const char *ext, size_t elen, void *arg)
{
	struct seen *s = arg;
	size_t i;

	if (type < s->buf || type + tlen > s->buf + s->len ||
	    ext < s->buf || ext + elen > s->buf + s->len)
		fail("a span outside the input");
	if (tlen < 3 || memchr(type, '/', tlen) == NULL ||
	    memchr(type, '\n', tlen) != NULL)
		fail("a type that is not type/subtype");
	if (elen == 0)
		fail("an empty extension");
	for (i = 0; i < elen; i++)
		if (ext[i] == ' ' || ext[i] == '\t' || ext[i] == '\n' ||
		    ext[i] == '\r' || ext[i] == '/')
			fail("a blank or slash in an extension");
	if (s->n < KEEP) {
		s->e[s->n].type = type;
		s->e[s->n].tlen = tlen;
		s->e[s->n].ext = ext;
		s->e[s->n].elen = elen;
		s->n++;
	}
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* The type the map should give ext: that of its last mention. */
static size_t
last_mention(const struct seen *s, size_t k, size_t *tlen)
{
	size_t i, last = k, j;

	for (i = k + 1; i < s->n; i++) {
		if (s->e[i].elen != s->e[k].elen)
			continue;
		for (j = 0; j < s->e[k].elen; j++)
			if (lower((unsigned char)s->e[i].ext[j]) !=
			    lower((unsigned char)s->e[k].ext[j]))
				break;
		if (j == s->e[k].elen)
			last = i;
	}
	*tlen = s->e[last].tlen;
	return last;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = dup_exact(data, size), name[MIME_EXT_BYTES + 2], err[256];
	struct seen s;
	struct mime_map *m;
	const char *why = NULL, *got;
	size_t line = 0, k, last, tlen, lines = 1, i;
	int rc;

	for (i = 0; i < size; i++)
		lines += buf[i] == '\n';
	memset(&s, 0, sizeof(s));
	s.buf = buf;
	s.len = size;
	rc = mime_parse(buf, size, each, &s, &line, &why);
	if (rc != 0 && (why == NULL || line == 0 || line > lines))
		fail("a refusal without a reason or a line of the input");
	m = mime_map_build(buf, size, "utf-8", err, sizeof(err));
	if ((m == NULL) != (rc != 0))
		fail("the map and the parser disagree");
	/* the entries were checked by the parser: a mention that is the
	   only one of its extension among the first KEEP is comparable */
	for (k = 0; m != NULL && s.n < KEEP && k < s.n; k++) {
		if (s.e[k].elen + 1 >= MIME_EXT_BYTES ||
		    memchr(s.e[k].ext, '.', s.e[k].elen) != NULL)
			continue;
		last = last_mention(&s, k, &tlen);
		name[0] = '.';
		memcpy(name + 1, s.e[k].ext, s.e[k].elen);
		got = mime_map_lookup(m, name, s.e[k].elen + 1);
		if (strncmp(got, s.e[last].type, tlen) != 0)
			fail("the map gives another type");
		if (got[tlen] != '\0' && strcmp(got + tlen, "; charset=utf-8"))
			fail("the map adds more than the charset");
	}
	mime_map_free(m);
	free(buf);
	return 0;
}
