/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The opener: it opens what was registered and nothing else, answers
 * concurrent callers each with their own file, ends with the server, and
 * opens root's files for a process that is no longer root.  Children
 * report through their exit status: a failed ck_assert in a grandchild
 * would not reach Check.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef ENABLE_THREADS
#include <pthread.h>
#endif

#include "privsep.h"
#include "signals.h"
#include "tests.h"

#define CALLERS		4	/* processes, or threads, at once */
#define CALLS_EACH	200

static char dir[64];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_privsep.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];

	privsep_stop();
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
write_file(const char *name, const char *text, mode_t mode)
{
	FILE *f = fopen(in_dir(name), "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(in_dir(name), mode), 0);
}

/* Does fd hold exactly want?  Closes fd. */
static int
holds(int fd, const char *want)
{
	char buf[64];
	ssize_t n;

	if (fd < 0)
		return 0;
	n = pread(fd, buf, sizeof(buf), 0);
	(void)close(fd);
	return n == (ssize_t)strlen(want) && memcmp(buf, want, (size_t)n) == 0;
}

/* Files a and b, registered to be read; their indexes are 0 and 1. */
static void
add_a_and_b(void)
{
	write_file("a", "alpha\n", 0644);
	write_file("b", "bravo\n", 0644);
	ck_assert_int_eq(privsep_add(in_dir("a"), PRIVSEP_READ), 0);
	ck_assert_int_eq(privsep_add(in_dir("b"), PRIVSEP_READ), 1);
}

static void
expect_exit_0(pid_t pid)
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}

/* The lowest free descriptor. */
static int
lowest_free(void)
{
	int fd = dup(0);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(close(fd), 0);
	return fd;
}

