/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every model with stub connections instead of HTTP: one that answers,
 * one that hangs, one that crashes.  A driver process (a grandchild, so
 * the model's reaper never sees it) connects on loopback and reports what
 * each client heard; then it stops the model with SIGTERM.  What is
 * checked is what a model owns: dispatch, the -c cap, reaping, fault
 * containment and shutdown.
 */
#include <config.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conn_ops.h"
#include "listen.h"
#include "model.h"
#include "options.h"
#include "signals.h"
#include "tests.h"

#define MAX_CLIENTS_TRIED	32

/* What the stubs and the driver share across processes. */
struct shared {
	atomic_int	 served;		/* connections a stub took */
	int		 held;			/* served, when the driver
						   stopped the model */
	char		 heard[MAX_CLIENTS_TRIED][16];
	long long	 stop_ms;		/* SIGTERM to return, measured */
};

static struct shared *sh;
static const char *model_names_tried[] = { "fork", "thread", "single",
    "event", "event" };
static const int workers_tried[] = { 0, 0, 0, 0, 2 };

/* --- the stubs: blocking (serve) and driven (init, run, ...) --- */

enum stub_kind { STUB_ANSWER, STUB_HANG, STUB_CRASH, STUB_IDLE };
static enum stub_kind kind;

struct stub {
	int		 fd;
	long long	 deadline;
	int		 idle;		/* STUB_IDLE: nothing received yet */
};

static void
answer(int fd)
{
	char buf[64];

	(void)recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	(void)send(fd, "OK\n", 3, MSG_NOSIGNAL);
}

/* The client's first byte, once there; a later crash is then the only
 * thing this client can see. */
static void
act(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };

	atomic_fetch_add(&sh->served, 1);
	if (kind == STUB_HANG)
		for (;;)
			(void)pause();
	(void)poll(&p, 1, 1000);
	if (kind == STUB_CRASH) {
		char buf[8];

		/* "c" asks this stub to crash; anything else is answered */
		if (recv(fd, buf, 1, MSG_PEEK) == 1 && buf[0] == 'c')
			abort();
	}
	answer(fd);
}

static void
stub_serve(const struct accepted *a, const struct config *cfg,
    struct slot *slot)
{
	(void)cfg;
	(void)slot;
	act(a->fd);
	(void)close(a->fd);
}

static void
stub_init(void *c, const struct accepted *a, const struct config *cfg)
{
	struct stub *s = c;

	(void)cfg;
	s->fd = a->fd;
	s->deadline = conn_now_ms() + 60000;
	s->idle = kind == STUB_IDLE;
}

static enum conn_want
stub_run(void *c)
{
	struct stub *s = c;

	if (kind == STUB_HANG) {
		atomic_fetch_add(&sh->served, 1);
		return CONN_READ;	/* waits, never done, never idle */
	}
	if (kind == STUB_IDLE) {
		char b;
		ssize_t n = recv(s->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return CONN_READ;	/* idle: may be closed for room */
		s->idle = 0;
		if (n > 0)
			answer(s->fd);
		return CONN_CLOSE;
	}
	act(s->fd);
	return CONN_CLOSE;
}

static enum conn_want
stub_expire(void *c)
{
	(void)c;
	return CONN_CLOSE;
}

static long long
stub_deadline(const void *c)
{
	return ((const struct stub *)c)->deadline;
}

static int
stub_idle(const void *c)
{
	return ((const struct stub *)c)->idle;
}

static void
stub_close(void *c)
{
	(void)close(((struct stub *)c)->fd);
}

static void
nothing_cfg(const struct config *cfg)
{
	(void)cfg;
}

static void
nothing(void)
{
}

static const struct conn_ops stub_ops = {
	.size = sizeof(struct stub),
	.init = stub_init,
	.run = stub_run,
	.expire = stub_expire,
	.deadline_ms = stub_deadline,
	.idle = stub_idle,
	.close = stub_close,
	.serve = stub_serve,
	.flush = nothing_cfg,
	.rest = nothing,
	.child = nothing_cfg,
	.child_dying = nothing,
	.reload = nothing_cfg,
	.tick = nothing,
};

/* --- the driver --- */

static int
dial(int port)
{
	struct sockaddr_in a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		(void)close(fd);
		return -1;
	}
	return fd;
}

