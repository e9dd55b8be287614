/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics.c: counters exact across forked children; scoreboard rows taken,
 * shown and freed (also for a child killed holding one); the exposition
 * text and the page, pure, to the byte where it matters and escaped; and
 * listen_split(), which reads --status's ADDRESS:PORT.
 */
#include <config.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "http.h"
#include "listen.h"
#include "metrics.h"
#include "tests.h"

#define CHILDREN	8
#define ADDS		20000

static char big[1 << 16];

/* An address as accept() gives it; v4mapped puts IPv4 in IPv6's form. */
static struct sockaddr_storage *
addr(const char *text, int v4mapped)
{
	static struct sockaddr_storage ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	char mapped[64];

	memset(&ss, 0, sizeof(ss));
	if (strchr(text, ':') != NULL || v4mapped) {
		(void)snprintf(mapped, sizeof(mapped), "%s%s",
		    v4mapped ? "::ffff:" : "", text);
		s6->sin6_family = AF_INET6;
		ck_assert_int_eq(inet_pton(AF_INET6, mapped, &s6->sin6_addr), 1);
	} else {
		s4->sin_family = AF_INET;
		ck_assert_int_eq(inet_pton(AF_INET, text, &s4->sin_addr), 1);
	}
	return &ss;
}

static const char *
format(const struct metrics_snapshot *s)
{
	struct outbuf o;

	outbuf_init(&o, big, sizeof(big));
	metrics_format(&o, s);
	ck_assert_int_eq(outbuf_finish(&o), 0);
	return big;
}

