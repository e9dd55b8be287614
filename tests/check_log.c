/* SPDX-License-Identifier: BSD-2-Clause */
/* Access-log formatting: exact lines, escaping, truncation. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "signals.h"
#include "tests.h"

static struct span
sp(const char *s)
{
	struct span r = { s, strlen(s) };

	return r;
}

static struct log_entry
entry(void)
{
	struct log_entry e;

	memset(&e, 0, sizeof(e));
	e.host = "192.0.2.7";
	e.when = 971211336;	/* 2000-10-10 20:55:36 UTC */
	e.utc_offset_sec = -7 * 3600;
	e.request = sp("GET /apache_pb.gif?a=b HTTP/1.0");
	e.status = 200;
	e.bytes = 2326;
	return e;
}

START_TEST(formats_common_line)
{
	struct log_entry e = entry();
	char buf[512];
	size_t n = log_format_clf(buf, sizeof(buf), &e);
	const char *want = "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /apache_pb.gif?a=b HTTP/1.0\" 200 2326\n";

	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(buf, want, n);
}
END_TEST

START_TEST(formats_combined_line)
{
	struct log_entry e = entry();
	char buf[512];
	size_t n;
	const char *want = "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /apache_pb.gif?a=b HTTP/1.0\" 200 2326 "
	    "\"http://example.com/\" \"-\"\n";

	e.combined = 1;
	e.referer = sp("http://example.com/");
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(buf, want, n);
}
END_TEST

START_TEST(zero_bytes_is_dash_and_positive_zone)
{
	struct log_entry e = entry();
	char buf[512];
	size_t n;
	const char *want = "192.0.2.7 - - [11/Oct/2000:02:25:36 +0530] "
	    "\"GET /apache_pb.gif?a=b HTTP/1.0\" 304 -\n";

	e.utc_offset_sec = 5 * 3600 + 30 * 60;
	e.status = 304;
	e.bytes = 0;
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(buf, want, n);
}
END_TEST

START_TEST(escapes_quotes_controls_and_high_bytes)
{
	struct log_entry e = entry();
	char buf[512];
	size_t n;
	const char *want = "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /\\\"a\\\\b\\x0a\\x1b\\xc3\\xa9 HTTP/1.1\" 400 -\n";

	e.request = sp("GET /\"a\\b\n\x1b\xc3\xa9 HTTP/1.1");
	e.status = 400;
	e.bytes = 0;
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(buf, want, n);
}
END_TEST

START_TEST(missing_fields_are_dashes)
{
	struct log_entry e = entry();
	char buf[512];
	size_t n;
	const char *want = "- - - [10/Oct/2000:13:55:36 -0700] \"\" 408 - "
	    "\"-\" \"-\"\n";

	e.host = "";
	e.request = sp("");
	e.status = 408;
	e.bytes = 0;
	e.combined = 1;
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(buf, want, n);
}
END_TEST

/*
 * --auth: the user whose password was good.  The field is a word, so a
 * space or bracket is escaped as well as what a quoted field escapes;
 * and it is cut, never what follows.
 */
