/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mmap(2) gives page-aligned, zeroed memory that madvise(2) can mark;
 * where there is no MADV_DONTFORK (not Linux) the memory is inherited as
 * any other and only the copy-on-write saving is lost.
 */
#include <config.h>

#include <sys/mman.h>

#include "mem.h"

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS	MAP_ANON
#endif

void *
mem_private(size_t size)
{
	void *p;

	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_DONTFORK
	(void)madvise(p, size, MADV_DONTFORK);
#endif
	return p;
}

void
mem_free_private(void *p, size_t size)
{
	if (p != NULL)
		(void)munmap(p, size);
}