/* What the client on fd hears within ms: its first bytes, or "". */
static void
hear(int fd, char *out, size_t size, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	ssize_t n = 0;

	out[0] = '\0';
	if (poll(&p, 1, ms) == 1 && (n = recv(fd, out, size - 1, 0)) > 0)
		out[n] = '\0';
}

static long long
now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The driver's script: msgs[i] is what client i sends (NULL: it connects
 * and keeps quiet), each heard for up to wait_ms; clients stay open until
 * all have spoken.  Then SIGTERM to the model.
 */
static void
drive(pid_t model, int port, const char *const *msgs, int n, int wait_ms)
{
	int fd[MAX_CLIENTS_TRIED], i;

	for (i = 0; i < n; i++) {
		fd[i] = dial(port);
		if (fd[i] >= 0 && msgs[i] != NULL)
			(void)send(fd[i], msgs[i], strlen(msgs[i]),
			    MSG_NOSIGNAL);
		if (msgs[i] != NULL || i == n - 1)
			hear(fd[i], sh->heard[i], sizeof(sh->heard[i]),
			    wait_ms);
		else
			(void)poll(NULL, 0, 200);	/* let it be taken */
	}
	sh->stop_ms = now_ms();
	(void)kill(model, SIGTERM);
	for (i = 0; i < n; i++)
		if (fd[i] >= 0)
			(void)close(fd[i]);
}

/*
 * n clients connect and keep quiet, one every 200 ms; each hears what it
 * hears (a 503, or nothing while a stub holds it) until every one is
 * accounted for, served or answered, or 3 s have passed.
 */
static void
drive_quiet(pid_t model, int port, int n)
{
	struct pollfd p[MAX_CLIENTS_TRIED];
	long long end;
	ssize_t got;
	int i, heard = 0;

	for (i = 0; i < n; i++) {
		p[i].fd = dial(port);
		p[i].events = POLLIN;
		(void)poll(NULL, 0, 200);
	}
	end = now_ms() + 3000;
	while (heard + atomic_load(&sh->served) < n && now_ms() < end) {
		if (poll(p, (nfds_t)n, 100) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			if (p[i].fd < 0 || p[i].revents == 0)
				continue;
			got = recv(p[i].fd, sh->heard[i],
			    sizeof(sh->heard[i]) - 1, 0);
			sh->heard[i][got > 0 ? got : 0] = '\0';
			(void)close(p[i].fd);
			p[i].fd = -1;	/* poll() passes over it now */
			heard++;
		}
	}
	sh->held = atomic_load(&sh->served);
	sh->stop_ms = now_ms();
	(void)kill(model, SIGTERM);
	for (i = 0; i < n; i++)
		if (p[i].fd >= 0)
			(void)close(p[i].fd);
}

/*
 * Four idle clients fill -c 4.  With the model stopped, a fifth connects
 * and the oldest speaks, so that one batch of events holds both: the
 * accept closes the oldest to make room, and its event must not be
 * acted on.  Then one more client must be answered.
 */
static void
drive_batch(pid_t model, int port)
{
	int fd[6], i;

	for (i = 0; i < 4; i++) {
		fd[i] = dial(port);
		(void)poll(NULL, 0, 50);
	}
	(void)poll(NULL, 0, 200);
	(void)kill(model, SIGSTOP);
	fd[4] = dial(port);
	(void)send(fd[4], "x", 1, MSG_NOSIGNAL);
	(void)send(fd[0], "x", 1, MSG_NOSIGNAL);
	(void)poll(NULL, 0, 100);
	(void)kill(model, SIGCONT);
	hear(fd[4], sh->heard[4], sizeof(sh->heard[4]), 2000);
	fd[5] = dial(port);
	(void)send(fd[5], "x", 1, MSG_NOSIGNAL);
	hear(fd[5], sh->heard[5], sizeof(sh->heard[5]), 2000);
	sh->stop_ms = now_ms();
	(void)kill(model, SIGTERM);
	for (i = 0; i < 6; i++)
		if (fd[i] >= 0)
			(void)close(fd[i]);
}

/*
 * Run model m (number i of the tried ones) with the stubs of kind k until
 * the driver stops it; returns serve_forever()'s result.  n < 0: the
 * batch script instead of msgs; msgs NULL: n quiet clients.
 */
