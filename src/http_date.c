/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HTTP dates and the proleptic Gregorian calendar under them, in integer
 * arithmetic: no gmtime_r or timegm (POSIX has none), no time zone and no
 * locale, so a date formats and parses the same in every process.
 */
#include <config.h>

#include <string.h>

#include "http.h"
#include "number.h"
#include "outbuf.h"

static const char days_of_week[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
const char http_months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/* The inverse of days_from_civil() below: y-m-d of day z since 1970-01-01. */
void
http_civil_from_days(long long z, long long *y, int *m, int *d)
{
	long long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

size_t
http_format_date(time_t t, char buf[HTTP_DATE_BYTES])
{
	struct outbuf o;
	long long days, secs, y;
	int m, d;

	days = (long long)t / 86400;
	secs = (long long)t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* 0000-01-01 to 9999-12-31; outside, four digits cannot say it */
	if (days < -719528 || days > 2932896)
		return 0;
	http_civil_from_days(days, &y, &m, &d);
	outbuf_init(&o, buf, HTTP_DATE_BYTES);
	/* day -719528, 0000-01-01, was a Saturday (6) */
	outbuf_put_mem(&o, days_of_week[(days + 719528 + 6) % 7], 3);
	outbuf_put_mem(&o, ", ", 2);
	outbuf_put_digits(&o, (unsigned)d, 2);
	outbuf_put_char(&o, ' ');
	outbuf_put_mem(&o, http_months[m - 1], 3);
	outbuf_put_char(&o, ' ');
	outbuf_put_digits(&o, (unsigned long long)y, 4);
	outbuf_put_char(&o, ' ');
	outbuf_put_digits(&o, (unsigned long long)secs / 3600, 2);
	outbuf_put_char(&o, ':');
	outbuf_put_digits(&o, (unsigned long long)secs / 60 % 60, 2);
	outbuf_put_char(&o, ':');
	outbuf_put_digits(&o, (unsigned long long)secs % 60, 2);
	outbuf_put_mem(&o, " GMT", 4);
	return outbuf_finish(&o) == 0 ? o.len : 0;
}

/* Reads exactly n (at most 4) digits at *p, advancing it; -1 if it cannot. */
static int
digits(const char **p, const char *end, size_t n)
{
	long long v;

	if ((size_t)(end - *p) < n || number_parse(*p, n, 0, 9999, &v) != 0)
		return -1;
	*p += n;
	return (int)v;
}

static int
expect(const char **p, const char *end, const char *lit)
{
	size_t n = strlen(lit);

	if ((size_t)(end - *p) < n || memcmp(*p, lit, n) != 0)
		return -1;
	*p += n;
	return 0;
}

static int
month_of(const char **p, const char *end)
{
	int m;

	for (m = 0; m < 12; m++)
		if (expect(p, end, http_months[m]) == 0)
			return m;
	return -1;
}

static int
clock_of(const char **p, const char *end, struct tm *tm)
{
	if ((tm->tm_hour = digits(p, end, 2)) < 0 || expect(p, end, ":") ||
	    (tm->tm_min = digits(p, end, 2)) < 0 || expect(p, end, ":") ||
	    (tm->tm_sec = digits(p, end, 2)) < 0)
		return -1;
	return tm->tm_hour > 23 || tm->tm_min > 59 || tm->tm_sec > 60 ? -1 : 0;
}

/* Days from 1970-01-01 to y-m-d, proleptic Gregorian (no timegm in POSIX). */
static long long
days_from_civil(long long y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
valid_mday(int year, int mon, int mday)
{
	static const int mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	if (mday < 1 || mday > mdays[mon])
		return 0;
	return !(mon == 1 && mday == 29 && !leap);
}

int
http_parse_date(struct span s, time_t *t)
{
	const char *p = s.p, *end = s.p + s.n, *comma;
	struct tm tm;
	int year, wd;

	memset(&tm, 0, sizeof(tm));
	comma = memchr(p, ',', s.n);
	for (wd = 0; wd < 7; wd++)
		if (expect(&p, end, days_of_week[wd]) == 0)
			break;
	if (wd == 7)
		return -1;
	if (comma == p) {
		/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
		if (expect(&p, end, ", ") ||
		    (tm.tm_mday = digits(&p, end, 2)) < 0 ||
		    expect(&p, end, " ") || (tm.tm_mon = month_of(&p, end)) < 0 ||
		    expect(&p, end, " ") || (year = digits(&p, end, 4)) < 0 ||
		    expect(&p, end, " ") || clock_of(&p, end, &tm) ||
		    expect(&p, end, " GMT"))
			return -1;
	} else if (comma != NULL) {
		/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
		static const char *longday[7] = { "day", "day", "sday",
		    "nesday", "rsday", "day", "urday" };

		if (expect(&p, end, longday[wd]) || expect(&p, end, ", ") ||
		    (tm.tm_mday = digits(&p, end, 2)) < 0 ||
		    expect(&p, end, "-") || (tm.tm_mon = month_of(&p, end)) < 0 ||
		    expect(&p, end, "-") || (year = digits(&p, end, 2)) < 0 ||
		    expect(&p, end, " ") || clock_of(&p, end, &tm) ||
		    expect(&p, end, " GMT"))
			return -1;
		/* RFC 9110 5.6.7: a two-digit year is at most 50 years ahead */
		year += year < 70 ? 2000 : 1900;
	} else {
		/* asctime: Sun Nov  6 08:49:37 1994 */
		if (expect(&p, end, " ") || (tm.tm_mon = month_of(&p, end)) < 0 ||
		    expect(&p, end, " "))
			return -1;
		if (p < end && *p == ' ')
			p++, tm.tm_mday = digits(&p, end, 1);
		else
			tm.tm_mday = digits(&p, end, 2);
		if (tm.tm_mday < 0 || expect(&p, end, " ") ||
		    clock_of(&p, end, &tm) || expect(&p, end, " ") ||
		    (year = digits(&p, end, 4)) < 0)
			return -1;
	}
	if (p != end || !valid_mday(year, tm.tm_mon, tm.tm_mday))
		return -1;
	*t = (time_t)(days_from_civil(year, tm.tm_mon + 1, tm.tm_mday) *
	    86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
	return 0;
}
