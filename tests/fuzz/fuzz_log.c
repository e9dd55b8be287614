/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for log_format_clf(): whatever a client sends as its
 * request line, Referer or User-Agent, the access-log line must stay one
 * line that log tools can split back into its fields.
 *
 * The line is written into heap buffers of exactly 256 bytes, of a size
 * taken from the input and of MAX_LOG_LINE_BYTES, so AddressSanitizer
 * reports a write past any of them.  Each line must end in its only '\n',
 * hold no other control, DEL or non-ASCII byte, and parse back as host,
 * "- -", [date], quoted request, status and bytes (and, combined, two more
 * quoted fields): every '"' or '\' in a quoted field is escaped, a cut
 * field is a prefix of the input escaped the documented way, a short one
 * is whole, and the date and zone are those of the time and offset given.
 *
 * The host is what inet_ntop() writes (the server's own text, never
 * escaped), so its other bytes are mapped to hex digits, '.' and ':'.
 * The time stays within +-2^62 seconds and the offset within a day, as
 * time(NULL) and log_utc_offset() give: when plus the offset cannot
 * overflow.
 */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "log.h"

#define FUZZ_NAME	"fuzz_log"
#include "fuzz.h"

#define HEAD_BYTES	22	/* control bytes before the fields */
#define MAX_HOST	80	/* past the 64 bytes the line keeps */
#define HOST_KEPT	64

/* The documented escape of one byte: \" \\ \xHH or the byte itself. */
static size_t
escape_byte(unsigned char c, char out[4])
{
	static const char hex[] = "0123456789abcdef";

	if (c == '"' || c == '\\') {
		out[0] = '\\';
		out[1] = (char)c;
		return 2;
	}
	if (c < 0x20 || c >= 0x7f) {
		out[0] = '\\';
		out[1] = 'x';
		out[2] = hex[c >> 4];
		out[3] = hex[c & 15];
		return 4;
	}
	out[0] = (char)c;
	return 1;
}

static size_t
escaped_len(struct span s)
{
	char tmp[4];
	size_t i, n = 0;

	for (i = 0; i < s.n; i++)
		n += escape_byte((unsigned char)s.p[i], tmp);
	return n;
}

/* Reads a decimal number of at most 19 digits at *p; -1 without one. */
static int
number(const char **p, const char *end, unsigned long long *v)
{
	const char *start = *p;

	*v = 0;
	while (*p < end && **p >= '0' && **p <= '9' && *p - start < 19)
		*v = *v * 10 + (unsigned)(*(*p)++ - '0');
	if (*p == start || (*p < end && **p >= '0' && **p <= '9'))
		return -1;
	/* no leading zeros but for "0" itself */
	if (*p - start > 1 && *start == '0')
		return -1;
	return 0;
}

static void
expect(const char **p, const char *end, const char *lit, const char *what)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		fail(what);
	*p += n;
}

/* Exactly width digits at *p. */
static int
fixed(const char **p, const char *end, int width, const char *what)
{
	int v = 0, i;

	for (i = 0; i < width; i++) {
		if (*p == end || **p < '0' || **p > '9')
			fail(what);
		v = v * 10 + (*(*p)++ - '0');
	}
	return v;
}

/* An optional '-' and the year, zero-padded to four digits and no more. */
static long long
year(const char **p, const char *end)
{
	const char *start;
	unsigned long long v = 0;
	int neg = 0;

	if (*p < end && **p == '-') {
		neg = 1;
		(*p)++;
	}
	for (start = *p; *p < end && **p >= '0' && **p <= '9'; (*p)++) {
		if (*p - start == 18)
			fail("year longer than 18 digits");
		v = v * 10 + (unsigned)(**p - '0');
	}
	if (*p - start < 4)
		fail("year shorter than four digits");
	if (*p - start > 4 && *start == '0')
		fail("year zero-padded past four digits");
	if (neg && v == 0)
		fail("year \"-0000\"");
	return neg ? -(long long)v : (long long)v;
}

/*
 * A quoted field at *p of the line: it must be "-" when s is absent, else
 * the documented escape of a prefix of s, cut only between two escapes, and
 * all of s when s escaped is at most whole bytes long.
 */