static int
run_model(int i, enum stub_kind k, int max_clients,
    const char *const *msgs, int n)
{
	char *argv[] = { "forkhttpd", NULL };
	const struct model *m = model_by_name(model_names_tried[i]);
	struct listeners l = { .n = 0 };
	struct config cfg;
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	const char *name;
	char err[256];
	pid_t self = getpid(), p;
	int rc;

	ck_assert_ptr_nonnull(m);
	kind = k;
	ck_assert_int_eq(options_parse(1, argv, &cfg, &name), OPTIONS_RUN);
	cfg.address[0] = "127.0.0.1";
	cfg.addresses = 1;
	cfg.port = "0";
	cfg.max_clients = max_clients;
	cfg.max_per_address = 0;
	cfg.grace_sec = 1;
	cfg.workers = workers_tried[i];
	ck_assert_int_eq(listen_open(&l, &cfg, cfg.port, 0, err, sizeof(err)), 0);
	ck_assert_int_eq(getsockname(l.fd[0], (struct sockaddr *)&a, &alen),
	    0);
	/* the driver is a grandchild: the model's reaper never sees it */
	if ((p = fork()) == 0) {
		if (fork() == 0) {
			listen_close(&l);
			if (n < 0)
				drive_batch(self, ntohs(a.sin_port));
			else if (msgs == NULL)
				drive_quiet(self, ntohs(a.sin_port), n);
			else
				drive(self, ntohs(a.sin_port), msgs, n, 2000);
			_exit(0);
		}
		_exit(0);
	}
	ck_assert_int_gt(p, 0);
	ck_assert_int_eq(waitpid(p, NULL, 0), p);
	ck_assert_int_eq(signals_init(), 0);
	rc = m->serve_forever(&l, &cfg, &stub_ops);
	sh->stop_ms = now_ms() - sh->stop_ms;
	return rc;
}

/* Zombie children of this process, from /proc. */
static int
zombies(void)
{
	char path[300], line[512], state;
	struct dirent *d;
	DIR *dp;
	FILE *f;
	int z = 0, ppid;

	ck_assert_ptr_nonnull(dp = opendir("/proc"));
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", d->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(line, sizeof(line), f) != NULL) {
			char *r = strrchr(line, ')');

			if (r != NULL && sscanf(r + 2, "%c %d", &state,
			    &ppid) == 2 && ppid == getpid() && state == 'Z')
				z++;
		}
		fclose(f);
	}
	closedir(dp);
	return z;
}

/*
 * A model left out by configure (threads) must refuse to run, and that
 * is all there is to check of it.
 */
static int
left_out(int i)
{
	const struct model *m = model_by_name(model_names_tried[i]);
	struct listeners l = { .n = 0 };

	if (m->unavailable == NULL)
		return 0;
	ck_assert_int_eq(m->serve_forever(&l, NULL, &stub_ops), -1);
	return 1;
}

static void
setup(void)
{
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(sh, MAP_FAILED);
	memset(sh, 0, sizeof(*sh));
	atomic_init(&sh->served, 0);
	/* lead a process group, as a detached server does */
	(void)setpgid(0, 0);
}

START_TEST(every_client_is_dispatched_and_answered)
{
	static const char *const msgs[] = { "a", "b", "c", "d", "e", "f",
	    "g", "h" };
	int i;

	if (left_out(_i))
		return;
	ck_assert_int_eq(run_model(_i, STUB_ANSWER, 4, msgs, 8), 0);
	for (i = 0; i < 8; i++)
		ck_assert_msg(strcmp(sh->heard[i], "OK\n") == 0,
		    "%s: client %d heard \"%s\"", model_names_tried[_i], i,
		    sh->heard[i]);
	ck_assert_int_eq(atomic_load(&sh->served), 8);
	ck_assert_int_eq(zombies(), 0);
}
END_TEST

/*
 * Two clients that never finish fill -c 2: the third hears 503 (the
 * single model has no cap: it serves one client at a time).
 */
START_TEST(past_the_cap_a_client_hears_503)
{
	/* the third sends nothing: bytes arriving after the 503 and the
	   close would reset the connection and could take the 503 away */
	static const char *const msgs[] = { NULL, NULL, NULL };
	static const int models[] = { 0, 1, 3 };
	int rc;

	_i = models[_i];
	if (left_out(_i))
		return;
	rc = run_model(_i, STUB_HANG, 2, msgs, 3);
	ck_assert_msg(strncmp(sh->heard[2], "HTTP/1.1 503", 12) == 0,
	    "%s: heard \"%s\"", model_names_tried[_i], sh->heard[2]);
	/* and the stop gives them the grace period (1 s), then ends */
	ck_assert_msg(sh->stop_ms < 4000, "%s: stopped after %lld ms",
	    model_names_tried[_i], sh->stop_ms);
	ck_assert(rc == 0 || rc == MODEL_ABANDONED);
}
END_TEST

