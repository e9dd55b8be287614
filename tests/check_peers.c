/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * peers.c: counts per address under churn, checked against a plain array;
 * IPv4 per address, IPv6 per /64; and board.c's slot states, which the
 * fork and thread models use to reclaim idle clients.
 */
#include <config.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "peers.h"
#include "tests.h"

static void
v4(struct sockaddr_storage *ss, const char *a)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	s4->sin_family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, a, &s4->sin_addr), 1);
}

static void
v6(struct sockaddr_storage *ss, const char *a)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	s6->sin6_family = AF_INET6;
	ck_assert_int_eq(inet_pton(AF_INET6, a, &s6->sin6_addr), 1);
}

START_TEST(ipv4_counts_per_address_and_ipv6_per_64)
{
	struct sockaddr_storage a, b;
	struct peer_key ka, kb;

	v4(&a, "192.0.2.1");
	v4(&b, "192.0.2.2");
	peers_key(&a, &ka);
	peers_key(&b, &kb);
	ck_assert(memcmp(&ka, &kb, sizeof(ka)) != 0);
	v6(&a, "2001:db8:1:2::1");
	v6(&b, "2001:db8:1:2:ffff::9");
	peers_key(&a, &ka);
	peers_key(&b, &kb);
	ck_assert(memcmp(&ka, &kb, sizeof(ka)) == 0);
	v6(&b, "2001:db8:1:3::1");
	peers_key(&b, &kb);
	ck_assert(memcmp(&ka, &kb, sizeof(ka)) != 0);
	/* a dual-stack socket's IPv4 client counts as that IPv4 address */
	v6(&a, "::ffff:192.0.2.1");
	v4(&b, "192.0.2.1");
	peers_key(&a, &ka);
	peers_key(&b, &kb);
	ck_assert(memcmp(&ka, &kb, sizeof(ka)) == 0);
}
END_TEST

#define KEYS	300
#define ROUNDS	200000

/* Random adds and removes over many keys agree with a plain count. */
START_TEST(counts_match_a_plain_array_under_churn)
{
	static unsigned int want[KEYS];
	struct peer_key k[KEYS];
	struct peers p;
	unsigned int total = 0;
	long i;
	int j;

	srand(7);
	for (j = 0; j < KEYS; j++) {
		memset(&k[j], 0, sizeof(k[j]));
		k[j].b[15] = (unsigned char)j;
		k[j].b[14] = (unsigned char)(j >> 8);
	}
	ck_assert_int_eq(peers_init(&p, 64, 12345), 0);
	for (i = 0; i < ROUNDS; i++) {
		j = rand() % KEYS;
		if (rand() % 2 && total < 64) {
			ck_assert_uint_eq(peers_add(&p, &k[j]), ++want[j]);
			total++;
		} else if (want[j] > 0) {
			peers_remove(&p, &k[j]);
			want[j]--;
			total--;
		} else
			peers_remove(&p, &k[j]);	/* none: no change */
		if (i % 1000 == 0)
			for (j = 0; j < KEYS; j++)
				ck_assert_uint_eq(peers_count(&p, &k[j]),
				    want[j]);
	}
	peers_free(&p);
}
END_TEST

START_TEST(a_full_table_refuses_a_new_key_not_an_old_one)
{
	struct peer_key k;
	struct peers p;
	unsigned int i;

	ck_assert_int_eq(peers_init(&p, 4, 1), 0);
	memset(&k, 0, sizeof(k));
	for (i = 0; peers_add(&p, &k) != 0; i++)
		k.b[0] = (unsigned char)(i + 1);
	ck_assert_uint_ge(i, 4);
	k.b[0] = 0;
	ck_assert_uint_eq(peers_add(&p, &k), 2);
	peers_free(&p);
}
END_TEST

START_TEST(a_slot_reclaimed_while_idle_tells_its_client)
{
	struct board b;
	struct slot *s, *t;

	ck_assert_int_eq(board_init(&b, 2, 1), 0);
	s = board_take(&b);
	t = board_take(&b);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_null(board_take(&b));
	ck_assert_ptr_null(board_reclaim(&b));		/* both busy */
	ck_assert_int_eq(board_idle(s, 100), 0);
	ck_assert_int_eq(board_idle(t, 50), 0);
	ck_assert_ptr_eq(board_reclaim(&b), t);		/* idle longest */
	board_reclaimed(t);
	ck_assert_int_eq(board_busy(t), -1);		/* its client learns */
	ck_assert_int_eq(board_busy(s), 0);
	ck_assert_ptr_null(board_reclaim(&b));
	board_put(t);
	ck_assert_ptr_eq(board_take(&b), t);
	board_free(&b);
}
END_TEST

START_TEST(the_board_counts_clients_a_proxy_names)
{
	struct sockaddr_storage a, b;
	struct peer_key ka, kb;
	struct board bd;
	struct slot *s, *t, *u;

	ck_assert_int_eq(board_init(&bd, 4, 1), 0);
	v4(&a, "192.0.2.1");
	v4(&b, "192.0.2.2");
	peers_key(&a, &ka);
	peers_key(&b, &kb);
	s = board_take(&bd);
	t = board_take(&bd);
	u = board_take(&bd);
	ck_assert_uint_eq(board_count_client(&bd, s, &ka), 1);
	ck_assert_uint_eq(board_count_client(&bd, t, &ka), 2);
	ck_assert_uint_eq(board_count_client(&bd, u, &kb), 1);
	/* forgotten, or free, it counts no more */
	board_forget_client(t);
	board_put(s);
	ck_assert_uint_eq(board_count_client(&bd, u, &ka), 1);
	/* a slot taken again starts with no client */
	ck_assert_ptr_nonnull(board_take(&bd));		/* the fourth */
	ck_assert_ptr_eq(board_take(&bd), s);
	ck_assert_uint_eq(board_count_client(&bd, t, &kb), 1);
	board_free(&bd);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("peers");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, ipv4_counts_per_address_and_ipv6_per_64);
	tcase_add_test(tc, counts_match_a_plain_array_under_churn);
	tcase_add_test(tc, a_full_table_refuses_a_new_key_not_an_old_one);
	tcase_add_test(tc, a_slot_reclaimed_while_idle_tells_its_client);
	tcase_add_test(tc, the_board_counts_clients_a_proxy_names);
	suite_add_tcase(s, tc);
	return s;
}
