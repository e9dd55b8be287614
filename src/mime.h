/* SPDX-License-Identifier: BSD-2-Clause */
/* File name extension to media type, from a constant sorted table. */
#ifndef FORKHTTPD_MIME_H
#define FORKHTTPD_MIME_H

#include <stddef.h>

#define MIME_DEFAULT	"application/octet-stream"

/*
 * The media type for the file name name[0..n), chosen by the extension
 * after its last '.' (ignoring case), or MIME_DEFAULT.  Never NULL.
 */
const char *mime_lookup(const char *name, size_t n);

#endif /* FORKHTTPD_MIME_H */
