/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The faults behind /__fault/NAME, which the process-model comparison
 * (tests/compare.sh) fires at a worker: a real segmentation fault, a memory
 * leak, an endless busy loop and a descriptor leak.  Only test builds
 * compile this file.  Nothing here keeps state: what a fault takes is lost
 * on purpose, so any number of workers may call it at once.
 */
#include <config.h>

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fault.h"

#define LEAK_DEFAULT_MIB	200
#define LEAK_MAX_MIB		1024
#define FDS_DEFAULT		100
#define FDS_MAX			10000
#define PAGE_STRIDE		4096

/* Does span s hold exactly the NUL-terminated word w? */
static int
span_is(struct span s, const char *w)
{
	size_t n = strlen(w);

	return s.n == n && memcmp(s.p, w, n) == 0;
}

/*
 * The value of key in query ("a=1&b=2"), as a count: def when the key is
 * absent, max when the number is larger, -1 when it is not a number.
 */
static long
query_count(struct span query, const char *key, long def, long max)
{
	const char *p = query.p, *end = query.p + query.n, *amp;
	size_t klen = strlen(key);
	long v;

	if (p == NULL)
		return def;
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		if ((size_t)(amp - p) > klen && memcmp(p, key, klen) == 0 &&
		    p[klen] == '=') {
			p += klen + 1;
			if (p == amp)
				return -1;
			for (v = 0; p < amp; p++) {
				if (*p < '0' || *p > '9')
					return -1;
				if (v <= max)
					v = v * 10 + (*p - '0');
			}
			return v > max ? max : v;
		}
		if (amp == end)
			break;
		p = amp + 1;
	}
	return def;
}

/*
 * Die of SIGSEGV, whatever handler the server set up: the default action
 * first; should the signal be blocked, a store through a null pointer the
 * compiler cannot see through, which the kernel delivers regardless.
 */
_Noreturn static void
fault_crash(void)
{
	struct sigaction sa;
	int *volatile nowhere = NULL;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	(void)sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGSEGV, &sa, NULL);
	(void)raise(SIGSEGV);
	*nowhere = 1;
	abort();
}

/*
 * Take mib MiB that nobody will free.  Every page is written, so the
 * memory is resident, and read back through a volatile pointer, so the
 * compiler must keep both the allocation and the writes.
 */
static int
fault_leak(long mib)
{
	volatile unsigned char *touch;
	unsigned char *p;
	size_t bytes, i;
	unsigned int sum = 0;

	if (mib == 0)
		return 200;
	bytes = (size_t)mib * 1024 * 1024;
	if ((p = malloc(bytes)) == NULL)
		return 503;
	memset(p, 0x5a, bytes);
	touch = p;
	for (i = 0; i < bytes; i += PAGE_STRIDE)
		sum += touch[i];
	return sum != 0 ? 200 : 500;
}

/* Spin on one core until something kills the worker. */
_Noreturn static void
fault_hang(void)
{
	volatile unsigned long spins = 0;

	for (;;)
		spins++;
}

/* Open /dev/null n times and forget every descriptor. */
static int
fault_fd_leak(long n)
{
	long i;

	for (i = 0; i < n; i++)
		if (open("/dev/null", O_RDONLY | O_CLOEXEC) < 0)
			return 503;
	return 200;
}

int
fault_inject(const struct http_request *req)
{
	size_t plen = sizeof(FAULT_PREFIX) - 1;
	struct span name;
	long n;

	if (req->path.p == NULL || req->path.n < plen ||
	    memcmp(req->path.p, FAULT_PREFIX, plen) != 0)
		return 0;
	name.p = req->path.p + plen;
	name.n = req->path.n - plen;

	if (span_is(name, "crash"))
		fault_crash();
	if (span_is(name, "hang"))
		fault_hang();
	if (span_is(name, "leak")) {
		n = query_count(req->query, "mb", LEAK_DEFAULT_MIB,
		    LEAK_MAX_MIB);
		return n < 0 ? 400 : fault_leak(n);
	}
	if (span_is(name, "fd-leak")) {
		n = query_count(req->query, "n", FDS_DEFAULT, FDS_MAX);
		return n < 0 ? 400 : fault_fd_leak(n);
	}
	return 404;
}
