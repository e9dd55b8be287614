/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * struct config, the exit statuses and every limit forkhttpd enforces.  The
 * config is built once by options_parse() and start-up, then only read:
 * children inherit it through fork and threads share it, so nothing may
 * write to it after start-up.
 */
#ifndef FORKHTTPD_CONF_H
#define FORKHTTPD_CONF_H

#include <stddef.h>
#include <time.h>

#include "proxy.h"

/* Exit statuses, as documented in forkhttpd(8). */
#define EXIT_STARTUP	1	/* could not start: bind, docroot, ... */
#define EXIT_USAGE	2	/* bad command line */

/* -m: the models model.c has, for --help. */
#define MODEL_NAMES		"fork, thread, single, event"

/* Request limits: a client that exceeds one gets the status in brackets. */
#define MAX_REQUEST_LINE_BYTES	8192	/* request line [414] */
#define MAX_HEADER_LINE_BYTES	8192	/* one header field line [431] */
#define MAX_HEADER_BYTES	16384	/* whole request head [431]; the
					   connection's input buffer */
#define MAX_HEADER_COUNT	100	/* header field lines [431] */
#define MAX_LIST_FIELD_LINES	8	/* lines of If-Match, If-None-Match
					   [431] */
#define MAX_PATH_BYTES		4096	/* decoded path [414] */

/* Ranges: more, or a larger multipart body, get the whole file [200]. */
#define MAX_RANGES		16	/* ranges in one multipart reply */
#define MAX_MULTIPART_BYTES	(1 << 20) /* built in memory */

/* Response limits. */
#define MAX_RESPONSE_HEAD_BYTES	3072	/* status line and header fields:
					   room for a long Location and every
					   --header */
#define MAX_ERROR_PAGE_BYTES	65536	/* a site's error page, read at start */
#define MAX_ERROR_PAGES		17	/* NNN.html for the statuses we send,
					   and 50x.html */

/* Defaults. */
#define DEFAULT_PORT		"8080"
#define DEFAULT_IDLE_TIMEOUT_SEC 5	/* -T: keep-alive wait for a request */
#define DEFAULT_HEADER_TIMEOUT_SEC 10	/* a whole request head, in total */
#define DEFAULT_SEND_TIMEOUT_SEC 30	/* between two successful writes */
#define MAX_TIMEOUT_SEC		86400
#define DEFAULT_MAX_CLIENTS	1024	/* -c: then idle ones are closed,
					   and then 503 */
#define FIRST_BYTE_TIMEOUT_SEC	3	/* a new connection's first byte,
					   when -T is not shorter */
#define RECLAIM_SLACK		64	/* clients over -c while the idle ones
					   closed for them are leaving */
#define MAX_MAX_CLIENTS		65536
#define DEFAULT_CHILD_DEADLINE_SEC 3600	/* a child is killed after this */
#define DEFAULT_GRACE_SEC	5	/* SIGTERM: clients in flight may finish */
#define MAX_WORKERS		256	/* -w */
#define LISTEN_BACKLOG		1024
#define MAX_ADDRESSES		8	/* -a options */
#define MAX_LISTENERS		8	/* sockets one -a name may resolve to,
					   for -p and again for --tls-port */
#define MAX_SOCKETS		32	/* listening sockets in all */
#define ACCEPT_BACKOFF_MSEC	100	/* pause after EMFILE/ENFILE/ENOBUFS */

/* --status */
#define STATUS_MAX_CLIENTS	4	/* its clients at once (per worker);
					   then 503, whatever the site's load */
#define MAX_STATUS_HOST_BYTES	256	/* ADDRESS of ADDRESS:PORT */
#define MAX_STATUS_PORT_BYTES	8

/* HTTPS */
#define MAX_TLS_PAIRS		16	/* --tls-cert/--tls-key pairs */
#define MAX_PEM_BYTES		(1 << 20) /* a certificate chain or key file */
#define MAX_HSTS_SEC		(10LL * 366 * 86400)
#define TLS_TICKET_PERIOD_SEC	3600	/* a ticket key issues this long, and
					   is accepted as long again */
#define TLS_FAILURE_REPORT_SEC	60	/* failed handshakes: a line at most
					   this often */

/* Behind a proxy */
#define MAX_TRUSTED_PROXIES	32	/* --trusted-proxy networks */
#define MAX_PROXY_HEADER_BYTES	4096	/* a PROXY v2 header with its TLVs;
					   longer ones are closed */
#define MAX_FORWARDED_HOPS	32	/* addresses in X-Forwarded-For or
					   Forwarded; more: not used */

/* Passwords (--auth) */
#define MAX_AUTH_RULES		8	/* --auth options */
#define MAX_AUTH_FILE_BYTES	(1 << 20) /* one password file */
#define MAX_AUTH_USERS		4096	/* entries in one password file */
#define MAX_AUTH_HEADER_BYTES	1024	/* an Authorization field [431] */
#define MAX_AUTH_FAILURES	3	/* refused credentials on one
					   connection; then it is closed */

