/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The start-up sequence and nothing else: options, document root,
 * listeners (may need root), logs, detach, pid file, chroot and privileges,
 * the site's pages (as the serving user), then the model's accept loop
 * until SIGTERM or SIGINT.  Everything a child needs is prepared here,
 * before the first fork.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "conn.h"
#include "daemon.h"
#include "docroot.h"
#include "fd.h"
#include "fcache.h"
#include "listen.h"
#include "log.h"
#include "metrics.h"
#include "mime.h"
#include "model.h"
#include "options.h"
#include "privsep.h"
#include "signals.h"
#include "tls.h"
#include "upgrade.h"

#define MAX_ERROR_BYTES	512

static void
announce(const struct listeners *l, const struct config *cfg,
    const struct model *m)
{
	char where[128];
	size_t i;

	for (i = 0; i < l->n; i++) {
		listen_describe(l->fd[i], where, sizeof(where));
		if (l->status[i])
			log_warnx("listening on %s (status), for /metrics and "
			    "/", where);
		else
			log_warnx("listening on %s%s, serving %s (%s model)",
			    where, l->tls[i] ? " (https)" : "", cfg->docroot,
			    m->name);
	}
	log_warnx("%s", docroot_confinement(cfg));
#ifdef HAVE_TLS
	if (cfg->tls_pairs > 0)
		log_warnx("%s", tls_describe());
#endif
}

static void
release(struct config *cfg)
{
	mime_map_free((struct mime_map *)cfg->mime);
	cfg->mime = NULL;
	fcache_flush();
	docroot_close(cfg);
	auth_cleanup();
#ifdef HAVE_TLS
	tls_cleanup();
#endif
}

/*
 * The media types: --mime-types read now, as the user that starts the
 * server (an administrator's file, never one under the document root),
 * over the built-in table, with --charset.  Without either the built-in
 * table serves as it is.
 */
static int
load_mime_types(struct config *cfg, char *err, size_t errsize)
{
	struct mime_map *m;

	if (cfg->mime_types == NULL && cfg->charset == NULL)
		return 0;
	if (cfg->mime_types != NULL)
		m = mime_map_load(cfg->mime_types, cfg->charset, err, errsize);
	else
		m = mime_map_build(NULL, 0, cfg->charset, err, errsize);
	if (m == NULL)
		return -1;
	cfg->mime = m;
	return 0;
}

/* -I: the connection inetd accepted is on standard input. */
static int
serve_inetd(const struct config *cfg)
{
	struct accepted a;
	socklen_t len = sizeof(a.peer);

	if (getpeername(STDIN_FILENO, (struct sockaddr *)&a.peer, &len) != 0) {
		log_warn("standard input is not a connected socket");
		return EXIT_STARTUP;
	}
	if (fd_nonblock_cloexec(STDIN_FILENO) != 0) {
		log_warn("cannot make standard input non-blocking");
		return EXIT_STARTUP;
	}
	listen_nodelay(STDIN_FILENO);
	a.fd = STDIN_FILENO;
	a.tls = 0;
	a.status = 0;
	a.admit = NULL;
	a.admit_arg = NULL;
	conn_serve(&a, cfg, NULL);
	return EXIT_SUCCESS;
}

static int
open_listeners(struct listeners *l, const struct config *cfg, char *err,
    size_t errsize)
{
	int got = listen_inherit(l);
	size_t i;

	if (got < 0) {
		(void)snprintf(err, errsize, "cannot use the sockets systemd "
		    "passed");
		return -1;
	}
	if (got == 0) {
		l->n = 0;
		if (listen_open(l, cfg, cfg->port, 0, err, errsize) != 0 ||
		    (cfg->tls_port != NULL &&
		    listen_open(l, cfg, cfg->tls_port, 1, err, errsize) != 0))
			return -1;
	}
	/* an upgrade passes the status listener on, named "status" */
	for (i = 0; i < l->n && !l->status[i]; i++)
		;
	if (cfg->status != NULL && i == l->n &&
	    listen_open_status(l, cfg, err, errsize) != 0) {
		listen_close(l);
		return -1;
	}
	return 0;
}

/*
 * --status: the counters and the scoreboard, shared with every child,
 * made before the first fork; a row for each client the model may serve
 * at once (times the workers of -w).
 */
static int
setup_metrics(const struct config *cfg, const struct model *m)
{
	size_t rows = (size_t)cfg->max_clients + RECLAIM_SLACK;

	if (cfg->status == NULL)
		return 0;
	if (cfg->workers > 0)
		rows *= (size_t)cfg->workers;
#ifdef HAVE_TLS
	return metrics_init(rows, m->name, 1);
#else
	return metrics_init(rows, m->name, 0);
#endif
}

/*
 * What must be opened again once root is given up: the access log and
 * the certificates, which SIGHUP reloads.  The opener (privsep.c), started
 * as root, opens them by number; without it the numbers open the names
 * here.  Registered before daemon_begin() leaves the working directory.
 */
