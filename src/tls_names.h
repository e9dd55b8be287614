/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The parts of a TLS handshake forkhttpd decides itself, as pure functions
 * that tests and fuzzers call without OpenSSL: which certificate a server
 * name (SNI) gets, and which protocol ALPN settles on.
 */
#ifndef FORKHTTPD_TLS_NAMES_H
#define FORKHTTPD_TLS_NAMES_H

#include <stddef.h>

#define TLS_MAX_NAME_BYTES	253	/* a DNS name, RFC 1035 */

/*
 * Does the certificate name pattern (a DNS name, or "*." and a name: the
 * wildcard stands for exactly one whole leftmost label, RFC 6125 6.4.3)
 * cover host?  Both are compared without regard to ASCII case; a trailing
 * dot on host is ignored.  Patterns with a wildcard elsewhere match
 * nothing.  host is hostlen bytes, not NUL-terminated.
 */
int	tls_name_matches(const char *pattern, const char *host, size_t hostlen);

/*
 * Which of n certificates serves host: names[i] is a NULL-terminated list
 * of certificate i's names.  An exact name wins over a wildcard, an earlier
 * certificate over a later; none (or no host) is certificate 0, the
 * default.
 */
size_t	tls_pick_certificate(const char *const *const *names, size_t n,
	    const char *host, size_t hostlen);

/*
 * ALPN (RFC 7301): from the client's protocol list in wire format (each
 * name a length byte and the name), choose http/1.1, else http/1.0.
 * Returns 0 and sets *out and *outlen to the chosen name inside in; -1
 * when the list offers neither or is malformed.
 */
int	tls_alpn_pick(const unsigned char *in, size_t inlen,
	    const unsigned char **out, unsigned char *outlen);

#endif /* FORKHTTPD_TLS_NAMES_H */
