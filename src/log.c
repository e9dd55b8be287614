/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An access-log line is built whole in a buffer and written with a single
 * write(2) to an O_APPEND descriptor, so lines from concurrent children or
 * threads never interleave.  Month names are http_date.c's: strftime's %b
 * would follow the locale, and log tools expect English.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/un.h>
#ifndef _PATH_LOG
#define _PATH_LOG	"/dev/log"
#endif
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "http.h"
#include "log.h"
#include "number.h"
#include "outbuf.h"

/* Set once at start-up, before any fork or thread; read-only after. */
static int use_syslog;
static char access_path[1024];		/* for reopening; "" if none */
static int (*reopen_fn)(void);		/* the opener's way to it */
static uid_t log_owner = (uid_t)-1;	/* of a log file made as root */
static int access_fd = -1;
static int error_fd = -1;		/* --error-log, once in use */
static const char *error_path;
static int (*error_reopen_fn)(void);

/* Access-log lines not yet written: each thread (or process) has its own. */
static _Thread_local char pending[LOG_BUFFER_BYTES];
static _Thread_local size_t pending_len;
static _Thread_local long long pending_due_ms;	/* held lines due; 0: none */

/*
 * A forked child may hold its lines LOG_HOLD_MS (log_hold_lines): on a
 * kept-alive connection that turns a write(2) per request into one per
 * buffer.  Its stop signals write them (log_flush_at_signal): signal
 * fences order the buffer's bytes before pending_len, which says how many
 * are whole lines, so a handler never writes part of one, nor one twice.
 */
static int hold_fd = -1;

/*
 * A request field, escaped: a quote or backslash as \" or \\, a control
 * or non-ASCII byte as \xHH, and in a word (an unquoted field) a space or
 * bracket as \xHH too.  An escape is never split: the field stops before
 * the first one that does not fit.
 */
static void
put_escaped(struct outbuf *o, struct span s, int word)
{
	size_t i;
	char *at;

	for (i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];

		if (c == '"' || c == '\\') {
			if ((at = outbuf_reserve(o, 2)) == NULL)
				return;
			at[0] = '\\';
			at[1] = (char)c;
		} else if (c < 0x20 || c >= 0x7f || (word && (c == ' ' ||
		    c == '[' || c == ']'))) {
			if ((at = outbuf_reserve(o, 4)) == NULL)
				return;
			at[0] = '\\';
			at[1] = 'x';
			at[2] = number_hex_lower[c >> 4];
			at[3] = number_hex_lower[c & 15];
		} else
			outbuf_put_char(o, (char)c);
	}
}

/*
 * A quoted field, "-" when absent, ending before o->p + end; both quotes
 * always fit.  Leaves o->size at end.
 */
static void
put_quoted(struct outbuf *o, size_t end, struct span s)
{
	o->size = end - 1;
	outbuf_put_char(o, '"');
	if (s.p == NULL)
		outbuf_put_char(o, '-');
	else
		put_escaped(o, s, 0);
	o->size = end;
	outbuf_put_char(o, '"');
}

/*
 * Formatted by hand, not with snprintf and gmtime_r: this runs for every
 * request.  Each field is cut to leave room for the ones after it: the
 * host to 64 bytes; the user to LOG_USER_BYTES; the date and request to
 * all but 48 bytes (for the status, the byte count and the newline),
 * the user leaving the date 40 of those; in the Combined format the
 * request to half of what is left after the date, the referer to half of
 * what is left after that.  The line always ends in a newline.
 */
static size_t	format_clf(char *buf, size_t size, const struct log_entry *e);

size_t
log_format_clf(char *buf, size_t size, const struct log_entry *e)
{
	struct outbuf o;

	if (e->vhost.p == NULL)
		return format_clf(buf, size, e);
	outbuf_init(&o, buf, LOG_VHOST_BYTES - 7);	/* ":65535 " */
	if (e->vhost.n > 0)
		put_escaped(&o, e->vhost, 0);
	else
		outbuf_put_char(&o, '-');
	o.size = LOG_VHOST_BYTES;
	outbuf_put_char(&o, ':');
	outbuf_put_digits(&o, e->port, 0);
	outbuf_put_char(&o, ' ');
	return o.len + format_clf(buf + o.len, size - o.len, e);
}

