/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The board: one slot per client a blocking model serves, saying whether
 * that client is busy or idle between requests, so that the accepting
 * side can reclaim an idle one when every slot is taken.  For the fork
 * model the slots are shared memory, mapped before the first fork; for
 * the thread model, plain memory.  A slot changes state only by
 * compare-and-swap, so the server and its client never both win.
 */
#ifndef FORKHTTPD_BOARD_H
#define FORKHTTPD_BOARD_H

#include <stdatomic.h>
#include <stddef.h>
#include <sys/types.h>

#include "peers.h"


enum slot_state {
	SLOT_FREE,
	SLOT_BUSY,		/* a request is read or answered */
	SLOT_IDLE,		/* waiting for a request's first byte */
	SLOT_RECLAIM,		/* taken from its client while idle */
	SLOT_RECLAIMED		/* ... and told so: it may close now */
};

struct slot {
	atomic_int	 state;
	atomic_llong	 idle_since_ms;	/* conn_now_ms() when it went idle */
	int		 fd;		/* its socket (thread) */
	atomic_int	 row;		/* its client's scoreboard row
					   (metrics.h), or -1 */
	/* the client a trusted proxy's PROXY header named (fork: the
	   child writes it, board_count_client() reads it) */
	atomic_int	 has_client;
	struct peer_key	 client;
};

struct board {
	struct slot	*s;
	size_t		 n;
	size_t		 next;		/* where the search for a free one
					   starts */
	int		 shared;	/* mapped, not allocated */
};

/* n slots, in memory shared with children when shared is set.  0 or -1. */
int	board_init(struct board *b, size_t n, int shared);
void	board_free(struct board *b);

/* A free slot, now busy; NULL when there is none.  Accepting side only. */
struct slot *board_take(struct board *b);

/* The slot is free again. */
void	board_put(struct slot *s);

/*
 * The serving side of s: its client is k (a PROXY header named it); then
 * the slots taken whose client is k, s among them.  Two clients that
 * arrive at once may both count each other: over a limit, both are
 * refused, never both admitted.
 */
unsigned int board_count_client(struct board *b, struct slot *s,
	    const struct peer_key *k);

/* The serving side of s: its client is counted no longer. */
void	board_forget_client(struct slot *s);

/*
 * The slot idle longest, now SLOT_RECLAIM, or NULL when none is idle.
 * The caller then makes its client notice (a signal to the child, or
 * shutdown(2) of the socket) and calls board_reclaimed().
 */
struct slot *board_reclaim(struct board *b);
void	board_reclaimed(struct slot *s);

/*
 * The serving side, around each wait for a request: idle before, busy
 * after.  0, or -1 when the slot was reclaimed meanwhile: the client must
 * then be closed (the call returns once the reclaiming side is done with
 * the slot's socket).
 */
int	board_idle(struct slot *s, long long now_ms);
int	board_busy(struct slot *s);

#endif /* FORKHTTPD_BOARD_H */
