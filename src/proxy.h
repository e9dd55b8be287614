/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The real client behind a proxy, decided without I/O: the PROXY protocol
 * header (HAProxy's proxy-protocol.txt, versions 1 and 2), the trusted
 * networks (--trusted-proxy), and X-Forwarded-For and Forwarded (RFC 7239)
 * read from the right, as nginx's real_ip_recursive does.  Addresses are
 * compared as IPv6, IPv4 as ::ffff:a.b.c.d, so one table serves a
 * dual-stack socket's mapped clients and plain IPv4 ones alike.
 */
#ifndef FORKHTTPD_PROXY_H
#define FORKHTTPD_PROXY_H

#include <stddef.h>
#include <sys/socket.h>

#include "span.h"

#define PROXY_NEED_MORE		1	/* proxy_parse_header(): a prefix */
#define PROXY_BAD		(-1)	/* ... not a valid header */
#define PROXY_V1_MAX_BYTES	107	/* "PROXY TCP6 ...\r\n" at most */
#define PROXY_V2_FIXED_BYTES	16	/* signature, command, family, length */
#define PROXY_TEXT_ADDR_BYTES	46	/* an address literal at most, with
					   its NUL (INET6_ADDRSTRLEN) */

/* One network: addr/bits, IPv4 as ::ffff:a.b.c.d/(96 + bits). */
struct proxy_net {
	unsigned char	 addr[16];
	unsigned int	 bits;
};

struct proxy_header {
	int		 version;	/* 1 or 2 */
	int		 has_source;	/* TCP4/TCP6 (v1), PROXY over INET
					   or INET6 (v2): source is the
					   client; else the peer stays */
	struct sockaddr_storage source;
};

/*
 * The PROXY header at the start of buf[0..len), at most max bytes long
 * (a v1 header also at most PROXY_V1_MAX_BYTES): 0 with *h filled and
 * *used its length; PROXY_NEED_MORE when every byte of buf belongs to a
 * header not yet complete (so the caller may consume them all); or
 * PROXY_BAD.  v2 TLVs are walked within the declared length and skipped;
 * one that overruns it makes the header bad.
 */
int	proxy_parse_header(const unsigned char *buf, size_t len, size_t max,
	    struct proxy_header *h, size_t *used);

/*
 * "ADDRESS" or "ADDRESS/BITS", IPv4 or IPv6; a bare address is /32 or
 * /128.  Host bits set under the mask are refused, as a typo would be.
 * 0, or -1.
 */
int	proxy_parse_net(const char *s, struct proxy_net *net);

/*
 * The address literal s[0..n) (IPv4, or IPv6 with or without brackets)
 * as a sockaddr with port 0.  0, or -1.
 */
int	proxy_parse_addr(const char *s, size_t n, struct sockaddr_storage *ss);

/* Is ss (AF_INET or AF_INET6) in one of the n networks? */
int	proxy_trusted(const struct proxy_net *nets, size_t n,
	    const struct sockaddr_storage *ss);

/*
 * The client a chain of trusted proxies names: when *addr is trusted,
 * walk the X-Forwarded-For lines xff[0..nxff) from the last entry of the
 * last line back, or when there are none the for= of the Forwarded lines
 * fwd[0..nfwd), skipping trusted addresses; the first untrusted one (or,
 * when every one is trusted, the leftmost) replaces *addr.  The header
 * is not used at all when it is malformed, names more than
 * MAX_FORWARDED_HOPS hops, or an entry the walk reaches is no address (a
 * name, "unknown", an obfuscated node).  1 when *addr changed, else 0.
 */
int	proxy_forwarded_client(const struct proxy_net *nets, size_t n,
	    const struct span *xff, size_t nxff, const struct span *fwd,
	    size_t nfwd, struct sockaddr_storage *addr);

#endif /* FORKHTTPD_PROXY_H */