static int log_index = -1, tls_index = -1, error_index = -1;
static int auth_index = -1;
static int error_fd = -1;

static int
reopen_log(void)
{
	return privsep_open(log_index);
}

static int
reopen_error_log(void)
{
	return privsep_open(error_index);
}

static int
reopen_auth(int index, const char *path)
{
	(void)path;
	return privsep_open(auth_index + index);
}

#ifdef HAVE_TLS
static int
reopen_tls(size_t index, const char *path)
{
	(void)path;
	return privsep_open(tls_index + (int)index);
}
#endif

static int
register_reopened(const struct config *cfg, char *err, size_t errsize)
{
	int i, k;

	if (cfg->access_log_fd >= 0 && cfg->access_log_fd != STDOUT_FILENO) {
		if ((log_index = privsep_add(cfg->logfile,
		    PRIVSEP_APPEND)) < 0)
			goto fail;
		log_reopen_with(reopen_log);
	}
	if (cfg->error_log != NULL && (error_index =
	    privsep_add(cfg->error_log, PRIVSEP_APPEND)) < 0)
		goto fail;
	for (i = 0; i < cfg->tls_pairs; i++) {
		if ((k = privsep_add(cfg->tls_cert[i], PRIVSEP_READ)) < 0 ||
		    privsep_add(cfg->tls_key[i], PRIVSEP_READ) < 0)
			goto fail;
		if (i == 0)
			tls_index = k;
	}
#ifdef HAVE_TLS
	if (cfg->tls_pairs > 0)
		tls_set_opener(reopen_tls);
#endif
	for (i = 0; i < cfg->auth_rules; i++) {
		if ((k = privsep_add(strchr(cfg->auth[i], ':') + 1,
		    PRIVSEP_READ)) < 0)
			goto fail;
		if (i == 0)
			auth_index = k;
	}
	if (cfg->auth_rules > 0)
		auth_set_opener(reopen_auth);
	return 0;
fail:
	(void)snprintf(err, errsize, "cannot keep the files to reopen: %s",
	    strerror(errno));
	return -1;
}