/* What answers carry: --header, --max-age, --charset, --mime-types */
#define MAX_EXTRA_HEADERS	16	/* --header options */
#define MAX_EXTRA_HEADER_BYTES	1024	/* all of them, as sent */
#define MAX_MAX_AGE_SEC		(10LL * 366 * 86400)
#define MAX_CHARSET_BYTES	40	/* --charset NAME */
#define DEFAULT_CHARSET		"utf-8"
#define MAX_MIME_FILE_BYTES	(1 << 20) /* a --mime-types file */
#define MAX_MIME_LINE_BYTES	1024	/* one line of it */
#define MAX_MIME_ENTRIES	8192	/* extensions in it */

#ifndef DEFAULT_DOCROOT
#define DEFAULT_DOCROOT		"/usr/local/share/forkhttpd/html"
#endif

struct mime_map;

struct config {
	const char	*port;		/* -p: service name or number */
	const char	*address[MAX_ADDRESSES]; /* -a, each */
	int		 addresses;	/* how many; 0 means every address */
	const char	*docroot;	/* -d: as given, for messages */
	int		 docroot_fd;	/* opened once at start-up */
	int		 foreground;	/* -D */
	int		 idle_timeout_sec; /* -T */
	int		 header_timeout_sec;
	int		 send_timeout_sec;
	int		 max_clients;	/* -c */
	int		 max_per_address; /* --max-per-address; 0: no limit;
					   -1: model_per_address() decides */
	int		 child_deadline_sec; /* 0: none */
	int		 grace_sec;	/* --grace */
	int		 workers;	/* -w: event-loop processes; 0: one */
	int		 access_log_fd;	/* -1: no access log file */
	int		 access_syslog;	/* -l syslog */
	int		 log_combined;	/* Combined rather than Common format */
	int		 log_tls;	/* --log-tls: the scheme, TLS protocol
					   and cipher as a last field */
	const char	*logfile;	/* -l: FILE, "-" or "syslog" */
	const char	*error_log;	/* --error-log FILE, or NULL */
	const char	*pidfile;	/* -i */
	const char	*user;		/* -u */
	const char	*chroot_dir;	/* -r, --chroot */
	int		 allow_root;	/* --allow-root */
	int		 inetd;		/* -I: serve the socket on stdin */
	int		 test_only;	/* -t: check and exit */
	int		 family;	/* -4, -6: AF_INET, AF_INET6; else 0 */
	int		 path_flags;	/* PATH_ALLOW_DOTFILES */
	int		 listing;	/* --listing: list index-less dirs */
	int		 follow_symlinks; /* --follow-symlinks: even outside */
	int		 confine;	/* enum docroot_confine */
	int		 vhost;		/* --vhost: a directory per host */
	int		 log_vhost;	/* --log-vhost: "host:port " first */
	const char	*auth[MAX_AUTH_RULES];	/* --auth PREFIX:FILE, each */
	int		 auth_rules;
	int		 auth_plain;	/* --auth-plain: even over plain HTTP
					   when HTTPS is served */

	int		 proxy_protocol; /* --proxy-protocol: every listener */
	struct proxy_net trusted[MAX_TRUSTED_PROXIES]; /* --trusted-proxy */
	int		 trusted_proxies;
	int		 log_peer;	/* --log-peer: the socket's peer as a
					   last field */

	const char	*status;	/* --status ADDRESS:PORT, or NULL */

	const char	*tls_port;	/* --tls-port; NULL: no HTTPS */
	int		 tls_port_num;	/* what it is bound to, for redirects */
	const char	*tls_cert[MAX_TLS_PAIRS];	/* --tls-cert */
	const char	*tls_key[MAX_TLS_PAIRS];	/* --tls-key */
	int		 tls_pairs;
	int		 redirect_https; /* --redirect-https */
	long long	 hsts_sec;	/* --hsts; -1: none */

	int		 precompressed;	/* --precompressed: FILE.br, .zst, .gz */
	char		 extra_headers[MAX_EXTRA_HEADER_BYTES];	/* --header
					   lines, "Name: value\r\n" each */
	long long	 max_age_sec;	/* --max-age; -1: none */
	const char	*charset;	/* --charset; NULL: none */
	const char	*mime_types;	/* --mime-types FILE, or NULL */
	/* The media types, with the charset, built at start-up; NULL: the
	   built-in table as it is */
	const struct mime_map *mime;

	/* The site's error pages (404.html, 50x.html...), read once after
	   the privileges are dropped; status 0 for 50x.html. */
	struct error_page {
		int		 status;
		const char	*body;
		size_t		 len;
	}		 error_pages[MAX_ERROR_PAGES];
	int		 error_page_count;
};

#endif /* FORKHTTPD_CONF_H */
