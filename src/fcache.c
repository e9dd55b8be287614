/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The open-file cache: a small table searched from end to end (a hash of
 * the name skips most comparisons).  A descriptor in use by
 * a reply is counted, so an entry that goes stale or is pushed out is only
 * closed once the last reply using it is done.  From an entry's second
 * use, a small file's bytes are kept with it too, so a page asked for
 * again and again is sent without reading it: the fstat that checks the
 * entry checks them.
 */
#include <config.h>

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fcache.h"

struct entry {
	int		 in_use;
	int		 fd;
	int		 refs;		/* replies using fd now */
	int		 stale;		/* no more lookups: close when unused */
	time_t		 opened;	/* time(): valid within that second */
	unsigned	 hash;
	int		 reused;	/* a lookup has found it */
	unsigned	 note;		/* fcache_set_note() */
	char		*data;		/* the whole file, from the second use */
	size_t		 data_len;
	struct stat	 st;
	char		 name[FCACHE_NAME_BYTES];
};

/*
 * One cache per thread: the thread model's threads each serve one client
 * and share nothing, so no lock is needed.  The first thread to cache a
 * file takes the static table, and gives it back once empty; any other
 * allocates its own, and frees it then.  So a forked child (and the event
 * loop) calls no allocator, and the thread model's idle threads hold no
 * table: a table in thread-local storage would be cleared, page by page,
 * in every new thread.
 */
static struct entry	table[FCACHE_ENTRIES];
static atomic_flag	table_taken = ATOMIC_FLAG_INIT;
static _Thread_local struct entry *cache;
static _Thread_local int used;		/* entries in use */
static int		reuse = 1;	/* fcache_set_reuse() */

static unsigned
hash_of(const char *s, size_t *len)
{
	unsigned h = 2166136261u;	/* FNV-1a */
	const char *p;

	for (p = s; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	*len = (size_t)(p - s);
	return h;
}

/*
 * The file changed since it was cached, or lost its last name (removed, or
 * replaced by a rename).  Size and mode as well as ctime: timestamps are
 * only as fine as the kernel's clock tick.
 */
static int
changed(const struct stat *a, const struct stat *b)
{
	if (b->st_nlink == 0 || a->st_ino != b->st_ino ||
	    a->st_size != b->st_size || a->st_mode != b->st_mode ||
	    a->st_mtime != b->st_mtime || a->st_ctime != b->st_ctime)
		return 1;
#ifdef HAVE_STRUCT_STAT_ST_MTIM_TV_NSEC
	if (a->st_mtim.tv_nsec != b->st_mtim.tv_nsec ||
	    a->st_ctim.tv_nsec != b->st_ctim.tv_nsec)
		return 1;
#endif
	return 0;
}

static void
forget(struct entry *e)
{
	if (e->refs > 0) {
		e->stale = 1;
		return;
	}
	(void)close(e->fd);
	if (e->data != NULL) {		/* a child that never kept any calls no free */
		free(e->data);
		e->data = NULL;
	}
	e->in_use = 0;
	used--;
}

int
fcache_lookup(const char *name, struct stat *st)
{
	struct entry *e;
	struct stat now;
	unsigned h;
	size_t len;

	if (used == 0)
		return -1;
	h = hash_of(name, &len);
	if (len >= FCACHE_NAME_BYTES)
		return -1;
	for (e = cache; e < cache + FCACHE_ENTRIES; e++) {
		if (!e->in_use || e->stale || e->hash != h ||
		    strcmp(e->name, name) != 0)
			continue;
		if (!reuse || time(NULL) != e->opened ||
		    fstat(e->fd, &now) != 0 ||
		    changed(&e->st, &now)) {
			forget(e);
			return -1;
		}
		e->st = now;
		e->refs++;
		e->reused = 1;
		*st = now;
		return e->fd;
	}
	return -1;
}

void
fcache_insert(const char *name, int fd, const struct stat *st)
{
	struct entry *e, *slot = NULL;
	unsigned h;
	size_t len;

	h = hash_of(name, &len);
	if (len >= FCACHE_NAME_BYTES)
		return;
	if (cache == NULL) {
		if (!atomic_flag_test_and_set(&table_taken))
			cache = table;
		else if ((cache = calloc(FCACHE_ENTRIES, sizeof(*cache))) == NULL)
			return;
	}
	/* a free entry, else the unused one that expires first */
	for (e = cache; e < cache + FCACHE_ENTRIES; e++) {
		if (!e->in_use) {
			slot = e;
			break;
		}
		if (e->refs == 0 && (slot == NULL || e->opened < slot->opened))
			slot = e;
	}
	if (slot == NULL)
		return;
	if (slot->in_use)
		forget(slot);
	slot->in_use = 1;
	slot->fd = fd;
	slot->refs = 1;
	slot->stale = 0;
	slot->opened = time(NULL);
	slot->hash = h;
	slot->reused = 0;
	slot->note = 0;
	slot->data = NULL;
	slot->data_len = 0;
	slot->st = *st;
	memcpy(slot->name, name, len + 1);
	used++;
}

/* The in-use entry for fd, or NULL. */
static struct entry *
entry_of(int fd)
{
	struct entry *e;

	for (e = cache; used > 0 && e < cache + FCACHE_ENTRIES; e++)
		if (e->in_use && e->fd == fd)
			return e;
	return NULL;
}

const char *
fcache_data(int fd, size_t *len)
{
	struct entry *e = entry_of(fd);

	if (e == NULL || e->data == NULL)
		return NULL;
	*len = e->data_len;
	return e->data;
}

void
fcache_keep_data(int fd, const char *buf, size_t len)
{
	struct entry *e = entry_of(fd);

	/* a file read once (a forked child's one request) is not copied */
	if (e == NULL || e->stale || e->data != NULL || !e->reused ||
	    len > FCACHE_DATA_BYTES || (off_t)len != e->st.st_size)
		return;
	if ((e->data = malloc(len > 0 ? len : 1)) == NULL)
		return;
	memcpy(e->data, buf, len);
	e->data_len = len;
}

unsigned
fcache_note(int fd)
{
	struct entry *e = entry_of(fd);

	return e != NULL && !e->stale ? e->note : 0;
}

void
fcache_set_note(int fd, unsigned note)
{
	struct entry *e = entry_of(fd);

	if (e != NULL)
		e->note = note;
}

void
fcache_close(int fd)
{
	struct entry *e;

	if (fd < 0)
		return;
	if ((e = entry_of(fd)) != NULL) {
		if (e->refs > 0 && --e->refs == 0 && e->stale)
			forget(e);
		return;
	}
	(void)close(fd);
}

void
fcache_flush(void)
{
	struct entry *e;

	for (e = cache; used > 0 && e < cache + FCACHE_ENTRIES; e++)
		if (e->in_use)
			forget(e);
	if (used == 0 && cache != NULL) {
		if (cache == table)
			atomic_flag_clear(&table_taken);
		else
			free(cache);
		cache = NULL;
	}
}

void
fcache_set_reuse(int on)
{
	reuse = on;
}