START_TEST(counts_are_exact_across_forked_children)
{
	struct metrics_snapshot s;
	pid_t pid[CHILDREN];
	int i, k, st;

	ck_assert_int_eq(metrics_init(16, "fork", 0), 0);
	ck_assert(metrics_enabled());
	for (i = 0; i < CHILDREN; i++) {
		if ((pid[i] = fork()) == 0) {
			metrics_child();
			for (k = 0; k < ADDS; k++) {
				metrics_reply(200, HTTP_GET, 10, k > 0);
				metrics_add(MC_ACCEPTED, 1);
			}
			metrics_timeout(MT_IDLE);
			_exit(0);
		}
		ck_assert_int_gt(pid[i], 0);
	}
	for (i = 0; i < CHILDREN; i++) {
		ck_assert_int_eq(waitpid(pid[i], &st, 0), pid[i]);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	metrics_reply(404, HTTP_HEAD, 0, 0);
	metrics_reply(999, 77, 5, 0);		/* out of range: 5xx, other */
	metrics_read(&s);
	ck_assert_uint_eq(s.requests[1][HTTP_GET], CHILDREN * ADDS);
	ck_assert_uint_eq(s.c[MC_ACCEPTED], CHILDREN * ADDS);
	ck_assert_uint_eq(s.c[MC_SENT_BYTES], CHILDREN * ADDS * 10ULL + 5);
	ck_assert_uint_eq(s.c[MC_KEEPALIVE], CHILDREN * (ADDS - 1));
	ck_assert_uint_eq(s.timeouts[MT_IDLE], CHILDREN);
	ck_assert_uint_eq(s.requests[3][HTTP_HEAD], 1);
	ck_assert_uint_eq(s.requests[4][HTTP_OTHER], 1);
}
END_TEST

START_TEST(nothing_is_counted_without_status)
{
	struct metrics_snapshot s;

	ck_assert(!metrics_enabled());
	metrics_reply(200, HTTP_GET, 10, 0);
	metrics_add(MC_ACCEPTED, 1);
	ck_assert_int_eq(metrics_row_take(addr("127.0.0.1", 0)), -1);
	metrics_read(&s);
	ck_assert_uint_eq(s.requests[1][HTTP_GET], 0);
	ck_assert_int_eq(s.clients, 0);
}
END_TEST

START_TEST(rows_show_a_client_and_are_freed)
{
	struct metrics_client c[4];
	struct metrics_snapshot s;
	const char *line = "GET /a\x1b[2J HTTP/1.1";
	int a, b, k;

	ck_assert_int_eq(metrics_init(3, "thread", 0), 0);
	a = metrics_row_take(addr("192.0.2.1", 0));
	b = metrics_row_take(addr("2001:db8::1", 0));
	k = metrics_row_take(addr("192.0.2.3", 1));
	ck_assert_int_ge(a, 0);
	ck_assert_int_ge(b, 0);
	ck_assert_int_ge(k, 0);
	ck_assert_int_ne(a, b);
	ck_assert_int_eq(metrics_row_take(addr("192.0.2.9", 0)), -1); /* full */
	metrics_row_put(k);
	metrics_row_request(a, line, strlen(line));
	metrics_row_bytes(a, 12345);
	ck_assert_uint_eq(metrics_clients(c, 4, 1LL << 40), 2);
	ck_assert_int_eq(c[0].pid, getpid());
	ck_assert_str_eq(c[a < b ? 0 : 1].peer, "192.0.2.1");
	ck_assert_str_eq(c[a < b ? 1 : 0].peer, "2001:db8::1");
	/* a control byte in a request line never reaches a terminal */
	ck_assert_str_eq(c[a < b ? 0 : 1].line, "GET /a?[2J HTTP/1.1");
	ck_assert_int_eq(c[a < b ? 0 : 1].bytes, 12345);
	ck_assert_int_eq(c[a < b ? 0 : 1].state, MS_WRITE);
	ck_assert_uint_eq(c[a < b ? 0 : 1].requests, 1);
	metrics_row_put(a);
	metrics_read(&s);
	ck_assert_int_eq(s.clients, 1);
	ck_assert_uint_eq(s.c[MC_UNLISTED], 1);
	/* a child that died holding b: the parent frees it by pid */
	metrics_row_reaped(-1, getpid() + 1);
	metrics_read(&s);
	ck_assert_int_eq(s.clients, 1);
	metrics_row_reaped(b, getpid());
	metrics_read(&s);
	ck_assert_int_eq(s.clients, 0);
}
END_TEST

START_TEST(the_exposition_has_help_type_and_every_label)
{
	struct metrics_snapshot s;
	const char *t;

	memset(&s, 0, sizeof(s));
	s.version = "0.1";
	s.model = "event";
	s.tls = 1;
	s.requests[1][HTTP_GET] = 10;
	s.requests[3][HTTP_OTHER] = 2;
	s.timeouts[MT_HEADER] = 3;
	s.c[MC_SENT_BYTES] = 4096;
	s.clients = 7;
	s.alive = 2;
	s.start_sec = 1796000000;
	t = format(&s);
	ck_assert_ptr_nonnull(strstr(t,
	    "# HELP forkhttpd_requests_total Requests answered, by status "
	    "class and method.\n# TYPE forkhttpd_requests_total counter\n"
	    "forkhttpd_requests_total{code=\"1xx\",method=\"GET\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(t,
	    "\nforkhttpd_requests_total{code=\"2xx\",method=\"GET\"} 10\n"));
	ck_assert_ptr_nonnull(strstr(t,
	    "\nforkhttpd_requests_total{code=\"4xx\",method=\"other\"} 2\n"));
	ck_assert_ptr_nonnull(strstr(t,
	    "\nforkhttpd_connections_timed_out_total{kind=\"header\"} 3\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nforkhttpd_sent_bytes_total 4096\n"));
	ck_assert_ptr_nonnull(strstr(t,
	    "# TYPE forkhttpd_clients gauge\nforkhttpd_clients 7\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nforkhttpd_children_alive 2\n"));
	ck_assert_ptr_nonnull(strstr(t,
	    "\nforkhttpd_children_signaled_total{signal=\"SIGSEGV\"} 0\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nforkhttpd_build_info{version=\"0.1\","
	    "model=\"event\",tls=\"yes\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(t, "# TYPE process_start_time_seconds "
	    "gauge\nprocess_start_time_seconds 1796000000\n"));
	/* 5 classes by 10 methods */
	ck_assert_ptr_nonnull(strstr(t,
	    "forkhttpd_requests_total{code=\"5xx\",method=\"other\"} 0\n"));
	ck_assert_int_eq(t[strlen(t) - 1], '\n');
}
END_TEST

START_TEST(every_family_has_one_help_and_one_type)
{
	struct metrics_snapshot s;
	const char *p, *t;
	size_t helps = 0, types = 0;

	memset(&s, 0, sizeof(s));
	s.version = "0.1";
	s.model = "fork";
	t = format(&s);
	for (p = t; (p = strstr(p, "# HELP ")) != NULL; p++)
		helps++;
	for (p = t; (p = strstr(p, "# TYPE ")) != NULL; p++)
		types++;
	ck_assert_uint_eq(helps, 18);
	ck_assert_uint_eq(types, helps);
}
END_TEST

START_TEST(the_page_escapes_what_clients_sent)
{
	struct metrics_snapshot s;
	struct metrics_client c;
	struct outbuf o;

	memset(&s, 0, sizeof(s));
	s.version = "0.1";
	s.model = "fork";
	s.start_sec = 100;
	s.clients = 1;
	memset(&c, 0, sizeof(c));
	c.pid = 42;
	c.state = MS_READ;
	c.age_ms = 2500;
	c.request_ms = -1;
	c.bytes = 99;
	strcpy(c.peer, "192.0.2.7");
	strcpy(c.line, "GET /<script>&\" HTTP/1.1");
	outbuf_init(&o, big, sizeof(big));
	metrics_format_page(&o, &s, &c, 1, 160, 0);
	ck_assert_int_eq(outbuf_finish(&o), 0);
	ck_assert_ptr_null(strstr(big, "<script>"));
	ck_assert_ptr_nonnull(strstr(big, "<tr><td>42</td><td>192.0.2.7</td>"
	    "<td>reading</td><td>2.5</td><td>-</td><td>0</td><td>99</td>"
	    "<td>GET /&lt;script&gt;&amp;&quot; HTTP/1.1</td></tr>"));
	ck_assert_ptr_nonnull(strstr(big, "up 60 s;"));
	ck_assert_ptr_nonnull(strstr(big, "1 client now."));

	outbuf_init(&o, big, sizeof(big));
	metrics_format_page(&o, &s, &c, 1, 160, 1);
	ck_assert_int_eq(outbuf_finish(&o), 0);
	/* plain text shows the line as it came, control bytes aside */
	ck_assert_ptr_null(strstr(big, "<td>"));
	ck_assert_ptr_nonnull(strstr(big, "\n42\t192.0.2.7\treading\t2.5\t-\t0"
	    "\t99\tGET /<script>&\" HTTP/1.1\n"));
}
END_TEST

/* --status ADDRESS:PORT: what is split, and what is refused */
static const struct {
	const char	*spec;
	int		 rc;
	const char	*host;
	const char	*port;
} splits[] = {
	{ "127.0.0.1:9100", 0, "127.0.0.1", "9100" },
	{ "127.0.0.1:0", 0, "127.0.0.1", "0" },
	{ "[::1]:9100", 0, "::1", "9100" },
	{ "localhost:80", 0, "localhost", "80" },
	{ "[fe80::1%lo]:1", 0, "fe80::1%lo", "1" },
	{ "127.0.0.1", -1, NULL, NULL },
	{ "127.0.0.1:", -1, NULL, NULL },
	{ ":80", -1, NULL, NULL },
	{ "::1:80", -1, NULL, NULL },
	{ "[::1]80", -1, NULL, NULL },
	{ "[]:80", -1, NULL, NULL },
	{ "[::1:80", -1, NULL, NULL },
	{ "a]:80", -1, NULL, NULL },
	{ "127.0.0.1:8x", -1, NULL, NULL },
	{ "127.0.0.1:123456789", -1, NULL, NULL },
};

START_TEST(status_addresses_split_or_are_refused)
{
	char host[64], port[8];

	ck_assert_int_eq(listen_split(splits[_i].spec, host, sizeof(host),
	    port, sizeof(port)), splits[_i].rc);
	if (splits[_i].rc == 0) {
		ck_assert_str_eq(host, splits[_i].host);
		ck_assert_str_eq(port, splits[_i].port);
	}
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, counts_are_exact_across_forked_children);
	tcase_add_test(tc, nothing_is_counted_without_status);
	tcase_add_test(tc, rows_show_a_client_and_are_freed);
	tcase_add_test(tc, the_exposition_has_help_type_and_every_label);
	tcase_add_test(tc, every_family_has_one_help_and_one_type);
	tcase_add_test(tc, the_page_escapes_what_clients_sent);
	tcase_add_loop_test(tc, status_addresses_split_or_are_refused, 0,
	    sizeof(splits) / sizeof(splits[0]));
	suite_add_tcase(s, tc);
	return s;
}