/* --error-log: opened as root at start-up, like the access log. */
static int
open_error_log(const struct config *cfg, char *err, size_t errsize)
{
	if (cfg->error_log == NULL)
		return 0;
	if ((error_fd = log_open_file(cfg->error_log)) < 0) {
		(void)snprintf(err, errsize, "cannot open the error log %s: %s",
		    cfg->error_log, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Said on the terminal while there is one: lines sent to a syslog that
 * nobody runs are lost (a default Debian 12 has no /dev/log).
 */
static void
warn_no_syslog(const struct config *cfg)
{
	int detaching = !cfg->foreground && !cfg->inetd;

	if ((detaching && cfg->error_log == NULL) || cfg->access_syslog) {
		if (log_syslog_listens())
			return;
		if (detaching && cfg->error_log == NULL)
			log_warnx("no syslog daemon listens on /dev/log: once "
			    "detached, diagnostics are lost (use --error-log "
			    "FILE)");
		if (cfg->access_syslog)
			log_warnx("no syslog daemon listens on /dev/log: "
			    "-l syslog loses every access log line");
	}
}

/*
 * HTTPS, once the listeners are known: the certificates are read now, as
 * root, so that key files may stay readable by root alone.
 */
static int
setup_tls(const struct listeners *l, struct config *cfg, char *err,
    size_t errsize)
{
	size_t i, tls = 0;

	for (i = 0; i < l->n; i++)
		if (l->tls[i]) {
			if (tls++ == 0)
				cfg->tls_port_num = listen_port(l->fd[i]);
		}
	if (tls == 0) {
		if (cfg->tls_pairs == 0 && !cfg->redirect_https &&
		    cfg->hsts_sec < 0)
			return 0;
		(void)snprintf(err, errsize, "--tls-cert, --tls-key, "
		    "--redirect-https and --hsts need --tls-port");
		return -1;
	}
#ifdef HAVE_TLS
	return tls_setup(cfg, err, errsize);
#else
	(void)snprintf(err, errsize, "a socket for HTTPS, but TLS is not "
	    "built into this %s", PACKAGE_NAME);
	return -1;
#endif
}

/*
 * -t: what a reload (SIGHUP) would read, read now, without binding or
 * disturbing the server that runs: the init script's reload asks first,
 * and so sees a broken certificate in its exit status.
 */
static int
check_only(struct config *cfg)
{
	char err[MAX_ERROR_BYTES];
	int rc = EXIT_SUCCESS;

	if (docroot_open_root(cfg, err, sizeof(err)) != 0 ||
	    auth_setup(cfg, err, sizeof(err)) != 0 ||
	    load_mime_types(cfg, err, sizeof(err)) != 0)
		rc = EXIT_STARTUP;
#ifdef HAVE_TLS
	else if ((cfg->tls_port != NULL || cfg->tls_pairs > 0) &&
	    tls_setup(cfg, err, sizeof(err)) != 0)
		rc = EXIT_STARTUP;
#endif
	if (rc == EXIT_SUCCESS)
		log_warnx("the document root %s, %d certificate%s and %d "
		    "password file%s are good", cfg->docroot, cfg->tls_pairs,
		    cfg->tls_pairs == 1 ? "" : "s", cfg->auth_rules,
		    cfg->auth_rules == 1 ? "" : "s");
	else
		log_warnx("%s", err);
	release(cfg);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct config cfg;
	struct listeners l = { .n = 0 };
	const struct model *m;
	const char *model_name;
	char err[MAX_ERROR_BYTES];
	int rc, lifeline = -1;
	pid_t replacing;

	/* 0-2 open before anything else: no socket or log may take them */
	if (daemon_std_fds() != 0)
		return EXIT_STARTUP;
	/* SIGUSR2 starts this program again: its path before a reinstall */
	(void)upgrade_remember(argv);
	replacing = upgrade_replacing();
	switch (options_parse(argc, argv, &cfg, &model_name)) {
	case OPTIONS_EXIT:
		return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_STARTUP;
	case OPTIONS_USAGE:
		return EXIT_USAGE;
	}
	/* options.c knows no models: -m is looked up here */
	if ((m = model_by_name(model_name)) == NULL || m->unavailable != NULL) {
		(void)options_bad_model(model_name, m != NULL ?
		    m->unavailable : NULL);
		return EXIT_USAGE;
	}
	if (cfg.test_only)
		return check_only(&cfg);
	/* read the time zone once; children and threads inherit it */
	tzset();
	if (cfg.inetd)		/* stdout and stderr are the client */
		log_use_syslog();

	/* logs made as root belong to the user that serves */
	log_set_owner(daemon_user_uid(&cfg));
	if (docroot_open_root(&cfg, err, sizeof(err)) != 0 ||
	    load_mime_types(&cfg, err, sizeof(err)) != 0 ||
	    (!cfg.inetd && open_listeners(&l, &cfg, err, sizeof(err)) != 0) ||
	    setup_tls(&l, &cfg, err, sizeof(err)) != 0 ||
	    auth_setup(&cfg, err, sizeof(err)) != 0 ||
	    log_open_access(&cfg, cfg.chroot_dir, err, sizeof(err)) != 0 ||
	    open_error_log(&cfg, err, sizeof(err)) != 0 ||
	    (!cfg.inetd && register_reopened(&cfg, err, sizeof(err)) != 0))
		goto fail;
	warn_no_syslog(&cfg);
	if (!cfg.foreground && !cfg.inetd) {
		if ((lifeline = daemon_begin()) < 0) {
			log_warn("cannot detach");
			goto fail_quiet;
		}
	}
	if (cfg.pidfile != NULL && !cfg.inetd &&
	    daemon_pidfile(cfg.pidfile, replacing, err, sizeof(err)) != 0)
		goto fail;
	/* root is given up next: keep a way to what SIGHUP reopens, and to
	   starting the program again (SIGUSR2) as root, outside a chroot */
	if (!cfg.inetd && geteuid() == 0 && privsep_start() != 0) {
		log_warn("cannot start the opener");
		goto fail_quiet;
	}
	if (daemon_privileges(&cfg, err, sizeof(err)) != 0)
		goto fail;
	/* the site's pages are read as the user that serves, never as root */
	docroot_load_pages(&cfg);
	if (cfg.inetd) {
		rc = serve_inetd(&cfg);
		release(&cfg);
		return rc;
	}
	if (signals_init() != 0) {
		log_warn("cannot set up signals");
		goto fail_quiet;
	}
	if (setup_metrics(&cfg, m) != 0) {
		log_warn("cannot make room for the metrics");
		goto fail_quiet;
	}
	if (error_fd >= 0)
		log_use_error_file(error_fd, cfg.error_log,
		    error_index >= 0 ? reopen_error_log : NULL);
	else if (lifeline >= 0)
		log_use_syslog();
	announce(&l, &cfg, m);
	if (lifeline >= 0)
		(void)daemon_ready(lifeline);
	/* ready, pid file written: the server we replace may go and drain */
	if (replacing > 0) {
		log_warnx("upgraded: pid %ld, which this server replaces, stops",
		    (long)replacing);
		(void)kill(replacing, SIGTERM);
	}

	rc = m->serve_forever(&l, &cfg, &conn_ops);
	privsep_stop();
	log_warnx("stopped");
	daemon_pidfile_remove(cfg.pidfile);
	if (rc == MODEL_ABANDONED)	/* threads still use cfg: just go */
		return EXIT_SUCCESS;
	release(&cfg);
	return rc == 0 ? EXIT_SUCCESS : EXIT_STARTUP;
fail:
	log_warnx("%s", err);
fail_quiet:
	privsep_stop();
	daemon_fail(lifeline, EXIT_STARTUP);
	listen_close(&l);
	release(&cfg);
	return EXIT_STARTUP;
}
