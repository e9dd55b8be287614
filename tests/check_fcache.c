/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The open-file cache: hits, and every way an entry must go stale (a
 * change, a removal, a replacement, age), and that a descriptor a reply
 * still uses is never closed under it.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fcache.h"
#include "tests.h"

static char dir[64];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_fcache.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	fcache_flush();
	fcache_set_reuse(1);
}

static void
teardown(void)
{
	char cmd[128];

	fcache_flush();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The full name of name in the test directory (a static buffer). */
static const char *
in_dir(const char *name)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void
write_file(const char *name, const char *text)
{
	FILE *f = fopen(in_dir(name), "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

/* Open name and cache it as respond.c does; the caller holds it. */
static int
open_cached(const char *name, struct stat *st)
{
	int fd = open(in_dir(name), O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, st), 0);
	fcache_insert(name, fd, st);
	return fd;
}

static int
is_open(int fd)
{
	return fcntl(fd, F_GETFD) != -1;
}

START_TEST(test_empty_misses)
{
	struct stat st;

	ck_assert_int_eq(fcache_lookup("a.txt", &st), -1);
}
END_TEST

START_TEST(test_hit_and_kept_open)
{
	struct stat st, st2;
	int fd;

	write_file("a.txt", "hello\n");
	fd = open_cached("a.txt", &st);
	fcache_close(fd);
	ck_assert(is_open(fd));
	ck_assert_int_eq(fcache_lookup("a.txt", &st2), fd);
	ck_assert_int_eq(st2.st_ino, st.st_ino);
	ck_assert_int_eq(st2.st_size, 6);
	ck_assert_int_eq(fcache_lookup("b.txt", &st2), -1);
	fcache_close(fd);
	fcache_flush();
	ck_assert(!is_open(fd));
}
END_TEST

/* A note lives with its entry, and goes with it. */
START_TEST(test_note_kept_with_entry)
{
	struct stat st;
	int fd, other;

	write_file("a.txt", "hello\n");
	fd = open_cached("a.txt", &st);
	ck_assert_uint_eq(fcache_note(fd), 0);
	fcache_set_note(fd, 0x15);
	fcache_close(fd);
	ck_assert_int_eq(fcache_lookup("a.txt", &st), fd);
	ck_assert_uint_eq(fcache_note(fd), 0x15);
	fcache_close(fd);
	/* a descriptor the cache does not hold has no note */
	other = open(in_dir("a.txt"), O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(other, 0);
	fcache_set_note(other, 3);
	ck_assert_uint_eq(fcache_note(other), 0);
	ck_assert_int_eq(close(other), 0);
	/* a changed file is a new entry, without the note */
	write_file("a.txt", "hello again\n");
	ck_assert_int_eq(fcache_lookup("a.txt", &st), -1);
	fd = open_cached("a.txt", &st);
	ck_assert_uint_eq(fcache_note(fd), 0);
	fcache_close(fd);
}
END_TEST

START_TEST(test_uncached_fd_is_closed)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	fcache_close(fd);
	ck_assert(!is_open(fd));
}
END_TEST

/* Ways a cached file changes; each must make the entry stale. */
static void
append(void)
{
	write_file("a.txt", "hello, longer\n");
}

static void
make_unreadable(void)
{
	ck_assert_int_eq(chmod(in_dir("a.txt"), 0), 0);
}

static void
remove_name(void)
{
	ck_assert_int_eq(unlink(in_dir("a.txt")), 0);
}

/* A new file of the same size renamed over it, as deployments do. */
static void
replace(void)
{
	char to[256];

	write_file("new.txt", "world\n");
	snprintf(to, sizeof(to), "%s", in_dir("a.txt"));
	ck_assert_int_eq(rename(in_dir("new.txt"), to), 0);
}

static void (*const changes[])(void) = {
	append, make_unreadable, remove_name, replace
};

START_TEST(test_change_is_seen)
{
	struct stat st;
	int fd;

	write_file("a.txt", "hello\n");
	fd = open_cached("a.txt", &st);
	fcache_close(fd);
	changes[_i]();
	ck_assert_int_eq(fcache_lookup("a.txt", &st), -1);
	ck_assert(!is_open(fd));	/* unused and stale: closed */
}
END_TEST

START_TEST(test_entries_expire)
{
	struct stat st;
	int fd;

	fcache_set_reuse(0);
	write_file("a.txt", "hello\n");
	fd = open_cached("a.txt", &st);
	fcache_close(fd);
	ck_assert_int_eq(fcache_lookup("a.txt", &st), -1);
	ck_assert(!is_open(fd));
}
END_TEST

/* A reply still sending from a stale descriptor keeps it until done. */
START_TEST(test_stale_in_use_stays_open)
{
	struct stat st;
	int fd;

	write_file("a.txt", "hello\n");
	fd = open_cached("a.txt", &st);
	ck_assert_int_eq(unlink(in_dir("a.txt")), 0);
	ck_assert_int_eq(fcache_lookup("a.txt", &st), -1);
	fcache_flush();
	ck_assert(is_open(fd));
	fcache_close(fd);
	ck_assert(!is_open(fd));
}
END_TEST

START_TEST(test_two_users_share)
{
	struct stat st;
	int fd;

	write_file("a.txt", "hello\n");
	fd = open_cached("a.txt", &st);
	ck_assert_int_eq(fcache_lookup("a.txt", &st), fd);
	fcache_close(fd);
	fcache_flush();			/* one user left: stays open */
	ck_assert(is_open(fd));
	fcache_close(fd);
	ck_assert(!is_open(fd));
}
END_TEST

/* Write name, cache it, and look it up again: the caller holds it. */
static int
second_use(const char *name, const char *text)
{
	struct stat st;
	int fd;

	write_file(name, text);
	fd = open_cached(name, &st);
	fcache_close(fd);
	ck_assert_int_eq(fcache_lookup(name, &st), fd);
	return fd;
}

/* A file's bytes are kept from its entry's second use, not its first. */
START_TEST(test_data_kept_from_second_use)
{
	struct stat st;
	const char *data;
	size_t len = 0;
	int fd;

	write_file("a.txt", "hello\n");
	fd = open_cached("a.txt", &st);
	fcache_keep_data(fd, "hello\n", 6);
	ck_assert_ptr_null(fcache_data(fd, &len));
	fcache_close(fd);
	ck_assert_int_eq(fcache_lookup("a.txt", &st), fd);
	fcache_keep_data(fd, "hello\n", 6);
	data = fcache_data(fd, &len);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(len, 6);
	ck_assert_mem_eq(data, "hello\n", 6);
	fcache_close(fd);
	ck_assert_int_eq(fcache_lookup("a.txt", &st), fd);
	ck_assert_ptr_eq(fcache_data(fd, &len), data);
	fcache_close(fd);
}
END_TEST

/* Only the whole of a small file is kept. */
START_TEST(test_data_only_whole_and_small)
{
	static char big[FCACHE_DATA_BYTES + 2];
	size_t len;
	int fd;

	fd = second_use("a.txt", "hello\n");
	fcache_keep_data(fd, "hell", 4);
	ck_assert_ptr_null(fcache_data(fd, &len));
	fcache_close(fd);

	memset(big, 'x', sizeof(big) - 1);
	fd = second_use("big.txt", big);
	fcache_keep_data(fd, big, sizeof(big) - 1);
	ck_assert_ptr_null(fcache_data(fd, &len));
	fcache_close(fd);
}
END_TEST

/* Kept bytes go with a stale entry, but not before its last user is done. */
START_TEST(test_data_lives_while_held)
{
	struct stat st;
	const char *data;
	size_t len;
	int fd;

	fd = second_use("a.txt", "hello\n");
	fcache_keep_data(fd, "hello\n", 6);
	data = fcache_data(fd, &len);
	ck_assert_ptr_nonnull(data);
	write_file("a.txt", "changed, longer\n");
	ck_assert_int_eq(fcache_lookup("a.txt", &st), -1);
	fcache_flush();
	ck_assert_mem_eq(data, "hello\n", 6);	/* still ours: no use after free */
	ck_assert_ptr_eq(fcache_data(fd, &len), data);
	fcache_close(fd);
	ck_assert(!is_open(fd));
	ck_assert_ptr_null(fcache_data(fd, &len));
}
END_TEST

/* Full of descriptors in use: a new one stays out and is closed by its user. */
START_TEST(test_full_cache)
{
	int fds[FCACHE_ENTRIES + 1], i;
	char name[32];
	struct stat st;

	for (i = 0; i <= FCACHE_ENTRIES; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		write_file(name, "x\n");
		fds[i] = open_cached(name, &st);
	}
	ck_assert_int_eq(fcache_lookup(name, &st), -1);
	fcache_close(fds[FCACHE_ENTRIES]);
	ck_assert(!is_open(fds[FCACHE_ENTRIES]));
	/* once unused, the oldest makes room for a new name */
	for (i = 0; i < FCACHE_ENTRIES; i++)
		fcache_close(fds[i]);
	fds[0] = open_cached(name, &st);
	fcache_close(fds[0]);
	ck_assert_int_eq(fcache_lookup(name, &st), fds[0]);
	fcache_close(fds[0]);
	ck_assert_int_eq(fcache_lookup("f0", &st), -1);
}
END_TEST

START_TEST(test_long_names_not_cached)
{
	char name[FCACHE_NAME_BYTES + 1];
	struct stat st;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	fcache_insert(name, fd, &st);
	ck_assert_int_eq(fcache_lookup(name, &st), -1);
	fcache_close(fd);
	ck_assert(!is_open(fd));
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("fcache");
	TCase *tc = tcase_create("fcache");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_empty_misses);
	tcase_add_test(tc, test_hit_and_kept_open);
	tcase_add_test(tc, test_note_kept_with_entry);
	tcase_add_test(tc, test_uncached_fd_is_closed);
	tcase_add_loop_test(tc, test_change_is_seen, 0,
	    (int)(sizeof(changes) / sizeof(changes[0])));
	tcase_add_test(tc, test_entries_expire);
	tcase_add_test(tc, test_stale_in_use_stays_open);
	tcase_add_test(tc, test_two_users_share);
	tcase_add_test(tc, test_data_kept_from_second_use);
	tcase_add_test(tc, test_data_only_whole_and_small);
	tcase_add_test(tc, test_data_lives_while_held);
	tcase_add_test(tc, test_full_cache);
	tcase_add_test(tc, test_long_names_not_cached);
	suite_add_tcase(s, tc);
	return s;
}
