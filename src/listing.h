/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Directory listings as HTML.  Formatting is pure: respond.c reads the
 * directory and hands the entries here.
 */
#ifndef FORKHTTPD_LISTING_H
#define FORKHTTPD_LISTING_H

#include <stddef.h>
#include <time.h>

#define MAX_LISTING_ENTRIES	10000	/* more are left out, with a note */
#define MAX_LISTING_BYTES	(2 << 20)

struct listing_entry {
	const char	*name;
	int		 is_dir;
	long long	 size;
	time_t		 mtime;
};

/* Sort entries: directories first, then by name in byte order. */
void	listing_sort(struct listing_entry *e, size_t n);

/*
 * Write an HTML page listing the n entries of the directory whose decoded
 * URL path is dir (it ends in '/').  Names are HTML-escaped in the text and
 * percent-encoded in the links.  Entries that do not fit are left out and
 * the page says so; the page is always complete.  Returns its length, or 0
 * if size is too small for even an empty listing (under 8192 bytes).
 */
size_t	listing_format(char *buf, size_t size, const char *dir,
	    const struct listing_entry *e, size_t n, int truncated);

/* HTML-escape s into buf (NUL-terminated); returns the length or -1. */
int	listing_html_escape(char *buf, size_t size, const char *s);

/* Percent-encode s for a URL path segment into buf; length or -1. */
int	listing_url_encode(char *buf, size_t size, const char *s);

#endif /* FORKHTTPD_LISTING_H */