static void
quoted(const char **p, const char *end, struct span s, size_t whole,
    const char *what)
{
	const char *q = *p + 1, *stop;
	char esc[4];
	size_t i = 0, k;

	if (*p == end || **p != '"')
		fail(what);
	for (stop = q; stop < end && *stop != '"'; stop++)
		if (*stop == '\\' && stop + 1 < end)
			stop++;
	if (stop == end)
		fail("quoted field not closed");
	if (s.p == NULL) {
		if (stop - q != 1 || *q != '-')
			fail("absent field is not \"-\"");
		*p = stop + 1;
		return;
	}
	while (q < stop) {
		if (i == s.n)
			fail("quoted field longer than its input");
		k = escape_byte((unsigned char)s.p[i], esc);
		if ((size_t)(stop - q) < k || memcmp(q, esc, k) != 0)
			fail("quoted field is not its input escaped");
		q += k;
		i++;
	}
	if (i < s.n && escaped_len(s) <= whole)
		fail("a field that fits was cut");
	*p = stop + 1;
}

static void
check_line(const char *buf, size_t size, size_t n, const struct log_entry *e,
    const char *host)
{
	const char *p = buf, *end, *h;
	unsigned long long v;
	long long shifted, y;
	long zone;
	struct tm tm;
	time_t t;
	size_t i, whole, hn;
	int day, mon, hh, mm, ss;
	static const char months[12][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};

	if (n == 0 || n > size)
		fail("length is 0 or past the buffer");
	if (buf[n - 1] != '\n')
		fail("line does not end in '\\n'");
	for (i = 0; i + 1 < n; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c < 0x20 || c >= 0x7f)
			fail("control, DEL or non-ASCII byte in the line");
	}
	end = buf + n - 1;
	/* short enough to need no cut, whatever the host and the year */
	whole = size >= 256 ? (size - 256) / 4 : 0;

	/* host: as given, cut at HOST_KEPT bytes; "-" if none */
	h = host != NULL && *host != '\0' ? host : "-";
	hn = strlen(h);
	if (hn > HOST_KEPT)
		hn = HOST_KEPT;
	if ((size_t)(end - p) < hn || memcmp(p, h, hn) != 0)
		fail("host field differs");
	p += hn;
	expect(&p, end, " - - [", "no \" - - [\" after the host");

	/* [dd/Mon/yyyy:hh:mm:ss +hhmm] */
	day = fixed(&p, end, 2, "day");
	expect(&p, end, "/", "'/' after the day");
	for (mon = 0; mon < 12; mon++)
		if (end - p >= 3 && memcmp(p, months[mon], 3) == 0)
			break;
	if (mon == 12)
		fail("month name");
	p += 3;
	expect(&p, end, "/", "'/' after the month");
	y = year(&p, end);
	expect(&p, end, ":", "':' after the year");
	hh = fixed(&p, end, 2, "hour");
	expect(&p, end, ":", "':' after the hour");
	mm = fixed(&p, end, 2, "minute");
	expect(&p, end, ":", "':' after the minute");
	ss = fixed(&p, end, 2, "second");
	if (hh > 23 || mm > 59 || ss > 59 || day < 1 || day > 31)
		fail("time of day or day out of range");
	zone = e->utc_offset_sec / 60;
	if (zone < 0) {
		expect(&p, end, " -", "zone sign");
		zone = -zone;
	} else
		expect(&p, end, " +", "zone sign");
	if (fixed(&p, end, 4, "zone") != zone / 60 * 100 + zone % 60)
		fail("zone is not the offset given");
	expect(&p, end, "] ", "\"] \" after the date");

	/* the date and time must be those of when plus the offset */
	shifted = (long long)e->when + e->utc_offset_sec;
	t = (time_t)shifted;
	if (gmtime_r(&t, &tm) != NULL && ((long long)tm.tm_year + 1900 != y ||
	    tm.tm_mon != mon || tm.tm_mday != day || tm.tm_hour != hh ||
	    tm.tm_min != mm || tm.tm_sec != ss))
		fail("date is not when plus the offset");

	quoted(&p, end, e->request, whole, "request field");
	expect(&p, end, " ", "' ' after the request");
	if (number(&p, end, &v) != 0 || v != (unsigned long long)e->status)
		fail("status field differs");
	expect(&p, end, " ", "' ' after the status");
	if (e->bytes > 0) {
		if (number(&p, end, &v) != 0 ||
		    v != (unsigned long long)e->bytes)
			fail("bytes field differs");
	} else
		expect(&p, end, "-", "no bytes is not \"-\"");
	if (e->combined) {
		expect(&p, end, " ", "' ' before the referer");
		quoted(&p, end, e->referer, whole, "referer field");
		expect(&p, end, " ", "' ' before the user agent");
		quoted(&p, end, e->user_agent, whole, "user agent field");
	}
	if (p != end)
		fail("bytes after the last field");
}

