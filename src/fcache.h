/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small cache of open files, for one process: a client that asks for the
 * same file again costs an fstat, not a path walk, an open and a close.
 * Every use checks the descriptor with fstat (a new ctime or a removed
 * name means open again), and an entry serves only within the second of
 * the clock it was opened in, so a renamed directory or a changed symbolic
 * link on the way is seen within a second.  Each thread has a
 * cache of its own.
 */
#ifndef FORKHTTPD_FCACHE_H
#define FORKHTTPD_FCACHE_H

#include <sys/stat.h>

#define FCACHE_ENTRIES		32	/* descriptors one cache may hold */
#define FCACHE_NAME_BYTES	256	/* longer names are not cached */
#define FCACHE_DATA_BYTES	16384	/* larger files' bytes are not kept */

/*
 * The open descriptor cached for name, with its fresh stat in *st, or -1
 * when there is none (or it went stale).  Give it back with fcache_close().
 */
int	fcache_lookup(const char *name, struct stat *st);

/*
 * Remember fd, just opened for name, with its stat; the caller keeps using
 * it and gives it back with fcache_close().  A full cache keeps the
 * descriptor out.
 */
void	fcache_insert(const char *name, int fd, const struct stat *st);

/*
 * The whole content of the file behind fd, a descriptor from
 * fcache_lookup(), if it is kept (*len bytes), or NULL.  It stays valid
 * until the caller gives fd back with fcache_close().
 */
const char *fcache_data(int fd, size_t *len);

/*
 * The caller read fd's whole content into buf: keep a copy with the entry
 * if the entry was looked up before (a file served once is not copied)
 * and the file is at most FCACHE_DATA_BYTES.
 */
void	fcache_keep_data(int fd, const char *buf, size_t len);

/*
 * A few bits the caller keeps with the entry of fd (a descriptor from
 * fcache_lookup() or fcache_insert()), as long as the entry serves: what
 * it learnt of the file's neighbours, say, for at most a second.  0 when
 * fd has no entry or nothing was noted.
 */
unsigned fcache_note(int fd);
void	fcache_set_note(int fd, unsigned note);

/*
 * Done with fd: a cached descriptor stays open for the next lookup (unless
 * it went stale meanwhile); any other is closed.
 */
void	fcache_close(int fd);

/* Close every descriptor no one uses, and forget them. */
void	fcache_flush(void);

/* Tests: 0 makes every entry stale at once; 1 is the default. */
void	fcache_set_reuse(int on);

#endif /* FORKHTTPD_FCACHE_H */
