/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File name extension to media type: a constant sorted table, and the map
 * built from it at start-up with --charset and --mime-types (a file in
 * the /etc/mime.types format), looked up as fast, read-only afterwards.
 */
#ifndef FORKHTTPD_MIME_H
#define FORKHTTPD_MIME_H

#include <stddef.h>

#define MIME_DEFAULT	"application/octet-stream"

/*
 * The media type for the file name name[0..n), chosen by the extension
 * after its last '.' (ignoring case), or MIME_DEFAULT.  Never NULL.
 */
const char *mime_lookup(const char *name, size_t n);

#define MIME_EXT_BYTES		16	/* longer extensions are never looked
					   up: mime.types entries so long are
					   left out */

/*
 * Parse buf[0..len), the /etc/mime.types format: per line a media type
 * (type "/" subtype, both tokens) and the extensions that have it, split
 * by spaces or tabs; '#' starts a comment line.  each(type, tlen, ext,
 * elen, arg) is called per extension, in order.  Lines longer than
 * MAX_MIME_LINE_BYTES and files with more than MAX_MIME_ENTRIES
 * extensions are refused.  Pure.  0, or -1 with *line the line (from 1)
 * and *why a static reason.
 */
int	mime_parse(const char *buf, size_t len,
	    void (*each)(const char *, size_t, const char *, size_t, void *),
	    void *arg, size_t *line, const char **why);

struct mime_map;

/*
 * Build the map: the built-in table, then the file's entries (text, len
 * bytes; NULL for none) over it, a later line winning; every type that
 * headers_charset_applies() names gets "; charset=" charset, unless
 * charset is NULL.  The map, or NULL with a reason in err.
 */
struct mime_map *mime_map_build(const char *text, size_t len,
	    const char *charset, char *err, size_t errsize);

/* Read the file path (at most MAX_MIME_FILE_BYTES) and build the map. */
struct mime_map *mime_map_load(const char *path, const char *charset,
	    char *err, size_t errsize);

/* As mime_lookup(), in the map m.  Pure; never NULL. */
const char *mime_map_lookup(const struct mime_map *m, const char *name,
	    size_t n);

/* How many extensions the map knows. */
size_t	mime_map_size(const struct mime_map *m);

void	mime_map_free(struct mime_map *m);

#endif /* FORKHTTPD_MIME_H */
