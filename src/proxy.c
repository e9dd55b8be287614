/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PROXY header, trusted networks and forwarded headers as pure
 * functions over the caller's bytes: no I/O, no allocation.  A PROXY
 * header is judged a byte at a time as it arrives, so that a prefix that
 * can no longer become a header is refused at once, and a prefix that may
 * is said to be one, every byte of it (conn.c consumes exactly those).
 */
#include <config.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "conf.h"
#include "number.h"
#include "proxy.h"

#define V2_SIGNATURE	"\r\n\r\n\0\r\nQUIT\n"
#define V2_SIGNATURE_BYTES 12
#define V1_SIGNATURE	"PROXY "
#define V1_SIGNATURE_BYTES 6

enum { V2_LOCAL = 0, V2_PROXY = 1 };
enum { V2_UNSPEC = 0, V2_INET = 1, V2_INET6 = 2, V2_UNIX = 3 };
enum { V2_STREAM = 1 };
/* the address block of each family: two addresses and two ports */
#define V2_INET_BYTES	12
#define V2_INET6_BYTES	36
#define V2_UNIX_BYTES	216
#define V2_TLV_HEAD_BYTES 3	/* type, then a big-endian length */

static size_t
least(size_t a, size_t b)
{
	return a < b ? a : b;
}

int
proxy_parse_addr(const char *s, size_t n, struct sockaddr_storage *ss)
{
	char text[PROXY_TEXT_ADDR_BYTES];
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	int bracketed = 0;

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
		bracketed = 1;
	}
	if (n == 0 || n >= sizeof(text) || memchr(s, '\0', n) != NULL)
		return -1;
	memcpy(text, s, n);
	text[n] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (!bracketed && inet_pton(AF_INET, text, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		return 0;
	}
	return -1;
}

/* The 16 bytes ss is compared as (IPv4 mapped); -1 for other families. */
static int
addr16(const struct sockaddr_storage *ss, unsigned char b[16])
{
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

	if (ss->ss_family == AF_INET) {
		memset(b, 0, 10);
		b[10] = b[11] = 0xff;
		memcpy(b + 12, &s4->sin_addr, 4);
		return 0;
	}
	if (ss->ss_family == AF_INET6) {
		memcpy(b, s6->sin6_addr.s6_addr, 16);
		return 0;
	}
	return -1;
}

static int
net_has(const struct proxy_net *net, const unsigned char b[16])
{
	unsigned int whole = net->bits / 8, rest = net->bits % 8;
	unsigned char mask;

	if (memcmp(net->addr, b, whole) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - rest));
	return (net->addr[whole] & mask) == (b[whole] & mask);
}

int
proxy_parse_net(const char *s, struct proxy_net *net)
{
	struct sockaddr_storage ss;
	const char *slash = strchr(s, '/');
	size_t n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	long long bits;
	unsigned int i, max;

	if (proxy_parse_addr(s, n, &ss) != 0 || (n > 0 && s[0] == '['))
		return -1;
	max = ss.ss_family == AF_INET ? 32 : 128;
	if (slash == NULL)
		bits = max;
	else if (number_parse_str(slash + 1, 0, max, &bits) != 0)
		return -1;
	(void)addr16(&ss, net->addr);
	net->bits = (unsigned int)bits + (ss.ss_family == AF_INET ? 96 : 0);
	/* host bits under the mask: a typo, or a misunderstanding */
	for (i = net->bits; i < 128; i++)
		if (net->addr[i / 8] & (0x80 >> (i % 8)))
			return -1;
	return 0;
}

int
proxy_trusted(const struct proxy_net *nets, size_t n,
    const struct sockaddr_storage *ss)
{
	unsigned char b[16];
	size_t i;

	if (n == 0 || addr16(ss, b) != 0)
		return 0;
	for (i = 0; i < n; i++)
		if (net_has(&nets[i], b))
			return 1;
	return 0;
}

/* --- the PROXY header --- */

/* The next space-delimited word of a v1 line, from *i; its length. */
static size_t
v1_word(const char *p, size_t end, size_t *i, const char **w)
{
	size_t start = *i;

	while (*i < end && p[*i] != ' ')
		(*i)++;
	*w = p + start;
	return *i - start;
}

static int
v1_port(const char *w, size_t n)
{
	long long v;

	/* one to five digits, no leading zero but for 0 itself */
	if (n == 0 || n > 5 || (n > 1 && w[0] == '0'))
		return -1;
	return number_parse(w, n, 0, 65535, &v) == 0 ? (int)v : -1;
}