/*
 * With -w 2, -c 2 counts each worker's clients: of five quiet clients,
 * whichever worker each lands on, at most four are held and every other
 * one hears 503 (one at least, as five cannot fit).
 */
START_TEST(past_each_workers_cap_a_client_hears_503)
{
	int i, refused = 0, rc;

	rc = run_model(4, STUB_HANG, 2, NULL, 5);
	for (i = 0; i < 5; i++) {
		if (strncmp(sh->heard[i], "HTTP/1.1 503", 12) == 0)
			refused++;
		else
			ck_assert_msg(sh->heard[i][0] == '\0',
			    "client %d heard \"%s\"", i, sh->heard[i]);
	}
	ck_assert_int_le(sh->held, 4);
	ck_assert_int_eq(refused + sh->held, 5);
	ck_assert_int_ge(refused, 1);
	ck_assert_msg(sh->stop_ms < 4000, "stopped after %lld ms",
	    sh->stop_ms);
	ck_assert(rc == 0 || rc == MODEL_ABANDONED);
}
END_TEST

/* A client whose worker crashes: in the fork model, only that one. */
START_TEST(a_crash_in_a_child_harms_no_other_client)
{
	static const char *const msgs[] = { "ok", "crash", "ok" };

	ck_assert_int_eq(run_model(0, STUB_CRASH, 4, msgs, 3), 0);
	ck_assert_str_eq(sh->heard[0], "OK\n");
	ck_assert_str_eq(sh->heard[1], "");
	ck_assert_str_eq(sh->heard[2], "OK\n");
	ck_assert_int_eq(zombies(), 0);
}
END_TEST

/* With -w, a crash takes one worker, which is started again. */
START_TEST(a_crash_in_an_event_worker_is_survived)
{
	static const char *const msgs[] = { "crash", "ok", "ok", "ok" };

	ck_assert_int_eq(run_model(4, STUB_CRASH, 4, msgs, 4), 0);
	ck_assert_str_eq(sh->heard[3], "OK\n");
}
END_TEST

/*
 * An event loop that closes an idle client to make room for a new one
 * must not act on that client's event later in the same batch (it was a
 * use after free, then a double free).
 */
START_TEST(a_client_closed_for_room_is_not_touched_again)
{
	static const int models[] = { 3, 4 };

	ck_assert_int_eq(run_model(models[_i], STUB_IDLE, 4, NULL, -1), 0);
	ck_assert_str_eq(sh->heard[4], "OK\n");
	ck_assert_str_eq(sh->heard[5], "OK\n");
}
END_TEST

/* Threads and a lone event loop share one process: a crash ends all. */
START_TEST(a_crash_in_a_shared_process_ends_it)
{
	static const char *const msgs[] = { "crash", "ok" };
	static const int models[] = { 1, 2, 3 };

	if (left_out(models[_i]))
		raise(SIGABRT);		/* nothing to crash: as expected */
	(void)run_model(models[_i], STUB_CRASH, 4, msgs, 2);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("stubs");
	TCase *tk = tcase_create("crash");
	int n = (int)(sizeof(model_names_tried) / sizeof(model_names_tried[0]));

	signal(SIGPIPE, SIG_IGN);
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, every_client_is_dispatched_and_answered, 0, n);
	tcase_add_loop_test(tc, past_the_cap_a_client_hears_503, 0, 3);
	tcase_add_test(tc, past_each_workers_cap_a_client_hears_503);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tk, setup, NULL);
	tcase_set_timeout(tk, 20);
	tcase_add_test(tk, a_crash_in_a_child_harms_no_other_client);
	tcase_add_loop_test(tk, a_client_closed_for_room_is_not_touched_again,
	    0, 2);
	tcase_add_test(tk, a_crash_in_an_event_worker_is_survived);
	tcase_add_loop_test_raise_signal(tk, a_crash_in_a_shared_process_ends_it,
	    SIGABRT, 0, 3);
	suite_add_tcase(s, tk);
	return s;
}
