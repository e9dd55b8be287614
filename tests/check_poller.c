/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * poller.h, whichever implementation it is linked with (the library's, and
 * poller_poll.c on its own): level-triggered reports of each descriptor's
 * pointer, modify, remove and forget, an array that grows and shrinks, and
 * a ready set taken before the first call back.
 */
#include <config.h>

#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "poller.h"
#include "tests.h"

#define MAX_SEEN	256

struct seen {
	void	*ptr[MAX_SEEN];
	int	 n;
	struct poller *p;
	int	 remove[2];	/* removed by the first call back, or -1 */
};

static void
note(void *arg, void *ptr)
{
	struct seen *s = arg;
	int i;

	ck_assert_int_lt(s->n, MAX_SEEN);
	s->ptr[s->n++] = ptr;
	for (i = 0; i < 2; i++)
		if (s->remove[i] >= 0) {
			ck_assert_int_eq(poller_remove(s->p, s->remove[i]), 0);
			s->remove[i] = -1;
		}
}

/* Wait timeout_ms; how many pointers were reported (the same as returned). */
static int
wait_seen(struct poller *p, int timeout_ms, struct seen *s)
{
	int n;

	s->n = 0;
	s->p = p;
	n = poller_wait(p, timeout_ms, note, s);
	ck_assert_int_eq(n, s->n);
	return n;
}

static int
reported(const struct seen *s, void *ptr)
{
	int i, k = 0;

	for (i = 0; i < s->n; i++)
		k += s->ptr[i] == ptr;
	return k;
}

static void
make_pipe(int fd[2])
{
	ck_assert_int_eq(pipe(fd), 0);
}

static void
put_byte(int fd)
{
	ck_assert_int_eq(write(fd, "x", 1), 1);
}

static void
take_byte(int fd)
{
	char c;

	ck_assert_int_eq(read(fd, &c, 1), 1);
}

START_TEST(reports_a_ready_descriptor_until_it_is_read)
{
	struct seen s = { .remove = { -1, -1 } };
	struct poller *p = poller_new();
	int fd[2], tag;

	ck_assert_ptr_nonnull(p);
	make_pipe(fd);
	ck_assert_int_eq(poller_add(p, fd[0], POLLIN, &tag), 0);
	ck_assert_int_eq(wait_seen(p, 0, &s), 0);
	put_byte(fd[1]);
	ck_assert_int_eq(wait_seen(p, 0, &s), 1);
	ck_assert_ptr_eq(s.ptr[0], &tag);
	ck_assert_int_eq(wait_seen(p, 0, &s), 1);	/* level-triggered */
	take_byte(fd[0]);
	ck_assert_int_eq(wait_seen(p, 0, &s), 0);
	poller_free(p);
	(void)close(fd[0]);
	(void)close(fd[1]);
}
END_TEST

START_TEST(a_shared_descriptor_is_reported_as_any_other)
{
	struct seen s = { .remove = { -1, -1 } };
	struct poller *p = poller_new();
	int fd[2], tag;

	ck_assert_ptr_nonnull(p);
	make_pipe(fd);
	ck_assert_int_eq(poller_add_exclusive(p, fd[0], POLLIN, &tag), 0);
	put_byte(fd[1]);
	ck_assert_int_eq(wait_seen(p, 0, &s), 1);
	ck_assert_ptr_eq(s.ptr[0], &tag);
	ck_assert_int_eq(poller_remove(p, fd[0]), 0);
	ck_assert_int_eq(wait_seen(p, 0, &s), 0);
	ck_assert_int_eq(poller_add_exclusive(p, fd[0], POLLIN, &tag), 0);
	ck_assert_int_eq(wait_seen(p, 0, &s), 1);
	poller_free(p);
	(void)close(fd[0]);
	(void)close(fd[1]);
}
END_TEST

START_TEST(modify_changes_the_events_and_the_pointer)
{
	struct seen s = { .remove = { -1, -1 } };
	struct poller *p = poller_new();
	int sv[2], a, b;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(poller_add(p, sv[0], POLLIN, &a), 0);
	ck_assert_int_eq(wait_seen(p, 0, &s), 0);	/* nothing to read */
	ck_assert_int_eq(poller_modify(p, sv[0], POLLOUT, &b), 0);
	ck_assert_int_eq(wait_seen(p, 0, &s), 1);	/* room to write */
	ck_assert_ptr_eq(s.ptr[0], &b);
	ck_assert_int_eq(poller_modify(p, sv[0], POLLIN, &a), 0);
	ck_assert_int_eq(wait_seen(p, 0, &s), 0);
	put_byte(sv[1]);
	ck_assert_int_eq(wait_seen(p, 0, &s), 1);
	ck_assert_ptr_eq(s.ptr[0], &a);
	poller_free(p);
	(void)close(sv[0]);
	(void)close(sv[1]);
}
END_TEST

