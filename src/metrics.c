/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The counters and the scoreboard of --status, in one MAP_SHARED mapping
 * made before the first fork (so children, workers and threads all see
 * it), and their formatting.  Every write is a relaxed atomic to memory the
 * writer owns or shares with few: its shard of counters (a process or
 * thread keeps to one, cache-line aligned), its row of the scoreboard.
 * Text in a row is stored as atomic words, so a reader racing a writer sees
 * a mixed line at worst, never undefined behaviour.
 */
#include <config.h>

#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "conn_ops.h"
#include "listing.h"
#include "metrics.h"
#include "peers.h"

#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS	MAP_ANON
#endif

#define METRICS_SHARDS	64	/* processes or threads counting apart */
#define CACHE_LINE	64
#define ADDR_WORDS	3	/* family, then 16 bytes of address */
#define LINE_WORDS	(METRICS_LINE_BYTES / 8)

/* The SIGCHLD handler adds here: lock-free, or it would not be safe. */
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "atomic long long is lock-free");

struct shard {
	_Alignas(CACHE_LINE) atomic_ullong requests[METRICS_CLASSES]
			    [METRICS_METHODS];
	atomic_ullong	 timeouts[MT_KINDS];
	atomic_ullong	 signaled[METRICS_SIGNALS];
	atomic_ullong	 c[MC_COUNT];
};

struct row {
	_Alignas(CACHE_LINE) atomic_int taken;	/* the pid using it; 0: free */
	atomic_int	 state;
	atomic_llong	 since_ms;		/* conn_now_ms() */
	atomic_llong	 request_ms;
	atomic_llong	 bytes;
	atomic_ullong	 requests;
	atomic_ullong	 addr[ADDR_WORDS];	/* made text when read: a
						   child need not format it */
	atomic_ullong	 line[LINE_WORDS];
};

struct area {
	struct shard	 shard[METRICS_SHARDS];
	_Alignas(CACHE_LINE) atomic_uint next_shard;	/* for new threads */
	atomic_llong	 alive;
	long long	 start_sec;	/* set before the first fork */
	size_t		 rows;
	struct row	 row[];
};

static struct area *area;
static size_t area_bytes;
static const char *build_model = "";
static int build_tls;
static pid_t me;
static _Thread_local struct shard *mine;
static _Thread_local unsigned int row_hint;	/* this thread's rows */

/* Indexed as enum http_method, HTTP_OTHER last. */
static const char *const method_names[METRICS_METHODS] = {
	"GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "TRACE",
	"CONNECT", "PATCH", "other"
};
static const char *const timeout_names[MT_KINDS] = {
	"first_byte", "idle", "header", "send", "linger"
};
static const int signal_numbers[METRICS_SIGNALS - 1] = {
	SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGKILL, SIGTERM, SIGALRM
};
static const char *const signal_names[METRICS_SIGNALS] = {
	"SIGSEGV", "SIGBUS", "SIGABRT", "SIGFPE", "SIGILL", "SIGKILL",
	"SIGTERM", "SIGALRM", "other"
};
static const char *const state_names[MS_STATES] = {
	"free", "waiting", "reading", "writing", "keepalive", "closing"
};