/* "TCP4 SRC DST SPORT DPORT" of p[0..end), after "PROXY ". */
static int
v1_addresses(const char *p, size_t end, int family, struct proxy_header *h)
{
	struct sockaddr_storage dst;
	const char *w;
	size_t i = 0, n;
	int port, k;

	for (k = 0; k < 4; k++) {
		if (k > 0 && (i >= end || p[i++] != ' '))
			return PROXY_BAD;
		n = v1_word(p, end, &i, &w);
		if (k < 2) {
			if (proxy_parse_addr(w, n, k == 0 ? &h->source :
			    &dst) != 0 || (k == 0 ? h->source.ss_family :
			    dst.ss_family) != family || w[0] == '[')
				return PROXY_BAD;
		} else if ((port = v1_port(w, n)) < 0)
			return PROXY_BAD;
		else if (k == 2) {
			if (family == AF_INET)
				((struct sockaddr_in *)&h->source)->sin_port =
				    htons((unsigned short)port);
			else
				((struct sockaddr_in6 *)&h->source)->sin6_port
				    = htons((unsigned short)port);
		}
	}
	return i == end ? 0 : PROXY_BAD;
}

static int
parse_v1(const unsigned char *buf, size_t len, struct proxy_header *h,
    size_t *used)
{
	const char *p = (const char *)buf;
	const unsigned char *lf;
	size_t end;

	lf = memchr(buf, '\n', least(len, PROXY_V1_MAX_BYTES));
	if (lf == NULL)
		return len >= PROXY_V1_MAX_BYTES ? PROXY_BAD : PROXY_NEED_MORE;
	end = (size_t)(lf - buf);
	if (end < V1_SIGNATURE_BYTES + 1 || buf[end - 1] != '\r')
		return PROXY_BAD;
	end--;			/* the CR */
	h->version = 1;
	*used = end + 2;
	p += V1_SIGNATURE_BYTES;
	end -= V1_SIGNATURE_BYTES;
	/* UNKNOWN: the rest of the line is to be ignored */
	if (end >= 7 && memcmp(p, "UNKNOWN", 7) == 0 &&
	    (end == 7 || p[7] == ' ')) {
		h->has_source = 0;
		return 0;
	}
	if (end < 5 || p[4] != ' ' || (memcmp(p, "TCP4", 4) != 0 &&
	    memcmp(p, "TCP6", 4) != 0))
		return PROXY_BAD;
	if (v1_addresses(p + 5, end - 5, p[3] == '4' ? AF_INET : AF_INET6,
	    h) != 0)
		return PROXY_BAD;
	h->has_source = 1;
	return 0;
}

static int
parse_v2(const unsigned char *buf, size_t len, size_t max,
    struct proxy_header *h, size_t *used)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&h->source;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&h->source;
	size_t total, addr_len, i;
	int cmd, family, transport;

	if (len < PROXY_V2_FIXED_BYTES)
		return PROXY_NEED_MORE;
	if (buf[12] >> 4 != 2)
		return PROXY_BAD;
	cmd = buf[12] & 0x0f;
	family = buf[13] >> 4;
	transport = buf[13] & 0x0f;
	total = PROXY_V2_FIXED_BYTES + ((size_t)buf[14] << 8 | buf[15]);
	if (cmd > V2_PROXY || total > max)
		return PROXY_BAD;
	if (len < total)
		return PROXY_NEED_MORE;
	switch (family) {
	case V2_UNSPEC:
		addr_len = 0;
		break;
	case V2_INET:
		addr_len = V2_INET_BYTES;
		break;
	case V2_INET6:
		addr_len = V2_INET6_BYTES;
		break;
	case V2_UNIX:
		addr_len = V2_UNIX_BYTES;
		break;
	default:
		return PROXY_BAD;
	}
	if (PROXY_V2_FIXED_BYTES + addr_len > total)
		return PROXY_BAD;
	/* TLVs: each must end within the declared length; none is used */
	for (i = PROXY_V2_FIXED_BYTES + addr_len; i < total;) {
		if (total - i < V2_TLV_HEAD_BYTES ||
		    total - i - V2_TLV_HEAD_BYTES <
		    ((size_t)buf[i + 1] << 8 | buf[i + 2]))
			return PROXY_BAD;
		i += V2_TLV_HEAD_BYTES + ((size_t)buf[i + 1] << 8 | buf[i + 2]);
	}
	h->version = 2;
	h->has_source = 0;
	*used = total;
	/* LOCAL: the proxy's own connection (a health check); and UNSPEC
	   or UNIX give no address: the peer stays */
	if (cmd == V2_LOCAL || family == V2_UNSPEC || family == V2_UNIX)
		return 0;
	if (transport != V2_STREAM && transport != 0)
		return PROXY_BAD;
	memset(&h->source, 0, sizeof(h->source));
	if (family == V2_INET) {
		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, buf + 16, 4);
		memcpy(&s4->sin_port, buf + 24, 2);
	} else {
		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, buf + 16, 16);
		memcpy(&s6->sin6_port, buf + 48, 2);
	}
	h->has_source = 1;
	return 0;
}

int
proxy_parse_header(const unsigned char *buf, size_t len, size_t max,
    struct proxy_header *h, size_t *used)
{
	memset(h, 0, sizeof(*h));
	if (len == 0)
		return PROXY_NEED_MORE;
	if (buf[0] == 'P') {
		if (memcmp(buf, V1_SIGNATURE, least(len,
		    V1_SIGNATURE_BYTES)) != 0)
			return PROXY_BAD;
		return parse_v1(buf, len, h, used);
	}
	if (memcmp(buf, V2_SIGNATURE, least(len, V2_SIGNATURE_BYTES)) != 0)
		return PROXY_BAD;
	return parse_v2(buf, len, max, h, used);
}

