/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The table is sorted by extension (lower case, strcmp order) so that
 * mime_lookup() can bsearch it; check_mime looks every entry up, so an
 * entry out of order fails a test.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "mime.h"

#define MAX_EXT_BYTES	16

struct mime_type {
	const char	*ext;
	const char	*type;
};

static const struct mime_type types[] = {
	{ "7z", "application/x-7z-compressed" },
	{ "aac", "audio/aac" },
	{ "apng", "image/apng" },
	{ "atom", "application/atom+xml" },
	{ "avif", "image/avif" },
	{ "bin", "application/octet-stream" },
	{ "bmp", "image/bmp" },
	{ "bz2", "application/x-bzip2" },
	{ "css", "text/css" },
	{ "csv", "text/csv" },
	{ "doc", "application/msword" },
	{ "docx", "application/vnd.openxmlformats-officedocument."
	    "wordprocessingml.document" },
	{ "epub", "application/epub+zip" },
	{ "flac", "audio/flac" },
	{ "gif", "image/gif" },
	{ "gz", "application/gzip" },
	{ "htm", "text/html" },
	{ "html", "text/html" },
	{ "ico", "image/x-icon" },
	{ "ics", "text/calendar" },
	{ "jpeg", "image/jpeg" },
	{ "jpg", "image/jpeg" },
	{ "js", "text/javascript" },
	{ "json", "application/json" },
	{ "jsonld", "application/ld+json" },
	{ "m4a", "audio/mp4" },
	{ "m4v", "video/mp4" },
	{ "manifest", "application/manifest+json" },
	{ "md", "text/markdown" },
	{ "mjs", "text/javascript" },
	{ "mkv", "video/x-matroska" },
	{ "mov", "video/quicktime" },
	{ "mp3", "audio/mpeg" },
	{ "mp4", "video/mp4" },
	{ "mpeg", "video/mpeg" },
	{ "mpg", "video/mpeg" },
	{ "oga", "audio/ogg" },
	{ "ogg", "audio/ogg" },
	{ "ogv", "video/ogg" },
	{ "opus", "audio/ogg" },
	{ "otf", "font/otf" },
	{ "pdf", "application/pdf" },
	{ "png", "image/png" },
	{ "rss", "application/rss+xml" },
	{ "rtf", "application/rtf" },
	{ "svg", "image/svg+xml" },
	{ "svgz", "image/svg+xml" },
	{ "tar", "application/x-tar" },
	{ "tif", "image/tiff" },
	{ "tiff", "image/tiff" },
	{ "ttf", "font/ttf" },
	{ "txt", "text/plain" },
	{ "vtt", "text/vtt" },
	{ "wasm", "application/wasm" },
	{ "wav", "audio/wav" },
	{ "weba", "audio/webm" },
	{ "webm", "video/webm" },
	{ "webmanifest", "application/manifest+json" },
	{ "webp", "image/webp" },
	{ "woff", "font/woff" },
	{ "woff2", "font/woff2" },
	{ "xhtml", "application/xhtml+xml" },
	{ "xml", "application/xml" },
	{ "xz", "application/x-xz" },
	{ "yaml", "application/yaml" },
	{ "yml", "application/yaml" },
	{ "zip", "application/zip" },
	{ "zst", "application/zstd" },
};

static int
compare(const void *key, const void *elem)
{
	return strcmp(key, ((const struct mime_type *)elem)->ext);
}

const char *
mime_lookup(const char *name, size_t n)
{
	char ext[MAX_EXT_BYTES];
	const struct mime_type *t;
	size_t i, dot = n, len;

	for (i = n; i > 0; i--) {
		if (name[i - 1] == '/')
			break;
		if (name[i - 1] == '.') {
			dot = i - 1;
			break;
		}
	}
	if (dot == n)
		return MIME_DEFAULT;
	len = n - dot - 1;
	if (len == 0 || len >= sizeof(ext))
		return MIME_DEFAULT;
	for (i = 0; i < len; i++) {
		char c = name[dot + 1 + i];

		ext[i] = c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
	}
	ext[len] = '\0';
	t = bsearch(ext, types, sizeof(types) / sizeof(types[0]),
	    sizeof(types[0]), compare);
	return t != NULL ? t->type : MIME_DEFAULT;
}