START_TEST(the_user_is_one_escaped_word)
{
	struct log_entry e = entry();
	char buf[MAX_LOG_LINE_BYTES], big[2000];
	size_t n;
	const char *want = "192.0.2.7 - alice [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /apache_pb.gif?a=b HTTP/1.0\" 200 2326\n";
	const char *odd = "192.0.2.7 - a\\x20b\\x5bc\\x5d\\\"d\\\\\\xc3\\xa9 "
	    "[10/Oct/2000:13:55:36 -0700] ";

	e.user = sp("alice");
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(buf, want, n);
	e.user = sp("a b[c]\"d\\\xc3\xa9");
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_msg(n > strlen(odd) && memcmp(buf, odd, strlen(odd)) == 0,
	    "%.*s", (int)n, buf);
	/* an empty one is "-", as an absent one is; one named "-" is not */
	e.user = sp("");
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_mem_eq(buf, "192.0.2.7 - - [", 15);
	e.user = sp("-");
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_mem_eq(buf, "192.0.2.7 - \\x2d [", 18);
	/* the longest name a password file holds, every byte escaped */
	memset(big, 0xe9, 255);
	e.user = (struct span){ big, 255 };
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_mem_eq(buf + 12 + 4 * 255, " [10/Oct/2000:", 14);
	/* a long one is cut to LOG_USER_BYTES, never the line */
	memset(big, 'u', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	e.user = sp(big);
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_mem_eq(buf + 12, big, LOG_USER_BYTES);
	ck_assert_mem_eq(buf + 12 + LOG_USER_BYTES, " [10/Oct/2000:", 14);
	ck_assert_ptr_nonnull(memmem(buf, n, "\" 200 2326\n", 11));
	/* and leaves the date room in the smallest buffer allowed */
	e.tls = sp("https");
	e.peer = sp("127.0.0.1");
	n = log_format_clf(buf, 256, &e);
	ck_assert_uint_le(n, 256);
	ck_assert_ptr_nonnull(memmem(buf, n, " [10/Oct/2000:13:55:36 -0700] ",
	    30));
	ck_assert_int_eq(buf[n - 1], '\n');
}
END_TEST

START_TEST(long_fields_are_cut_not_the_line)
{
	struct log_entry e = entry();
	char buf[300], *big = malloc(10000);
	size_t n;

	ck_assert_ptr_nonnull(big);
	memset(big, '"', 9999);
	big[9999] = '\0';
	e.request = sp(big);
	e.referer = sp(big);
	e.user_agent = sp(big);
	e.combined = 1;
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_le(n, sizeof(buf));
	ck_assert_int_eq(buf[n - 1], '\n');
	ck_assert_ptr_nonnull(memmem(buf, n, "\" 200 2326 \"", 12));
	ck_assert_ptr_null(memchr(buf, '\n', n - 1));
	/* a cut field still ends with an escape, never half of one */
	ck_assert_int_eq(buf[n - 2], '"');
	free(big);
}
END_TEST

START_TEST(the_tls_field_comes_last)
{
	struct log_entry e = entry();
	char buf[512], *big = malloc(10000);
	size_t n;
	const char *want = "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /apache_pb.gif?a=b HTTP/1.0\" 200 2326 "
	    "\"https TLSv1.3 TLS_AES_256_GCM_SHA384\"\n";
	const char *tail = " \"-\" \"-\" \"http\"\n";

	ck_assert_ptr_nonnull(big);
	e.tls = sp("https TLSv1.3 TLS_AES_256_GCM_SHA384");
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(buf, want, n);
	e.tls = sp("http");
	e.combined = 1;
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_gt(n, strlen(tail));
	ck_assert_mem_eq(buf + n - strlen(tail), tail, strlen(tail));
	/* long fields are cut, never the TLS field after them */
	memset(big, 'x', 9999);
	big[9999] = '\0';
	e.request = e.referer = e.user_agent = sp(big);
	e.tls = sp("https TLSv1.2 ECDHE-ECDSA-CHACHA20-POLY1305");
	n = log_format_clf(buf, 300, &e);
	ck_assert_uint_le(n, 300);
	ck_assert_ptr_nonnull(memmem(buf, n, "\" 200 2326 \"", 12));
	ck_assert_ptr_nonnull(memmem(buf, n,
	    "x\" \"https TLSv1.2 ECDHE-ECDSA-CHACHA20-POLY1305\"\n", 49));
	free(big);
}
END_TEST

START_TEST(the_peer_field_comes_after_the_tls_field)
{
	struct log_entry e = entry();
	char buf[512], *big = malloc(10000);
	size_t n;
	const char *want = "192.0.2.7 - - [10/Oct/2000:13:55:36 -0700] "
	    "\"GET /apache_pb.gif?a=b HTTP/1.0\" 200 2326 \"127.0.0.1\"\n";
	const char *tail = " \"https\" \"2001:db8::1\"\n";

	ck_assert_ptr_nonnull(big);
	e.peer = sp("127.0.0.1");
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(buf, want, n);
	/* long fields are cut, never the last two */
	memset(big, 'x', 9999);
	big[9999] = '\0';
	e.request = e.referer = e.user_agent = sp(big);
	e.combined = 1;
	e.tls = sp("https");
	e.peer = sp("2001:db8::1");
	n = log_format_clf(buf, 300, &e);
	ck_assert_uint_le(n, 300);
	ck_assert_uint_gt(n, strlen(tail));
	ck_assert_mem_eq(buf + n - strlen(tail), tail, strlen(tail));
	free(big);
}
END_TEST

START_TEST(utc_offset_follows_tz)
{
	ck_assert_int_eq(setenv("TZ", "UTC0", 1), 0);
	tzset();
	ck_assert_int_eq(log_utc_offset(971211336), 0);
	ck_assert_int_eq(setenv("TZ", "XYZ-5:30", 1), 0);
	tzset();
	ck_assert_int_eq(log_utc_offset(971211336), 5 * 3600 + 1800);
	ck_assert_int_eq(setenv("TZ", "ABC7", 1), 0);
	tzset();
	ck_assert_int_eq(log_utc_offset(971211336), -7 * 3600);
	/* 02:00 UTC is the previous day at UTC-7 */
	ck_assert_int_eq(log_utc_offset(971229600), -7 * 3600);
}
END_TEST

/* The time field as gmtime_r and strftime would write it. */
static void
expected_time(char *buf, size_t size, time_t when, long offset)
{
	time_t shifted = when + offset;
	struct tm tm;
	char day[32];
	long zone = offset / 60, a = zone < 0 ? -zone : zone;

	ck_assert_ptr_nonnull(gmtime_r(&shifted, &tm));
	ck_assert_uint_gt(strftime(day, sizeof(day), "%d/%b/%Y:%H:%M:%S",
	    &tm), 0);
	snprintf(buf, size, "[%s %c%02ld%02ld]", day, zone < 0 ? '-' : '+',
	    a / 60, a % 60);
}

START_TEST(times_are_formatted_as_strftime_does)
{
	struct log_entry e = entry();
	char buf[512], want[64];
	unsigned long long x = 88172645463325252ULL;
	const char *open;
	int i;

	/* 1900 to 2100, offsets from -14:00 to +14:00 in quarter hours */
	for (i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		e.when = (time_t)((long long)(x % 6311390400ULL) - 2208988800LL);
		e.utc_offset_sec = (long)((x >> 40) % 113) * 900 - 14 * 3600;
		if (i < 4)	/* and the edges of the epoch */
			e.when = i - 2;
		expected_time(want, sizeof(want), e.when, e.utc_offset_sec);
		(void)log_format_clf(buf, sizeof(buf), &e);
		open = strchr(buf, '[');
		ck_assert_ptr_nonnull(open);
		ck_assert_msg(strncmp(open, want, strlen(want)) == 0,
		    "at %lld %+ld: %.30s, not %s", (long long)e.when,
		    e.utc_offset_sec, open, want);
	}
}
END_TEST

/* A pipe standing in for the access log: its read end does not block. */
static void
log_to_pipe(struct config *cfg, int p[2])
{
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_ne(fcntl(p[0], F_SETFL, O_NONBLOCK), -1);
	memset(cfg, 0, sizeof(*cfg));
	cfg->access_log_fd = p[1];
}

static size_t
drain(int fd, char *buf, size_t size)
{
	ssize_t n = read(fd, buf, size);

	if (n < 0)
		ck_assert_int_eq(errno, EAGAIN);
	return n < 0 ? 0 : (size_t)n;
}

START_TEST(lines_are_written_before_every_wait)
{
	struct config cfg;
	char buf[64];
	int p[2], wait = 5000;

	log_to_pipe(&cfg, p);
	log_access(&cfg, "one\n", 4);
	ck_assert_uint_eq(drain(p[0], buf, sizeof(buf)), 0);
	ck_assert_int_eq(log_before_wait(&cfg, 1000, &wait), 0);
	ck_assert_int_eq(wait, 5000);
	ck_assert_uint_eq(drain(p[0], buf, sizeof(buf)), 4);
	ck_assert_mem_eq(buf, "one\n", 4);
	log_access(&cfg, "two\n", 4);
	log_flush_at_signal();	/* not a child that holds lines */
	ck_assert_uint_eq(drain(p[0], buf, sizeof(buf)), 0);
	log_flush(&cfg);
	ck_assert_uint_eq(drain(p[0], buf, sizeof(buf)), 4);
}
END_TEST

START_TEST(a_child_holds_lines_until_due)
{
	struct config cfg;
	char buf[64];
	int p[2], wait = 5000;
	long long t = 1000000;		/* the clock, in ms */

	log_to_pipe(&cfg, p);
	log_hold_lines(&cfg);
	ck_assert_int_eq(log_before_wait(&cfg, t, &wait), 0);	/* nothing */
	ck_assert_int_eq(wait, 5000);
	log_access(&cfg, "one\n", 4);
	log_access(&cfg, "two\n", 4);
	/* the first wait holds them LOG_HOLD_MS */
	ck_assert_int_eq(log_before_wait(&cfg, t, &wait), 1);
	ck_assert_int_eq(wait, LOG_HOLD_MS);
	ck_assert_uint_eq(drain(p[0], buf, sizeof(buf)), 0);
	/* later waits count from the first; a client due sooner is kept */
	wait = 5000;
	ck_assert_int_eq(log_before_wait(&cfg, t + 40, &wait), 1);
	ck_assert_int_eq(wait, LOG_HOLD_MS - 40);
	wait = 1;
	ck_assert_int_eq(log_before_wait(&cfg, t + 40, &wait), 0);
	ck_assert_int_eq(wait, 1);
	wait = -1;
	ck_assert_int_eq(log_before_wait(&cfg, t + 40, &wait), 1);
	ck_assert_int_eq(wait, LOG_HOLD_MS - 40);
	ck_assert_uint_eq(drain(p[0], buf, sizeof(buf)), 0);
	/* once due, the lines go in one write, and the wait is the client's */
	wait = 5000;
	ck_assert_int_eq(log_before_wait(&cfg, t + LOG_HOLD_MS, &wait), 0);
	ck_assert_int_eq(wait, 5000);
	ck_assert_uint_eq(drain(p[0], buf, sizeof(buf)), 8);
	ck_assert_mem_eq(buf, "one\ntwo\n", 8);
	/* a new line is held from its own first wait */
	log_access(&cfg, "three\n", 6);
	ck_assert_int_eq(log_before_wait(&cfg, t + 500, &wait), 1);
	ck_assert_int_eq(wait, LOG_HOLD_MS);
	/* a stop signal writes what is held, once */
	log_flush_at_signal();
	ck_assert_uint_eq(drain(p[0], buf, sizeof(buf)), 6);
	ck_assert_mem_eq(buf, "three\n", 6);
	log_flush_at_signal();
	log_flush(&cfg);
	ck_assert_uint_eq(drain(p[0], buf, sizeof(buf)), 0);
}
END_TEST

/*
 * A forked child that holds a line and is ended by sig (its handlers are
 * the server's) writes the line first, then dies of sig.
 */
static void
check_signal_writes_held_lines(int sig)
{
	struct config cfg;
	char buf[64];
	int p[2], status;
	pid_t pid;

	log_to_pipe(&cfg, p);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (signals_init() != 0)
			_exit(99);
		signals_child(NULL, log_flush_at_signal);
		log_hold_lines(&cfg);
		log_access(&cfg, "held\n", 5);
		(void)raise(sig);
		_exit(98);	/* the signal did not end us */
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == sig,
	    "status %#x", status);
	ck_assert_uint_eq(drain(p[0], buf, sizeof(buf)), 5);
	ck_assert_mem_eq(buf, "held\n", 5);
}

