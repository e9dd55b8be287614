/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for what --vhost and --auth read from clients and
 * administrators: vhost_dir_name(), auth_decode_basic(),
 * auth_parse_line(), auth_split_option() and auth_prefix_match().
 *
 * The first byte chooses.  A directory name must be a single safe path
 * component: NUL-terminated, its length returned, no '/', never empty,
 * never beginning with '.', no "..", only lower-case letters, digits,
 * '-', '.', '_' (and ':' or brackets in an IPv6 literal), shorter than
 * VHOST_NAME_BYTES, and a fixed point (its own name).  Credentials must
 * be NUL-terminated with no control byte, the user without ':', and
 * refused when the buffers are too small.  A password line's user and
 * hash lie inside the line, hold no ':' and an entry's hash begins with
 * an accepted prefix.  A split option's prefix has no empty, "." or ".."
 * segment and matches itself.
 */
#include <config.h>

#include <stdint.h>
#include <string.h>

#include "auth.h"
#include "vhost.h"

#define FUZZ_NAME	"fuzz_site"
#include "fuzz.h"

static void
check_vhost(const char *p, size_t n)
{
	char out[VHOST_NAME_BYTES], again[VHOST_NAME_BYTES];
	struct span h = { p, n };
	size_t k, i;

	k = vhost_dir_name(h, out, sizeof(out));
	if (k == 0) {
		if (out[0] != '\0')
			fail("a refused host leaves a name");
		return;
	}
	if (k >= VHOST_NAME_BYTES || strlen(out) != k)
		fail("name length");
	if (out[0] == '.' || strstr(out, "..") != NULL ||
	    strchr(out, '/') != NULL)
		fail("name could climb or hide");
	for (i = 0; i < k; i++) {
		char c = out[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' ||
		    (out[0] == '[' && (c == ':' || c == '[' || c == ']'))))
			fail("byte not allowed in a name");
	}
	h.p = out;
	h.n = k;
	if (out[k - 1] != '.' && (vhost_dir_name(h, again, sizeof(again)) != k ||
	    strcmp(out, again) != 0))
		fail("a name is not its own name");
	/* a small buffer never overflows, and never gets a longer name */
	if (vhost_dir_name((struct span){ p, n }, again, 4) >= 4)
		fail("small buffer");
}

static void
check_basic(const char *p, size_t n)
{
	char user[AUTH_USER_BYTES], pass[AUTH_PASS_BYTES], small[3];
	struct span v = { p, n };
	size_t i;

	if (auth_decode_basic(v, user, sizeof(user), pass, sizeof(pass)) != 0)
		return;
	if (strchr(user, ':') != NULL)
		fail("user holds ':'");
	for (i = 0; user[i] != '\0'; i++)
		if ((unsigned char)user[i] < 0x20 || user[i] == 0x7f)
			fail("control byte in the user");
	for (i = 0; pass[i] != '\0'; i++)
		if ((unsigned char)pass[i] < 0x20 || pass[i] == 0x7f)
			fail("control byte in the password");
	if (strlen(user) >= sizeof(small) &&
	    auth_decode_basic(v, small, sizeof(small), pass, sizeof(pass)) ==
	    0)
		fail("a user longer than the buffer was taken");
}

static void
check_line(const char *p, size_t n)
{
	struct span user, hash;

	switch (auth_parse_line(p, n, &user, &hash)) {
	case AUTH_LINE_ENTRY:
		if (user.p != p || user.n == 0 || user.n >= AUTH_USER_BYTES ||
		    hash.p < p || hash.p + hash.n > p + n ||
		    hash.n >= AUTH_HASH_BYTES)
			fail("entry outside the line");
		if (memchr(user.p, ':', user.n) != NULL ||
		    memchr(hash.p, ':', hash.n) != NULL)
			fail("':' in a user or hash");
		if (!(hash.n > 4 && (memcmp(hash.p, "$2y$", 4) == 0 ||
		    memcmp(hash.p, "$2b$", 4) == 0)) &&
		    !(hash.n > 3 && (memcmp(hash.p, "$y$", 3) == 0 ||
		    memcmp(hash.p, "$6$", 3) == 0)))
			fail("an entry with a hash we refuse");
		break;
	case AUTH_LINE_BLANK:
	case AUTH_LINE_BAD:
	case AUTH_LINE_WEAK:
		break;
	default:
		fail("unknown line kind");
	}
}

static void
check_option(const uint8_t *data, size_t n)
{
	char *arg = malloc(n + 1), prefix[AUTH_PREFIX_BYTES];
	const char *file, *seg;

	if (arg == NULL)
		abort();
	memcpy(arg, data, n);
	arg[n] = '\0';
	if (auth_split_option(arg, prefix, sizeof(prefix), &file) == 0) {
		if (*file == '\0' || file < arg || file > arg + n)
			fail("file outside the option");
		if (prefix[0] == '/' ||
		    (prefix[0] != '\0' && prefix[strlen(prefix) - 1] == '/'))
			fail("prefix keeps a slash at an end");
		for (seg = prefix; *seg != '\0'; ) {
			size_t k = strcspn(seg, "/");

			if (k == 0 || (k == 1 && seg[0] == '.') ||
			    (k == 2 && seg[0] == '.' && seg[1] == '.'))
				fail("empty, . or .. segment");
			seg += k + (seg[k] == '/');
		}
		if (auth_prefix_match(prefix, prefix) != (int)strlen(prefix))
			fail("a prefix does not cover itself");
	}
	free(arg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *p;

	if (size == 0)
		return 0;
	p = dup_exact(data + 1, size - 1);
	switch (data[0] % 4) {
	case 0:
		check_vhost(p, size - 1);
		break;
	case 1:
		check_basic(p, size - 1);
		break;
	case 2:
		check_line(p, size - 1);
		break;
	default:
		check_option(data + 1, size - 1);
		break;
	}
	free(p);
	return 0;
}
