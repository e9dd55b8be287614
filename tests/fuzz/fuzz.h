/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What every harness needs: a way to fail loudly, exact-size heap copies
 * (so AddressSanitizer sees a read one byte past the end) and numbers from
 * the input's bytes.  A harness defines FUZZ_NAME before including this.
 */
#ifndef FORKHTTPD_FUZZ_H
#define FORKHTTPD_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void
fail(const char *what)
{
	fprintf(stderr, "%s: invariant broken: %s\n", FUZZ_NAME, what);
	abort();
}

/* A heap copy of exactly n bytes (one spare byte only when n is 0). */
static inline char *
dup_exact(const void *data, size_t n)
{
	char *p = malloc(n > 0 ? n : 1);

	if (p == NULL)
		abort();
	if (n > 0)
		memcpy(p, data, n);
	return p;
}

/* n bytes of p, big-endian. */
static inline unsigned long long
get_bytes(const uint8_t *p, size_t n)
{
	unsigned long long v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

#endif /* FORKHTTPD_FUZZ_H */