START_TEST(stop_signals_write_held_lines)
{
	check_signal_writes_held_lines(SIGTERM);
	check_signal_writes_held_lines(SIGINT);
	check_signal_writes_held_lines(SIGHUP);
	check_signal_writes_held_lines(SIGALRM);	/* --child-deadline */
}
END_TEST

START_TEST(the_vhost_field_comes_first)
{
	struct log_entry e = entry();
	char buf[1024], host[300];
	size_t n;
	const char *want = "example.org:8080 192.0.2.7 - - "
	    "[10/Oct/2000:13:55:36 -0700] "
	    "\"GET /apache_pb.gif?a=b HTTP/1.0\" 200 2326 \"-\" \"-\"\n";

	e.combined = 1;
	e.vhost = sp("example.org");
	e.port = 8080;
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_uint_eq(n, strlen(want));
	ck_assert_mem_eq(buf, want, n);
	/* none: "-"; a long one is cut, and the line goes on */
	e.vhost.n = 0;
	n = log_format_clf(buf, sizeof(buf), &e);
	ck_assert_mem_eq(buf, "-:8080 192.0.2.7 ", 17);
	memset(host, 'a', sizeof(host));
	e.vhost.p = host;
	e.vhost.n = sizeof(host);
	n = log_format_clf(buf, LOG_VHOST_BYTES + 256, &e);
	ck_assert_ptr_nonnull(memmem(buf, n, "a:8080 192.0.2.7 - - [", 22));
	ck_assert_int_eq(buf[n - 1], '\n');
	ck_assert_uint_le((size_t)((char *)memchr(buf, ' ', n) - buf),
	    LOG_VHOST_BYTES);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, formats_common_line);
	tcase_add_test(tc, formats_combined_line);
	tcase_add_test(tc, zero_bytes_is_dash_and_positive_zone);
	tcase_add_test(tc, escapes_quotes_controls_and_high_bytes);
	tcase_add_test(tc, missing_fields_are_dashes);
	tcase_add_test(tc, the_user_is_one_escaped_word);
	tcase_add_test(tc, long_fields_are_cut_not_the_line);
	tcase_add_test(tc, the_tls_field_comes_last);
	tcase_add_test(tc, the_peer_field_comes_after_the_tls_field);
	tcase_add_test(tc, the_vhost_field_comes_first);
	tcase_add_test(tc, utc_offset_follows_tz);
	tcase_add_test(tc, times_are_formatted_as_strftime_does);
	suite_add_tcase(s, tc);
	/* in this order: holding lines cannot be turned off (CK_FORK=no) */
	tc = tcase_create("buffer");
	tcase_add_test(tc, lines_are_written_before_every_wait);
	tcase_add_test(tc, a_child_holds_lines_until_due);
	tcase_add_test(tc, stop_signals_write_held_lines);
	suite_add_tcase(s, tc);
	return s;
}
