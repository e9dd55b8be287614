/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Connections per client address, for --max-per-address: a fixed table
 * sized at start-up, open addressing, no allocation afterwards.  IPv4
 * clients count per address; IPv6 clients per /64, since one host is
 * usually given a whole /64 and could otherwise take every slot.
 */
#ifndef FORKHTTPD_PEERS_H
#define FORKHTTPD_PEERS_H

#include <stddef.h>
#include <sys/socket.h>

struct peer_key {
	unsigned char	 b[16];		/* IPv4 as ::ffff:a.b.c.d */
};

struct peer_count {
	struct peer_key	 key;
	unsigned int	 n;		/* 0: the entry is free */
};

struct peers {
	struct peer_count *t;
	size_t		 mask;		/* entries - 1, a power of two */
	size_t		 used;		/* entries with a count */
	unsigned int	 seed;		/* hash seed, so no client picks
					   colliding addresses */
};

/*
 * The address as text, IPv4 clients of a dual-stack socket (::ffff:a.b.c.d)
 * as a.b.c.d; empty for other families or NULL.
 */
void	peers_text(char *buf, size_t size, const struct sockaddr_storage *ss);

/* The key an address counts under (all zero for other families). */
void	peers_key(const struct sockaddr_storage *ss, struct peer_key *k);

/*
 * Room for at least max distinct keys at once.  seed varies the hash.
 * 0, or -1 with errno.
 */
int	peers_init(struct peers *p, size_t max, unsigned int seed);
void	peers_free(struct peers *p);

/* Connections counted for k. */
unsigned int peers_count(const struct peers *p, const struct peer_key *k);

/*
 * One more for k: the new count, or 0 when the table is full (it holds
 * max keys already; never when the caller caps the total at max).
 */
unsigned int peers_add(struct peers *p, const struct peer_key *k);

/* One fewer for k (nothing if k has none). */
void	peers_remove(struct peers *p, const struct peer_key *k);

#endif /* FORKHTTPD_PEERS_H */
