/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Access-log lines (formatting is pure) and the server's own diagnostics.
 * log_warn() and friends go to stderr; they save and restore errno, so they
 * can sit between a failing call and the code that reads its errno.
 */
#ifndef FORKHTTPD_LOG_H
#define FORKHTTPD_LOG_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "conf.h"
#include "span.h"

#define MAX_LOG_LINE_BYTES	4096	/* longer fields are cut */
#define LOG_BUFFER_BYTES	4096	/* PIPE_BUF on Linux: writes stay atomic */
#define LOG_HOLD_MS		100	/* a forked child's lines wait at most */
#define LOG_FILE_MODE		0640	/* a log file forkhttpd creates */
#define LOG_GROUP		"adm"	/* ... and its group, if there is one */

struct log_entry {
	const char	*host;		/* client address as text */
	struct span	 user;		/* --auth: the user, or p NULL */
	time_t		 when;
	long		 utc_offset_sec; /* of when, east of Greenwich */
	struct span	 request;	/* the request line as received */
	int		 status;
	long long	 bytes;		/* body bytes sent */
	struct span	 referer;	/* p NULL: not sent */
	struct span	 user_agent;
	int		 combined;	/* add Referer and User-Agent */
	struct span	 tls;		/* --log-tls: "http", or "https",
					   the protocol and the cipher; p
					   NULL: no such field */
	struct span	 peer;		/* --log-peer: the address that
					   connected; p NULL: no such field */
	struct span	 vhost;		/* --log-vhost: the host, n 0 for
					   "-"; p NULL: no such field */
	unsigned	 port;		/* ... and the port it came to */
};

#define LOG_TLS_BYTES		72	/* the --log-tls field at most */
#define LOG_PEER_BYTES		72	/* the --log-peer field at most */
#define LOG_VHOST_BYTES		128	/* the --log-vhost field, its ':',
					   port and space, at most */
#define LOG_USER_BYTES		1024	/* the user field at most: the
					   longest name (255 bytes), every
					   byte escaped */

/*
 * Format one Common (or Combined) Log Format line, ending in '\n', into buf.
 * Quotes, backslashes, control and non-ASCII bytes in the request fields are
 * written as \" \\ and \xHH; fields that do not fit are cut, never the
 * line's end.  The user (e->user, "-" when absent) is escaped likewise, and
 * a space or bracket in it too, so that it stays one word, and a user
 * named "-" as \x2d; it is cut to LOG_USER_BYTES.  With e->tls, that
 * field comes next, quoted (--log-tls), and then with e->peer that one,
 * quoted (--log-peer).
 * With e->vhost, "host:port " comes first, as in Apache's vhost_combined
 * (goaccess --log-format=VCOMBINED), the host escaped likewise and cut
 * to leave LOG_VHOST_BYTES for the three.  Returns the length.  size must
 * be at least 256, and LOG_VHOST_BYTES more with e->vhost.
 */
size_t	log_format_clf(char *buf, size_t size, const struct log_entry *e);

/* Seconds east of UTC of local time at t (reads the time zone). */
long	log_utc_offset(time_t t);

/* Write the whole line with one write(2); 0 or -1 with errno. */
int	log_write_line(int fd, const char *line, size_t len);

/*
 * At start-up: open the access log cfg->logfile names ("-" for standard
 * output, "syslog", or a file opened O_APPEND) into cfg.  root is the
 * chroot directory that will be entered, or NULL: a reopen after chroot
 * looks for the file inside it.  0, or -1 with a reason in err.
 */
int	log_open_access(struct config *cfg, const char *root, char *err,
	    size_t errsize);

/*
 * Open path for appending log lines, as root may: O_APPEND, created 0644
 * when missing, never through a symbolic link (ELOOP), and only a regular
 * file with one link, a FIFO with a reader or a character device (else
 * EINVAL).  The descriptor is blocking and close-on-exec; -1 with errno.
 * privsep.c opens logs this same way.
 */
int	log_open_file(const char *path);

/* Does cfg log requests at all? */
int	log_access_enabled(const struct config *cfg);

/*
 * Log one formatted access-log line to cfg's access log.  Lines to a file
 * or standard output wait in a buffer of LOG_BUFFER_BYTES (one per thread)
 * until log_flush(): whole lines, one write(2) at most PIPE_BUF long, so
 * that lines from several processes never mix, even on a pipe.
 */
void	log_access(const struct config *cfg, const char *line, size_t len);

/* Write the lines log_access() keeps now; call at the end. */
void	log_flush(const struct config *cfg);

/*
 * In a process that serves one client and then exits (a forked child):
 * from now on lines may be held up to LOG_HOLD_MS across waits.
 */
void	log_hold_lines(const struct config *cfg);

/*
 * Call before waiting up to *timeout_ms (-1: for ever) for a client; now_ms
 * is the monotonic clock.  Writes the kept lines, or, where they may be held
 * (LOG_HOLD_MS from the first wait) and are not yet due, shortens
 * *timeout_ms to when they are and returns 1: a wait that then times out is
 * not the client's timeout, and the next call writes them.
 */
int	log_before_wait(const struct config *cfg, long long now_ms,
	    int *timeout_ms);

/* From a handler of a signal that ends the process: write held lines. */
void	log_flush_at_signal(void);

/*
 * SIGHUP: reopen the access-log file by its name onto the same descriptor,
 * so children and threads need not know (for logrotate).  Keeps the old
 * file, with a warning, if the new one cannot be opened.
 */
void	log_reopen_access(void);

/*
 * Reopen the access log with fn instead, which returns a descriptor or -1
 * with errno: the opener's privsep_open(), once root is given up.
 */
void	log_reopen_with(int (*fn)(void));

/* A log file created as root is given to uid (the serving user). */
void	log_set_owner(uid_t uid);

/* From now on diagnostics go to syslog (LOG_DAEMON), not stderr. */
/*
 * --error-log: diagnostics to fd from now on, a line each with the time
 * and pid; SIGHUP's log_reopen_error() opens path again onto it, with
 * reopen when not NULL (the opener).
 */
void	log_use_error_file(int fd, const char *path, int (*reopen)(void));
void	log_reopen_error(void);

/* Does a syslog daemon listen (_PATH_LOG, /dev/log)? */
int	log_syslog_listens(void);

void	log_use_syslog(void);

void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* FORKHTTPD_LOG_H */
