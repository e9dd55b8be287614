/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Numbers as text: the one range-checked decimal parser, for the command
 * line, pid files and what clients send (Content-Length, Range, dates).
 * No sign, no space, no locale, never an overflow: a number is digits in
 * a range, or it is refused.  And the hex digits, both ways.
 */
#ifndef FORKHTTPD_NUMBER_H
#define FORKHTTPD_NUMBER_H

#include <stddef.h>

/*
 * The decimal digits at the start of s[0..n): 0 with *v their value and
 * *used their count, or -1 when there is no digit or the value is above
 * max (max >= 0).  Leading zeros are fine.  *v and *used are left alone
 * on failure.
 */
int	number_prefix(const char *s, size_t n, long long max, long long *v,
	    size_t *used);

/* All of s[0..n) as a number in [min, max]: 0 with *v set, or -1. */
int	number_parse(const char *s, size_t n, long long min, long long max,
	    long long *v);

/* As number_parse(), for the NUL-terminated s (an argument, a file). */
int	number_parse_str(const char *s, long long min, long long max,
	    long long *v);

/* The value of the hex digit c (either case), or -1. */
int	number_hex_value(unsigned char c);

/* "0123456789abcdef" and "0123456789ABCDEF", indexed by a digit's value. */
extern const char number_hex_lower[17];
extern const char number_hex_upper[17];

#endif /* FORKHTTPD_NUMBER_H */
