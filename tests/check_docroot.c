/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * docroot_open(): every link and name case through both confinements,
 * openat2(RESOLVE_BENEATH) and the component walk, which must agree; and a
 * directory swapped for a link in a loop while the walk resolves names
 * beneath it, which must never lead a single open out of the root.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "docroot.h"
#include "options.h"
#include "tests.h"

#define RACE_SECONDS	3

static char top[] = "/tmp/check_docroot.XXXXXX";
static char rootdir[256];
static struct config cfg;

static void
put(const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void
dir(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	ck_assert_int_eq(mkdir(path, 0755), 0);
}

static void
link_to(const char *target, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	ck_assert_int_eq(symlink(target, path), 0);
}

static void
open_root(int confine)
{
	char *argv[] = { "forkhttpd", NULL };
	const char *model;
	char err[256];

	ck_assert_int_eq(options_parse(1, argv, &cfg, &model), OPTIONS_RUN);
	cfg.docroot = rootdir;
	ck_assert_int_eq(docroot_open_root(&cfg, err, sizeof(err)), 0);
	if (confine >= 0)
		cfg.confine = confine;
}

/*
 * top/outside/secret, and top/root holding files, directories and links
 * of every kind: inside, climbing out, absolute, looping, dangling.
 */
static void
setup(void)
{
	char abs[512];

	ck_assert_ptr_nonnull(mkdtemp(top));
	snprintf(rootdir, sizeof(rootdir), "%s/root", top);
	dir("outside");
	put("outside/secret", "OUTSIDE\n");
	dir("root");
	dir("root/sub");
	dir("root/sub/deeper");
	put("root/a.txt", "inside\n");
	put("root/sub/b.txt", "sub inside\n");
	put("root/sub/deeper/c.txt", "deeper inside\n");
	link_to("a.txt", "root/rel");
	link_to("rel", "root/chain");
	link_to("sub", "root/subdir");
	link_to("../a.txt", "root/sub/up");
	link_to("..", "root/sub/parent");
	link_to("deeper/../../a.txt", "root/sub/zigzag");
	link_to("../outside/secret", "root/climb");
	link_to("../../outside/secret", "root/sub/climb");
	link_to("../..", "root/sub/grandparent");
	link_to("../outside", "root/outdir");
	snprintf(abs, sizeof(abs), "%s/root/a.txt", top);
	link_to(abs, "root/abs-inside");
	snprintf(abs, sizeof(abs), "%s/outside/secret", top);
	link_to(abs, "root/abs-outside");
	link_to("/", "root/slash");
	link_to("loop2", "root/loop1");
	link_to("loop1", "root/loop2");
	link_to("missing", "root/dangling");
	link_to("a.txt/", "root/fileslash");
	link_to("sub/", "root/dirslash");
}

static void
teardown(void)
{
	char cmd[600];

	docroot_close(&cfg);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	ck_assert_int_eq(system(cmd), 0);
	strcpy(top, "/tmp/check_docroot.XXXXXX");
}

static const struct {
	const char	*name;
	const char	*text;		/* what the file holds, or NULL */
	int		 err;		/* else the errno (EISDIR: opened, a
					   directory) */
} cases[] = {
	{ "a.txt", "inside\n", 0 },
	{ "sub/b.txt", "sub inside\n", 0 },
	{ "rel", "inside\n", 0 },
	{ "chain", "inside\n", 0 },
	{ "subdir/b.txt", "sub inside\n", 0 },
	{ "subdir/deeper/c.txt", "deeper inside\n", 0 },
	{ "sub/up", "inside\n", 0 },
	{ "sub/parent/a.txt", "inside\n", 0 },
	{ "sub/parent/sub/parent/a.txt", "inside\n", 0 },
	{ "sub/zigzag", "inside\n", 0 },
	{ "dirslash/b.txt", "sub inside\n", 0 },
	{ "climb", NULL, EXDEV },
	{ "sub/climb", NULL, EXDEV },
	{ "sub/grandparent/outside/secret", NULL, EXDEV },
	{ "outdir/secret", NULL, EXDEV },
	{ "subdir/climb", NULL, EXDEV },
	{ "abs-inside", NULL, EXDEV },
	{ "abs-outside", NULL, EXDEV },
	{ "slash/etc/passwd", NULL, EXDEV },
	{ "loop1", NULL, ELOOP },
	{ "dangling", NULL, ENOENT },
	{ "missing", NULL, ENOENT },
	{ "missing/a.txt", NULL, ENOENT },
	{ "a.txt/x", NULL, ENOTDIR },
	{ "fileslash", NULL, ENOTDIR },
	{ "rel/", NULL, ENOTDIR },		/* a link to a file, then / */
	{ "subdir/", "", EISDIR },		/* a directory: opened, read 0 */
	{ "/a.txt", NULL, EXDEV },		/* absolute names leave */
	{ "", NULL, ENOENT },
};

static void
expect(size_t i)
{
	char buf[64];
	ssize_t n;
	int fd;

	errno = 0;
	fd = docroot_open(&cfg, cases[i].name, O_RDONLY | O_CLOEXEC |
	    O_NONBLOCK);
	if (cases[i].text == NULL) {
		ck_assert_msg(fd < 0, "%s: opened, expected %s", cases[i].name,
		    strerror(cases[i].err));
		ck_assert_msg(errno == cases[i].err, "%s: %s, expected %s",
		    cases[i].name, strerror(errno), strerror(cases[i].err));
		return;
	}
	ck_assert_msg(fd >= 0, "%s: %s", cases[i].name, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	if (cases[i].err == EISDIR) {	/* a directory, opened */
		ck_assert(n < 0 && errno == EISDIR);
		ck_assert_int_eq(close(fd), 0);
		return;
	}
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf, cases[i].text);
	ck_assert_int_eq(close(fd), 0);
}

START_TEST(the_walk_keeps_every_case_beneath_the_root)
{
	open_root(DOCROOT_WALK);
	expect((size_t)_i);
}
END_TEST

/*
 * As start-up chooses: openat2 wherever the kernel lets us use it (then
 * the cases must come out as with the walk), the walk only where it is
 * really missing or refused.
 */
START_TEST(openat2_keeps_every_case_beneath_the_root)
{
	open_root(-1);
	if (cfg.confine != DOCROOT_OPENAT2) {
		ck_assert_int_eq(cfg.confine, DOCROOT_WALK);
#if HAVE_DECL_SYS_OPENAT2
		ck_assert_int_lt(syscall(SYS_openat2, cfg.docroot_fd, ".",
		    NULL, (size_t)0), 0);
		ck_assert(errno == ENOSYS || errno == EPERM);
#endif
		return;
	}
	expect((size_t)_i);
}
END_TEST

START_TEST(the_walk_opens_directories_and_the_root_itself)
{
	int fd;

	open_root(DOCROOT_WALK);
	fd = docroot_open(&cfg, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(close(fd), 0);
	fd = docroot_open(&cfg, "subdir", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(close(fd), 0);
	fd = docroot_open(&cfg, "a.txt", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_lt(fd, 0);
	ck_assert_int_eq(errno, ENOTDIR);
}
END_TEST

START_TEST(the_walk_leaves_no_descriptor_open)
{
	int before, after, fd;
	size_t i;

	open_root(DOCROOT_WALK);
	before = dup(0);
	ck_assert_int_ge(before, 0);
	close(before);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if ((fd = docroot_open(&cfg, cases[i].name, O_RDONLY)) >= 0)
			close(fd);
	after = dup(0);
	close(after);
	ck_assert_int_eq(before, after);
}
END_TEST

START_TEST(an_over_long_name_is_refused)
{
	char name[MAX_PATH_BYTES + 16];

	open_root(DOCROOT_WALK);
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ck_assert_int_lt(docroot_open(&cfg, name, O_RDONLY), 0);
	ck_assert_int_eq(errno, ENAMETOOLONG);
}
END_TEST

/* Swap a and b (RENAME_EXCHANGE), or as near as plain rename() comes. */
static void
exchange(const char *a, const char *b, const char *spare)
{
#ifdef SYS_renameat2
	if (syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, 2) == 0)
		return;
#endif
	(void)rename(a, spare);
	(void)rename(b, a);
	(void)rename(spare, b);
}

/*
 * The attack the review ran: root/d is a directory holding f, and in a
 * loop another process exchanges it with a link to a directory outside
 * that holds an f of its own.  Every open of "d/f" must give the inside
 * file or fail; never the outside one.
 */
static void
race(const char *target)
{
	char d[512], l[512], spare[512], buf[64];
	long long opened = 0, failed = 0, escaped = 0;
	time_t end;
	pid_t pid;
	ssize_t n;
	int fd, status;

	open_root(DOCROOT_WALK);
	dir("root/d");
	put("root/d/f", "inside\n");
	put("outside/f", "OUTSIDE\n");
	link_to(target, "root/l");
	snprintf(d, sizeof(d), "%s/root/d", top);
	snprintf(l, sizeof(l), "%s/root/l", top);
	snprintf(spare, sizeof(spare), "%s/root/spare", top);
	if ((pid = fork()) == 0) {
		alarm(RACE_SECONDS + 5);
		for (;;)
			exchange(d, l, spare);
	}
	ck_assert_int_gt(pid, 0);
	end = time(NULL) + RACE_SECONDS;
	while (time(NULL) < end) {
		if ((fd = docroot_open(&cfg, "d/f", O_RDONLY)) < 0) {
			failed++;
			continue;
		}
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		if (strcmp(buf, "OUTSIDE\n") == 0)
			escaped++;
		else
			opened++;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ck_assert_msg(escaped == 0, "%lld of %lld opens left the root",
	    escaped, escaped + opened + failed);
	/* the race ran: some opens found the directory, some the link */
	ck_assert_msg(opened > 0 && failed > 0, "opened %lld, failed %lld",
	    opened, failed);
}

START_TEST(a_directory_swapped_for_an_absolute_link_never_leaks)
{
	char target[512];

	snprintf(target, sizeof(target), "%s/outside", top);
	race(target);
}
END_TEST

START_TEST(a_directory_swapped_for_a_climbing_link_never_leaks)
{
	race("../outside");
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("docroot");
	TCase *tc = tcase_create("confinement");
	TCase *tr = tcase_create("race");
	int n = (int)(sizeof(cases) / sizeof(cases[0]));

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, the_walk_keeps_every_case_beneath_the_root,
	    0, n);
	tcase_add_loop_test(tc, openat2_keeps_every_case_beneath_the_root,
	    0, n);
	tcase_add_test(tc, the_walk_opens_directories_and_the_root_itself);
	tcase_add_test(tc, the_walk_leaves_no_descriptor_open);
	tcase_add_test(tc,
	    an_over_long_name_is_refused);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(tr, setup, teardown);
	tcase_set_timeout(tr, RACE_SECONDS * 4 + 10);
	tcase_add_test(tr, a_directory_swapped_for_an_absolute_link_never_leaks);
	tcase_add_test(tr, a_directory_swapped_for_a_climbing_link_never_leaks);
	suite_add_tcase(s, tr);
	return s;
}
