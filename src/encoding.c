/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Accept-Encoding, read member by member across every line of the field:
 * each a coding, optionally ";q=" and a weight of at most three decimals,
 * kept in thousandths.  Nothing is copied or allocated.
 */
#include <config.h>

#include "encoding.h"

#define Q_MAX		1000	/* q=1 in thousandths */
#define Q_UNSET		(-1)

const struct encoding_variant encoding_variants[ENCODING_COUNT] = {
	{ "br", ".br" },
	{ "zstd", ".zst" },
	{ "gzip", ".gz" },
};

/* What a member names, beyond the variants. */
enum { NAMES_IDENTITY = ENCODING_COUNT, NAMES_ANY, NAMES_OTHER };

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static struct span
trim(struct span s)
{
	while (s.n > 0 && is_ows(s.p[0]))
		s.p++, s.n--;
	while (s.n > 0 && is_ows(s.p[s.n - 1]))
		s.n--;
	return s;
}

/* RFC 9110 12.4.2 qvalue, in thousandths; -1 when it is not one. */
static int
qvalue(struct span v)
{
	size_t i;
	int q, unit = 100;

	if (v.n == 0 || (v.p[0] != '0' && v.p[0] != '1') || v.n > 5 ||
	    (v.n > 1 && v.p[1] != '.'))
		return -1;
	q = v.p[0] == '1' ? Q_MAX : 0;
	for (i = 2; i < v.n; i++, unit /= 10) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return -1;
		q += (v.p[i] - '0') * unit;
	}
	return q > Q_MAX ? -1 : q;
}

/* By length first: a request's list is read on every request. */
static int
coding_of(struct span c)
{
	switch (c.n) {
	case 1:
		return c.p[0] == '*' ? NAMES_ANY : NAMES_OTHER;
	case 2:
		return span_eq(c, "br") ? ENCODING_BR : NAMES_OTHER;
	case 4:
		return span_eq(c, "gzip") ? ENCODING_GZIP :
		    span_eq(c, "zstd") ? ENCODING_ZSTD : NAMES_OTHER;
	case 6:
		return span_eq(c, "x-gzip") ? ENCODING_GZIP : NAMES_OTHER;
	case 8:
		return span_eq(c, "identity") ? NAMES_IDENTITY : NAMES_OTHER;
	default:
		return NAMES_OTHER;
	}
}

/*
 * One member: the coding it names and its weight, or -1 when it does not
 * parse.
 */
static int
member(struct span m, int *q)
{
	struct span name = m, param;
	const char *semi;
	size_t i;

	*q = Q_MAX;
	if ((semi = memchr(m.p, ';', m.n)) != NULL)
		name.n = (size_t)(semi - m.p);
	name = trim(name);
	if (name.n == 0)
		return -1;
	for (i = 0; i < name.n; i++)
		if (is_ows(name.p[i]))
			return -1;
	if (semi == NULL)
		return coding_of(name);
	param.p = semi + 1;
	param.n = m.n - (size_t)(param.p - m.p);
	param = trim(param);
	if (param.n < 2 || span_lower((unsigned char)param.p[0]) != 'q' ||
	    param.p[1] != '=')
		return -1;
	param.p += 2;
	param.n -= 2;
	if ((*q = qvalue(param)) < 0)
		return -1;
	return coding_of(name);
}

size_t
encoding_choose(const struct span_list *ae,
    enum encoding order[ENCODING_COUNT])
{
	int q[NAMES_OTHER + 1], w, c, i, j, floor;
	struct span line, m;
	const char *comma;
	size_t l, n = 0;

	for (i = 0; i <= NAMES_OTHER; i++)
		q[i] = Q_UNSET;
	for (l = 0; l < ae->n; l++) {
		line = ae->line[l];
		while (line.n > 0) {
			m.p = line.p;
			comma = memchr(line.p, ',', line.n);
			m.n = comma != NULL ? (size_t)(comma - line.p) : line.n;
			line.p += m.n + (comma != NULL);
			line.n -= m.n + (comma != NULL);
			m = trim(m);
			if (m.n == 0)
				continue;	/* empty list members: 5.6.1 */
			if ((c = member(m, &w)) >= 0 && q[c] == Q_UNSET)
				q[c] = w;
		}
	}
	if (ae->n == 0)
		return 0;
	for (i = 0; i < ENCODING_COUNT; i++)
		if (q[i] == Q_UNSET)
			q[i] = q[NAMES_ANY] == Q_UNSET ? 0 : q[NAMES_ANY];
	floor = q[NAMES_IDENTITY] != Q_UNSET ? q[NAMES_IDENTITY] :
	    q[NAMES_ANY] != Q_UNSET ? q[NAMES_ANY] : 0;
	for (i = 0; i < ENCODING_COUNT; i++) {
		if (q[i] == 0 || q[i] < floor)
			continue;
		/* insertion by weight; equal weights keep the enum's order */
		for (j = (int)n; j > 0 && q[order[j - 1]] < q[i]; j--)
			order[j] = order[j - 1];
		order[j] = (enum encoding)i;
		n++;
	}
	return n;
}
