/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * --vhost, pure: the directory under the document root that a request's
 * host names.  No I/O; respond.c opens what it names, beneath the root.
 */
#ifndef FORKHTTPD_VHOST_H
#define FORKHTTPD_VHOST_H

#include <stddef.h>

#include "span.h"

#define VHOST_NAME_BYTES	256	/* a DNS name (253) or an IP literal,
					   and the NUL */
#define VHOST_DEFAULT		"_default"	/* unknown hosts, and HTTP/1.0
						   without Host */

/*
 * The directory name of host, a Host value or absolute-form authority:
 * lower-cased, without its port or a final dot ("Example.COM.:8080" is
 * "example.com"); an IPv4 address as written, an IPv6 literal with its
 * brackets ("[::1]").  Only letters, digits, '-', '.' and '_' (and ':'
 * within brackets) are taken: a name with any other byte, a
 * percent-encoded one, an empty one, one that begins with '.' or is
 * longer than VHOST_NAME_BYTES - 1 names no directory.  Writes the name
 * and a NUL into out and returns its length, or returns 0.
 */
size_t	vhost_dir_name(struct span host, char *out, size_t size);

#endif /* FORKHTTPD_VHOST_H */
