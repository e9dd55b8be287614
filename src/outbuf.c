/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The bounded appender.  Its invariant: len never passes size, and every
 * byte written lies in p[0..size).  Numbers are written with a loop per
 * base, whose constant divisor the compiler turns into a multiply or a
 * shift.
 */
#include <config.h>

#include <string.h>

#include "number.h"
#include "outbuf.h"

#define DIGITS_BYTES	24	/* 20 digits of 2^64 - 1, and padding */

void
outbuf_init(struct outbuf *o, char *buf, size_t size)
{
	o->p = buf;
	o->size = size;
	o->len = 0;
	o->cut = 0;
}

void
outbuf_put_mem(struct outbuf *o, const void *s, size_t n)
{
	size_t room = o->size > o->len ? o->size - o->len : 0;

	if (n > room) {
		n = room;
		o->cut = 1;
	}
	if (n > 0) {
		memcpy(o->p + o->len, s, n);
		o->len += n;
	}
}

void
outbuf_put_str(struct outbuf *o, const char *s)
{
	outbuf_put_mem(o, s, strlen(s));
}

/* The digits end at tmp + DIGITS_BYTES; pad them to width with zeros. */
static void
put_padded(struct outbuf *o, char *tmp, size_t i, size_t width)
{
	while (DIGITS_BYTES - i < width && i > 0)
		tmp[--i] = '0';
	outbuf_put_mem(o, tmp + i, DIGITS_BYTES - i);
}

void
outbuf_put_digits(struct outbuf *o, unsigned long long v, size_t width)
{
	char tmp[DIGITS_BYTES];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	put_padded(o, tmp, i, width);
}

void
outbuf_put_signed(struct outbuf *o, long long v, size_t width)
{
	if (v < 0) {
		outbuf_put_char(o, '-');
		outbuf_put_digits(o, 0 - (unsigned long long)v, width);
	} else
		outbuf_put_digits(o, (unsigned long long)v, width);
}

void
outbuf_put_hex(struct outbuf *o, unsigned long long v, size_t width)
{
	char tmp[DIGITS_BYTES];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = number_hex_lower[v & 15];
		v >>= 4;
	} while (v != 0);
	put_padded(o, tmp, i, width);
}

int
outbuf_finish(struct outbuf *o)
{
	if (o->len < o->size) {
		o->p[o->len] = '\0';
		return o->cut ? -1 : 0;
	}
	o->cut = 1;
	if (o->size > 0) {
		o->len = o->size - 1;
		o->p[o->len] = '\0';
	}
	return -1;
}
