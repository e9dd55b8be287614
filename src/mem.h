/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Memory a forked child does not inherit: the parent's bookkeeping (the
 * reaped pids, the counts per address, its children).  After each fork a
 * write to an inherited page costs the parent a copy-on-write fault; with
 * MADV_DONTFORK the child never maps these pages, so the parent writes
 * them freely, and a child cannot read or change them.
 */
#ifndef FORKHTTPD_MEM_H
#define FORKHTTPD_MEM_H

#include <stddef.h>

/* size zeroed bytes, not inherited where the system allows; or NULL. */
void	*mem_private(size_t size);

/* Give back what mem_private() returned, of the same size. */
void	 mem_free_private(void *p, size_t size);

#endif /* FORKHTTPD_MEM_H */
