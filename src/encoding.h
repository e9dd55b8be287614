/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Accept-Encoding (RFC 9110 12.5.3), pure: which of the precompressed
 * variants forkhttpd knows (FILE.br, FILE.zst, FILE.gz) a client takes,
 * best first.  No I/O: respond.c then looks for the files.
 */
#ifndef FORKHTTPD_ENCODING_H
#define FORKHTTPD_ENCODING_H

#include <stddef.h>

#include "http.h"

/* The variants, in the order that breaks a tie between equal weights. */
enum encoding {
	ENCODING_BR,
	ENCODING_ZSTD,
	ENCODING_GZIP,
	ENCODING_COUNT
};

/* What a variant is called: its Content-Encoding and the file's suffix. */
struct encoding_variant {
	const char	*coding;	/* "br" */
	const char	*suffix;	/* ".br" */
};

extern const struct encoding_variant encoding_variants[ENCODING_COUNT];

/* The longest suffix, its dot included, without the NUL. */
#define ENCODING_SUFFIX_BYTES	4

/*
 * The codings the Accept-Encoding lines ae accept, in order[0..n) best
 * first: by weight, then br, zstd, gzip; returns n.  A coding counts when
 * its weight (its own, else that of "*") is above zero and not below that
 * of identity (its own, else that of "*"; 0 when neither is named, so that
 * "gzip;q=0.5" alone still takes gzip).  "x-gzip" is gzip.  A member that
 * does not parse (a bad weight, a parameter other than q) is left out, as
 * is any member after the first naming the same coding.  No lines (n 0)
 * accept no variant.
 */
size_t	encoding_choose(const struct span_list *ae,
	    enum encoding order[ENCODING_COUNT]);

#endif /* FORKHTTPD_ENCODING_H */