/* Formats e into a heap buffer of exactly size bytes and checks it. */
static void
format_and_check(size_t size, const struct log_entry *e)
{
	char *buf = malloc(size);
	size_t n;

	if (buf == NULL)
		abort();
	memset(buf, 0xa5, size);
	n = log_format_clf(buf, size, e);
	check_line(buf, size, n, e, e->host);
	free(buf);
}

/* The next len bytes (fewer at the end) as a field, in an exact copy. */
static struct span
take(const uint8_t **p, size_t *left, size_t len, int absent, char **copy)
{
	struct span s;

	if (len > *left)
		len = *left;
	*copy = dup_exact(*p, len);
	s.p = absent ? NULL : *copy;
	s.n = absent ? 0 : len;
	*p += len;
	*left -= len;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char alphabet[] = "0123456789abcdef.:";
	uint8_t head[HEAD_BYTES];
	const uint8_t *p;
	struct log_entry e;
	char *host, *req, *ref, *ua;
	size_t left, hn, bufsize, i;
	long long when;

	memset(head, 0, sizeof(head));
	if (size > 0)
		memcpy(head, data, size < HEAD_BYTES ? size : HEAD_BYTES);
	p = data + (size < HEAD_BYTES ? size : HEAD_BYTES);
	left = size - (size_t)(p - data);

	memset(&e, 0, sizeof(e));
	e.combined = head[0] & 1;
	bufsize = 256 + get_bytes(head + 2, 2) %
	    (MAX_LOG_LINE_BYTES - 256 + 1);
	/* within +-2^62 seconds, often much less */
	when = (long long)(get_bytes(head + 4, 8) >>
	    (2 + (head[0] >> 4 & 7) * 4));
	e.when = (time_t)(head[0] & 0x80 ? -when : when);
	e.utc_offset_sec = (long)(get_bytes(head + 12, 3) % (2 * 86400 - 1)) -
	    86399;
	e.status = (int)(get_bytes(head + 15, 2) % 1000);
	if (head[0] & 8)
		e.bytes = (long long)(get_bytes(head + 17, 4) << 31);
	else
		e.bytes = (long long)get_bytes(head + 17, 4) - 0x10000;

	hn = head[21] % (MAX_HOST + 1);
	if (hn > left)
		hn = left;
	if ((host = malloc(hn + 1)) == NULL)
		abort();
	for (i = 0; i < hn; i++)
		host[i] = p[i] != '\0' && strchr(alphabet, p[i]) != NULL ?
		    (char)p[i] : alphabet[p[i] % (sizeof(alphabet) - 1)];
	host[hn] = '\0';
	p += hn;
	left -= hn;
	e.host = head[0] & 4 ? NULL : host;

	/* request, referer and user agent: thirds of the rest, by default */
	e.request = take(&p, &left, head[1] & 1 ? left : (left + 2) / 3,
	    head[1] & 2, &req);
	e.referer = take(&p, &left, (left + 1) / 2, head[0] & 2, &ref);
	e.user_agent = take(&p, &left, left, head[1] & 4, &ua);

	format_and_check(256, &e);
	format_and_check(bufsize, &e);
	format_and_check(MAX_LOG_LINE_BYTES, &e);

	free(ua);
	free(ref);
	free(req);
	free(host);
	return 0;
}