static size_t
format_clf(char *buf, size_t size, const struct log_entry *e)
{
	long long shifted = (long long)e->when + e->utc_offset_sec;
	long long days = shifted / 86400, secs = shifted % 86400, y;
	long zone = e->utc_offset_sec / 60;
	unsigned long zone_abs = (unsigned long)(zone < 0 ? -zone : zone);
	/* room kept for the last fields, --log-tls and --log-peer */
	size_t tls = (e->tls.p != NULL ? LOG_TLS_BYTES : 0) +
	    (e->peer.p != NULL ? LOG_PEER_BYTES : 0);
	size_t limit = size - 48 - tls, room, user_at, end;
	struct outbuf o;
	int m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	http_civil_from_days(days, &y, &m, &d);
	outbuf_init(&o, buf, 64);
	outbuf_put_str(&o, e->host != NULL && *e->host ? e->host : "-");
	o.size = limit;
	outbuf_put_mem(&o, " - ", 3);
	/* the user, cut to leave the date and the request's quotes room */
	user_at = o.len;
	if (e->user.p != NULL) {
		end = o.len + LOG_USER_BYTES;
		if (end > limit - 40)
			end = limit - 40;
		o.size = end > o.len ? end : o.len;
		if (e->user.n == 1 && e->user.p[0] == '-')
			outbuf_put_mem(&o, "\\x2d", 4);	/* not "none" */
		else
			put_escaped(&o, e->user, 1);
		o.size = limit;
	}
	if (o.len == user_at)
		outbuf_put_char(&o, '-');
	outbuf_put_mem(&o, " [", 2);
	outbuf_put_digits(&o, (unsigned)d, 2);
	outbuf_put_char(&o, '/');
	outbuf_put_mem(&o, http_months[m - 1], 3);
	outbuf_put_char(&o, '/');
	outbuf_put_signed(&o, y, 4);
	outbuf_put_char(&o, ':');
	outbuf_put_digits(&o, (unsigned long long)secs / 3600, 2);
	outbuf_put_char(&o, ':');
	outbuf_put_digits(&o, (unsigned long long)secs / 60 % 60, 2);
	outbuf_put_char(&o, ':');
	outbuf_put_digits(&o, (unsigned long long)secs % 60, 2);
	outbuf_put_mem(&o, zone < 0 ? " -" : " +", 2);
	outbuf_put_digits(&o, zone_abs / 60 * 100 + zone_abs % 60, 4);
	outbuf_put_mem(&o, "] ", 2);

	room = limit - o.len;
	if (e->combined)
		room /= 2;
	put_quoted(&o, o.len + room, e->request);
	o.size = size - 1 - tls;
	outbuf_put_char(&o, ' ');
	outbuf_put_digits(&o, (unsigned)e->status, 0);
	outbuf_put_char(&o, ' ');
	if (e->bytes > 0)
		outbuf_put_digits(&o, (unsigned long long)e->bytes, 0);
	else
		outbuf_put_char(&o, '-');
	if (e->combined) {
		room = (size - 8 - tls - o.len) / 2;
		outbuf_put_char(&o, ' ');
		put_quoted(&o, o.len + room, e->referer);
		o.size = size - 1 - tls;
		outbuf_put_char(&o, ' ');
		put_quoted(&o, size - 1 - tls, e->user_agent);
	}
	if (e->tls.p != NULL) {
		o.size = size - 1 - (e->peer.p != NULL ? LOG_PEER_BYTES : 0);
		outbuf_put_char(&o, ' ');
		put_quoted(&o, o.size, e->tls);
	}
	if (e->peer.p != NULL) {
		o.size = size - 1;
		outbuf_put_char(&o, ' ');
		put_quoted(&o, size - 1, e->peer);
	}
	o.size = size;
	outbuf_put_char(&o, '\n');
	return o.len;
}

long
log_utc_offset(time_t t)
{
	struct tm lt, ut;
	long d;

	if (localtime_r(&t, &lt) == NULL || gmtime_r(&t, &ut) == NULL)
		return 0;
	d = (lt.tm_hour - ut.tm_hour) * 3600L + (lt.tm_min - ut.tm_min) * 60L;
	/* local and UTC may fall on different days */
	if (lt.tm_year != ut.tm_year)
		d += lt.tm_year > ut.tm_year ? 86400L : -86400L;
	else if (lt.tm_yday != ut.tm_yday)
		d += lt.tm_yday > ut.tm_yday ? 86400L : -86400L;
	return d;
}