START_TEST(remove_and_forget_end_the_reports)
{
	struct seen s = { .remove = { -1, -1 } };
	struct poller *p = poller_new();
	int fd[2], other[2], tag;

	ck_assert_ptr_nonnull(p);
	make_pipe(fd);
	make_pipe(other);
	put_byte(fd[1]);
	ck_assert_int_eq(poller_add(p, fd[0], POLLIN, &tag), 0);
	ck_assert_int_eq(poller_remove(p, fd[0]), 0);
	ck_assert_int_eq(wait_seen(p, 0, &s), 0);
	ck_assert_int_eq(poller_remove(p, fd[0]), -1);
	ck_assert_int_eq(poller_modify(p, fd[0], POLLIN, &tag), -1);
	ck_assert_int_eq(poller_modify(p, other[0], POLLIN, &tag), -1);
	/* forgotten, then closed: gone from the set */
	ck_assert_int_eq(poller_add(p, fd[0], POLLIN, &tag), 0);
	ck_assert_int_eq(wait_seen(p, 0, &s), 1);
	poller_forget(p, fd[0]);
	ck_assert_int_eq(close(fd[0]), 0);
	ck_assert_int_eq(wait_seen(p, 0, &s), 0);
	poller_free(p);
	(void)close(fd[1]);
	(void)close(other[0]);
	(void)close(other[1]);
}
END_TEST

START_TEST(the_ready_set_is_taken_before_the_first_call)
{
	struct seen s = { .remove = { -1, -1 } };
	struct poller *p = poller_new();
	int a[2], b[2], ta, tb;

	ck_assert_ptr_nonnull(p);
	make_pipe(a);
	make_pipe(b);
	ck_assert_int_eq(poller_add(p, a[0], POLLIN, &ta), 0);
	ck_assert_int_eq(poller_add(p, b[0], POLLIN, &tb), 0);
	put_byte(a[1]);
	put_byte(b[1]);
	/* the first call back removes both: each is still reported once */
	s.remove[0] = a[0];
	s.remove[1] = b[0];
	ck_assert_int_eq(wait_seen(p, 0, &s), 2);
	ck_assert_int_eq(reported(&s, &ta), 1);
	ck_assert_int_eq(reported(&s, &tb), 1);
	ck_assert_int_eq(wait_seen(p, 0, &s), 0);
	poller_free(p);
	(void)close(a[0]);
	(void)close(a[1]);
	(void)close(b[0]);
	(void)close(b[1]);
}
END_TEST

#define MANY	150

START_TEST(many_descriptors_come_and_go)
{
	struct seen s = { .remove = { -1, -1 } };
	struct poller *p = poller_new();
	int fd[MANY][2], tag[MANY], i, n;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < MANY; i++) {
		make_pipe(fd[i]);
		ck_assert_int_eq(poller_add(p, fd[i][0], POLLIN, &tag[i]), 0);
		if (i % 3 == 0)
			put_byte(fd[i][1]);
	}
	n = wait_seen(p, 0, &s);
	ck_assert_int_eq(n, MANY / 3);
	for (i = 0; i < MANY; i++)
		ck_assert_int_eq(reported(&s, &tag[i]), i % 3 == 0);
	/* remove every other one, from the middle and the ends */
	for (i = 0; i < MANY; i += 2)
		ck_assert_int_eq(poller_remove(p, fd[i][0]), 0);
	n = wait_seen(p, 0, &s);
	for (i = 0; i < MANY; i++)
		ck_assert_int_eq(reported(&s, &tag[i]),
		    i % 3 == 0 && i % 2 == 1);
	for (i = 1; i < MANY; i += 2) {
		put_byte(fd[i][1]);
		ck_assert_int_eq(poller_modify(p, fd[i][0], POLLIN, &tag[0]),
		    0);
	}
	ck_assert_int_eq(wait_seen(p, 0, &s), MANY / 2);
	ck_assert_int_eq(reported(&s, &tag[0]), MANY / 2);
	poller_free(p);
	for (i = 0; i < MANY; i++) {
		(void)close(fd[i][0]);
		(void)close(fd[i][1]);
	}
}
END_TEST

START_TEST(an_idle_wait_ends_at_its_timeout)
{
	struct seen s = { .remove = { -1, -1 } };
	struct poller *p = poller_new();
	struct timespec t0, t1;
	long long ms;
	int fd[2], tag;

	ck_assert_ptr_nonnull(p);
	make_pipe(fd);
	ck_assert_int_eq(poller_add(p, fd[0], POLLIN, &tag), 0);
	ck_assert_int_eq(clock_gettime(CLOCK_MONOTONIC, &t0), 0);
	ck_assert_int_eq(wait_seen(p, 50, &s), 0);
	ck_assert_int_eq(clock_gettime(CLOCK_MONOTONIC, &t1), 0);
	ms = (t1.tv_sec - t0.tv_sec) * 1000LL +
	    (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ck_assert_int_ge(ms, 40);
	poller_free(p);
	(void)close(fd[0]);
	(void)close(fd[1]);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("poller");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, reports_a_ready_descriptor_until_it_is_read);
	tcase_add_test(tc, a_shared_descriptor_is_reported_as_any_other);
	tcase_add_test(tc, modify_changes_the_events_and_the_pointer);
	tcase_add_test(tc, remove_and_forget_end_the_reports);
	tcase_add_test(tc, the_ready_set_is_taken_before_the_first_call);
	tcase_add_test(tc, many_descriptors_come_and_go);
	tcase_add_test(tc, an_idle_wait_ends_at_its_timeout);
	suite_add_tcase(s, tc);
	return s;
}