START_TEST(opens_registered_file_with_its_content)
{
	int fd;

	add_a_and_b();
	ck_assert_int_eq(privsep_start(), 0);
	ck_assert_int_gt(privsep_running(), 0);
	fd = privsep_open(0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	ck_assert(holds(fd, "alpha\n"));
	ck_assert(holds(privsep_open(1), "bravo\n"));
	privsep_stop();
	ck_assert_int_eq(privsep_running(), 0);
}
END_TEST

START_TEST(opens_directly_when_no_opener_was_started)
{
	add_a_and_b();
	ck_assert_int_eq(privsep_running(), 0);
	ck_assert(holds(privsep_open(1), "bravo\n"));
}
END_TEST

static const int bad_indexes[] = { -1, 2, 16, 1000, INT_MAX, INT_MIN };

START_TEST(index_out_of_range_is_einval)
{
	add_a_and_b();
	ck_assert_int_eq(privsep_start(), 0);
	errno = 0;
	ck_assert_int_eq(privsep_open(bad_indexes[_i]), -1);
	ck_assert_int_eq(errno, EINVAL);
	/* -1 is what privsep_stop() sends: no caller may send it */
	ck_assert(holds(privsep_open(0), "alpha\n"));
}
END_TEST

START_TEST(missing_file_is_enoent)
{
	ck_assert_int_eq(privsep_add(in_dir("missing"), PRIVSEP_READ), 0);
	ck_assert_int_eq(privsep_add(in_dir("no/log"), PRIVSEP_APPEND), 1);
	ck_assert_int_eq(privsep_start(), 0);
	errno = 0;
	ck_assert_int_eq(privsep_open(0), -1);
	ck_assert_int_eq(errno, ENOENT);
	errno = 0;
	ck_assert_int_eq(privsep_open(1), -1);
	ck_assert_int_eq(errno, ENOENT);
}
END_TEST

START_TEST(symlink_is_eloop_for_a_log_but_followed_for_a_key)
{
	char a[256];

	write_file("a", "alpha\n", 0644);
	snprintf(a, sizeof(a), "%s", in_dir("a"));
	ck_assert_int_eq(symlink(a, in_dir("link")), 0);
	ck_assert_int_eq(privsep_add(in_dir("link"), PRIVSEP_APPEND), 0);
	ck_assert_int_eq(privsep_add(in_dir("link"), PRIVSEP_READ), 1);
	ck_assert_int_eq(privsep_start(), 0);
	errno = 0;
	ck_assert_int_eq(privsep_open(0), -1);
	ck_assert_int_eq(errno, ELOOP);
	ck_assert(holds(privsep_open(1), "alpha\n"));
}
END_TEST

START_TEST(log_is_created_for_appending_and_checked)
{
	struct stat st;
	char a[256];
	int fd, fl;

	write_file("a", "alpha\n", 0644);
	snprintf(a, sizeof(a), "%s", in_dir("a"));
	ck_assert_int_eq(link(a, in_dir("hard")), 0);
	ck_assert_int_eq(privsep_add(in_dir("log"), PRIVSEP_APPEND), 0);
	ck_assert_int_eq(privsep_add(in_dir("hard"), PRIVSEP_APPEND), 1);
	ck_assert_int_eq(privsep_add(dir, PRIVSEP_READ), 2);
	ck_assert_int_eq(privsep_add("/dev/null", PRIVSEP_APPEND), 3);
	ck_assert_int_eq(privsep_start(), 0);

	ck_assert_int_ge((fd = privsep_open(0)), 0);
	fl = fcntl(fd, F_GETFL);
	ck_assert_int_eq(fl & (O_APPEND | O_NONBLOCK | O_ACCMODE),
	    O_APPEND | O_WRONLY);
	ck_assert_int_eq(write(fd, "line\n", 5), 5);
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(stat(in_dir("log"), &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_size, 5);
	/* a second link, or a directory, is someone else's choice of file */
	errno = 0;
	ck_assert_int_eq(privsep_open(1), -1);
	ck_assert_int_eq(errno, EINVAL);
	errno = 0;
	ck_assert_int_eq(privsep_open(2), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_ge((fd = privsep_open(3)), 0);
	ck_assert_int_eq(close(fd), 0);
}
END_TEST

/* Alternate between the two files; how many answers were wrong. */
static int
calls(unsigned int seed)
{
	int i, bad = 0, want;

	for (i = 0; i < CALLS_EACH; i++) {
		want = (int)((seed + (unsigned int)i) & 1);
		bad += !holds(privsep_open(want), want ? "bravo\n" : "alpha\n");
	}
	return bad;
}

START_TEST(concurrent_processes_each_get_their_own_file)
{
	pid_t pid[CALLERS];
	int i, low;

	add_a_and_b();
	ck_assert_int_eq(privsep_start(), 0);
	low = lowest_free();
	for (i = 0; i < CALLERS; i++) {
		ck_assert_int_ge((pid[i] = fork()), 0);
		if (pid[i] == 0)
			_exit(calls((unsigned int)i) != 0 ||
			    lowest_free() != low);
	}
	for (i = 0; i < CALLERS; i++)
		expect_exit_0(pid[i]);
	ck_assert_int_eq(calls(0), 0);
	ck_assert_int_eq(lowest_free(), low);
}
END_TEST

#ifdef ENABLE_THREADS
static void *
thread_calls(void *arg)
{
	return (void *)(size_t)calls((unsigned int)(size_t)arg);
}

START_TEST(concurrent_threads_each_get_their_own_file)
{
	pthread_t t[CALLERS];
	void *bad;
	size_t i;
	int low;

	add_a_and_b();
	ck_assert_int_eq(privsep_start(), 0);
	low = lowest_free();
	for (i = 0; i < CALLERS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, thread_calls,
		    (void *)i), 0);
	for (i = 0; i < CALLERS; i++) {
		ck_assert_int_eq(pthread_join(t[i], &bad), 0);
		ck_assert_ptr_null(bad);
	}
	ck_assert_int_eq(lowest_free(), low);
}
END_TEST
#endif

START_TEST(failed_calls_leave_no_descriptor)
{
	int i, low;

	ck_assert_int_eq(privsep_add(in_dir("missing"), PRIVSEP_READ), 0);
	ck_assert_int_eq(privsep_add(dir, PRIVSEP_READ), 1);
	ck_assert_int_eq(privsep_start(), 0);
	low = lowest_free();
	for (i = 0; i < 100; i++) {
		ck_assert_int_eq(privsep_open(0), -1);
		ck_assert_int_eq(privsep_open(1), -1);
		ck_assert_int_eq(privsep_open(2), -1);
	}
	ck_assert_int_eq(lowest_free(), low);
}
END_TEST

START_TEST(opener_exits_when_the_server_end_closes)
{
	pid_t pid;
	int st;

	add_a_and_b();
	ck_assert_int_eq(privsep_start(), 0);
	pid = privsep_running();
	ck_assert_int_gt(pid, 0);
	/* as when the server exits or is killed: no one else holds it */
	privsep_forget();
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st));
	ck_assert_int_eq(WEXITSTATUS(st), 0);
}
END_TEST