int
metrics_init(size_t rows, const char *model, int tls)
{
	void *p;

	if (rows > METRICS_MAX_ROWS)
		rows = METRICS_MAX_ROWS;
	area_bytes = sizeof(struct area) + rows * sizeof(struct row);
	/* anonymous memory is zero: every counter 0, every row free */
	p = mmap(NULL, area_bytes, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	area = p;
	area->rows = rows;
	area->start_sec = (long long)time(NULL);
	build_model = model;
	build_tls = tls;
	me = getpid();
	return 0;
}

int
metrics_enabled(void)
{
	return area != NULL;
}

void
metrics_child(void)
{
	if (area == NULL)
		return;
	me = getpid();
	mine = &area->shard[(unsigned int)me % METRICS_SHARDS];
}

static struct shard *
shard(void)
{
	if (mine == NULL)
		mine = &area->shard[atomic_fetch_add_explicit(&area->next_shard,
		    1, memory_order_relaxed) % METRICS_SHARDS];
	return mine;
}

static void
add(atomic_ullong *c, unsigned long long n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

void
metrics_reply(int status, int method, long long bytes, int reused)
{
	struct shard *s;
	int k = status / 100 - 1;

	if (area == NULL)
		return;
	s = shard();
	if (k < 0 || k >= METRICS_CLASSES)
		k = METRICS_CLASSES - 1;
	if (method < 0 || method >= METRICS_METHODS)
		method = METRICS_METHODS - 1;
	add(&s->requests[k][method], 1);
	if (bytes > 0)
		add(&s->c[MC_SENT_BYTES], (unsigned long long)bytes);
	if (reused)
		add(&s->c[MC_KEEPALIVE], 1);
}

void
metrics_add(enum metrics_counter which, unsigned long long n)
{
	if (area != NULL)
		add(&shard()->c[which], n);
}

void
metrics_timeout(enum metrics_timeout kind)
{
	if (area != NULL)
		add(&shard()->timeouts[kind], 1);
}

void
metrics_signaled(int sig)
{
	size_t i;

	if (area == NULL)
		return;
	for (i = 0; i < METRICS_SIGNALS - 1 && signal_numbers[i] != sig; i++)
		;
	/* not shard(): a handler must not pick one on first use */
	add(&area->shard[0].signaled[i], 1);
}

void
metrics_set_alive(long long n)
{
	if (area != NULL)
		atomic_store_explicit(&area->alive, n, memory_order_relaxed);
}

/* --- the scoreboard --- */

static void
put_words(atomic_ullong *w, size_t nw, const char *s, size_t len)
{
	char buf[METRICS_LINE_BYTES];
	unsigned long long v;
	size_t i;

	memset(buf, 0, nw * 8);
	if (len > nw * 8 - 1)
		len = nw * 8 - 1;
	memcpy(buf, s, len);
	for (i = 0; i < nw; i++) {
		memcpy(&v, buf + i * 8, 8);
		atomic_store_explicit(&w[i], v, memory_order_relaxed);
	}
}

/* The words as text, every control byte a '?', NUL-terminated. */
static void
get_words(const atomic_ullong *w, size_t nw, char *out)
{
	unsigned long long v;
	size_t i;

	for (i = 0; i < nw; i++) {
		v = atomic_load_explicit(&w[i], memory_order_relaxed);
		memcpy(out + i * 8, &v, 8);
	}
	out[nw * 8 - 1] = '\0';
	for (i = 0; out[i] != '\0'; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
}

/* The client's address into a row's words, and out again. */
static void
put_addr(atomic_ullong *w, const struct sockaddr_storage *ss)
{
	unsigned char b[16];
	unsigned long long v;

	memset(b, 0, sizeof(b));
	if (ss->ss_family == AF_INET)
		memcpy(b, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	else if (ss->ss_family == AF_INET6)
		memcpy(b, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
	atomic_store_explicit(&w[0], ss->ss_family, memory_order_relaxed);
	memcpy(&v, b, 8);
	atomic_store_explicit(&w[1], v, memory_order_relaxed);
	memcpy(&v, b + 8, 8);
	atomic_store_explicit(&w[2], v, memory_order_relaxed);
}

static void
get_addr(const atomic_ullong *w, char *out, size_t size)
{
	struct sockaddr_storage ss;
	unsigned char b[16];
	unsigned long long v;

	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)atomic_load_explicit(&w[0],
	    memory_order_relaxed);
	v = atomic_load_explicit(&w[1], memory_order_relaxed);
	memcpy(b, &v, 8);
	v = atomic_load_explicit(&w[2], memory_order_relaxed);
	memcpy(b + 8, &v, 8);
	if (ss.ss_family == AF_INET)
		memcpy(&((struct sockaddr_in *)&ss)->sin_addr, b, 4);
	else if (ss.ss_family == AF_INET6)
		memcpy(&((struct sockaddr_in6 *)&ss)->sin6_addr, b, 16);
	peers_text(out, size, &ss);
}

int
metrics_row_take(const struct sockaddr_storage *peer)
{
	struct row *r;
	size_t i, k, start;
	int free_ = 0;

	if (area == NULL || area->rows == 0)
		return -1;
	/*
	 * Where this process (its pid) or thread (its own variable's
	 * address) last found one: the search touches no line that other
	 * processes write on every connection.
	 */
	start = (row_hint + (size_t)(unsigned int)me * 2654435761u +
	    ((uintptr_t)&row_hint >> 6)) % area->rows;
	for (k = 0; k < area->rows; k++) {
		i = (start + k) % area->rows;
		r = &area->row[i];
		free_ = 0;
		if (atomic_load_explicit(&r->taken, memory_order_relaxed) != 0 ||
		    !atomic_compare_exchange_strong(&r->taken, &free_, (int)me))
			continue;
		atomic_store_explicit(&r->state, MS_WAIT, memory_order_relaxed);
		atomic_store_explicit(&r->since_ms, conn_now_ms(),
		    memory_order_relaxed);
		atomic_store_explicit(&r->request_ms, 0, memory_order_relaxed);
		atomic_store_explicit(&r->bytes, 0, memory_order_relaxed);
		atomic_store_explicit(&r->requests, 0, memory_order_relaxed);
		put_addr(r->addr, peer);
		put_words(r->line, LINE_WORDS, "", 0);
		row_hint += (unsigned int)k + 1;
		return (int)i;
	}
	metrics_add(MC_UNLISTED, 1);
	return -1;
}

void
metrics_row_state(int row, enum metrics_state st)
{
	if (row >= 0)
		atomic_store_explicit(&area->row[row].state, (int)st,
		    memory_order_relaxed);
}

void
metrics_row_request(int row, const char *line, size_t len)
{
	struct row *r;

	if (row < 0)
		return;
	r = &area->row[row];
	put_words(r->line, LINE_WORDS, line, len);
	atomic_store_explicit(&r->request_ms, conn_now_ms(),
	    memory_order_relaxed);
	atomic_fetch_add_explicit(&r->requests, 1, memory_order_relaxed);
	atomic_store_explicit(&r->state, MS_WRITE, memory_order_relaxed);
}

void
metrics_row_client(int row, const struct sockaddr_storage *client)
{
	if (row >= 0)
		put_addr(area->row[row].addr, client);
}

void
metrics_row_bytes(int row, long long bytes)
{
	if (row >= 0)
		atomic_store_explicit(&area->row[row].bytes, bytes,
		    memory_order_relaxed);
}

void
metrics_row_put(int row)
{
	if (row >= 0)
		atomic_store_explicit(&area->row[row].taken, 0,
		    memory_order_release);
}

void
metrics_row_reaped(int row, pid_t pid)
{
	size_t i;
	int p;

	if (area == NULL)
		return;
	if (row >= 0 && (size_t)row < area->rows) {
		p = (int)pid;
		(void)atomic_compare_exchange_strong(&area->row[row].taken, &p,
		    0);
		return;
	}
	for (i = 0; i < area->rows; i++) {
		p = (int)pid;
		(void)atomic_compare_exchange_strong(&area->row[i].taken, &p, 0);
	}
}

/* --- reading --- */

static unsigned long long
load(const atomic_ullong *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

void
metrics_read(struct metrics_snapshot *s)
{
	const struct shard *sh;
	size_t i, k, m;

	memset(s, 0, sizeof(*s));
	s->version = PACKAGE_VERSION;
	s->model = build_model;
	s->tls = build_tls;
	if (area == NULL)
		return;
	s->start_sec = area->start_sec;
	s->alive = atomic_load_explicit(&area->alive, memory_order_relaxed);
	for (i = 0; i < METRICS_SHARDS; i++) {
		sh = &area->shard[i];
		for (k = 0; k < METRICS_CLASSES; k++)
			for (m = 0; m < METRICS_METHODS; m++)
				s->requests[k][m] += load(&sh->requests[k][m]);
		for (k = 0; k < MT_KINDS; k++)
			s->timeouts[k] += load(&sh->timeouts[k]);
		for (k = 0; k < METRICS_SIGNALS; k++)
			s->signaled[k] += load(&sh->signaled[k]);
		for (k = 0; k < MC_COUNT; k++)
			s->c[k] += load(&sh->c[k]);
	}
	for (i = 0; i < area->rows; i++)
		if (atomic_load_explicit(&area->row[i].taken,
		    memory_order_relaxed) != 0)
			s->clients++;
}

size_t
metrics_clients(struct metrics_client *c, size_t max, long long now_ms)
{
	const struct row *r;
	long long t;
	size_t i, n = 0;

	if (area == NULL)
		return 0;
	for (i = 0; i < area->rows && n < max; i++) {
		r = &area->row[i];
		if ((c[n].pid = atomic_load_explicit(&r->taken,
		    memory_order_acquire)) == 0)
			continue;
		c[n].state = (enum metrics_state)atomic_load_explicit(&r->state,
		    memory_order_relaxed);
		if ((unsigned int)c[n].state >= MS_STATES)
			c[n].state = MS_FREE;
		t = atomic_load_explicit(&r->since_ms, memory_order_relaxed);
		c[n].age_ms = now_ms > t ? now_ms - t : 0;
		t = atomic_load_explicit(&r->request_ms, memory_order_relaxed);
		c[n].request_ms = t == 0 ? -1 : now_ms > t ? now_ms - t : 0;
		c[n].bytes = atomic_load_explicit(&r->bytes,
		    memory_order_relaxed);
		c[n].requests = atomic_load_explicit(&r->requests,
		    memory_order_relaxed);
		get_addr(r->addr, c[n].peer, sizeof(c[n].peer));
		get_words(r->line, LINE_WORDS, c[n].line);
		n++;
	}
	return n;
}

/* --- the exposition format (pure) --- */

static void
head(struct outbuf *o, const char *name, const char *type, const char *help)
{
	outbuf_put_str(o, "# HELP ");
	outbuf_put_str(o, name);
	outbuf_put_char(o, ' ');
	outbuf_put_str(o, help);
	outbuf_put_str(o, "\n# TYPE ");
	outbuf_put_str(o, name);
	outbuf_put_char(o, ' ');
	outbuf_put_str(o, type);
	outbuf_put_char(o, '\n');
}

/* name{label="value"} v, without the label when label is NULL */
static void
sample(struct outbuf *o, const char *name, const char *label,
    const char *value, long long v)
{
	outbuf_put_str(o, name);
	if (label != NULL) {
		outbuf_put_char(o, '{');
		outbuf_put_str(o, label);
		outbuf_put_str(o, "=\"");
		outbuf_put_str(o, value);
		outbuf_put_str(o, "\"}");
	}
	outbuf_put_char(o, ' ');
	outbuf_put_signed(o, v, 0);
	outbuf_put_char(o, '\n');
}

static void
one(struct outbuf *o, const char *name, const char *type, const char *help,
    long long v)
{
	head(o, name, type, help);
	sample(o, name, NULL, NULL, v);
}

/* The counters as long long: the format prints them signed. */
static long long
ll(unsigned long long v)
{
	return v > (unsigned long long)LLONG_MAX ? LLONG_MAX : (long long)v;
}

void
metrics_format(struct outbuf *o, const struct metrics_snapshot *s)
{
	static const char *const classes[METRICS_CLASSES] = {
		"1xx", "2xx", "3xx", "4xx", "5xx"
	};
	size_t k, m;

	head(o, "forkhttpd_requests_total", "counter",
	    "Requests answered, by status class and method.");
	for (k = 0; k < METRICS_CLASSES; k++)
		for (m = 0; m < METRICS_METHODS; m++) {
			outbuf_put_str(o, "forkhttpd_requests_total{code=\"");
			outbuf_put_str(o, classes[k]);
			outbuf_put_str(o, "\",method=\"");
			outbuf_put_str(o, method_names[m]);
			outbuf_put_str(o, "\"} ");
			outbuf_put_signed(o, ll(s->requests[k][m]), 0);
			outbuf_put_char(o, '\n');
		}
	one(o, "forkhttpd_sent_bytes_total", "counter",
	    "Bytes of responses sent, heads and bodies.",
	    ll(s->c[MC_SENT_BYTES]));
	one(o, "forkhttpd_connections_accepted_total", "counter",
	    "Client connections accepted.", ll(s->c[MC_ACCEPTED]));
	one(o, "forkhttpd_connections_refused_total", "counter",
	    "Client connections answered 503 and closed: no room.",
	    ll(s->c[MC_REFUSED]));
	head(o, "forkhttpd_connections_timed_out_total", "counter",
	    "Connections closed at a deadline, by what they were doing.");
	for (k = 0; k < MT_KINDS; k++)
		sample(o, "forkhttpd_connections_timed_out_total", "kind",
		    timeout_names[k], ll(s->timeouts[k]));
	one(o, "forkhttpd_keepalive_requests_total", "counter",
	    "Requests after the first on a connection.",
	    ll(s->c[MC_KEEPALIVE]));
	one(o, "forkhttpd_clients", "gauge",
	    "Client connections open now.", s->clients);
	one(o, "forkhttpd_clients_unlisted_total", "counter",
	    "Clients the scoreboard had no row for.", ll(s->c[MC_UNLISTED]));
	one(o, "forkhttpd_children_forked_total", "counter",
	    "Children forked to serve clients (fork model).",
	    ll(s->c[MC_FORKED]));
	one(o, "forkhttpd_children_alive", "gauge",
	    "Children serving clients (fork model), or event-loop workers "
	    "(-w), now.", s->alive);
	head(o, "forkhttpd_children_signaled_total", "counter",
	    "Children and workers ended by a signal, by signal.");
	for (k = 0; k < METRICS_SIGNALS; k++)
		sample(o, "forkhttpd_children_signaled_total", "signal",
		    signal_names[k], ll(s->signaled[k]));
	one(o, "forkhttpd_fork_failures_total", "counter",
	    "Clients answered 503 because fork failed.",
	    ll(s->c[MC_FORK_FAILED]));
	one(o, "forkhttpd_worker_restarts_total", "counter",
	    "Event-loop workers (-w) started again after one ended.",
	    ll(s->c[MC_RESTARTS]));
	one(o, "forkhttpd_tls_handshakes_total", "counter",
	    "TLS handshakes completed.", ll(s->c[MC_TLS_DONE]));
	one(o, "forkhttpd_tls_handshake_failures_total", "counter",
	    "TLS handshakes that failed.", ll(s->c[MC_TLS_FAILED]));
	one(o, "forkhttpd_status_requests_total", "counter",
	    "Requests to the --status listener (counted nowhere else).",
	    ll(s->c[MC_STATUS_REQUESTS]));
	head(o, "forkhttpd_build_info", "gauge",
	    "The version, the process model and whether TLS is built in.");
	outbuf_put_str(o, "forkhttpd_build_info{version=\"");
	outbuf_put_str(o, s->version);
	outbuf_put_str(o, "\",model=\"");
	outbuf_put_str(o, s->model);
	outbuf_put_str(o, "\",tls=\"");
	outbuf_put_str(o, s->tls ? "yes" : "no");
	outbuf_put_str(o, "\"} 1\n");
	one(o, "process_start_time_seconds", "gauge",
	    "Start time of the process since the Unix epoch in seconds.",
	    s->start_sec);
}

/* --- the page (pure) --- */

static void
put_html(struct outbuf *o, const char *s)
{
	char buf[METRICS_LINE_BYTES * 6];

	if (listing_html_escape(buf, sizeof(buf), s) >= 0)
		outbuf_put_str(o, buf);
	else
		o->cut = 1;
}

/* ms as seconds with one decimal */
static void
put_seconds(struct outbuf *o, long long ms)
{
	outbuf_put_signed(o, ms / 1000, 0);
	outbuf_put_char(o, '.');
	outbuf_put_digits(o, (unsigned long long)(ms % 1000) / 100, 1);
}

/* A cell: its text, escaped for HTML unless text. */
static void
cell(struct outbuf *o, const char *s, int text)
{
	if (text) {
		outbuf_put_str(o, s);
		outbuf_put_char(o, '\t');
		return;
	}
	outbuf_put_str(o, "<td>");
	put_html(o, s);
	outbuf_put_str(o, "</td>");
}

static void
cell_number(struct outbuf *o, long long v, int text)
{
	if (!text)
		outbuf_put_str(o, "<td>");
	outbuf_put_signed(o, v, 0);
	outbuf_put_str(o, text ? "\t" : "</td>");
}

static void
cell_seconds(struct outbuf *o, long long ms, int text)
{
	if (!text)
		outbuf_put_str(o, "<td>");
	if (ms < 0)
		outbuf_put_char(o, '-');
	else
		put_seconds(o, ms);
	outbuf_put_str(o, text ? "\t" : "</td>");
}

static void
summary(struct outbuf *o, const struct metrics_snapshot *s, long long now,
    int text)
{
	unsigned long long total = 0;
	size_t k, m;

	for (k = 0; k < METRICS_CLASSES; k++)
		for (m = 0; m < METRICS_METHODS; m++)
			total += s->requests[k][m];
	outbuf_put_str(o, text ? "" : "<p>");
	outbuf_put_str(o, "forkhttpd ");
	outbuf_put_str(o, s->version);
	outbuf_put_str(o, ", ");
	outbuf_put_str(o, s->model);
	outbuf_put_str(o, " model; up ");
	outbuf_put_signed(o, now > s->start_sec ? now - s->start_sec : 0, 0);
	outbuf_put_str(o, " s; ");
	outbuf_put_signed(o, ll(total), 0);
	outbuf_put_str(o, " requests, ");
	outbuf_put_signed(o, ll(s->c[MC_SENT_BYTES]), 0);
	outbuf_put_str(o, " bytes sent, ");
	outbuf_put_signed(o, ll(s->c[MC_ACCEPTED]), 0);
	outbuf_put_str(o, " connections accepted, ");
	outbuf_put_signed(o, ll(s->c[MC_REFUSED]), 0);
	outbuf_put_str(o, " refused; ");
	outbuf_put_signed(o, s->clients, 0);
	outbuf_put_str(o, s->clients == 1 ? " client now" : " clients now");
	outbuf_put_str(o, text ? ".\n\n" : ".</p>\n");
}

void
metrics_format_page(struct outbuf *o, const struct metrics_snapshot *s,
    const struct metrics_client *c, size_t n, long long now, int text)
{
	static const char *const cols[] = {
		"pid", "client", "state", "age (s)", "request age (s)",
		"requests", "bytes sent", "request"
	};
	size_t i, k;

	if (!text)
		outbuf_put_str(o, "<!doctype html>\n<html><head>"
		    "<meta charset=\"utf-8\"><title>forkhttpd status</title>"
		    "<style>td,th{padding:0 .6em;text-align:left}</style>"
		    "</head><body>\n<h1>forkhttpd status</h1>\n");
	summary(o, s, now, text);
	outbuf_put_str(o, text ? "" : "<table>\n<tr>");
	for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
		if (text) {
			outbuf_put_str(o, cols[k]);
			outbuf_put_char(o, k + 1 < sizeof(cols) /
			    sizeof(cols[0]) ? '\t' : '\n');
		} else {
			outbuf_put_str(o, "<th>");
			outbuf_put_str(o, cols[k]);
			outbuf_put_str(o, "</th>");
		}
	}
	outbuf_put_str(o, text ? "" : "</tr>\n");
	for (i = 0; i < n; i++) {
		outbuf_put_str(o, text ? "" : "<tr>");
		cell_number(o, (long long)c[i].pid, text);
		cell(o, c[i].peer, text);
		cell(o, metrics_state_name(c[i].state), text);
		cell_seconds(o, c[i].age_ms, text);
		cell_seconds(o, c[i].request_ms, text);
		cell_number(o, ll(c[i].requests), text);
		cell_number(o, c[i].bytes, text);
		if (text) {
			outbuf_put_str(o, c[i].line);
			outbuf_put_char(o, '\n');
		} else {
			cell(o, c[i].line, 0);
			outbuf_put_str(o, "</tr>\n");
		}
	}
	if (!text)
		outbuf_put_str(o, "</table>\n<p><a href=\"/metrics\">metrics"
		    "</a> &middot; <a href=\"/?text\">as text</a></p>\n"
		    "</body></html>\n");
}

const char *
metrics_state_name(enum metrics_state st)
{
	return (unsigned int)st < MS_STATES ? state_names[st] : "?";
}