/* --- X-Forwarded-For and Forwarded --- */

static int
is_ows(char c)
{
	return c == ' ' || c == '\t';
}

static struct span
trim(const char *p, size_t n)
{
	struct span s;

	while (n > 0 && is_ows(*p)) {
		p++;
		n--;
	}
	while (n > 0 && is_ows(p[n - 1]))
		n--;
	s.p = p;
	s.n = n;
	return s;
}

struct hops {
	struct span	 addr[MAX_FORWARDED_HOPS];
	size_t		 n;
	int		 bad;		/* too many, or not an address */
};

static void
hop_add(struct hops *h, struct span s)
{
	if (h->n == MAX_FORWARDED_HOPS)
		h->bad = 1;
	else
		h->addr[h->n++] = s;
}

/* X-Forwarded-For: addresses separated by commas; empty ones skipped. */
static void
xff_hops(struct span line, struct hops *h)
{
	struct span s;
	size_t i = 0, start;

	while (i <= line.n) {
		start = i;
		while (i < line.n && line.p[i] != ',')
			i++;
		s = trim(line.p + start, i - start);
		if (s.n > 0)
			hop_add(h, s);
		i++;
	}
}

/*
 * The node of a for= value (RFC 7239 6): an IPv4 address, or a bracketed
 * IPv6 one, either with a port; the quotes already taken off.  Anything
 * else ("unknown", "_hidden") is no address: the header is not used.
 */
static struct span
node_addr(struct span v, int *bad)
{
	struct span s = v;
	const char *colon;

	if (s.n > 0 && s.p[0] == '[') {
		colon = memchr(s.p, ']', s.n);
		if (colon == NULL)
			*bad = 1;
		else
			s.n = (size_t)(colon - s.p) + 1;
	} else if ((colon = memchr(s.p, ':', s.n)) != NULL)
		s.n = (size_t)(colon - s.p);
	return s;
}

/* Forwarded: elements by commas, pairs by semicolons, quoted strings. */
static void
forwarded_hops(struct span line, struct hops *h)
{
	size_t i = 0, start, eq, k;
	int quoted, has_for, empty;
	struct span pair, name, value, node = { NULL, 0 };

	while (i <= line.n && !h->bad) {
		has_for = 0;
		empty = 1;
		/* one element: pairs up to an unquoted comma */
		for (;;) {
			start = i;
			quoted = 0;
			while (i < line.n && (quoted || (line.p[i] != ';' &&
			    line.p[i] != ','))) {
				if (line.p[i] == '"')
					quoted = !quoted;
				else if (line.p[i] == '\\')
					h->bad = 1;	/* no escapes */
				i++;
			}
			pair = trim(line.p + start, i - start);
			if (pair.n > 0)
				empty = 0;
			for (eq = 0; eq < pair.n && pair.p[eq] != '='; eq++)
				;
			name.p = pair.p;
			name.n = eq;
			if (eq < pair.n && span_eq(trim(name.p, name.n),
			    "for")) {
				value = trim(pair.p + eq + 1, pair.n - eq - 1);
				if (value.n >= 2 && value.p[0] == '"' &&
				    value.p[value.n - 1] == '"') {
					value.p++;
					value.n -= 2;
				}
				for (k = 0; k < value.n; k++)
					if (value.p[k] == '"')
						h->bad = 1;
				node = node_addr(value, &h->bad);
				has_for = 1;
			}
			if (quoted)
				h->bad = 1;
			if (i >= line.n || line.p[i] == ',')
				break;
			i++;
		}
		if (has_for)
			hop_add(h, node);
		else if (!empty)
			h->bad = 1;	/* a hop that does not say */
		i++;
	}
}

int
proxy_forwarded_client(const struct proxy_net *nets, size_t n,
    const struct span *xff, size_t nxff, const struct span *fwd,
    size_t nfwd, struct sockaddr_storage *addr)
{
	struct hops h;
	struct sockaddr_storage ss, last;
	size_t i;

	if (!proxy_trusted(nets, n, addr) || (nxff == 0 && nfwd == 0))
		return 0;
	memset(&h, 0, sizeof(h));
	last = *addr;
	for (i = 0; i < nxff; i++)
		xff_hops(xff[i], &h);
	for (i = 0; nxff == 0 && i < nfwd; i++)
		forwarded_hops(fwd[i], &h);
	if (h.bad || h.n == 0)
		return 0;
	i = h.n;
	while (i-- > 0) {
		if (proxy_parse_addr(h.addr[i].p, h.addr[i].n, &ss) != 0)
			return 0;
		last = ss;
		if (!proxy_trusted(nets, n, &ss))
			break;
	}
	*addr = last;
	return 1;
}
