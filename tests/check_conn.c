/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The connection state machine driven by hand over a socketpair: the same
 * pipelined requests fed one byte at a time, all at once, split at every
 * position and at random must produce the same bytes back.
 */
#include <config.h>

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "docroot.h"
#include "fcache.h"
#include "options.h"
#include "respond.h"
#include "tests.h"

#define OUT_BYTES	65536

static const char requests[] =
    "GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n"
    "HEAD /a.txt HTTP/1.1\r\nHost: t\r\nUser-Agent: x\r\n\r\n"
    "GET /missing HTTP/1.1\r\nHost: t\r\n\r\n"
    "GET /a.txt HTTP/1.1\r\nHost: t\r\nRange: bytes=2-4\r\n"
    "Connection: close\r\n\r\n";

static struct config cfg;
static char dir[] = "/tmp/check_conn.XXXXXX";

static void
write_file(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static void
setup(void)
{
	char *argv[] = { "forkhttpd", NULL };
	const char *model;
	char err[256];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_file("index.html", "<p>hello</p>\n");
	write_file("a.txt", "plain text\n");
	ck_assert_int_eq(options_parse(1, argv, &cfg, &model), OPTIONS_RUN);
	cfg.docroot = dir;
	ck_assert_int_eq(docroot_open_root(&cfg, err, sizeof(err)), 0);
	docroot_load_pages(&cfg);
}

static void
teardown(void)
{
	char path[256];

	fcache_flush();
	docroot_close(&cfg);
	snprintf(path, sizeof(path), "%s/index.html", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/a.txt", dir);
	unlink(path);
	rmdir(dir);
}

/* Blank out the Date values, the one thing that may differ between runs. */
static void
normalise(char *s)
{
	char *p = s;

	while ((p = strstr(p, "\r\nDate: ")) != NULL) {
		p += 8;
		while (*p != '\r' && *p != '\0')
			*p++ = 'X';
	}
}

/*
 * Feed the requests in pieces of the sizes cut() gives, running the
 * connection after each; return everything it answered, normalised.
 */
static char *
drive(size_t (*cut)(size_t off, size_t left, unsigned *seed), unsigned seed)
{
	struct conn *c = malloc(sizeof(*c));
	char *out = calloc(1, OUT_BYTES);
	size_t off = 0, len = sizeof(requests) - 1, piece, got = 0;
	enum conn_want w = CONN_READ;
	ssize_t n;
	int sv[2];

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	conn_init(c, &(struct accepted){ .fd = sv[0] }, &cfg);
	while (off < len && w != CONN_CLOSE) {
		piece = cut(off, len - off, &seed);
		ck_assert_int_eq(write(sv[1], requests + off, piece),
		    (ssize_t)piece);
		off += piece;
		w = conn_run(c);
		while ((n = read(sv[1], out + got, OUT_BYTES - 1 - got)) > 0)
			got += (size_t)n;
	}
	ck_assert_int_eq(w, CONN_CLOSE);
	conn_close(c);
	while ((n = read(sv[1], out + got, OUT_BYTES - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(sv[1]);
	free(c);
	normalise(out);
	return out;
}

static size_t
all_at_once(size_t off, size_t left, unsigned *seed)
{
	(void)off;
	(void)seed;
	return left;
}

static size_t
one_byte(size_t off, size_t left, unsigned *seed)
{
	(void)off;
	(void)left;
	(void)seed;
	return 1;
}

static size_t
at_random(size_t off, size_t left, unsigned *seed)
{
	size_t n;

	(void)off;
	*seed = *seed * 1103515245u + 12345u;
	n = 1 + (*seed >> 16) % 40;
	return n < left ? n : left;
}

static size_t split_at;

static size_t
in_two(size_t off, size_t left, unsigned *seed)
{
	(void)seed;
	return off < split_at ? split_at - off : left;
}

static char *expected;

START_TEST(whole_input_answers_every_request)
{
	expected = drive(all_at_once, 0);
	ck_assert_ptr_nonnull(strstr(expected, "HTTP/1.1 200 OK\r\n"));
	ck_assert_ptr_nonnull(strstr(expected, "<p>hello</p>\n"));
	ck_assert_ptr_nonnull(strstr(expected, "HTTP/1.1 404 Not Found\r\n"));
	ck_assert_ptr_nonnull(strstr(expected,
	    "HTTP/1.1 206 Partial Content\r\n"));
	ck_assert_ptr_nonnull(strstr(expected, "\r\n\r\nain"));
	/* HEAD: a head and no body, then straight on to the 404 */
	ck_assert_ptr_nonnull(strstr(expected, "Content-Length: 11\r\n"));
	free(expected);
}
END_TEST

START_TEST(one_byte_at_a_time_answers_the_same)
{
	char *a = drive(all_at_once, 0), *b = drive(one_byte, 0);

	ck_assert_str_eq(b, a);
	free(a);
	free(b);
}
END_TEST

START_TEST(every_split_point_answers_the_same)
{
	char *a = drive(all_at_once, 0), *b;

	for (split_at = 1; split_at < sizeof(requests) - 1; split_at++) {
		b = drive(in_two, 0);
		ck_assert_msg(strcmp(a, b) == 0, "split at %zu differs",
		    split_at);
		free(b);
	}
	free(a);
}
END_TEST

START_TEST(random_splits_answer_the_same)
{
	char *a = drive(all_at_once, 0), *b;
	unsigned seed;

	for (seed = 1; seed <= 50; seed++) {
		b = drive(at_random, seed);
		ck_assert_msg(strcmp(a, b) == 0, "seed %u differs", seed);
		free(b);
	}
	free(a);
}
END_TEST

#ifdef TCP_CORK
/* A connected pair of loopback TCP sockets: the server's end in sv[0]. */
static void
tcp_pair(int sv[2])
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int l;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ge(l = socket(AF_INET, SOCK_STREAM, 0), 0);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(l, 1), 0);
	ck_assert_int_eq(getsockname(l, (struct sockaddr *)&a, &len), 0);
	ck_assert_int_ge(sv[1] = socket(AF_INET, SOCK_STREAM, 0), 0);
	ck_assert_int_eq(connect(sv[1], (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_ge(sv[0] = accept(l, NULL, NULL), 0);
	ck_assert_int_eq(close(l), 0);
	ck_assert_int_eq(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
}

static int
corked(int fd)
{
	socklen_t len = sizeof(int);
	int on = -1;

	ck_assert_int_eq(getsockopt(fd, IPPROTO_TCP, TCP_CORK, &on, &len), 0);
	return on;
}

/*
 * A big file body goes in turns of at most SEND_CHUNK_BYTES, so one
 * download cannot keep an event loop from its other clients; the cork
 * holds the head and the first piece together and is off for the rest,
 * or each later piece's tail would wait for the kernel's cork timer.
 */
START_TEST(file_body_goes_in_bounded_turns)
{
	static const char req[] = "GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n";
	enum { BIG = 4 << 20 };
	struct conn *c = malloc(sizeof(*c));
	char path[256], *buf = malloc(65537), *end;
	long long got = 0, want = -1, before, moved, most = 0;
	enum conn_want w;
	int sv[2], turns = 0, corked_later = 0;
	ssize_t n;
	FILE *f;

	ck_assert_ptr_nonnull(c);
	ck_assert_ptr_nonnull(buf);
	snprintf(path, sizeof(path), "%s/big.bin", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	ck_assert_int_eq(fseek(f, BIG - 1, SEEK_SET), 0);
	ck_assert_int_eq(fputc('x', f), 'x');
	ck_assert_int_eq(fclose(f), 0);
	tcp_pair(sv);
	ck_assert_int_eq(write(sv[1], req, sizeof(req) - 1),
	    (ssize_t)sizeof(req) - 1);
	conn_init(c, &(struct accepted){ .fd = sv[0] }, &cfg);
	w = CONN_READ;
	while (want < 0 || got < want) {
		before = (long long)c->sent + c->file_sent;
		w = conn_run(c);
		ck_assert_int_ne(w, CONN_CLOSE);
		/* a reply done is counted as sent no more: the last turn */
		moved = w == CONN_WRITE ? (long long)c->sent + c->file_sent -
		    before : 0;
		if (moved > most)
			most = moved;
		if (w == CONN_WRITE && turns++ > 0 && corked(sv[0]) == 1)
			corked_later = 1;
		/* read all that was sent, so each turn finds room */
		do {
			ck_assert_int_gt(n = read(sv[1], buf, 65536), 0);
			if (want < 0) {	/* the head comes first */
				buf[n] = '\0';
				ck_assert_ptr_nonnull(end = strstr(buf,
				    "\r\n\r\n"));
				want = (long long)(end + 4 - buf) + BIG;
			}
			got += n;
		} while (w == CONN_WRITE &&
		    got < (long long)c->sent + c->file_sent);
	}
	ck_assert_int_eq(got, want);
	ck_assert_int_eq(w, CONN_READ);
	ck_assert_int_le(most, SEND_CHUNK_BYTES);
	ck_assert_int_ge(turns, BIG / SEND_CHUNK_BYTES - 1);
	ck_assert_msg(!corked_later, "a later piece waited corked");
	ck_assert_int_eq(corked(sv[0]), 0);
	conn_close(c);
	ck_assert_int_eq(close(sv[1]), 0);
	ck_assert_int_eq(unlink(path), 0);
	free(buf);
	free(c);
}
END_TEST
#endif

Suite *
test_suite(void)
{
	Suite *s = suite_create("conn");
	TCase *tc = tcase_create("split");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, whole_input_answers_every_request);
	tcase_add_test(tc, one_byte_at_a_time_answers_the_same);
	tcase_add_test(tc, every_split_point_answers_the_same);
	tcase_add_test(tc, random_splits_answer_the_same);
	suite_add_tcase(s, tc);
#ifdef TCP_CORK
	tc = tcase_create("tcp");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, file_body_goes_in_bounded_turns);
	suite_add_tcase(s, tc);
#endif
	return s;
}
