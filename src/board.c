/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Slots in an array, searched from a rotating start: the accepting side
 * takes and reclaims, the serving side (a child, a thread) only moves its
 * own slot between busy and idle.  Searches are O(slots) and happen only
 * when a client arrives, or when every slot is taken.
 */
#include <config.h>

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "board.h"

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS	MAP_ANON
#endif

int
board_init(struct board *b, size_t n, int shared)
{
	size_t i;

	b->n = n;
	b->next = 0;
	b->shared = shared;
	if (shared) {
		b->s = mmap(NULL, n * sizeof(*b->s), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (b->s == MAP_FAILED) {
			b->s = NULL;
			return -1;
		}
	} else if ((b->s = malloc(n * sizeof(*b->s))) == NULL)
		return -1;
	memset(b->s, 0, n * sizeof(*b->s));
	for (i = 0; i < n; i++) {
		atomic_init(&b->s[i].state, SLOT_FREE);
		atomic_init(&b->s[i].idle_since_ms, 0);
		atomic_init(&b->s[i].row, -1);
		b->s[i].fd = -1;
	}
	return 0;
}

void
board_free(struct board *b)
{
	if (b->s == NULL)
		return;
	if (b->shared)
		(void)munmap(b->s, b->n * sizeof(*b->s));
	else
		free(b->s);
	b->s = NULL;
}

struct slot *
board_take(struct board *b)
{
	size_t i, k;

	for (k = 0; k < b->n; k++) {
		i = (b->next + k) % b->n;
		if (atomic_load(&b->s[i].state) == SLOT_FREE) {
			b->next = (i + 1) % b->n;
			b->s[i].fd = -1;
			atomic_store(&b->s[i].row, -1);
			atomic_store(&b->s[i].has_client, 0);
			atomic_store(&b->s[i].state, SLOT_BUSY);
			return &b->s[i];
		}
	}
	return NULL;
}

void
board_put(struct slot *s)
{
	atomic_store(&s->state, SLOT_FREE);
}

unsigned int
board_count_client(struct board *b, struct slot *s,
    const struct peer_key *k)
{
	unsigned int n = 0;
	size_t i;

	s->client = *k;
	atomic_store(&s->has_client, 1);
	for (i = 0; i < b->n; i++)
		if (atomic_load(&b->s[i].has_client) &&
		    atomic_load(&b->s[i].state) != SLOT_FREE &&
		    memcmp(&b->s[i].client, k, sizeof(*k)) == 0)
			n++;
	return n;
}

void
board_forget_client(struct slot *s)
{
	atomic_store(&s->has_client, 0);
}

struct slot *
board_reclaim(struct board *b)
{
	struct slot *best;
	long long since;
	size_t i;
	int idle;

	for (;;) {
		best = NULL;
		for (i = 0; i < b->n; i++) {
			if (atomic_load(&b->s[i].state) != SLOT_IDLE)
				continue;
			since = atomic_load(&b->s[i].idle_since_ms);
			if (best == NULL ||
			    since < atomic_load(&best->idle_since_ms))
				best = &b->s[i];
		}
		if (best == NULL)
			return NULL;
		idle = SLOT_IDLE;
		if (atomic_compare_exchange_strong(&best->state, &idle,
		    SLOT_RECLAIM))
			return best;
		/* it woke meanwhile: look again */
	}
}

void
board_reclaimed(struct slot *s)
{
	atomic_store(&s->state, SLOT_RECLAIMED);
}

/*
 * The slot was reclaimed: wait until the other side is done with its
 * socket (thread model: it shuts it down).  A slot with no socket there
 * (fork model: the parent only signals) need not wait.
 */
static int
lost(struct slot *s)
{
	while (s->fd >= 0 && atomic_load(&s->state) == SLOT_RECLAIM)
		(void)sched_yield();
	return -1;
}

int
board_idle(struct slot *s, long long now_ms)
{
	int busy = SLOT_BUSY;

	if (atomic_load(&s->state) == SLOT_IDLE)
		return 0;
	atomic_store(&s->idle_since_ms, now_ms);
	if (atomic_compare_exchange_strong(&s->state, &busy, SLOT_IDLE))
		return 0;
	return lost(s);
}

int
board_busy(struct slot *s)
{
	int idle = SLOT_IDLE;

	if (atomic_compare_exchange_strong(&s->state, &idle, SLOT_BUSY) ||
	    idle == SLOT_BUSY)
		return 0;
	return lost(s);
}