START_TEST(opener_keeps_no_other_descriptor)
{
	int p[2];
	char c;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(privsep_start(), 0);
	ck_assert_int_eq(close(p[1]), 0);
	/* end of file only once the opener has closed its copy too */
	ck_assert_int_eq(read(p[0], &c, 1), 0);
	ck_assert_int_eq(close(p[0]), 0);
}
END_TEST

START_TEST(opener_ignores_signals_to_the_group)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM,
	    SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE };
	pid_t pid;
	size_t i;

	add_a_and_b();
	ck_assert_int_eq(privsep_start(), 0);
	pid = privsep_running();
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		ck_assert_int_eq(kill(pid, sigs[i]), 0);
	/* a signal it did not ignore would have ended it by the second */
	ck_assert(holds(privsep_open(0), "alpha\n"));
	ck_assert(holds(privsep_open(1), "bravo\n"));
	ck_assert_int_eq(waitpid(pid, NULL, WNOHANG), 0);
}
END_TEST

START_TEST(forgotten_in_a_child_fails_cleanly)
{
	pid_t pid;
	int fd;

	add_a_and_b();
	ck_assert_int_eq(privsep_start(), 0);
	ck_assert_int_ge((pid = fork()), 0);
	if (pid == 0) {
		privsep_forget();
		errno = 0;
		fd = privsep_open(0);
		_exit(!(fd == -1 && errno == ECONNREFUSED &&
		    privsep_running() == 0));
	}
	expect_exit_0(pid);
	ck_assert(holds(privsep_open(0), "alpha\n"));
}
END_TEST

START_TEST(stop_in_another_process_only_forgets)
{
	pid_t pid;
	int fd;

	add_a_and_b();
	ck_assert_int_eq(privsep_start(), 0);
	ck_assert_int_ge((pid = fork()), 0);
	if (pid == 0) {
		privsep_stop();
		errno = 0;
		fd = privsep_open(0);
		_exit(!(fd == -1 && errno == ECONNREFUSED));
	}
	expect_exit_0(pid);
	ck_assert(holds(privsep_open(1), "bravo\n"));
}
END_TEST

