/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The decimal parser checks the range before each digit is added, so it
 * never overflows, whatever max is.
 */
#include <config.h>

#include <string.h>

#include "number.h"

const char number_hex_lower[17] = "0123456789abcdef";
const char number_hex_upper[17] = "0123456789ABCDEF";

int
number_prefix(const char *s, size_t n, long long max, long long *v,
    size_t *used)
{
	long long x = 0;
	size_t i;
	int d;

	for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
		d = s[i] - '0';
		if (d > max || x > (max - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	if (i == 0)
		return -1;
	*v = x;
	*used = i;
	return 0;
}

int
number_parse(const char *s, size_t n, long long min, long long max,
    long long *v)
{
	long long x;
	size_t used;

	if (max < 0 || number_prefix(s, n, max, &x, &used) != 0 ||
	    used != n || x < min)
		return -1;
	*v = x;
	return 0;
}

int
number_parse_str(const char *s, long long min, long long max, long long *v)
{
	return number_parse(s, strlen(s), min, max, v);
}

int
number_hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
