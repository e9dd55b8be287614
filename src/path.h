/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Request path to file name: percent-decoding, normalising and confinement
 * to the document root.  Pure: it never looks at the file system, so what it
 * returns is confined by construction, whatever the request said.
 */
#ifndef FORKHTTPD_PATH_H
#define FORKHTTPD_PATH_H

#include <stddef.h>

#define PATH_ALLOW_DOTFILES	0x01	/* serve names that begin with '.' */

/*
 * Decode and normalise the absolute request path p[0..n) (still
 * percent-encoded, without the query) into out, as a NUL-terminated name
 * relative to the document root: "." for the root itself, "a/b" otherwise,
 * never with a ".." or "." segment, a leading '/' or an empty segment.
 * *dir is set when the request named a directory (it ended in '/', "/." or
 * "/..").
 *
 * Returns 0, or the status to answer with: 400 for a path that is not
 * absolute, a bad or NUL escape, a control byte, invalid or over-long UTF-8,
 * or ".." above the root; 403 for a segment beginning with '.' (other than
 * ".well-known") unless flags has PATH_ALLOW_DOTFILES; 414 when the result
 * does not fit in size bytes.
 */
int	path_resolve(const char *p, size_t n, char *out, size_t size, int flags,
	    int *dir);

/*
 * Could the directory entry name[0..n) be served, linked as one
 * percent-encoded segment?  0 for what path_resolve() would refuse or
 * change: an empty name, "." or "..", a '/', a control byte, invalid or
 * over-long UTF-8, or (without PATH_ALLOW_DOTFILES in flags) a hidden
 * name; 1 otherwise.  A listing leaves such names out rather than link
 * them to a 400 or 403.
 */
int	path_name_servable(const char *name, size_t n, int flags);

#endif /* FORKHTTPD_PATH_H */