int
log_write_line(int fd, const char *line, size_t len)
{
	ssize_t n;

	/* one write is the rule; a short one (a full disk) gets the rest */
	while (len > 0) {
		if ((n = write(fd, line, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return -1;
		line += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * One line of --error-log: the local time, the pid and the message, in one
 * write(2) to a file opened for appending, so processes never mix lines.
 */
static void
error_line(const char *msg, size_t len)
{
	char line[1200];
	struct tm tm;
	time_t t = time(NULL);
	size_t n = 0;
	int k;

	if (localtime_r(&t, &tm) != NULL)
		n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%S%z ", &tm);
	k = snprintf(line + n, sizeof(line) - n, "[%ld] %.*s", (long)getpid(),
	    (int)len, msg);
	if (k < 0)
		return;
	n += (size_t)k < sizeof(line) - n ? (size_t)k : sizeof(line) - n - 1;
	if (line[n - 1] != '\n')
		line[n - 1] = '\n';
	(void)log_write_line(error_fd, line, n);
}

static void
vwarn(int with_errno, const char *fmt, va_list ap)
{
	char buf[1024];
	int saved = errno, n, m;

	n = snprintf(buf, sizeof(buf), "%s: ", PACKAGE_NAME);
	m = vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	if (m < 0)
		m = 0;
	n = (size_t)(n + m) >= sizeof(buf) ? (int)sizeof(buf) - 1 : n + m;
	if (with_errno)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, ": %s",
		    strerror(saved));
	if ((size_t)n >= sizeof(buf) - 1)
		n = (int)sizeof(buf) - 2;
	if (error_fd >= 0) {
		buf[n++] = '\n';
		error_line(buf, (size_t)n);
	} else if (use_syslog) {
		buf[n] = '\0';
		/* syslog adds the program name itself */
		syslog(LOG_NOTICE, "%s", buf + strlen(PACKAGE_NAME) + 2);
	} else {
		buf[n++] = '\n';
		(void)log_write_line(STDERR_FILENO, buf, (size_t)n);
	}
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(1, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(0, fmt, ap);
	va_end(ap);
}

/*
 * The log is opened as root: a link in its place, planted by whoever may
 * write that directory, must not choose which file root appends to (or
 * creates), and a FIFO nobody reads must not hang start-up.  A regular
 * file, a FIFO with a reader or a character device (/dev/null) will do.
 * A new file is 0640, of group adm where there is one, as Debian's logs
 * are: readable by those who read logs, not by everyone.
 */
int
log_open_file(const char *path)
{
	struct stat st;
	struct group *adm;
	int fd, fl, created = 1;

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOCTTY | O_NOFOLLOW | O_NONBLOCK, LOG_FILE_MODE);
	if (fd < 0 && errno == EEXIST) {
		created = 0;
		fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY |
		    O_NOFOLLOW | O_NONBLOCK);
	}
	if (fd < 0)
		return -1;
	/* as nginx gives the files it reopens to its workers' user */
	if (created && geteuid() == 0 && ((adm = getgrnam(LOG_GROUP)) != NULL ||
	    log_owner != (uid_t)-1) && fchown(fd, log_owner, adm != NULL ?
	    adm->gr_gid : (gid_t)-1) != 0)
		log_warn("cannot give %s to its owner and group %s", path,
		    LOG_GROUP);
	/* a hard link too is someone else's choice of file */
	if (fstat(fd, &st) != 0 || !((S_ISREG(st.st_mode) &&
	    st.st_nlink == 1) || S_ISFIFO(st.st_mode) ||
	    S_ISCHR(st.st_mode)) ||
	    (fl = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
		(void)close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

int
log_open_access(struct config *cfg, const char *root, char *err,
    size_t errsize)
{
	const char *path = cfg->logfile;
	size_t rlen;
	int fd;

	cfg->access_log_fd = -1;
	cfg->access_syslog = 0;
	if (path == NULL)
		return 0;
	if (strcmp(path, "-") == 0) {
		cfg->access_log_fd = STDOUT_FILENO;
		return 0;
	}
	if (strcmp(path, "syslog") == 0) {
		cfg->access_syslog = 1;
		openlog(PACKAGE_NAME, LOG_PID | LOG_NDELAY, LOG_DAEMON);
		return 0;
	}
	if ((fd = log_open_file(path)) < 0) {
		(void)snprintf(err, errsize, "cannot open log file %s: %s",
		    path, errno == ELOOP ? "it is a symbolic link" :
		    errno == EINVAL ? "not a file (with one link), FIFO or "
		    "device" :
		    strerror(errno));
		return -1;
	}
	/* after chroot the file is found by its name inside the new root */
	rlen = root != NULL ? strlen(root) : 0;
	while (rlen > 1 && root[rlen - 1] == '/')
		rlen--;
	if (rlen > 1 && strncmp(path, root, rlen) == 0 && path[rlen] == '/')
		path += rlen;
	(void)snprintf(access_path, sizeof(access_path), "%s", path);
	access_fd = cfg->access_log_fd = fd;
	return 0;
}

int
log_access_enabled(const struct config *cfg)
{
	return cfg->access_log_fd >= 0 || cfg->access_syslog;
}

void
log_access(const struct config *cfg, const char *line, size_t len)
{
	if (cfg->access_syslog) {
		/* one datagram per line: atomic by construction */
		syslog(LOG_INFO, "%.*s", (int)(len > 0 ? len - 1 : 0), line);
		return;
	}
	if (cfg->access_log_fd < 0)
		return;
	if (pending_len + len > sizeof(pending))
		log_flush(cfg);
	if (len > sizeof(pending)) {
		(void)log_write_line(cfg->access_log_fd, line, len);
		return;
	}
	memcpy(pending + pending_len, line, len);
	/* a signal handler sees the line whole, or not at all */
	atomic_signal_fence(memory_order_seq_cst);
	pending_len += len;
}

void
log_flush(const struct config *cfg)
{
	size_t len = pending_len;

	if (len == 0)
		return;
	/* a signal during the write must not write the lines again */
	pending_len = 0;
	pending_due_ms = 0;
	atomic_signal_fence(memory_order_seq_cst);
	if (cfg->access_log_fd >= 0)
		(void)log_write_line(cfg->access_log_fd, pending, len);
	atomic_signal_fence(memory_order_seq_cst);
}

void
log_hold_lines(const struct config *cfg)
{
	hold_fd = cfg->access_syslog ? -1 : cfg->access_log_fd;
}

int
log_before_wait(const struct config *cfg, long long now_ms, int *timeout_ms)
{
	long long left;

	if (pending_len == 0)
		return 0;
	if (hold_fd >= 0 && pending_due_ms == 0)
		pending_due_ms = now_ms + LOG_HOLD_MS;
	if (hold_fd < 0 || (left = pending_due_ms - now_ms) <= 0) {
		log_flush(cfg);
		return 0;
	}
	if (*timeout_ms >= 0 && left >= *timeout_ms)
		return 0;	/* the lines go when the wait ends */
	*timeout_ms = (int)left;
	return 1;
}

void
log_flush_at_signal(void)
{
	size_t len = pending_len;

	if (hold_fd < 0 || len == 0)
		return;
	pending_len = 0;	/* a second signal writes nothing */
	atomic_signal_fence(memory_order_seq_cst);
	(void)log_write_line(hold_fd, pending, len);
}

void
log_set_owner(uid_t uid)
{
	log_owner = uid;
}

void
log_reopen_with(int (*fn)(void))
{
	reopen_fn = fn;
}

void
log_reopen_access(void)
{
	int fd;

	if (access_fd < 0 || access_path[0] == '\0')
		return;
	if ((fd = reopen_fn != NULL ? reopen_fn() :
	    log_open_file(access_path)) < 0) {
		log_warn("cannot reopen log file %s", access_path);
		return;
	}
	/* dup2 keeps the number: every worker keeps writing to "the log" */
	if (dup2(fd, access_fd) < 0 ||
	    fcntl(access_fd, F_SETFD, FD_CLOEXEC) == -1)
		log_warn("cannot reopen log file %s", access_path);
	(void)close(fd);
}

void
log_use_error_file(int fd, const char *path, int (*reopen)(void))
{
	error_fd = fd;
	error_path = path;
	error_reopen_fn = reopen;
}

void
log_reopen_error(void)
{
	int fd;

	if (error_fd < 0)
		return;
	if ((fd = error_reopen_fn != NULL ? error_reopen_fn() :
	    log_open_file(error_path)) < 0) {
		log_warn("cannot reopen the error log %s", error_path);
		return;
	}
	if (dup2(fd, error_fd) < 0 ||
	    fcntl(error_fd, F_SETFD, FD_CLOEXEC) == -1)
		log_warn("cannot reopen the error log %s", error_path);
	(void)close(fd);
}

int
log_syslog_listens(void)
{
	struct sockaddr_un sa;
	int s, ok;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, _PATH_LOG, sizeof(_PATH_LOG));
	if ((s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return 0;
	ok = connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	(void)close(s);
	return ok;
}

void
log_use_syslog(void)
{
	openlog(PACKAGE_NAME, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	use_syslog = 1;
}