START_TEST(stop_reaps_the_opener)
{
	pid_t pid;

	add_a_and_b();
	ck_assert_int_eq(privsep_start(), 0);
	pid = privsep_running();
	privsep_stop();
	ck_assert_int_eq(waitpid(pid, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
	ck_assert_int_eq(privsep_running(), 0);
	/* the registrations went with it; a new opener may start */
	errno = 0;
	ck_assert_int_eq(privsep_open(0), -1);
	ck_assert_int_eq(errno, EINVAL);
	add_a_and_b();
	ck_assert_int_eq(privsep_start(), 0);
	ck_assert(holds(privsep_open(1), "bravo\n"));
}
END_TEST

/* The server's reaper may collect the opener first: stop still ends. */
START_TEST(stop_works_beside_the_sigchld_reaper)
{
	pid_t pids[20], pid;
	size_t i, j, n = sizeof(pids) / sizeof(pids[0]);

	ck_assert_int_eq(signals_init(), 0);
	ck_assert_int_eq(signals_track_children(n), 0);
	for (i = 0; i < n; i++) {
		add_a_and_b();
		ck_assert_int_eq(privsep_start(), 0);
		pids[i] = privsep_running();
		ck_assert(holds(privsep_open(0), "alpha\n"));
		privsep_stop();
		ck_assert_int_eq(waitpid(pids[i], NULL, WNOHANG), -1);
	}
	while ((pid = signals_next_reaped()) != 0) {
		for (j = 0; j < n && pids[j] != pid; j++)
			;
		ck_assert_uint_lt(j, n);
	}
	signals_untrack_children();
}
END_TEST

START_TEST(registration_is_bounded_and_before_start)
{
	int i;

	write_file("a", "alpha\n", 0644);
	/* a relative name is the current directory's at registration */
	ck_assert_int_eq(chdir(dir), 0);
	ck_assert_int_eq(privsep_add("a", PRIVSEP_READ), 0);
	ck_assert_int_eq(chdir("/"), 0);
	errno = 0;
	ck_assert_int_eq(privsep_add("", PRIVSEP_READ), -1);
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(privsep_add("a", (enum privsep_how)7), -1);
	ck_assert_int_eq(errno, EINVAL);
	for (i = 1; i < PRIVSEP_MAX_PATHS; i++)
		ck_assert_int_eq(privsep_add(in_dir("a"), PRIVSEP_READ), i);
	ck_assert_int_eq(privsep_add(in_dir("a"), PRIVSEP_READ), -1);
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_int_eq(privsep_start(), 0);
	ck_assert_int_eq(privsep_start(), -1);
	ck_assert_int_eq(errno, EBUSY);
	privsep_stop();
	ck_assert_int_eq(privsep_add(in_dir("a"), PRIVSEP_READ), 0);
	ck_assert_int_eq(privsep_start(), 0);
	ck_assert_int_eq(privsep_add(in_dir("a"), PRIVSEP_READ), -1);
	ck_assert_int_eq(errno, EBUSY);
	ck_assert(holds(privsep_open(0), "alpha\n"));
}
END_TEST

/* What the opener is for: root's files, for a server that is not root. */
START_TEST(root_only_files_open_after_setuid)
{
	struct passwd *pw;
	pid_t pid;
	int ok, fd;

	if (geteuid() != 0)
		return;		/* needs root; make check runs unprivileged */
	ck_assert_ptr_nonnull((pw = getpwnam("nobody")));
	ck_assert_int_ne(pw->pw_uid, 0);
	/* the directory is 0700, as mkdtemp made it: root's alone */
	write_file("key", "secret\n", 0600);
	ck_assert_int_eq(privsep_add(in_dir("key"), PRIVSEP_READ), 0);
	ck_assert_int_eq(privsep_add(in_dir("log"), PRIVSEP_APPEND), 1);
	ck_assert_int_eq(privsep_start(), 0);
	ck_assert_int_ge((pid = fork()), 0);
	if (pid == 0) {
		if (setgroups(1, &pw->pw_gid) != 0 ||
		    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0 ||
		    setuid(0) == 0)
			_exit(2);
		ok = open(in_dir("key"), O_RDONLY) == -1 && errno == EACCES;
		ok = ok && holds(privsep_open(0), "secret\n");
		ok = ok && (fd = privsep_open(1)) >= 0 &&
		    write(fd, "x\n", 2) == 2 && close(fd) == 0;
		_exit(!ok);
	}
	expect_exit_0(pid);
	ck_assert(holds(open(in_dir("log"), O_RDONLY), "x\n"));
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("privsep");
	TCase *tc = tcase_create("privsep");

	tcase_add_checked_fixture(tc, setup, teardown);
	/* valgrind --trace-children makes the concurrent cases slow */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, opens_registered_file_with_its_content);
	tcase_add_test(tc, opens_directly_when_no_opener_was_started);
	tcase_add_loop_test(tc, index_out_of_range_is_einval, 0,
	    (int)(sizeof(bad_indexes) / sizeof(bad_indexes[0])));
	tcase_add_test(tc, missing_file_is_enoent);
	tcase_add_test(tc, symlink_is_eloop_for_a_log_but_followed_for_a_key);
	tcase_add_test(tc, log_is_created_for_appending_and_checked);
	tcase_add_test(tc, concurrent_processes_each_get_their_own_file);
#ifdef ENABLE_THREADS
	tcase_add_test(tc, concurrent_threads_each_get_their_own_file);
#endif
	tcase_add_test(tc, failed_calls_leave_no_descriptor);
	tcase_add_test(tc, opener_exits_when_the_server_end_closes);
	tcase_add_test(tc, opener_keeps_no_other_descriptor);
	tcase_add_test(tc, opener_ignores_signals_to_the_group);
	tcase_add_test(tc, forgotten_in_a_child_fails_cleanly);
	tcase_add_test(tc, stop_in_another_process_only_forgets);
	tcase_add_test(tc, stop_reaps_the_opener);
	tcase_add_test(tc, stop_works_beside_the_sigchld_reaper);
	tcase_add_test(tc, registration_is_bounded_and_before_start);
	tcase_add_test(tc, root_only_files_open_after_setuid);
	suite_add_tcase(s, tc);
	return s;
}
