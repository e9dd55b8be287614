/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Linear probing in a table at least twice the number of keys it may
 * hold, so a probe ends soon; deletion shifts the entries after it back
 * instead of leaving tombstones, so the table never fills with them.
 */
#include <config.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "mem.h"
#include "peers.h"

void
peers_text(char *buf, size_t size, const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
	struct in_addr v4;

	buf[0] = '\0';
	if (ss == NULL)
		return;
	if (ss->ss_family == AF_INET) {
		(void)inet_ntop(AF_INET, &s4->sin_addr, buf, (socklen_t)size);
	} else if (ss->ss_family == AF_INET6) {
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			memcpy(&v4, s6->sin6_addr.s6_addr + 12, sizeof(v4));
			(void)inet_ntop(AF_INET, &v4, buf, (socklen_t)size);
		} else
			(void)inet_ntop(AF_INET6, &s6->sin6_addr, buf,
			    (socklen_t)size);
	}
}

void
peers_key(const struct sockaddr_storage *ss, struct peer_key *k)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

	memset(k, 0, sizeof(*k));
	if (ss == NULL)
		return;
	if (ss->ss_family == AF_INET) {
		k->b[10] = k->b[11] = 0xff;
		memcpy(k->b + 12, &s4->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
			memcpy(k->b, s6->sin6_addr.s6_addr, 16);
		else
			memcpy(k->b, s6->sin6_addr.s6_addr, 8);	/* the /64 */
	}
}

static size_t
slot_of(const struct peers *p, const struct peer_key *k)
{
	unsigned int h = 2166136261u ^ p->seed;
	size_t i;

	for (i = 0; i < sizeof(k->b); i++)
		h = (h ^ k->b[i]) * 16777619u;
	return (size_t)(h ^ h >> 15) & p->mask;
}

int
peers_init(struct peers *p, size_t max, unsigned int seed)
{
	size_t n = 16;

	while (n < 2 * max)
		n *= 2;
	if ((p->t = mem_private(n * sizeof(*p->t))) == NULL)
		return -1;
	p->mask = n - 1;
	p->used = 0;
	p->seed = seed;
	return 0;
}

void
peers_free(struct peers *p)
{
	if (p->t != NULL)
		mem_free_private(p->t, (p->mask + 1) * sizeof(*p->t));
	p->t = NULL;
}

/* Where k is, or the free entry where it would go. */
static size_t
find(const struct peers *p, const struct peer_key *k)
{
	size_t i = slot_of(p, k);

	while (p->t[i].n != 0 && memcmp(&p->t[i].key, k, sizeof(*k)) != 0)
		i = (i + 1) & p->mask;
	return i;
}

unsigned int
peers_count(const struct peers *p, const struct peer_key *k)
{
	return p->t[find(p, k)].n;
}

unsigned int
peers_add(struct peers *p, const struct peer_key *k)
{
	size_t i = find(p, k);

	if (p->t[i].n == 0) {
		/* keep at least half the table free: probes stay short */
		if (2 * (p->used + 1) > p->mask + 1)
			return 0;
		p->used++;
		p->t[i].key = *k;
	}
	return ++p->t[i].n;
}

void
peers_remove(struct peers *p, const struct peer_key *k)
{
	size_t i = find(p, k), j, home;

	if (p->t[i].n == 0 || --p->t[i].n > 0)
		return;
	p->used--;
	/* shift back what probed past the freed entry */
	for (j = (i + 1) & p->mask; p->t[j].n != 0; j = (j + 1) & p->mask) {
		home = slot_of(p, &p->t[j].key);
		/* j may move to i unless its home lies cyclically in (i, j] */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			p->t[i] = p->t[j];
			p->t[j].n = 0;
			i = j;
		}
	}
}
